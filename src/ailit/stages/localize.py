"""Course + catalogue -> localized notebook: translated units in place, English where missing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog

from ailit.i18n import checks
from ailit.i18n.catalog import header_agrees, plural_index, published
from ailit.i18n.catalog import plural_forms as cldr_plural_forms
from ailit.i18n.segment import (
    Unit,
    replace_figure,
    replace_units,
    segment_code,
    segment_markdown,
    unwrap_marked_strings,
)
from ailit.model.course import Module


@dataclass
class Rejection:
    """A translation kept out of the page because an error check failed."""

    msgid: str
    problem: str
    catalogue: Path | None = None
    line: int | None = None


@dataclass
class Translator:
    """Looks up publishable translations; empty, fuzzy or failing ones fall back to source."""

    catalog: Catalog | None
    path: Path | None = None
    rejected: list[Rejection] = field(default_factory=list)
    is_source: bool = False  # the source language: every unit is its own translation

    def __call__(self, msgid: str, context: str | None = None) -> str | None:
        """The translation every output may use, or None: the one gate of the build.

        An entry is judged exactly as ``ailit check`` judges it (markdown when it carries
        ``md-text``), wherever it is shown: page body, title, navigation, card, metadata.
        """
        if self.is_source:
            return msgid
        if self.catalog is None:
            return None
        message = self.catalog.get(msgid, context)
        text = published(message)
        if text is None or message is None:
            return None
        locale = str(self.catalog.locale) if self.catalog.locale else None
        problems = checks.entry_errors(message, locale)
        if problems:
            self.rejected.append(Rejection(msgid, problems[0].message, self.path, message.lineno))
            return None
        return text

    def gettext(self, msgid: str, context: str | None = None) -> str:
        return self(msgid, context) or msgid

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of a count string the locale's CLDR rules choose for ``n``; English
        when any form is missing, fuzzy or fails a check."""
        forms = self.plural_forms(singular, plural)
        if forms is None or self.catalog is None or self.catalog.locale is None:
            return singular if n == 1 else plural
        index = plural_index(str(self.catalog.locale), n)
        return forms[index] if index < len(forms) else (singular if n == 1 else plural)

    def plural_forms(self, singular: str, plural: str) -> list[str] | None:
        """Every form of a count string's translation, or None: the gate for plurals."""
        if self.is_source or self.catalog is None or self.catalog.locale is None:
            return None
        message = self.catalog.get(singular)
        if message is None or message.fuzzy or not isinstance(message.string, (list, tuple)):
            return None
        forms = [str(form) for form in message.string]
        if not all(forms):
            return None
        locale = str(self.catalog.locale)
        count = cldr_plural_forms(locale)[0]
        if len(forms) != count or not header_agrees(
            locale, self.catalog.num_plurals, self.catalog.plural_expr
        ):  # forms in another order than CLDR's would put the wrong one on the page
            problem = f"needs {count} plural forms in CLDR's order (Plural-Forms header)"
            self.rejected.append(Rejection(singular, problem, self.path, message.lineno))
            return None
        problems = checks.entry_errors(message, locale)
        if problems:
            self.rejected.append(
                Rejection(singular, problems[0].message, self.path, message.lineno)
            )
            return None
        return forms


def localize(module: Module, translate: Translator) -> nbformat.NotebookNode:
    """A copy of the module's notebook in the target language.

    Markdown cells get translated units (the source text where none is publishable,
    listed in ``cell.metadata.ailit.fallback`` so the page can mark it); code cells get
    translated comments and strings, and ``_("...")`` becomes a plain string literal.
    """
    notebook = copy.deepcopy(module.notebook)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            units = segment_markdown(cell.source)
            fallback: list[str] = []
            cell.source = replace_units(cell.source, units, _recorder(translate, fallback))
            if fallback:
                cell.metadata.setdefault("ailit", {})["fallback"] = fallback
        elif cell.cell_type == "code":
            units = segment_code(cell.source)
            missing: list[str] = []
            cell.source = replace_units(
                cell.source, units, _recorder(translate, missing), code=True
            )
            cell.source = unwrap_marked_strings(cell.source)
            replace_figure(cell.metadata, _recorder(translate, missing))
            if missing:
                cell.metadata.setdefault("ailit", {})["fallback"] = missing
    return notebook


def _recorder(translate: Translator, fallback: list[str]) -> Callable[[Unit], str | None]:
    def lookup(unit: Unit) -> str | None:
        text = translate(unit.text)
        if text is None:
            fallback.append(unit.text)
        return text

    return lookup


#: the kernel every downloaded notebook names (the build runs python3)
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def downloadable(notebook: nbformat.NotebookNode, language: str) -> nbformat.NotebookNode:
    """The notebook a learner downloads: outputs kept, ailit's build notes removed."""
    result = copy.deepcopy(notebook)
    result.metadata.pop("jupytext", None)
    result.metadata.pop("ailit", None)
    result.metadata["language"] = language
    # the kernel that runs it, without the versions of this machine's Python or the
    # author's: the same sources give the same bytes on every machine and in every update
    result.metadata["kernelspec"] = dict(KERNELSPEC)
    result.metadata["language_info"] = {"name": "python"}
    for index, cell in enumerate(result.cells):
        cell.metadata.pop("ailit", None)
        cell.metadata.pop("execution", None)  # run times (Jupyter's record_timing)
        cell["id"] = f"cell-{index}"  # stable ids: the same notebook gives the same bytes
    nbformat.validate(result)
    return result
