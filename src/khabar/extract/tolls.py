"""extract.tolls: a sentence -> the casualty counts it reports (killed, injured, casualties).

Part of the `extract` stage, after `annotate`: `extract.events` calls `find_tolls` on an event's
sentence, puts the counts on the mention (killed, injured) and may take the victims as
recipients. Counts become UCDP-style ranges (models.Toll): "at least three" is low 3, high None;
"more than 200" low 200; "up to 15" low None, high 15; "10 to 15" 10..15; "killed 12 people"
12..12 with best 12; "about 30" best 30 only; "hundreds" low 100 (lexicons/tolls.yaml says how
much each vague word is worth).

A number is a toll only when a cue says whom it counts (lexicons/tolls.yaml): a verb before it
("killed 12 people"), a word after it and its noun ("6 cops were killed", "13 injured", "200 people
dead"), a noun after it ("three deaths"), a noun and "of" before it ("the death of 6 cops"), a toll
noun before it ("the death toll rose to 30"), or the dependency parse when the words between are
longer (the counted noun is the subject of "died" or the object of "killed"). A verb before a
count counts the counts joined to it ("killing two soldiers and three civilians": 2 and 3, for the
caller to add up). Victims told one by one without a number are counted too ("killing a woman, her
son and a neighbour": 3; "a 65-year-old man was killed": 1). Numbers that count anything else ("two
posts", "four years", "15 tanks", "200 militants arrested"), ages, money, percentages and dates are
not tolls.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from khabar.errors import KnowledgeError
from khabar.extract.texts import doc_text
from khabar.knowledge import load_knowledge
from khabar.knowledge.loader import check_sections
from khabar.models import ActorRef, Toll

__all__ = ["Casualty", "check_lexicon", "find_tolls"]

LEXICON = "tolls"
Kind = Literal["killed", "injured", "casualties"]
KINDS: tuple[Kind, ...] = ("killed", "injured", "casualties")
#: Entities whose numbers never count people ("four years", "$5 million", "30%", "11th").
NOT_COUNTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})
#: Parts of speech a victims phrase is made of ("6 Pakistani police officers").
NOUN_PHRASE = frozenset({"ADJ", "NOUN", "PROPN"})
#: Parts of speech a list of victims after "including" is made of ("several civilians, women, and children").
VICTIM_LIST = NOUN_PHRASE | {"DET", "NUM", "CCONJ"}
#: Longest victims phrase read after a count, in words.
MAX_NOUN_PHRASE = 6
#: Longest cue or modifier phrase in the lexicon, in words ("claimed the lives of").
MAX_PHRASE = 5
#: Most words between a person and the verb after it that the toll's text still takes in ("was killed").
MAX_GAP = 3
DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?")
YEAR_LIKE = re.compile(r"1[5-9]\d\d|2[01]\d\d")
DIGIT_RANGE = re.compile(r"(\d+)[-–](\d+)")

Phrase = tuple[str, ...]


@dataclass
class Casualty:
    """One count of people killed, injured or hit (casualties), and who they were.

    kind (str): "killed" | "injured" | "casualties" (killed and injured together, as the word
        means in ordinary English; it belongs to neither figure alone).
    toll (Toll): the count as a range; its text and span cover the count and its cue.
    victims (ActorRef | None): the words naming the victims ("6 cops", "women and children"),
        not yet linked to an actor.
    """

    kind: Kind
    toll: Toll
    victims: ActorRef | None = None


@dataclass(frozen=True)
class _Count:
    """A number phrase in a sentence: tokens [start, end) of the sentence's token list."""

    start: int
    end: int
    low: int | None
    high: int | None
    best: int | None
    vague: bool = False


