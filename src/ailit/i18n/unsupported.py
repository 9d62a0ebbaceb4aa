"""MyST a module uses that ailit does not render: directives and roles missing from their tables.

``ailit check`` warns about each at its line; the page still shows its content (a plain box
for a directive, plain text for a role). The tables are read at call time, so any entry a
later change adds to ``model.directives`` or ``model.roles`` counts as known.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ailit.i18n.segment import fence, shared_parser
from ailit.model.directives import option_lines
from ailit.model.roles import role


@dataclass(frozen=True)
class Unsupported:
    """One use of a directive or role ailit does not know, by its line in the cell."""

    line: int  # 1-based, within the cell source
    what: str  # "directive" or "role"
    name: str

    def message(self) -> str:
        """What ``ailit check`` says about it."""
        if self.what == "directive":
            return (
                f"directive {{{self.name}}} is not supported: "
                "the page shows its content in a plain box, untranslated"
            )
        return f"role {{{self.name}}} is not supported: the page shows its text as plain text"


def unsupported(source: str, first: int = 0) -> Iterator[Unsupported]:
    """Every unknown directive and role of a markdown cell, nested ones included."""
    for token in shared_parser().parse(source):
        block = fence(token)
        if block is not None and token.map:
            row = first + token.map[0]
            entry = block.directive
            if entry is None:
                yield Unsupported(row + 1, "directive", block.name)
            if entry is None or entry.body:
                skip = option_lines(token.content.splitlines())
                yield from unsupported(block.body, row + 1 + skip)
        elif token.type == "inline" and token.map:
            for child in token.children or []:
                name = child.meta.get("name", "")
                if child.type == "myst_role" and role(name) is None:
                    at = token.content.find(f"{{{name}}}`")
                    lines = token.content.count("\n", 0, max(at, 0))
                    yield Unsupported(first + token.map[0] + lines + 1, "role", name)
