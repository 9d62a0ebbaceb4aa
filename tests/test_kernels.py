"""Notebooks started once (issue 16): kernels forked from one pre-started Python, each a new
process, so nothing leaks between notebooks; one print is one output; downloaded notebooks
are the same bytes from build to build (issue 18)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from ailit.model.course import load_module
from ailit.stages import kernels
from ailit.stages.execute import execute
from ailit.stages.isolation import IsolatedKernel
from ailit.stages.localize import Translator, downloadable, localize

FRONT = """\
---
jupyter:
  kernelspec:
    display_name: Python 3
    language: python
    name: python3
---

# {title}

"""


def _module(root: Path, name: str, *cells: str) -> Path:
    """A MyST module with one code cell per given source."""
    path = root / "courses" / "mine" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    code = "".join(f"Text.\n\n```{{code-cell}} ipython3\n{c}\n```\n\n" for c in cells)
    path.write_text(FRONT.format(title=name) + code, encoding="utf-8")
    return path


def _run(path: Path, cache: Path) -> nbformat.NotebookNode:
    module = load_module(path)
    notebook, _ran = execute(
        module, localize(module, Translator(None, is_source=True)), "en", cache
    )
    return notebook


def _code(notebook: nbformat.NotebookNode) -> list:
    return [c for c in notebook.cells if c.cell_type == "code"]


def _text(notebook: nbformat.NotebookNode) -> str:
    return "".join(
        o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs
    )


CHANGE_EVERYTHING = """\
import os, sys
import matplotlib
import numpy as np
secret = 42
os.chdir("/")
os.environ["AILIT_LEAK"] = "1"
sys.path.insert(0, "/leak")
matplotlib.rcParams["lines.linewidth"] = 9
np.set_printoptions(precision=1)
np.pi = 3  # a module the server imported before it forked
"""

LOOK_AT_EVERYTHING = """\
import os, sys
import matplotlib
import numpy as np
print("secret" in globals(), os.path.basename(os.getcwd()).startswith("ailit-run-"),
      "AILIT_LEAK" in os.environ, "/leak" in sys.path,
      matplotlib.rcParams["lines.linewidth"], np.array([1.23456]), np.pi)
print("parent", os.getppid())
"""


def test_nothing_one_notebook_changes_reaches_the_next(tmp_path: Path) -> None:
    """A name, the folder, the environment, sys.path, Matplotlib's rc, NumPy's options and a
    monkeypatched module: the next notebook sees none of them, though both kernels came
    from the same pre-started server."""
    first = _run(_module(tmp_path, "01-change.md", CHANGE_EVERYTHING, "print('parent', os.getppid())"), tmp_path / "c")  # fmt: skip
    second = _run(_module(tmp_path, "02-look.md", LOOK_AT_EVERYTHING), tmp_path / "c")
    facts, parent = _text(second).splitlines()
    assert facts == "False True False False 1.5 [1.23456] 3.141592653589793"
    assert parent == _text(first).strip()  # one server forked both
    assert parent != f"parent {os.getpid()}"  # not kernels started by the build itself


SAME_AS_STARTED = """\
import os, sys
import matplotlib.pyplot as plt
here = os.getcwd()
print(__name__, [p.replace(here, "<cwd>") for p in sys.path], sys.argv[0])
print(os.environ.get("JPY_PARENT_PID") is not None, plt.get_backend())
plt.plot([1, 2, 3], [3, 1, 2])
_ = plt.title("Un titre accentué")
"""


def _by_hand(code: str, manager: type) -> list:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    with tempfile.TemporaryDirectory() as folder:
        NotebookClient(
            notebook, kernel_name="python3", kernel_manager_class=manager,
            resources={"metadata": {"path": folder}}, record_timing=False,
        ).execute()  # fmt: skip
    return notebook.cells[0].outputs


def test_a_forked_kernel_gives_what_a_started_kernel_gives() -> None:
    """The same module path, arguments, backend, and the same plot, byte for byte."""
    forked = _by_hand(SAME_AS_STARTED, kernels.PooledKernel)
    started = _by_hand(SAME_AS_STARTED, IsolatedKernel)
    assert [o.output_type for o in forked] == ["stream", "display_data"]
    assert "ipykernel_launcher.py" in forked[0].text
    assert forked == started


def test_a_print_split_in_the_cache_is_one_output(tmp_path: Path) -> None:
    """An entry cached before streams were joined gives one output per print too."""
    path = _module(tmp_path, "01-print.md", "print('under the river. (new)')")
    cache = tmp_path / "c"
    assert len(_code(_run(path, cache))[0].outputs) == 1
    (entry,) = (cache / "exec").rglob("*.json")
    kept = json.loads(entry.read_text("utf-8"))
    (output,) = kept["cells"][0]["outputs"]
    kept["cells"][0]["outputs"] = [
        {**output, "text": "under the river."},
        {**output, "text": " (new)\n"},
    ]
    entry.write_text(json.dumps(kept), "utf-8")
    (joined,) = _code(_run(path, cache))[0].outputs
    assert joined.text == "under the river. (new)\n"


def test_a_rebuilt_notebook_download_is_the_same_bytes(tmp_path: Path) -> None:
    """Two runs of the same sources, each from an empty cache: the downloads are equal, and
    say the kernel's name but no Python version or run time."""
    plot = "import matplotlib.pyplot as plt\nplt.bar(['a', 'b'], [1, 2])\nprint('done')"
    path = _module(tmp_path, "01-plot.md", plot)
    runs = [nbformat.writes(downloadable(_run(path, tmp_path / c), "fr")) for c in "ab"]
    assert runs[0] == runs[1]
    notebook = json.loads(runs[0])
    assert notebook["metadata"]["language_info"] == {"name": "python"}
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert '"version"' not in json.dumps(notebook["metadata"]).replace('"nbformat', "")
    assert [c["id"] for c in notebook["cells"]] == [
        f"cell-{i}" for i in range(len(notebook["cells"]))
    ]
    assert all("execution" not in c["metadata"] for c in notebook["cells"])
    (code,) = (c for c in notebook["cells"] if c["cell_type"] == "code")
    assert [o["output_type"] for o in code["outputs"]] == ["stream", "display_data"]


def test_a_killed_server_is_replaced(tmp_path: Path) -> None:
    """A build goes on when its kernel server was killed: the next notebook starts another."""
    _run(_module(tmp_path, "01-one.md", "print('one')"), tmp_path / "c")
    for server in kernels._servers.values():
        server.process.kill()
        server.process.wait()
    after = _run(_module(tmp_path, "02-two.md", "print('two')"), tmp_path / "c")
    assert _text(after) == "two\n"
