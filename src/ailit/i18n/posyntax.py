"""What ``msgfmt --check`` rejects, found before Babel reads a catalogue.

Babel is lenient where gettext is not: of two ``msgstr`` lines it keeps the last, it keeps
one of two entries with the same msgid, and it pads missing plural forms. Each of these
drops a translation without a word, so every one is an error here, with its line.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field

from babel.messages.pofile import unescape

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?[ \t]+(\".*)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t]*')
_ESCAPE = re.compile(r"\\(?:[ntrabfv\\\"']|[0-7]{1,3}|x[0-9A-Fa-f]+)")
_PLURAL_FORMS = re.compile(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+);?\s*")


class PoSyntaxError(Exception):
    """A PO file gettext would refuse: the message and its 1-based line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class _Entry:
    line: int
    obsolete: bool
    fuzzy: bool
    parts: dict[str, str] = field(default_factory=dict)
    forms: list[int] = field(default_factory=list)  # msgstr[n] indices in order
    last: str = ""  # the keyword continuation strings belong to

    @property
    def done(self) -> bool:
        return "msgstr" in self.last


def check_po(text: str) -> None:
    """Raise PoSyntaxError at the first line ``msgfmt --check`` would reject."""
    entries = list(_entries(text))
    seen: dict[tuple[str | None, str], int] = {}
    header, header_line = "", 1
    for entry in entries:
        key = (entry.parts.get("msgctxt"), entry.parts["msgid"])
        if key in seen:
            raise PoSyntaxError(
                f"duplicate entry for msgid {key[1][:40]!r} (first at line {seen[key]}); "
                "keep one, or the other translation is lost",
                entry.line,
            )
        seen[key] = entry.line
        if key == (None, "") and not entry.obsolete:
            header, header_line = entry.parts.get("msgstr", ""), entry.line
    nplurals = _nplurals(header, header_line, entries)
    for entry in entries:
        if entry.obsolete or entry.fuzzy or not _translated_plural(entry):
            continue
        if len(entry.forms) != nplurals:
            raise PoSyntaxError(
                f"has {len(entry.forms)} plural forms (msgstr[n]); the header's Plural-Forms "
                f"says nplurals={nplurals}",
                entry.line,
            )


def _translated_plural(entry: _Entry) -> bool:
    """A plural entry with some form written: what msgfmt holds to the header (an empty
    one, as in a template, it lets pass)."""
    return "msgid_plural" in entry.parts and any(entry.parts[f"msgstr[{i}]"] for i in entry.forms)


def _nplurals(header: str, line: int, entries: list[_Entry]) -> int:
    """The header's nplurals, checked when some entry has plural forms."""
    fields = {}
    for row in header.splitlines():  # "Name: value" lines
        name, _, value = row.partition(":")
        fields[name.strip().lower()] = value.strip()
    charset = re.search(r"charset\s*=\s*([\w.-]+)", fields.get("content-type", ""))
    if charset and charset.group(1).lower().replace("-", "") != "utf8":
        raise PoSyntaxError(f"charset {charset.group(1)} in the header: use UTF-8", line)
    forms = fields.get("plural-forms")
    plural_entries = [e for e in entries if _translated_plural(e) and not e.obsolete]
    if forms is None:
        if plural_entries:
            raise PoSyntaxError(
                "entries have plural forms but the header has no Plural-Forms line",
                plural_entries[0].line,
            )
        return 2
    match = _PLURAL_FORMS.fullmatch(forms)
    if not match or int(match.group(1)) < 1:
        raise PoSyntaxError(f"bad Plural-Forms header: {forms[:60]!r}", line)
    try:
        gettext.c2py(match.group(2).strip())
    except (ValueError, SyntaxError, RecursionError):
        raise PoSyntaxError(f"bad plural expression in the header: {forms[:60]!r}", line) from None
    return int(match.group(1))


def _entries(text: str) -> list[_Entry]:
    """The entries of a PO file, each checked for the keyword order gettext requires."""
    entries: list[_Entry] = []
    current: _Entry | None = None
    fuzzy = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,") and not obsolete:
                fuzzy = fuzzy or "fuzzy" in [f.strip() for f in line[2:].split(",")]
            if current is not None and not current.done:
                raise PoSyntaxError("a comment inside an entry (before its msgstr)", number)
            continue
        keyword = _KEYWORD.fullmatch(line)
        rest = keyword.group(3) if keyword else line
        value = _string(rest, number)
        if keyword is None:
            if current is None or not current.last:
                raise PoSyntaxError(f"a string outside any entry: {line[:50]!r}", number)
            current.parts[current.last] += value
            continue
        name, index = keyword.group(1), keyword.group(2)
        starts = name in ("msgctxt", "msgid")
        if starts and current is not None and "msgid" in current.parts and not current.done:
            raise PoSyntaxError("entry without msgstr", current.line)
        if starts and (current is None or current.done):
            if current is not None:
                entries.append(current)
            current = _Entry(number, obsolete, fuzzy)
            fuzzy = False
        if current is None:
            raise PoSyntaxError(f"{name} without a msgid before it", number)
        if obsolete != current.obsolete:
            raise PoSyntaxError("an entry mixes obsolete (#~) and live lines", number)
        _add(current, name, index, value, number)
    if current is not None:
        if not current.done:
            raise PoSyntaxError("entry without msgstr", current.line)
        entries.append(current)
    return entries


_NEXT = {
    "msgctxt": ("",),
    "msgid": ("msgctxt", ""),
    "msgid_plural": ("msgid",),
    "msgstr": ("msgid",),
    "msgstr[]": ("msgid_plural", "msgstr[]"),
}


def _add(entry: _Entry, name: str, index: str | None, value: str, number: int) -> None:
    """One keyword line of an entry, in the order msgctxt, msgid, msgid_plural, msgstr."""
    slot = "msgstr[]" if index is not None else name
    previous = "msgstr[]" if entry.last.startswith("msgstr[") else entry.last
    if previous not in _NEXT[slot]:
        if name == "msgstr" and previous in ("msgstr", "msgstr[]"):
            problem = "a second msgstr for one msgid (only one can be kept): merge them"
        elif slot == "msgstr[]" and previous == "msgid":
            problem = "msgstr[n] without msgid_plural"
        elif slot == "msgstr" and previous == "msgid_plural":
            problem = "an entry with msgid_plural needs msgstr[0], msgstr[1], ..."
        else:
            problem = f"{name} cannot follow {previous or 'nothing'}: expected msgid, then msgstr"
        raise PoSyntaxError(problem, number)
    if index is not None:
        if int(index) != len(entry.forms):
            raise PoSyntaxError(
                f"plural form msgstr[{index}] out of order (expected msgstr[{len(entry.forms)}])",
                number,
            )
        entry.forms.append(int(index))
    key = f"msgstr[{index}]" if index is not None else name
    entry.parts[key] = value
    if index == "0":
        entry.parts["msgstr"] = value
    entry.last = key


def _string(text: str, number: int) -> str:
    """The value of one quoted string, with gettext's escapes only."""
    match = _STRING.fullmatch(text)
    if match is None:
        raise PoSyntaxError(
            f"cannot read {text[:50]!r} (a string must be in double quotes)", number
        )
    body = match.group(1)
    bad = re.search(r"\\", _ESCAPE.sub("", body))
    if bad:
        raise PoSyntaxError(f"invalid escape sequence in {text[:50]!r}", number)
    return unescape(f'"{body}"')
