"""merge: mentions -> groups of mentions that report one real-world event.

Part of resolve (after extract, before assess). `components` splits the corpus into groups that no
mention outside them can touch (blocking: type family, date window, a statement and what it is
about); `resolve_incremental` re-resolves only the groups new mentions fall into. `cluster` merges
each group by average-linkage agglomerative clustering over `pair_score`, whose cannot-links
(incompatible type, date, place, actors or modality) hold for every pair of a cluster, so a chain of
near neighbours never joins two incompatible mentions; each merge also needs one pair that is
enough evidence on its own. fuse.py then turns each cluster into an Event.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations
from typing import NamedTuple

from khabar.models import VERBAL_TYPES, Mention
from khabar.resolve.context import Context, Relation, date_relation, days_apart


def type_relation(a: str, b: str, *, ctx: Context) -> Relation | None:
    """ "same" for one type, "agree" for two types of one family (ASSAULT and FIGHT), else None."""
    if a == b:
        return "same"
    family = ctx.lex.family
    return "agree" if a in family and family.get(a) == family.get(b) else None


def actor_ids(mention: Mention, *, recipients: bool = False) -> list[str]:
    """The resolved actor ids of a mention's actors (or recipients), sorted, without repeats."""
    refs = mention.recipients if recipients else mention.actors
    return sorted({ref.actor for ref in refs if ref.actor})


def parties(mention: Mention) -> list[str]:
    """Both sides of a mention, for events where who is "actor" is arbitrary (clashes, talks)."""
    return sorted(set(actor_ids(mention)) | set(actor_ids(mention, recipients=True)))


def actor_relations(a: Mention, b: Mention, *, ctx: Context) -> tuple[Relation, Relation]:
    """How the two mentions' actors relate, and how their recipients do. Symmetric types compare
    all parties at once; a strike compared with clashes needs a named striker among the parties."""
    on = ctx.day_of(a) or ctx.day_of(b)
    symmetric = ctx.lex.symmetric
    if a.type in symmetric or b.type in symmetric:
        one_sided = [m for m in (a, b) if m.type not in symmetric]
        if any(not actor_ids(m) for m in one_sided):
            return "unknown", "unknown"
        return ctx.sides(parties(a), parties(b), on), "unknown"
    actors = ctx.sides(actor_ids(a), actor_ids(b), on)
    return actors, ctx.sides(actor_ids(a, recipients=True), actor_ids(b, recipients=True), on)


def irrealis(mention: Mention, *, ctx: Context) -> bool:
    return mention.modality in ctx.lex.irrealis


class Pair(NamedTuple):
    """How two mentions relate: a score in [0, 1], and whether the pair alone is enough evidence
    that they are one event (an undated pair from two articles needs more than a shared type)."""

    score: float
    supported: bool


def pair_score(a: Mention, b: Mention, *, ctx: Context) -> Pair | None:
    """How likely two mentions report one event; None when they cannot (a cannot-link).

    a (Mention): one mention.
    b (Mention): another.
    ctx (Context): lexicon, knowledge, gazetteer and corpus.
    RETURNS (Pair | None): the score and whether the pair is supported, or None for a hard constraint.
    """
    evidence = _evidence(a, b, ctx=ctx)
    if evidence is None:
        return None
    anaphor = a.article == b.article and (ctx.anaphoric(a) or ctx.anaphoric(b))
    weights = ctx.lex.weights
    score = sum(
        weights[name] * value for name, value in _features(a, b, evidence, anaphor=anaphor, ctx=ctx).items()
    )
    supported = _supported(a, b, evidence, anaphor=anaphor, ctx=ctx)
    return Pair(round(min(1.0, max(0.0, score)), 6), supported)


