"""The pages' HTML from Jinja templates (templates/pages/), so Python passes data, not markup.

Autoescape is on. Every ``{{ value }}`` goes through ``html.escape`` (``'`` as ``&#x27;``,
``"`` as ``&quot;``), the escaping ailit's pages have always had, rather than markupsafe's
(``&#39;``, ``&#34;``): a rebuilt page keeps its bytes. Markup (nh3's sanitised HTML, a
rendered fragment) is passed as ``Markup`` and left as it is.
"""

from __future__ import annotations

import functools
import html

import jinja2
from markupsafe import Markup

from ailit.core.paths import TEMPLATES

PAGES = TEMPLATES / "pages"


def escape(value: object) -> Markup:
    """Text as HTML, the way ``html.escape`` writes it; Markup stays as it is."""
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(html.escape(str(value)))


def markdown_text(value: object) -> Markup:
    """Text on a Markdown line (a heading): no tags, no ``#`` heading marks, no ``{`` attributes,
    no ``[`` links or images (mkdocs' markdown does not sanitise a link's URL)."""
    text = html.escape(str(value), quote=False)
    return Markup(text.translate(_MARKDOWN_SPECIAL))


_MARKDOWN_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "#{[]"})


@functools.cache
def environment() -> jinja2.Environment:
    """One environment per process: templates are compiled once and reused by every page."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PAGES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(e=escape, escape=escape, md=markdown_text)
    return env


def render(template: str, /, **context: object) -> str:
    """The page template ``templates/pages/<template>`` filled with ``context``."""
    return environment().get_template(template).render(context)
