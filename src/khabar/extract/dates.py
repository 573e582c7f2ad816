"""extract.dates: spaCy Doc -> every date expression in it, as a DateRef (a range with a precision).

Part of the `extract` stage, after `annotate`. `find_dates` reads a parsed article once;
`extract.events` then asks `date_for` which of those dates governs each event trigger, and
`corpus_year_hint` gives the year a whole corpus is about (for articles without a date).

Expressions are read with patterns built from knowledge/lexicons/dates.yaml (month and weekday
names, relative phrases, cue words), plus bare years the NER model tags as DATE. How they resolve:
- a full date ("9 October 2025", "2025-10-09") is explicit with precision day; "September 2025"
  month; "in 2022" year.
- a year-less date ("9th October", "in September") takes its year from the publication date: the
  latest such date not after it when its verb is in the past tense, the first one on or after it
  when the text points forward ("will meet on 20 December"), the nearest one when the tense says
  neither ("the offer expires Nov. 21"). Undated articles take the year of the nearest
  month-and-year the article states (a bare "in 2022" is too often history to count), else the
  corpus `year_hint`; basis "context". With none of these: precision none.
- relative dates ("yesterday", "on Monday", "last week", "two days ago") resolve against the
  publication date and only against it: in an undated article they have precision none. The
  processing date is never used.
- durations, ages and decades ("for years", "the past few weeks", "30-year-old", "the 1990s") are
  not dates: no pattern reads them and the NER model's DATE spans only count when they are a year.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal, cast

from spacy.tokens import Doc, Token

from khabar.errors import KnowledgeError
from khabar.extract.events import shared_clause
from khabar.extract.texts import doc_text
from khabar.knowledge import load_knowledge
from khabar.models import DateRef, Precision, Span

__all__ = ["check_lexicon", "corpus_year_hint", "date_for", "find_dates"]

LEXICON = "dates"
#: Entities whose words are never a date of their own ("Sunday Times", "Jan Egeland").
NAME_LABELS = frozenset({"PERSON", "ORG", "WORK_OF_ART", "FAC", "PRODUCT", "LAW"})
#: A year 1500-2199, not part of a longer number, not a decade ("1990s", "1990's").
Tense = Literal["past", "future", "open"]
#: Tags of verbs that carry a tense of their own (the rest take it from the verb above them).
FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
YEAR = r"(?<![\d,.$])(?P<year>1[5-9]\d\d|20\d\d|21\d\d)(?!\d|'?s\b)"
NER_YEAR = re.compile(rf"(?:the\s+year\s+)?{YEAR}", re.I)
#: Patterns whose matches state their own year: the ones `corpus_year_hint` trusts.
DATED = ("iso", "dmy", "mdy", "my")


@dataclass(frozen=True)
class _Expr:
    """What a date expression says, before it is resolved against the article's dates."""

    kind: str  # calendar | weekday | relative | vague
    text: str
    span: Span
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    unit: str | None = None
    offset: int | None = None
    week: bool = False


