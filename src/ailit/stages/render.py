"""Executed notebook -> page: nbconvert with ailit's template; outputs extracted beside it.

Markdown cells are rendered with the same markdown-it parser that segments them, then
sanitised with nh3, so a translation can never put a script or an event handler in a
page, whatever the checks missed. Headings stay markdown so mkdocs builds the table of
contents and search sections from them.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import nh3
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.tasklists import tasklists_plugin
from nbconvert.exporters import MarkdownExporter

from ailit.core import paths
from ailit.i18n.segment import fence, figure_text, markdown_parser, parse_quiz, shared_parser
from ailit.model.bibliography import Reference
from ailit.model.directives import NEUTRAL, Directive, Fence
from ailit.model.quiz import answer_letter
from ailit.model.roles import Role, role
from ailit.model.targets import EXECUTION, is_remote
from ailit.stages import blocks, citations, exercises, figures, footnotes, math, references
from ailit.stages.fallback import mark_blocks, normal
from ailit.stages.references import References

TEMPLATES = paths.TEMPLATES / "nbconvert"

_TAGS = {
    "a", "abbr", "b", "bdi", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd",
    "li", "ol", "p", "pre", "s", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul", "label", "input", "button", "fieldset",
    "legend", "form",
}  # fmt: skip
# MathML's presentation elements, as latex2mathml writes them (no semantics, no href)
_TAGS |= {
    "math", "mrow", "mi", "mn", "mo", "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot",
    "mtext", "mspace", "mtable", "mtr", "mtd", "mover", "munder", "munderover", "mstyle",
    "mpadded", "mphantom", "menclose",
}  # fmt: skip
_ATTRIBUTES = {
    "*": {"class", "lang", "dir", "id", "title", "role", "aria-live", "aria-label", "hidden"},
    "a": {"href", "hreflang", "download"},
    "img": {"src", "alt", "width", "height", "loading", "style"},
    "th": {"style", "scope"},
    "td": {"style"},
    "ol": {"start"},
    "li": {"value"},
    "input": {"type", "name", "value", "checked", "disabled"},
    "details": {"open"},
    "button": {"type"},
    "div": {"data-correct"},
    "label": {"data-correct"},
    "section": {"data-right", "data-wrong"},
    "math": {"display"},
    "mi": {"mathvariant"},
    "mn": {"mathvariant"},
    "mo": {"stretchy", "fence", "form", "accent", "minsize", "maxsize", "movablelimits"},
    "mover": {"accent"},
    "mfrac": {"linethickness"},
    "mspace": {"width"},
    "mpadded": {"width"},
    "mstyle": {"displaystyle", "scriptlevel"},
    "mtable": {"displaystyle", "rowspacing", "columnspacing", "rowlines", "columnlines"},
    "mtd": {"columnalign"},
    "menclose": {"notation"},
}
_SCHEMES = {"http", "https", "mailto"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#{}!<>|])")


def sanitize(fragment: str) -> str:
    """Keep only allowlisted tags, attributes and URL schemes."""
    return nh3.clean(
        fragment,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        filter_style_properties={"text-align", "width", "height"},
        link_rel="noopener noreferrer",
        attribute_filter=_local_images,
    )


def _local_images(tag: str, name: str, value: str) -> str | None:
    """An image on another site is never loaded: the site works offline."""
    return None if tag == "img" and name == "src" and is_remote(value) else value


@dataclass
class PageText:
    """The site's words a page needs (already translated), and how to call a directive."""

    gettext: Callable[[str], str]
    figure_alt: str = "Figure made by the code above"
    directive_titles: dict[str, str] = field(default_factory=dict)
    source_language: str = "en"
    #: the page's language: its quiz letters (``model.quiz.answer_letter``)
    language: str = "en"
    #: the source language's direction (CLDR via Babel): fallbacks keep it on any page
    source_direction: str = "ltr"
    quiz_right: str = "Right!"
    quiz_wrong: str = "Not quite. Read the feedback and try again."
    untranslated: str = "Not yet translated: shown in English."
    #: the <summary> of a cell part folded by a hide-input, hide-output or hide-cell tag
    show_code: str = "Show code"
    show_output: str = "Show output"
    show_cell: str = "Show code and output"
    #: the module's footnotes, numbered across its cells (``stages.footnotes``)
    footnotes: footnotes.Footnotes = field(default_factory=footnotes.Footnotes)
    #: teacher-guide bodies met while rendering (markdown, fallback texts): their own page
    teacher_guides: list[tuple[str, list[str]]] = field(default_factory=list)
    #: the module's labelled equations and their numbers (``stages.math.equation_numbers``)
    equations: dict[str, int] = field(default_factory=dict)
    #: the course's BibTeX entries, and the keys the module cites (for ``{bibliography}``)
    bibliography: dict[str, Reference] = field(default_factory=dict)
    cited: list[str] = field(default_factory=list)
    #: labels, numbers and modules a page's references and figures resolve against
    references: References = field(default_factory=References)


