"""The translator's commands as functions: extract, update, status, check, init-locale."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from ailit.commands.scaffold import MARKER
from ailit.core.errors import AilitError, CatalogueError, CourseError
from ailit.i18n import catalog, checks
from ailit.i18n.catalog import _first, _has_text
from ailit.i18n.codes import IGNORE_FLAGS, IGNORE_PREFIX, CheckCode, ignore_flag
from ailit.i18n.extract import cell_units, course_template, site_template
from ailit.i18n.glossary import (
    Glossary,
    load_glossary,
    locale_glossary,
    locale_path,
    source_glossary,
)
from ailit.i18n.merge import merge, new_catalog
from ailit.i18n.segment import fences
from ailit.i18n.sitetext import THEME_CONTEXT, material_strings
from ailit.i18n.status import read_templates
from ailit.i18n.unsupported import unsupported
from ailit.model import directives as directive_table
from ailit.model import targets
from ailit.model.course import TEXT_FIELDS, Course
from ailit.model.language import babel_locale
from ailit.model.project import Project
from ailit.stages.math_checks import module_problems


def templates(project: Project) -> dict[str, Catalog]:
    """Every catalogue template of the project, by domain."""
    result = {course.slug: course_template(course, project.root) for course in project.courses}
    result["site"] = site_template()
    return result


def extract(project: Project) -> list[Path]:
    """Write ``locales/<domain>.pot``; returns the files that changed."""
    written = []
    for domain, pot in templates(project).items():
        path = project.pot_path(domain)
        if catalog.save(path, pot):
            written.append(path)
    return written


def update(project: Project, locales: list[str] | None = None) -> list[Path]:
    """Merge the templates into every locale's .po (creating missing ones)."""
    codes = locales or [lang.code for lang in project.languages]
    for code in codes:
        project.language(code)
    pots = {}
    for domain in project.domains():
        path = project.pot_path(domain)
        if not path.is_file():
            raise CatalogueError("template missing: run 'ailit extract' first", path)
        pots[domain] = catalog.load(path)
    written = []
    for code in codes:
        for domain, pot in pots.items():
            path = project.po_path(code, domain)
            old = catalog.load(path, locale=code) if path.is_file() else new_catalog(code, pot)
            merged = merge(old, pot)
            if domain == "site":
                _prefill_theme(merged, code)
            if catalog.save(path, merged):
                written.append(path)
    return written


def _prefill_theme(po: Catalog, code: str) -> None:
    """Material's own interface translations, where it has this language, start the work."""
    own = material_strings(code)
    for message in po:
        if (
            message.context
            and message.context.startswith(THEME_CONTEXT + ":")
            and not message.string
        ):
            key = message.context.split(":", 1)[1]
            if key in own and own[key] != material_strings("en").get(key):
                message.string = own[key]
                if checks.check(str(message.id), own[key], markdown=False, locale=code):
                    message.flags.add(ignore_flag(CheckCode.NUMBERS))  # Material's words for "1"


def init_locale(project: Project, code: str) -> list[Path]:
    """Create every catalogue of a new locale; the caller adds it to languages.yml."""
    babel_locale(code)
    extract(project)
    written = []
    for domain in project.domains():
        pot = catalog.load(project.pot_path(domain))
        path = project.po_path(code, domain)
        if path.exists():
            continue
        po = merge(new_catalog(code, pot), pot)
        if domain == "site":
            _prefill_theme(po, code)
        catalog.save(path, po)
        written.append(path)
    return written


@dataclass
class Finding:
    """One check result with where it is."""

    path: Path
    line: int | None
    severity: str
    code: CheckCode
    message: str
    msgid: str = ""

    def __str__(self) -> str:
        where = f"{_rel(self.path)}:{self.line}" if self.line else _rel(self.path)
        about = f" ({self.msgid[:40]!r})" if self.msgid else ""
        return f"{where}: {self.severity}: [{self.code}] {self.message}{about}"


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def check(project: Project) -> CheckReport:
    """Every validation: courses load, catalogues parse, every translation passes its checks."""
    report = CheckReport()
    unloaded: list[CourseError] = []  # loading validates course.yml and every notebook
    courses = project.load_courses(unloaded)
    for error in unloaded:
        report.findings.append(Finding(error.path or project.courses_dir, error.line,
                                       "error", CheckCode.COURSE, error.message))  # fmt: skip
    for course in courses:
        report.findings += _check_course(project, course)
    pots: dict[str, Catalog] | None = None  # read once, when a catalogue needs them
    for language in project.languages:
        for domain in project.domains():
            path = project.po_path(language.code, domain)
            if not path.is_file():
                continue
            try:
                po = catalog.load(path, locale=language.code)
            except AilitError as exc:
                report.findings.append(
                    Finding(path, exc.line, "error", CheckCode.SYNTAX, exc.message)
                )
                continue
            report.findings += _check_header(path, po, language.code)
            pots = read_templates(project) if pots is None else pots
            report.findings += _check_template(project, domain, path, po, pots.get(domain))
            glossary = load_glossary(project, language.code)
            for message in po:
                report.findings += _check_flags(path, message)
                if not message.id or not _has_text(message) or message.fuzzy:
                    continue
                text = catalog.published(message) or ""
                markdown = "md-text" in message.flags
                flags = catalog.entry_flags(message)
                problems = checks.check(_first(message.id), text, flags, markdown, language.code)
                for msgid, form in checks.entry_forms(message)[1:]:  # other plural forms
                    if form:
                        problems += checks.errors(msgid, form, flags, markdown, language.code)
                if ignore_flag(CheckCode.GLOSSARY) not in flags:
                    problems += checks.glossary(_first(message.id), text, glossary, markdown)
                for problem in problems:
                    report.findings.append(
                        Finding(path, message.lineno, problem.severity, problem.code,
                                problem.message, _first(message.id))
                    )  # fmt: skip
        report.findings += _check_glossary(project, language.code)
    return report


