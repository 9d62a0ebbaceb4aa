"""Configuration: edits keep the author's file, every bad value names its own line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ailit.core.errors import CourseError
from ailit.model.config import add_language, add_module
from ailit.model.course import load_course
from ailit.model.project import Project
from conftest import DEMO

# --- edits ---------------------------------------------------------------------------------


def _edited_course(tmp_path: Path, text: str) -> str:
    yml = tmp_path / "course.yml"
    yml.write_text(text, encoding="utf-8")
    add_module(yml, "03-new")
    return yml.read_text(encoding="utf-8")


def test_new_module_in_a_flow_style_list(tmp_path: Path) -> None:
    text = _edited_course(tmp_path, "title: T  # the title\nmodules: [01-a, 02-b]\nlevel: x\n")
    assert text == "title: T  # the title\nmodules: [01-a, 02-b, 03-new]\nlevel: x\n"
    assert yaml.safe_load(text)["modules"] == ["01-a", "02-b", "03-new"]


def test_new_module_in_a_block_list_with_comments(tmp_path: Path) -> None:
    before = (
        "# top\ntitle: 'T'\nmodules:\n  # first\n  - 01-a\n  - 02-b  # two\n# about level\n"
        "level: x\n"
    )
    text = _edited_course(tmp_path, before)
    assert text == before.replace("  # two\n", "  # two\n  - 03-new\n")
    assert list(yaml.safe_load(text)) == ["title", "modules", "level"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("modules:\n- 01-a\n", "modules:\n- 01-a\n- 03-new\n"),
        ("modules:\n    - 01-a\n", "modules:\n    - 01-a\n    - 03-new\n"),
        ("modules: []\n", "modules:\n  - 03-new\n"),
        ("modules:\n", "modules:\n  - 03-new\n"),
        ("title: T\n", "title: T\nmodules:\n  - 03-new\n"),
    ],
)
def test_new_module_keeps_the_lists_indentation(tmp_path: Path, before: str, after: str) -> None:
    assert _edited_course(tmp_path, before) == after


def test_new_module_refuses_a_modules_field_that_is_no_list(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match=r"course.yml:2: field 'modules' must be a list"):
        _edited_course(tmp_path, "title: T\nmodules: 01-a\n")


LANGUAGES_4 = """\
# the locales
source: en
languages:
    fr:
        name: Français
        review: unreviewed  # until read
    es:
        name: Español
# below: the default threshold
publish_threshold: 80
"""


def test_init_locale_in_a_file_indented_with_four_spaces(tmp_path: Path) -> None:
    path = tmp_path / "languages.yml"
    path.write_text(LANGUAGES_4, encoding="utf-8")
    assert add_language(path, "de", "Deutsch")
    text = path.read_text(encoding="utf-8")
    new = "    de:\n        name: Deutsch\n        review: unreviewed\n"
    assert text == LANGUAGES_4.replace("# below", new + "# below")
    assert yaml.safe_load(text)["languages"]["de"] == {"name": "Deutsch", "review": "unreviewed"}
    assert not add_language(path, "de", "Deutsch")  # listed once
    assert path.read_text(encoding="utf-8") == text


def test_init_locale_in_a_file_indented_with_two_spaces(tmp_path: Path) -> None:
    path = tmp_path / "languages.yml"
    shutil.copy(DEMO / "site_config" / "languages.yml", path)
    before = path.read_text(encoding="utf-8")
    add_language(path, "de", "Deutsch")
    text = path.read_text(encoding="utf-8")
    assert text == before + "  de: {name: Deutsch, review: unreviewed}\n"
    assert list(yaml.safe_load(text)["languages"]) == ["fr", "ar", "sw", "de"]


def test_init_locale_starts_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "languages.yml"
    add_language(path, "de", "Deutsch")
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {
        "source": "en",
        "languages": {"de": {"name": "Deutsch", "review": "unreviewed"}},
    }


# --- every bad value names its line --------------------------------------------------------

COURSE = """\
title: Demo course
summary: A small course.
audience: Anyone.
level: beginner
duration: 30
modules:
  - 01-first-steps
  - 02-counting
