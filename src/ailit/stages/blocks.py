"""Page renderers of MyST's block directives: boxes, dropdowns, proofs, tables, code, tabs, quotes.

Each takes the page renderer (``stages.render._Renderer``), the directive's table entry, its
heading (the author's title, or the entry's translated default) and the fence as written, and
returns HTML that ``stages.render.sanitize`` then cleans. Option values are never prose here:
only ``:class:`` names from ``CLASSES`` reach the page, ``:label:``/``:name:`` become ids.
"""

from __future__ import annotations

import html
import re
from typing import Any

from markdown_it.token import Token

from ailit.model.directives import Directive, Fence

#: ``:class:`` values an author may give a box, as the Material admonition type they show:
#: Material's own types, and MyST's admonition kinds by the type that looks like them.
_MATERIAL = "note abstract info tip success question warning failure danger bug example quote"
CLASSES = {
    **{name: name for name in _MATERIAL.split()},
    "hint": "tip",
    "important": "tip",
    "caution": "warning",
    "attention": "warning",
    "error": "danger",
    "seealso": "info",
}
#: A ``:class:`` that makes any box a collapsed ``<details>``.
DROPDOWN = "dropdown"
_ID = re.compile(r"[^\w.:-]+")


def classes(block: Fence) -> list[str]:
    """The ``:class:`` names of a directive, as written."""
    return block.options.get("class", "").split()


def anchor(block: Fence) -> str:
    """An ` id="…"` attribute from ``:label:`` or ``:name:``, else nothing."""
    label = block.options.get("label") or block.options.get("name") or ""
    label = _ID.sub("-", label.strip())
    return f' id="{html.escape(label)}"' if label else ""


def box(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """A titled Material admonition, or a collapsed ``<details>`` for a dropdown."""
    names = classes(block)
    css = next((CLASSES[n] for n in names if n in CLASSES), entry.css)
    kind = f"ailit-{entry.name.replace(':', '-')}"
    inner = renderer.directive_body(block.body)
    if entry.labelled and block.title:
        label = renderer.page_text.directive_titles.get(entry.name, entry.title)
        heading = f'<span class="ailit-kind">{html.escape(label)}</span> {heading}'
    if entry.name == DROPDOWN or DROPDOWN in names:
        opened = " open" if "open" in block.options else ""
        return (
            f'<details class="{css} {kind}"{anchor(block)}{opened}>\n'
            f"<summary>{heading}</summary>\n{inner}</details>\n"
        )
    return (
        f'<div class="admonition {css} {kind}"{anchor(block)}>\n'
        f'<p class="admonition-title">{heading}</p>\n{inner}</div>\n'
    )


def proof(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """A sphinx-proof box: "Theorem (its own title)", its ``:label:`` as the anchor."""
    kind = html.escape(renderer.page_text.directive_titles.get(entry.name, entry.title))
    if block.title:
        kind = f"{kind} ({heading})"
    return box(renderer, entry, kind, block)


def neutral(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """A directive ailit does not know: its content in a plain box, in the source language."""
    title = f'<p class="ailit-unknown-title">{heading}</p>\n' if block.title else ""
    inner = renderer.directive_body(block.body)
    attributes = renderer._source_attributes()
    return f'<div class="ailit-unknown"{attributes}>\n{title}{inner}</div>\n'


def code(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """``{code-block} python``: code shown as written, never translated; its caption above."""
    language = block.title.split()[0] if block.title else ""
    css = f' class="language-{html.escape(language)}"' if language else ""
    caption = block.options.get("caption", "")
    title = (
        f'<span class="filename">{renderer.parser.renderInline(caption)}</span>' if caption else ""
    )
    body = html.escape(block.body.strip("\n") + "\n")
    return (
        f'<div class="highlight"{anchor(block)}>{title}<pre><code{css}>{body}</code></pre></div>\n'
    )


def _figure(renderer: Any, heading: str, block: Fence, table: str) -> str:
    caption = f"<figcaption>{heading}</figcaption>\n" if block.title else ""
    return f'<figure class="ailit-table"{anchor(block)}>\n{caption}{table}</figure>\n'


def table(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """``{table} Caption`` around a markdown table."""
    return _figure(renderer, heading, block, renderer.directive_body(block.body))


def list_table(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """``{list-table}``: a list of rows, each a list of cells, as a real table."""
    try:
        header_rows = int(block.options.get("header-rows", "0") or 0)
    except ValueError:
        header_rows = 0
    tokens = renderer.parser.parse(block.body)
    rows = _rows(tokens)
    out = ["<table>"]
    for number, cells in enumerate(rows):
        tag = "th" if number < header_rows else "td"
        if number == 0 and header_rows:
            out.append("<thead>")
        if number == header_rows:
            out.append("<tbody>")
        rendered = (f"<{tag}>{_cell(renderer, cell)}</{tag}>" for cell in cells)
        out.append(f"<tr>{''.join(rendered)}</tr>")
        if number == header_rows - 1:
            out.append("</thead>")
    if len(rows) > header_rows:
        out.append("</tbody>")
    out.append("</table>\n")
    return _figure(renderer, heading, block, "\n".join(out))


def _rows(tokens: list[Token]) -> list[list[list[Token]]]:
    """The cells (their tokens) of each row of a two-level bullet list."""
    rows: list[list[list[Token]]] = []
    depth = 0
    cell: list[Token] | None = None
    for token in tokens:
        if token.type == "bullet_list_open":
            depth += 1
        elif token.type == "bullet_list_close":
            depth -= 1
        elif token.type == "list_item_open" and depth == 1:
            rows.append([])
        elif token.type == "list_item_open" and depth == 2 and rows:
            cell = []
            rows[-1].append(cell)
            continue
        elif token.type == "list_item_close" and depth == 2:
            cell = None
            continue
        if cell is not None and depth >= 2:
            cell.append(token)
    return rows


def _cell(renderer: Any, tokens: list[Token]) -> str:
    """A cell's blocks; a lone paragraph without its ``<p>``."""
    if sum(1 for t in tokens if t.type == "paragraph_open") == 1:
        for token in tokens:
            if token.type in ("paragraph_open", "paragraph_close"):
                token.hidden = True
    return str(renderer.render(tokens, renderer.parser.options, {})).strip()


def tab_set(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """``{tab-set}``: its tabs one under another (each a ``<details>``, see ``tab_item``)."""
    return (
        f'<div class="ailit-tab-set"{anchor(block)}>\n{renderer.directive_body(block.body)}</div>\n'
    )


def tab_item(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """``{tab-item} Title``: an open ``<details>``, so it reads without script, folds by keyboard."""
    inner = renderer.directive_body(block.body)
    return (
        f'<details class="note ailit-tab-item"{anchor(block)} open>\n'
        f"<summary>{heading}</summary>\n{inner}</details>\n"
    )


#: An attribution closing an epigraph: ``-- Name`` (or an em dash).
_ATTRIBUTION = re.compile(r"<p([^>]*)>(?:--|—|―)\s*(.*?)</p>\s*$", re.S)


def quote(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """``{epigraph}``, ``{pull-quote}``, ``{highlights}``: a block quote, attribution kept."""
    inner = renderer.directive_body(block.body)
    inner = _ATTRIBUTION.sub(r'<p class="attribution"><span\1>— \2</span></p>\n', inner)
    kind = f"ailit-{entry.name}"
    return f'<blockquote class="{kind}"{anchor(block)}>\n{inner}</blockquote>\n'
