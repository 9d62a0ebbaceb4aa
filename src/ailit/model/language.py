"""Locales as CLDR knows them (through Babel): codes, names, direction, plural forms."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

from ailit.core.errors import CatalogueError


def babel_locale(code: str) -> Locale:
    """Parse a site locale code (``fr``, ``pt_BR``, ``zh``) with Babel."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise CatalogueError(f"unknown locale code {code!r} (use an ISO 639 code)") from exc
