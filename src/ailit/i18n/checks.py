"""Checks on one translation against its source: what must never be published, and what to warn.

Every outside checker misses something (TRANSLATION.md), so ailit runs its own: in
``ailit check`` and again in every build, where an entry that fails an error check is
not published (the source text is shown instead).
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from ailit.i18n.codes import CheckCode, ignore_flag
from ailit.i18n.segment import markdown_parser

ALLOWED_SCHEMES = {"", "http", "https", "mailto"}
_PARSER = markdown_parser()
_BLOCKS = markdown_parser().disable(
    "inline"
)  # block structure only: inline parsing is half the cost
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][\w.]*(?:![rsa])?(?::[^{}]*)?\}|\{\}")
_TAG = re.compile(r"<\s*/?\s*([A-Za-z][\w-]*)[^>]*>")
_HANDLER = re.compile(r"\bon[a-z]+\s*=", re.I)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?")
_INVISIBLE = {"Cf"}  # format characters: bidi controls, zero-width spaces and joiners
_BACKTICKS = re.compile(r"`+")


@dataclass(frozen=True)
class Problem:
    """One finding: ``error`` blocks publication, ``warning`` is reported only."""

    severity: str
    code: CheckCode
    message: str


def check(
    msgid: str, msgstr: str, flags: frozenset[str] = frozenset(), markdown: bool = True
) -> list[Problem]:
    """All problems of ``msgstr`` as a translation of ``msgid``."""
    problems = _errors(msgid, msgstr, flags, markdown)
    if markdown:
        problems += _inline_markup(msgid, msgstr)
    if ignore_flag(CheckCode.NUMBERS) not in flags:
        problems += _numbers(msgid, msgstr)
    return [p for p in problems if ignore_flag(p.code) not in flags]


def errors(
    msgid: str, msgstr: str, flags: frozenset[str] = frozenset(), markdown: bool = True
) -> list[Problem]:
    """The problems that keep a translation from being published: exactly the errors
    ``ailit check`` reports, so every build refuses what check refuses."""
    return [p for p in check(msgid, msgstr, flags, markdown) if p.severity == "error"]


def _errors(msgid: str, msgstr: str, flags: frozenset[str], markdown: bool) -> list[Problem]:
    problems: list[Problem] = []
    problems += _newlines(msgid, msgstr)
    problems += _invisible(msgid, msgstr)
    problems += _placeholders(msgid, msgstr, flags)
    problems += _html(msgid, msgstr)
    if markdown:
        problems += _links(msgid, msgstr)
        problems += _structure(msgid, msgstr)
    else:  # plain text is shown as text, but a URL a browser would run is never published
        problems += _schemes(msgstr, [])
    return problems


def _newlines(msgid: str, msgstr: str) -> list[Problem]:
    found = []
    if msgid.startswith("\n") != msgstr.startswith("\n") or msgid.endswith("\n") != msgstr.endswith(
        "\n"
    ):
        found.append(
            Problem(
                "error", CheckCode.NEWLINES, "leading or trailing newline differs from the source"
            )
        )
    elif msgid.count("\n") != msgstr.count("\n"):
        found.append(
            Problem(
                "error",
                CheckCode.NEWLINES,
                f"has {msgstr.count(chr(10))} line breaks, the source has {msgid.count(chr(10))}",
            )
        )
    return found


def _invisible(msgid: str, msgstr: str) -> list[Problem]:
    allowed = {c for c in msgid if unicodedata.category(c) in _INVISIBLE}
    extra = sorted({c for c in msgstr if unicodedata.category(c) in _INVISIBLE} - allowed)
    if extra:
        names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in extra)
        return [
            Problem(
                "error",
                CheckCode.INVISIBLE,
                f"invisible or bidi control characters not in the source: {names}",
            )
        ]
    return []


def _placeholders(msgid: str, msgstr: str, flags: frozenset[str]) -> list[Problem]:
    source = Counter(_PLACEHOLDER.findall(msgid))
    if not source and "python-brace-format" not in flags:
        return []
    target = Counter(_PLACEHOLDER.findall(msgstr))
    if source != target:
        missing = sorted((source - target).elements())
        added = sorted((target - source).elements())
        detail = "; ".join(filter(None, [
            f"missing {', '.join(missing)}" if missing else "",
            f"unknown {', '.join(added)}" if added else "",
        ]))  # fmt: skip
        return [
            Problem(
                "error", CheckCode.PLACEHOLDERS, f"placeholders differ from the source: {detail}"
            )
        ]
    return []


def _html(msgid: str, msgstr: str) -> list[Problem]:
    source_tags = Counter(t.lower() for t in _TAG.findall(_strip_code(msgid)))
    target_tags = Counter(t.lower() for t in _TAG.findall(_strip_code(msgstr)))
    added = sorted((target_tags - source_tags).elements())
    found = []
    if added:
        found.append(
            Problem("error", CheckCode.HTML, f"HTML not in the source: <{'>, <'.join(added)}>")
        )
    if _HANDLER.search(_strip_code(msgstr)) and not _HANDLER.search(_strip_code(msgid)):
        found.append(
            Problem("error", CheckCode.HTML, "an event handler attribute (on...=) is not allowed")
        )
    return found


def _strip_code(text: str) -> str:
    """Text without code spans, where markup is shown literally and is harmless."""
    return re.sub(r"(`+)(.+?)\1", "", text, flags=re.S)


def link_targets(text: str) -> list[tuple[str, str]]:
    """(kind, target) of every link and image in a markdown fragment, in order."""
    return list(_link_targets(text))


@functools.lru_cache(maxsize=65536)
def _link_targets(text: str) -> tuple[tuple[str, str], ...]:
    # cached: a source text is checked once against each locale's translation
    if "[" not in text and "<" not in text:
        return ()  # CommonMark without linkify: every link or image starts with [ or <
    found: list[tuple[str, str]] = []
    for token in _PARSER.parseInline(text):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(("link", str(child.attrs.get("href", ""))))
            elif child.type == "image":
                found.append(("image", str(child.attrs.get("src", ""))))
    return tuple(found)


_RAW_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|<([A-Za-z][\w+.-]*:[^>\s]*)>")


def _schemes(msgstr: str, targets: list[tuple[str, str]]) -> list[Problem]:
    """A link, image or autolink whose URL scheme is not allowed (javascript:, data:...)."""
    # markdown-it drops links it deems unsafe, so look at the raw text as well
    text = html.unescape(_strip_code(msgstr))
    raw = [("raw", a or b) for a, b in _RAW_TARGET.findall(text)]
    for _kind, url in [*targets, *raw]:
        if _scheme(url) not in ALLOWED_SCHEMES or url.strip().lower().startswith(
            ("javascript:", "data:", "vbscript:")
        ):
            return [
                Problem("error", CheckCode.URL_SCHEME, f"link scheme not allowed: {url[:40]!r}")
            ]
    return []


def _scheme(url: str) -> str | None:
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:  # not a URL at all (an unclosed IPv6 host): refused
        return None


def _links(msgid: str, msgstr: str) -> list[Problem]:
    target = link_targets(msgstr)
    found = _schemes(msgstr, target)
    if sorted(target) != sorted(_link_targets(msgid)):
        found.append(
            Problem(
                "error",
                CheckCode.LINKS,
                "link or image targets differ from the source (keep them exactly)",
            )
        )
    return found


def block_kinds(text: str) -> list[str]:
    """The block structure of a fragment: the kinds of its block tokens, in order."""
    return list(_block_kinds(text))


@functools.lru_cache(maxsize=65536)
def _block_kinds(text: str) -> tuple[str, ...]:
    return tuple(
        t.type for t in _BLOCKS.parse(text) if t.nesting >= 0 and t.type != "inline" and t.block
    )


def _structure(msgid: str, msgstr: str) -> list[Problem]:
    if _block_kinds(msgid) != _block_kinds(msgstr):
        return [
            Problem(
                "error",
                CheckCode.STRUCTURE,
                "the translation changes the block structure (heading, list, code or HTML block); keep it plain text with inline markup",
            )
        ]
    return []


def _inline_markup(msgid: str, msgstr: str) -> list[Problem]:
    found = []
    if len(_BACKTICKS.findall(msgid)) != len(_BACKTICKS.findall(msgstr)):
        found.append(
            Problem("warning", CheckCode.MARKUP, "code spans (`...`) differ from the source")
        )
    for marker in ("**", "__"):
        if msgid.count(marker) != msgstr.count(marker):
            found.append(
                Problem(
                    "warning", CheckCode.MARKUP, f"emphasis markers {marker} differ from the source"
                )
            )
            break
    return found


def _numbers(msgid: str, msgstr: str) -> list[Problem]:
    def numbers(text: str) -> Counter[str]:
        digits = "".join(str(unicodedata.digit(c, c)) if c.isdigit() else c for c in text)
        return Counter(n.replace(",", ".") for n in _NUMBER.findall(_strip_code(digits)))

    if numbers(msgid) != numbers(msgstr):
        return [
            Problem(
                "warning",
                CheckCode.NUMBERS,
                "numbers differ from the source (add the flag ailit-ignore-numbers if intended)",
            )
        ]
    return []


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower().replace("\u2019", "'")


def glossary(msgid: str, msgstr: str, terms: dict[str, str]) -> list[Problem]:
    """Warn when a glossary term of the source is translated otherwise than agreed."""
    found = []
    target = _fold(msgstr)
    prose = _PLACEHOLDER.sub("", _strip_code(msgid))  # names in code and placeholders stay
    for term, agreed in terms.items():
        if (
            re.search(rf"(?<!\w){re.escape(term)}(?!\w)", prose, re.IGNORECASE)
            and _fold(agreed) not in target
        ):
            found.append(
                Problem("warning", CheckCode.GLOSSARY, f"glossary: '{term}' should be '{agreed}'")
            )
    return found
