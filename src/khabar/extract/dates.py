"""extract.dates: spaCy Doc -> every date expression in it, as a DateRef (a range with a precision).

Part of the `extract` stage, after `annotate`. `find_dates` reads a parsed article once;
`extract.events` then asks `date_for` which of those dates governs each event trigger, and
`corpus_year_hint` gives the year a whole corpus is about (for articles without a date).

Expressions are read with patterns that `extract.date_grammar` builds from
knowledge/lexicons/dates.yaml (month and weekday names, relative phrases, cue words), plus bare
years the NER model tags as DATE. How they resolve:
- a full date ("9 October 2025", "2025-10-09") is explicit with precision day; "September 2025"
  month; "in 2022" year; "the 2020-2022 war" the years 2020 to 2022, precision year.
- a year-less date ("9th October", "in September") takes its year from the publication date: the
  latest such date not after it when its verb is in the past tense, the first one on or after it
  when the text points forward ("will meet on 20 December", "a pact effective Feb. 1"), the
  nearest one when the tense says neither ("the offer expires Nov. 21"). In an undated article: the
  year of a month-and-year stated in the same paragraph (a bare "in 2022" is too often history to
  count), else the year nearest the latest full date the article states (its own date, or one
  before it: "issued on 24 October 2024 ... On 19 October"), else the corpus `year_hint` (an
  opinion piece whose only dates are history: "since December 2024 ... In March"), else the
  nearest month-and-year anywhere; basis "context". With none of these: precision none.
- relative dates ("yesterday", "on Monday", "last week", "two days ago") resolve against the
  publication date and only against it: in an undated article they have precision none. The
  processing date is never used. A weekday after "from" points forward ("a lockdown from Monday").
  "Overnight" is the night before the day its sentence names ("fought overnight, officials said
  on Thursday"), else before publication: two days, precision day.
- dates told from the date before them ("the following day", "that month", "two days later")
  count from the latest date told before them that is precise enough; basis "context".
- durations, ages and decades ("for years", "the past few weeks", "30-year-old", "the 1990s") are
  not dates: no pattern reads them and the NER model's DATE spans only count when they are a year.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise
from typing import Literal, cast

from spacy.tokens import Doc, Token

from khabar.extract.date_grammar import YEAR, Grammar, check_lexicon, key, load_grammar
from khabar.extract.events import shared_clause
from khabar.extract.texts import doc_text
from khabar.models import DateRef, Precision, Span

__all__ = ["check_lexicon", "corpus_year_hint", "date_for", "event_clause", "find_dates"]

#: Entities whose words are never a date of their own ("Sunday Times", "Jan Egeland").
NAME_LABELS = frozenset({"PERSON", "ORG", "WORK_OF_ART", "FAC", "PRODUCT", "LAW"})
Tense = Literal["past", "future", "open"]
#: Tags of verbs that carry a tense of their own (the rest take it from the verb above them).
FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
NER_YEAR = re.compile(rf"(?:the\s+year\s+)?{YEAR}", re.I)
#: Precisions from the finest, for "the following day" (needs a day) or "that year" (any).
PRECISIONS: tuple[Precision, ...] = ("day", "week", "month", "year")
#: A noun phrase after "the day before": "the day before the vote" is dated by the vote.
NOUN_FOLLOWS = re.compile(r"\s+(?:the|a|an|his|her|its|their|this|that|these|those)\b|\s+(?-i:[A-Z])", re.I)
#: Years a span of years ("2020-2022") may start and end in.
MIN_YEAR, MAX_YEAR = 1500, 2199
#: A possessive after a phrase: "that year's budget" names no date.
POSSESSIVE = re.compile(r"'s\b|\u2019s\b")
#: Longest span a year range may cover, to keep out numbers that are no years.
MAX_YEARS = 50
#: Patterns whose matches state their own year: the ones `corpus_year_hint` trusts.
DATED = ("iso", "dmy", "mdy", "my")


@dataclass(frozen=True)
class _Expr:
    """What a date expression says, before it is resolved against the article's dates."""

    kind: str  # calendar | weekday | relative | sequel | night | vague
    text: str
    span: Span
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    unit: str | None = None
    offset: int | None = None
    week: bool = False
    until: int | None = None