@dataclass(frozen=True)
class _Cues:
    """The lexicon compiled into word tables; phrases are tuples of lower-case words."""

    numbers: dict[str, int]
    multipliers: dict[str, int]
    vague: dict[Phrase, tuple[int | None, int | None]]
    modifiers: dict[Phrase, str]
    joiners: frozenset[str]
    between: dict[str, str]
    by_kind: dict[Kind, dict[str, frozenset[Phrase]]]
    bridge: frozenset[Phrase]
    toll_bridge: frozenset[Phrase]
    generic: frozenset[str]
    victim_lists: frozenset[Phrase]
    not_people: frozenset[Phrase]
    negators: frozenset[str]
    joined: frozenset[Phrase]
    persons: frozenset[str]
    single: frozenset[str]
    #: persons who may be combatants or officials; listed victims with none of them are civilians
    not_civilian: frozenset[str]
    civilian_actor: str | None
    #: cue words that may have persons as object or subject ("killing a woman", "a man died")
    person_verbs: frozenset[str]
    #: words other than digits and number words a number phrase may start with (modifiers, vague
    #: counts, "between", "a"): `_count` is tried on every word of every sentence, and most start none
    count_starts: frozenset[str]


def find_tolls(sent: SpacySpan) -> list[Casualty]:
    """The casualty counts one sentence reports.

    sent (Span): a sentence of the parsed article (`doc.sents`); offsets are into `doc.text`.
    RETURNS (list[Casualty]): one per count, in text order; several counts of one kind (e.g.
        "3 soldiers and 2 civilians were killed", "killing a woman and her son") are separate
        entries for the caller to add up.
    """
    cues = _cues()
    tokens = list(sent)
    words = [t.lower_ for t in tokens]
    found: list[Casualty] = []
    i, previous = 0, None
    while i < len(tokens):
        count = _count(words, i, cues)
        if count is None:
            i += 1
            continue
        cue = (
            _cue(tokens, words, count, cues, previous) if _counts_people(tokens, words, count, cues) else None
        )
        if cue is not None:
            found.append(_casualty(tokens, words, count, cue, cues))
        # only a count told after its verb passes the verb on ("killing 2 soldiers and 3 civilians")
        previous = (cue[0], cue[2]) if cue is not None and cue[1][0] < count.start else None
        i = count.end
    found += _persons(tokens, words, cues)
    return sorted(found, key=lambda c: c.toll.span[0] if c.toll.span else 0)


# ---- numbers ----------------------------------------------------------------------------------


def _count(words: Sequence[str], i: int, cues: _Cues) -> _Count | None:
    """The number phrase starting at word i: modifier, number or range, or a vague count."""
    if i >= len(words) or not _may_start_count(words[i], cues):
        return None
    start = i
    modifier, i = _longest(words, i, cues.modifiers)
    if i >= len(words):
        return None
    vague, end = _longest(words, i, cues.vague)
    if vague is not None and modifier is None:
        low, high = vague
        best = low if low == high else None
        return _Count(start, end, low, high, best, vague=True)
    if words[i] in cues.between:
        first = _number(words, i + 1, cues)
        joiner = cues.between[words[i]]
        if first and first[1] < len(words) and words[first[1]] == joiner:
            second = _number(words, first[1] + 1, cues)
            if second:
                return _Count(start, second[1], first[0], second[0], None)
    spans_range = DIGIT_RANGE.fullmatch(words[i])
    if spans_range:
        return _Count(start, i + 1, int(spans_range[1]), int(spans_range[2]), None)
    number = _number(words, i, cues)
    if number is None:
        return None
    value, end = number
    if end + 1 < len(words) and words[end] in cues.joiners:
        upper = _number(words, end + 1, cues)
        if upper and upper[0] > value:
            return _Count(start, upper[1], value, upper[0], None)
    return _bounded(start, end, value, modifier)


def _may_start_count(word: str, cues: _Cues) -> bool:
    """Whether a number phrase may start with the word: a digit, a number word ("twenty-five"
    too) or one of `cues.count_starts`; the quick test that spares most words the lookups."""
    return word[:1].isdigit() or word in cues.count_starts or word.partition("-")[0] in cues.numbers


def _bounded(start: int, end: int, value: int, rule: str | None) -> _Count:
    if rule == "low":
        return _Count(start, end, value, None, None)
    if rule == "high":
        return _Count(start, end, None, value, None)
    if rule == "about":
        return _Count(start, end, None, None, value)
    return _Count(start, end, value, value, value)


