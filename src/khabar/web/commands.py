"""commands: the `khabar serve` and `khabar token create` commands (#6), added to the CLI by
`register(app)` at the end of cli.py. Each reads its options and calls the web package."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import KhabarError
from ..store.repository import Store

err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="KHABAR_DB", help="Database file (or SQLAlchemy URL). Default: ./khabar.db"),
]


def serve_cli(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    auth: Annotated[bool, typer.Option(help="Reads need a token too (writes always do).")] = False,
    allow_fetch: Annotated[
        bool, typer.Option(help="Let clients submit URLs for the server to fetch (never private addresses).")
    ] = False,
) -> None:
    """Serve the record as a web application (pages at /) and a REST API (under /api/).

    Example: [bold]khabar serve --port 8000[/]
    """
    import uvicorn

    from .app import create_app

    try:
        application = create_app(db, auth=auth, allow_fetch=allow_fetch)
    except KhabarError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    if not auth and not _loopback(host):
        err.print(f"[yellow]warning:[/] anyone who can reach {escape(host)} can read the record; add --auth")
    err.print(f"khabar: serving {escape(application.state.store.name)} on http://{escape(host)}:{port}/")
    uvicorn.run(application, host=host, port=port, log_level="warning")


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def token_create_cli(
    name: Annotated[str, typer.Option("--name", help="Who or what the token is for.")],
    db: DbOption = None,
) -> None:
    """Make an API token for `khabar serve` and print it; only its digest is stored.

    Example: [bold]khabar token create --name newsroom-bot[/]
    """
    from .auth import create_token

    try:
        with Store.open(db) as store:
            token = create_token(store, name)
    except KhabarError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    # plain stdout, so `TOKEN=$(khabar token create --name bot)` captures just the token
    typer.echo(token)
    err.print("Keep it now: khabar stores only its digest and cannot show it again.")


def register(app: typer.Typer) -> None:
    """Add `serve` and the `token` group to the khabar command."""
    app.command("serve")(serve_cli)
    tokens = typer.Typer(help="API tokens for khabar serve.", no_args_is_help=True, rich_markup_mode="rich")
    tokens.command("create")(token_create_cli)
    app.add_typer(tokens, name="token")
