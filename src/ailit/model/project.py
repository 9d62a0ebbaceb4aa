"""Where a project's parts live, and its language settings (site_config/languages.yml)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ailit.core.errors import AilitError, CourseError
from ailit.model.course import Course, discover, read_yaml
from ailit.model.language import babel_locale

REVIEW_STATES = ("unreviewed", "reviewed")


@dataclass(frozen=True)
class Language:
    """A target locale of the site, with its publish threshold and review state."""

    code: str
    name: str
    review: str = "unreviewed"
    threshold: float = 0.0

    @property
    def direction(self) -> str:
        return str(babel_locale(self.code).text_direction)


@dataclass
class Project:
    """A checkout of ailit content: courses, catalogues, site configuration."""

    root: Path
    _languages: list[Language] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # module paths are absolute (discovered by glob); a relative root broke relative_to
        self.root = Path(self.root).resolve()

    @property
    def courses_dir(self) -> Path:
        return self.root / "courses"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def site_config(self) -> Path:
        return self.root / "site_config"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def cache_dir(self) -> Path:
        """build/.cache, or $AILIT_CACHE_DIR (keys are content hashes: checkouts may share one)."""
        shared = os.environ.get("AILIT_CACHE_DIR")
        return Path(shared).expanduser().resolve() if shared else self.build_dir / ".cache"

    @cached_property
    def courses(self) -> list[Course]:
        return discover(self.courses_dir, self.cache_dir / "modules")

    def course(self, slug: str) -> Course:
        for course in self.courses:
            if course.slug == slug:
                return course
        raise AilitError(f"no course {slug!r} in {self.courses_dir}")

    def pot_path(self, domain: str) -> Path:
        return self.locales_dir / f"{domain}.pot"

    def po_path(self, locale: str, domain: str) -> Path:
        return self.locales_dir / locale / "LC_MESSAGES" / f"{domain}.po"

    def domains(self) -> list[str]:
        """Catalogue names: one per course that owns modules, plus ``site``."""
        return [c.slug for c in self.courses] + ["site"]

    @property
    def source_language(self) -> str:
        return self._settings[0]

    @property
    def languages(self) -> list[Language]:
        return self._settings[1]

    def language(self, code: str) -> Language:
        for language in self.languages:
            if language.code == code:
                return language
        known = ", ".join(lang.code for lang in self.languages) or "none"
        raise AilitError(
            f"locale {code!r} is not in site_config/languages.yml (enabled: {known}); "
            f"add it with: ailit init-locale {code}"
        )

    @cached_property
    def _settings(self) -> tuple[str, list[Language]]:
        path = self.site_config / "languages.yml"
        data, lines = read_yaml(path)
        if not isinstance(data, dict):
            raise CourseError("expected 'source:' and 'languages:' fields", path)
        source = str(data.get("source", "en"))
        default_threshold = data.get("publish_threshold", 0)
        entries = data.get("languages") or {}
        if not isinstance(entries, dict):
            raise CourseError(
                "'languages' must map codes to settings, e.g. 'fr: {name: Français}'",
                path,
                lines.get("languages"),
            )
        result = []
        for code, settings in entries.items():
            settings = settings or {}
            if not isinstance(settings, dict):
                raise CourseError(f"settings of {code!r} must be a mapping", path)
            review = settings.get("review", "unreviewed")
            if review not in REVIEW_STATES:
                raise CourseError(
                    f"review state of {code!r} is {review!r}; expected one of "
                    f"{', '.join(REVIEW_STATES)}",
                    path,
                )
            threshold = settings.get("threshold", default_threshold)
            if not isinstance(threshold, (int, float)) or not 0 <= threshold <= 100:
                raise CourseError(f"threshold of {code!r} must be a percentage 0-100", path)
            babel_locale(str(code))  # an unknown code is an error here, not in the build
            name = str(settings.get("name") or babel_locale(str(code)).get_display_name())
            result.append(Language(str(code), name, review, float(threshold)))
        return source, result
