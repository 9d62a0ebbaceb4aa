"""From courses to catalogue templates: every unit becomes a .pot entry with notes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog

from ailit.i18n.catalog import Entry, template
from ailit.i18n.segment import Unit, segment_code, segment_figure, segment_markdown
from ailit.i18n.sitetext import PLURALS, SITE, THEME_KEYS, material_strings, theme_context
from ailit.model.course import TEXT_FIELDS, Course, Module

_PLACEHOLDER = re.compile(r"\{[A-Za-z_][\w.]*(?:![rsa])?(?::[^{}]*)?\}")
_LINK = re.compile(r"\]\(")


def cell_units(module: Module) -> Iterator[tuple[int, Unit]]:
    """Every unit of a module with the index of its cell."""
    for index, cell in enumerate(module.notebook.cells):
        if cell.cell_type == "markdown":
            units = segment_markdown(cell.source)
        elif cell.cell_type == "code":
            units = segment_code(cell.source) + segment_figure(cell.metadata)
        else:
            continue
        for unit in units:
            yield index, unit


def module_entries(module: Module, root: Path) -> Iterator[Entry]:
    """Entries for one module, with location, module/cell/kind notes and check flags."""
    where = module.path.relative_to(root).as_posix()
    for index, unit in cell_units(module):
        source = module.notebook.cells[index].source
        blank_lead = len(source) - len(source.lstrip("\n"))
        line = module.cell_lines[index] + unit.line - 1 - source[:blank_lead].count("\n")
        comments = [f"module {module.slug}, cell {index + 1}, {unit.kind}"]
        flags: set[str] = set()
        if unit.kind.startswith("code"):
            comments.append("code: translate the words, keep the rest exactly")
            if unit.kind == "code string" and _PLACEHOLDER.search(unit.text):
                flags.add("python-brace-format")
        else:
            flags.add("md-text")
            if _LINK.search(unit.text):
                comments.append("keep the markdown and the link targets")
        yield Entry(unit.text, [(where, line)], comments, flags)


def course_entries(course: Course, root: Path) -> Iterator[Entry]:
    """course.yml fields, then every module the course owns (referenced ones stay theirs)."""
    where = course.yml.relative_to(root).as_posix()
    for name in TEXT_FIELDS:
        value = getattr(course, name)
        yield Entry(
            value.strip(),
            [(where, course.field_lines.get(name, 1))],
            [f"course {course.slug}, {name}"],
        )
    for module in course.modules:
        if module.course == course.slug:
            yield from module_entries(module, root)


def course_template(course: Course, root: Path) -> Catalog:
    return template(course.slug, course_entries(course, root))


def site_template() -> Catalog:
    """site.pot: ailit's page strings, then Material's interface strings (keyed by msgctxt)."""
    entries: list[Entry] = []
    for key, text in SITE.items():
        flags = {"python-brace-format"} if _PLACEHOLDER.search(text) else set()
        if key in PLURALS:
            singular, count = PLURALS[key]
            note = f"site: {key}; one form per plural form of the language, chosen by {{{count}}}"
            entries.append(Entry(singular, [], [note], flags, plural=text))
        else:
            entries.append(Entry(text, [], [f"site: {key}"], flags))
    english = material_strings("en")
    for key in THEME_KEYS:
        note = "theme interface string; '#' stands for a number" if "#" in english[key] else ""
        entries.append(
            Entry(english[key], [], [f"theme: {key}", *filter(None, [note])], set(),
                  theme_context(key))
        )  # fmt: skip
    return template("site", entries)
