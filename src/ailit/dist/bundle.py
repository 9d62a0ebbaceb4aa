"""Offline copies for schools: zip bundles with a manifest and checksums, ZIMs, and updates.

A bundle is one folder, zipped: the site of its locales, a root index.html, START-HERE.txt,
the licences, verify.py, manifest.json and SHA256SUMS. The same site and date give the same
bytes (sorted entries, fixed timestamps), so a published SHA-256 means something. An update
holds only the files that changed since an older copy's manifest, plus what to remove.
"""

from __future__ import annotations

import json
import os
import time
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from ailit import __version__
from ailit.assets import verify
from ailit.assets.verify import MANIFEST, SUMS, UPDATE
from ailit.core.errors import BundleError
from ailit.core.files import write_atomic
from ailit.core.paths import ASSETS
from ailit.model.mkdocs_yml import read_mkdocs_yml
from ailit.model.language import babel_locale
from ailit.model.project import Language, Project
from ailit.stages.templating import render

PREFIX = "ailit"
ALL = "all"
#: already compressed: deflating them again costs time and saves nothing
STORED = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".gz", ".woff2", ".zim"}
ZIP_FIRST, ZIP_LAST = 315532800, 4354819198  # 1980-01-01 .. 2107-12-31: what a zip can hold
LUNR = "assets/javascripts/lunr/"
START_HERE = "START-HERE.txt"
START_KEYS = ("start_open", "start_check")  # the lines of START-HERE.txt that site.po translates


@dataclass
class Output:
    """A file written to build/dist/, with what the size report shows."""

    path: Path
    files: int
    unpacked: int

    @property
    def size(self) -> int:
        return self.unpacked if self.path.is_dir() else self.path.stat().st_size


def bundle_date(site: Path) -> int:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else when the site was last built."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value:
        try:
            return int(value)
        except ValueError:
            raise BundleError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds") from None
    return int(max(p.stat().st_mtime for p in site.rglob("*") if p.is_file()))


def day(date: int) -> str:
    return f"{datetime.fromtimestamp(date, UTC):%Y-%m-%d}"


def languages(project: Project) -> list[Language]:
    """Every locale of the site, the source language first (as the site builds them)."""
    source = project.source_language
    name = babel_locale(source).get_display_name() or source
    return [Language(source, name, "reviewed"), *project.languages]


def site_config(project: Project) -> tuple[str, str]:
    """The site's name and author from mkdocs.yml: the ZIM's title fallback and creator."""
    base = read_mkdocs_yml(project.root / "mkdocs.yml").settings
    name = str(base.get("site_name") or PREFIX)
    return name, str(base.get("site_author") or name)


