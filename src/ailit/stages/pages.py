"""One locale's documents: catalogue, course and module pages, notebooks and data files.

Every page sits at the same relative path in every locale, so the language switcher is a
relative link to the same page.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from markdown_it.token import Token
from markupsafe import Markup

from ailit.core import keys
from ailit.core.cache import Cache, load_json
from ailit.core.errors import ExecutionError
from ailit.core.files import link_or_copy
from ailit.core.keys import hash_files
from ailit.i18n import catalog
from ailit.i18n.catalog import entry_flags
from ailit.i18n.checks import errors
from ailit.i18n.extract import cell_units
from ailit.i18n.glossary import Entry, Glossary, locale_glossary, source_glossary
from ailit.i18n.segment import fence, shared_parser
from ailit.i18n.sitetext import COMPETENCIES, PLURALS, SITE
from ailit.model import bibliography, directives
from ailit.model.course import LEVELS, Course, Module
from ailit.model.language import babel_locale
from ailit.model.project import Language, Project
from ailit.stages import citations, exercises, footnotes, handout, references
from ailit.stages.execute import execute, merged_data
from ailit.stages.fallback import cell_fallback, normal
from ailit.stages.localize import Rejection, Translator, downloadable, localize
from ailit.stages.math import equation_numbers
from ailit.stages.render import PageText, markdown_cell_to_page, render_page, sanitize
from ailit.stages.templating import render


@dataclass(frozen=True)
class Shown:
    """A text for a page, and the source language it is still in when untranslated:
    then it is isolated in a ``<bdi>`` with that language and direction, so English
    punctuation stays in place on a right-to-left page (and a screen reader reads English)."""

    text: str
    lang: str = ""
    dir: str = ""

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        text = html.escape(self.text)
        return f'<bdi lang="{self.lang}" dir="{self.dir}">{text}</bdi>' if self.lang else text

    @classmethod
    def of(cls, text: str, source: str = "") -> Shown:
        """``text``, marked as still in the ``source`` language when one is given."""
        return cls(text, source, direction(source)) if source else cls(text)


def shown(translate: Translator, msgid: str, source: str) -> Shown:
    """A course field (title, summary, audience) translated, or marked as the source's."""
    text = translate(msgid)
    return Shown(text) if text is not None else Shown.of(msgid, source)


@functools.cache
def direction(code: str) -> str:
    """A language's writing direction, ``ltr`` or ``rtl`` (CLDR, through Babel)."""
    return str(babel_locale(code).text_direction)


@dataclass
class LocaleText:
    """Catalogues of one locale, as translators."""

    language: str
    site: Translator
    courses: dict[str, Translator]
    source_language: str = "en"

    def t(self, key: str, **values: object) -> str:
        if key in PLURALS:
            return self.n(key, **values)
        text = self.site.gettext(SITE[key])
        try:
            return text.format(**values) if values else text
        except (KeyError, IndexError, ValueError):
            return SITE[key].format(**values)

    def n(self, key: str, **values: object) -> str:
        """A count string in the form the count ``values[PLURALS[key][1]]`` takes."""
        singular, count = PLURALS[key]
        n = int(str(values[count]))
        text = self.site.ngettext(singular, SITE[key], n)
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return (singular if n == 1 else SITE[key]).format(**values)

    def shown(self, key: str, **values: object) -> Shown:
        """A site string as ``t`` gives it, marked when it is still the source's."""
        rejected = len(self.site.rejected)
        if key in PLURALS:
            forms = self.site.plural_forms(PLURALS[key][0], SITE[key])
            translated = self.site.is_source or forms is not None
        else:
            translated = self.site(SITE[key]) is not None
        del self.site.rejected[rejected:]  # t reports a rejection, once
        text = self.t(key, **values)
        return Shown(text) if translated else Shown.of(text, self.source_language)

    def course(self, slug: str) -> Translator:
        return self.courses[slug]


@dataclass
class DocsReport:
    """What building a locale's documents did: runs, fallbacks and rejected entries."""

    executed: int = 0
    from_cache: int = 0
    rendered: int = 0  # modules rendered; the others came whole from build/.cache/pages
    #: modules whose code failed, built with the error on their page (``--keep-going``)
    failures: list[str] = field(default_factory=list)
    fallback_units: int = 0
    total_units: int = 0
    rejected: list[Rejection] = field(default_factory=list)


