"""Math as MathML made at build time: no script, no fonts to ship, read by screen readers.

latex2mathml (pure Python) converts the TeX of ``$…$``, ``$$…$$ (label)``, the ``{math}``
role and directive and amsmath environments; the page sanitiser keeps only MathML's
presentation elements, so a link or a class written in TeX never reaches the page.
Labelled equations are numbered per module in document order, as MyST numbers them.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Iterator

from latex2mathml.converter import convert
from markdown_it.token import Token

from ailit.i18n.segment import fence, shared_parser

#: ``\cr`` (plain TeX's row end) as ``\\``; ``\label``, ``\nonumber``, ``\notag`` are for
#: numbering, which ailit does itself
_ROW_END = re.compile(r"\\cr(?![A-Za-z])")
_NUMBERING = re.compile(r"\\label\{[^{}]*\}|\\(?:nonumber|notag)(?![A-Za-z])")
#: amsmath's numbered environments as their unnumbered forms (ailit numbers by label)
_NUMBERED_ENV = re.compile(r"\\(begin|end)\{(equation|align|gather|multline|flalign|alignat)\}")


@functools.lru_cache(maxsize=8192)
def mathml(tex: str, display: bool) -> str | None:
    """The MathML of a TeX formula, or None when latex2mathml cannot read it."""
    source = _NUMBERING.sub("", _ROW_END.sub(r"\\\\", tex))
    source = _NUMBERED_ENV.sub(lambda m: f"\\{m.group(1)}{{{m.group(2)}*}}", source)
    if not source.strip():
        return ""
    try:
        return str(convert(source, display="block" if display else "inline"))
    except Exception:  # latex2mathml raises many kinds on TeX it does not know
        return None


def inline(tex: str) -> str:
    """Inline math; TeX it cannot read is shown as its source, in a code span."""
    made = mathml(tex, False)
    if made is None:
        return f'<code class="ailit-math-source">{html.escape(tex)}</code>'
    return f'<span class="ailit-math-inline">{made}</span>'


def display(tex: str, label: str = "", number: int | None = None) -> str:
    """Display math, with its number at the right when labelled (``#equation-<label>``)."""
    made = mathml(tex, True)
    if made is None:
        made = f'<pre class="ailit-math-source"><code>{html.escape(tex)}</code></pre>'
    anchor = f' id="equation-{html.escape(label)}"' if label else ""
    number_html = f'<span class="ailit-eqno">({number})</span>' if number is not None else ""
    return f'<div class="ailit-math" dir="ltr"{anchor}>{made}{number_html}</div>\n'


def equation_numbers(sources: Iterable[str]) -> dict[str, int]:
    """Each labelled equation's number in a module: 1, 2, … in document order."""
    numbers: dict[str, int] = {}
    for source in sources:
        for label in labels(source):
            numbers.setdefault(label, len(numbers) + 1)
    return numbers


def labels(source: str) -> Iterator[str]:
    """The equation labels a markdown text defines, nested directives included, in order."""
    for token in walk(source):
        if token.type == "math_block_label" and token.info:
            yield token.info
        block = fence(token)
        if block is not None and block.name == "math" and block.options.get("label"):
            yield block.options["label"].strip()


def walk(source: str, skip: tuple[str, ...] = ()) -> Iterator[Token]:
    """Every token of a markdown text in document order: inline ones, directive bodies too
    (but those of the directives named in ``skip``)."""
    for token in shared_parser().parse(source):
        yield token
        yield from _children(token.children or [])
        block = fence(token)
        if block is not None and block.name != "math" and block.name not in skip:
            yield from walk(block.body, skip)


def _children(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from _children(token.children or [])