def find_dates(doc: Doc, *, published: date | None, year_hint: int | None = None) -> list[DateRef]:
    """Every date expression in a parsed article, normalised to a range.

    doc (Doc): the parsed article; spans are offsets into `doc.text`.
    published (date | None): the article's publication date, the only anchor for relative dates.
    year_hint (int | None): the year the corpus is about (`corpus_year_hint`), for year-less dates
        of an undated article that states no year near them.
    RETURNS (list[DateRef]): one per expression, in text order; precision "none" when the text
        gives no usable date.
    """
    grammar, text = load_grammar(), doc_text(doc)
    exprs = _expressions(doc)
    context = _Context.of(exprs, text, year_hint)
    refs: list[DateRef] = []
    for expr in exprs:
        if expr.kind == "night":
            continue
        if expr.kind == "sequel":
            ref: DateRef | None = _sequel(expr, refs)
        else:
            forward = _points_forward(expr, text, grammar)
            tense = "future" if forward else _tense(doc, expr.span, grammar.future)
            ref = _resolve(expr, published=published, anchor=context.anchor(expr.span[0]), tense=tense)
        if ref is not None:
            refs.append(ref)
    nights = [_night(doc, expr, refs, published) for expr in exprs if expr.kind == "night"]
    return sorted([*refs, *nights], key=lambda r: r.span[0] if r.span else 0)


@dataclass(frozen=True)
class _Anchor:
    """Where a year-less date of an undated article takes its year: a year stated near it, else
    the year nearest a day the article states."""

    year: int | None = None
    day: date | None = None


@dataclass(frozen=True)
class _Context:
    """What an undated article says of its own time: the month-and-year dates it states (position,
    year), the latest full date it states (its own date, or one before it) and the corpus year."""

    text: str
    anchors: tuple[tuple[int, int], ...]
    stated: date | None
    hint: int | None

    @classmethod
    def of(cls, exprs: Sequence[_Expr], text: str, hint: int | None) -> _Context:
        dated = [e for e in exprs if e.kind == "calendar" and e.year and e.month and not e.until]
        days = [date(e.year, e.month, e.day) for e in dated if e.year and e.month and e.day and _valid(e)]
        anchors = tuple((e.span[0], e.year) for e in dated if e.year)
        return cls(text, anchors, max(days, default=None), hint)

    def anchor(self, position: int) -> _Anchor:
        """A month-and-year of the same paragraph (before it, else after it) tells the story's
        year ("It fell in May 2024. On 9 June ..."); further away, the latest full date the
        article states is its own date or earlier ("issued on 12 June 2025"); then the corpus year,
        for an opinion piece whose only dates are history ("since December 2024 ... In March")."""
        same = [(start, year) for start, year in self.anchors if "\n" not in self._between(start, position)]
        year = _context_year(position, same)
        if year is None and self.stated is None:
            year = self.hint or _context_year(position, list(self.anchors))
        return _Anchor(year=year, day=None if year else self.stated)

    def _between(self, a: int, b: int) -> str:
        return self.text[min(a, b) : max(a, b)]


def _valid(expr: _Expr) -> bool:
    try:
        date(expr.year or 0, expr.month or 0, expr.day or 0)
    except ValueError:
        return False
    return True


def corpus_year_hint(texts: Iterable[str]) -> int | None:
    """The year a corpus is about: the most recent year the texts state with a month or a day.

    texts (Iterable[str]): the articles' texts.
    RETURNS (int | None): e.g. 2025 for a corpus naming "September 2025"; None when no text
        states a year with a month or day (bare years such as "in 2022" are usually history).
    """
    patterns = [p for name, p in load_grammar().patterns if name in DATED]
    years = [int(m["year"]) for text in texts for p in patterns for m in p.finditer(text)]
    return max(years, default=None)


def date_for(trigger: Token, dates: Sequence[DateRef]) -> DateRef:
    """The date that governs an event trigger.

    The date attached to the trigger's own phrase wins ("the attack on 11 October"), then the
    date attached most directly to the trigger's clause ("Pakistan conducted airstrikes on 9th
    October"), then the nearest date in the same sentence. A trigger introduced by "after",
    "before" and the like ("after the bombing, ...") takes only a date of its own phrase.

    trigger (Token): the event's trigger word in the parsed article.
    dates (Sequence[DateRef]): the article's dates from `find_dates`.
    RETURNS (DateRef): the governing date, or `DateRef.unknown()` when the sentence has none.
    """
    sent = trigger.sent
    own_only = _set_apart(trigger, load_grammar().connectives)
    ranked = []
    for ref in dates:
        if ref.span is None:
            continue
        words = trigger.doc.char_span(*ref.span, alignment_mode="expand")
        if words is None or not sent.start <= words.start < sent.end:
            continue
        attachment = _attachment(trigger, words.root)
        if attachment[0] == 0 or not own_only:
            ranked.append((attachment, ref.span[0], ref))
    return min(ranked, key=lambda r: r[:2])[2] if ranked else DateRef.unknown()


