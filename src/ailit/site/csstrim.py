"""Leave out the theme's CSS that no page of a locale can use.

Material ships one stylesheet for all its features (137 KB); a course uses a fraction of it,
and a stylesheet holds up a page's first paint until it has arrived, which on a slow phone
network is most of the wait. A selector is kept unless a class or attribute value it needs
appears nowhere: not in the locale's pages, nor in the site's scripts (which make elements
of their own at run time, so every word of a script counts as used). Selectors inside
``:not()``, ``:is()`` and the like are kept, as are at-rules other than conditional groups.
Custom properties that no kept declaration reads are left out with them: the icons of
admonitions, of palettes and of features the course does not use.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import tinycss2
from tinycss2 import ast

from ailit.core.cache import Cache
from ailit.core.keys import package_key

#: a word as scripts and attribute values spell classes, ids and values
_WORD = re.compile(r"[A-Za-z_][\w-]*")
_ATTRIBUTE = re.compile(r"""[\w:-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CUSTOM = re.compile(r"--[\w-]+")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S)
#: classes Material's bundle makes by adding a word to these (a repository's facts, tags)
_MADE = ("md-source__fact--", "md-tag--")
#: conditional group rules, whose rules are trimmed like the top level's
_GROUPS = {"media", "supports", "container", "layer"}


def trim_stylesheets(site: Path, stylesheets: list[Path], cache: Path | None = None) -> None:
    """Trim each stylesheet in place to what the pages, scripts and other stylesheets under
    ``site`` use. With a ``cache`` folder, the trimmed sheets are kept there under a hash of
    the words used and every stylesheet (parsing and writing the CSS is most of the work)."""
    words: set[str] = set()
    for page in site.rglob("*.html"):
        words.update(_page_words(page.read_text(encoding="utf-8")))
    for script in site.rglob("*.js"):
        if script.parent.name != "lunr" and "search_index" not in script.name:
            text = script.read_text(encoding="utf-8")
            words.update(_WORD.findall(text), _CUSTOM.findall(text))
    other_sheets = sorted(sheet for sheet in site.rglob("*.css") if sheet not in stylesheets)
    digest = hashlib.sha256(package_key().encode())  # ailit's source, tinycss2's version
    digest.update("\n".join(sorted(words)).encode())
    for sheet in [*stylesheets, *other_sheets]:
        digest.update(sheet.name.encode() + b"\0" + sheet.read_bytes())
    kept = Cache(cache, ".json", newest_only=True) if cache else None
    texts = kept.read_json(digest.hexdigest(), _texts_of(stylesheets)) if kept else None
    if texts is None:
        others = [_parse(sheet) for sheet in other_sheets]
        trimmed = [_live_rules(_parse(sheet), words) for sheet in stylesheets]
        read = _read_properties([rule for rules in trimmed + others for rule in rules], words)
        texts = ["".join(_serialize(rule, read) for rule in rules) for rules in trimmed]
        if kept:
            kept.write_json(digest.hexdigest(), texts)
    for sheet, text in zip(stylesheets, texts, strict=True):
        sheet.write_text(text, encoding="utf-8")
        Path(f"{sheet}.map").unlink(missing_ok=True)  # maps the untrimmed file


def _texts_of(stylesheets: list[Path]) -> Callable[[object], bool]:
    """A kept entry is one text per stylesheet."""
    return lambda value: (
        isinstance(value, list)
        and len(value) == len(stylesheets)
        and all(isinstance(text, str) for text in value)
    )


def _parse(sheet: Path) -> list:
    return tinycss2.parse_stylesheet(sheet.read_text(encoding="utf-8"), skip_comments=True)


def _page_words(html: str) -> set[str]:
    """Every word of every attribute value (classes, ids, data-*) and custom property."""
    words = set(_CUSTOM.findall(html))
    for script in _SCRIPT.findall(html):
        words.update(_WORD.findall(script))
    for double, single in _ATTRIBUTE.findall(html):
        words.update(_WORD.findall(double or single))
    return words


def _live_rules(rules: list, used: set[str]) -> list:
    """The rules with at least one selector that can match, each cut to those selectors."""
    live: list = []
    for rule in rules:
        if isinstance(rule, ast.QualifiedRule):
            selectors = [s for s in _split(rule.prelude) if _can_match(s, used)]
            if selectors:
                prelude = _join(selectors)
                live.append(ast.QualifiedRule(0, 0, prelude, rule.content))
        elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword in _GROUPS and rule.content:
            inner = _live_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True), used)
            if inner:
                content = tinycss2.parse_component_value_list("".join(r.serialize() for r in inner))
                live.append(
                    ast.AtRule(0, 0, rule.at_keyword, rule.lower_at_keyword, rule.prelude, content)
                )
        elif isinstance(rule, ast.AtRule):
            live.append(rule)
    return live


