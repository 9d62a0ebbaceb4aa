"""Kiwix ZIM files, one per locale: the locale's site, a main page, Kiwix's full-text index in
that language and the metadata openZIM requires, checked here before anything is written.

The writer is python-libzim 2.1.0 (libzim 8) where it installs: its files pass Debian 12's
zimcheck and are read by every Kiwix since; libzim 9's files fail that zimcheck (README,
"Offline copies for schools").

Full-text search: libzim indexes a page's text with its accents removed, but libzim before 8.2
(Debian 12's kiwix-serve) searches the query as typed (openzim/libzim#804), so "équité" found
nothing. ailit gives the indexer its own text: libzim's folded text, as before, plus every word
whose folded form differs, as written (and "l'école" as "école" too); pages are unchanged, so
readers never see any of it.
"""

from __future__ import annotations

import html
import html.parser
import mimetypes
import os
import re
import struct
import sys
import unicodedata
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from ailit import __version__
from ailit.i18n import catalog
from ailit.core.errors import BundleError
from ailit.model.language import babel_locale
from ailit.model.project import Project

#: ISO 639-1 -> ISO 639-3 (the individual or macrolanguage code Kiwix lists).
ISO639_3 = {
    "af": "afr", "am": "amh", "ar": "ara", "az": "aze", "bg": "bul", "bn": "ben", "ca": "cat",
    "cs": "ces", "cy": "cym", "da": "dan", "de": "deu", "el": "ell", "en": "eng", "es": "spa",
    "et": "est", "eu": "eus", "fa": "fas", "ff": "ful", "fi": "fin", "fr": "fra", "ga": "gle",
    "gu": "guj", "ha": "hau", "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun", "hy": "hye",
    "id": "ind", "ig": "ibo", "is": "isl", "it": "ita", "ja": "jpn", "ka": "kat", "kk": "kaz",
    "km": "khm", "kn": "kan", "ko": "kor", "ku": "kur", "ky": "kir", "lg": "lug", "ln": "lin",
    "lo": "lao", "lt": "lit", "lv": "lav", "mg": "mlg", "mk": "mkd", "ml": "mal", "mn": "mon",
    "mr": "mar", "ms": "msa", "my": "mya", "ne": "nep", "nl": "nld", "no": "nor", "ny": "nya",
    "om": "orm", "pa": "pan", "pl": "pol", "ps": "pus", "pt": "por", "qu": "que", "ro": "ron",
    "ru": "rus", "rw": "kin", "si": "sin", "sk": "slk", "sl": "slv", "sn": "sna", "so": "som",
    "sq": "sqi", "sr": "srp", "sv": "swe", "sw": "swa", "ta": "tam", "te": "tel", "tg": "tgk",
    "th": "tha", "ti": "tir", "tl": "tgl", "tn": "tsn", "tr": "tur", "tw": "twi", "uk": "ukr",
    "ur": "urd", "uz": "uzb", "vi": "vie", "wo": "wol", "xh": "xho", "yo": "yor", "zh": "zho",
    "zu": "zul",
}  # fmt: skip
#: ISO 639-2/B codes: CLDR knows them as aliases, but openZIM wants the 639-3 (= 639-2/T) form.
BIBLIOGRAPHIC = {"alb", "arm", "baq", "bur", "chi", "cze", "dut", "fre", "geo", "ger", "gre",
                 "ice", "mac", "mao", "may", "per", "rum", "slo", "tib", "wel"}  # fmt: skip
MAX_TITLE, MAX_DESCRIPTION, MAX_LONG = 30, 80, 4000
REQUIRED = ("Name", "Title", "Description", "Language", "Creator", "Publisher", "Date")
ILLUSTRATION = "Illustration_48x48@1"
SELECTION = "all"
NAME = re.compile(r"^[a-z0-9-]+_[a-z]{2,3}(-[a-z0-9]+)*_[a-z0-9.-]+$")
MIME = {
    ".html": "text/html",
    ".js": "application/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".ipynb": "application/x-ipynb+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".woff2": "font/woff2",
}
#: An elided article or pronoun before a word: l', d', qu' (French, Italian, Catalan).
ELISION = re.compile(r"^\w{1,2}['\u2019](?=\w)")
PACKED = {"image/png", "image/jpeg", "image/gif", "image/webp", "font/woff2"}


def iso639_3(code: str) -> str:
    """The ISO 639-3 code openZIM's Language wants, from a locale code (``pt_BR`` -> ``por``)."""
    language = babel_locale(code).language
    if language in ISO639_3:
        return ISO639_3[language]
    from babel.core import get_global

    aliases = sorted(
        alias
        for alias, target in get_global("language_aliases").items()
        if target == language and len(alias) == 3 and alias not in BIBLIOGRAPHIC
    )
    if len(aliases) == 1:
        return aliases[0]
    raise BundleError(f"no ISO 639-3 code known for {code!r}: add it to ailit.zim.ISO639_3")


def zim_name(code: str) -> str:
    return f"ailit_{code.lower().replace('_', '-')}_{SELECTION}"


