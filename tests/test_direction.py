"""English fallbacks on a right-to-left page: every one carries ``lang`` and ``dir``.

The built demo is copied, a few Arabic translations are emptied (a paragraph, a quiz
question, the module's title, the course summary, some site strings) and Arabic alone is
built again. Its pages then show those passages in English, which must read left to right
with their full stops at their end, not ".Name two limits of a learned rule".
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from ailit.i18n import catalog
from ailit.stages import handout, pages
from ailit.stages.render import PageText, markdown_cell_to_page
from conftest import Offline, ailit, built_demo_copy, scripts_ran

PAGE = "demo/01-first-steps.html"
PARAGRAPH = "A robot learns from **examples**, not from *magic*. Read the [glossary](https://example.org/glossary) later."
UNTRANSLATED = {
    "demo": [
        PARAGRAPH,
        "How does a robot learn?",
        "First steps with a robot",
        "A small course that shows every kind of block ailit translates.",
    ],
    "site": ["{shown} of {total} module shown.", "Right!", "Beginner"],
}


@pytest.fixture(scope="module")
def arabic(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's Arabic site with some passages and site strings left untranslated."""
    root = built_demo_copy(built_demo, tmp_path_factory, "direction")
    for domain, msgids in UNTRANSLATED.items():
        path = root / "locales" / "ar" / "LC_MESSAGES" / f"{domain}.po"
        po = catalog.load(path, locale="ar")
        for msgid in msgids:
            message = po[msgid]
            assert message is not None and message.string, msgid
            plural = isinstance(message.string, (list, tuple))
            message.string = ("",) * len(message.string) if plural else ""
        catalog.save(path, po)
    ailit("--project", str(root), "build", "--locale", "ar", check=True)
    return root / "build" / "site" / "ar"


def test_fallback_blocks_and_fields_say_their_language_and_direction(arabic: Path) -> None:
    page = (arabic / PAGE).read_text("utf-8")
    assert '<p lang="en" dir="ltr" class="ailit-fallback">A robot learns' in page
    assert '<span lang="en" dir="ltr" class="ailit-fallback">1. How does a robot learn?' in page
    assert re.search(r'<h1 (?=[^>]*lang="en")(?=[^>]*dir="ltr")[^>]*>First steps', page)
    assert '<dd><bdi lang="en" dir="ltr">Beginner</bdi></dd>' in page
    index = (arabic / "index.html").read_text("utf-8")
    assert '<bdi lang="en" dir="ltr">First steps with a robot</bdi></a></h3>' in index
    assert '<p><bdi lang="en" dir="ltr">A small course that shows' in index  # the summary
    assert '<p class="ailit-card-summary" lang="en" dir="ltr">A robot learns' in index
    assert "ailit-fallback" not in (arabic / "demo" / "02-counting.html").read_text("utf-8")


def test_a_source_language_written_right_to_left_marks_its_fallbacks_rtl() -> None:
    text = PageText(str, source_language="ar", source_direction=pages.direction("ar"))
    page = markdown_cell_to_page("## عنوان\n\nنص.\n", ["عنوان", "نص."], text)
    assert '<p lang="ar" dir="rtl" class="ailit-fallback">' in page
    assert '{: lang="ar" dir="rtl" .ailit-fallback }' in page
    assert pages.direction("fa") == "rtl" and pages.direction("en") == "ltr"
    assert str(pages.Shown("a<b")) == "a<b"
    assert pages.Shown("a<b", "en", "ltr").__html__() == '<bdi lang="en" dir="ltr">a&lt;b</bdi>'


def test_the_handout_marks_its_fallbacks_with_their_direction() -> None:
    source = "## Heading\n\nStill English.\n\nنص.\n\n:::{quiz}\n1. Why?\n   - [x] Because.\n:::\n"
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["ailit"] = {"fallback": ["Heading", "Still English.", "Why?"]}
    notebook = nbformat.v4.new_notebook(cells=[cell])
    sheet = handout.Sheet("ar", "rtl", "Course", "Title", labels={"lesson": "L", "quiz": "Q",
                          "name": "N", "date": "D"})  # fmt: skip
    document = handout.module_html(notebook, sheet)
    assert '<h3 lang="en" dir="ltr">Heading</h3>' in document
    assert '<p lang="en" dir="ltr">Still English.</p>' in document
    assert '<li lang="en" dir="ltr">Why?' in document
    assert "<li>Because." in document


#: whether a text's last character is drawn at its visual end (right of its first, in LTR)
_LAST_AT_END = """el => {
  const node = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim()).pop();
  const text = node.textContent.replace(/\\s+$/, "");
  const box = (i) => { const r = document.createRange(); r.setStart(node, i);
                       r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
  const first = box(text.search(/\\S/)), last = box(text.length - 1);
  return {direction: getComputedStyle(el).direction, last: text[text.length - 1],
          atEnd: last.left > first.left};
}"""


@pytest.mark.browser
def test_english_fallbacks_keep_their_punctuation_on_an_arabic_page(
    arabic: Path, offline: Offline
) -> None:
    page = offline.page
    page.goto((arabic / PAGE).as_uri())
    assert page.locator("body").get_attribute("dir") == "rtl"
    paragraph = page.locator("p.ailit-fallback").first
    seen = paragraph.evaluate(_LAST_AT_END)
    assert seen == {"direction": "ltr", "last": ".", "atEnd": True}
    paragraph.evaluate("el => el.removeAttribute('dir')")  # as before: the stop jumps left
    assert paragraph.evaluate(_LAST_AT_END)["atEnd"] is False
    question = page.locator(".ailit-quiz-question").first
    question.locator('[data-correct="true"] input').check()
    said = question.locator(".ailit-quiz-result > bdi")  # "Right!", untranslated
    assert said.evaluate(_LAST_AT_END) == {"direction": "ltr", "last": "!", "atEnd": True}
    page.goto((arabic / "index.html").as_uri())
    scripts_ran(page)
    count = page.locator(".ailit-filter-count bdi")
    assert count.inner_text() == "2 of 2 modules shown."
    assert count.evaluate(_LAST_AT_END) == {"direction": "ltr", "last": ".", "atEnd": True}
    assert offline.errors == []
