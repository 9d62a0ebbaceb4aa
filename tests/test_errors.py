"""Bad input: one line naming the file and line (or cell), exit code 1, no traceback,
and the previous site left whole."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import click
import pytest

from ailit.core.errors import CourseError
from conftest import ailit, built_demo_copy


@pytest.fixture(scope="module")
def project(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_demo_copy(built_demo, tmp_path_factory, "errors")


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def _fails_cleanly(project: Path, args: list[str], *expected: str) -> str:
    before = _tree_hash(project / "build" / "site")
    result = ailit("--project", str(project), *args)
    after = _tree_hash(project / "build" / "site")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    for part in expected:
        assert part in message, message
    assert before == after, "the previous site changed"
    return message


def _with_edit(path: Path, old: str, new: str):  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


def test_missing_course_field(project: Path) -> None:
    yml = project / "courses" / "demo" / "course.yml"
    original = _with_edit(yml, "level: beginner\n", "")
    try:
        _fails_cleanly(project, ["build"], "course.yml", "missing field 'level'")
    finally:
        yml.write_text(original, encoding="utf-8")


def test_bad_course_field_names_its_line(project: Path) -> None:
    yml = project / "courses" / "demo" / "course.yml"
    original = _with_edit(yml, "duration: 30", "duration: half an hour")
    try:
        _fails_cleanly(project, ["build"], "course.yml:5", "'duration'")
    finally:
        yml.write_text(original, encoding="utf-8")


def test_malformed_notebook(project: Path) -> None:
    module = project / "courses" / "demo" / "01-first-steps.md"
    original = _with_edit(module, "  level: beginner\n", "  level: [beginner\n")
    try:
        _fails_cleanly(project, ["build"], "01-first-steps.md:", "YAML")
    finally:
        module.write_text(original, encoding="utf-8")


def test_po_syntax_error(project: Path) -> None:
    po = project / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(
        text.replace('msgstr "Il voit des nombres."', 'msgstr "Il voit des nombres.'), "utf-8"
    )
    try:
        message = _fails_cleanly(project, ["build"], "fr/LC_MESSAGES/demo.po:")
        line = int(message.split("demo.po:")[1].split(":")[0])
        broken = po.read_text(encoding="utf-8").splitlines()[line - 1]
        assert broken == 'msgstr "Il voit des nombres.'  # the exact line
        _fails_cleanly(project, ["check"], "demo.po:")
    finally:
        po.write_text(text, encoding="utf-8")


def test_cell_that_raises_names_module_and_cell(project: Path) -> None:
    module = project / "courses" / "demo" / "02-counting.py"
    original = _with_edit(module, "print(len(words))", "print(len(words) / 0)")
    try:
        _fails_cleanly(project, ["build"], "02-counting.py:", "cell 2", "ZeroDivisionError")
    finally:
        module.write_text(original, encoding="utf-8")


def test_cell_that_never_ends_is_stopped(project: Path) -> None:
    module = project / "courses" / "demo" / "02-counting.py"
    original = _with_edit(module, "print(len(words))", "while True:\n    pass")
    try:
        # one locale: every locale would spin its own endless loop for the whole timeout
        _fails_cleanly(
            project,
            ["build", "--locale", "fr", "--timeout", "3"],
            "02-counting.py:",
            "cell 2",
            "3 s",
        )
    finally:
        module.write_text(original, encoding="utf-8")


def test_kernel_that_cannot_start_is_one_line(project: Path, tmp_path: Path) -> None:
    """A kernel that dies at start (seen under load, or a broken ipykernel) is retried once,
    then reported on one line: no traceback, the previous site kept."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-c", "import sys; sys.exit(3)", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"})
    )
    module = project / "courses" / "demo" / "02-counting.py"
    original = _with_edit(module, "print(len(words))", "print(len(words) + 0)")  # not cached
    try:
        before = _tree_hash(project / "build" / "site")
        result = ailit(
            "--project", str(project), "build", env={"JUPYTER_PATH": str(tmp_path / "jupyter")}
        )
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.strip().splitlines() == [result.stderr.strip()]
        assert "02-counting.py" in result.stderr
        assert "kernel did not start" in result.stderr
        assert _tree_hash(project / "build" / "site") == before
    finally:
        module.write_text(original, encoding="utf-8")


def test_unknown_locale_is_a_clear_error(project: Path) -> None:
    _fails_cleanly(project, ["build", "--locale", "xx"], "'xx'", "languages.yml")


def test_usage_error_exits_2(project: Path) -> None:
    result = ailit("--project", str(project), "build", "--no-such-option")
    assert result.returncode == 2


def test_an_ailit_error_is_a_click_exception_shown_as_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    error = CourseError("missing field 'level'", tmp_path / "courses" / "course.yml", 3)
    assert isinstance(error, click.ClickException) and error.exit_code == 1
    error.show()
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "error: courses/course.yml:3: missing field 'level'\n"
    assert str(error) == "courses/course.yml:3: missing field 'level'"


def test_an_error_is_one_line_on_stderr_even_with_q(tmp_path: Path) -> None:
    """Click shows the error: nothing on stdout, and -q silences everything but it."""
    for quiet in ([], ["-q"]):
        result = ailit("--project", str(tmp_path / "none"), *quiet, "check")
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stdout == ""
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
        assert "no courses folder" in result.stderr and "Traceback" not in result.stderr
