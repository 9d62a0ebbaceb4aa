"""One gate for every output: a translation `ailit check` refuses is published nowhere, and
no translation, refused or not, puts a script, a handler or a hostile URL in a built file."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from babel.messages.pofile import read_po, write_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ailit.dist import bundle, zim
from ailit.i18n import checks
from ailit.model.project import Project
from ailit.stages import render as render_module
from ailit.stages.render import PageText, markdown_cell_to_page
from ailit.stages.templating import markdown_text
from conftest import ailit, copy_project

PAGE = "demo/01-first-steps.html"
TEACHER = "demo/01-first-steps-teacher.html"
FR = Path("locales") / "fr" / "LC_MESSAGES"

#: translations an attacker would try; each is an error for `ailit check`, in any entry
HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="#" onclick="alert(3)">x</a>',
    "[ici](javascript:alert(4))",
    "![x](data:text/html;base64,YWxlcnQoNSk=)",
    "<javascript:alert(6)>",
    "<div onmouseover=alert(7)>x</div>",
    "[ici](JaVaScRiPt:alert(8))",
    "<svg/onload=alert(9)>",
    '<iframe src="javascript:alert(10)"></iframe>',
    "[ici](java&#115;cript:alert(11))",
    "<details open ontoggle=alert(13)>",
    "<style>body{background:url(javascript:alert(14))}</style>",
)


def _hostile(msgid: str, index: int) -> str:
    """The source text with a payload added, keeping its lines and placeholders."""
    payload = HOSTILE[index % len(HOSTILE)]
    if msgid.endswith("\n"):
        return msgid[:-1] + " " + payload + "\n"
    return msgid + " " + payload


def _poison(po: Path) -> None:
    """Give every entry of a catalogue a hostile translation."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for index, message in enumerate(m for m in catalog if m.id):
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        text = _hostile(msgid, index)
        message.string = text if isinstance(message.id, str) else [text, text]
        message.flags.discard("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog, width=0)


_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "srcset")


