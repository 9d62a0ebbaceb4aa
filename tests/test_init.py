"""A new organisation's first hour: `ailit init`, its own modules, a translation, an offline
site; and the course errors it meets, each at its own line, all at once."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from conftest import Offline, ailit

MYST = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

Open this notebook in Jupyter to run it.

```{code-cell} python
# the lake's depth in metres
depth = [3, 5, 8]
print(max(depth))
```

# The lake model

A lake warms from the top down.
"""

PERCENT = """\
# %% [markdown]
# # Counting fish
#
# Fish are counted every spring.

# %%
fish = [12, 15, 9]
print(sum(fish))
"""


def _notebook() -> str:
    """A Jupyter notebook as an organisation brings it: tagged cells, no ailit metadata."""
    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell("# Rain\n\nRain fills the lake in spring."),
        v4.new_code_cell("rain = [30, 12]\nprint(sum(rain))", metadata={"tags": ["hide-input"]}),
        v4.new_code_cell("print('setup done')", metadata={"tags": ["remove-cell"]}),
    ]
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(v4.new_notebook(cells=cells, metadata={"kernelspec": kernel}))


def test_a_new_project_translates_builds_and_browses_offline(
    tmp_path: Path, offline: Offline
) -> None:
    root = tmp_path / "lakes"
    ailit("init", str(root), "--name", "Lake School", "--no-example", check=True)
    run = ("--project", str(root))
    ailit(*run, "new", "course", "lakes", check=True)
    course = root / "courses" / "lakes"
    (course / "01-lake-model.md").write_text(MYST, "utf-8")
    (course / "02-fish.py").write_text(PERCENT, "utf-8")
    (course / "03-rain.ipynb").write_text(_notebook(), "utf-8")
    (course / "course.yml").write_text(
        "title: Lakes\nsummary: How lakes work.\naudience: Everyone.\nlevel: beginner\n"
        "duration: 60\nmodules:\n  - 01-lake-model\n  - 02-fish\n  - 03-rain\n",
        "utf-8",
    )
    ailit(*run, "extract", check=True)
    ailit(*run, "init-locale", "fr", check=True)
    ailit(*run, "update", check=True)
    po = root / "locales" / "fr" / "LC_MESSAGES" / "lakes.po"
    text = po.read_text("utf-8")
    entry = 'msgid "A lake warms from the top down."\nmsgstr ""'
    assert entry in text
    text = text.replace(entry, entry[:-2] + '"Un lac se réchauffe par le haut."')
    rain = 'msgid "Rain fills the lake in spring."\nmsgstr ""'
    assert rain in text
    po.write_text(
        text.replace(rain, rain[:-2] + '"La pluie remplit le lac au printemps."'), "utf-8"
    )
    checked = ailit(*run, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "[parts]" not in checked.stdout + checked.stderr  # the course requires no part
    ailit(*run, "build", check=True)

    site = root / "build" / "site"
    page = offline.page
    page.goto((site / "fr" / "lakes" / "01-lake-model.html").as_uri())
    assert "Un lac se réchauffe par le haut." in page.locator("article").inner_text()
    assert page.locator("article h1").all_inner_texts() == ["The lake model"]  # once
    assert "Lake School" in page.title()
    page.goto((site / "fr" / "lakes" / "02-fish.html").as_uri())
    assert page.locator("article h1").all_inner_texts() == ["Counting fish"]
    assert "36" in page.locator("article").inner_text()  # the cell ran
    page.goto((site / "fr" / "lakes" / "03-rain.html").as_uri())
    article = page.locator("article")
    assert "La pluie remplit le lac au printemps." in article.inner_text()
    assert "42" in article.inner_text()  # the notebook ran; its tagged input is folded
    assert page.locator("article details").count() == 1
    assert not page.locator("article details pre").first.is_visible()
    assert "setup done" not in article.inner_text()  # remove-cell
    download = site / "fr" / "lakes" / "03-rain.ipynb"
    localized = nbformat.reads(download.read_text("utf-8"), as_version=4)
    assert localized.cells[0].source.endswith("La pluie remplit le lac au printemps.")
    assert localized.cells[1].metadata["tags"] == ["hide-input"]
    assert offline.errors == []


def test_init_refuses_to_overwrite_a_project(tmp_path: Path) -> None:
    ailit("init", str(tmp_path), check=True)
    mkdocs = (tmp_path / "mkdocs.yml").read_text("utf-8")
    assert f"site_name: {tmp_path.name}" in mkdocs
    result = ailit("init", str(tmp_path), "--name", "Other")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "already holds an ailit project" in result.stderr
    assert (tmp_path / "mkdocs.yml").read_text("utf-8") == mkdocs


def test_a_new_project_checks_clean_and_builds(tmp_path: Path) -> None:
    result = ailit("init", str(tmp_path / "p"), "--name", "Écoles: les lacs", check=True)
    assert "example/01-first-module.md" in result.stdout
    checked = ailit("--project", str(tmp_path / "p"), "check", check=True)
    assert "0 error(s), 0 warning(s)" in checked.stdout
    assert ".venv/" in (tmp_path / "p" / ".gitignore").read_text("utf-8")
    ailit("--project", str(tmp_path / "p"), "build", check=True)
    page = tmp_path / "p" / "build" / "site" / "en" / "example" / "01-first-module.html"
    assert "Écoles: les lacs" in page.read_text("utf-8")


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A project with three problems in two courses."""
    ailit("init", str(tmp_path), check=True)
    yml = tmp_path / "courses" / "example" / "course.yml"
    yml.write_text(
        yml.read_text("utf-8") + "  - 02-missing\n  - 01-first-module\n  - 03-bad\n", "utf-8"
    )
    (yml.parent / "03-bad.md").write_text("---\nkernelspec: [\n---\n# Bad\n", "utf-8")
    other = tmp_path / "courses" / "other"
    other.mkdir()
    (other / "course.yml").write_text(
        "title: T\nsummary: S\naudience: A\nlevel: expert\nduration: 5\nmodules: [01-x]\n"
    )
    return tmp_path


def test_check_reports_every_course_error_at_its_entry(broken: Path) -> None:
    result = ailit("--project", str(broken), "check")
    assert result.returncode == 1
    lines = (broken / "courses" / "example" / "course.yml").read_text("utf-8").splitlines()
    missing = lines.index("  - 02-missing") + 1
    twice = lines.index("  - 01-first-module", missing) + 1
    errors = result.stderr.splitlines()
    assert len(errors) == 4, result.stderr
    assert f"course.yml:{missing}: error: [course] module '02-missing' not found" in errors[0]
    assert f"course.yml:{twice}: error: [course] module '01-first-module' is listed" in errors[1]
    assert "03-bad.md:2: error: [course] front matter YAML error" in errors[2]
    assert "other/course.yml:4: error: [course] field 'level' is 'expert'" in errors[3]
    assert "4 error(s)" in result.stdout


def test_build_still_stops_at_the_first_course_error(broken: Path) -> None:
    result = ailit("--project", str(broken), "build")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "02-missing" in result.stderr
