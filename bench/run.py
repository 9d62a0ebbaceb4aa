"""Benchmark ailit builds against mkdocs-static-i18n and Jupyter Book (issues 7 and 16).

    .venv/bin/python bench/run.py [--size small,default,mid,large] [--skip-i18n]
        [--skip-jupyterbook] [--skip-shipped] [--save JSON]
    .venv/bin/python bench/run.py --report JSON

Every ailit figure is one subprocess ``python -m ailit --project DIR build``, run in a
temporary copy of the project, with ailit's source copied aside first (so an edit in
src/ while the benchmark runs changes nothing). It prints markdown tables; ``--save``
keeps each project's figures so that sizes run one at a time print as one set of tables.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
import jupyterbook
import synth

REPO = Path(__file__).resolve().parent.parent
SIZES = {"tiny": (4, 3), "small": (15, 7), "default": (48, 7), "mid": (100, 12), "large": (200, 12)}
I18N = "mkdocs-static-i18n==1.3.1"


def tree_rss(pid: int) -> int:
    """Resident memory (KiB) of ``pid`` and all its descendants, read from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    family, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    total = 0
    for member in family:
        try:
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total * os.sysconf("SC_PAGE_SIZE") // 1024


def busy() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # minus idle, iowait


def timed(cmd: list[str], cwd: Path, env: dict[str, str], check: bool = True) -> dict:
    """Run ``cmd``; wall time, max RSS of its largest process (wait4), peak tree RSS (sampled)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start, machine_start = time.perf_counter(), busy()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        peak = [0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.25):
                peak[0] = max(peak[0], tree_rss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        cpu = usage.ru_utime + usage.ru_stime
        others = max(0.0, busy() - machine_start - cpu) / seconds  # cores busy with other work
        stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode and check:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{stdout[-2000:]}{stderr[-2000:]}")
    built = [line for line in stdout.splitlines() if ": built (" in line]
    executed = sum(int(line.split("(")[1].split()[0]) for line in built)
    rendered = sum(int(n) for n in re.findall(r"(\d+) module\(s\) rendered", "\n".join(built)))
    english = [line.split(", ")[-1].split(" passages")[0].split(" of ") for line in built]
    return {
        "s": seconds,
        "cpu": cpu,
        "others": others,
        "rss": usage.ru_maxrss,
        "tree": peak[0],
        "built": len(built),
        "executed": executed,
        "rendered": rendered,
        "english": f"{sum(int(a) for a, _ in english)} of {sum(int(b) for _, b in english)}",
        "out": stdout,
        "err": stderr,
        "error": (stdout + stderr).strip().splitlines()[-1] if proc.returncode else "",
    }


class Bench:
    def __init__(self, work: Path):
        self.work = work
        source = work / "src"
        shutil.copytree(
            REPO / "src" / "ailit", source / "ailit", ignore=shutil.ignore_patterns("__pycache__")
        )
        self.env = {**os.environ, "PYTHONPATH": str(source)}
        digest = hashlib.sha256()
        for path in sorted((source / "ailit").rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(source)).encode() + path.read_bytes())
        self.source = digest.hexdigest()[:12]

    def ailit(self, root: Path, *args: str, check: bool = True) -> dict:
        # cwd=root: mkdocs looks for mkdocs.yml in the working directory (see RESULTS.md)
        command = [sys.executable, "-m", "ailit", "--project", str(root), *args]
        return timed(command, root, self.env, check)

    def measure(self, root: Path, i18n: bool, book: bool = True) -> dict:
        """The ailit figures for one project, static-i18n and Jupyter Book on the same pages."""
        row: dict = {}
        shutil.rmtree(root / "build", ignore_errors=True)
        row["cold"] = self.ailit(root, "build", check=False)
        if row["cold"]["error"]:
            # seen at 100 x 12: a kernel stops answering after ~1,000 runs; the notebooks run
            # so far are cached, so build again and count both runs
            row["cold_error"] = row["cold"]["error"]
            print(f"cold build failed after {row['cold']['s']:.0f} s: {row['cold_error']}")
            retry = self.ailit(root, "build")
            for key in ("s", "cpu", "executed"):
                row["cold"][key] += retry[key]
            for key in ("rss", "tree"):
                row["cold"][key] = max(row["cold"][key], retry[key])
        for name in os.listdir(root / "build"):
            if name != ".cache":
                shutil.rmtree(root / "build" / name)
        for name in os.listdir(root / "build" / ".cache"):
            if name != "exec":
                shutil.rmtree(root / "build" / ".cache" / name)
        row["warm"] = self.ailit(root, "build")
        # 2b: the PDF handouts kept too, so the page pipeline alone is compared with static-i18n
        for name in os.listdir(root / "build"):
            if name != ".cache":
                shutil.rmtree(root / "build" / name)
        for name in os.listdir(root / "build" / ".cache"):
            if name not in ("exec", "handouts"):
                shutil.rmtree(root / "build" / ".cache" / name)
        row["warm_pdf"] = self.ailit(root, "build")
        shutil.rmtree(root / "build" / "site")
        shutil.rmtree(root / "build" / ".work" / "docs")
        row["warm_all"] = self.ailit(root, "build")  # other stage caches kept
        row["pages"] = count_pages(root)
        if i18n:
            row["i18n"] = static_i18n(root, self.work / "i18n", self.env)
            if row["i18n"]["error"]:
                row.pop("i18n")
        if book:
            row["jb"] = jupyterbook.measure(root, self.work / "jupyterbook", timed)
            if not row["jb"]:
                row.pop("jb")
        row["noop"] = self.ailit(root, "build")
        edit_po(root)
        row["po"] = self.ailit(root, "build")
        edit_module(root)
        start = time.perf_counter()
        self.ailit(root, "extract")
        self.ailit(root, "update")
        row["extract_update"] = time.perf_counter() - start
        row["para"] = self.ailit(root, "build", check=False)
        if row["para"]["error"]:
            # ailit update wraps long "#| msgid" lines, which its own reader rejects (RESULTS.md):
            # drop them (the entries stay fuzzy) and time the build that a repaired tree gets
            row["para_error"] = row["para"]["error"]
            for path in root.glob("locales/*/LC_MESSAGES/*.po"):
                lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
                path.write_text("".join(x for x in lines if not x.startswith("#|")), "utf-8")
            row["para"] = self.ailit(root, "build")
        return row


def count_pages(root: Path) -> dict:
    config = yaml.safe_load((root / "site_config" / "languages.yml").read_text())
    locales = 1 + len(config["languages"])
    modules = sum(
        len(yaml.safe_load(p.read_text())["modules"]) for p in root.glob("courses/*/course.yml")
    )
    files = sum(1 for _ in (root / "build" / "site").rglob("*.html"))
    return {
        "pdfs": sum(1 for _ in (root / "build" / "site").rglob("*.pdf")),
        "modules": modules,
        "locales": locales,
        "module_pages": modules * locales,
        "html": files,
    }


def edit_po(root: Path) -> None:
    """A translator's edit: one paragraph's msgstr in the first course's French catalogue."""
    course = sorted(root.glob("courses/*/course.yml"))[0].parent.name
    path = root / "locales" / "fr" / "LC_MESSAGES" / f"{course}.po"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    armed = False
    for index, line in enumerate(lines):
        armed = armed or (line.startswith("#.") and line.rstrip().endswith("paragraph"))
        if armed and line.startswith('msgstr "') and line.strip() != 'msgstr ""':
            lines[index] = line.rstrip()[:-1] + ' Modifié."\n'
            path.write_text("".join(lines), encoding="utf-8")
            return
    sys.exit(f"no translated paragraph in {path}")


