"""The site as a school uses it: Debian's Chromium, from file://, with the network cut.

Every request that is not file:// is aborted and recorded; a test fails if any was tried.
These tests fail (never skip) when Chromium is missing: `make test` installs it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import Offline, hold_script, scripts_ran

pytestmark = pytest.mark.browser

SEARCH = {"en": "zebras", "fr": "zèbres", "ar": "الحاسوب", "sw": "twiga"}
PAGE = "demo/01-first-steps.html"


def _url(root: Path, rel: str) -> str:
    return (root / "build" / "site" / rel).as_uri()


@pytest.mark.parametrize("code", list(SEARCH))
def test_locale_loads_from_the_chooser_without_errors(
    built_demo: Path, offline: Offline, code: str
) -> None:
    page = offline.page
    page.goto(_url(built_demo, "index.html"))
    if code == "sw":  # below its publish threshold: a preview, not offered in the chooser
        assert page.locator('a[hreflang="sw"]').count() == 0
        page.goto(_url(built_demo, "sw/index.html"))
    else:
        page.click(f'a[hreflang="{code}"]')
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/{code}/index.html")
    assert page.locator("html").get_attribute("lang") == code
    page.click(f'a[href$="{PAGE}"]')
    page.wait_for_load_state("load")
    assert page.locator("h1").count() >= 1
    assert offline.errors == []


@pytest.mark.parametrize("code", list(SEARCH))
def test_search_finds_only_pages_of_its_own_locale(
    built_demo: Path, offline: Offline, code: str
) -> None:
    page = offline.page
    page.goto(_url(built_demo, f"{code}/index.html"))
    scripts_ran(page)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.fill("input.md-search__input", SEARCH[code])
    page.press("input.md-search__input", "End")  # Material searches on key events
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15000)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert hrefs
    here = (built_demo / "build" / "site" / code).as_uri()
    for href in hrefs:
        resolved = page.evaluate("h => new URL(h, document.baseURI).href", href)
        assert resolved.startswith(here + "/"), resolved
    assert offline.errors == []


def test_arabic_pages_run_right_to_left(built_demo: Path, offline: Offline) -> None:
    page = offline.page
    page.goto(_url(built_demo, f"ar/{PAGE}"))
    assert page.locator("body").get_attribute("dir") == "rtl"
    direction = page.evaluate("getComputedStyle(document.querySelector('.md-content')).direction")
    assert direction == "rtl"
    code_direction = page.evaluate("getComputedStyle(document.querySelector('pre code')).direction")
    assert code_direction == "ltr"


@pytest.mark.parametrize(("start", "target"), [("fr", "ar"), ("ar", "sw"), ("sw", "en")])
def test_switcher_keeps_the_page(
    built_demo: Path, offline: Offline, start: str, target: str
) -> None:
    page = offline.page
    page.goto(_url(built_demo, f"{start}/{PAGE}"))
    link = page.locator(f'.md-select__link[hreflang="{target}"]')
    href = link.get_attribute("href") or ""
    assert not href.startswith("/") and "://" not in href
    page.goto(page.evaluate("h => new URL(h, document.baseURI).href", href))
    assert page.url == _url(built_demo, f"{target}/{PAGE}")
    assert offline.errors == []


def test_fallback_passages_are_marked_in_english(built_demo: Path, offline: Offline) -> None:
    page = offline.page
    page.goto(_url(built_demo, f"sw/{PAGE}"))
    marked = page.locator('.ailit-fallback[lang="en"]')
    assert marked.count() > 3
    assert "A robot learns" in (page.locator('p.ailit-fallback[lang="en"]').first.inner_text())
    assert page.locator(".ailit-untranslated-note").count() == 1


def test_notebook_download_link_points_at_the_localized_notebook(
    built_demo: Path, offline: Offline
) -> None:
    page = offline.page
    page.goto(_url(built_demo, f"fr/{PAGE}"))
    link = page.locator(".ailit-download a")
    assert link.get_attribute("href") == "01-first-steps.ipynb"
    target = page.evaluate("h => new URL(h, document.baseURI).href", link.get_attribute("href"))
    assert target == _url(built_demo, "fr/demo/01-first-steps.ipynb")


def test_quiz_works_with_the_keyboard_and_announces_the_result(
    built_demo: Path, offline: Offline
) -> None:
    page = offline.page
    page.goto(_url(built_demo, f"fr/{PAGE}"))
    scripts_ran(page)
    feedback = page.locator(".ailit-quiz-feedback")
    assert not feedback.first.is_visible()  # with JavaScript, feedback waits for a choice
    page.locator(".ailit-quiz input").first.focus()
    page.keyboard.press("Space")
    result = page.locator(".ailit-quiz-result")
    assert result.get_attribute("aria-live") == "polite"
    assert "Non : rien n'est magique ici." in (result.text_content() or "")
    page.keyboard.press("ArrowDown")  # the next radio button: the right answer
    assert "Oui" in (result.text_content() or "")
    assert page.locator(".ailit-quiz-question.is-right").count() == 1
    assert offline.errors == []


def test_an_answer_chosen_before_the_scripts_run_gets_its_feedback(
    built_demo: Path, offline: Offline
) -> None:
    """Scripts come after the first paint: a quick reader's choice is still answered."""
    page = offline.page
    release = hold_script(page, "**/assets/ailit/ailit.js")
    page.goto(_url(built_demo, f"fr/{PAGE}"))
    page.locator(".ailit-quiz input").first.check()
    release()
    scripts_ran(page)
    assert "Non : rien n'est magique ici." in (
        page.locator(".ailit-quiz-result").first.text_content() or ""
    )
    assert offline.errors == []


def test_quiz_without_javascript_shows_every_feedback(built_demo: Path, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(_url(built_demo, f"fr/{PAGE}"))
        assert page.locator(".ailit-quiz-feedback").nth(1).is_visible()
    finally:
        context.close()


def test_teacher_guide_is_one_link_away(built_demo: Path, offline: Offline) -> None:
    page = offline.page
    page.goto(_url(built_demo, f"ar/{PAGE}"))
    assert page.locator("text=خصّص عشر دقائق للجدول.").count() == 0  # not on the learner's page
    page.click(".ailit-teacher-link a")
    page.wait_for_load_state("load")
    assert page.url.endswith("/ar/demo/01-first-steps-teacher.html")
    assert page.locator("text=خصّص عشر دقائق للجدول.").count() == 1
    assert offline.errors == []
