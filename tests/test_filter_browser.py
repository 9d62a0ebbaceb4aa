"""The catalogue's filters in a browser from file://: the age filter is inclusive, and a
choice that leaves no module says which filter to set back. The glossary on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Offline, ailit, built_demo_copy, hold_script, scripts_ran

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built demo, its second module now for 13+ (the first is for 11+), with a glossary."""
    root = built_demo_copy(built_demo, tmp_path_factory, "filters")
    module = root / "courses" / "demo" / "02-counting.py"
    source = module.read_text(encoding="utf-8")
    module.write_text(
        source.replace("#     duration: 10\n", '#     duration: 10\n#     age: "13+"\n'),
        encoding="utf-8",
    )
    (root / "locales" / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    (root / "locales" / "ar" / "glossary.yml").write_text(ARABIC, encoding="utf-8")
    ailit("--project", str(root), "build", "--locale", "en", "--locale", "ar", "--locale", "fr",
          check=True)  # fmt: skip
    return root / "build" / "site"


GLOSSARY = """\
artificial intelligence: &ai Computer programs that do tasks we used to think needed human thinking, such as recognising pictures, translating or answering questions.
AI: *ai
confusion matrix: A table that counts a model's right and wrong answers by kind, what was really there against what the model said.
"""
ARABIC = """\
artificial intelligence:
  term: الذكاء الاصطناعي
  definition: &ai برامج حاسوبية تؤدي مهامّ كنّا نظن أنها تحتاج إلى تفكير بشري، مثل التعرّف على الصور أو الترجمة أو الإجابة عن الأسئلة.
AI: {term: الذكاء الاصطناعي, definition: *ai}
confusion matrix:
  term: مصفوفة الالتباس
  definition: جدول يعدّ إجابات النموذج الصحيحة والخاطئة حسب نوعها، ما كان موجودًا فعلًا مقابل ما قاله النموذج.
"""


def _open(offline: Offline, url: str) -> None:
    """Open a catalogue and wait for its scripts (they run after the first paint)."""
    offline.page.goto(url)
    scripts_ran(offline.page)


def _titles(offline: Offline) -> list[str]:
    return [t.strip() for t in offline.page.locator(".ailit-card:visible h3").all_inner_texts()]


def test_an_age_shows_every_module_that_suits_it(site: Path, offline: Offline) -> None:
    page = offline.page
    _open(offline, (site / "en" / "index.html").as_uri())
    assert page.locator("#ailit-filter-age option").all_inner_texts() == ["Any", "11+", "13+"]
    page.select_option("#ailit-filter-age", "13+")  # a 13-year-old may take the 11+ module
    assert _titles(offline) == ["First steps with a robot", "Counting words"]
    page.select_option("#ailit-filter-age", "11+")
    assert _titles(offline) == ["First steps with a robot"]
    _open(offline, (site / "en" / "index.html").as_uri() + "#age=13%2B&duration=10")
    assert _titles(offline) == ["Counting words"]  # a shared link: 13+ and 10 minutes
    assert offline.errors == []


def test_no_module_left_says_which_filter_to_set_back(site: Path, offline: Offline) -> None:
    page = offline.page
    _open(offline, (site / "en" / "index.html").as_uri())
    page.select_option("#ailit-filter-age", "11+")
    page.select_option("#ailit-filter-duration", "10")  # 11+ is 20 minutes, 10 minutes is 13+
    assert _titles(offline) == []
    none = page.locator(".ailit-filter-none")
    assert none.is_visible()
    assert none.inner_text() == (
        "No module matches these filters. Set “Age” to “Any” to see more modules."
    )
    page.select_option("#ailit-filter-competency", "ai-foundations")  # only the 11+ module
    assert none.inner_text().endswith("Set “Duration” to “Any” to see more modules.")
    page.click(".ailit-filter-reset")
    assert not none.is_visible()
    _open(offline, (site / "fr" / "index.html").as_uri() + "#age=11%2B&duration=10")
    assert page.locator(".ailit-filter-none").inner_text() == (
        "Aucun module ne correspond à ces filtres. Mettez «\u00a0Âge\u00a0» sur "
        "«\u00a0Tous\u00a0» pour voir plus de modules."
    )
    assert offline.errors == []


def test_a_choice_made_before_the_scripts_run_is_kept(site: Path, offline: Offline) -> None:
    """The filters show from the first paint; ailit.js comes later and must not reset them."""
    page = offline.page
    release = hold_script(page, "**/assets/ailit/ailit.js")
    page.goto((site / "en" / "index.html").as_uri())
    page.select_option("#ailit-filter-age", "11+")
    assert page.locator(".ailit-filter-count").text_content() == ""  # ailit.js has not run
    release()
    scripts_ran(page)
    assert _titles(offline) == ["First steps with a robot"]
    assert page.evaluate("location.hash") == "#age=11%2B"
    assert offline.errors == []


@pytest.mark.parametrize("code", ["en", "ar"])
def test_the_glossary_reads_on_a_phone(site: Path, offline: Offline, code: str) -> None:
    """At 360 px each term heads its block, the definition under it at full width."""
    page = offline.page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto((site / code / "glossary.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    rows = page.locator("table.ailit-glossary tbody tr")
    assert rows.count() == {"en": 3, "ar": 2}[code]  # one Arabic term for "AI" and its long form
    term = rows.first.locator("td").first.bounding_box()
    definition = rows.first.locator("td").last.bounding_box()
    assert term and definition
    assert definition["y"] >= term["y"] + term["height"] - 1 and definition["width"] > 300
    assert offline.errors == []
