"""contradictions: merged events -> where their sources disagree, each side with its sources.

Part of resolve, after merge.py and fuse.py; assess.py then counts an article's internal ones
against it. Within one event: tolls whose ranges do not overlap (fatalities, injuries), places
neither inside the other (location), venues of different kinds (venue), who did it (responsibility),
whether it happened (occurrence). Across events: the same fighting dated to two different times
(date). Who did it and whether it happened are disputes.py's; titles the knowledge base contradicts
(role), across the corpus, are roles.py's. Differences of precision ("September" and "15
September", "at least 3" and "6") are not contradictions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations

from khabar.models import VERBAL_TYPES, Contradiction, Event, Mention, PlaceRef, Toll
from khabar.resolve import describe
from khabar.resolve.context import Context, actor_ids, date_relation, days_apart
from khabar.resolve.disputes import occurrence, responsibility
from khabar.resolve.fuse import leaf_places, toll_range
from khabar.resolve.merge import type_relation
from khabar.resolve.sides import Resolved, make, voice


def find_contradictions(
    resolved: Sequence[Resolved], *, pool: Sequence[Mention], ctx: Context
) -> list[Contradiction]:
    """Every contradiction within and between the events of one component.

    resolved (Sequence[Resolved]): the component's events.
    pool (Sequence[Mention]): all the component's mentions.
    ctx (Context): the resolve context.
    RETURNS (list[Contradiction]): the contradictions, sorted by id.
    """
    found: list[Contradiction] = []
    for item in resolved:
        found += tolls(item, field="killed", ctx=ctx)
        found += tolls(item, field="injured", ctx=ctx)
        found += locations(item, ctx=ctx)
        found += venues(item, ctx=ctx)
        found += responsibility(item, ctx=ctx)
        found += occurrence(item, ctx=ctx)
    found += dates(resolved, pool=pool, ctx=ctx)
    return sorted(found, key=lambda c: c.id)


# ---- tolls ---------------------------------------------------------------------------------------


def tolls(item: Resolved, *, field: str, ctx: Context) -> list[Contradiction]:
    """Toll claims whose ranges do not overlap ("6" vs "9"; not "at least 3" vs "6"), from other
    articles or other named sources. A later article's higher toll is an update, not a contradiction,
    unless it is set against the earlier figure ("three times the figure given by the army")."""
    claims = [(m, getattr(m, field)) for m in item.members if getattr(m, field) is not None]
    margin = float(ctx.lex.raw["contradictions"]["estimate_margin"])
    clashing: set[str] = set()
    for (a, ta), (b, tb) in combinations(claims, 2):
        if _tolls_clash(a, ta, b, tb, margin=margin, ctx=ctx):
            clashing |= {a.id, b.id}
    groups: dict[str, list[Mention]] = defaultdict(list)
    lowest: dict[str, float] = {}
    for mention, toll in claims:
        if mention.id in clashing:
            label = describe.toll_text(toll)
            groups[label].append(mention)
            lowest[label] = toll_range(toll, margin=margin)[0]
    if len(groups) < 2:
        return []
    ordered = sorted(groups.items(), key=lambda kv: (lowest[kv[0]], kv[0]))
    kind = "fatalities" if field == "killed" else "injuries"
    ranges = [toll_range(t, margin=margin) for m, t in claims if m.id in clashing]
    severity = _toll_severity(ranges, ctx=ctx) if kind == "fatalities" else None
    return [make(kind, ordered, item=item, ctx=ctx, severity=severity)]


def _tolls_clash(a: Mention, ta: Toll, b: Mention, tb: Toll, *, margin: float, ctx: Context) -> bool:
    (a_low, a_high), (b_low, b_high) = toll_range(ta, margin=margin), toll_range(tb, margin=margin)
    if a_low <= b_high and b_low <= a_high:
        return False
    if ctx.root(a.article) == ctx.root(b.article) and voice(a, ctx=ctx) == voice(b, ctx=ctx):
        # one voice giving two figures is more often a part and a total than a contradiction
        return False
    # (tolls of different victims never meet here: conflicting recipients are two events)
    return not _update(a, a_low, b, b_low, ctx=ctx)


def _update(a: Mention, a_low: float, b: Mention, b_low: float, *, ctx: Context) -> bool:
    """The higher toll comes from a later article: the count rose. Unless the later claim sets its
    figure against another ("three times the figure given by the army"): then it disputes it."""
    first, second = ctx.articles.get(a.article), ctx.articles.get(b.article)
    if not first or not second or not first.published or not second.published:
        return False
    if first.published == second.published:
        return False
    later_is_a = first.published > second.published
    later = a if later_is_a else b
    return (a_low > b_low) == later_is_a and not ctx.lex.toll_dispute.search(later.sentence)


def _toll_severity(ranges: Sequence[tuple[float, float]], *, ctx: Context) -> str:
    settings = ctx.lex.raw["contradictions"]
    smallest_high = min(high for _, high in ranges)
    largest_low = max(low for low, _ in ranges)
    gap = (largest_low - smallest_high) / largest_low if largest_low else 0.0
    if gap >= float(settings["toll_high"]):
        return "high"
    return "low" if gap < float(settings["toll_low"]) else "medium"


# ---- places and venues ---------------------------------------------------------------------------


def locations(item: Resolved, *, ctx: Context) -> list[Contradiction]:
    """Mentions of one event placing it in places neither inside the other (Ankara and Istanbul)."""
    placed = [m for m in item.members if m.location is not None and m.location.place]
    leaves = leaf_places([m.location for m in placed if m.location], ctx=ctx)
    clashing = [p for p in leaves if any(ctx.places(_at(p), _at(q)) == "conflict" for q in leaves if q != p)]
    if len(clashing) < 2:
        return []
    groups = []
    for place_id in clashing:
        place = ctx.place(_at(place_id))
        members = [m for m in placed if m.location and m.location.place == place_id]
        groups.append((place.name if place else place_id, members))
    return [make("location", groups, item=item, ctx=ctx)]


def _at(place_id: str) -> PlaceRef:
    return PlaceRef(text=place_id, place=place_id)


def venue_kind(text: str, *, ctx: Context) -> str | None:
    """The kind of venue a text names ("a press conference" -> "press conference"); the longest
    cue wins, so "press conference" is not taken for "conference"."""
    best: tuple[int, str] | None = None
    for kind, pattern in ctx.lex.venues.items():
        for found in pattern.finditer(text):
            length = found.end() - found.start()
            if best is None or length > best[0]:
                best = (length, kind)
    return best[1] if best else None


def venues(item: Resolved, *, ctx: Context) -> list[Contradiction]:
    """Reports of one statement made at venues of different kinds (a press conference vs talks)."""
    groups: dict[str, list[Mention]] = defaultdict(list)
    for mention in item.members:
        kind = venue_kind(mention.venue, ctx=ctx) if mention.venue else None
        if kind:
            groups[kind].append(mention)
    if len(groups) < 2:
        return []
    ordered = sorted(
        ((sorted(ms, key=lambda m: m.id)[0].venue or k, ms) for k, ms in groups.items()), key=str
    )
    return [make("venue", ordered, item=item, ctx=ctx)]


# ---- dates ---------------------------------------------------------------------------------------


def dates(resolved: Sequence[Resolved], *, pool: Sequence[Mention], ctx: Context) -> list[Contradiction]:
    """The same fighting between the same two sides, dated by different articles to times that do
    not overlap but lie within the lexicon's window ("in September" vs "on 11 October"), when
    neither article reports fighting between them at the other's time: one of them has the date
    wrong. The vaguer date is the one in question."""
    window = int(ctx.lex.raw["contradictions"]["date_window_days"])
    candidates = [r for r in resolved if _dated_fighting(r, ctx=ctx)]
    found: dict[tuple[str, str], Contradiction] = {}
    for vague in candidates:
        if vague.event.date.precision not in ("week", "month"):
            continue
        rivals = [
            other
            for other in candidates
            if other is not vague and _rival(vague, other, window=window, pool=pool, ctx=ctx)
        ]
        if not rivals:
            continue
        other = min(
            rivals,
            key=lambda r: (days_apart(vague.event.date, r.event.date), -len(r.event.articles), r.event.id),
        )
        key = tuple(sorted((vague.event.id, other.event.id)))
        if key not in found:
            groups = [(describe.date_text(r.event.date) or "", r.members) for r in (vague, other)]
            found[key] = make("date", groups, item=vague, ctx=ctx)
    return list(found.values())


def _dated_fighting(item: Resolved, *, ctx: Context) -> bool:
    event = item.event
    real = all(m.modality not in ctx.lex.irrealis for m in item.members)
    return (
        real
        and event.type not in VERBAL_TYPES
        and event.date.start is not None
        and len(_sides_of(event, ctx=ctx)) >= 2
    )


def _sides_of(event: Event, *, ctx: Context) -> list[str]:
    """The event's parties, one per side (parties that are compatible count once)."""
    sides: list[str] = []
    for party in sorted({*event.actors, *event.recipients}):
        if not any(ctx.compatible(party, s, event.date.start) for s in sides):
            sides.append(party)
    return sides


