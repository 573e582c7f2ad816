"""disputes: who did it, and did it happen -> responsibility and occurrence contradictions.

Part of contradictions.py's work on one event: sources naming different perpetrators; sources
blaming different sides for starting a clash; a side that confirms an act and also denies it or
does not claim it; a side denying what reports say it did; a side denying that something reported
happened at all. Statements count through their `about`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from khabar.models import VERBAL_TYPES, Contradiction, Event, Mention
from khabar.resolve import describe
from khabar.resolve.context import Context, actor_ids
from khabar.resolve.sides import Resolved, Side, make, sides_text, speaker_name, speakers


def _about_responsibility(mention: Mention, event: Event, *, ctx: Context) -> bool:
    """A statement about who did it: a responsibility or initiation cue near its trigger ("denied
    firing first" is about who started it, not whether it happened), or its speaker is the side
    said to have done it."""
    _, window = ctx.near_trigger(mention)
    on = event.date.start
    perpetrator = any(ctx.compatible(s, a, on) for s in speakers(mention) for a in event.actors)
    cued = ctx.lex.responsibility.search(window) or ctx.lex.initiation.search(window)
    return bool(cued) or perpetrator


def _refusals(item: Resolved, *, ctx: Context, explicit_only: bool = False) -> list[Mention]:
    """Denials of the event (statements about it, or its own mentions), and unless `explicit_only`
    negations too ("did not claim responsibility")."""
    negations = () if explicit_only else ctx.lex.raw["negation_modalities"]
    return [m for m in (*item.statements, *item.members) if ctx.denies(m) or m.modality in negations]


def responsibility(item: Resolved, *, ctx: Context) -> list[Contradiction]:
    """Sources name different perpetrators, or blame different sides for starting a clash; or a
    side confirms it did it and also denies or does not claim it; or a side denies what other
    reports say it did."""
    found = _perpetrators(item, ctx=ctx) + _who_started(item, ctx=ctx)
    refusals = [r for r in _refusals(item, ctx=ctx) if _about_responsibility(r, item.event, ctx=ctx)]
    for ids, group in _by_side(refusals, on=item.event.date.start, ctx=ctx):
        sides = _refusal_sides(item, ids, group, ctx=ctx) if ids else None
        if sides:
            found.append(make("responsibility", sides, item=item, ctx=ctx))
    return found


def _by_side(
    refusals: Sequence[Mention], *, on: date | None, ctx: Context
) -> list[tuple[tuple[str, ...], list[Mention]]]:
    """Refusals grouped by the side that makes them: "Pakistan did not claim it" and "no Pakistani
    official acknowledged it" are one side's refusal, not two disputes."""
    groups: list[tuple[list[str], list[Mention]]] = []
    for refusal in sorted(refusals, key=lambda m: m.id):
        ids = speakers(refusal)
        same = next((g for g in groups if any(ctx.compatible(a, b, on) for a in ids for b in g[0])), None)
        if same is None:
            groups.append((list(ids), [refusal]))
        else:
            same[0].extend(i for i in ids if i not in same[0])
            same[1].append(refusal)
    return [(tuple(ids), group) for ids, group in groups]


def _refusal_sides(
    item: Resolved, ids: Sequence[str], group: Sequence[Mention], *, ctx: Context
) -> list[Side] | None:
    """The two sides when a speaker refuses responsibility: their own confirmation, or (for an
    explicit denial) the reports that they did it."""
    lex = ctx.lex.raw
    on = item.event.date.start
    who = speaker_name(group, ctx=ctx)
    refused = {r.id for r in group}

    def theirs(named: Sequence[str]) -> bool:
        return any(ctx.compatible(s, x, on) for s in ids for x in named)

    confirmations = [
        s
        for s in item.statements
        if s.type in lex["confirm_types"]
        and s.modality in lex["support_modalities"]
        and not ctx.denies(s)
        and theirs(speakers(s))
    ]
    explicit = [r for r in group if ctx.denies(r)]
    if confirmations:
        return [
            (f"{who} confirmed it", confirmations),
            (f"{who} {'denied' if explicit else 'did not claim'} it", group),
        ]
    # a denial is no report that they did it ("an allegation Pakistan has denied")
    said_to = [
        m
        for m in item.members
        if m.modality in lex["support_modalities"]
        and m.id not in refused
        and m.type not in lex["deny_types"]
        and theirs(actor_ids(m))
    ]
    return (
        [(f"carried out by {who}", said_to), (f"denied by {who}", explicit)] if explicit and said_to else None
    )


def _perpetrators(item: Resolved, *, ctx: Context) -> list[Contradiction]:
    """Reports of one strike that name different perpetrators (or a named and an unnamed one)."""
    if item.event.type in VERBAL_TYPES or item.event.type in ctx.lex.symmetric:
        return []
    lex = ctx.lex.raw
    modalities = set(lex["support_modalities"]) | set(lex["weak_modalities"])
    named: dict[tuple[str, ...], list[Mention]] = defaultdict(list)
    unnamed: dict[str, list[Mention]] = defaultdict(list)
    for mention in item.members:
        if mention.modality not in modalities:
            continue
        ids = tuple(actor_ids(mention))
        if ids:
            named[ids].append(mention)
        for label, pattern in ctx.lex.unnamed.items():
            if any(not ref.actor and pattern.search(ref.text) for ref in mention.actors):
                unnamed[label].append(mention)
    on = item.event.date.start
    clash = any(ctx.sides(list(a), list(b), on) == "conflict" for a, b in combinations(named, 2))
    if not (clash or (named and unnamed)):
        return []
    groups = [
        (describe.join_names([ctx.actor_name(i) for i in ids]), ms) for ids, ms in sorted(named.items())
    ]
    groups += sorted(unnamed.items())
    return [make("responsibility", groups, item=item, ctx=ctx)]


def _who_started(item: Resolved, *, ctx: Context) -> list[Contradiction]:
    """Sources that blame different sides for starting one clash: "the army accused the RSF of
    starting the fighting" and "an RSF spokesman said the army had started the clashes"."""
    if item.event.type not in ctx.lex.symmetric or item.event.type in VERBAL_TYPES:
        return []
    on = item.event.date.start
    groups: list[_Blame] = []
    for blame in sorted(_blames(item, ctx=ctx), key=lambda b: b.mentions[0].id):
        same = next((g for g in groups if ctx.sides(g.blamed, blame.blamed, on) == "agree"), None)
        if same is None:
            groups.append(blame)
        else:
            same.voice.extend(v for v in blame.voice if v not in same.voice)
            same.mentions.extend(blame.mentions)
    # blames all made by one side (naming two culprits) are no dispute between sources
    if not any(_apart(a.voice, b.voice, on=on, ctx=ctx) for a, b in combinations(groups, 2)):
        return []
    named = sorted(
        ((describe.join_names([ctx.actor_name(i) for i in g.blamed]), g) for g in groups), key=lambda v: v[0]
    )
    blames = "; ".join(
        f"{describe.join_names([ctx.actor_name(i) for i in g.voice])} blames {value}"
        f" ({describe.sources(g.mentions, ctx=ctx)})"
        for value, g in named
    )
    text = ctx.lex.raw["explanations"]["initiation"].format(
        event=describe.phrase(item.event, item.members, ctx=ctx), blames=blames
    )
    sides = [(value, g.mentions) for value, g in named]
    return [make("responsibility", sides, item=item, ctx=ctx, explanation=text)]


def _apart(first: Sequence[str], second: Sequence[str], *, on: date | None, ctx: Context) -> bool:
    return not any(ctx.compatible(x, y, on) for x in first for y in second)


@dataclass
class _Blame:
    """Who is blamed for starting a clash, by whom, in which mentions."""

    blamed: list[str]
    voice: list[str]
    mentions: list[Mention]


def _blames(item: Resolved, *, ctx: Context) -> list[_Blame]:
    """Each statement about the clash that blames its recipients for starting it, and each report
    of it, attributed to a source, that says its actors started it."""
    lex = ctx.lex.raw
    found = []
    for mention in (*item.statements, *item.members):
        if mention.modality not in lex["support_modalities"]:
            continue
        if mention.type in lex["blame_types"] and not ctx.denies(mention):
            blamed, voice = actor_ids(mention, recipients=True), speakers(mention)
        elif mention.type not in VERBAL_TYPES and mention.reporter and mention.reporter.actor:
            blamed, voice = actor_ids(mention), [mention.reporter.actor]
        else:
            continue
        if blamed and voice and ctx.lex.initiation.search(ctx.near_trigger(mention)[1]):
            found.append(_Blame(blamed, list(voice), [mention]))
    return found


def occurrence(item: Resolved, *, ctx: Context) -> list[Contradiction]:
    """A report of something happening, and a side denying it happened (not denying its own part)."""
    if item.event.type in VERBAL_TYPES:
        return []
    lex = ctx.lex.raw
    denials = [
        r
        for r in _refusals(item, ctx=ctx, explicit_only=True)
        if not _about_responsibility(r, item.event, ctx=ctx)
    ]
    reported = set(lex["support_modalities"]) | set(lex["weak_modalities"])
    denied_ids = {d.id for d in denials}
    reports = [m for m in item.members if m.modality in reported and m.id not in denied_ids]
    found = []
    by_speaker: dict[tuple[str, ...], list[Mention]] = defaultdict(list)
    for denial in denials:
        by_speaker[tuple(speakers(denial))].append(denial)
    for _, group in sorted(by_speaker.items()):
        targets = {d.about_mention for d in group}
        denied = [m for m in reports if m.id in targets] or reports
        if not denied:
            continue
        who = speaker_name(group, ctx=ctx)
        groups = [("reported", denied), (f"denied by {who}", group)]
        text = ctx.lex.raw["explanations"]["occurrence"].format(
            who=who,
            event=describe.phrase(item.event, item.members, ctx=ctx),
            sides=sides_text(groups, ctx=ctx),
        )
        found.append(make("occurrence", groups, item=item, ctx=ctx, explanation=text))
    return found
