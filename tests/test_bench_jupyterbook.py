"""The benchmark's Jupyter Book gets the same modules, in the form Sphinx and MyST-NB read."""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import jupyterbook

MODULE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Title

:::{objectives}
- One.
:::

:::{note} Careful
Body.
:::

::::{quiz}
1. Question?
   - [x] Yes
::::

```{code-cell} python
print(_("Hello"))
```
"""


def test_ailit_directives_become_titled_admonitions() -> None:
    text = jupyterbook.module_text(MODULE)
    assert ":::{admonition} Learning objectives\n:class: objectives\n- One." in text
    assert ":::{admonition} Careful\n:class: note\nBody." in text
    assert "::::{admonition} Check yourself\n:class: quiz\n" in text
    assert "{objectives}" not in text and "{quiz}" not in text


def test_the_notebook_defines_gettext_first_and_keeps_its_code() -> None:
    notebook = jupytext.reads(jupyterbook.module_text(MODULE), fmt="md:myst")
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].metadata["tags"] == ["remove-cell"]
    assert code[0].source.startswith("def _(text):")
    assert code[1].source == 'print(_("Hello"))'
    assert notebook.metadata["kernelspec"]["name"] == "python3"


def test_a_shipped_module_has_no_directive_sphinx_lacks() -> None:
    source = Path(__file__).resolve().parent.parent / "courses" / "ai-literacy"
    for path in sorted(source.glob("*.md")):
        text = jupyterbook.module_text(path.read_text(encoding="utf-8"))
        for name in jupyterbook.OWN:
            assert f"{{{name}}}" not in text, path.name
