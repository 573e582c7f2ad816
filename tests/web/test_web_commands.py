"""The `khabar serve` and `khabar token create` commands (#6): the token printed is the one the
server accepts, and a database that cannot be opened stops `serve` with exit status 2."""

from __future__ import annotations

from khabar.cli import app
from khabar.store.repository import Store
from khabar.web.auth import digest


def test_web_token_create_prints_a_token_the_store_knows(runner, tmp_path):
    path = tmp_path / "k.db"
    result = runner.invoke(app, ["token", "create", "--name", "newsroom bot", "--db", str(path)])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    with Store.open(path) as store:
        assert store.token(digest(token)).name == "newsroom bot"


def test_web_token_create_needs_a_name(runner, tmp_path):
    result = runner.invoke(app, ["token", "create", "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 2 and "--name" in result.output


def test_web_serve_refuses_a_file_that_is_not_a_database(runner, tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("not a database\n" * 200)
    result = runner.invoke(app, ["serve", "--db", str(notes)])
    assert result.exit_code == 2
    assert "notes.db" in result.output


def test_web_serve_help_names_the_options(runner):
    result = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "120", "NO_COLOR": "1"})
    assert result.exit_code == 0
    for option in ("--host", "--port", "--auth", "--allow-fetch", "--db"):
        assert option in result.output
