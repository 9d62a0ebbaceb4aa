"""How heavy and how fast a built site's pages are, measured the way readers' phones feel it.

python bench/lighthouse.py [SITE] [--runs N] [PAGE ...]

Serves SITE (default build/site) over loopback HTTP with Python's http.server (no
compression, as a school's Raspberry Pi or `python -m http.server` would) and runs
Lighthouse (mobile, simulated throttling) against Debian's chromium for each PAGE (default:
the catalogue and the first module page in English, Arabic and Chinese). Prints a markdown
table: bytes transferred, performance score, largest contentful paint, accessibility score
(the median of --runs runs, by performance). Lighthouse: `make lighthouse-deps` installs the
pinned version into build/.npm.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "build" / ".npm" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
MODULE = "ai-literacy/01-what-is-ai.html"
PAGES = [f"{lang}/{page}" for lang in ("en", "ar", "zh") for page in ("index.html", MODULE)]


class QuietHandler(SimpleHTTPRequestHandler):
    """http.server without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """The site served on a free loopback port, for as long as the block runs."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def measure(url: str) -> dict[str, float]:
    """One Lighthouse run (mobile, the default form factor) of one page."""
    flags = "--headless=new --disable-gpu" + (" --no-sandbox" if os.geteuid() == 0 else "")
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--only-categories=performance,accessibility",
        f"--chrome-flags={flags}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": CHROME}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        sys.exit(f"lighthouse failed on {url}: {done.stderr.strip()[-500:]}")
    report = json.loads(done.stdout)
    audits, categories = report["audits"], report["categories"]
    return {
        "bytes": audits["total-byte-weight"]["numericValue"],
        "perf": categories["performance"]["score"],
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "a11y": categories["accessibility"]["score"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "build" / "site"))
    parser.add_argument("pages", nargs="*", default=PAGES)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_intermixed_args()
    if not LIGHTHOUSE.exists():
        sys.exit("lighthouse is not installed: make lighthouse-deps")
    print("| page | KiB transferred | performance | LCP (s) | accessibility |")
    print("|---|---:|---:|---:|---:|")
    with served(Path(args.site)) as root:
        for page in args.pages:
            runs = sorted((measure(root + page) for _ in range(args.runs)), key=lambda r: r["perf"])
            run = runs[len(runs) // 2]
            print(
                f"| {page} | {run['bytes'] / 1024:.0f} | {run['perf']:.2f} | {run['lcp']:.1f} "
                f"| {run['a11y']:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
