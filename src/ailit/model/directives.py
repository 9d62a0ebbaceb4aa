"""The directives a module may use, as one table: segmentation, pages, handouts and checks read it.

Adding a directive is one entry here, plus its renderer in ``stages.render`` when none of
the existing ones (``admonition``, ``quiz``, ``teacher-guide``) fits. Its English title
becomes a site string (``site.pot``) under the directive's name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

#: The opening line of a directive after its colons: ``{name} optional title``.
DIRECTIVE = re.compile(r"\{([\w:-]+)\}\s*(.*)")

#: How a directive appears in the learner's handout.
HANDOUT_MODES = frozenset({"objectives", "activity", "questions", "omitted", "exercise"})
#: How a directive appears in the teacher guide (page and PDF).
GUIDE_MODES = frozenset({"objectives", "full", "omitted", "solution"})
#: Roles of a block in a directive's body, most specific first (see ``body_roles``).
ROLES = ("quote", "subitem", "item")


@dataclass(frozen=True)
class Directive:
    """One directive: what translators see of it, and how each output shows it."""

    name: str
    #: English default title, a site string keyed by ``name`` (shown when the author gives none)
    title: str
    #: unit kind of its title (the ``#.`` comment translators see); "" = title not translated
    title_kind: str = "directive title"
    #: whether its body is segmented into units
    body: bool = True
    #: unit kind of a body block by its role (``ROLES``); other blocks get the usual kinds
    body_kinds: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    #: options whose value is text a reader sees (``caption``, ``alt``), by their unit kind
    option_kinds: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    #: roles whose leading task box (``[ ]``, ``[x]``) is markup, kept out of the msgid
    task_roles: tuple[str, ...] = ("item", "subitem")
    #: key of its page renderer in ``stages.render``
    renderer: str = "admonition"
    #: Material admonition class of its box on the page
    css: str = ""
    handout: str = "omitted"
    guide: str = "omitted"
    #: its first text stands in for a module's summary when the module has no paragraph
    summary: bool = False
    #: the part of a module it is, as ``ailit check`` names it when a course requires it
    #: (``requires:`` in course.yml) and a module lacks it; "" = never a required part
    required: str = ""
    #: its default title is also shown above an author's own title, as a label saying what
    #: kind of part it is ("Unplugged activity" over "Pixel messages")
    labelled: bool = False

    @property
    def admonition(self) -> bool:
        """Whether the page shows it as a titled box."""
        return self.renderer == "admonition"


def _kinds(**kinds: str) -> Mapping[str, str]:
    return MappingProxyType(kinds)


#: Every directive ailit knows, in the order their titles appear in ``site.pot``.
DIRECTIVES: tuple[Directive, ...] = (
    Directive("note", "Note", css="note"),
    Directive("tip", "Tip", css="tip"),
    Directive("warning", "Warning", css="warning"),
    Directive("important", "Important", css="tip"),
    Directive("caution", "Caution", css="warning"),
    Directive(
        "objectives",
        "Learning objectives",
        body_kinds=_kinds(item="learning objective"),
        css="abstract",
        handout="objectives",
        guide="objectives",
        summary=True,
        required="learning objectives",
    ),
    Directive(
        "unplugged",
        "Unplugged activity",
        css="example",
        handout="activity",
        required="an unplugged activity",
        labelled=True,
    ),
    Directive(
        "quiz",
        "Check yourself",
        body_kinds=_kinds(quote="quiz feedback", subitem="quiz answer", item="quiz question"),
        task_roles=("subitem",),
        renderer="quiz",
        handout="questions",
        required="a quiz",
    ),
    Directive(
        "teacher-guide",
        "Teacher guide",
        renderer="teacher-guide",
        guide="full",
        required="a teacher guide",
    ),
    # MyST's other admonitions (stages.blocks.CLASSES names the Material type of each)
    Directive("hint", "Hint", css="tip"),
    Directive("attention", "Attention", css="warning"),
    Directive("danger", "Danger", css="danger"),
    Directive("error", "Error", css="danger"),
    Directive("seealso", "See also", css="info"),
    Directive("admonition", "Note", css="note"),  # its argument is its title
    Directive("dropdown", "Details", css="note"),
    # sphinx-proof's boxes: "Theorem (argument)", :label: as the anchor
    *(
        Directive(f"prf:{name}", title, renderer="proof", css=css)
        for name, title, css in (
            ("theorem", "Theorem", "abstract"),
            ("lemma", "Lemma", "abstract"),
            ("corollary", "Corollary", "abstract"),
            ("proposition", "Proposition", "abstract"),
            ("conjecture", "Conjecture", "abstract"),
            ("axiom", "Axiom", "abstract"),
            ("criterion", "Criterion", "abstract"),
            ("property", "Property", "abstract"),
            ("definition", "Definition", "info"),
            ("assumption", "Assumption", "info"),
            ("notation", "Notation", "info"),
            ("example", "Example", "example"),
            ("algorithm", "Algorithm", "example"),
            ("remark", "Remark", "quote"),
            ("observation", "Observation", "quote"),
            ("proof", "Proof", "success"),
        )
    ),
    # tables, code, tabs and quotes (stages.blocks); "" title: none shown, no site string
    Directive(
        "list-table",
        "",
        title_kind="table caption",
        body_kinds=_kinds(subitem="table cell"),
        task_roles=(),
        renderer="list-table",
    ),
    Directive("table", "", title_kind="table caption", renderer="table"),
    *(
        Directive(
            name,
            "",
            title_kind="",
            body=False,
            option_kinds=_kinds(caption="code caption"),
            renderer="code",
        )
        for name in ("code-block", "code", "sourcecode")
    ),
    Directive("tab-set", "", title_kind="", renderer="tab-set"),
    Directive("tab-item", "", title_kind="tab title", renderer="tab-item"),
    *(
        Directive(name, "", title_kind="", renderer="quote")
        for name in ("epigraph", "pull-quote", "highlights")
    ),
    # TeX shown as MathML; numbered when it has a :label:
    Directive("math", "Math", title_kind="", body=False, renderer="math"),
    # the module's reference list (else it ends the page); its title is the list's heading
    Directive("bibliography", "References", title_kind="", body=False, renderer="bibliography"),
    Directive(
        "figure", "Figure", title_kind="", option_kinds=_kinds(alt="image alt text"),
        renderer="figure",
    ),
    Directive(
        "image", "Image", title_kind="", body=False,
        option_kinds=_kinds(alt="image alt text"), renderer="image",
    ),
    Directive("exercise", "Exercise", title_kind="exercise title", renderer="exercise",
              handout="exercise"),
    Directive("solution", "Solution", title_kind="", renderer="solution", guide="solution"),
    # gated forms, whose body spans cells (stages.exercises joins them into the above)
    Directive("exercise-start", "Exercise", title_kind="exercise title", renderer="exercise",
              handout="exercise"),
    Directive("exercise-end", "Exercise", title_kind="", body=False, renderer="nothing"),
    Directive("solution-start", "Solution", title_kind="", renderer="solution",
              guide="solution"),
    Directive("solution-end", "Solution", title_kind="", body=False, renderer="nothing"),
    Directive("index", "Index", title_kind="", body=False, renderer="nothing"),
)  # fmt: skip

#: A directive ailit does not know is shown as a neutral box (its body left untranslated).
NEUTRAL = DIRECTIVES[0]


def directive(name: str) -> Directive | None:
    """The table's entry for ``name``, if ailit knows it."""
    for entry in DIRECTIVES:
        if entry.name == name:
            return entry
    return None


