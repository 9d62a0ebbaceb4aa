"""The course's agreed AI terms: the source glossary (``locales/glossary.yml``, term ->
definition) and each locale's (``locales/<lang>/glossary.yml``, term -> its translation and
the definition in that language)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ailit.core.errors import CatalogueError
from ailit.model.project import Project
from ailit.model.yamlfile import read_document

SOURCE_NAME = "glossary.yml"
_FIELDS = ("term", "definition")


@dataclass(frozen=True)
class Entry:
    """One term of a glossary: the English term, the locale's term and definition, and its line."""

    english: str
    term: str
    definition: str
    line: int | None


@dataclass(frozen=True)
class Glossary:
    """A glossary file's entries, keyed by the English term in lower case."""

    path: Path
    entries: dict[str, Entry]


def source_path(project: Project) -> Path:
    """``locales/glossary.yml``: the terms every locale's glossary translates."""
    return project.locales_dir / SOURCE_NAME


def locale_path(project: Project, code: str) -> Path:
    return project.locales_dir / code / SOURCE_NAME


def source_glossary(project: Project) -> Glossary | None:
    """The source glossary (English term: definition), or None when the project has none."""
    path = source_path(project)
    if not path.is_file():
        return None
    document = read_document(path)
    entries = {}
    for english, value in _mapping(document.data, path, "'term: definition' lines").items():
        if value is not None and not isinstance(value, str):
            raise CatalogueError(f"the definition of {english!r} must be text", path,
                                 document.line(english))  # fmt: skip
        line = document.key_line(english)
        entries[english.lower()] = Entry(english, english, (value or "").strip(), line)
    return Glossary(path, entries)


def locale_glossary(project: Project, code: str) -> Glossary | None:
    """A locale's glossary: ``term: translation`` or ``term: {term: ..., definition: ...}``."""
    path = locale_path(project, code)
    if not path.is_file():
        return None
    document = read_document(path)
    expected = "'english term: {term: ..., definition: ...}' lines"
    entries = {}
    for english, value in _mapping(document.data, path, expected).items():
        line = document.key_line(english)
        if isinstance(value, dict):
            unknown = sorted(str(k) for k in value if k not in _FIELDS)
            if unknown:
                raise CatalogueError(f"unknown key {unknown[0]!r} under {english!r} "
                                     "(expected: term, definition)", path, line)  # fmt: skip
            fields = {name: value.get(name) for name in _FIELDS}
        else:
            fields = {"term": value, "definition": None}
        if any(v is not None and not isinstance(v, str) for v in fields.values()):
            raise CatalogueError(f"the term and definition of {english!r} must be text", path, line)
        term, definition = ((fields[name] or "").strip() for name in _FIELDS)
        if term:
            entries[english.lower()] = Entry(english, term, definition, line)
    return Glossary(path, entries)


def _mapping(data: object, path: Path, expected: str) -> dict[str, object]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CatalogueError(f"expected {expected}", path)
    return {str(k).strip(): v for k, v in data.items() if k is not None and str(k).strip()}


def load_glossary(project: Project, code: str) -> dict[str, str]:
    """``locales/<lang>/glossary.yml``: English term -> the locale's agreed term."""
    glossary = locale_glossary(project, code)
    if glossary is None:
        return {}
    return {key: entry.term for key, entry in glossary.entries.items()}
