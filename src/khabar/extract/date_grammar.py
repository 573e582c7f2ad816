"""extract.date_grammar: knowledge/lexicons/dates.yaml -> the patterns and word tables `extract.dates`
reads date expressions with (`load_grammar()`, built once per process), and the lexicon's schema check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from khabar.errors import KnowledgeError
from khabar.knowledge import load_knowledge
from khabar.knowledge.loader import check_sections

__all__ = ["YEAR", "YEAR_RANGE", "Grammar", "check_lexicon", "key", "load_grammar"]

LEXICON = "dates"
#: A year 1500-2199, not part of a longer number, not a decade ("1990s", "1990's").
YEAR = r"(?<![\d,.$])(?P<year>1[5-9]\d\d|20\d\d|21\d\d)(?!\d|'?s\b)"
#: "2020-2022", "2020–22": a span of years. (A digit first, the look back after it: `re` then
#: scans for the digit instead of trying every position; `extract.dates` checks the years.)
YEAR_RANGE = r"(?P<year>[12](?<![\d,.$-][12])\d{3})\s*[-\u2013]\s*(?P<until>\d{4}|\d\d)(?![\d%-])"


@dataclass(frozen=True)
class Grammar:
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
    sequel: dict[str, tuple[str, int]]
    directions: dict[str, int]
    forward: re.Pattern[str]
    forward_weekday: re.Pattern[str]
    span_end: re.Pattern[str]


def key(words: str) -> str:
    """A phrase as the tables hold it: lower case, single spaces, no final full stop."""
    return " ".join(words.lower().rstrip(".").split())


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of words and phrases, longest first, any run of spaces between words,
    behind a look at the first letter: without it `re` tries every word at every word boundary
    of the text, and the patterns cost twice as much (#3)."""
    unique = sorted({key(w) for w in words}, key=len, reverse=True)
    alternation = "|".join(r"\s+".join(re.escape(part) for part in w.split(" ")) for w in unique)
    if not unique or "" in unique:
        return alternation
    return f"(?=[{re.escape(''.join(sorted({w[0] for w in unique})))}])(?:{alternation})"


@lru_cache(maxsize=1)
def load_grammar() -> Grammar:
    """The dates lexicon compiled, once per process."""
    lex = _lexicon(LEXICON)
    check_lexicon(lex)
    months = {key(w): i for i, names in enumerate(lex["months"], 1) for w in names}
    weekdays = {key(w): i for i, names in enumerate(lex["weekdays"]) for w in names}
    day = rf"(?P<day>[0-3]?\d)(?:{_alt(lex['ordinal_suffixes'])})?\b"
    full_months = [names[0] for names in lex["months"]]
    abbreviations = [w for names in lex["months"] for w in names[1:]]
    month = rf"(?:(?P<month>{_alt(full_months)})\b|(?P<abbr>{_alt(abbreviations)})\b\.?)"
    mods = _alt(lex["relative_modifiers"])
    years_relative = [k for k, v in lex["relative"].items() if v["unit"] == "year"]
    numbers = {key(k): int(v) for k, v in _number_words().items()} | {"a": 1, "an": 1}
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
        "relative": rf"\b(?P<rel>{_alt([*lex['relative'], *lex['sequel']])})\b",
        "ago": rf"\b(?P<count>\d+|{_alt(numbers)})\s+(?P<unit>{_alt(lex['units'])})"
        rf"\s+(?P<dir>{_alt([*lex['ago'], *lex['sequel_directions']])})\b",
        "vague": rf"\b(?P<vague>{_alt(lex['vague'])})\b",
        "night": rf"\b(?P<night>{_alt(lex['night_words'])})\b",
        "year_range": YEAR_RANGE,
    }
    return Grammar(
        patterns=tuple((name, re.compile(src, re.I)) for name, src in sources.items()),
        months=months,
        ambiguous=frozenset(key(w) for w in lex["ambiguous_months"]),
        month_cue=re.compile(rf"\b(?:{_alt(lex['month_cues'])})\s+$", re.I),
        week_of=re.compile(rf"\b(?:{_alt(lex['week_of'])})\s+$", re.I),
        weekdays=weekdays,
        relative={key(k): (v["unit"], int(v["offset"])) for k, v in lex["relative"].items()},
        modifiers={key(k): int(v) for k, v in lex["relative_modifiers"].items()},
        units={key(k): v for k, v in lex["units"].items()},
        numbers=numbers,
        future=frozenset(key(w) for w in lex["future_cues"]),
        connectives=frozenset(key(w) for w in lex["temporal_connectives"]),
        sequel={key(k): (v["unit"], int(v["offset"])) for k, v in lex["sequel"].items()},
        directions={key(k): int(v) for k, v in lex["sequel_directions"].items()},
        forward=_ending(lex["forward_prepositions"]),
        forward_weekday=_ending([*lex["forward_prepositions"], *lex["forward_weekday_prepositions"]]),
        span_end=_span_end(lex["span_ends"]),
    )


def _ending(words: Sequence[str]) -> re.Pattern[str]:
    """One of the words right before a position (searched in the text just before it)."""
    return re.compile(rf"\b(?:{_alt(words)})\s+$", re.I)


def _span_end(words: Sequence[str]) -> re.Pattern[str]:
    """What closes a span opened by "from": a word ("to Wednesday") or a dash ("Monday-Friday")."""
    names = [w for w in words if w[:1].isalpha()]
    dashes = "".join(re.escape(w) for w in words if not w[:1].isalpha())
    return re.compile(rf"\s*(?:(?:{_alt(names)})\b|[{dashes}])", re.I)


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
    "sequel": dict,
    "sequel_directions": dict,
    "night_words": list,
    "forward_prepositions": list,
    "forward_weekday_prepositions": list,
    "span_ends": list,
}


def check_lexicon(lex: Any, *, name: str = "lexicons/dates.yaml") -> None:
    """Raise KnowledgeError, naming the file and entry, when the dates lexicon is malformed.

    lex (Any): the parsed YAML.
    name (str): the file, for the message.
    """
    check_sections(lex, SCHEMA, name=name)
    for key, count in (("months", 12), ("weekdays", 7)):
        if len(lex[key]) != count or not all(isinstance(n, list) and n for n in lex[key]):
            raise KnowledgeError(f"section {key!r} must list {count} non-empty name lists", source=name)
    for phrase, rule in (*lex["relative"].items(), *lex["sequel"].items()):
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