def _features(a: Mention, b: Mention, evidence: Evidence, *, anaphor: bool, ctx: Context) -> dict[str, float]:
    """What two mentions share, one value per weight of the lexicon's merge.weights."""
    kind, dates, places, actors, recipients, overlap = evidence
    nearby = a.article == b.article and abs(a.span[0] - b.span[0]) <= int(ctx.lex.merge["nearby_chars"])
    flags = {
        "same_type": kind == "same",
        "family_type": kind == "agree",
        "date_same": dates == "same",
        "date_nested": dates == "nested",
        "date_overlap": dates == "overlap",
        "date_slack": dates == "slack",
        "place_same": places == "same",
        "place_nested": places == "nested",
        "actors_agree": actors == "agree",
        "recipients_agree": recipients == "agree",
        "mode_same": bool(a.mode) and a.mode == b.mode,
        "trigger_same": ctx.same_trigger(a, b),
        "anaphor": anaphor,
        "nearby": nearby,
    }
    return {
        **{k: float(v) for k, v in flags.items()},
        "content": overlap,
        "actor_dispute": -float(actors == "conflict"),
    }


Evidence = tuple[Relation, Relation, Relation, Relation, Relation, float]


def _evidence(a: Mention, b: Mention, *, ctx: Context) -> Evidence | None:
    """The relations between two mentions, or None when a hard constraint keeps them apart."""
    kind = type_relation(a.type, b.type, ctx=ctx)
    if a.id == b.id or kind is None or irrealis(a, ctx=ctx) != irrealis(b, ctx=ctx):
        return None
    if a.article == b.article and _announces_new(a, b, ctx=ctx):
        return None
    actors, recipients = actor_relations(a, b, ctx=ctx)
    if recipients == "conflict" or (kind == "agree" and actors != "agree"):
        return None
    dates = date_relation(a.date, b.date, slack_days=int(ctx.lex.merge["date_slack_days"]))
    places = ctx.places(a.location, b.location)
    if dates == "conflict" or (places == "conflict" and not _tolerates_places(a, b, dates, ctx=ctx)):
        return None
    if actors == "conflict" and not _disputed_attribution(a, b, dates, places, ctx=ctx):
        return None
    if not _targets_compatible(a, b, ctx=ctx):
        return None
    return kind, dates, places, actors, recipients, ctx.content_overlap(a, b)


def _supported(a: Mention, b: Mention, evidence: Evidence, *, anaphor: bool, ctx: Context) -> bool:
    """Enough evidence on its own. A statement needs the same speaker (or, in one article, an
    anaphor). An undated pair needs the same actors and, across articles, a shared precise place,
    shared wording or the same event talked about; or, with no actor named on one side, an
    anaphor in one article or closely shared wording. Unsupported pairs may still end in one event
    through a supported pair of their clusters."""
    _, dates, places, actors, _, overlap = evidence
    if a.type in VERBAL_TYPES and actors != "agree" and not anaphor:
        return False
    if dates != "unknown" or anaphor:
        return True
    close = overlap >= float(ctx.lex.merge["content_overlap_alone"])
    if actors != "agree":
        return close
    if a.article == b.article:
        return True
    same_place = places == "same" and ctx.specific(a.location) and ctx.specific(b.location)
    similar = overlap >= float(ctx.lex.merge["content_overlap_min"])
    return same_place or similar or _targets_similar(a, b, ctx=ctx)


def _announces_new(a: Mention, b: Mention, *, ctx: Context) -> bool:
    """The later of two mentions of one article says it is a further event ("also", "another")."""
    later = max(a, b, key=lambda m: (m.span[0], m.id))
    return ctx.distinct(later) and not ctx.anaphoric(later)


def _tolerates_places(a: Mention, b: Mention, dates: Relation, *, ctx: Context) -> bool:
    """Talks reported in two cities can be one event (a location contradiction) when one article
    says so, or two date them to the same day or week in similar words; two attacks cannot."""
    tolerant = ctx.lex.tolerant
    if a.type not in tolerant or b.type not in tolerant:
        return False
    if a.article == b.article:
        return True
    precise = {a.date.precision, b.date.precision} <= {"day", "week"}
    similar = ctx.content_overlap(a, b) >= float(ctx.lex.merge["content_overlap_min"])
    return precise and similar and dates in ("same", "nested", "overlap", "slack")


