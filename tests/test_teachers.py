"""A teacher's site: filterable catalogue, module buttons, curriculum map, printable handouts,
pages that pass axe-core and fit a 360 px phone, in English, Arabic and Chinese.

The demo project, built once by conftest, is copied and given a Chinese locale (and a
prerequisite), and only Chinese is built again. Browser tests use Debian's Chromium with
the network cut, like test_browser.py; axe-core comes from npm (`make test` installs it).
"""

# ruff: noqa: RUF001  (Chinese text has full-width punctuation)
from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest
from playwright.sync_api import Browser

from ailit.i18n import catalog
from ailit.stages import handout
from conftest import ROOT, Offline, ailit, scripts_ran

AXE = ROOT / "build" / ".npm" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_findings(offline: Offline, site: Path, pages: list[str]) -> list[str]:
    """Serious and critical WCAG 2.1 AA findings of axe-core on each page, in one tab."""
    assert AXE.is_file(), (
        f"axe-core is missing: run `make test` (npm install into {AXE.parents[2]})"
    )
    found = []
    for rel in pages:
        offline.page.goto((site / rel).as_uri())
        scripts_ran(offline.page)  # axe reads the page as the reader gets it, scripts run
        offline.page.add_script_tag(path=str(AXE))
        result = offline.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, preload: false})",
            AXE_TAGS,
        )
        found += [
            f"{rel}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    return found


MODULE = "demo/01-first-steps"
TITLES = {"en": "First steps with a robot", "ar": "خطوات أولى مع روبوت", "zh": "与机器人的第一步"}
ZH_COURSE = {
    "Demo course": "演示课程",
    "A small course that shows every kind of block ailit translates.": "一门小课程，展示 ailit 翻译的每一种内容。",
    "Anyone trying ailit.": "任何试用 ailit 的人。",
    "First steps with a robot": TITLES["zh"],
    "A robot learns from **examples**, not from *magic*. Read the [glossary](https://example.org/glossary) later.": "机器人从**例子**中学习，而不是从*魔法*中。稍后请阅读[术语表](https://example.org/glossary)。",
    "What the robot sees": "机器人看到什么",
    "It sees numbers.": "它看到数字。",
    "Bright pixels are large numbers.": "明亮的像素是大数字。",
    "Dark pixels are small numbers.": "暗的像素是小数字。",
    "It counts the `fruit` in a basket.": "它数篮子里的 `fruit`。",
    "animal": "动物",
    "legs": "腿",
    "spider": "蜘蛛",
    "eight": "八条",
    "chicken": "鸡",
    "two": "两条",
    "Remember": "记住",
    "A computer only follows its instructions.": "计算机只会按照指令工作。",
    "![A blue robot with two round eyes](images/robot.svg)": "![一个有两只圆眼睛的蓝色机器人](images/robot.svg)",
    "Count the fruit in the basket": "数一数篮子里的水果",
    "The basket holds {count} fruit.": "篮子里有 {count} 个水果。",
    "Draw one bar for each fruit": "每种水果画一根柱子",
    "Fruit in the basket": "篮子里的水果",
    "Zebras and giraffes live together.": "斑马和长颈鹿生活在一起。",
    "How does a robot learn?": "机器人是怎样学习的？",
    "By magic": "靠魔法",
    "No: nothing here is magic.": "不对：这里没有魔法。",
    "From examples": "从例子中",
    "Yes: it learns from examples.": "对：它从例子中学习。",
    "Timing": "时间安排",
    "Spend ten minutes on the table.": "在表格上花十分钟。",
    "Counting words": "数词语",
    "The notebook reads a small text file and counts its words.": "这个笔记本读取一个小文本文件并数其中的词。",
    "Read the words from the data file": "从数据文件中读取词语",
}
ZH_SITE = {
    "Courses": "课程",
    "Level": "难度",
    "Teacher guide: {title}": "教师指南：{title}",
    "Curriculum map": "课程地图",
    "Printable handout (PDF)": "可打印讲义（PDF）",
    "Find a module": "查找模块",
}


@pytest.fixture(scope="module")
def site(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built demo plus a Chinese locale; 02-counting now needs 01-first-steps first."""
    root = tmp_path_factory.mktemp("teachers") / "demo"
    shutil.copytree(built_demo, root)
    module = root / "courses" / "demo" / "02-counting.py"
    source = module.read_text(encoding="utf-8")
    module.write_text(
        source.replace(
            "#     duration: 10\n", "#     duration: 10\n#     prerequisites: [01-first-steps]\n"
        ),
        encoding="utf-8",
    )
    ailit("--project", str(root), "init-locale", "zh", check=True)
    for domain, words in (("demo", ZH_COURSE), ("site", ZH_SITE)):
        path = root / "locales" / "zh" / "LC_MESSAGES" / f"{domain}.po"
        po = catalog.load(path, locale="zh")
        for msgid, msgstr in words.items():
            assert po[msgid] is not None, msgid
            po[msgid].string = msgstr
        catalog.save(path, po)
    ailit("--project", str(root), "build", "--locale", "zh", check=True)
    return root / "build" / "site"


def _text(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def _pdf_text(path: Path, *options: str) -> str:
    """The PDF's text as pdftotext (poppler-utils) extracts it, without bidi marks."""
    assert shutil.which("pdftotext"), "pdftotext is missing: install Debian's poppler-utils"
    result = subprocess.run(
        ["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True
    )
    return re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", result.stdout)


def _visible_titles(offline: Offline) -> list[str]:
    return [t.strip() for t in offline.page.locator(".ailit-card:visible h3").all_inner_texts()]


# The catalogue


def test_catalogue_lists_modules_as_cards_with_their_facts(site: Path) -> None:
    page = _text(site, "en/index.html")
    cards = re.findall(r'<li class="ailit-card"(.*?)</li>', page, re.S)
    assert len(cards) == 2
    first = cards[0]
    assert 'data-level="beginner"' in first and 'data-age="11+"' in first
    assert 'data-duration="20"' in first and 'data-competency="ai-foundations"' in first
    assert 'href="demo/01-first-steps.html"' in first
    assert "A robot learns from examples, not from magic." in first  # its first paragraph
    for fact in ("Beginner", "11+", "20 minutes", "AI foundations"):
        assert fact in first
    zh = _text(site, "zh/index.html")
    assert TITLES["zh"] in zh and "机器人从例子中学习" in zh
    sw = _text(site, "sw/index.html")  # an untranslated summary says it is English
    assert '<p class="ailit-card-summary" lang="en" dir="ltr">A robot learns' in sw


@pytest.mark.browser
def test_filters_narrow_the_list_and_keep_the_choice_in_the_fragment(
    site: Path, offline: Offline
) -> None:
    page = offline.page
    page.goto((site / "en" / "index.html").as_uri())
    scripts_ran(page)
    assert page.locator(".ailit-filters").is_visible()
    assert _visible_titles(offline) == ["First steps with a robot", "Counting words"]
    page.select_option("#ailit-filter-duration", "10")
    assert _visible_titles(offline) == ["Counting words"]
    assert page.evaluate("location.hash") == "#duration=10"
    assert page.locator(".ailit-filter-count").inner_text() == "1 of 2 modules shown."
    page.select_option("#ailit-filter-competency", "ai-foundations")
    assert _visible_titles(offline) == []
    assert page.locator(".ailit-filter-none").is_visible()
    assert not page.locator(".ailit-course-card").is_visible()
    page.click(".ailit-filter-reset")
    assert _visible_titles(offline) == ["First steps with a robot", "Counting words"]
    assert page.evaluate("location.hash") == ""
    page.select_option("#ailit-filter-age", "11+")
    page.select_option("#ailit-filter-level", "beginner")
    assert _visible_titles(offline) == ["First steps with a robot"]
    shared = page.url
    assert shared.endswith("#level=beginner&age=11%2B")
    page.goto((site / "fr" / "index.html").as_uri())
    page.goto(shared)  # a colleague opens the link: the same choice, the same cards
    scripts_ran(page)
    assert page.locator("#ailit-filter-age").input_value() == "11+"
    assert _visible_titles(offline) == ["First steps with a robot"]
    assert offline.errors == []


@pytest.mark.browser
def test_filters_work_from_the_keyboard(site: Path, offline: Offline) -> None:
    page = offline.page
    page.goto((site / "ar" / "index.html").as_uri())
    scripts_ran(page)
    page.focus("#ailit-filter-duration")
    page.keyboard.press("ArrowDown")  # "up to 10 minutes"
    assert page.locator(".ailit-card:visible").count() == 1
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the competency chooser, onto "show all"
    assert page.evaluate("document.activeElement.classList.contains('ailit-filter-reset')")
    page.keyboard.press("Enter")
    assert page.locator(".ailit-card:visible").count() == 2
    assert offline.errors == []


@pytest.mark.browser
def test_without_javascript_the_catalogue_is_a_plain_list(site: Path, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((site / "en" / "index.html").as_uri() + "#duration=10")
        assert not page.locator(".ailit-filters").is_visible()
        assert page.locator(".ailit-card:visible").count() == 2
    finally:
        context.close()


# The module page


def test_module_page_shows_facts_then_buttons_then_the_lesson(site: Path) -> None:
    page = _text(site, f"en/{MODULE}.html")
    order = [
        page.index("<h1"),
        page.index('class="ailit-facts"'),
        page.index('class="ailit-actions"'),
        page.index("A robot learns from"),
        page.index('class="ailit-quiz"'),
    ]
    assert order == sorted(order)
    actions = re.search(r'<div class="ailit-actions"[^>]*>(.*?)</div>', page, re.S)
    assert actions
    hrefs = re.findall(r'href="([^"]+)"', actions.group(1))
    assert hrefs == [
        "01-first-steps-handout.pdf",
        "01-first-steps.ipynb",
        "01-first-steps-teacher.html",
    ]
    for href in hrefs:
        assert (site / "en" / "demo" / href).is_file()
    teacher = _text(site, f"en/{MODULE}-teacher.html")
    assert 'href="01-first-steps-teacher.pdf"' in teacher


def test_prerequisites_name_the_module_in_the_locale(site: Path) -> None:
    page = _text(site, "zh/demo/02-counting.html")
    link = re.search(r'<p class="ailit-prerequisites">.*?<a href="([^"]+)">([^<]+)</a>', page)
    assert link and link.groups() == ("01-first-steps.html", TITLES["zh"])


# The curriculum map


def test_map_shows_modules_by_competency_and_big_idea_with_the_gaps(site: Path) -> None:
    page = _text(site, "en/map.html")
    unesco, ideas = re.findall(r'<table class="ailit-map">(.*?)</table>', page, re.S)
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', unesco, re.S)
    assert [name for name, _ in rows] == [
        "Human-centred mindset",
        "Ethics of AI",
        "AI techniques and applications",
        "AI system design",
    ]
    assert all(len(re.findall(r"<td", cells)) == 3 for _, cells in rows)
    covered = re.findall(r'<td class="ailit-map-covered">(.*?)</td>', unesco, re.S)
    assert len(covered) == 1
    assert "AI foundations" in covered[0]
    assert 'href="demo/01-first-steps.html"' in covered[0]
    assert len(re.findall(r'class="ailit-map-gap"', unesco)) == 11
    assert "1 of 12 covered." in page and "Not covered yet: Human agency" in page
    idea_rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', ideas, re.S)
    assert [n for n, cells in idea_rows if "ailit-map-covered" in cells] == ["3. Learning"]
    assert "1 of 5 covered." in page
    assert 'href="map.html"' in _text(site, "en/index.html")  # in the nav and the catalogue
    zh = _text(site, "zh/map.html")
    assert "<h1" in zh and "课程地图" in zh and TITLES["zh"] in zh


@pytest.mark.browser
def test_map_region_is_reachable_in_the_browser(site: Path, offline: Offline) -> None:
    page = offline.page
    page.goto((site / "ar" / "map.html").as_uri())
    gaps = page.locator(".ailit-map-gap:visible")
    assert gaps.count() == 11 + 4
    assert page.locator('.ailit-map-covered a[href="demo/01-first-steps.html"]').count() == 2
    assert offline.errors == []


# Printable handouts


@pytest.mark.parametrize("code", ["ar", "zh"])
def test_handout_holds_the_localized_title_and_the_quiz_without_answers(
    site: Path, code: str
) -> None:
    pdf = site / code / f"{MODULE}-handout.pdf"
    text = _pdf_text(pdf)
    assert TITLES[code] in text
    info = _pdf_text(pdf, "-l", "1")  # text on the first page, so not an image of text
    assert TITLES[code] in info
    meta = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "595.276 x 841.89 pts (A4)" in meta.stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    expected = {"ar": "NotoNaskhArabic", "zh": "NotoSansCJK"}[code]
    assert expected in fonts.stdout  # real glyphs from Debian's Noto fonts, embedded


def test_handout_quiz_has_no_answers_and_the_guide_has_its_own_pdf(site: Path) -> None:
    handout_text = _pdf_text(site / "zh" / f"{MODULE}-handout.pdf")
    assert "机器人是怎样学习的？" in handout_text and "靠魔法" in handout_text
    assert "对：它从例子中学习。" not in handout_text  # feedback gives the answer away
    assert "在表格上花十分钟。" not in handout_text  # the teacher's notes stay out
    assert "机器人从例子中学习" in handout_text  # the lesson's first paragraph
    guide = _pdf_text(site / "zh" / f"{MODULE}-teacher.pdf")
    assert "教师指南：" + TITLES["zh"] in guide and "在表格上花十分钟。" in guide


def test_arabic_handout_runs_right_to_left(site: Path) -> None:
    words = re.findall(
        r'<word xMin="([\d.]+)"[^>]*>([^<]+)</word>',
        _pdf_text(site / "ar" / f"{MODULE}-handout.pdf", "-bbox"),
    )
    # pdftotext -bbox lists words as laid out, letters in visual order (right to left)
    x = {word[::-1]: float(left) for left, word in words}
    # the title's first word (خطوات) stands to the right of its last (روبوت)
    assert x["خطوات"] > x["مع"] > x["روبوت"]


def test_handouts_are_cached_by_their_html(tmp_path: Path) -> None:
    sheet = handout.Sheet("zh", "ltr", "课程", "标题", [("难度", "入门")], {})
    document = handout.guide_html(
        _notebook("::::{teacher-guide}\n## 时间\n\n十分钟。\n::::"), sheet
    )
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert handout.write_pdf(document, first, tmp_path / "cache") is True
    assert handout.write_pdf(document, second, tmp_path / "cache") is False
    assert first.read_bytes() == second.read_bytes()
    assert "十分钟。" in _pdf_text(second)


def _notebook(markdown: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown)])


@pytest.mark.browser
def test_web_pages_print_without_navigation_or_answers(site: Path, offline: Offline) -> None:
    page = offline.page
    page.goto((site / "en" / f"{MODULE}.html").as_uri())
    scripts_ran(page)
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".ailit-actions", ".md-footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("h1").is_visible()
    assert page.locator(".ailit-quiz-question").first.is_visible()
    page.locator(".ailit-quiz input").first.check()
    assert not page.locator(".ailit-quiz-feedback").first.is_visible()


# Accessible and light


def _pages(site: Path, code: str) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / code).rglob("*.html"))


