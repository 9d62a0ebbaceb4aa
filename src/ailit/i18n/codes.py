"""The codes of ``ailit check``'s findings: one named kind each, as ``[code]`` in every report.

A translation check can be silenced on one entry with a translator comment
``# ailit-ignore: <code>, <code>`` (gettext tools keep it) or the older flag
``#, ailit-ignore-<code>`` (msgcat, msgmerge and Poedit drop it); the other codes are about courses and catalogues as a whole and cannot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum


class CheckCode(StrEnum):
    """What a finding is about; the value is what reports show."""

    # one translation against its source (i18n.checks)
    NEWLINES = "newlines"
    INVISIBLE = "invisible"
    PLACEHOLDERS = "placeholders"
    HTML = "html"
    URL_SCHEME = "url-scheme"
    LINKS = "links"
    CODE_SPAN = "code-span"
    STRUCTURE = "structure"
    MARKUP = "markup"
    NUMBERS = "numbers"
    GLOSSARY = "glossary"
    # a catalogue or a course
    COURSE = "course"
    SYNTAX = "syntax"
    PLURALS = "plurals"
    UNKNOWN_FLAG = "unknown-flag"
    UNWRITTEN = "unwritten"
    ALT_TEXT = "alt-text"
    PARTS = "parts"
    UNKNOWN_MSGID = "unknown-msgid"
    UNSUPPORTED = "unsupported"
    GLOSSARY_TERMS = "glossary-terms"
    # one translation against its source (i18n.checks): math and role contents kept as written
    MATH = "math"
    ROLE = "role"
    # a module's source: equation labels and TeX, citation keys and the BibTeX file
    EQUATION = "equation"
    CITATION = "citation"
    REFERENCE = "reference"
    MEDIA = "media"
    EXECUTION = "execution-dependent"


#: the checks of a translation that a flag on its entry may silence
TRANSLATION_CHECKS = (
    CheckCode.NEWLINES,
    CheckCode.INVISIBLE,
    CheckCode.PLACEHOLDERS,
    CheckCode.HTML,
    CheckCode.URL_SCHEME,
    CheckCode.LINKS,
    CheckCode.CODE_SPAN,
    CheckCode.STRUCTURE,
    CheckCode.MARKUP,
    CheckCode.NUMBERS,
    CheckCode.GLOSSARY,
    CheckCode.MATH,
    CheckCode.ROLE,
)
IGNORE_PREFIX = "ailit-ignore-"


def ignore_flag(code: CheckCode) -> str:
    """The entry flag that silences ``code``: ``#, ailit-ignore-numbers``."""
    return f"{IGNORE_PREFIX}{code}"


#: every ``ailit-ignore-*`` flag ailit knows; any other is a translator's typo
IGNORE_FLAGS = frozenset(ignore_flag(code) for code in TRANSLATION_CHECKS)

IGNORE_COMMENT = "ailit-ignore:"
_SEPARATOR = re.compile(r"[\s,]+")


def comment_flags(comments: Iterable[str]) -> set[str]:
    """The ignore flags a translator comment ``# ailit-ignore: glossary, numbers`` asks for."""
    found = set()
    for comment in comments:
        text = comment.strip()
        if text.lower().startswith(IGNORE_COMMENT):
            names = _SEPARATOR.split(text[len(IGNORE_COMMENT) :].strip())
            found |= {IGNORE_PREFIX + name.lower() for name in names if name}
    return found
