"""Printable handouts laid out by Typst: worksheets that keep what their sentences introduce,
questions never alone on a page, and no translation able to run Typst code."""

from __future__ import annotations

import base64
import html
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from ailit.i18n import catalog
from ailit.i18n.segment import fence, parse_quiz, shared_parser
from ailit.model import directives
from ailit.model.course import load_module
from ailit.stages import handout
from ailit.stages.localize import Translator, localize
from conftest import ROOT

STARTER = ROOT / "courses" / "ai-literacy"
LABELS = {
    **{d.name: d.title or d.name for d in directives.DIRECTIVES},
    "lesson": "Lesson",
    "name": "Name",
    "date": "Date",
}


def _text(pdf: Path, *pages: str) -> str:
    """The PDF's text, every run of white space one space (lines wrap anywhere)."""
    out = subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return " ".join(out.stdout.split())


def _sheet(language: str = "en", direction: str = "ltr", **labels: str) -> handout.Sheet:
    return handout.Sheet(language, direction, "Course", "Module", [], {**LABELS, **labels})


def _notebook(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=list(cells))


def _pdf(document: str, tmp_path: Path, name: str = "sheet.pdf") -> Path:
    target = tmp_path / name
    handout.write_pdf(document, target, tmp_path / "cache")
    return target


HOSTILE = [
    '#read("/etc/passwd")',
    '#image("/etc/hostname")',
    '#include "/etc/hostname"',
    '#link("https://example.org")[click]',
    "#let x = 1 #x",
    "] ) } $ \\ *bold*",
]


def test_a_hostile_translation_prints_as_written_and_runs_nothing(tmp_path: Path) -> None:
    """Typst code in any translated text (heading, paragraph, list, table, quiz, title,
    labels) is shown as text: no file is read, no image or link made."""
    words = " ".join(HOSTILE)
    markdown = (
        f"## {HOSTILE[0]}\n\n{words}:\n\n- {HOSTILE[1]}\n- {HOSTILE[2]}\n\n"
        f"| {HOSTILE[3]} | b |\n|---|---|\n| {HOSTILE[4]} | c |\n\n"
        f":::{{unplugged}} {HOSTILE[5]}\n{words}\n:::\n\n"
        f"::::{{quiz}}\n1. {HOSTILE[0]}?\n   - [x] {HOSTILE[1]}\n     > {HOSTILE[2]}\n"
        f"   - [ ] {HOSTILE[4]}\n::::\n"
    )
    sheet = handout.Sheet(
        "fr", "ltr", HOSTILE[0], HOSTILE[1], [(HOSTILE[2], HOSTILE[3])],
        {**LABELS, "lesson": HOSTILE[4], "name": HOSTILE[5], "quiz": HOSTILE[0]},
    )  # fmt: skip
    document = handout.module_html(_notebook(nbformat.v4.new_markdown_cell(markdown)), sheet)
    pdf = _pdf(document, tmp_path)
    text = _text(pdf)
    for hostile in HOSTILE:
        assert " ".join(hostile.split()) in text
    passwd = Path("/etc/passwd").read_text().split(":")[0]  # "root"
    assert f"{passwd}:x:" not in text
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    assert len(images.stdout.splitlines()) == 2  # the header lines: no image
    assert b"/URI" not in pdf.read_bytes()  # no link annotation either


def test_a_kept_sentence_keeps_the_list_table_and_formula_it_introduces(tmp_path: Path) -> None:
    markdown = (
        "## Steps\n\nIt follows three steps:\n\n1. Multiply.\n2. Add.\n\n"
        "| a | b |\n|---|---|\n| 0 | 1 |\n\nA later paragraph.\n\n- not introduced\n\n"
        "## Ask\n\nAsk yourselves:\n\n- Who says it is a problem?\n- Where it comes from.\n\n"
        "## Formula\n\nThe total is:\n\n$$\nw_1 x_1 + b\n$$\n\n## Plain\n\nNo colon here.\n\n"
        "- dropped item\n"
    )
    document = handout.module_html(_notebook(nbformat.v4.new_markdown_cell(markdown)), _sheet())
    assert "<li>Who says it is a problem?" in document
    assert document.count('class="write"') == 1  # lines to answer the question, not the note
    text = _text(_pdf(document, tmp_path))
    for kept in ["Multiply.", "Add.", "a b 0 1", "Where it comes from.", "w_1 x_1 + b"]:
        assert kept in text
    for dropped in ["A later paragraph.", "not introduced", "dropped item"]:
        assert dropped not in text


