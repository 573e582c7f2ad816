"""Repairs to the words of a text: missing spaces around punctuation and lost capitals.

Part of `khabar.clean`. Casing repair capitalises known proper names written in lower case: the
knowledge base's names (actors, countries, capitals, demonyms), the names the same text writes
capitalised in mid-sentence, and, in a text that lost all its capitals, the gazetteer's places in
the countries the text names. It only ever adds capitals, and never to a dotted abbreviation
(a.m., e.g.), a URL or an e-mail address.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from english_words import get_english_words_set
from spacy.lang.en.stop_words import STOP_WORDS

from khabar.clean.furniture import is_headline
from khabar.knowledge.gazetteer import load_gazetteer
from khabar.models import ArticleWarning

__all__ = ["Casing", "casing_for", "repair_casing", "repair_spacing"]

_PROTECTED = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
# Letters and digits together, so that a name such as "M23" is one word, not a name "M".
_WORD = re.compile(r"[^\W_]+")
# Dotted abbreviations (a.m., U.S., e.g.): casing repair leaves them as written.
_ABBREVIATION = re.compile(r"(?<![\w.])[^\W\d_](?:\.[^\W\d_])+\.?(?!\w)")
# A sentence's first letter: at the start of a line or after a full stop, past any opening quote.
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)[\"'“‘(\[]*([^\W\d_])", re.MULTILINE)
# Missing space after punctuation, only between letters so 1,000 / 3.5 / 10:30 / U.S. / e.g. stay.
_SPACING = (
    (re.compile(r"(?<=[^\W\d_]) +([,;:.!?])(?= |$)", re.MULTILINE), r"\1"),
    (re.compile(r"(?<=[^\W\d_]{2})([,;])(?=[^\W\d_])"), r"\1 "),
    (re.compile(r"(?<=[a-zà-ÿ]{2})([.!?:])(?=[A-ZÀ-Þ][a-zà-ÿ])"), r"\1 "),
)
# Characters after which a capital letter proves nothing: the start of a sentence or a quote.
_SENTENCE_OPENERS = '.!?:;"“‘([\n'
_NAME_SEPARATORS = frozenset({" ", "-"})


# ---- spacing -------------------------------------------------------------------------------------


def repair_spacing(text: str, warnings: list[ArticleWarning]) -> str:
    """Remove spaces before punctuation and add the missing ones after it, between letters.

    text (str): the text.
    warnings (list[ArticleWarning]): gets a "spacing_repaired" warning with examples.
    RETURNS (str): the text, URLs and e-mail addresses untouched.
    """
    examples: list[str] = []

    def fix(part: str) -> str:
        for pattern, repl in _SPACING:
            examples.extend(part[max(0, m.start() - 8) : m.end() + 8] for m in pattern.finditer(part))
            part = pattern.sub(repl, part)
        return part

    # re.split with a group alternates text (even) and URLs or e-mail addresses (odd, kept as they are)
    pieces = re.split(f"({_PROTECTED.pattern})", text)
    text = "".join(piece if i % 2 else fix(piece) for i, piece in enumerate(pieces))
    if examples:
        shown = ", ".join(f'"{e.strip()}"' for e in examples[:5])
        warnings.append(
            ArticleWarning("spacing_repaired", f"repaired {len(examples)} spaces around punctuation: {shown}")
        )
    return text


# ---- the names casing repair knows ---------------------------------------------------------------

NameEntry = tuple[str, list[str], list[str]]


@dataclass(frozen=True)
class NameIndex:
    """Known proper names by casefolded word sequence, and the most words a name starting with a
    given word has (most words start no name: they are passed over with one lookup)."""

    names: dict[tuple[str, ...], NameEntry]
    longest_from: dict[str, int]


@dataclass(frozen=True)
class Casing:
    """What casing repair needs: the names it knows, the words that are also common English
    words, and the headline shape (headline-like lines are no evidence of capitals)."""

    index: NameIndex
    common: frozenset[str]
    headline: dict[str, Any]


def casing_for(text: str, *, names: Iterable[str] | None, lex: dict[str, Any]) -> Casing:
    """The names and words casing repair uses on this text.

    text (str): the text to repair, furniture removed.
    names (Iterable[str] | None): the proper names to use; None: the knowledge base's, and when the
        text lost its capitals, the gazetteer's places in the countries the text names.
    lex (dict): the furniture lexicon (its `casing` and `headline` sections).
    RETURNS (Casing): the names, common words and headline shape.
    """
    casing = lex.get("casing", {})
    common = frozenset(STOP_WORDS) | frozenset(casing.get("common_words", []))
    if names is not None:
        index = _name_index(frozenset(names))
    elif _casing_damaged(text, casing):
        inflections = tuple((end, base) for end, base in casing.get("inflections", []))
        index = _extended(_default_name_index(), _place_names(text, common, inflections))
    else:
        index = _default_name_index()
    return Casing(index, common, lex["headline"])


def _runs(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _name_index(names: frozenset[str]) -> NameIndex:
    """Casefolded word sequence -> (name, its words, separators). Of two spellings, the one with
    fewer capitals wins, because repairs only ever add capitals."""
    index: dict[tuple[str, ...], NameEntry] = {}
    for name in sorted(names):
        runs = _runs(name)
        if not runs or not any(c.isupper() for c in name):
            continue
        key = tuple(r.group().casefold() for r in runs)
        seps = [name[a.end() : b.start()] for a, b in pairwise(runs)]
        old = index.get(key)
        if old is None or sum(map(str.isupper, name)) < sum(map(str.isupper, old[0])):
            index[key] = (name, [r.group() for r in runs], seps)
    return NameIndex(index, _longest_from(index))


def _longest_from(names: dict[tuple[str, ...], NameEntry]) -> dict[str, int]:
    longest: dict[str, int] = {}
    for key in names:
        longest[key[0]] = max(len(key), longest.get(key[0], 0))
    return longest


def _extended(index: NameIndex, names: frozenset[str]) -> NameIndex:
    """The index with more names; where both spell one name, the index's own spelling stays."""
    if not names:
        return index
    merged = {**_name_index(names).names, **index.names}
    return NameIndex(merged, _longest_from(merged))


