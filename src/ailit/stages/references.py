"""References as one locale's pages show them: ``{ref}``, ``{numref}``, ``{doc}``, module links.

The targets (labels, numbers) come from the source (``model.targets``); their titles are
translated here, per locale, with the catalogue of the course that owns each module.
Links are relative, so they work from ``file://``, in a zip and in the ZIM.
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from markdown_it.token import Token

from ailit.model.course import Module
from ailit.model.project import Project
from ailit.model.roles import Role
from ailit.model.targets import (
    course_targets,
    find_module,
    is_remote,
    local_file,
    module_link,
    plain,
    scan_module,
    split_explicit,
)


@dataclass(frozen=True)
class Link:
    """A target in one locale: where it is, what it is called, its number."""

    course: str
    module: str
    anchor: str  # "" for a module page itself
    title: str  # plain text in the locale ("" when it has none)
    numbered: str = ""  # "Figure 2" in the locale, "" when not numbered
    number: int = 0

    def href(self, course: str, module: str) -> str:
        """A relative link to it from the page of ``module`` in ``course``."""
        anchor = f"#{self.anchor}" if self.anchor else ""
        if self.course == course and self.module == module and anchor:
            return anchor
        page = f"{self.module}.html"
        return (page if self.course == course else f"../{self.course}/{page}") + anchor


@dataclass
class References:
    """What a locale's pages need to resolve references, and where the page being made is."""

    #: course slug -> label -> link
    labels: dict[str, dict[str, Link]] = field(default_factory=dict)
    #: module slug -> link to its page
    modules: dict[str, Link] = field(default_factory=dict)
    #: "Figure {number}"… by kind, in the locale
    numbered: dict[str, str] = field(default_factory=dict)
    course: str = ""
    module: str = ""
    #: image source as written -> its URL from the page (local files copied with it)
    media: dict[str, str] = field(default_factory=dict)
    #: numbers given so far on this page, by kind (figures, exercises)
    counters: dict[str, int] = field(default_factory=dict)

    def enter(self, course: str, module: Module, media: dict[str, str]) -> None:
        """Start a module's page."""
        self.course, self.module, self.media = course, module.slug, media
        self.counters = {}

    def label(self, name: str) -> Link | None:
        return self.labels.get(self.course, {}).get(name)

    def doc(self, reference: str) -> Link | None:
        """The module a ``{doc}`` target or a module link names."""
        found = find_module({s: link.course for s, link in self.modules.items()}, self.course,
                            reference)  # fmt: skip
        return self.modules[found[1]] if found else None

    def count(self, kind: str) -> int:
        """The next number of a ``kind`` on this page."""
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]

    def number_text(self, kind: str, number: int) -> str:
        return self.numbered.get(kind, "{number}").replace("{number}", str(number))

    def key(self, module: Module) -> str:
        """What of the references a module's page is made from, for its cache key."""
        scan = scan_module(module)
        used = {}
        for ref in scan.references:
            linked = module_link(ref.target) if ref.kind == "link" else None
            if ref.kind in ("doc", "link"):
                found = self.doc(linked[0] if linked else ref.target)
            else:
                found = self.labels.get(module.course, {}).get(ref.target)
            used[f"{ref.kind}:{ref.target}"] = asdict(found) if found else None
        return json.dumps([used, self.numbered], sort_keys=True, ensure_ascii=False)


def for_locale(
    project: Project,
    translators: Callable[[str], Callable[[str], str]],
    numbered: dict[str, str],
) -> References:
    """Every course's targets and every module, titled in the locale.

    ``translators(course)`` gives the gettext of a course's catalogue; ``numbered`` the
    locale's "Figure {number}"… by kind.
    """
    refs = References(numbered=numbered)
    for course in project.courses:
        for module in course.modules:
            gettext = translators(module.course)
            refs.modules.setdefault(module.slug, Link(course.slug, module.slug, "",
                                                      plain(gettext(module.title))))  # fmt: skip
        labels: dict[str, Link] = {}
        for label, target in course_targets(course).items():
            owner = next(m for m in course.modules if m.slug == target.module)
            gettext = translators(owner.course)
            title = plain(gettext(target.title)) if target.title else ""
            text = refs.number_text(target.kind, target.number) if target.number else ""
            labels[label] = Link(course.slug, target.module, label, title or text, text,
                                 target.number)  # fmt: skip
        refs.labels[course.slug] = labels
    return refs


