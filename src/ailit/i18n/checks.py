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

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale
from babel.messages.catalog import Message

from ailit.i18n.catalog import entry_flags
from ailit.i18n.codes import IGNORE_COMMENT, CheckCode, ignore_flag
from ailit.i18n.glossary import Glossary
from ailit.i18n.segment import markdown_parser
from ailit.model.roles import role
from ailit.model.targets import split_explicit

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
_JOINERS = frozenset("\u200c\u200d")  # ZWNJ, ZWJ: shape letters in joining scripts
_BIDI_MARKS = frozenset("\u200e\u200f\u061c")  # LRM, RLM, ALM: place neutrals in RTL text
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI; each closed by PDI U+2069
_PDI = "\u2069"
#: ISO 15924 codes of the scripts whose orthography uses ZWNJ/ZWJ (Unicode ch. 9-16,
#: 23.2): data about scripts, so a new locale is judged by the script CLDR gives it
JOINING_SCRIPTS = frozenset({
    "Arab", "Syrc", "Nkoo", "Mong", "Thaa", "Adlm", "Rohg",  # cursive joining
    "Deva", "Beng", "Guru", "Gujr", "Orya", "Taml", "Telu", "Knda", "Mlym", "Sinh",
    "Tibt", "Mymr", "Khmr", "Bali", "Java", "Sund", "Limb", "Lana", "Cakm", "Mtei",
    "Olck", "Tirh", "Newa", "Shrd", "Takr", "Sylo",  # Brahmic conjuncts and half forms
})  # fmt: skip
#: scripts written without spaces between words: ZERO WIDTH SPACE marks where a line may
#: break (Unicode ch. 16, 23.2)
UNSPACED_SCRIPTS = frozenset({"Thai", "Laoo", "Khmr", "Mymr", "Tibt", "Bali", "Java", "Lana"})
_ZWSP = "\u200b"
#: hints any language may use: where a long word may be hyphenated, where a line must not
#: break (SOFT HYPHEN, WORD JOINER); neither reorders nor hides text
_LINE_HINTS = frozenset("\u00ad\u2060")


@dataclass(frozen=True)
class Problem:
    """One finding: ``error`` blocks publication, ``warning`` is reported only."""

    severity: str
    code: CheckCode
    message: str


def check(
    msgid: str,
    msgstr: str,
    flags: frozenset[str] = frozenset(),
    markdown: bool = True,
    locale: str | None = None,
) -> list[Problem]:
    """All problems of ``msgstr`` as a translation of ``msgid`` into ``locale``."""
    problems = _errors(msgid, msgstr, flags, markdown, locale)
    if ignore_flag(CheckCode.NUMBERS) not in flags:
        problems += _numbers(msgid, msgstr)
    return [p for p in problems if ignore_flag(p.code) not in flags]


def errors(
    msgid: str,
    msgstr: str,
    flags: frozenset[str] = frozenset(),
    markdown: bool = True,
    locale: str | None = None,
) -> list[Problem]:
    """The problems that keep a translation from being published: exactly the errors
    ``ailit check`` reports, so every build refuses what check refuses (the checks that
    only warn, numbers, are not run: every build asks this of every entry)."""
    problems = _errors(msgid, msgstr, flags, markdown, locale)
    return [p for p in problems if p.severity == "error" and ignore_flag(p.code) not in flags]


def entry_forms(message: Message) -> list[tuple[str, str]]:
    """(msgid, text) of each form of a catalogue entry, empty ones too: a count string's
    first form translates the singular, the others msgid_plural, as msgfmt pairs them."""
    if not isinstance(message.id, (list, tuple)):
        return [(str(message.id), str(message.string or ""))]
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return [(str(message.id[min(i, 1)]), str(text or "")) for i, text in enumerate(strings)]


def entry_errors(message: Message, locale: str | None) -> list[Problem]:
    """The errors of every written form of an entry: what keeps it off every output (the
    build's gate and the progress figure ask this)."""
    flags, markdown = entry_flags(message), "md-text" in message.flags
    return [
        problem
        for msgid, text in entry_forms(message)
        if text
        for problem in errors(msgid, text, flags, markdown, locale)
    ]