def zim_filename(code: str, date: int) -> str:
    """openZIM's file naming: the Name, then the month it was made."""
    return f"{zim_name(code)}_{datetime.fromtimestamp(date, UTC):%Y-%m}.zim"


def graphemes(text: str) -> int:
    """Characters as a reader counts them: combining marks and joiners add none."""
    return sum(
        1
        for ch in text
        if unicodedata.category(ch) not in ("Mn", "Me", "Cf") and not 0xFE00 <= ord(ch) <= 0xFE0F
    )


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, or None when the bytes are not one."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def metadata_problems(meta: dict[str, str], illustration: bytes | None) -> list[str]:
    """openZIM's metadata rules, checked here because Debian's zimcheck predates some."""
    problems = [f"{key} is missing" for key in REQUIRED if not meta.get(key, "").strip()]
    for key, value in meta.items():
        if any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in value):
            problems.append(f"{key} holds a control character")
    name, title = meta.get("Name", ""), meta.get("Title", "")
    description, long = meta.get("Description", ""), meta.get("LongDescription", "")
    if name and not NAME.match(name):
        problems.append(f"Name {name!r} is not publisher_language_selection in [a-z0-9-]")
    if graphemes(title) > MAX_TITLE:
        problems.append(f"Title {title!r} is {graphemes(title)} characters (at most {MAX_TITLE})")
    if graphemes(description) > MAX_DESCRIPTION:
        problems.append(
            f"Description {description!r} is {graphemes(description)} characters "
            f"(at most {MAX_DESCRIPTION})"
        )
    if long and graphemes(long) > MAX_LONG:
        problems.append(f"LongDescription is {graphemes(long)} characters (at most {MAX_LONG})")
    if long and graphemes(long) <= graphemes(description):
        problems.append("LongDescription must be longer than Description")
    language = meta.get("Language", "")
    if language and not re.fullmatch(r"[a-z]{3}(,[a-z]{3})*", language):
        problems.append(f"Language {language!r} is not ISO 639-3 (three letters, comma-separated)")
    date = meta.get("Date", "")
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        problems.append(f"Date {date!r} is not YYYY-MM-DD")
    if illustration is None:
        problems.append(f"{ILLUSTRATION} is missing")
    elif png_size(illustration) != (48, 48):
        problems.append(f"{ILLUSTRATION} is not a 48x48 PNG (found {png_size(illustration)})")
    return problems


def illustration() -> bytes:
    """ailit's 48x48 icon: white 'ai' on an indigo rounded square, as PNG bytes (no Pillow)."""
    glyphs = [".......#.", ".........", ".###..##.", "....#..#.", ".####..#.", "#...#..#.",
              "#..##..#.", ".##.#.###"]  # fmt: skip
    scale, left, top = 4, 6, 8
    rows = []
    for y in range(48):
        row = bytearray([0])  # filter byte: none
        for x in range(48):
            inside = _in_rounded_square(x, y, 48, 10)
            gx, gy = (x - left) // scale, (y - top) // scale
            ink = (
                0 <= gy < len(glyphs)
                and 0 <= gx < len(glyphs[gy])
                and x >= left
                and y >= top
                and glyphs[gy][gx] == "#"
            )
            row += bytes((255, 255, 255, 255) if ink else (57, 73, 171, 255 if inside else 0))
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", 48, 48, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )


