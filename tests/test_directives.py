"""The directive table drives segmentation, pages, handouts and checks; the quiz is one model."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from ailit.commands import workflow
from ailit.core.errors import CourseError
from ailit.i18n.segment import parse_quiz, segment_markdown
from ailit.i18n.sitetext import SITE
from ailit.model import directives
from ailit.model.course import load_course
from ailit.model.directives import Directive, read_fence
from ailit.model.project import Project
from ailit.model.quiz import answer_letter
from ailit.stages import handout
from ailit.stages.render import RENDERERS, PageText, markdown_cell_to_page

DEMO = Path(__file__).parent / "fixtures" / "demo"
LABELS = {"lesson": "Lesson", "name": "Name", "date": "Date"}


@pytest.mark.parametrize("entry", directives.DIRECTIVES, ids=lambda d: d.name)
def test_every_entry_is_known_to_every_stage(entry: Directive) -> None:
    assert entry.renderer in RENDERERS
    assert entry.handout in directives.HANDOUT_MODES
    assert entry.guide in directives.GUIDE_MODES
    assert set(entry.body_kinds) <= set(directives.ROLES)
    assert set(entry.task_roles) <= set(directives.ROLES)
    if entry.title:
        assert SITE[entry.name] == entry.title  # its default title is a site string
    else:
        assert entry.name not in SITE  # it shows no default title: nothing to translate
    assert not entry.admonition or entry.css
    assert directives.directive(entry.name) is entry
    source = f":::{{{entry.name}}} A title for {entry.name}\nBody of {entry.name}.\n:::\n"
    kinds = [(u.kind, u.text) for u in segment_markdown(source)]
    title = [(entry.title_kind, f"A title for {entry.name}")] if entry.title_kind else []
    body = [("paragraph", f"Body of {entry.name}.")] if entry.body else []
    assert kinds == title + body  # math, a reference list, an untranslated title: no unit


def test_today_names_renderers_and_parts() -> None:
    names = [d.name for d in directives.DIRECTIVES]
    assert names[:9] == ["note", "tip", "warning", "important", "caution", "objectives",
                     "unplugged", "quiz", "teacher-guide"]  # fmt: skip
    assert [d.name for d in directives.DIRECTIVES if d.required] == [
        "objectives", "unplugged", "quiz", "teacher-guide"
    ]  # fmt: skip
    assert directives.directive("summary") is None


def test_the_fence_syntax_is_name_in_braces_then_an_optional_title() -> None:
    fence = read_fence("{note}  My *title* ", ":class: x\n:name: y\nline\n:not: an option")
    assert fence is not None and fence.directive is directives.directive("note")
    assert (fence.name, fence.title, fence.body) == ("note", "My *title*", "line\n:not: an option")
    assert dict(fence.options) == {"class": "x", "name": "y"}
    yaml = read_fence("{note}", "---\nclass: x\n---\nline")
    assert yaml is not None and (yaml.body, dict(yaml.options)) == ("line", {"class": "x"})
    assert read_fence("python", "x") is None
    assert read_fence("{not a name}", "x") is None


SUMMARY = Directive(
    "summary",
    "In short",
    body_kinds={"item": "summary point"},
    css="abstract",
    handout="activity",
    required="a summary",
)


@pytest.fixture
def with_summary(monkeypatch: pytest.MonkeyPatch) -> Directive:
    """The table with one more entry, as a maintainer would add it (SITE is built from the
    table when sitetext is imported, so the test adds the string as that import would)."""
    monkeypatch.setattr(directives, "DIRECTIVES", (*directives.DIRECTIVES, SUMMARY))
    monkeypatch.setitem(SITE, SUMMARY.name, SUMMARY.title)
    return SUMMARY


def test_a_new_entry_is_segmented_rendered_printed_and_checked(
    with_summary: Directive, tmp_path: Path
) -> None:
    source = ":::{summary}\n- [x] Robots learn from data, said the table.\n- Data has gaps.\n:::\n"
    units = [(u.kind, u.text) for u in segment_markdown(source)]
    assert units == [
        ("summary point", "Robots learn from data, said the table."),
        ("summary point", "Data has gaps."),
    ]

    page = markdown_cell_to_page(source, [], PageText(str, directive_titles={"summary": "Kurz"}))
    assert '<div class="admonition abstract ailit-summary">' in page
    assert '<p class="admonition-title">Kurz</p>' in page

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(source)])
    sheet = handout.Sheet("en", "ltr", "Course", "Module", [], {**LABELS, "summary": "In short"})
    document = handout.module_html(notebook, sheet)
    assert '<section class="activity"><h2>In short</h2>' in document
    assert "Data has gaps." in document

    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    yml = root / "courses" / "demo" / "course.yml"
    yml.write_text(yml.read_text("utf-8").replace("requires: [", "requires: [summary, "), "utf-8")
    project = Project(root)
    messages = [f.message for f in workflow.check(project).findings if f.code == "parts"]
    assert "module lacks a summary (:::{summary}), which course.yml requires" in messages


def test_the_parts_check_finds_nested_and_indented_directives(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    module = root / "courses" / "demo" / "01-first-steps.md"

    def missing() -> list[str]:
        findings = workflow.check(Project(root)).findings
        return [f.message for f in findings if f.code == "parts" and f.path == module]

    assert "module lacks an unplugged activity (:::{unplugged}), which course.yml requires" in (
        missing()
    )
    text = module.read_text("utf-8")
    extra = "\n- In class:\n\n  :::{unplugged} Cards\n  Deal them.\n  :::\n\n"
    extra += "::::{tip}\n:::{objectives}\n- Count.\n:::\n::::\n"
    module.write_text(text + extra, "utf-8")
    assert missing() == []


def test_an_entry_can_keep_its_title_and_body_out_of_the_catalogue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    verbatim = Directive("verbatim", "Verbatim", title_kind="", body=False, css="note")
    monkeypatch.setattr(directives, "DIRECTIVES", (*directives.DIRECTIVES, verbatim))
    assert segment_markdown(":::{verbatim} Kept as written\nAlso the body.\n:::\n") == []
    assert len({verbatim, SUMMARY}) == 2  # entries are hashable values


QUIZ = """\
1. Which one *learned*?
   - [ ] A calculator
     > No: rules.
     > People wrote them.
   - [X] A plant app
     > Yes.