def _number(words: Sequence[str], i: int, cues: _Cues) -> tuple[int, int] | None:
    """The whole number written from word i ("1,200", "twenty-five", "two hundred", "1.5 million")
    and the index after it; None when word i starts no number."""
    if i >= len(words):
        return None
    word, spelled = words[i], _word_number(words[i], cues)
    if DIGITS.fullmatch(word):
        value, i = float(word.replace(",", "")), i + 1
    elif spelled is not None:
        value, i = spelled, i + 1
        # "twenty - five": the tokenizer splits hyphenated number words
        unit = _word_number(words[i + 1], cues) if i + 1 < len(words) and words[i] == "-" else None
        if unit is not None and unit < 10:
            value, i = value + unit, i + 2
    elif word in ("a", "an") and i + 1 < len(words) and words[i + 1] in cues.multipliers:
        value, i = 1, i + 1
    else:
        return None
    while i < len(words) and words[i] in cues.multipliers:
        value, i = value * cues.multipliers[words[i]], i + 1
    return (int(value), i) if value == int(value) and value > 0 else None


def _word_number(word: str, cues: _Cues) -> int | None:
    """A number word, hyphenated compounds included ("twenty-five" kept as one token)."""
    parts = word.split("-")
    if not all(p in cues.numbers for p in parts):
        return None
    return sum(cues.numbers[p] for p in parts)


# ---- cues -------------------------------------------------------------------------------------


def _counts_people(tokens: Sequence[Token], words: Sequence[str], count: _Count, cues: _Cues) -> bool:
    """False for numbers that are dates, ages, money or measures, or that are negated."""
    if any(_other_entity(tokens, k, count) for k in range(count.start, count.end)):
        return False
    if count.start > 0 and words[count.start - 1] in cues.negators:
        return False
    after = count.end + 1 if count.end < len(words) and words[count.end] == "-" else count.end
    return _longest(words, after, cues.not_people)[0] is None


def _other_entity(tokens: Sequence[Token], k: int, count: _Count) -> bool:
    """Whether word k is part of a date, money, percentage or measure. The NER model sometimes
    takes a bare count for a date ("Between 10 and 15 people died"): an entity made of the count's
    words alone is no evidence, unless the count looks like a year."""
    token = tokens[k]
    if token.ent_type_ not in NOT_COUNTS:
        return False
    base = tokens[0].i
    start, end = _entity_bounds(token)
    inside = base + count.start <= start and end <= base + count.end
    return not inside or bool(YEAR_LIKE.fullmatch(token.text))


def _entity_bounds(token: Token) -> tuple[int, int]:
    """The token's named entity as token offsets [start, end), read off the entity tags around
    it: `doc.ents` would build every entity of the doc, for each number in a date."""
    doc = token.doc
    start, end = token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


Found = tuple[Kind, tuple[int, int], int]


def _cue(
    tokens: Sequence[Token],
    words: Sequence[str],
    count: _Count,
    cues: _Cues,
    previous: tuple[Kind, int] | None,
) -> Found | None:
    """What says the count is of killed or injured people: (kind, the cue's words, the end of the
    counted noun phrase); None when nothing does."""
    # A cue before the count wins over one after it: in "killed 6 and 13 were injured" the 6 are
    # killed, though "were injured" follows them too.
    found = _cue_noun(words, count, cues) or _cue_before(tokens, words, count, cues)
    found = found or _cue_after(tokens, words, count, cues) or _cue_by_parse(tokens, count, cues)
    if found is None and previous is not None and tuple(words[previous[1] : count.start]) in cues.joined:
        # "killing two soldiers and three civilians": the verb before the first count counts both
        found = previous[0], (count.start, count.start), _noun_phrase_end(tokens, words, count.end, cues)
    return found


def _casualty(
    tokens: Sequence[Token], words: Sequence[str], count: _Count, found: Found, cues: _Cues
) -> Casualty:
    """The count as a Casualty of the kind its cue says."""
    kind, (cue_start, cue_end), phrase_end = found
    start, end = min(count.start, cue_start), max(count.end, cue_end, phrase_end)
    doc = tokens[0].doc
    first, last = tokens[start], tokens[end - 1]
    toll = Toll(
        low=count.low,
        high=count.high,
        best=count.best,
        text=doc_text(doc)[first.idx : last.idx + len(last)],
        span=(first.idx, last.idx + len(last)),
    )
    return Casualty(kind, toll, _victims(tokens, words, count, phrase_end, end, cues))