# ---- reading expressions ------------------------------------------------------------------------


def _expressions(doc: Doc) -> list[_Expr]:
    """The date expressions of a doc, longest first where they overlap, in text order."""
    grammar = load_grammar()
    text = doc_text(doc)
    names = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in NAME_LABELS]
    found = []
    for name, pattern in grammar.patterns:
        for match in pattern.finditer(text):
            expr = _read(name, match, text, grammar)
            if expr is not None and not any(s < expr.span[1] and expr.span[0] < e for s, e in names):
                found.append(expr)
    found += _ner_years(doc)
    found.sort(key=lambda e: (e.span[0], e.span[0] - e.span[1]))
    chosen: list[_Expr] = []
    for expr in found:
        if not chosen or expr.span[0] >= chosen[-1].span[1]:
            chosen.append(expr)
        if len(chosen) > 1 and _names_its_day(chosen[-2], chosen[-1], text):
            weekday, day = chosen[-2:]
            span = (weekday.span[0], day.span[1])
            chosen[-2:] = [replace(day, text=text[span[0] : span[1]], span=span)]
    following = {id(a): b for a, b in pairwise(chosen)}
    return [e for e in chosen if e.kind != "night" or _is_night(doc, e, following.get(id(e)), text)]


def _is_night(doc: Doc, night: _Expr, after: _Expr | None, text: str) -> bool:
    """Whether "overnight" dates its clause: an adverb ("fought overnight", not "an overnight
    curfew") that no date follows ("overnight into Sunday" is dated by the Sunday)."""
    words = doc.char_span(*night.span, alignment_mode="expand")
    if words is None or words.root.pos_ == "ADJ" or words.root.dep_ == "amod":
        return False
    return after is None or not re.fullmatch(
        r"\s*(?:on|into|to|until)?\s*", text[night.span[1] : after.span[0]]
    )


def _names_its_day(weekday: _Expr, day: _Expr, text: str) -> bool:
    """Whether a weekday just names the date after it ("Saturday, April 25"): one date, not two."""
    between = text[weekday.span[1] : day.span[0]]
    adjacent = weekday.kind == "weekday" and weekday.offset is None and re.fullmatch(r",?\s*", between)
    return bool(adjacent) and day.kind == "calendar" and day.day is not None


def _ner_years(doc: Doc) -> list[_Expr]:
    """Bare years the NER model tags as a date ("2022 was worse") that no cue word introduces."""
    out = []
    for ent in doc.ents:
        match = NER_YEAR.fullmatch(ent.text) if ent.label_ == "DATE" else None
        if match:
            span = (ent.start_char + match.start("year"), ent.start_char + match.end("year"))
            out.append(_Expr("calendar", match["year"], span, year=int(match["year"])))
    return out


def _read(name: str, match: re.Match[str], text: str, grammar: Grammar) -> _Expr | None:
    """One pattern match as an expression; None when the words turn out not to be a date."""
    groups = match.groupdict()
    span = (match.start(), match.end())
    if name == "month_rel":
        _, offset = grammar.relative[key(groups["rel"])]
        return _Expr(
            "calendar", match[0], span, month=_month(groups["month"], grammar), unit="year", offset=offset
        )
    if name in ("relative", "ago", "night", "year_range"):
        return _read_more(name, match, text, grammar)
    if name == "vague":
        return _Expr("vague", match[0], span)
    mod = grammar.modifiers.get(key(groups.get("mod") or ""))
    if name.startswith("weekday"):
        wd = grammar.weekdays[key(groups["weekday"])]
        return _Expr("weekday", match[0], span, weekday=wd, offset=mod)
    if name == "year":
        span = (match.start("year"), match.end("year"))
        return _Expr("calendar", match["year"], span, year=int(match["year"]))
    month = _month(groups.get("month") or groups["abbr"], grammar)
    if name == "month" and not _plausible_month(match, text, grammar):
        return None
    week_of = grammar.week_of.search(text, max(0, match.start() - 20), match.start())
    if week_of:
        span = (week_of.start(), span[1])
    year = int(groups["year"]) if groups.get("year") else None
    day = int(groups["day"]) if groups.get("day") else None
    return _Expr("calendar", text[span[0] : span[1]], span, year, month, day, offset=mod, week=bool(week_of))


