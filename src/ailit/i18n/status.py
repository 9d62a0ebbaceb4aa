"""How far each locale is translated: strings and source words, per locale and module.

One progress figure is shown everywhere (``ailit status``, the preview banner, the
translation page, translation-status.json, the bundle manifest): :func:`progress` of a
locale's ``total``, the share of course words translated and not fuzzy, rounded down.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message

from ailit.core.cache import Cache
from ailit.core.keys import package_key
from ailit.i18n import catalog, checks
from ailit.i18n.catalog import _first, _has_text
from ailit.model.project import Language, Project


@dataclass
class Counts:
    """Translated / fuzzy / untranslated, in strings and in source words."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0
    refused: int = 0  # written, but an error in ailit check: never published, English shown
    refused_words: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated + self.refused

    @property
    def total_words(self) -> int:
        return (
            self.translated_words + self.fuzzy_words + self.untranslated_words + self.refused_words
        )

    @property
    def percent(self) -> int:
        """The progress figure of these entries (see :func:`progress`)."""
        return progress(self.translated_words, self.total_words)

    def add(self, message: Message, refused: bool = False) -> None:
        words = len(_first(message.id).split())
        if refused:
            self.refused += 1
            self.refused_words += words
        elif message.fuzzy and _has_text(message):
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


def progress(translated_words: int, total_words: int) -> int:
    """Whole percent of source words translated and not fuzzy, rounded down: a locale
    with one word left never shows 100 (nor reaches a threshold of 100)."""
    return 100 * translated_words // total_words if total_words else 100


def status(project: Project) -> dict[str, dict]:
    """Coverage per locale and per module (and site), for the table and --json."""
    pots = read_templates(project)
    return {lang.code: locale_status(project, lang, pots=pots) for lang in project.languages}


def read_templates(project: Project) -> dict[str, Catalog]:
    """The project's templates by domain: what there is to translate, read once for all
    the locales counted or checked together."""
    paths = {domain: project.pot_path(domain) for domain in project.domains()}
    return {domain: catalog.load(path) for domain, path in paths.items() if path.is_file()}


def locale_status(
    project: Project,
    language: Language,
    loaded: dict[str, Catalog] | None = None,
    pots: dict[str, Catalog] | None = None,
) -> dict:
    """One locale's coverage, kept in the cache under a hash of what it is counted from
    (its catalogues, the templates, the modules' files, ailit): checking every entry of a
    locale again on every build cost ~0.4 s per locale."""
    module_files = _module_files(project)
    digest = hashlib.sha256(f"{package_key()}\n{language}\n".encode())
    digest.update(json.dumps(module_files, sort_keys=True).encode())
    for domain in project.domains():
        for path in (project.pot_path(domain), project.po_path(language.code, domain)):
            digest.update(f"{path.name}\n".encode())
            digest.update(path.read_bytes() if path.is_file() else b"-")
    cache = Cache(project.cache_dir / "status" / language.code, ".json", newest_only=True)
    key = digest.hexdigest()
    kept = cache.read_json(key, lambda value: isinstance(value, dict) and "total" in value)
    if kept is not None:
        return kept
    status = _count_locale(project, language, module_files, loaded, pots)
    cache.write_json(key, status)
    return status


def _module_files(project: Project) -> dict[str, tuple[str, str]]:
    return {
        module.path.relative_to(project.root).as_posix(): (course.slug, module.slug)
        for course in project.courses
        for module in course.modules
    }


def _count_locale(
    project: Project,
    language: Language,
    module_files: dict[str, tuple[str, str]],
    loaded: dict[str, Catalog] | None = None,
    pots: dict[str, Catalog] | None = None,
) -> dict:
    """One locale's coverage; ``loaded`` catalogues and ``pots`` (templates, by domain) are
    used instead of re-reading.

    ``total`` (and so the progress figure) counts the courses' catalogues, not site.po:
    site.po holds the interface's words, which ``init-locale`` pre-fills from Material's
    own translations, so counting them would make a locale whose courses nobody has
    started look begun, and the banner says how much of the *course* a reader gets.
    site.po is still counted on its own, as the part "site".
    """
    total = Counts()
    parts: dict[str, Counts] = {}
    pots = read_templates(project) if pots is None else pots
    for domain in project.domains():
        path = project.po_path(language.code, domain)
        pot = pots.get(domain)
        if loaded and loaded.get(domain) is not None:
            po = loaded[domain]
        elif path.is_file():
            po = catalog.load(path, locale=language.code)
        elif pot is not None:
            po = pot
        else:
            continue
        # the template decides what there is to translate: an entry whose msgid is not in it
        # (edited by hand) is never published, so it is not counted
        for source in po if pot is None else pot:
            if not source.id:
                continue
            found = po.get(source.id, source.context)
            message = source if found is None else found
            name = domain if domain == "site" else f"{domain}/course.yml"
            for location, _line in source.locations:
                if location in module_files:
                    name = "/".join(module_files[location])
                    break
            refused = (  # written but refused: never published, so not progress
                found is not None
                and catalog.published(found) is not None
                and bool(checks.entry_errors(found, language.code))
            )
            parts.setdefault(name, Counts()).add(message, refused)
            if domain != "site":
                total.add(message, refused)
    return {
        "name": language.name,
        "review": language.review,
        "threshold": language.threshold,
        "total": _counts(total),
        "parts": {name: _counts(c) for name, c in sorted(parts.items())},
    }


def _counts(counts: Counts) -> dict:
    return {
        "translated": counts.translated,
        "fuzzy": counts.fuzzy,
        "untranslated": counts.untranslated,
        "translated_words": counts.translated_words,
        "fuzzy_words": counts.fuzzy_words,
        "untranslated_words": counts.untranslated_words,
        "refused": counts.refused,
        "refused_words": counts.refused_words,
        "percent": counts.percent,
    }
