"""Profile one locale's build in this process (cProfile) and print where its time goes.

python bench/profile_locale.py PROJECT LOCALE    (run by bench/run.py, caches warm)
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import tempfile
from collections import Counter
from pathlib import Path

#: Functions outside ailit worth a line: mkdocs' build, templates, conversions, PDFs, imports.
NOTABLE = {
    "build",
    "_build_page",
    "_populate_page",
    "get_template",
    "render",
    "write_pdf",
    "from_notebook_node",
    "convert",
    "writes",
    "_find_and_load",
    "on_post_build",
}


def where(filename: str) -> str:
    """A function's package: ailit, a site-packages distribution, or the standard library."""
    parts = Path(filename).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    if "ailit" in parts:
        return "ailit." + Path(filename).stem
    if filename == "~":
        return "builtins (C)"
    return "stdlib" if filename.startswith("/") else filename


def main() -> None:
    root, code = sys.argv[1], sys.argv[2]
    os.chdir(root)  # mkdocs reads mkdocs.yml from the working directory
    from ailit.site.build import build_locale

    with tempfile.TemporaryDirectory() as site:
        profile = cProfile.Profile()
        profile.enable()
        result = build_locale(root, code, site, 60)
        profile.disable()
    if result.error:
        sys.exit(result.error)
    stats = pstats.Stats(profile)
    total = max(ct for _cc, _nc, _tt, ct, _callers in stats.stats.values())  # type: ignore[attr-defined]
    print(f"total {total:.2f} s (under cProfile, which slows pure-Python code)\n")
    print("| cumulative | share | function |\n|---|---|---|")
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][3])  # type: ignore[attr-defined]
    shown = 0
    for (filename, line, name), (_cc, _nc, _tt, ct, _callers) in rows:
        if "ailit" in filename or name in (
            "build",
            "_build_page",
            "_populate_page",
            "on_post_build",
        ):
            print(f"| {ct:.2f} s | {100 * ct / total:.0f}% | {where(filename)}:{line} {name} |")
            shown += 1
        if shown == 22:
            break
    own: Counter[str] = Counter()
    for (filename, _line, _name), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        own[where(filename)] += tt
    print("\n| own time | share | package |\n|---|---|---|")
    for package, seconds in own.most_common(15):
        print(f"| {seconds:.2f} s | {100 * seconds / total:.0f}% | {package} |")


if __name__ == "__main__":
    main()
