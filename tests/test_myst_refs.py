"""MyST figures, images, labels and references, exercises and solutions, index and glue.

Unit tests render one cell; the end-to-end ones build the MyST fixture project once
(pages against goldens in tests/golden/myst/refs/, handouts read with pdftotext).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from ailit.i18n.checks import check
from ailit.i18n.codes import CheckCode
from ailit.i18n.segment import segment_markdown
from ailit.stages.exercises import join_gated
from ailit.stages.references import Link, References, link_href
from ailit.stages.render import PageText, markdown_cell_to_page
from conftest import HERE, Offline, ailit, copy_project
from test_golden import _matches_golden, page_body, pdf_text

MYST = HERE / "fixtures" / "myst"


def _text() -> PageText:
    refs = References(
        labels={
            "c": {
                "fig-a": Link("c", "01-m", "fig-a", "A caption", "Figure 1", 1),
                "ex-a": Link("c", "01-m", "ex-a", "Exercise 1", "Exercise 1", 1),
                "sec": Link("c", "02-n", "sec", "A section"),
            }
        },
        modules={"02-n": Link("c", "02-n", "", "The other module")},
        numbered={
            "figure": "Fig. {number}",
            "exercise": "Task {number}",
            "solution": "Answer to task {number}",
        },
    )
    refs.course, refs.module = "c", "01-m"
    refs.media = {"images/a.png": "images/a.png", "../shared/b.svg": "_shared/shared/b.svg"}
    return PageText(gettext=str, references=refs, directive_titles={"exercise": "Task"})


def _page(source: str, text: PageText | None = None) -> str:
    return markdown_cell_to_page(source, [], text or _text())


def test_segment_keeps_paths_labels_and_targets_out_of_the_msgids() -> None:
    source = (
        "(lbl)=\n## Title\n\n```{figure} images/a.png\n:name: fig-a\n:alt: Bars\n\n"
        "The caption.\n\nThe legend.\n```\n\n```{exercise} Count\n:label: ex-a\n\nHow many?\n```\n\n"
        "```{solution} ex-a\n:class: dropdown\n\nThree.\n```\n\n```{index} single: bar\n```\n"
    )
    units = {u.text: u.kind for u in segment_markdown(source)}
    assert units == {
        "Title": "heading",
        "Bars": "image alt text",
        "The caption.": "paragraph",
        "The legend.": "paragraph",
        "Count": "exercise title",
        "How many?": "paragraph",
        "Three.": "paragraph",
    }


def test_figure_is_numbered_captioned_and_labelled() -> None:
    page = _page(
        "```{figure} images/a.png\n:name: fig-a\n:alt: Bars\n:width: 200px\n:align: center\n\n"
        "The caption.\n\nThe legend.\n```\n\n:::{figure} ../shared/b.svg\n:alt: Dot\n\nSecond.\n:::\n"
    )
    assert '<figure class="ailit-myst-figure align-center" id="fig-a">' in page
    assert 'src="images/a.png" alt="Bars"' in page and "width:200px" in page
    assert '<span class="ailit-number">Fig. 1</span> The caption.' in page
    assert "<p>The legend.</p>\n</figcaption>" in page
    assert '<span class="ailit-number">Fig. 2</span> Second.' in page
    assert 'src="_shared/shared/b.svg"' in page


def test_remote_images_are_never_referenced() -> None:
    page = _page(
        "![A chart](https://example.org/a.png)\n\n<img src='http://example.org/b.png' alt='b'>\n\n"
        "```{image} https://example.org/c.png\n:alt: C chart\n```\n"
    )
    assert "example.org" not in page
    assert "A chart" in page and "C chart" in page


def test_references_resolve_to_relative_links() -> None:
    page = _page(
        "See {numref}`fig-a`, {numref}`Picture %s <fig-a>`, {ref}`fig-a`, {ref}`the part <sec>`, "
        "{doc}`02-n`, {doc}`text <../c/02-n.md>`, {numref}`ex-a` and [it](02-n.md#sec)."
    )
    assert '<a class="ailit-ref" href="#fig-a" rel="noopener noreferrer">Figure 1</a>' in page
    assert ">Picture 1</a>" in page and ">A caption</a>" in page
    assert (
        '<a class="ailit-ref" href="02-n.html#sec" rel="noopener noreferrer">the part</a>' in page
    )
    assert (
        '<a class="ailit-doc" href="02-n.html" rel="noopener noreferrer">The other module</a>'
        in page
    )
    assert ">text</a>" in page and ">Exercise 1</a>" in page
    assert '<a href="02-n.html#sec"' in page
    assert "{" not in page


def test_link_to_a_module_in_another_course() -> None:
    refs = _text().references
    refs.modules["03-x"] = Link("other", "03-x", "", "X")
    assert link_href(refs, "../other/03-x.ipynb#top") == "../other/03-x.html#top"
    assert link_href(refs, "03-x") == "../other/03-x.html"
    assert link_href(refs, "https://example.org/03-x.md") == "https://example.org/03-x.md"
    assert link_href(refs, "notes.md") == "notes.md"


def test_index_and_glue_leave_no_trace() -> None:
    page = _page(
        "# A {index}`heading <entry; sub>`\n\n```{index} single: bar\n```\n\n"
        "Words {index}`data` and {glue:}`key` {glue:text}`other:.2f`.\n\n```{glue:figure} fig\n```\n"
    )
    assert page.startswith("# A heading\n")
    assert "Words data and" in page
    assert "glue" not in page and "single" not in page and "key" not in page


def test_exercise_and_solution_on_the_page() -> None:
    text = _text()
    page = _page(
        "```{exercise} Count\n:label: ex-a\n\nHow many?\n```\n\n"
        "```{solution} ex-a\n:class: dropdown\n\nThree.\n```\n\n"
        "```{exercise}\n:nonumber:\n:class: dropdown\n\nDraw.\n```\n",
        text,
    )
    assert '<p class="admonition-title">Task 1 (Count)</p>' in page
    assert "<details" in page and "<summary>Answer to task 1</summary>" in page
    assert "<summary>Task</summary>" in page
    assert text.teacher_guides and "### Answer to task 1" in text.teacher_guides[0][0]


def test_gated_solution_takes_the_code_cells_between() -> None:
    notebook = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("print(3)")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="3\n")]
    notebook.cells = [
        nbformat.v4.new_markdown_cell(
            "Before.\n\n```{solution-start} ex-a\n:class: dropdown\n```\n\nUse print."
        ),
        code,
        nbformat.v4.new_markdown_cell("```{solution-end}\n```\n\nAfter."),
    ]
    cells = join_gated(notebook).cells
    assert [c.cell_type for c in cells] == ["markdown", "markdown", "markdown"]
    assert cells[0].source.strip() == "Before."
    solution = cells[1].source
    assert solution.startswith("````{solution} ex-a\n:class: dropdown\n")
    assert "Use print." in solution and "```python\nprint(3)\n```" in solution
    assert "```text\n3\n```" in solution
    assert cells[2].source.strip() == "After."


def test_check_names_unresolved_references_and_bad_images(tmp_path: Path) -> None:
    root = copy_project(MYST, tmp_path / "myst")
    module = root / "courses/myst/04-more-references.md"
    module.write_text(
        module.read_text("utf-8")
        + "\nSee {ref}`nowhere`, {numref}`sec-practice` and {doc}`no-such-module`.\n\n"
        "![remote](https://example.org/x.png) ![gone](images/none.png)\n\n"
        "(ex-count)=\n## Twice\n\nIt is {glue:}`key`.\n",
        "utf-8",
    )
    result = ailit("check", cwd=root)
    assert result.returncode == 1
    out = result.stdout + result.stderr
    where = "courses/myst/04-more-references.md"
    lines = module.read_text("utf-8").splitlines()
    see = next(i for i, line in enumerate(lines, 1) if line.startswith("See {ref}"))
    assert f"{where}:{see}: error: [reference] {{ref}} to 'nowhere'" in out
    assert f"{where}:{see}: error: [reference] {{numref}} to 'sec-practice'" in out
    assert "'no-such-module': no module" in out
    assert (
        f"{where}:{see + 2}: error: [media] image 'https://example.org/x.png' is on another site"
        in out
    )
    assert "put it in the course" in out or "download it into the course" in out
    assert "image 'images/none.png': no such file" in out
    assert "label 'ex-count' is also used in 03-references" in out
    assert "warning: [execution-dependent] {glue:}" in out


def test_fixture_checks_clean(tmp_path: Path) -> None:
    result = ailit("check", cwd=copy_project(MYST, tmp_path / "myst"))
    out = result.stdout + result.stderr
    assert result.returncode == 0 and "0 error(s)" in out, out
    assert "[execution-dependent] {glue:}" in out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(MYST, tmp_path_factory.mktemp("myst-refs") / "myst")
    ailit("build", cwd=root, check=True)
    return root / "build" / "site"


@pytest.mark.parametrize("page", ["fr/myst/03-references", "fr/myst/04-more-references",
                                  "ar/myst/03-references", "fr/myst/03-references-teacher"])  # fmt: skip
def test_page_golden(built: Path, page: str) -> None:
    html = (built / f"{page}.html").read_text("utf-8")
    _matches_golden(page_body(html), f"myst/refs/{page.replace('/', '-')}.html")


def test_code_cell_figure_is_numbered_with_the_others(built: Path) -> None:
    html = (built / "fr/myst/03-references.html").read_text("utf-8")
    assert '<figure class="ailit-myst-figure" id="fig-code">' in html
    assert '<span class="ailit-number">Figure 3</span> Bars drawn by the code.' in html
    assert 'le code dessine la <a class="ailit-ref" href="#fig-code"' in html
    assert ">Figure 3</a>" in html


def test_images_travel_with_the_page(built: Path) -> None:
    assert (built / "fr/myst/images/bars.svg").is_file()
    assert (built / "fr/myst/_shared/shared/dot.svg").is_file()
    for page in built.glob("*/myst/*.html"):
        html = page.read_text("utf-8")
        assert not re.search(r"src=\"(https?:)?//", html), page
        for raw in ("{index}", "{numref}", "{ref}", "{doc}", "{glue", "(sec-figures)="):
            assert raw not in html, (page, raw)


def test_learner_handout_has_exercises_never_solutions(built: Path) -> None:
    text = pdf_text(built / "fr/myst/03-references-handout.pdf")
    assert "Exercice 1 (Compter les barres)" in text and "Exercice 2" in text
    assert "Combien de barres la Figure 1 montre-t-elle ?" in text
    assert "Trois barres." not in text and "len(bars)" not in text and "Solution" not in text
    assert "{" not in text


def test_teacher_guide_prints_the_solutions(built: Path) -> None:
    text = pdf_text(built / "fr/myst/03-references-teacher.pdf")
    assert "Solution de l\u2019exercice 1\nTrois barres." in text
    assert "Solution de l\u2019exercice 2" in text and "print(len(bars))" in text
    page = (built / "fr/myst/03-references-teacher.html").read_text("utf-8")
    assert "Trois barres." in page and "print(len(bars))" in page


def test_a_translation_keeps_every_reference_target() -> None:
    msgid = "See {numref}`fig-a`, {ref}`the part <sec>` and {doc}`02-n`."
    kept = "Voir {numref}`fig-a`, {ref}`la partie <sec>` et {doc}`02-n`."
    assert not [p for p in check(msgid, kept) if p.code == CheckCode.REFERENCE]
    broken = "Voir {numref}`fig-b`, {ref}`la partie <section>` et {doc}`02-n`."
    problems = [p for p in check(msgid, broken) if p.code == CheckCode.REFERENCE]
    assert len(problems) == 1 and problems[0].severity == "error"
    assert "missing: {numref} fig-a, {ref} sec" in problems[0].message


def test_solution_opens_from_the_keyboard_and_images_load_offline(
    built: Path, offline: Offline
) -> None:
    page = offline.page
    page.goto((built / "fr/myst/03-references.html").as_uri())
    solution = page.locator("details.ailit-solution").first
    assert solution.get_attribute("open") is None
    assert not page.get_by_text("Trois barres.").is_visible()
    solution.locator("summary").focus()
    page.keyboard.press("Enter")
    assert solution.get_attribute("open") is not None
    assert page.get_by_text("Trois barres.").is_visible()
    for image in page.locator("figure img").all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), image
    page.locator("a.ailit-doc").first.click()
    page.wait_for_url("**/04-more-references.html")
    assert offline.errors == []
