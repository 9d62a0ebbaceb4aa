"""The starter course, as shipped: every module runs in every language and shows its outputs.

Builds the real project (a copy, in a temporary folder): seven languages, eight modules.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, Offline, ailit
from test_teachers import axe_findings

LOCALES = ["en", "fr", "es", "pt", "ar", "zh", "sw"]
COURSE = ROOT / "courses" / "ai-literacy"
MODULES = sorted(p.stem for p in COURSE.glob("[0-9][0-9]-*.md"))


@pytest.fixture(scope="module")
def site(starter_site: Path) -> Path:
    """Built once, in the background from the session's start (conftest.StarterBuild)."""
    return starter_site


def test_eight_modules_or_more() -> None:
    assert len(MODULES) >= 8


def test_every_catalogue_is_complete_and_clean() -> None:
    data = json.loads(ailit("--project", str(ROOT), "status", "--json", check=True).stdout)
    for code in LOCALES[1:]:
        total = data[code]["total"]
        assert (total["untranslated"], total["fuzzy"]) == (0, 0), code
    result = ailit("--project", str(ROOT), "check")
    assert result.returncode == 0, result.stderr
    assert " error:" not in result.stderr


@pytest.mark.parametrize("code", LOCALES)
@pytest.mark.parametrize("module", MODULES)
def test_module_page_has_its_outputs_in_every_language(site: Path, code: str, module: str) -> None:
    page = (site / code / "ai-literacy" / f"{module}.html").read_text("utf-8")
    assert 'class="ailit-output' in page  # printed text
    assert re.search(r'<img class="ailit-figure" src="[^"]+\.png"', page)  # a plot
    assert "ailit-quiz-question" in page and "ailit-teacher-link" in page
    assert "ailit-fallback" not in page, "a passage is still shown in English"
    assert (site / code / "ai-literacy" / f"{module}-teacher.html").is_file()
    assert "Traceback" not in page and "missing from font" not in page


@pytest.mark.parametrize("code", LOCALES[1:])
def test_unreviewed_locales_say_so_in_their_own_language(site: Path, code: str) -> None:
    page = (site / code / "index.html").read_text("utf-8")
    notice = re.search(r'<p class="ailit-notice">([^<]+)</p>', page)
    assert notice, "no review notice"
    assert "native speaker" not in notice.group(1), "the notice is still in English"


def test_local_data_reaches_the_notebook(site: Path) -> None:
    zh = (site / "zh" / "ai-literacy" / "06-words-as-numbers.html").read_text("utf-8")
    outputs = "".join(re.findall(r'<pre class="ailit-output[^"]*"><code>(.*?)</code>', zh, re.S))
    assert re.search(r"[\u4e00-\u9fff]{4}", outputs), (
        "the generator did not use the Chinese paragraph"
    )
    sw = (site / "sw" / "ai-literacy" / "06-words-as-numbers.html").read_text("utf-8")
    assert "mto" in "".join(
        re.findall(r'<pre class="ailit-output[^"]*"><code>(.*?)</code>', sw, re.S)
    )


@pytest.mark.browser
def test_every_page_in_en_ar_zh_passes_axe(site: Path, offline: Offline) -> None:
    """0 serious or critical WCAG 2.1 AA findings on the real course, whose code and
    prose the demo fixture lacks (one browser tab, page after page)."""
    pages = ["index.html", "translation.html"] + [
        p.relative_to(site).as_posix()
        for code in ("en", "ar", "zh")
        for p in sorted((site / code).rglob("*.html"))
    ]
    assert len(pages) > 3 * 2 * len(MODULES)
    assert axe_findings(offline, site, pages) == []
    assert offline.errors == []
