"""One progress figure (course words translated, rounded down) everywhere it is shown, the
translation page always as fresh as the catalogues, and files written with honest modes."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from ailit.core.cache import Cache
from ailit.core.files import write_atomic
from ailit.i18n.status import Counts, progress
from conftest import ailit

# 50 words, then a paragraph of one: with the demo's 149 words the course has 200
FIFTY = " ".join(["Learning"] + ["from examples takes time and care"] * 8 + ["always."])
ONE = "Onward."
PAGE = "fr/demo/01-first-steps.html"


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_progress_is_rounded_down() -> None:
    assert progress(199, 200) == 99  # 99.5 %: never shown as 100
    assert progress(996, 1000) == 99
    assert progress(200, 200) == 100
    assert progress(0, 0) == 100  # nothing to translate
    counts = Counts()
    catalog = Catalog(locale="fr")
    catalog.add("one two three", "un deux trois")
    catalog.add("four", "")
    for message in catalog:
        if message.id:
            counts.add(message)
    assert (counts.translated_words, counts.total_words, counts.percent) == (3, 4, 75)


@pytest.fixture
def nearly_done(demo: Path, umask_022: None) -> Path:
    """The demo with French at 199 of 200 course words, and a threshold of 100."""
    module = demo / "courses/demo/01-first-steps.md"
    text = module.read_text("utf-8")
    anchor = "Zebras and giraffes live together.\n"
    module.write_text(text.replace(anchor, f"{anchor}\n{FIFTY}\n\n{ONE}\n"), "utf-8")
    languages = demo / "site_config/languages.yml"
    text = languages.read_text("utf-8")
    languages.write_text(text.replace("review: reviewed}", "review: reviewed, threshold: 100}"))
    ailit("--project", str(demo), "extract", check=True)
    ailit("--project", str(demo), "update", check=True)
    po = demo / "locales/fr/LC_MESSAGES/demo.po"
    text = po.read_text("utf-8")
    assert f'msgid "{FIFTY}"\nmsgstr ""\n' in text
    po.write_text(
        text.replace(f'msgid "{FIFTY}"\nmsgstr ""\n', f'msgid "{FIFTY}"\nmsgstr "{FIFTY} (fr)"\n')
    )
    return demo


def _figures(site: Path) -> tuple[dict, str, str]:
    """translation-status.json, the French part of translation.html, the French banner."""
    status = json.loads((site / "translation-status.json").read_text("utf-8"))
    page = (site / "translation.html").read_text("utf-8")
    section = re.search(r'<section><h2 lang="fr">.*?</section>', page, re.S)
    assert section, page
    return status, section.group(0), (site / PAGE).read_text("utf-8")


def test_one_figure_everywhere(nearly_done: Path) -> None:
    """199 of 200 words: 99 in status, --json, the banner, the page and the JSON."""
    data = json.loads(ailit("--project", str(nearly_done), "status", "--json", check=True).stdout)
    total = data["fr"]["total"]
    assert (total["translated_words"], total["untranslated_words"]) == (199, 1)
    assert total["percent"] == 99
    table = ailit("--project", str(nearly_done), "status", check=True).stdout
    assert re.search(r"fr\s*│\s*courses\b.*\b99%", table), table
    ailit("--project", str(nearly_done), "build", check=True)
    site = nearly_done / "build/site"
    status, section, banner = _figures(site)
    assert status["fr"]["published_percent"] == 99 and status["fr"]["total"]["percent"] == 99
    assert status["fr"]["preview"] is True
    assert 'value="99"' in section and "99% of words translated" in section
    assert re.search(r"seulement 99\s%", banner)  # said in French, as fr's site.po says it
    # a school's web server reads the site: every file and folder is world-readable
    for path in [site, *site.rglob("*")]:
        assert _mode(path) & stat.S_IROTH, path
        assert not path.is_dir() or _mode(path) & stat.S_IXOTH, path


def test_translation_page_follows_a_catalogue_not_rebuilt(nearly_done: Path) -> None:
    """fr's .po changes, only ar is rebuilt: the page and the JSON still show fr as it is."""
    ailit("--project", str(nearly_done), "build", check=True)
    po = nearly_done / "locales/fr/LC_MESSAGES/demo.po"
    text = po.read_text("utf-8")
    po.write_text(
        text.replace(f'msgid "{ONE}"\nmsgstr ""\n', f'msgid "{ONE}"\nmsgstr "En avant."\n')
    )
    out = ailit("--project", str(nearly_done), "build", "--locale", "ar", check=True).stdout
    assert "fr: unchanged" in out, out
    status, section, banner = _figures(nearly_done / "build/site")
    assert status["fr"]["published_percent"] == 100 and status["fr"]["preview"] is False
    assert 'value="100"' in section and "Nothing left to translate." in section
    assert re.search(r"seulement 99\s%", banner)  # fr's pages were not rebuilt: --locale ar


