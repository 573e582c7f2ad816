"""An analyst extends khabar to a new conflict by editing a copy of the knowledge folder and
pointing KHABAR_KNOWLEDGE at it: no Python, and the whole pipeline uses it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from khabar.cli import app
from khabar.errors import KnowledgeError
from khabar.knowledge import DEFAULT_PATH, load_knowledge

pytestmark = pytest.mark.slow

NEW_GROUP = """
  - id: valley-liberation-front
    name: Valley Liberation Front
    kind: rebel
    country: CO
    acled_inter: 2
    aliases: [VLF, Frente de Liberacion del Valle]
"""

STORY = (
    "VLF rebels attacked an army base near Cali on 3 March 2025, killing four soldiers, "
    "the Colombian defence ministry said."
)


@pytest.fixture
def own_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_PATH, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with (folder / "actors.yaml").open("a", encoding="utf-8") as actors:
        actors.write(NEW_GROUP)
    return folder


def test_knowledge_folder_named_by_the_environment_is_the_one_used(own_folder: Path, monkeypatch):
    assert load_knowledge().actor("valley-liberation-front") is None
    monkeypatch.setenv("KHABAR_KNOWLEDGE", str(own_folder))
    kb = load_knowledge()
    assert kb.actor("valley-liberation-front").name == "Valley Liberation Front"
    assert kb.actor("ttp") is not None, "the copy keeps everything shipped"


def test_ingest_finds_an_actor_added_to_the_analysts_folder(own_folder: Path, tmp_path: Path, runner):
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    db, out = str(tmp_path / "k.db"), tmp_path / "out.json"
    env = {"KHABAR_KNOWLEDGE": str(own_folder)}
    assert runner.invoke(app, ["ingest", str(tmp_path / "story.txt"), "--db", db], env=env).exit_code == 0
    assert runner.invoke(app, ["export", "--db", db, "-o", str(out)], env=env).exit_code == 0
    mentions = json.loads(out.read_text(encoding="utf-8"))["mentions"]
    attack = next(m for m in mentions if m["type"] == "ASSAULT")
    assert [a["actor"] for a in attack["actors"]] == ["valley-liberation-front"]


def test_a_missing_knowledge_folder_is_named(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("KHABAR_KNOWLEDGE", str(tmp_path / "nowhere"))
    with pytest.raises(KnowledgeError, match="KHABAR_KNOWLEDGE"):
        load_knowledge()
