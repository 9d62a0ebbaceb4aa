"""What one PDF handout costs to lay out, and whether one document per locale would be cheaper.

python bench/handouts.py PROJECT LOCALE [LIMIT]

Collects the HTML of the locale's handouts as a build makes them (page cache emptied, no
PDF written), then lays each out with WeasyPrint, timing layout (parse, cascade, boxes)
apart from writing (fonts subset, streams compressed), in CPU seconds of this process.
Then the same documents as one batch: one document with a page break between handouts,
split into one PDF per handout (``Document.copy``), the alternative weighed in
bench/RESULTS.md. The project must have been built once (the execution cache warm).
"""

from __future__ import annotations

import os
import re
import shutil
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

    def keep(document: str, target: Path, cache: Path) -> bool:
        documents.append(document)
        return False

    handout.write_pdf = keep  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as target:
        result = site.build_locale(root, code, target, 60)
    if result.error:
        sys.exit(result.error)
    shutil.rmtree(Path(root) / "build" / ".cache" / "pages", ignore_errors=True)  # no PDFs
    return documents


def main() -> None:
    root, code = str(Path(sys.argv[1]).resolve()), sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    os.chdir(root)
    documents = collect(root, code)[: limit or None]
    import weasyprint

    from ailit.stages.handout import _font_config

    fonts = _font_config()
    out = Path(tempfile.mkdtemp(prefix="ailit-handouts-"))
    weasyprint.HTML(string=documents[0]).write_pdf(out / "warm.pdf", font_config=fonts)
    layout = write = 0.0
    for index, document in enumerate(documents):
        start = time.process_time()
        laid_out = weasyprint.HTML(string=document).render(font_config=fonts)
        middle = time.process_time()
        laid_out.write_pdf(out / f"{index}.pdf")
        layout, write = layout + middle - start, write + time.process_time() - middle
    n = len(documents)
    print(f"{code}: {n} handouts, one document each: layout {1000 * layout / n:.1f} ms + "
          f"write {1000 * write / n:.1f} ms = {1000 * (layout + write) / n:.1f} ms CPU per PDF")  # fmt: skip
    head = documents[0].split("<body>")[0].replace("</style>", "article{break-before:page}</style>")
    bodies = [re.split(r"</?body>", d)[1] for d in documents]
    batch = (
        head + "<body>" + "".join(f'<article id="h{i}">{b}</article>' for i, b in enumerate(bodies))
    )
    start = time.process_time()
    laid_out = weasyprint.HTML(string=batch + "</body></html>").render(font_config=fonts)
    middle = time.process_time()
    first = {}
    for number, page in enumerate(laid_out.pages):
        for anchor in page.anchors:
            if re.fullmatch(r"h\d+", anchor):
                first.setdefault(int(anchor[1:]), number)
    bounds = [first[i] for i in range(n)] + [len(laid_out.pages)]
    for i in range(n):
        laid_out.copy(laid_out.pages[bounds[i] : bounds[i + 1]]).write_pdf(out / f"b{i}.pdf")
    end = time.process_time()
    print(f"{code}: one document for all, split: layout {1000 * (middle - start) / n:.1f} ms + "
          f"write {1000 * (end - middle) / n:.1f} ms = {1000 * (end - start) / n:.1f} ms CPU per PDF")  # fmt: skip
    shutil.rmtree(out)


if __name__ == "__main__":
    main()
