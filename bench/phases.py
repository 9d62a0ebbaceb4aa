"""Where one locale's build spends its time, in wall seconds per phase (no profiler).

python bench/phases.py PROJECT LOCALE [--keep-pages]

cProfile inflates call-heavy Python code several times over, so its shares mislead; this
wraps the build's phases with a clock instead. By default the page cache is emptied first
(execution and handout caches kept: "build 2b" of bench/run.py), so every module is rendered.
The project must have been built once (the execution cache warm).
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

SECONDS: Counter[str] = Counter()


def clocked(owner: Any, name: str) -> None:
    """Replace ``owner.name`` with a wrapper that adds its wall time to SECONDS[name]."""
    function: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SECONDS[name] += time.perf_counter() - start

    setattr(owner, name, wrapper)


def main() -> None:
    root, code = str(Path(sys.argv[1]).resolve()), sys.argv[2]
    os.chdir(root)  # mkdocs reads mkdocs.yml from the working directory
    if "--keep-pages" not in sys.argv:
        shutil.rmtree(Path(root) / "build" / ".cache" / "pages", ignore_errors=True)
    from ailit.site import build as site
    from ailit.stages import pages

    for name in ("load_locale_text", "_module_key", "localize", "execute", "render_page",
                 "_write_handouts", "_teacher_page", "_summary", "_write"):  # fmt: skip
        clocked(pages, name)
    for name in ("_run_mkdocs", "_theme_dir", "_mkdocs_config"):
        clocked(site, name)
    start = time.perf_counter()
    modules = sum(len(c.modules) for c in site._project(root).courses)  # once per worker
    print(f"load {modules} modules (once per worker): {time.perf_counter() - start:.2f} s")
    with tempfile.TemporaryDirectory() as target:
        start = time.perf_counter()
        result = site.build_locale(root, code, target, 60)
        total = time.perf_counter() - start
    if result.error:
        sys.exit(result.error)
    print(f"{code}: {total:.2f} s, {result.rendered} module(s) rendered\n")
    print("| phase | seconds | share |\n|---|---|---|")
    for name, seconds in SECONDS.most_common():
        print(f"| {name} | {seconds:.2f} | {100 * seconds / total:.0f}% |")
    rest = total - sum(SECONDS.values())
    print(f"| rest (copies into docs, status, clean-up) | {rest:.2f} | {100 * rest / total:.0f}% |")


if __name__ == "__main__":
    main()
