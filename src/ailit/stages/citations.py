"""Citations on a page: the in-text form of ``{cite}`` roles and the module's reference list."""

from __future__ import annotations

import html
from collections.abc import Iterable

from ailit.model.bibliography import CITE_ROLES, Reference, keys
from ailit.stages.math import walk


def cited(sources: Iterable[str], skip: tuple[str, ...] = ()) -> tuple[list[str], bool]:
    """The keys a text cites, first citation first, and whether it places its own list
    (the bodies of the directives in ``skip`` left out: a teacher guide has its own page)."""
    found: dict[str, None] = {}
    placed = False
    for source in sources:
        for token in walk(source, skip):
            if token.type == "myst_role" and token.meta.get("name") in CITE_ROLES:
                found.update(dict.fromkeys(keys(token.content)))
            elif token.type in ("fence", "colon_fence") and token.info.strip().startswith(
                "{bibliography}"
            ):
                placed = True
    return list(found), placed


def citation(name: str, content: str, references: dict[str, Reference]) -> str:
    """A citation as links to its entries; an unknown key shows as written."""
    found = [references[key] for key in keys(content) if key in references]
    if not found or len(found) < len(keys(content)):
        return f'<span class="ailit-role">{html.escape(content)}</span>'
    links = []
    for ref in found:
        words = f"{ref.authors} ({ref.year})" if CITE_ROLES[name] else f"{ref.authors}, {ref.year}"
        links.append(
            f'<a class="ailit-cite" href="#bib-{html.escape(ref.key)}">{html.escape(words)}</a>'
        )
    joined = "; ".join(links)
    return joined if CITE_ROLES[name] else f"({joined})"


def reference_list(cited_keys: list[str], references: dict[str, Reference]) -> str:
    """The entries a module cites, sorted as BibTeX's plain style sorts (author, year)."""
    chosen = [references[key] for key in cited_keys if key in references]
    chosen.sort(key=lambda r: (r.authors.lower(), r.year, r.key))
    items = "".join(f'<li id="bib-{html.escape(r.key)}">{r.entry}</li>' for r in chosen)
    return f'<ul class="ailit-references">{items}</ul>\n' if items else ""
