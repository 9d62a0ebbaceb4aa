"""mkdocs hooks ailit adds to every locale's build (mkdocs' ``hooks:`` setting).

Material's templates are compiled once and kept as Jinja bytecode: every locale of every
build would otherwise compile the same templates again. Jinja checks each template's
source checksum before using its bytecode, and the folder is named by the Jinja and
Python versions, so a changed template or upgrade can never run stale code.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache


def on_env(env: Environment, config: Any, files: Any) -> Environment:
    folder = (config.extra.get("ailit") or {}).get("template_cache")
    if folder:
        env.bytecode_cache = FileSystemBytecodeCache(folder)
    return env
