"""ailit: open AI-literacy courses, translated with gettext, built into an offline site."""

__version__ = "0.1.0"
