"""One locale's documents: catalogue, course and module pages, notebooks and data files.

Every page sits at the same relative path in every locale, so the language switcher is a
relative link to the same page.
"""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ailit import catalog
from ailit.course import Course, Module
from ailit.execute import execute, merged_data
from ailit.localize import Rejection, Translator, downloadable, localize
from ailit.project import Language, Project
from ailit.render import PageText, render_page
from ailit.sitetext import SITE


@dataclass
class LocaleText:
    """Catalogues of one locale, as translators."""

    language: str
    site: Translator
    courses: dict[str, Translator]

    def t(self, key: str, **values: object) -> str:
        text = self.site.gettext(SITE[key])
        try:
            return text.format(**values) if values else text
        except (KeyError, IndexError, ValueError):
            return SITE[key].format(**values)

    def course(self, slug: str) -> Translator:
        return self.courses[slug]


@dataclass
class DocsReport:
    """What building a locale's documents did: runs, fallbacks and rejected entries."""

    executed: int = 0
    from_cache: int = 0
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
    )


@dataclass
class Card:
    """A module as the catalogue, its course page and the curriculum map show it."""

    course: Course
    module: Module
    title: str
    summary: str = ""
    summary_fallback: bool = False  # the summary is still in the source language

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
    #: module slug -> (course slug, title in the locale), for prerequisite links
    titles: dict[str, tuple[str, str]] = field(default_factory=dict)


def write_docs(
    project: Project, language: Language, docs: Path, timeout: int, report: DocsReport
) -> list[dict]:
    """Write the locale's pages into ``docs`` and return the mkdocs nav."""
    text = load_locale_text(project, language.code)
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    page_text = PageText(
        gettext=text.site.gettext,
        figure_alt=text.t("figure_alt"),
        directive_titles={k: text.t(k) for k in
                          ("note", "tip", "warning", "important", "caution", "objectives",
                           "unplugged", "quiz", "teacher-guide")},
        source_language=project.source_language,
        quiz_right=text.t("quiz_right"),
        quiz_wrong=text.t("quiz_wrong"),
        untranslated=text.t("untranslated_mark"),
    )  # fmt: skip
    build = _LocaleDocs(project, language, text, page_text, docs, timeout, report)
    for course in project.courses:
        for module in course.modules:
            owner = text.course(module.course) if module.course in text.courses else None
            translate = owner or text.course(course.slug)
            build.titles.setdefault(module.slug, (course.slug, translate.gettext(module.title)))
    nav: list[dict] = [{text.t("courses"): "index.md"}]
    courses: list[tuple[Course, Translator, list[Card]]] = []
    for course in project.courses:
        translate = text.course(course.slug)
        title = translate.gettext(course.title.strip())
        module_nav: list[dict] = [{text.t("course"): f"{course.slug}/index.md"}]
        cards = []
        for module in course.modules:
            owner = text.course(module.course) if module.course in text.courses else translate
            card = _write_module(build, course, title, module, owner)
            module_nav.append({card.title: f"{course.slug}/{module.slug}.md"})
            cards.append(card)
        _write(docs / course.slug / "index.md", _course_page(course, translate, text, cards))
        _copy_assets(course, docs / course.slug)
        nav.append({title: module_nav})
        courses.append((course, translate, cards))
    _write(docs / "index.md", _catalogue_page(courses, text))
    _write(docs / "map.md", _map_page([c for _, _, cards in courses for c in cards], text))
    nav.append({text.t("curriculum_map"): "map.md"})
    glossary = _glossary_page(project, language.code, text)
    if glossary:
        _write(docs / "glossary.md", glossary)
        nav.append({text.t("glossary"): "glossary.md"})
    report.rejected.extend(text.site.rejected)
    for translator in text.courses.values():
        report.rejected.extend(translator.rejected)
    return nav