def _split(prelude: list) -> list[list]:
    """A selector list's selectors, split at its top-level commas."""
    selectors: list[list] = [[]]
    for token in prelude:
        if isinstance(token, ast.LiteralToken) and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return [s for s in selectors if any(not isinstance(t, ast.WhitespaceToken) for t in s)]


def _join(selectors: list[list]) -> list:
    joined: list = []
    for selector in selectors:
        if joined:
            joined.append(ast.LiteralToken(0, 0, ","))
        joined.extend(selector)
    return joined


def _can_match(selector: list, used: set[str]) -> bool:
    """False if the selector needs a class or an exact attribute value no page or script has."""
    for before, token in zip([None, *selector], selector, strict=False):
        needs_class = isinstance(before, ast.LiteralToken) and before.value == "."
        if needs_class and isinstance(token, ast.IdentToken) and not _used(token.value, used):
            return False
        if isinstance(token, ast.SquareBracketsBlock):
            value = _exact_value(token.content)
            if value is not None and not set(_WORD.findall(value)) <= used:
                return False
    return True


def _used(name: str, used: set[str]) -> bool:
    return name in used or name.startswith(_MADE)


def _exact_value(content: list) -> str | None:
    """The value of ``[name=value]``; None for other attribute tests (prefix, presence)."""
    parts = [t for t in content if not isinstance(t, ast.WhitespaceToken)]
    if len(parts) in (3, 4) and isinstance(parts[1], ast.LiteralToken) and parts[1].value == "=":
        value = parts[2]
        if isinstance(value, ast.IdentToken | ast.StringToken):
            return str(value.value)
    return None


def _blocks(rule: ast.QualifiedRule) -> list:
    return tinycss2.parse_blocks_contents(rule.content, skip_comments=True)


def _declarations(rule: ast.QualifiedRule) -> list:
    return [d for d in _blocks(rule) if isinstance(d, ast.Declaration)]


def _all_qualified(rules: list) -> Iterable[ast.QualifiedRule]:
    for rule in rules:
        if isinstance(rule, ast.QualifiedRule):
            yield rule
        elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword in _GROUPS and rule.content:
            yield from _all_qualified(tinycss2.parse_rule_list(rule.content, skip_comments=True))


def _read_properties(rules: list, used: set[str]) -> set[str]:
    """Custom properties something reads: kept declarations and at-rules (keyframes), pages
    and scripts, and the custom properties those read in turn."""
    reads: dict[str, set[str]] = {}
    read = {word for word in used if word.startswith("--")}
    for rule in _all_qualified(rules):
        for declaration in _declarations(rule):
            names = set(_VAR.findall(tinycss2.serialize(declaration.value)))
            if declaration.name.startswith("--"):
                reads.setdefault(declaration.name, set()).update(names)
            else:
                read |= names
    for rule in rules:
        if isinstance(rule, ast.AtRule) and rule.lower_at_keyword not in _GROUPS:
            read |= set(_VAR.findall(rule.serialize()))
    pending = list(read)
    while pending:
        for name in reads.get(pending.pop(), ()):
            if name not in read:
                read.add(name)
                pending.append(name)
    return read


def _serialize(rule: ast.Node, read: set[str]) -> str:
    """The rule as text, without the custom properties nothing reads."""
    if isinstance(rule, ast.QualifiedRule):
        if any(isinstance(n, ast.QualifiedRule | ast.AtRule) for n in _blocks(rule)):
            return rule.serialize()  # nested rules: kept whole
        declarations = [
            d for d in _declarations(rule) if not d.name.startswith("--") or d.name in read
        ]
        if not declarations and any(
            isinstance(d, ast.Declaration) and d.name.startswith("--") for d in _blocks(rule)
        ):
            return ""
        body = ";".join(d.serialize() for d in declarations)
        return f"{tinycss2.serialize(rule.prelude).strip()}{{{body}}}"
    if isinstance(rule, ast.AtRule) and rule.lower_at_keyword in _GROUPS and rule.content:
        inner = tinycss2.parse_rule_list(rule.content, skip_comments=True)
        body = "".join(_serialize(r, read) for r in inner)
        if not body:
            return ""
        return f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{body}}}"
    return rule.serialize()
