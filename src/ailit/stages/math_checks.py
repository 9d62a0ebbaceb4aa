"""``ailit check`` on a module's source: equation references, TeX, citation keys, BibTeX."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from markdown_it.token import Token

from ailit.core.errors import AilitError
from ailit.i18n.codes import CheckCode
from ailit.i18n.segment import fence, shared_parser
from ailit.model import bibliography
from ailit.model.course import Module
from ailit.model.directives import option_lines
from ailit.stages.math import equation_numbers, mathml

#: (path, line, severity, code, message)
Problem = tuple[Path, int | None, str, CheckCode, str]

_MATH = ("math_inline", "math_block", "math_block_label", "amsmath")


def module_problems(module: Module, bib: Path | None) -> list[Problem]:
    """Unknown ``{eq}`` labels and citation keys, TeX MathML cannot show, a broken .bib."""
    sources = [
        (i, c.source) for i, c in enumerate(module.notebook.cells) if c.cell_type == "markdown"
    ]
    numbers = equation_numbers(source for _, source in sources)
    references: dict[str, bibliography.Reference] | None = None
    problems: list[Problem] = []
    cites = False
    for index, source in sources:
        for row, token in _located(source, 0):
            line = module.cell_lines[index] + row
            block = fence(token)
            tex = block.body if block is not None and block.name == "math" else token.content
            if token.type in _MATH or _is(token, "math") or tex is not token.content:
                if mathml(tex, token.type not in ("math_inline", "myst_role")) is None:
                    problems.append((module.path, line, "warning", CheckCode.EQUATION,
                                     f"TeX cannot be shown as MathML, the page shows its source: {tex[:60]!r}"))  # fmt: skip
            elif _is(token, "eq") and token.content.strip() not in numbers:
                problems.append((module.path, line, "error", CheckCode.EQUATION,
                                 f"{{eq}} refers to no labelled equation of this module: {token.content!r}"))  # fmt: skip
            elif token.type == "myst_role" and token.meta.get("name") in bibliography.CITE_ROLES:
                if not cites:
                    cites = True
                    references, error = _references(module, bib)
                    problems += [error] if error else []
                for key in bibliography.keys(token.content):
                    if bib is not None and references is not None and key not in references:
                        problems.append((module.path, line, "error", CheckCode.CITATION,
                                         f"citation key {key!r} is not in {bib.name}"))  # fmt: skip
    return problems


def _references(
    module: Module, bib: Path | None
) -> tuple[dict[str, bibliography.Reference] | None, Problem | None]:
    """The course's entries, or the one problem that stands for every citation."""
    if bib is None:
        name = bibliography.DEFAULT_FILE
        return None, (module.path, None, "error", CheckCode.CITATION,
                      f"the module cites but its course has no bibliography ({name})")  # fmt: skip
    try:
        return bibliography.load(bib).references, None
    except AilitError as exc:
        return None, (bib, exc.line, "error", CheckCode.CITATION, exc.message)


def _is(token: Token, name: str) -> bool:
    return token.type == "myst_role" and token.meta.get("name") == name


def _located(source: str, first: int) -> Iterator[tuple[int, Token]]:
    """Every token with its 0-based line in the cell (inline ones take their block's)."""
    row = first
    for token in shared_parser().parse(source):
        if token.map:
            row = first + token.map[0]
        yield row, token
        for child in token.children or []:
            yield row, child
        block = fence(token)
        if block is not None and block.name != "math":
            lines = token.content.splitlines()
            yield from _located(block.body, row + 1 + option_lines(lines))
