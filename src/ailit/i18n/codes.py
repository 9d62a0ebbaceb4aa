"""The codes of ``ailit check``'s findings: one named kind each, as ``[code]`` in every report.

A translation check can be silenced on one entry with the flag ``ailit-ignore-<code>``;
the other codes are about courses and catalogues as a whole and cannot.
"""

from __future__ import annotations

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
    STRUCTURE = "structure"
    MARKUP = "markup"
    NUMBERS = "numbers"
    GLOSSARY = "glossary"
    # a catalogue or a course
    SYNTAX = "syntax"
    PLURALS = "plurals"
    UNKNOWN_FLAG = "unknown-flag"
    UNWRITTEN = "unwritten"
    ALT_TEXT = "alt-text"
    PARTS = "parts"


#: the checks of a translation that a flag on its entry may silence
TRANSLATION_CHECKS = (
    CheckCode.NEWLINES,
    CheckCode.INVISIBLE,
    CheckCode.PLACEHOLDERS,
    CheckCode.HTML,
    CheckCode.URL_SCHEME,
    CheckCode.LINKS,
    CheckCode.STRUCTURE,
    CheckCode.MARKUP,
    CheckCode.NUMBERS,
    CheckCode.GLOSSARY,
)
IGNORE_PREFIX = "ailit-ignore-"


def ignore_flag(code: CheckCode) -> str:
    """The entry flag that silences ``code``: ``#, ailit-ignore-numbers``."""
    return f"{IGNORE_PREFIX}{code}"


#: every ``ailit-ignore-*`` flag ailit knows; any other is a translator's typo
IGNORE_FLAGS = frozenset(ignore_flag(code) for code in TRANSLATION_CHECKS)
