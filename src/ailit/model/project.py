"""Where a project's parts live, and its language settings (site_config/languages.yml)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ailit.core.errors import AilitError, CourseError
from ailit.model.config import language_settings
from ailit.model.course import Course, discover
from ailit.model.language import babel_locale


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

    @property
    def work_dir(self) -> Path:
        """build/.work: each locale's pages and theme while it builds, this project's alone
        (never in a shared cache folder, where two builds would write the same folders)."""
        return self.build_dir / ".work"

    @cached_property
    def courses(self) -> list[Course]:
        return discover(self.courses_dir, self.cache_dir / "modules")

    def load_courses(self, problems: list[CourseError]) -> list[Course]:
        """The courses and modules that load, each error of the others added to ``problems``;
        they stand for the project's courses from then on (``ailit check`` goes on with them)."""
        self.__dict__["courses"] = discover(self.courses_dir, self.cache_dir / "modules", problems)
        return self.courses

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
        source, entries = language_settings(self.site_config / "languages.yml")
        return source, [
            Language(
                e.code,
                e.name or str(babel_locale(e.code).get_display_name()),
                e.review,
                e.threshold,
            )
            for e in entries
        ]
