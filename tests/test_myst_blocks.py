"""MyST blocks (issue 14, items 1, 2, 6, 10): boxes, dropdowns, proofs, tables, code, tabs,
quotes, footnotes, definition and task lists, nested fences, and what ailit does not know.

Unit tests render one cell; the fixture project tests/fixtures/myst is built once for the
page, the teacher guide and the PDFs, each compared with a golden file under
tests/golden/myst/blocks/ (``AILIT_UPDATE_GOLDEN=1`` writes them again).
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from ailit.i18n.checks import check
from ailit.i18n.codes import CheckCode
from ailit.i18n.segment import replace_units, segment_markdown
from ailit.i18n.unsupported import unsupported
from ailit.model import directives
from ailit.stages import footnotes
from ailit.stages.render import PageText, markdown_cell_to_page
from conftest import ailit, copy_project
from test_golden import _matches_golden, page_body, pdf_text

MYST = Path(__file__).parent / "fixtures" / "myst"
MODULE = MYST / "courses" / "myst" / "01-blocks.md"


def _page(source: str, notes: footnotes.Footnotes | None = None) -> str:
    text = PageText(
        gettext=lambda s: s, directive_titles={"hint": "Indice", "prf:theorem": "Théorème"}
    )
    if notes is not None:
        text.footnotes = notes
    return markdown_cell_to_page(source, [], text)


def _mkdocs(page: str) -> str:
    """The page markdown as mkdocs turns it into HTML, with the extensions a build uses."""
    extensions = [
        "attr_list",
        "admonition",
        "tables",
        "toc",
        "pymdownx.highlight",
        "pymdownx.superfences",
    ]
    return markdown.markdown(page, extensions=extensions)


NESTED = """Before.

````md
An example of MyST:

```python
print("hello")
```

~~~
tildes
~~~
````

After.
"""


def test_nested_fences_show_as_text_and_leak_no_html() -> None:
    """The reported bug: a ```` ````md ```` block holding ``` fences leaked ailit's HTML."""
    html = _mkdocs(_page(NESTED))
    code = re.search(r'<pre><code class="language-md">(.*?)</code></pre>', html, re.S)
    assert code, html
    shown = code.group(1).replace("&#96;", "`").replace("&#126;", "~")
    assert shown == 'An example of MyST:\n\n```python\nprint("hello")\n```\n\n~~~\ntildes\n~~~\n'
    assert html.count("<pre>") == 1 and "highlight" not in html
    assert "<p>After.</p>" in html


@pytest.mark.parametrize(
    "source",
    [
        "::::{note}\n:::{tip}\nInner.\n:::\n::::\n",
        "````{note}\n```{tip}\nInner.\n```\n````\n",
        "````{note}\n:::{tip}\nInner.\n:::\n````\n",
    ],
)
def test_directives_nest_in_either_fence_style(source: str) -> None:
    html = _page(source)
    assert html.count("admonition-title") == 2
    assert '<div class="admonition tip ailit-tip">' in html and "<p>Inner.</p>" in html
    assert "```" not in html and ":::" not in html


def test_a_code_block_inside_a_directive_stays_code() -> None:
    html = _mkdocs(_page("````{note}\n```python\nx = 1\n\ny = 2\n```\n````\n"))
    assert '<pre><code class="language-python">x = 1\n\ny = 2\n</code></pre>' in html


@pytest.mark.parametrize(
    ("name", "css"),
    [("note", "note"), ("tip", "tip"), ("hint", "tip"), ("important", "tip"),
     ("warning", "warning"), ("caution", "warning"), ("attention", "warning"),
     ("danger", "danger"), ("error", "danger"), ("seealso", "info")],
)  # fmt: skip
def test_every_myst_admonition_is_a_material_type(name: str, css: str) -> None:
    entry = directives.directive(name)
    assert entry is not None and entry.css == css and entry.title
    assert f'<div class="admonition {css} ailit-{name}">' in _page(f":::{{{name}}}\nBody.\n:::\n")


