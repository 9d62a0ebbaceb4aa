"""The project's mkdocs.yml, read through mkdocs' own loader (``!ENV``, ``!relative``,
``INHERIT``): what a user may set, merged with what ailit sets, or refused with why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ailit.core.errors import CourseError
from ailit.model.yamlfile import Document, fail, read_document

#: Keys ailit sets for every locale; a user's value is refused rather than dropped, with why.
OWNED_KEYS = {
    "nav": "ailit writes the navigation from each course's module order (course.yml)",
    "docs_dir": "ailit writes each locale's pages itself",
    "site_dir": "ailit writes each locale's site under build/site/",
    "site_url": "an offline copy has no fixed address",
    "use_directory_urls": "offline copies link to .html files (file:// shows no folder index)",
    "extra_css": "ailit loads every site_config/css/*.css",
    "extra_javascript": "ailit loads every site_config/js/*.js",
    "strict": "ailit reports problems itself ('ailit check')",
}
#: Plugins that cannot work in ailit's build: refused, with why. Others run after ailit's own.
REFUSED_PLUGINS = {
    "social": "it downloads fonts from Google Fonts while building; ailit builds offline",
    "privacy": "it downloads external assets while building; ailit builds offline",
    "i18n": "ailit builds one site per locale itself (DESIGN.md, decision 1)",
}


@dataclass(frozen=True)
class Entry:
    """One plugin or Markdown extension a user's mkdocs.yml lists, with its options."""

    name: str
    options: dict[str, Any]
    line: int | None


@dataclass
class MkdocsYml:
    """The project's mkdocs.yml as mkdocs reads it (``!ENV``, ``!relative $config_dir``,
    ``INHERIT``), checked against what ailit sets itself."""

    path: Path
    settings: dict[str, Any]  # every key but plugins, markdown_extensions and hooks
    plugins: list[Entry]
    markdown_extensions: list[Entry]
    hooks: list[str]  # absolute paths

    def plugins_after(self, own: list[Any]) -> list[Any]:
        """ailit's plugins (search, offline), a user's options for them, then the user's."""
        return self._merged(own, self.plugins, "plugin", lambda n: n.removeprefix("material/"))

    def extensions_after(self, own: list[Any]) -> list[Any]:
        """ailit's Markdown extensions, a user's options for them, then the user's."""
        return self._merged(
            own, self.markdown_extensions, "Markdown extension",
            lambda n: n.removeprefix("markdown.extensions."),
        )  # fmt: skip

    def _merged(
        self, own: list[Any], entries: list[Entry], kind: str, same: Callable[[str], str]
    ) -> list[Any]:
        if not entries:
            return own
        merged = {same(name): (name, dict(options)) for name, options in map(_split, own)}
        for entry in entries:
            key = same(entry.name)
            if key not in merged:
                merged[key] = (entry.name, dict(entry.options))
                continue
            options = merged[key][1]
            for option, value in entry.options.items():
                if option in options and options[option] != value:
                    raise CourseError(
                        f"{kind} {entry.name!r}: ailit sets {option!r} itself "
                        "(its pages and links rely on it); remove it here",
                        self.path,
                        entry.line,
                    )
                options[option] = value
        return [{name: options} if options else name for name, options in merged.values()]


