"""The MyST roles a module may use (``{name}`content```), as one table, like directives.

A role ailit does not know is shown as its plain content and ``ailit check`` warns about
it; a known role names its page renderer in ``stages.render`` (``ROLE_RENDERERS``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    """One role: how the page shows it and what a translation must keep of it."""

    name: str
    #: key of its page renderer in ``stages.render.ROLE_RENDERERS``
    renderer: str
    #: whether a translator may change its content (a ``{doc}`text <target>``` keeps only
    #: its target); False: the content is kept byte for byte (labels, keys, math)
    prose: bool = False


#: Every role ailit knows.
ROLES: tuple[Role, ...] = (
    Role("math", "math"),
    Role("eq", "eq"),
    *(Role(name, "cite") for name in ("cite", "cite:p", "cite:t", "cite:ps", "cite:ts")),
    Role("ref", "ref", prose=True),
    Role("numref", "numref", prose=True),
    Role("doc", "doc", prose=True),
    Role("index", "index", prose=True),
    # myst-nb's glue needs the notebook's outputs: shown as nothing, ``ailit check`` warns
    *(Role(name, "nothing") for name in ("glue", "glue:", "glue:any", "glue:text", "glue:md")),
)


def role(name: str) -> Role | None:
    """The table's entry for ``name``, if ailit knows it."""
    for entry in ROLES:
        if entry.name == name:
            return entry
    return None
