"""YAML files read once into values and nodes, so every message can name the line of the value
it is about, nested ones included.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ailit.core.errors import CourseError


@dataclass
class Document:
    """A parsed YAML file and its node tree, so that any value can name its line."""

    path: Path
    data: Any
    root: yaml.Node | None

    def line(self, *keys: object) -> int | None:
        """The line of the value at ``keys``, or of the deepest one present."""
        node = self.root
        if node is None:
            return None
        for key in keys:
            child = _child(node, key)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1

    def key_line(self, *keys: object) -> int | None:
        """The line of the last key of ``keys`` (where a mapping entry starts)."""
        parent = self.root
        for key in keys[:-1]:
            parent = _child(parent, key) if parent is not None else None
        found = _child(parent, keys[-1], want_key=True) if parent is not None else None
        return found.start_mark.line + 1 if found is not None else self.line(*keys)


def _child(node: yaml.Node, key: object, want_key: bool = False) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key):
                return key_node if want_key else value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def read_document(path: Path, loader: type[Any] = yaml.SafeLoader) -> Document:
    """Parse a YAML file once into values and nodes; a syntax error names file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CourseError("file is missing", path) from exc
    except UnicodeDecodeError as exc:
        raise CourseError("not valid UTF-8", path) from exc
    parser = loader(text)
    try:
        root = parser.get_single_node()
        data = parser.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise CourseError(f"YAML syntax error: {problem}", path, line) from exc
    finally:
        parser.dispose()
    return Document(path, data, root)


def read_yaml(path: Path) -> tuple[Any, dict[str, int]]:
    """Parse YAML; a syntax error names file and line. Returns data and key lines."""
    document = read_document(path)
    lines: dict[str, int] = {}
    if isinstance(document.root, yaml.MappingNode):
        for key, _value in document.root.value:
            lines[str(key.value)] = key.start_mark.line + 1
    return document.data, lines


def fail(document: Document, message: str, *at: object) -> CourseError:
    """A one-line error at the value found at ``at``."""
    return CourseError(message, document.path, document.line(*at))