def _errors(
    msgid: str, msgstr: str, flags: frozenset[str], markdown: bool, locale: str | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    problems += _newlines(msgid, msgstr)
    problems += _invisible(msgid, msgstr, locale)
    problems += _placeholders(msgid, msgstr, flags)
    problems += _printf(msgid, msgstr, flags)
    problems += _html(msgid, msgstr)
    if markdown:
        problems += _links(msgid, msgstr)
        problems += _structure(msgid, msgstr)
        problems += _code_spans(msgid, msgstr)
        problems += _emphasis(msgid, msgstr)
        problems += _kept_spans(msgid, msgstr)
        problems += _references(msgid, msgstr)
    else:  # plain text is shown as text, but a URL a browser would run is never published
        problems += _schemes(msgstr, [])
    return problems


#: characters that end a line somewhere (Python reads a lone CR as one, str.splitlines and
#: IPython more) or are controls: in a code comment they would start a line of code
_LINE_BREAKS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _newlines(msgid: str, msgstr: str) -> list[Problem]:
    found = []
    extra = set(_LINE_BREAKS.findall(msgstr)) - set(_LINE_BREAKS.findall(msgid))
    if extra:
        names = ", ".join(f"U+{ord(c):04X}" for c in sorted(extra))
        return [
            Problem(
                "error",
                CheckCode.NEWLINES,
                f"control or line-separator characters not in the source: {names}",
            )
        ]
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


def _invisible(msgid: str, msgstr: str, locale: str | None = None) -> list[Problem]:
    allowed = {c for c in msgid if unicodedata.category(c) in _INVISIBLE}
    allowed |= script_controls(locale)
    extra = {c for c in _emoji_free(msgstr) if unicodedata.category(c) in _INVISIBLE} - allowed
    found = []
    if extra:
        names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in sorted(extra))
        found.append(
            Problem(
                "error",
                CheckCode.INVISIBLE,
                f"invisible or bidi control characters not in the source: {names}"
                f"{_needs_script(extra, locale)} {_silence(CheckCode.INVISIBLE)}",
            )
        )
    elif not _isolates_closed(msgstr) and _isolates_closed(msgid):
        found.append(
            Problem(
                "error",
                CheckCode.INVISIBLE,
                "a directional isolate (U+2066-U+2068) is not closed by U+2069 in the same "
                f"text {_silence(CheckCode.INVISIBLE)}",
            )
        )
    return found


def _silence(code: CheckCode) -> str:
    return f"(if intended, add the translator comment '# {IGNORE_COMMENT} {code}')"


_EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf"
_EMOJI_ZWJ = re.compile(f"(?<=[{_EMOJI}\ufe0f])\u200d(?=[{_EMOJI}])")


def _emoji_free(text: str) -> str:
    """``text`` without the ZWJs of emoji sequences (👩‍💻), which any script may use."""
    return _EMOJI_ZWJ.sub("", text)


def _needs_script(extra: set[str], locale: str | None) -> str:
    """Why a legitimate-looking mark is refused here: the locale's script does not use it."""
    script = locale_script(locale) or "unknown"
    if extra & _JOINERS:
        return f" (joiners are for scripts that need them; {locale or '?'} is in script {script})"
    if extra & _BIDI_MARKS:
        return f" (bidi marks are for right-to-left locales; {locale or '?'} is left-to-right)"
    if _ZWSP in extra:
        return f" (word breaks are for scripts written without spaces; {locale or '?'} is in script {script})"
    return ""


def _isolates_closed(text: str) -> bool:
    depth = 0
    for char in text:
        if char in _ISOLATES:
            depth += 1
        elif char == _PDI:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


@functools.cache
def locale_script(locale: str | None) -> str | None:
    """The ISO 15924 script a locale is written in: its own subtag, else CLDR's likely one."""
    if not locale:
        return None
    try:
        language, territory, script, *_ = parse_locale(str(locale).replace("-", "_"))
    except ValueError:
        return None
    if script:
        return script
    likely = get_global("likely_subtags")
    for key in (f"{language}_{territory}" if territory else "", language):
        if key and key in likely:
            return parse_locale(likely[key])[2]
    return None


