"""``ailit init``: a new project that builds at once, with a one-module example course.

A new organisation opens a site, not an empty page: the example course shows how a module
is written and translated, and is deleted (``courses/example/``) once a course of its own
is in place. Nothing that exists is overwritten: a folder holding a project is refused.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ailit.core.errors import AilitError
from ailit.core.files import write_atomic
from ailit.model.language import babel_locale

#: Files and folders that make a folder an ailit project (``init`` refuses to touch one).
PROJECT_FILES = ("mkdocs.yml", "site_config/languages.yml", "courses", "locales")

MKDOCS_YML = """\
# Base configuration shared by every locale. ailit adds per locale: docs_dir, site_dir,
# theme.language, nav, the language switcher, search and the offline plugin.
{site_name}
theme:
  name: material
  features:
    - navigation.sections
    - navigation.footer
    - search.highlight
"""

LANGUAGES_YML = """\
# Locales of the site: add one with 'ailit init-locale fr'. review: unreviewed until a
# native speaker has read every page; threshold: below this share of translated words
# a locale is built as a preview.
source: {source}
publish_threshold: 80
languages:
"""

GITIGNORE = ("build/", ".venv/", "__pycache__/", ".ipynb_checkpoints/")

EXAMPLE_COURSE = """\
title: Example course
summary: One short module that shows how a course is written; delete it when yours is ready.
audience: Authors trying ailit.
level: beginner
duration: 20
# Parts every module must have ('ailit check' warns when one lacks one), for example:
# requires: [objectives, unplugged, quiz, teacher-guide]
modules:
  - 01-first-module
"""

EXAMPLE_MODULE = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
ailit:
  level: beginner
  duration: 20
---

# A first module

This module is an example: a notebook written as MyST markdown, which Jupyter opens with
jupytext. Replace it with your own modules, or delete the folder `courses/example/`.

## Text for the translators

Every heading, paragraph and list item becomes one passage in the catalogues:

- `ailit extract` writes the templates in `locales/`;
- `ailit init-locale fr` starts a language and `ailit update` keeps it up to date.

## Code that runs when the site is built

```{code-cell} python
# Comments are translated, and so are the strings wrapped in _( ).
numbers = [3, 1, 4, 1, 5]
print(_("The largest number is"), max(numbers))
```
"""


def init_project(root: Path, site_name: str, source: str, example: bool = True) -> list[Path]:
    """Write a new project into ``root``; returns the files written."""
    for name in PROJECT_FILES:
        if (root / name).exists():
            raise AilitError(
                "already holds an ailit project: 'ailit init' changes nothing here", root / name
            )
    babel_locale(source)  # an unknown code is refused before anything is written
    if not site_name.strip():
        raise AilitError("the site needs a name (--name)")
    files = {
        root / "mkdocs.yml": MKDOCS_YML.format(
            site_name=yaml.safe_dump({"site_name": site_name.strip()}, allow_unicode=True).strip()
        ),
        root / "site_config" / "languages.yml": LANGUAGES_YML.format(source=source),
    }
    if example:
        course = root / "courses" / "example"
        files[course / "course.yml"] = EXAMPLE_COURSE
        files[course / "01-first-module.md"] = EXAMPLE_MODULE
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"))
    (root / "courses").mkdir(exist_ok=True)
    (root / "locales").mkdir(exist_ok=True)
    return [*files, *_ignore_build(root / ".gitignore")]


def _ignore_build(path: Path) -> list[Path]:
    """Keep what ailit makes out of git: add the lines a .gitignore lacks, keeping its own."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    missing = [line for line in GITIGNORE if line not in text.splitlines()]
    if not missing:
        return []
    if text and not text.endswith("\n"):
        text += "\n"
    write_atomic(path, (text + "\n".join(missing) + "\n").encode("utf-8"))
    return [path]
