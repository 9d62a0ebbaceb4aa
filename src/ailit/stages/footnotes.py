"""Footnotes across a module: numbered in the order the module first cites them.

A page is rendered cell by cell, and jupytext authors often write a footnote's text in
another cell than its reference (at the end of the module). So the module's definitions are
collected once (``collect``), a cell that cites one it does not define gets it appended
(``complete``), and the page renderer numbers and anchors each by its label (``RULES``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:", re.M)
_ID = re.compile(r"[^\w-]+")


@dataclass
class Footnotes:
    """A module's footnotes: labels in the order they are first cited, definitions as written."""

    order: list[str] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)

    def number(self, label: str) -> int | None:
        """Its number in the module, if the module cites it."""
        return self.order.index(label) + 1 if label in self.order else None


def collect(sources: Iterable[str]) -> Footnotes:
    """The footnotes of a module's markdown cells (already translated)."""
    notes = Footnotes()
    for source in sources:
        notes.definitions.update(_definitions(source))
        for label in _REFERENCE.findall(source):
            if label not in notes.order:
                notes.order.append(label)
    return notes


def _definitions(source: str) -> dict[str, str]:
    """Each ``[^label]: text`` block of a cell, with its indented continuation lines."""
    found: dict[str, str] = {}
    lines = source.splitlines()
    for index, line in enumerate(lines):
        match = _DEFINITION.match(line)
        if not match:
            continue
        end = index + 1
        while end < len(lines) and (not lines[end].strip() or lines[end][:1] in " \t"):
            end += 1
        while end > index + 1 and not lines[end - 1].strip():
            end -= 1
        found[match.group(1)] = "\n".join(lines[index:end])
    return found


def complete(source: str, notes: Footnotes) -> str:
    """A cell with the definitions of the footnotes it cites but defines elsewhere."""
    defined = set(_DEFINITION.findall(source))
    missing = [
        notes.definitions[label]
        for label in dict.fromkeys(_REFERENCE.findall(source))
        if label not in defined and label in notes.definitions
    ]
    return source + "".join("\n\n" + text for text in missing) if missing else source


def _anchor_name(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """``fn-<label>`` / ``fnref-<label>``: one id per footnote on the whole page."""
    return "-" + _ID.sub("-", str(tokens[idx].meta.get("label", tokens[idx].meta["id"])))


def _number(self: Any, token: Token) -> str:
    notes: Footnotes = self.page_text.footnotes
    return str(notes.number(str(token.meta.get("label"))) or token.meta["id"] + 1)


def _caption(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The footnote's number in the module (no brackets: it is set as a superscript)."""
    return _number(self, tokens[idx])


def _open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    """A footnote's list item, numbered as in the module (cells list only their own)."""
    ident = _anchor_name(self, tokens, idx, options, env)
    return f'<li id="fn{ident}" class="footnote-item" value="{_number(self, tokens[idx])}">'


#: Page render rules replacing the footnote plugin's numbering by the module's.
RULES = {"footnote_anchor_name": _anchor_name, "footnote_caption": _caption, "footnote_open": _open}
