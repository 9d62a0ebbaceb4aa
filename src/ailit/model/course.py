"""The course model: course.yml and its jupytext modules, loaded and validated."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import yaml

from ailit.core.cache import Cache
from ailit.core.errors import CourseError
from ailit.model.commands import check_commands
from ailit.model.config import LEVELS, MODULE, Invalid, course_settings

#: a module's file formats, by suffix: MyST markdown, py:percent, Jupyter
SUFFIXES = {".md": "md:myst", ".py": "py:percent", ".ipynb": "ipynb"}
MODULE_NAME = re.compile(r"\d{2}-[a-z0-9][a-z0-9-]*")
#: course.yml fields a learner reads, so they go to the translators.
TEXT_FIELDS = ("title", "summary", "audience")


@dataclass
class Module:
    """One module: a jupytext notebook with its ailit metadata."""

    slug: str
    path: Path
    course: str  # the course folder that owns the file (and its translations)
    notebook: nbformat.NotebookNode
    meta: dict[str, Any]
    title: str
    cell_lines: list[int]  # line of each cell in the source file, for messages

    @property
    def data_dir(self) -> Path:
        return self.path.parent / "data"

    @property
    def is_ipynb(self) -> bool:
        """A Jupyter file: its lines are JSON, so messages name the cell instead."""
        return self.path.suffix == ".ipynb"

    @property
    def executes(self) -> bool:
        """Whether the build runs the code (``execute: false`` keeps the stored outputs)."""
        return self.meta.get("execute", True) is not False

    def line(self, index: int, within: int = 1) -> int | None:
        """The file line of line ``within`` of cell ``index``; None in an .ipynb."""
        if self.is_ipynb or index >= len(self.cell_lines):
            return None
        return self.cell_lines[index] + within - 1

    def where(self, index: int, within: int | None = None) -> str:
        """A cell for a message: ``cell 3 (line 42)``, or ``cell 3`` (line 2 of it) in an .ipynb."""
        line = self.line(index, within or 1)
        if line is not None and within is not None:
            return f"cell {index + 1} (line {line})"
        if self.is_ipynb and within is not None:
            return f"cell {index + 1} (line {within} of the cell)"
        return f"cell {index + 1}"


@dataclass
class Course:
    """A course: metadata from course.yml and its modules in order."""

    slug: str
    path: Path
    title: str
    summary: str
    audience: str
    level: str
    duration: int
    modules: list[Module]
    field_lines: dict[str, int] = field(default_factory=dict)
    requires: tuple[str, ...] = ()  # the parts every module must hold (directive names)
    #: the BibTeX file its modules cite, if it has one
    bibliography: Path | None = None

    @property
    def yml(self) -> Path:
        return self.path / "course.yml"


def load_course(
    path: Path, cache: Path | None = None, problems: list[CourseError] | None = None
) -> Course:
    """Load and validate ``courses/<slug>/course.yml`` and every module it lists.

    With ``problems``, a module that cannot be loaded is left out and its error added there
    (``ailit check`` reports them all); without, the first error is raised.
    """
    yml = path / "course.yml"
    document, fields = course_settings(yml)
    lines = {key: document.key_line(key) or 1 for key in document.data}
    modules = []
    seen: set[str] = set()
    for index, name in enumerate(fields["modules"]):
        line = document.line("modules", index) or 1  # the entry's own line
        try:
            module_path = _module_path(path, name, yml, line)
            if module_path.stem in seen:
                raise CourseError(f"module {name!r} is listed twice", yml, line)
            seen.add(module_path.stem)
            modules.append(load_module(module_path, cache / path.name if cache else None))
        except CourseError as exc:
            if problems is None:
                raise
            problems.append(exc)
    return Course(
        path.name,
        path,
        fields["title"],
        fields["summary"],
        fields["audience"],
        fields["level"],
        fields["duration"],
        modules,
        field_lines={str(key): line for key, line in lines.items()},
        requires=fields["requires"],
        bibliography=_bibliography(path, fields["bibliography"], yml, lines),
    )


def _bibliography(course_dir: Path, name: str, yml: Path, lines: dict) -> Path | None:
    """The course's BibTeX file: the one course.yml names (it must exist), else references.bib."""
    path = course_dir / (name or "references.bib")
    if name and not path.is_file():
        line = lines.get("bibliography", 1)
        raise CourseError(f"bibliography {name!r} not found in the course folder", yml, line)
    return path if path.is_file() else None


def _module_path(course_dir: Path, name: object, yml: Path, line: int) -> Path:
    """Resolve a module reference: ``01-x`` here, or ``../other-course/01-x`` elsewhere."""
    if not isinstance(name, str) or not name.strip():
        raise CourseError(
            f"module entry {name!r} must be a module name like 01-what-is-ai", yml, line
        )
    stem = name
    for suffix in SUFFIXES:
        stem = stem.removesuffix(suffix)
    base = Path(stem).name
    if not MODULE_NAME.fullmatch(base):
        raise CourseError(
            f"module name {name!r} must look like NN-slug (two digits, lower-case words)",
            yml,
            line,
        )
    candidate = (course_dir / stem).resolve()
    courses_root = course_dir.parent.resolve()
    if courses_root not in candidate.parents:
        raise CourseError(f"module {name!r} points outside the courses folder", yml, line)
    for suffix in SUFFIXES:
        file = candidate.with_name(candidate.name + suffix)
        if file.is_file():
            return file
    looked = ", ".join(f"{Path(stem).name}{suffix}" for suffix in SUFFIXES)
    raise CourseError(f"module {name!r} not found (looked for {looked})", yml, line)


