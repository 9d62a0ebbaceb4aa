"""Cache keys: what every cached stage result depends on besides its own inputs.

ailit's own code (every file of the package, so an edit without a version bump still
counts), the versions of the libraries that shape a page, a plot or a PDF, and the fonts
installed (a plot or handout laid out before Noto CJK was installed shows empty boxes).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
from pathlib import Path

from ailit import __version__
from ailit.core.paths import PACKAGE

#: Libraries whose upgrade can change what a build writes.
LIBRARIES = (
    "mkdocs", "mkdocs-material", "nbconvert", "nbformat", "jupytext", "markdown-it-py",
    "mdit-py-plugins", "nh3", "babel", "typst", "tinycss2", "numpy", "matplotlib", "ipykernel",
)  # fmt: skip


@functools.cache
def version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "none"


@functools.cache
def package_key() -> str:
    """Hash of ailit's source and the library versions (once per process)."""
    digest = hashlib.sha256(f"ailit {__version__}\n".encode())
    for library in LIBRARIES:
        digest.update(f"{library} {version(library)}\n".encode())
    digest.update(fonts_key().encode())
    hash_files(digest, PACKAGE, [p for p in PACKAGE.rglob("*") if "__pycache__" not in p.parts])
    return digest.hexdigest()


def hash_files(digest: hashlib._Hash, root: Path, files: list[Path]) -> None:
    """Add each file's name (relative to ``root`` when inside it) and bytes, in sorted order."""
    for path in sorted(set(files)):
        if path.is_file():
            name = path.relative_to(root) if root in path.parents else path.name
            digest.update(b"\0" + str(name).encode() + b"\0" + path.read_bytes())


#: Where fontconfig finds fonts on Debian and Ubuntu (system, local, the user's).
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")


@functools.cache
def fonts_key() -> str:
    """Hash of the installed font files' names and sizes (a few milliseconds)."""
    return installed_fonts_key()


def installed_fonts_key() -> str:
    digest = hashlib.sha256()
    for folder in FONT_DIRS:
        for root, _dirs, files in sorted(os.walk(os.path.expanduser(folder))):
            for name in sorted(files):
                path = os.path.join(root, name)
                try:
                    size = os.stat(path).st_size
                except OSError:
                    continue
                digest.update(f"{path}\0{size}\n".encode())
    return digest.hexdigest()
