"""Bring your own notebooks: .ipynb modules, cell tags, figure texts, failures that name
their cell, and a build that never changes the machine (issue 15)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import jupytext
import nbformat
import pytest

from ailit.core.errors import CourseError, ExecutionError
from ailit.i18n.extract import module_entries
from ailit.model.course import load_course, load_module
from ailit.stages.execute import execute
from ailit.stages.handout import Sheet, module_html
from ailit.stages.isolation import network_prefix
from ailit.stages.localize import Translator, downloadable, localize
from ailit.stages.render import PageText, render_page

TAGGED = """\
---
jupyter:
  jupytext:
    text_representation:
      extension: .md
      format_name: myst
  kernelspec:
    display_name: Python 3
    language: python
    name: python3
---

# Tagged cells

Plain text before the code.

```{code-cell} ipython3
:tags: [hide-input]
print("folded input")
```

```{code-cell} ipython3
:tags: [hide-output]
print("folded output")
```

```{code-cell} ipython3
:tags: [hide-cell]
print("folded cell")
```

```{code-cell} ipython3
:tags: [remove-input]
print("only the output")
```

```{code-cell} ipython3
:tags: [remove-output]
print("never shown")
```

```{code-cell} ipython3
:tags: [remove-cell]
secret = "setup only"
print("removed cell")
```

```{code-cell} ipython3
:tags: [raises-exception]
1 / 0
```

```{code-cell} ipython3
:tags: [skip-execution]
print("skipped")
```

+++ {"tags": ["remove-cell"]}

A paragraph for the page only, removed.

+++

