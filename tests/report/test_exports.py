"""exports: the stored record as a khabar/v1 document that validates, uses the schema's names,
orders deterministically, and is written atomically."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta, timezone
from importlib import resources
from pathlib import Path

import pytest

from khabar.errors import ExportError
from khabar.report.exports import export_document, validate_document, write_json

STAMP = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
SHARED_SCHEMA = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "khabar-v1.schema.json"


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(resources.files("khabar").joinpath("spec", "khabar-v1.schema.json").read_text())


@pytest.fixture
def document(filled_store) -> dict:
    return export_document(filled_store, generated_at=STAMP)


def _properties(schema: dict, name: str) -> set[str]:
    return set(schema["$defs"][name]["properties"])


def test_export_document_from_hand_made_objects_validates(document):
    assert validate_document(document) == []
    assert document["schema"] == "khabar/v1" and document["generated_at"] == "2024-06-01T12:00:00+00:00"
    assert [len(document[key]) for key in ("articles", "mentions", "events", "contradictions")] == [
        2,
        3,
        2,
        1,
    ]
    assert [len(document[key]) for key in ("actors", "places")] == [3, 1]


def test_export_empty_store_validates(db):
    document = export_document(db)
    assert validate_document(document) == []
    assert all(document[key] == [] for key in ("articles", "mentions", "events", "contradictions", "actors"))
    datetime.fromisoformat(document["generated_at"])


@pytest.mark.parametrize(
    ("collection", "definition"),
    [
        ("articles", "article"),
        ("mentions", "mention"),
        ("events", "event"),
        ("contradictions", "contradiction"),
        ("actors", "actor"),
        ("places", "place"),
    ],
)
def test_export_uses_every_schema_field_name(document, schema, collection, definition):
    for item in document[collection]:
        assert _properties(schema, definition) <= set(item), item["id"]


def test_export_mention_values_follow_schema_shapes(document):
    mention = next(m for m in document["mentions"] if m["id"] == "a:m1")
    assert mention["span"] == [10, 17] and mention["event"] == "ev-shelling"
    assert mention["date"] == {
        "text": "2 May",
        "start": "2023-05-02",
        "end": "2023-05-02",
        "precision": "day",
        "basis": "explicit",
        "span": None,
    }
    assert mention["location"] == {"text": "Lakeside village", "place": "LAKESIDE", "span": [18, 34]}
    assert mention["killed"]["low"] == 4 and mention["injured"] is None
    assert mention["reporter"]["text"] == "officials"
    assert mention["acled"]["event_type"] == "Explosions/Remote violence"
    statement = next(m for m in document["mentions"] if m["id"] == "z:m1")
    assert (statement["quote"], statement["about"], statement["venue"]) == (
        "we never fired",
        "ev-shelling",
        "a statement",
    )
    undated = next(m for m in document["mentions"] if m["id"] == "z:m2")
    assert undated["date"]["precision"] == "none" and "basis" not in undated["date"]


def test_export_event_values_follow_schema_shapes(document):
    shelling = next(e for e in document["events"] if e["id"] == "ev-shelling")
    assert shelling["date"]["acled_time_precision"] == 1 and "acled_time_precision" not in shelling
    assert shelling["location"]["acled_geo_precision"] == 1 and shelling["location"]["country"] == "XY"
    assert shelling["corroboration"] == {"articles": 2, "outlets": 2}
    assert shelling["killed"] == {"low": 4, "high": None, "best": 4, "text": None, "span": None}
    assert (shelling["mentions"], shelling["contradictions"]) == (["a:m1", "z:m2"], ["c-toll"])


def test_export_contradiction_actor_article_shapes(document):
    (contradiction,) = document["contradictions"]
    assert contradiction["about"] == {
        "event": "ev-shelling",
        "actor": None,
        "text": "people killed in the shelling of Lakeside",
    }
    assert contradiction["positions"][0]["spans"] == [[49, 60]]
    mayor = next(a for a in document["actors"] if a["id"] == "MAYOR")
    assert mayor["roles"] == [
        {"title": "Mayor", "of": "LAKESIDE_COUNCIL", "from": "2020-01-01", "to": "2024-01-01"}
    ]
    first = document["articles"][0]
    assert first["published"] == "2023-05-03" and first["url"] == "https://example.org/shelling"
    assert first["credibility"]["signals"][0] == {
        "name": "named_sources",
        "effect": 0.1,
        "detail": "cites officials",
        "spans": [[62, 71]],
    }
    assert document["articles"][1]["warnings"] == [
        {"code": "casing_repaired", "message": "restored capitals", "span": [0, 3]}
    ]


def test_export_orders_articles_by_source_and_mentions_by_position(document):
    assert [a["source"] for a in document["articles"]] == ["a_first.txt", "b_second.txt"]
    assert [m["id"] for m in document["mentions"]] == ["a:m1", "z:m1", "z:m2"]
    assert [e["id"] for e in document["events"]] == ["ev-shelling", "ev-denial"]
    assert [a["id"] for a in document["actors"]] == ["CIV", "MAYOR", "REBELS"]


def test_export_is_deterministic(filled_store):
    first = export_document(filled_store, generated_at=STAMP)
    assert json.dumps(first) == json.dumps(export_document(filled_store, generated_at=STAMP))


def test_export_generated_at_keeps_zone_and_takes_naive_as_utc(db):
    plus_two = datetime(2024, 6, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert export_document(db, generated_at=plus_two)["generated_at"] == "2024-06-01T14:00:00+02:00"
    naive = export_document(db, generated_at=datetime(2024, 6, 1, 12, 0))
    assert naive["generated_at"] == "2024-06-01T12:00:00+00:00"


def test_export_unresolved_mentions_are_kept_with_empty_event(unresolved_store):
    document = export_document(unresolved_store, generated_at=STAMP)
    assert validate_document(document) == []
    assert len(document["mentions"]) == 3 and document["events"] == []
    assert {m["event"] for m in document["mentions"]} == {""}
    assert {m["about"] for m in document["mentions"]} == {None}


def test_export_unassessed_article_gets_neutral_not_assessed_credibility(document):
    unassessed = next(a for a in document["articles"] if a["id"] == "z-article")
    assert unassessed["credibility"]["score"] == 0.5 and unassessed["credibility"]["label"] == "medium"
    assert [s["name"] for s in unassessed["credibility"]["signals"]] == ["not_assessed"]


def test_export_validate_reports_where_and_what(document):
    del document["mentions"][0]["event"]
    document["events"][0]["date"]["start"] = "2 May 2023"
    document["contradictions"][0]["positions"] = document["contradictions"][0]["positions"][:1]
    document["articles"][0]["credibility"]["score"] = 1.5
    problems = validate_document(document)
    assert problems == sorted(problems) and len(problems) == 4
    assert "mentions/0: 'event' is a required property" in problems
    assert "events/0/date/start: '2 May 2023' is not a 'date'" in problems
    assert any(p.startswith("contradictions/0/positions: ") for p in problems)
    assert any(p.startswith("articles/0/credibility/score: 1.5 is greater than") for p in problems)


def test_export_validate_shortens_messages_quoting_long_values():
    problems = validate_document({"schema": "khabar/v1", "articles": "x" * 5000})
    assert problems and all(len(problem) < 400 for problem in problems)
    assert "(document): 'mentions' is a required property" in problems


def test_export_written_file_equals_document(document, tmp_path):
    out = tmp_path / "record.json"
    write_json(document, out)
    assert json.loads(out.read_text(encoding="utf-8")) == document
    assert os.listdir(tmp_path) == ["record.json"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_export_write_replaces_existing_file_and_keeps_its_mode(document, tmp_path):
    out = tmp_path / "record.json"
    out.write_text("old")
    out.chmod(0o640)
    write_json(document, out)
    assert json.loads(out.read_text(encoding="utf-8")) == document
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_export_writes_to_stdout_without_path(document, capsys):
    write_json(document, None)
    assert json.loads(capsys.readouterr().out) == document


def test_export_keeps_non_ascii_text_readable(tmp_path):
    document = {"schema": "khabar/v1", "note": "خبر — Kabul"}
    write_json(document, tmp_path / "x.json")
    assert "خبر" in (tmp_path / "x.json").read_text(encoding="utf-8")


def test_export_write_to_missing_directory_is_an_export_error(document, tmp_path):
    out = tmp_path / "no" / "such" / "dir.json"
    with pytest.raises(ExportError, match=r"dir\.json"):
        write_json(document, out)


def test_export_unencodable_document_is_an_export_error(tmp_path):
    with pytest.raises(ExportError, match="cannot be written as JSON"):
        write_json({"when": datetime.now(UTC)}, tmp_path / "x.json")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="no ../shared workspace")
def test_export_packaged_schema_is_the_shared_contract(schema):
    assert schema == json.loads(SHARED_SCHEMA.read_text(encoding="utf-8"))
