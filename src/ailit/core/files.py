"""Files written so that a crash, a full disk or a shared inode never leaves a bad one."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file and a rename, so a crash never leaves half a file.

    The file keeps the mode (and, where allowed, the group) of the one it replaces; a new
    file gets what ``open`` would give it (0666 less the umask): a school's web server must
    read the site, and a translator's group-writable catalogue stays group-writable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temp(path)
    try:
        with contextlib.suppress(FileNotFoundError):
            _keep_owner_and_mode(fd, os.stat(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _create_temp(path: Path) -> tuple[int, Path]:
    """A new, unique file next to ``path``, made with mode 0666 for the umask to narrow
    (``tempfile.mkstemp`` makes 0600, which the rename would carry into place)."""
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue


def _keep_owner_and_mode(fd: int, old: os.stat_result) -> None:
    """Give the new file the old one's group (when we may) and its permission bits."""
    if old.st_gid != os.fstat(fd).st_gid:
        with contextlib.suppress(OSError):
            os.fchown(fd, -1, old.st_gid)
    os.fchmod(fd, stat.S_IMODE(old.st_mode))


def make_temp_dir(parent: Path, prefix: str) -> Path:
    """A new, unique folder in ``parent``, with the mode ``mkdir`` gives (0777 less the
    umask), not ``tempfile.mkdtemp``'s 0700: it may be renamed into place as is."""
    while True:
        folder = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """Share the bytes of a file nothing writes to afterwards (a copy where links fail).

    An existing target is removed first: writing into it could change a file it shares
    its bytes with (another module's cached data file)."""
    Path(target).unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
