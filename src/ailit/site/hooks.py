"""mkdocs hooks ailit adds to every locale's build (mkdocs' ``hooks:`` setting).

Material's templates are compiled once and kept as Jinja bytecode: every locale of every
build would otherwise compile the same templates again. Jinja checks each template's
source checksum before using its bytecode, and the folder is named by the Jinja and
Python versions, so a changed template or upgrade can never run stale code.

The site is read offline, so the build leaves out what only a web server uses and writes
its search index in the fewest bytes: the work is done inside mkdocs' build, not after it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.plugins import event_priority


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
    """Leave out what only a web server uses; write the search index in the fewest bytes."""
    site = Path(config.site_dir)
    for useless in SERVER_ONLY:
        (site / useless).unlink(missing_ok=True)
    _compact_search_index(site / "search" / "search_index.json")


def _compact_search_index(index: Path) -> None:
    """UTF-8, not \\u escapes: a third of the size in Arabic. Material's offline plugin
    then copies it into search_index.js, which pages opened from file:// load."""
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        index.write_text(text, encoding="utf-8")
