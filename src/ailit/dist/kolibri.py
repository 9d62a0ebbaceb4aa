"""A Kolibri drive (build/dist/kolibri/KOLIBRI_DATA): a channel per locale that a school
imports from a USB stick, without internet and without Kolibri Studio.

A channel is a SQLite database in Kolibri's content schema 5 (the tables of
kolibri.core.content.contentschema.versions.content_schema_5, Kolibri 0.19.5) and its files,
stored under their md5. Each course is a topic; each module, teacher guide (coach only) and
the glossary is an HTML5 app: the built page as index.html with only the files it links to.
The version goes up whenever the channel's content differs from the previous drive's.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import posixpath
import re
import shutil
import sqlite3
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from ailit.assets import verify
from ailit.core.errors import BundleError
from ailit.model.language import babel_locale
from ailit.model.project import Language, Project

SCHEMA = "5"  # kolibri.core.content.constants.schema_versions.CONTENT_SCHEMA_VERSION
# le-utils constants (content_kinds, format_presets, licenses), spelled out: no dependency
TOPIC, HTML5, HTML5_ZIP, CC_BY = "topic", "html5", "html5_zip", "CC BY"
LICENCE = "Attribution 4.0 International (CC BY 4.0): https://creativecommons.org/licenses/by/4.0/"
NAMESPACE = uuid.UUID("5b7f3b1e-2f55-5c4a-9d38-0a11f7ac0017")  # ailit's, fixed forever
DATA = "KOLIBRI_DATA"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
URL = re.compile(r"""\b(href|src)=(["'])(.*?)\2""", re.S)
CSS_URL = re.compile(r"""url\((["']?)([^)"']+)\1\)""")
HIDDEN = ".md-search,label[for=__search]"  # the search box: the app holds one page
CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
#: the scripts a page requests after its first paint (templates/theme/main.html)
SCRIPTS = re.compile(r'(<script id="__ailit" type="application/json">)(.*?)(</script>)', re.S)

# Kolibri's content schema 5, as SQLAlchemy creates it from content_schema_5.py.
TABLES = """
CREATE TABLE content_contenttag (id CHAR(32) NOT NULL, tag_name VARCHAR(30) NOT NULL,
  PRIMARY KEY (id));
CREATE TABLE content_language (id VARCHAR(14) NOT NULL, lang_code VARCHAR(3) NOT NULL,
  lang_subcode VARCHAR(10), lang_name VARCHAR(100), lang_direction VARCHAR(3) NOT NULL,
  PRIMARY KEY (id));
CREATE TABLE content_localfile (id VARCHAR(32) NOT NULL, extension VARCHAR(40) NOT NULL,
  available BOOLEAN NOT NULL, file_size INTEGER, PRIMARY KEY (id));
CREATE TABLE content_contentnode (id CHAR(32) NOT NULL, license_name VARCHAR(50),
  license_description TEXT, title VARCHAR(200) NOT NULL, coach_content BOOLEAN NOT NULL,
  content_id CHAR(32) NOT NULL, channel_id CHAR(32) NOT NULL, description TEXT,
  sort_order FLOAT, license_owner VARCHAR(200) NOT NULL, author VARCHAR(200) NOT NULL,
  kind VARCHAR(200) NOT NULL, available BOOLEAN NOT NULL, options TEXT, grade_levels TEXT,
  resource_types TEXT, learning_activities TEXT, accessibility_labels TEXT, categories TEXT,
  learner_needs TEXT, duration INTEGER, lft INTEGER NOT NULL, rght INTEGER NOT NULL,
  tree_id INTEGER NOT NULL, level INTEGER NOT NULL, lang_id VARCHAR(14), parent_id CHAR(32),
  PRIMARY KEY (id), FOREIGN KEY(lang_id) REFERENCES content_language (id),
  FOREIGN KEY(parent_id) REFERENCES content_contentnode (id));
CREATE TABLE content_assessmentmetadata (id CHAR(32) NOT NULL,
  assessment_item_ids TEXT NOT NULL, number_of_assessments INTEGER NOT NULL,
  mastery_model TEXT NOT NULL, randomize BOOLEAN NOT NULL, is_manipulable BOOLEAN NOT NULL,
  contentnode_id CHAR(32) NOT NULL, PRIMARY KEY (id),
  FOREIGN KEY(contentnode_id) REFERENCES content_contentnode (id));
CREATE TABLE content_channelmetadata (id CHAR(32) NOT NULL, name VARCHAR(200) NOT NULL,
  description VARCHAR(400) NOT NULL, tagline VARCHAR(150), author VARCHAR(400) NOT NULL,
  version INTEGER NOT NULL, thumbnail TEXT NOT NULL, last_updated VARCHAR,
  min_schema_version VARCHAR(50) NOT NULL, root_id CHAR(32) NOT NULL, PRIMARY KEY (id),
  FOREIGN KEY(root_id) REFERENCES content_contentnode (id));
CREATE TABLE content_contentnode_has_prerequisite (id INTEGER NOT NULL,
  from_contentnode_id CHAR(32) NOT NULL, to_contentnode_id CHAR(32) NOT NULL,
  PRIMARY KEY (id), FOREIGN KEY(from_contentnode_id) REFERENCES content_contentnode (id),
  FOREIGN KEY(to_contentnode_id) REFERENCES content_contentnode (id));
CREATE TABLE content_contentnode_related (id INTEGER NOT NULL,
  from_contentnode_id CHAR(32) NOT NULL, to_contentnode_id CHAR(32) NOT NULL,
  PRIMARY KEY (id), FOREIGN KEY(from_contentnode_id) REFERENCES content_contentnode (id),
  FOREIGN KEY(to_contentnode_id) REFERENCES content_contentnode (id));
CREATE TABLE content_contentnode_tags (id INTEGER NOT NULL, contentnode_id CHAR(32) NOT NULL,
  contenttag_id CHAR(32) NOT NULL, PRIMARY KEY (id),
  FOREIGN KEY(contentnode_id) REFERENCES content_contentnode (id),
  FOREIGN KEY(contenttag_id) REFERENCES content_contenttag (id));
CREATE TABLE content_file (id CHAR(32) NOT NULL, preset VARCHAR(150) NOT NULL,
  supplementary BOOLEAN NOT NULL, thumbnail BOOLEAN NOT NULL, priority INTEGER,
  contentnode_id CHAR(32) NOT NULL, lang_id VARCHAR(14), local_file_id VARCHAR(32) NOT NULL,
  PRIMARY KEY (id), FOREIGN KEY(contentnode_id) REFERENCES content_contentnode (id),
  FOREIGN KEY(lang_id) REFERENCES content_language (id),
  FOREIGN KEY(local_file_id) REFERENCES content_localfile (id));
"""


def stable_id(*parts: str) -> str:
    """A Kolibri id (32 hex digits) that is the same in every build: uuid5 of its names."""
    return uuid.uuid5(NAMESPACE, "/".join(parts)).hex


@dataclass
class Node:
    """A topic or an HTML5 app of the channel tree."""

    key: tuple[str, ...]
    title: str
    description: str = ""
    app: bytes | None = None  # the HTML5 zip; None for a topic
    coach: bool = False
    children: list[Node] = field(default_factory=list)


def html5_zip(locale_dir: Path, page: str) -> bytes:
    """The page at ``page`` (relative to the locale's site) as index.html of a zip, with the
    files it links to; links to anything else (other pages, the web) are removed."""
    files: dict[str, bytes] = {}
    text = (locale_dir / page).read_text("utf-8")
    here = posixpath.dirname(page)

    def local(url: str, base: str) -> str | None:
        """The site path a relative URL names, when it is a file the app can hold."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        target = posixpath.normpath(posixpath.join(base, parts.path))
        if target.startswith("..") or target.endswith(".html"):
            return None
        return target if (locale_dir / target).is_file() else None

    def add(target: str) -> None:
        if target in files:
            return
        data = (locale_dir / target).read_bytes()
        files[target] = data
        if target.endswith(".css"):
            for _, url in CSS_URL.findall(data.decode("utf-8", "replace")):
                found = local(url, posixpath.dirname(target))
                if found:
                    add(found)

    def rewrite(match: re.Match) -> str:
        attribute, quote, url = match.groups()
        if url.startswith("#") or url.startswith("data:"):
            return match.group(0)
        parts = urlsplit(url)
        if not parts.scheme and posixpath.normpath(posixpath.join(here, parts.path)) == page:
            return f"{attribute}={quote}#{parts.fragment}{quote}"
        target = local(url, here)
        if target is None:
            return f"data-ailit-offsite={quote}{quote}" if attribute == "href" else ""
        add(target)
        return f"{attribute}={quote}{target}{quote}"

    text = URL.sub(rewrite, text)

    def config(match: re.Match) -> str:
        settings = json.loads(match.group(2))
        settings["base"] = "."
        worker = local(str(settings.get("search") or ""), here)
        if worker:  # Material starts its worker on every page; it is never given an index
            add(worker)
            settings["search"] = worker
        return match.group(1) + json.dumps(settings) + match.group(3)

    text = CONFIG.sub(config, text)

    def scripts(match: re.Match) -> str:
        """The quiz and Material's scripts are named in JSON, not in src=: the app holds them."""
        settings = json.loads(match.group(2))
        kept = [found for url in settings.get("scripts", []) if (found := local(str(url), here))]
        for found in kept:
            add(found)
        shim = local(str(settings.get("shim") or ""), here)
        if shim:
            add(shim)
        settings.update(scripts=kept, shim=shim or "")
        return match.group(1) + json.dumps(settings).replace("</", "<\\/") + match.group(3)

    text = SCRIPTS.sub(scripts, text)
    # Material searches only when a form is named "search": the index lists other pages
    text = text.replace('<form class="md-search__form" name="search">', '<form class="md-search__form">')
    text = text.replace("</head>", f"<style>{HIDDEN}{{display:none}}</style></head>", 1)
    files = {"index.html": text.encode(), **files}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()


def page_title(data: str, fallback: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", data, re.S)
    title = re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""
    return html.unescape(title) or fallback


def channel_tree(project: Project, language: Language, site_name: str) -> Node:
    """The channel of a locale: a topic per course, an app per module, teacher guide and the
    glossary."""
    from ailit.stages.pages import load_locale_text  # nbconvert: not for verify

    code = language.code
    locale_dir = project.build_dir / "site" / code
    text = load_locale_text(project, code)
    name = project_name(project, site_name)
    root = Node((name, code), site_name, text.t("site_tagline"))
    for course in project.courses:
        tr = text.course(course.slug)
        topic = Node(
            (name, course.slug, code), tr.gettext(course.title.strip()),
            tr.gettext(course.summary.strip()),
        )  # fmt: skip
        for module in course.modules:
            page = f"{course.slug}/{module.slug}.html"
            if not (locale_dir / page).is_file():
                raise BundleError(f"{code}: {page} is not built: run 'ailit build'", locale_dir)
            title = page_title((locale_dir / page).read_text("utf-8"), module.title)
            topic.children.append(
                Node((name, course.slug, module.slug, code), title, app=html5_zip(locale_dir, page))
            )
            guide = f"{course.slug}/{module.slug}-teacher.html"
            if (locale_dir / guide).is_file():
                topic.children.append(
                    Node(
                        (name, course.slug, module.slug, "teacher", code),
                        page_title((locale_dir / guide).read_text("utf-8"), title),
                        app=html5_zip(locale_dir, guide), coach=True,
                    )
                )
        root.children.append(topic)
    if (locale_dir / "glossary.html").is_file():
        glossary = (locale_dir / "glossary.html").read_text("utf-8")
        root.children.append(
            Node((name, "glossary", code), page_title(glossary, text.t("glossary")),
                 app=html5_zip(locale_dir, "glossary.html"))
        )
    return root


def project_name(project: Project, site_name: str) -> str:
    """What the ids are made of: the site's name and its courses (not the folder it is in)."""
    return site_name + "|" + ",".join(course.slug for course in project.courses)


def channel_id(project: Project, site_name: str, code: str) -> str:
    return stable_id(project_name(project, site_name), "channel", code)


def write_channel(
    db: Path, storage: Path, channel: str, root: Node, language: Language, author: str,
    date: int,
) -> None:  # fmt: skip
    """The channel's database (version 0: set later) and its files in storage/."""
    locale = babel_locale(language.code)
    lang_id = language.code.replace("_", "-")
    con = sqlite3.connect(db)
    with con:
        con.executescript(TABLES)
        con.execute(
            "INSERT INTO content_language VALUES (?,?,?,?,?)",
            (lang_id, locale.language, locale.territory, language.name, language.direction),
        )
        counter = [0]

        def insert(node: Node, parent: str | None, level: int, order: int) -> None:
            counter[0] += 1
            lft = counter[0]
            for index, child in enumerate(node.children):
                insert(child, stable_id(*node.key), level + 1, index)
            counter[0] += 1
            node_id = stable_id(*node.key)
            kind = TOPIC if node.app is None else HTML5
            con.execute(
                "INSERT INTO content_contentnode (id, license_name, license_description, title,"
                " coach_content, content_id, channel_id, description, sort_order, license_owner,"
                " author, kind, available, options, lft, rght, tree_id, level, lang_id,"
                " parent_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (node_id, CC_BY, LICENCE, node.title[:200], node.coach,
                 stable_id("content", *node.key), channel, node.description, float(order),
                 author[:200], author[:200], kind, False, "{}", lft, counter[0], 1, level,
                 lang_id, parent),
            )  # fmt: skip
            if node.app is not None:
                md5 = hashlib.md5(node.app).hexdigest()
                path = storage / md5[0] / md5[1] / f"{md5}.zip"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(node.app)
                con.execute(
                    "INSERT OR IGNORE INTO content_localfile VALUES (?,?,?,?)",
                    (md5, "zip", False, len(node.app)),
                )
                con.execute(
                    "INSERT INTO content_file VALUES (?,?,?,?,?,?,?,?)",
                    (stable_id("file", *node.key), HTML5_ZIP, False, False, 1, node_id,
                     lang_id, md5),
                )  # fmt: skip

        insert(root, None, 0, 0)
        stamp = datetime.fromtimestamp(date, UTC).strftime("%Y-%m-%d %H:%M:%S")
        con.execute(
            "INSERT INTO content_channelmetadata VALUES (?,?,?,?,?,?,?,?,?,?)",
            (channel, f"{root.title} ({language.name})"[:200], root.description[:400],
             root.description[:150], author[:400], 0, "", stamp, SCHEMA, stable_id(*root.key)),
        )  # fmt: skip
    con.close()


def fingerprint(db: Path) -> str:
    """The channel's content, whatever its version and date: equal means nothing changed."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY 1"):
            cursor = con.execute(f"SELECT * FROM {table} ORDER BY 1")
            names = [d[0] for d in cursor.description]
            for row in cursor:
                kept = [v for n, v in zip(names, row, strict=True)
                        if n not in ("version", "last_updated")]  # fmt: skip
                digest.update(repr((table, kept)).encode())
        return digest.hexdigest()
    finally:
        con.close()


def old_version(db: Path) -> tuple[int, str] | None:
    """The previous drive's version of a channel and its fingerprint, if it has one."""
    if not db.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            (version,) = con.execute("SELECT version FROM content_channelmetadata").fetchone()
        finally:
            con.close()
        return int(version), fingerprint(db)
    except (sqlite3.Error, TypeError, ValueError):
        return None


def make_drive(
    project: Project, chosen: list[Language], site_name: str, author: str, date: int
) -> Path:
    """Write build/dist/kolibri/KOLIBRI_DATA whole, then put it in place (never half)."""
    out = project.build_dir / "dist" / "kolibri"
    part = out.with_name("kolibri.part")
    shutil.rmtree(part, ignore_errors=True)
    databases, storage = part / DATA / "content" / "databases", part / DATA / "content" / "storage"
    databases.mkdir(parents=True)
    storage.mkdir(parents=True)
    try:
        _write_channels(project, chosen, site_name, author, date, out, part)
    except BaseException:
        shutil.rmtree(part, ignore_errors=True)  # the old drive stays as it was
        raise
    old = out.with_name("kolibri.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.replace(old)
    part.replace(out)
    shutil.rmtree(old, ignore_errors=True)
    return out


def _write_channels(
    project: Project, chosen: list[Language], site_name: str, author: str, date: int,
    out: Path, part: Path,
) -> None:  # fmt: skip
    """Each locale's channel into the new drive, versioned against the old one."""
    databases, storage = part / DATA / "content" / "databases", part / DATA / "content" / "storage"
    for language in chosen:
        channel = channel_id(project, site_name, language.code)
        db = databases / f"{channel}.sqlite3"
        root = channel_tree(project, language, site_name)
        write_channel(db, storage, channel, root, language, author, date)
        previous = old_version(out / DATA / "content" / "databases" / db.name)
        if previous is not None and previous[1] == fingerprint(db):
            version = previous[0]  # nothing changed: a school has nothing to import
        else:
            version = max(previous[0] + 1 if previous else 1, _version_floor(date))
        con = sqlite3.connect(db)
        with con:
            con.execute("UPDATE content_channelmetadata SET version = ?", (version,))
        con.close()


#: 2025-01-01 00:00 UTC: versions count minutes from here when no earlier drive is at hand
_EPOCH = 1735689600


def _version_floor(date: int) -> int:
    """A version that grows with the build date, so a drive built after ``make clean`` or on
    another machine still imports as an update of the one a school has (minutes since 2025)."""
    return max(1, (date - _EPOCH) // 60)


def drive_root(path: Path) -> Path | None:
    """The KOLIBRI_DATA folder a path names (the drive, its kolibri folder or itself)."""
    for candidate in (path / "kolibri" / DATA, path / DATA, path):
        if (candidate / "content" / "databases").is_dir():
            return candidate
    return None


class DriveReport(verify.Report):
    """A check of a drive, said against its channel databases (it has no manifest.json)."""

    def lines(self) -> list[str]:
        return [line.replace(verify.MANIFEST, "the channel databases") for line in super().lines()]


def check_drive(data: Path) -> verify.Report:
    """``ailit verify`` on a drive: every file each channel lists is there, whole (its md5 is
    its name, its size the database's), and nothing else is in storage."""
    storage = data / "content" / "storage"
    databases = sorted((data / "content" / "databases").glob("*.sqlite3"))
    if not databases:
        raise BundleError("no channel database in this Kolibri drive", data / "content")
    listed: dict[str, int] = {}
    versions = []
    for db in databases:
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                rows = con.execute("SELECT id, extension, file_size FROM content_localfile")
                listed.update({f"{md5}.{ext}": size for md5, ext, size in rows})
                (version,) = con.execute("SELECT version FROM content_channelmetadata").fetchone()
            finally:
                con.close()
        except (sqlite3.Error, TypeError) as exc:
            raise BundleError(f"damaged channel database: {exc}", db) from exc
        versions.append(f"{db.stem[:8]} v{version}")
    report = DriveReport(f"Kolibri drive ({len(databases)} channels)", ", ".join(versions), 0)
    present = {p.name: p for p in storage.rglob("*") if p.is_file()} if storage.is_dir() else {}
    for name, size in sorted(listed.items()):
        path = present.get(name)
        if path is None or path.parent != storage / name[0] / name[1]:
            report.missing.append(f"content/storage/{name[0]}/{name[1]}/{name}")
            continue
        if path.stat().st_size != size or _md5(path) != name.split(".")[0]:
            report.altered.append(path.relative_to(data).as_posix())
        report.checked += 1
    report.extra = sorted(
        p.relative_to(data).as_posix() for n, p in present.items() if n not in listed
    )
    return report


def _md5(path: Path) -> str:
    digest = hashlib.md5()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
