"""Printable A4 handouts: a module's lesson summary, activity and quiz, and its teacher guide.

The handout is first written as HTML through the same sanitiser (nh3) as every page, then
walked into data that Typst's template lays out (stages.typst_sheet, stages.typst_pdf):
no translated word is ever read as Typst markup. Debian's Noto fonts shape Arabic right
to left and give Chinese real glyphs, and the PDF's text can be selected and searched.
Nothing is fetched; the only images are the build's own plots. A PDF is cached by a hash
of its HTML and ailit's code, libraries and fonts, so an unchanged handout is reused.
"""

from __future__ import annotations

import csv
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
from ailit.core.keys import package_key
from ailit.i18n.segment import fence, markdown_parser, parse_quiz, shared_parser
from ailit.model.directives import Fence
from ailit.stages.exercises import exercise_numbers, without_solutions
from ailit.stages.fallback import cell_fallback, mark_blocks, normal
from ailit.stages.references import References, role_text
from ailit.stages.typst_pdf import compile_pdf, fonts_for, primary_font
from ailit.stages.typst_sheet import sheet_data

_TAGS = {
    "a", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {"*": {"lang", "dir"}, "a": {"href"}, "ol": {"start"}}
_ABSOLUTE = re.compile(r"(https?:|mailto:)", re.I)


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
    #: the locale's data files of the module (name: path); the guide prints the small tables
    data: dict[str, Path] = field(default_factory=dict)

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
    """Objectives, headings with their first paragraph and what it introduces (a list,
    table or formula after a closing colon), the plots, unplugged activities, quiz unanswered."""
    _REFERENCES.set(sheet.references)
    objectives: list[tuple[str, str]] = []  # (directive, html): headed by the first one's label
    lesson: list[str] = []
    activities: list[str] = []
    questions: list[tuple[str, str]] = []
    wants_paragraph = True
    introduced = False  # the last kept paragraph ends with a colon: what follows is kept
    numbers = itertools.count(1)
    for cell in notebook.cells:
        if "remove-cell" in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "code":
            figures = _figures(cell)
            lesson += figures
            introduced = introduced and not figures
            continue
        if cell.cell_type != "markdown":
            continue
        tokens, fallback = shared_parser().parse(cell.source), cell_fallback(cell)
        for index, token in enumerate(tokens):
            if token.level != 0 or token.type.endswith("_close"):
                continue
            if token.type == "heading_open" and token.tag != "h1":
                level = min(int(token.tag[1]) + 1, 6)
                inline = tokens[index + 1]
                lesson.append(
                    f"<h{level}{_mark(inline, fallback, sheet)}>{_inline(inline.content)}</h{level}>"
                )
                wants_paragraph, introduced = True, False
            elif token.type == "paragraph_open":
                text = _inline(tokens[index + 1].content)
                if wants_paragraph and re.sub(r"<[^>]*>", "", text).strip():
                    lesson.append(f"<p{_mark(tokens[index + 1], fallback, sheet)}>{text}</p>")
                    wants_paragraph = False
                    introduced = _introduces(tokens[index + 1].content)
                else:
                    introduced = False
            elif (block := fence(token)) and block.directive:
                mode, label = block.directive.handout, block.name
                if mode == "omitted" and introduced:  # a formula or figure a sentence needs
                    lesson.append(_paper_directive(block, fallback, sheet))
                    continue
                introduced = False
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
            elif introduced:
                lesson.append(_introduced(tokens, index, fallback, sheet))
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


#: A sentence that introduces what follows it ends with a colon (any script's).
_COLON = re.compile(r"[:\uff1a\ufe55]\s*$")
#: A list item that asks the learner something ends with a question mark (any script's).
_ASKS = re.compile(r"[?\uff1f\u061f]\s*(</[a-z]+>\s*)*$")


def _introduces(markdown: str) -> bool:
    """Whether a paragraph ends on a colon, so the list, table or formula after it belongs."""
    return bool(_COLON.search(_FOOTNOTE_REFERENCE.sub("", markdown)))


def _introduced(tokens: list[Token], index: int, fallback: set[str], sheet: Sheet) -> str:
    """A top-level block that a kept sentence introduces, as sanitised HTML; a list item
    that asks a question gets lines to write the answer on."""
    token = tokens[index]
    end = index
    if token.nesting == 1:
        depth = 0
        for end in range(index, len(tokens)):
            depth += tokens[end].nesting
            if depth == 0:
                break
    if token.type in ("math_block", "math_block_label", "amsmath"):
        return f"<pre><code>{html.escape(token.content.strip())}</code></pre>"
    if (block := fence(token)) is not None:
        return _paper_directive(block, fallback, sheet)
    part = tokens[index : end + 1]
    mark_blocks(part, fallback, sheet.source_language, sheet.source_direction)
    parser = _parser()
    renderer = parser.renderer
    assert isinstance(renderer, RendererHTML)
    rendered = _block(str(renderer.render(part, parser.options, {})))
    return re.sub(
        r"<li([^>]*)>(.*?)</li>",
        lambda m: (
            f"<li{m[1]}>{m[2]}"
            + ('<div class="write" data-lines="2"></div>' if _ASKS.search(m[2]) else "")
            + "</li>"
        ),
        rendered,
        flags=re.S,
    )


def _figures(cell: nbformat.NotebookNode) -> list[str]:
    """A code cell's plots, as images the build made (a quiz may ask about them)."""
    if "remove-output" in cell.metadata.get("tags", []):
        return []
    found = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data:
            png = "".join(data["image/png"]).replace("\n", "")
            found.append(f'<figure><img src="data:image/png;base64,{png}"></figure>')
    return found


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
    parts += _data_tables(notebook, sheet)
    return _document(sheet, "\n".join(parts))


#: A data table small enough to copy onto cards or a board from the teacher's sheet.
_MOST_ROWS = 60


def _data_tables(notebook: nbformat.NotebookNode, sheet: Sheet) -> list[str]:
    """Each small CSV table the notebook reads, in full: an unplugged activity without
    computers (cards, a board) needs the same data the code works on."""
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    tables = []
    for name, path in sorted(sheet.data.items()):
        if path.suffix != ".csv" or f"data/{name}" not in code:
            continue
        with path.open(encoding="utf-8", newline="") as lines:
            rows = [row for row in csv.reader(lines) if row]
        if not rows or len(rows) > _MOST_ROWS + 1:
            continue
        head = "".join(f"<th>{html.escape(cell)}</th>" for cell in rows[0])
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
            for row in rows[1:]
        )
        table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        tables.append(_section(f"data/{name}", table))
    return tables


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
    key = hashlib.sha256(f"{package_key()}\n{document}".encode()).hexdigest()
    pdfs = Cache(cache, ".pdf")
    cached = pdfs.file(key, _whole_pdf)
    laid_out = cached is None
    target.parent.mkdir(parents=True, exist_ok=True)
    if cached is None:
        images = cache / "images"

        def store(data: bytes, extension: str) -> str:
            name = f"{hashlib.sha256(data).hexdigest()}.{extension}"
            if not (images / name).is_file():
                write_atomic(images / name, data)
            return f"/{name}"

        language = re.search(r'<html lang="([^"]*)"', document)
        code = language.group(1).replace("-", "_") if language else "en"
        pdf = compile_pdf(sheet_data(document, store, fonts_for(code)), images)
        cached = pdfs.write(key, pdf)
        if cached is None:  # the cache could not be written: the PDF itself still is
            write_atomic(target, pdf)
            return laid_out
    link_or_copy(cached, target)  # the same bytes: no second copy on disk
    return laid_out


def _whole_pdf(data: bytes) -> bool:
    """A PDF not cut short: it starts with its header and ends with its end-of-file mark."""
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


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
    if entry is not None and entry.renderer in ("code", "math"):
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
    A question without answers to choose from gets lines to write on. A question or answer
    still in the source language says so (``lang``, ``dir``)."""

    def item(text: str) -> str:
        return f"<li{sheet.source() if normal(text) in fallback else ''}>{_inline(text)}"

    return [
        item(question.text)
        + (
            '<ul class="answers">'
            + "".join(f"{item(answer.text)}</li>" for answer in question.answers)
            + "</ul>"
            if question.answers
            else '<div class="write" data-lines="3"></div>'
        )
        + "</li>"
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
    """How long a locale's handouts take to lay out, relative to a Latin-script locale."""
    return 1.5 if "CJK" in primary_font(language) else 1.0


def _document(sheet: Sheet, body: str) -> str:
    language = sheet.language.replace("_", "-")
    return (
        f'<!doctype html>\n<html lang="{html.escape(language)}" dir="{sheet.direction}">\n'
        f'<head><meta charset="utf-8"><title>{html.escape(sheet.title)}</title></head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )
