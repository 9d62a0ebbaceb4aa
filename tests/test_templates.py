"""The pages' HTML from templates: escaped as html.escape does, bytes kept by golden files."""

from __future__ import annotations

import html
import os
from pathlib import Path
from types import ModuleType

import jinja2
import pytest
from markupsafe import Markup

from ailit.dist import bundle
from ailit.model.project import Language, Project
from ailit.site import build
from ailit.stages import pages
from ailit.stages.localize import Translator
from ailit.stages.pages import Card, DocsReport, LocaleText
from ailit.stages.render import PageText
from ailit.stages.templating import environment
from conftest import copy_project

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "pages"
#: what a careless or hostile translation might hold: markup, quotes, Markdown and format marks
HOSTILE = ' <script>alert("x")</script> & it\'s #{1}'


class HostileText(LocaleText):
    """A locale whose every interface string ends in ``HOSTILE``."""

    def t(self, key: str, **values: object) -> str:
        return super().t(key, **values) + HOSTILE


def rendered(
    root: Path, pages: ModuleType, build: ModuleType, bundle: ModuleType
) -> dict[str, str]:
    """Every templated page of a demo project in French, with hostile strings throughout."""
    glossary = root / "locales" / "fr" / "glossary.yml"
    glossary.write_text(
        'neuron: "neurone <n>"\ndataset: "jeu d\'données & co"\n'
        "model: {term: modèle, definition: Ce que l'ordinateur *construit*.}\n"
        "weight: {term: poids, definition: 'Un nombre <script>alert(1)</script>'}\n",
        "utf-8",
    )  # a definition with markup is refused: the source's is shown, marked as English
    (root / "locales" / "glossary.yml").write_text(
        "neuron: A tiny *calculator*.\nmodel: What a computer *builds*.\nweight: A number.\n",
        "utf-8",
    )
    project = Project(root)
    plain = pages.load_locale_text(project, "fr")
    text = HostileText(plain.language, plain.site, plain.courses)
    course = project.courses[0]
    translate = text.course(course.slug)
    cards = [
        Card(course, module, translate.gettext(module.title) + HOSTILE, "Résumé" + HOSTILE, "en")
        for module in course.modules
    ]
    cards[0].title_lang = "en"  # an untranslated title: isolated, in English's direction
    module = course.modules[1]
    module.meta.update(prerequisites=[course.modules[0].slug, "elsewhere"], big_ideas=[1, 9])
    page_text = PageText(gettext=text.site.gettext, figure_alt="", directive_titles={},
                         source_language="en", quiz_right="", quiz_wrong="", untranslated="")  # fmt: skip
    page_text.teacher_guides[:] = [("A *guide* for <b>teachers</b>", [])]
    docs = pages._LocaleDocs(
        project, project.language("fr"), text, page_text, root, 1, DocsReport()
    )
    docs.titles = {m.slug: (course.slug, "Titre'" + m.slug, "en") for m in course.modules}
    status = {
        "fr": {"name": "Fran<script>çais", "review": "reviewed", "preview": False,
               "total": {"percent": 62.5, "fuzzy": 1, "untranslated": 3},
               "parts": {"site": {"untranslated": 1, "fuzzy": 1},
                         f"{course.slug}/course.yml": {"untranslated": 2, "fuzzy": 0},
                         f"{course.slug}/{module.slug}": {"untranslated": 0, "fuzzy": 0}}},
        "x'y": {"name": "X\"Y", "review": "un<reviewed", "preview": True, "total": {},
                "parts": {f"{course.slug}/it's": {"untranslated": 4, "fuzzy": 0}}},
    }  # fmt: skip
    return {
        "catalogue.md": pages._catalogue_page([(course, translate, cards)], text),
        "course.md": pages._course_page(course, translate, text, cards),
        "map.md": pages._map_page(cards, text),
        "glossary.md": pages._glossary_page(project, "fr", text),
        "module-header.md": pages._module_header(docs, course.slug, module, cards[1].label, 2, True)
        + pages._download(module, text),
        "teacher.md": pages._teacher_page(module, cards[1].title, text, page_text),
        "chooser.html": build.chooser_page(project.languages),
        "translation.html": build._translation_page(status),
        "redirect.html": bundle.redirect_page(Language("ar", "Ara<script>bic'\"")).decode(),
    }


NAMES = ["catalogue.md", "course.md", "map.md", "glossary.md", "module-header.md", "teacher.md",
         "chooser.html", "translation.html", "redirect.html"]  # fmt: skip


@pytest.fixture(scope="module")
def demo_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = copy_project(HERE / "fixtures" / "demo", tmp_path_factory.mktemp("pages") / "demo")
    return rendered(root, pages, build, bundle)


@pytest.mark.parametrize("name", NAMES)
def test_page_keeps_its_bytes(demo_pages: dict[str, str], name: str) -> None:
    """The golden files were written by the f-string code the templates replaced."""
    expected = GOLDEN / name
    if os.environ.get("AILIT_UPDATE_GOLDEN"):
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(demo_pages[name], encoding="utf-8")
    assert demo_pages[name] == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [n for n in NAMES if n != "chooser.html"])  # names from Babel
def test_a_translation_cannot_add_markup(demo_pages: dict[str, str], name: str) -> None:
    body = demo_pages[name]  # the front matter too: Material writes its title as HTML
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert ("<b>teachers</b>" in body) == (name == "teacher.md")  # a guide is Markup, kept


def test_text_is_escaped_as_html_escape_escapes_it() -> None:
    value = "<a href='x'>\"Tom & Jerry\"</a>"
    got = environment().from_string('<p title="{{ v }}">{{ v }}{{ v|e }}</p>').render(v=value)
    assert got == f'<p title="{html.escape(value)}">{html.escape(value) * 2}</p>'
    assert "&#x27;" in got and "&quot;" in got and "&#39;" not in got and "&#34;" not in got


def test_markup_is_kept_and_markdown_text_loses_heading_marks() -> None:
    template = environment().from_string("{{ fragment }} # {{ title|md }}")
    got = template.render(fragment=Markup("<em>sanitised</em>"), title="#1 <it's> {.big}")
    assert got == "<em>sanitised</em> # &#35;1 &lt;it's&gt; &#123;.big}"


def test_a_missing_value_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(jinja2.UndefinedError):
        environment().from_string("{{ title }}").render()


def test_footer_is_translated_or_isolated_in_english() -> None:
    english = LocaleText("ar", Translator(None), {})
    footer = build._footer("Course text CC BY 4.0, code MIT.", english)
    assert footer["copyright"] == '<bdi lang="en" dir="ltr">Course text CC BY 4.0, code MIT.</bdi>'
    assert (footer["credit"], footer["credit_lang"]) == (["Made with ", ""], "en")
    assert build._footer(None, english)["copyright"] == ""  # no licence line in mkdocs.yml


def test_a_footer_translation_cannot_add_markup(tmp_path: Path) -> None:
    root = copy_project(HERE / "fixtures" / "demo", tmp_path / "demo")
    plain = pages.load_locale_text(Project(root), "fr")
    footer = build._footer("Course text CC BY 4.0, code MIT.", HostileText(*vars(plain).values()))
    assert footer["copyright"] == "Texte du cours CC BY 4.0, code MIT."
    assert footer["credit"] == ["Réalisé avec ", html.escape(HOSTILE)]
    assert footer["credit_lang"] == ""
