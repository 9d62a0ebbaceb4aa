"""Printable A4 handouts: a module's lesson summary, activity and quiz, and its teacher guide.

WeasyPrint lays the text out with Pango and Debian's Noto fonts, so Arabic is shaped and
runs right to left, Chinese has real glyphs, and the PDF's text can be selected and
searched. Nothing is fetched: images are left out and every URL fetch is refused. A PDF
is cached by a hash of its HTML and the installed fonts, so an unchanged handout is reused.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from ailit.core.cache import Cache
from ailit.core.files import link_or_copy, write_atomic
from ailit.core.keys import fonts_key, version
from ailit.i18n.segment import fence, markdown_parser, parse_quiz, shared_parser
from ailit.model.directives import Fence
from ailit.stages.exercises import exercise_numbers, without_solutions
from ailit.stages.fallback import cell_fallback, mark_blocks, normal
from ailit.stages.references import References, role_text

_TAGS = {
    "a", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {"*": {"lang", "dir"}, "a": {"href"}, "ol": {"start"}}
_ABSOLUTE = re.compile(r"(https?:|mailto:)", re.I)

#: Noto families to try first, by language (fontconfig falls back for any other script).
_FONTS = {
    "ar": "Noto Naskh Arabic",
    "fa": "Noto Naskh Arabic",
    "ur": "Noto Nastaliq Urdu",
    "zh": "Noto Sans CJK SC",
    "zh_TW": "Noto Sans CJK TC",
    "zh_Hant": "Noto Sans CJK TC",
    "ja": "Noto Sans CJK JP",
    "ko": "Noto Sans CJK KR",
}
_FALLBACK_FONTS = '"Noto Sans", "Noto Naskh Arabic", "Noto Sans CJK SC", "DejaVu Sans", sans-serif'

_CSS = """
@page { size: A4; margin: 16mm 16mm 18mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #444; } }
html { font-family: FONTS; font-size: 10.5pt; line-height: 1.45; color: #111; }
body { margin: 0; }
header { border-bottom: 1.5pt solid #222; margin-bottom: 10pt; padding-bottom: 6pt; }
.course { margin: 0; color: #333; font-size: 9.5pt; }
h1 { font-size: 19pt; line-height: 1.2; margin: 2pt 0 4pt; }
h2 { font-size: 13.5pt; margin: 14pt 0 4pt; break-after: avoid; }
h3, h4, h5, h6 { font-size: 11pt; margin: 9pt 0 2pt; break-after: avoid; }
p { margin: 0 0 5pt; }
.facts { margin: 0; }
.facts div { display: inline-block; margin-inline-end: 14pt; }
.facts dt { display: inline; font-weight: bold; }
.facts dd { display: inline; margin: 0; }
.activity { border: 1.2pt solid #222; border-radius: 3pt; padding: 2pt 10pt 6pt; }
.who { margin: 4pt 0 10pt; }
.who span { display: inline-block; min-width: 45%; border-bottom: .8pt solid #222;
  padding-bottom: 10pt; margin-inline-end: 4%; }
.write { height: 45mm; border-bottom: .8pt solid #222; }
.quiz > ol > li { margin-bottom: 8pt; break-inside: avoid; }
.answers { list-style: none; padding-inline-start: 0; margin: 3pt 0 0; }
.answers li { margin: 2pt 0; }
.answers li::before { content: ""; display: inline-block; width: 8pt; height: 8pt;
  border: .8pt solid #222; margin-inline-end: 6pt; vertical-align: -1pt; }
table { border-collapse: collapse; margin: 4pt 0 8pt; }
th, td { border: .6pt solid #666; padding: 2pt 5pt; text-align: start; }
code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; }
pre { white-space: pre-wrap; }
a { color: inherit; }
"""


@dataclass
class Sheet:
    """What surrounds a handout's content, already in the locale's words."""

    language: str
    direction: str
    course: str
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    #: headings and labels: objectives, lesson, unplugged, quiz, name, date
    labels: dict[str, str] = field(default_factory=dict)
    #: the source language and its direction, for passages still shown untranslated
    source_language: str = "en"
    source_direction: str = "ltr"
    #: the module's references, so a ``{numref}`` prints "Figure 2"
    references: References | None = None

    def source(self) -> str:
        """``lang`` and ``dir`` attributes of a passage shown in the source language."""
        return f' lang="{self.source_language}" dir="{self.source_direction}"'


#: the references of the module whose handout is being made (roles print their words)
_REFERENCES: ContextVar[References | None] = ContextVar("handout_references", default=None)


@functools.cache
def _parser() -> MarkdownIt:
    """The module parser, with roles printed as their words (no link leads anywhere on paper)."""
    parser = markdown_parser()
    parser.add_render_rule("myst_role", _role)
    return parser


def _role(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    return html.escape(role_text(_REFERENCES.get(), token.meta.get("name", ""), token.content))


def module_html(notebook: nbformat.NotebookNode, sheet: Sheet) -> str:
    """Objectives, headings with their first paragraph, unplugged activities, quiz unanswered."""
    _REFERENCES.set(sheet.references)
    objectives: list[tuple[str, str]] = []  # (directive, html): headed by the first one's label
    lesson: list[str] = []
    activities: list[str] = []
    questions: list[tuple[str, str]] = []
    wants_paragraph = True
    numbers = itertools.count(1)
    for tokens, fallback in _markdown_cells(notebook):
        for index, token in enumerate(tokens):
            if token.level != 0:
                continue
            if token.type == "heading_open" and token.tag != "h1":
                level = min(int(token.tag[1]) + 1, 6)
                inline = tokens[index + 1]
                lesson.append(
                    f"<h{level}{_mark(inline, fallback, sheet)}>{_inline(inline.content)}</h{level}>"
                )
                wants_paragraph = True
            elif token.type == "paragraph_open" and wants_paragraph:
                text = _inline(tokens[index + 1].content)
                if re.sub(r"<[^>]*>", "", text).strip():
                    lesson.append(f"<p{_mark(tokens[index + 1], fallback, sheet)}>{text}</p>")
                    wants_paragraph = False
            elif (block := fence(token)) and block.directive:
                mode, label = block.directive.handout, block.name
                if mode == "objectives":
                    objectives.append((label, _block(_render_marked(block.body, fallback, sheet))))
                elif mode == "activity":
                    title = ""
                    if block.title:
                        isolated = normal(block.title) in fallback
                        title = _inline(block.title)
                        title = (
                            f": <bdi{sheet.source()}>{title}</bdi>" if isolated else f": {title}"
                        )
                    activities.append(
                        f'<section class="activity"><h2>{sheet.labels[label]}{title}</h2>'
                        f"{_block(_render_marked(block.body, fallback, sheet))}</section>"
                    )
                elif mode == "questions":
                    questions += [(label, q) for q in _questions(block.body, fallback, sheet)]
                elif mode == "exercise":
                    number = 0 if "nonumber" in block.options else next(numbers)
                    if "hidden" not in block.options:
                        activities.append(_exercise(block, fallback, sheet, number))
    parts = [_header(sheet)]
    if objectives:
        label = sheet.labels[objectives[0][0]]
        parts.append(_section(label, "".join(part for _, part in objectives)))
    if lesson:
        parts.append(_section(sheet.labels["lesson"], "\n".join(lesson)))
    parts += activities
    if questions:
        who = (
            f'<p class="who"><span>{html.escape(sheet.labels["name"])}:</span>'
            f"<span>{html.escape(sheet.labels['date'])}:</span></p>"
        )
        label = sheet.labels[questions[0][0]]
        parts.append(
            f'<section class="quiz"><h2>{html.escape(label)}</h2>{who}'
            f"<ol>{''.join(q for _, q in questions)}</ol></section>"
        )
    return _document(sheet, "\n".join(parts))


def guide_html(notebook: nbformat.NotebookNode, sheet: Sheet) -> str:
    """The module's objectives and its teacher guide, for the teacher's desk."""
    _REFERENCES.set(sheet.references)
    objectives: list[tuple[str, str]] = []
    guides: list[str] = []
    numbers = _exercise_numbers(notebook)
    for tokens, fallback in _markdown_cells(notebook):
        for token in tokens:
            block = fence(token)
            if block is None or block.directive is None:
                continue
            if block.directive.guide == "solution":
                number = numbers.get(block.title)
                label = sheet.labels.get("solution_to", "{number}").replace("{number}", str(number))
                heading = label if number else sheet.labels.get(block.name, block.name)
                body = _block(_render_marked(block.body, fallback, sheet))
                guides.append(f"<section>{_section(heading, body)}</section>")
            if block.directive.guide == "objectives":
                objectives.append((block.name, _block(_render_marked(block.body, fallback, sheet))))
            elif block.directive.guide == "full":
                guides.append(_block(_render_marked(block.body, fallback, sheet)))
    parts = [_header(sheet)]
    if objectives:
        label = sheet.labels[objectives[0][0]]
        parts.append(_section(label, "".join(part for _, part in objectives)))
    parts += guides
    return _document(sheet, "\n".join(parts))


def _exercise_numbers(notebook: nbformat.NotebookNode) -> dict[str, int]:
    return exercise_numbers([c.source for c in notebook.cells if c.cell_type == "markdown"])


def _exercise(block: Fence, fallback: set[str], sheet: Sheet, number: int) -> str:
    """An exercise as a worksheet question, with room to write; never its solution."""
    name = sheet.labels.get("exercise_number", "{number}").replace("{number}", str(number))
    heading = html.escape(name if number else sheet.labels.get("exercise", "Exercise"))
    if block.title:
        heading += f" ({_inline(block.title)})"
    body = _block(_render_marked(without_solutions(block.body), fallback, sheet))
    return f'<section class="exercise"><h2>{heading}</h2>{body}<div class="write"></div></section>'


def write_pdf(document: str, target: Path, cache: Path) -> bool:
    """Write ``document`` as a PDF at ``target``; True when it was laid out (not cached)."""
    key = hashlib.sha256(f"{version('weasyprint')}\n{fonts_key()}\n{document}".encode()).hexdigest()
    pdfs = Cache(cache, ".pdf")
    cached = pdfs.file(key, _whole_pdf)
    laid_out = cached is None
    target.parent.mkdir(parents=True, exist_ok=True)
    if cached is None:
        import weasyprint  # half a second to import: only when a handout is laid out

        pdf = weasyprint.HTML(string=document, url_fetcher=_refuse).write_pdf(
            font_config=_font_config()
        )
        cached = pdfs.write(key, pdf)
        if cached is None:  # the cache could not be written: the PDF itself still is
            write_atomic(target, pdf)
            return laid_out
    link_or_copy(cached, target)  # the same bytes: no second copy on disk
    return laid_out


def _whole_pdf(data: bytes) -> bool:
    """A PDF not cut short: it starts with its header and ends with its end-of-file mark."""
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


@functools.cache
def _font_config() -> Any:
    """One font configuration per process: a new one per handout loads the fonts again
    (a fifth of the time, and 600 MB instead of 220 MB for a worker laying out Chinese)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _refuse(url: str, *args: object, **kwargs: object) -> dict:
    """A handout fetches nothing: no network, no file outside its HTML."""
    raise ValueError(f"handouts load no resources ({url})")


def _markdown_cells(notebook: nbformat.NotebookNode) -> Iterator[tuple[list[Token], set[str]]]:
    """Each markdown cell's tokens, with the passages it still shows in the source language.

    Code and its outputs are never printed; a cell tagged ``remove-cell`` is not either.
    """
    parser = shared_parser()
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and "remove-cell" not in cell.metadata.get("tags", []):
            yield parser.parse(cell.source), cell_fallback(cell)


def _mark(inline: Token, fallback: set[str], sheet: Sheet) -> str:
    """The attributes of a block whose text is still the source language's, else nothing."""
    return sheet.source() if normal(inline.content) in fallback else ""


def _render_marked(body: str, fallback: set[str], sheet: Sheet) -> str:
    """A directive's body as HTML, each block shown in the source language given its
    ``lang`` and ``dir``, so English punctuation stays in place on a right-to-left sheet."""
    parser = _parser()
    tokens = parser.parse(body)
    mark_blocks(tokens, fallback, sheet.source_language, sheet.source_direction)
    renderer = parser.renderer
    assert isinstance(renderer, RendererHTML)
    out = []
    for index, token in enumerate(tokens):
        block = fence(token)
        if block is None:
            out.append(str(renderer.render(tokens[index : index + 1], parser.options, {})))
        else:
            out.append(_paper_directive(block, fallback, sheet))
    return "".join(out)


def _paper_directive(block: Fence, fallback: set[str], sheet: Sheet) -> str:
    """A directive inside a printed body: code as code, a box as a quote under its title."""
    entry = block.directive
    if entry is not None and entry.renderer == "code":
        return f"<pre><code>{html.escape(block.body.strip())}</code></pre>"
    if entry is not None and entry.renderer in ("quiz", "teacher-guide"):
        return ""
    inner = _render_marked(block.body, fallback, sheet)
    if entry is not None and entry.renderer == "quote":
        return f"<blockquote>{inner}</blockquote>"
    default = sheet.labels.get(block.name, "")
    title = _inline(block.title) if block.title else html.escape(default)
    if block.title and entry is not None and entry.renderer == "proof":
        title = f"{html.escape(default)} ({title})"
    heading = f"<p><strong>{title}</strong></p>" if title else ""
    return f"<blockquote>{heading}{inner}</blockquote>"


def _questions(body: str, fallback: set[str], sheet: Sheet) -> list[str]:
    """Each quiz question with its answers as boxes to tick; the answers' marks and feedback go.
    A question or answer still in the source language says so (``lang``, ``dir``)."""

    def item(text: str) -> str:
        return f"<li{sheet.source() if normal(text) in fallback else ''}>{_inline(text)}"

    return [
        item(question.text)
        + '<ul class="answers">'
        + "".join(f"{item(answer.text)}</li>" for answer in question.answers)
        + "</ul></li>"
        for question in parse_quiz(body).questions
    ]


#: A footnote reference ``[^label]``: its text is not printed, so neither is the mark.
_FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\]\s]+\](?!:)")


def _inline(markdown: str) -> str:
    return _block(_parser().renderInline(_FOOTNOTE_REFERENCE.sub("", markdown)))


def _block(rendered: str) -> str:
    """Sanitised HTML without images, and with links only where they lead somewhere on paper."""
    return nh3.clean(
        rendered,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=lambda tag, name, value: (
            value if name != "href" or _ABSOLUTE.match(value) else None
        ),
        link_rel=None,
    ).strip()


def _header(sheet: Sheet) -> str:
    esc = html.escape
    facts = "".join(f"<div><dt>{esc(k)}:</dt> <dd>{esc(v)}</dd></div>" for k, v in sheet.facts)
    return (
        f'<header><p class="course">{esc(sheet.course)}</p><h1>{esc(sheet.title)}</h1>'
        + (f'<dl class="facts">{facts}</dl>' if facts else "")
        + "</header>"
    )


def _section(heading: str, body: str) -> str:
    return f"<section><h2>{html.escape(heading)}</h2>{body}</section>"


def layout_weight(language: str) -> float:
    """How long a locale's handouts take to lay out, relative to a Latin-script locale:
    a CJK font is subset for every PDF (measured: 120 ms a handout against 50 ms)."""
    return 2.0 if "CJK" in _primary_font(language) else 1.0


def _primary_font(language: str) -> str:
    return _FONTS.get(language) or _FONTS.get(language.split("_")[0]) or ""


def _document(sheet: Sheet, body: str) -> str:
    language = sheet.language.replace("_", "-")
    font = _primary_font(sheet.language)
    fonts = (f'"{font}", ' if font else "") + _FALLBACK_FONTS
    return (
        f'<!doctype html>\n<html lang="{html.escape(language)}" dir="{sheet.direction}">\n'
        f'<head><meta charset="utf-8"><title>{html.escape(sheet.title)}</title>\n'
        f"<style>{_CSS.replace('FONTS', fonts)}</style></head>\n<body>\n{body}\n</body>\n</html>\n"
    )
