"""Split module text into translation units and put translations back.

One unit per block (heading, paragraph, list item, table cell, directive title, ...),
inline markup kept inside the msgid, as Sphinx and mdpo do. Each unit remembers the
exact span of source it came from, so replacing every unit by itself gives back the
source byte for byte, and a translation lands exactly where its source was.
"""

from __future__ import annotations

import ast
import functools
import io
import itertools
import re
import tokenize
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from ailit.model.directives import (
    DIRECTIVE,
    Directive,
    Fence,
    body_roles,
    directive,
    option_lines,
    read_fence,
)
from ailit.model.quiz import Quiz, read_quiz


@dataclass(frozen=True)
class Unit:
    """One translatable piece of a cell: its msgid, what it is, and where it stands."""

    text: str
    kind: str
    line: int  # 1-based line within the cell source
    start: int  # character span of the unit in the cell source
    end: int
    prefix: str = ""  # what goes before each continuation line of a multi-line msgstr


def markdown_parser() -> MarkdownIt:
    """The one CommonMark parser used to segment, check and render module text.

    With MyST's syntax: directives in either fence style, roles, ``(label)=`` targets,
    ``%`` comments and ``+++`` breaks, footnotes, definition lists, and math (``$…$``,
    ``$$…$$ (label)``, amsmath environments) read as MyST reads it, so markdown never
    touches TeX.
    """
    return (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .use(colon_fence_plugin)
        .use(myst_block_plugin)
        .use(myst_role_plugin)
        .use(footnote_plugin)
        .use(deflist_plugin)
        .use(amsmath_plugin, renderer=lambda tex: _tex(tex, {"display_mode": True}))
        .use(
            dollarmath_plugin,
            allow_labels=True,
            allow_space=True,
            allow_digits=True,
            renderer=_tex,
            label_renderer=lambda label: "",
        )
    )


def _tex(tex: str, options: dict) -> str:
    """Math where ailit makes no MathML (handouts: Typst reads no MathML): the TeX as
    written, in monospace; the pages render math themselves (``stages.math``)."""
    if options.get("display_mode"):
        return f"<pre><code>{escapeHtml(tex)}</code></pre>"
    return f"<code>${escapeHtml(tex)}$</code>"


_PARSER = markdown_parser()


def shared_parser() -> MarkdownIt:
    """The parser for callers that only parse or render with the default renderer."""
    return _PARSER


_PREFIX = re.compile(
    r"(?:[^\S\r\n]|>|\[\^[^\]\s]+\]:|[-+*:~](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)|#{1,6}(?=[ \t]|$))*"
)
_TASK = re.compile(r"\[[ xX]\][ \t]+")
_IMAGE_ONLY = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_HARD_BREAK = re.compile(r"( {2,}|\\)$")


def segment_markdown(source: str) -> list[Unit]:
    """Return the translatable units of a markdown cell, in document order."""
    return list(_segment_markdown(source))


@functools.lru_cache(maxsize=4096)
def _segment_markdown(source: str) -> tuple[Unit, ...]:
    # cached: each locale of a build segments the same cells (units are frozen)
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return tuple(sorted(_segment(source, lines, offsets, 0, ()), key=lambda u: u.start))


def _segment(
    source: str,
    lines: list[str],
    offsets: list[int],
    first_line: int,
    directives: tuple[Directive, ...],
) -> Iterator[Unit]:
    """Walk the blocks of ``lines[first_line:]`` (a slice of ``source``) and yield units."""
    text = "".join(lines[first_line:])
    real = len(lines) - first_line
    tokens = _PARSER.parse(text + _cite_definitions(text))
    stack: list[str] = []
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1:
            stack.pop()
        if token.map and token.map[0] >= real:
            continue  # the citing paragraph added below
        if token.type in DIRECTIVE_FENCES and token.map and DIRECTIVE.fullmatch(token.info.strip()):
            yield from _directive(source, lines, offsets, first_line, token, directives)
        elif token.type == "inline" and token.map and stack and stack[-1] in ("th_open", "td_open"):
            continue  # table cells are cut from their row below: markdown-it unescapes \|
        elif token.type == "tr_open" and token.map:
            row = first_line + token.map[0]
            kind = "table header" if "thead_open" in stack else "table cell"
            yield from _table_row(source, lines, offsets, row, kind)
        elif token.type == "inline" and token.map and token.content.strip():
            if _only_math(token):
                continue  # a formula alone on its line: no words to translate
            kind, task = _kind(tokens, index, stack, directives)
            unit = _locate(lines, offsets, first_line + token.map[0], token.content, kind, task)
            if unit is not None:
                yield unit


