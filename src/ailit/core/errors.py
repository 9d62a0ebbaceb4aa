"""One small exception hierarchy: every user-facing failure is one line naming file and line."""

from __future__ import annotations

from pathlib import Path


class AilitError(Exception):
    """A problem in the user's input that ailit reports as one clear line (exit code 1)."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{_display(self.path)}"
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.message}"


class CourseError(AilitError):
    """course.yml or a module notebook is malformed."""


class CatalogueError(AilitError):
    """A .po or .pot file cannot be read."""


class ExecutionError(AilitError):
    """A notebook cell failed or timed out while the site was built."""


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