def _disputed_attribution(a: Mention, b: Mention, dates: Relation, places: Relation, *, ctx: Context) -> bool:
    """Two reports of one strike, on the same day at the same precise place, that name different
    perpetrators: one event whose responsibility is disputed, not two events."""
    same_day = dates == "same" and a.date.precision == "day"
    same_place = places == "same" and ctx.specific(a.location) and ctx.specific(b.location)
    other_voice = a.article != b.article or _reporter(a) != _reporter(b)
    return a.type == b.type and a.type not in VERBAL_TYPES and same_day and same_place and other_voice


def _reporter(mention: Mention) -> str | None:
    return (mention.reporter.actor or mention.reporter.text) if mention.reporter else None


def _targets(a: Mention, b: Mention, *, ctx: Context) -> tuple[Mention, Mention] | None:
    ta = ctx.mentions.get(a.about_mention or "")
    tb = ctx.mentions.get(b.about_mention or "")
    return (ta, tb) if ta is not None and tb is not None else None


def _targets_compatible(a: Mention, b: Mention, *, ctx: Context) -> bool:
    """Two statements are one only if what they are about could be one event."""
    targets = _targets(a, b, ctx=ctx)
    if targets is None or targets[0].id == targets[1].id:
        return True
    return _hard_relations(*targets, ctx=ctx) is not None


def _targets_similar(a: Mention, b: Mention, *, ctx: Context) -> bool:
    """Two statements are about what looks like the same event: same family and a shared mode,
    actor or place."""
    targets = _targets(a, b, ctx=ctx)
    if targets is None:
        return False
    ta, tb = targets
    if ta.id == tb.id:
        return True
    found = _hard_relations(ta, tb, ctx=ctx)
    if found is None:
        return False
    actors, places = found
    return (bool(ta.mode) and ta.mode == tb.mode) or actors == "agree" or places in ("same", "nested")


def _hard_relations(a: Mention, b: Mention, *, ctx: Context) -> tuple[Relation, Relation] | None:
    """Actor and place relations of two mentions that do not conflict in type, date, place or actors."""
    if type_relation(a.type, b.type, ctx=ctx) is None:
        return None
    actors, recipients = actor_relations(a, b, ctx=ctx)
    dates = date_relation(a.date, b.date, slack_days=int(ctx.lex.merge["date_slack_days"]))
    places = ctx.places(a.location, b.location)
    if "conflict" in (actors, recipients, dates) or places == "conflict":
        return None
    return actors, places


# ---- blocking ------------------------------------------------------------------------------------


def linked(a: Mention, b: Mention, *, ctx: Context) -> bool:
    """Could the two mentions end in one event, or in one contradiction? (The blocking test: a
    relaxation of `pair_score`'s cannot-links, also wide enough in time for date contradictions.)"""
    if a.about_mention == b.id or b.about_mention == a.id:
        return True
    if type_relation(a.type, b.type, ctx=ctx) is None or irrealis(a, ctx=ctx) != irrealis(b, ctx=ctx):
        return False
    window = int(ctx.lex.raw["contradictions"]["date_window_days"])
    if a.date.start is not None and b.date.start is not None and days_apart(a.date, b.date) > window:
        return False
    places = ctx.places(a.location, b.location)
    if places == "conflict" and not (a.type in ctx.lex.tolerant and b.type in ctx.lex.tolerant):
        return False
    # different perpetrators stay linked only where a disputed attribution is possible
    return actor_relations(a, b, ctx=ctx)[0] != "conflict" or (places == "same" and a.type == b.type)


def block_key(mention: Mention, *, ctx: Context) -> str:
    """Mentions with different keys are never linked, except a statement and what it is about."""
    return ctx.lex.family.get(mention.type, mention.type)


