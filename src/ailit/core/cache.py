"""The content-addressed cache every stage keeps its results in (under build/.cache/).

Why one helper: parsed modules, notebook outputs, rendered pages, handout PDFs and built
locales are each stored under a hash of everything they are made from, so a stale entry
can never be found, only a missing one. What makes that safe is the same for all of them
and lives here once:

- an entry (a file of bytes or JSON, or a folder of files) is written under a temporary
  name and renamed into place, so a reader sees a whole entry or none;
- a damaged entry (cut short by a full disk, edited by hand) reads as a miss: the stage
  makes it again, never a traceback;
- a disk that cannot be written (read only, full) loses the cache, never the build;
- two processes writing one key write the same content: the last rename wins, or the
  first folder stays.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ailit.core.files import make_temp_dir, write_atomic

#: Errors a damaged entry or a failing check of one can raise: all mean "make it again".
_DAMAGED = (OSError, ValueError, LookupError, TypeError, AttributeError)


def load_json(path: Path, valid: Callable[[Any], bool] | None = None) -> Any | None:
    """The JSON value kept at ``path``, or None when it is missing, damaged or not ``valid``."""
    try:
        value = json.loads(path.read_bytes())
        return value if valid is None or valid(value) else None
    except _DAMAGED:
        return None


def store(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically; False (and nothing written) when the disk refuses."""
    try:
        write_atomic(path, data)
    except OSError:
        return False
    return True


class Cache:
    """One stage's entries in ``folder``, each named by its key (plus ``suffix`` for files).

    With ``newest_only`` the folder is one slot (one module in one locale, say): writing an
    entry removes the older ones, so the cache does not grow with every edit.
    """

    def __init__(self, folder: Path, suffix: str = "", newest_only: bool = False):
        self.folder = folder
        self.suffix = suffix
        self.newest_only = newest_only

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{self.suffix}"

    def file(self, key: str, valid: Callable[[bytes], bool] | None = None) -> Path | None:
        """The file entry for ``key``, or None when it is missing, unreadable or not ``valid``."""
        path = self.path(key)
        try:
            if valid is None:
                return path if path.is_file() else None
            return path if valid(path.read_bytes()) else None
        except _DAMAGED:
            return None

    def read_json(self, key: str, valid: Callable[[Any], bool] | None = None) -> Any | None:
        return load_json(self.path(key), valid)

    def write(self, key: str, data: bytes) -> Path | None:
        """Keep ``data`` as the entry for ``key``; its path, or None when the disk refused."""
        path = self.path(key)
        if not store(path, data):
            return None
        self._drop_older(path.name)
        return path

    def write_json(self, key: str, value: Any, sort_keys: bool = False) -> Path | None:
        data = json.dumps(value, sort_keys=sort_keys).encode()
        return self.write(key, data)

    def entry_folder(self, key: str) -> Path | None:
        """The folder entry for ``key``, or None; the caller checks the files it needs in it."""
        path = self.path(key)
        return path if path.is_dir() else None

    @contextlib.contextmanager
    def new_folder(self, key: str) -> Iterator[Path]:
        """A fresh folder to fill; moved into place as the entry for ``key`` when the block
        ends without an error. Read what you need from it inside the block: when the disk
        refuses, it is a temporary folder elsewhere, removed afterwards."""
        entry = self.path(key)
        damaged = entry.exists()  # the caller found it unusable: ours replaces it
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            work = make_temp_dir(self.folder, f".{key}.")
        except OSError:
            work = Path(tempfile.mkdtemp(prefix="ailit-cache-"))
        try:
            yield work
            if work.parent == self.folder:
                self._move_into_place(work, entry, damaged)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _move_into_place(self, work: Path, entry: Path, damaged: bool) -> None:
        """Rename ``work`` to ``entry``. A damaged entry is moved aside first; an entry
        another process made meanwhile is as good as ours (same key, same files): it stays."""
        with contextlib.suppress(OSError):
            try:
                os.replace(work, entry)
            except OSError:
                if not damaged:
                    return
                _remove(entry)
                os.replace(work, entry)
            self._drop_older(entry.name)

    def _drop_older(self, name: str) -> None:
        """In a ``newest_only`` slot, remove every entry but ``name`` (not others' temp files)."""
        if not self.newest_only:
            return
        with contextlib.suppress(OSError):
            for old in self.folder.iterdir():
                if old.name != name and not old.name.startswith("."):
                    _remove(old)


def _remove(entry: Path) -> None:
    """Take an entry away in one rename (a reader never sees half of it), then delete it."""
    aside = entry.with_name(f".{entry.name}.old.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        os.replace(entry, aside)
    except OSError:  # gone already, or the disk refuses: nothing to do
        return
    if aside.is_dir():
        shutil.rmtree(aside, ignore_errors=True)
    else:
        aside.unlink(missing_ok=True)
