"""The anchor a notebook course would otherwise use: Jupyter Book 1 with sphinx-intl (issue 16).

The same English modules become one Jupyter Book (Sphinx, MyST-NB with its jupyter-cache
execution cache); ``sphinx-build -b gettext`` and ``sphinx-intl update`` make its catalogues,
which are filled from ailit's own ``locales/*/LC_MESSAGES/*.po`` (the same translations), and
one ``sphinx-build -b html -D language=xx`` per language is timed as one command.
Jupyter Book lives in its own venv (``build/.bench-venv``), never in ailit's dependencies.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import jupytext
import yaml
from babel.messages.pofile import read_po, write_po

from ailit.model.course import SUFFIXES
from ailit.model.directives import DIRECTIVES

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / "build" / ".bench-venv"
# jupyter-book 1 brings Sphinx, MyST-NB, jupyter-cache, sphinx-design and sphinxcontrib-bibtex
TOOLS = ["jupyter-book==1.0.4.post1", "sphinx-intl==2.4.0"]
KERNEL = ("numpy", "matplotlib", "ipykernel")  # what the modules' code imports, pinned as ailit's
SPHINX_CODES = {"zh": "zh_CN"}  # Sphinx's name for the language where it differs from ailit's
#: ailit's own directives, which Sphinx does not know: each becomes a titled admonition
OWN = ("objectives", "unplugged", "quiz", "teacher-guide")
#: docutils' admonitions take no title: a titled one becomes ``{admonition}`` with its class
UNTITLED = ("note", "tip", "warning", "important", "caution", "hint", "attention", "danger")
TITLES = {directive.name: directive.title for directive in DIRECTIVES}
_FENCE = re.compile(r"^(?P<fence>:{3,}|`{3,})\{(?P<name>[\w-]+)\}(?P<args>.*)$")
_HEADER = re.compile(r"\A(---\n.*?\n---\n)", re.S)
# ailit gives each kernel its locale's _(); a Jupyter Book shows the code's English strings
GETTEXT_CELL = "```{code-cell} python\n:tags: [remove-cell]\ndef _(text):\n    return text\n```\n"


def requirements() -> list[str]:
    """Jupyter Book and sphinx-intl, plus the kernel's packages at ailit's pins."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    pins = tomllib.loads(text)["project"]["dependencies"]
    return TOOLS + [pin for pin in pins if pin.split("==")[0] in KERNEL]