@dataclass(frozen=True)
class _Grammar:
    """The lexicon compiled: named patterns and the word tables their matches are read with."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    months: dict[str, int]
    ambiguous: frozenset[str]
    month_cue: re.Pattern[str]
    week_of: re.Pattern[str]
    weekdays: dict[str, int]
    relative: dict[str, tuple[str, int]]
    modifiers: dict[str, int]
    units: dict[str, str]
    numbers: dict[str, int]
    future: frozenset[str]
    connectives: frozenset[str]


def find_dates(doc: Doc, *, published: date | None, year_hint: int | None = None) -> list[DateRef]:
    """Every date expression in a parsed article, normalised to a range.

    doc (Doc): the parsed article; spans are offsets into `doc.text`.
    published (date | None): the article's publication date, the only anchor for relative dates.
    year_hint (int | None): the year the corpus is about (`corpus_year_hint`), the last resort
        for year-less dates.
    RETURNS (list[DateRef]): one per expression, in text order; precision "none" when the text
        gives no usable date.
    """
    exprs = _expressions(doc)
    anchors = [(e.span[0], e.year) for e in exprs if e.kind == "calendar" and e.year and e.month]
    refs = []
    for expr in exprs:
        context = _context_year(expr.span[0], anchors)
        tense = _tense(doc, expr.span, _grammar().future)
        ref = _resolve(expr, published=published, year=context or year_hint, tense=tense)
        if ref is not None:
            refs.append(ref)
    return refs


def corpus_year_hint(texts: Iterable[str]) -> int | None:
    """The year a corpus is about: the most recent year the texts state with a month or a day.

    texts (Iterable[str]): the articles' texts.
    RETURNS (int | None): e.g. 2025 for a corpus naming "September 2025"; None when no text
        states a year with a month or day (bare years such as "in 2022" are usually history).
    """
    patterns = [p for name, p in _grammar().patterns if name in DATED]
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
    own_only = _set_apart(trigger, _grammar().connectives)
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
    grammar = _grammar()
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
    return chosen


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


def _read(name: str, match: re.Match[str], text: str, grammar: _Grammar) -> _Expr | None:
    """One pattern match as an expression; None when the words turn out not to be a date."""
    groups = match.groupdict()
    span = (match.start(), match.end())
    if name == "month_rel":
        _, offset = grammar.relative[_key(groups["rel"])]
        return _Expr(
            "calendar", match[0], span, month=_month(groups["month"], grammar), unit="year", offset=offset
        )
    if name == "relative":
        unit, offset = grammar.relative[_key(groups["rel"])]
        return _Expr("relative", match[0], span, unit=unit, offset=offset)
    if name == "ago":
        count = grammar.numbers.get(_key(groups["count"]), None)
        count = int(groups["count"]) if groups["count"].isdigit() else count
        unit = grammar.units[_key(groups["unit"])]
        return _Expr("relative", match[0], span, unit=unit, offset=-count) if count else None
    if name == "vague":
        return _Expr("vague", match[0], span)
    mod = grammar.modifiers.get(_key(groups.get("mod") or ""))
    if name.startswith("weekday"):
        wd = grammar.weekdays[_key(groups["weekday"])]
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


def _month(word: str, grammar: _Grammar) -> int:
    return int(word) if word.isdigit() else grammar.months[_key(word)]


def _plausible_month(match: re.Match[str], text: str, grammar: _Grammar) -> bool:
    """A lone "May" or "march" is a month only capitalised and after a cue ("in May")."""
    word = match["month"]
    if _key(word) not in grammar.ambiguous:
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


def _resolve(expr: _Expr, *, published: date | None, year: int | None, tense: Tense) -> DateRef | None:
    """The expression as a DateRef; None when its numbers are no calendar date ("31 February")."""
    try:
        if expr.kind == "calendar":
            return _calendar(expr, published=published, year=year, tense=tense)
        if expr.kind == "vague" or published is None:
            return DateRef.unknown(expr.text, expr.span)
        if expr.kind == "weekday":
            day = _weekday(expr, published, tense=tense)
            return DateRef(expr.text, day, day, "day", basis="published", span=expr.span)
        return _relative(expr, published)
    except ValueError:
        return None


def _calendar(expr: _Expr, *, published: date | None, year: int | None, tense: Tense) -> DateRef:
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
    if year is not None:
        return _ref(expr, year, "context")
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


def _week(day: date) -> tuple[date, date]:
    """Monday to Sunday around a day."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _attachment(trigger: Token, root: Token) -> tuple[int, int]:
    """How directly a date's root word hangs from a trigger: (0 through the trigger's phrase,
    1 in its clause or a verb sharing its subject ("killed 12 and wounded 30 on Saturday"), 2
    elsewhere; then path length or token distance)."""
    path, token, clause = 0, root, _clause(trigger).i
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


