#!/usr/bin/env python3
"""Check an ailit offline copy against its manifest.json, or apply an update to it.

This file travels inside every bundle so that a school without ailit can check its copy
with any Python 3.7 or newer and no packages (ailit itself runs the same code).

    python3 verify.py                        check the copy this file sits in
    python3 verify.py PATH                   check another copy: a folder or a .zip
    python3 verify.py --apply UPDATE.zip     turn this copy into the newer one, then check it

Every missing, extra or altered file is named; the exit code is 0 only when none is.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import sys
import unicodedata
import zipfile

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
UPDATE = "UPDATE.json"
# written by file managers when a folder is browsed; never part of a copy
IGNORED = {".DS_Store", "Thumbs.db", "desktop.ini"}
PART = ".ailit-part"  # a file the updater is writing; replaced or removed before it ends
# an update archive kept in the copy (START-HERE.txt suggests it), or its download under way
UPDATE_ARCHIVE = "*update*.zip"
DOWNLOADING = (".part", ".crdownload", ".download", ".partial", ".tmp")
CHUNK = 1 << 16


class Problem(Exception):
    """A copy or update that cannot be checked or applied, said in one line."""


class Report:
    """What a check found: files missing, extra or altered, against the manifest."""

    def __init__(self, name: str, version: str, checked: int) -> None:
        self.name = name
        self.version = version
        self.checked = checked
        self.missing: list[str] = []
        self.extra: list[str] = []
        self.altered: list[str] = []

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.altered)

    def lines(self) -> list[str]:
        """One line per problem, then a summary line."""
        found = [f"missing: {p}" for p in self.missing]
        found += [f"extra: {p}" for p in self.extra]
        found += [f"altered: {p}" for p in self.altered]
        if self.ok:
            found.append(f"ok: {self.checked} files match {MANIFEST} ({self.name} {self.version})")
        else:
            found.append(
                f"FAILED: {len(self.missing)} missing, {len(self.extra)} extra, "
                f"{len(self.altered)} altered ({self.name} {self.version})"
            )
        return found


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sums_text(hashes: dict[str, str]) -> str:
    """The SHA256SUMS format that ``sha256sum -c`` reads: hash, two spaces, path."""
    for path in hashes:
        if "\n" in path or "\\" in path:
            raise Problem(f"{path!r}: a file name with a newline or backslash cannot be listed")
    return "".join(f"{hashes[p]}  {p}\n" for p in sorted(hashes))


def parse_sums(text: str) -> dict[str, str]:
    result = {}
    for line in text.splitlines():
        if line.strip():
            digest, _, path = line.partition("  ")
            result[path.lstrip("*")] = digest
    return result


def _nfc(path: str) -> str:
    """macOS may hand back decomposed names: compare paths in one normal form."""
    return unicodedata.normalize("NFC", path)


def _ignored(path: str) -> bool:
    """Not part of any copy: file managers' leftovers, the updater's partial files, and
    update archives (or their downloads) kept at the top of the copy."""
    name = path.rsplit("/", 1)[-1]
    if name in IGNORED or name.startswith("._") or path.startswith("__MACOSX/"):
        return True
    if name.endswith(PART):
        return True
    if "/" in path:
        return False
    for suffix in DOWNLOADING:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return fnmatch.fnmatch(name.lower(), UPDATE_ARCHIVE)


class Folder:
    """An unpacked copy: the folder holding manifest.json."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.label = root

    def files(self) -> dict[str, int]:
        found = {}
        for folder, dirs, names in os.walk(self.root):
            dirs.sort()
            for name in names:
                full = os.path.join(folder, name)
                rel = os.path.relpath(full, self.root).replace(os.sep, "/")
                found[_nfc(rel)] = os.path.getsize(full)
        return found

    def _path(self, rel: str) -> str:
        path = os.path.join(self.root, *rel.split("/"))
        if not os.path.exists(path):  # stored decomposed (old macOS file systems)
            path = os.path.join(self.root, *unicodedata.normalize("NFD", rel).split("/"))
        return path

    def read(self, rel: str) -> bytes:
        with open(self._path(rel), "rb") as handle:
            return handle.read()

    def digest(self, rel: str) -> str:
        digest = hashlib.sha256()
        with open(self._path(rel), "rb") as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                digest.update(block)
        return digest.hexdigest()