def _read_more(name: str, match: re.Match[str], text: str, grammar: Grammar) -> _Expr | None:
    """Dates relative to publication or to the date told before them, nights and year ranges."""
    span = (match.start(), match.end())
    if name == "night":
        return _Expr("night", match[0], span)
    if name == "year_range":
        year, until = int(match["year"]), match["until"]
        # "1998-2000"; "2011-13" in the century of the first year, "1999-01" in the next
        last = int(until) if len(until) == 4 else year // 100 * 100 + int(until)
        last += 100 if len(until) == 2 and last < year else 0
        if not (MIN_YEAR <= year < last <= MAX_YEAR and last - year <= MAX_YEARS):
            return None
        return _Expr("calendar", match[0], span, year=year, until=last)
    if name == "relative":
        phrase = key(match["rel"])
        if phrase in grammar.relative:
            unit, offset = grammar.relative[phrase]
            return _Expr("relative", match[0], span, unit=unit, offset=offset)
        unit, offset = grammar.sequel[phrase]
        # "the day before the vote" is dated by the vote; "that year's budget" is no date
        if POSSESSIVE.match(text, match.end()) or (
            phrase.split()[-1] in ("before", "after") and NOUN_FOLLOWS.match(text, match.end())
        ):
            return None
        return _Expr("sequel", match[0], span, unit=unit, offset=offset)
    count = int(match["count"]) if match["count"].isdigit() else grammar.numbers.get(key(match["count"]))
    unit = grammar.units[key(match["unit"])]
    direction = grammar.directions.get(key(match["dir"]))
    if not count:
        return None
    if direction is None:  # "two days ago"
        return _Expr("relative", match[0], span, unit=unit, offset=-count)
    return _Expr("sequel", match[0], span, unit=unit, offset=count * direction)  # "two days later"


def _month(word: str, grammar: Grammar) -> int:
    return int(word) if word.isdigit() else grammar.months[key(word)]


def _plausible_month(match: re.Match[str], text: str, grammar: Grammar) -> bool:
    """A lone "May" or "march" is a month only capitalised and after a cue ("in May")."""
    word = match["month"]
    if key(word) not in grammar.ambiguous:
        return True
    cued = (
        match["mod"]
        or match["prefix"]
        or grammar.month_cue.search(text, max(0, match.start() - 30), match.start())
    )
    return word[0].isupper() and bool(cued)


def _tense(doc: Doc, span: Span, cues: frozenset[str]) -> Tense:
    """Which way the verb governing a date points: "future" ("will meet on 20 December"), "past"
    ("met on 20 December", "the attack carried out on 9 October") or "open" (present tense, no
    verb: "the talks resume Monday"). Infinitives and gerunds take the tense of the verb above."""
    words = doc.char_span(*span, alignment_mode="expand")
    token = words.root if words is not None else None
    while token is not None:
        aux = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
        if any(t.lower_ in cues for t in (token, *aux, *token.children)):
            return "future"
        tags = {token.tag_, *(a.tag_ for a in aux)}
        if token.pos_ in ("VERB", "AUX") and "TO" not in tags and (tags & FINITE or token.tag_ == "VBN"):
            # A bare participle ("the attack carried out on 9 October") is past; "has been
            # extended to Nov. 20" is present perfect and may point either way.
            participle = token.tag_ == "VBN" and not tags & FINITE
            return "past" if "VBD" in tags or participle else "open"
        token = token.head if token.head.i != token.i else None
    return "open"


def _context_year(position: int, anchors: list[tuple[int, int | None]]) -> int | None:
    """The year of the nearest month-and-year stated before `position`, else the first after."""
    before = [year for start, year in anchors if start < position]
    after = [year for start, year in anchors if start > position]
    return before[-1] if before else (after[0] if after else None)


# ---- resolving them -----------------------------------------------------------------------------