@lru_cache(maxsize=1)
def _default_name_index() -> NameIndex:
    import pycountry

    names = {c.name for c in pycountry.countries} | {
        getattr(c, "common_name", c.name) for c in pycountry.countries
    }
    try:
        from khabar.knowledge import load_knowledge

        names |= set(load_knowledge().proper_names())
    except (ImportError, AttributeError):
        pass
    return _name_index(frozenset(names))


def _casing_damaged(text: str, casing: dict[str, Any]) -> bool:
    """Whether most sentences start with a small letter: the text lost its capitals."""
    starts = [m.group(1).islower() for m in _SENTENCE_START.finditer(text)]
    least = casing.get("damaged_min_sentences", 3)
    return len(starts) >= least and sum(starts) >= casing.get("damaged_share", 0.5) * len(starts)


def _place_names(
    text: str, common: frozenset[str], inflections: tuple[tuple[str, str], ...]
) -> frozenset[str]:
    """The gazetteer's names, as it writes them, of the places in the countries the text names
    whose names the text holds (sequences of up to three words). A town whose name is an English
    word ("Energy", "Home") is left out; a well-known place (province, capital) is not, and one
    named by common words is then repaired only on evidence (`_may_repair`). Only for a text
    without capitals: in well-cased text a town's name in lower case is a word."""
    gazetteer = load_gazetteer()
    runs = _runs(text)
    folded = [r.group().casefold() for r in runs]
    spans = {
        text[runs[i].start() : runs[i + n - 1].end()].casefold()
        for n in (1, 2, 3)
        for i in range(len(runs) - n + 1)
        if _worth_looking_up(folded[i : i + n], common)
    }
    found = {span: gazetteer.candidates(span) for span in spans}
    countries = {p.country for places in found.values() for p in places[:1] if p.feature == "country"}
    countries |= {c for word in set(folded) if (c := gazetteer.demonym_country(word))}
    return frozenset(
        p.name
        for span, places in found.items()
        for p in places
        if p.country in countries
        and p.feature != "country"
        and (gazetteer.well_known(p.id) or not all(_english(w, inflections) for w in _WORD.findall(span)))
    )


def _worth_looking_up(words: list[str], common: frozenset[str]) -> bool:
    return (
        all(w.isalpha() for w in words)
        and len(words[0]) > 2
        and words[0] not in STOP_WORDS
        and words[-1] not in STOP_WORDS
        and not all(w in common for w in words)
    )


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """The words of Webster's dictionary (web2) it writes in lower case: common words, not names
    ("energy" and "home" are there; Mosul and Batibo only capitalised, if at all)."""
    return frozenset(w for w in get_english_words_set(["web2"], alpha=True) if w.islower())


def _english(word: str, inflections: tuple[tuple[str, str], ...]) -> bool:
    """Whether a lower-case word is a common English word, or an inflection of one ("shields")."""
    words = _english_words()
    return word in words or any(
        word.endswith(end) and len(word) > len(end) + 2 and word[: -len(end)] + base in words
        for end, base in inflections
    )


# ---- casing repair -------------------------------------------------------------------------------


def repair_casing(
    text: str, casing: Casing, *, warnings: list[ArticleWarning], evidence: str | None = None
) -> str:
    """Capitalise proper nouns written in lower case. Repeated until nothing changes, since each
    repair is evidence for the next, so that cleaning twice gives what cleaning once gave.

    text (str): the text to repair.
    casing (Casing): the names and common words (`casing_for`).
    warnings (list[ArticleWarning]): gets a "casing_repaired" warning with examples.
    evidence (str | None): the text whose own capitals count (the body, when repairing a title).
    RETURNS (str): the text, with capitals added and none removed.
    """
    repaired: Counter[str] = Counter()
    for _ in range(4):
        seen = _evidence(text if evidence is None else evidence, casing.headline)
        new = _repair_casing_once(text, casing=casing, evidence=seen, repaired=repaired)
        if new == text:
            break
        text = new
    if repaired:
        shown = ", ".join(f'"{a}" -> "{b}"' for a, b in (k.split("\t") for k, _ in repaired.most_common(6)))
        warnings.append(
            ArticleWarning("casing_repaired", f"capitalised {sum(repaired.values())} proper names: {shown}")
        )
    return text


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \"'“‘([":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_OPENERS


