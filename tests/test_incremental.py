"""Incremental builds: each change rebuilds exactly what depends on it (behaviour, not time)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ailit, built_demo_copy

LOCALES = ["en", "fr", "ar", "sw"]


@pytest.fixture(scope="module")
def project(
    built_demo: Path, demo_cache: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """A built demo with a cache of its own in build/.cache, as a checkout has, shared with
    no other test: these tests count what each build makes again, and damage entries.

    Its cache is a real copy (no shared inodes) of the one the demo's first build made.
    """
    root = built_demo_copy(built_demo, tmp_path_factory, "incremental")
    shutil.copytree(demo_cache, root / "build" / ".cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("AILIT_CACHE_DIR")
        yield root


def _build(project: Path) -> dict[str, tuple[str, int]]:
    """Per locale: 'unchanged' or 'built', and how many notebooks ran."""
    out = ailit("--project", str(project), "build", check=True).stdout
    result = {}
    for code in LOCALES:
        if f"{code}: unchanged" in out:
            result[code] = ("unchanged", 0)
        else:
            ran = re.search(rf"^{code}: built \((\d+) notebook", out, re.M)
            assert ran, out
            result[code] = ("built", int(ran.group(1)))
    return result


def _entries(project: Path) -> dict[str, str]:
    """'<locale>/<module>' -> the key of its rendered files in build/.cache/pages."""
    found = {}
    for entry in (project / "build/.cache/pages").glob("*/*/*/*"):
        if not entry.name.startswith("."):
            found[f"{entry.parts[-4]}/{entry.parts[-2]}"] = entry.name
    return found


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    assert set(before) == set(after)
    return {name for name in before if before[name] != after[name]}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
    }


def test_noop_rebuild_does_nothing(project: Path) -> None:
    before = _stamps(project / "build")
    assert _build(project) == dict.fromkeys(LOCALES, ("unchanged", 0))
    # no mkdocs run, no copy, no swap: not one file or folder of build/ was written
    assert _stamps(project / "build") == before


def test_a_changed_glossary_rebuilds_that_locale_alone(project: Path) -> None:
    (project / "locales/fr/glossary.yml").write_text("zebra: zèbre\n", "utf-8")
    assert _build(project) == {
        "en": ("unchanged", 0), "fr": ("built", 0), "ar": ("unchanged", 0), "sw": ("unchanged", 0)
    }  # fmt: skip
    assert "zèbre" in (project / "build/site/fr/glossary.html").read_text("utf-8")


def test_one_changed_po_rebuilds_that_locale_alone(project: Path) -> None:
    before = _entries(project)
    _edit(project / "locales/fr/LC_MESSAGES/demo.po", 'msgstr "Il voit des nombres."',
          'msgstr "Il ne voit que des nombres."')  # fmt: skip
    assert _build(project) == {
        "en": ("unchanged", 0), "fr": ("built", 0), "ar": ("unchanged", 0), "sw": ("unchanged", 0)
    }  # fmt: skip
    page = (project / "build/site/fr/demo/01-first-steps.html").read_text("utf-8")
    assert "Il ne voit que des nombres." in page
    # the entry is in module 01: module 02's French page is reused, not rendered again
    assert _changed(before, _entries(project)) == {"fr/01-first-steps"}


def test_a_changed_paragraph_runs_no_notebook(project: Path) -> None:
    before = _entries(project)
    _edit(project / "courses/demo/01-first-steps.md", "Zebras and giraffes live together.",
          "Zebras and giraffes often live together.")  # fmt: skip
    assert _build(project) == dict.fromkeys(LOCALES, ("built", 0))
    # that module is rendered again in every locale; the other one in none
    assert _changed(before, _entries(project)) == {f"{c}/01-first-steps" for c in LOCALES}
    # and from the edited text, not from the parsed notebook kept in build/.cache/modules
    page = (project / "build/site/en/demo/01-first-steps.html").read_text("utf-8")
    assert "Zebras and giraffes often live together." in page


def test_a_changed_comment_runs_no_notebook(project: Path) -> None:
    _edit(project / "courses/demo/02-counting.py", "# Read the words from the data file",
          "# Read every word from the data file")  # fmt: skip
    assert _build(project) == dict.fromkeys(LOCALES, ("built", 0))


def test_changed_code_runs_that_notebook_again(project: Path) -> None:
    _edit(
        project / "courses/demo/02-counting.py",
        "print(len(words))",
        "print(len(words), len(set(words)))",
    )
    built = _build(project)
    assert all(state == "built" for state, _ran in built.values()), built
    # the code is the same in every locale: it runs once (twice if two workers race)
    assert 1 <= sum(ran for _state, ran in built.values()) <= 2, built
    for code in LOCALES:
        page = (project / f"build/site/{code}/demo/02-counting.html").read_text("utf-8")
        assert re.search(r"<code>\d+ \d+\s*</code>", page), code


def test_changed_data_runs_the_notebook_again(project: Path) -> None:
    """Every notebook of the course runs again: each one can read every data file."""
    (project / "courses/demo/data/words.txt").write_text("one two three\n", "utf-8")
    built = _build(project)
    assert all(state == "built" for state, _ran in built.values()), built
    assert sum(ran for _state, ran in built.values()) >= 2, built  # both modules, at least
    for code in LOCALES:
        page = (project / f"build/site/{code}/demo/02-counting.html").read_text("utf-8")
        assert re.search(r"<code>3\b", page), code  # three words (whatever else it prints)


def test_data_read_through_a_computed_path_runs_the_notebook_again(project: Path) -> None:
    """A file name the code builds ("data/" + name + ".txt") is not in the code's text:
    its file changing must still run the notebook again, never publish a stale output."""
    _edit(project / "courses/demo/02-counting.py", 'open("data/words.txt"',
          'open("data/" + "wor" + "ds" + ".txt"')  # fmt: skip
    _build(project)
    (project / "courses/demo/data/words.txt").write_text("one two three four\n", "utf-8")
    built = _build(project)
    assert sum(ran for _state, ran in built.values()) >= 2, built  # both modules, at least
    for code in LOCALES:
        page = (project / f"build/site/{code}/demo/02-counting.html").read_text("utf-8")
        assert re.search(r"<code>4\b", page), code


def test_changed_site_configuration_rebuilds_every_locale_and_runs_nothing(project: Path) -> None:
    _edit(project / "mkdocs.yml", "primary: indigo", "primary: teal")
    assert _build(project) == dict.fromkeys(LOCALES, ("built", 0))


def test_execution_key_ignores_comments_and_layout_but_not_code(tmp_path: Path) -> None:
    import nbformat

    from ailit.stages.execute import code_key

    def notebook(code: str) -> nbformat.NotebookNode:
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])

    data = {"a.csv": tmp_path / "a.csv", "b.csv": tmp_path / "b.csv"}
    for path in data.values():
        path.write_text("1\n", "utf-8")
    base = code_key(notebook('x = open("data/a.csv")  # read it\n'), data)
    assert code_key(notebook('x = open("data/a.csv")  # lisez-le bien\n'), data) == base
    assert code_key(notebook('x = open("data/a.csv")\n'), data) == base
    assert code_key(notebook('x = open("data/b.csv")\n'), data) != base


def test_every_data_file_is_in_the_execution_key(tmp_path: Path) -> None:
    """Code may build a file name ("data/" + name + ".txt"): no data file can be left out."""
    import nbformat

    from ailit.stages.execute import code_key

    code = 'name = "words"\nwords = open("data/" + name + ".txt").read()\n'
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    data = {"words.txt": tmp_path / "words.txt"}
    data["words.txt"].write_text("one two\n", "utf-8")
    base = code_key(notebook, data)
    data["words.txt"].write_text("one two three\n", "utf-8")
    assert code_key(notebook, data) != base


def test_text_printed_in_pieces_is_one_output() -> None:
    """The kernel flushes a print in pieces when its timer says so: joined, the page is the
    same from run to run. Different streams, or text around a plot, stay apart."""
    import nbformat

    from ailit.stages.execute import _joined_streams

    def stream(name: str, text: str) -> nbformat.NotebookNode:
        return nbformat.v4.new_output("stream", name=name, text=text)

    plot = nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"})
    outputs = [stream("stdout", "With the road closed:"), stream("stdout", " home -> mill\n"),
               stream("stderr", "warning\n"), stream("stdout", "a\n"), plot, stream("stdout", "b\n")]  # fmt: skip
    joined = _joined_streams(outputs)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in joined] == [
        ("stream", "stdout", "With the road closed: home -> mill\n"),
        ("stream", "stderr", "warning\n"),
        ("stream", "stdout", "a\n"),
        ("display_data", None, None),
        ("stream", "stdout", "b\n"),
    ]


def test_status_of_unchanged_locales_is_kept(project: Path) -> None:
    """translation-status.json lists every locale after a build that rebuilt only one."""
    import json

    _edit(project / "locales/fr/LC_MESSAGES/demo.po",
          'msgstr "Lire les mots du fichier de données"',
          'msgstr "Lire tous les mots du fichier de données"')  # fmt: skip
    assert _build(project)["ar"] == ("unchanged", 0)
    status = json.loads((project / "build/site/translation-status.json").read_text("utf-8"))
    assert set(status) == {"fr", "ar", "sw"}
    assert status["ar"]["total"]["percent"] == 100.0
    assert 0 < status["sw"]["total"]["percent"] < 100
    assert "demo/01-first-steps" in status["sw"]["parts"]


def test_every_input_of_a_locale_is_in_its_key(project: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The key changes with ailit's version, a theme override, a .pot, the locale's own
    files; it does not change with another locale's files."""
    import ailit.core.keys
    import ailit.site.build
    from ailit.model.project import Project

    def key() -> str:
        loaded = Project(project)
        return ailit.site.build.input_key(loaded, loaded.language("fr"))

    first = key()
    (project / "locales/ar/glossary.yml").write_text("model: نموذج\n", "utf-8")
    assert key() == first
    changes = [
        lambda: monkeypatch.setattr(ailit.core.keys, "package_key", lambda: "another ailit"),
        lambda: (
            (project / "site_config/theme").mkdir(exist_ok=True)
            or (project / "site_config/theme/main.html").write_text("{% extends 'base.html' %}\n")
        ),
        lambda: (project / "locales/demo.pot").write_text(
            (project / "locales/demo.pot").read_text("utf-8") + "\n", "utf-8"
        ),
        lambda: (project / "locales/fr/LC_MESSAGES/site.po").write_text(
            (project / "locales/fr/LC_MESSAGES/site.po").read_text("utf-8") + "\n", "utf-8"
        ),
    ]
    seen = {first}
    for change in changes:
        change()
        new = key()
        assert new not in seen
        seen.add(new)
    (project / "site_config/theme/main.html").unlink()