def edit_module(root: Path) -> None:
    """An author's edit: one sentence added to the first prose paragraph of the first module."""
    course = sorted(root.glob("courses/*/course.yml"))[0]
    first = yaml.safe_load(course.read_text())["modules"][0]
    path = course.parent / f"{first}.md"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    fenced = False
    for index, line in enumerate(lines):
        fenced ^= line.startswith("```")
        if not fenced and line[:1].isupper() and len(line) > 60 and line.rstrip().endswith("."):
            lines[index] = line.rstrip() + " One sentence was added here.\n"
            path.write_text("".join(lines), encoding="utf-8")
            return
    sys.exit(f"no paragraph found in {path}")


def static_i18n(root: Path, target: Path, env: dict[str, str]) -> dict:
    """Lay ailit's markdown out for mkdocs-static-i18n (suffix structure) and time mkdocs build."""
    if importlib.util.find_spec("mkdocs_static_i18n") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", I18N], check=True)
    shutil.rmtree(target, ignore_errors=True)
    cache = root / "build" / ".work" / "docs"
    docs = target / "docs"
    codes = [
        "en",
        *yaml.safe_load((root / "site_config" / "languages.yml").read_text())["languages"],
    ]
    for code in codes:
        for path in sorted((cache / code).rglob("*")):
            rel = path.relative_to(cache / code)
            english = cache / "en" / rel
            if not path.is_file():
                continue
            if code != "en":
                same = english.is_file() and english.read_bytes() == path.read_bytes()
                if path.suffix != ".md" and same:
                    continue  # one shared copy of an asset, as a static-i18n author would keep
                rel = rel.with_name(f"{path.stem}.{code}{path.suffix}")
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, docs / rel)
    base = yaml.safe_load((root / "mkdocs.yml").read_text()) or {}
    theme = {**base.get("theme", {}), "name": "material", "font": False}
    material = Path(importlib.util.find_spec("material").origin).parent  # type: ignore[arg-type]
    has = {p.stem for p in (material / "templates" / "partials" / "languages").glob("*.html")}
    # static-i18n 1.3.1 leaks a language's theme override into the next language's build:
    # put the languages that need one (no Material strings) last
    codes.sort(key=lambda code: code not in has)
    languages = [
        {
            "locale": code,
            "name": code,
            "default": code == "en",
            "build": True,
            "nav": _nav(root, cache / code),
            # Material has no interface strings for some languages (sw): the usual fix
            **({} if code in has else {"theme": {"language": "en"}}),
        }
        for code in codes
    ]
    config = {
        "site_name": base.get("site_name", "ailit"),
        "docs_dir": str(docs),
        "site_dir": str(target / "site"),
        "use_directory_urls": False,
        "theme": theme,
        "plugins": [
            "search",
            "offline",
            {"i18n": {"docs_structure": "suffix", "languages": languages}},
        ],
        "markdown_extensions": [
            "attr_list",
            "admonition",
            "tables",
            {"pymdownx.highlight": {"anchor_linenums": False}},
            "pymdownx.superfences",
        ],
    }
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    text += "- toc:\n    permalink: false\n    slugify: !!python/object/apply:"
    text += "pymdownx.slugs.slugify {kwds: {case: lower}}\n"
    (target / "mkdocs.yml").write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml"]
    result = timed(command, target, env, check=False)
    if result["error"]:
        print(f"static-i18n failed: {result['error']}", flush=True)
    result["html"] = sum(1 for _ in (target / "site").rglob("*.html"))
    return result