@functools.cache
def script_controls(locale: str | None) -> frozenset[str]:
    """Invisible characters a locale's script needs: joiners, word breaks where words are
    not spaced, bidi marks and isolates where it is written right to left (CLDR via
    Babel); line hints everywhere."""
    if not locale:
        return frozenset()
    allowed: set[str] = set(_LINE_HINTS)
    if locale_script(locale) in JOINING_SCRIPTS:
        allowed |= _JOINERS
    if locale_script(locale) in UNSPACED_SCRIPTS:
        allowed.add(_ZWSP)
    try:
        direction = Locale.parse(str(locale).replace("-", "_")).text_direction
    except (UnknownLocaleError, ValueError):
        direction = "ltr"
    if direction == "rtl":
        allowed |= _BIDI_MARKS | _ISOLATES | {_PDI}
    return frozenset(allowed)


def _difference(
    source: Counter[str], target: Counter[str], added: str, missing: str, shown: str
) -> str:
    """What a translation adds and drops of the source's items, for an error message."""
    extra = [shown.format(item) for item in sorted((target - source).elements())]
    lost = [shown.format(item) for item in sorted((source - target).elements())]
    return "; ".join(filter(None, [
        f"{missing} {', '.join(lost)}" if lost else "",
        f"{added} {', '.join(extra)}" if extra else "",
    ]))  # fmt: skip


def _placeholders(msgid: str, msgstr: str, flags: frozenset[str]) -> list[Problem]:
    msgid, msgstr = _without_math(msgid), _without_math(msgstr)  # x_{t} is TeX, not a field
    source = Counter(_PLACEHOLDER.findall(msgid))
    if not source and "python-brace-format" not in flags:
        return []
    target = Counter(_PLACEHOLDER.findall(msgstr))
    if source != target:
        detail = _difference(source, target, "unknown", "missing", "{}")
        return [
            Problem(
                "error", CheckCode.PLACEHOLDERS, f"placeholders differ from the source: {detail}"
            )
        ]
    return []


_PRINTF = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlLqjzt]*([%a-zA-Z])")


def _printf(msgid: str, msgstr: str, flags: frozenset[str]) -> list[Problem]:
    """``%d``-style placeholders on entries flagged c-format, as msgfmt checks them (not
    python-format: Babel adds that flag to any msgid with a ``%`` in it)."""
    if "c-format" not in flags:
        return []

    def specs(text: str) -> Counter[tuple[str, str]]:
        return Counter(m for m in _PRINTF.findall(text) if m[1] != "%")

    if specs(msgid) != specs(msgstr):
        return [Problem("error", CheckCode.PLACEHOLDERS, "%-placeholders differ from the source")]
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
    found += [("footnote", label) for label in _FOOTNOTE_MARK.findall(_strip_code(text))]
    return tuple(found)


#: A footnote mark ``[^label]``: a translation keeps each one, as it keeps link targets.
_FOOTNOTE_MARK = re.compile(r"\[\^([^\]\s]+)\]")


# lookaheads: every "](" and "<" starts a candidate, so a nested "]([x](javascript:…)"
# is not swallowed by the candidate before it
_RAW_TARGET = re.compile(r"\]\(\s*<?(?=([^)\s>]+))|<(?=([A-Za-z][\w+.-]*:[^>\s]*)>)")


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
                "link, image or footnote targets differ from the source (keep them exactly)",
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


@dataclass(frozen=True)
class _Inline:
    """What the inline parse of a fragment shows: code spans, emphasis, stray markers."""

    code: tuple[str, ...] = ()
    em: int = 0
    strong: int = 0
    stray: tuple[str, ...] = ()  # runs of * or _ left as literal text


_STRAY = re.compile(r"\*+|_+")


@functools.lru_cache(maxsize=65536)
def _inline(text: str) -> _Inline:
    if not any(c in text for c in "`*_"):
        return _Inline()
    code: list[str] = []
    stray: list[str] = []
    em = strong = 0
    for token in _PARSER.parseInline(text):
        for child in token.children or []:
            if child.type == "code_inline":
                code.append(child.content)
            elif child.type == "em_open":
                em += 1
            elif child.type == "strong_open":
                strong += 1
            elif child.type == "text":
                stray += _STRAY.findall(child.content)
    return _Inline(tuple(sorted(code)), em, strong, tuple(sorted(stray)))


_REFERENCE = re.compile(r"\{(ref|numref|doc)\}`([^`]*)`")


