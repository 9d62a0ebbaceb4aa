"""The content-addressed cache: whole entries or none, damage is a miss, a bad disk loses
only the cache, and processes writing one key at once leave one whole entry."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ailit.core.cache import Cache, load_json

KEY = "0123abcd"


def test_a_file_entry_is_kept_and_found(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "exec", ".json")
    assert cache.read_json(KEY) is None
    assert cache.write_json(KEY, {"outputs": [1, 2]}) == tmp_path / "exec" / f"{KEY}.json"
    assert cache.read_json(KEY) == {"outputs": [1, 2]}
    assert cache.file(KEY) == tmp_path / "exec" / f"{KEY}.json"
    assert cache.read_json("another key") is None
    assert [p.name for p in (tmp_path / "exec").iterdir()] == [f"{KEY}.json"]  # no temp file


@pytest.mark.parametrize(
    "damage", [b"", b'{"outputs": [1, ', b"\xff\xfe not text", b"[1, 2]", b'{"outputs": 3}']
)
def test_a_damaged_entry_is_a_miss_and_is_replaced(tmp_path: Path, damage: bytes) -> None:
    cache = Cache(tmp_path, ".json")
    cache.write_json(KEY, {"outputs": [1]})
    cache.path(KEY).write_bytes(damage)  # cut short by a full disk, or edited by hand

    def valid(value: dict) -> bool:
        return isinstance(value["outputs"], list)

    assert cache.read_json(KEY, valid) is None
    assert cache.write_json(KEY, {"outputs": [2]})
    assert cache.read_json(KEY, valid) == {"outputs": [2]}


def test_a_file_that_fails_its_check_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path, ".pdf")
    cache.write(KEY, b"%PDF-1.7 ... %%EOF\n")
    assert cache.file(KEY, lambda data: data.endswith(b"%%EOF\n")) == cache.path(KEY)
    cache.path(KEY).write_bytes(b"%PDF-1.7 ... ")
    assert cache.file(KEY, lambda data: data.endswith(b"%%EOF\n")) is None


def test_a_folder_entry_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "pages")
    assert cache.entry_folder(KEY) is None
    with cache.new_folder(KEY) as work:
        (work / "files").mkdir()
        (work / "files" / "page.md").write_text("# Page\n", "utf-8")
        assert cache.entry_folder(KEY) is None  # not there until the block ends
    entry = cache.entry_folder(KEY)
    assert entry == tmp_path / "pages" / KEY
    assert (entry / "files" / "page.md").read_text("utf-8") == "# Page\n"
    with pytest.raises(RuntimeError), cache.new_folder("failed") as work:
        (work / "half.md").write_text("# Ha", "utf-8")
        raise RuntimeError("rendering failed")
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == [KEY]  # no half entry


def test_a_damaged_folder_entry_is_replaced(tmp_path: Path) -> None:
    """The caller found the entry unusable (a file missing): the new one takes its place."""
    cache = Cache(tmp_path)
    with cache.new_folder(KEY) as work:
        (work / "meta.json").write_text("{", "utf-8")
    with cache.new_folder(KEY) as work:
        (work / "meta.json").write_text("{}", "utf-8")
    assert load_json(tmp_path / KEY / "meta.json") == {}
    assert [p.name for p in tmp_path.iterdir()] == [KEY]


def test_a_slot_keeps_its_newest_entry_only(tmp_path: Path) -> None:
    files, folders = (
        Cache(tmp_path / "f", ".json", newest_only=True),
        Cache(tmp_path / "d", newest_only=True),
    )
    for key in ("first", "second"):
        files.write_json(key, [key])
        with folders.new_folder(key) as work:
            (work / "meta.json").write_text("{}", "utf-8")
    assert [p.name for p in (tmp_path / "f").iterdir()] == ["second.json"]
    assert [p.name for p in (tmp_path / "d").iterdir()] == ["second"]
    assert Cache(tmp_path / "f", ".json").read_json("first") is None


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Make a folder read-only with chmod. Root writes through a folder's mode, so for
    root every write into it is also refused the way the kernel refuses anyone else."""
    folders: list[Path] = []

    def make(folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o555)
        folders.append(folder)
        if os.geteuid() != 0:
            return

        def inside(path: object) -> bool:
            return isinstance(path, str | os.PathLike) and any(
                os.fspath(path).startswith(os.fspath(f)) for f in folders
            )

        def refusing(call: Callable, target: int, writes: Callable[..., bool]) -> Callable:
            def refused(*args: object, **kwargs: object) -> object:
                if inside(args[target]) and writes(*args, **kwargs):
                    raise PermissionError(
                        errno.EACCES, "Permission denied", os.fspath(args[target])
                    )
                return call(*args, **kwargs)

            return refused

        def opens_for_writing(_path: object, flags: int, *_args: object, **_kw: object) -> bool:
            return bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))

        monkeypatch.setattr(os, "open", refusing(os.open, 0, opens_for_writing))
        for name in ("mkdir", "unlink", "rmdir"):
            monkeypatch.setattr(os, name, refusing(getattr(os, name), 0, lambda *a, **k: True))
        for name in ("replace", "rename", "link"):
            monkeypatch.setattr(os, name, refusing(getattr(os, name), 1, lambda *a, **k: True))

    yield make
    monkeypatch.undo()
    for folder in folders:
        folder.chmod(0o755)


