"""Light pages: nothing holds up the first paint, search loads when it is first used, and a
module page stays within its weight budget (issue 16)."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from ailit.site.csstrim import trim_stylesheets
from ailit.site.hooks import on_page_content

PAGE = "demo/01-first-steps.html"
#: what a module page may transfer, by language (KiB)
BUDGET = {"en": 300, "ar": 350}
#: what loads only when the reader first searches
SEARCH_FILES = ("search_index", "workers/search", "iframe-worker")


def _site(root: Path) -> Path:
    return root / "build" / "site"


# --- the pages as built ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["en", "ar"])
def test_no_script_holds_up_the_first_paint(built_demo: Path, code: str) -> None:
    html = (_site(built_demo) / code / PAGE).read_text(encoding="utf-8")
    head = html[: html.index("</head>")]
    assert re.findall(r"<script\b[^>]*\bsrc=", head) == []
    blocking = [
        tag
        for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", html)
        if not re.search(r"\s(defer|async)\b", tag)
    ]
    assert blocking == []
    assert "search_index" not in html


@pytest.mark.parametrize(("code", "name"), [("en", "Search"), ("ar", "بحث"), ("fr", "Recherche")])
def test_the_search_dialog_is_named_in_the_page_language(
    built_demo: Path, code: str, name: str
) -> None:
    """Lighthouse and axe (aria-dialog-name): a dialog needs a name a screen reader says."""
    html = (_site(built_demo) / code / PAGE).read_text(encoding="utf-8")
    assert f'role="dialog" aria-label="{name}">' in html


def test_images_after_the_first_load_when_scrolled_to() -> None:
    html = '<p>a</p><img src="a.png" alt="a"><img src="b.png" alt="b"><img loading="eager" src="c"><img src="d.png"/>'
    out = on_page_content(html, None, None, None)
    assert out == (
        '<p>a</p><img src="a.png" alt="a"><img src="b.png" alt="b" loading="lazy">'
        '<img loading="eager" src="c"><img src="d.png" loading="lazy"/>'
    )


def test_theme_css_nothing_uses_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<html dir="ltr"><body class="used" data-md-color-primary="indigo">'
        '<script>document.body.classList.add("made-by-script")</script></body></html>'
    )
    (tmp_path / "app.js").write_text('el.className = "md-tooltip"')
    sheet = tmp_path / "main.min.css"
    sheet.write_text(
        ":root{--icon-used:url(a.svg);--icon-unused:url(b.svg);--shade:red;--glow:1px}"
        ".used{mask-image:var(--icon-used)}.unused{mask-image:var(--icon-unused)}"
        ".used .unused,.used .md-tooltip{color:var(--shade)}.made-by-script{top:0}"
        "[dir=rtl] .used{left:0}[data-md-color-primary=red]{--x:1}"
        "[data-md-color-primary=indigo]{--shade:blue}"
        ".used:not(.unused){right:0}@media screen{.unused{top:1px}.used{top:2px}}"
        "@keyframes pulse{0%{opacity:0;top:var(--glow)}}"
    )
    (tmp_path / "main.min.css.map").write_text("{}")
    trim_stylesheets(tmp_path, [sheet])
    assert sheet.read_text() == (
        ":root{--icon-used:url(a.svg);--shade:red;--glow:1px}.used{mask-image:var(--icon-used)}"
        ".used .md-tooltip{color:var(--shade)}.made-by-script{top:0}"
        "[data-md-color-primary=indigo]{--shade:blue}.used:not(.unused){right:0}"
        "@media screen{.used{top:2px}}@keyframes pulse{0%{opacity:0;top:var(--glow)}}"
    )
    assert not (tmp_path / "main.min.css.map").exists()


# --- in the browser: file:// and loopback HTTP -------------------------------------------


@contextmanager
def _http(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _page(browser: Browser, root: str) -> Iterator[tuple[Page, list[str]]]:
    """A phone-sized page whose requests may reach only ``root``, and the list of them."""
    context = browser.new_context(service_workers="block", viewport={"width": 412, "height": 823})
    requested: list[str] = []
    left: list[str] = []
    errors: list[str] = []

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        if url.startswith(root):
            requested.append(url)
            r.continue_()  # type: ignore[attr-defined]
        else:
            left.append(url)
            r.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page, requested
    finally:
        context.close()
    assert left == [] and errors == [], (left, errors)


def _loaded(page: Page, url: str) -> None:
    """The page and its scripts: Material's has started and ailit's has run."""
    page.goto(url)
    page.wait_for_function("window.document$ && document.documentElement.classList.contains('js')")
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["file", "http"])
def test_search_loads_when_first_used(built_demo: Path, browser: Browser, scheme: str) -> None:
    site = _site(built_demo)
    served = _http(site) if scheme == "http" else _nothing(site.as_uri() + "/")
    with served as root, _page(browser, root) as (page, requested):
        _loaded(page, root + "en/" + PAGE)
        assert [u for u in requested if any(f in u for f in SEARCH_FILES)] == []
        page.locator("label.md-header__button[for=__search]").click()  # a phone's search button
        page.locator("input.md-search__input").fill("zebras")
        page.locator(".md-search-result__item a").first.wait_for(timeout=15000)
        wanted = ["search_index", "workers/search"]
        if scheme == "file":
            wanted.append("iframe-worker")  # the shim, for a worker from file://
        for part in wanted:
            assert any(part in u for u in requested), (part, requested)


@contextmanager
def _nothing(root: str) -> Iterator[str]:
    yield root


@pytest.mark.browser
@pytest.mark.parametrize("code", list(BUDGET))
def test_module_page_transfers_within_budget(built_demo: Path, browser: Browser, code: str) -> None:
    site = _site(built_demo)
    root = site.as_uri() + "/"
    with _page(browser, root) as (page, requested):
        _loaded(page, root + f"{code}/{PAGE}")
        files = {Path(unquote(urlsplit(u).path)) for u in requested}
        total = sum(f.stat().st_size for f in files)
    assert total <= BUDGET[code] * 1024, sorted((f.stat().st_size, f.name) for f in files)