class _Renderer(RendererHTML):
    """markdown-it's HTML renderer, plus MyST directives as Material admonitions."""

    def __init__(self, parser: Any, text: PageText, fallback: set[str]):
        super().__init__(parser)
        self.parser = parser
        self.page_text = text
        self.fallback = fallback
        self.directive_body: Callable[[str], str] = lambda body: ""

    def colon_fence(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        block = fence(token)
        if block is None:
            return "<pre><code>" + html.escape(token.content) + "</code></pre>\n"
        return self.directive(block)

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        """A backtick fence: a directive when its info is ``{name}``, else code."""
        block = fence(tokens[idx])
        if block is None:
            return str(super().fence(tokens, idx, options, env))
        return self.directive(block)

    def directive(self, block: Fence) -> str:
        """A directive block, either fence style, by its table entry's renderer."""
        if EXECUTION.fullmatch(block.name):
            return ""  # glue needs the notebook's outputs: ailit check warns
        heading = self._title(block.name, block.title)
        entry = block.directive
        if entry is None:  # unknown: its content in a neutral box
            rendered = blocks.neutral(self, NEUTRAL, heading, block)
        else:
            rendered = RENDERERS[entry.renderer](self, entry, heading, block)
        label = block.options.get("name") or block.options.get("label")
        if label and f' id="{html.escape(label)}"' not in rendered:
            rendered = f'<span id="{html.escape(label)}"></span>\n' + rendered
        return rendered

    def link_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """A link to another module's file goes to its page."""
        token = tokens[idx]
        href = token.attrGet("href")
        if href:
            token.attrSet("href", references.link_href(self.page_text.references, str(href)))
        return str(self.renderToken(tokens, idx, options, env))

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        """A markdown image: a local file copied with the page; a remote one is not loaded."""
        token = tokens[idx]
        src = references.image_src(self.page_text.references, str(token.attrGet("src") or ""))
        if src is None:
            alt = self.renderInlineAsText(token.children or [], options, env)
            return f'<span class="ailit-image-missing">{html.escape(alt)}</span>'
        token.attrSet("src", src)
        return str(super().image(tokens, idx, options, env))

    def myst_role(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """A role by its table entry's renderer; one ailit does not know shows its content."""
        token = tokens[idx]
        entry = role(token.meta.get("name", ""))
        if entry is None:
            return f'<span class="ailit-role">{html.escape(token.content)}</span>'
        return ROLE_RENDERERS[entry.renderer](self, entry, token)

    def myst_target(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """A ``(label)=`` target: an anchor for the block after it."""
        return f'<span id="{html.escape(tokens[idx].content)}"></span>\n'

    def myst_line_comment(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """A ``%`` comment is for authors: nothing on the page."""
        return ""

    def myst_block_break(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """A ``+++`` break splits cells in jupytext: nothing on the page."""
        return ""

    def math_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """``$…$``: MathML in the line."""
        return math.inline(tokens[idx].content)

    def math_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """``$$…$$``: display MathML, numbered when labelled (``$$…$$ (label)``)."""
        label = tokens[idx].info if tokens[idx].type == "math_block_label" else ""
        return math.display(tokens[idx].content, label, self.page_text.equations.get(label))

    math_block_label = math_block

    def amsmath(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        """An amsmath environment (``\\begin{align}…``) written at block level."""
        return math.display(tokens[idx].content)

    def math_directive(self, entry: Directive, heading: str, block: Fence) -> str:
        """A ``{math}`` directive, numbered when it has a ``:label:``."""
        label = block.options.get("label", "").strip()
        tex = "\n".join(t for t in (block.title, block.body) if t.strip())
        return math.display(tex, label, self.page_text.equations.get(label))

    def bibliography(self, entry: Directive, heading: str, block: Fence) -> str:
        """The module's reference list where the author places it."""
        return citations.reference_list(self.page_text.cited, self.page_text.bibliography)

    def math_role(self, entry: Role, token: Token) -> str:
        return math.inline(token.content)

    def eq_role(self, entry: Role, token: Token) -> str:
        """``{eq}`label```: the equation's number as a link to it."""
        label = token.content.strip()
        number = self.page_text.equations.get(label)
        if number is None:
            return f'<span class="ailit-role">{html.escape(token.content)}</span>'
        return f'<a class="ailit-eq" href="#equation-{html.escape(label)}">({number})</a>'

    def cite_role(self, entry: Role, token: Token) -> str:
        return citations.citation(entry.name, token.content, self.page_text.bibliography)

    def admonition(self, entry: Directive, heading: str, block: Fence) -> str:
        """A titled Material admonition box around the rendered body (a dropdown: folded)."""
        return blocks.box(self, entry, heading, block)

    def teacher_guide(self, entry: Directive, heading: str, block: Fence) -> str:
        """Nothing on the learner's page: the body goes to the module's teacher page."""
        self.page_text.teacher_guides.append((block.body, sorted(self.fallback)))
        return ""

    def quiz(self, entry: Directive, heading: str, block: Fence) -> str:
        """Questions as fieldsets of radio buttons, each answer with its feedback.

        Without JavaScript every feedback is shown under its answer; ailit.js hides them
        and reveals the one chosen, announcing right or wrong to screen readers.
        """
        mark_source = self._source_attributes()
        out = [
            f'<section class="ailit-quiz" data-right="{html.escape(self.page_text.quiz_right)}" '
            f'data-wrong="{html.escape(self.page_text.quiz_wrong)}">',
            f"<h2>{heading}</h2>",
        ]
        for question in parse_quiz(block.body).questions:
            number, text = question.number, self.parser.renderInline(question.text)
            digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:8]
            name = f"quiz-{number}-{digest}"
            mark = (
                f'{mark_source} class="ailit-fallback"'
                if self._shown_in_source(question.text)
                else ""
            )
            out.append(
                f'<fieldset class="ailit-quiz-question"><legend><span{mark}>{number}. {text}</span></legend>'
            )
            for index, answer in enumerate(question.answers):
                mark = mark_source if self._shown_in_source(answer.text) else ""
                correct = "true" if answer.correct else "false"
                feedback = self.directive_body(answer.feedback) if answer.feedback else ""
                letter = html.escape(answer_letter(index, self.page_text.language))
                label = self.parser.renderInline(answer.text)
                out.append(
                    f'<div class="ailit-quiz-answer" data-correct="{correct}">'
                    f'<label><span class="ailit-quiz-letter">{letter})</span>'
                    f'<input type="radio" name="{name}" value="{index}"> '
                    f"{f'<span{mark}>{label}</span>' if mark else label}</label>"
                    f'<div class="ailit-quiz-feedback">{feedback}</div></div>'
                )
            out.append(
                '<p class="ailit-quiz-result" role="status" aria-live="polite"></p></fieldset>'
            )
        out.append("</section>")
        return "\n".join(out) + "\n"

    def _source_attributes(self) -> str:
        """``lang`` and ``dir`` of the source language, for a passage shown untranslated."""
        text = self.page_text
        return f' lang="{text.source_language}" dir="{text.source_direction}"'

    def _shown_in_source(self, text: str) -> bool:
        """Whether a text is a fallback: shown in the source language, untranslated."""
        return bool(text) and normal(text) in self.fallback

    def _title(self, name: str, title: str) -> str:
        if not title:
            return html.escape(self.page_text.directive_titles.get(name, name.title()))
        rendered = self.parser.renderInline(title)
        if normal(title) in self.fallback:
            return f'<span{self._source_attributes()} class="ailit-fallback">{rendered}</span>'
        return rendered


#: Page renderers by the directive table's ``renderer`` key.
RENDERERS: dict[str, Callable[[_Renderer, Directive, str, Fence], str]] = {
    "admonition": _Renderer.admonition,
    "quiz": _Renderer.quiz,
    "teacher-guide": _Renderer.teacher_guide,
    "proof": blocks.proof,
    "list-table": blocks.list_table,
    "table": blocks.table,
    "code": blocks.code,
    "tab-set": blocks.tab_set,
    "tab-item": blocks.tab_item,
    "quote": blocks.quote,
    "math": _Renderer.math_directive,
    "bibliography": _Renderer.bibliography,
    "figure": figures.figure,
    "image": figures.image,
    "exercise": exercises.exercise,
    "solution": exercises.solution,
    "nothing": exercises.nothing,
}


#: Page renderers of roles by the role table's ``renderer`` key.
ROLE_RENDERERS: dict[str, Callable[[_Renderer, Role, Token], str]] = {
    "math": _Renderer.math_role,
    "eq": _Renderer.eq_role,
    "cite": _Renderer.cite_role,
    "ref": references.ref_role,
    "numref": references.numref_role,
    "doc": references.doc_role,
    "index": references.index_role,
    "nothing": references.nothing_role,
}


def _mark_fallback(tokens: list[Token], fallback: set[str], text: PageText) -> None:
    """Each block shown in the source language: its ``lang``, ``dir`` and a discreet marker."""
    mark_blocks(tokens, fallback, text.source_language, text.source_direction, "ailit-fallback")


def markdown_cell_to_page(source: str, fallback: Sequence[str], text: PageText) -> str:
    """A markdown cell as page text: markdown headings, sanitised HTML for the rest."""
    parser = markdown_parser().use(tasklists_plugin)
    plugins = parser.renderer
    assert isinstance(plugins, RendererHTML)
    renderer = _Renderer(parser, text, {normal(f) for f in fallback})
    for name, plugin_rule in plugins.rules.items():  # the plugins' rules (footnotes)
        renderer.rules.setdefault(name, types.MethodType(plugin_rule.__func__, renderer))
    for name, own_rule in footnotes.RULES.items():
        renderer.rules[name] = types.MethodType(own_rule, renderer)
    parser.renderer = renderer
    source = footnotes.complete(source, text.footnotes)

    def body(markdown: str) -> str:
        tokens = parser.parse(markdown)
        _mark_fallback(tokens, renderer.fallback, text)
        return renderer.render(tokens, parser.options, {})

    renderer.directive_body = body
    tokens = parser.parse(source)
    _mark_fallback(tokens, renderer.fallback, text)
    pieces: list[str] = []
    block: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.level == 0:
            if block:
                pieces.append(_html_block(renderer.render(block, parser.options, {})))
                block = []
            pieces.append(_heading(token, tokens[index + 1], parser))
            index += 3
            continue
        block.append(token)
        index += 1
    if block:
        pieces.append(_html_block(renderer.render(block, parser.options, {})))
    return "\n\n".join(p for p in pieces if p.strip()) + "\n"


def _html_block(rendered: str) -> str:
    clean = unfence(sanitize(rendered).strip())
    return f'<div class="ailit-text">\n{clean}\n</div>' if clean else ""


#: A line Python-Markdown's fenced-code preprocessors (superfences) would read as a fence.
_FENCE_LINE = re.compile(r"^([ \t]*)(`{3,}|~{3,})", re.M)


def unfence(fragment: str) -> str:
    """Fence-like lines of an HTML block written as entities, so mkdocs leaves them alone.

    superfences runs before raw HTML is set aside: a ```` ``` ```` line shown inside a code
    block (a ````` ````md ````` example) would otherwise become a second, highlighted block
    and ailit's own HTML would show on the page as text.
    """
    return _FENCE_LINE.sub(
        lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)), fragment
    )


def _heading(opener: Token, inline: Token, parser: Any) -> str:
    """A heading as a markdown line whose text is sanitised HTML with markdown escaped."""
    level = int(opener.tag[1])
    rendered = sanitize(parser.renderer.render(inline.children or [], parser.options, {}))
    escaped = re.sub(r"(<[^>]*>)|([^<]+)", _escape_text, rendered)
    attrs = ""
    if opener.attrGet("lang"):
        attrs = (
            f' {{: lang="{opener.attrGet("lang")}" dir="{opener.attrGet("dir")}" .ailit-fallback }}'
        )
    return "#" * level + " " + escaped + attrs


def _escape_text(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1)
    return _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(1))};", match.group(2))


def code_fence(source: str) -> str:
    """Code as a fenced block, with a fence longer than any backtick run inside."""
    longest = max((len(m) for m in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}python\n{source}\n{fence}"


def render_page(
    notebook: nbformat.NotebookNode, stem: str, text: PageText
) -> tuple[str, dict[str, bytes]]:
    """The page body (markdown with HTML blocks) and its output files by name."""
    exporter = _exporter()
    exporter.register_filter("ailit_markdown", lambda cell: markdown_cell_to_page(
        cell.source, cell.metadata.get("ailit", {}).get("fallback", []), text
    ))  # fmt: skip
    exporter.register_filter("ailit_code_figure", lambda cell: figures.code_figure(
        cell, text, lambda caption: sanitize(shared_parser().renderInline(caption))
    ))  # fmt: skip
    resources = {
        "unique_key": stem,
        "output_files_dir": f"{stem}_files",
        "figure_alt": text.figure_alt,
        "labels": {
            "show_code": text.show_code,
            "show_output": text.show_output,
            "show_cell": text.show_cell,
        },
    }
    body, out = exporter.from_notebook_node(notebook, resources=resources)
    outputs = {str(name): data for name, data in out.get("outputs", {}).items()}
    return _tidy(body), outputs


@functools.cache
def _exporter() -> MarkdownExporter:
    """One exporter per process: building one compiles its Jinja templates again."""
    exporter = MarkdownExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="ailit")
    exporter.register_filter("ailit_code", code_fence)
    exporter.register_filter("ailit_text", lambda s: html.escape(str(s), quote=False))
    exporter.register_filter("ailit_sanitize", sanitize)
    exporter.register_filter(
        "ailit_render_markdown", lambda s: sanitize(shared_parser().render(str(s)))
    )
    exporter.register_filter("ailit_url", lambda p: html.escape(Path(p).as_posix(), quote=True))
    exporter.register_filter("ailit_figure", figure)
    return exporter


def figure(path: str, cell: nbformat.NotebookNode, default_alt: str) -> str:
    """An image output with its alt text from the cell's metadata (MyST-NB's
    ``mystnb.image.alt``), else the site's default alt. A ``mystnb.figure`` caption is
    put around the cell's outputs, numbered (``stages.figures.code_figure``)."""
    metadata = cell.get("metadata", {})
    alt = figure_text(metadata, ("mystnb", "image", "alt")) or default_alt
    src = html.escape(Path(path).as_posix(), quote=True)
    return f'<img class="ailit-figure" src="{src}" alt="{html.escape(alt.strip(), quote=True)}">'


def _tidy(body: str) -> str:
    """Collapse the template's runs of blank lines."""
    return re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