def _clause(token: Token) -> Token:
    """The verb heading the clause a word belongs to (the sentence root failing that)."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token


# ---- the lexicon ---------------------------------------------------------------------------------


def _key(words: str) -> str:
    return " ".join(words.lower().rstrip(".").split())


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of words and phrases, longest first, any run of spaces between words,
    behind a look at the first letter: without it `re` tries every word at every word boundary
    of the text, and the patterns cost twice as much (#3)."""
    unique = sorted({_key(w) for w in words}, key=len, reverse=True)
    alternation = "|".join(r"\s+".join(re.escape(part) for part in w.split(" ")) for w in unique)
    if not unique or "" in unique:
        return alternation
    return f"(?=[{re.escape(''.join(sorted({w[0] for w in unique})))}])(?:{alternation})"


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    lex = _lexicon(LEXICON)
    check_lexicon(lex)
    months = {_key(w): i for i, names in enumerate(lex["months"], 1) for w in names}
    weekdays = {_key(w): i for i, names in enumerate(lex["weekdays"]) for w in names}
    day = rf"(?P<day>[0-3]?\d)(?:{_alt(lex['ordinal_suffixes'])})?\b"
    full_months = [names[0] for names in lex["months"]]
    abbreviations = [w for names in lex["months"] for w in names[1:]]
    month = rf"(?:(?P<month>{_alt(full_months)})\b|(?P<abbr>{_alt(abbreviations)})\b\.?)"
    mods = _alt(lex["relative_modifiers"])
    years_relative = [k for k, v in lex["relative"].items() if v["unit"] == "year"]
    numbers = {_key(k): int(v) for k, v in _number_words().items()} | {"a": 1, "an": 1}
    sources = {
        "iso": r"(?<![\d-])(?P<year>\d{4})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\d-])",
        "dmy": rf"\b{day}(?:\s+of)?\s+{month},?\s+{YEAR}",
        "mdy": rf"\b{month}\s+{day},?\s+{YEAR}",
        "dm": rf"\b{day}(?:\s+of)?\s+{month}",
        "md": rf"\b{month}\s+{day}(?![:.]\d)",
        "my": rf"\b{month}(?:\s+of)?,?\s+{YEAR}",
        "month": rf"\b(?:(?P<mod>{mods})\s+)?(?:(?P<prefix>{_alt(lex['month_prefixes'])})\s*)?"
        rf"(?P<month>{_alt(full_months)})\b",
        "month_rel": rf"\b(?P<month>{_alt(full_months)})\s+(?:of\s+)?(?P<rel>{_alt(years_relative)})\b",
        "year": rf"(?:\b(?:{_alt(lex['year_cues'])})\s+|\bmid-)(?:the\s+year\s+)?{YEAR}",
        "weekday": rf"\b(?:(?P<mod>{mods})\s+)?(?P<weekday>{_alt(n[0] for n in lex['weekdays'])})\b",
        "weekday_abbr": rf"\bon\s+(?P<weekday>{_alt(weekdays)})\.",
        "relative": rf"\b(?P<rel>{_alt(lex['relative'])})\b",
        "ago": rf"\b(?P<count>\d+|{_alt(numbers)})\s+(?P<unit>{_alt(lex['units'])})"
        rf"\s+(?:{_alt(lex['ago'])})\b",
        "vague": rf"\b(?P<vague>{_alt(lex['vague'])})\b",
    }
    return _Grammar(
        patterns=tuple((name, re.compile(src, re.I)) for name, src in sources.items()),
        months=months,
        ambiguous=frozenset(_key(w) for w in lex["ambiguous_months"]),
        month_cue=re.compile(rf"\b(?:{_alt(lex['month_cues'])})\s+$", re.I),
        week_of=re.compile(rf"\b(?:{_alt(lex['week_of'])})\s+$", re.I),
        weekdays=weekdays,
        relative={_key(k): (v["unit"], int(v["offset"])) for k, v in lex["relative"].items()},
        modifiers={_key(k): int(v) for k, v in lex["relative_modifiers"].items()},
        units={_key(k): v for k, v in lex["units"].items()},
        numbers=numbers,
        future=frozenset(_key(w) for w in lex["future_cues"]),
        connectives=frozenset(_key(w) for w in lex["temporal_connectives"]),
    )


#: The keys lexicons/dates.yaml must have, with the type of each.
SCHEMA = {
    "months": list,
    "ambiguous_months": list,
    "weekdays": list,
    "ordinal_suffixes": list,
    "month_cues": list,
    "year_cues": list,
    "month_prefixes": list,
    "relative_modifiers": dict,
    "relative": dict,
    "vague": list,
    "units": dict,
    "ago": list,
    "week_of": list,
    "future_cues": list,
    "temporal_connectives": list,
}


def check_lexicon(lex: Any, *, name: str = "lexicons/dates.yaml") -> None:
    """Raise KnowledgeError, naming the file and entry, when the dates lexicon is malformed.

    lex (Any): the parsed YAML.
    name (str): the file, for the message.
    """
    if not isinstance(lex, dict):
        raise KnowledgeError("expected a mapping of sections", source=name)
    for key, kind in SCHEMA.items():
        if not isinstance(lex.get(key), kind):
            raise KnowledgeError(f"section {key!r} must be a {kind.__name__}", source=name)
    for key, count in (("months", 12), ("weekdays", 7)):
        if len(lex[key]) != count or not all(isinstance(n, list) and n for n in lex[key]):
            raise KnowledgeError(f"section {key!r} must list {count} non-empty name lists", source=name)
    for phrase, rule in lex["relative"].items():
        if not isinstance(rule, dict) or rule.get("unit") not in ("day", "week", "month", "year"):
            raise KnowledgeError(f"relative entry {phrase!r} needs a unit day|week|month|year", source=name)
        if not isinstance(rule.get("offset"), int):
            raise KnowledgeError(f"relative entry {phrase!r} needs an integer offset", source=name)
    for word, unit in lex["units"].items():
        if unit not in ("day", "week", "month", "year"):
            raise KnowledgeError(f"unit {word!r} must map to day|week|month|year", source=name)


def _number_words() -> dict[str, int]:
    """Number words for "two days ago", shared with the tolls lexicon so they live in one place."""
    words = (_lexicon("tolls") or {}).get("number_words")
    if not isinstance(words, dict):
        raise KnowledgeError("section 'number_words' must be a mapping", source="lexicons/tolls.yaml")
    return words


def _lexicon(name: str) -> Any:
    """knowledge/lexicons/<name>.yaml, through the knowledge loader."""
    return load_knowledge().lexicon(name)
