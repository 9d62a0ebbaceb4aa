"""Edits to course.yml and languages.yml that keep the author's comments, order and style
(ruamel.yaml round-trip) and always leave valid YAML.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ailit.core.errors import CourseError
from ailit.core.files import write_atomic
from ailit.model.yamlfile import Document, fail, read_document


def add_module(path: Path, name: str) -> None:
    """Append a module to course.yml's ``modules`` list."""

    def change(data: Any, document: Document) -> None:
        from ruamel.yaml.comments import CommentedSeq

        modules = data.get("modules")
        if modules is None:
            data["modules"] = modules = CommentedSeq()
        if not isinstance(modules, CommentedSeq):
            raise fail(document, f"field 'modules' must be a list, got {modules!r}", "modules")
        if not modules:
            modules.fa.set_block_style()  # `modules: []` of a new course becomes a list of lines
        _append(modules, len(modules), name)

    edit_yaml(path, change, "expected a mapping of fields (title, summary, ...)")


def add_language(path: Path, code: str, name: str) -> bool:
    """Add a locale to languages.yml (written as its other entries are); False if listed."""
    added = False

    def change(data: Any, document: Document) -> None:
        nonlocal added
        from ruamel.yaml.comments import CommentedMap

        entries = data.get("languages")
        if entries is None:
            data["languages"] = entries = CommentedMap()
        if not isinstance(entries, dict):
            raise fail(document, "'languages' must map codes to settings", "languages")
        if code in entries:
            return
        entry = CommentedMap(name=name, review="unreviewed")
        if all(not isinstance(e, CommentedMap) or e.fa.flow_style() for e in entries.values()):
            entry.fa.set_flow_style()
        _append(entries, code, entry)
        added = True

    if not path.exists():
        write_atomic(path, b"source: en\nlanguages:\n")
    edit_yaml(path, change, "expected 'source:' and 'languages:' fields")
    return added


def edit_yaml(path: Path, change: Callable[[Any, Document], None], not_mapping: str) -> None:
    """Change a YAML mapping file in place (ruamel.yaml round trip): the author's comments,
    key order, quoting, flow or block style and indentation stay; the result must parse."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError as RoundTripError

    document = read_document(path)  # PyYAML errors, with their line, as any reading gives
    if not isinstance(document.data, dict):
        raise fail(document, not_mapping)
    text = path.read_text(encoding="utf-8")
    editor = YAML()
    editor.preserve_quotes = True
    editor.allow_duplicate_keys = True
    editor.width = 4096  # never re-wrap an author's long line
    editor.indent(**_indentation(document.root, text))
    editor.explicit_start = text.lstrip().startswith("---")
    try:
        data = editor.load(text)
        change(data, document)
        out = io.StringIO()
        editor.dump(data, out)
        yaml.safe_load(out.getvalue())
    except (RoundTripError, yaml.YAMLError) as exc:
        raise CourseError(f"cannot be edited safely ({exc}); edit it by hand", path) from exc
    write_atomic(path, out.getvalue().encode("utf-8"))


def _indentation(root: yaml.Node | None, text: str) -> dict[str, int]:
    """The file's own indentation: of nested mappings, of list items and of their dashes."""
    found = {"mapping": 0, "sequence": 0, "offset": -1}
    lines = text.splitlines()
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop(0)
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            continue
        for key, value in node.value:
            column = key.start_mark.column
            if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
                if not found["mapping"]:
                    found["mapping"] = value.value[0][0].start_mark.column - column
                pending.append(value)
            elif (
                isinstance(value, yaml.SequenceNode)
                and not value.flow_style
                and value.value
                and found["offset"] < 0
            ):
                item = value.value[0].start_mark
                dash = len(lines[item.line][: item.column].rstrip()) - 1
                found["sequence"] = item.column - column
                found["offset"] = dash - column
    return {
        "mapping": found["mapping"] or 2,
        "sequence": found["sequence"] if found["offset"] >= 0 else 4,
        "offset": max(found["offset"], 0) if found["offset"] >= 0 else 2,
    }


def _append(container: Any, key: Any, value: Any) -> None:
    """Add a last entry; comment lines that followed the old last entry still follow the list
    (ruamel keeps them on that entry, so the new one would land below them)."""
    from ruamel.yaml.comments import CommentedMap

    before = _last_comment(container) if len(container) else None
    if isinstance(container, CommentedMap):
        container[key] = value
    else:
        container.append(value)
    if before is None:
        return
    holder, slot, index = before
    token = holder.ca.items[slot][index]
    own_line, newline, following = token.value.partition("\n")
    if not newline or not following:
        return
    token.value = own_line + "\n" if own_line else "\n"
    if not own_line:
        holder.ca.items[slot][index] = None
    moved = type(token)("\n" + following, token.start_mark, None)
    holder, slot, index = _last_slot(container)
    holder.ca.items[slot] = [None, None, moved, None] if index == 2 else [moved, None, None, None]


def _last_comment(container: Any) -> tuple[Any, Any, int] | None:
    """Where ruamel keeps the comments after the last line of a block container, if any."""
    holder, slot, index = _last_slot(container)
    comments = holder.ca.items.get(slot)
    return (holder, slot, index) if comments and comments[index] is not None else None


def _last_slot(container: Any) -> tuple[Any, Any, int]:
    """The innermost last entry of a block container, where comments after it are kept."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    while True:
        if isinstance(container, CommentedMap):
            slot, index = list(container)[-1], 2
        else:
            slot, index = len(container) - 1, 0
        comments = container.ca.items.get(slot)
        inner = container[slot]
        if (comments and comments[index] is not None) or not (
            isinstance(inner, (CommentedMap, CommentedSeq))
            and len(inner)
            and not inner.fa.flow_style()
        ):
            return container, slot, index
        container = inner
