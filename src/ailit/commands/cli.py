"""The ``ailit`` command: thin wrappers that print results (click shows an AilitError)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from ailit.core.errors import AilitError
from ailit.model.project import Project

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


@click.group()
@click.option(
    "--project",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project folder (holding courses/, locales/, site_config/).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print more detail.")
@click.version_option(package_name="ailit")
@click.pass_context
def main(ctx: click.Context, root: Path, quiet: bool, verbose: bool) -> None:
    """Build open AI-literacy courses into an offline multilingual site."""
    ctx.obj = {"project": Project(root.resolve()), "quiet": quiet, "verbose": verbose}


def _say(ctx: click.Context, message: str) -> None:
    if not ctx.obj["quiet"]:
        out.print(message, markup=False, soft_wrap=True)  # one line each: logs stay greppable


@main.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", "site_name", default=None, help="The site's name (default: the folder's).")
@click.option("--language", "source", default="en", show_default=True,
              help="The language the courses are written in.")  # fmt: skip
@click.option("--example/--no-example", default=True, show_default=True,
              help="Add a one-module example course, to delete once yours is in place.")  # fmt: skip
@click.pass_context
def init(
    ctx: click.Context, folder: Path | None, site_name: str | None, source: str, example: bool
) -> None:
    """Start a project in FOLDER (default: --project): it builds at once."""
    from ailit.commands.init import init_project
    from ailit.commands.workflow import extract as run_extract

    root = (folder or ctx.obj["project"].root).resolve()
    written = init_project(root, site_name or root.name, source, example)
    written += run_extract(Project(root))
    _say(ctx, f"created {root}" + "".join(f"\n  {p}" for p in written))
    _say(ctx, "next: 'ailit new course NAME', then 'ailit build' and 'ailit serve'")


@main.command()
@click.pass_context
def extract(ctx: click.Context) -> None:
    """Write the catalogue templates locales/*.pot from the courses."""
    from ailit.commands.workflow import extract as run

    written = run(ctx.obj["project"])
    _say(ctx, f"{len(written)} template(s) written" + "".join(f"\n  {p}" for p in written))


@main.command()
@click.option("--locale", "locales", multiple=True, help="Only this locale (repeatable).")
@click.pass_context
def update(ctx: click.Context, locales: tuple[str, ...]) -> None:
    """Merge the templates into every .po: nothing a translator wrote is lost."""
    from ailit.commands.workflow import update as run

    written = run(ctx.obj["project"], list(locales) or None)
    _say(ctx, f"{len(written)} catalogue(s) updated" + "".join(f"\n  {p}" for p in written))


@main.command("init-locale")
@click.argument("code")
@click.option("--name", help="The language's name in itself (default: from CLDR).")
@click.pass_context
def init_locale(ctx: click.Context, code: str, name: str | None) -> None:
    """Start a new language: every catalogue, with CLDR plural forms and direction."""
    from ailit.commands.workflow import init_locale as run
    from ailit.model.language import babel_locale
    from ailit.model.yamledit import add_language

    project: Project = ctx.obj["project"]
    locale = babel_locale(code)
    shown = name or locale.get_display_name() or code
    add_language(project.site_config / "languages.yml", code, shown)
    written = run(Project(project.root), code)
    _say(ctx, f"{code}: {len(written)} catalogue(s) created, direction {locale.text_direction}")


@main.group()
def new() -> None:
    """Scaffold a course or a module with every convention in place."""


@new.command("course")
@click.argument("slug")
@click.pass_context
def new_course(ctx: click.Context, slug: str) -> None:
    """Create courses/SLUG/course.yml."""
    from ailit.commands.scaffold import new_course as run

    path = run(ctx.obj["project"].courses_dir, slug)
    _say(ctx, f"created {path}: fill in every UNWRITTEN part ('ailit check' lists them)")


@new.command("module")
@click.argument("course")
@click.argument("title")
@click.pass_context
def new_module(ctx: click.Context, course: str, title: str) -> None:
    """Create the next module of COURSE, titled TITLE, and list it in course.yml."""
    from ailit.commands.scaffold import new_module as run

    path = run(ctx.obj["project"].courses_dir, course, title)
    _say(ctx, f"created {path}: fill in every UNWRITTEN part ('ailit check' lists them)")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("-v", "--verbose", is_flag=True, help="A row per module (and site.po).")
@click.pass_context
def status(ctx: click.Context, as_json: bool, verbose: bool) -> None:
    """Translated, fuzzy and untranslated strings and words, per locale and module.

    "words done" is the progress figure the site shows: course words translated, rounded
    down; "refused": written but an error in ailit check, so English is shown and the words
    do not count. The "courses" row counts the courses, site.po has its own row."""
    from ailit.i18n.status import status as run

    data = run(ctx.obj["project"])
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    table = Table(title="Translation status")
    columns = ("locale", "part", "translated", "fuzzy", "untranslated", "refused", "words done")
    for column in columns:
        left = column in ("locale", "part")
        # a module's name whole, never cut: narrow terminals wrap the headings instead
        table.add_column(column, justify="left" if left else "right", no_wrap=column == "part")
    for code, info in data.items():
        rows = [("courses", info["total"])] + (
            list(info["parts"].items()) if verbose or ctx.obj["verbose"] else []
        )
        for part, c in rows:
            table.add_row(code if part == "courses" else "", part, str(c["translated"]), str(c["fuzzy"]),
                          str(c["untranslated"]), str(c["refused"]), f"{c['percent']}%")  # fmt: skip
    out.print(table)


@main.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_context
def check(ctx: click.Context, strict: bool) -> None:
    """Validate courses and catalogues; exit 1 on any error."""
    from ailit.commands.workflow import check as run

    report = run(ctx.obj["project"])
    for finding in report.findings:
        click.echo(str(finding), err=finding.severity == "error")
    errors = len(report.errors)
    warnings = len(report.findings) - errors
    _say(ctx, f"{errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        sys.exit(1)


@main.command()
@click.option("--locale", "locales", multiple=True, help="Only rebuild this locale (repeatable).")
@click.option(
    "--jobs", "-j", type=int, default=None, help="Parallel locale builds (default: cores)."
)
@click.option(
    "--timeout", type=int, default=60, show_default=True, help="Seconds a notebook cell may run."
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Build every other module when one's code fails; its page shows the error (exit 1).",
)
@click.pass_context
def build(
    ctx: click.Context, locales: tuple[str, ...], jobs: int | None, timeout: int, keep_going: bool
) -> None:
    """Build build/site/: one mkdocs-material site per locale and a language chooser."""
    from ailit.site.build import build_site, built_too

    project: Project = ctx.obj["project"]
    also = built_too(project, list(locales))
    if also:
        only = ", ".join(dict.fromkeys(locales))
        _say(ctx, f"also building {', '.join(also)} (not built yet): every page's language "
                  f"menu links to them; after this build, --locale builds {only} alone")  # fmt: skip
    with _stage_display(ctx) as on_stage:
        report = build_site(project, list(locales) or None, jobs, timeout, on_stage, keep_going)
    failures = list(dict.fromkeys(f for result in report.results for f in result.failures))
    for result in report.results:
        for line in result.rejected:
            click.echo(f"warning: {line}", err=True)
        if result.skipped:
            _say(ctx, f"{result.code}: unchanged")
        else:
            _say(ctx, f"{result.code}: built ({result.executed} notebook(s) run, "
                      f"{result.from_cache} from cache, {result.rendered} module(s) "
                      f"rendered, {result.fallback_units} of "
                      f"{result.total_units} passages in English)")  # fmt: skip
    _say(ctx, f"site: {project.build_dir / 'site' / 'index.html'}")
    for failure in failures:  # one line each, the same in every locale
        click.echo(f"error: {failure}", err=True)
    if failures:
        sys.exit(1)


@contextlib.contextmanager
def _stage_display(ctx: click.Context) -> Iterator[Callable[[str, str, int, int], None] | None]:
    """A progress bar per locale on a terminal; plain lines in a log; nothing with -q.

    The bar counts the locale's modules, then its theme and mkdocs stages. In a log each
    stage is one line; -v adds a line per module and the seconds since the build began.
    """
    if ctx.obj["quiet"]:
        yield None
        return
    if not err.is_terminal:
        yield _stage_lines(ctx.obj["verbose"])
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("{task.fields[code]:>6}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=not ctx.obj["verbose"],
    )
    tasks: dict[str, Any] = {}
    modules: dict[str, int] = {}

    def on_stage(code: str, stage: str, step: int, steps: int) -> None:
        if steps:
            modules[code] = steps
        size = modules.get(code, 0)
        if code not in tasks:
            tasks[code] = progress.add_task(stage, total=None, code=code)
        after = {"pages": step, "theme": size, "mkdocs": size + 1, "done": size + 2}[stage]
        label = f"{stage} {step}/{steps}" if steps else stage
        progress.update(tasks[code], total=size + 2 if size else None, completed=after,
                        description=label)  # fmt: skip

    with progress:
        yield on_stage


def _stage_lines(verbose: bool) -> Callable[[str, str, int, int], None]:
    """One line per locale and stage on stdout (stderr is for problems); -v adds modules."""
    start = time.monotonic()

    def on_stage(code: str, stage: str, step: int, steps: int) -> None:
        if steps and not verbose:
            return
        where = f" {step}/{steps}" if steps else ""
        when = f" ({time.monotonic() - start:.1f} s)" if verbose else ""
        click.echo(f"{code}: {stage}{where}{when}")

    return on_stage


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012  (overrides the base class's instance attribute)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
        ".ipynb": "application/x-ipynb+json",
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
        ".zim": "application/octet-stream",
    }


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to serve (default: build/site).")  # fmt: skip
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, folder: Path | None) -> None:
    """Serve the built site (or an unpacked bundle) over HTTP."""
    project: Project = ctx.obj["project"]
    root = folder or project.build_dir / "site"
    if not (root / "index.html").is_file():
        raise AilitError("nothing to serve: run 'ailit build' first", root)
    handler = functools.partial(_Handler, directory=str(root))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        _say(ctx, f"serving {root} on http://{host}:{port}/ (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{count / 1e3:.0f} kB"


@main.command()
@click.option("--locale", "locales", multiple=True,
              help="Only this locale's zip and ZIM (repeatable; no all-locale zip).")  # fmt: skip
@click.option("--since", type=click.Path(path_type=Path), default=None,
              help="Write only an update from this old copy (its manifest.json, folder or zip).")  # fmt: skip
@click.option("--zim/--no-zim", default=True, show_default=True,
              help="Also write a Kiwix ZIM file per locale.")  # fmt: skip
@click.pass_context
def bundle(ctx: click.Context, locales: tuple[str, ...], since: Path | None, zim: bool) -> None:
    """Write build/dist/: zip bundles and ZIM files for offline schools, or an update."""
    from ailit.dist.bundle import make_bundles, make_update

    project: Project = ctx.obj["project"]
    if since is not None:
        update = make_update(project, since)
        if update is None:
            _say(ctx, f"nothing changed since {since}: no update written")
            return
        _say(ctx, f"{update.path.name}: {_size(update.size)} ({update.files} file(s))")
        _say(ctx, f"dist: {update.path.parent}")
        return
    outputs = make_bundles(project, list(locales) or None, zim)
    for output in outputs:
        _say(ctx, f"{output.path.name}: {_size(output.size)} "
                  f"({output.files} files, {_size(output.unpacked)} unpacked)")  # fmt: skip
    _say(ctx, f"dist: {project.build_dir / 'dist'}")


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.pass_context
def verify(ctx: click.Context, path: Path) -> None:
    """Check an offline copy (folder or zip) against its manifest; name every bad file."""
    from ailit.dist.bundle import check_copy

    report = check_copy(path)
    for line in report.lines():
        if not report.ok or not ctx.obj["quiet"]:
            click.echo(line)
    if not report.ok:
        sys.exit(1)


@main.command("apply-update")
@click.argument("update", type=click.Path(path_type=Path))
@click.option("--to", "folder", required=True, type=click.Path(path_type=Path),
              help="The unpacked copy to update.")  # fmt: skip
@click.pass_context
def apply_update(ctx: click.Context, update: Path, folder: Path) -> None:
    """Turn an unpacked copy into the newer one an update archive describes, then verify it."""
    from ailit.dist.bundle import apply_update as run

    report, written = run(update, folder)
    _say(ctx, f"updated to {report.version}" if written else "already up to date")
    for line in report.lines():
        if not report.ok or not ctx.obj["quiet"]:
            click.echo(line)
    if not report.ok:
        sys.exit(1)
