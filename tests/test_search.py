"""Search by script, in the site's own search box, from file:// and over HTTP.

The words are chosen from each locale's search index by the test (a word on exactly one
page, a word on a few pages, a word on none, an Arabic word without its article and with
diacritics), never by hand. A query finds the pages holding a word that begins with it
(Material adds a wildcard to every term). Queries are typed fast (filled at once, as a
paste or an input method does) and slow (one character at a time).
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, Route

from ailit.i18n import catalog
from ailit.site.build import SEARCH_SEPARATOR
from conftest import ailit, built_demo_copy, scripts_ran

pytestmark = pytest.mark.browser

#: every language the starter course ships, read from its configuration
SHIPPED = ["en", *yaml.safe_load((Path(__file__).parents[1] / "site_config" / "languages.yml")
                                 .read_text("utf-8"))["languages"]]  # fmt: skip

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
ARTICLE = "\u0627\u0644"
SCRIPTS = (re.compile(HAN.pattern + "+"), re.compile("[\u0621-\u064a\u0671-\u06d3]+"))
MARKS = re.compile(
    "[\u00ad\u0610-\u061a\u061c\u064b-\u065f\u0670\u0640\u06d6-\u06ed"
    "\u200c-\u200f\u2060\u2066-\u2069]"
)


def normalise(word: str) -> str:
    """What a word must match as, whatever its spelling (the spec lunr.ailit.min.js follows)."""
    word = MARKS.sub("", word.lower())
    word = re.sub("[\u0622\u0623\u0625\u0671]", "\u0627", word)
    word = re.sub("[\u0649\u06cc]", "\u064a", word).replace("\u06a9", "\u0643")
    word = word.replace("\u0629", "\u0647")
    return re.sub(
        "^(?:\u0627\u0644(?=.{2})|(?:[\u0648\u0641\u0628\u0643]\u0627\u0644|\u0644\u0644)(?=.{3}))",
        "",
        word,
    )


class Index:
    """A locale's search index as the search worker cuts it into words."""

    def __init__(self, site: Path, code: str) -> None:
        data = json.loads((site / code / "search" / "search_index.json").read_text("utf-8"))
        self.raw: dict[str, set[str]] = {}
        for doc in data["docs"]:
            page = doc["location"].split("#")[0]
            words = self.raw.setdefault(page, set())
            for field in ("title", "text"):
                for text in re.split(r"<[^>]*>", doc.get(field) or ""):
                    words.update(w.lower() for w in re.split(SEARCH_SEPARATOR, text) if w)
        self.words = {page: {normalise(w) for w in raw} - {""} for page, raw in self.raw.items()}
        self.text = " ".join(d["title"] + " " + d["text"] for d in data["docs"])
        self.where: dict[str, set[str]] = {}
        for page, words in self.words.items():
            for word in words:
                self.where.setdefault(word, set()).add(page)
        self.sorted = sorted(self.where)

    def pages_with(self, query: str) -> set[str]:
        """The pages holding a word that begins with the query, as spelled in the index."""
        term = normalise(query)
        found: set[str] = set()
        for word in self.sorted[bisect_left(self.sorted, term) :]:
            if not word.startswith(term):
                break
            found |= self.where[word]
        return found

    def counts(self) -> Counter[str]:
        """Pages per word, of the locale's own script where it has one besides Latin
        (Chinese, Arabic: not the English words of code and names)."""
        counts = Counter(w for words in self.words.values() for w in words)
        letters = Counter(c for w in counts for c in w if c.isalpha())
        for script in SCRIPTS:
            if sum(n for c, n in letters.items() if script.match(c)) > sum(letters.values()) / 3:
                return Counter({w: n for w, n in counts.items() if script.fullmatch(w)})
        return counts

    def rare(self) -> str:
        """A word on exactly one page (and no other word begins with it elsewhere); in
        Chinese one inside a run of characters whose first character is a word too."""
        counts = self.counts()
        candidates = [w for w, n in counts.items() if n == 1 and len(self.pages_with(w)) == 1]
        han = [w for w in candidates if len(w) >= 2 and all(HAN.match(c) for c in w)]
        if han:
            han.sort(key=lambda w: (w[0] not in counts, -len(w), w))
            inside = (w for w in han if re.search(HAN.pattern + re.escape(w), self.text))
            return next(inside, han[0])
        letters = [w for w in candidates if 4 <= len(w) <= 12 and w.isalpha()]
        return sorted(letters, key=lambda w: (-len(w), w))[0]

    def common(self) -> str:
        """A word on several pages, not on all (and at most 8: one screen of results)."""
        most = min(8, len(self.words) - 1)
        found = [
            (len(self.pages_with(w)), w)
            for w, n in self.counts().items()
            if n >= 2 and len(w) >= 2 and w.isalpha() and 2 <= len(self.pages_with(w)) <= most
        ]
        return sorted(found, key=lambda f: (-f[0], -len(f[1]), f[1]))[0][1]

    def absent(self) -> str:
        """A word of the locale's script that is on no page."""
        letters = Counter(c for w, n in self.counts().items() for c in w * n)
        letter = next(c for c, _ in letters.most_common() if c.isalpha())
        if HAN.match(letter):
            unused = (chr(c) for c in range(0x9FA5, 0x4E00, -1) if chr(c) not in letters)
            word = next(unused) + next(unused)
        else:
            word = letter * 4
        while self.pages_with(word):
            word += letter
        return word

    def without_article(self) -> tuple[str, str]:
        """An Arabic word written with its article on the pages, and that word without the
        article and with diacritics (fatha, kasra, shadda) as a reader may type it."""
        found = sorted(
            w
            for words in self.raw.values()
            for w in words
            if w.startswith(ARTICLE) and len(w) >= 6 and w.isalpha() and not MARKS.search(w)
        )
        word = next(w for w in found if 1 <= len(self.pages_with(w)) <= 8)
        bare = word[len(ARTICLE) :]
        return word, bare[0] + "\u064e" + bare[1] + "\u0650\u0651" + bare[2:]


