"""Where ailit's own files are: the package, its assets and its templates."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
ASSETS = PACKAGE / "assets"
TEMPLATES = PACKAGE / "templates"
