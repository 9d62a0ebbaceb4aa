"""What a course's modules label, number and refer to, read from their source.

Labels and numbers are the same in every locale (the source decides them); a target's
title is a source text (a heading, a caption, an exercise title) that each locale
translates. ``ailit check`` reads the same scan for unresolved references, duplicate
labels, missing or remote images and execution-dependent MyST.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from ailit.model.course import Course, Module
from ailit.model.directives import Fence, directive, option_lines, read_fence

#: Directives numbered per module, by the kind of number they get.
NUMBERED = {
    "figure": "figure",
    "exercise": "exercise",
    "exercise-start": "exercise",
    "table": "table",
    "list-table": "table",
}
#: Directives that open a solution, whose argument is the exercise's label.
SOLUTIONS = ("solution", "solution-start")
#: Roles and directives whose content exists only once a notebook has run (myst-nb's glue).
EXECUTION = re.compile(r"glue(:.*)?")
#: ``text <target>``: a role's explicit text and its target.
EXPLICIT = re.compile(r"(?s)(.*?)\s*<([^<>]+)>\s*")
_IMG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_REMOTE = re.compile(r"(?i)(https?:)?//")
_MODULE_SUFFIXES = (".md", ".ipynb", ".py")


def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .use(colon_fence_plugin)
        .use(myst_block_plugin)
        .use(myst_role_plugin)
    )


_PARSER = _parser()


@dataclass(frozen=True)
class Target:
    """A block a reference can point at."""

    label: str
    module: str
    #: heading, figure, exercise, table, solution or block
    kind: str
    line: int
    number: int = 0  # 0: not numbered
    #: the source text that names it (a msgid, translated per locale); "" = none
    title: str = ""


@dataclass(frozen=True)
class Reference:
    """A ``{ref}``, ``{numref}``, ``{doc}``, solution or link pointing somewhere."""

    kind: str  # ref, numref, doc, solution, link
    target: str
    line: int


@dataclass
class Scan:
    """What one module labels, refers to and shows, with file lines."""

    targets: list[Target] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    #: image sources as written, with their lines
    media: list[tuple[str, int]] = field(default_factory=list)
    #: execution-dependent roles and directives (``{glue}``), with their lines
    unsupported: list[tuple[str, int]] = field(default_factory=list)


def split_explicit(content: str) -> tuple[str, str]:
    """``text <target>`` → (text, target); a bare ``target`` → ("", target)."""
    match = EXPLICIT.fullmatch(content)
    if match and match.group(1):
        return match.group(1), match.group(2).strip()
    return "", content.strip()


def plain(markdown: str) -> str:
    """A heading or caption's words without markup (roles show their text)."""
    words: list[str] = []
    for token in _PARSER.parseInline(markdown):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type == "myst_role":
                words.append(split_explicit(child.content)[0] or child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
    return re.sub(r"\s+", " ", "".join(words)).strip()


#: scans by module text: a locale's build asks for each module's scan several times (its
#: course's targets, its page's key, its images) and every locale of a worker again
_SCANS: dict[tuple, Scan] = {}


def scan_module(module: Module) -> Scan:
    """Every target, reference, image and execution-dependent item of a module (shared:
    callers read it, never change it)."""
    key = (
        module.slug,
        tuple(module.cell_lines),
        tuple(
            (cell.cell_type, cell.source, repr(code_figure(cell.metadata)))
            for cell in module.notebook.cells
        ),
    )
    if key not in _SCANS:
        if len(_SCANS) > 4096:
            _SCANS.clear()
        _SCANS[key] = _scan(module)
    return _SCANS[key]


def _scan(module: Module) -> Scan:
    scan = Scan()
    counters: dict[str, int] = {}
    for index, cell in enumerate(module.notebook.cells):
        first = module.cell_lines[index] if index < len(module.cell_lines) else 1
        if cell.cell_type == "markdown":
            _walk(cell.source, first, module.slug, scan, counters)
        elif (found := code_figure(cell.metadata)) is not None:
            number = counters["figure"] = counters.get("figure", 0) + 1
            if found[0]:
                scan.targets.append(Target(found[0], module.slug, "figure", first, number,
                                           found[1]))  # fmt: skip
    return scan


def code_figure(metadata: Mapping[str, Any]) -> tuple[str, str] | None:
    """A code cell's figure as MyST-NB writes it (``mystnb: figure: {name, caption}``):
    its label and caption, or None."""
    found = (metadata.get("mystnb") or {}).get("figure")
    if not isinstance(found, Mapping):
        return None
    return str(found.get("name") or ""), str(found.get("caption") or "").strip()


def _walk(source: str, first: int, slug: str, scan: Scan, counters: dict[str, int]) -> None:
    tokens = _PARSER.parse(source)
    pending: tuple[str, int] | None = None
    for index, token in enumerate(tokens):
        line = first + (token.map[0] if token.map else 0)
        if token.type == "myst_target":
            pending = (token.content.strip(), line)
            continue
        if token.type == "heading_open":
            if pending:
                title = tokens[index + 1].content
                scan.targets.append(Target(pending[0], slug, "heading", pending[1], 0, title))
            pending = None
        elif token.type in ("fence", "colon_fence") and (
            block := read_fence(token.info, token.content)
        ):
            _directive(token, block, line, slug, scan, counters, pending)
            pending = None
        elif token.type == "inline":
            _inline(token, line, scan)
        elif token.type == "html_block":
            scan.media += [(src, line) for src in _IMG.findall(token.content)]
        elif token.nesting == 1 and token.level == 0 and pending:
            scan.targets.append(Target(pending[0], slug, "block", pending[1]))
            pending = None
    if pending:  # a label closing a cell names what follows it (a code cell)
        scan.targets.append(Target(pending[0], slug, "block", pending[1]))


def _directive(
    token: Token,
    block: Fence,
    line: int,
    slug: str,
    scan: Scan,
    counters: dict[str, int],
    pending: tuple[str, int] | None,
) -> None:
    name, options = block.name, block.options
    label = options.get("label") or options.get("name") or (pending[0] if pending else "")
    if EXECUTION.fullmatch(name):
        scan.unsupported.append((f"{{{name}}}", line))
        return
    if name in ("figure", "image") and block.title:
        scan.media.append((block.title, line))
    kind = NUMBERED.get(name)
    if name in SOLUTIONS:
        if block.title:
            scan.references.append(Reference("solution", block.title, line))
        if label:
            scan.targets.append(Target(label, slug, "solution", line))
    elif kind is not None:
        number = 0
        if "nonumber" not in options:
            number = counters[kind] = counters.get(kind, 0) + 1
        title = _caption(block.body) if name == "figure" else block.title
        if label:
            scan.targets.append(Target(label, slug, kind, line, number, title))
    elif label:
        scan.targets.append(Target(label, slug, "block", line, 0, block.title))
    entry = directive(name)
    if entry is not None and entry.body and block.body.strip():
        lines = token.content.splitlines()
        count = option_lines(lines)
        body = "\n" * count + "\n".join(lines[count:])
        _walk(body, line + 1, slug, scan, counters)


def _caption(body: str) -> str:
    """A figure's caption: the first paragraph of its body."""
    tokens = _PARSER.parse(body)
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            return tokens[index + 1].content
    return ""


def _inline(token: Token, line: int, scan: Scan) -> None:
    row = line
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            row += 1
        elif child.type == "myst_role":
            name = child.meta.get("name", "")
            if name in ("ref", "numref", "doc"):
                scan.references.append(Reference(name, split_explicit(child.content)[1], row))
            elif EXECUTION.fullmatch(name):
                scan.unsupported.append((f"{{{name}}}", row))
        elif child.type == "image":
            scan.media.append((str(child.attrGet("src") or ""), row))
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
            if module_link(href) is not None:
                scan.references.append(Reference("link", href, row))
        elif child.type == "html_inline":
            scan.media += [(src, row) for src in _IMG.findall(child.content)]


def module_link(href: str) -> tuple[str, str] | None:
    """A link's module path and anchor when it points at a module file, else None."""
    if not href or _REMOTE.match(href) or ":" in href.split("/")[0]:
        return None
    path, _, anchor = href.partition("#")
    if not path.endswith(_MODULE_SUFFIXES):
        return None
    return path, anchor


def module_name(reference: str) -> tuple[str, str]:
    """A ``{doc}`` target or module link as (course or "", module name)."""
    path = PurePosixPath(reference.strip())
    stem = path.name
    for suffix in _MODULE_SUFFIXES:
        stem = stem.removesuffix(suffix)
    parent = path.parent.name if path.parent.name not in ("", ".", "..") else ""
    return parent, stem


def find_module(modules: dict[str, str], here: str, reference: str) -> tuple[str, str] | None:
    """(course, slug) of the module a reference names, from slug -> course; None if none.

    A name without its ``NN-`` prefix and with ``_`` for ``-`` (as Jupyter Book lectures
    name their files) finds the module it was renamed to.
    """
    course, name = module_name(reference)
    if name in modules and (not course or modules[name] == course):
        return modules[name], name
    loose = name.replace("_", "-").lower()
    for slug, owner in modules.items():
        if slug.split("-", 1)[-1] == loose and (not course or owner == course or course == here):
            return owner, slug
    return None


def course_targets(course: Course) -> dict[str, Target]:
    """Every label of a course's modules (the first, when one is used twice)."""
    table: dict[str, Target] = {}
    for module in course.modules:
        for target in scan_module(module).targets:
            table.setdefault(target.label, target)
    return table


@dataclass(frozen=True)
class Problem:
    """A problem in a module's source, at a line of its file."""

    line: int
    severity: str
    message: str
    #: reference, media or execution: which check found it
    check: str


def module_problems(
    module: Module, targets: dict[str, Target], modules: dict[str, str], courses: Path
) -> Iterator[Problem]:
    """Unresolved references, duplicate labels, missing or remote images, ``{glue}``.

    ``modules`` maps every module slug of the project to its course; ``courses`` is the
    project's courses folder (images may be anywhere in it).
    """
    scan = scan_module(module)
    seen: dict[str, int] = {}
    for target in scan.targets:
        if target.label in seen:
            yield Problem(target.line, "error", f"label {target.label!r} is used twice "
                          f"(first at line {seen[target.label]})", "reference")  # fmt: skip
        seen.setdefault(target.label, target.line)
        other = targets.get(target.label)
        if other is not None and other.module != module.slug:
            yield Problem(target.line, "error", f"label {target.label!r} is also used in "
                          f"{other.module} (line {other.line})", "reference")  # fmt: skip
    for ref in scan.references:
        yield from _reference_problems(ref, module, targets, modules)
    for src, line in scan.media:
        problem = media_problem(src, module.path.parent, courses)
        if problem:
            yield Problem(line, "error", problem, "media")
    for name, line in scan.unsupported:
        yield Problem(line, "warning", f"{name} needs the notebook's outputs (myst-nb glue), "
                      "which ailit does not support: it shows nothing", "execution")  # fmt: skip


def _reference_problems(
    ref: Reference, module: Module, targets: dict[str, Target], modules: dict[str, str]
) -> Iterator[Problem]:
    if ref.kind in ("doc", "link"):
        path = module_link(ref.target)[0] if ref.kind == "link" else ref.target  # type: ignore[index]
        if find_module(modules, module.course, path) is None:
            yield Problem(ref.line, "error", f"{{doc}} or link to {ref.target!r}: no module "
                          "of this project has that name", "reference")  # fmt: skip
        return
    target = targets.get(ref.target)
    if target is None:
        yield Problem(ref.line, "error", f"{{{ref.kind}}} to {ref.target!r}: no label of that "
                      "name in this course", "reference")  # fmt: skip
    elif ref.kind == "numref" and not target.number:
        yield Problem(ref.line, "error", f"{{numref}} to {ref.target!r}: that {target.kind} has "
                      "no number (use {ref})", "reference")  # fmt: skip
    elif ref.kind == "solution" and target.kind != "exercise":
        yield Problem(ref.line, "error", f"solution to {ref.target!r}: that label is not an "
                      "exercise's", "reference")  # fmt: skip


def is_remote(src: str) -> bool:
    """Whether an image source is on another site (``http:``, ``https:``, ``//``)."""
    return bool(_REMOTE.match(src.strip()))


def local_file(src: str, folder: Path) -> Path:
    """The file a local image source names, from the module's folder (``/x`` from the
    course's folder, as Jupyter Book reads it from the book's root)."""
    path = src.strip().split("#")[0].split("?")[0]
    return (folder / path.lstrip("/")).resolve()


def media_problem(src: str, folder: Path, courses: Path) -> str:
    """Why an image source cannot be shown offline, or ""."""
    if not src.strip() or src.startswith("data:"):
        return ""
    if is_remote(src):
        return (f"image {src!r} is on another site: the site must work offline; download it "
                "into the course (for example images/) and link it by its relative path")  # fmt: skip
    if ":" in src.split("/")[0]:
        return f"image {src!r}: only files in the course can be shown"
    path = local_file(src, folder)
    if not path.is_relative_to(courses.resolve()):
        return f"image {src!r} is outside the courses folder: put it in the course"
    if not path.is_file():
        return f"image {src!r}: no such file"
    return ""
