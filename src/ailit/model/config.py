"""Typed configuration: course.yml, languages.yml and mkdocs.yml read, checked and edited.

Options follow mkdocs' ``config_options``: each checks one value and its message quotes the
value and shows the expected form; the file and the line of that value come from the YAML
node tree, so every message points at the value itself, nested ones included.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from ailit.core.errors import AilitError, CourseError
from ailit.core.files import write_atomic

T = TypeVar("T")

LEVELS = ("beginner", "beginner-intermediate", "intermediate", "advanced", "all")
REVIEW_STATES = ("unreviewed", "reviewed")


# --- reading YAML with the line of every value -------------------------------------------


@dataclass
class Document:
    """A parsed YAML file and its node tree, so that any value can name its line."""

    path: Path
    data: Any
    root: yaml.Node | None

    def line(self, *keys: object) -> int | None:
        """The line of the value at ``keys``, or of the deepest one present."""
        node = self.root
        if node is None:
            return None
        for key in keys:
            child = _child(node, key)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1

    def key_line(self, *keys: object) -> int | None:
        """The line of the last key of ``keys`` (where a mapping entry starts)."""
        parent = self.root
        for key in keys[:-1]:
            parent = _child(parent, key) if parent is not None else None
        found = _child(parent, keys[-1], want_key=True) if parent is not None else None
        return found.start_mark.line + 1 if found is not None else self.line(*keys)


def _child(node: yaml.Node, key: object, want_key: bool = False) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key):
                return key_node if want_key else value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def read_document(path: Path, loader: type[Any] = yaml.SafeLoader) -> Document:
    """Parse a YAML file once into values and nodes; a syntax error names file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CourseError("file is missing", path) from exc
    except UnicodeDecodeError as exc:
        raise CourseError("not valid UTF-8", path) from exc
    parser = loader(text)
    try:
        root = parser.get_single_node()
        data = parser.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise CourseError(f"YAML syntax error: {problem}", path, line) from exc
    finally:
        parser.dispose()
    return Document(path, data, root)


def read_yaml(path: Path) -> tuple[Any, dict[str, int]]:
    """Parse YAML; a syntax error names file and line. Returns data and key lines."""
    document = read_document(path)
    lines: dict[str, int] = {}
    if isinstance(document.root, yaml.MappingNode):
        for key, _value in document.root.value:
            lines[str(key.value)] = key.start_mark.line + 1
    return document.data, lines


# --- typed options ------------------------------------------------------------------------


class Invalid(ValueError):
    """A value an option refuses; the caller adds the file and the value's line."""


_REQUIRED: Any = object()


class Option(Generic[T]):
    """One typed setting: ``validate`` returns the value or raises ``Invalid`` quoting it."""

    expected = "a value"

    def __init__(self, example: str, default: Any = _REQUIRED) -> None:
        self.example = example
        self.default = default

    def validate(self, value: object, label: str) -> T:
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.default is _REQUIRED:
                raise Invalid(f"missing {label} (for example: {self.example})")
            return self.default
        return self.check(value, label)

    def check(self, value: object, label: str) -> T:
        raise NotImplementedError

    def refuse(self, value: object, label: str) -> Invalid:
        return Invalid(
            f"{label} must be {self.expected}, got {value!r} (for example: {self.example})"
        )


class Text(Option[str]):
    expected = "text"

    def check(self, value: object, label: str) -> str:
        if not isinstance(value, str):
            raise self.refuse(value, label)
        return value


class Choice(Option[str]):
    def __init__(self, choices: tuple[str, ...], example: str, default: Any = _REQUIRED) -> None:
        super().__init__(example, default)
        self.choices = choices

    def check(self, value: object, label: str) -> str:
        if not isinstance(value, str) or value not in self.choices:
            raise Invalid(f"{label} is {value!r}; expected one of {', '.join(self.choices)}")
        return value