def test_plots_of_the_code_are_printed(tmp_path: Path) -> None:
    png = base64.b64encode(_png()).decode()
    code = nbformat.v4.new_code_cell("plot()")
    code.outputs = [nbformat.v4.new_output("display_data", {"image/png": png})]
    removed = nbformat.v4.new_code_cell("plot()", metadata={"tags": ["remove-output"]})
    removed.outputs = code.outputs
    notebook = _notebook(nbformat.v4.new_markdown_cell("## Plot\n\nSee the plot."), code, removed)
    pdf = _pdf(handout.module_html(notebook, _sheet()), tmp_path)
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    assert len(listed.stdout.splitlines()) == 2 + 1  # one image: the removed output is not


def _png() -> bytes:
    """A 2 by 2 grey PNG."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (2).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    pixels = zlib.compress(b"\x00\x80\x80" * 2)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("paragraphs", range(0, 16, 3))
def test_no_page_holds_a_single_question(tmp_path: Path, paragraphs: int) -> None:
    lesson = "\n\n".join(
        f"## Part {i}\n\n" + "Words to fill the page. " * 30 for i in range(paragraphs)
    )
    quiz = "".join(f"{n}. Question {n}?\n   - [ ] yes\n   - [x] no\n" for n in range(1, 8))
    cell = nbformat.v4.new_markdown_cell(f"{lesson}\n\n::::{{quiz}}\n{quiz}::::\n")
    pdf = _pdf(handout.module_html(_notebook(cell), _sheet()), tmp_path)
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    for page in pages.stdout.split("\f"):
        asked = re.findall(r"Question \d\?", page)
        assert len(asked) != 1 or "Part" in page or "Name" in page, page
        assert "no" in page if asked else True  # answers stay with their question


def test_the_guide_prints_the_small_data_tables_the_notebook_reads(tmp_path: Path) -> None:
    cards = tmp_path / "01-fruit.csv"
    cards.write_text("colour,softness,ripe\n" + "".join(f"{i},{i % 7},1\n" for i in range(20)))
    unread = tmp_path / "02-other.csv"
    unread.write_text("a,b\n1,2\n")
    notebook = _notebook(
        nbformat.v4.new_markdown_cell("::::{teacher-guide}\n## Timing\n\nTen minutes.\n::::"),
        nbformat.v4.new_code_cell('np.loadtxt("data/01-fruit.csv")'),
    )
    sheet = _sheet()
    sheet.data = {"01-fruit.csv": cards, "02-other.csv": unread}
    document = handout.guide_html(notebook, sheet)
    text = _text(_pdf(document, tmp_path), "-layout")  # row by row
    assert "data/01-fruit.csv colour softness ripe 0 0 1 1 1 1" in text
    assert "19 5 1" in text  # the twentieth card
    assert "02-other" not in text
    learner = _text(_pdf(handout.module_html(notebook, sheet), tmp_path, "learner.pdf"))
    assert "softness" not in learner


def _plain(markdown: str) -> str:
    """What a reader sees of inline markdown: no marks, no tags, one space between words."""
    rendered = shared_parser().renderInline(markdown)
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", rendered)).split())


def _introduced(source: str) -> list[tuple[str, list[str]]]:
    """Each paragraph ending with a colon and the items of the lists and tables after it."""
    tokens = shared_parser().parse(source)
    found: list[tuple[str, list[str]]] = []
    for index, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1:
            continue
        if token.type == "paragraph_open":
            sentence = _plain(tokens[index + 1].content)
            if re.search(r"[:\uff1a]$", sentence):
                found.append((sentence, []))
            elif found and found[-1][1]:
                found.append(("", []))  # an unintroduced paragraph ends what the last one led
        elif token.type in ("bullet_list_open", "ordered_list_open", "table_open") and found:
            depth = 0
            for inner in tokens[index:]:
                depth += inner.nesting
                if inner.type == "inline" and inner.level <= token.level + 3:
                    found[-1][1].append(_plain(inner.content))
                if depth == 0:
                    break
        elif token.type == "heading_open" or fence(token):
            found.append(("", []))
    return [(sentence, items) for sentence, items in found if sentence and items]


@pytest.mark.parametrize("code", ["en", "fr"])
def test_starter_handouts_hold_every_item_their_sentences_introduce(
    tmp_path: Path, code: str
) -> None:
    """Modules 04 and 08 (and the others): the lists and tables after a printed "…:" are
    printed too, and no quiz feedback (it gives the answer away) is."""
    po = ROOT / "locales" / code / "LC_MESSAGES" / "ai-literacy.po"
    translate = (
        Translator(catalog.load(po, locale=code), po)
        if code != "en"
        else Translator(None, is_source=True)
    )
    checked = set()
    for path in sorted(STARTER.glob("0*.md")):
        notebook = localize(load_module(path), translate)
        pdf = _pdf(handout.module_html(notebook, _sheet(code)), tmp_path, f"{path.stem}.pdf")
        text = _text(pdf)
        for cell in notebook.cells:
            if cell.cell_type != "markdown":
                continue
            for sentence, items in _introduced(cell.source):
                if sentence in text:
                    checked.add(path.stem[:2])
                    missing = [item for item in items if item not in text]
                    assert not missing, f"{code} {path.name}: «{sentence}» without {missing}"
            for block in map(fence, shared_parser().parse(cell.source)):
                if block and block.name == "quiz":
                    for question in parse_quiz(block.body).questions:
                        for answer in question.answers:
                            feedback = _plain(answer.feedback)
                            assert not feedback or feedback not in text, (code, path.name)
    assert {"04", "08"} <= checked


def test_an_open_quiz_question_gets_lines_to_write_on(tmp_path: Path) -> None:
    quiz = "::::{quiz}\n1. Why?\n   - [x] Because.\n2. Say what you noticed.\n::::\n"
    document = handout.module_html(_notebook(nbformat.v4.new_markdown_cell(quiz)), _sheet())
    assert '<li>Say what you noticed.<div class="write" data-lines="3"></div></li>' in document
    assert document.count('class="write"') == 1
    assert "Say what you noticed." in _text(_pdf(document, tmp_path))


@pytest.mark.parametrize(
    ("language", "direction", "letters"),
    [("fr", "ltr", ["a", "b"]), ("ar", "rtl", ["أ", "ب"]), ("zh", "ltr", ["A", "B"])],
)
def test_printed_answers_carry_the_letters_of_the_page(
    tmp_path: Path, language: str, direction: str, letters: list[str]
) -> None:
    """A teacher can say "1 b" (or "1 ب") of the paper as of the screen."""
    quiz = "::::{quiz}\n1. Why?\n   - [x] Because.\n   - [ ] No.\n::::\n"
    cell = nbformat.v4.new_markdown_cell(quiz)
    document = handout.module_html(_notebook(cell), _sheet(language, direction))
    text = re.sub("[\u202a-\u202e\u2066-\u2069]", "", _text(_pdf(document, tmp_path)))
    # pdftotext gives a right-to-left line in visual order: ")أ"
    found = [letter for letter in letters if f"{letter})" in text or f"){letter}" in text]
    assert found == letters, text


def test_missing_fonts_stop_the_build_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from ailit.core.errors import BuildError
    from ailit.stages import typst_pdf

    monkeypatch.setattr(typst_pdf, "FONT_FILES", ("/nowhere/NotoSans-Regular.ttf",))
    typst_pdf._compiler.cache_clear()
    try:
        with pytest.raises(BuildError, match="Debian's Noto fonts"):
            typst_pdf._compiler()
    finally:
        typst_pdf._compiler.cache_clear()


@pytest.mark.parametrize(
    ("language", "words", "face"),
    [
        ("hi", "कृत्रिम बुद्धि सीखती है", "NotoSansDevanagari"),
        ("am", "ሰው ሠራሽ አስተውሎት", "NotoSansEthiopic"),
        ("th", "ปัญญาประดิษฐ์", "NotoSansThai"),
    ],
)
def test_a_language_in_a_new_script_prints_in_its_own_letters(
    tmp_path: Path, language: str, words: str, face: str
) -> None:
    """A locale no one configured prints in a Noto face for its script, not empty boxes."""
    markdown = f"## {words}\n\n{words}.\n"
    document = handout.module_html(
        _notebook(nbformat.v4.new_markdown_cell(markdown)), _sheet(language)
    )
    pdf = _pdf(document, tmp_path)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert face in fonts
    # pdftotext may cut a Devanagari conjunct with a space: compare the letters alone
    assert words.replace(" ", "") in _text(pdf).replace(" ", "")
