"""A course's BibTeX file, read by pybtex: the keys modules cite and their entries formatted.

Citations read as sphinxcontrib-bibtex's ``author_year`` style, the one Jupyter Book
lectures set (``bibtex_reference_style: author_year``): ``{cite:t}`` "Sargent and Wallace
(1981)", ``{cite:p}`` and ``{cite}`` "(Sargent and Wallace, 1981)".
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.backends.html import Backend
from pybtex.database import BibliographyData, Entry, parse_string
from pybtex.exceptions import PybtexError
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style

from ailit.core.errors import CourseError

#: the file a course's citations come from, unless course.yml names another (``bibliography:``)
DEFAULT_FILE = "references.bib"
#: the roles that cite, and whether they name the authors in the text (``:t``)
_BACKEND = Backend()
_STYLE = Style()
CITE_ROLES = {"cite": False, "cite:p": False, "cite:ps": False, "cite:t": True, "cite:ts": True}


@dataclass(frozen=True)
class Reference:
    """One entry: how the text names it and how the reference list shows it (HTML)."""

    key: str
    authors: str
    year: str
    source: Entry = field(compare=False, repr=False)

    @property
    def entry(self) -> str:
        """The list's line, formatted when asked: a big file's other entries cost nothing."""
        return _entry(self.source, self.authors, self.year)


@dataclass(frozen=True)
class Bibliography:
    """The entries of one BibTeX file, by key."""

    path: Path
    references: dict[str, Reference]


def load(path: Path) -> Bibliography:
    """Read and format a BibTeX file; a syntax error is one line naming the file."""
    text = path.read_text(encoding="utf-8")
    return _load(path, text)


@functools.lru_cache(maxsize=16)
def _load(path: Path, text: str) -> Bibliography:
    try:
        data = parse_string(text, "bibtex")
    except PybtexError as exc:
        line = getattr(exc, "lineno", None)
        message = re.sub(r"^syntax error in line \d+: ", "", str(exc))
        raise CourseError(f"BibTeX cannot be read: {message}", path, line) from None
    return Bibliography(path, _references(data, path))


def _references(data: BibliographyData, path: Path) -> dict[str, Reference]:
    references = {}
    for key, entry in data.entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(p.prelast_names + p.last_names) for p in people]
        if len(names) > 2:
            authors = f"{names[0]} et al."
        else:
            authors = " and ".join(names) or entry.fields.get("title", key)
        year = entry.fields.get("year", "n.d.")
        references[key] = Reference(key, _plain(authors), year, entry)
    return references


def _entry(entry: Entry, authors: str, year: str) -> str:
    """The entry as BibTeX's plain style prints it; one missing a field the style needs
    (an article without its journal) as authors, year and title."""
    try:
        formatted = next(iter(_STYLE.format_entries([entry])))
        return str(formatted.text.render(_BACKEND)).replace("\n", " ")
    except PybtexError:
        title = _plain(entry.fields.get("title", ""))
        return html.escape(f"{_plain(authors)} ({year}). {title}.")


def _plain(text: str) -> str:
    """BibTeX braces and accents as plain text (``{\\'e}`` → é)."""
    return str(Text.from_latex(text)) if "{" in text or "\\" in text else text


def keys(content: str) -> list[str]:
    """The keys of one citation role's content: ``a,b`` or ``a, b``."""
    return [key.strip() for key in content.split(",") if key.strip()]


def in_text(references: list[Reference], name: str) -> str:
    """The text a citation shows, as sphinxcontrib-bibtex's author_year style writes it."""
    if CITE_ROLES.get(name, False):
        return "; ".join(f"{r.authors} ({r.year})" for r in references)
    return "(" + "; ".join(f"{r.authors}, {r.year}" for r in references) + ")"
