"""The `khabar` command end to end: every command documents itself with an example, ingest is
idempotent and reports bad inputs with exit status 1, export writes a valid khabar/v1 document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.cli import app
from khabar.report.exports import validate_document


def test_cli_every_command_has_help_with_an_example(runner):
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert {"ingest", "export", "demo", "watch", "search", "check"} <= set(commands)
    for name in commands:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"{name} --help has no example"


@pytest.mark.slow
def test_cli_ingest_then_export_is_valid_and_idempotent(runner, samples_dir: Path, tmp_path: Path):
    db = tmp_path / "k.db"
    first = runner.invoke(app, ["ingest", str(samples_dir), "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "5 added" in first.output
    again = runner.invoke(app, ["ingest", str(samples_dir), "--db", str(db)])
    assert again.exit_code == 0
    assert "0 added, 5 already stored" in again.output
    out = tmp_path / "out.json"
    exported = runner.invoke(app, ["export", "--format", "json", "-o", str(out), "--db", str(db)])
    assert exported.exit_code == 0, exported.output
    document = json.loads(out.read_text())
    assert validate_document(document) == []
    assert len(document["articles"]) == 5
    assert document["mentions"], "the samples report events"


@pytest.mark.slow
def test_cli_ingest_names_each_bad_input_and_exits_1(runner, tmp_path: Path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    story = "Rebels attacked an army post near Goma on Tuesday, killing four soldiers.\n"
    (inputs / "good.txt").write_text(story)
    (inputs / "empty.txt").write_text("")
    (inputs / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    result = runner.invoke(app, ["ingest", str(inputs), "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "image.txt" in result.output
    assert "1 added" in result.output


def test_cli_export_rejects_unknown_format(runner, tmp_path: Path):
    result = runner.invoke(app, ["export", "--format", "xml", "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 2
    assert "unknown format" in result.output
