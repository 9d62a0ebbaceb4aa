"""Progress of a build: bars on a terminal, one line per stage in a log, nothing with -q."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ailit, built_demo_copy

LOCALES = ["en", "fr", "ar", "sw"]


@pytest.fixture(scope="module")
def project(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_demo_copy(built_demo, tmp_path_factory, "progress")


def _touch(project: Path) -> None:
    """A change every locale depends on (all rebuilt, nothing executed)."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\n", "utf-8")


def test_log_has_one_line_per_locale_and_stage(project: Path) -> None:
    _touch(project)
    out = ailit("--project", str(project), "build", check=True).stdout
    for code in LOCALES:
        stages = re.findall(rf"^{code}: (\w+)$", out, re.M)
        assert stages == ["pages", "theme", "mkdocs", "done"], out
    assert " 1/2" not in out  # module steps only with -v


def test_verbose_log_counts_modules_with_seconds(project: Path) -> None:
    _touch(project)
    out = ailit("--project", str(project), "-v", "build", check=True).stdout
    for code in LOCALES:
        steps = re.findall(rf"^{code}: pages (\d)/2 \(\d+\.\d s\)$", out, re.M)
        assert steps == ["1", "2"], out


def test_quiet_prints_nothing(project: Path) -> None:
    _touch(project)
    result = ailit("--project", str(project), "-q", "build", check=True)
    assert result.stdout == "" and result.stderr == ""


def test_terminal_shows_a_bar_per_locale(project: Path) -> None:
    _touch(project)
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "ailit", "--project", str(project), "build"],
        stdout=slave, stderr=slave, env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the terminal closed: the build is over
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    assert process.wait(timeout=300) == 0
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert "━" in screen  # rich's bar
    for code in LOCALES:
        assert re.search(rf"{code} \S*━", screen), code
    assert "mkdocs" in screen and "4/4" in screen
    assert "fr: built (" in screen
