"""The `khabar` command: a thin layer over the library. Each command reads its options, calls one
library function and renders what it returns. Exit status: 0 success; 1 some inputs failed (the
rest were stored); 2 bad usage or an error that stopped the command; 130 interrupted.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from khabar import pipeline
from khabar.errors import KhabarError
from khabar.ingest import Metadata
from khabar.report import formats, views
from khabar.report.brief import brief, render_html, render_markdown, render_pdf
from khabar.report.charts import dyad_chart
from khabar.report.exports import validate_document, write_output
from khabar.report.overview import Overview, overview
from khabar.report.select import Filters
from khabar.report.series import dyad_series, series_csv, split_dyad
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
    published: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Publication date.")
    ] = None,
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
            err.print(
                "[yellow]interrupted:[/] stored articles are complete; run the command again to finish."
            )
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
    allow_private: Annotated[
        bool, typer.Option(help="Allow feeds on private or loopback addresses.")
    ] = False,
) -> None:
    """Poll feeds and ingest each new entry as it appears.

    Example: [bold]khabar watch https://example.org/rss.xml --interval 300[/]
    """
    from khabar.ingest.watch import watch

    with _open(db) as store:
        try:
            seen = {article.url for article in store.articles() if article.url}
            for item in watch(
                feeds, interval=interval, rounds=rounds, seen=seen, allow_private=allow_private
            ):
                report = pipeline.RunReport()
                if isinstance(item, KhabarError):
                    err.print(f"[red]failed:[/] {escape(str(item))}")
                    continue
                articles = pipeline.clean_new([item], store=store, report=report)
                pipeline.update(articles, store=store, report=report)
                _print_run(report)
        except KeyboardInterrupt:
            raise typer.Exit(130) from None


@app.command("export")
def export_cli(
    db: DbOption = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help=f"Output format: {', '.join(sorted(formats.EXPORTERS))}.")
    ] = "json",
    output: OutputOption = None,
) -> None:
    """Write the record for other tools: JSON, JSON Lines, ACLED CSV, GeoJSON, GraphML or GEXF.

    Example: [bold]khabar export --format acled-csv -o events.csv[/]
    """
    with _reading(db) as store:
        write_output(formats.export(store, format), output)
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
    query: Annotated[
        str, typer.Argument(help='Full-text query: words, "phrases", prefix*, AND, OR, NOT, parentheses.')
    ],
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


# ---- reading the record: briefing, tables, series ------------------------------------------------


@contextmanager
def _reading(db: str | None) -> Iterator[Store]:
    """The store, open for a command that reads it; a khabar error (a bad filter, an unknown
    event, an unwritable file) ends the command with status 2."""
    with _open(db) as store:
        try:
            yield store
        except KhabarError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(2) from exc


SinceOption = Annotated[
    datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only events on or after this day.")
]
UntilOption = Annotated[
    datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only events on or before this day.")
]
CountryOption = Annotated[str | None, typer.Option(help="Only events in this country (ISO code or name).")]
ActorOption = Annotated[
    str | None, typer.Option(help="Only events this actor (id, name, alias or country) took part in.")
]
OutputOption = Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default stdout).")]


def _filters(
    since: datetime | None,
    until: datetime | None,
    country: str | None,
    actor: str | None,
    event_type: str | None = None,
) -> Filters:
    return Filters(
        since=since.date() if since else None,
        until=until.date() if until else None,
        country=country,
        actor=actor,
        type=event_type,
    )


class BriefFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"


@app.command("brief")
def brief_cli(
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    actor: ActorOption = None,
    format: Annotated[BriefFormat, typer.Option("--format", "-f", help="md, html or pdf (needs -o).")] = (
        BriefFormat.md
    ),
    output: OutputOption = None,
) -> None:
    """Write a briefing: key developments, timeline, tolls, disagreements, statements, sources.

    Example: [bold]khabar brief --since 2025-10-09 --format html -o brief.html[/]
    """
    if format is BriefFormat.pdf and output is None:
        err.print("[red]error:[/] a PDF brief needs a file: add -o brief.pdf")
        raise typer.Exit(2)
    with _reading(db) as store:
        report = brief(
            store,
            since=since.date() if since else None,
            until=until.date() if until else None,
            country=country,
            actor=actor,
        )
        if format is BriefFormat.pdf and output is not None:
            render_pdf(report, output)
        else:
            write_output(
                render_html(report) if format is BriefFormat.html else render_markdown(report), output
            )
    if output:
        err.print(f"wrote {output}")


@app.command("timeline")
def timeline_cli(
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    actor: ActorOption = None,
) -> None:
    """Show the dated events in date order: when, where, who, what, toll and sources.

    Example: [bold]khabar timeline --country PK[/]
    """
    with _reading(db) as store:
        lines = views.event_lines(store, _filters(since, until, country, actor), dated_only=True)
    table = Table("date", "place", "who", "what", "toll", "sources", title="Timeline")
    for line in lines:
        table.add_row(
            line.when,
            escape(line.place or "-"),
            escape(line.who),
            escape(line.title) + _status(line.status),
            escape(line.toll or "-"),
            escape(", ".join(line.outlets)),
        )
    out.print(table)


def _status(status: str) -> str:
    return "" if status == "reported" else f" [yellow]({escape(status)})[/]"


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command("events")
def events_cli(
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    actor: ActorOption = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="Only this PLOVER type, e.g. ASSAULT.")
    ] = None,
    format: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table, csv or json.")
    ] = TableFormat.table,
    output: OutputOption = None,
) -> None:
    """List the stored events, filtered, as a table, CSV or JSON.

    Example: [bold]khabar events --type ASSAULT --since 2025-10-01 --format csv -o events.csv[/]
    """
    filters = _filters(since, until, country, actor, event_type)
    with _reading(db) as store:
        if format is not TableFormat.table:
            write_output(views.records_text(views.event_records(store, filters), format.value), output)
            return
        lines = views.event_lines(store, filters)
    table = Table("date", "place", "who", "what", "toll", "sources", title=f"{len(lines)} events")
    # whole, never cut: it is what `khabar show` takes
    table.columns.insert(
        0, Column("id", no_wrap=True, min_width=max((len(x.event) for x in lines), default=2))
    )
    for line in lines:
        table.add_row(
            line.event,
            line.when,
            escape(line.place or "-"),
            escape(line.who),
            escape(line.title) + _status(line.status),
            escape(line.toll or "-"),
            escape(", ".join(line.outlets)),
        )
    out.print(table)


@app.command("contradictions")
def contradictions_cli(db: DbOption = None) -> None:
    """Show where the sources disagree, the most severe first, with each side's sources.

    Example: [bold]khabar contradictions[/]
    """
    with _reading(db) as store:
        lines = views.contradiction_lines(store)
    table = Table("severity", "kind", "what the sources say", "sides", title=f"{len(lines)} contradictions")
    for line in lines:
        said = line.disagreement
        sides = "\n".join(escape(position.text) for position in said.positions)
        about = f"\n[dim]event {escape(line.event)}[/]" if line.event else ""
        table.add_row(said.severity, said.kind, escape(said.explanation) + about, sides)
    out.print(table)


@app.command("sources")
def sources_cli(db: DbOption = None) -> None:
    """Show each article's and each outlet's credibility, with the reasons.

    Example: [bold]khabar sources[/]
    """
    with _reading(db) as store:
        sources = views.source_lines(store)
    table = Table("article", "title", "outlet", "published", "credibility", "reasons", title="Sources")
    for line in sources.articles:
        article, credibility = line.article, line.credibility
        table.add_row(
            article.id,
            escape(article.title or os.path.basename(article.source)),
            escape(article.outlet or "-"),
            article.published.isoformat() if article.published else "-",
            f"{credibility.score:.2f} {credibility.label}" if credibility else "not assessed",
            "\n".join(escape(reason.text) for reason in line.reasons),
        )
    out.print(table)
    for outlet in sources.outlets:
        out.print(escape(outlet.text))


@app.command("actors")
def actors_cli(db: DbOption = None) -> None:
    """List the actors in the record and how often each acted, was acted on, and spoke.

    Example: [bold]khabar actors[/]
    """
    with _reading(db) as store:
        lines = views.actor_lines(store)
    table = Table("id", "name", "kind", "country", "acted", "acted on", "statements", title="Actors")
    for line in lines:
        actor = line.actor
        table.add_row(
            escape(actor.id),
            escape(actor.name),
            actor.kind,
            actor.country or "-",
            str(line.acted),
            str(line.targeted),
            str(line.statements),
        )
    out.print(table)


@app.command("show")
def show_cli(
    event_id: Annotated[
        str, typer.Argument(help="The event's id (or the start of it), from `khabar events`.")
    ],
    db: DbOption = None,
) -> None:
    """Show one event in full: each mention with its sentence and source, and its disputes.

    Example: [bold]khabar show ev-7472dd26[/]
    """
    with _reading(db) as store:
        detail = views.event_detail(store, event_id)
    line, event = detail.line, detail.event
    out.print(f"[bold]{escape(line.title)}[/]  ({escape(event.id)})")
    out.print(
        f"{event.type}{f' / {escape(event.mode)}' if event.mode else ''} · {line.when} · "
        f"{escape(line.place or 'place unknown')} · {escape(line.who)}"
    )
    out.print(
        f"toll: {escape(line.toll or '-')} · status: {event.status} · "
        f"{event.corroboration.articles} articles, {event.corroboration.outlets} outlets"
    )
    _print_mentions("Mentions", detail.mentions)
    if detail.statements:
        _print_mentions("Statements about it", detail.statements)
    for said in detail.disagreements:
        out.print(f"[yellow]disagreement ({escape(said.kind)}):[/] {escape(said.explanation)}")
        for position in said.positions:
            out.print(f"  {escape(position.text)}")


def _print_mentions(title: str, lines: list[views.MentionLine]) -> None:
    table = Table("source", "date", "who", "toll", "modality", "sentence", title=title)
    for line in lines:
        mention, article = line.mention, line.article
        source = f"{escape(line.outlet)}\n[dim]{escape(mention.article)}[/]"
        if article and article.url:
            source += f"\n[dim]{escape(article.url)}[/]"
        quote = f"\n“{escape(mention.quote)}”" if mention.quote else ""
        table.add_row(
            source,
            line.when,
            escape(line.who),
            escape(line.toll or "-"),
            escape(mention.modality),
            escape(mention.sentence or "") + quote,
        )
    out.print(table)


@app.command("series")
def series_cli(
    dyad: Annotated[str, typer.Option(help="The two sides, joined by a hyphen: PAK-AFG, ttp-PAK.")],
    db: DbOption = None,
    output: OutputOption = None,
    chart: Annotated[Path | None, typer.Option(help="Also draw the series to this SVG file.")] = None,
) -> None:
    """Write two sides' daily conflict-cooperation series (events, Goldstein sum) as CSV.

    Example: [bold]khabar series --dyad PAK-AFG -o pak-afg.csv --chart pak-afg.svg[/]
    """
    with _reading(db) as store:
        a, b = split_dyad(dyad, store.actors())
        points = dyad_series(store, a, b)
        write_output(series_csv(points), output)
        if chart:
            write_output(dyad_chart(points, a=a, b=b), chart)
    for written in (output, chart):
        if written:
            err.print(f"wrote {written}")


@app.command("demo")
def demo_cli(
    db: Annotated[Path | None, typer.Option("--db", help="Keep the demo database here.")] = None,
    brief_file: Annotated[
        Path | None,
        typer.Option("--brief", help="Write the HTML briefing here (default: beside the database)."),
    ] = None,
) -> None:
    """Run khabar on the sample corpus shipped with it, into a fresh database, and show what it found.

    Example: [bold]khabar demo[/]
    """
    target = db or Path(tempfile.mkdtemp(prefix="khabar-demo-")) / "demo.db"
    for stale in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        stale.unlink(missing_ok=True)
    samples = resources.as_file(resources.files("khabar").joinpath("samples"))
    with samples as folder, _open(str(target)) as store:
        report = _run_with_progress([str(folder)], store, Metadata(), False)
        _print_overview(overview(store))
    _print_run(report)
    out.print(f"database: {target}")
    out.print(f"briefing: {_write_demo_brief(target, brief_file)}")


def _write_demo_brief(db: Path, path: Path | None) -> Path:
    """The demo's HTML briefing, written beside its database unless a file is given."""
    path = path or db.with_name(f"{db.stem}-brief.html")
    with _reading(str(db)) as store:
        write_output(render_html(brief(store)), path)
    return path