_FOOTNOTE_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:", re.M)


def _cite_definitions(text: str) -> str:
    """A paragraph after the text citing its footnotes: markdown-it drops uncited ones, and
    a jupytext cell often holds definitions whose references are in another cell."""
    labels = _FOOTNOTE_DEFINITION.findall(text)
    return "\n\n" + "".join(f"[^{label}]" for label in labels) + "\n" if labels else ""


def _only_math(inline: Token) -> bool:
    """Whether a block holds inline math and nothing a reader reads as words."""
    children = inline.children or []
    return any(c.type == "math_inline" for c in children) and all(
        c.type in ("math_inline", "softbreak")
        or (c.type == "text" and not any(ch.isalnum() for ch in c.content))
        for c in children
    )


def _kind(
    tokens: list[Token], index: int, stack: list[str], directives: tuple[Directive, ...]
) -> tuple[str, bool]:
    """Name the block for the translator: what it is and, inside a directive, its role.

    Also says whether a leading task box (``[ ]``, ``[x]``) is markup to keep out of the msgid.
    """
    opener = tokens[index - 1].type if index else ""
    if opener == "heading_open":
        return "heading", False
    content = tokens[index].content.strip()
    if directives:
        inside = directives[-1]
        for role in body_roles(stack):
            if role in inside.body_kinds:
                return inside.body_kinds[role], role in inside.task_roles
    lists = [t for t in stack if t.endswith("_list_open")]
    if _IMAGE_ONLY.fullmatch(content):
        return "image alt text", False
    if "footnote_open" in stack:
        return "footnote", False
    if stack and stack[-1] == "dt_open":
        return "definition term", False
    if "dd_open" in stack:
        return "definition", False
    if "blockquote_open" in stack:
        return "quote", False
    if lists:
        return "list item", True
    return "paragraph", False


def _locate(
    lines: list[str], offsets: list[int], row: int, content: str, kind: str, task: bool = False
) -> Unit | None:
    """Find the span of an inline block's content in its source lines."""
    parts = content.split("\n")
    start = end = -1
    prefix = ""
    msgid_lines: list[str] = []
    for i, part in enumerate(parts):
        part = part.lstrip(" \t")  # what is left of a tab markdown-it expands to spaces
        line = lines[row + i].rstrip("\r\n")
        col = _content_column(line, part)
        if col < 0:
            return None  # cannot place it exactly: leave the block untranslated rather than guess
        if i == 0:
            box = _TASK.match(line, col) if task else None
            if box:
                col = box.end()
                part = line[col : col + len(part) - (box.end() - box.start())]
            start = offsets[row] + col
            prefix = "".join(c if c == ">" else " " for c in line[:col])
        elif i == 1:
            prefix = line[:col]
        end = offsets[row + i] + col + len(part.rstrip())
        stripped = part.rstrip()
        if i < len(parts) - 1 and _HARD_BREAK.search(part):
            msgid_lines.append(stripped.rstrip("\\").rstrip() + "\\\n")
        else:
            msgid_lines.append(stripped + (" " if i < len(parts) - 1 else ""))
    text = "".join(msgid_lines).strip()
    if not text:
        return None
    return Unit(text, kind, row + 1, start, end, prefix)


def _content_column(line: str, part: str) -> int:
    """Where ``part`` starts in ``line``: the last place preceded only by container markers."""
    stripped = part.rstrip()
    col = line.rfind(stripped)
    while col >= 0:
        if _PREFIX.fullmatch(line[:col]):
            return col
        col = line.rfind(stripped, 0, col + len(stripped) - 1)
    return -1


