"""Configuration: edits keep the author's file, every bad value names its own line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ailit.core.errors import CourseError
from ailit.model.course import load_course
from ailit.model.mkdocs_yml import MkdocsYml, read_mkdocs_yml
from ailit.model.project import Project
from ailit.model.yamledit import add_language, add_module
from conftest import DEMO, ailit

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


# --- mkdocs.yml: read as mkdocs reads it; what ailit cannot honour is refused at its line ---

OWN_PLUGINS = ["search", "offline"]
OWN_EXTENSIONS = ["attr_list", {"toc": {"permalink": False}}, "pymdownx.superfences"]


def _mkdocs_yml(tmp_path: Path, text: str) -> MkdocsYml:
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return read_mkdocs_yml(path)


def _refused(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(CourseError) as caught:
        _mkdocs_yml(tmp_path, text)
    assert f"mkdocs.yml:{line}: " in str(caught.value)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_mkdocs_env_tag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "site_name: !ENV [AILIT_TEST_SITE, Fallback]\nsite_author: !ENV AILIT_TEST_AUTHOR\n"
    monkeypatch.delenv("AILIT_TEST_SITE", raising=False)
    monkeypatch.setenv("AILIT_TEST_AUTHOR", "A school")
    assert _mkdocs_yml(tmp_path, text).settings == {
        "site_name": "Fallback",
        "site_author": "A school",
    }
    monkeypatch.setenv("AILIT_TEST_SITE", "Our courses")
    assert _mkdocs_yml(tmp_path, text).settings["site_name"] == "Our courses"


def test_mkdocs_relative_tag_from_the_projects_folder(tmp_path: Path) -> None:
    text = "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: !relative $config_dir/parts\n"
    user = _mkdocs_yml(tmp_path, text)
    assert user.markdown_extensions[0].options == {"base_path": str(tmp_path / "parts")}
    _refused(tmp_path, text.replace(" $config_dir/parts", ""), 3, "'!relative ' cannot be used")


def test_mkdocs_nav_is_refused(tmp_path: Path) -> None:
    text = "site_name: x\nnav:\n  - Home: index.md\n"
    _refused(tmp_path, text, 2, "'nav' cannot be set here: ailit writes the navigation")


def test_mkdocs_markdown_extensions_come_after_ailits(tmp_path: Path) -> None:
    text = "markdown_extensions:\n  - abbr\n  - toc:\n      title: On this page\n  - attr_list\n"
    merged = _mkdocs_yml(tmp_path, text).extensions_after(OWN_EXTENSIONS)
    assert merged == [
        "attr_list",
        {"toc": {"permalink": False, "title": "On this page"}},
        "pymdownx.superfences",
        "abbr",
    ]
    assert (
        _mkdocs_yml(tmp_path, "site_name: x\n").extensions_after(OWN_EXTENSIONS) == OWN_EXTENSIONS
    )


def test_mkdocs_markdown_extension_ailit_configures_or_cannot_load_is_refused(
    tmp_path: Path,
) -> None:
    text = "markdown_extensions:\n  - abbr\n  - toc:\n      permalink: true\n"
    with pytest.raises(
        CourseError, match=r"mkdocs.yml:3: Markdown extension 'toc': ailit sets 'permalink'"
    ):
        _mkdocs_yml(tmp_path, text).extensions_after(OWN_EXTENSIONS)
    _refused(
        tmp_path, "markdown_extensions: [abbr, no_such_ext]\n", 1, "'no_such_ext' cannot be loaded"
    )


def test_mkdocs_plugins_are_merged_with_search_and_offline(tmp_path: Path) -> None:
    text = "plugins:\n  - tags\n  - search:\n      separator: '[\\s\\-]+'\n"
    assert _mkdocs_yml(tmp_path, text).plugins_after(OWN_PLUGINS) == [
        {"search": {"separator": "[\\s\\-]+"}},
        "offline",
        "tags",
    ]
    mapping = _mkdocs_yml(tmp_path, "plugins:\n  material/tags: {}\n")
    assert mapping.plugins_after(OWN_PLUGINS) == ["search", "offline", "material/tags"]


def test_mkdocs_plugins_that_need_the_network_or_are_missing_are_refused(tmp_path: Path) -> None:
    _refused(tmp_path, "plugins:\n  - search\n  - social\n", 3, "downloads fonts")
    _refused(tmp_path, "plugins:\n  material/privacy: {}\n", 2, "ailit builds offline")
    _refused(tmp_path, "plugins: [no-such-plugin]\n", 1, "'no-such-plugin' is not installed")


def test_mkdocs_hooks_run_after_ailits_and_inherit_is_read(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text("site_name: Base\ncopyright: CC BY\n", encoding="utf-8")
    user = _mkdocs_yml(tmp_path, "INHERIT: base.yml\nsite_name: Mine\nhooks: [hooks/mine.py]\n")
    assert user.settings == {"site_name": "Mine", "copyright": "CC BY"}
    assert user.hooks == [str(tmp_path / "hooks" / "mine.py")]


def test_mkdocs_syntax_error_names_its_line(tmp_path: Path) -> None:
    _refused(tmp_path, "site_name: x\ntheme:\n  name: [material\n", 4, "YAML syntax error")


def test_a_build_honours_mkdocs_yml_and_refuses_nav_in_one_line(demo: Path) -> None:
    config = demo / "mkdocs.yml"
    (demo / "hooks.py").write_text(
        "def on_post_build(config):\n"
        "    open(config['site_dir'] + '/hooked.txt', 'w').write(config['site_name'])\n",
        encoding="utf-8",
    )
    text = config.read_text(encoding="utf-8").replace("site_name: ailit", "site_name: !ENV SITE")
    config.write_text(
        text + "hooks: [hooks.py]\nplugins: [tags]\nmarkdown_extensions: [abbr]\n", encoding="utf-8"
    )
    ailit("--project", str(demo), "build", "--locale", "en", check=True, env={"SITE": "Our school"})
    site = demo / "build" / "site" / "en"
    assert (site / "hooked.txt").read_text(encoding="utf-8") == "Our school"
    assert "<title>" in (page := (site / "index.html").read_text(encoding="utf-8"))
    assert "Our school" in page
    # the file is unchanged, the site is not: a new !ENV value or hook code rebuilds
    ailit("--project", str(demo), "build", "--locale", "en", check=True, env={"SITE": "Ours"})
    assert "Ours" in (site / "index.html").read_text(encoding="utf-8")
    (demo / "hooks.py").write_text(
        "def on_post_build(config):\n"
        "    open(config['site_dir'] + '/hooked.txt', 'w').write('again')\n",
        encoding="utf-8",
    )
    ailit("--project", str(demo), "build", "--locale", "en", check=True, env={"SITE": "Ours"})
    assert (site / "hooked.txt").read_text(encoding="utf-8") == "again"
    config.write_text(text + "nav:\n  - index.md\n", encoding="utf-8")
    result = ailit("--project", str(demo), "build", "--locale", "en", env={"SITE": "x"})
    assert result.returncode == 1
    line = text.count("\n") + 1
    assert result.stderr.strip().endswith(f"mkdocs.yml:{line}: 'nav' cannot be set here: "
                                          "ailit writes the navigation from each course's module order (course.yml)")  # fmt: skip
    assert len(result.stderr.strip().splitlines()) == 1