def module_media(module: Module, courses: Path) -> dict[str, tuple[Path, str]]:
    """Local images a module shows: source as written -> (file, its path beside the page).

    A file in the module's course folder keeps its path there (``images/x.png``); one
    elsewhere in the courses folder goes under ``_shared/``. Missing files are left out
    (``ailit check`` names them).
    """
    found: dict[str, tuple[Path, str]] = {}
    home = module.path.parent.resolve()
    root = courses.resolve()
    for src, _line in scan_module(module).media:
        if not src.strip() or is_remote(src) or ":" in src.split("/")[0]:
            continue
        path = local_file(src, module.path.parent)
        if not path.is_file() or not path.is_relative_to(root):
            continue
        if path.is_relative_to(home):
            found[src] = (path, path.relative_to(home).as_posix())
        else:
            found[src] = (path, "_shared/" + path.relative_to(root).as_posix())
    return found


def copy_media(media: dict[str, tuple[Path, str]], folder: Path) -> dict[str, str]:
    """Copy a module's images into its files ``folder``; their URLs by source."""
    urls = {}
    for src, (path, relative) in media.items():
        target = folder / PurePosixPath(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        urls[src] = relative
    return urls


def image_src(refs: References, src: str) -> str | None:
    """The URL a page uses for an image source; None for one it must not load (remote)."""
    if is_remote(src):
        return None
    return refs.media.get(src, src)


def link_href(refs: References, href: str) -> str:
    """A link to another module's ``.md``/``.ipynb`` (or bare name) as its page's URL."""
    found = module_link(href)
    if found is None:
        path, _, anchor = href.partition("#")
        if not path or "." in PurePosixPath(path).name or ":" in path:
            return href
        found = (path, anchor)
    link = refs.doc(found[0])
    if link is None:
        return href
    page = link.href(refs.course, refs.module) if link.module != refs.module else ""
    page = page or f"{link.module}.html"
    return page + (f"#{found[1]}" if found[1] else "")


def _a(href: str, inner: str, css: str) -> str:
    return f'<a class="{css}" href="{html.escape(href)}">{inner}</a>'


def _missing(text: str) -> str:
    return f'<span class="ailit-role">{html.escape(text)}</span>'


def ref_role(renderer: Any, role: Role, token: Token) -> str:
    """``{ref}`label``` (the target's title) or ``{ref}`text <label>```."""
    refs: References = renderer.page_text.references
    text, label = split_explicit(token.content)
    link = refs.label(label)
    if link is None:
        return _missing(text or label)
    inner = renderer.parser.renderInline(text) if text else html.escape(link.title or label)
    return _a(link.href(refs.course, refs.module), inner, "ailit-ref")


def numref_role(renderer: Any, role: Role, token: Token) -> str:
    """``{numref}`label``` ("Figure 2") or custom text with ``%s`` or ``{number}``."""
    refs: References = renderer.page_text.references
    text, label = split_explicit(token.content)
    link = refs.label(label)
    if link is None:
        return _missing(text or label)
    return _a(link.href(refs.course, refs.module), html.escape(_numbered(text, link)), "ailit-ref")


def _numbered(text: str, link: Link) -> str:
    """A ``{numref}``'s words: "Figure 2", or the author's with ``%s``/``{number}`` filled."""
    if not text:
        return link.numbered or link.title or link.anchor
    number = str(link.number)
    return text.replace("%s", number).replace("{number}", number).replace("{name}", link.title)


def role_text(refs: References | None, name: str, content: str) -> str:
    """A role as plain words, for paper (a handout has no links): what its link would say."""
    text, target = split_explicit(content)
    if refs is not None and name in ("ref", "numref", "doc"):
        link = refs.doc(target) if name == "doc" else refs.label(target)
        if link is not None:
            return _numbered(text, link) if name == "numref" else text or link.title
    if name.startswith("glue"):
        return ""
    return text or target


def doc_role(renderer: Any, role: Role, token: Token) -> str:
    """``{doc}`module``` (its translated title) or ``{doc}`text <module>```."""
    refs: References = renderer.page_text.references
    text, target = split_explicit(token.content)
    link = refs.doc(target)
    if link is None:
        return _missing(text or target)
    inner = renderer.parser.renderInline(text) if text else html.escape(link.title)
    return _a(link.href(refs.course, refs.module), inner, "ailit-doc")


def index_role(renderer: Any, role: Role, token: Token) -> str:
    """``{index}`word``` shows the word, ``{index}`text <entry>``` the text: no entry."""
    text, target = split_explicit(token.content)
    return html.escape(text or target)


def nothing_role(renderer: Any, role: Role, token: Token) -> str:
    """A role whose content needs the notebook's outputs (glue): nothing."""
    return ""