def _cue_noun(words: Sequence[str], count: _Count, cues: _Cues) -> Found | None:
    """A noun right after the count: "three deaths", "multiple fatalities"."""
    for kind in KINDS:
        noun, end = _longest(words, count.end, cues.by_kind[kind]["nouns"])
        if noun is not None:
            return kind, (count.end, end), count.end
    return None


def _cue_before(tokens: Sequence[Token], words: Sequence[str], count: _Count, cues: _Cues) -> Found | None:
    """A cue before the count: a verb ("killed 12"), a noun and "of" ("the death of 6"), a toll
    noun ("the death toll rose to 30") or a verb that needs its noun ("claimed 20 lives")."""
    s, phrase_end = count.start, _noun_phrase_end(tokens, words, _phrase_start(words, count), cues)
    for kind in KINDS:
        table = cues.by_kind[kind]
        start = _longest_before(words, s, table["before"])
        if start is None and s > 0 and words[s - 1] == "of":
            start = _longest_before(words, s - 1, table["of_nouns"])
        start = _toll_noun(words, s, table["tolls"], cues) if start is None else start
        if start is not None:
            return kind, (start, s), phrase_end
        start = _longest_before(words, s, table["verbs"])
        noun, end = _longest(words, count.end, table["lives"])
        if start is not None and noun is not None:
            return kind, (start, end), count.end
    return None


def _cue_after(tokens: Sequence[Token], words: Sequence[str], count: _Count, cues: _Cues) -> Found | None:
    """A cue past the count's noun phrase and linking words, saying what happened to them
    ("6 cops were killed", "200 people dead", "3 soldiers and 2 civilians were killed")."""
    phrase_end = k = _noun_phrase_end(tokens, words, _phrase_start(words, count), cues)
    bridged = False
    while k < len(words):
        for kind in KINDS:
            cue, end = _longest(words, k, cues.by_kind[kind]["after"])
            if cue is not None:
                return kind, (k, end), phrase_end
        bridge, end = _longest(words, k, cues.bridge)
        if bridge is not None:
            k, bridged = end, True
            continue
        # "3 soldiers and 2 civilians were killed"; in a headline "Two soldiers, three civilians killed"
        other = _count(words, k + 1, cues) if words[k] in ("and", ",") and not bridged else None
        if other is None:
            return None
        k = _noun_phrase_end(tokens, words, other.end, cues)
    return None


def _toll_noun(words: Sequence[str], s: int, tolls: frozenset[Phrase], cues: _Cues) -> int | None:
    k = s
    while (step := _longest_before(words, k, cues.toll_bridge)) is not None and s - step <= 4:
        k = step
    return _longest_before(words, k, tolls)


def _cue_by_parse(tokens: Sequence[Token], count: _Count, cues: _Cues) -> Found | None:
    """The parse's view when words stand between count and cue ("three people, including a
    child, were killed"): the counted noun is the subject of a cue verb or the object of one."""
    noun = tokens[count.end - 1]
    if noun.dep_ == "nummod":
        noun = noun.head
    verb = noun.head
    for kind in KINDS:
        table = cues.by_kind[kind]
        after = noun.dep_ in ("nsubj", "nsubjpass") and (verb.lower_,) in table["after"]
        before = noun.dep_ == "dobj" and (verb.lower_,) in table["before"]
        if (after or before) and tokens[0].i <= min(noun.i, verb.i) and max(noun.i, verb.i) <= tokens[-1].i:
            base = tokens[0].i
            return kind, (verb.i - base, verb.i - base + 1), max(count.end, noun.i - base + 1)
    return None


