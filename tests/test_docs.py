"""The README keeps pace with the code: the two newcomer commands, and a reference section for
every CLI command with its summary line (regenerate with scripts/update_readme.py)."""

from __future__ import annotations

from pathlib import Path

from khabar.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_docs_readme_gives_the_two_newcomer_commands():
    assert "make demo" in README and "make test" in README


def test_docs_readme_documents_every_command():
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"### khabar {name}" in README, f"README has no reference for `khabar {name}`"
        summary = command.callback.__doc__.strip().splitlines()[0]
        assert summary in README, f"README's `khabar {name}` section is stale"


def test_docs_readme_documents_every_command_of_every_group():
    for group in app.registered_groups:
        for command in group.typer_instance.registered_commands:
            assert f"### khabar {group.name} {command.name}" in README, (
                f"README lacks `khabar {group.name} {command.name}`"
            )
            assert command.callback.__doc__.strip().splitlines()[0] in README


def test_docs_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
