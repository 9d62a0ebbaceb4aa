"""The glossary: the same terms in every locale, each defined and checked, one row per term."""

from __future__ import annotations

from pathlib import Path

import pytest

from ailit.core.errors import CatalogueError
from ailit.i18n import checks
from ailit.i18n.codes import CheckCode
from ailit.i18n.glossary import load_glossary, locale_glossary, source_glossary
from ailit.model.project import Project
from ailit.site import build
from ailit.stages import pages
from conftest import ailit, copy_project

HERE = Path(__file__).parent
STARTER = HERE.parent

SOURCE = """\
# the course's terms
artificial intelligence: &ai Programs that do tasks we thought needed *thinking*.
AI: *ai
model: What a computer builds from examples.
bias: In a neuron, a number added to the inputs.
bias (unfair treatment): When a system treats some groups worse.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_project(HERE / "fixtures" / "demo", tmp_path / "demo")
    (root / "locales" / "glossary.yml").write_text(SOURCE, "utf-8")
    return root


def _write(root: Path, code: str, text: str) -> None:
    (root / "locales" / code / "glossary.yml").write_text(text, "utf-8")


def test_a_locale_glossary_gives_terms_and_definitions_in_either_form(project: Path) -> None:
    _write(project, "fr", "model: modèle\nAI: {term: IA, definition: Des programmes.}\n")
    glossary = locale_glossary(Project(project), "fr")
    assert glossary is not None
    assert glossary.entries["model"].term == "modèle" and not glossary.entries["model"].definition
    assert glossary.entries["ai"].definition == "Des programmes."
    assert glossary.entries["ai"].line == 2
    assert load_glossary(Project(project), "fr") == {"model": "modèle", "ai": "IA"}
    source = source_glossary(Project(project))
    assert source is not None and source.entries["ai"].definition.startswith("Programs that")


def test_a_misspelt_field_names_file_and_line(project: Path) -> None:
    _write(project, "fr", "model: modèle\nAI: {term: IA, definiton: Des programmes.}\n")
    with pytest.raises(CatalogueError) as caught:
        locale_glossary(Project(project), "fr")
    assert caught.value.line == 2 and "definiton" in caught.value.message


def test_check_names_a_missing_term_with_the_line_that_defines_it(project: Path) -> None:
    _write(project, "fr", (
        "artificial intelligence: {term: intelligence artificielle, definition: Des programmes.}\n"
        "AI: {term: IA, definition: Des programmes.}\n"
        "model: modèle\n"
        "bias: {term: biais, definition: 'Dans un neurone, un nombre <b>ajouté</b>.'}\n"
        "zebra: {term: zèbre, definition: Un animal.}\n"
    ))  # fmt: skip
    result = ailit("--project", str(project), "check", cwd=project)
    output = (result.stdout + result.stderr).splitlines()
    found = [line for line in output if "[glossary-terms]" in line]
    where = "locales/fr/glossary.yml"
    assert any(
        line.startswith(f"{where}: warning:") and "lacks the term 'bias (unfair treatment)'"
        in line and "locales/glossary.yml:6" in line for line in found
    ), found  # fmt: skip
    assert any(line.startswith(f"{where}:3:") and "'model' has no definition" in line
               for line in found)  # fmt: skip
    assert any(line.startswith(f"{where}:5:") and "'zebra' is not a term" in line for line in found)
    markup = [line for line in output if line.startswith(f"{where}:4:")]
    assert markup and "[html]" in markup[0] and "error" in markup[0]  # checked as a translation
    assert any(line.startswith("locales/ar/glossary.yml: warning: [glossary-terms] lacks the "
                               "term 'model'") for line in output)  # fmt: skip
    assert result.returncode == 1  # the definition with markup is an error


def test_definitions_are_checked_against_the_agreed_terms(project: Path) -> None:
    source = source_glossary(Project(project))
    _write(project, "fr", (
        "model: {term: modèle, definition: Ce que construit un ordinateur.}\n"
        "bias: {term: biais, definition: 'Dans un neurone, un nombre.'}\n"
        "neuron: {term: neurone}\n"
    ))  # fmt: skip
    local = locale_glossary(Project(project), "fr")
    assert source is not None and local is not None
    found = checks.glossary_terms(source, local, "locales/glossary.yml", "fr")
    assert [f.problem.code for f in found if f.english == "bias"] == []
    _write(project, "fr", "bias: {term: biais, definition: 'Dans une cellule, un nombre.'}\n"
                          "neuron: {term: neurone}\n")  # fmt: skip
    local = locale_glossary(Project(project), "fr")
    assert local is not None
    found = checks.glossary_terms(source, local, "locales/glossary.yml", "fr")
    assert [(f.problem.code, f.line) for f in found if f.english == "bias"] == [
        (CheckCode.GLOSSARY, 1)
    ]


def test_one_row_per_term_and_a_refused_definition_shows_the_source(project: Path) -> None:
    _write(project, "ar", (
        "artificial intelligence: {term: الذكاء الاصطناعي, definition: &ai برامج.}\n"
        "AI: {term: الذكاء الاصطناعي, definition: *ai}\n"
        "bias: {term: تحيّز, definition: في العصبون عدد.}\n"
        "bias (unfair treatment): {term: تحيّز, definition: '<img src=x onerror=alert(1)>'}\n"
    ))  # fmt: skip
    text = pages.load_locale_text(Project(project), "ar")
    rejected: list = []
    page = pages._glossary_page(Project(project), "ar", text, rejected)
    assert page.count("<td>الذكاء الاصطناعي</td>") == 1
    assert '<td lang="en" dir="ltr">artificial intelligence, AI</td>' in page
    assert page.count("<p>برامج.</p>") == 1
    assert '<td>تحيّز</td><td lang="en" dir="ltr">bias, bias (unfair treatment)</td>' in page
    assert '<p lang="en" dir="ltr">When a system treats some groups worse.</p>' in page
    assert "<img" not in page and "onerror" not in page
    assert [r.line for r in rejected] == [4]


def test_the_source_language_lists_the_source_glossary(project: Path) -> None:
    text = pages.load_locale_text(Project(project), "en")
    page = pages._glossary_page(Project(project), "en", text)
    assert (
        "<td>AI</td><td><p>Programs that do tasks we thought needed <em>thinking</em>.</p>" in page
    )
    assert "English" not in page  # no column repeating the term


def test_the_starter_glossaries_are_complete_and_list_each_term_once() -> None:
    """Every locale of the repository's course: every term, each defined, no failing check."""
    project = Project(STARTER)
    source = source_glossary(project)
    assert source is not None and len(source.entries) >= 44
    for language in project.languages:
        local = locale_glossary(project, language.code)
        assert local is not None, language.code
        assert set(local.entries) == set(source.entries), language.code
        found = checks.glossary_terms(source, local, "locales/glossary.yml", language.code)
        assert found == [], (language.code, found[:3])
        text = pages.load_locale_text(project, language.code)
        page = pages._glossary_page(project, language.code, text)
        terms = [row.split("</td>")[0] for row in page.split("<tr><td>")[1:]]
        assert len(terms) == len(set(terms)), language.code
        assert 'lang="en" dir="ltr">' not in page.split("<tbody>")[1].replace(
            '<td lang="en" dir="ltr">', ""
        ), language.code  # every definition is the locale's own


def test_a_changed_source_glossary_rebuilds_every_locale(project: Path) -> None:
    before = build.shared_key(Project(project))
    (project / "locales" / "glossary.yml").write_text(SOURCE + "seed: A number.\n", "utf-8")
    assert build.shared_key(Project(project)) != before