class Archive:
    """A copy still in its zip: the entries under the folder that holds manifest.json."""

    def __init__(self, path: str) -> None:
        self.zip = zipfile.ZipFile(path)
        self.label = path
        names = [n for n in self.zip.namelist() if n.rsplit("/", 1)[-1] == MANIFEST]
        if not names:
            raise Problem(f"{path}: no {MANIFEST} in this zip: not an ailit bundle")
        self.prefix = min(names, key=len)[: -len(MANIFEST)]

    def files(self) -> dict[str, int]:
        found = {}
        for info in self.zip.infolist():
            if info.is_dir():
                continue
            name = info.filename
            rel = name[len(self.prefix) :] if name.startswith(self.prefix) else "../" + name
            found[_nfc(rel)] = info.file_size
        return found

    def read(self, rel: str) -> bytes:
        return self.zip.read(self.prefix + rel)

    def digest(self, rel: str) -> str:
        digest = hashlib.sha256()
        with self.zip.open(self.prefix + rel) as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                digest.update(block)
        return digest.hexdigest()


def open_copy(path: str) -> Folder | Archive:
    """A folder or zip holding manifest.json, directly or in its only subfolder."""
    if os.path.isfile(path):
        if not zipfile.is_zipfile(path):
            raise Problem(f"{path}: neither a folder nor a zip file")
        return Archive(path)
    if not os.path.isdir(path):
        raise Problem(f"{path}: no such folder or file")
    if os.path.isfile(os.path.join(path, MANIFEST)):
        return Folder(path)
    inner = [
        os.path.join(path, name)
        for name in sorted(os.listdir(path))
        if os.path.isfile(os.path.join(path, name, MANIFEST))
    ]
    if len(inner) == 1:
        return Folder(inner[0])
    raise Problem(f"{path}: no {MANIFEST} here: not an ailit bundle")


def load_manifest(copy: Folder | Archive) -> dict:
    try:
        manifest = json.loads(copy.read(MANIFEST).decode("utf-8"))
        manifest["files"] = list(manifest["files"])
        for entry in manifest["files"]:
            if not (isinstance(entry["path"], str) and isinstance(entry["size"], int)):
                raise ValueError(f"a file entry without path or size: {entry}")
            entry["sha256"] = str(entry["sha256"])
        return manifest
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise Problem(f"{copy.label}: {MANIFEST} cannot be read ({exc})") from exc


def check(path: str) -> Report:
    """Compare a copy with its manifest: every file present, none extra, none altered."""
    copy = open_copy(path)
    manifest = load_manifest(copy)
    expected = {entry["path"]: entry for entry in manifest["files"]}
    present = copy.files()
    report = Report(str(manifest.get("name", "?")), str(manifest.get("version", "?")), 0)
    report.missing = sorted(p for p in expected if p not in present)
    report.extra = sorted(
        p for p in present if p not in expected and p not in (MANIFEST, SUMS) and not _ignored(p)
    )
    for path_ in sorted(p for p in expected if p in present):
        entry = expected[path_]
        if present[path_] != entry["size"] or copy.digest(path_) != entry["sha256"]:
            report.altered.append(path_)
        report.checked += 1
    if SUMS not in present:
        report.missing.append(SUMS)
    else:
        sums = parse_sums(copy.read(SUMS).decode("utf-8", "replace"))
        if sums.pop(MANIFEST, None) != sha256_bytes(copy.read(MANIFEST)):
            report.altered.append(MANIFEST)
        elif sums != {p: e["sha256"] for p, e in expected.items()}:
            report.altered.append(SUMS)  # the two lists of hashes disagree
    return report