def load_locale_text(project: Project, language: str) -> LocaleText:
    """Read site.po and each course's .po for a locale (missing files mean English)."""

    def translator(domain: str) -> Translator:
        path = project.po_path(language, domain)
        if language == project.source_language:
            return Translator(None, path, is_source=True)
        if not path.is_file():
            return Translator(None, path)
        return Translator(catalog.load(path, locale=language), path)

    return LocaleText(
        language,
        translator("site"),
        {course.slug: translator(course.slug) for course in project.courses},
        project.source_language,
    )


@dataclass
class Card:
    """A module as the catalogue, its course page and the curriculum map show it."""

    course: Course
    module: Module
    title: str
    summary: str = ""
    summary_lang: str = ""  # the source language, when the summary is not yet translated
    title_lang: str = ""  # the source language, when the title is not yet translated

    @property
    def label(self) -> Shown:
        """The title for a page: isolated with its language when untranslated."""
        return Shown.of(self.title, self.title_lang)

    @property
    def summary_dir(self) -> str:
        return direction(self.summary_lang) if self.summary_lang else ""

    @property
    def href(self) -> str:
        return f"{self.course.slug}/{self.module.slug}.html"

    @property
    def level(self) -> str:
        return str(self.module.meta.get("level") or self.course.level)


@dataclass
class _LocaleDocs:
    """What every page of one locale's build needs."""

    project: Project
    language: Language
    text: LocaleText
    page_text: PageText
    docs: Path
    timeout: int
    report: DocsReport
    #: module slug -> (course slug, title in the locale, its language when untranslated),
    #: for prerequisite links
    titles: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: the site catalogue's translations, part of every module's cache key
    site_entries: str = ""
    #: a module whose code fails gets the error on its page; the build goes on
    keep_going: bool = False


def write_docs(
    project: Project,
    language: Language,
    docs: Path,
    timeout: int,
    report: DocsReport,
    text: LocaleText | None = None,
    on_module: Callable[[int, int], None] | None = None,
    keep_going: bool = False,
) -> list[dict]:
    """Write the locale's pages into ``docs`` and return the mkdocs nav.

    ``on_module(done, total)`` is told after each module, for a progress display. With
    ``keep_going``, a module whose code fails is written with the error on its page and
    listed in ``report.failures`` instead of stopping the build.
    """
    text = text or load_locale_text(project, language.code)
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    page_text = PageText(
        gettext=text.site.gettext,
        figure_alt=text.t("figure_alt"),
        directive_titles={d.name: text.t(d.name) for d in directives.DIRECTIVES if d.title},
        source_language=project.source_language,
        language=text.language,
        source_direction=direction(project.source_language),
        quiz_right=text.t("quiz_right"),
        quiz_wrong=text.t("quiz_wrong"),
        untranslated=text.t("untranslated_mark"),
        show_code=text.t("show_code"),
        show_output=text.t("show_output"),
        show_cell=text.t("show_cell"),
    )  # fmt: skip
    build = _LocaleDocs(project, language, text, page_text, docs, timeout, report)
    build.keep_going = keep_going
    if text.site.catalog is not None:
        build.site_entries = _entries(text.site.catalog)
    for course in project.courses:
        for module in course.modules:
            owner = text.course(module.course if module.course in text.courses else course.slug)
            name = shown(owner, module.title, project.source_language)
            build.titles.setdefault(module.slug, (course.slug, name.text, name.lang))
    page_text.references = references.for_locale(
        project,
        lambda slug: text.course(slug).gettext if slug in text.courses else str,
        {kind: text.t(key, number="{number}") for kind, key in _NUMBERED.items()},
    )
    nav: list[dict] = [{_nav_title(text.t("courses")): "index.md"}]
    courses: list[tuple[Course, Translator, list[Card]]] = []
    total, done = sum(len(c.modules) for c in project.courses), 0
    for course in project.courses:
        translate = text.course(course.slug)
        title = translate.gettext(course.title.strip())
        module_nav: list[dict] = [{_nav_title(text.t("course")): f"{course.slug}/index.md"}]
        cards = []
        for module in course.modules:
            owner = text.course(module.course) if module.course in text.courses else translate
            card = _write_module(build, course, title, module, owner)
            done += 1
            if on_module is not None:
                on_module(done, total)
            module_nav.append({_nav_title(card.title): f"{course.slug}/{module.slug}.md"})
            cards.append(card)
        _write(docs / course.slug / "index.md", _course_page(course, translate, text, cards))
        _copy_assets(course, docs / course.slug)
        nav.append({_nav_title(title): module_nav})
        courses.append((course, translate, cards))
    _write(docs / "index.md", _catalogue_page(courses, text))
    _write(docs / "map.md", _map_page([c for _, _, cards in courses for c in cards], text))
    nav.append({_nav_title(text.t("curriculum_map")): "map.md"})
    glossary = _glossary_page(project, language.code, text, report.rejected)
    if glossary:
        _write(docs / "glossary.md", glossary)
        nav.append({_nav_title(text.t("glossary")): "glossary.md"})
    report.rejected.extend(text.site.rejected)
    for translator in text.courses.values():
        report.rejected.extend(translator.rejected)
    return nav