def _nav(root: Path, docs: Path) -> list:
    """The same navigation ailit gives the locale: catalogue, each course and its modules."""
    nav: list = ["index.md"]
    for yml in sorted(root.glob("courses/*/course.yml")):
        slug = yml.parent.name
        title = yaml.safe_load((docs / slug / "index.md").read_text().split("---")[1])["title"]
        modules = yaml.safe_load(yml.read_text())["modules"]
        nav.append({title: [f"{slug}/index.md", *(f"{slug}/{m}.md" for m in modules)]})
    if (docs / "glossary.md").is_file():
        nav.append("glossary.md")
    return nav


def shipped(work: Path) -> Path:
    root = work / "shipped"
    root.mkdir()
    for name in ("courses", "locales", "site_config"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root)
    return root


def synthetic(bench: Bench, modules: int, locales: int) -> Path:
    root = bench.work / f"synth-{modules}x{locales}"
    root.mkdir()
    targets = synth.write_project(root, modules, locales)
    bench.ailit(root, "extract")
    bench.ailit(root, "update")
    for code in targets:
        for path in (root / "locales" / code / "LC_MESSAGES").glob("*.po"):
            synth.fill_catalogue(path, code)
    return root


def machine() -> str:
    info = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = next(line.split()[1] for line in meminfo if "MemTotal" in line)
    return (
        f"{os.cpu_count()} cores ({cpu}), {int(memory) / 2**20:.1f} GiB, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )


def report(rows: list[tuple[str, dict]]) -> None:
    mb = 1024
    print(
        "\n| project | modules x locales | module pages | cold, empty cache | "
        "cold, warm exec cache | cold, warm exec + handout caches | cold, other caches warm too "
        "| static-i18n | static-i18n / ailit (builds 2, 2b, 3) "
        "| Jupyter Book: cold, warm exec cache | Jupyter Book / ailit (cold; builds 2, 2b, 3) "
        "| no-op | one .po entry | one paragraph (extract+update) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in rows:
        p = r["pages"]
        i18n = f"{r['i18n']['s']:.1f} s" if "i18n" in r else "-"
        ratio = "-"
        if "i18n" in r:
            ratio = ", ".join(
                f"{r['i18n']['s'] / r[k]['s']:.2f}x" for k in ("warm", "warm_pdf", "warm_all")
            )
        book, book_ratio = "-", "-"
        if "jb" in r:
            cold, warm = r["jb"]["cold"]["s"], r["jb"]["warm"]["s"]
            book = f"{cold:.1f} s, {warm:.1f} s"
            book_ratio = f"{cold / r['cold']['s']:.2f}x; " + ", ".join(
                f"{warm / r[k]['s']:.2f}x" for k in ("warm", "warm_pdf", "warm_all")
            )
        mark = " *" if "para_error" in r else ""
        cold_mark = " +" if "cold_error" in r else ""
        print(
            f"| {name} | {p['modules']} x {p['locales']} | {p['module_pages']} "
            f"| {r['cold']['s']:.1f} s{cold_mark} | {r['warm']['s']:.1f} s "
            f"| {r['warm_pdf']['s']:.1f} s | {r['warm_all']['s']:.1f} s | {i18n} | {ratio} "
            f"| {book} | {book_ratio} "
            f"| {r['noop']['s']:.2f} s | {r['po']['s']:.1f} s | {r['para']['s']:.1f} s{mark} "
            f"({r['extract_update']:.1f} s) |"
        )
    for name, r in rows:
        if "cold_error" in r:
            print(f"\n+ {name}: the cold build failed: {r['cold_error']}; time of both runs")
        if "para_error" in r:
            print(f"\n* {name}: the build after extract+update failed: {r['para_error']}")
            print("  timed again after removing the '#|' lines (entries stay fuzzy)")
    print(
        "\n| project | per module page: cold / warm exec / + handouts / other caches warm / static-i18n | "
        "locales rebuilt: no-op, .po, paragraph | modules rendered: .po, paragraph "
        "| notebooks run: cold, warm, .po, paragraph | max RSS, "
        "largest process | peak RSS, whole tree | static-i18n max RSS | passages left in English |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in rows:
        n = r["pages"]["module_pages"]
        i18n = r.get("i18n", {})
        per = (
            f"{r['cold']['s'] / n * 1000:.0f} / {r['warm']['s'] / n * 1000:.0f} / "
            f"{r['warm_pdf']['s'] / n * 1000:.0f} / {r['warm_all']['s'] / n * 1000:.0f} / "
        ) + (f"{i18n['s'] / n * 1000:.0f} ms" if i18n else "- ms")
        runs = [r[k] for k in ("cold", "warm", "warm_pdf", "warm_all", "noop", "po", "para")]
        i18n_rss = f"{i18n['rss'] / mb:.0f} MB" if i18n else "-"
        print(
            f"| {name} | {per} | {r['noop']['built']}, {r['po']['built']}, "
            f"{r['para']['built']} of {r['pages']['locales']} "
            f"| {r['po']['rendered']}, {r['para']['rendered']} of {n} | {r['cold']['executed']}, "
            f"{r['warm']['executed']}, {r['po']['executed']}, {r['para']['executed']} "
            f"| {max(x['rss'] for x in runs) / mb:.0f} MB "
            f"| {max(x['tree'] for x in runs) / mb:.0f} MB | {i18n_rss} | {r['warm']['english']} |"
        )


def report_cpu(rows: list[tuple[str, dict]]) -> None:
    runs = ("cold", "warm", "warm_pdf", "warm_all", "i18n", "jb cold", "jb warm", "noop", "po")
    runs += ("para",)
    print("\nCPU seconds (user+sys of the whole process tree) and, in brackets, cores busy with")
    print("other work on the machine during the run (0 = the benchmark had the machine alone):\n")
    print("| project | " + " | ".join(runs) + " |\n|---|" + "---|" * len(runs))
    for name, r in rows:
        found = {**r, **{f"jb {k}": v for k, v in r.get("jb", {}).items()}}
        cells = [
            f"{found[k]['cpu']:.1f} ({found[k]['others']:.2f})" if k in found else "-" for k in runs
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")


def report_handouts(rows: list[tuple[str, dict]]) -> None:
    """What laying out the PDF handouts costs: build 2 minus build 2b, against static-i18n."""
    print("\n| project | PDFs laid out in build 2 | their CPU (build 2 - 2b) | per PDF "
          "| static-i18n CPU, whole build |\n|---|---|---|---|---|")  # fmt: skip
    for name, r in rows:
        pdfs = r["pages"]["pdfs"]
        cpu = r["warm"]["cpu"] - r["warm_pdf"]["cpu"]
        i18n = f"{r['i18n']['cpu']:.1f} s" if "i18n" in r else "-"
        per = f"{1000 * cpu / pdfs:.0f} ms" if pdfs else "-"
        print(f"| {name} | {pdfs} | {cpu:.1f} s | {per} | {i18n} |")


def report_anchors(rows: list[tuple[str, dict]]) -> None:
    """Issue 16's target: build 2 against static-i18n (1.5x from 336 pages, 1.0x below), and
    against Jupyter Book, the tool a notebook course would use instead."""
    print(
        "\n| project | module pages | ailit build 2 | static-i18n | static-i18n / build 2 "
        "| target | met? | Jupyter Book, warm exec cache | Jupyter Book / build 2 "
        "| ailit cold | Jupyter Book cold | Jupyter Book / ailit, cold |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in rows:
        pages, warm, cold = r["pages"]["module_pages"], r["warm"]["s"], r["cold"]["s"]
        target = 1.5 if pages >= 336 else 1.0
        i18n = ratio = met = "-"
        if "i18n" in r:
            i18n = f"{r['i18n']['s']:.1f} s"
            ratio = f"{r['i18n']['s'] / warm:.2f}x"
            met = "yes" if r["i18n"]["s"] / warm >= target else "**no**"
        book = book_ratio = book_cold = cold_ratio = "-"
        if "jb" in r:
            book = f"{r['jb']['warm']['s']:.1f} s"
            book_ratio = f"{r['jb']['warm']['s'] / warm:.2f}x"
            book_cold = f"{r['jb']['cold']['s']:.1f} s"
            cold_ratio = f"{r['jb']['cold']['s'] / cold:.2f}x"
        print(
            f"| {name} | {pages} | {warm:.1f} s | {i18n} | {ratio} | {target:.1f}x | {met} "
            f"| {book} | {book_ratio} | {cold:.1f} s | {book_cold} | {cold_ratio} |"
        )


def report_jupyterbook(rows: list[tuple[str, dict]]) -> None:
    """The Jupyter Book builds: what they made, from which translations, at what cost."""
    print(
        "\n| project | HTML files | catalogue entries filled from ailit's | gettext + sphinx-intl "
        "update | per module page: "
        "cold / warm exec | CPU: cold / warm exec | notebooks run: cold, warm "
        "| max RSS, largest process | peak RSS, whole tree | Sphinx warnings: cold, warm |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, r in rows:
        if "jb" not in r:
            continue
        jb, n = r["jb"], r["pages"]["module_pages"]
        cold, warm = jb["cold"], jb["warm"]
        print(
            f"| {name} | {jb['html']} | {jb['translated']['matched']} of "
            f"{jb['translated']['entries']} | {jb['prepare_s']:.1f} s | {cold['s'] / n * 1000:.0f} / "
            f"{warm['s'] / n * 1000:.0f} ms | {cold['cpu']:.1f} / {warm['cpu']:.1f} s "
            f"| {jb['executed']['cold']}, {jb['executed']['warm']} "
            f"| {max(cold['rss'], warm['rss']) / 1024:.0f} MB "
            f"| {max(cold['tree'], warm['tree']) / 1024:.0f} MB "
            f"| {jb['warnings']['cold']}, {jb['warnings']['warm']} |"
        )


def save(path: Path, rows: list[tuple[str, dict]]) -> None:
    """Add the rows (without the builds' output) to a JSON file, for --report to print later."""

    def bare(value: object) -> object:
        if isinstance(value, dict):
            return {k: bare(v) for k, v in value.items() if k not in ("out", "err")}
        return value

    kept = json.loads(path.read_text()) if path.is_file() else []
    names = {name for name, _ in rows}
    kept = [[name, row] for name, row in kept if name not in names]
    kept += [[name, bare(row)] for name, row in rows]
    path.write_text(json.dumps(kept, indent=1), encoding="utf-8")


def tables(rows: list[tuple[str, dict]]) -> None:
    report(rows)
    report_cpu(rows)
    report_handouts(rows)
    report_jupyterbook(rows)
    report_anchors(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--size",
        default="default",
        help="comma-separated: " + ", ".join(f"{k} ({m} x {n})" for k, (m, n) in SIZES.items()),
    )
    parser.add_argument("--skip-i18n", action="store_true", help="do not build with static-i18n")
    parser.add_argument(
        "--skip-jupyterbook", action="store_true", help="do not build with Jupyter Book"
    )
    parser.add_argument("--skip-shipped", action="store_true", help="only synthetic projects")
    parser.add_argument(
        "--save",
        metavar="JSON",
        type=Path,
        help="add each project's figures to this file (one size per run, tables printed later)",
    )
    parser.add_argument(
        "--report",
        metavar="JSON",
        type=Path,
        help="print the tables of the figures saved in this file, build nothing",
    )
    parser.add_argument(
        "--profile",
        metavar="LOCALE",
        default="fr",
        help="profile this locale's build of the last project ('' for none)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args()
    if args.report:
        tables([(name, row) for name, row in json.loads(args.report.read_text())])
        return
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {machine()}")
    work = Path(tempfile.mkdtemp(prefix="ailit-bench-"))
    bench = Bench(work)
    print(f"ailit source copied from {REPO / 'src'} (sha256 of the tree: {bench.source})")
    rows = []
    try:
        projects = [] if args.skip_shipped else [("shipped curriculum", lambda: shipped(work))]
        for size in filter(None, args.size.split(",")):
            modules, locales = SIZES[size]
            projects.append(
                (f"synthetic {size}", lambda m=modules, n=locales: synthetic(bench, m, n))
            )
        for name, make in projects:
            start = time.perf_counter()
            root = make()
            print(f"{name}: generated in {time.perf_counter() - start:.1f} s", flush=True)
            rows.append((name, bench.measure(root, not args.skip_i18n, not args.skip_jupyterbook)))
            report(rows[-1:])
            report_cpu(rows[-1:])
            if args.save:
                save(args.save, rows[-1:])
            last = root
        tables(rows)
        if args.profile:
            print(
                f"\ncProfile of one locale's build ({args.profile}, {last.name}, all caches warm):"
            )
            script = Path(__file__).parent / "profile_locale.py"
            sys.stdout.flush()
            subprocess.run(
                [sys.executable, str(script), str(last), args.profile],
                cwd=last,
                env=bench.env,
                check=True,
            )
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