def _rival(vague: Resolved, other: Resolved, *, window: int, pool: Sequence[Mention], ctx: Context) -> bool:
    a, b = vague.event, other.event
    if type_relation(a.type, b.type, ctx=ctx) is None:
        return False
    relation = date_relation(a.date, b.date, slack_days=int(ctx.lex.merge["date_slack_days"]))
    if relation != "conflict" or days_apart(a.date, b.date) > window:
        return False
    if {ctx.root(x) for x in a.articles} & {ctx.root(x) for x in b.articles}:
        return False
    if ctx.sides(_sides_of(a, ctx=ctx), _sides_of(b, ctx=ctx), a.date.start) != "agree":
        return False
    return not _reports_fighting_at(a, b, pool=pool, ctx=ctx) and not _reports_fighting_at(
        b, a, pool=pool, ctx=ctx
    )


def _reports_fighting_at(source: Event, target: Event, *, pool: Sequence[Mention], ctx: Context) -> bool:
    """An article of `source` also reports fighting between the same sides at `target`'s time."""
    roots = {ctx.root(x) for x in source.articles}
    sides = _sides_of(target, ctx=ctx)
    slack = int(ctx.lex.merge["date_slack_days"])
    return any(
        ctx.root(m.article) in roots
        and m.date.start is not None
        and m.modality not in ctx.lex.irrealis
        and type_relation(m.type, target.type, ctx=ctx) is not None
        and date_relation(m.date, target.date, slack_days=slack) != "conflict"
        and ctx.sides(sorted({*actor_ids(m), *actor_ids(m, recipients=True)}), sides, target.date.start)
        == "agree"
        for m in pool
    )