def test_a_read_only_folder_loses_the_cache_not_the_build(
    tmp_path: Path, read_only: Callable[[Path], None]
) -> None:
    kept = Cache(tmp_path / "kept", ".json")
    kept.write_json(KEY, [1])
    read_only(tmp_path / "kept")
    read_only(tmp_path / "new")
    assert kept.read_json(KEY) == [1]  # what is there is still read
    assert kept.write_json("other", [2]) is None
    assert kept.read_json("other") is None
    pages = Cache(tmp_path / "new" / "pages", newest_only=True)  # cannot even be made
    assert pages.write(KEY, b"data") is None
    with pages.new_folder(KEY) as work:  # still a folder to render into, elsewhere
        (work / "page.md").write_text("# Page\n", "utf-8")
        assert (work / "page.md").is_file()
    assert pages.entry_folder(KEY) is None
    assert not work.exists()  # the stand-in folder is removed afterwards


_WRITER = """
import sys
from pathlib import Path
from ailit.core.cache import Cache

folder, index = Path(sys.argv[1]), int(sys.argv[2])
files, folders = Cache(folder / "files", ".bin"), Cache(folder / "folders")
for round in range(40):
    assert files.write("key", bytes([round % 7]) * 300_000)
    with folders.new_folder("key") as work:
        for part in range(20):
            (work / f"part{part}").write_bytes(bytes([part]) * 5_000)
print("done")
"""


def test_processes_writing_one_key_at_once_leave_whole_entries(tmp_path: Path) -> None:
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(tmp_path), str(i)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    files = Cache(tmp_path / "files", ".bin")
    read: list[bytes] = []
    while any(w.poll() is None for w in writers):
        path = files.file("key")
        read.append(path.read_bytes() if path else b"")
    results = [writer.communicate() for writer in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0 and out.strip() == "done", err
    seen = [data for data in read if data]
    # never a half-written entry: always 300 000 times one byte value
    assert all(len(data) == 300_000 and data == data[:1] * 300_000 for data in seen)
    assert seen
    assert [p.name for p in (tmp_path / "files").iterdir()] == ["key.bin"]
    entries = sorted((tmp_path / "folders").iterdir())
    assert len(entries) == 1 and not entries[0].name.startswith(".")  # no temp folder left
    assert sorted(p.name for p in entries[0].iterdir()) == sorted(f"part{i}" for i in range(20))


def test_load_json_of_a_missing_or_damaged_file_is_none(tmp_path: Path) -> None:
    assert load_json(tmp_path / "none.json") is None
    (tmp_path / "cut.json").write_text('{"key": "', "utf-8")
    assert load_json(tmp_path / "cut.json") is None
    (tmp_path / "list.json").write_text(json.dumps([1]), "utf-8")
    assert load_json(tmp_path / "list.json", lambda info: isinstance(info, dict)) is None