#: numbered kinds of block and their site strings ("Figure {number}")
_NUMBERED = {
    "figure": "figure_number",
    "exercise": "exercise_number",
    "table": "table_number",
    "solution": "solution_to",
}


def _write_module(
    build: _LocaleDocs, course: Course, course_title: str, module: Module, translate: Translator
) -> Card:
    """One module's files in the locale, rendered once per distinct input (build/.cache/pages).

    The key covers everything the files are made from: the module file and its data, the
    catalogue entries of its units and title, the site strings, the locale, every module
    title (prerequisite links) and ailit with its libraries. A translator's edit to one
    module re-renders that module only; a source edit, that module in every locale.
    """
    key = _module_key(build, course_title, module, translate)
    slot = build.project.cache_dir / "pages" / build.language.code / course.slug / module.slug
    cache = Cache(slot, newest_only=True)
    entry = cache.entry_folder(key)
    meta = _cached_meta(entry) if entry else None
    if entry is None or meta is None:
        try:
            with cache.new_folder(key) as work:
                meta = _render_module(build, course, course_title, module, translate, work)
                _copy_files(work, build.docs / course.slug)
        except ExecutionError as exc:
            if not build.keep_going:
                raise
            with tempfile.TemporaryDirectory(prefix="ailit-failed-") as folder:
                work = Path(folder)  # not kept: the next build runs the module again
                meta = _render_module(build, course, course_title, module, translate, work, exc)
                _copy_files(work, build.docs / course.slug)
            build.report.failures.append(str(exc))
        build.report.rendered += 1
    else:
        build.report.from_cache += 1
        _copy_files(entry, build.docs / course.slug)
    build.report.fallback_units += meta["fallback"]
    build.report.total_units += meta["total"]
    if translate.catalog is not None:
        for msgid, problem in meta["rejected"]:
            message = translate.catalog.get(msgid)
            line = message.lineno if message is not None else None
            translate.rejected.append(Rejection(msgid, problem, translate.path, line))
    return Card(
        course, module, meta["title"], meta["summary"], meta["summary_lang"], meta["title_lang"]
    )


_META = "meta.json"
#: The opening line of a fenced code block in a page body (CommonMark).
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_META_FIELDS = {"title", "title_lang", "summary", "summary_lang", "fallback", "total", "rejected"}


def _cached_meta(entry: Path) -> dict | None:
    """A cached module's facts, or None when the entry is damaged (a disk error, a hand
    edit, a missing files folder): the module is then rendered again."""
    meta = load_json(entry / _META, lambda meta: meta.keys() >= _META_FIELDS)
    return meta if (entry / "files").is_dir() else None


def _copy_files(entry: Path, target: Path) -> None:
    """The module's files from its cache entry into the locale's docs (shared, not copied)."""
    shutil.copytree(entry / "files", target, dirs_exist_ok=True, copy_function=link_or_copy)


def _module_key(
    build: _LocaleDocs, course_title: str, module: Module, translate: Translator
) -> str:
    head = (
        f"{keys.package_key()}\n{build.project.source_language}\n{build.language}\n{course_title}\n"
    )
    digest = hashlib.sha256(head.encode())
    digest.update(json.dumps(build.titles, sort_keys=True, ensure_ascii=False).encode())
    digest.update(build.site_entries.encode())
    files = [
        module.path,
        module.path.parent / "course.yml",
        *sorted(module.path.parent.glob("*.bib")),  # the course's bibliography
        *merged_data(module, build.language.code).values(),
        *(path for path, _ in references.module_media(module, build.project.courses_dir).values()),
    ]
    digest.update(build.page_text.references.key(module).encode())
    hash_files(digest, build.project.root, files)
    texts = [unit.text for _index, unit in _units(module)] + [module.title]
    if translate.catalog is not None:
        digest.update(_entries(translate.catalog, texts).encode())
    return digest.hexdigest()