2. Second?
   - plain answer
"""


def test_the_quiz_is_read_once_into_questions_answers_and_feedback() -> None:
    quiz = parse_quiz(QUIZ)
    first, second = quiz.questions
    assert (first.number, first.text) == (1, "Which one *learned*?")
    assert [(a.letter, a.text, a.correct) for a in first.answers] == [
        ("A", "A calculator", False),
        ("B", "A plant app", True),
    ]
    assert first.answers[0].feedback == "No: rules.\nPeople wrote them."
    assert first.answers[1].feedback == "Yes."
    assert (second.number, second.text) == (2, "Second?")
    assert [(a.text, a.correct, a.feedback) for a in second.answers] == [
        ("plain answer", False, "")
    ]


def test_page_and_handout_show_the_same_quiz() -> None:
    source = f"::::{{quiz}}\n{QUIZ}::::\n"
    page = markdown_cell_to_page(source, ["Yes."], PageText(str))
    assert page.count('class="ailit-quiz-question"') == 2
    assert page.count('data-correct="true"') == 1
    assert (
        '<div class="ailit-quiz-feedback"><p lang="en" dir="ltr" class="ailit-fallback">Yes.</p>'
        in page
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(source)])
    sheet = handout.Sheet("en", "ltr", "Course", "Module", [], {**LABELS, "quiz": "Quiz"})
    document = handout.module_html(notebook, sheet)
    assert '<li>Which one <em>learned</em>?<ul class="answers"><li>A calculator</li>' in document
    assert "No: rules." not in document and "[X]" not in document


@pytest.mark.parametrize(
    ("language", "letters"),
    [("ar", "أ ب ج د هـ"), ("fr", "a b c d e"), ("pt_BR", "a b c d e"), ("zh", "A B C D E")],
)
def test_answer_letters_are_those_of_the_language(language: str, letters: str) -> None:
    assert " ".join(answer_letter(i, language) for i in range(5)) == letters
    assert answer_letter(40, language) == "41"  # past the alphabet: a number


def test_the_page_letters_answers_in_its_language_before_their_radio() -> None:
    source = f"::::{{quiz}}\n{QUIZ}::::\n"
    page = markdown_cell_to_page(source, ["A calculator"], PageText(str, language="ar"))
    assert '<label><span class="ailit-quiz-letter">أ)</span><input type="radio"' in page
    assert '<span class="ailit-quiz-letter">ب)</span>' in page
    assert '<span lang="en" dir="ltr">A calculator</span></label>' in page  # letter stays out
    assert "a)" not in page


def test_an_unplugged_activity_is_labelled_above_its_own_title() -> None:
    source = "::::{unplugged} Pixel messages\nDraw.\n::::\n"
    titles = {"unplugged": "Activité <débranchée>"}
    page = markdown_cell_to_page(source, [], PageText(str, directive_titles=titles))
    assert (
        '<p class="admonition-title"><span class="ailit-kind">Activité &lt;débranchée&gt;</span>'
        " Pixel messages</p>" in page
    )
    untitled = markdown_cell_to_page("::::{unplugged}\nDraw.\n::::\n", [], PageText(str))
    assert "ailit-kind" not in untitled  # its title is already the label


def test_a_course_that_requires_no_part_gets_no_parts_warning(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    yml = root / "courses" / "demo" / "course.yml"
    findings = workflow.check(Project(root)).findings
    assert any(f.code == "parts" for f in findings)  # the demo keeps the starter's pattern
    text = yml.read_text("utf-8")
    yml.write_text(text.replace("requires: [objectives, unplugged, quiz, teacher-guide]\n", ""))
    assert "requires" not in yml.read_text("utf-8")
    assert [f for f in workflow.check(Project(root)).findings if f.code == "parts"] == []


def test_an_unknown_required_part_is_an_error_at_its_entry(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    yml = root / "courses" / "demo" / "course.yml"
    text = yml.read_text("utf-8").replace(
        "requires: [objectives, unplugged, quiz, teacher-guide]",
        "requires:\n  - objectives\n  - quizz",
    )
    yml.write_text(text, "utf-8")
    line = text.splitlines().index("  - quizz") + 1
    with pytest.raises(CourseError) as caught:
        load_course(yml.parent)
    assert caught.value.line == line
    assert "unknown part 'quizz'" in caught.value.message
    assert "objectives, unplugged, quiz, teacher-guide" in caught.value.message
