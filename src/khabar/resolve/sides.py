"""The sides of a contradiction: positions with their sources, who speaks, and one explained
Contradiction built from them. Shared by contradictions.py and disputes.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from khabar.models import VERBAL_TYPES, Contradiction, Event, Mention, Position
from khabar.resolve import describe
from khabar.resolve.context import Context, actor_ids, norm
from khabar.resolve.fuse import stable_id

Side = tuple[str, Sequence[Mention]]


@dataclass
class Resolved:
    """One event with its mentions and the statements (in other events) about it."""

    event: Event
    members: list[Mention]
    statements: list[Mention] = field(default_factory=list)


def position(value: str, mentions: Sequence[Mention]) -> Position:
    """One side: the value, and the articles, mentions and spans that give it."""
    ordered = sorted(mentions, key=lambda m: m.id)
    return Position(
        value=value,
        articles=sorted({m.article for m in ordered}),
        mentions=[m.id for m in ordered],
        spans=sorted({m.span for m in ordered}),
    )


def voice(mention: Mention, *, ctx: Context) -> str:
    """Whose claim a mention is: its reporter's, a statement's speaker's, else the article's own."""
    if mention.reporter:
        return norm(mention.reporter.actor or mention.reporter.text)
    statement = mention.type in VERBAL_TYPES and mention.type not in ctx.lex.symmetric
    return ",".join(actor_ids(mention)) if statement else ""


def internal(groups: Sequence[Sequence[Mention]]) -> bool:
    """Every side comes from one article: the article holds both claims (in its own voice, or
    relaying sources it sets side by side; `self_contradicting` tells which)."""
    return len({m.article for group in groups for m in group}) == 1


def self_contradicting(groups: Sequence[Sequence[Mention]], *, kind: str, ctx: Context) -> bool:
    """One article says both things in one voice, or (for a circumstance it narrates, such as
    where or when) in its own voice on one side: it contradicts itself, rather than reporting a
    dispute between its sources."""
    if not internal(groups):
        return False
    voices = {voice(m, ctx=ctx) for group in groups for m in group}
    narrated = kind in ctx.lex.raw["contradictions"].get("narrated_kinds", [])
    return len(voices) == 1 or (narrated and "" in voices)


def sides_text(groups: Sequence[Side], *, ctx: Context) -> str:
    """ "6 (Dawn) vs 9 (Geo News)"."""
    return " vs ".join(f"{value} ({describe.sources(ms, ctx=ctx)})" for value, ms in groups)


def make(
    kind: str,
    groups: Sequence[Side],
    *,
    item: Resolved,
    ctx: Context,
    severity: str | None = None,
    explanation: str | None = None,
) -> Contradiction:
    """A contradiction about one event, explained with the lexicon's sentence for its kind."""
    # naming the event by the date or place in dispute would take a side
    phrase = describe.phrase(
        item.event, item.members, ctx=ctx, dated=kind != "date", placed=kind != "location"
    )
    members = [ms for _, ms in groups]
    is_internal = internal(members)
    templates = ctx.lex.raw["explanations"]
    if explanation is None:
        own = self_contradicting(members, kind=kind, ctx=ctx)
        template = templates.get(f"{kind}_internal") if own else None
        first = groups[0][1][0].article
        explanation = (template or templates[kind]).format(
            event=phrase,
            sides=sides_text(groups, ctx=ctx),
            article=ctx.source_name(first),
            a=groups[0][0],
            b=" and in ".join(value for value, _ in groups[1:]),
        )
    positions = [position(value, ms) for value, ms in groups]
    return Contradiction(
        id=stable_id("cx", [kind, item.event.id, *(f"{p.value}={','.join(p.mentions)}" for p in positions)]),
        kind=kind,
        about_text=phrase,
        positions=positions,
        explanation=explanation,
        internal=is_internal,
        severity=severity or ctx.lex.raw["contradictions"]["severity"][kind],
        about_event=item.event.id,
    )


def speakers(mention: Mention) -> list[str]:
    """Who makes a claim: a statement's actors and the reporter it is attributed to."""
    ids = actor_ids(mention)
    if mention.reporter and mention.reporter.actor:
        ids = sorted({*ids, mention.reporter.actor})
    return ids


def speaker_name(mentions: Sequence[Mention], *, ctx: Context) -> str:
    """The speakers of some mentions as readable names ("Afghanistan and Pakistan")."""
    ids = sorted({i for m in mentions for i in speakers(m)})
    names = describe.names_of(ids, mentions, ctx=ctx)
    return describe.join_names(names) if names else "a source"
