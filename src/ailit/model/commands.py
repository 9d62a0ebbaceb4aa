"""What a module's code may not ask of the machine: a build never changes it.

Shell escapes and package installs (IPython's ``!cmd``, ``%pip``, ``%%bash``, ...) would
run on the machine that builds the site, with its rights and its network. They are found
in the code cells' text, so ``check`` and ``build`` refuse them at file and line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ailit.core.errors import CourseError

if TYPE_CHECKING:
    from ailit.model.course import Module

#: line magics that run a shell command or install packages
LINE_MAGICS = ("pip", "conda", "mamba", "micromamba", "system", "sx", "sc")
#: cell magics that hand the cell to another program
CELL_MAGICS = (
    "bash", "sh", "script", "system", "sx", "perl", "ruby", "python2", "python3", "pypy",
    "cmd", "powershell",
)  # fmt: skip

_SHELL = re.compile(r"^\s*(?:[\w.\[\]]+\s*=\s*)?!")  # ``!cmd``, ``!!cmd``, ``files = !ls``
_LINE_MAGIC = re.compile(r"^\s*(?:[\w.\[\]]+\s*=\s*)?%(" + "|".join(LINE_MAGICS) + r")\b")
#: with automagic on (IPython's default) ``pip install x`` is ``%pip install x``
_AUTOMAGIC = re.compile(r"^\s*(pip|conda|mamba|micromamba)\s+[a-z]")
_CELL_MAGIC = re.compile(r"^\s*%%(" + "|".join(CELL_MAGICS) + r")\b")
_WRITEFILE = re.compile(r"^\s*%%writefile\s+(?:-a\s+|--append\s+)?(\S+)")


def shell_command(source: str) -> tuple[int, str] | None:
    """The first line of a code cell that would run a program or change files outside the
    notebook's folder, as (line in the cell, what it is), or None."""
    for number, line in enumerate(source.splitlines(), 1):
        if number == 1 and (match := _CELL_MAGIC.match(line)):
            return number, f"'%%{match.group(1)}' runs the cell as a shell or program"
        if number == 1 and (match := _WRITEFILE.match(line)):
            target = match.group(1).strip("'\"")
            if target.startswith(("/", "~")) or ".." in target.split("/"):
                return number, f"'%%writefile {target}' writes outside the notebook's folder"
        if _SHELL.match(line):
            return number, "'!' runs a shell command"
        if match := _LINE_MAGIC.match(line) or _AUTOMAGIC.match(line):
            return number, f"'{match.group(1)}' runs a program on the building machine"
    return None


def check_commands(module: Module) -> None:
    """Refuse a module whose code would run shell commands or install packages."""
    for index, cell in enumerate(module.notebook.cells):
        if cell.cell_type != "code":
            continue
        found = shell_command(cell.source)
        if found is None:
            continue
        within, what = found
        raise CourseError(
            f"{module.where(index, within)}: {what}; a build never changes the machine "
            "(install packages before building, read files from data/)",
            module.path,
            module.line(index, within),
        )
