"""Model <-> row conversion: khabar's dataclasses to plain JSON values and table rows, and back.

models.py objects -> `to_jsonable` (dates as ISO strings, spans as [start, end]) -> the `data`
columns of store/schema.py and the JSON export (report/exports.py); `from_jsonable` rebuilds the
dataclass from that JSON, guided by the dataclass's type hints, so every field round-trips.
The `*_row` functions add the plain columns people query on.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from ..errors import StoreError
from ..models import (
    Actor,
    Article,
    ArticleWarning,
    Contradiction,
    Credibility,
    Event,
    Mention,
    Place,
    RoleClaim,
    Signal,
    Toll,
)

T = TypeVar("T")


def to_jsonable(obj: Any) -> Any:
    """Turn a khabar object into JSON values.

    obj (Any): a dataclass from khabar.models, or a list, tuple, dict, date or scalar holding them.
    RETURNS (Any): dicts, lists, strings, numbers, booleans and None; dates become ISO strings
        and tuples (spans) lists.
    """
    if isinstance(obj, _SCALARS):  # most values: answered first, as this runs for every one
        return obj
    if isinstance(obj, list | tuple):
        return [to_jsonable(value) for value in obj]
    if isinstance(obj, dict):
        return {str(key): to_jsonable(value) for key, value in obj.items()}
    if isinstance(obj, date):
        return obj.isoformat()
    if is_dataclass(obj) and not isinstance(obj, type):
        return {name: to_jsonable(getattr(obj, name)) for name in _field_names(type(obj))}
    return obj


_SCALARS = (str, int, float, bool, type(None))


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def from_jsonable(cls: type[T], data: Mapping[str, Any]) -> T:
    """Rebuild a dataclass from what `to_jsonable` made of it.

    cls (type): the dataclass, e.g. khabar.models.Mention.
    data (Mapping): its JSON; keys the dataclass lacks are ignored (data written by a newer
        khabar), missing ones take the dataclass's defaults.
    RETURNS (T): the object, with dates as `datetime.date` and spans as tuples.
    RAISES StoreError: the data cannot make a `cls` (a required field missing, a bad date).
    """
    plain, converted = _converters(cls)
    try:
        values = {name: data[name] for name in plain if name in data}
        values.update((name, convert(data[name])) for name, convert in converted if name in data)
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"cannot rebuild a {cls.__name__} from stored data: {exc}") from exc


@functools.cache
def _converters(cls: type) -> tuple[tuple[str, ...], tuple[tuple[str, Callable[[Any], Any]], ...]]:
    """The fields of a dataclass whose JSON is the value itself, and (name, converter) for the
    others; worked out once per class: reading the type hints anew for every value made
    rebuilding a page of events take milliseconds (#6)."""
    init_fields = {f.name for f in fields(cls) if f.init}
    hints = {name: hint for name, hint in get_type_hints(cls).items() if name in init_fields}
    plain = tuple(name for name, hint in hints.items() if _converter(hint) is _same)
    converted = tuple((name, _converter(hint)) for name, hint in hints.items() if name not in plain)
    return plain, converted


def _same(value: Any) -> Any:
    return value


def _unless_none(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


@functools.cache
def _converter(hint: Any) -> Callable[[Any], Any]:
    """The function that turns the JSON of a value of type `hint` back into it (None stays None)."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        # models only use `X | None`; with several real types there is nothing to convert to
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        return _converter(options[0]) if len(options) == 1 else _same
    if origin is list:
        item = _converter(get_args(hint)[0])
        if item is _same:
            return _unless_none(list)
        return _unless_none(lambda value: [item(v) for v in value])
    if origin is tuple:
        items = tuple(_converter(arg) for arg in get_args(hint))
        return _unless_none(lambda value: tuple(c(v) for c, v in zip(items, value, strict=True)))
    if origin is Literal or hint is Any:
        return _same
    if hint is date:
        return _unless_none(date.fromisoformat)
    if hint is float:
        return _unless_none(float)
    if is_dataclass(hint):
        # through from_jsonable, so an error names the innermost class that could not be rebuilt
        return _unless_none(lambda value: from_jsonable(hint, value))  # type: ignore[arg-type]
    return _same


# ---- rows ----------------------------------------------------------------------------------------


def article_row(article: Article) -> dict[str, Any]:
    """The `articles` row for an article that has not been assessed yet.

    article (Article): the cleaned article.
    RETURNS (dict): column -> value, `ingested_at` set to now (UTC).
    """
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "language": article.language,
        "genre": article.genre,
        "text": article.text,
        "raw": article.raw,
        "warnings": to_jsonable(article.warnings),
        "duplicate_of": article.duplicate_of,
        # naive UTC: SQLite keeps no time zone, and one convention serves every database
        "ingested_at": datetime.now(UTC).replace(tzinfo=None),
    }


def article_from_row(row: Any) -> Article:
    """The Article stored in an `articles` row.

    row (Row): a row with the `articles` columns.
    RETURNS (Article): the article, warnings and dates rebuilt.
    """
    return Article(
        id=row.id,
        source=row.source,
        text=row.text,
        raw=row.raw,
        title=row.title,
        url=row.url,
        published=row.published,
        outlet=row.outlet,
        author=row.author,
        language=row.language,
        genre=row.genre,
        warnings=[from_jsonable(ArticleWarning, item) for item in row.warnings or []],
        duplicate_of=row.duplicate_of,
    )


def credibility_values(credibility: Credibility) -> dict[str, Any]:
    """The `articles` credibility columns for an assessment."""
    return {
        "credibility_score": credibility.score,
        "credibility_label": credibility.label,
        "credibility": to_jsonable(credibility.signals),
    }


def credibility_from_row(row: Any) -> Credibility | None:
    """The Credibility in an `articles` row, None when the article has not been assessed."""
    if row.credibility_score is None:
        return None
    signals = [from_jsonable(Signal, item) for item in row.credibility or []]
    return Credibility(score=row.credibility_score, label=row.credibility_label, signals=signals)


def _toll(toll: Toll | None, name: str, *, best: bool = False) -> dict[str, int | None]:
    values = {f"{name}_low": toll.low if toll else None, f"{name}_high": toll.high if toll else None}
    if best:
        values[f"{name}_best"] = toll.best if toll else None
    return values


def mention_row(mention: Mention) -> dict[str, Any]:
    """The `mentions` row for a mention; `data` is the whole mention.

    mention (Mention): one report of one event.
    RETURNS (dict): column -> value.
    """
    return {
        "id": mention.id,
        "article_id": mention.article,
        "event_id": mention.event,
        "type": mention.type,
        "mode": mention.mode,
        "trigger": mention.trigger,
        "sentence": mention.sentence,
        "span_start": mention.span[0],
        "span_end": mention.span[1],
        "date_start": mention.date.start,
        "date_end": mention.date.end,
        "date_precision": mention.date.precision,
        "location_text": mention.location.text if mention.location else None,
        "place_id": mention.location.place if mention.location else None,
        **_toll(mention.killed, "killed"),
        **_toll(mention.injured, "injured"),
        "reporter": mention.reporter.text if mention.reporter else None,
        "modality": mention.modality,
        "quote": mention.quote,
        "about_event_id": mention.about,
        "confidence": mention.confidence,
        "data": to_jsonable(mention),
    }


def mention_from_row(row: Any) -> Mention:
    """The Mention in a `mentions` row. The event columns win over `data`: they are what
    save_resolution last set."""
    mention = from_jsonable(Mention, row.data)
    mention.event = row.event_id
    mention.about = row.about_event_id
    return mention


def event_row(event: Event) -> dict[str, Any]:
    """The `events` row for an event; `data` is the whole event."""
    location = event.location
    return {
        "id": event.id,
        "type": event.type,
        "mode": event.mode,
        "title": event.title,
        "date_start": event.date.start,
        "date_end": event.date.end,
        "date_precision": event.date.precision,
        "place_id": location.place if location else None,
        "location_name": location.name if location else None,
        "country": location.country if location else None,
        "lat": location.lat if location else None,
        "lon": location.lon if location else None,
        **_toll(event.killed, "killed", best=True),
        **_toll(event.injured, "injured", best=True),
        "status": event.status,
        "n_articles": event.corroboration.articles,
        "n_outlets": event.corroboration.outlets,
        "data": to_jsonable(event),
    }


def event_actor_rows(event: Event) -> list[dict[str, Any]]:
    """The `event_actors` rows for an event: its actors, then its recipients, in order."""
    return [
        {"event_id": event.id, "role": role, "position": position, "actor_id": actor_id}
        for role, actor_ids in (("actor", event.actors), ("recipient", event.recipients))
        for position, actor_id in enumerate(actor_ids)
    ]


def contradiction_row(contradiction: Contradiction) -> dict[str, Any]:
    """The `contradictions` row for a contradiction; `data` is the whole contradiction."""
    return {
        "id": contradiction.id,
        "kind": contradiction.kind,
        "event_id": contradiction.about_event,
        "actor_id": contradiction.about_actor,
        "severity": contradiction.severity,
        "internal": contradiction.internal,
        "explanation": contradiction.explanation,
        "data": to_jsonable(contradiction),
    }


def actor_row(actor: Actor) -> dict[str, Any]:
    """The `actors` row for an actor; `data` is the whole actor (aliases, roles, parent)."""
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "country": actor.country,
        "acled_inter": actor.acled_inter,
        "data": to_jsonable(actor),
    }


def place_row(place: Place) -> dict[str, Any]:
    """The `places` row for a place; `data` is the whole place (aliases included)."""
    return {
        "id": place.id,
        "name": place.name,
        "feature": place.feature,
        "country": place.country,
        "admin1": place.admin1,
        "lat": place.lat,
        "lon": place.lon,
        "data": to_jsonable(place),
    }


def role_claim_row(claim: RoleClaim) -> dict[str, Any]:
    """The `role_claims` row for a title an article gives a person."""
    return {
        "article_id": claim.article,
        "actor_id": claim.actor,
        "title": claim.title,
        "former": claim.former,
        "span_start": claim.span[0],
        "span_end": claim.span[1],
        "text": claim.text,
    }


def role_claim_from_row(row: Any) -> RoleClaim:
    """The RoleClaim in a `role_claims` row."""
    return RoleClaim(
        article=row.article_id,
        actor=row.actor_id,
        title=row.title,
        former=bool(row.former),
        span=(row.span_start, row.span_end),
        text=row.text,
    )