def venv() -> Path:
    """The bench's own venv with Jupyter Book in it (made once, again if the pins change)."""
    wanted = "\n".join(requirements())
    stamp = VENV / "bench-requirements.txt"
    if not stamp.is_file() or stamp.read_text() != wanted:
        print(f"installing into {VENV}: {', '.join(requirements())}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, *requirements()], check=True)
        stamp.write_text(wanted)
    return VENV / "bin"


def module_text(text: str) -> str:
    """A module as a plain MyST-NB notebook: ailit's directives as admonitions, ``_`` defined."""
    lines = []
    for line in text.splitlines():
        match = _FENCE.match(line)
        name = match["name"] if match else ""
        title = match["args"].strip() if match else ""
        if name in OWN or (name in UNTITLED and title):
            title = title or TITLES[name]  # ailit's default title, a site string it translates
            line = f"{match['fence']}{{admonition}} {title}\n:class: {name}"
        lines.append(line)
    body = "\n".join(lines) + "\n"
    header = _HEADER.match(body)
    cut = header.end() if header else 0
    return body[:cut] + "\n" + GETTEXT_CELL + body[cut:]


def layout(root: Path, book: Path) -> list[str]:
    """Write the project as one Jupyter Book in ``book``; return the languages (English first)."""
    shutil.rmtree(book, ignore_errors=True)
    book.mkdir(parents=True)
    config = yaml.safe_load((root / "site_config" / "languages.yml").read_text())
    codes = ["en", *config["languages"]]
    site = yaml.safe_load((root / "mkdocs.yml").read_text()) or {}
    parts = []
    for yml in sorted(root.glob("courses/*/course.yml")):
        course = yaml.safe_load(yml.read_text(encoding="utf-8"))
        slug = yml.parent.name
        folder = book / slug
        files = {path.stem: path for path in yml.parent.iterdir() if path.suffix in SUFFIXES}
        sources = [files[name] for name in course["modules"]]
        skip = {path.name for path in sources} | {"course.yml"}
        shutil.copytree(yml.parent, folder, ignore=shutil.ignore_patterns(*skip))
        lines = [f"# {course['title']}", course.get("summary", ""), course.get("audience", "")]
        (folder / "index.md").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        chapters = [{"file": f"{slug}/index"}]
        for source in sources:
            if source.suffix == ".md":
                text = source.read_text(encoding="utf-8")
            else:  # .py and .ipynb modules, as the MyST notebook jupytext makes of them
                text = jupytext.writes(jupytext.read(source), fmt="md:myst")
            (folder / f"{source.stem}.md").write_text(module_text(text), encoding="utf-8")
            chapters.append({"file": f"{slug}/{source.stem}"})
        parts.append({"caption": course["title"], "chapters": chapters})
    title = site.get("site_name", "ailit")
    (book / "index.md").write_text(f"# {title}\n", encoding="utf-8")
    toc = {"format": "jb-book", "root": "index", "parts": parts}
    (book / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    settings = {
        "title": title,
        "only_build_toc_files": True,
        "execute": {
            "execute_notebooks": "cache",
            "cache": str(book.parent / "jupyter_cache"),
            "timeout": 120,
        },
        "parse": {"myst_enable_extensions": ["colon_fence", "dollarmath", "tasklist"]},
        "sphinx": {
            "config": {
                "locale_dirs": ["locales/"],
                "gettext_compact": False,
            }
        },
    }
    (book / "_config.yml").write_text(yaml.safe_dump(settings, sort_keys=False), "utf-8")
    return codes


def translate(root: Path, book: Path, codes: list[str], bin_: Path) -> dict[str, int]:
    """Catalogues for the book, filled from ailit's: how many entries matched, and of how many."""
    run = [str(bin_ / "jupyter-book"), "config", "sphinx", str(book)]
    subprocess.run(run, check=True, capture_output=True)
    gettext = [str(bin_ / "sphinx-build"), "-q", "-b", "gettext", str(book)]
    subprocess.run([*gettext, str(book / "_build" / "gettext")], check=True, capture_output=True)
    targets = [SPHINX_CODES.get(code, code) for code in codes[1:]]
    update = [str(bin_ / "sphinx-intl"), "update", "-p", str(book / "_build" / "gettext")]
    update += ["-d", str(book / "locales"), *(f"-l{code}" for code in targets)]
    subprocess.run(update, check=True, capture_output=True)
    shutil.rmtree(book / "_build")
    counts = {"matched": 0, "entries": 0}
    for code, target in zip(codes[1:], targets, strict=True):
        known = _translations(root, code)
        for path in sorted((book / "locales" / target / "LC_MESSAGES").rglob("*.po")):
            with path.open("rb") as handle:
                po = read_po(handle)
            for message in po:
                if not message.id:
                    continue
                counts["entries"] += 1
                found = known.get(_key(message.id))
                if found:
                    counts["matched"] += 1
                    message.string = found
                    message.flags.discard("fuzzy")
            with path.open("wb") as handle:
                write_po(handle, po, width=0)
    return counts


def _key(text: object) -> str:
    return " ".join(str(text).split())


def _translations(root: Path, code: str) -> dict[str, str]:
    """ailit's msgid -> msgstr for one language, whitespace-normalised, translated entries only."""
    known = {}
    for path in sorted((root / "locales" / code / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if isinstance(message.id, str) and message.string and not message.fuzzy:
                    known[_key(message.id)] = str(message.string)
    return known


def script(book: Path, codes: list[str], bin_: Path) -> Path:
    """One shell script that builds every language, one sphinx-build each, as a user would."""
    lines = ["set -e"]
    for code in codes:
        language = SPHINX_CODES.get(code, code)
        lines.append(
            f"{bin_ / 'sphinx-build'} -q -b html -D language={language} {book} "
            f"{book / '_build' / code}"
        )
    path = book / "build.sh"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _executed(cache: Path) -> set[str]:
    """The notebooks jupyter-cache holds executed (one folder each)."""
    folder = cache / "executed"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def measure(root: Path, target: Path, timed: Callable[..., dict]) -> dict:
    """Cold (no build, empty execution cache), then with the execution cache warm."""
    bin_ = venv()
    book = target / "book"
    codes = layout(root, book)
    start = time.perf_counter()
    row: dict = {"translated": translate(root, book, codes, bin_)}
    row["prepare_s"] = time.perf_counter() - start
    command = ["sh", str(script(book, codes, bin_))]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # not ailit's copy
    env["PATH"] = f"{bin_}{os.pathsep}{env.get('PATH', '')}"
    cache = book.parent / "jupyter_cache"
    row["executed"] = {}
    for name in ("cold", "warm"):
        shutil.rmtree(book / "_build", ignore_errors=True)
        for compiled in (book / "locales").rglob("*.mo"):
            compiled.unlink()  # Sphinx compiles the .po files again, as ailit reads them again
        if name == "cold":
            shutil.rmtree(cache, ignore_errors=True)
        before = _executed(cache)
        row[name] = timed(command, book, env, check=False)
        row["executed"][name] = len(_executed(cache) - before)
        if row[name]["error"]:
            print(f"Jupyter Book {name} build failed: {row[name]['error']}", flush=True)
            return {}
    row["html"] = sum(1 for _ in (book / "_build").rglob("*.html"))
    # Sphinx's "file:line: WARNING: ..." (not the kernels' "[IPKernelApp] WARNING | ...")
    row["warnings"] = {name: row[name]["err"].count("WARNING:") for name in ("cold", "warm")}
    return row
