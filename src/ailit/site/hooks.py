"""mkdocs hooks ailit adds to every locale's build (mkdocs' ``hooks:`` setting).

Material's templates are compiled once and kept as Jinja bytecode: every locale of every
build would otherwise compile the same templates again. Jinja checks each template's
source checksum before using its bytecode, and the folder is named by the Jinja and
Python versions, so a changed template or upgrade can never run stale code.

The site is read offline, so the build leaves out what only a web server uses and writes
its search index in the fewest bytes: the work is done inside mkdocs' build, not after it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.plugins import event_priority

from ailit.site.csstrim import trim_stylesheets


def on_config(config: Any) -> Any:
    """Quiet jieba, which cuts Chinese into words for the search index: it logs loading
    its dictionary to stderr."""
    with contextlib.suppress(ImportError):
        import jieba

        jieba.setLogLevel(logging.WARNING)
    return config


#: the end of a table's cell, row or part right before the next tag
_TABLE_PART_END = re.compile(r"(</(?:td|th|tr|caption|thead|tbody|tfoot)>)(?=<)")


#: an image that does not say how it loads
_IMAGE = re.compile(r"<img\b(?![^>]*\sloading=)[^>]*?(?=\s*/?>)")


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """A line break between table cells, which a table's layout ignores: the search index
    takes a page's text without its tags, and would glue neighbouring cells into one word.
    Images after a page's first load as the reader scrolls near them: most lie below the
    first screen, and a phone on a slow network would fetch them before the text it reads."""
    html = _TABLE_PART_END.sub("\\1\n", html)
    first = _IMAGE.search(html)
    if first:
        head, tail = html[: first.end()], html[first.end() :]
        html = head + _IMAGE.sub(lambda tag: f'{tag[0]} loading="lazy"', tail)
    return html


#: Material's search dialog, unnamed, and the name its own options bar has in the page's language
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_NAME = re.compile(r'<nav class="md-search__options" aria-label="([^"]*)"')


def on_post_page(html: str, page: Any, config: Any) -> str:
    """The search dialog gets an accessible name (axe: aria-dialog-name), the localized
    "Search" Material already writes for the dialog's options."""
    name = _SEARCH_NAME.search(html)
    if name:
        named = _SEARCH_DIALOG.replace(">", f' aria-label="{name[1]}">')
        html = html.replace(_SEARCH_DIALOG, named, 1)
    return html


def on_env(env: Environment, config: Any, files: Any) -> Environment:
    folder = (config.extra.get("ailit") or {}).get("template_cache")
    if folder:
        env.bytecode_cache = FileSystemBytecodeCache(folder)
    return env


#: a 404 page (absolute links, shown only by a web server) and a map for crawlers
SERVER_ONLY = ("404.html", "sitemap.xml", "sitemap.xml.gz")


# after the search plugin writes its index (priority 0), before offline inlines it (-100)
@event_priority(-50)
def on_post_build(config: Any) -> None:
    """Leave out what only a web server uses and the theme's CSS no page uses; write the
    search index in the fewest bytes."""
    site = Path(config.site_dir)
    for useless in SERVER_ONLY:
        (site / useless).unlink(missing_ok=True)
    ailit = config.extra.get("ailit") or {}
    css_cache = ailit.get("css_cache")
    trim_stylesheets(
        site,
        sorted((site / "assets" / "stylesheets").glob("*.min.css")),
        Path(css_cache) if css_cache else None,
    )
    _compact_search_index(
        site / "search" / "search_index.json", ailit.get("search_lang"), ailit.get("search_words")
    )


def _compact_search_index(index: Path, lang: str | None, words: dict | None = None) -> None:
    """UTF-8, not \\u escapes: a third of the size in Arabic. Material's offline plugin
    then copies it into search_index.js, which pages opened from file:// load.
    ``lang``: the lunr language the worker loads (ailit's normaliser), if any;
    ``words``: the script (and locale) whose runs are cut into words here, if any."""
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        if lang:
            data["config"]["lang"] = [lang]
        if words:  # {"script": ISO 15924, "locale": code}: cut into words here
            from ailit.site.searchwords import cut_words

            for doc in data["docs"]:
                for field in ("title", "text"):
                    doc[field] = cut_words(doc.get(field) or "", words["script"], words["locale"])
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        index.write_text(text, encoding="utf-8")