def _entries(catalog: Catalog, msgids: list[str] | None = None) -> str:
    """The translations of ``msgids`` (default: all) as text: what a page is made from,
    not how the file is laid out, so re-wrapping or reordering a .po changes nothing."""
    if msgids is None:
        messages = sorted((m for m in catalog if m.id), key=lambda m: (str(m.id), str(m.context)))
    else:
        messages = [m for m in map(catalog.get, msgids) if m is not None]
    found = [[m.id, m.context, m.string, sorted(entry_flags(m))] for m in messages]
    return json.dumps(found, ensure_ascii=False)


def _render_module(
    build: _LocaleDocs,
    course: Course,
    course_title: str,
    module: Module,
    translate: Translator,
    work: Path,
    failure: ExecutionError | None = None,
) -> dict:
    """Localize, execute (cached), render and write one module with its handouts into
    ``work``, a new cache entry: its files and their facts (meta.json). With ``failure``
    (its code failed before) nothing runs and the page says what went wrong."""
    project, text, page_text, report = build.project, build.text, build.page_text, build.report
    code = build.language.code
    folder = work / "files"
    folder.mkdir(parents=True)
    rejected_before = len(translate.rejected)
    notebook = localize(module, translate)
    fallback = sum(len(c.metadata.get("ailit", {}).get("fallback", [])) for c in notebook.cells)
    if failure is None:
        notebook, ran = execute(module, notebook, code, project.cache_dir, build.timeout)
        if ran:
            report.executed += 1
        else:
            report.from_cache += 1
    page_text.teacher_guides.clear()
    markdown = (cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    page_text.footnotes = footnotes.collect(markdown)
    reference_list = _module_references(course, notebook, page_text)
    media = references.module_media(module, project.courses_dir)
    page_text.references.enter(course.slug, module, references.copy_media(media, folder))
    shown_notebook = exercises.join_gated(notebook)  # gated exercises and solutions as one cell
    body, outputs = render_page(shown_notebook, module.slug, page_text)
    for name, data in outputs.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    heading = shown(translate, module.title, project.source_language)
    title = heading.text
    guide = _teacher_page(module, title, text, page_text) if page_text.teacher_guides else ""
    header = _module_header(build, course.slug, module, heading, fallback, bool(guide))
    if failure is not None:
        header += render("module_failed.md", notice=_failure_notice(failure, text))
    _write(
        folder / f"{module.slug}.md",
        _front_matter(title)
        + header
        + _after_title(body)
        + reference_list
        + _download(module, text),
    )
    if guide:
        _write(folder / f"{module.slug}-teacher.md", guide)
    nbformat.write(downloadable(notebook, code), folder / f"{module.slug}.ipynb")
    for name, path in merged_data(module, code).items():
        (folder / "data").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / "data" / name)
    _write_handouts(build, course_title, module, title, shown_notebook, folder, bool(guide))
    summary, untranslated = _summary(notebook)
    rejected = [[r.msgid, r.problem] for r in translate.rejected[rejected_before:]]
    del translate.rejected[rejected_before:]  # reported from the entry, like a cached one
    meta = {
        "title": title,
        "title_lang": heading.lang,
        "summary": summary,
        "summary_lang": project.source_language if untranslated else "",
        "fallback": fallback,
        "total": sum(1 for _ in _units(module)),
        "rejected": rejected,
    }
    (work / _META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return meta


def _failure_notice(failure: ExecutionError, text: LocaleText) -> Shown:
    """What went wrong when the module's code ran, in the reader's language (the error's
    own words are Python's)."""
    if failure.cell is None:
        return text.shown("run_failed_kernel", message=failure.detail)
    if failure.cell_line is None:
        return text.shown("run_failed_cell", cell=failure.cell, message=failure.detail)
    return text.shown(
        "run_failed", cell=failure.cell, line=failure.cell_line, message=failure.detail
    )


def _write_handouts(
    build: _LocaleDocs,
    course_title: str,
    module: Module,
    title: str,
    notebook: nbformat.NotebookNode,
    folder: Path,
    has_guide: bool,
) -> None:
    """The module's printable handout and teacher guide, as PDFs beside its page."""
    text = build.text
    labels = {
        **{d.name: text.t(d.name) for d in directives.DIRECTIVES if d.title},
        "lesson": text.t("handout_lesson"),
        "name": text.t("handout_name"),
        "date": text.t("handout_date"),
        "exercise_number": text.t("exercise_number", number="{number}"),
        "solution_to": text.t("solution_to", number="{number}"),
    }
    sheet = handout.Sheet(
        build.language.code,
        build.language.direction,
        course_title,
        title,
        [(str(label), str(value)) for label, value in _facts(module.meta, text)],
        labels,
        build.project.source_language,
        direction(build.project.source_language),
        build.page_text.references,
        merged_data(module, build.language.code),
    )
    cache = build.project.cache_dir / "handouts"
    handout.write_pdf(
        handout.module_html(notebook, sheet), folder / f"{module.slug}-handout.pdf", cache
    )
    if has_guide:
        sheet.title = text.t("teacher_guide_for", title=title)
        handout.write_pdf(
            handout.guide_html(notebook, sheet), folder / f"{module.slug}-teacher.pdf", cache
        )


def _summary(notebook: nbformat.NotebookNode) -> tuple[str, bool]:
    """The module's one-line summary: its first paragraph (else first objective), as plain text.

    Also says whether that passage is still shown in the source language.
    """
    parser = shared_parser()
    objective: tuple[str, bool] = ("", False)
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or "remove-cell" in cell.metadata.get("tags", []):
            continue  # a removed cell is not on the page: not in its summary either
        fallback = cell_fallback(cell)
        tokens = parser.parse(cell.source)
        for index, token in enumerate(tokens):
            if token.type == "paragraph_open" and token.level == 0:
                inline = tokens[index + 1]
                plain = _plain(inline)
                if plain:
                    return plain, normal(inline.content) in fallback
            elif (block := fence(token)) and block.directive and block.directive.summary:
                for inner in parser.parse(token.content):
                    if inner.type == "inline" and _plain(inner) and not objective[0]:
                        objective = (_plain(inner), normal(inner.content) in fallback)
    return objective


def _plain(inline: Token) -> str:
    """The words of an inline token, without markup, images or raw HTML."""
    words = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
    return normal("".join(words))


def _units(module: Module):  # type: ignore[no-untyped-def]

    return cell_units(module)


def _glossary_page(
    project: Project, code: str, text: LocaleText, rejected: list[Rejection] | None = None
) -> str:
    """The locale's agreed AI terms with what each means (locales/<lang>/glossary.yml), as
    learners see them: one row per term, even where two English terms share it."""
    source = source_glossary(project)
    is_source = code == project.source_language
    local = source if is_source else locale_glossary(project, code)
    if local is None or not local.entries:
        return ""
    rows: dict[str, GlossaryRow] = {}
    for key, entry in local.entries.items():
        row = rows.setdefault(entry.term.casefold(), GlossaryRow(entry.term))
        origin = source.entries.get(key) if source else None
        english = origin.english if origin else entry.english
        if english not in row.english:
            row.english.append(english)
        definition = _definition(entry, origin, local, code, text.source_language, rejected)
        if definition is not None and definition not in row.definitions:
            row.definitions.append(definition)
    ordered = sorted(rows.values(), key=lambda row: _sort_key(row.term))
    return _front_matter(text.t("glossary")) + render(
        "glossary.md",
        t=text.shown,
        rows=ordered,
        english=not is_source,
        source_language=project.source_language,
        source_direction=direction(project.source_language),
    )


@dataclass
class GlossaryRow:
    """A term of the glossary page: its English terms and its definitions, rendered."""

    term: str
    english: list[str] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)