def test_installed_fonts_are_in_the_keys(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A font installed after a build (Noto CJK, say) lays out plots and handouts again."""
    from ailit.core.keys import installed_fonts_key

    monkeypatch.setenv("HOME", str(tmp_path))
    before = installed_fonts_key()
    assert installed_fonts_key() == before
    (tmp_path / ".fonts").mkdir()
    (tmp_path / ".fonts" / "NewScript.ttf").write_bytes(b"\0" * 64)
    assert installed_fonts_key() != before


def test_a_damaged_cache_entry_is_made_again(project: Path) -> None:
    """A cache file cut short or edited by hand is a miss, never a traceback or a bad page."""
    for entry in (project / "build/.cache/pages/fr/demo").glob("01-first-steps/*/meta.json"):
        entry.write_text('{"title": ', "utf-8")
    for outputs in (project / "build/.cache/exec").glob("*.json"):
        outputs.write_text("[", "utf-8")
    (parsed,) = (project / "build/.cache/modules/demo/01-first-steps.md").glob("*.json")
    parsed.write_text('{"cells": [', "utf-8")
    (project / "locales/fr/glossary.yml").write_text("zebra: zèbre\ngiraffe: girafe\n", "utf-8")
    out = ailit("--project", str(project), "build", check=True).stdout
    # only the damaged module is made again, and its notebook runs again
    assert re.search(r"^fr: built \(1 notebook\(s\) run, .*\b1 module\(s\) rendered", out, re.M), (
        out
    )
    page = (project / "build/site/fr/demo/01-first-steps.html").read_text("utf-8")
    assert "Premiers pas avec un robot" in page
    assert _build(project) == dict.fromkeys(LOCALES, ("unchanged", 0))


def test_locales_start_longest_first(project: Path) -> None:
    """The pool starts the locale expected to take longest first, so no core waits at the end:
    last build's seconds when known (kept in the build info), else unbuilt CJK locales first."""
    from ailit.model.project import Language
    from ailit.site.build import INFO_FILE, _longest_first

    info = json.loads((project / "build/site/fr" / INFO_FILE).read_text("utf-8"))
    assert info["seconds"] > 0
    todo = [(Language(code, code, "reviewed"), "key") for code in ("en", "fr", "zh", "ar", "sw")]
    infos = {
        "en": {"seconds": 2.0},
        "fr": {"seconds": 9.5},
        "zh": {},
        "ar": {},
        "sw": {"seconds": 4},
    }
    order = [lang.code for lang, _key in _longest_first(todo, infos)]
    assert order == ["zh", "ar", "fr", "sw", "en"]


def test_a_notebook_from_the_cache_is_the_one_that_ran(tmp_path: Path) -> None:
    """The downloadable notebook is the same whether its code ran in this build or before:
    the kernel's language_info is kept with the outputs (it was lost on a cache hit)."""
    import copy

    import nbformat

    from ailit.i18n.segment import unwrap_marked_strings
    from ailit.model.course import load_course
    from ailit.stages.execute import execute
    from conftest import DEMO

    (module, *_rest) = load_course(DEMO / "courses" / "demo").modules
    for cell in module.notebook.cells:
        if cell.cell_type == "code":  # as localize leaves it: _("...") marks unwrapped
            cell.source = unwrap_marked_strings(cell.source)
    ran, did_run = execute(module, copy.deepcopy(module.notebook), "en", tmp_path)
    kept, from_run = execute(module, copy.deepcopy(module.notebook), "en", tmp_path)
    assert (did_run, from_run) == (True, False)
    assert ran.metadata["language_info"]["name"] == "python"
    assert "version" in ran.metadata["language_info"]  # what the kernel said, not a stub
    assert nbformat.writes(kept) == nbformat.writes(ran)