class _Scan(HTMLParser):
    """Every element and attribute of an HTML file, and what a browser would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.content_tags: set[str] = set()
        self.depth = 0  # inside <article>: the part built from the course text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        elif self.depth:
            self.content_tags.add(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=>")
            url = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name in _URL_ATTRIBUTES and url.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {name}={url[:30]!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1


#: elements the course text may produce, besides ailit's templates and mkdocs' code blocks
CONTENT_TAGS = render_module._TAGS | {"select", "option", "h1", "caption", "col", "colgroup"}


def _problems(site: Path) -> list[str]:
    """Anything hostile in any built file (html, json, js, ipynb, txt, svg, yml)."""
    found = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        if path.suffix == ".pdf":  # handouts: the text a reader (or a PDF viewer) gets
            if "alert(" in _pdf_text(path):
                found.append(f"{path.relative_to(site)}: alert(")
            continue
        if path.suffix not in (".html", ".json", ".js", ".ipynb", ".txt", ".md", ".xml", ".svg"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        where = path.relative_to(site)
        if "alert(" in text:  # every payload calls alert: none may reach a file
            found.append(f"{where}: alert(")
        if path.suffix == ".html":
            scan = _Scan()
            scan.feed(text)
            found += [f"{where}: {f}" for f in scan.found]
            extra = scan.content_tags - CONTENT_TAGS
            if extra:
                found.append(f"{where}: elements outside the allowlist {sorted(extra)}")
    return found


def _pdf_text(path: Path) -> str:
    assert shutil.which("pdftotext"), "pdftotext is missing: install Debian's poppler-utils"
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, built_demo: Path) -> tuple[Path, str]:
    """The demo with every French entry (course and site) hostile, built in French."""
    root = copy_project(built_demo, tmp_path_factory.mktemp("hostile") / "demo")
    for name in ("demo.po", "site.po"):
        _poison(root / FR / name)
    result = ailit("--project", str(root), "build", "--locale", "fr", check=True)
    return root, result.stderr


def test_a_refused_heading_is_english_everywhere(demo: Path) -> None:
    po = demo / FR / "demo.po"
    text = po.read_text(encoding="utf-8")
    bad = "Premiers pas avec un robot [ici](javascript:alert(1))"
    po.write_text(text.replace('"Premiers pas avec un robot"', json.dumps(bad)), encoding="utf-8")
    checked = ailit("--project", str(demo), "check")
    assert "[url-scheme]" in checked.stdout + checked.stderr and checked.returncode == 1
    result = ailit("--project", str(demo), "build", "--locale", "fr", check=True)
    assert "not published: link scheme" in result.stderr and "demo.po:37" in result.stderr
    site = demo / "build" / "site" / "fr"
    for name in (PAGE, TEACHER, "index.html", "demo/index.html", "search/search_index.json"):
        page = (site / name).read_text(encoding="utf-8")
        assert "javascript:" not in page and "alert(" not in page, name
        assert "Premiers pas avec un robot" not in page, name
    page = (site / PAGE).read_text(encoding="utf-8")
    assert "<title>First steps with a robot" in page
    heading = re.search(r"<h1([^>]*)>First steps with a robot</h1>", page)
    assert heading and 'lang="en"' in heading[1] and "ailit-fallback" in heading[1]  # marked
    card = 'class="ailit-fallback"><bdi lang="en" dir="ltr">First steps with a robot</bdi></a>'  # marked
    assert card in (site / "index.html").read_text(encoding="utf-8")


def test_hostile_translations_reach_no_built_file(hostile_site: tuple[Path, str]) -> None:
    root, _ = hostile_site
    problems = _problems(root / "build" / "site" / "fr")
    assert not problems, "\n".join(problems[:30])
    assert list((root / "build" / "site" / "fr").rglob("*.pdf")), "no handout was scanned"
    page = (root / "build" / "site" / "fr" / PAGE).read_text(encoding="utf-8")
    assert "First steps with a robot" in page and "It sees numbers." in page  # English shown
    assert "ailit-fallback" in page


def test_check_refuses_every_hostile_entry_and_the_build_the_same(
    hostile_site: tuple[Path, str], tmp_path: Path
) -> None:
    root, stderr = hostile_site
    poisoned = {}
    for name in ("demo.po", "site.po"):
        copy = tmp_path / name
        shutil.copy(root / FR / name, copy)
        poisoned[name] = _lines(copy)
    result = ailit("--project", str(root), "check")
    report = result.stdout + result.stderr
    errors = {
        (m["file"], int(m["line"]))
        for m in re.finditer(r"(?P<file>demo\.po|site\.po):(?P<line>\d+): error:", report)
    }
    for name, lines in poisoned.items():
        missing = sorted(set(lines) - {line for file, line in errors if file == name})
        assert not missing, f"{name}: no error at lines {missing}\n{report[-2000:]}"
    refused = {
        (m["file"], int(m["line"]))
        for m in re.finditer(r"(?P<file>demo\.po|site\.po):(?P<line>\d+): not published", stderr)
    }
    assert refused <= errors  # the build refuses nothing check accepts
    assert {("demo.po", line) for line in poisoned["demo.po"]} <= refused  # all it uses


def _lines(po: Path) -> list[int]:
    """The line of every translated entry (Babel's lineno: the msgid line)."""
    with po.open("rb") as handle:
        return [m.lineno for m in read_po(handle) if m.id and m.string]


# hostile text into the pure functions that turn translations into markdown for mkdocs
_PIECES = st.sampled_from(
    [*HOSTILE, "word", " ", "**", "`", "[", "](", ")", "<", ">", "#", "{", "}", "\\", "!",
     "javascript:", "data:", "&#106;", "&lt;", "onload=", "<b>", "](https://ok.org)",
     "\n", "\n\n", "```\n", "    ", "- ", "> ", ":::{note}\n", "| a |\n|---|\n"]
)  # fmt: skip
_MKDOCS = ["attr_list", "admonition", "tables", "toc", "pymdownx.superfences"]


def _dangerous(rendered: str) -> list[str]:
    scan = _Scan()
    scan.feed(rendered)
    found = list(scan.found)
    found += [t for t in re.findall(r"<\s*(\w+)", rendered) if t not in CONTENT_TAGS]
    return found


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=8).map("".join))
def test_nothing_a_translation_holds_survives_mkdocs(text: str) -> None:
    """Whatever passes into a page (heading, paragraph, title), mkdocs' markdown of it is safe."""
    page = markdown_cell_to_page(f"# {text}\n\n## {text}\n\n{text}\n", [], PageText(str))
    title = f"# {markdown_text(text)}\n"
    for source in (page, title):
        html = markdown.markdown(source, extensions=_MKDOCS)
        assert not _dangerous(html), (source, html)
    if any(p in text for p in HOSTILE) and "`" not in text:  # refused as markdown and as text
        assert checks.errors("word", text, frozenset({"md-text"}), True), text
        assert checks.errors("word", text, frozenset(), False), text


def test_zim_metadata_and_start_here_hold_no_refused_text(hostile_site: tuple[Path, str]) -> None:
    root, _ = hostile_site
    project = Project(root)
    metadata = zim.zim_metadata(project, "fr", 0, "ailit", "ailit")
    start = bundle.start_here(project, [project.language("fr")], "ailit_fr", 0).decode()
    for text in [*metadata.values(), start]:
        assert "alert(" not in text and "<" not in text.replace("<that computer", ""), text
    assert metadata["Title"] == "Demo course"  # English stands in for the refused title