def _resolve(expr: _Expr, *, published: date | None, anchor: _Anchor, tense: Tense) -> DateRef | None:
    """The expression as a DateRef; None when its numbers are no calendar date ("31 February")."""
    try:
        if expr.kind == "calendar":
            return _calendar(expr, published=published, anchor=anchor, tense=tense)
        if expr.kind == "vague" or published is None:
            return DateRef.unknown(expr.text, expr.span)
        if expr.kind == "weekday":
            day = _weekday(expr, published, tense=tense)
            return DateRef(expr.text, day, day, "day", basis="published", span=expr.span)
        return _relative(expr, published)
    except ValueError:
        return None


def _calendar(expr: _Expr, *, published: date | None, anchor: _Anchor, tense: Tense) -> DateRef:
    if expr.year and expr.until:
        start, end = date(expr.year, 1, 1), date(expr.until, 12, 31)
        return DateRef(expr.text, start, end, "year", basis="explicit", span=expr.span)
    if expr.year:
        return _ref(expr, expr.year, "explicit")
    if expr.offset is not None:
        if published is None:
            return DateRef.unknown(expr.text, expr.span)
        if expr.unit == "year":
            return _ref(expr, published.year + expr.offset, "published")
        return _ref(expr, _shifted_year(expr.month or 1, expr.offset, published), "published")
    if published is not None:
        return _ref(expr, _year_near(expr, published, tense=tense), "published")
    if anchor.year is not None:
        return _ref(expr, anchor.year, "context")
    if anchor.day is not None:
        # the article's own date, or a day before it: the nearest year, whatever the tense
        return _ref(expr, _year_near(expr, anchor.day, tense="open"), "context")
    return DateRef.unknown(expr.text, expr.span)


def _ref(expr: _Expr, year: int, basis: str) -> DateRef:
    start, end, precision = _bounds(year, expr.month, expr.day)
    if expr.week and precision == "day":
        start, end, precision = *_week(start), "week"
    return DateRef(expr.text, start, end, precision, basis=basis, span=expr.span)


def _bounds(year: int, month: int | None, day: int | None) -> tuple[date, date, Precision]:
    if month is None:
        return date(year, 1, 1), date(year, 12, 31), "year"
    if day is None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
    return date(year, month, day), date(year, month, day), "day"


def _year_near(expr: _Expr, published: date, *, tense: Tense) -> int:
    """The year of a year-less date: the latest on or before publication when its verb is past,
    the first on or after it when future, else the nearest ("payable Dec. 15" in late October)."""
    candidates = {}
    for year in (published.year - 1, published.year, published.year + 1):
        start, end, _ = _bounds(year, expr.month, expr.day)
        candidates[year] = (start, end)
    if tense == "past":
        return max(y for y, (start, _) in candidates.items() if start <= published)
    if tense == "future":
        return min(y for y, (_, end) in candidates.items() if end >= published)
    return min(candidates, key=lambda y: (_distance(published, *candidates[y]), y))


def _distance(day: date, start: date, end: date) -> int:
    """Days between a day and a range (0 inside it)."""
    return max((start - day).days, (day - end).days, 0)


def _shifted_year(month: int, offset: int, published: date) -> int:
    """The year of "last/this/next <month>" seen from the publication date."""
    if offset < 0:
        return published.year if month < published.month else published.year - 1
    if offset > 0:
        return published.year if month > published.month else published.year + 1
    return published.year


def _weekday(expr: _Expr, published: date, *, tense: Tense) -> date:
    """The weekday meant, seen from the publication date: "last Monday" the one before, "next
    Monday" the one after, a bare "Monday" by the tense of its verb (the nearest when open)."""
    weekday = expr.weekday or 0
    behind = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7 or 7
    if expr.offset == 0:
        return _week(published)[0] + timedelta(days=weekday)
    if expr.offset == -1:
        return published - timedelta(days=behind or 7)
    if expr.offset == 1 or (expr.offset is None and tense == "future"):
        return published + timedelta(days=ahead)
    if tense == "open" and ahead < behind:
        return published + timedelta(days=ahead)
    return published - timedelta(days=behind)