def _persons(tokens: Sequence[Token], words: Sequence[str], cues: _Cues) -> list[Casualty]:
    """Victims told one by one, without a number: "killing a woman, her son and a neighbour" (3),
    "a 65-year-old man was killed" (1). Every unnumbered victim of the verb must be one person ("a
    woman and children" is no count); numbered ones ("two soldiers and a civilian") are counted
    with the numbers."""
    found = []
    for verb in (tokens[k] for k, word in enumerate(words) if word in cues.person_verbs):
        victims: dict[Kind, list[Token]] = {}
        for noun in verb.children:
            kind = _person_kind(verb, noun, cues)
            if kind is not None:  # the parser may split one list into two objects
                victims.setdefault(kind, []).extend(_members(noun))
        for kind, members in victims.items():
            unique = {m.i: m for m in members if not any(c.dep_ == "nummod" for c in m.children)}
            singles = [unique[i] for i in sorted(unique)]
            # "killed two civilians, among them a farmer": the farmer is one of the two
            if singles and all(_one_person(m, cues) and not _among(m, cues) for m in singles):
                found.append(_listed(kind, verb, singles, cues))
    return found


def _person_kind(verb: Token, noun: Token, cues: _Cues) -> Kind | None:
    """The kind of a victim of the verb: its object ("killing a woman") or the subject of a passive
    or of a verb without object ("a man was killed", "a boy died")."""
    if noun.dep_ == "dobj":
        position = "before"
    elif noun.dep_ == "nsubjpass" or (
        noun.dep_ == "nsubj" and not any(c.dep_ == "dobj" for c in verb.children)
    ):
        position = "after"
    else:
        return None
    return next((k for k in KINDS if (verb.lower_,) in cues.by_kind[k][position]), None)


def _members(noun: Token) -> list[Token]:
    """The nouns of a list of victims: conjuncts, and appositions when an "and" shows the commas
    list people ("a woman, her son and a neighbour"; "a man, a teacher" is one man)."""
    for deps in (("conj", "appos"), ("conj",)):
        members, todo = [], [noun]
        while todo:
            token = todo.pop()
            members.append(token)
            todo.extend(c for c in token.children if c.dep_ in deps)
        if any(c.dep_ == "cc" for m in members for c in m.children) or deps == ("conj",):
            return sorted(members, key=lambda t: t.i)
    return [noun]


def _among(noun: Token, cues: _Cues) -> bool:
    """Whether a noun phrase opens a list of those already counted ("including a child")."""
    first = noun.left_edge
    before = [t.lower_ for t in first.doc[max(first.i - MAX_PHRASE, 0) : first.i]]
    return any(tuple(before[-n:]) in cues.victim_lists for n in range(1, len(before) + 1))


def _one_person(noun: Token, cues: _Cues) -> bool:
    """A singular noun for a person, introduced by "a", "the", "one" or a possessive ("her son")."""
    introduced = any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in cues.single) for c in noun.children)
    return noun.tag_ == "NN" and introduced and noun.lower_ in cues.persons


def _listed(kind: Kind, verb: Token, persons: Sequence[Token], cues: _Cues) -> Casualty:
    """The persons as one count; its text runs from the first to the last person, with the verb
    when it is next to them ("killing a woman ...", "a man was killed"); civilians when none of
    them may be a combatant or an official."""
    first, last = persons[0].left_edge, persons[-1].right_edge
    start, end = first.idx, last.idx + len(last)
    if verb.i == first.i - 1:
        start = verb.idx
    elif 0 < verb.i - last.i <= MAX_GAP:
        end = verb.idx + len(verb)
    text, n = doc_text(verb.doc), len(persons)
    civilians = not any(p.lower_ in cues.not_civilian for p in persons)
    victims = ActorRef(
        text=text[first.idx : last.idx + len(last)],
        actor=cues.civilian_actor if civilians else None,
        span=(first.idx, last.idx + len(last)),
    )
    return Casualty(kind, Toll(n, n, n, text[start:end], (start, end)), victims)


def _phrase_start(words: Sequence[str], count: _Count) -> int:
    """Where the counted noun phrase starts: after "of" for vague counts ("dozens of civilians")."""
    has_of = count.vague and count.end < len(words) and words[count.end] == "of"
    return count.end + 1 if has_of else count.end


