"""Typed configuration: course.yml and languages.yml read and checked.

Options follow mkdocs' ``config_options``: each checks one value and its message quotes the
value and shows the expected form; the file and the line of that value come from the YAML
node tree (``yamlfile``), so every message points at the value itself, nested ones included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from ailit.core.errors import AilitError, CourseError
from ailit.model.directives import parts
from ailit.model.yamlfile import Document, fail, read_document

T = TypeVar("T")

LEVELS = ("beginner", "beginner-intermediate", "intermediate", "advanced", "all")
REVIEW_STATES = ("unreviewed", "reviewed")


class Invalid(ValueError):
    """A value an option refuses; the caller adds the file and the value's line.

    ``at`` leads from the value to the part of it at fault (a list entry's index)."""

    def __init__(self, message: str, at: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.at = at


_REQUIRED: Any = object()


class Option(Generic[T]):
    """One typed setting: ``validate`` returns the value or raises ``Invalid`` quoting it."""

    expected = "a value"

    def __init__(self, example: str, default: Any = _REQUIRED) -> None:
        self.example = example
        self.default = default

    def validate(self, value: object, label: str) -> T:
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.default is _REQUIRED:
                raise Invalid(f"missing {label} (for example: {self.example})")
            return self.default
        return self.check(value, label)

    def check(self, value: object, label: str) -> T:
        raise NotImplementedError

    def refuse(self, value: object, label: str) -> Invalid:
        return Invalid(
            f"{label} must be {self.expected}, got {value!r} (for example: {self.example})"
        )


class Text(Option[str]):
    expected = "text"

    def check(self, value: object, label: str) -> str:
        if not isinstance(value, str):
            raise self.refuse(value, label)
        return value


class Choice(Option[str]):
    def __init__(self, choices: tuple[str, ...], example: str, default: Any = _REQUIRED) -> None:
        super().__init__(example, default)
        self.choices = choices

    def check(self, value: object, label: str) -> str:
        if not isinstance(value, str) or value not in self.choices:
            raise Invalid(f"{label} is {value!r}; expected one of {', '.join(self.choices)}")
        return value


class PositiveInt(Option[int]):
    def __init__(self, unit: str, example: str, default: Any = _REQUIRED) -> None:
        super().__init__(example, default)
        self.expected = f"a positive number of {unit}"

    def check(self, value: object, label: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise self.refuse(value, label)
        return value


class Flag(Option[bool]):
    expected = "true or false"

    def check(self, value: object, label: str) -> bool:
        if not isinstance(value, bool):
            raise self.refuse(value, label)
        return value


class Percentage(Option[float]):
    expected = "a percentage 0-100"

    def check(self, value: object, label: str) -> float:
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 100:
            raise self.refuse(value, label)
        return float(value)


class NonEmptyList(Option[list]):
    expected = "a list"

    def check(self, value: object, label: str) -> list:
        if not isinstance(value, list):
            raise self.refuse(value, label)
        if not value:
            raise Invalid(f"{label} lists no module")
        return value


class Parts(Option[tuple]):
    """Directive names a course's modules must each hold (``requires: [objectives, quiz]``)."""

    expected = "a list of module parts"

    def check(self, value: object, label: str) -> tuple:
        if not isinstance(value, list):
            raise self.refuse(value, label)
        for index, name in enumerate(value):
            if name not in parts():
                raise Invalid(
                    f"{label}: unknown part {name!r}; expected some of {', '.join(parts())}",
                    (index,),
                )
        return tuple(value)


class LocaleCode(Option[str]):
    def check(self, value: object, label: str) -> str:
        from ailit.model.language import babel_locale

        try:
            babel_locale(str(value))  # an unknown code is an error here, not in the build
        except AilitError:
            raise Invalid(f"unknown locale code {value!r} (use an ISO 639 code)") from None
        return str(value)


def validate(
    document: Document,
    schema: dict[str, Option[Any]],
    at: tuple[object, ...] = (),
    label: Callable[[str], str] = lambda name: f"field {name!r}",
) -> dict[str, Any]:
    """Check every field of the mapping at ``at``; an error names the line of its value."""
    data = document.data
    for key in at:
        data = data[key]
    values = {}
    for name, option in schema.items():
        try:
            values[name] = option.validate((data or {}).get(name), label(name))
        except Invalid as exc:
            line = document.line(*at, name, *exc.at)
            raise CourseError(str(exc), document.path, line) from None
    return values


COURSE: dict[str, Option[Any]] = {
    "title": Text("title: AI for everyone"),
    "summary": Text("summary: One sentence for the catalogue."),
    "audience": Text("audience: Learners aged 11 and up."),
    "level": Choice(LEVELS, "level: beginner"),
    "duration": PositiveInt("minutes", "duration: 480  # minutes"),
    "modules": NonEmptyList("modules: [01-what-is-ai, 02-computers-see-numbers]"),
    "requires": Parts("requires: [objectives, quiz]", default=()),
    # the BibTeX file modules cite, in the course folder (default: references.bib if there)
    "bibliography": Text("bibliography: references.bib", default=""),
}


def course_settings(path: Path) -> tuple[Document, dict[str, Any]]:
    """course.yml, parsed and checked field by field."""
    document = read_document(path)
    if not isinstance(document.data, dict):
        raise fail(document, "expected a mapping of fields (title, summary, ...)")
    return document, validate(document, COURSE)


#: a module's own settings (its notebook metadata ``ailit:``) checked by option
MODULE: dict[str, Option[Any]] = {
    "execute": Flag("execute: false  # keep the stored outputs", default=True),
}


@dataclass(frozen=True)
class LanguageSettings:
    """One entry of languages.yml, checked."""

    code: str
    name: str | None
    review: str
    threshold: float


LANGUAGES: dict[str, Option[Any]] = {
    "source": LocaleCode("source: en", default="en"),
    "publish_threshold": Percentage("publish_threshold: 80", default=0),
}


def _settings_of(code: str) -> Callable[[str], str]:
    return lambda name: f"{name!r} of {code!r}"


def language_settings(path: Path) -> tuple[str, list[LanguageSettings]]:
    """languages.yml: the source locale and every target locale, checked value by value."""
    document = read_document(path)
    if not isinstance(document.data, dict):
        raise fail(document, "expected 'source:' and 'languages:' fields")
    top = validate(document, LANGUAGES)
    entries = document.data.get("languages") or {}
    if not isinstance(entries, dict):
        raise fail(
            document,
            "'languages' must map codes to settings, e.g. 'fr: {name: Français}'",
            "languages",
        )
    result = []
    for code, settings in entries.items():
        if settings is not None and not isinstance(settings, dict):
            raise fail(document, f"settings of {code!r} must be a mapping", "languages", code)
        try:
            LocaleCode("fr").validate(code, "locale")
        except Invalid as exc:
            raise CourseError(str(exc), path, document.key_line("languages", code)) from None
        schema: dict[str, Option[Any]] = {
            "name": Text("name: Français", default=None),
            "review": Choice(REVIEW_STATES, "review: unreviewed", default="unreviewed"),
            "threshold": Percentage("threshold: 80", default=top["publish_threshold"]),
        }
        values = validate(document, schema, ("languages", code), _settings_of(str(code)))
        result.append(LanguageSettings(str(code), **values))
    return top["source"], result