def _write_module(
    build: _LocaleDocs, course: Course, course_title: str, module: Module, translate: Translator
) -> Card:
    """Localize, execute (cached), render and write one module with its handouts."""
    project, text, page_text, report = build.project, build.text, build.page_text, build.report
    code = build.language.code
    notebook = localize(module, translate)
    fallback = sum(len(c.metadata.get("ailit", {}).get("fallback", [])) for c in notebook.cells)
    report.fallback_units += fallback
    report.total_units += sum(1 for _ in _units(module))
    notebook, ran = execute(module, notebook, code, project.cache_dir, build.timeout)
    if ran:
        report.executed += 1
    else:
        report.from_cache += 1
    folder = build.docs / course.slug
    page_text.teacher_guides.clear()
    body, outputs = render_page(notebook, module.slug, page_text)
    for name, data in outputs.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    title = translate.gettext(module.title)
    guide = _teacher_page(module, title, text, page_text) if page_text.teacher_guides else ""
    header = _module_header(build, module, title, fallback, bool(guide))
    _write(
        folder / f"{module.slug}.md",
        _front_matter(title) + header + _after_title(body) + _download(module, text),
    )
    if guide:
        _write(folder / f"{module.slug}-teacher.md", guide)
    nbformat.write(downloadable(notebook, code), folder / f"{module.slug}.ipynb")
    for name, path in merged_data(module, code).items():
        (folder / "data").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / "data" / name)
    _write_handouts(build, course_title, module, title, notebook, folder, bool(guide))
    summary, summary_fallback = _summary(notebook)
    return Card(course, module, title, summary, summary_fallback)


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
        "objectives": text.t("objectives"),
        "lesson": text.t("handout_lesson"),
        "unplugged": text.t("unplugged"),
        "quiz": text.t("quiz"),
        "name": text.t("handout_name"),
        "date": text.t("handout_date"),
    }
    sheet = handout.Sheet(
        build.language.code,
        build.language.direction,
        course_title,
        title,
        _facts(module.meta, text),
        labels,
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
    parser = markdown_parser()
    objective: tuple[str, bool] = ("", False)
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        fallback = {_normal(t) for t in cell.metadata.get("ailit", {}).get("fallback", [])}
        tokens = parser.parse(cell.source)
        for index, token in enumerate(tokens):
            if token.type == "paragraph_open" and token.level == 0:
                inline = tokens[index + 1]
                plain = _plain(inline)
                if plain:
                    return plain, _normal(inline.content) in fallback
            elif token.type == "colon_fence" and token.info.strip() == "{objectives}":
                for inner in parser.parse(token.content):
                    if inner.type == "inline" and _plain(inner) and not objective[0]:
                        objective = (_plain(inner), _normal(inner.content) in fallback)
    return objective


def _plain(inline: Token) -> str:
    """The words of an inline token, without markup, images or raw HTML."""
    words = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
    return _normal("".join(words))


def _normal(text: str) -> str:
    return " ".join(text.split())


def _units(module: Module):  # type: ignore[no-untyped-def]
    from ailit.extract import cell_units

    return cell_units(module)


def _glossary_page(project: Project, code: str, text: LocaleText) -> str:
    """The locale's agreed AI terms (locales/<lang>/glossary.yml), as learners see them."""
    from ailit.workflow import load_glossary

    terms = load_glossary(project, code)
    if not terms:
        return ""
    esc = html.escape
    rows = "".join(
        f'<tr><td>{esc(local)}</td><td lang="{esc(project.source_language)}">{esc(english)}</td></tr>'
        for english, local in sorted(terms.items(), key=lambda item: item[1].lower())
    )
    return (
        _front_matter(text.t("glossary"))
        + f"# {_md_escape(text.t('glossary'))}\n\n<p>{esc(text.t('glossary_intro'))}</p>\n\n"
        + f'<table class="ailit-glossary"><thead><tr><th>{esc(text.t("glossary"))}</th>'
        + f"<th>{esc(text.t('english_term'))}</th></tr></thead><tbody>{rows}</tbody></table>\n"
    )


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
    return "---\ntitle: " + json.dumps(title, ensure_ascii=False) + "\n---\n\n"


def _after_title(body: str) -> str:
    """The page body without its first ``# Title`` line (the header repeats it with metadata)."""
    lines = body.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[index + 1 :]).lstrip("\n") + "\n"
        if line.strip():
            break
    return body


def _teacher_page(module: Module, title: str, text: LocaleText, page_text: PageText) -> str:
    """The teacher guide on its own page, so it does not clutter the learner's reading."""
    from ailit.render import markdown_cell_to_page

    heading = text.t("teacher_guide_for", title=title)
    parts = [_front_matter(heading), "# " + _md_escape(heading), ""]
    parts.append(f'<p class="ailit-teacher-link"><a href="{html.escape(module.slug)}.html">'
                 f"{html.escape(text.t('back_to_module'))}</a></p>\n")  # fmt: skip
    for body, fallback in page_text.teacher_guides:
        parts.append(markdown_cell_to_page(body, fallback, page_text))
    return "\n".join(parts)


def _md_escape(text: str) -> str:
    return html.escape(text, quote=False).replace("#", "&#35;").replace("{", "&#123;")