def _table_row(
    source: str, lines: list[str], offsets: list[int], row: int, kind: str
) -> Iterator[Unit]:
    """Cut a table row into cells on unescaped pipes (markdown-it unescapes ``\\|``)."""
    line = lines[row].rstrip("\r\n")
    bounds = [m.start() for m in re.finditer(r"(?<!\\)\|", line)]
    edges = [-1, *bounds, len(line)]
    for left, right in itertools.pairwise(edges):
        cell = line[left + 1 : right]
        if not cell.strip() or (left == -1 and bounds and not line[:right].strip()):
            continue
        lead = len(cell) - len(cell.lstrip())
        text = cell.strip()
        start = offsets[row] + left + 1 + lead
        kind_here = "image alt text" if _IMAGE_ONLY.fullmatch(text) else kind
        yield Unit(text, kind_here, row + 1, start, start + len(text))


def _directive(
    source: str,
    lines: list[str],
    offsets: list[int],
    first_line: int,
    token: Token,
    directives: tuple[Directive, ...],
) -> Iterator[Unit]:
    """A MyST colon fence: its title is a unit, its body is segmented like any markdown."""
    assert token.map is not None
    match = DIRECTIVE.fullmatch(token.info.strip())
    entry = directive(match.group(1)) if match else None
    if not match or entry is None:
        return
    title = match.group(2).strip()
    row = first_line + token.map[0]
    if title and entry.title_kind:
        line = lines[row]
        col = line.index(title, line.index("}") + 1)
        start = offsets[row] + col
        yield Unit(title, entry.title_kind, row + 1, start, start + len(title))
    body_end = first_line + token.map[1]
    if body_end > row + 1 and lines[body_end - 1].strip().startswith(token.markup):
        body_end -= 1  # the closing fence
    body_first = row + 1 + option_lines(lines[row + 1 : body_end])  # ":class: x" or a YAML block
    yield from _option_units(lines, offsets, row + 1, body_first, entry)
    if body_first >= body_end or not entry.body:
        return
    sub_lines = lines[:body_end]
    yield from _segment(source, sub_lines, offsets, body_first, (*directives, entry))


#: Token types of a fence that may write a directive: ``:::{name}`` and ```` ```{name} ````.
DIRECTIVE_FENCES = ("colon_fence", "fence")


_OPTION_VALUE = re.compile(r"[ \t]*:?([\w-]+):[ \t]+(.*?)[ \t]*$")


def _option_units(
    lines: list[str], offsets: list[int], first: int, end: int, entry: Directive
) -> Iterator[Unit]:
    """Units of the options a reader sees (``:caption: …``, ``:alt: …``), by the table."""
    for row in range(first, end):
        match = _OPTION_VALUE.match(lines[row].rstrip("\r\n"))
        if match and match.group(1) in entry.option_kinds and match.group(2):
            start = offsets[row] + match.start(2)
            kind = entry.option_kinds[match.group(1)]
            yield Unit(match.group(2), kind, row + 1, start, offsets[row] + match.end(2))


def fence(token: Token) -> Fence | None:
    """The directive a fence token writes (either fence style), if it names one."""
    return read_fence(token.info, token.content) if token.type in DIRECTIVE_FENCES else None


def fences(source: str) -> Iterator[Fence]:
    """Every directive block of a markdown cell, nested ones included, in document order."""
    for token in _PARSER.parse(source):
        found = fence(token)
        if found is not None:
            yield found
            yield from fences(token.content)


@functools.lru_cache(maxsize=1024)
def parse_quiz(body: str) -> Quiz:
    """The quiz a ``{quiz}`` body writes, parsed once for the page, the handout and the guide."""
    return read_quiz(_PARSER.parse(body), body)


def segment_code(source: str) -> list[Unit]:
    """Units of a code cell: comments, and string literals marked as ``_("...")``."""
    units: list[Unit] = []
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for tok, literal in _code_tokens(source):
        row, col = tok.start
        start = offsets[row - 1] + col
        if tok.type == tokenize.COMMENT:
            body = tok.string.lstrip("#")
            text = body.strip()
            if not text or text.startswith(("%%", "!", "noqa", "type:")):
                continue
            lead = len(tok.string) - len(body) + (len(body) - len(body.lstrip()))
            units.append(Unit(text, "code comment", row, start + lead, start + lead + len(text)))
        elif literal is not None:
            units.append(Unit(literal, "code string", row, start, start + len(tok.string)))
    return units


