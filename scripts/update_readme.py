"""Regenerate the README's CLI reference from the commands' own --help (run after changing cli.py).

    .venv/bin/python scripts/update_readme.py

tests/test_docs.py fails when the README is out of step with the code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
MARKER = "<!-- cli-reference -->"


def cli_reference() -> str:
    os.environ.update({"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    from typer.testing import CliRunner

    from khabar.cli import app

    runner = CliRunner()
    parts = []
    names = [command.name or command.callback.__name__ for command in app.registered_commands]
    # command groups (`khabar token create`): each of their commands gets its own section
    names += [
        f"{group.name} {command.name}"
        for group in app.registered_groups
        for command in group.typer_instance.registered_commands
    ]
    for name in names:
        result = runner.invoke(
            app, [*name.split(), "--help"], env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
        )
        parts.append(f"### khabar {name}\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def updated(text: str) -> str:
    head, _, _ = text.partition(MARKER)
    return f"{head}{MARKER}\n\n{cli_reference()}"


if __name__ == "__main__":
    new = updated(README.read_text(encoding="utf-8"))
    if "--check" in sys.argv:
        sys.exit(0 if new == README.read_text(encoding="utf-8") else 1)
    README.write_text(new, encoding="utf-8")
