"""Math renderer measurement (issue 14): every formula of MyST lectures through ailit's
renderer (latex2mathml, stages/math.py), and optionally KaTeX run at build time.

    .venv/bin/python bench/math_renderers.py LECTURES_DIR [KATEX_MIN_JS]

LECTURES_DIR holds MyST .md files (e.g. QuantEcon's lectures/); KATEX_MIN_JS is
katex.min.js from npm (needs ``pip install quickjs``; not an ailit dependency).
Prints formulas, failures (TeX the renderer refuses) and milliseconds per formula.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from ailit.stages.math import mathml, walk


def formulas(folder: Path) -> list[tuple[str, bool]]:
    found = []
    for path in sorted(folder.glob("*.md")):
        for token in walk(path.read_text(encoding="utf-8")):
            if token.type in ("math_inline", "math_block", "math_block_label", "amsmath"):
                found.append((token.content, token.type != "math_inline"))
            elif token.type == "myst_role" and token.meta.get("name") == "math":
                found.append((token.content, False))
    return found


def measure(
    name: str, render: Callable[[str, bool], object], found: list[tuple[str, bool]]
) -> None:
    failures = 0
    start = time.perf_counter()
    for tex, display in found:
        try:
            failures += render(tex, display) is None
        except Exception:
            failures += 1
    per = (time.perf_counter() - start) * 1000 / max(len(found), 1)
    print(f"| {name} | {len(found)} | {failures} | {per:.3f} |")


def main() -> None:
    found = formulas(Path(sys.argv[1]))
    print("| renderer | formulas | failures | ms per formula |\n| --- | --- | --- | --- |")
    mathml.cache_clear()
    measure("latex2mathml (ailit)", mathml, found)
    if len(sys.argv) > 2:
        import quickjs  # type: ignore[import-not-found]

        context = quickjs.Context()
        context.eval(Path(sys.argv[2]).read_text(encoding="utf-8"))
        context.eval(
            "function r(t, d) { return katex.renderToString(t, {output: 'mathml',"
            " displayMode: d, throwOnError: true}); }"
        )
        measure("KaTeX in QuickJS", context.get("r"), found)


if __name__ == "__main__":
    main()
