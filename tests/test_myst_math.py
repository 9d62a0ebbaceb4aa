"""MyST math (MathML at build time, numbering, {eq}) and citations (pybtex, author-year)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ailit.i18n import checks
from ailit.i18n.catalog import Entry, template
from ailit.i18n.codes import CheckCode
from ailit.i18n.segment import segment_markdown
from ailit.model import bibliography
from ailit.stages.math import equation_numbers, mathml
from ailit.stages.render import PageText, markdown_cell_to_page
from conftest import Offline, ailit, copy_project
from test_golden import _matches_golden, page_body

MYST = Path(__file__).parent / "fixtures" / "myst"
BIB = MYST / "courses" / "myst" / "references.bib"


def page(source: str, **fields: object) -> str:
    return markdown_cell_to_page(source, [], PageText(gettext=lambda s: s, **fields))  # type: ignore[arg-type]


def test_markdown_never_touches_tex() -> None:
    html = page("Set $\\{x_t\\}$ and $a \\\\ b$ and $x_a * y_b * z$.\n\n$$\nx\n=\n$$\n")
    assert "<h1" not in html and "<em>" not in html and "$" not in html
    assert html.count("<math") == 4
    assert '<mo stretchy="false">{</mo>' in html  # \{ is a brace, not an escaped {


def test_math_is_never_prose_but_inline_math_stays_in_its_sentence() -> None:
    source = (
        "Guess $\\hat{y}$ well.\n\n$$\ny = x\n$$ (eq-a)\n\n"
        "\\begin{align}\na &= b\n\\end{align}\n\n```{math}\n:label: eq-b\nz\n```\n"
    )
    assert [u.text for u in segment_markdown(source)] == ["Guess $\\hat{y}$ well."]
    only_math = segment_markdown("- $x_1 + x_2$,\n- a $y$ b\n")
    assert [u.text for u in only_math] == ["a $y$ b"]  # a formula alone is no prose


def test_markdown_msgids_never_get_python_brace_format() -> None:
    entries = [
        Entry("Set $\\{x_{t}\\}$.", [], [], {"md-text"}),
        Entry("Hello {name}", [], [], {"python-brace-format"}),
    ]
    catalog = template("x", entries)
    assert "python-brace-format" not in catalog.get("Set $\\{x_{t}\\}$.").flags
    assert "python-brace-format" in catalog.get("Hello {name}").flags
    assert "python-brace-format" not in (MYST / "locales" / "myst.pot").read_text()


def codes(msgid: str, msgstr: str) -> set[CheckCode]:
    return {p.code for p in checks.errors(msgid, msgstr, frozenset({"md-text"}), True)}


def test_a_translation_keeps_every_math_span_and_role_as_written() -> None:
    msgid = "The loss $L_{t}$ {eq}`eq-loss` is low {cite:p}`a,b`."
    assert codes(msgid, "La perte $L_{t}$ {eq}`eq-loss` est basse {cite:p}`a,b`.") == set()
    assert CheckCode.MATH in codes(msgid, "La perte $L_t$ {eq}`eq-loss` est basse {cite:p}`a,b`.")
    assert CheckCode.ROLE in codes(msgid, "La perte $L_{t}$ {eq}`eq-los` est basse {cite:p}`a,b`.")
    assert CheckCode.ROLE in codes(msgid, "La perte $L_{t}$ {eq}`eq-loss` est basse.")
    assert CheckCode.PLACEHOLDERS not in codes(msgid, "La perte $L_s$ {eq}`eq-loss` {cite:p}`a,b`.")


@pytest.mark.parametrize(
    "tex",
    [
        "\\href{javascript:alert(1)}{x}",
        "\\url{javascript:alert(1)}",
        "\\htmlClass{x}{y}",
        "<img src=x onerror=alert(1)>",
        "\\style{color:red}{x}",
    ],
)
def test_a_hostile_formula_cannot_inject_anything(tex: str) -> None:
    html = page(f"See ${tex}$ here.\n\n$$\n{tex}\n$$ (eq-x)\n")
    assert not re.search(r"href=\"javascript|onerror=|<img|<script|style=", html)
    assert "<math" in html


def test_raw_mathml_in_a_translation_keeps_only_presentation() -> None:
    html = page(
        '<math><mi href="javascript:alert(1)" onclick="x">x</mi><maction actiontype="statusline">'
        '<mi>y</mi></maction><annotation-xml encoding="text/html"><script>alert(1)</script>'
        "</annotation-xml></math>"
    )
    assert "<mi>x</mi>" in html
    assert not re.search(r"href|onclick|maction|annotation|script", html)


def test_labelled_equations_are_numbered_in_order_and_eq_links_them() -> None:
    cells = ["$$\na\n$$ (first)\n", ":::{note}\n```{math}\n:label: second\nb\n```\n:::\n"]
    numbers = equation_numbers(cells)
    assert numbers == {"first": 1, "second": 2}
    html = page(cells[1] + "\nSee {eq}`first` and {eq}`second`.\n", equations=numbers)
    assert '<div class="ailit-math" dir="ltr" id="equation-second"><math' in html
    assert '<span class="ailit-eqno">(2)</span></div>' in html
    assert '<a class="ailit-eq" href="#equation-first" rel="noopener noreferrer">(1)</a>' in html


def test_renderer_reads_real_lecture_constructs() -> None:
    for tex in ("\\begin{aligned} a &= b \\cr c &= d \\end{aligned}", "x \\label{e} \\nonumber"):
        made = mathml(tex, True)
        assert made is not None and "\\" not in made


def test_citations_read_author_year_as_jupyter_book_lectures_set() -> None:
    refs = bibliography.load(BIB).references
    assert bibliography.in_text([refs["cauchy1847"]], "cite:t") == "Cauchy (1847)"
    two = [refs["rumelhart1986"], refs["lecun2015"]]
    assert bibliography.in_text(two, "cite:p") == "(Rumelhart et al., 1986; LeCun et al., 2015)"
    assert "Méthode" in bibliography.load(BIB).references["cauchy1847"].entry.replace(
        '<span class="bibtex-protected">', ""
    ).replace("</span>", "")


def test_a_broken_bibtex_file_is_one_line_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "references.bib"
    bad.write_text("@article{x,\n  title = {a\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"references\.bib:\d+: BibTeX cannot be read"):
        bibliography.load(bad)
    with pytest.raises(Exception) as caught:
        bibliography.load(bad)
    assert "\n" not in str(caught.value)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = copy_project(MYST, tmp_path_factory.mktemp("myst-math") / "myst")
    ailit("build", cwd=root, check=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_the_page_shows_mathml_numbers_citations_and_references(built: Path) -> None:
    html = (built / "build" / "site" / "fr" / "myst" / "02-math.html").read_text()
    body = page_body(html)
    assert "$" not in body and "{eq}" not in body and "{cite" not in body
    assert body.count('<span class="ailit-eqno">') == 2
    assert 'href="#bib-cauchy1847" rel="noopener noreferrer">Cauchy (1847)</a>' in body
    assert '(<a class="ailit-cite" href="#bib-rumelhart1986"' in body
    assert '<h2 id="références">Références</h2>' in body
    assert 'id="bib-lecun2015"' in body
    assert not re.search(r"(src|href)=\"https?:", body)  # nothing from outside the site
    _matches_golden(body, "myst/math/02-math.fr.html")
    assert "goodfellow2016" not in body  # cited in the teacher guide only: listed there
    teacher = page_body(
        (built / "build" / "site" / "fr" / "myst" / "02-math-teacher.html").read_text()
    )
    assert '">Goodfellow et al. (2016)</a>' in teacher and 'id="bib-goodfellow2016"' in teacher
    assert '<h2 id="références">Références</h2>' in teacher and "bib-lecun2015" not in teacher


def test_check_names_unknown_labels_and_keys_at_file_and_line(tmp_path: Path) -> None:
    root = copy_project(MYST, tmp_path / "myst")
    module = root / "courses" / "myst" / "02-math.md"
    text = module.read_text().replace("{eq}`eq-step`", "{eq}`eq-nope`")
    module.write_text(text.replace("{cite}`lecun2015`", "{cite}`nobody2020`"))
    out = ailit("check", cwd=root)
    assert out.returncode == 1
    assert "courses/myst/02-math.md:35: error: [equation]" in out.stdout + out.stderr
    assert "courses/myst/02-math.md:47: error: [citation] citation key 'nobody2020'" in (
        out.stdout + out.stderr
    )
    (root / "courses" / "myst" / "references.bib").write_text("@article{x,\n title={a\n")
    out = ailit("check", cwd=root)
    assert "references.bib:2: error: [citation] BibTeX cannot be read" in out.stdout + out.stderr


def test_course_yml_may_name_its_bibliography(tmp_path: Path) -> None:
    root = copy_project(MYST, tmp_path / "myst")
    yml = root / "courses" / "myst" / "course.yml"
    text = yml.read_text()
    yml.write_text(text + "bibliography: missing.bib\n")
    line = text.count("\n") + 1
    out = ailit("check", cwd=root)
    assert out.returncode == 1
    assert f"course.yml:{line}: error: [course] bibliography 'missing.bib' not found" in out.stderr


def test_mathml_is_laid_out_with_its_number_at_the_right_offline(
    built: Path, offline: Offline
) -> None:
    for code in ("fr", "ar"):
        offline.page.goto((built / "build" / "site" / code / "myst" / "02-math.html").as_uri())
        boxes = offline.page.eval_on_selector_all(
            "#equation-eq-loss math, #equation-eq-loss .ailit-eqno, p math",
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.height]; })",
        )
        display, number, inline = boxes[0], boxes[1], boxes[2]
        assert display[2] > 20 and inline[2] > 5  # Chromium lays MathML out (a fraction is tall)
        assert number[0] >= display[1] - 1  # the number stands right of the formula, in Arabic too
    assert offline.errors == []
