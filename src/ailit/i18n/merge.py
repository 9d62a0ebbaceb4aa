"""The merge policy: bring a translation catalogue in line with its template, losing nothing.

Ours, not ``Catalog.update``: Babel drops nothing but reuses nothing either
(an obsolete entry never comes back) and may pour one old translation into several new
entries. Here every translation a translator wrote stays in the file: in use, fuzzy with
the msgid it was written for (``#|``), or obsolete (``#~``), and returns when its text does.
"""

from __future__ import annotations

import difflib

from babel.messages.catalog import Catalog, Message

from ailit.i18n.catalog import (
    HEADER,
    _first,
    _has_text,
    _key,
    drop_guessed_flags,
    obsolete_key,
    set_plural_forms,
)
from ailit.model.language import babel_locale

FUZZY_RATIO = 0.6  # difflib ratio above which a changed text keeps its old translation, fuzzy


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
    set_plural_forms(catalog, locale)
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
    if po.locale is not None:
        set_plural_forms(merged, str(po.locale))
    merged.creation_date = po.creation_date
    merged.revision_date = po.revision_date
    used: set[tuple[str, str | None]] = set()
    unmatched: list[Message] = []
    for source in pot:
        if not source.id:
            continue
        key = (_key(source.id), source.context)
        old = pool.get(key)
        message = _fresh(source, merged.num_plurals)
        if old is None and isinstance(source.id, (list, tuple)):
            # a count string that was one msgid: its translation (of the plural text) is
            # carried to every form, fuzzy, for the translator to inflect
            key = (str(source.id[1]), source.context)
            old = pool.get(key)
            if old is not None and not isinstance(old.string, (list, tuple)):
                message.string = (str(old.string),) * merged.num_plurals
                message.flags.add("fuzzy")
                message.previous_id = [str(old.id)]
                message.user_comments = list(old.user_comments)
                used.add(key)
                merged[_first(message.id)] = message
                continue
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
            merged.obsolete[obsolete_key(old)] = _as_obsolete(old)
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


def _fresh(source: Message, num_plurals: int = 2) -> Message:
    """A copy of a template entry with the template's comments, locations and flags."""
    message = Message(
        source.id,
        "" if not isinstance(source.id, (list, tuple)) else ("",) * num_plurals,
        locations=list(source.locations),
        flags={f for f in source.flags if f != "fuzzy"},
        auto_comments=list(source.auto_comments),
        context=source.context,
    )
    drop_guessed_flags(message)
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