def _module_header(
    module: Module, title: str, text: LocaleText, fallback: int, has_guide: bool
) -> str:
    """Title, level, age, duration, prerequisites, competencies, the guide, untranslated note."""
    meta = module.meta
    esc = html.escape
    title_line = "# " + esc(title, quote=False).replace("#", "&#35;").replace("{", "&#123;")
    facts = []
    if meta.get("level"):
        facts.append((text.t("level"), text.t(f"level.{meta['level']}")))
    if meta.get("age"):
        facts.append((text.t("age"), str(meta["age"])))
    if meta.get("duration"):
        facts.append((text.t("duration"), text.t("minutes", minutes=meta["duration"])))
    rows = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in facts)
    parts = [title_line, "", f'<dl class="ailit-facts">{rows}</dl>' if rows else ""]
    prerequisites = meta.get("prerequisites") or []
    if prerequisites:
        links = ", ".join(
            f'<a href="{esc(p)}.html">{esc(p)}</a>' for p in prerequisites if isinstance(p, str)
        )
        parts += ["", f'<p class="ailit-prerequisites">{esc(text.t("prerequisites"))}: {links}</p>']
    competencies = [c for c in meta.get("competencies") or [] if f"competency.{c}" in SITE]
    ideas = [i for i in meta.get("big_ideas") or [] if f"big_idea.{i}" in SITE]
    if competencies or ideas:
        line = []
        if competencies:
            names = ", ".join(text.t(f"competency.{c}") for c in competencies)
            line.append(f"{esc(text.t('competencies'))}: {esc(names)}")
        if ideas:
            names = ", ".join(f"{i}. {text.t(f'big_idea.{i}')}" for i in ideas)
            line.append(f"{esc(text.t('big_ideas'))}: {esc(names)}")
        parts += ["", f'<p class="ailit-competencies">{" · ".join(line)}</p>']
    if has_guide:
        parts += ["", f'<p class="ailit-teacher-link"><a class="md-button" href="{esc(module.slug)}-teacher.html">'
                  f"{esc(text.t('teacher_guide_link'))}</a></p>"]  # fmt: skip
    if fallback:
        note = text.t("untranslated_count", count=fallback)
        parts += ["", f'<p class="ailit-untranslated-note">{esc(note)}</p>']
    return "\n".join(parts) + "\n\n"


def _download(module: Module, text: LocaleText) -> str:
    esc = html.escape
    return (
        f'\n<p class="ailit-download"><a class="md-button md-button--primary" '
        f'href="{esc(module.slug)}.ipynb" download>{esc(text.t("download_notebook"))}</a> '
        f"{esc(text.t('notebook_help'))}</p>\n"
    )


def _course_page(
    course: Course, translate: Translator, text: LocaleText, entries: list[tuple[Module, str]]
) -> str:
    esc = html.escape
    title = translate.gettext(course.title.strip())
    summary = translate.gettext(course.summary.strip())
    audience = translate.gettext(course.audience.strip())
    items = "".join(f'<li><a href="{esc(m.slug)}.html">{esc(t)}</a></li>' for m, t in entries)
    return (
        _front_matter(title)
        + f"# {esc(title).replace('#', '&#35;')}\n\n"
        + f'<p class="ailit-summary">{esc(summary)}</p>\n\n'
        + f'<dl class="ailit-facts"><div><dt>{esc(text.t("audience"))}</dt><dd>{esc(audience)}</dd></div>'
        + f"<div><dt>{esc(text.t('level'))}</dt><dd>{esc(text.t('level.' + course.level))}</dd></div>"
        + f"<div><dt>{esc(text.t('duration'))}</dt><dd>{esc(text.t('minutes', minutes=course.duration))}</dd></div></dl>\n\n"
        + f'## {esc(text.t("modules"))}\n\n<ol class="ailit-modules">{items}</ol>\n'
    )


def _catalogue_page(
    cards: list[tuple[Course, Translator, list[tuple[Module, str]]]], text: LocaleText
) -> str:
    esc = html.escape
    out = [_front_matter(text.t("courses")), f"# {esc(text.t('courses'))}\n",
           f'<p>{esc(text.t("catalogue_intro"))}</p>\n']  # fmt: skip
    for course, translate, entries in cards:
        title = translate.gettext(course.title.strip())
        summary = translate.gettext(course.summary.strip())
        items = "".join(
            f'<li><a href="{esc(course.slug)}/{esc(m.slug)}.html">{esc(t)}</a>'
            f'<span class="ailit-card-meta">{esc(text.t("level." + str(m.meta.get("level", course.level))))}'
            f" · {esc(text.t('minutes', minutes=m.meta.get('duration', '?')))}</span></li>"
            for m, t in entries
        )
        out.append(
            f'<section class="ailit-course-card"><h2><a href="{esc(course.slug)}/index.html">'
            f"{esc(title)}</a></h2>\n<p>{esc(summary)}</p>\n<ol>{items}</ol></section>\n"
        )
    return "\n".join(out)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
