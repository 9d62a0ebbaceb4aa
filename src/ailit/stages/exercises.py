"""Exercises and solutions (sphinx-exercise): numbered; a solution collapsed for learners.

Gated ``{exercise-start}``/``{exercise-end}`` and ``{solution-start}``/``{solution-end}``
span cells: ``join_gated`` makes them one ``{exercise}`` or ``{solution}`` cell (code
cells in between become code blocks of its body), so the page, the handout and the
teacher guide see one block and a solution's code never reaches a learner's sheet.
"""

from __future__ import annotations

import html
import re
from typing import Any

import nbformat

from ailit.i18n.segment import fences, shared_parser
from ailit.model.directives import Directive, Fence, read_fence
from ailit.stages.references import References

#: gated openers -> the directive they stand for; closers
GATED = {"exercise-start": "exercise", "solution-start": "solution"}
ENDS = ("exercise-end", "solution-end")
_FENCES = ("fence", "colon_fence")


def _fenced(text: str, info: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    mark = "`" * max(3, longest + 1)
    return f"{mark}{info}\n{text.rstrip()}\n{mark}\n"


def _code_markdown(cell: nbformat.NotebookNode) -> str:
    """A code cell inside a gated block, as markdown: its code, then its text outputs."""
    parts = [_fenced(cell.source, "python")] if cell.source.strip() else []
    for output in cell.get("outputs", []):
        text = output.get("text") or output.get("data", {}).get("text/plain", "")
        if isinstance(text, list):
            text = "".join(text)
        if text and text.strip():
            parts.append(_fenced(text, "text"))
    return "\n".join(parts)


class _Open:
    def __init__(self, block: Fence) -> None:
        self.block = block
        self.parts: list[str] = []
        self.fallback: list[str] = []

    def cell(self) -> nbformat.NotebookNode:
        body = "\n".join(p.strip("\n") for p in self.parts if p.strip()) + "\n"
        options = "".join(
            f":{k}: {v}\n".replace(": \n", ":\n") for k, v in self.block.options.items()
        )
        name = GATED[self.block.name]
        source = _fenced(options + "\n" + body, "{" + name + "}" + (
            f" {self.block.title}" if self.block.title else ""))  # fmt: skip
        return nbformat.v4.new_markdown_cell(
            source, metadata={"ailit": {"fallback": self.fallback}}
        )


def _fallback(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.metadata.get("ailit", {}).get("fallback", []))


def _markdown(source: str, cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(source, metadata=dict(cell.metadata))


def join_gated(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with each gated exercise or solution as one cell (a copy)."""
    cells: list[nbformat.NotebookNode] = []
    opened: _Open | None = None
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            if opened is not None:
                opened.parts.append(_code_markdown(cell))
            else:
                cells.append(cell)
            continue
        lines = cell.source.splitlines(keepends=True)
        position = 0
        for token in shared_parser().parse(cell.source):
            if token.level or token.type not in _FENCES or not token.map:
                continue
            block = read_fence(token.info, token.content)
            if block is None or (block.name not in GATED and block.name not in ENDS):
                continue
            before = "".join(lines[position : token.map[0]])
            position = token.map[1]
            if opened is not None:
                opened.parts.append(before)
                opened.fallback += _fallback(cell)
                if block.name in ENDS:
                    cells.append(opened.cell())
                    opened = None
            else:
                if before.strip():
                    cells.append(_markdown(before, cell))
                if block.name in GATED:
                    opened = _Open(block)
                    opened.fallback += _fallback(cell)
        rest = "".join(lines[position:])
        if opened is not None:
            opened.parts.append(rest)
            opened.fallback += _fallback(cell)
        elif rest.strip():
            cells.append(_markdown(rest, cell) if position else cell)
    if opened is not None:
        cells.append(opened.cell())
    joined = nbformat.from_dict(dict(notebook))
    joined.cells = cells
    return joined


def exercise_numbers(sources: list[str]) -> dict[str, int]:
    """Each labelled exercise's number, from markdown cells in order (as the page counts)."""
    numbers: dict[str, int] = {}
    count = 0
    for source in sources:
        for block in fences(source):
            if block.name in ("exercise", "exercise-start") and "nonumber" not in block.options:
                count += 1
                label = block.options.get("label") or block.options.get("name")
                if label:
                    numbers[label] = count
    return numbers


def without_solutions(body: str) -> str:
    """A body with any solution inside it taken out (for the learner's handout)."""
    lines = body.splitlines(keepends=True)
    for token in reversed(shared_parser().parse(body)):
        block = read_fence(token.info, token.content) if token.type in _FENCES else None
        if block is not None and token.map and block.name in ("solution", "solution-start"):
            del lines[token.map[0] : token.map[1]]
    return "".join(lines)


def _label(options: Any) -> str:
    return options.get("label") or options.get("name") or ""


def exercise(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """A numbered exercise box ("Exercise 2 (its title)"), a dropdown when asked."""
    refs: References = renderer.page_text.references
    number = 0 if "nonumber" in block.options else refs.count("exercise")
    if "hidden" in block.options:
        return ""
    name = (
        refs.number_text("exercise", number)
        if number
        else renderer.page_text.directive_titles.get("exercise", "Exercise")
    )
    title = html.escape(name) + (f" ({heading})" if block.title else "")
    label = _label(block.options)
    ident = f' id="{html.escape(label)}"' if label else ""
    body = renderer.directive_body(block.body)
    if "dropdown" in block.options.get("class", "").split():
        return (
            f'<details class="admonition example ailit-exercise"{ident}>\n'
            f"<summary>{title}</summary>\n{body}</details>\n"
        )
    return (
        f'<div class="admonition example ailit-exercise"{ident}>\n'
        f'<p class="admonition-title">{title}</p>\n{body}</div>\n'
    )


def solution_title(refs: References, exercise: str, default: str) -> str:
    """ "Solution to Exercise N" in the locale, or the plain title when N is unknown."""
    link = refs.label(exercise)
    if link is None or not link.number:
        return default
    title = refs.number_text("solution", link.number)
    return f"{title} ({link.title})" if link.title and link.title != link.numbered else title


def solution(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """Collapsed on the learner's page; printed in the teacher guide page."""
    refs: References = renderer.page_text.references
    default = renderer.page_text.directive_titles.get("solution", "Solution")
    title = solution_title(refs, block.title, default)
    renderer.page_text.teacher_guides.append(
        (f"### {title}\n\n{block.body}", sorted(renderer.fallback))
    )
    if "hidden" in block.options:
        return ""
    label = _label(block.options)
    ident = f' id="{html.escape(label)}"' if label else ""
    return (
        f'<details class="admonition success ailit-solution"{ident}>\n'
        f"<summary>{html.escape(title)}</summary>\n{renderer.directive_body(block.body)}"
        "</details>\n"
    )


def nothing(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """A directive that shows nothing (``{index}``, a stray gated end)."""
    return ""