```{code-cell} ipython3
---
mystnb:
  figure:
    caption: Two bars, *tall* and short.
    name: fig-bars
  image:
    alt: A bar chart with a tall bar and a short bar.
---
import base64
from IPython.display import Image, display
display(Image(base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)))
```
"""


def _module(tmp_path: Path, text: str, name: str = "01-tags.md") -> Path:
    course = tmp_path / "courses" / "mine"
    course.mkdir(parents=True, exist_ok=True)
    path = course / name
    path.write_text(text, encoding="utf-8")
    return path


def _page(path: Path, cache: Path, translate: Translator | None = None) -> tuple[str, dict]:
    module = load_module(path)
    notebook = localize(module, translate or Translator(None, is_source=True))
    notebook, _ran = execute(module, notebook, "en", cache)
    body, outputs = render_page(notebook, module.slug, PageText(gettext=str))
    return body, {"notebook": notebook, "outputs": outputs, "module": module}


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    root = tmp_path_factory.mktemp("tagged")
    return _page(_module(root, TAGGED), root / "cache")


def test_hide_tags_fold_the_part_under_a_labelled_summary(tagged: tuple[str, dict]) -> None:
    body, _ = tagged
    assert (
        '<details class="ailit-hidden ailit-hide-input" markdown="1">\n<summary>Show code</summary>'
        in body
    )
    assert "<summary>Show output</summary>" in body
    assert "<summary>Show code and output</summary>" in body
    folded = body.split("<summary>Show code</summary>")[1].split("</details>")[0]
    assert 'print("folded input")' in folded and "folded input\n" not in folded
    after = body.split("<summary>Show code</summary>")[1].split("</details>")[1]
    assert after.lstrip().startswith('<div class="ailit-outputs">')  # the output stays open


def test_remove_tags_leave_the_part_out(tagged: tuple[str, dict]) -> None:
    body, _ = tagged
    assert "only the output" in body and 'print("only the output")' not in body
    assert 'print("never shown")' in body and "never shown\n</code>" not in body
    assert "removed cell" not in body and "setup only" not in body
    assert "for the page only" not in body


def test_raises_exception_shows_the_error_and_skip_execution_runs_nothing(
    tagged: tuple[str, dict],
) -> None:
    body, found = tagged
    assert "ZeroDivisionError: division by zero" in body
    skipped = next(c for c in found["notebook"].cells if "skipped" in c.source)
    assert skipped.outputs == []
    assert 'print("skipped")' in body


def test_figure_caption_and_alt_come_from_the_cell_metadata(tagged: tuple[str, dict]) -> None:
    body, found = tagged
    assert '<figure class="ailit-myst-figure"' in body
    assert '<img class="ailit-figure" src="01-tags_files/' in body
    assert 'alt="A bar chart with a tall bar and a short bar."' in body
    assert '<span class="ailit-number">1</span> Two bars, <em>tall</em> and short.</p>' in body
    assert found["outputs"]


def test_figure_texts_are_translation_units_and_translated(tmp_path: Path) -> None:
    path = _module(tmp_path, TAGGED)
    module = load_module(path)
    entries = {e.msgid: e for e in module_entries(module, tmp_path)}
    assert "figure caption" in entries["Two bars, *tall* and short."].comments[0]
    assert "image alt text" in entries["A bar chart with a tall bar and a short bar."].comments[0]
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="fr")
    catalog.add("Two bars, *tall* and short.", "Deux barres, une *haute* et une courte.")
    catalog.add("A bar chart with a tall bar and a short bar.", "Un diagramme à deux barres.")
    body, found = _page(path, tmp_path / "cache", Translator(catalog))
    assert "</span> Deux barres, une <em>haute</em> et une courte.</p></figcaption>" in body
    assert 'alt="Un diagramme à deux barres."' in body
    download = downloadable(found["notebook"], "fr")
    figure = download.cells[-1].metadata["mystnb"]
    assert figure["figure"]["caption"] == "Deux barres, une *haute* et une courte."


def test_the_download_keeps_tags_and_removed_cells(tagged: tuple[str, dict]) -> None:
    _, found = tagged
    download = downloadable(found["notebook"], "en")
    sources = [c.source for c in download.cells]
    assert any("setup only" in s for s in sources)  # a removed cell may be needed to run
    tags = [c.metadata.get("tags") for c in download.cells if c.metadata.get("tags")]
    assert ["remove-cell"] in tags and ["hide-input"] in tags


def test_handout_leaves_out_a_removed_markdown_cell(tagged: tuple[str, dict]) -> None:
    _, found = tagged
    printed = module_html(
        found["notebook"], Sheet("en", "ltr", "Course", "Tagged cells", labels={"lesson": "Lesson"})
    )
    assert "Plain text before the code." in printed
    assert "for the page only" not in printed


def test_same_content_as_ipynb_gives_the_same_page(tmp_path: Path) -> None:
    text_page, _ = _page(_module(tmp_path, TAGGED), tmp_path / "cache")
    notebook = jupytext.reads(TAGGED, fmt="md:myst")
    notebook.metadata.pop("jupytext", None)
    path = tmp_path / "courses" / "mine" / "01-tags.ipynb"
    (tmp_path / "courses" / "mine" / "01-tags.md").unlink()
    nbformat.write(notebook, path)
    ipynb_page, found = _page(path, tmp_path / "cache")
    assert ipynb_page == text_page
    assert found["module"].is_ipynb and found["module"].title == "Tagged cells"


def test_ipynb_download_keeps_its_own_metadata(tmp_path: Path) -> None:
    notebook = jupytext.reads(TAGGED, fmt="md:myst")
    notebook.metadata["authors"] = [{"name": "A. Teacher"}]
    path = tmp_path / "courses" / "mine" / "01-tags.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, path)
    module = load_module(path)
    download = downloadable(localize(module, Translator(None, is_source=True)), "en")
    assert download.metadata["authors"] == [{"name": "A. Teacher"}]


def test_course_lists_an_ipynb_by_stem_and_names_all_three_forms(tmp_path: Path) -> None:
    notebook = jupytext.reads(TAGGED, fmt="md:myst")
    course = tmp_path / "courses" / "mine"
    course.mkdir(parents=True)
    nbformat.write(notebook, course / "01-tags.ipynb")
    yml = "title: T\nsummary: S\naudience: A\nlevel: beginner\nduration: 5\nmodules:\n  - 01-tags\n  - 02-lake\n"
    (course / "course.yml").write_text(yml, encoding="utf-8")
    with pytest.raises(CourseError) as caught:
        load_course(course)
    message = str(caught.value)
    assert "course.yml:8:" in message
    assert "02-lake.md, 02-lake.py, 02-lake.ipynb" in message
    (course / "course.yml").write_text(yml.replace("  - 02-lake\n", ""), encoding="utf-8")
    assert load_course(course).modules[0].path.suffix == ".ipynb"


def test_execute_false_keeps_the_stored_outputs(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Stored"),
            nbformat.v4.new_code_cell(
                "print('would print 2')",
                outputs=[
                    nbformat.v4.new_output("stream", name="stdout", text="stored 1\n"),
                    nbformat.v4.new_output(
                        "display_data", data={"text/html": "<b>bold</b><script>alert(1)</script>"}
                    ),
                ],
            ),
        ],
        metadata={"ailit": {"execute": False}},
    )
    path = tmp_path / "courses" / "mine" / "01-stored.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, path)
    body, _ = _page(path, tmp_path / "cache")
    assert "stored 1" in body and "would print 2\n</code>" not in body
    assert "<b>bold</b>" in body and "<script>" not in body  # sanitised like all outputs
    notebook.metadata["ailit"]["execute"] = "no"
    nbformat.write(notebook, path)
    with pytest.raises(CourseError, match=r"ailit\.execute must be true or false, got 'no'"):
        load_module(path)


@pytest.mark.parametrize(
    "code, what",
    [
        ("!pip install pandas", "'!' runs a shell command"),
        ("x = 1\nfiles = !ls", "'!' runs a shell command"),
        ("%pip install pandas", "'pip'"),
        ("%conda install numpy", "'conda'"),
        ("%system ls", "'system'"),
        ("pip install pandas", "'pip'"),
        ("%%bash\nls", "'%%bash'"),
        ("%%script bash\nls", "'%%script'"),
        ("%%writefile /etc/hosts\nx", "writes outside"),
    ],
)
def test_shell_escapes_are_refused_at_their_line(tmp_path: Path, code: str, what: str) -> None:
    text = TAGGED.split("```{code-cell}")[0] + "```{code-cell} ipython3\n" + code + "\n```\n"
    path = _module(tmp_path, text)
    with pytest.raises(CourseError) as caught:
        load_module(path)
    line = text.splitlines().index(code.splitlines()[-1 if "files" in code else 0]) + 1
    assert str(caught.value).startswith(f"{path}:{line}: cell 2 (line {line}): "), caught.value
    assert what in str(caught.value)


def test_shell_escape_in_an_ipynb_names_the_cell(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# X"), nbformat.v4.new_code_cell("x = 1\n!ls")]
    )
    path = tmp_path / "courses" / "mine" / "01-x.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, path)
    with pytest.raises(CourseError, match=r"01-x.ipynb: cell 2 \(line 2 of the cell\): '!'"):
        load_module(path)


def test_harmless_magics_and_comparisons_pass(tmp_path: Path) -> None:
    code = "%matplotlib inline\nx = 1 != 2\n%%writefile notes.txt"
    text = TAGGED.split("```{code-cell}")[0] + "```{code-cell} ipython3\n" + code + "\n```\n"
    load_module(_module(tmp_path, text))


def _one_cell(tmp_path: Path, *cells: str, name: str = "01-run.md") -> Path:
    text = TAGGED.split("```{code-cell}")[0]
    for code in cells:
        text += "```{code-cell} ipython3\n" + code + "\n```\n\n"
    return _module(tmp_path, text, name)


def test_a_missing_package_is_named_with_its_cell_and_line(tmp_path: Path) -> None:
    path = _one_cell(tmp_path, "x = 1", "y = 2\nimport ailit_no_such_package.sub")
    with pytest.raises(ExecutionError) as caught:
        _page(path, tmp_path / "cache")
    line = path.read_text().splitlines().index("import ailit_no_such_package.sub") + 1
    assert str(caught.value) == (
        f"{path}:{line}: cell 3 (line {line}) imports 'ailit_no_such_package', "
        "which is not installed in this environment"
    )
    assert caught.value.cell == 3 and caught.value.cell_line == line


def test_a_timeout_names_the_cell_that_hung(tmp_path: Path) -> None:
    path = _one_cell(
        tmp_path, "x = 1", "import time\nwhile True:\n    time.sleep(0.1)", "x = 2", "x = 3"
    )
    module = load_module(path)
    with pytest.raises(ExecutionError) as caught:
        execute(
            module,
            localize(module, Translator(None, is_source=True)),
            "en",
            tmp_path / "c",
            timeout=2,
        )
    line = path.read_text().splitlines().index("import time") + 1
    assert str(caught.value).startswith(f"{path}:{line}: cell 3 did not finish within 2 s")


class _Listener:
    """A loopback TCP server, to see whether a kernel can reach it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.accepted = 0
        self.server.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.accepted += 1
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.server.close()


def test_kernels_have_no_network(tmp_path: Path) -> None:
    assert network_prefix(), "this machine allows network namespaces: the build must use them"
    listener = _Listener()
    try:
        code = (
            f"import socket\nfor host, port in [('127.0.0.1', {listener.port}), ('1.1.1.1', 53)]:\n"
            "    try:\n        socket.create_connection((host, port), timeout=2).close()\n"
            "        print('reached', host)\n    except OSError:\n        print('refused', host)"
        )
        body, _ = _page(_one_cell(tmp_path, code), tmp_path / "cache")
    finally:
        listener.close()
    assert "refused 127.0.0.1" in body and "refused 1.1.1.1" in body
    assert listener.accepted == 0