def _evidence(text: str, headline: dict[str, Any]) -> tuple[Counter[str], Counter[str]]:
    """How often each word is written capitalised in mid-sentence, and how often all lower-case.
    Headline-like lines are skipped: title case capitalises common words."""
    capital: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for line in text.split("\n"):
        if not is_headline(line, headline):
            for r in _runs(line):
                word = r.group()
                if word.islower():
                    lower[word] += 1
                elif word[0].isupper() and not _sentence_initial(line, r.start()):
                    capital[word] += 1
    return capital, lower


def _upcase_like(word: str, model: str) -> str:
    """Give `word` the capitals of `model` (same letters), never removing one."""
    return "".join(
        m if m.isupper() and w.islower() and len(m) == 1 and m.casefold() == w else w
        for w, m in zip(word, model, strict=True)
    )


def _match_name(
    text: str, runs: list[re.Match[str]], folded: list[str], i: int, index: NameIndex
) -> tuple[int, NameEntry | None]:
    """The longest known name starting at word i, written with the name's own separators.
    `folded` holds the runs casefolded, computed once per text: this runs for every word."""
    for n in range(min(index.longest_from.get(folded[i], 0), len(runs) - i), 0, -1):
        entry = index.names.get(tuple(folded[i : i + n]))
        if entry is None:
            continue
        seps = [text[a.end() : b.start()] for a, b in pairwise(runs[i : i + n])]
        if all(s == c or {s, c} <= _NAME_SEPARATORS for s, c in zip(seps, entry[2], strict=True)):
            return n, entry
    return 0, None


def _may_repair(canonical: list[str], common: frozenset[str], capital: Counter[str]) -> bool:
    """A name made only of common words or acronyms is repaired only where the same text
    capitalises it in mid-sentence ("turkey" is a bird until the text says "talks in Turkey"); an
    acronym that is also a word ("US", "IT") never is."""
    acronyms = [c for c in canonical if len(c) > 1 and c.isupper()]
    if any(c.casefold() in common for c in acronyms):
        return False
    risky = set(acronyms) | {c for c in canonical if c.casefold() in common}
    return len(risky) < len(set(canonical)) or all(capital[c] for c in canonical)


def _repair_casing_once(
    text: str, *, casing: Casing, evidence: tuple[Counter[str], Counter[str]], repaired: Counter[str]
) -> str:
    capital, lower = evidence
    by_lower = {w.casefold(): w for w, _ in capital.most_common()[::-1]}
    runs = _unprotected(_runs(text), _protected_spans(text))
    folded = [r.group().casefold() for r in runs]
    chars = list(text)
    i = 0
    while i < len(runs):
        n, entry = _match_name(text, runs, folded, i, casing.index)
        span = (runs[i].start(), runs[i + n - 1].end()) if n else runs[i].span()
        old = text[span[0] : span[1]]
        if entry is not None and _may_repair(entry[1], casing.common, capital):
            words = [_upcase_like(r.group(), c) for r, c in zip(runs[i : i + n], entry[1], strict=True)]
            for r, w in zip(runs[i : i + n], words, strict=True):
                chars[r.start() : r.end()] = list(w)
        elif n <= 1 and _text_says_name(old, by_lower, capital, lower, casing.common):
            chars[span[0] : span[1]] = list(by_lower[old])
        new = "".join(chars[span[0] : span[1]])
        if new != old:
            repaired[f"{old}\t{new}"] += 1
        i += max(n, 1)
    return "".join(chars)


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """URLs, e-mail addresses and dotted abbreviations, in text order, overlapping spans merged
    (an abbreviation can stand inside a URL)."""
    spans = sorted(m.span() for pattern in (_PROTECTED, _ABBREVIATION) for m in pattern.finditer(text))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _unprotected(runs: list[re.Match[str]], protected: list[tuple[int, int]]) -> list[re.Match[str]]:
    """The word runs that start outside every protected span (spans in text order, not nested)."""
    starts = [a for a, _ in protected]
    kept = []
    for r in runs:
        k = bisect_right(starts, r.start()) - 1
        if k < 0 or r.start() >= protected[k][1]:
            kept.append(r)
    return kept


def _text_says_name(
    word: str, by_lower: dict[str, str], capital: Counter[str], lower: Counter[str], common: frozenset[str]
) -> bool:
    """A lower-case word the same text mostly capitalises in mid-sentence, and no common word."""
    form = by_lower.get(word)
    return (
        form is not None
        and word.islower()
        and len(word) > 2
        and word not in common
        and len(form) == len(word)
        and capital[form] > lower[word]
    )