def _safe(rel: str) -> str:
    """Refuse paths that would write outside the copy (absolute, '..', drive letters)."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or ":" in rel or ".." in parts or "" in parts:
        raise Problem(f"unsafe path in the update: {rel!r}")
    return rel


def apply_update(update: str, path: str) -> tuple[Report, bool]:
    """Turn a copy into the newer one an update describes; returns the check and whether
    anything was written. Nothing is replaced until every file of the update is intact,
    and manifest.json is replaced last: an update stopped at any step can be run again."""
    copy = open_copy(path)
    if not isinstance(copy, Folder):
        raise Problem(f"{path}: unpack the copy first: an update applies to a folder")
    current = load_manifest(copy)
    try:
        with zipfile.ZipFile(update) as archive:
            info = json.loads(archive.read(UPDATE).decode("utf-8"))
        files, remove = dict(info["files"]), [_safe(rel) for rel in info["remove"]]
        source, target, name = info["from"], info["to"], info["name"]
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
        raise Problem(f"{update}: not an ailit update ({exc})") from exc
    if current.get("name") != name:
        raise Problem(f"{update} updates {name}; this copy is {current.get('name')}")
    if current.get("version") == target:  # done, or stopped after manifest.json: finish
        kept = {entry["path"] for entry in current["files"]}
        dropped = _drop(copy.root, [rel for rel in remove if rel not in kept])
        swept = _sweep(copy.root)
        return check(copy.root), dropped or swept
    if current.get("version") != source:
        raise Problem(
            f"{update} turns version {source} into {target}; "
            f"this copy is version {current.get('version')}"
        )
    staged = _stage(update, files, copy.root)
    ends = (os.path.join(copy.root, SUMS), os.path.join(copy.root, MANIFEST))
    last = [(part, dest) for part, dest in staged if dest in ends]
    for part, dest in staged:
        if (part, dest) not in last:
            os.replace(part, dest)
    _drop(copy.root, remove)  # before the new manifest.json says the update is done
    for part, dest in last:  # SHA256SUMS, then manifest.json
        os.replace(part, dest)
    _sweep(copy.root)
    return check(copy.root), True


def _stage(update: str, files: dict[str, str], root: str) -> list[tuple[str, str]]:
    """Every file of the update written beside its place as a partial file and checked
    against its hash; (partial, final) pairs, manifest.json last."""
    staged = []
    archive = zipfile.ZipFile(update)
    try:
        for rel in sorted(files, key=lambda p: (p in (MANIFEST, SUMS), p == MANIFEST, p)):
            dest = os.path.join(root, *_safe(rel).split("/"))
            part = dest + PART
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            staged.append((part, dest))
            digest = hashlib.sha256()
            try:
                with archive.open(rel) as src, open(part, "wb") as out:
                    for block in iter(lambda: src.read(CHUNK), b""):
                        digest.update(block)
                        out.write(block)
            except KeyError:
                raise Problem(f"{update}: {rel} is missing from the update archive") from None
            if digest.hexdigest() != files[rel]:
                raise Problem(f"{update}: {rel} is damaged in the update archive")
    except BaseException:
        for part, _ in staged:
            if os.path.exists(part):
                os.remove(part)
        raise
    finally:
        archive.close()
    return staged


def _drop(root: str, remove: list[str]) -> bool:
    """Remove the files the new version dropped and the folders they leave empty;
    whether anything was removed."""
    removed = False
    for rel in remove:
        dest = os.path.join(root, *rel.split("/"))
        if os.path.isfile(dest):
            os.remove(dest)
            removed = True
        removed |= _prune(root, os.path.dirname(dest))
    return removed


def _sweep(root: str) -> bool:
    """Remove the partial files an update stopped before its end left behind."""
    swept = False
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(PART):
                os.remove(os.path.join(folder, name))
                swept = True
    return swept


def _prune(root: str, folder: str) -> bool:
    """Remove a folder left empty, then its parents left empty, up to the copy."""
    pruned = False
    while os.path.abspath(folder) != os.path.abspath(root):
        if os.path.isdir(folder):
            if os.listdir(folder):
                break
            os.rmdir(folder)
            pruned = True
        folder = os.path.dirname(folder)
    return pruned


def main(argv: list[str] | None = None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Check an ailit offline copy, or update it.")
    parser.add_argument("path", nargs="?", default=here, help="copy to check (folder or .zip)")
    parser.add_argument("--apply", metavar="UPDATE.zip", help="apply this update to the copy")
    args = parser.parse_args(argv)
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure:  # a console that cannot show a file name must not stop the check
        reconfigure(errors="replace")
    try:
        if args.apply:
            report, written = apply_update(args.apply, args.path)
            print(f"updated to {report.version}" if written else "already up to date")
        else:
            report = check(args.path)
    except Problem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