def _print_overview(view: Overview) -> None:
    table = Table("article", "title", "outlet", "mentions", "credibility", title="Articles")
    for line in view.articles:
        cred = f"{line.credibility.score:.2f} {line.credibility.label}" if line.credibility else "-"
        title = line.article.title or os.path.basename(line.article.source)
        table.add_row(
            line.article.id, escape(title), escape(line.article.outlet or "-"), str(line.mentions), cred
        )
    out.print(table)
    types = ", ".join(f"{name} {count}" for name, count in view.events_by_type.items())
    out.print(f"{view.mentions} mentions merged into {sum(view.events_by_type.values())} events: {types}")
    events = Table("date", "type", "event", "killed", "sources", title="Key events")
    for event in view.events:
        when = event.date.start.isoformat() if isinstance(event.date.start, date) else "undated"
        killed = _range(event.killed)
        events.add_row(when, event.type, escape(event.title), killed, str(event.corroboration.articles))
    out.print(events)
    for contradiction in view.contradictions:
        out.print(f"[yellow]disagreement ({contradiction.kind}):[/] {escape(contradiction.explanation)}")


def _range(toll) -> str:
    if toll is None:
        return "-"
    if toll.low == toll.high:
        return str(toll.low)
    return f"{toll.low if toll.low is not None else '?'}–{toll.high if toll.high is not None else ''}"


from khabar.web.commands import register as _register_web  # noqa: E402

_register_web(app)
