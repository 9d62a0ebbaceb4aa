"""The multilingual site: one mkdocs-material build per locale, in parallel, swapped in whole.

Why not mkdocs-static-i18n: its single search index mixes languages and its switcher
emits absolute links that break on file:// (DESIGN.md, decision 1). Each locale here has
its own search index, interface language, text direction and cache key.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import json
import logging
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import TYPE_CHECKING, Any

from ailit.core import keys
from ailit.core.cache import load_json, store
from ailit.core.errors import AilitError, BuildError
from ailit.core.files import link_or_copy
from ailit.core.keys import hash_files
from ailit.core.paths import ASSETS, TEMPLATES
from ailit.i18n.checks import locale_script
from ailit.i18n.sitetext import SITE, THEME_KEYS, language_partial, theme_context
from ailit.i18n.status import locale_status, read_templates
from ailit.model.language import babel_locale
from ailit.model.mkdocs_yml import read_mkdocs_yml
from ailit.model.project import Language, Project
from ailit.site.searchwords import SCRIPTS as UNSPACED
from ailit.stages.execute import DEFAULT_TIMEOUT
from ailit.stages.templating import render

if TYPE_CHECKING:
    from ailit.stages.pages import LocaleText

PACKAGE_THEME = TEMPLATES / "theme"
INFO_FILE = ".ailit-build.json"  # input key and coverage of a built locale, for reuse


@dataclass
class LocaleResult:
    """What one locale's build did, sent back from its worker process."""

    code: str
    skipped: bool = False
    executed: int = 0
    from_cache: int = 0
    rendered: int = 0
    fallback_units: int = 0
    total_units: int = 0
    rejected: list[str] = field(default_factory=list)
    error: str | None = None
    #: modules whose code failed, built with the error on their page (--keep-going)
    failures: list[str] = field(default_factory=list)
    #: translation coverage (i18n.status.locale_status), kept in the locale's build info
    status: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0  # how long the build took: the next build starts long ones first


def input_key(project: Project, language: Language, shared: str | None = None) -> str:
    """Hash of every input of a locale's pages: a changed input can never be missed."""
    digest = hashlib.sha256(f"{shared or shared_key(project)}\n{language}\n".encode())
    # the catalogues and the glossary; other locales' files change nothing here
    files = [p for p in (project.locales_dir / language.code).rglob("*") if p.is_file()]
    hash_files(digest, project.root, files)
    return digest.hexdigest()


def shared_key(project: Project) -> str:
    """Hash of the inputs every locale shares: courses, site config, mkdocs.yml, ailit itself."""
    digest = hashlib.sha256(f"{keys.package_key()}\n".encode())
    files: list[Path] = []
    for folder in (project.courses_dir, project.site_config):
        files += [p for p in folder.rglob("*") if p.is_file()]
    files += [project.root / "mkdocs.yml", *project.locales_dir.glob("*.pot")]
    files += project.locales_dir.glob("glossary.yml")  # the source glossary's definitions
    # mkdocs.yml as mkdocs reads it: an !ENV variable, an INHERITed file or a hook's code
    # changes the site without changing the file (and a refused key stops the build here)
    mkdocs_yml = read_mkdocs_yml(project.root / "mkdocs.yml")
    files += [Path(hook) for hook in mkdocs_yml.hooks]
    resolved = [mkdocs_yml.settings, mkdocs_yml.plugins, mkdocs_yml.markdown_extensions]
    digest.update(json.dumps(resolved, sort_keys=True, default=repr).encode())
    hash_files(digest, project.root, files)
    return digest.hexdigest()


#: Stages of a locale's build, in order, as reported to the progress display.
STAGES = ("pages", "theme", "mkdocs", "done")
#: (locale, stage, step, steps): the pages stage counts its modules, the others are 0, 0
OnStage = Callable[[str, str, int, int], None]


class _Events:
    """Where a worker reports its stages: a queue across processes, or a plain callback."""

    def __init__(self, code: str, sink: Any):
        self.code = code
        self.sink = sink

    def __call__(self, stage: str, step: int = 0, steps: int = 0) -> None:
        if self.sink is None:
            return
        if callable(self.sink):
            self.sink(self.code, stage, step, steps)
        else:
            self.sink.put((self.code, stage, step, steps))


