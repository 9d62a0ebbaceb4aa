"""Run localized notebooks with nbclient, offline, once per distinct code: outputs are cached.

The cache key is a hash of what decides the outputs: the code with its comments removed
(translated comments change nothing), every data file the notebook can read (the course's
``data/`` with the locale's ``data/<lang>/`` over it: code may build a file name), the kernel's
libraries, the installed fonts, this file and ailit's version (not the rest of ailit's
source: an edit to the page templates runs nothing again). Two locales whose code only
differs in comments share one run.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from ailit import __version__
from ailit.core.cache import Cache
from ailit.core.errors import ExecutionError
from ailit.core.keys import fonts_key, version
from ailit.core.paths import ASSETS
from ailit.model.course import Module
from ailit.stages.kernels import PooledKernel

DEFAULT_TIMEOUT = 60  # seconds a cell may run before the build names it and stops
#: cell tags that change how a notebook runs (nbclient honours both)
RUN_TAGS = frozenset({"skip-execution", "raises-exception"})
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_MPLRC = ASSETS / "matplotlibrc"


def merged_data(module: Module, language: str) -> dict[str, Path]:
    """Data files for a locale: ``data/<lang>/<file>`` overrides ``data/<file>``."""
    files: dict[str, Path] = {}
    root = module.data_dir
    if root.is_dir():
        for path in sorted(root.iterdir()):
            if path.is_file():
                files[path.name] = path
        local = root / language
        if local.is_dir():
            for path in sorted(local.iterdir()):
                if path.is_file():
                    files[path.name] = path
    return files


def code_key(notebook: nbformat.NotebookNode, data: dict[str, Path]) -> str:
    """Hash of everything that decides a notebook's outputs."""
    digest = hashlib.sha256()
    digest.update(f"ailit {__version__}\nkernel python3 {sys.version_info[:2]}\n".encode())
    for package in ("numpy", "matplotlib", "ipykernel"):
        digest.update(f"{package} {version(package)}\n".encode())
    digest.update(_MPLRC.read_bytes())
    digest.update(Path(__file__).read_bytes())  # how a notebook is run (env, kernel, cwd)
    for name in ("isolation.py", "kernels.py", "kernel_server.py"):  # its network, its start
        digest.update((Path(__file__).parent / name).read_bytes())
    digest.update(fonts_key().encode())  # plots draw their labels with the installed fonts
    for cell in notebook.cells:
        if cell.cell_type == "code":
            digest.update(b"\0cell\0" + _without_comments(cell.source).encode())
            tags = sorted(set(cell.metadata.get("tags", [])) & RUN_TAGS)  # what runs, what may fail
            digest.update(("\0tags\0" + " ".join(tags)).encode())
    for name, path in sorted(data.items()):  # all of them: code can build a path from parts
        digest.update(b"\0data\0" + name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _without_comments(code: str) -> str:
    """The code's tokens without comments or layout, so a translated comment changes nothing."""
    try:
        tokens = tokenize.generate_tokens(io.StringIO(code).readline)
        kept = [
            f"{t.type}:{t.string}" for t in tokens if t.type not in (tokenize.COMMENT, tokenize.NL)
        ]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return code
    return "\n".join(kept)


def execute(
    module: Module,
    notebook: nbformat.NotebookNode,
    language: str,
    cache_dir: Path,
    timeout: int = DEFAULT_TIMEOUT,
) -> tuple[nbformat.NotebookNode, bool]:
    """Fill the notebook's outputs, from cache when the code ran before. Returns (nb, ran).

    A module with ``execute: false`` keeps the outputs stored in it and runs nothing.
    """
    if not module.executes:
        _join_cells(notebook)  # stored outputs too: one print, one box
        return notebook, False
    data = merged_data(module, language)
    key = code_key(notebook, data)
    cache = Cache(cache_dir / "exec", ".json")
    kept = cache.read_json(key, lambda kept: _valid_entry(kept, notebook))
    if kept is not None:
        _apply_outputs(notebook, kept["cells"])
        # the kernel's description too: a notebook from the cache is the one that ran
        notebook.metadata["language_info"] = kept["language_info"]
        return notebook, False
    with tempfile.TemporaryDirectory(prefix="ailit-run-") as workdir:
        if data:
            (Path(workdir) / "data").mkdir()
            for name, path in data.items():
                shutil.copyfile(path, Path(workdir) / "data" / name)
        _run(module, notebook, Path(workdir), timeout)
    _join_cells(notebook)
    cells = [
        {"outputs": cell.outputs, "execution_count": cell.execution_count}
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]
    language_info = notebook.metadata.get("language_info") or {"name": "python"}
    cache.write_json(key, {"cells": cells, "language_info": language_info}, sort_keys=True)
    return notebook, True


def _valid_entry(kept: object, notebook: nbformat.NotebookNode) -> bool:
    """A kept run fits the notebook: the kernel's language_info and one record per code
    cell, each with a list of outputs (a damaged entry is a miss: the notebook runs again
    instead of failing the build)."""
    if not isinstance(kept, dict) or not isinstance(kept.get("language_info"), dict):
        return False
    outputs = kept.get("cells")
    code_cells = sum(1 for cell in notebook.cells if cell.cell_type == "code")
    if not isinstance(outputs, list) or len(outputs) != code_cells:
        return False
    return all(
        isinstance(o, dict)
        and "execution_count" in o
        and isinstance(o.get("outputs"), list)
        and all(isinstance(output, dict) for output in o["outputs"])
        for o in outputs
    )


def _joined_streams(outputs: list) -> list:
    """One output per run of text to one stream: the kernel sends a print in pieces as its
    timer flushes, so unjoined the same code gives one block on a page or two, by chance.
    The outputs given are left as they are (a cached entry may hold them split)."""
    joined: list = []
    for output in outputs:
        last = joined[-1] if joined else None
        if (
            last is not None
            and output.get("output_type") == "stream" == last.get("output_type")
            and output.get("name") == last.get("name")
        ):
            joined[-1] = nbformat.from_dict({**last, "text": last["text"] + output["text"]})
        else:
            joined.append(output)
    return joined


def _join_cells(notebook: nbformat.NotebookNode) -> None:
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = _joined_streams(cell.get("outputs", []))


def _apply_outputs(notebook: nbformat.NotebookNode, outputs: list[dict]) -> None:
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for cell, stored in zip(code_cells, outputs, strict=True):
        cell.outputs = _joined_streams([nbformat.from_dict(o) for o in stored["outputs"]])
        cell.execution_count = stored["execution_count"]


def _run(module: Module, notebook: nbformat.NotebookNode, workdir: Path, timeout: int) -> None:
    """Execute in a fresh kernel, in ``workdir``, with a headless matplotlib and no network."""
    for cell in notebook.cells:
        if cell.cell_type == "code":  # stored outputs go: a skipped cell shows none
            cell.outputs = []
            cell.execution_count = None
    running = [0]  # the index of the cell the kernel was given last
    env_backup = dict(os.environ)
    os.environ["MATPLOTLIBRC"] = str(_MPLRC)
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        os.environ[name] = "http://127.0.0.1:9"  # any request from a cell fails at once
    try:
        for attempt in (1, 2):
            client = _client(notebook, workdir, timeout, running)
            try:
                client.execute(stderr=subprocess.DEVNULL)
                break
            except DeadKernelError:
                raise
            except RuntimeError as exc:
                # nbclient leaves an exit hook that fails on a kernel that never started
                atexit.unregister(client._cleanup_kernel)
                # the kernel did not start ("died before replying to kernel_info", "didn't
                # respond in 60 seconds"): seen on a loaded machine, so one more try
                if attempt == 2 or any(
                    c.get("execution_count") for c in notebook.cells if c.cell_type == "code"
                ):
                    raise ExecutionError(
                        f"the Python kernel did not start: {exc}", module.path
                    ) from exc
    except CellTimeoutError as exc:
        index = running[0]
        hung = f"did not finish within {timeout} s (an endless loop?)"
        raise ExecutionError(
            f"{module.where(index)} {hung}",
            module.path,
            module.line(index),
            cell=index + 1,
            cell_line=module.line(index) if not module.is_ipynb else None,
            detail=hung,
        ) from exc
    except CellExecutionError as exc:
        index = running[0]
        within = _error_line(notebook.cells[index])
        where = module.where(index, within)
        if exc.ename == "ModuleNotFoundError" and (package := _missing_module(exc.evalue)):
            detail = f"imports {package!r}, which is not installed in this environment"
        else:
            detail = f"raised {exc.ename}: {exc.evalue}".strip()
        line = module.line(index, within or 1)
        raise ExecutionError(
            f"{where} {detail}",
            module.path,
            line,
            cell=index + 1,
            cell_line=line if not module.is_ipynb else within,
            detail=detail,
        ) from exc
    except DeadKernelError as exc:
        raise ExecutionError(f"the kernel died: {exc}", module.path) from exc
    except NoSuchKernel as exc:
        raise ExecutionError(
            "no Python kernel (python3) is installed: pip install ipykernel", module.path
        ) from exc
    finally:
        os.environ.clear()
        os.environ.update(env_backup)


def _client(
    notebook: nbformat.NotebookNode, workdir: Path, timeout: int, running: list[int]
) -> NotebookClient:
    """A client whose kernel has no network where the OS allows it; it notes in ``running``
    each cell it hands the kernel (a timeout leaves no other trace of which cell hung)."""

    def note(cell: nbformat.NotebookNode, cell_index: int) -> None:
        running[0] = cell_index

    return NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        kernel_manager_class=PooledKernel,
        resources={"metadata": {"path": str(workdir)}},
        allow_errors=False,  # a cell tagged raises-exception may fail (nbclient)
        record_timing=False,
        on_cell_execute=note,
    )


def _error_line(cell: nbformat.NotebookNode) -> int | None:
    """The line of the cell the error came from, read from IPython's traceback."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            text = _ANSI.sub("", "\n".join(output.get("traceback", [])))
            lines = re.findall(r"^Cell In\[\d*\], line (\d+)", text, re.M)
            if lines:
                return int(lines[0])
    return None


def _missing_module(evalue: str) -> str | None:
    """The top package a ModuleNotFoundError names ("No module named 'pandas.io'")."""
    match = re.search(r"No module named '([^']+)'", evalue)
    return match.group(1).split(".")[0] if match else None
