"""Integration: build the demo project in a temporary folder and inspect the site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from conftest import ailit

LOCALES = ["en", "fr", "ar", "sw"]
PAGE = "demo/01-first-steps.html"


def _html(root: Path, rel: str) -> str:
    return (root / "build" / "site" / rel).read_text(encoding="utf-8")


def test_language_chooser_links_every_locale_relatively(built_demo: Path) -> None:
    chooser = _html(built_demo, "index.html")
    for code in ("en", "fr", "ar"):
        assert f'href="{code}/index.html"' in chooser
    assert 'href="sw/index.html"' not in chooser  # a preview, below its threshold
    assert 'dir="rtl"' in chooser  # Arabic's entry


@pytest.mark.parametrize("code", LOCALES)
def test_every_page_exists_at_the_same_path_in_every_locale(built_demo: Path, code: str) -> None:
    site = built_demo / "build" / "site"
    en = {p.relative_to(site / "en") for p in (site / "en").rglob("*.html")}
    here = {p.relative_to(site / code) for p in (site / code).rglob("*.html")}
    assert en == here
    assert Path(PAGE) in here


@pytest.mark.parametrize("code", LOCALES)
def test_offline_pages_ask_for_nothing_outside(built_demo: Path, code: str) -> None:
    for page in (built_demo / "build" / "site" / code).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'\bsrc="(https?:)?//', text), page
        assert not re.search(r'<link[^>]+href="(https?:)?//', text), page
        assert not re.search(r'href="/[^/]', text), page
        assert "fonts.googleapis" not in text and "unpkg.com" not in text
    shim = built_demo / "build" / "site" / code / "assets" / "vendor" / "iframe-worker" / "shim.js"
    assert shim.is_file()


def test_text_direction_and_interface_language(built_demo: Path) -> None:
    assert re.search(r'<html lang="ar"[^>]*dir="rtl"', _html(built_demo, f"ar/{PAGE}")) or (
        'dir="rtl"' in _html(built_demo, f"ar/{PAGE}")
    )
    assert 'placeholder="Rechercher"' in _html(built_demo, f"fr/{PAGE}")
    # Material has no Swahili: the interface string comes from site.po
    assert 'placeholder="Tafuta"' in _html(built_demo, f"sw/{PAGE}")


def test_translated_text_and_english_fallback(built_demo: Path) -> None:
    fr = _html(built_demo, f"fr/{PAGE}")
    assert "Un robot apprend à partir d" in fr and "araignée" in fr
    sw = _html(built_demo, f"sw/{PAGE}")
    assert "Punda milia na twiga wanaishi pamoja." in sw
    assert re.search(
        r'<p[^>]*lang="en"[^>]*class="ailit-fallback"[^>]*>A robot learns', sw
    ) or re.search(r'<p[^>]*class="ailit-fallback"[^>]*lang="en"[^>]*>A robot learns', sw)
    assert "ailit-fallback" not in fr


def test_preview_and_review_notices(built_demo: Path) -> None:
    sw = _html(built_demo, f"sw/{PAGE}")
    assert "Preview:" in sw  # below its threshold of 90 %
    ar = _html(built_demo, f"ar/{PAGE}")
    assert re.search(r'<p class="ailit-notice">[^<]*[\u0600-\u06ff]', ar)  # said in Arabic
    fr = _html(built_demo, f"fr/{PAGE}")
    assert "ailit-notice" not in fr  # reviewed and complete: nothing to say


@pytest.mark.parametrize("code", LOCALES)
def test_search_index_holds_only_its_own_language(built_demo: Path, code: str) -> None:
    index = json.loads(_html(built_demo, f"{code}/search/search_index.json"))
    text = " ".join(doc["text"] + doc["title"] for doc in index["docs"])
    markers = {"en": "Zebras", "fr": "zèbres", "ar": "الزرافات", "sw": "twiga"}
    assert markers[code] in text
    for other, word in markers.items():
        if other != code and not (code == "sw" and other == "en"):
            assert word not in text, f"{other} text in the {code} index"


@pytest.mark.parametrize("code", LOCALES)
def test_offline_site_has_no_server_files_and_a_plain_utf8_search_index(
    built_demo: Path, code: str
) -> None:
    """The mkdocs hooks: no 404 page or sitemap; the index unescaped, and inlined as is."""
    site = built_demo / "build" / "site" / code
    for useless in ("404.html", "sitemap.xml", "sitemap.xml.gz"):
        assert not (site / useless).exists(), useless
    index = _html(built_demo, f"{code}/search/search_index.json")
    assert "\\u" not in index and ", " not in index[:200]  # no escapes, no spaces
    assert json.dumps(json.loads(index), ensure_ascii=False, separators=(",", ":")) == index
    assert _html(built_demo, f"{code}/search/search_index.js") == f"var __index = {index}"
    if code == "ar":
        assert "الزرافات" in index


def test_outputs_are_files_beside_the_page(built_demo: Path) -> None:
    page = _html(built_demo, f"fr/{PAGE}")
    images = re.findall(r'<img class="ailit-figure" src="([^"]+)"', page)
    assert images
    for src in images:
        assert (built_demo / "build" / "site" / "fr" / "demo" / src).is_file()
    assert "Le panier contient 3 fruits." in page  # printed output, translated string


@pytest.mark.parametrize("code", LOCALES)
def test_downloadable_notebook_is_valid_and_localized(built_demo: Path, code: str) -> None:
    path = built_demo / "build" / "site" / code / "demo" / "01-first-steps.ipynb"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    sources = "\n".join(cell.source for cell in notebook.cells)
    assert "_(" not in sources  # runs as-is: no gettext function needed
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert any(o.output_type == "stream" for o in outputs)
    assert any("image/png" in o.get("data", {}) for o in outputs)
    if code == "fr":
        assert "# Compter les fruits du panier" in sources
        assert 'basket = ["mango", "banana", "mango"]' in sources  # code is never translated
        assert "Premiers pas avec un robot" in sources


def test_hostile_translation_is_not_published(demo: Path) -> None:
    po = demo / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace(
        'msgstr "Il voit des nombres."', 'msgstr "Il voit <script>alert(1)</script>"'
    )
    text = text.replace(
        "[glossaire](https://example.org/glossary)", "[glossaire](javascript:alert(2))"
    )
    po.write_text(text, encoding="utf-8")
    result = ailit("--project", str(demo), "build", "--locale", "fr", check=True)
    assert "not published" in result.stderr
    page = (demo / "build" / "site" / "fr" / PAGE).read_text(encoding="utf-8")
    assert "alert(" not in page and "javascript:" not in page
    assert "It sees numbers." in page  # the source text stands in


def test_one_locale_builds_alone_or_says_in_one_line_why_it_builds_more(demo: Path) -> None:
    first = ailit("--project", str(demo), "build", "--locale", "fr", check=True).stdout
    why = [line for line in first.splitlines() if line.startswith("also building")]
    assert why == [
        "also building en, ar, sw (not built yet): every page's language menu links to them; "
        "after this build, --locale builds fr alone"
    ], first
    assert all(f"{code}: built" in first for code in LOCALES), first
    po = demo / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    po.write_text(po.read_text(encoding="utf-8").replace("araignée", "l'araignée"), "utf-8")
    again = ailit("--project", str(demo), "build", "--locale", "fr", check=True).stdout
    assert "also building" not in again and "fr: built" in again, again
    assert all(f"{code}: unchanged" in again for code in ("en", "ar", "sw")), again
    assert "l'araignée" in _html(demo, f"fr/{PAGE}")


def test_noop_rebuild_does_nothing(built_demo: Path) -> None:
    result = ailit("--project", str(built_demo), "build", check=True)
    assert result.stdout.count("unchanged") == len(LOCALES), result.stdout


def test_a_relative_project_root_is_made_absolute(demo: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Library callers may pass '.', as the benchmark's profiler does: paths still relate."""
    from ailit.model.project import Project

    monkeypatch.chdir(demo)
    project = Project(Path("."))
    assert project.root == demo.resolve()
    modules = [m.path.relative_to(project.root) for c in project.courses for m in c.modules]
    assert Path("courses/demo/01-first-steps.md") in modules
