"""Each locale's agreed AI terms (``locales/<lang>/glossary.yml``)."""

from __future__ import annotations

from ailit.core.errors import CatalogueError
from ailit.model.project import Project
from ailit.model.yamlfile import read_yaml


def load_glossary(project: Project, code: str) -> dict[str, str]:
    """``locales/<lang>/glossary.yml``: English term -> the locale's agreed term."""
    path = project.locales_dir / code / "glossary.yml"
    if not path.is_file():
        return {}
    data, _lines = read_yaml(path)
    if not isinstance(data, dict):
        raise CatalogueError("expected 'english term: translation' lines", path)
    return {str(k).strip().lower(): str(v).strip() for k, v in data.items() if k and v}