def _noun_phrase_end(tokens: Sequence[Token], words: Sequence[str], k: int, cues: _Cues) -> int:
    """The index after the noun phrase starting at k ("Pakistani soldiers"), or k when none; it
    stops before a cue ("200 people dead")."""
    start = k
    while k < len(tokens) and k - start < MAX_NOUN_PHRASE:
        if tokens[k].pos_ not in NOUN_PHRASE and not (words[k] == "-" and k > start):
            break
        if any(_longest(words, k, cues.by_kind[kind]["after"])[0] for kind in KINDS):
            break
        k += 1
    return k


def _victims(
    tokens: Sequence[Token], words: Sequence[str], count: _Count, phrase_end: int, end: int, cues: _Cues
) -> ActorRef | None:
    """Who the count is of: its own noun phrase ("6 cops") unless that says only "people", then
    the list after "including" ("women and children"), then the bare phrase ("200 people")."""
    own = _ref(tokens, count.start, phrase_end) if phrase_end > count.end else None
    if own is not None and words[phrase_end - 1] not in cues.generic:
        return own
    k = _list_start(words, phrase_end, cues)
    k = _list_start(words, end, cues) if k is None else k
    if k is None:
        return own
    stop = k
    while stop < len(tokens) and (tokens[stop].pos_ in VICTIM_LIST or words[stop] in (",", "-")):
        if words[stop] == "," and _subject_follows(tokens, stop + 1):
            break  # "including children, a local rights group said": the source, no victim
        stop += 1
    while stop > k and (tokens[stop - 1].is_punct or tokens[stop - 1].pos_ == "CCONJ"):
        stop -= 1
    return _ref(tokens, k, stop) if stop > k else own


def _subject_follows(tokens: Sequence[Token], k: int) -> bool:
    """Whether the noun phrase at word k is the subject of a verb (a reporting clause)."""
    while k < len(tokens) and tokens[k].pos_ in VICTIM_LIST:
        if tokens[k].dep_ in ("nsubj", "nsubjpass"):
            return True
        k += 1
    return False


def _list_start(words: Sequence[str], k: int, cues: _Cues) -> int | None:
    """Where a list of victims starts when ", including" (or the like) opens one at word k."""
    k += 1 if k < len(words) and words[k] == "," else 0
    opener, end = _longest(words, k, cues.victim_lists)
    return end if opener is not None else None


def _ref(tokens: Sequence[Token], start: int, end: int) -> ActorRef:
    first, last = tokens[start], tokens[end - 1]
    span = (first.idx, last.idx + len(last))
    return ActorRef(text=doc_text(first.doc)[span[0] : span[1]], span=span)


def _longest(words: Sequence[str], i: int, phrases: dict[Phrase, Any] | frozenset[Phrase]) -> tuple[Any, int]:
    """The longest phrase starting at word i: (its value, or the phrase for a set; end index);
    (None, i) when none starts there."""
    for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
        phrase = tuple(words[i : i + n])
        if phrase in phrases:
            return (phrases[phrase] if isinstance(phrases, dict) else phrase), i + n
    return None, i


def _longest_before(words: Sequence[str], end: int, phrases: frozenset[Phrase]) -> int | None:
    """Where the longest phrase ending just before word `end` starts; None when none ends there."""
    for n in range(min(MAX_PHRASE, end), 0, -1):
        if tuple(words[end - n : end]) in phrases:
            return end - n
    return None


# ---- the lexicon --------------------------------------------------------------------------------


