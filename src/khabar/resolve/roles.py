"""roles: the titles articles give people -> contradictions with the knowledge base's dated roles.

Part of resolve, over the whole corpus (a title does not belong to one event): "former President
Donald Trump" in an article of October 2025, when the knowledge base says he holds that office then,
or "President" for someone who has left it. Each side lists the articles that say so; when no
article is right, the knowledge base is the other side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from khabar.models import Contradiction, DateRef, Position, RoleClaim
from khabar.resolve import describe
from khabar.resolve.context import Context, norm
from khabar.resolve.fuse import stable_id


def role_contradictions(role_claims: Sequence[RoleClaim], *, ctx: Context) -> list[Contradiction]:
    """Titles that contradict the dated roles in the knowledge base: "former President" for a
    sitting president, or "President" for one who has left office. One contradiction per person
    and title, with the articles on each side (or the knowledge base, when no article is right).

    role_claims (Sequence[RoleClaim]): every title the articles give a person.
    ctx (Context): the resolve context.
    RETURNS (list[Contradiction]): the contradictions, sorted by id.
    """
    grouped: dict[tuple[str, str], list[RoleClaim]] = defaultdict(list)
    for claim in sorted(role_claims, key=lambda c: (c.article, c.span, c.actor, c.former, c.title)):
        role_title = _known_title(claim, ctx=ctx)
        if role_title:
            grouped[claim.actor, role_title].append(claim)
    found = [
        c for (actor, title), claims in sorted(grouped.items()) if (c := _role(actor, title, claims, ctx=ctx))
    ]
    return sorted(found, key=lambda c: c.id)


def _known_title(claim: RoleClaim, *, ctx: Context) -> str | None:
    """The title in the knowledge base this claim refers to ("U.S. President" -> "President")."""
    actor = ctx.kb.actor(claim.actor)
    words = set(norm(claim.title).split())
    for role in actor.roles if actor else []:
        if set(norm(role.title).split()) <= words:
            return role.title
    return None


def _claim_day(claim: RoleClaim, *, ctx: Context) -> date | None:
    article = ctx.articles.get(claim.article)
    return (article.published if article else None) or ctx.corpus_date


def _holds(actor: str, title: str, on: date, *, ctx: Context) -> bool:
    return any(norm(r.title) == norm(title) for r in ctx.kb.roles_on(actor, on))


def wrong_role_claims(role_claims: Sequence[RoleClaim], *, ctx: Context) -> list[RoleClaim]:
    """The titles that dated knowledge contradicts on the article's date (a sitting president
    called "former", a former one called "President")."""
    return [
        claim
        for claim in role_claims
        if (title := _known_title(claim, ctx=ctx)) and _is_wrong(claim, claim.actor, title, ctx=ctx)
    ]


def _is_wrong(claim: RoleClaim, actor: str, title: str, *, ctx: Context) -> bool:
    on = _claim_day(claim, ctx=ctx)
    return on is not None and claim.former == _holds(actor, title, on, ctx=ctx)


def _role(actor: str, title: str, claims: Sequence[RoleClaim], *, ctx: Context) -> Contradiction | None:
    """The contradiction for one person and title, if some claim is wrong on its date."""
    wrong = [c for c in claims if _is_wrong(c, actor, title, ctx=ctx)]
    if not wrong:
        return None
    former = [c for c in claims if c.former]
    current = [c for c in claims if not c.former]
    on = describe.date_text(_day(_claim_day(wrong[0], ctx=ctx)))
    positions = [p for p in (_role_position(f"former {title}", former), _role_position(title, current)) if p]
    if len(positions) < 2:
        truth = title if wrong[0].former else f"not {title}"
        positions.append(Position(value=f"{truth} on {on} (knowledge base)", articles=[]))
    name = ctx.actor_name(actor)
    return Contradiction(
        id=stable_id("cx", ["role", actor, title, *(f"{c.article}:{c.span}:{c.former}" for c in claims)]),
        kind="role",
        about_text=f"{name}'s title",
        positions=positions,
        explanation=_explain(
            name,
            title,
            on,
            wrong=former if wrong[0].former else current,
            right=current if wrong[0].former else former,
            ctx=ctx,
        ),
        internal=len({c.article for c in claims}) == 1 and bool(former) and bool(current),
        severity=ctx.lex.raw["contradictions"]["severity"]["role"],
        about_actor=actor,
    )


def _explain(
    name: str,
    title: str,
    on: str | None,
    *,
    wrong: Sequence[RoleClaim],
    right: Sequence[RoleClaim],
    ctx: Context,
) -> str:
    """ "Wire calls Donald Trump a former President, but Donald Trump holds that office on ...; Daily
    calls Donald Trump President."""
    former = wrong[0].former
    others = f"; {_names(right, ctx=ctx)} call {name} {'' if former else 'former '}{title}" if right else ""
    return ctx.lex.raw["explanations"]["role_former" if former else "role_current"].format(
        article=_names(wrong, ctx=ctx), actor=name, title=title, on=on, others=others
    )


def _role_position(value: str, claims: Sequence[RoleClaim]) -> Position | None:
    if not claims:
        return None
    return Position(
        value=value, articles=sorted({c.article for c in claims}), spans=sorted({c.span for c in claims})
    )


def _names(claims: Sequence[RoleClaim], *, ctx: Context) -> str:
    return describe.join_names(sorted({ctx.source_name(c.article) for c in claims}))


def _day(on: date | None) -> DateRef:
    return DateRef(text=None, start=on, end=on, precision="day")