@pytest.mark.browser
@pytest.mark.parametrize("code", ["en", "ar", "zh"])
def test_every_page_passes_axe(site: Path, offline: Offline, code: str) -> None:
    pages = _pages(site, code) + (["index.html", "translation.html"] if code == "en" else [])
    assert len(pages) >= 6
    assert axe_findings(offline, site, pages) == []
    assert offline.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("code", ["en", "ar", "zh"])
def test_pages_fit_a_360px_phone(site: Path, browser: Browser, tmp_path: Path, code: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        for rel in ("index.html", f"{MODULE}.html", "map.html", f"{MODULE}-teacher.html"):
            page.goto((site / code / rel).as_uri())
            scripts_ran(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{code}/{rel} is {width} px wide"
            box = page.locator("h1").bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360
            shot = tmp_path / f"{rel.replace('/', '-')}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert struct.unpack(">I", shot.read_bytes()[16:20])[0] == 360  # PNG width
    finally:
        context.close()


@pytest.mark.browser
def test_module_page_is_light(site: Path, offline: Offline) -> None:
    loaded: list[str] = []
    offline.page.on("requestfinished", lambda request: loaded.append(request.url))
    offline.page.goto((site / "en" / f"{MODULE}.html").as_uri())
    offline.page.wait_for_load_state("networkidle")
    files = {Path(unquote(urlparse(url).path)) for url in loaded}
    weight = sum(f.stat().st_size for f in files)
    assert any(f.suffix == ".css" for f in files) and any(f.suffix == ".js" for f in files)
    assert weight < 1_000_000, f"a module page loads {weight} bytes"