def test_admonition_takes_its_argument_as_title_and_a_class_from_the_allowlist() -> None:
    html = _page('```{admonition} My title\n:class: hint tip" onclick="x\n\nBody.\n```\n')
    assert '<div class="admonition tip ailit-admonition">' in html
    assert '<p class="admonition-title">My title</p>' in html
    assert "onclick" not in html


def test_dropdowns_are_collapsed_details() -> None:
    by_class = _page(":::{hint} Open me\n:class: dropdown\nHidden.\n:::\n")
    assert (
        '<details class="tip ailit-hint">\n<summary>Open me</summary>\n<p>Hidden.</p>\n</details>'
        in by_class
    )
    directive = _page("```{dropdown} More\n:open:\nShown.\n```\n")
    assert '<details class="note ailit-dropdown" open="">' in directive
    assert "<summary>More</summary>" in directive


def test_a_proof_box_is_titled_by_its_kind_and_anchored_by_its_label() -> None:
    html = _page("````{prf:theorem} Pythagoras\n:label: pyth\n\nA statement.\n````\n")
    assert '<div class="admonition abstract ailit-prf-theorem" id="pyth">' in html
    assert '<p class="admonition-title">Théorème (Pythagoras)</p>' in html


def test_list_table_with_header_rows_and_caption() -> None:
    source = (
        "```{list-table} People\n:header-rows: 1\n\n* - Name\n  - Age\n* - Ada\n  - **36**\n```\n"
    )
    html = _page(source)
    assert "<figcaption>People</figcaption>" in html
    assert "<thead>\n<tr><th>Name</th><th>Age</th></tr>\n</thead>" in html
    assert "<tbody>\n<tr><td>Ada</td><td><strong>36</strong></td></tr>\n</tbody>" in html
    kinds = [(u.kind, u.text) for u in segment_markdown(source)]
    assert kinds == [("table caption", "People"), ("table cell", "Name"), ("table cell", "Age"),
                     ("table cell", "Ada"), ("table cell", "**36**")]  # fmt: skip


def test_code_block_keeps_code_out_of_the_catalogue_and_shows_its_caption() -> None:
    source = '```{code-block} python\n:caption: Counting\n:linenos:\n:emphasize-lines: 2\n\nx = "<b>"\n```\n'
    assert [(u.kind, u.text) for u in segment_markdown(source)] == [("code caption", "Counting")]
    html = _page(source)
    assert '<span class="filename">Counting</span>' in html
    assert '<code class="language-python">x = "&lt;b&gt;"\n</code>' in html
    assert "linenos" not in html and "emphasize" not in html


def test_tabs_are_open_details_in_order() -> None:
    html = _page(
        "::::{tab-set}\n:::{tab-item} One\nFirst.\n:::\n:::{tab-item} Two\nSecond.\n:::\n::::\n"
    )
    assert re.findall(r"<summary>(\w+)</summary>", html) == ["One", "Two"]
    assert html.count('<details class="note ailit-tab-item" open="">') == 2


def test_epigraph_keeps_its_attribution() -> None:
    html = _page("```{epigraph}\nSimple is better.\n\n-- Tim Peters\n```\n")
    assert '<blockquote class="ailit-epigraph">' in html
    assert '<p class="attribution"><span>— Tim Peters</span></p>' in html


def test_footnotes_deflists_and_tasks_are_units_of_their_own_kind() -> None:
    source = "See[^a].\n\n[^a]: The note.\n\nTerm\n: Its definition.\n\n- [x] Done\n- [ ] To do\n"
    units = segment_markdown(source)
    assert [(u.kind, u.text) for u in units] == [
        ("paragraph", "See[^a]."), ("footnote", "The note."), ("definition term", "Term"),
        ("definition", "Its definition."), ("list item", "Done"), ("list item", "To do"),
    ]  # fmt: skip
    assert replace_units(source, units, lambda u: u.text.upper()).startswith(
        "SEE[^A].\n\n[^a]: THE NOTE."
    )