@dataclass(frozen=True)
class Definition:
    """A definition's sanitised HTML, and the source language it is in when not translated."""

    html: Markup
    lang: str = ""
    dir: str = ""


def _definition(
    entry: Entry,
    origin: Entry | None,
    local: Glossary,
    code: str,
    source_language: str,
    rejected: list[Rejection] | None,
) -> Definition | None:
    """A definition as inline Markdown, sanitised; the source's, marked, when the locale's is
    missing or fails an error check (as any translation would)."""
    if entry.definition and origin is not None and origin is not entry:
        problems = errors(origin.definition, entry.definition, locale=code)
        if not problems:
            return Definition(_inline(entry.definition))
        if rejected is not None:
            rejected.append(
                Rejection(origin.definition, problems[0].message, local.path, entry.line)
            )
    elif entry.definition:
        return Definition(_inline(entry.definition))  # the source's own, or a term the source lacks
    if origin is None or not origin.definition:
        return None
    return Definition(_inline(origin.definition), source_language, direction(source_language))


def _sort_key(term: str) -> tuple[str, str]:
    """Alphabetical as readers expect: "équité" among the e's, "أقرب" among the alifs."""
    letters = unicodedata.normalize("NFKD", term.casefold())
    return ("".join(c for c in letters if not unicodedata.combining(c)), term)


