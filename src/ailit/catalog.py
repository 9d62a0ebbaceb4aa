"""gettext catalogues with Babel: read, write (unwrapped, deterministic), merge, count.

The merge is ours, not ``Catalog.update``: Babel drops nothing but reuses nothing either
(an obsolete entry never comes back) and may pour one old translation into several new
entries. Here every translation a translator wrote stays in the file: in use, fuzzy with
the msgid it was written for (``#|``), or obsolete (``#~``), and returns when its text does.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, unescape, write_po

from ailit.errors import CatalogueError

UNWRAPPED = 2**31  # "no wrapping" for Babel's writer, comments included
FUZZY_RATIO = 0.6  # difflib ratio above which a changed text keeps its old translation, fuzzy
_PO_LINE = re.compile(
    r"(?:#~ ?)?(?:#\| ?)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"
    r'"(?:[^"\\]|\\.)*"[ \t]*'
)
_DATE_LINE = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', re.M)


@dataclass
class Entry:
    """A msgid with what the translator should know about it."""

    msgid: str
    locations: list[tuple[str, int]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    context: str | None = None


def template(project_name: str, entries: Iterable[Entry]) -> Catalog:
    """Build a .pot catalogue from entries; repeated msgids merge their locations."""
    catalog = Catalog(
        project=project_name,
        version="1",
        fuzzy=False,
        copyright_holder="ailit contributors",
        msgid_bugs_address="",
        last_translator="ailit translators",
        language_team="ailit translators",
        header_comment=HEADER.format(project=project_name),
    )
    for entry in entries:
        existing = catalog.get(entry.msgid, entry.context)
        if existing is not None:
            for location in entry.locations:
                if location not in existing.locations:
                    existing.locations.append(location)
            for comment in entry.comments:
                if comment not in existing.auto_comments:
                    existing.auto_comments.append(comment)
            existing.flags |= entry.flags
            continue
        message = catalog.add(
            entry.msgid,
            locations=entry.locations,
            auto_comments=entry.comments,
            flags=entry.flags,
            context=entry.context,
        )
        message.flags.discard("python-format")  # Babel guesses it from any "%"; we never use %
    return catalog


HEADER = (
    "# ailit catalogue: {project}.\n"
    "# Translate the msgstr lines; keep markdown, link targets and {{placeholders}}.\n"
    "# Distributed under the same licence as the course text (CC BY 4.0)."
)


def babel_locale(code: str) -> Locale:
    """Parse a site locale code (``fr``, ``pt_BR``, ``zh``) with Babel."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise CatalogueError(f"unknown locale code {code!r} (use an ISO 639 code)") from exc


def load(path: Path, locale: str | None = None) -> Catalog:
    """Read a .po/.pot file; a syntax or encoding error names the file and line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"cannot read catalogue: {exc.strerror}", path) from exc
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogueError("not valid UTF-8 (save the file as UTF-8)", path, line) from exc
    _check_syntax(path, data.decode("utf-8"))
    try:
        catalog = read_po(io.BytesIO(data), locale=locale, abort_invalid=True, charset="utf-8")
    except PoFileError as exc:
        raise CatalogueError(f"PO syntax error: {exc.args[0]}", path, exc.lineno) from exc
    except (ValueError, KeyError, UnknownLocaleError) as exc:
        raise CatalogueError(f"cannot parse catalogue: {exc}", path) from exc
    for message in [*catalog, *catalog.obsolete.values()]:
        _read_previous(message)
    return catalog


_PREVIOUS = re.compile(r'\|\s*(msgctxt|msgid_plural|msgid)?\s*("(?:[^"\\]|\\.)*")\s*')


def _read_previous(message: Message) -> None:
    """Babel reads `#| msgid` lines as translator comments: make them the previous msgid."""
    lines = [c for c in message.user_comments if c.startswith("|")]
    if not lines:
        return
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    parts: dict[str, str] = {}
    current = ""
    for line in lines:
        match = _PREVIOUS.fullmatch(line)
        if not match:
            continue
        current = match.group(1) or current
        if current:
            parts[current] = parts.get(current, "") + unescape(match.group(2))
    if "msgid" in parts:
        message.previous_id = [parts["msgid"]] + (
            [parts["msgid_plural"]] if "msgid_plural" in parts else []
        )


def _check_syntax(path: Path, text: str) -> None:
    """Reject what Babel would silently accept: an unclosed string, a stray line."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith(("#~", "#|"))):
            continue
        if stripped.startswith(("#~", "#|")) and '"' not in stripped:
            continue
        if not _PO_LINE.fullmatch(stripped):
            raise CatalogueError(f"PO syntax error: cannot read {stripped[:50]!r}", path, number)


def render(catalog: Catalog) -> bytes:
    """Serialise unwrapped (width 0), in catalogue order, obsolete entries and #| kept."""
    buffer = io.BytesIO()
    # width=0 leaves msgstr unwrapped but Babel then wraps comments at 76, cutting `#| msgid`
    # lines into invalid ones; a width no line reaches keeps everything on one line
    write_po(buffer, catalog, width=UNWRAPPED, include_previous=True, omit_header=False)
    return buffer.getvalue()


