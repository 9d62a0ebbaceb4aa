"""What one PDF handout costs to lay out with Typst, per locale.

python bench/handouts.py PROJECT LOCALE [LOCALE...] [--runs N]

Collects the HTML of each locale's handouts and teacher guides as a build makes them
(page cache emptied, no PDF written), then lays each out with the process's one Typst
compiler, after one warm-up compile per locale, timing the walk into data and the layout
in CPU seconds of this process. A build lays each document out once, so N (--runs) is 1
by default: a second run of the same document mostly hits Typst's memo cache. Prints the median CPU per PDF for each
locale (target: at most 15 ms in fr, ar and zh). The project must have been built once
(the execution cache warm).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def collect(root: str, code: str) -> list[str]:
    """The handout HTML documents a build of ``code`` lays out, in order."""
    shutil.rmtree(Path(root) / "build" / ".cache" / "pages", ignore_errors=True)
    from ailit.site import build as site
    from ailit.stages import handout

    documents: list[str] = []
    original = handout.write_pdf

    def keep(document: str, target: Path, cache: Path) -> bool:
        documents.append(document)
        return False

    handout.write_pdf = keep  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as target:
            result = site.build_locale(root, code, target, 60)
    finally:
        handout.write_pdf = original  # type: ignore[assignment]
    if result.error:
        sys.exit(result.error)
    shutil.rmtree(Path(root) / "build" / ".cache" / "pages", ignore_errors=True)  # no PDFs
    return documents


def main() -> None:
    args = sys.argv[1:]
    runs = 1
    if "--runs" in args:
        at = args.index("--runs")
        runs = int(args[at + 1])
        del args[at : at + 2]
    root, codes = str(Path(args[0]).resolve()), args[1:]
    os.chdir(root)
    from ailit.stages.typst_pdf import compile_pdf, fonts_for
    from ailit.stages.typst_sheet import sheet_data

    images = Path(tempfile.mkdtemp(prefix="ailit-handouts-"))

    def store(data: bytes, extension: str) -> str:
        name = f"{hashlib.sha256(data).hexdigest()}.{extension}"
        (images / name).write_bytes(data)
        return f"/{name}"

    for code in codes:
        documents = collect(root, code)
        fonts = fonts_for(code)
        start = time.process_time()
        compile_pdf(sheet_data(documents[0], store, fonts), images)  # fonts loaded once
        first = time.process_time() - start
        times, sizes = [], []
        for document in documents:
            for _ in range(runs):
                start = time.process_time()
                pdf = compile_pdf(sheet_data(document, store, fonts), images)
                times.append(time.process_time() - start)
            sizes.append(len(pdf))
        print(
            f"{code}: {len(documents)} PDFs x {runs} runs: median {1000 * statistics.median(times):.1f} ms "
            f"CPU per PDF (max {1000 * max(times):.1f}; first of the locale {1000 * first:.0f}), "
            f"median size {statistics.median(sizes) / 1024:.0f} KiB"
        )
    shutil.rmtree(images)


if __name__ == "__main__":
    main()