#: where MyST-NB keeps a code cell's figure texts in its metadata, and their unit kinds
FIGURE_FIELDS = (
    (("mystnb", "figure", "caption"), "figure caption"),
    (("mystnb", "image", "alt"), "image alt text"),
)


def figure_text(metadata: dict, path: tuple[str, ...]) -> str | None:
    """The text at ``path`` in a cell's metadata (``mystnb.figure.caption``), or None."""
    value: object = metadata
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def segment_figure(metadata: dict) -> list[Unit]:
    """Units of a code cell's metadata: the caption and alt text of the figure it draws."""
    units = []
    for path, kind in FIGURE_FIELDS:
        text = figure_text(metadata, path)
        if text is not None:
            units.append(Unit(text.strip(), kind, 1, 0, 0))
    return units


def replace_figure(metadata: dict, translate: Callable[[Unit], str | None]) -> None:
    """Put the translations of a cell's figure caption and alt text in its metadata."""
    for path, kind in FIGURE_FIELDS:
        text = figure_text(metadata, path)
        new = translate(Unit(text.strip(), kind, 1, 0, 0)) if text is not None else None
        if new is not None:
            place = metadata
            for key in path[:-1]:
                place = place[key]
            place[path[-1]] = new


def _code_tokens(source: str) -> Iterator[tuple[tokenize.TokenInfo, str | None]]:
    """Comments, and the string tokens of ``_("...")`` calls with their values."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return
    for i, tok in enumerate(tokens):
        if tok.type == tokenize.COMMENT:
            yield tok, None
        elif (
            tok.type == tokenize.STRING
            and i >= 2
            and i + 1 < len(tokens)
            and tokens[i - 2].string == "_"
            and tokens[i - 1].string == "("
            and tokens[i + 1].string == ")"
        ):
            value = _string_value(tok.string)
            if value is not None:
                yield tok, value


def _string_value(literal: str) -> str | None:
    """The value of a plain (not f-, not bytes) string literal, else None."""
    if literal[:1].lower() in ("f", "b") or literal[:2].lower() in ("rf", "fr", "br", "rb"):
        return None
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) and value.strip() else None


def python_literal(text: str) -> str:
    """A Python string literal for a translated string, using double quotes: backslash,
    quote, and every character that could end a line or is a control are escaped."""
    return '"' + "".join(_literal_char(c) for c in text) + '"'


def _literal_char(char: str) -> str:
    if char in '\\"':
        return "\\" + char
    if char == "\n":
        return "\\n"
    if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
        return f"\\u{ord(char):04x}"
    return char


#: every character str.splitlines, Python or IPython may end a line at
LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def unwrap_marked_strings(source: str) -> str:
    """Turn ``_("text")`` into ``"text"``, so the built notebook needs no ``_`` at all."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return source
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    cuts: list[tuple[int, int, str]] = []
    for i, tok in enumerate(tokens):
        if (
            tok.type == tokenize.STRING
            and i >= 2
            and i + 1 < len(tokens)
            and tokens[i - 2].type == tokenize.NAME
            and tokens[i - 2].string == "_"
            and tokens[i - 1].string == "("
            and tokens[i + 1].string == ")"
        ):
            name, close = tokens[i - 2], tokens[i + 1]
            start = offsets[name.start[0] - 1] + name.start[1]
            end = offsets[close.end[0] - 1] + close.end[1]
            cuts.append((start, end, tok.string))
    for start, end, literal in reversed(cuts):
        source = source[:start] + literal + source[end:]
    return source


def replace_units(
    source: str, units: list[Unit], translate: Callable[[Unit], str | None], code: bool = False
) -> str:
    """Put a translation in place of each unit; None or the unit's own text keeps the source."""
    pieces: list[str] = []
    cursor = 0
    for unit in units:
        new = translate(unit)
        if new is None or new == unit.text:
            continue
        if code and unit.kind == "code string":
            replacement = python_literal(new)
        elif code:  # a comment: one line whatever the translation holds
            replacement = LINE_BREAK.sub(" ", new)
        else:
            replacement = new.replace("\n", "\n" + unit.prefix)
        pieces.append(source[cursor : unit.start])
        pieces.append(replacement)
        cursor = unit.end
    pieces.append(source[cursor:])
    return "".join(pieces)