def _in_rounded_square(x: int, y: int, size: int, radius: int) -> bool:
    cx = min(max(x, radius), size - 1 - radius)
    cy = min(max(y, radius), size - 1 - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def zim_metadata(project: Project, code: str, date: int, site_name: str, author: str) -> dict:
    """The openZIM metadata of a locale's ZIM, in that locale's words where it has them."""
    from ailit.stages.pages import load_locale_text  # nbconvert: not for verify or updates

    text = load_locale_text(project, code)
    courses = [(c, text.course(c.slug)) for c in project.courses]
    titles = [t.gettext(c.title.strip()) for c, t in courses]
    title = titles[0] if len(titles) == 1 and graphemes(titles[0]) <= MAX_TITLE else site_name
    description = text.t("site_tagline")
    long = "\n".join(
        [description]
        + [
            f"{t}: {tr.gettext(c.summary.strip())}"
            for t, (c, tr) in zip(titles, courses, strict=True)
        ]
    )
    return {
        "Name": zim_name(code),
        "Title": title,
        "Description": description,
        "LongDescription": long[:MAX_LONG],
        "Language": iso639_3(code),
        "Creator": author,
        "Publisher": author,
        "Date": f"{datetime.fromtimestamp(date, UTC):%Y-%m-%d}",
        "Tags": "_ftindex:yes;_pictures:yes;_videos:no;_details:yes;education",
        "License": "CC-BY-4.0 (course text), MIT (code)",
        "Scraper": f"ailit {__version__} (python-libzim {version('libzim')})",
    }


def write_zim(
    out: Path, files: dict[str, bytes], meta: dict[str, str], code: str, site_name: str
) -> Path:
    """Write the ZIM atomically: main page index.html, every file an entry, HTML indexed."""
    icon = illustration()
    problems = metadata_problems(meta, icon)
    if problems:
        where = f"locales/{code}/LC_MESSAGES/site.po or mkdocs.yml"
        raise BundleError(f"{code}: ZIM metadata: {'; '.join(problems)} (see {where})")
    if "index.html" not in files:
        raise BundleError(f"{code}: no index.html to be the ZIM's main page")
    from libzim.writer import Creator, Hint, IndexData, Item, StringProvider

    class PageText(IndexData):
        """What Kiwix's full-text index holds for a page: folded words and accented words."""

        def __init__(self, data: bytes, title: str) -> None:
            super().__init__()
            self.page, self.title = index_text(data), title

        def has_indexdata(self) -> bool:
            return self.page.indexed

        def get_title(self) -> str:
            return searchable(self.title)

        def get_content(self) -> str:
            return searchable(self.page.text)

        def get_keywords(self) -> str:
            return searchable(self.page.keywords)

        def get_wordcount(self) -> int:
            return len(self.page.text.split())

    class Entry(Item):
        """One file of the site as a ZIM entry."""

        def __init__(self, path: str, data: bytes, mime: str, title: str) -> None:
            super().__init__()
            self.path, self.data, self.mime, self.title = path, data, mime, title

        def get_path(self) -> str:
            return self.path

        def get_title(self) -> str:
            return self.title

        def get_mimetype(self) -> str:
            return self.mime

        def get_contentprovider(self) -> StringProvider:
            return StringProvider(self.data)

        def get_indexdata(self) -> PageText | None:
            return PageText(self.data, self.title) if self.mime == "text/html" else None

        def get_hints(self) -> dict:
            return {
                Hint.FRONT_ARTICLE: self.mime == "text/html",
                Hint.COMPRESS: self.mime not in PACKED,
            }

    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    part.unlink(missing_ok=True)
    creator = Creator(str(part)).config_indexing(True, meta["Language"].split(",")[0])
    with _quiet_stdout(), creator:
        creator.set_mainpath("index.html")
        creator.add_illustration(48, icon)
        for key, value in meta.items():
            creator.add_metadata(key, value)
        for path, data in sorted(files.items()):
            mime = mime_type(path)
            title = page_title(data, site_name, meta["Title"]) if mime == "text/html" else ""
            creator.add_item(Entry(path, data, mime, title))
    part.replace(out)
    return out


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """libzim 8 prints its progress to stdout whatever config_verbose says: keep -q quiet."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def fold(text: str) -> str:
    """Text as libzim indexes it: ICU's "Lower; NFD; [:M:] remove; NFC"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    bare = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    return unicodedata.normalize("NFC", bare)


def searchable(text: str) -> str:
    """libzim's folded text, then the forms readers type that it lacks: accented words as
    written, and elided words without their article (Xapian keeps "l'école" whole)."""
    extra = []
    for word in text.split():
        if fold(word) != word.lower():
            extra.append(word)
        bare = ELISION.sub("", word)
        if bare != word:
            extra += [fold(bare)] + ([bare] if fold(bare) != bare.lower() else [])
    return " ".join([fold(text), *dict.fromkeys(extra)])


class IndexedText(html.parser.HTMLParser):
    """A page's text as libzim's HTML parser reads it for the index (Xapian omega's rules)."""

    BLOCK = frozenset(
        "address blockquote br center dd dir div dl dt embed fieldset form h1 h2 h3 h4 h5 h6 hr"
        " iframe img input isindex keygen legend li listing marquee menu multicol ol option p"
        " plaintext pre q select table td textarea th tr ul xmp".split()
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.keywords = ""
        self.indexed = True
        self.skipping = 0

    @property
    def text(self) -> str:
        return " ".join("".join(self.words).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag == "body":
            self.words.clear()
        elif tag == "meta":
            meta = {key: value or "" for key, value in attrs}
            name = meta.get("name", "").lower()
            if name == "keywords":
                self.keywords = f"{self.keywords} {meta.get('content', '')}".strip()
            elif name == "robots" and re.search("none|noindex", meta.get("content", ""), re.I):
                self.indexed = False
        elif tag in self.BLOCK:
            self.words.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.words.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.words.append(data)


def index_text(data: bytes) -> IndexedText:
    """Read a page as libzim would before indexing it (NOINDEX in its text keeps it out)."""
    page = IndexedText()
    page.feed(data.decode("utf-8", "replace"))
    page.close()
    page.indexed = page.indexed and bool(page.text) and "NOINDEX" not in page.text
    return page


def mime_type(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return MIME.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def page_title(data: bytes, site_name: str, fallback: str) -> str:
    """A page's <title> without Material's ' - site name' suffix, as Kiwix lists it."""
    found = re.search(rb"<title>(.*?)</title>", data, re.S)
    title = html.unescape(found.group(1).decode("utf-8", "replace")).strip() if found else ""
    title = title.removesuffix(f" - {site_name}").strip()
    return fallback if not title or title == site_name else title