# --- the browser ------------------------------------------------------------------------


class Tab:
    """A page whose requests may reach only the site (file:// or the loopback server)."""

    def __init__(self, browser: Browser, allowed: str) -> None:
        self.allowed = allowed
        self.left: list[str] = []
        self.errors: list[str] = []
        self.context: BrowserContext = browser.new_context(service_workers="block")
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))

    def _route(self, route: Route) -> None:
        if route.request.url.startswith(self.allowed):
            route.continue_()
        else:
            self.left.append(route.request.url)
            route.abort()

    def open(self, url: str) -> None:
        self.page.goto(url)
        scripts_ran(self.page)
        self.page.locator("label.md-search__icon, .md-search__input").first.click()
        texts = self.page.evaluate(
            "JSON.parse(document.getElementById('__config').textContent).translations"
        )
        self.none = texts["search.result.none"]
        self.placeholder = texts["search.result.placeholder"]
        self.base = url.rsplit("/", 1)[0] + "/"

    def results(self) -> tuple[str, set[str]]:
        meta, links = self.page.evaluate(
            """() => [document.querySelector('.md-search-result__meta').textContent,
                      [...document.querySelectorAll('.md-search-result__list a')]
                        .map(a => a.href)]"""
        )
        pages = set()
        for link in links:
            assert link.startswith(self.base), link  # only pages of its own locale
            pages.add(unquote(urlsplit(link[len(self.base) :]).path))
        return meta, pages

    def search(self, query: str, slow: bool) -> set[str]:
        box = self.page.locator("input.md-search__input")
        box.fill("")
        self._settle(lambda meta, pages: meta == self.placeholder and not pages)
        if slow:
            box.press_sequentially(query, delay=40)
        else:
            box.fill(query)
        return self._settle(
            lambda meta, pages: (
                meta not in (self.placeholder, "") and (bool(pages) or meta == self.none)
            )
        )

    def _settle(self, done: object) -> set[str]:
        """The results once they answer the last query and stay (a late answer would show)."""
        deadline = time.monotonic() + 10
        last = None
        while time.monotonic() < deadline:
            now = self.results()
            if done(*now) and now == last:  # type: ignore[operator]
                return now[1]
            last = now
            self.page.wait_for_timeout(100)
        raise AssertionError(f"the search box did not answer: {last}")

    def close(self) -> None:
        self.context.close()
        assert self.left == [], f"requests tried to leave: {self.left}"
        assert self.errors == [], self.errors


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _served(site: Path) -> Iterator[str]:
    """`ailit serve` on a free loopback port, stopped (by its own pid) after."""
    port = _free_port()
    command = [sys.executable, "-m", "ailit", "-q", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--dir", str(site)]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "ailit serve did not start"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.communicate(timeout=10)


def _check_locale(browser: Browser, site: Path, code: str, root: str) -> None:
    """Every chosen word, fast on one transport and slow on the other: exactly its pages."""
    index = Index(site, code)
    queries = [index.rare(), index.common(), index.absent()]
    if code == "ar":
        with_article, typed = index.without_article()
        queries.append(typed)
        # spelled differently, found the same: the pages with the article are among them
        raw = {p for p, words in index.raw.items() if with_article in words}
        assert raw and raw <= index.pages_with(typed)
    assert len(index.pages_with(queries[0])) == 1
    assert 1 < len(index.pages_with(queries[1])) < len(index.words)
    assert index.pages_with(queries[2]) == set()
    for transport, url in (("file", (site / code / "index.html").as_uri()),
                           ("http", f"{root}/{code}/index.html")):  # fmt: skip
        if transport == "http" and not root:
            continue
        tab = Tab(browser, "file://" if transport == "file" else root)
        try:
            tab.open(url)
            for number, query in enumerate(queries):
                slow = (number + (transport == "http")) % 2 == 1
                found = tab.search(query, slow=slow)
                expected = index.pages_with(query)
                assert found == expected, (code, transport, query, slow, found, expected)
        finally:
            tab.close()


@pytest.fixture(scope="module")
def demo_served(built_demo: Path) -> Iterator[str]:
    with _served(built_demo / "build" / "site") as root:
        yield root


@pytest.mark.parametrize("code", ["ar"])  # the fixture: a small site, an RTL locale
def test_demo_search_finds_exactly_the_pages_with_the_word(
    browser: Browser, built_demo: Path, demo_served: str, code: str
) -> None:
    _check_locale(browser, built_demo / "build" / "site", code, demo_served)


@pytest.fixture(scope="module")
def starter_served(starter_site: Path) -> Iterator[str]:
    with _served(starter_site) as root:
        yield root


@pytest.mark.parametrize("code", SHIPPED)
def test_starter_search_finds_exactly_the_pages_with_the_word(
    browser: Browser, starter_site: Path, starter_served: str, code: str
) -> None:
    _check_locale(browser, starter_site, code, starter_served)


#: sentences for the demo's plain paragraphs (no markup, numbers or placeholders) in
#: languages written without spaces, and words to look for: kana, kanji, Thai, at the start
#: of a run of text and inside it, and a word on no page
UNSPACED = {
    "ja": (
        (
            "人工知能には一つの定義はありません。多くの人は、機械が学習して判断する技術だと考えています。",
            "ロボットは例から学びます。間違えることもありますが、少しずつ上手になります。",
            "このノートブックは小さなファイルを読み込み、言葉の数を数えます。",
        ),
        ["ありません", "学習", "上手", "数えます", "ロボット", "ぬぬぬぬ"],
    ),
    "th": (
        (
            "ไม่มีคำจำกัดความเดียวของปัญญาประดิษฐ์ หลายคนคิดว่าเป็นเทคโนโลยีที่เครื่องจักรเรียนรู้",
            "หุ่นยนต์เรียนรู้จากตัวอย่าง บางครั้งก็ผิดพลาดแต่ค่อยๆเก่งขึ้น",
            "สมุดบันทึกนี้อ่านไฟล์เล็กๆและนับจำนวนคำ",
        ),
        ["ปัญญาประดิษฐ์", "เทคโนโลยี", "ตัวอย่าง", "ผิดพลาด", "นับจำนวน", "ฆฆฆฆ"],
    ),
}
ABSENT = {"ぬぬぬぬ", "ฆฆฆฆ"}
UNSPACED_RUN = re.compile("[\u3040-\u30ff\u4e00-\u9fff\u0e00-\u0e7f]+")


@pytest.fixture(scope="module", params=sorted(UNSPACED))
def unspaced_site(
    request: pytest.FixtureRequest, built_demo: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """The demo with a new locale written without spaces, a few paragraphs translated."""
    code = request.param
    root = built_demo_copy(built_demo, tmp_path_factory, f"unspaced-{code}")
    ailit("--project", str(root), "init-locale", code, check=True)
    path = root / "locales" / code / "LC_MESSAGES" / "demo.po"
    po = catalog.load(path, locale=code)
    plain = [
        m
        for m in po
        if isinstance(m.id, str) and "md-text" in m.flags and len(m.id.split()) > 4
        if not re.search(r"[\[\]`*_{}<>#\d|]", m.id)
    ]
    sentences = UNSPACED[code][0]
    assert len(plain) >= len(sentences)
    for message, text in zip(plain, sentences, strict=False):
        message.string = text
    catalog.save(path, po)
    ailit("--project", str(root), "build", "--locale", code, check=True)
    return code, root / "build" / "site"


def test_unspaced_words_are_found_anywhere_in_the_text(
    browser: Browser, unspaced_site: tuple[str, Path]
) -> None:
    """Words of Japanese (kana, kanji) and Thai, at the start of a run of text or inside it,
    find the pages that hold them and no page without them: the text is cut into words at
    build time (ICU), the query into the index's words in the worker, every one required."""
    code, site = unspaced_site
    index = Index(site, code)
    assert "\u200b" in index.text  # the index holds the cut text
    text = _page_texts(site / code)
    sentences, queries = UNSPACED[code]
    tokens = sorted({w for sentence in sentences for w in _cut(index, sentence)})
    inside = [w for w in tokens if len(w) >= 2 and not sentences[0].startswith(w)]
    tab = Tab(browser, "file://")
    try:
        tab.open((site / code / "index.html").as_uri())
        for number, query in enumerate([*queries, inside[0]]):
            found = tab.search(query, slow=number % 2 == 1)
            holding = {page for page, words in text.items() if query in words}
            every_part = set.intersection(*(index.pages_with(w) for w in _cut(index, query)))
            assert holding <= found <= every_part, (query, found, holding)
            assert bool(found) == (query not in ABSENT), query
    finally:
        tab.close()


def _cut(index: Index, text: str) -> list[str]:
    """A run cut into the index's words, longest first, as the worker cuts a query."""
    words = []
    for run in UNSPACED_RUN.findall(text):
        i = 0
        while i < len(run):
            j = min(len(run), i + 24)
            while j > i + 1 and run[i:j] not in index.where:
                j -= 1
            words.append(run[i:j])
            i = j
    return words


def _page_texts(site: Path) -> dict[str, str]:
    """Each page's indexed text, tags and word cuts taken out."""
    data = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    pages: dict[str, str] = {}
    for doc in data["docs"]:
        page = doc["location"].split("#")[0]
        body = re.sub(r"<[^>]*>", "", (doc.get("title") or "") + (doc.get("text") or ""))
        pages[page] = pages.get(page, "") + body.replace("\u200b", "")
    return pages