class PositiveInt(Option[int]):
    def __init__(self, unit: str, example: str, default: Any = _REQUIRED) -> None:
        super().__init__(example, default)
        self.expected = f"a positive number of {unit}"

    def check(self, value: object, label: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise self.refuse(value, label)
        return value


class Percentage(Option[float]):
    expected = "a percentage 0-100"

    def check(self, value: object, label: str) -> float:
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 100:
            raise self.refuse(value, label)
        return float(value)


class NonEmptyList(Option[list]):
    expected = "a list"

    def check(self, value: object, label: str) -> list:
        if not isinstance(value, list):
            raise self.refuse(value, label)
        if not value:
            raise Invalid(f"{label} lists no module")
        return value


class LocaleCode(Option[str]):
    def check(self, value: object, label: str) -> str:
        from ailit.model.language import babel_locale

        try:
            babel_locale(str(value))  # an unknown code is an error here, not in the build
        except AilitError:
            raise Invalid(f"unknown locale code {value!r} (use an ISO 639 code)") from None
        return str(value)


def validate(
    document: Document,
    schema: dict[str, Option[Any]],
    at: tuple[object, ...] = (),
    label: Callable[[str], str] = lambda name: f"field {name!r}",
) -> dict[str, Any]:
    """Check every field of the mapping at ``at``; an error names the line of its value."""
    data = document.data
    for key in at:
        data = data[key]
    values = {}
    for name, option in schema.items():
        try:
            values[name] = option.validate((data or {}).get(name), label(name))
        except Invalid as exc:
            raise CourseError(str(exc), document.path, document.line(*at, name)) from None
    return values


def fail(document: Document, message: str, *at: object) -> CourseError:
    """A one-line error at the value found at ``at``."""
    return CourseError(message, document.path, document.line(*at))


# --- course.yml ---------------------------------------------------------------------------

COURSE: dict[str, Option[Any]] = {
    "title": Text("title: AI for everyone"),
    "summary": Text("summary: One sentence for the catalogue."),
    "audience": Text("audience: Learners aged 11 and up."),
    "level": Choice(LEVELS, "level: beginner"),
    "duration": PositiveInt("minutes", "duration: 480  # minutes"),
    "modules": NonEmptyList("modules: [01-what-is-ai, 02-computers-see-numbers]"),
}


def course_settings(path: Path) -> tuple[Document, dict[str, Any]]:
    """course.yml, parsed and checked field by field."""
    document = read_document(path)
    if not isinstance(document.data, dict):
        raise fail(document, "expected a mapping of fields (title, summary, ...)")
    return document, validate(document, COURSE)


# --- languages.yml ------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageSettings:
    """One entry of languages.yml, checked."""

    code: str
    name: str | None
    review: str
    threshold: float


LANGUAGES: dict[str, Option[Any]] = {
    "source": LocaleCode("source: en", default="en"),
    "publish_threshold": Percentage("publish_threshold: 80", default=0),
}


def _settings_of(code: str) -> Callable[[str], str]:
    return lambda name: f"{name!r} of {code!r}"


def language_settings(path: Path) -> tuple[str, list[LanguageSettings]]:
    """languages.yml: the source locale and every target locale, checked value by value."""
    document = read_document(path)
    if not isinstance(document.data, dict):
        raise fail(document, "expected 'source:' and 'languages:' fields")
    top = validate(document, LANGUAGES)
    entries = document.data.get("languages") or {}
    if not isinstance(entries, dict):
        raise fail(
            document,
            "'languages' must map codes to settings, e.g. 'fr: {name: Français}'",
            "languages",
        )
    result = []
    for code, settings in entries.items():
        if settings is not None and not isinstance(settings, dict):
            raise fail(document, f"settings of {code!r} must be a mapping", "languages", code)
        try:
            LocaleCode("fr").validate(code, "locale")
        except Invalid as exc:
            raise CourseError(str(exc), path, document.key_line("languages", code)) from None
        schema: dict[str, Option[Any]] = {
            "name": Text("name: Français", default=None),
            "review": Choice(REVIEW_STATES, "review: unreviewed", default="unreviewed"),
            "threshold": Percentage("threshold: 80", default=top["publish_threshold"]),
        }
        values = validate(document, schema, ("languages", code), _settings_of(str(code)))
        result.append(LanguageSettings(str(code), **values))
    return top["source"], result


# --- editing, keeping the author's comments, order and style ------------------------------


def add_module(path: Path, name: str) -> None:
    """Append a module to course.yml's ``modules`` list."""

    def change(data: Any, document: Document) -> None:
        from ruamel.yaml.comments import CommentedSeq

        modules = data.get("modules")
        if modules is None:
            data["modules"] = modules = CommentedSeq()
        if not isinstance(modules, CommentedSeq):
            raise fail(document, f"field 'modules' must be a list, got {modules!r}", "modules")
        if not modules:
            modules.fa.set_block_style()  # `modules: []` of a new course becomes a list of lines
        _append(modules, len(modules), name)

    edit_yaml(path, change, "expected a mapping of fields (title, summary, ...)")


def add_language(path: Path, code: str, name: str) -> bool:
    """Add a locale to languages.yml (written as its other entries are); False if listed."""
    added = False

    def change(data: Any, document: Document) -> None:
        nonlocal added
        from ruamel.yaml.comments import CommentedMap

        entries = data.get("languages")
        if entries is None:
            data["languages"] = entries = CommentedMap()
        if not isinstance(entries, dict):
            raise fail(document, "'languages' must map codes to settings", "languages")
        if code in entries:
            return
        entry = CommentedMap(name=name, review="unreviewed")
        if all(not isinstance(e, CommentedMap) or e.fa.flow_style() for e in entries.values()):
            entry.fa.set_flow_style()
        _append(entries, code, entry)
        added = True

    if not path.exists():
        write_atomic(path, b"source: en\nlanguages:\n")
    edit_yaml(path, change, "expected 'source:' and 'languages:' fields")
    return added


def edit_yaml(path: Path, change: Callable[[Any, Document], None], not_mapping: str) -> None:
    """Change a YAML mapping file in place (ruamel.yaml round trip): the author's comments,
    key order, quoting, flow or block style and indentation stay; the result must parse."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError as RoundTripError

    document = read_document(path)  # PyYAML errors, with their line, as any reading gives
    if not isinstance(document.data, dict):
        raise fail(document, not_mapping)
    text = path.read_text(encoding="utf-8")
    editor = YAML()
    editor.preserve_quotes = True
    editor.allow_duplicate_keys = True
    editor.width = 4096  # never re-wrap an author's long line
    editor.indent(**_indentation(document.root, text))
    editor.explicit_start = text.lstrip().startswith("---")
    try:
        data = editor.load(text)
        change(data, document)
        out = io.StringIO()
        editor.dump(data, out)
        yaml.safe_load(out.getvalue())
    except (RoundTripError, yaml.YAMLError) as exc:
        raise CourseError(f"cannot be edited safely ({exc}); edit it by hand", path) from exc
    write_atomic(path, out.getvalue().encode("utf-8"))


def _indentation(root: yaml.Node | None, text: str) -> dict[str, int]:
    """The file's own indentation: of nested mappings, of list items and of their dashes."""
    found = {"mapping": 0, "sequence": 0, "offset": -1}
    lines = text.splitlines()
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop(0)
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            continue
        for key, value in node.value:
            column = key.start_mark.column
            if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
                if not found["mapping"]:
                    found["mapping"] = value.value[0][0].start_mark.column - column
                pending.append(value)
            elif (
                isinstance(value, yaml.SequenceNode)
                and not value.flow_style
                and value.value
                and found["offset"] < 0
            ):
                item = value.value[0].start_mark
                dash = len(lines[item.line][: item.column].rstrip()) - 1
                found["sequence"] = item.column - column
                found["offset"] = dash - column
    return {
        "mapping": found["mapping"] or 2,
        "sequence": found["sequence"] if found["offset"] >= 0 else 4,
        "offset": max(found["offset"], 0) if found["offset"] >= 0 else 2,
    }


def _append(container: Any, key: Any, value: Any) -> None:
    """Add a last entry; comment lines that followed the old last entry still follow the list
    (ruamel keeps them on that entry, so the new one would land below them)."""
    from ruamel.yaml.comments import CommentedMap

    before = _last_comment(container) if len(container) else None
    if isinstance(container, CommentedMap):
        container[key] = value
    else:
        container.append(value)
    if before is None:
        return
    holder, slot, index = before
    token = holder.ca.items[slot][index]
    own_line, newline, following = token.value.partition("\n")
    if not newline or not following:
        return
    token.value = own_line + "\n" if own_line else "\n"
    if not own_line:
        holder.ca.items[slot][index] = None
    moved = type(token)("\n" + following, token.start_mark, None)
    holder, slot, index = _last_slot(container)
    holder.ca.items[slot] = [None, None, moved, None] if index == 2 else [moved, None, None, None]


def _last_comment(container: Any) -> tuple[Any, Any, int] | None:
    """Where ruamel keeps the comments after the last line of a block container, if any."""
    holder, slot, index = _last_slot(container)
    comments = holder.ca.items.get(slot)
    return (holder, slot, index) if comments and comments[index] is not None else None


def _last_slot(container: Any) -> tuple[Any, Any, int]:
    """The innermost last entry of a block container, where comments after it are kept."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    while True:
        if isinstance(container, CommentedMap):
            slot, index = list(container)[-1], 2
        else:
            slot, index = len(container) - 1, 0
        comments = container.ca.items.get(slot)
        inner = container[slot]
        if (comments and comments[index] is not None) or not (
            isinstance(inner, (CommentedMap, CommentedSeq))
            and len(inner)
            and not inner.fa.flow_style()
        ):
            return container, slot, index
        container = inner


# --- mkdocs.yml ---------------------------------------------------------------------------

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