def _inline(text: str) -> Markup:
    return Markup(sanitize(shared_parser().renderInline(text)))


def _copy_assets(course: Course, target: Path) -> None:
    """Images and other files the lessons link to (data is copied per locale above)."""
    for folder in sorted(course.path.iterdir()):
        if (
            folder.is_dir()
            and folder.name not in ("data", "__pycache__")
            and not folder.name.startswith(".")
        ):
            shutil.copytree(folder, target / folder.name, dirs_exist_ok=True)


def _front_matter(title: str) -> str:
    return "---\ntitle: " + json.dumps(_nav_title(title), ensure_ascii=False) + "\n---\n\n"


def _nav_title(title: str) -> str:
    """A title as Material wants it in the navigation and <title>: HTML, written unescaped."""
    return html.escape(title, quote=False)


def _after_title(body: str) -> str:
    """The page body without its first ``# Title`` line, wherever it is (the header shows
    the title with the module's facts): a notebook may open with a badge or a code cell."""
    lines = body.splitlines()
    closing = ""  # what ends the code block or preformatted output we are in
    for index, line in enumerate(lines):
        if closing:
            stripped = line.strip()
            if closing == "</pre>":
                closing = "" if closing in line else closing
            elif stripped.startswith(closing) and not stripped.strip(closing[0]):
                closing = ""
            continue
        fence = _FENCE.match(line)
        if fence:
            closing = fence.group(1)
        elif "<pre" in line and "</pre>" not in line:
            closing = "</pre>"
        elif line.startswith("# "):
            before = lines[:index] if any(part.strip() for part in lines[:index]) else []
            return "\n".join(before + lines[index + 1 :]).lstrip("\n") + "\n"
    return body


def _module_references(course: Course, notebook: nbformat.NotebookNode, text: PageText) -> str:
    """Set the module's equation numbers and citations on ``text``; the reference list
    that ends the page, unless a ``{bibliography}`` directive places it."""
    sources = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    text.equations = equation_numbers(sources)
    text.cited, placed = citations.cited(sources, skip=("teacher-guide",))
    every, _ = citations.cited(sources)
    text.bibliography = {}
    if course.bibliography is not None and every:
        text.bibliography = bibliography.load(course.bibliography).references
    return "" if placed else _reference_list(text.cited, text)


def _reference_list(keys: list[str], text: PageText) -> str:
    """The "References" section that ends a page citing ``keys``."""
    listed = citations.reference_list(keys, text.bibliography)
    if not listed:
        return ""
    heading = html.escape(text.directive_titles.get("bibliography", "References"))
    return f'\n\n## {heading}\n\n<div class="ailit-text">\n{sanitize(listed).strip()}\n</div>\n'


def _teacher_page(module: Module, title: str, text: LocaleText, page_text: PageText) -> str:
    """The teacher guide on its own page, so it does not clutter the learner's reading."""

    heading = text.t("teacher_guide_for", title=title)
    guides = [
        Markup(markdown_cell_to_page(body, fallback, page_text))
        for body, fallback in page_text.teacher_guides
    ]
    cited, _ = citations.cited(body for body, _ in page_text.teacher_guides)
    return (
        _front_matter(heading)
        + render("teacher.md", t=text.shown, heading=heading, slug=module.slug, guides=guides)
        + _reference_list(cited, page_text)
    )


