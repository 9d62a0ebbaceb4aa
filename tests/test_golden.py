"""Golden files for what a build writes: a page's body, the catalogue templates, a handout.

Each output of the demo project is compared with a file under tests/golden/ (beside the
segmentation goldens): a change to any of them fails until it is looked at. After an
intended change, write the goldens again and read the diff before committing:

    AILIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py tests/test_segment.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DEMO, ailit, copy_project

GOLDEN = Path(__file__).parent / "golden"


def _matches_golden(got: str, name: str) -> None:
    path = GOLDEN / name
    if os.environ.get("AILIT_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.is_file(), f"no golden {path}: write it with AILIT_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert got == expected, f"{name} differs from its golden (AILIT_UPDATE_GOLDEN=1 rewrites it)"


def page_body(html: str) -> str:
    """The article of a built page (what ailit renders; Material's frame around it left
    out), trailing spaces of the theme's template lines dropped."""
    article = re.search(r"<article\b.*?</article>", html, re.S)
    assert article, "no <article> in the page"
    return "\n".join(line.rstrip() for line in article.group(0).strip().splitlines()) + "\n"


def pdf_text(path: Path) -> str:
    """A PDF's text as pdftotext reads it, line by line, runs of spaces made one."""
    assert shutil.which("pdftotext"), "pdftotext is missing: install Debian's poppler-utils"
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def test_page_body_with_fallback_passages(built_demo: Path) -> None:
    """Swahili, a preview: translated passages, English ones marked, outputs, the quiz."""
    html = (built_demo / "build/site/sw/demo/01-first-steps.html").read_text("utf-8")
    _matches_golden(page_body(html), "page/sw-01-first-steps.html")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's catalogue templates, extracted afresh (none kept from the fixture)."""
    root = copy_project(DEMO, tmp_path_factory.mktemp("extract") / "demo")
    for pot in (root / "locales").glob("*.pot"):
        pot.unlink()
    ailit("--project", str(root), "extract", check=True)
    return root / "locales"


@pytest.mark.parametrize("domain", ["demo", "site"])
def test_extracted_catalogue_template(extracted: Path, domain: str) -> None:
    text = (extracted / f"{domain}.pot").read_text("utf-8")
    masked, found = re.subn(
        r'"POT-Creation-Date: [^"]*\\n"', '"POT-Creation-Date: DATE\\\\n"', text
    )
    assert found == 1
    _matches_golden(masked, f"pot/{domain}.pot")


def test_handout_text(built_demo: Path) -> None:
    """The French handout of the first module: facts, lesson and quiz, without answers."""
    handout = built_demo / "build/site/fr/demo/01-first-steps-handout.pdf"
    _matches_golden(pdf_text(handout), "handout/fr-01-first-steps.txt")
