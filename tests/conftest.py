"""Shared fixtures: the demo project copied to a temporary folder, built once per session.

Every project a test builds uses one cache for the session (AILIT_CACHE_DIR, a temporary
folder, empty at the start as on a fresh clone): its keys are content hashes, so a copy of
the demo finds the pages, outputs and handouts the first build made. Tests about the cache
itself (test_incremental) give their project a private one.
"""

from __future__ import annotations

import os
import shutil
import signal
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


def link_tree(source: Path, target: Path) -> None:
    """Copy a folder as hard links (a copy where links fail): for files only ever replaced
    whole, as cache entries are (written through a temporary file and a rename)."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, dirs_exist_ok=True, copy_function=link)


def built_demo_copy(built: Path, factory: pytest.TempPathFactory, name: str) -> Path:
    """A writable copy of the built demo, its sources and site (for a module's own changes)."""
    root = factory.mktemp(name) / "demo"
    shutil.copytree(built, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.fixture(scope="session", autouse=True)
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The session's one cache, for every build a test starts (subprocesses inherit it)."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AILIT_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory: pytest.TempPathFactory, shared_cache: Path) -> Path:
    """The demo project, built once for every test that only reads the site.

    Built cold into a cache of its own (``demo_cache``: exactly what a first build makes,
    kept for tests that need a private copy), which then seeds the shared cache.
    """
    base = tmp_path_factory.mktemp("built")
    root = copy_project(DEMO, base / "démo site")
    ailit("--project", str(root), "build", check=True, env={"AILIT_CACHE_DIR": str(base / "cache")})
    link_tree(base / "cache", shared_cache)
    return root


@pytest.fixture(scope="session")
def demo_cache(built_demo: Path) -> Path:
    """The cache the demo's first build made (read only: copy it before writing)."""
    return built_demo.parent / "cache"


@pytest.fixture
def demo(tmp_path: Path, built_demo: Path) -> Path:
    """A fresh, writable copy of the demo project, unbuilt (the shared cache knows it)."""
    return copy_project(DEMO, tmp_path / "demo project")


class StarterBuild:
    """The starter course (the repository's own project) built from a copy, in the
    background from the session's start: the longest cold build of the suite, sharing
    nothing with the demo's, so it runs while the other tests do."""

    PARTS = ("courses", "locales", "site_config", "mkdocs.yml")

    def __init__(self, base: Path) -> None:
        self.root = base / "ailit"
        self.root.mkdir()
        for name in self.PARTS:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, self.root / name)
            else:
                shutil.copy(source, self.root / name)
        self.log = base / "build.log"
        # its own cache in build/.cache: it runs beside other builds, which would evict
        # its page entries from a shared cache (a slot keeps the newest entry only)
        env = {k: v for k, v in os.environ.items() if k != "AILIT_CACHE_DIR"}
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ailit", "--project", str(self.root), "build"],
                stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
            )  # fmt: skip

    def site(self) -> Path:
        """The built site, once the build is over."""
        code = self.process.wait(timeout=1200)
        assert code == 0, f"ailit build of the starter course failed:\n{self.log.read_text()}"
        return self.root / "build" / "site"

    def stop(self) -> None:
        """End the build and its worker processes (a session stopped early, say by -x)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture(scope="session", autouse=True)
def starter_build(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StarterBuild | None]:
    """Started at once when a collected test reads the starter site (test_curriculum)."""
    wanted = any("starter_site" in item.fixturenames for item in request.session.items)
    build = StarterBuild(tmp_path_factory.mktemp("curriculum")) if wanted else None
    yield build
    if build is not None:
        build.stop()


@pytest.fixture(scope="session")
def starter_site(starter_build: StarterBuild | None) -> Path:
    """The starter course's built site (test_curriculum)."""
    assert starter_build is not None
    return starter_build.site()


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
