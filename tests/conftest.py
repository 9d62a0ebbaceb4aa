"""Shared fixtures: the demo project copied to a temporary folder, built once per session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
DEMO = HERE / "fixtures" / "demo"
ROOT = HERE.parent


def copy_project(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("build", "__pycache__"))
    return target


def ailit(*args: str, cwd: Path | None = None, check: bool = False) -> subprocess.CompletedProcess:
    """Run the real command line, as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "ailit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"ailit {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A fresh, writable copy of the demo project."""
    return copy_project(DEMO, tmp_path / "demo project")


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project, built once for every test that only reads the site."""
    root = copy_project(DEMO, tmp_path_factory.mktemp("built") / "démo site")
    ailit("--project", str(root), "build", check=True)
    return root
