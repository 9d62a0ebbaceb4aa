"""A project with its own notebooks, built as a new organisation would: an .ipynb module
with cell tags builds and browses offline; a build with ``--keep-going`` survives one
broken module, and without it the previous site stays whole (issue 15)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import jupytext
import nbformat
import pytest

from conftest import Offline, ailit, built_demo_copy
from test_errors import _fails_cleanly, _tree_hash
from test_notebooks import TAGGED

MISSING = "import ailit_not_installed_here"


@pytest.fixture(scope="module")
def own(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built demo with an .ipynb module using tags, built again."""
    root = built_demo_copy(built_demo, tmp_path_factory, "own")
    course = root / "courses" / "demo"
    notebook = jupytext.reads(TAGGED, fmt="md:myst")
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["ailit"] = {"level": "beginner", "duration": 10}
    nbformat.write(notebook, course / "03-tagged.ipynb")
    yml = course / "course.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "  - 03-tagged\n", encoding="utf-8")
    ailit("--project", str(root), "build", "--locale", "fr", check=True)
    return root


def test_an_ipynb_module_with_tags_builds(own: Path) -> None:
    page = (own / "build" / "site" / "fr" / "demo" / "03-tagged.html").read_text("utf-8")
    assert '<details class="ailit-hidden ailit-hide-input">' in page
    assert "<summary>Afficher le code</summary>" in page  # in the page's language
    assert 'class="highlight"' in page.split("<summary>Afficher le code</summary>")[1]
    assert "removed cell" not in page
    assert "ZeroDivisionError" in page
    assert "</span> Two bars, <em>tall</em> and short.</p></figcaption>" in page
    download = json.loads(
        (own / "build" / "site" / "fr" / "demo" / "03-tagged.ipynb").read_text("utf-8")
    )
    assert download["metadata"]["language"] == "fr"
    assert any("setup only" in "".join(c["source"]) for c in download["cells"])
    assert (own / "build" / "site" / "fr" / "demo" / "03-tagged-handout.pdf").is_file()


@pytest.mark.browser
def test_folded_code_opens_from_the_keyboard_offline(own: Path, offline: Offline) -> None:
    page = offline.page
    page.goto((own / "build" / "site" / "fr" / "demo" / "03-tagged.html").as_uri())
    folded = page.locator("details.ailit-hide-input")
    assert folded.get_attribute("open") is None
    assert not page.get_by_text('print("folded input")').is_visible()
    folded.locator("summary").focus()
    page.keyboard.press("Enter")
    assert folded.get_attribute("open") is not None
    assert page.get_by_text('print("folded input")').is_visible()
    assert offline.errors == []


def test_keep_going_builds_the_others_and_shows_the_error(
    built_demo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = built_demo_copy(built_demo, tmp_path_factory, "keep")
    module = root / "courses" / "demo" / "02-counting.py"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("print(len(words))", f"{MISSING}\nprint(len(words))"), "utf-8")
    line = module.read_text(encoding="utf-8").splitlines().index(MISSING) + 1
    before = _tree_hash(root / "build" / "site")
    _fails_cleanly(root, ["build"], f"02-counting.py:{line}:", "ailit_not_installed_here")
    assert _tree_hash(root / "build" / "site") == before

    result = ailit("--project", str(root), "build", "--keep-going")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    expected = (
        f"02-counting.py:{line}: cell 2 (line {line}) imports 'ailit_not_installed_here', "
        "which is not installed in this environment"
    )
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and errors[0].endswith(expected), result.stderr
    site = root / "build" / "site"
    failed = (site / "fr" / "demo" / "02-counting.html").read_text("utf-8")
    assert (
        "Cette page est incomplète : lors de la construction du site, son code s'est arrêté "
        f"à la cellule 2 (ligne {line}) : imports 'ailit_not_installed_here'"
        in html.unescape(failed)
    )
    assert 'role="alert"' in failed
    english = (site / "en" / "demo" / "02-counting.html").read_text("utf-8")
    assert "This page is incomplete" in english
    assert "Counting words" in english
    assert (site / "fr" / "demo" / "01-first-steps.html").is_file()  # the others are built

    module.write_text(text, encoding="utf-8")  # fixed: the next build runs it again
    ailit("--project", str(root), "build", "--keep-going", check=True)
    assert "This page is incomplete" not in (site / "en" / "demo" / "02-counting.html").read_text(
        "utf-8"
    )
