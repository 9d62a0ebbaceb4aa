"""``{figure}`` and ``{image}`` on the page: numbered, captioned, local files only.

A remote image is never referenced (the site works offline; ``ailit check`` says so):
its alt text stands in its place.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from markdown_it.token import Token

from ailit.model.directives import Directive, Fence
from ailit.model.targets import code_figure as figure_metadata
from ailit.model.targets import plain
from ailit.stages.references import References, image_src

_LENGTH = re.compile(r"\d+(\.\d+)?(px|%|em|rem|cm|mm|in|pt|vw)?")
_ALIGN = ("left", "center", "right")


def _length(value: str) -> str:
    value = value.strip()
    if not _LENGTH.fullmatch(value):
        return ""
    return value if not value[-1].isdigit() else value + "px"


def _classes(base: str, options: dict[str, str] | Any) -> str:
    classes = [base]
    if options.get("align") in _ALIGN:
        classes.append(f"align-{options['align']}")
    classes += [c for c in options.get("class", "").split() if re.fullmatch(r"[\w-]+", c)]
    return " ".join(classes)


def _id(options: Any) -> str:
    label = options.get("name") or options.get("label") or ""
    return f' id="{html.escape(label)}"' if label else ""


def img(refs: References, path: str, options: Any, css: str = "") -> str:
    """The ``<img>`` of a local file (or the alt text in place of a remote one)."""
    alt = options.get("alt", "")
    src = image_src(refs, path)
    if src is None:
        return f'<span class="ailit-image-missing">{html.escape(alt)}</span>'
    style = []
    for name in ("width", "height"):
        length = _length(options.get(name, ""))
        if length:
            style.append(f"{name}: {length}")
    scale = options.get("scale", "").rstrip("%").strip()
    if scale.isdigit() and not style:
        style.append(f"width: {int(scale)}%")
    attrs = f' class="{css}"' if css else ""
    attrs += f' style="{"; ".join(style)}"' if style else ""
    tag = f'<img{attrs} src="{html.escape(src)}" alt="{html.escape(alt)}" loading="lazy">'
    target = options.get("target", "")
    if target:
        tag = f'<a href="{html.escape(target)}">{tag}</a>'
    return tag


def _caption(body: str, parse: Any) -> tuple[str, str]:
    """A figure body's first paragraph (the caption) and the rest (the legend)."""
    tokens: list[Token] = parse(body)
    lines = body.splitlines(keepends=True)
    for token in tokens:
        if token.type == "paragraph_open" and token.level == 0 and token.map:
            start, end = token.map
            return "".join(lines[start:end]).strip(), "".join(lines[end:])
    return "", body


def figure(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """A numbered figure: the image, "Figure N" and its caption, then its legend."""
    refs: References = renderer.page_text.references
    number = refs.count("figure")
    caption, legend = _caption(block.body, renderer.parser.parse)
    label = refs.number_text("figure", number)
    text = renderer.parser.renderInline(caption) if caption else ""
    inner = f'<span class="ailit-number">{html.escape(label)}</span> {text}'.strip()
    rest = renderer.directive_body(legend) if legend.strip() else ""
    return (
        f'<figure class="{_classes("ailit-myst-figure", block.options)}"{_id(block.options)}>\n'
        f"{img(refs, block.title, block.options)}\n"
        f"<figcaption>\n<p>{inner}</p>\n{rest}</figcaption>\n</figure>\n"
    )


def image(renderer: Any, entry: Directive, heading: str, block: Fence) -> str:
    """An image on its own line, with its options."""
    refs: References = renderer.page_text.references
    tag = img(refs, block.title, block.options, _classes("ailit-image", block.options))
    return f"<p{_id(block.options)}>{tag}</p>\n"


def code_figure(
    cell: Any, text: Any, inline: Callable[[str], str] | None = None
) -> tuple[str, str]:
    """What goes around a code cell's outputs when MyST-NB metadata makes them a figure:
    the opening ``<figure>`` and, after the outputs, "Figure N" and the caption (its
    markdown rendered by ``inline``, which returns safe HTML; else plain text)."""
    found = figure_metadata(cell.metadata)
    if found is None:
        return "", ""
    refs: References = text.references
    label = refs.number_text("figure", refs.count("figure"))
    ident = f' id="{html.escape(found[0])}"' if found[0] else ""
    caption = inline(found[1]) if inline else html.escape(plain(found[1]))
    return (
        f'<figure class="ailit-myst-figure"{ident}>',
        f'<figcaption><p><span class="ailit-number">{html.escape(label)}</span> {caption}</p>'
        "</figcaption></figure>",
    )
