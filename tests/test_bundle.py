"""Offline copies as a school gets them: each zip unpacked into an awkward path and browsed
from file:// with the network cut, checked with sha256sum and verify (also tampered with),
every link followed, rebuilt byte for byte, updated, and its ZIMs read by Debian's zimcheck
and kiwix-serve. A missing tool fails the test with its Debian package: `make test` installs
them.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from ailit.dist.bundle import drop_switcher
from ailit.dist.zim import (
    ILLUSTRATION,
    illustration,
    index_text,
    iso639_3,
    metadata_problems,
    png_size,
    searchable,
    write_zim,
)
from ailit.i18n import catalog
from conftest import Offline, scripts_ran
from test_browser import SEARCH

ROOT = Path(__file__).parent.parent
LOCALES = ["en", "fr", "ar", "sw"]
BUNDLES = [f"ailit-{code}" for code in LOCALES] + ["ailit-all"]
EPOCH = 1767225600  # 2026-01-01 00:00 UTC
LATER = EPOCH + 86400
MODULE = "demo/01-first-steps.html"
VERIFY = [sys.executable, "-I", "-S"]  # no site-packages: verify.py needs the stdlib alone
FR_OPEN = "Ouvrez index.html dans un navigateur web. Tout fonctionne sans internet."
PARAGRAPH = "Il voit des nombres."  # a French translation the update test corrects
#: Words of the demo's module page, typed with their accents and without, as readers search.
ACCENTED = {"fr": ["araignée", "Araignée", "zebres"], "ar": ["يتعلّم", "يتعلم", "أرقامًا"]}
#: Pages of a small ZIM per language: the words Debian 12's kiwix-serve could not find.
PAGES = {
    "fr": (
        "<p>L'<em>équité</em> à l'école : un entraînement, des réponses.</p>",
        ["équité", "équitable", "école", "entraînement", "réponses", "ÉCOLE", "equite", "ecole"],
    ),
    "ar": (
        "<p>يتعلّم الحاسوب من الأمثلة ويرى أرقامًا.</p>",
        ["يتعلّم", "يتعلم", "أرقامًا", "أرقام", "ارقام", "الحاسوب"],
    ),
}


def run(
    *args: str, cwd: Path, epoch: int | None = EPOCH, check: bool = True
) -> subprocess.CompletedProcess:
    """The real command line, from the project folder, with a fixed SOURCE_DATE_EPOCH."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    result = subprocess.run(
        [sys.executable, "-m", "ailit", *args], cwd=cwd, env=env, capture_output=True,
        text=True, timeout=600,
    )  # fmt: skip
    if check and result.returncode != 0:
        raise AssertionError(f"ailit {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: install Debian's '{package}' package (make test does)"
    return path


def unzip(archive: Path, into: Path) -> Path:
    """Unpack as a school would, and return the copy's folder (the one index.html opens)."""
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(into)
    (root,) = [p for p in into.iterdir() if p.is_dir()]
    return root


def copy_project(source: Path, target: Path) -> Path:
    """The project's sources and its built site (the bundles' input), nothing else."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("build", "__pycache__"))
    shutil.copytree(source / "build" / "site", target / "build" / "site")
    return target


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def translate(project: Path, domain: str, msgid: str, text: str, old: str | None = None) -> None:
    """Set one translation in a copy's catalogue, as a translator's fix would."""
    path = project / "locales" / "fr" / "LC_MESSAGES" / f"{domain}.po"
    po = catalog.load(path, locale="fr")
    if old is not None:
        msgid = next(str(m.id) for m in po if m.string == old)
    message = po.get(msgid)
    if message is None:
        po.add(msgid, text)
    else:
        message.string, message.flags = text, set()
    catalog.save(path, po)


@pytest.fixture(scope="module")
def project(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built demo, with a French START-HERE line, bundled once."""
    root = tmp_path_factory.mktemp("bundle") / "démo à copier"
    shutil.copytree(built_demo, root)
    translate(
        root,
        "site",
        "Open index.html in a web browser. Everything works without the internet.",
        FR_OPEN,
    )
    run("bundle", cwd=root)
    return root


@pytest.fixture(scope="module")
def dist(project: Path) -> Path:
    return project / "build" / "dist"


@pytest.fixture(scope="module")
def unpacked(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every bundle unzipped where spaces and accents make paths awkward."""
    base = tmp_path_factory.mktemp("usb") / "Clé USB" / "école N°1"
    return {name: unzip(dist / f"{name}.zip", base / name) for name in BUNDLES}


def test_dist_holds_a_zip_per_locale_one_for_all_and_a_zim_per_locale(dist: Path) -> None:
    names = sorted(p.name for p in dist.iterdir())
    assert names == sorted(
        [f"{b}.zip" for b in BUNDLES]
        + [f"ailit_{c}_all_2026-01.zim" for c in LOCALES]
        + ["SHA256SUMS", "kolibri"]  # kolibri/KOLIBRI_DATA: the drive (test_kolibri)
    )
    sums = subprocess.run([tool("sha256sum", "coreutils"), "-c", "--strict", "SHA256SUMS"],
                          cwd=dist, capture_output=True, text=True)  # fmt: skip
    assert sums.returncode == 0, sums.stdout + sums.stderr
    assert len(sums.stdout.splitlines()) == len(names) - 2


@pytest.mark.parametrize("name", BUNDLES)
def test_checksums_pass_sha256sum(unpacked: dict[str, Path], name: str) -> None:
    root = unpacked[name]
    result = subprocess.run([tool("sha256sum", "coreutils"), "-c", "--strict", "SHA256SUMS"],
                            cwd=root, capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    listed = {line.rsplit(": ", 1)[0] for line in result.stdout.splitlines()}
    assert listed == set(tree(root)) - {"SHA256SUMS"}


@pytest.mark.parametrize("name", BUNDLES)
def test_manifest_lists_every_file_with_size_and_hash(unpacked: dict[str, Path], name: str) -> None:
    root = unpacked[name]
    manifest = json.loads((root / "manifest.json").read_text("utf-8"))
    files = tree(root)
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json", "SHA256SUMS"}
    for path, entry in listed.items():
        assert entry["size"] == len(files[path])
        assert entry["sha256"] == hashlib.sha256(files[path]).hexdigest()
    codes = LOCALES if name == "ailit-all" else [name.removeprefix("ailit-")]
    assert manifest["name"] == name and manifest["locales"] == codes
    assert manifest["date"] == "2026-01-01" and manifest["version"].startswith("2026-01-01-")
    assert set(manifest["coverage"]) == set(codes)
    if "sw" in codes:  # the demo's Swahili is a preview: most words are still English
        assert manifest["coverage"]["sw"]["percent"] < 50
    if "fr" in codes:
        assert manifest["coverage"]["fr"]["percent"] > 50
    if "en" in codes:
        assert manifest["coverage"]["en"] == {"percent": 100.0, "source": True}


@pytest.mark.parametrize("name", BUNDLES)
def test_verify_passes_with_ailit_and_with_bare_python(
    unpacked: dict[str, Path], dist: Path, project: Path, name: str
) -> None:
    root = unpacked[name]
    for target in (root, root.parent, dist / f"{name}.zip"):
        result = run("verify", str(target), cwd=project)
        assert result.stdout.startswith("ok: "), result.stdout
    alone = subprocess.run([*VERIFY, "verify.py"], cwd=root, capture_output=True, text=True)
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert alone.stdout.startswith(f"ok: {len(tree(root)) - 2} files match manifest.json ({name} ")


def test_verify_names_every_missing_extra_and_altered_file(
    unpacked: dict[str, Path], project: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copie abîmée"
    shutil.copytree(unpacked["ailit-fr"], copy)
    with (copy / "fr" / MODULE).open("ab") as page:
        page.write(b"<!-- changed -->")
    (copy / "fr" / "demo" / "02-counting.html").unlink()
    (copy / "fr" / "notes de l'élève.txt").write_text("hello", "utf-8")
    (copy / "fr" / ".DS_Store").write_bytes(b"\0")  # a Mac browsed the folder: not a problem
    expected = {
        f"altered: fr/{MODULE}",
        "missing: fr/demo/02-counting.html",
        "extra: fr/notes de l'élève.txt",
    }
    result = run("verify", str(copy), cwd=project, check=False)
    assert result.returncode == 1
    assert set(result.stdout.splitlines()[:-1]) == expected, result.stdout
    assert result.stdout.splitlines()[-1].startswith("FAILED: 1 missing, 1 extra, 1 altered")
    alone = subprocess.run([*VERIFY, "verify.py"], cwd=copy, capture_output=True, text=True)
    assert alone.returncode == 1
    assert set(alone.stdout.splitlines()[:-1]) == expected, alone.stdout


def test_verify_catches_a_doctored_manifest_and_a_tampered_zip(
    unpacked: dict[str, Path], dist: Path, project: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(unpacked["ailit-sw"], copy)
    page = copy / "sw" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<script>x()</script></body>"))
    manifest = json.loads((copy / "manifest.json").read_text("utf-8"))
    for entry in manifest["files"]:  # someone "fixes" the manifest to hide the change
        if entry["path"] == "sw/index.html":
            entry["size"] = page.stat().st_size
            entry["sha256"] = hashlib.sha256(page.read_bytes()).hexdigest()
    (copy / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    result = run("verify", str(copy), cwd=project, check=False)
    assert result.returncode == 1 and "altered: manifest.json" in result.stdout.splitlines()

    tampered = tmp_path / "ailit-sw.zip"
    with zipfile.ZipFile(dist / "ailit-sw.zip") as source, zipfile.ZipFile(tampered, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "ailit-sw/sw/demo/02-counting.html":
                data += b"<!-- hacked -->"
            out.writestr(info, data)
    result = run("verify", str(tampered), cwd=project, check=False)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:-1] == ["altered: sw/demo/02-counting.html"]


class Links(HTMLParser):
    """Every href and src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [v for k, v in attrs if k in ("href", "src") and v is not None]


@pytest.mark.parametrize("name", BUNDLES)
def test_every_internal_link_resolves_to_a_file_in_the_copy(
    unpacked: dict[str, Path], name: str
) -> None:
    root = unpacked[name]
    pages = sorted(root.rglob("*.html"))
    assert len(pages) > 5
    broken = []
    for page in pages:
        parser = Links()
        parser.feed(page.read_text("utf-8"))
        for link in parser.found:
            parsed = urllib.parse.urlsplit(link)
            assert parsed.scheme != "javascript", (page, link)
            if parsed.scheme in ("http", "https", "mailto", "data") or not parsed.path:
                continue
            assert not parsed.scheme and not parsed.path.startswith("/"), (page, link)
            target = (page.parent / urllib.parse.unquote(parsed.path)).resolve()
            if not target.is_file() or root.resolve() not in target.parents:
                broken.append(f"{page.relative_to(root)} -> {link}")
    assert broken == []


def test_a_one_locale_copy_trims_what_offline_readers_never_use(
    unpacked: dict[str, Path], project: Path
) -> None:
    site = project / "build" / "site"
    for code in LOCALES:
        files = tree(unpacked[f"ailit-{code}"])
        assert not [p for p in files if p.endswith(".map")]
        lunr = sorted(p.rsplit("/", 1)[1] for p in files if "/lunr/" in p)
        own = ["lunr.ailit.min.js"]  # every locale: whole words, one normaliser, no stemmer
        assert lunr == sorted(["lunr.multi.min.js", "lunr.stemmer.support.min.js", *own])
        built = sum(p.stat().st_size for p in (site / code).rglob("*") if p.is_file())
        assert sum(len(d) for p, d in files.items() if p.startswith(f"{code}/")) < built * 0.6
        assert b'class="md-select' not in files[f"{code}/{MODULE}"]  # no languages to switch to
    everything = tree(unpacked["ailit-all"])
    assert b'hreflang="ar"' in everything[f"fr/{MODULE}"]  # the full copy keeps its switcher


SWITCHER = """<div class="md-header__option"  id="langs">
  <!-- <div> in a comment -->
  <div class='md-select'><button>Aa</button>
    <div class="md-select__inner"><ul class="md-select__list">
      <li class="md-select__item"><a lang="ar" hreflang="ar" href="../ar/p.html">العربية</a></li>
      <li class="md-select__item"><a href="../index.html">…</a></li>
    </ul></div>
  </div>
</div>"""


def test_drop_switcher_removes_the_language_menu_and_nothing_else() -> None:
    """Found by an HTML parser, whatever the spacing, quoting and attribute order; the
    other header options (palette, a menu without languages) and every byte around stay."""
    head = '<html lang="fr"><body><header>é <div class="md-header__option"><div>x</div></div>'
    palette = '<form class="md-header__option" data-md-component="palette"><div>p</div></form>'
    tail = '<script>if (a < b) { document.write("<div>") }</script><p>ü</p></header></body></html>'
    page = (head + palette + SWITCHER + "\n" + tail).encode()
    assert drop_switcher(page) == (head + palette + "\n" + tail).encode()
    without = (head + palette + tail).encode()
    assert drop_switcher(without) == without


@pytest.mark.parametrize("name", BUNDLES)
def test_start_here_and_licences_travel_with_every_copy(
    unpacked: dict[str, Path], name: str
) -> None:
    root = unpacked[name]
    start = (root / "START-HERE.txt").read_bytes()
    assert start.startswith(b"\xef\xbb\xbf") and b"\r\n" in start  # Notepad shows it right
    text = start.decode("utf-8-sig")
    assert "Open index.html" in text and "python3 verify.py" in text and "2026-01-01" in text
    assert (FR_OPEN in text) == (name in ("ailit-fr", "ailit-all"))
    if name == "ailit-all":
        assert all(lang in text for lang in ("English", "Français", "العربية", "Kiswahili"))
    licences = root / "LICENSES"
    assert "Attribution 4.0 International" in (licences / "CC-BY-4.0.txt").read_text("utf-8")
    assert "Martin Donath" in (licences / "MIT-material-for-mkdocs.txt").read_text("utf-8")
    assert (licences / "MIT-iframe-worker.txt").read_bytes() == (
        ROOT / "src" / "ailit" / "assets" / "vendor" / "iframe-worker" / "LICENSE"
    ).read_bytes()
    assert "MIT License" in (licences / "MIT-ailit.txt").read_text("utf-8")


def test_zips_are_byte_identical_when_made_again(project: Path, dist: Path, tmp_path: Path) -> None:
    first = {p.name: p.read_bytes() for p in dist.glob("*.zip")}
    again = copy_project(project, tmp_path / "again")
    run("bundle", "--no-zim", cwd=again)
    second = {p.name: p.read_bytes() for p in (again / "build" / "dist").glob("*.zip")}
    assert second == first
    with zipfile.ZipFile(dist / "ailit-fr.zip") as bundle:
        names = bundle.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in bundle.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    # without SOURCE_DATE_EPOCH the date is when the site was built: still the same twice
    run("bundle", "--no-zim", "--locale", "fr", cwd=again, epoch=None)
    one = (again / "build" / "dist" / "ailit-fr.zip").read_bytes()
    run("bundle", "--no-zim", "--locale", "fr", cwd=again, epoch=None)
    assert (again / "build" / "dist" / "ailit-fr.zip").read_bytes() == one


def test_an_update_carries_only_the_changes_and_turns_the_old_copy_into_the_new(
    project: Path, dist: Path, tmp_path: Path
) -> None:
    work = copy_project(project, tmp_path / "projet mis à jour")
    old = tmp_path / "copies d'école"
    old_fr = unzip(dist / "ailit-fr.zip", old / "fr")
    old_fr_by_script = unzip(dist / "ailit-fr.zip", old / "fr par script")
    old_all = unzip(dist / "ailit-all.zip", old / "all")
    # one paragraph of French corrected; Swahili withdrawn from the site
    translate(work, "demo", "", "Il voit beaucoup de nombres.", old=PARAGRAPH)
    languages = work / "site_config" / "languages.yml"
    languages.write_text(
        "\n".join(line for line in languages.read_text("utf-8").splitlines() if "sw:" not in line)
        + "\n",
        "utf-8",
    )
    run("build", cwd=work)

    run("bundle", "--since", str(old_fr / "manifest.json"), cwd=work, epoch=LATER)
    run("bundle", "--since", str(dist / "ailit-all.zip"), cwd=work, epoch=LATER)
    updates = work / "build" / "dist"
    fr_update, all_update = updates / "ailit-fr-update.zip", updates / "ailit-all-update.zip"
    assert fr_update.stat().st_size * 5 < (dist / "ailit-fr.zip").stat().st_size
    with zipfile.ZipFile(fr_update) as update:
        info = json.loads(update.read("UPDATE.json"))
        assert f"fr/{MODULE}" in info["files"] and "fr/search/search_index.js" in info["files"]
        assert not [p for p in info["files"] if p.startswith("fr/assets/")]
        assert info["remove"] == []
    assert all_update.stat().st_size * 3 < (dist / "ailit-all.zip").stat().st_size
    with zipfile.ZipFile(all_update) as update:
        info = json.loads(update.read("UPDATE.json"))
        assert "sw/index.html" in info["remove"] and f"fr/{MODULE}" in info["files"]

    run("bundle", "--no-zim", cwd=work, epoch=LATER)
    fresh = tmp_path / "fresh"
    new_fr = unzip(updates / "ailit-fr.zip", fresh / "fr")
    new_all = unzip(updates / "ailit-all.zip", fresh / "all")

    result = run("apply-update", str(fr_update), "--to", str(old_fr.parent), cwd=work)
    assert result.stdout.startswith("updated to 2026-01-02-"), result.stdout
    run("verify", str(old_fr), cwd=work)
    assert tree(old_fr) == tree(new_fr)

    # as START-HERE.txt says: the update zip put inside the copy, applied from there
    shutil.copy(fr_update, old_fr_by_script / fr_update.name)
    alone = subprocess.run([*VERIFY, "verify.py", "--apply", fr_update.name],
                           cwd=old_fr_by_script, capture_output=True, text=True)  # fmt: skip
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert tree(old_fr_by_script) == {**tree(new_fr), fr_update.name: fr_update.read_bytes()}

    run("apply-update", str(all_update), "--to", str(old_all), cwd=work)
    assert tree(old_all) == tree(new_all)
    assert not (old_all / "sw").exists()

    again = run("apply-update", str(fr_update), "--to", str(old_fr), cwd=work)
    assert again.stdout.startswith("already up to date")
    wrong = run("apply-update", str(fr_update), "--to", str(old_all), cwd=work, check=False)
    assert wrong.returncode == 1 and len(wrong.stderr.splitlines()) == 1
    assert "updates ailit-fr; this copy is ailit-all" in wrong.stderr

    nothing = run("bundle", "--since", str(new_fr), cwd=work, epoch=LATER)
    assert nothing.stdout.startswith("nothing changed")


def test_a_damaged_update_changes_nothing(project: Path, dist: Path, tmp_path: Path) -> None:
    work = copy_project(project, tmp_path / "work")
    old = unzip(dist / "ailit-en.zip", tmp_path / "old")
    before = tree(old)
    run("bundle", "--since", str(old), cwd=work, epoch=LATER)  # only the date changed
    good = work / "build" / "dist" / "ailit-en-update.zip"
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            out.writestr(info, data + b"!" if info.filename == "START-HERE.txt" else data)
    result = run("apply-update", str(bad), "--to", str(old), cwd=work, check=False)
    assert result.returncode == 1 and "START-HERE.txt is damaged" in result.stderr
    assert tree(old) == before


def test_verify_py_runs_on_old_pythons() -> None:
    source = (ROOT / "src" / "ailit" / "assets" / "verify.py").read_text("utf-8")
    ast.parse(source, feature_version=(3, 7))
    imports = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert imports <= set(sys.stdlib_module_names) | {"__future__"}


def test_user_errors_are_one_line(demo: Path, tmp_path: Path) -> None:
    cases = [
        ("bundle",),
        ("verify", str(tmp_path / "missing")),
        ("bundle", "--since", str(tmp_path / "missing" / "manifest.json")),
        ("apply-update", str(tmp_path / "missing.zip"), "--to", str(tmp_path)),
        ("verify", str(demo / "mkdocs.yml")),
    ]
    for args in cases:
        result = run(*args, cwd=demo, check=False)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: "), (
            args,
            result.stderr,
        )
    assert "run 'ailit build' first" in run("bundle", cwd=demo, check=False).stderr


# ZIM files ------------------------------------------------------------------------------


def test_metadata_rules_are_checked_in_ailit() -> None:
    good = {
        "Name": "ailit_fr_all",
        "Title": "Cours de démonstration",
        "Description": "Des cours ouverts",
        "LongDescription": "Des cours ouverts sur l'IA, qui marchent sans internet.",
        "Language": "fra",
        "Creator": "ailit",
        "Publisher": "ailit",
        "Date": "2026-01-01",
    }
    assert metadata_problems(good, illustration()) == []
    assert png_size(illustration()) == (48, 48)
    bad = [
        ({"Title": "x" * 31}, "Title"),
        ({"Title": "e\u0301" * 30}, None),  # thirty letters, accents combined or not
        ({"Description": "d" * 81}, "Description"),
        ({"LongDescription": "short"}, "LongDescription"),
        ({"Language": "fr"}, "ISO 639-3"),
        ({"Date": "1 Jan 2026"}, "YYYY-MM-DD"),
        ({"Creator": ""}, "Creator is missing"),
        ({"Name": "Ailit FR"}, "Name"),
        ({"Title": "a\x07b"}, "control character"),
    ]
    for change, problem in bad:
        found = metadata_problems({**good, **change}, illustration())
        assert (problem is None and found == []) or any(problem in f for f in found), (
            change,
            found,
        )
    small = illustration().replace(b"\x00\x00\x00\x30\x00\x00\x00\x30", b"\x00\x00\x00\x20" * 2, 1)
    assert any(ILLUSTRATION in f for f in metadata_problems(good, small))
    assert any(ILLUSTRATION in f for f in metadata_problems(good, None))
    assert [iso639_3(c) for c in ("en", "fr", "ar", "sw", "zh", "pt_BR", "ha")] == [
        "eng", "fra", "ara", "swa", "zho", "por", "hau",
    ]  # fmt: skip


@pytest.mark.parametrize("code", LOCALES)
def test_zimcheck_passes_every_zim(dist: Path, code: str) -> None:
    zim = dist / f"ailit_{code}_all_2026-01.zim"
    result = subprocess.run([tool("zimcheck", "zim-tools"), "-A", str(zim)],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Overall Test Status: Pass" in result.stdout + result.stderr


@pytest.mark.parametrize("code", LOCALES)
def test_zim_metadata_follows_openzim(dist: Path, code: str) -> None:
    from libzim.reader import Archive

    archive = Archive(str(dist / f"ailit_{code}_all_2026-01.zim"))
    keys = [key for key in archive.metadata_keys if not key.startswith("Illustration")]
    meta = {key: bytes(archive.get_metadata(key)).decode() for key in keys}
    assert meta["Name"] == f"ailit_{code}_all"
    assert meta["Language"] == iso639_3(code)
    assert meta["Date"] == "2026-01-01"
    assert metadata_problems(meta, bytes(archive.get_metadata(ILLUSTRATION))) == []
    assert archive.main_entry.get_item().path == "index.html"
    assert archive.has_fulltext_index and archive.has_title_index
    assert not archive.has_entry_by_path(".ailit-build.json")
    if code == "fr":
        assert meta["Title"] == "Cours de démonstration"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, "", b""


@contextmanager
def _serve(command: list[str], port: int) -> Iterator[subprocess.Popen]:
    """Start a server on loopback, wait until it answers, stop it (by its own pid) after."""
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert server.poll() is None, (
                f"{command[0]} stopped: {server.stderr.read() if server.stderr else ''}"
            )
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"{command[0]} did not start on port {port}"
                time.sleep(0.2)
        yield server
    finally:
        server.terminate()
        server.communicate(timeout=10)  # reaps it and closes its pipe


@pytest.fixture(scope="module")
def kiwix(dist: Path) -> Iterator[str]:
    port = _free_port()
    zims = sorted(str(p) for p in dist.glob("*.zim"))
    command = [tool("kiwix-serve", "kiwix-tools"), "--address=127.0.0.1", f"--port={port}", *zims]
    with _serve(command, port):
        yield f"http://127.0.0.1:{port}"


def _content(kiwix: str, code: str) -> str:
    """Where kiwix-serve serves a locale's book: /book or /content/book, by its version."""
    status, _, catalog_xml = _get(f"{kiwix}/catalog/v2/entries")
    assert status == 200
    entry = catalog_xml.decode().split(f"<name>ailit_{code}_all</name>")[1].split("</entry>")[0]
    return entry.split('<link type="text/html" href="')[1].split('"')[0]


@pytest.mark.parametrize("code", LOCALES)
def test_kiwix_serve_shows_the_main_page_a_module_and_finds_words(kiwix: str, code: str) -> None:
    book = f"ailit_{code}_all_2026-01"
    content = _content(kiwix, code)
    status, kind, main = _get(f"{kiwix}{content}/index.html")
    assert status == 200 and kind.startswith("text/html")
    assert f'lang="{code}"'.encode() in main
    status, _, module = _get(f"{kiwix}{content}/{MODULE}")
    assert status == 200 and b"<h1" in module
    query = urllib.parse.quote(SEARCH[code])
    status, _, found = _get(f"{kiwix}/search?content={book}&pattern={query}")
    assert status == 200
    assert f"{content}/{MODULE}".encode() in found, found[:2000]
    for word in ACCENTED.get(code, []):
        status, _, found = _get(f"{kiwix}/search?content={book}&pattern={urllib.parse.quote(word)}")
        assert f"{content}/{MODULE}".encode() in found, (word, found[:2000])


def test_a_module_in_kiwix_runs_its_scripts_and_answers_its_quiz(
    kiwix: str, browser: Browser
) -> None:
    """kiwix-serve serves the pages under its own path: the scripts the page loads after
    its first paint are found there, and nothing is asked of any other machine."""
    tab = Offline(browser, kiwix)
    try:
        page = tab.page
        page.goto(f"{kiwix}{_content(kiwix, 'fr')}/{MODULE}")
        scripts_ran(page)
        page.locator(".ailit-quiz input").first.check()
        assert "Non" in (page.locator(".ailit-quiz-result").first.text_content() or "")
    finally:
        tab.close()
    assert tab.left == [] and tab.errors == []


def test_the_index_holds_libzim_folded_text_and_the_accented_words() -> None:
    page = index_text(
        b'<html><head><title>T</title><style>p{}</style><meta name="keywords" content="cl\xc3\xa9">'
        b"</head><body><p>L'<em>\xc3\xa9</em>cole</p><script>var x</script><li>r\xc3\xa9ponses</li>"
        b"<p>plain words</p></body></html>"
    )
    assert (page.text, page.keywords, page.indexed) == ("L'école réponses plain words", "clé", True)
    assert searchable(page.text) == "l'ecole reponses plain words L'école ecole école réponses"
    assert searchable("plain words") == "plain words"
    assert searchable("أرقامًا") == "ارقاما أرقامًا"
    assert not index_text(b'<meta name="robots" content="noindex"><body>text</body>').indexed
    assert not index_text(b"<body><script>only code</script></body>").indexed


@pytest.mark.parametrize("code", list(PAGES))
def test_kiwix_serve_finds_accented_words_typed_with_or_without_accents(
    code: str, tmp_path: Path
) -> None:
    body, words = PAGES[code]
    page = f'<html lang="{code}"><head><title>Page</title></head><body>{body}</body></html>'
    meta = {
        "Name": f"ailit_{code}_all", "Title": "ailit", "Description": "Search test",
        "LongDescription": "A page whose words carry accents, searched in kiwix-serve",
        "Language": iso639_3(code), "Creator": "ailit", "Publisher": "ailit", "Date": "2026-01-01",
    }  # fmt: skip
    files = {"index.html": page.encode(), "page.html": page.encode()}
    zim = write_zim(tmp_path / f"search_{code}.zim", files, meta, code, "ailit")
    from libzim.reader import Archive

    stored = bytes(Archive(str(zim)).get_entry_by_path("page.html").get_item().content)
    assert stored == page.encode()  # the folded words are in the index only
    port = _free_port()
    command = [
        tool("kiwix-serve", "kiwix-tools"),
        "--address=127.0.0.1",
        f"--port={port}",
        str(zim),
    ]
    with _serve(command, port):
        for word in words:
            url = f"http://127.0.0.1:{port}/search?content=search_{code}&pattern="
            status, _, found = _get(url + urllib.parse.quote(word))
            assert status == 200 and f"/search_{code}/page.html".encode() in found, word


# serving a classroom --------------------------------------------------------------------


def test_ailit_serve_gives_a_bundle_the_right_types(
    unpacked: dict[str, Path], project: Path
) -> None:
    port = _free_port()
    root = unpacked["ailit-all"]
    command = [sys.executable, "-m", "ailit", "-q", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--dir", str(root)]  # fmt: skip
    expected = {
        "index.html": "text/html",
        "fr/demo/01-first-steps.html": "text/html",
        "fr/demo/01-first-steps.ipynb": "application/x-ipynb+json",
        "fr/search/search_index.json": "application/json",
        "fr/search/search_index.js": "text/javascript",
        "fr/assets/vendor/iframe-worker/shim.js": "text/javascript",
        "fr/assets/ailit/ailit.css": "text/css",
        "fr/demo/images/robot.svg": "image/svg+xml",
        "fr/assets/images/favicon.png": "image/png",
        "START-HERE.txt": "text/plain",
        "LICENSES/CC-BY-4.0.txt": "text/plain",
    }
    with _serve(command, port):
        for path, kind in expected.items():
            status, served, body = _get(f"http://127.0.0.1:{port}/{urllib.parse.quote(path)}")
            assert status == 200 and served.split(";")[0] == kind, (path, served)
            assert body == (root / path).read_bytes()


# the browser, from file://, network cut ------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("name", BUNDLES)
def test_each_unzipped_copy_opens_browses_and_searches_offline(
    unpacked: dict[str, Path], browser: Browser, name: str
) -> None:
    root = unpacked[name]
    codes = LOCALES if name == "ailit-all" else [name.removeprefix("ailit-")]
    tab = Offline(browser)
    try:
        page = tab.page
        for code in codes:
            page.goto((root / "index.html").as_uri())
            if name == "ailit-all":  # the chooser lists published locales; open a preview directly
                chooser = page.locator(f'a[hreflang="{code}"]')
                if chooser.count():
                    chooser.click()
                else:
                    page.goto((root / code / "index.html").as_uri())
            page.wait_for_url(f"**/{code}/index.html")
            assert page.locator("html").get_attribute("lang") == code
            page.click(f'a[href$="{MODULE}"]')
            page.wait_for_load_state("load")
            assert page.url == (root / code / MODULE).as_uri()
            assert page.locator("h1").count() >= 1
            page.locator("label.md-search__icon, .md-search__input").first.click()
            page.fill("input.md-search__input", SEARCH[code])
            page.press("input.md-search__input", "End")
            results = page.locator(".md-search-result__item a")
            results.first.wait_for(timeout=15000)
            hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
            here = (root / code).as_uri() + "/"
            resolved = [page.evaluate("h => new URL(h, document.baseURI).href", h) for h in hrefs]
            assert resolved and all(url.startswith(here) for url in resolved), resolved
        assert tab.errors == []
    finally:
        tab.close()
    assert tab.left == [], f"requests tried to leave the machine: {tab.left}"
