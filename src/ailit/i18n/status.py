"""How far each locale is translated: strings and source words, per locale and module."""

from __future__ import annotations

from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message

from ailit.i18n import catalog
from ailit.i18n.catalog import _first, _has_text
from ailit.model.project import Language, Project


@dataclass
class Counts:
    """Translated / fuzzy / untranslated, in strings and in source words."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def total_words(self) -> int:
        return self.translated_words + self.fuzzy_words + self.untranslated_words

    @property
    def percent(self) -> float:
        """Share of source words translated and not fuzzy (what is published)."""
        return 100.0 * self.translated_words / self.total_words if self.total_words else 100.0

    def add(self, message: Message) -> None:
        words = len(_first(message.id).split())
        if message.fuzzy and _has_text(message):
            self.fuzzy += 1
            self.fuzzy_words += words
        elif _has_text(message):
            self.translated += 1
            self.translated_words += words
        else:
            self.untranslated += 1
            self.untranslated_words += words

    def __iadd__(self, other: Counts) -> Counts:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def status(project: Project) -> dict[str, dict]:
    """Coverage per locale and per module (and site), for the table and --json."""
    return {language.code: locale_status(project, language) for language in project.languages}


def locale_status(
    project: Project, language: Language, loaded: dict[str, Catalog] | None = None
) -> dict:
    """One locale's coverage; ``loaded`` catalogues (by domain) are used instead of re-reading."""
    module_files = {
        module.path.relative_to(project.root).as_posix(): (course.slug, module.slug)
        for course in project.courses
        for module in course.modules
    }
    total = Counts()
    parts: dict[str, Counts] = {}
    for domain in project.domains():
        path = project.po_path(language.code, domain)
        pot_path = project.pot_path(domain)
        if loaded and loaded.get(domain) is not None:
            po = loaded[domain]
        elif path.is_file():
            po = catalog.load(path, locale=language.code)
        elif pot_path.is_file():
            po = catalog.load(pot_path)
        else:
            continue
        # the template decides what there is to translate: an entry whose msgid is not in it
        # (edited by hand) is never published, so it is not counted
        pot = catalog.load(pot_path) if pot_path.is_file() else po
        for source in pot:
            if not source.id:
                continue
            found = po.get(source.id, source.context)
            message = source if found is None else found
            name = domain if domain == "site" else f"{domain}/course.yml"
            for location, _line in source.locations:
                if location in module_files:
                    name = "/".join(module_files[location])
                    break
            parts.setdefault(name, Counts()).add(message)
            total.add(message)
    return {
        "name": language.name,
        "review": language.review,
        "threshold": language.threshold,
        "total": _counts(total),
        "parts": {name: _counts(c) for name, c in sorted(parts.items())},
    }


def _counts(counts: Counts) -> dict:
    return {
        "translated": counts.translated,
        "fuzzy": counts.fuzzy,
        "untranslated": counts.untranslated,
        "translated_words": counts.translated_words,
        "fuzzy_words": counts.fuzzy_words,
        "untranslated_words": counts.untranslated_words,
        "percent": round(counts.percent, 1),
    }