"""


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = tmp_path / "courses" / "demo"
    shutil.copytree(DEMO / "courses" / "demo", folder)
    return folder


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("duration: 30", "duration: half an hour", 5, "'duration' must be a positive number"),
        ("duration: 30", "duration: -5", 5, "got -5 (for example: duration: 480"),
        ("level: beginner", "level: expert", 4, "'level' is 'expert'; expected one of"),
        ("title: Demo course", "title: [a, b]", 1, "'title' must be text, got ['a', 'b']"),
        ("  - 02-counting", "  - 02-nowhere", 8, "module '02-nowhere' not found"),
        ("  - 02-counting", "  - Counting", 8, "must look like NN-slug"),
        ("  - 02-counting", "  - 01-first-steps", 8, "listed twice"),
        ("  - 02-counting", "  - 7", 8, "module entry 7 must be a module name"),
        ("modules:\n  - 01-first-steps\n  - 02-counting", "modules: []", 6, "lists no module"),
        ("level: beginner\n", "", 1, "missing field 'level' (for example: level: beginner)"),
    ],
)
def test_bad_course_value_names_its_line(
    course: Path, old: str, new: str, where: int, message: str
) -> None:
    yml = course / "course.yml"
    assert old in COURSE
    yml.write_text(COURSE.replace(old, new), encoding="utf-8")
    with pytest.raises(CourseError) as caught:
        load_course(course)
    assert f"course.yml:{where}: " in str(caught.value)
    assert message in str(caught.value)


LANGUAGES = """\
source: en
publish_threshold: 80
languages:
  fr: {name: Français, review: reviewed}
  sw:
    name: Kiswahili
    threshold: 90
    review: unreviewed
"""


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("threshold: 90", "threshold: 150", 7, "'threshold' of 'sw' must be a percentage 0-100"),
        ("threshold: 90", "threshold: lots", 7, "got 'lots' (for example: threshold: 80)"),
        ("review: unreviewed", "review: done", 8, "'review' of 'sw' is 'done'; expected one of"),
        ("review: reviewed}", "review: ok}", 4, "'review' of 'fr' is 'ok'"),
        ("publish_threshold: 80", "publish_threshold: -1", 2, "'publish_threshold' must be a"),
        ("source: en", "source: xx-nope", 1, "unknown locale code 'xx-nope'"),
        ("  sw:", "  xx-nope:", 5, "unknown locale code 'xx-nope'"),
        ("  fr: {name: Français, review: reviewed}", "  fr: French", 4, "settings of 'fr' must"),
        ("name: Kiswahili", "name: [Kiswahili]", 6, "'name' of 'sw' must be text"),
    ],
)
def test_bad_language_value_names_its_line(
    tmp_path: Path, old: str, new: str, where: int, message: str
) -> None:
    (tmp_path / "site_config").mkdir()
    assert old in LANGUAGES
    path = tmp_path / "site_config" / "languages.yml"
    path.write_text(LANGUAGES.replace(old, new), encoding="utf-8")
    with pytest.raises(CourseError) as caught:
        Project(tmp_path).languages  # noqa: B018
    assert f"languages.yml:{where}: " in str(caught.value)
    assert message in str(caught.value)


def test_languages_are_read_with_their_defaults(tmp_path: Path) -> None:
    (tmp_path / "site_config").mkdir()
    (tmp_path / "site_config" / "languages.yml").write_text(LANGUAGES, encoding="utf-8")
    fr, sw = Project(tmp_path).languages
    assert (fr.code, fr.name, fr.review, fr.threshold) == ("fr", "Français", "reviewed", 80.0)
    assert (sw.code, sw.name, sw.review, sw.threshold) == ("sw", "Kiswahili", "unreviewed", 90.0)


def test_new_module_keeps_a_blank_line_after_the_list(tmp_path: Path) -> None:
    before = "modules:\n  - 01-a\n\nlevel: x\n"
    assert _edited_course(tmp_path, before) == "modules:\n  - 01-a\n  - 03-new\n\nlevel: x\n"
