"""The starter course on a 360 px phone, and on paper: Debian's Chromium from file://.

Each check is a measurement a teacher would make by eye: nothing slides sideways, printed
text wraps, plot labels keep their size, the quiz question stays in its box, Tab never
lands in a closed menu, and every word (footer, quiz letters, activity label) is in the
page's language. A full-page screenshot of each page is kept beside the test's files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from ailit.core.paths import ASSETS
from conftest import scripts_ran

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
LOCALES = ("en", "fr", "ar", "zh")
COURSE = "ai-literacy"
UNPLUGGED = {
    "en": "Unplugged activity",
    "fr": "Activité débranchée",
    "ar": "نشاط دون حاسوب",
    "zh": "不插电活动",
}
LETTERS = {"en": "a) b) c)", "fr": "a) b) c)", "ar": "أ) ب) ج)", "zh": "A) B) C)"}
LICENCE = {
    "fr": "Texte du cours CC BY 4.0, code MIT.",
    "ar": "نص الدورة مرخّص بموجب CC BY 4.0، والشيفرة بموجب MIT.",
    "zh": "课程文本采用 CC BY 4.0 许可，代码采用 MIT 许可。",  # noqa: RUF001
}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, service_workers="block"
    )
    context.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def _modules(site: Path, code: str) -> list[Path]:
    folder = site / code / COURSE
    return sorted(p for p in folder.glob("[0-9][0-9]-*.html") if not p.stem.endswith("-teacher"))


def _open(page: Page, path: Path) -> None:
    page.goto(path.as_uri())
    scripts_ran(page)


SIDEWAYS = """() => {
  window.scrollTo(-10000, 0); const left = window.scrollX;
  window.scrollTo(10000, 0); const right = window.scrollX;
  window.scrollTo(0, 0);
  return [document.documentElement.scrollWidth, left, right];
}"""

#: text outputs wider than their box that neither wrap nor scroll inside it
UNREADABLE_OUTPUTS = """() => [...document.querySelectorAll('pre.ailit-output > code')]
  .filter(c => c.scrollWidth > c.clientWidth + 1)
  .filter(c => c.closest('pre').matches('.ailit-stdout, .ailit-stderr, .ailit-error')
               || !['auto', 'scroll'].includes(getComputedStyle(c).overflowX))
  .map(c => c.textContent.slice(0, 60))"""

#: plots drawn smaller than their own pixels (their 10 pt labels then fall under 11 px),
#: or not shown from their left axis (where a right-to-left box would start scrolled)
SHRUNK_PLOTS = """() => [...document.querySelectorAll('img.ailit-figure')]
  .filter(i => i.naturalWidth && (i.getBoundingClientRect().width < i.naturalWidth - 1
    || i.getBoundingClientRect().left < i.closest('.ailit-outputs').getBoundingClientRect().left - 1))
  .map(i => i.getAttribute('src') + ' ' + i.naturalWidth + ' -> '
            + Math.round(i.getBoundingClientRect().width))"""

#: quiz questions whose text leaves their box or crosses its top border
QUESTIONS_OUT = """() => [...document.querySelectorAll('.ailit-quiz fieldset')].filter(f => {
  const box = f.getBoundingClientRect(), text = f.querySelector('legend').getBoundingClientRect();
  const border = parseFloat(getComputedStyle(f).borderTopWidth);
  return text.left < box.left - 0.5 || text.right > box.right + 0.5 || text.top < box.top + border;
}).map(f => f.querySelector('legend').textContent.slice(0, 60))"""


def test_plots_are_drawn_for_labels_of_11_px() -> None:
    rc = (ASSETS / "matplotlibrc").read_text(encoding="utf-8")
    dpi = float(re.search(r"^figure\.dpi:\s*([\d.]+)", rc, re.M).group(1))  # type: ignore[union-attr]
    assert 10 * dpi / 72 >= 11  # a 10 pt label, in pixels of the plot's own size


@pytest.mark.parametrize("code", LOCALES)
def test_module_pages_fit_a_360_px_phone(
    starter_site: Path, phone: Page, code: str, tmp_path: Path
) -> None:
    pages = _modules(starter_site, code)
    assert len(pages) == 8
    problems = []
    for path in pages:
        _open(phone, path)
        width, left, right = phone.evaluate(SIDEWAYS)
        if width > PHONE["width"] or left or right:
            problems.append(f"{path.name}: slides sideways ({width} px wide)")
        for what, script in (
            ("text output off-screen", UNREADABLE_OUTPUTS),
            ("plot shrunk", SHRUNK_PLOTS),
            ("quiz question out of its box", QUESTIONS_OUT),
        ):
            problems += [f"{path.name}: {what}: {x}" for x in phone.evaluate(script)]
        shot = tmp_path / f"{code}-{path.stem}.png"
        phone.screenshot(path=shot, full_page=True)
        assert int.from_bytes(shot.read_bytes()[16:20], "big") == PHONE["width"], path.name
    assert problems == []


@pytest.mark.parametrize("code", LOCALES)
def test_tab_never_enters_a_closed_menu(starter_site: Path, phone: Page, code: str) -> None:
    _open(phone, _modules(starter_site, code)[4])
    stops = []
    for _ in range(30):
        phone.keyboard.press("Tab")
        phone.wait_for_timeout(150)  # a menu sliding in moves the page while it slides
        stops.append(
            phone.evaluate(
                """() => {
  const e = document.activeElement, r = e.getBoundingClientRect();
  const seen = e.checkVisibility({checkVisibilityCSS: true})
    && r.width > 0 && r.right > 0 && r.left < window.innerWidth && window.scrollX === 0
    && !e.closest('.md-sidebar--primary');
  return [e.tagName + '.' + e.className, seen];
}"""
            )
        )
    assert [name for name, seen in stops if not seen] == [], stops


@pytest.mark.parametrize("code", ["en", "ar"])
def test_the_open_menu_takes_focus(starter_site: Path, phone: Page, code: str) -> None:
    _open(phone, _modules(starter_site, code)[0])
    phone.click('label.md-header__button[for="__drawer"]')
    link = phone.locator(".md-sidebar--primary a.md-nav__link").first
    link.focus()
    assert phone.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null")
    assert link.is_visible()


@pytest.mark.parametrize("code", LOCALES)
def test_quiz_letters_are_the_languages_own(starter_site: Path, phone: Page, code: str) -> None:
    _open(phone, _modules(starter_site, code)[0])
    question = phone.locator(".ailit-quiz-question").first
    letters = question.locator(".ailit-quiz-letter").all_inner_texts()
    assert " ".join(letters[:3]) == LETTERS[code]
    letter = question.locator(".ailit-quiz-letter").first.bounding_box()
    radio = question.locator("input").first.bounding_box()
    assert letter and radio
    if code == "ar":  # the letter starts the line, at its right, its bracket after it
        assert letter["x"] > radio["x"]
        assert (
            question.locator(".ailit-quiz-letter").first.evaluate(
                "e => getComputedStyle(e).direction"
            )
            == "rtl"
        )
    else:
        assert letter["x"] < radio["x"]


@pytest.mark.parametrize("code", LOCALES)
def test_unplugged_activity_says_what_it_is(starter_site: Path, phone: Page, code: str) -> None:
    _open(phone, _modules(starter_site, code)[0])
    label = phone.locator(".ailit-unplugged .admonition-title .ailit-kind")
    assert label.count() == 1
    assert label.is_visible()
    assert label.inner_text().strip().casefold() == UNPLUGGED[code].casefold()


@pytest.mark.parametrize("code", ["fr", "ar", "zh"])
def test_footer_is_in_the_page_language(starter_site: Path, phone: Page, code: str) -> None:
    _open(phone, _modules(starter_site, code)[0])
    footer = phone.locator(".md-copyright")
    assert phone.locator(".md-copyright__highlight").inner_text().strip() == LICENCE[code]
    text = footer.inner_text()
    assert "Course text" not in text and "Made with" not in text
    assert "Material for MkDocs" in text


def test_printed_quiz_shows_no_answer_chosen(starter_site: Path, browser: Browser) -> None:
    page = browser.new_page()
    try:
        _open(page, _modules(starter_site, "fr")[0])
        question = page.locator(".ailit-quiz-question").first
        wrong = question.locator('.ailit-quiz-answer[data-correct="false"] input').first
        wrong.check()
        chosen = question.locator(".ailit-quiz-answer.is-chosen label")
        screen = chosen.evaluate("e => getComputedStyle(e).backgroundColor")
        assert screen != "rgba(0, 0, 0, 0)"  # on screen the wrong choice is highlighted
        page.emulate_media(media="print")
        assert chosen.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
        assert wrong.evaluate("e => getComputedStyle(e).appearance") == "none"
        assert not question.locator(".ailit-quiz-feedback").first.is_visible()
        assert not question.locator(".ailit-quiz-result").is_visible()
    finally:
        page.close()
