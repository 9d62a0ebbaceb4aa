"""The Kolibri drive as a school uses it: imported from disk by a real Kolibri 0.19.5 (its own
virtualenv, made by `make kolibri-deps`) into a fresh KOLIBRI_HOME with the network cut,
every node available, a module's HTML5 app served by Kolibri's zipcontent server and opened
in Chromium, and a rebuilt drive imported as an update.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import Offline, built_demo_copy, scripts_ran

ROOT = Path(__file__).parent.parent
KOLIBRI = ROOT / "build" / ".kolibri-venv" / "bin" / "kolibri"
EPOCH = 1767225600
DATA = Path("build/dist/kolibri/KOLIBRI_DATA")


def kolibri_env(home: Path, zip_port: int = 0) -> dict[str, str]:
    """A Kolibri of its own that reaches nothing: no ping, no zeroconf, no proxy."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(
        KOLIBRI_HOME=str(home), KOLIBRI_DISABLE_PING="1", KOLIBRI_ZEROCONF_ENABLED="0",
        KOLIBRI_RUN_MODE="test", KOLIBRI_ZIP_CONTENT_PORT=str(zip_port), no_proxy="*",
    )  # fmt: skip
    return env


def kolibri(home: Path, *args: str) -> str:
    assert KOLIBRI.is_file(), "Kolibri is missing: run 'make kolibri-deps' (make test does)"
    result = subprocess.run(
        [str(KOLIBRI), "manage", *args], env=kolibri_env(home), capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, f"kolibri manage {' '.join(args)}:\n{result.stderr[-3000:]}"
    return result.stdout + result.stderr


def bundle(project: Path, date: int = EPOCH) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(date)}
    subprocess.run(
        [sys.executable, "-m", "ailit", "bundle", "--no-zim"], cwd=project, env=env,
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip


def channels(project: Path) -> dict[str, int]:
    """Channel id -> version, from the drive's databases."""
    found = {}
    for db in sorted((project / DATA / "content" / "databases").glob("*.sqlite3")):
        con = sqlite3.connect(db)
        (version,) = con.execute("SELECT version FROM content_channelmetadata").fetchone()
        con.close()
        found[db.stem] = version
    return found


def import_drive(home: Path, project: Path) -> None:
    """``importchannel disk`` then ``importcontent disk`` for each channel, as a school runs
    them, in one Kolibri process (each start of Kolibri costs seconds)."""
    drive = str(project / DATA)
    calls = "".join(
        f"call_command('importchannel', 'disk', {c!r}, {drive!r})\n"
        f"call_command('importcontent', 'disk', {c!r}, {drive!r})\n"
        for c in channels(project)
    )
    kolibri(home, "shell", "-c", "from django.core.management import call_command\n" + calls)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def school(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo's drive, imported into a fresh Kolibri: (project, KOLIBRI_HOME)."""
    project = built_demo_copy(built_demo, tmp_path_factory, "kolibri")
    bundle(project)
    home = tmp_path_factory.mktemp("kolibri-home")
    import_drive(home, project)
    return project, home


def test_every_node_of_every_channel_is_available(school: tuple[Path, Path]) -> None:
    project, home = school
    listed = kolibri(home, "listchannels")
    con = sqlite3.connect(home / "db.sqlite3")
    for channel in channels(project):
        assert channel in listed
        drive = sqlite3.connect(project / DATA / "content" / "databases" / f"{channel}.sqlite3")
        nodes = drive.execute("SELECT count(*) FROM content_contentnode").fetchone()[0]
        drive.close()
        rows = con.execute(
            "SELECT available, coach_content, kind FROM content_contentnode WHERE channel_id = ?",
            (channel,),
        ).fetchall()
        assert len(rows) == nodes > 3
        assert all(available for available, _, _ in rows)
        assert any(coach for _, coach, _ in rows)  # the teacher guide: coaches only
    con.close()


def test_every_app_links_only_inside_itself(school: tuple[Path, Path]) -> None:
    import re

    project, _ = school
    for app in (project / DATA / "content" / "storage").rglob("*.zip"):
        with zipfile.ZipFile(app) as archive:
            names = set(archive.namelist())
            assert "index.html" in names
            page = archive.read("index.html").decode()
            for url in re.findall(r"""(?:href|src)=["']([^"']*)["']""", page):
                if url.startswith(("#", "data:")):
                    continue
                assert url.split("#")[0] in names, f"{app.name}: {url} is not in the app"


def test_kolibri_serves_a_module_that_renders_and_answers(
    school: tuple[Path, Path], browser: Browser
) -> None:
    _, home = school
    port, zip_port = free_port(), free_port()
    server = subprocess.Popen(
        [str(KOLIBRI), "start", "--foreground", "--port", str(port)],
        env=kolibri_env(home, zip_port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        con = sqlite3.connect(home / "db.sqlite3")
        (md5,) = con.execute(
            "SELECT f.local_file_id FROM content_file f JOIN content_contentnode n"
            " ON f.contentnode_id = n.id WHERE n.title = 'First steps with a robot'"
        ).fetchone()
        con.close()
        url = f"http://127.0.0.1:{zip_port}/content/zipcontent/{md5}.zip/index.html"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "Kolibri did not serve the app in 60 s"
                assert server.poll() is None, "Kolibri stopped"
                time.sleep(0.3)
        tab = Offline(browser, "http://127.0.0.1:")
        page = tab.page
        page.goto(url)
        assert page.locator("h1").first.text_content() == "First steps with a robot"
        assert page.locator("img[src$='.png']").first.evaluate("i => i.naturalWidth") > 0
        scripts_ran(page)  # from the app's zip, as named in the page (no 404: errors below)
        page.locator(".ailit-quiz input").first.check()
        assert page.locator(".ailit-quiz-result").first.text_content()
        assert page.locator(".ailit-download a[href$='.ipynb']").count() >= 1
        tab.close()
        assert tab.left == [], f"requests tried to leave the app: {tab.left}"
        assert tab.errors == []
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_a_changed_course_imports_as_an_update(school: tuple[Path, Path]) -> None:
    project, home = school
    before = channels(project)
    bundle(project)  # nothing changed: same versions
    assert channels(project) == before
    source = project / "courses" / "demo" / "01-first-steps.md"
    source.write_text(source.read_text().replace("not from *magic*", "not from *spells*"))
    subprocess.run(
        [sys.executable, "-m", "ailit", "build"], cwd=project, check=True,
        capture_output=True, timeout=600,
    )  # fmt: skip
    bundle(project)
    after = channels(project)
    assert any(after[c] > before[c] for c in before)
    assert all(after[c] >= before[c] for c in before)
    import_drive(home, project)
    con = sqlite3.connect(home / "db.sqlite3")
    imported = dict(con.execute("SELECT id, version FROM content_channelmetadata").fetchall())
    con.close()
    assert imported == after
    shutil.rmtree(project / "build" / "dist" / "kolibri")  # `make clean`, or another machine
    source.write_text(source.read_text().replace("*spells*", "*wishes*"))
    subprocess.run(
        [sys.executable, "-m", "ailit", "build"], cwd=project, check=True,
        capture_output=True, timeout=600,
    )  # fmt: skip
    bundle(project, EPOCH + 3600)  # built later: its date says so
    rebuilt = channels(project)
    assert any(rebuilt[c] > after[c] for c in after)  # still an update for the school


def test_verify_names_a_damaged_or_partial_drive(school: tuple[Path, Path], tmp_path: Path) -> None:
    import shutil

    project, _ = school
    drive = tmp_path / "USB"
    shutil.copytree(project / "build" / "dist" / "kolibri", drive)

    def check() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "ailit", "verify", str(drive)], capture_output=True,
            text=True, timeout=120,
        )  # fmt: skip

    assert check().returncode == 0
    apps = sorted((drive / "KOLIBRI_DATA" / "content" / "storage").rglob("*.zip"))
    apps[0].write_bytes(apps[0].read_bytes()[:-10])  # a copy cut short
    apps[1].unlink()
    result = check()
    assert result.returncode == 1
    assert f"altered: content/storage/{apps[0].parent.parent.name}/" in result.stdout
    assert f"missing: content/storage/{apps[1].parent.parent.name}/" in result.stdout
    db = next((drive / "KOLIBRI_DATA" / "content" / "databases").glob("*.sqlite3"))
    db.write_bytes(db.read_bytes()[:3000])
    result = check()
    assert result.returncode == 1
    assert "damaged channel database" in result.stderr
    assert "Traceback" not in result.stderr
