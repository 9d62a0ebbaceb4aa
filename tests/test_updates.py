"""Updates at a school always finish: an update SIGKILLed at every step of its work and run
again (by the copy's verify.py or by `ailit apply-update`) leaves exactly the new copy,
and update archives or partial files kept in the copy never count as extra. Small copies
made with the bundler's own manifest and diff code keep this fast enough to try every step.
"""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ailit.assets import verify
from ailit.commands.cli import main
from ailit.core.paths import ASSETS
from ailit.dist.bundle import seal, update_files

EPOCH = 1767225600  # 2026-01-01 00:00 UTC
NAME = "ailit-xx"
ARCHIVE = f"{NAME}-update.zip"  # its name in START-HERE.txt, which says to put it in the copy
VERIFY = [sys.executable, "-I", "-S"]  # no site-packages: verify.py needs the stdlib alone

# Runs a copy's verify.py (or ailit) and SIGKILLs it at checkpoint N: just before and just
# after each call that changes a file or folder (open for writing, replace, remove, ...).
KILLER = """
import builtins, os, runpy, signal, sys

script, stop = sys.argv[1], int(sys.argv[2])
steps = [0]


def checkpoint():
    steps[0] += 1
    if steps[0] == stop:
        os.kill(os.getpid(), signal.SIGKILL)


def watched(call, writes=lambda *args, **kwargs: True):
    def run(*args, **kwargs):
        if not writes(*args, **kwargs):
            return call(*args, **kwargs)
        checkpoint()
        result = call(*args, **kwargs)
        checkpoint()
        return result
    return run


for name in ("replace", "rename", "remove", "unlink", "rmdir", "makedirs", "mkdir"):
    setattr(os, name, watched(getattr(os, name)))
builtins.open = watched(
    builtins.open, lambda file, mode="r", *args, **kwargs: any(c in mode for c in "wax+")
)
sys.argv = [script, *sys.argv[3:]]
if script == "ailit":
    from ailit.commands.cli import main

    main(sys.argv[1:])
runpy.run_path(script, run_name="__main__")
"""


def old_files() -> dict[str, bytes]:
    return {
        "index.html": b"<p>racine</p>",
        "START-HERE.txt": b"Ouvrez index.html\r\n",
        "verify.py": (ASSETS / "verify.py").read_bytes(),
        "fr/index.html": b"<p>Bienvenue</p>",
        "fr/demo/01-premiers-pas.html": b"<p>Il voit des nombres.</p>",
        "fr/demo/02-donn\u00e9es.html": b"<p>Les donn\u00e9es</p>",
        "fr/assets/ancien.js": b"var ancien = 1;",
        "sw/index.html": b"<p>Karibu</p>",
        "sw/demo/01-hatua.html": b"<p>Anaona nambari.</p>",
        "sw/demo/img/plot.png": b"\x89PNG...",
    }


def new_files() -> dict[str, bytes]:
    """One French paragraph corrected, a page added in a new folder, a script and the
    Swahili folders dropped, everything else the same bytes."""
    files = {
        path: data
        for path, data in old_files().items()
        if not path.startswith("sw/") and path != "fr/assets/ancien.js"
    }
    files["fr/demo/01-premiers-pas.html"] = b"<p>Il voit beaucoup de nombres.</p>"
    files["fr/demo/03-\u00e9quit\u00e9/index.html"] = b"<p>\u00c9quit\u00e9</p>"
    return files


def sealed(files: dict[str, bytes], date: int) -> dict[str, bytes]:
    return seal(files, NAME, date, {"locales": ["fr"]})


def write_copy(files: dict[str, bytes], root: Path) -> Path:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for rel in sorted(files):
            archive.writestr(rel, files[rel])
    return buffer.getvalue()


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def folders(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()}


def make_update(old: dict[str, bytes], new: dict[str, bytes]) -> bytes:
    """The update archive `ailit bundle --since` would write, from the old manifest."""
    changes = update_files(json.loads(old[verify.MANIFEST]), new)
    assert changes is not None
    return zipped(changes)