def build_locale(
    root: str,
    code: str,
    site_dir: str,
    timeout: int,
    sink: Any = None,
    keep_going: bool = False,
) -> LocaleResult:
    """Build one locale into ``site_dir`` (runs in a worker process); with ``keep_going``
    a module whose code fails is built with the error on its page."""
    # pages (nbconvert, nbclient) load only when a locale is built, not in a no-op build
    from ailit.stages.pages import DocsReport, load_locale_text, write_docs

    result = LocaleResult(code)
    started = time.perf_counter()
    stage = _Events(code, sink if sink is not None else _WORKER_SINK)
    try:
        _quiet_logs()
        project = _project(root)
        language = (
            project.language(code)
            if code != project.source_language
            else Language(code, "English", "reviewed")
        )
        docs = project.work_dir / "docs" / code
        report = DocsReport()
        stage("pages")
        text = load_locale_text(project, code)  # parsed once: pages, theme and config share it
        nav = write_docs(
            project, language, docs, timeout, report, text,
            on_module=lambda done, total: stage("pages", done, total), keep_going=keep_going,
        )  # fmt: skip
        result.failures = report.failures
        if code != project.source_language:
            loaded = {slug: t.catalog for slug, t in text.courses.items()}
            loaded["site"] = text.site.catalog
            result.status = locale_status(project, language, loaded)  # type: ignore[arg-type]
        stage("theme")
        theme = _theme_dir(project, language, text)
        config = _mkdocs_config(
            project, language, docs, Path(site_dir), theme, nav, _progress(result.status), text
        )
        stage("mkdocs")
        _run_mkdocs(config, project.root)  # hooks.py trims and compacts the output
        result.executed, result.from_cache = report.executed, report.from_cache
        result.rendered = report.rendered
        result.fallback_units, result.total_units = report.fallback_units, report.total_units
        seen = set()
        for rejection in [*report.rejected, *text.site.rejected]:  # theme strings too
            where = f"{rejection.catalogue}:{rejection.line}" if rejection.catalogue else code
            line = f"{where}: not published: {rejection.problem} ({rejection.msgid[:40]!r})"
            if line not in seen:
                seen.add(line)
                result.rejected.append(line)
    except AilitError as exc:
        result.error = str(exc)
    result.seconds = round(time.perf_counter() - started, 2)
    stage("done")
    _release_memory()
    return result


#: A worker's queue for stage events, set when the pool starts the process.
_WORKER_SINK: Any = None
#: Projects a pool worker has loaded: it lives for one build, whose inputs are fixed.
_WORKER_PROJECTS: dict[str, Project] | None = None


def _set_worker_sink(queue: Any) -> None:
    global _WORKER_SINK, _WORKER_PROJECTS
    _WORKER_SINK = queue
    _WORKER_PROJECTS = {}


def _project(root: str) -> Project:
    """The project at ``root``; a worker reads its modules once, not once per locale."""
    if _WORKER_PROJECTS is None:
        return Project(Path(root))
    return _WORKER_PROJECTS.setdefault(root, Project(Path(root)))


