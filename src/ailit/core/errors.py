"""One small exception hierarchy: every user-facing failure is one line naming file and line.

The base is a click exception, as in mkdocs: click shows it and exits, so no command needs
its own error handling. Exit codes: 1 bad user input (any ``AilitError``, and a failed
``check`` or ``verify``), 2 bad usage of the command line (click's own ``UsageError``).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, ClassVar

import click


class AilitError(click.ClickException):
    """A problem in the user's input that ailit reports as one clear line (exit code 1)."""

    exit_code: ClassVar[int] = 1

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.path = Path(path) if path is not None else None
        self.line = line

    def format_message(self) -> str:
        """``file:line: message``, the path relative to the working directory."""
        where = ""
        if self.path is not None:
            where = f"{_display(self.path)}"
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.message}"

    def __str__(self) -> str:
        return self.format_message()

    def show(self, file: IO[Any] | None = None) -> None:
        """One line on stderr, whatever -q says: no traceback, no usage text."""
        click.echo(f"error: {self.format_message()}", file=file, err=file is None)


class CourseError(AilitError):
    """course.yml or a module notebook is malformed."""


class CatalogueError(AilitError):
    """A .po or .pot file cannot be read."""


class ExecutionError(AilitError):
    """A notebook cell failed or timed out while the site was built.

    ``cell`` (1-based), ``cell_line`` (the file's line, or the cell's own in an .ipynb) and
    ``detail`` (what went wrong) let a page say it in the reader's language.
    """

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        cell: int | None = None,
        cell_line: int | None = None,
        detail: str = "",
    ):
        super().__init__(message, path, line)
        self.cell = cell
        self.cell_line = cell_line
        self.detail = detail or message


class BuildError(AilitError):
    """The site could not be built; the previous build is left in place."""


class BundleError(AilitError):
    """An offline copy (zip, ZIM or update) cannot be made, checked or applied."""


def _display(path: Path) -> str:
    """Show paths relative to the working directory when they are inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