def apply_with_ailit(update: Path, copy: Path) -> list[str]:
    result = CliRunner().invoke(
        main, ["--project", str(copy.parent), "apply-update", str(update), "--to", str(copy)]
    )
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def apply_with_verify_py(update: str, copy: Path) -> list[str]:
    result = subprocess.run(
        [*VERIFY, "verify.py", "--apply", update], cwd=copy, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


def test_an_update_carries_only_files_whose_content_changed() -> None:
    old, new = sealed(old_files(), EPOCH), sealed(new_files(), EPOCH + 86400)
    with zipfile.ZipFile(io.BytesIO(make_update(old, new))) as archive:
        carried = set(archive.namelist())
        info = json.loads(archive.read(verify.UPDATE))
    assert carried == {
        "fr/demo/01-premiers-pas.html",
        "fr/demo/03-\u00e9quit\u00e9/index.html",
        verify.MANIFEST,
        verify.SUMS,
        verify.UPDATE,
    }
    assert info["remove"] == [
        "fr/assets/ancien.js",
        "sw/demo/01-hatua.html",
        "sw/demo/img/plot.png",
        "sw/index.html",
    ]
    # the same bytes on another day: only the manifest and its sums travel
    again = update_files(json.loads(new[verify.MANIFEST]), sealed(new_files(), EPOCH + 2 * 86400))
    assert again is not None and set(again) == {verify.MANIFEST, verify.SUMS, verify.UPDATE}
    assert update_files(json.loads(new[verify.MANIFEST]), new) is None


@pytest.mark.parametrize(
    ("updater", "every"),
    [(["verify.py", "--apply", ARCHIVE], 1), (["ailit", "apply-update", ARCHIVE, "--to", "."], 6)],
    ids=["verify.py", "ailit"],
)
def test_an_update_stopped_at_any_step_finishes_when_run_again(
    tmp_path: Path, updater: list[str], every: int
) -> None:
    """Killed at every checkpoint (ailit, slower to start, at every 6th), then run again."""
    old, new = sealed(old_files(), EPOCH), sealed(new_files(), EPOCH + 86400)
    update = make_update(old, new)
    killer = tmp_path / "killer.py"
    killer.write_text(KILLER, "utf-8")
    wanted = {**new, ARCHIVE: update}
    script, *arguments = updater
    python = VERIFY if script == "verify.py" else [sys.executable]  # ailit: its site-packages
    stop = 1
    while True:
        copy = write_copy({**old, ARCHIVE: update}, tmp_path / f"arr\u00eat {stop}" / NAME)
        killed = subprocess.run(
            [*python, str(killer), script, str(stop), *arguments],
            cwd=copy, capture_output=True, text=True,
        )  # fmt: skip
        if killed.returncode == 0:  # it reached its end before checkpoint `stop`
            assert killed.stdout.splitlines()[-1].startswith("ok: "), killed.stdout
            assert tree(copy) == wanted
            break
        assert killed.returncode == -signal.SIGKILL, (stop, killed.stdout, killed.stderr)
        # run again as START-HERE.txt says, or with ailit: both finish and check clean
        if stop // every % 2:
            lines = apply_with_verify_py(ARCHIVE, copy)
        else:
            lines = apply_with_ailit(copy / ARCHIVE, copy)
        assert lines[-1].startswith("ok: "), (stop, lines)
        assert tree(copy) == wanted, stop
        assert not folders(copy) & {"sw", "sw/demo", "fr/assets"}, stop
        stop += every
    assert stop > 30  # every step was tried: staging, replacing, removing, manifest last


def test_a_rerun_after_the_manifest_finishes_the_deletion(tmp_path: Path) -> None:
    """The state the issue reports: manifest.json replaced, dropped files still there."""
    old, new = sealed(old_files(), EPOCH), sealed(new_files(), EPOCH + 86400)
    update = tmp_path / ARCHIVE
    update.write_bytes(make_update(old, new))
    dropped = {p: d for p, d in old.items() if p.startswith("sw/") or p == "fr/assets/ancien.js"}
    copy = write_copy({**new, **dropped}, tmp_path / NAME)
    assert verify.check(str(copy)).extra == sorted(dropped)
    lines = apply_with_ailit(update, copy)
    assert lines[0].startswith("updated to ") and lines[-1].startswith("ok: "), lines
    assert tree(copy) == new and not (copy / "sw").exists()
    again = apply_with_ailit(update, copy)
    assert again[0] == "already up to date", again


def test_update_archives_and_partial_files_are_not_extra(tmp_path: Path) -> None:
    copy = write_copy(sealed(old_files(), EPOCH), tmp_path / NAME)
    kept = [
        ARCHIVE,
        f"{NAME}-update (1).zip",  # a browser's second download
        f"{NAME}-update.zip.part",  # a download under way
        "AILIT-FR-UPDATE.ZIP.crdownload",
        "fr/index.html.ailit-part",  # the updater's own partial file
    ]
    strays = ["fr/notes.zip", "fr/demo/ailit-xx-update.zip", "autre.zip", "fr/index.part"]
    for rel in kept + strays:
        (copy / rel).write_bytes(b"...")
    report = verify.check(str(copy))
    assert report.extra == sorted(strays)
    assert not report.missing and not report.altered
