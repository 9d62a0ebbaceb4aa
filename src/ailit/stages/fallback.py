"""Passages a page or a handout still shows in the source language.

``localize`` lists each untranslated passage of a cell in its ``ailit.fallback`` metadata;
pages and handouts find them again by their text, white space made one, and give their
blocks ``lang`` and ``dir``: English keeps its full stop at its end on a right-to-left
page, and a screen reader reads it as English.
"""

from __future__ import annotations

from markdown_it.token import Token
from nbformat import NotebookNode


def normal(text: str) -> str:
    """A passage as it is matched: white space made one."""
    return " ".join(text.split())


def cell_fallback(cell: NotebookNode) -> set[str]:
    """The passages a localized cell shows in the source language."""
    return {normal(text) for text in cell.metadata.get("ailit", {}).get("fallback", [])}


def mark_blocks(
    tokens: list[Token], fallback: set[str], lang: str, direction: str, css: str = ""
) -> None:
    """Give each block whose text is a fallback ``lang``, ``dir`` and the class ``css``."""
    for index, token in enumerate(tokens):
        if token.type != "inline" or normal(token.content) not in fallback:
            continue
        for back in range(index - 1, -1, -1):
            opener = tokens[back]
            if opener.nesting == 1 and not opener.hidden:
                opener.attrSet("lang", lang)
                opener.attrSet("dir", direction)
                if css:
                    opener.attrJoin("class", css)
                break