def load_module(path: Path, cache: Path | None = None) -> Module:
    """Read a notebook (MyST markdown, py:percent or .ipynb) and check its structure.

    With ``cache`` (a folder), the parsed notebook is kept there as JSON under a hash of
    the file's text and ailit's version: parsing (three YAML loads of the front matter,
    then markdown) is most of the time a build spends loading modules.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CourseError("not valid UTF-8", path) from exc
    fmt = SUFFIXES.get(path.suffix, "py:percent")
    kept = Cache(cache / path.name, ".json", newest_only=True) if cache else None
    key = _parse_key(fmt, text) if kept else ""
    notebook = _kept_notebook(kept, key) if kept else None
    if notebook is None:
        if fmt != "ipynb":
            _check_front_matter(path, text)
        try:
            notebook = _read(text, fmt)
            nbformat.validate(notebook)
        except Exception as exc:  # jupytext raises many kinds; all mean a malformed notebook
            raise CourseError(
                f"malformed notebook: {_first_line(exc)}", path, _error_line(exc)
            ) from exc
        if kept:
            _keep_notebook(kept, key, notebook)
    meta = dict(notebook.metadata.get("ailit") or {})
    _check_meta(path, meta)
    title = _title(notebook) or path.stem
    lines = _json_cell_lines(text, notebook) if fmt == "ipynb" else _cell_lines(text, notebook)
    module = Module(
        slug=path.stem,
        path=path,
        course=path.parent.name,
        notebook=notebook,
        meta=meta,
        title=title,
        cell_lines=lines,
    )
    check_commands(module)
    return module


def _read(text: str, fmt: str) -> nbformat.NotebookNode:
    """A notebook from its text: a Jupyter file as it is, a text notebook through jupytext."""
    if fmt == "ipynb":
        return nbformat.reads(text, as_version=4)
    return jupytext.reads(text, fmt=fmt)


def _json_cell_lines(text: str, notebook: nbformat.NotebookNode) -> list[int]:
    """The JSON line where each cell of an .ipynb opens (its ``cell_type``), for .pot locations."""
    found = [n + 1 for n, line in enumerate(text.splitlines()) if '"cell_type":' in line]
    return found if len(found) == len(notebook.cells) else [1] * len(notebook.cells)


def _parse_key(fmt: str, text: str) -> str:
    from ailit.core.keys import package_key  # ailit's source and jupytext's version among it

    return hashlib.sha256(f"{package_key()}\0{fmt}\0{text}".encode()).hexdigest()


def _kept_notebook(kept: Cache, key: str) -> nbformat.NotebookNode | None:
    """The notebook parsed from this very text before, or None (none kept, or damaged)."""
    data = kept.read_json(key, lambda data: isinstance(data["cells"], list))
    return nbformat.from_dict(data) if data is not None else None


def _keep_notebook(kept: Cache, key: str, notebook: nbformat.NotebookNode) -> None:
    """Keep the parsed notebook (two workers may parse the same module; a read-only disk is fine)."""
    kept.write_json(key, notebook)


def _check_front_matter(path: Path, text: str) -> None:
    """Report YAML errors in the front matter with their line, before jupytext does."""
    if not text.startswith("---"):
        return
    end = text.find("\n---", 3)
    if end < 0:
        raise CourseError("front matter opened with --- is never closed", path, 1)
    try:
        yaml.safe_load(text[3:end])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise CourseError(
            f"front matter YAML error: {getattr(exc, 'problem', exc)}", path, line
        ) from exc


def _check_meta(path: Path, meta: dict[str, Any]) -> None:
    level = meta.get("level")
    if level is not None and level not in LEVELS:
        raise CourseError(f"ailit.level is {level!r}; expected one of {', '.join(LEVELS)}", path)
    duration = meta.get("duration")
    if duration is not None and (not isinstance(duration, int) or duration <= 0):
        raise CourseError(f"ailit.duration must be minutes as a number, got {duration!r}", path)
    try:
        for name, option in MODULE.items():
            option.validate(meta.get(name), f"ailit.{name}")
    except Invalid as exc:
        raise CourseError(str(exc), path) from None


def _title(notebook: nbformat.NotebookNode) -> str | None:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip().rstrip("#").strip()
    return None


def _cell_lines(text: str, notebook: nbformat.NotebookNode) -> list[int]:
    """The file line where each cell's text starts, found by searching forward."""
    lines = text.splitlines()
    result = []
    cursor = 0
    for cell in notebook.cells:
        first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
        found = cursor
        for number in range(cursor, len(lines)):
            if first and lines[number].rstrip() == first.rstrip():
                found = number
                break
        result.append(found + 1)
        cursor = found + 1 if first else cursor
    return result


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _error_line(exc: BaseException) -> int | None:
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else None


def discover(
    courses_dir: Path, cache: Path | None = None, problems: list[CourseError] | None = None
) -> list[Course]:
    """Every course folder (one holding a course.yml), in name order; parsed modules are
    kept in ``cache`` when given. With ``problems``, what cannot be loaded is left out and
    its error added there, as ``load_course`` does."""
    if not courses_dir.is_dir():
        raise CourseError("no courses folder", courses_dir)
    courses = []
    for yml in sorted(courses_dir.glob("*/course.yml")):
        try:
            courses.append(load_course(yml.parent, cache, problems))
        except CourseError as exc:
            if problems is None:
                raise
            problems.append(exc)
    return courses
