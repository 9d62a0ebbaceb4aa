"""Shared fixtures: the demo project copied to a temporary folder, built once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, sync_playwright

HERE = Path(__file__).parent
DEMO = HERE / "fixtures" / "demo"
ROOT = HERE.parent


def copy_project(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("build", "__pycache__"))
    return target


def ailit(
    *args: str, cwd: Path | None = None, check: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run the real command line, as a user would (``env``: variables added to ours)."""
    result = subprocess.run(
        [sys.executable, "-m", "ailit", *args],
        cwd=cwd,
        env={**os.environ, **env} if env else None,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"ailit {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def built_demo_copy(factory: pytest.TempPathFactory, name: str) -> Path:
    """A writable copy of the demo project, built once (for a test module's own changes)."""
    root = copy_project(DEMO, factory.mktemp(name) / "demo")
    ailit("--project", str(root), "build", check=True)
    return root


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


# --- Debian's Chromium, from file://, with the network cut -------------------------------

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Chromium is missing: install Debian's 'chromium' package (make test does)"
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Offline:
    """A page whose every non-file request is aborted and remembered, with its console."""

    def __init__(self, browser: Browser):
        self.context = browser.new_context(service_workers="block")
        self.left: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _route(self, route: Route) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.left.append(url)
            route.abort()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline(browser: Browser) -> Iterator[Offline]:
    tab = Offline(browser)
    yield tab
    tab.close()
    assert tab.left == [], f"requests tried to leave the machine: {tab.left}"
