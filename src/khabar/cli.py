"""The `khabar` command: a thin layer over the library. Each command reads its options, calls one
library function and renders what it returns. Exit status: 0 success; 1 some inputs failed (the
rest were stored); 2 bad usage or an error that stopped the command; 130 interrupted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from khabar import pipeline
from khabar.errors import KhabarError
from khabar.ingest import Metadata
from khabar.report.exports import export_document, validate_document, write_json
from khabar.report.overview import Overview, overview
from khabar.store.repository import Store

app = typer.Typer(
    help="khabar: news reports about armed conflict in, a sourced, cross-checked record of events out.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="KHABAR_DB", help="Database file (or SQLAlchemy URL). Default: ./khabar.db"),
]


def _open(db: str | None) -> Store:
    try:
        return Store.open(db)
    except KhabarError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


@app.command("ingest")
def ingest_cli(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, globs, URLs, or - for stdin.")],
    db: DbOption = None,
    published: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Publication date.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name for every input.")] = None,
    title: Annotated[str | None, typer.Option(help="Title for every input.")] = None,
    allow_private: Annotated[bool, typer.Option(help="Allow URLs on private or loopback addresses.")] = False,
) -> None:
    """Read articles, extract events and store them; then merge events and assess sources.

    Example: [bold]khabar ingest reports/ feed.xml https://example.org/story.html[/]
    """
    metadata = Metadata(published=published.date() if published else None, outlet=outlet, title=title)
    with _open(db) as store:
        report = _run_with_progress(inputs, store, metadata, allow_private)
    _print_run(report)
    if not report.ok:
        raise typer.Exit(1)


def _run_with_progress(inputs: list[str], store: Store, metadata: Metadata, allow_private: bool):
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("reading", total=None)

        def on_item(source: str) -> None:
            progress.update(task, description=f"reading {escape(source)[-60:]}")

        try:
            return pipeline.run(
                inputs, store=store, metadata=metadata, allow_private=allow_private, on_item=on_item
            )
        except KeyboardInterrupt:
            progress.stop()
            err.print("[yellow]interrupted:[/] stored articles are complete; run the command again to finish.")
            raise typer.Exit(130) from None


def _print_run(report: pipeline.RunReport) -> None:
    for failure in report.failed:
        err.print(f"[red]failed:[/] {escape(str(failure))}")
    for copy, original in report.near_duplicates:
        err.print(f"near-duplicate: {copy} is a copy of {original}")
    out.print(
        f"{len(report.added)} added, {len(report.already_stored)} already stored, "
        f"{len(report.failed)} failed; {report.events} events, {report.contradictions} contradictions"
    )


@app.command("watch")
def watch_cli(
    feeds: Annotated[list[str], typer.Argument(help="RSS or Atom feed URLs.")],
    db: DbOption = None,
    interval: Annotated[float, typer.Option(help="Seconds between polls.")] = 600.0,
    rounds: Annotated[int | None, typer.Option(help="Stop after this many polls.")] = None,
    allow_private: Annotated[bool, typer.Option(help="Allow feeds on private or loopback addresses.")] = False,
) -> None:
    """Poll feeds and ingest each new entry as it appears.

    Example: [bold]khabar watch https://example.org/rss.xml --interval 300[/]
    """
    from khabar.ingest.watch import watch

    with _open(db) as store:
        try:
            seen = {article.url for article in store.articles() if article.url}
            for item in watch(feeds, interval=interval, rounds=rounds, seen=seen, allow_private=allow_private):
                report = pipeline.RunReport()
                if isinstance(item, KhabarError):
                    err.print(f"[red]failed:[/] {escape(str(item))}")
                    continue
                articles = pipeline.clean_new([item], store=store, report=report)
                pipeline.add_articles(articles, store=store, report=report)
                pipeline.refresh(store, report=report)
                _print_run(report)
        except KeyboardInterrupt:
            raise typer.Exit(130) from None


@app.command("export")
def export_cli(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Output format: json.")] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default stdout).")] = None,
) -> None:
    """Write the stored record in the khabar/v1 JSON format (see spec/khabar-v1.schema.json).

    Example: [bold]khabar export --format json -o record.json[/]
    """
    if format != "json":
        err.print(f"[red]error:[/] unknown format {escape(format)!r}; available: json")
        raise typer.Exit(2)
    with _open(db) as store:
        document = export_document(store)
    write_json(document, output)
    if output:
        err.print(f"wrote {output}")


@app.command("check")
def check_cli(path: Annotated[Path, typer.Argument(help="A khabar/v1 JSON export to validate.")]) -> None:
    """Validate an export against the khabar/v1 schema.

    Example: [bold]khabar check record.json[/]
    """
    import json

    problems = validate_document(json.loads(path.read_text(encoding="utf-8")))
    for problem in problems:
        err.print(f"[red]invalid:[/] {escape(problem)}")
    out.print(f"{path}: {'valid' if not problems else f'{len(problems)} problems'}")
    if problems:
        raise typer.Exit(1)


@app.command("search")
def search_cli(
    query: Annotated[str, typer.Argument(help="Full-text query (SQLite FTS5 syntax).")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="How many hits.")] = 20,
) -> None:
    """Search the text of stored articles.

    Example: [bold]khabar search "airstrike AND Kabul"[/]
    """
    with _open(db) as store:
        try:
            hits = store.search(query, limit=limit)
        except KhabarError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(2) from exc
    table = Table("article", "title", "snippet")
    for hit in hits:
        table.add_row(hit.article, escape(hit.title or ""), escape(hit.snippet))
    out.print(table)


@app.command("demo")
def demo_cli(
    db: Annotated[Path | None, typer.Option("--db", help="Keep the demo database here.")] = None,
) -> None:
    """Run khabar on the sample corpus shipped with it, into a fresh database, and show what it found.

    Example: [bold]khabar demo[/]
    """
    workdir = Path(tempfile.mkdtemp(prefix="khabar-demo-"))
    samples = workdir / "samples"
    samples.mkdir()
    for sample in resources.files("khabar").joinpath("samples").iterdir():
        if sample.name.endswith(".txt"):
            samples.joinpath(sample.name).write_bytes(sample.read_bytes())
    target = db or workdir / "demo.db"
    if db and db.exists():
        db.unlink()
    with _open(str(target)) as store:
        report = _run_with_progress([str(samples)], store, Metadata(), False)
        _print_overview(overview(store))
    _print_run(report)
    out.print(f"database: {target}")
    if db is None:
        shutil.rmtree(samples, ignore_errors=True)


def _print_overview(view: Overview) -> None:
    table = Table("article", "title", "outlet", "mentions", "credibility", title="Articles")
    for line in view.articles:
        cred = f"{line.credibility.score:.2f} {line.credibility.label}" if line.credibility else "-"
        title = line.article.title or os.path.basename(line.article.source)
        table.add_row(line.article.id, escape(title[:70]), escape(line.article.outlet or "-"), str(line.mentions), cred)
    out.print(table)
    types = ", ".join(f"{name} {count}" for name, count in view.events_by_type.items())
    out.print(f"{view.mentions} mentions merged into {sum(view.events_by_type.values())} events: {types}")
    events = Table("date", "type", "event", "killed", "sources", title="Key events")
    for event in view.events:
        when = event.date.start.isoformat() if isinstance(event.date.start, date) else "undated"
        killed = _range(event.killed)
        events.add_row(when, event.type, escape(event.title[:80]), killed, str(event.corroboration.articles))
    out.print(events)
    for contradiction in view.contradictions:
        out.print(f"[yellow]disagreement ({contradiction.kind}):[/] {escape(contradiction.explanation)}")


def _range(toll) -> str:
    if toll is None:
        return "-"
    if toll.low == toll.high:
        return str(toll.low)
    return f"{toll.low if toll.low is not None else '?'}–{toll.high if toll.high is not None else ''}"
