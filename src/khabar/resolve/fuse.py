"""fuse: one cluster of mentions -> one Event, every field taken from what the sources support.

Part of resolve, after merge.py has grouped the mentions. The date and place are the most precise
the sources give; killed and injured are UCDP-style low / best / high ranges over every claim (each
claim stays on its mention); corroboration counts articles and outlets, near-duplicates once. The
status needs the contradictions (contradictions.py), so `status` runs after them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from statistics import median_low

from khabar.models import (
    Acled,
    Contradiction,
    Corroboration,
    DateRef,
    Event,
    EventLocation,
    EventStatus,
    Mention,
    Place,
    PlaceRef,
    Toll,
)
from khabar.resolve import describe
from khabar.resolve.context import Context, actor_ids

_PRECISION = ("day", "week", "month", "year")


def stable_id(prefix: str, parts: Iterable[str]) -> str:
    """An id derived from content, so the same input always gives the same id."""
    digest = hashlib.sha1("\x1f".join(sorted(parts)).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:16]}"


def fuse(members: Sequence[Mention], *, ctx: Context) -> Event:
    """Merge one cluster's mentions into an event (status "reported" until `status` runs).

    members (Sequence[Mention]): the mentions of one event.
    ctx (Context): the resolve context.
    RETURNS (Event): the event, its id a hash of its mention ids.
    """
    members = sorted(members, key=lambda m: m.id)
    when = fused_date(members)
    location = fused_location(members, ctx=ctx)
    kind = fused_type(members, ctx=ctx)
    # who did what to whom comes from the mentions of the event's own type when they name anyone
    # (a strike merged into clashes would otherwise make both parties strikers)
    sides = [m for m in members if m.type == kind and (m.actors or m.recipients)] or members
    event = Event(
        id=stable_id("ev", (m.id for m in members)),
        type=kind,
        title="",
        date=when,
        status="reported",
        mentions=[m.id for m in members],
        articles=sorted({m.article for m in members}),
        corroboration=corroboration(members, ctx=ctx),
        mode=_most_common([m.mode for m in members if m.mode]),
        acled=_acled(members),
        acled_time_precision=ctx.lex.raw["acled_time_precision"].get(when.precision),
        location=location,
        actors=sorted({a for m in sides for a in actor_ids(m)}),
        recipients=sorted({a for m in sides for a in actor_ids(m, recipients=True)}),
        killed=fused_toll([(m.article, m.killed) for m in members if m.killed], ctx=ctx),
        injured=fused_toll([(m.article, m.injured) for m in members if m.injured], ctx=ctx),
    )
    event.title = describe.title(event, members, ctx=ctx)
    return event


def fused_type(members: Sequence[Mention], *, ctx: Context) -> str:
    """The type most mentions give; on a tie a symmetric one (clashes over one strike in them)."""
    counts = Counter(m.type for m in members)
    return min(counts, key=lambda t: (-counts[t], t not in ctx.lex.symmetric, t))


def fused_date(members: Sequence[Mention]) -> DateRef:
    """The most precise date the mentions give; among equally precise ones the most often given,
    then the earliest. Unknown when none gives a date."""
    known = [m.date for m in members if m.date.start is not None and m.date.precision in _PRECISION]
    if not known:
        return DateRef.unknown()
    finest = min(_PRECISION.index(d.precision) for d in known)
    candidates = [d for d in known if _PRECISION.index(d.precision) == finest]
    counts = Counter((d.start, d.end) for d in candidates)
    best = min(candidates, key=lambda d: (-counts[d.start, d.end], d.start, d.end or d.start, d.text or ""))
    return replace(best, span=None)


def leaf_places(refs: Sequence[PlaceRef], *, ctx: Context) -> list[str]:
    """Resolved place ids no other given place lies inside: the most precise places given."""
    ids = sorted({r.place for r in refs if r.place})
    return [p for p in ids if not any(ctx.within(q, p) for q in ids)]


def _rank(feature: str, order: list[str]) -> int:
    return order.index(feature) if feature in order else len(order)


def _ref(place_id: str) -> PlaceRef:
    return PlaceRef(text=place_id, place=place_id)


def fused_location(members: Sequence[Mention], *, ctx: Context) -> EventLocation | None:
    """The most precise place the mentions give; when they name places neither inside the other,
    the place among them that holds them all, else their shared country."""
    refs = [m.location for m in members if m.location is not None]
    leaves = leaf_places(refs, ctx=ctx)
    if len(leaves) == 1 or (leaves and ctx.gazetteer is None):
        # without a gazetteer no two places are known to conflict: take the most often given
        counts = Counter(r.place for r in refs if r.place)
        chosen = min(leaves, key=lambda p: (-counts[p], p))
        return _location(chosen, refs, ctx=ctx)
    if leaves:
        return _container(leaves, refs, ctx=ctx)
    texts = Counter(r.text for r in refs if r.text)
    if not texts:
        return None
    name = min(texts, key=lambda t: (-texts[t], -len(t), t))
    return EventLocation(name=name)


def _location(place_id: str, refs: Sequence[PlaceRef], *, ctx: Context) -> EventLocation:
    place = ctx.place(_ref(place_id))
    if place is None:
        name = next((r.text for r in refs if r.place == place_id), place_id)
        return EventLocation(name=name, place=place_id)
    return _from_place(place, ctx=ctx)


def _from_place(place: Place, *, ctx: Context) -> EventLocation:
    return EventLocation(
        name=place.name,
        place=place.id,
        admin1=place.admin1,
        country=place.country,
        lat=place.lat,
        lon=place.lon,
        acled_geo_precision=ctx.gazetteer.acled_geo_precision(place) if ctx.gazetteer else None,
    )


def _container(leaves: Sequence[str], refs: Sequence[PlaceRef], *, ctx: Context) -> EventLocation:
    """Places neither inside the other: the most precise given place holding them all, else
    their names together with their shared country."""
    order = ctx.lex.raw["place_precision"]
    given = {r.place for r in refs if r.place}
    holders = [ctx.place(_ref(p)) for p in sorted(given) if all(ctx.within(leaf, p) for leaf in leaves)]
    found = [p for p in holders if p is not None]
    if found:
        return _from_place(min(found, key=lambda p: (_rank(p.feature, order), p.id)), ctx=ctx)
    named = [p for p in (ctx.place(_ref(leaf)) for leaf in leaves) if p is not None]
    countries = {p.country for p in named}
    return EventLocation(
        name=" or ".join(sorted(p.name for p in named)),
        country=countries.pop() if len(countries) == 1 else None,
        # ACLED's code for "a larger region" (places far apart, no one place holding them)
        acled_geo_precision=3,
    )


def toll_range(toll: Toll, *, margin: float) -> tuple[float, float]:
    """The numbers a claim allows: "at least 3" is 3 to infinity, "about 30" 30 +- the margin."""
    if toll.low is None and toll.high is None and toll.best is not None:
        return toll.best * (1 - margin), toll.best * (1 + margin)
    low = toll.low if toll.low is not None else 0
    return float(low), float(toll.high) if toll.high is not None else float("inf")


def fused_toll(claims: Sequence[tuple[str, Toll]], *, ctx: Context) -> Toll | None:
    """UCDP-style range over every claim (one per article, near-duplicates once): low the least
    low, high the greatest high (None when any claim is open-ended), best the median estimate.

    claims (Sequence[tuple[str, Toll]]): (article id, toll) for each claim.
    ctx (Context): the resolve context.
    RETURNS (Toll | None): the range, or None without claims.
    """
    unique = {(ctx.root(article), t.low, t.high, t.best): t for article, t in claims}
    tolls = [unique[k] for k in sorted(unique, key=str)]
    if not tolls:
        return None
    if len(tolls) == 1:
        return replace(tolls[0], span=None)
    lows = [t.low for t in tolls if t.low is not None]
    estimates = [e for e in (_estimate(t) for t in tolls) if e is not None]
    high = None if any(t.high is None for t in tolls) else max(t.high for t in tolls if t.high is not None)
    return Toll(
        low=min(lows) if lows else None,
        high=high,
        best=median_low(estimates) if estimates else None,
    )


def _estimate(toll: Toll) -> int | None:
    return next((v for v in (toll.best, toll.low, toll.high) if v is not None), None)


def corroboration(members: Sequence[Mention], *, ctx: Context) -> Corroboration:
    """How many articles and distinct outlets report the event, near-duplicates counted once."""
    roots = {ctx.root(m.article) for m in members}
    return Corroboration(articles=len(roots), outlets=len({ctx.outlet(a) for a in roots}))


def status(
    event: Event,
    members: Sequence[Mention],
    *,
    statements: Sequence[Mention],
    contradictions: Sequence[Contradiction],
    ctx: Context,
) -> EventStatus:
    """How established the event is.

    confirmed: the responsible side asserts it and another source reports it, or two independent
    outlets do; claimed: only interested sides (perpetrator, victim) assert it; disputed: sources
    disagree on whether it happened or who did it; denied: denied, with no independent support.

    event (Event): the fused event.
    members (Sequence[Mention]): its mentions.
    statements (Sequence[Mention]): statements about it (from other events).
    contradictions (Sequence[Contradiction]): the contradictions about it.
    ctx (Context): the resolve context.
    RETURNS (EventStatus): the status.
    """
    lex = ctx.lex.raw
    on = event.date.start
    parties = event.actors + event.recipients
    support = [m for m in members if m.modality in lex["support_modalities"]]
    interested = [m for m in support if _speaker_in(_reporter_ids(m), parties, ctx=ctx, on=on)]
    independent = {ctx.outlet(m.article) for m in support if m not in interested}
    confirming = [
        s for s in statements if s.type in lex["confirm_types"] and s.modality in lex["support_modalities"]
    ]
    by_perpetrator = any(_speaker_in(actor_ids(s), event.actors, ctx=ctx, on=on) for s in confirming) or any(
        _speaker_in(_reporter_ids(m), event.actors, ctx=ctx, on=on) for m in interested
    )
    confirmed = len(independent) >= 2 or (by_perpetrator and len(independent) >= 1)
    denials = [m for m in (*members, *statements) if ctx.denies(m)]
    if denials and not confirmed and not independent:
        return "denied"
    if any(c.kind in ("occurrence", "responsibility") for c in contradictions):
        return "disputed"
    if confirmed:
        return "confirmed"
    return "claimed" if (interested or by_perpetrator) and not independent else "reported"


def _reporter_ids(mention: Mention) -> list[str]:
    return [mention.reporter.actor] if mention.reporter and mention.reporter.actor else []


def _speaker_in(speakers: Sequence[str], parties: Sequence[str], *, ctx: Context, on: date | None) -> bool:
    return any(ctx.compatible(s, p, on) for s in speakers for p in parties)


def _most_common(values: Sequence[str]) -> str | None:
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def _acled(members: Sequence[Mention]) -> Acled | None:
    found = [(m.acled.event_type, m.acled.sub_event_type) for m in members if m.acled]
    counts = Counter(found)
    if not counts:
        return None
    event_type, sub_event_type = min(counts, key=lambda v: (-counts[v], v))
    return Acled(event_type=event_type, sub_event_type=sub_event_type)