def _check_glossary(project: Project, code: str) -> list[Finding]:
    """A locale's glossary lists every term of the source glossary, each defined and checked."""
    source = source_glossary(project)
    if source is None or code == project.source_language:
        return []
    local = locale_glossary(project, code)
    if local is None:
        local = Glossary(locale_path(project, code), {})
    return [
        Finding(local.path, found.line, found.problem.severity, found.problem.code,
                found.problem.message, found.english)
        for found in checks.glossary_terms(source, local, _rel(source.path), code)
    ]  # fmt: skip


_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)")


#: which check of ``model.targets`` found a problem -> its code
_TARGET_CODES = {"reference": "reference", "media": "media", "execution": "execution-dependent"}


def _check_course(project: Project, course: Course) -> list[Finding]:
    """Unwritten placeholders, parts the course requires but a module lacks, images without
    alt text."""
    found = []
    for name in TEXT_FIELDS:
        if MARKER in getattr(course, name):
            found.append(Finding(course.yml, course.field_lines.get(name), "error", CheckCode.UNWRITTEN,
                                 f"course field '{name}' is not written yet"))  # fmt: skip
    labels = targets.course_targets(course)
    modules = {m.slug: c.slug for c in project.courses for m in c.modules}
    for module in course.modules:
        if module.course != course.slug:
            continue  # checked with the course that owns it
        directives: set[str] = set()
        for number, cell in enumerate(module.notebook.cells):
            if cell.cell_type == "markdown":
                directives |= {block.name for block in fences(cell.source)}
                for use in unsupported(cell.source):
                    found.append(Finding(module.path, module.cell_lines[number] + use.line - 1,
                                         "warning", CheckCode.UNSUPPORTED, use.message()))  # fmt: skip
        for index, unit in cell_units(module):
            line = module.cell_lines[index] + unit.line - 1
            if MARKER in unit.text:
                found.append(Finding(module.path, line, "error", CheckCode.UNWRITTEN,
                                     f"{unit.kind} not written yet", unit.text))  # fmt: skip
            for alt, src in _IMAGE.findall(unit.text):
                if not alt.strip():
                    found.append(Finding(module.path, line, "error", CheckCode.ALT_TEXT,
                                         f"image {src!r} has no alt text: describe it for readers who cannot see it"))  # fmt: skip
        for path, at, severity, code, message in module_problems(module, course.bibliography):
            found.append(Finding(path, at, severity, code, message))
        for problem in targets.module_problems(module, labels, modules, project.courses_dir):
            found.append(Finding(module.path, problem.line, problem.severity,
                                 CheckCode(_TARGET_CODES[problem.check]), problem.message))  # fmt: skip
        for name in course.requires:
            part = directive_table.directive(name)
            if part is not None and name not in directives:
                found.append(Finding(module.path, None, "warning", CheckCode.PARTS,
                                     f"module lacks {part.required} (:::{{{name}}}), "
                                     "which course.yml requires"))  # fmt: skip
    return found


def _check_template(
    project: Project, domain: str, path: Path, po: Catalog, pot: Catalog | None
) -> list[Finding]:
    """An entry whose msgid is not in the template (an edited msgid) is never published."""
    if pot is None:
        return []
    pot_path = project.pot_path(domain)
    return [
        Finding(path, message.lineno, "error", CheckCode.UNKNOWN_MSGID,
                f"msgid not in the template {pot_path.name} (edited by hand?): never published; "
                "restore it as in the template, or run 'ailit update'", _first(message.id))
        for message in po
        if message.id and pot.get(message.id, message.context) is None
    ]  # fmt: skip


def _check_flags(path: Path, message: Message) -> list[Finding]:
    """An ``ailit-ignore-*`` flag ailit does not know silences nothing: name it (a typo)."""
    known = ", ".join(sorted(IGNORE_FLAGS))
    found = []
    for flag in sorted(catalog.entry_flags(message)):
        if flag.startswith(IGNORE_PREFIX) and flag not in IGNORE_FLAGS:
            found.append(Finding(path, message.lineno, "warning", CheckCode.UNKNOWN_FLAG,
                                 f"unknown flag {flag!r} silences nothing (known: {known})",
                                 _first(message.id)))  # fmt: skip
    return found


def _check_header(path: Path, po: Catalog, code: str) -> list[Finding]:
    count, expression = catalog.plural_forms(code)
    found = []
    cldr = f"nplurals={count}; plural={expression}; (run 'ailit update' to set it)"
    if po.num_plurals != count:
        found.append(Finding(path, 1, "error", CheckCode.PLURALS,
                             f"Plural-Forms says nplurals={po.num_plurals}; {code} has "
                             f"{count} (CLDR): {cldr}"))  # fmt: skip
    elif not catalog.header_agrees(code, po.num_plurals, po.plural_expr):
        found.append(Finding(path, 1, "error", CheckCode.PLURALS,
                             f"Plural-Forms plural={po.plural_expr} chooses other forms than "
                             f"CLDR's for {code}: {cldr}"))  # fmt: skip
    for message in po:
        if message.pluralizable and _has_text(message) and not message.fuzzy:
            strings = list(message.string or ())
            if len(strings) != count or not all(strings):
                found.append(Finding(path, message.lineno, "error", CheckCode.PLURALS,
                                     f"needs all {count} plural forms (msgstr[0] to msgstr[{count - 1}])",
                                     _first(message.id)))  # fmt: skip
    return found