def _relative(expr: _Expr, published: date) -> DateRef:
    offset = expr.offset or 0
    if expr.unit == "day":
        start = end = published + timedelta(days=offset)
    elif expr.unit == "week":
        start, end = _week(published + timedelta(weeks=offset))
    elif expr.unit == "month":
        months = published.year * 12 + published.month - 1 + offset
        start, end, _ = _bounds(months // 12, months % 12 + 1, None)
    else:
        start, end, _ = _bounds(published.year + offset, None, None)
    return DateRef(expr.text, start, end, cast(Precision, expr.unit), basis="published", span=expr.span)


def _sequel(expr: _Expr, told: Sequence[DateRef]) -> DateRef:
    """A date told from the one before it ("the following day", "that month", "two days later"):
    the latest date told before it that is at least as precise as its unit; none when that date
    has no value ("on Monday" in an undated article)."""
    needed = PRECISIONS.index(cast(Precision, expr.unit))
    for ref in reversed(told):
        if ref.start is None or ref.end is None:
            break
        if PRECISIONS.index(ref.precision) <= needed:
            return replace(_relative(expr, ref.end if ref.precision == "day" else ref.start), basis="context")
    return DateRef.unknown(expr.text, expr.span)


def _night(doc: Doc, expr: _Expr, refs: Sequence[DateRef], published: date | None) -> DateRef:
    """ "Overnight": the night before the first day its sentence names ("clashed overnight,
    officials said on Thursday"), else before publication; the two days, with precision day."""
    words = doc.char_span(*expr.span, alignment_mode="expand")
    sent = words.sent if words is not None else doc[:]
    days = [
        r
        for r in refs
        if r.precision == "day" and r.end and r.span and sent.start_char <= r.span[0] < sent.end_char
    ]
    day, basis = (days[0].end, days[0].basis) if days else (published, "published")
    if day is None:
        return DateRef.unknown(expr.text, expr.span)
    return DateRef(expr.text, day - timedelta(days=1), day, "day", basis=basis, span=expr.span)


def _points_forward(expr: _Expr, text: str, grammar: Grammar) -> bool:
    """Whether a year-less weekday or month follows a forward preposition ("a lockdown from
    Monday"), not opening a span ("from Monday to Wednesday") or naming an event ("from Monday's
    attack")."""
    if expr.kind not in ("weekday", "calendar") or expr.year is not None or expr.offset is not None:
        return False
    start, end = expr.span
    if text[end : end + 2] in ("'s", "\u2019s") or grammar.span_end.match(text, end):
        return False
    cue = grammar.forward_weekday if expr.kind == "weekday" else grammar.forward
    return bool(cue.search(text, max(0, start - 25), start))


def _week(day: date) -> tuple[date, date]:
    """Monday to Sunday around a day."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _attachment(trigger: Token, root: Token) -> tuple[int, int]:
    """How directly a date's root word hangs from a trigger: (0 through the trigger's phrase,
    1 in its clause or a verb sharing its subject ("killed 12 and wounded 30 on Saturday"), 2
    elsewhere; then path length or token distance)."""
    path, token, clause = 0, root, event_clause(trigger).i
    while token.head.i != token.i and token.i not in (trigger.i, clause):
        token, path = token.head, path + 1
        other_verb = token.pos_ in ("VERB", "AUX") and token.i not in (trigger.i, clause)
        if other_verb and shared_clause(token).i != clause:
            break
    if token.i == trigger.i:
        return 0, path
    if token.i == clause:
        return 1, path
    return 2, abs(root.i - trigger.i)


def _set_apart(trigger: Token, connectives: frozenset[str]) -> bool:
    """Whether a trigger sits in a phrase that dates it relative to its clause ("after the
    bombing", "in response to the attacks")."""
    prep = trigger.head if trigger.dep_ == "pobj" else None
    if prep is None:
        return False
    words = [t.lower_ for t in trigger.doc[max(prep.i - 3, 0) : prep.i + 1]]
    return any(" ".join(words[-n:]) in connectives for n in range(1, len(words) + 1))


def event_clause(token: Token) -> Token:
    """The verb whose clause dates a trigger: the verb above it (the sentence root failing that),
    the verb of a gerund that is its subject ("fighting began in August 2023"), and of verbs
    sharing a subject the first ("stopped three ambulances on 22 October and detained two").

    token (Token): the trigger's head word.
    RETURNS (Token): the clause's verb.
    """
    while token.pos_ not in ("VERB", "AUX") or (token.tag_ == "VBG" and token.dep_ in ("nsubj", "nsubjpass")):
        if token.head.i == token.i:
            break
        token = token.head
    return shared_clause(token)