def test_status_verbose_lists_every_module(demo: Path) -> None:
    """`ailit status -v`, as the README documents it: a row per module and one for site.po."""
    for args in (["status", "-v"], ["-v", "status"]):
        out = ailit("--project", str(demo), *args, check=True, env={"COLUMNS": "120"}).stdout
        for part in ("demo/01-first-steps", "demo/02-counting", "demo/course.yml", "site"):
            assert re.search(rf"│ {re.escape(part)}\s+│", out), (part, out)
    plain = ailit("--project", str(demo), "status", check=True, env={"COLUMNS": "120"}).stdout
    assert "demo/01-first-steps" not in plain and "courses" in plain


def test_site_po_is_not_in_the_figure(demo: Path) -> None:
    """site.po (pre-filled from Material by init-locale) has its own row, not in the total."""
    data = json.loads(ailit("--project", str(demo), "status", "--json", check=True).stdout)
    sw = data["sw"]
    courses = [c for part, c in sw["parts"].items() if part != "site"]
    assert sw["total"]["translated_words"] == sum(c["translated_words"] for c in courses)
    assert sw["parts"]["site"]["translated"] > 0


def test_written_files_keep_their_mode(tmp_path: Path, umask_022: None) -> None:
    new = tmp_path / "new.po"
    write_atomic(new, b"a")
    assert _mode(new) == 0o644
    shared = tmp_path / "shared.po"
    shared.write_bytes(b"a")
    shared.chmod(0o664)
    write_atomic(shared, b"b")
    assert (_mode(shared), shared.read_bytes()) == (0o664, b"b")
    os.umask(0o077)
    write_atomic(tmp_path / "private.po", b"a")
    assert _mode(tmp_path / "private.po") == 0o600


def test_cache_entries_honour_the_umask(tmp_path: Path, umask_022: None) -> None:
    cache = Cache(tmp_path / "cache")
    with cache.new_folder("key") as work:
        (work / "page.html").write_text("x")
    entry = cache.entry_folder("key")
    assert entry is not None and _mode(entry) == 0o755
    assert _mode(cache.write("file", b"x") or tmp_path) == 0o644


def test_update_keeps_a_catalogue_mode_and_makes_new_ones_readable(
    demo: Path, umask_022: None
) -> None:
    fr = demo / "locales/fr/LC_MESSAGES/demo.po"
    fr.chmod(0o664)
    sw = demo / "locales/sw/LC_MESSAGES/demo.po"
    sw.unlink()
    pot = demo / "locales/demo.pot"
    pot.chmod(0o664)
    (demo / "courses/demo/01-first-steps.md").write_text(
        (demo / "courses/demo/01-first-steps.md").read_text("utf-8") + "\nOne more line.\n"
    )
    ailit("--project", str(demo), "extract", check=True)
    ailit("--project", str(demo), "update", check=True)
    assert "One more line." in fr.read_text("utf-8")
    assert _mode(fr) == 0o664 and _mode(pot) == 0o664
    assert sw.is_file() and _mode(sw) == 0o644


def test_a_refused_translation_is_not_progress(demo: Path) -> None:
    """A translation `ailit check` refuses is never shown, so it is counted apart ("refused")
    and not in the figure: the banner cannot say 100 % over English text."""
    before = json.loads(ailit("--project", str(demo), "status", "--json", check=True).stdout)
    po = demo / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    text = po.read_text("utf-8")
    hostile = '"Premiers pas avec un robot [ici](javascript:alert(1))"'
    assert '"Premiers pas avec un robot"' in text
    po.write_text(text.replace('"Premiers pas avec un robot"', hostile), "utf-8")
    after = json.loads(ailit("--project", str(demo), "status", "--json", check=True).stdout)
    total, was = after["fr"]["total"], before["fr"]["total"]
    assert (total["refused"], total["refused_words"]) == (1, 5)  # "First steps with a robot"
    assert total["translated_words"] == was["translated_words"] - total["refused_words"]
    assert total["percent"] < was["percent"] or was["percent"] == 0
    ailit("--project", str(demo), "build", "--locale", "fr", check=True)
    page = (demo / "build" / "site" / "translation.html").read_text("utf-8")
    assert "1 refused by <code>ailit check</code>" in page
    shown = json.loads((demo / "build" / "site" / "translation-status.json").read_text("utf-8"))
    assert shown["fr"]["total"]["percent"] == total["percent"]
