"""exports: the stored record -> one JSON document in the khabar/v1 format (`khabar export`).

Store (after resolve and assess) -> `export_document` -> a dict following
spec/khabar-v1.schema.json, the contract between the engine, the reports, the web UI and the
evaluation -> `write_json` to a file or stdout (`write_output` writes any export's text);
`validate_document` checks any document against the schema (`khabar check`).

Field names and shapes are the schema's; objects also carry extra fields the schema allows
(spans of dates, tolls and references, `sentence_span`, `venue`, `about_mention`, an article's
`duplicate_of`). The order is deterministic: articles by source, mentions by article (in that
order) then position, events by date, contradictions, actors and places by id.

Decisions the schema leaves open:
- A mention not yet resolved into an event (stored by `add_article`, before `save_resolution`)
  is still exported, with `event` "": the schema requires a string, ids are never empty, and
  dropping the mention would silently lose what was extracted.
- An article without a saved assessment gets a neutral credibility (0.5, "medium") with one
  signal, "not_assessed", saying so, rather than a made-up judgement or an invalid document.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from ..errors import ExportError
from ..models import Actor, Article, Contradiction, Credibility, DateRef, Event, Mention, Signal
from ..store.convert import to_jsonable
from ..store.repository import Store

SCHEMA_ID = "khabar/v1"
SCHEMA_FILE = "khabar-v1.schema.json"
NOT_ASSESSED = Credibility(
    score=0.5,
    label="medium",
    signals=[Signal(name="not_assessed", effect=0.0, detail="no credibility assessment has been saved")],
)
#: validation messages quote the offending value; an article's text would drown the message
MESSAGE_CHARS = 300
DEFAULT_MODE = 0o644


def export_document(store: Store, *, generated_at: datetime | None = None) -> dict[str, Any]:
    """The whole stored record as a khabar/v1 document.

    store (Store): the database to export.
    generated_at (datetime | None): the time to stamp; None for now. A naive time is taken as UTC.
    RETURNS (dict): the document, JSON-ready (see spec/khabar-v1.schema.json).
    """
    stamp = generated_at or datetime.now(UTC)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    articles = store.articles()
    credibility = store.credibilities()
    position = {article.id: index for index, article in enumerate(articles)}
    mentions = sorted(
        store.mentions(), key=lambda m: (position.get(m.article, len(position)), m.article, m.span, m.id)
    )
    return {
        "schema": SCHEMA_ID,
        "generated_at": stamp.isoformat(),
        "articles": [_article(article, credibility.get(article.id)) for article in articles],
        "mentions": [_mention(mention) for mention in mentions],
        "events": [_event(event) for event in store.events()],
        "contradictions": [_contradiction(c) for c in store.contradictions()],
        "actors": [_actor(actor) for actor in store.actors()],
        "places": [to_jsonable(place) for place in store.places()],
    }


def _article(article: Article, credibility: Credibility | None) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "title": article.title,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "genre": article.genre,
        "url": article.url,
        "duplicate_of": article.duplicate_of,
        "text": article.text,
        "warnings": to_jsonable(article.warnings),
        "credibility": to_jsonable(credibility or NOT_ASSESSED),
    }


def _date(date: DateRef) -> dict[str, Any]:
    exported = to_jsonable(date)
    # the schema's basis is a string when present; an unknown basis is left out
    if exported["basis"] is None:
        del exported["basis"]
    return exported


def _mention(mention: Mention) -> dict[str, Any]:
    exported = to_jsonable(mention)
    exported["event"] = mention.event or ""
    exported["date"] = _date(mention.date)
    return exported


def _event(event: Event) -> dict[str, Any]:
    exported = to_jsonable(event)
    exported["date"] = _date(event.date) | {"acled_time_precision": exported.pop("acled_time_precision")}
    return exported


def _contradiction(contradiction: Contradiction) -> dict[str, Any]:
    return {
        "id": contradiction.id,
        "kind": contradiction.kind,
        "about": {
            "event": contradiction.about_event,
            "actor": contradiction.about_actor,
            "text": contradiction.about_text,
        },
        "positions": to_jsonable(contradiction.positions),
        "explanation": contradiction.explanation,
        "severity": contradiction.severity,
        "internal": contradiction.internal,
    }


def _actor(actor: Actor) -> dict[str, Any]:
    roles = [
        {
            "title": role.title,
            "of": role.of,
            "from": role.start.isoformat() if role.start else None,
            "to": role.end.isoformat() if role.end else None,
        }
        for role in actor.roles
    ]
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "country": actor.country,
        "aliases": list(actor.aliases),
        "acled_inter": actor.acled_inter,
        "roles": roles,
        "parent": actor.parent,
    }


# ---- validation and writing ----------------------------------------------------------------------


@functools.cache
def _validator() -> Draft202012Validator:
    try:
        text = resources.files("khabar").joinpath("spec", SCHEMA_FILE).read_text(encoding="utf-8")
        schema = json.loads(text)
    except (OSError, ValueError) as exc:
        raise ExportError(f"cannot read the packaged schema: {exc}", source=SCHEMA_FILE) from exc
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate_document(doc: Any) -> list[str]:
    """Check a document against the khabar/v1 schema (JSON Schema 2020-12, formats checked).

    doc (Any): the parsed document.
    RETURNS (list[str]): one readable line per problem, "where: what" (e.g.
        "mentions/3/event: None is not of type 'string'"), ordered by place; empty when valid.
    """
    problems = []
    for error in _validator().iter_errors(doc):
        where = "/".join(str(part) for part in error.absolute_path) or "(document)"
        message = error.message
        if len(message) > MESSAGE_CHARS:
            message = message[:MESSAGE_CHARS] + "…"
        problems.append(f"{where}: {message}")
    return sorted(problems)


def write_json(doc: dict[str, Any], out: Path | None = None) -> None:
    """Write a document as UTF-8 JSON.

    doc (dict): the document, e.g. from `export_document`.
    out (Path | None): the file; None writes to standard output. The file is replaced
        atomically (temporary file, then rename): a reader never sees half a document.
    RAISES ExportError: the document holds values JSON cannot encode, or the file cannot be written.
    """
    try:
        content = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    except (TypeError, ValueError) as exc:
        message = f"the document cannot be written as JSON: {exc}"
        raise ExportError(message, source=str(out or "<stdout>")) from exc
    write_output(content, out)


def write_output(content: str | bytes, out: Path | None = None) -> None:
    """Write an export (text as UTF-8) to a file or standard output.

    content (str | bytes): what to write.
    out (Path | None): the file; None writes to standard output. The file is replaced
        atomically (temporary file, then rename): a reader never sees half an export.
    RAISES ExportError: the file cannot be written.
    """
    if out is None and isinstance(content, str):
        sys.stdout.write(content)
    elif out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        _replace_file(Path(out), content.encode("utf-8") if isinstance(content, str) else content)


def _replace_file(path: Path, data: bytes) -> None:
    temp_name = None
    try:
        descriptor, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        # mkstemp makes the file private (0600); an export is meant to be read, like any output
        os.fchmod(descriptor, path.stat().st_mode & 0o777 if path.exists() else DEFAULT_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except OSError as exc:
        if temp_name is not None:
            Path(temp_name).unlink(missing_ok=True)
        raise ExportError(f"cannot write the export: {exc.strerror or exc}", source=str(path)) from exc