def _references(msgid: str, msgstr: str) -> list[Problem]:
    """A ``{ref}``, ``{numref}`` or ``{doc}`` keeps its target (its text may change)."""

    def targets(text: str) -> Counter[str]:
        return Counter(f"{{{m[1]}}} {split_explicit(m[2])[1]}" for m in _REFERENCE.finditer(text))

    source, target = targets(msgid), targets(msgstr)
    if source == target:
        return []
    detail = _difference(source, target, "not in the source:", "missing:", "{}")
    return [
        Problem(
            "error",
            CheckCode.REFERENCE,
            f"references must keep their targets ({detail}): translate only the text "
            "before <target>",
        )
    ]


def _code_spans(msgid: str, msgstr: str) -> list[Problem]:
    source, target = Counter(_inline(msgid).code), Counter(_inline(msgstr).code)
    if source == target:
        return []
    detail = _difference(source, target, "not in the source:", "missing:", "`{}`")
    return [
        Problem(
            "error",
            CheckCode.CODE_SPAN,
            f"code spans must stay as in the source ({detail}); if intended, add the "
            f"translator comment '# {IGNORE_COMMENT} {CheckCode.CODE_SPAN}'",
        )
    ]


@functools.lru_cache(maxsize=65536)
def kept_spans(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a translation keeps as written: its math spans (``$…$``) and its roles
    (``{name}`content```), a prose role (``roles.Role.prose``) by its name alone."""
    if "$" not in text and "{" not in text:
        return (), ()
    math: list[str] = []
    found: list[str] = []
    for token in _PARSER.parseInline(text):
        for child in token.children or []:
            if child.type == "math_inline":
                math.append(f"${child.content}$")
            elif child.type == "myst_role":
                name = child.meta.get("name", "")
                entry = role(name)
                found.append(
                    f"{{{name}}}" if entry and entry.prose else f"{{{name}}}`{child.content}`"
                )
    return tuple(sorted(math)), tuple(sorted(found))


def _without_math(text: str) -> str:
    for span in kept_spans(text)[0]:
        text = text.replace(span, " ")
    return text


def _kept_spans(msgid: str, msgstr: str) -> list[Problem]:
    """Math and roles are kept byte for byte: a changed formula, label or citation key
    would show another formula or break a reference."""
    problems = []
    source, target = kept_spans(msgid), kept_spans(msgstr)
    for code, what, before, after in (
        (CheckCode.MATH, "math", source[0], target[0]),
        (CheckCode.ROLE, "roles", source[1], target[1]),
    ):
        if Counter(before) != Counter(after):
            detail = _difference(
                Counter(before), Counter(after), "not in the source:", "missing:", "{}"
            )
            problems.append(Problem(
                "error", code, f"{what} must stay exactly as in the source ({detail})"
            ))  # fmt: skip
    return problems


def _emphasis(msgid: str, msgstr: str) -> list[Problem]:
    """A ``*`` or ``**`` left open shows asterisks on the page: an error. Emphasis dropped
    whole leaves a clean page (Chinese and Japanese set no italics): a warning. Added
    emphasis (an English gloss in italics) is the translator's choice."""
    source, target = _inline(msgid), _inline(msgstr)
    stray = sorted((Counter(target.stray) - Counter(source.stray)).elements())
    if not stray and target.em >= source.em and target.strong >= source.strong:
        return []
    detail = f"the source has {source.em} *emphasis* and {source.strong} **strong**, "
    detail += f"the translation {target.em} and {target.strong}"
    if stray:
        detail += f" and shows {' '.join(stray)} as text"
    what = "is unbalanced" if stray else "is missing"
    return [
        Problem(
            "error" if stray else "warning",
            CheckCode.MARKUP,
            f"emphasis or strong {what} ({detail}); if intended, add the translator "
            f"comment '# {IGNORE_COMMENT} {CheckCode.MARKUP}'",
        )
    ]


def _numbers(msgid: str, msgstr: str) -> list[Problem]:
    def numbers(text: str) -> Counter[str]:
        digits = "".join(str(unicodedata.digit(c, c)) if c.isdigit() else c for c in text)
        return Counter(n.replace(",", ".") for n in _NUMBER.findall(_strip_code(digits)))

    if numbers(msgid) != numbers(msgstr):
        return [
            Problem(
                "warning",
                CheckCode.NUMBERS,
                f"numbers differ from the source (if intended, add the translator comment '# {IGNORE_COMMENT} {CheckCode.NUMBERS}')",
            )
        ]
    return []


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower().replace("\u2019", "'")


_URL = re.compile(r"\b[A-Za-z][\w+.-]*://\S+|\bwww\.\S+")
_OPERAND = r"[\w.\[\]()'\"]+"
# operators a sentence does not use between words (not - or /: "data-driven", "and/or")
_EXPRESSION = re.compile(rf"{_OPERAND}(?:\s*(?:[+*%@<>=!]=?|\*\*|//)\s*{_OPERAND})+")


def prose(text: str, markdown: bool = True) -> str:
    """The words of a fragment a reader reads as language: no code, URLs, placeholders."""
    if markdown and text.strip():
        words = []
        for token in _PARSER.parseInline(text):
            words += [c.content for c in token.children or [] if c.type == "text"]
        text = " ".join(words)  # code spans, HTML, link and image targets are not text tokens
    text = _PLACEHOLDER.sub(" ", _strip_code(text))
    return _EXPRESSION.sub(" ", _URL.sub(" ", text))  # x[0]*weights[0] + bias is code


#: the Arabic definite article: "بطاقة نموذج" is "بطاقة النموذج" with it
_ARABIC_ARTICLE = re.compile(r"(?<!\w)\u0627\u0644(?=\w)")


def _article_free(text: str) -> str:
    """Text without the Arabic article, so an agreed term matches its definite form."""
    return _ARABIC_ARTICLE.sub("", text)


@functools.lru_cache(maxsize=4096)
def _agreed_term(agreed: str) -> re.Pattern[str]:
    """An agreed term as it may stand in a sentence: its words in order, each pair perhaps
    parted by one word ("kadi fupi ya modeli", "daftari hili la msimbo")."""
    words = _article_free(_fold(agreed)).split()
    return re.compile(r"\s+(?:\S+\s+)?".join(re.escape(word) for word in words))


def glossary(
    msgid: str, msgstr: str, terms: dict[str, str], markdown: bool = True
) -> list[Problem]:
    """Warn when a glossary term of the source is translated otherwise than agreed."""
    found = []
    target = _article_free(_fold(msgstr))
    source = prose(msgid, markdown)
    for term, agreed in terms.items():
        if re.search(
            rf"(?<!\w){re.escape(term)}(?!\w)", source, re.IGNORECASE
        ) and not _agreed_term(agreed).search(target):
            found.append(
                Problem("warning", CheckCode.GLOSSARY, f"glossary: '{term}' should be '{agreed}'")
            )
    return found


@dataclass(frozen=True)
class GlossaryProblem:
    """A problem of a locale's glossary: the entry it is about, and the line (None: a lack)."""

    english: str
    line: int | None
    problem: Problem


def glossary_terms(
    source: Glossary, local: Glossary, where: str, locale: str
) -> list[GlossaryProblem]:
    """A locale's glossary against the source one (named ``where``): every term there, with
    its definition, and each term and definition checked as any translation is."""
    found = []

    def report(english: str, line: int | None, message: str) -> None:
        found.append(
            GlossaryProblem(english, line, Problem("warning", CheckCode.GLOSSARY_TERMS, message))
        )

    agreed = {key: entry.term for key, entry in local.entries.items()}
    for key, origin in source.entries.items():
        entry = local.entries.get(key)
        if entry is None:
            report(origin.english, None, f"lacks the term '{origin.english}' of {where}:{origin.line}: "
                   "add it with the agreed term and its definition")  # fmt: skip
            continue
        if origin.definition and not entry.definition:
            report(origin.english, entry.line, f"'{origin.english}' has no definition: "
                   "the glossary page shows the English one")  # fmt: skip
        problems = errors(origin.english, entry.term, markdown=False, locale=locale)
        if origin.definition and entry.definition:
            problems += check(origin.definition, entry.definition, locale=locale)
            problems += glossary(origin.definition, entry.definition, agreed)
        found += [GlossaryProblem(origin.english, entry.line, p) for p in problems]
    for key, entry in local.entries.items():
        if key not in source.entries:
            report(entry.english, entry.line, f"'{entry.english}' is not a term of {where} "
                   "(misspelt?): the page lists it without the source's definition")  # fmt: skip
    return found
