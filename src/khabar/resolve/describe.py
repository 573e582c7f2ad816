"""Words for people: an event's title and phrase, a date, a toll, a list of sources.

Used by fuse.py (titles) and contradictions.py (explanations). The nouns, verbs and templates live
in lexicons/resolve.yaml.
"""

from __future__ import annotations

import re
from calendar import month_name
from collections.abc import Iterable, Sequence
from string import Formatter

from khabar.models import VERBAL_TYPES, DateRef, Event, Mention, Toll
from khabar.resolve.context import Context, norm


def date_text(ref: DateRef) -> str | None:
    """ "11 October 2025", "September 2025", "the week of 6 October 2025", "2022"; None if unknown."""
    if ref.start is None:
        return None
    start = ref.start
    if ref.precision == "day":
        return f"{start.day} {month_name[start.month]} {start.year}"
    if ref.precision == "week":
        return f"the week of {start.day} {month_name[start.month]} {start.year}"
    if ref.precision == "month":
        return f"{month_name[start.month]} {start.year}"
    return str(start.year)


def toll_text(toll: Toll) -> str:
    """ "6", "at least 3", "up to 10", "6-9", "about 30"."""
    low, high, best = toll.low, toll.high, toll.best
    if low is not None and low == high:
        return str(low)
    if low is not None and high is None:
        return f"at least {low}"
    if low is None and high is not None:
        return f"up to {high}"
    if low is not None and high is not None:
        return f"{low}-{high}"
    return f"about {best}" if best is not None else "an unknown number"


def join_names(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def names_of(
    ids: Iterable[str], mentions: Sequence[Mention], *, ctx: Context, recipients: bool = False
) -> list[str]:
    """Readable names: the knowledge base's names of resolved actors, else the words the
    mentions use for unresolved ones (without repeats)."""
    names = [ctx.actor_name(i) for i in ids]
    if names:
        return _unique(names)
    refs = [r for m in mentions for r in (m.recipients if recipients else m.actors) if not r.actor]
    return _unique(_strip_article(r.text) for r in refs)


def noun(event: Event, *, ctx: Context) -> str:
    """What the event is called: by its mode ("airstrikes"), else its type ("attack")."""
    nouns = ctx.lex.raw["nouns"]
    by_mode = nouns["modes"].get(event.mode) if event.mode else None
    return by_mode or nouns["types"].get(event.type, event.type.lower())


def title(event: Event, members: Sequence[Mention], *, ctx: Context) -> str:
    """One line a person can read: "Pakistan airstrikes on TTP in Kabul", "Clashes between
    Afghanistan and Pakistan", "Attack on police in Dera Ismail Khan: 6 killed, 13 injured"."""
    values = _slots(event, members, ctx=ctx)
    lex = ctx.lex.raw
    templates = list(lex["titles"].get(event.type, lex["titles"]["default"]))
    if event.type in lex["verbs"]:
        values["verb"] = lex["verbs"][event.type]
        templates.insert(0, lex["verb_title"])
    line = next((t.format(**values) for t in templates if _fields(t) <= values.keys()), values["Noun"])
    tolls = [
        f"{toll_text(t)} {label}" for t, label in ((event.killed, "killed"), (event.injured, "injured")) if t
    ]
    return _capitalise(line + (": " + ", ".join(tolls) if tolls else ""))


def phrase(
    event: Event, members: Sequence[Mention], *, ctx: Context, dated: bool = True, placed: bool = True
) -> str:
    """The event inside a sentence: "the 11 October 2025 attack on police in Dera Ismail Khan"
    (without the date unless `dated`, without the place unless `placed`)."""
    values = _slots(event, members, ctx=ctx)
    when = date_text(event.date) if dated else None
    weekly = event.date.precision == "week"
    text = "the " + (f"{when} " if when and not weekly else "") + values["noun"]
    if "parties" in values:
        text += f" between {values['parties']}"
    elif "actors" in values:
        text += f" by {values['actors']}"
    if "recipients" in values and "parties" not in values and event.type not in VERBAL_TYPES:
        text += f" on {values['recipients']}"
    if "place" in values and placed:
        text += f" in {values['place']}"
    return text + (f" in {when}" if when and weekly else "")


def sources(mentions: Sequence[Mention], *, ctx: Context) -> str:
    """Who says so: "Dawn", "Afghanistan's defence ministry via TOLO News"; sorted, without repeats."""
    found = []
    for mention in mentions:
        outlet = ctx.source_name(mention.article)
        found.append(f"{mention.reporter.text} via {outlet}" if mention.reporter else outlet)
    return ", ".join(sorted(set(found)))


def _slots(event: Event, members: Sequence[Mention], *, ctx: Context) -> dict[str, str]:
    word = noun(event, ctx=ctx)
    values = {"noun": word, "Noun": _capitalise(word)}
    actors = names_of(event.actors, members, ctx=ctx)
    recipients = names_of(event.recipients, members, ctx=ctx, recipients=True)
    if event.type in ctx.lex.symmetric:
        sides = _unique(actors + recipients)
        if len(sides) >= 2:
            values["parties"] = join_names(sides)
        elif sides:
            values["side"] = sides[0]
    if actors:
        values["actors"] = join_names(actors)
    if recipients:
        values["recipients"] = join_names(recipients)
    if event.location is not None and event.location.name:
        values["place"] = event.location.name
    return values


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        if name and norm(name) not in seen:
            seen[norm(name)] = name
    return list(seen.values())


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