def save(path: Path, catalog: Catalog) -> bool:
    """Write atomically, and only when more than the date would change. True if written."""
    now = _build_date()
    catalog.creation_date = now
    if catalog.locale is not None:
        catalog.revision_date = now
    new = render(catalog)
    if path.exists():
        old = path.read_bytes()
        if _DATE_LINE.sub(b"", old) == _DATE_LINE.sub(b"", new):
            return False
    write_atomic(path, new)
    return True


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file and a rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _build_date() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def new_catalog(locale: str, pot: Catalog) -> Catalog:
    """An empty translation catalogue for ``locale`` with CLDR plural forms."""
    catalog = Catalog(
        locale=babel_locale(locale),
        project=pot.project,
        version="1",
        fuzzy=False,
        copyright_holder="ailit contributors",
        msgid_bugs_address="",
        last_translator="ailit translators",
        language_team=f"{babel_locale(locale).english_name} translators",
        header_comment=HEADER.format(project=pot.project),
    )
    return catalog


def merge(po: Catalog, pot: Catalog) -> Catalog:
    """Bring ``po`` in line with ``pot`` without losing any translation."""
    pool: dict[tuple[str, str | None], Message] = {}
    for message in [*po.obsolete.values(), *po]:
        if message.id and _has_text(message):
            pool[(_key(message.id), message.context)] = message
    merged = Catalog(
        locale=po.locale,
        project=po.project,
        version=po.version,
        fuzzy=False,
        language_team=po.language_team,
        last_translator=po.last_translator,
        copyright_holder="ailit contributors",
        msgid_bugs_address=po.msgid_bugs_address,
        header_comment=HEADER.format(project=po.project),
    )
    merged.creation_date = po.creation_date
    merged.revision_date = po.revision_date
    used: set[tuple[str, str | None]] = set()
    unmatched: list[Message] = []
    for source in pot:
        if not source.id:
            continue
        key = (_key(source.id), source.context)
        old = pool.get(key)
        message = _fresh(source)
        if old is not None:
            message.string = old.string
            if old.fuzzy:
                message.flags.add("fuzzy")
                message.previous_id = [_first(old.previous_id)] if old.previous_id else []
            message.flags |= {f for f in old.flags if f.startswith("ailit-")}
            message.user_comments = list(old.user_comments)
            used.add(key)
        else:
            unmatched.append(message)
        merged[_first(message.id)] = message
    _fuzzy_fill(unmatched, pool, used)
    for key, old in pool.items():
        if key not in used:  # fuzzy donors too: their text returns if the source does
            merged.obsolete[_first(old.id)] = _as_obsolete(old)
    return merged


def _fuzzy_fill(
    unmatched: list[Message], pool: dict[tuple[str, str | None], Message], used: set
) -> None:
    """Give each new entry the closest unused old translation, one old entry for one new."""
    candidates = {key: msg for key, msg in pool.items() if key not in used}
    scored: list[tuple[float, int, tuple[str, str | None]]] = []
    for index, message in enumerate(unmatched):
        new_text = _key(message.id)
        for key in candidates:
            if key[1] != message.context:
                continue
            matcher = difflib.SequenceMatcher(None, new_text, key[0], autojunk=False)
            if matcher.real_quick_ratio() < FUZZY_RATIO or matcher.quick_ratio() < FUZZY_RATIO:
                continue
            ratio = matcher.ratio()
            if ratio >= FUZZY_RATIO:
                scored.append((ratio, index, key))
    scored.sort(key=lambda item: (-item[0], item[1]))
    taken_new: set[int] = set()
    taken_old: set[tuple[str, str | None]] = set()
    for _ratio, index, key in scored:
        if index in taken_new or key in taken_old:
            continue
        taken_new.add(index)
        taken_old.add(key)
        old = candidates[key]
        message = unmatched[index]
        message.string = old.string
        message.flags.add("fuzzy")
        # keep the msgid the translation was written for, not an intermediate one
        previous = old.previous_id if old.fuzzy and old.previous_id else old.id
        message.previous_id = [_first(previous)]
        message.auto_comments.append("ailit: source changed, check the translation")


def _first(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return str(value[0]) if value else ""
    return str(value)


def _key(msgid: object) -> str:
    return _first(msgid)


def _has_text(message: Message) -> bool:
    if isinstance(message.string, (list, tuple)):
        return any(message.string)
    return bool(message.string)


def _fresh(source: Message) -> Message:
    """A copy of a template entry with the template's comments, locations and flags."""
    message = Message(
        source.id,
        "" if not isinstance(source.id, (list, tuple)) else ("",) * 2,
        locations=list(source.locations),
        flags={f for f in source.flags if f != "fuzzy"},
        auto_comments=list(source.auto_comments),
        context=source.context,
    )
    message.flags.discard("python-format")  # Babel guesses it from any "%"; we never use %
    return message


def _as_obsolete(message: Message) -> Message:
    return Message(
        message.id,
        message.string,
        flags=set(message.flags),
        user_comments=list(message.user_comments),
        previous_id=message.previous_id,
        context=message.context,
    )


@dataclass
class Counts:
    """Translated / fuzzy / untranslated, in strings and in source words."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def total_words(self) -> int:
        return self.translated_words + self.fuzzy_words + self.untranslated_words

    @property
    def percent(self) -> float:
        """Share of source words translated and not fuzzy (what is published)."""
        return 100.0 * self.translated_words / self.total_words if self.total_words else 100.0

    def add(self, message: Message) -> None:
        words = len(_first(message.id).split())
        if message.fuzzy and _has_text(message):
            self.fuzzy += 1
            self.fuzzy_words += words
        elif _has_text(message):
            self.translated += 1
            self.translated_words += words
        else:
            self.untranslated += 1
            self.untranslated_words += words

    def __iadd__(self, other: Counts) -> Counts:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def published(message: Message | None) -> str | None:
    """The msgstr to publish, or None: fuzzy or empty text is never published."""
    if message is None or message.fuzzy or not _has_text(message):
        return None
    return _first(message.string) if isinstance(message.string, (list, tuple)) else message.string