def components(mentions: Sequence[Mention], *, ctx: Context) -> list[list[Mention]]:
    """Split mentions into connected groups under `linked`; each group resolves on its own.

    mentions (Sequence[Mention]): the mentions.
    ctx (Context): the resolve context.
    RETURNS (list[list[Mention]]): the groups, each sorted by id, ordered by their first id.
    """
    ordered = sorted(mentions, key=lambda m: m.id)
    parent = {m.id: m.id for m in ordered}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    buckets: dict[str, list[Mention]] = {}
    for m in ordered:
        buckets.setdefault(block_key(m, ctx=ctx), []).append(m)
        if m.about_mention in parent:
            union(m.id, m.about_mention)
    for bucket in buckets.values():
        for a, b in combinations(bucket, 2):
            if find(a.id) != find(b.id) and linked(a, b, ctx=ctx):
                union(a.id, b.id)
    groups: dict[str, list[Mention]] = {}
    for m in ordered:
        groups.setdefault(find(m.id), []).append(m)
    return sorted(groups.values(), key=lambda g: g[0].id)


# ---- clustering ----------------------------------------------------------------------------------


def cluster(mentions: Sequence[Mention], *, ctx: Context) -> list[list[Mention]]:
    """Average-linkage agglomerative clustering with cannot-links: two clusters merge only when
    no pair across them is a cannot-link, at least one pair across them is supported on its own,
    and their average pair score reaches the threshold.

    mentions (Sequence[Mention]): the mentions of one component.
    ctx (Context): the resolve context.
    RETURNS (list[list[Mention]]): the clusters, each sorted by id, ordered by their first id.
    """
    ordered = sorted(mentions, key=lambda m: m.id)
    threshold = float(ctx.lex.merge["threshold"])
    members: dict[int, list[int]] = {i: [i] for i in range(len(ordered))}
    # (sum of scores, pairs, supported pairs) between two live clusters; absent: a cannot-link
    links: dict[tuple[int, int], Link] = {}
    for i, j in combinations(range(len(ordered)), 2):
        pair = (
            pair_score(ordered[i], ordered[j], ctx=ctx) if linked(ordered[i], ordered[j], ctx=ctx) else None
        )
        if pair is not None:
            links[i, j] = (pair.score, 1, int(pair.supported))
    # the live clusters each live cluster has a link with, so a merge touches only its neighbours
    touching: dict[int, set[int]] = defaultdict(set)
    for i, j in links:
        touching[i].add(j)
        touching[j].add(i)
    heap = [(-link[0], i, j) for (i, j), link in links.items() if _mergeable(link, threshold)]
    heapq.heapify(heap)
    next_id = len(ordered)
    while heap:
        _, i, j = heapq.heappop(heap)
        if i not in members or j not in members or (i, j) not in links:
            continue
        new = next_id
        next_id += 1
        members[new] = sorted(members.pop(i) + members.pop(j))
        # a cluster linked to only one of the two cannot link to their union (`_merge_link`)
        for k in sorted(touching[i] & touching[j]):
            merged = _merge_link(links, i, j, k, sizes=(len(members[new]), len(members[k])))
            if merged is not None:
                links[k, new] = merged
                touching[k].add(new)
                touching[new].add(k)
                if _mergeable(merged, threshold):
                    heapq.heappush(heap, (-merged[0] / merged[1], k, new))
        for gone in (i, j):
            for k in touching.pop(gone):
                touching[k].discard(gone)
                links.pop((min(gone, k), max(gone, k)), None)
    return sorted(([ordered[x] for x in group] for group in members.values()), key=lambda g: g[0].id)


Link = tuple[float, int, int]


def _mergeable(link: Link, threshold: float) -> bool:
    total, count, supported = link
    return supported > 0 and total / count >= threshold


def _merge_link(
    links: dict[tuple[int, int], Link], i: int, j: int, k: int, *, sizes: tuple[int, int]
) -> Link | None:
    """The link between cluster k and the union of i and j: complete only if both links are."""
    first = links.get((min(i, k), max(i, k)))
    second = links.get((min(j, k), max(j, k)))
    if first is None or second is None:
        return None
    count = first[1] + second[1]
    return (first[0] + second[0], count, first[2] + second[2]) if count == sizes[0] * sizes[1] else None