def search_languages(site_dir: Path) -> set[str] | None:
    """The languages Material's search loads stemmers for (None: unknown, keep them all)."""
    try:
        index = json.loads((site_dir / "search" / "search_index.json").read_text("utf-8"))
        return set(index["config"]["lang"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def wanted(rel: str, search: set[str] | None) -> bool:
    """Leave out what an offline reader never uses: source maps, other languages' stemmers."""
    parts = rel.split("/")
    if any(part.startswith(".") for part in parts) or rel.endswith(".map"):
        return False
    if search is None or not rel.startswith(LUNR):
        return True
    needed = {"lunr.stemmer.support.min.js", "lunr.multi.min.js"}
    needed |= {f"lunr.{lang}.min.js" for lang in search if lang != "en"}
    if "ja" in search:
        needed.add("tinyseg.js")  # Material's worker loads these segmenters for ja, hi, th
    if search & {"hi", "th"}:
        needed.add("wordcut.js")
    return parts[-1] in needed


def drop_switcher(page: bytes) -> bytes:
    """A copy with one locale has no other language to switch to: remove the menu."""
    text = page.decode("utf-8", "surrogateescape")  # the bytes around it stay as they were
    finder = _SwitcherFinder()
    try:
        finder.feed(text)
    except _Found as found:
        return (text[: found.start] + text[found.end :]).encode("utf-8", "surrogateescape")
    return page


class _Found(Exception):  # noqa: N818  (not an error: the search is over)
    """Where the switcher is, in characters of the page: parsing stops there."""

    def __init__(self, start: int, end: int):
        super().__init__(start, end)
        self.start, self.end = start, end


class _SwitcherFinder(HTMLParser):
    """Finds the element ailit's partials/alternate.html makes: the header option (a div of
    class md-header__option) whose links name their language (hreflang)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ""
        self.option: int | None = None  # where the open header option starts
        self.depth = 0  # divs open inside it
        self.languages = False  # a link with hreflang inside it

    def feed(self, data: str) -> None:
        self.page = data
        super().feed(data)
        self.close()

    def _here(self) -> int:
        """The parser's position as an index into the page."""
        line, column = self.getpos()
        start = 0
        for _ in range(line - 1):
            start = self.page.index("\n", start) + 1
        return start + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.option is not None:
            self.depth += tag == "div"
            self.languages |= tag == "a" and any(k == "hreflang" for k, _ in attrs)
        elif tag == "div" and "md-header__option" in (dict(attrs).get("class") or "").split():
            self.option, self.depth, self.languages = self._here(), 1, False

    def handle_endtag(self, tag: str) -> None:
        if self.option is None or tag != "div":
            return
        self.depth -= 1
        if self.depth == 0:
            if self.languages:  # from its <div> to the end of its </div>
                raise _Found(self.option, self.page.index(">", self._here()) + 1)
            self.option = None


def site_files(site_dir: Path, prefix: str, single: bool) -> dict[str, bytes]:
    """A built locale's files, trimmed, keyed by their path in the copy."""
    if not (site_dir / "index.html").is_file():
        raise BundleError(f"locale {site_dir.name} is not built: run 'ailit build'", site_dir)
    search = search_languages(site_dir)
    files = {}
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if path.is_file() and wanted(rel, search):
            data = path.read_bytes()
            files[prefix + rel] = drop_switcher(data) if single and rel.endswith(".html") else data
    return files


def redirect_page(language: Language) -> bytes:
    """The root index.html of a one-locale copy: straight into the locale, with a link."""
    page = render(
        "redirect.html", code=language.code, name=language.name, direction=language.direction
    )
    return page.encode()


def start_here(project: Project, chosen: list[Language], name: str, date: int) -> bytes:
    """START-HERE.txt: what to do with the copy, in English and the copy's languages."""
    from ailit.stages.pages import load_locale_text  # nbconvert: not for verify or updates

    titles = ", ".join(course.title.strip() for course in project.courses)
    english = load_locale_text(project, project.source_language)
    lines = [
        f"{titles}: offline copy ({name}, {day(date)})",
        "Languages: " + ", ".join(lang.name for lang in chosen),
        "",
        english.t("start_open"),
        "(Double-click it, or drag it onto a browser window. Keep the files together.)",
        "",
        "Share it with a classroom: copy this folder to each computer or a USB stick, or",
        "serve it from one computer: in this folder run  python3 -m http.server 8000",
        "and open http://<that computer's address>:8000/ on the others.",
        "",
        english.t("start_check"),
        "  (on Linux, also:  sha256sum -c SHA256SUMS)",
        f"Update it: python3 verify.py --apply {name}-update.zip",
        "",
        "Licences: course text CC BY 4.0, code MIT. See LICENSES/README.txt.",
    ]
    for language in chosen:
        if language.code == project.source_language:
            continue
        text = load_locale_text(project, language.code)
        own = [text.t(key) for key in START_KEYS if text.t(key) != english.t(key)]
        if own:  # untranslated lines would only repeat the English
            lines += ["", f"{language.name} ({language.code})", *own]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()  # BOM and CRLF: old Notepad too


def licence_files() -> dict[str, bytes]:
    """The licences: course text CC BY 4.0, code MIT, Material and iframe-worker MIT."""
    folder = ASSETS / "licenses"
    files = {
        f"LICENSES/{name}": (folder / name).read_bytes()
        for name in ("README.txt", "CC-BY-4.0.txt", "MIT-ailit.txt")
    }
    files["LICENSES/MIT-iframe-worker.txt"] = (
        ASSETS / "vendor" / "iframe-worker" / "LICENSE"
    ).read_bytes()
    try:
        material = distribution("mkdocs-material")
        licence = next(  # the package's own, not those of the icon sets it ships
            f for f in material.files or [] if f.name == "LICENSE" and ".dist-info" in f.parts[0]
        )
        files["LICENSES/MIT-material-for-mkdocs.txt"] = Path(
            str(material.locate_file(licence))
        ).read_bytes()
    except (PackageNotFoundError, StopIteration, OSError) as exc:
        raise BundleError(f"Material for MkDocs' LICENSE is not installed: {exc}") from exc
    return files


def coverage(project: Project) -> dict[str, dict]:
    """Share of words translated per locale, from the catalogues (ailit status)."""
    from ailit.i18n.status import status

    result: dict[str, dict] = {project.source_language: {"percent": 100.0, "source": True}}
    for code, info in status(project).items():
        total = info["total"]
        result[code] = {k: total[k] for k in ("percent", "translated", "fuzzy", "untranslated", "refused")}
    return result


def make_bundle(
    project: Project, name: str, chosen: list[Language], date: int, covered: dict
) -> dict[str, bytes]:
    """Every file of a bundle, manifest.json and SHA256SUMS included, by path in its folder."""
    site = project.build_dir / "site"
    single = len(chosen) == 1
    files: dict[str, bytes] = {}
    for language in chosen:
        files.update(site_files(site / language.code, f"{language.code}/", single))
    if single:
        files["index.html"] = redirect_page(chosen[0])
    else:
        for path in sorted(site.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                files[path.name] = path.read_bytes()
    files.update(licence_files())
    files["verify.py"] = (ASSETS / "verify.py").read_bytes()
    files[START_HERE] = start_here(project, chosen, name, date)
    about = {
        "ailit": __version__,
        "locales": [language.code for language in chosen],
        "coverage": {language.code: covered.get(language.code, {}) for language in chosen},
    }
    return seal(files, name, date, about)


def seal(files: dict[str, bytes], name: str, date: int, about: dict) -> dict[str, bytes]:
    """A copy's files with their manifest.json and SHA256SUMS added; its version is the
    date and a hash of every file, so the same files on the same day are the same version."""
    hashes = {path: verify.sha256_bytes(data) for path, data in files.items()}
    content = verify.sha256_bytes(verify.sums_text(hashes).encode())
    manifest = {
        "name": name,
        "version": f"{day(date)}-{content[:12]}",
        "date": day(date),
        "timestamp": date,
        **about,
        "files": [
            {"path": path, "size": len(files[path]), "sha256": hashes[path]}
            for path in sorted(files)
        ],
    }
    sealed = {**files, MANIFEST: manifest_json(manifest)}
    hashes[MANIFEST] = verify.sha256_bytes(sealed[MANIFEST])
    sealed[SUMS] = verify.sums_text(hashes).encode()
    return sealed


def manifest_json(manifest: dict) -> bytes:
    """Readable and compact: the fields one per line, then one line per file."""
    head = json.dumps({k: v for k, v in manifest.items() if k != "files"}, indent=1,
                      ensure_ascii=False)  # fmt: skip
    files = ",\n  ".join(json.dumps(entry, ensure_ascii=False) for entry in manifest["files"])
    return f'{head[:-2]},\n "files": [\n  {files}\n ]\n}}\n'.encode()


def write_zip(path: Path, files: dict[str, bytes], date: int, folder: str | None) -> Output:
    """A reproducible zip: sorted entries, one fixed timestamp, fixed permissions."""
    stamp = time.gmtime(min(max(date, ZIP_FIRST), ZIP_LAST))[:6]
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    with zipfile.ZipFile(part, "w") as archive:
        for rel in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{rel}" if folder else rel, stamp)
            info.create_system = 3  # unix, whatever machine made it
            info.external_attr = (0o100755 if rel.endswith(".py") else 0o100644) << 16
            packed = Path(rel).suffix.lower() in STORED
            info.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
            archive.writestr(info, files[rel], compresslevel=None if packed else 9)
    part.replace(path)
    return Output(path, len(files), sum(len(data) for data in files.values()))


def _built_site(project: Project) -> Path:
    site = project.build_dir / "site"
    if not (site / "index.html").is_file():
        raise BundleError("no site to bundle: run 'ailit build' first", site)
    return site


def make_bundles(project: Project, only: list[str] | None = None, zim: bool = True) -> list[Output]:
    """Write build/dist/: a zip per locale, one with every locale, a ZIM per locale."""
    site = _built_site(project)
    every = languages(project)
    codes = [language.code for language in every]
    for code in only or []:
        if code not in codes:
            project.language(code)  # raises, naming the enabled locales
    chosen = [language for language in every if not only or language.code in only]
    date = bundle_date(site)
    covered = coverage(project)
    dist = project.build_dir / "dist"
    outputs = []
    for language in chosen:
        name = f"{PREFIX}-{language.code}"
        files = make_bundle(project, name, [language], date, covered)
        outputs.append(write_zip(dist / f"{name}.zip", files, date, name))
    if not only:
        name = f"{PREFIX}-{ALL}"
        files = make_bundle(project, name, every, date, covered)
        outputs.append(write_zip(dist / f"{name}.zip", files, date, name))
    if zim:
        from ailit.dist import zim as kiwix

        site_name, author = site_config(project)
        for language in chosen:
            files = site_files(site / language.code, "", single=True)
            meta = kiwix.zim_metadata(project, language.code, date, site_name, author)
            out = dist / kiwix.zim_filename(language.code, date)
            kiwix.write_zim(out, files, meta, language.code, site_name)
            outputs.append(Output(out, len(files), sum(len(d) for d in files.values())))
    if not only:
        from ailit.dist.kolibri import make_drive

        site_name, author = site_config(project)
        drive = make_drive(project, chosen, site_name, author, date)
        stored = [p for p in drive.rglob("*") if p.is_file()]
        outputs.append(Output(drive, len(stored), sum(p.stat().st_size for p in stored)))
    written = {output.path.name for output in outputs}
    if not only:  # a full run owns build/dist: bundles of removed locales, older ZIMs go
        for stale in dist.iterdir():
            full = (zim and stale.suffix == ".zim") or (
                stale.name.startswith(f"{PREFIX}-") and stale.name.endswith(".zip")
                and not stale.name.endswith("-update.zip")
            )  # fmt: skip
            if full and stale.name not in written:
                stale.unlink()
    _write_sums(dist, [output.path for output in outputs if output.path.is_file()])
    return outputs


def _write_sums(dist: Path, paths: list[Path]) -> None:
    """build/dist/SHA256SUMS: the archives' own checksums, to publish beside them."""
    sums = dist / SUMS
    known = verify.parse_sums(sums.read_text("utf-8")) if sums.is_file() else {}
    known = {name: digest for name, digest in known.items() if (dist / name).is_file()}
    for path in paths:
        known[path.name] = verify.Folder(str(dist)).digest(path.name)
    write_atomic(sums, verify.sums_text(known).encode())
    sums.chmod(0o644)


def old_manifest(path: Path) -> dict:
    """The manifest of the copy a school has: its manifest.json, its folder or its zip."""
    try:
        if path.is_file() and not zipfile.is_zipfile(path):
            manifest = json.loads(path.read_text("utf-8"))
            manifest["files"] = list(manifest["files"])
            return manifest
        return verify.load_manifest(verify.open_copy(str(path)))
    except verify.Problem as exc:
        raise BundleError(str(exc)) from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BundleError(f"not an ailit manifest: {exc}", path) from exc


def make_update(project: Project, since: Path) -> Output | None:
    """build/dist/<name>-update.zip: what changed since an old copy, and what to remove.

    Returns None when nothing changed."""
    site = _built_site(project)
    old = old_manifest(since)
    name, every = str(old.get("name", "")), languages(project)
    if name == f"{PREFIX}-{ALL}":
        chosen = every
    else:
        chosen = [language for language in every if language.code in old.get("locales", [])]
        if not name.startswith(f"{PREFIX}-") or len(chosen) != len(old.get("locales", [])):
            raise BundleError(f"the site no longer has every locale of {name!r}", since)
    date = bundle_date(site)
    changed = update_files(old, make_bundle(project, name, chosen, date, coverage(project)))
    if changed is None:
        return None
    dist = project.build_dir / "dist"
    output = write_zip(dist / f"{name}-update.zip", changed, date, None)
    _write_sums(dist, [output.path])
    return output


def update_files(old: dict, files: dict[str, bytes]) -> dict[str, bytes] | None:
    """The files of an update from a copy's old manifest to a new copy: those whose content
    hash differs (by SHA-256, never by date or name), UPDATE.json listing them and what to
    remove. None when the versions are the same."""
    new = json.loads(files[MANIFEST])
    if new["version"] == old.get("version"):
        return None
    before = {entry["path"]: entry["sha256"] for entry in old["files"]}
    changed = {
        path: data
        for path, data in files.items()
        if path in (MANIFEST, SUMS) or before.get(path) != verify.sha256_bytes(data)
    }
    update = {
        "name": new["name"],
        "from": old.get("version"),
        "to": new["version"],
        "files": {path: verify.sha256_bytes(data) for path, data in sorted(changed.items())},
        "remove": sorted(set(before) - set(files)),
    }
    changed[UPDATE] = (json.dumps(update, indent=1, ensure_ascii=False) + "\n").encode()
    return changed


def check_copy(path: Path) -> verify.Report:
    """``ailit verify``: the same check as the verify.py shipped in every bundle (or, for
    a Kolibri drive, its files against its channel databases)."""
    from ailit.dist import kolibri

    drive = kolibri.drive_root(path) if path.is_dir() else None
    if drive is not None:
        return kolibri.check_drive(drive)
    try:
        return verify.check(str(path))
    except verify.Problem as exc:
        raise BundleError(str(exc)) from exc


def apply_update(update: Path, folder: Path) -> tuple[verify.Report, bool]:
    """``ailit apply-update``: the same code as ``verify.py --apply``."""
    if not update.is_file():
        raise BundleError("no such update file", update)
    try:
        return verify.apply_update(str(update), str(folder))
    except verify.Problem as exc:
        raise BundleError(str(exc)) from exc
