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
)


def role(name: str) -> Role | None:
    """The table's entry for ``name``, if ailit knows it."""
    for entry in ROLES:
        if entry.name == name:
            return entry
    return None