def _phrases(words: Sequence[str]) -> frozenset[Phrase]:
    return frozenset(tuple(str(w).lower().split()) for w in words)


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    lex = _lexicon(LEXICON)
    check_lexicon(lex)
    by_kind: dict[Kind, dict[str, frozenset[Phrase]]] = {}
    for kind in KINDS:
        table = lex["cues"][kind]
        by_kind[kind] = {
            pos: _phrases(table[pos]) for pos in ("before", "after", "nouns", "of_nouns", "tolls")
        }
        by_kind[kind]["verbs"] = _phrases(table["with_verb"]["verbs"])
        by_kind[kind]["lives"] = _phrases(table["with_verb"]["nouns"])
    vague = {tuple(k.lower().split()): (v["low"], v["high"]) for k, v in lex["vague_counts"].items()}
    modifiers = {tuple(k.lower().split()): v for k, v in lex["modifiers"].items()}
    between = {str(k).lower(): str(v).lower() for k, v in lex["between"].items()}
    return _Cues(
        numbers={str(k).lower(): int(v) for k, v in lex["number_words"].items()},
        multipliers={str(k).lower(): int(v) for k, v in lex["multipliers"].items()},
        vague=vague,
        modifiers=modifiers,
        joiners=frozenset(lex["range_words"]),
        between=between,
        by_kind=by_kind,
        bridge=_phrases(lex["bridge"]),
        toll_bridge=_phrases(lex["toll_bridge"]),
        generic=frozenset(w.lower() for w in lex["generic_victims"]),
        victim_lists=_phrases(lex["victim_lists"]),
        not_people=_phrases(lex["not_people"]),
        negators=frozenset(w.lower() for w in lex["negators"]),
        joined=_phrases(lex["joined_counts"]) | {(",",)},
        persons=frozenset(w.lower() for w in lex["persons"]["nouns"]),
        single=frozenset(w.lower() for w in lex["persons"]["determiners"]),
        not_civilian=frozenset(w.lower() for w in lex["persons"].get("not_civilian", [])),
        civilian_actor=lex["persons"].get("civilian_actor"),
        person_verbs=frozenset(
            p[0] for t in by_kind.values() for k in ("before", "after") for p in t[k] if len(p) == 1
        ),
        count_starts=frozenset({w for p in [*modifiers, *vague] for w in p[:1]} | set(between) | {"a", "an"}),
    )


#: The sections lexicons/tolls.yaml must have, with the type of each.
SCHEMA = {
    "number_words": dict,
    "multipliers": dict,
    "vague_counts": dict,
    "modifiers": dict,
    "range_words": list,
    "between": dict,
    "cues": dict,
    "bridge": list,
    "toll_bridge": list,
    "generic_victims": list,
    "victim_lists": list,
    "not_people": list,
    "negators": list,
    "joined_counts": list,
    "persons": dict,
}


def check_lexicon(lex: Any, *, name: str = "lexicons/tolls.yaml") -> None:
    """Raise KnowledgeError, naming the file and entry, when the tolls lexicon is malformed.

    lex (Any): the parsed YAML.
    name (str): the file, for the message.
    """
    check_sections(lex, SCHEMA, name=name)
    for word, value in (*lex["number_words"].items(), *lex["multipliers"].items()):
        if not isinstance(value, int) or value <= 0:
            raise KnowledgeError(f"number word {word!r} needs a positive integer", source=name)
    for phrase, rng in lex["vague_counts"].items():
        if not isinstance(rng, dict) or not all(isinstance(rng.get(k), int | None) for k in ("low", "high")):
            raise KnowledgeError(f"vague count {phrase!r} needs integer-or-null low and high", source=name)
    for phrase, rule in lex["modifiers"].items():
        if rule not in ("low", "high", "about"):
            raise KnowledgeError(f"modifier {phrase!r} must be low, high or about", source=name)
    for kind in KINDS:
        table = lex["cues"].get(kind)
        positions = ("before", "after", "nouns", "of_nouns", "tolls")
        if not isinstance(table, dict) or not all(isinstance(table.get(p), list) for p in positions):
            raise KnowledgeError(f"cues for {kind!r} need lists {', '.join(positions)}", source=name)
        pair = table.get("with_verb")
        if not isinstance(pair, dict) or not all(isinstance(pair.get(p), list) for p in ("verbs", "nouns")):
            raise KnowledgeError(f"cues for {kind!r} need with_verb: {{verbs: [], nouns: []}}", source=name)
        too_long = [w for p in positions for w in table[p] if len(str(w).split()) > MAX_PHRASE]
        if too_long:
            raise KnowledgeError(f"cue {too_long[0]!r} is longer than {MAX_PHRASE} words", source=name)
    persons = lex["persons"]
    if not all(isinstance(persons.get(k), list) for k in ("nouns", "determiners")):
        raise KnowledgeError("persons needs lists nouns and determiners", source=name)


def _lexicon(name: str) -> Any:
    """knowledge/lexicons/<name>.yaml, through the knowledge loader."""
    return load_knowledge().lexicon(name)
