"""merge: mentions -> groups of mentions that report one real-world event.

Part of resolve (after extract, before assess). `components` splits the corpus into groups that no
mention outside them can touch (blocking: type family, date window, a statement and what it is
about); `resolve_incremental` re-resolves only the groups new mentions fall into. `cluster` merges
each group by average-linkage agglomerative clustering over `pair_score`, whose cannot-links
(incompatible type, date, place, actors or modality) hold for every pair of a cluster, so a chain of
near neighbours never joins two incompatible mentions; each merge also needs one pair that is
enough evidence on its own (a supported pair), so `cluster` clusters each part of the graph of
supported pairs alone, finding those pairs through indexes (candidates.py) rather than trying every
pair of a group: an undated corpus makes groups of thousands of mentions. fuse.py then turns each
cluster into an Event.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import NamedTuple

from khabar.models import VERBAL_TYPES, Mention
from khabar.resolve.candidates import candidate_pairs
from khabar.resolve.context import Context, Relation, date_relation, days_apart


def type_relation(a: str, b: str, *, ctx: Context) -> Relation | None:
    """ "same" for one type, "agree" for two types of one family (ASSAULT and FIGHT), else None."""
    if a == b:
        return "same"
    family = ctx.lex.family
    return "agree" if a in family and family.get(a) == family.get(b) else None


def actor_relations(a: Mention, b: Mention, *, ctx: Context) -> tuple[Relation, Relation]:
    """How the two mentions' actors relate, and how their recipients do. Symmetric types compare
    all parties at once; a strike compared with clashes needs a named striker among the parties."""
    on = ctx.day_of(a) or ctx.day_of(b)
    first, second = ctx.facts(a), ctx.facts(b)
    symmetric = ctx.lex.symmetric
    if a.type in symmetric or b.type in symmetric:
        one_sided = [facts for m, facts in ((a, first), (b, second)) if m.type not in symmetric]
        if any(not facts.actors for facts in one_sided):
            return "unknown", "unknown"
        return ctx.sides(first.parties, second.parties, on), "unknown"
    actors = ctx.sides(first.actors, second.actors, on)
    return actors, ctx.sides(first.recipients, second.recipients, on)


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
    position = {m.id: i for i, m in enumerate(ordered)}
    # a statement and what it is about, whatever their types
    edges = [(i, position[m.about_mention]) for i, m in enumerate(ordered) if m.about_mention in position]
    buckets: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(ordered):
        buckets[block_key(m, ctx=ctx)].append(i)
    for bucket in buckets.values():
        for group in _linked_groups([ordered[i] for i in bucket], ctx=ctx):
            edges += [(bucket[group[0]], bucket[k]) for k in group[1:]]
    return [[ordered[i] for i in part] for part in _connected(len(ordered), edges)]


def _linked_groups(bucket: Sequence[Mention], *, ctx: Context) -> list[list[int]]:
    """The connected groups of one bucket (sorted by id) under `linked`, as lists of positions.

    Each mention is tested against the groups of the mentions before it, one member at a time
    until one links, and never against the rest of a group it joins: where one group holds most
    of a bucket (a corpus of undated mentions), a mention costs a test or two, not one per mention.
    """
    groups: list[list[int]] = []
    for j, b in enumerate(bucket):
        linking: list[list[int]] = []
        apart: list[list[int]] = []
        for group in groups:
            (linking if any(linked(bucket[i], b, ctx=ctx) for i in group) else apart).append(group)
        # the others join the biggest, so no mention is copied once per mention after it
        joined = max(linking, key=len, default=[])
        for group in linking:
            if group is not joined:
                joined += group
        joined.append(j)
        groups = [*apart, joined]
    return groups


# ---- clustering ----------------------------------------------------------------------------------


def cluster(mentions: Sequence[Mention], *, ctx: Context) -> list[list[Mention]]:
    """Average-linkage agglomerative clustering with cannot-links: two clusters merge only when
    no pair across them is a cannot-link, at least one pair across them is supported on its own,
    and their average pair score reaches the threshold.

    Each merge needs a supported pair, so clusters never straddle two parts of the graph of
    supported pairs, and a merge in one part changes nothing another part can merge: each part is
    clustered alone, with the same result as clustering the whole component at once.

    mentions (Sequence[Mention]): the mentions of one component.
    ctx (Context): the resolve context.
    RETURNS (list[list[Mention]]): the clusters, each sorted by id, ordered by their first id.
    """
    clusters = [group for part in supported_parts(mentions, ctx=ctx) for group in _agglomerate(part, ctx=ctx)]
    return sorted(clusters, key=lambda g: g[0].id)


def supported_parts(mentions: Sequence[Mention], *, ctx: Context) -> list[list[Mention]]:
    """The connected parts of the graph of supported pairs, each sorted by id. Only candidate
    pairs (see candidates.py) of one kind can be supported, so only they are scored."""
    ordered = sorted(mentions, key=lambda m: m.id)
    edges = [edge for kind in _kinds(ordered, ctx=ctx) for edge in _supported_pairs(ordered, kind, ctx=ctx)]
    return [[ordered[i] for i in part] for part in _connected(len(ordered), edges)]


def _kinds(ordered: Sequence[Mention], *, ctx: Context) -> list[list[int]]:
    """Positions grouped by type family and by modality (reported or hypothetical): a pair from
    two groups is a cannot-link."""
    kinds: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for i, mention in enumerate(ordered):
        kinds[block_key(mention, ctx=ctx), irrealis(mention, ctx=ctx)].append(i)
    return list(kinds.values())


def _supported_pairs(ordered: Sequence[Mention], kind: list[int], *, ctx: Context) -> list[tuple[int, int]]:
    """The supported pairs among the mentions at the positions `kind` (ascending)."""
    chosen = [ordered[x] for x in kind]
    return [
        (kind[i], kind[j])
        for i, j in candidate_pairs(chosen, ctx=ctx)
        if (pair := _linked_score(chosen[i], chosen[j], ctx=ctx)) is not None and pair.supported
    ]


def _linked_score(a: Mention, b: Mention, *, ctx: Context) -> Pair | None:
    """The pair's score, or None when blocking or a cannot-link keeps it apart."""
    return pair_score(a, b, ctx=ctx) if linked(a, b, ctx=ctx) else None


def _connected(count: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The connected parts of a graph on nodes 0..count-1, each sorted, ordered by first node."""
    parent = list(range(count))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    parts: dict[int, list[int]] = {}
    for x in range(count):
        parts.setdefault(find(x), []).append(x)
    return list(parts.values())


def _agglomerate(mentions: Sequence[Mention], *, ctx: Context) -> list[list[Mention]]:
    """`cluster` over every pair of the mentions (one part of the supported graph)."""
    ordered = sorted(mentions, key=lambda m: m.id)
    threshold = float(ctx.lex.merge["threshold"])
    members: dict[int, list[int]] = {i: [i] for i in range(len(ordered))}
    # (sum of scores, pairs, supported pairs) between two live clusters; absent: a cannot-link
    links: dict[tuple[int, int], Link] = {}
    for i, j in combinations(range(len(ordered)), 2):
        pair = _linked_score(ordered[i], ordered[j], ctx=ctx)
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