def parts() -> tuple[str, ...]:
    """Names of the directives a course may require of every module (``requires:``)."""
    return tuple(entry.name for entry in DIRECTIVES if entry.required)


@dataclass(frozen=True)
class Fence:
    """A directive block as written: its name, argument (title), options and body."""

    name: str
    title: str
    body: str
    #: ``:key: value`` lines (or a ``---`` YAML block) opening the body, as written
    options: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)

    @property
    def directive(self) -> Directive | None:
        """Its entry in the table, if ailit knows it."""
        return directive(self.name)


#: A directive option line: ``:name: value`` (the value may be empty).
OPTION = re.compile(r":([\w-]+):(?:[ \t]+(.*?))?[ \t]*")


def option_lines(lines: list[str]) -> int:
    """How many of ``lines`` (a directive body) are its options, as MyST reads them.

    Either ``:key: value`` lines at the very start, or a YAML block between ``---`` lines.
    """
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                return index + 1
        return 0
    count = 0
    while count < len(lines) and OPTION.fullmatch(lines[count].rstrip("\r\n")):
        count += 1
    return count


def _options(lines: list[str]) -> dict[str, str]:
    if lines and lines[0].strip() == "---":
        options: dict[str, str] = {}
        for line in lines[1:-1]:
            key, colon, value = line.partition(":")
            if colon and key.strip():
                options[key.strip()] = value.strip().strip("\"'")
        return options
    found = (OPTION.fullmatch(line.rstrip("\r\n")) for line in lines)
    return {m.group(1): (m.group(2) or "").strip() for m in found if m}


def read_fence(info: str, content: str) -> Fence | None:
    """A directive fence's info and content (colon or backtick fence), or None when it names none."""
    match = DIRECTIVE.fullmatch(info.strip())
    if not match:
        return None
    lines = content.splitlines()
    count = option_lines(lines)
    body = "\n".join(lines[count:])
    options = MappingProxyType(_options(lines[:count]))
    return Fence(match.group(1), match.group(2).strip(), body, options)


def body_roles(containers: list[str]) -> tuple[str, ...]:
    """Roles of a block in a directive body, given its open containers, most specific first.

    ``quote``: inside a block quote; ``subitem``: in a nested list; ``item``: in a list.
    """
    lists = sum(1 for opener in containers if opener.endswith("_list_open"))
    roles = ["quote"] if "blockquote_open" in containers else []
    if lists >= 2:
        roles.append("subitem")
    if lists:
        roles.append("item")
    return tuple(roles)
