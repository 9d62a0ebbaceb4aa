"""A handout's sanitised HTML as data for the Typst template: blocks and inline runs.

Typst never reads a translator's words as markup: every text becomes a JSON string the
template shows as text, so ``#read``, ``#image`` or ``#include`` in a msgstr print as
written. Only the build puts images in (code outputs as ``data:`` URIs), stored by hash.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from ailit.model.quiz import answer_letter

Node = dict[str, Any]
#: stores an image's bytes under a name the template can open (its path from the root)
Store = Callable[[bytes, str], str]

_BLOCKS = {
    "blockquote", "div", "dl", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "img", "ol", "p", "pre", "section", "table", "ul",
}  # fmt: skip
_VOID = {"br", "hr", "img", "meta", "link"}
_INLINE = {
    "b": "b", "strong": "b", "em": "i", "i": "i", "s": "s", "del": "s", "sub": "sub",
    "sup": "sup", "small": "small", "a": "a",
}  # fmt: skip
_IMAGE = re.compile(r"data:image/(png|jpeg|svg\+xml);base64,(.*)", re.S)


@dataclass
class Element:
    """One HTML element with its children (elements and text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find(self, tag: str) -> Element | None:
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag:
                    return child
                found = child.find(tag)
                if found is not None:
                    return found
        return None


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(document: str) -> Element:
    """The document as a tree of elements."""
    tree = _Tree()
    tree.feed(document)
    tree.close()
    return tree.root


def sheet_data(document: str, store: Store, fonts: list[str]) -> dict[str, Any]:
    """What the template lays out: the sheet's language, header and body blocks."""
    root = parse(document)
    page = root.find("html") or root
    body = root.find("body") or root
    header = body.find("header")
    title = header.find("h1") if header else None
    course = header.find("p") if header else None
    facts = []
    if header and (listing := header.find("dl")):
        for item in listing.children:
            if isinstance(item, Element):
                key, value = item.find("dt"), item.find("dd")
                if key and value:
                    facts.append([key.text().strip().rstrip(":"), value.text().strip()])
    language = page.attrs.get("lang", "en").split("-")
    region = language[1] if len(language) > 1 and re.fullmatch(r"[A-Z]{2}", language[1]) else None
    content = [c for c in body.children if not (isinstance(c, Element) and c.tag == "header")]
    return {
        "lang": language[0].lower(),
        "region": region,
        "dir": page.attrs.get("dir", "ltr"),
        "fonts": fonts,
        "course": course.text().strip() if course else "",
        "title": title.text().strip() if title else "",
        "facts": facts,
        "body": _Walk(store, language[0].lower()).blocks(content),
    }


class _Walk:
    """Turns elements into the template's blocks, storing the images met on the way."""

    def __init__(self, store: Store, language: str) -> None:
        self.store = store
        self.language = language  # its quiz letters, as on the page (model.quiz)

    def blocks(self, children: list[Element | str]) -> list[Node]:
        out: list[Node] = []
        loose: list[Element | str] = []

        def flush() -> None:
            runs = _inline(loose)
            if any(r["k"] != "t" or r["v"].strip() for r in runs):
                out.append({"k": "line", "c": runs})
            loose.clear()

        for child in children:
            if isinstance(child, Element) and child.tag in _BLOCKS:
                flush()
                out += self.block(child)
            else:
                loose.append(child)
        flush()
        return out

    def block(self, element: Element) -> list[Node]:
        tag, classes = element.tag, element.classes()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return [
                _marked(element, {"k": "h", "level": int(tag[1]), "c": _inline(element.children)})
            ]
        if tag == "p" and "who" in classes:
            fields = [c.text() for c in element.children if isinstance(c, Element)]
            return [{"k": "who", "fields": fields}]
        if tag == "p":
            return [_marked(element, {"k": "p", "c": _inline(element.children)})]
        if tag in ("ul", "ol"):
            items = [
                _marked(item, {"c": self.blocks(item.children)})
                for item in _elements(element, "li")
            ]
            node: Node = {"k": tag, "items": items}
            if tag == "ol":
                node["start"] = int(element.attrs.get("start") or 1)
            return [node]
        if tag == "table":
            return [{"k": "table", "rows": _rows(element)}]
        if tag == "pre":
            return [{"k": "pre", "v": element.text().strip("\n")}]
        if tag == "blockquote":
            return [{"k": "quote", "c": self.blocks(element.children)}]
        if tag == "hr":
            return [{"k": "hr"}]
        if tag == "img":
            return self.image(element)
        if tag == "div" and "write" in classes:
            return [{"k": "write", "lines": int(element.attrs.get("data-lines") or 5)}]
        if tag == "section" and "quiz" in classes:
            return [{"k": "section", "kind": "quiz", "c": self.quiz(element)}]
        if tag == "section":
            kind = next(iter(classes & {"activity", "exercise"}), "")
            return [{"k": "section", "kind": kind, "c": self.blocks(element.children)}]
        return self.blocks(element.children)  # div, figure, dl: their content

    def image(self, element: Element) -> list[Node]:
        found = _IMAGE.fullmatch(element.attrs.get("src", ""))
        if not found:
            return []
        extension = {"png": "png", "jpeg": "jpg", "svg+xml": "svg"}[found.group(1)]
        data = base64.b64decode(found.group(2))
        return [{"k": "img", "src": self.store(data, extension), "width": _width(data)}]

    def quiz(self, section: Element) -> list[Node]:
        """The quiz's heading, name and date line, and each question with its boxes."""
        out: list[Node] = []
        for child in section.children:
            if isinstance(child, Element) and child.tag == "ol":
                start = int(child.attrs.get("start") or 1)
                for number, item in enumerate(_elements(child, "li"), start):
                    out.append(self.question(item, number))
                if len(out) > 1 and out[-2]["k"] == "question":
                    out[-2]["keep"] = True  # the last question never stands alone on a page
            elif isinstance(child, Element):
                out += self.block(child)
        return out

    def question(self, item: Element, number: int) -> Node:
        text = [c for c in item.children if not (isinstance(c, Element) and c.tag in _BLOCKS)]
        answers = []
        write = False
        for child in item.children:
            if isinstance(child, Element) and child.tag == "ul":
                answers = [
                    _marked(
                        a, {"c": _inline(a.children), "letter": answer_letter(i, self.language)}
                    )
                    for i, a in enumerate(_elements(child, "li"))
                ]
            elif isinstance(child, Element) and "write" in child.classes():
                write = True
        node = {"k": "question", "number": number, "c": _inline(text), "answers": answers}
        return _marked(item, {**node, "write": write})


#: A plot prints at most this tall (mm) and this wide (percent of the 178 mm line).
_PLOT_HEIGHT, _PLOT_WIDTH, _LINE = 65, 85, 178


def _width(image: bytes) -> int:
    """How much of the line a plot takes, in percent: as wide as it can be without standing
    taller than a third of the page (a PNG says its size in its header)."""
    if image.startswith(b"\x89PNG") and len(image) >= 24:
        width, height = int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")
        if width and height:
            return min(_PLOT_WIDTH, round(100 * _PLOT_HEIGHT * width / height / _LINE))
    return 50


def _elements(parent: Element, tag: str) -> list[Element]:
    return [c for c in parent.children if isinstance(c, Element) and c.tag == tag]


def _rows(table: Element) -> list[Node]:
    rows = []
    for part in [table, *(c for c in table.children if isinstance(c, Element))]:
        for row in _elements(part, "tr"):
            cells = [c for c in row.children if isinstance(c, Element) and c.tag in ("td", "th")]
            if cells:
                head = all(c.tag == "th" for c in cells)
                rows.append({"head": head, "cells": [_inline(c.children) for c in cells]})
    return rows


def _marked(element: Element, node: Node) -> Node:
    """A node keeps the language and direction of a passage shown in another language."""
    if element.attrs.get("lang"):
        node["lang"] = element.attrs["lang"].split("-")[0].lower()
        node["dir"] = element.attrs.get("dir", "ltr")
    return node


def _inline(children: list[Element | str]) -> list[Node]:
    """Inline runs without the white space the HTML's line breaks leave at either end."""
    runs = _runs(children)
    while runs and runs[0]["k"] == "t" and not runs[0]["v"].strip():
        runs.pop(0)
    while runs and runs[-1]["k"] == "t" and not runs[-1]["v"].strip():
        runs.pop()
    if runs and runs[0]["k"] == "t":
        runs[0] = {"k": "t", "v": runs[0]["v"].lstrip()}
    if runs and runs[-1]["k"] == "t":
        runs[-1] = {"k": "t", "v": runs[-1]["v"].rstrip()}
    return runs


def _runs(children: list[Element | str]) -> list[Node]:
    runs: list[Node] = []
    for child in children:
        if isinstance(child, str):
            text = re.sub(r"\s+", " ", child)
            if text:
                runs.append({"k": "t", "v": text})
        elif child.tag == "br":
            runs.append({"k": "br"})
        elif child.tag in ("code", "kbd"):
            runs.append({"k": "code", "v": child.text()})
        elif child.tag in _INLINE:
            runs.append({"k": _INLINE[child.tag], "c": _runs(child.children)})
        elif child.attrs.get("lang"):
            runs.append(_marked(child, {"k": "span", "c": _runs(child.children)}))
        elif child.tag not in _VOID:
            runs += _runs(child.children)
    return runs
