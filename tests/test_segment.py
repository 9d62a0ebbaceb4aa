"""Segmentation: golden files, and round-trip properties on generated documents."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ailit.i18n.segment import replace_units, segment_code, segment_markdown, unwrap_marked_strings

GOLDEN = Path(__file__).parent / "golden" / "segment"
CASES = sorted(GOLDEN.glob("*.md"))


def _units_json(source: str) -> list[dict]:
    return [{"kind": u.kind, "line": u.line, "text": u.text} for u in segment_markdown(source)]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden_units(case: Path) -> None:
    source = case.read_text(encoding="utf-8")
    expected_file = case.with_suffix(".json")
    got = _units_json(source)
    if os.environ.get("AILIT_UPDATE_GOLDEN"):
        expected_file.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", "utf-8")
    assert got == json.loads(expected_file.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden_identity(case: Path) -> None:
    source = case.read_text(encoding="utf-8")
    units = segment_markdown(source)
    assert replace_units(source, units, lambda u: u.text) == source


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden_translation_lands_in_place(case: Path) -> None:
    source = case.read_text(encoding="utf-8")
    units = segment_markdown(source)
    translated = replace_units(source, units, lambda u: "Zz " + u.text)
    assert [u.text for u in segment_markdown(translated)] == ["Zz " + u.text for u in units]


def test_kinds_and_inline_markup_kept() -> None:
    units = segment_markdown("# Title *x*\n\nSee [the map](map.png) and `code`.\n")
    assert [(u.kind, u.text) for u in units] == [
        ("heading", "Title *x*"),
        ("paragraph", "See [the map](map.png) and `code`."),
    ]


def test_soft_breaks_join_and_hard_breaks_stay() -> None:
    source = "one\ntwo  \nthree\n"
    (unit,) = segment_markdown(source)
    assert unit.text == "one two\\\nthree"
    assert replace_units(source, [unit], lambda u: "un deux\\\ntrois") == "un deux\\\ntrois\n"


def test_quiz_roles_and_task_markers_left_out() -> None:
    source = "::::{quiz}\n1. Which?\n   - [x] This one\n     > Because.\n::::\n"
    units = segment_markdown(source)
    assert [(u.kind, u.text) for u in units] == [
        ("quiz question", "Which?"),
        ("quiz answer", "This one"),
        ("quiz feedback", "Because."),
    ]


def test_code_comments_and_marked_strings() -> None:
    code = '# Draw it\nx = 1  # one\nprint(_("Hello"))\nprint("not marked")\n'
    units = segment_code(code)
    assert [(u.kind, u.text) for u in units] == [
        ("code comment", "Draw it"),
        ("code comment", "one"),
        ("code string", "Hello"),
    ]
    out = replace_units(code, units, lambda u: {"Hello": 'Say "hi"'}.get(u.text, u.text), code=True)
    assert (
        unwrap_marked_strings(out)
        == '# Draw it\nx = 1  # one\nprint("Say \\"hi\\"")\nprint("not marked")\n'
    )


@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"])
def test_a_translation_never_adds_a_line_of_code(brk: str) -> None:
    """A comment or string translated with a line break Python, str.splitlines or IPython
    honours (a lone CR ends a Python line) stays one line: nothing it holds runs."""
    code = '# Draw it\nprint(_("Hello"))\n'
    payload = {"Draw it": f"Dessine{brk}import os", "Hello": f"Salut{brk}import os"}
    out = unwrap_marked_strings(
        replace_units(code, segment_code(code), lambda u: payload[u.text], code=True)
    )
    assert len(out.splitlines()) == 2, repr(out)
    tree = ast.parse(out)
    assert [type(node).__name__ for node in tree.body] == ["Expr"]  # print(...) alone
    assert ast.literal_eval(out.splitlines()[1][len("print(") : -1]) == f"Salut{brk}import os"


def test_code_that_does_not_tokenize_gives_no_units() -> None:
    assert segment_code("%matplotlib inline\nprint((1\n") == []


# --- properties on generated documents -------------------------------------------------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


@st.composite
def inline(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORD, min_size=1, max_size=6))
    styled = []
    for word in words:
        style = draw(st.sampled_from(["", "*", "**", "`", "link"]))
        if style == "link":
            styled.append(f"[{word}](https://example.org/{word})")
        elif style:
            styled.append(f"{style}{word}{style}")
        else:
            styled.append(word)
    return " ".join(styled)


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    return "\n".join(draw(st.lists(inline(), min_size=1, max_size=3)))


@st.composite
def bullet_list(draw: st.DrawFn, depth: int = 0) -> str:
    items = []
    marker = draw(st.sampled_from(["-", "*", "1."]))
    pad = " " * (len(marker) + 1)
    for _ in range(draw(st.integers(1, 3))):
        item = f"{marker} {draw(inline())}"
        if depth < 2 and draw(st.booleans()):
            nested = draw(bullet_list(depth + 1))
            item += "\n" + "\n".join(pad + line for line in nested.splitlines())
        items.append(item)
    return "\n".join(items)


@st.composite
def table(draw: st.DrawFn) -> str:
    cols = draw(st.integers(1, 3))
    rows = [[draw(WORD) for _ in range(cols)] for _ in range(draw(st.integers(1, 3)))]
    head = "| " + " | ".join(draw(WORD) for _ in range(cols)) + " |"
    rule = "|" + "---|" * cols
    return "\n".join([head, rule, *("| " + " | ".join(r) + " |" for r in rows)])


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["heading", "para", "list", "quote", "table", "fence", "note"]))
    if kind == "heading":
        return "#" * draw(st.integers(1, 4)) + " " + draw(inline())
    if kind == "para":
        return draw(paragraph())
    if kind == "list":
        return draw(bullet_list())
    if kind == "quote":
        return "\n".join("> " + line for line in draw(paragraph()).splitlines())
    if kind == "table":
        return draw(table())
    if kind == "fence":
        return "```python\nprint(1)\n```"
    return f":::{{note}} {draw(inline())}\n{draw(paragraph())}\n:::"


DOCUMENT = st.lists(block(), min_size=1, max_size=6).map(lambda bs: "\n\n".join(bs) + "\n")


@settings(max_examples=150, deadline=None)
@given(DOCUMENT)
def test_replacing_units_by_themselves_reproduces_the_source(source: str) -> None:
    units = segment_markdown(source)
    assert replace_units(source, units, lambda u: u.text) == source


@settings(max_examples=150, deadline=None)
@given(DOCUMENT)
def test_every_translation_is_found_again_where_it_was_put(source: str) -> None:
    units = segment_markdown(source)
    translated = replace_units(source, units, lambda u: "Q " + u.text)
    assert [u.text for u in segment_markdown(translated)] == ["Q " + u.text for u in units]


@settings(max_examples=100, deadline=None)
@given(DOCUMENT)
def test_every_block_with_text_gives_a_unit(source: str) -> None:
    prose = source.replace("```python\nprint(1)\n```", "")  # code is never a unit
    words = {w.strip("*`") for w in prose.split() if w.strip("*`").isalpha()}
    found = " ".join(u.text for u in segment_markdown(source))
    for word in words:
        assert word in found


# --- nothing dropped: every visible character of prose lies in a unit ---------------------

_LETTERS = st.text(
    st.sampled_from("abcxyzéßøçñ中文字عربيةअआ"), min_size=1, max_size=6
)  # no markdown punctuation: each word is prose, never markup
_GAP = st.sampled_from(["", " ", "  ", "\t", "\u00a0", " \u00a0"])  # what a line may start with


@st.composite
def _prose_document(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """A markdown cell of prose blocks, with the span of every word the reader sees."""
    parts: list[str] = []
    words: list[tuple[int, int]] = []

    def put(text: str, word: bool = False) -> None:
        start = sum(map(len, parts))
        parts.append(text)
        if word:
            words.append((start, start + len(text)))

    def line(lead: str) -> None:
        put(lead)
        for i, word in enumerate(draw(st.lists(_LETTERS, min_size=1, max_size=4))):
            put(" " if i else "")
            put(word, word=True)
        put("\n")

    for b in range(draw(st.integers(1, 4))):
        if b:
            put("\n")
        kind = draw(st.sampled_from(["paragraph", "heading", "bullet", "ordered", "quote"]))
        first = draw(st.sampled_from(["", "\u00a0", " ", "  \u00a0", "\u00a0\u00a0"]))
        marker = {
            "paragraph": "",
            "heading": draw(st.sampled_from(["#", "##", "###"])) + " ",
            "bullet": draw(st.sampled_from("-*+")) + draw(st.sampled_from([" ", "\t", "  "])),
            "ordered": "1." + draw(st.sampled_from([" ", "\t"])),
            "quote": draw(st.sampled_from(["> ", ">", ">\t"])),
        }[kind]
        if kind not in ("paragraph", "heading"):
            first = first.lstrip(" ")  # more spaces after a list marker make indented code
        line(marker + first)
        if kind != "heading":
            for _ in range(draw(st.integers(0, 2))):
                indent = draw(_GAP)
                if kind in ("bullet", "ordered"):
                    indent = draw(st.sampled_from(["\t", "  ", "   ", "    "])) + indent.lstrip()
                elif kind == "quote":
                    indent = "> " + indent
                line(indent)
    return "".join(parts), words


@given(_prose_document())
@settings(max_examples=300, deadline=None)
def test_every_visible_character_of_prose_lies_in_a_unit(
    document: tuple[str, list[tuple[int, int]]],
) -> None:
    source, words = document
    units = segment_markdown(source)
    for start, end in words:
        word = source[start:end]
        holders = [u for u in units if u.start <= start and end <= u.end]
        assert holders, f"{word!r} at {start} is in no unit of {source!r}: {units}"
        assert word in holders[0].text


@pytest.mark.parametrize(
    "source",
    ["- item\n\tcontinued\n", "\u00a0A paragraph after a no-break space.\n", "-\titem\n\tmore\n"],
)
def test_tab_continued_items_and_no_break_space_paragraphs_are_units(source: str) -> None:
    units = segment_markdown(source)
    text = " ".join(u.text for u in units)
    assert all(word in text for word in source.replace("-", " ").split()), units
    translated = replace_units(source, units, lambda u: "TRANSLATED")
    assert not any(c.islower() for c in translated), translated  # no source word left over
