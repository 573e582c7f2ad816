"""resolve: every article's mentions -> Resolution (events merged across sources, contradictions).

Fifth stage: after `extract` (one article at a time), before `assess`, over the whole corpus.
merge.py splits the mentions into components nothing outside can touch and clusters each into
events; fuse.py builds each event with provenance (most precise date and place, UCDP-style toll
ranges, corroboration, status, title); contradictions.py finds where the sources disagree, and
roles.py where titles contradict the knowledge base. lexicon.py reads the rules' words and weights.

Deterministic: the same mentions in any order give the same output; event ids are hashes of their
mention ids and contradiction ids of their content. `resolve_incremental` re-resolves only the
components new mentions fall into and gives what `resolve` would on the whole corpus.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from khabar.errors import InputError
from khabar.models import PLOVER_TYPES, Article, Contradiction, Mention, Resolution, RoleClaim
from khabar.resolve.context import Context, KnowledgeBase, PlaceIndex, build_context
from khabar.resolve.contradictions import find_contradictions
from khabar.resolve.fuse import fuse, status
from khabar.resolve.merge import block_key, cluster, components, linked
from khabar.resolve.roles import role_contradictions, wrong_role_claims
from khabar.resolve.sides import Resolved

__all__ = ["resolve", "resolve_incremental"]


def resolve(
    mentions: Sequence[Mention],
    *,
    articles: Sequence[Article],
    kb: KnowledgeBase | None = None,
    gazetteer: PlaceIndex | None = None,
    role_claims: Sequence[RoleClaim] = (),
) -> Resolution:
    """Merge mentions that report one event and find where the sources disagree.

    mentions (Sequence[Mention]): every mention of the corpus (their `event` and `about` are ignored).
    articles (Sequence[Article]): every article (dates, outlets, near-duplicates).
    kb (KnowledgeBase | None): the knowledge base; None loads the shipped one.
    gazetteer (PlaceIndex | None): the gazetteer; None compares places by id and name only.
    role_claims (Sequence[RoleClaim]): the titles the articles give people, checked against kb.
    RETURNS (Resolution): events and contradictions sorted by id, and copies of the mentions with
        `event` (and a statement's `about`) set.
    """
    fresh = _validated(mentions)
    ctx = build_context(fresh, articles=articles, kb=kb, gazetteer=gazetteer)
    return _resolve_groups(components(fresh, ctx=ctx), kept=Resolution(), role_claims=role_claims, ctx=ctx)


def resolve_incremental(
    previous: Resolution,
    new_mentions: Sequence[Mention],
    *,
    articles: Sequence[Article],
    kb: KnowledgeBase | None = None,
    gazetteer: PlaceIndex | None = None,
    role_claims: Sequence[RoleClaim] = (),
) -> Resolution:
    """Add mentions to an earlier resolution, re-resolving only the events they can touch (same
    type family, date window, places and actors that do not rule it out, or a statement and what
    it is about; see `merge.linked`). The result equals `resolve` on all the mentions.

    previous (Resolution): what `resolve` (or this function) returned before.
    new_mentions (Sequence[Mention]): the mentions to add; one with an id already resolved replaces it.
    articles (Sequence[Article]): every article, old and new.
    kb (KnowledgeBase | None): the knowledge base; None loads the shipped one.
    gazetteer (PlaceIndex | None): the gazetteer.
    role_claims (Sequence[RoleClaim]): every role claim of the corpus, old and new.
    RETURNS (Resolution): the resolution of all the mentions.
    """
    new = _validated(new_mentions)
    everything = {m.id: m for m in previous.mentions} | {m.id: m for m in new}
    pool = _validated(list(everything.values()))
    by_id = {m.id: m for m in pool}
    ctx = build_context(pool, articles=articles, kb=kb, gazetteer=gazetteer)
    replaced = {m.id for m in new}
    seeds = replaced | {i for e in previous.events if replaced & set(e.mentions) for i in e.mentions}
    touched = _reach(seeds, pool, ctx=ctx)
    kept = Resolution(
        events=[e for e in previous.events if not touched & set(e.mentions)],
        contradictions=[
            c
            for c in previous.contradictions
            if c.kind != "role" and not any(touched & set(p.mentions) for p in c.positions)
        ],
        mentions=[m for m in previous.mentions if m.id not in touched],
    )
    groups = components([by_id[i] for i in sorted(touched)], ctx=ctx)
    return _resolve_groups(groups, kept=kept, role_claims=role_claims, ctx=ctx)


def _reach(seeds: set[str], pool: Sequence[Mention], *, ctx: Context) -> set[str]:
    """Every mention connected to the seeds by `linked` or by a statement's link to what it is
    about: the components they belong to. A reached mention is tested only against the mentions
    of its block not reached yet, so a big component costs about one pass over its block, not
    one per member; and earlier id first, as `components` tests them."""
    by_id = {m.id: m for m in pool}
    about: dict[str, set[str]] = defaultdict(set)
    for m in pool:
        if m.about_mention in by_id:
            about[m.id].add(m.about_mention)
            about[m.about_mention].add(m.id)
    reached = set(seeds) & by_id.keys()
    unreached: dict[str, list[Mention]] = defaultdict(list)
    for m in sorted(pool, key=lambda m: m.id):
        if m.id not in reached:
            unreached[block_key(m, ctx=ctx)].append(m)
    frontier = sorted(reached)
    while frontier:
        current = by_id[frontier.pop()]
        key = block_key(current, ctx=ctx)
        unreached[key] = [m for m in unreached[key] if m.id not in reached]
        near = {m.id for m in unreached[key] if _linked_in_order(current, m, ctx=ctx)}
        found = sorted((near | about[current.id]) - reached)
        reached.update(found)
        frontier += found
    return reached


def _linked_in_order(a: Mention, b: Mention, *, ctx: Context) -> bool:
    """`linked` asked as `components` asks it, earlier id first (the first mention's day is the
    day the actors' roles are read on)."""
    return linked(a, b, ctx=ctx) if a.id < b.id else linked(b, a, ctx=ctx)


def _resolve_groups(
    groups: Sequence[Sequence[Mention]], *, kept: Resolution, role_claims: Sequence[RoleClaim], ctx: Context
) -> Resolution:
    result = Resolution(
        events=list(kept.events), contradictions=list(kept.contradictions), mentions=list(kept.mentions)
    )
    for group in groups:
        part = _resolve_component(group, ctx=ctx)
        result.events += part.events
        result.contradictions += part.contradictions
        result.mentions += part.mentions
    result.contradictions += role_contradictions(role_claims, ctx=ctx)
    result.knowledge_conflicts = dict(Counter(c.article for c in wrong_role_claims(role_claims, ctx=ctx)))
    result.events.sort(key=lambda e: e.id)
    result.contradictions.sort(key=lambda c: c.id)
    result.mentions.sort(key=lambda m: m.id)
    return result


def _resolve_component(group: Sequence[Mention], *, ctx: Context) -> Resolution:
    """Cluster one component, fuse its events, find its contradictions, then set the statuses."""
    clusters = cluster(group, ctx=ctx)
    resolved = [Resolved(event=fuse(members, ctx=ctx), members=list(members)) for members in clusters]
    event_of = {m.id: item.event.id for item in resolved for m in item.members}
    by_event = {item.event.id: item for item in resolved}
    for mention in group:
        target = event_of.get(mention.about_mention or "")
        if target is not None and target != event_of[mention.id]:
            by_event[target].statements.append(mention)
    found = find_contradictions(resolved, pool=group, ctx=ctx)
    for item in resolved:
        mine = [c for c in found if c.about_event == item.event.id or _names_event(c, item)]
        item.event.contradictions = sorted(c.id for c in mine)
        about = [c for c in found if c.about_event == item.event.id]
        item.event.status = status(
            item.event, item.members, statements=item.statements, contradictions=about, ctx=ctx
        )
    mentions = [replace(m, event=event_of[m.id], about=event_of.get(m.about_mention or "")) for m in group]
    return Resolution(events=[item.event for item in resolved], contradictions=found, mentions=mentions)


def _names_event(contradiction: Contradiction, item: Resolved) -> bool:
    ids = {m.id for m in item.members}
    return any(ids & set(p.mentions) for p in contradiction.positions)


def _validated(mentions: Sequence[Mention]) -> list[Mention]:
    """Copies of the mentions with resolve's own fields cleared; bad mentions raise InputError."""
    seen: set[str] = set()
    out = []
    for mention in mentions:
        if mention.id in seen:
            raise InputError(f"mention id {mention.id!r} occurs twice", source=mention.article)
        if mention.type not in PLOVER_TYPES:
            raise InputError(
                f"mention {mention.id!r} has unknown event type {mention.type!r}", source=mention.article
            )
        seen.add(mention.id)
        out.append(replace(mention, event=None, about=None))
    return out