def _facts(meta: dict, text: LocaleText, level: str | None = None) -> list[tuple[Shown, Shown]]:
    """Level, age band and duration, as (label, value) in the locale's words."""
    facts = []
    level = level or meta.get("level")
    if level:
        facts.append((text.shown("level"), text.shown(f"level.{level}")))
    if meta.get("age"):
        facts.append((text.shown("age"), Shown(str(meta["age"]))))
    if meta.get("duration"):
        facts.append((text.shown("duration"), text.shown("minutes", minutes=meta["duration"])))
    return facts


def _module_header(
    build: _LocaleDocs, here: str, module: Module, title: Shown, fallback: int, has_guide: bool
) -> str:
    """Title, facts, prerequisites, competencies, the download buttons and the guide."""
    text = build.text
    meta = module.meta
    prerequisites = []
    for slug in meta.get("prerequisites") or []:
        if not isinstance(slug, str):
            continue
        course, name, lang = build.titles.get(slug, (here, slug, ""))
        href = f"{slug}.html" if course == here else f"../{course}/{slug}.html"
        prerequisites.append({"href": href, "title": Shown.of(name, lang)})
    competencies = [c for c in meta.get("competencies") or [] if f"competency.{c}" in SITE]
    ideas = [i for i in meta.get("big_ideas") or [] if f"big_idea.{i}" in SITE]
    topics = []
    if competencies:
        names = ", ".join(text.t(f"competency.{c}") for c in competencies)
        topics.append((text.t("competencies"), names))
    if ideas:
        names = ", ".join(f"{i}. {text.t(f'big_idea.{i}')}" for i in ideas)
        topics.append((text.t("big_ideas"), names))
    return render(
        "module_header.md",
        t=text.shown,
        title=title,
        fact_rows=_facts(meta, text),
        prerequisites=prerequisites,
        topics=topics,
        slug=module.slug,
        has_guide=has_guide,
        fallback=fallback,
    )


def _download(module: Module, text: LocaleText) -> str:
    return render("module_download.md", t=text.shown, slug=module.slug)


def _course_page(course: Course, translate: Translator, text: LocaleText, cards: list[Card]) -> str:
    source = text.source_language
    title = shown(translate, course.title.strip(), source)
    facts = [(text.shown("audience"), shown(translate, course.audience.strip(), source)),
             (text.shown("level"), text.shown("level." + course.level)),
             (text.shown("duration"), text.shown("minutes", minutes=course.duration))]  # fmt: skip
    return _front_matter(title.text) + render(
        "course.md",
        t=text.shown,
        title=title,
        summary=shown(translate, course.summary.strip(), source),
        fact_rows=facts,
        cards=[_card(card, text, href=f"{card.module.slug}.html") for card in cards],
    )


def _card(card: Card, text: LocaleText, href: str) -> dict:
    """One module for the card template: facts, competencies; data-* values for the filters."""
    meta = card.module.meta
    competencies = [c for c in meta.get("competencies") or [] if c in COMPETENCIES]
    facts = _facts(meta, text, card.level)
    if competencies:
        names = ", ".join(text.t(f"competency.{c}") for c in competencies)
        facts.append((text.shown("competencies"), Shown(names)))
    data = {
        "level": " ".join(_level_fits(card.level)),
        "age": str(meta.get("age") or ""),
        "duration": str(meta.get("duration") or ""),
        "competency": " ".join(competencies),
    }
    return {"card": card, "href": href, "facts": facts, "data": data}


def _level_fits(level: str) -> list[str]:
    """The filter values a module of this level answers to ("all" fits every level)."""
    if level == "all":
        return list(LEVELS)
    if level == "beginner-intermediate":
        return [level, "beginner", "intermediate"]
    return [level]


def _catalogue_page(courses: list[tuple[Course, Translator, list[Card]]], text: LocaleText) -> str:
    """Courses and their modules as cards, with filters that ailit.js turns on."""
    cards = [card for _, _, entries in courses for card in entries]
    listed = [
        {
            "slug": course.slug,
            "title": shown(translate, course.title.strip(), text.source_language),
            "summary": shown(translate, course.summary.strip(), text.source_language),
            "cards": [_card(card, text, href=card.href) for card in entries],
        }
        for course, translate, entries in courses
    ]
    return _front_matter(text.t("courses")) + render(
        "catalogue.md",
        t=text.shown,
        selects=_filters(cards, text),
        courses=listed,
        total=len(cards),
    )


