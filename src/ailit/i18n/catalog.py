"""The PO format with Babel: read (every error with its line), write (unwrapped,
deterministic, untouched when only a date would change), and what gets published.

How a catalogue follows its template is the merge policy, in ``ailit.i18n.merge``.
"""

from __future__ import annotations

import functools
import gettext
import io
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po, unescape, write_po
from babel.plural import PluralRule, to_gettext

from ailit.core.errors import CatalogueError
from ailit.core.files import write_atomic
from ailit.i18n.codes import comment_flags
from ailit.i18n.posyntax import PoSyntaxError, check_po

UNWRAPPED = 2**31  # "no wrapping" for Babel's writer, comments included
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
    plural: str | None = None  # msgid_plural of a count string


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
            (entry.msgid, entry.plural) if entry.plural else entry.msgid,
            locations=entry.locations,
            auto_comments=entry.comments,
            flags=entry.flags,
            context=entry.context,
        )
        drop_guessed_flags(message)
    return catalog


def drop_guessed_flags(message: Message) -> None:
    """Babel guesses python-format from any "%" (ailit never uses %) and python-brace-format
    from any "{…}": ailit sets that one itself, on code strings only, never on markdown,
    whose braces are TeX (``$x_{t}$``) or roles."""
    message.flags.discard("python-format")
    if "md-text" in message.flags:
        message.flags.discard("python-brace-format")


HEADER = (
    "# ailit catalogue: {project}.\n"
    "# Translate the msgstr lines; keep markdown, link targets and {{placeholders}}.\n"
    "# Distributed under the same licence as the course text (CC BY 4.0)."
)


#: the counts a page shows: CLDR categories reached only by millions or decimals
#: (French "many", Russian "other") have no form in a gettext catalogue
_COUNTS = range(1001)
_ORDER = ("zero", "one", "two", "few", "many", "other")


@functools.cache
def plural_forms(code: str) -> tuple[int, str]:
    """(nplurals, plural expression) for a locale from CLDR's rules (Babel): Babel's
    gettext table where it agrees with CLDR on every count, else compiled from CLDR."""
    rule = Locale.parse(str(code).replace("-", "_")).plural_form
    tags = [tag for tag in _ORDER if tag in {rule(n) for n in _COUNTS}]
    index = [tags.index(rule(n)) for n in _COUNTS]
    table = get_plural(str(code).replace("-", "_"))
    if table.num_plurals == len(tags) and _indices(table.plural_expr) == index:
        return table.num_plurals, table.plural_expr
    kept = PluralRule({tag: rule.rules[tag] for tag in tags[:-1]})
    compiled = to_gettext(kept)  # "nplurals=N; plural=(...);"
    return len(tags), compiled.split("plural=", 1)[1].rstrip(";")


def _indices(expression: str) -> list[int]:
    choose: Callable[[int], int] = gettext.c2py(expression)
    return [choose(n) for n in _COUNTS]


def plural_index(code: str, n: int) -> int:
    """Which msgstr[i] a count ``n`` takes in ``code`` (CLDR rules)."""
    return int(_chooser(code)(n))


@functools.cache
def _chooser(code: str) -> Callable[[int], int]:
    return gettext.c2py(plural_forms(code)[1])


@functools.cache  # asked for every count string of every page: 2,002 counts each time
def header_agrees(code: str, num_plurals: int, expression: str) -> bool:
    """A catalogue's Plural-Forms chooses the form CLDR chooses for every count."""
    expected, rule = plural_forms(code)
    try:
        return num_plurals == expected and _indices(expression) == _indices(rule)
    except (ValueError, SyntaxError, ZeroDivisionError):
        return False


def set_plural_forms(catalog: Catalog, code: str) -> None:
    """Give a catalogue CLDR's Plural-Forms header (Babel's own guess may differ)."""
    count, expression = plural_forms(code)
    catalog.mime_headers = [("Plural-Forms", f"nplurals={count}; plural={expression};")]


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
        check_po(data.decode("utf-8"))
    except PoSyntaxError as exc:
        raise CatalogueError(f"PO syntax error: {exc.message}", path, exc.line) from exc
    try:
        babel_code = locale.replace("-", "_") if locale else None  # pt-BR, sr-Latn: Babel's pt_BR
        catalog = read_po(io.BytesIO(data), locale=babel_code, abort_invalid=True, charset="utf-8")
    except PoFileError as exc:
        raise CatalogueError(f"PO syntax error: {exc.args[0]}", path, exc.lineno) from exc
    except (ValueError, KeyError, LookupError, UnknownLocaleError) as exc:
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


def _build_date() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _first(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return str(value[0]) if value else ""
    return str(value)


def _key(msgid: object) -> str:
    return _first(msgid)


def obsolete_key(message: Message) -> str | tuple[str, str]:
    """Where an obsolete entry goes in ``Catalog.obsolete``: by msgid *and* msgctxt, as Babel's
    reader keys it, so two obsolete entries that differ only in context both stay."""
    msgid = _key(message.id)
    return (msgid, message.context) if message.context is not None else msgid


def _has_text(message: Message) -> bool:
    if isinstance(message.string, (list, tuple)):
        return any(message.string)
    return bool(message.string)


def entry_flags(message: Message) -> frozenset[str]:
    """The entry's flags with those of its ``# ailit-ignore: ...`` translator comment."""
    return frozenset(message.flags) | comment_flags(message.user_comments)


def published(message: Message | None) -> str | None:
    """The msgstr to publish, or None: fuzzy or empty text is never published."""
    if message is None or message.fuzzy or not _has_text(message):
        return None
    return _first(message.string) if isinstance(message.string, (list, tuple)) else message.string