def _release_memory() -> None:
    """Give a finished locale's memory back to the system before the worker takes the next:
    without this a worker keeps the high-water mark of every locale it built."""
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: memory stays, no harm
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _quiet_logs() -> None:
    for name in ("mkdocs", "material", "MARKDOWN", "traitlets", "nbconvert"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _theme_dir(project: Project, language: Language, text: LocaleText) -> Path:
    """ailit's template overrides, the project's own, and the locale's interface strings."""
    theme = project.work_dir / "theme" / language.code
    if theme.exists():
        shutil.rmtree(theme)
    shutil.copytree(PACKAGE_THEME, theme)
    own = project.site_config / "theme"
    if own.is_dir():
        shutil.copytree(own, theme, dirs_exist_ok=True)
    translated: dict[str, str] = {}
    if text.site.catalog is not None:
        for key in THEME_KEYS:
            value = text.site(_english(key), theme_context(key))  # the same gate as pages
            if value:
                translated[key] = value
    partial = theme / "partials" / "languages" / f"{language.code}.html"
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_text(language_partial(language.code, language.direction, translated), "utf-8")
    return theme


def _english(key: str) -> str:
    from ailit.i18n.sitetext import material_strings

    return material_strings("en")[key]


def _mkdocs_config(
    project: Project,
    language: Language,
    docs: Path,
    site_dir: Path,
    theme: Path,
    nav: list[dict],
    percent: int,
    text: LocaleText,
) -> dict[str, Any]:
    """The locale's mkdocs configuration: the project's mkdocs.yml plus what ailit owns."""
    user = read_mkdocs_yml(project.root / "mkdocs.yml")  # refuses what it cannot honour
    base = user.settings
    for kind in ("css", "js"):
        src = project.site_config / kind
        if src.is_dir():
            shutil.copytree(src, docs / "assets" / "site" / kind, dirs_exist_ok=True)
    shutil.copytree(ASSETS / "web", docs / "assets" / "ailit", dirs_exist_ok=True)
    shutil.copytree(ASSETS / "vendor", docs / "assets" / "vendor", dirs_exist_ok=True)
    shutil.copytree(ASSETS / "search", docs / LUNR, dirs_exist_ok=True)
    notices = []
    if language.code != project.source_language and language.review != "reviewed":
        notices.append(text.t("unreviewed"))
    if language.code != project.source_language and percent < language.threshold:
        notices.append(text.t("preview", percent=percent))
    theme_config = dict(base.get("theme") or {})
    theme_config.update(
        name="material",
        language=language.code,
        custom_dir=str(theme),
        font=False,
    )
    features = [f for f in theme_config.get("features", []) if f != "navigation.instant"]
    theme_config["features"] = features
    extra: dict[str, Any] = dict(base.get("extra") or {})
    extra["polyfills"] = ["assets/vendor/iframe-worker/shim.js"]
    extra["alternate"] = [
        {"name": lang.name, "lang": lang.code} for lang in _all_languages(project)
    ]
    extra["ailit"] = {
        "notice": " ".join(html.escape(n) for n in notices),
        "direction": language.direction,
        "template_cache": str(_template_cache(project)),
        "css_cache": str(project.cache_dir / "css" / language.code),
        "search_lang": _search_lang(language),
        "search_words": _search_words(language),
        **_footer(base.get("copyright"), text),
        "bundle": _material_bundle(),
    }
    extra_css = ["assets/ailit/ailit.css"] + [
        f"assets/site/css/{p.name}" for p in sorted((project.site_config / "css").glob("*.css"))
    ]
    extra_js = ["assets/ailit/ailit.js"] + [
        f"assets/site/js/{p.name}" for p in sorted((project.site_config / "js").glob("*.js"))
    ]
    from pymdownx.slugs import slugify

    return {
        **base,
        "site_name": base.get("site_name", "ailit"),
        "site_url": None,
        "docs_dir": str(docs),
        "site_dir": str(site_dir),
        "use_directory_urls": False,
        "theme": theme_config,
        "nav": nav,
        "extra": extra,
        "extra_css": extra_css,
        "extra_javascript": extra_js,
        "plugins": user.plugins_after([{"search": _search_config(language)}, "offline"]),
        "hooks": [str(Path(__file__).parent / "hooks.py"), *user.hooks],
        "markdown_extensions": user.extensions_after(
            [
                "attr_list",
                "md_in_html",  # markdown inside the <details> of a cell folded by its tags
                "admonition",
                "tables",
                {"toc": {"slugify": slugify(case="lower"), "permalink": False}},
                {"pymdownx.highlight": {"anchor_linenums": False}},
                "pymdownx.superfences",
            ]
        ),
        "strict": False,
    }


def _footer(licence: object, text: LocaleText) -> dict[str, Any]:
    """The footer's licence line (mkdocs.yml ``copyright``) and credit in the page's language,
    through site.po; each marked with the source language when still untranslated."""
    from ailit.stages.pages import shown

    line = shown(text.site, licence, text.source_language) if isinstance(licence, str) else None
    credit = text.shown("made_with", name="\0")
    before, _, after = credit.text.partition("\0")
    return {
        "copyright": line.__html__() if line else "",
        "credit": [html.escape(before), html.escape(after)],
        "credit_lang": credit.lang,
    }


def _material_bundle() -> str:
    """Material's script by the name its release gives it: ailit's pages load it themselves."""
    import material

    scripts = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
    return f"assets/javascripts/{min(scripts.glob('bundle.*.min.js')).name}"


#: where Material's search worker loads a language's lunr file from (lunr.<lang>.min.js)
LUNR = Path("assets") / "javascripts" / "lunr" / "min"

#: words end at white space (zero-width space too: jieba's cuts in Chinese), at ASCII,
#: Latin-1, general, CJK and Arabic punctuation, and at HTML entities (no `u` flag:
#: Material builds the RegExp itself; the characters themselves, not escapes, so that
#: the index stays plain UTF-8)
SEARCH_SEPARATOR = (
    "(?:&[a-z]+;|&#\\d+;|[\\s\u200b!-/:-@\\[-`{-~\u00a1-\u00ac\u00ae-\u00bf\u00d7\u00f7"
    "\u2010-\u2027\u2030-\u205e\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40"
    "\uff5b-\uff65\u060c\u061b\u061f\u066a-\u066d\u06d4])+"
)

#: languages whose words Material's worker cuts with a segmenter of its own: their search
#: settings stay Material's (Japanese and Thai are cut at build time instead, by ICU)
SEGMENTED = ("hi",)


def _search_config(language: Language) -> dict[str, Any]:
    """Search by script: every word findable, in every language, the same way.

    Chinese is cut into words at build time by jieba (Material's search plugin uses it
    when installed), Japanese, Thai, Lao, Khmer and Myanmar by ICU (ailit.site.searchwords);
    every other script is cut at white space and punctuation, and
    ailit's lunr language (assets/search/lunr.ailit.min.js) normalises indexed words
    and query terms alike. No stemmer, no stop words: Material appends a wildcard to
    every query term, which makes lunr skip stemming of the query anyway.
    """
    if not _search_lang(language):
        return {}
    return {"separator": SEARCH_SEPARATOR, "pipeline": []}


def _search_words(language: Language) -> dict[str, str] | None:
    """The script whose words the build cuts (written without spaces), if the locale's is."""
    script = locale_script(language.code)
    if script not in UNSPACED:
        return None
    return {"script": script, "locale": language.code}


def _search_lang(language: Language) -> str:
    """ailit's lunr language, written into the index by the hooks (mkdocs' own option
    accepts only the languages mkdocs ships); empty where Material segments the words."""
    from ailit.i18n.sitetext import material_strings

    own = material_strings(language.code).get("search.config.lang", "")
    return "" if own in SEGMENTED else "ailit"


def _template_cache(project: Project) -> Path:
    """Where compiled theme templates are kept, one folder per Jinja and Python version."""
    import sys

    from jinja2 import __version__ as jinja

    folder = (
        project.cache_dir
        / "templates"
        / f"jinja-{jinja}-py{sys.version_info[0]}.{sys.version_info[1]}"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _all_languages(project: Project) -> list[Language]:
    source = Language(project.source_language, _native_name(project.source_language), "reviewed")
    return [source, *[lang for lang in project.languages]]


def _native_name(code: str) -> str:
    return babel_locale(code).get_display_name() or code


def _run_mkdocs(settings: dict[str, Any], root: Path) -> None:
    """Build with mkdocs' API; every setting comes from ``settings``, none from the cwd."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    empty = io.BytesIO(b"{}\n")  # without a file object mkdocs reads ./mkdocs.yml
    empty.name = str(root / "mkdocs.yml")
    try:
        config = load_config(config_file=empty, **settings)
        build(config)
    except MkDocsException as exc:
        raise BuildError(f"mkdocs failed: {exc}") from exc


def chooser_page(languages: Iterable[Language]) -> str:
    """build/site/index.html: every language, in its own name and direction."""
    listed = [
        {"code": lang.code, "direction": lang.direction, "name": _native_name(lang.code)}
        for lang in languages
    ]
    return render("chooser.html", languages=listed, choose_language=SITE["choose_language"])


@dataclass
class SiteReport:
    results: list[LocaleResult]


def build_site(
    project: Project,
    only: list[str] | None = None,
    jobs: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    on_stage: OnStage | None = None,
    keep_going: bool = False,
) -> SiteReport:
    """Build every locale (or ``only`` these) and swap the new site in atomically.

    With ``keep_going`` a module whose code fails does not stop the build: its page says
    what went wrong, the report lists it, and its locale is built again next time.
    """
    languages = _all_languages(project)
    codes = [lang.code for lang in languages]
    also = built_too(project, only)
    site = project.build_dir / "site"
    shared = shared_key(project)
    keys = {lang.code: input_key(project, lang, shared) for lang in languages}
    infos = {lang.code: _read_info(site / lang.code) for lang in languages}
    if _up_to_date(site, keys, infos):
        # nothing changed since the last build: no process, no copy, no write
        return SiteReport([_skipped(code, infos[code]) for code in codes])
    staging = project.build_dir / f".site-new-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    results: list[LocaleResult] = []
    try:
        todo = []
        for lang in languages:
            key, info = keys[lang.code], infos[lang.code]
            if (only and lang.code not in only + also) or info.get("key") == key:
                shutil.copytree(site / lang.code, staging / lang.code, copy_function=link_or_copy)
                results.append(_skipped(lang.code, info))
            else:
                todo.append((lang, key))
        todo = _longest_first(todo, infos)
        results += _build_parallel(project, todo, staging, jobs, timeout, on_stage, keep_going)
        results.sort(key=lambda r: codes.index(r.code))  # reports in the configured order
        failed = [r for r in results if r.error]
        if failed:
            raise BuildError(failed[0].error or "build failed")
        by_code = {r.code: r for r in results}
        for lang, key in todo:
            result = by_code[lang.code]
            if result.failures:
                key = ""  # never up to date: its failed modules run again next time
            info = {"key": key, "fallback_units": result.fallback_units,
                    "total_units": result.total_units, "status": result.status,
                    "seconds": result.seconds}  # fmt: skip
            store(staging / lang.code / INFO_FILE, json.dumps(info).encode())  # lost: rebuilt
        statuses = _current_statuses(project, languages, results)
        published = {code: _progress(status) for code, status in statuses.items()}
        listed = [
            lang for lang in languages
            if lang.code == project.source_language or published[lang.code] >= lang.threshold
        ]  # fmt: skip
        (staging / "index.html").write_text(chooser_page(listed), encoding="utf-8")
        write_translation_status(project, staging, languages, published, statuses)
        _swap(staging, site)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return SiteReport(results)


def built_too(project: Project, only: list[str] | None) -> list[str]:
    """The locales a ``--locale`` build builds as well: those never built here, since every
    page's language menu, the language chooser and translation.html link to each locale."""
    codes = [lang.code for lang in _all_languages(project)]
    for code in only or []:
        if code not in codes:
            project.language(code)  # raises with the list of enabled locales
    site = project.build_dir / "site"
    return [c for c in codes if only and c not in only and not _read_info(site / c)]


def _longest_first(
    todo: list[tuple[Language, str]], infos: dict[str, dict[str, Any]]
) -> list[tuple[Language, str]]:
    """The locales in the order the pool should start them: longest expected build first,
    so the workers finish together (a long locale started last keeps the other cores idle
    while it runs). Expected: the locale's last build time; a locale without one goes first,
    those with CJK handouts before the rest (their PDFs take twice as long: font subsetting)."""

    from ailit.stages import handout  # not at import: a no-op build never needs it

    def expected(item: tuple[Language, str]) -> tuple[int, float]:
        seconds = infos[item[0].code].get("seconds")
        if isinstance(seconds, int | float):
            return (1, -float(seconds))
        return (0, -handout.layout_weight(item[0].code))

    return sorted(todo, key=expected)


def _up_to_date(site: Path, keys: dict[str, str], infos: dict[str, dict[str, Any]]) -> bool:
    """Every locale built from exactly these inputs, and nothing else in the site."""
    if not all(infos[code].get("key") == key for code, key in keys.items()):
        return False
    if not (site / "index.html").is_file() or not (site / "translation.html").is_file():
        return False
    built = {p.parent.name for p in site.glob(f"*/{INFO_FILE}")}
    return built == set(keys)


def _skipped(code: str, info: dict[str, Any]) -> LocaleResult:
    return LocaleResult(code, skipped=True, fallback_units=info.get("fallback_units", 0),
                        total_units=info.get("total_units", 0),
                        status=info.get("status") or {})  # fmt: skip


def _read_info(folder: Path) -> dict[str, Any]:
    """A built locale's key and coverage; empty when missing or damaged (it is built again)."""
    return load_json(folder / INFO_FILE, lambda info: isinstance(info, dict)) or {}


def _current_statuses(
    project: Project, languages: list[Language], results: list[LocaleResult]
) -> dict[str, dict[str, Any]]:
    """Each target locale's coverage from its catalogues as they are now: a locale built in
    this run counted them in its worker; a reused one (``--locale`` another, say) is counted
    again, since its .po may have changed since its pages were built."""
    built = {r.code: r.status for r in results if not r.skipped and r.status}
    targets = [lang for lang in languages if lang.code != project.source_language]
    pots = read_templates(project) if any(lang.code not in built for lang in targets) else {}
    return {
        lang.code: built.get(lang.code) or locale_status(project, lang, pots=pots)
        for lang in targets
    }


def _progress(status: dict[str, Any]) -> int:
    """The locale's progress figure (i18n.status.progress, counted with its total); 100
    for the source."""
    return int((status.get("total") or {}).get("percent", 100))


def write_translation_status(
    project: Project,
    site: Path,
    languages: list[Language],
    published: dict[str, int],
    statuses: dict[str, dict[str, Any]],
) -> None:
    """translation-status.json (for badges) and translation.html (for translators).

    Each locale's worker counted its own catalogues (``statuses``): nothing is read twice.
    """
    out: dict[str, Any] = {}
    for lang in languages:
        if lang.code == project.source_language:
            continue
        info = statuses.get(lang.code) or {}
        out[lang.code] = {
            "name": lang.name,
            "review": lang.review,
            "threshold": lang.threshold,
            "published_percent": published.get(lang.code, 0),
            "preview": published.get(lang.code, 0) < lang.threshold,
            "total": info.get("total", {}),
            "parts": info.get("parts", {}),
        }
    (site / "translation-status.json").write_text(
        json.dumps(out, indent=2, ensure_ascii=False, sort_keys=True), encoding="utf-8"
    )
    (site / "translation.html").write_text(_translation_page(out), encoding="utf-8")


def _translation_page(status: dict[str, Any]) -> str:
    """What is left to translate in each locale, page by page, for translators."""
    locales = []
    for code, info in status.items():
        total = info["total"]
        left = [
            {
                "name": part,
                "page": _is_module(part),
                "untranslated": counts["untranslated"],
                "fuzzy": counts["fuzzy"],
                "refused": counts.get("refused", 0),
            }
            for part, counts in info["parts"].items()
            if counts["untranslated"] or counts["fuzzy"] or counts.get("refused")
        ]
        locales.append({
            "code": code,
            "name": info["name"],
            "review": info["review"],
            "preview": info["preview"],
            "percent": int(total.get("percent", 0)),  # i18n.status.progress: rounded down
            "fuzzy": total.get("fuzzy", 0),
            "untranslated": total.get("untranslated", 0),
            "refused": total.get("refused", 0),
            "left": left,
        })  # fmt: skip
    return render("translation.html", locales=locales)


def _is_module(part: str) -> bool:
    """Status parts are "site", "<course>/course.yml" or "<course>/<module>" (a page)."""
    return "/" in part and not part.endswith("/course.yml")


def _build_parallel(
    project: Project,
    todo: list[tuple[Language, str]],
    staging: Path,
    jobs: int | None,
    timeout: int,
    on_stage: OnStage | None = None,
    keep_going: bool = False,
) -> list[LocaleResult]:
    """Locales in parallel processes (spawned: no state shared with the parent)."""
    if not todo:
        return []
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    args = [(str(project.root), lang.code, str(staging / lang.code), timeout) for lang, _ in todo]
    if workers == 1:
        return [build_locale(*a, on_stage, keep_going) for a in args]
    context = multiprocessing.get_context("spawn")
    queue = context.Queue() if on_stage else None  # handed over at start: no manager process
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_set_worker_sink, initargs=(queue,)
    )
    finished: set[str] = set()

    def relay(wait_for: float) -> None:
        """Pass queued stage events on; each worker's queue thread may deliver them late."""
        while queue is not None and on_stage is not None:
            try:
                code, stage, step, steps = queue.get(timeout=wait_for)
            except Empty:
                return
            on_stage(code, stage, step, steps)
            finished.update([code] if stage == "done" else [])
            wait_for = 0.0

    with pool:
        futures = [pool.submit(build_locale, *a, None, keep_going) for a in args]
        pending = set(futures)
        while pending:
            _done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            relay(0.0)
        while queue is not None and len(finished) < len(args):
            before = len(finished)
            relay(1.0)
            if len(finished) == before:  # a worker stopped without its last event
                break
        return [f.result() for f in futures]


def _swap(staging: Path, site: Path) -> None:
    """Replace build/site by the new tree with two renames; the old one is removed after."""
    old = site.with_name(f".site-old-{os.getpid()}")
    if site.exists():
        os.replace(site, old)
    os.replace(staging, site)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