def test_a_footnote_defined_in_another_cell_is_numbered_by_the_module() -> None:
    notes = footnotes.collect(
        ["First[^x] and[^y].", "Then[^y].", "[^x]: Ex.\n\n[^y]: Why\n  indeed."]
    )
    html = _page("Then[^y].", notes)
    assert (
        '<sup class="footnote-ref"><a href="#fn-y" id="fnref-y"' in html and ">2</a></sup>" in html
    )
    assert '<li id="fn-y" class="footnote-item" value="2"><p>Why\nindeed.' in html
    assert "[^x]" not in _page("[^x]: Ex.", notes)  # an uncited definition shows nothing
    assert [(u.kind, u.text) for u in segment_markdown("[^x]: Ex.\n")] == [("footnote", "Ex.")]


def test_task_boxes_render_but_the_quiz_still_reads_them() -> None:
    html = _page("- [x] Done\n- [ ] To do\n")
    assert 'checked="checked" disabled="disabled" type="checkbox"> Done' in html
    quiz = _page("::::{quiz}\n1. Q?\n   - [ ] No\n   - [x] Yes\n::::\n")
    assert quiz.count('data-correct="true"') == 1 and "checkbox" not in quiz


def test_unknown_directives_and_roles_are_found_at_their_lines_and_shown_plainly() -> None:
    source = "Text {menuselection}`A --> B`.\n\n::::{note}\n:class: tip\n\n:::{versionchanged} 0.3\nNew {guilabel}`OK`.\n:::\n::::\n"
    found = [(u.line, u.what, u.name) for u in unsupported(source)]
    assert found == [
        (1, "role", "menuselection"),
        (6, "directive", "versionchanged"),
        (7, "role", "guilabel"),
    ]
    html = _page(source)
    assert (
        '<div class="ailit-unknown" lang="en" dir="ltr">\n<p class="ailit-unknown-title">0.3</p>'
        in html
    )
    assert '<span class="ailit-role">A --&gt; B</span>' in html
    assert "versionchanged" not in html and "{" not in html


def test_every_known_directive_and_role_is_read_from_the_tables() -> None:
    for entry in directives.DIRECTIVES:
        assert not list(unsupported(f":::{{{entry.name}}}\n:::\n"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(MYST, tmp_path_factory.mktemp("myst-blocks") / "myst")
    ailit("build", cwd=root, check=True)
    return root


def test_check_warns_at_the_module_line(tmp_path: Path) -> None:
    root = copy_project(MYST, tmp_path / "myst")
    result = ailit("check", cwd=root)
    lines = MODULE.read_text("utf-8").splitlines()
    found = re.findall(
        r"01-blocks\.md:(\d+): warning: \[unsupported\] (directive|role) \{([\w-]+)\}",
        result.stdout + result.stderr,
    )
    assert [(kind, name) for _, kind, name in found] == [
        ("directive", "versionchanged"),
        ("role", "menuselection"),
    ]
    assert "{versionchanged}" in lines[int(found[0][0]) - 1]
    assert "{menuselection}" in lines[int(found[1][0]) - 1]


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_page_golden(built: Path, locale: str) -> None:
    html = (built / f"build/site/{locale}/myst/01-blocks.html").read_text("utf-8")
    _matches_golden(page_body(html), f"myst/blocks/{locale}-01-blocks.html")


def test_teacher_page_and_pdfs_golden(built: Path) -> None:
    folder = built / "build/site/fr/myst"
    _matches_golden(
        page_body((folder / "01-blocks-teacher.html").read_text("utf-8")),
        "myst/blocks/fr-01-blocks-teacher.html",
    )
    _matches_golden(
        pdf_text(folder / "01-blocks-teacher.pdf"), "myst/blocks/fr-01-blocks-teacher.txt"
    )
    handout = pdf_text(folder / "01-blocks-handout.pdf")
    _matches_golden(handout, "myst/blocks/fr-01-blocks-handout.txt")
    assert "Commencez par les plus faciles." in handout  # a tip inside the activity
    assert "Vérifiez les cartes" not in handout  # the teacher's box stays in the guide
    assert "[^" not in handout


def test_a_translation_keeps_every_footnote_mark() -> None:
    assert check("See[^a].", "Voir[^a].", frozenset(), True, "fr") == []
    for dropped in ("Voir.", "Voir[^b]."):
        problems = check("See[^a].", dropped, frozenset(), True, "fr")
        assert [p.code for p in problems] == [CheckCode.LINKS]