def _filters(cards: list[Card], text: LocaleText) -> list[dict]:
    """Level, age band, duration and competency choices, from the modules listed."""
    levels = sorted(
        {c.level for c in cards}, key=lambda lvl: LEVELS.index(lvl) if lvl in LEVELS else 99
    )
    ages = sorted(
        {str(c.module.meta["age"]) for c in cards if c.module.meta.get("age")}, key=_age_key
    )
    durations = sorted(
        {int(c.module.meta["duration"]) for c in cards if c.module.meta.get("duration")}
    )
    used = {x for c in cards for x in c.module.meta.get("competencies") or []}
    selects = [
        ("level", text.t("level"), "any", [(lvl, text.t(f"level.{lvl}")) for lvl in levels]),
        # a module for 11+ suits a learner of 12: "12+" keeps every minimum age up to 12
        ("age", text.t("age"), "max", [(a, a) for a in ages]),
        ("duration", text.t("duration"), "max",
         [(str(d), text.t("filter_up_to", minutes=d)) for d in durations]),
        ("competency", text.t("competencies"), "any",
         [(c, text.t(f"competency.{c}")) for c in COMPETENCIES if c in used]),
    ]  # fmt: skip
    return [
        {"key": key, "label": label, "match": match, "options": options}
        for key, label, match, options in selects
    ]


def _age_key(age: str) -> tuple[int, str]:
    match = re.search(r"\d+", age)
    return (int(match.group()) if match else 999, age)


def _map_page(cards: list[Card], text: LocaleText) -> str:
    """Modules against the UNESCO competency framework and the AI4K12 big ideas, gaps shown."""
    seen: dict[str, Card] = {}
    for card in cards:
        seen.setdefault(card.href, card)
    modules = list(seen.values())

    def covering(key: str, value: object) -> list[Card]:
        return [c for c in modules if value in (c.module.meta.get(key) or [])]

    def table(ident: str, caption: str, heads: list[str], rows: list[dict], total: int,
              missing: list[str]) -> dict:  # fmt: skip
        """One table with its summary line: how much is covered, which parts are not."""
        return {
            "ident": ident,
            "caption": caption,
            "heads": heads,
            "rows": rows,
            "covered": text.t("covered_count", covered=total - len(missing), total=total),
            "gaps": text.t("gaps", names=", ".join(missing)) if missing else None,
        }

    dimensions = list(dict.fromkeys(d for d, _ in COMPETENCIES.values()))
    stages = list(dict.fromkeys(s for _, s in COMPETENCIES.values()))
    by_place = {place: cid for cid, place in COMPETENCIES.items()}
    progressions = [text.t("progression." + _slug(s)) for s in stages]
    rows = []
    for dimension in dimensions:
        cells = []
        for stage, progression in zip(stages, progressions, strict=True):
            cid = by_place[(dimension, stage)]
            name = text.t(f"competency.{cid}")
            cells.append(
                {"cards": covering("competencies", cid), "label": name, "stage": progression}
            )
        rows.append({"heading": text.t("dimension." + _slug(dimension)), "cells": cells})
    gaps = [
        text.t(f"competency.{cid}") for cid in COMPETENCIES if not covering("competencies", cid)
    ]
    unesco = table("ailit-map-unesco", text.t("unesco_caption"), [text.t("dimension"), *progressions],
                   rows, len(COMPETENCIES), gaps)  # fmt: skip
    ideas = [key.split(".")[1] for key in SITE if key.startswith("big_idea.")]
    idea_rows = [
        {
            "heading": f"{i}. {text.t('big_idea.' + i)}",
            "cells": [{"cards": covering("big_ideas", int(i)), "label": "", "stage": ""}],
        }
        for i in ideas
    ]
    idea_gaps = [text.t(f"big_idea.{i}") for i in ideas if not covering("big_ideas", int(i))]
    big_ideas = table("ailit-map-ai4k12", text.t("ai4k12_caption"), [text.t("big_idea"), text.t("modules")],
                      idea_rows, len(ideas), idea_gaps)  # fmt: skip
    return _front_matter(text.t("curriculum_map")) + render(
        "map.md", t=text.shown, unesco=unesco, ideas=big_ideas
    )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