def _split(item: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(item, dict):
        ((name, options),) = item.items()
        return str(name), dict(options or {})
    return str(item), {}


def read_mkdocs_yml(path: Path) -> MkdocsYml:
    """Read mkdocs.yml with mkdocs' own loader; a key, plugin or extension ailit cannot honour
    is one error naming the file and its line, never dropped without a word."""
    if not path.is_file():
        return MkdocsYml(path, {}, [], [], [])
    document = read_document(path, _mkdocs_loader(path))
    data = document.data if document.data is not None else {}
    if not isinstance(data, dict):
        raise fail(document, "expected a mapping of mkdocs settings (site_name: ...)")
    if "INHERIT" in data:
        data = _inherited(path, document)
    for key, why in OWNED_KEYS.items():
        if key in data:
            raise CourseError(f"'{key}' cannot be set here: {why}", path, document.key_line(key))
    hooks = data.get("hooks") or []
    if not isinstance(hooks, list) or not all(isinstance(h, str) for h in hooks):
        raise fail(document, f"'hooks' must be a list of Python files, got {hooks!r}", "hooks")
    plugins = _entries(document, data, "plugins")
    for plugin in plugins:
        _check_plugin(path, plugin)
    extensions = _entries(document, data, "markdown_extensions")
    for extension in extensions:
        _check_extension(path, extension)
    settings = {
        k: v for k, v in data.items() if k not in ("plugins", "markdown_extensions", "hooks")
    }
    return MkdocsYml(
        path, settings, plugins, extensions, [str(path.parent / hook) for hook in hooks]
    )


def _mkdocs_loader(path: Path) -> type[Any]:
    """mkdocs' YAML loader (``!ENV``, Python tags), ``!relative`` bound to this file's folder."""
    from mkdocs.utils.yaml import get_yaml_loader

    class Loader(get_yaml_loader()):  # type: ignore[misc]
        """mkdocs' loader, with ``!relative`` resolved while reading."""

    def relative(loader: Any, node: yaml.ScalarNode) -> str:
        # ailit writes the pages' folder itself: only the project's folder is a stable base
        value = str(loader.construct_scalar(node))
        prefix, _, rest = value.partition("/")
        if prefix != "$config_dir":
            raise CourseError(
                f"'!relative {value}' cannot be used: ailit writes the pages itself; "
                "use '!relative $config_dir/PATH'",
                path,
                node.start_mark.line + 1,
            )
        return str(path.parent / rest)

    Loader.add_constructor("!relative", relative)
    return Loader


def _inherited(path: Path, document: Document) -> dict[str, Any]:
    """The settings with the file named by ``INHERIT`` under them, merged as mkdocs does."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with path.open("rb") as source:
            return yaml_load(source, _mkdocs_loader(path))
    except ConfigurationError as exc:
        raise fail(document, str(exc).splitlines()[0], "INHERIT") from None


def _entries(document: Document, data: dict[str, Any], key: str) -> list[Entry]:
    """A list (or mapping) of names, each with its options, as mkdocs accepts them."""
    value = data.get(key) or []
    pairs: list[tuple[Any, Any, int | None]]
    if isinstance(value, dict):
        pairs = [(n, o, document.key_line(key, n)) for n, o in value.items()]
    elif isinstance(value, list):
        pairs = []
        for index, item in enumerate(value):
            if isinstance(item, dict) and len(item) == 1:
                ((name, options),) = item.items()
            else:
                name, options = item, None
            pairs.append((name, options, document.line(key, index)))
    else:
        raise fail(document, f"'{key}' must be a list of names, got {value!r}", key)
    entries = []
    for name, options, line in pairs:
        if not isinstance(name, str) or not isinstance(options, (dict, type(None))):
            raise CourseError(
                f"'{key}' entry {name!r} must be a name, or a name with a mapping of options",
                document.path,
                line,
            )
        entries.append(Entry(name, dict(options or {}), line))
    return entries


def _check_plugin(path: Path, plugin: Entry) -> None:
    from importlib.metadata import entry_points

    name = plugin.name.removeprefix("material/")
    if name in REFUSED_PLUGINS:
        raise CourseError(
            f"plugin {plugin.name!r} cannot be used: {REFUSED_PLUGINS[name]}", path, plugin.line
        )
    installed = {e.name for e in entry_points(group="mkdocs.plugins")}
    if plugin.name not in installed and f"material/{name}" not in installed:
        raise CourseError(f"plugin {plugin.name!r} is not installed", path, plugin.line)


def _check_extension(path: Path, extension: Entry) -> None:
    import markdown

    try:
        markdown.Markdown(
            extensions=[extension.name], extension_configs={extension.name: extension.options}
        )
    except Exception as exc:  # an import or option error: Markdown raises many kinds
        problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CourseError(
            f"Markdown extension {extension.name!r} cannot be loaded: {problem}",
            path,
            extension.line,
        ) from None
