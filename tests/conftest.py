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
import time
from collections.abc import Callable, Iterator
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
    nothing with the demo's, so it runs while the other tests do.

    With pytest-xdist every worker sees every test: the first to claim the shared folder
    starts the build, and any worker reads the site once the build has written its exit
    code (the owner waits for it at the end rather than kill a build another worker reads).
    """

    PARTS = ("courses", "locales", "site_config", "mkdocs.yml")

    def __init__(self, shared: Path) -> None:
        self.base = shared / "curriculum"
        self.base.mkdir(parents=True, exist_ok=True)
        self.root = self.base / "ailit"
        self.log = self.base / "build.log"
        self.exit_code = self.base / "exit-code"
        self.process: subprocess.Popen | None = None
        try:
            os.close(os.open(self.base / "owner", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return  # another worker builds it
        for name in self.PARTS:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, self.root / name)
            else:
                shutil.copy(source, self.root / name)
        # its own cache in build/.cache: it runs beside other builds, which would evict
        # its page entries from a shared cache (a slot keeps the newest entry only)
        env = {k: v for k, v in os.environ.items() if k != "AILIT_CACHE_DIR"}
        script = (
            '"$0" -m ailit --project "$1" build >"$2" 2>&1; echo $? >"$3.new"; mv "$3.new" "$3"'
        )
        self.process = subprocess.Popen(
            ["sh", "-c", script, sys.executable, self.root, self.log, self.exit_code],
            env=env, start_new_session=True,
        )  # fmt: skip

    def site(self) -> Path:
        """The built site, once the build is over."""
        deadline = time.monotonic() + 1200
        while not self.exit_code.exists():
            assert time.monotonic() < deadline, "the starter course's build did not finish"
            time.sleep(0.5)
        code = self.exit_code.read_text().strip()
        assert code == "0", f"ailit build of the starter course failed:\n{self.log.read_text()}"
        return self.root / "build" / "site"

    def stop(self, wait: bool) -> None:
        """End the build (a session stopped early, say by -x), or wait for it when another
        worker may still read it."""
        if self.process is None or self.process.poll() is not None:
            return
        if wait:
            self.process.wait(timeout=1200)
        else:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _run_folder(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this pytest run: shared by its xdist workers."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def starter_build(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StarterBuild | None]:
    """Started at once when a collected test reads the starter site (test_curriculum)."""
    wanted = any("starter_site" in item.fixturenames for item in request.session.items)
    build = StarterBuild(_run_folder(tmp_path_factory)) if wanted else None
    yield build
    if build is not None:
        build.stop(wait="PYTEST_XDIST_WORKER" in os.environ)


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
    """A page whose every request outside ``home`` (file://, or a server on this machine)
    is aborted and remembered, with its console errors and failed responses."""

    def __init__(self, browser: Browser, home: str = "file://"):
        self.home = home
        self.context = browser.new_context(service_workers="block")
        self.left: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("response", lambda r: self.errors.append(r.url) if r.status >= 400 else None)

    def _route(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(self.home):
            route.continue_()
        else:
            self.left.append(url)
            route.abort()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def close(self) -> None:
        self.context.close()


def scripts_ran(page: Page) -> None:
    """Wait for the page's scripts, which a site page requests after its first paint
    (pages without that loader, such as the language chooser, have nothing to wait for)."""
    page.wait_for_function(
        "!document.getElementById('__ailit') || document.documentElement.dataset.ailitScripts"
    )


def hold_script(page: Page, pattern: str) -> Callable[[], None]:
    """Hold back the script ``pattern`` names; the function returned lets it load once the
    page has asked for it (a reader acting before the scripts that run after first paint)."""
    held: list[Route] = []
    page.route(pattern, lambda route: held.append(route))

    def release() -> None:
        while not held:
            page.wait_for_timeout(20)
        held[0].continue_()

    return release


@pytest.fixture
def offline(browser: Browser) -> Iterator[Offline]:
    tab = Offline(browser)
    yield tab
    tab.close()
    assert tab.left == [], f"requests tried to leave the machine: {tab.left}"
