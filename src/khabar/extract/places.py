"""Place mentions: spaCy Doc -> `PlaceMatch`es (where the text names a place, and which place).

Part of `extract`, after `annotate`: `extract` calls `article_countries` once per article, then
`find_places` with those countries, and picks each event's location among the matches. Candidates
are the model's GPE/LOC/FAC entities, names it mislabels (as people, organisations, products ...)
or leaves unlabelled where a preposition such as "in" or "near" puts them, names a kind of place
qualifies ("Rakhine state", "the port of Hodeidah"), plus the names and aliases of the gazetteer
supplement (the small model misses or mislabels "Orakzai", "Dera Ismail Khan", "Spin Boldak").
Demonyms ("Pakistani") and places inside organisation names ("Pakistan Army") are not places; a
country named as an actor ("Pakistan launched airstrikes") is, and comes back with its span like
any other.

A name that is surely a place but that the gazetteer lacks (villages, districts, neighbourhoods:
"the village of Chiure Velho") is linked to the area it lies in (`extract.place_links`), as ACLED
codes such events with a lower geo-precision: the place its own phrase names ("Tibú, Norte de
Santander", "Kugwe near Batibo"), else, when a feature word says it is a place, the area its
clause names or the article's other places share. The match keeps the name as written; its place
is that area.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, IS_ALPHA, IS_TITLE, IS_UPPER, LOWER, POS
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from khabar.extract.lexicon import phrase_tokenizer
from khabar.extract.place_links import link_unknown
from khabar.knowledge.gazetteer import Gazetteer
from khabar.models import Place, PlaceRef

__all__ = ["PlaceMatch", "article_countries", "find_places"]

#: Entity labels that name places; others are only accepted when they are a gazetteer name.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Entity labels whose longer names ("Khyber Pakhtunkhwa Police") are not places.
NAME_LABELS = frozenset({"ORG", "PERSON", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"})
#: Labels the small model often gives to places it does not know ("Gao", "Spin Boldak", "near
#: Sandaré" as a product, "Dejen" as a nationality).
MISLABELS = frozenset({"PERSON", "ORG", "PRODUCT", "NORP", "WORK_OF_ART", "EVENT"})
#: Features of places small enough for the model not to know them.
TOWNS = frozenset({"city", "town", "village"})
#: Entity labels that make a name the gazetteer lacks surely a place.
SURE_LABELS = frozenset({"GPE", "LOC"})
_CASED, _GENERIC = "PLACE_NAME", "PLACE_PHRASE"
_POBJ = get_string_id("pobj")


@dataclass
class PlaceMatch:
    """A place named in the text: the words and their span (`ref`) and the place they name; for
    a name the gazetteer lacks, the area it lies in (`linked`)."""

    ref: PlaceRef
    place: Place
    linked: bool = False


@dataclass
class _Candidate:
    """A place-like span; `sure` when it names a place though the gazetteer may lack it, `typed`
    when a feature word says so ("the village of X", "X district"); `qualified` when its last word
    only says what kind of place it is ("Lower Shabelle region")."""

    span: Span
    supplement: bool = False
    sure: bool = False
    typed: bool = False
    qualified: bool = False


@lru_cache(maxsize=4)
def _matcher(gazetteer: Gazetteer, vocab: Vocab) -> PhraseMatcher:
    """The supplement's names as a case-insensitive phrase matcher, built once per vocab."""
    tokenizer = phrase_tokenizer()
    matcher = PhraseMatcher(vocab, attr="LOWER")
    names = gazetteer.supplement_names()
    generic = [n for n in names if n == n.lower()]
    matcher.add(_CASED, list(tokenizer.pipe(n for n in names if n != n.lower())))
    matcher.add(_GENERIC, list(tokenizer.pipe(generic)))
    return matcher


def _supplement_spans(doc: Doc, *, gazetteer: Gazetteer) -> list[Span]:
    """Supplement names in the text; a capitalised name must be capitalised in the text too."""
    spans = []
    for label, start, end in _matcher(gazetteer, doc.vocab)(doc):
        span = Span(doc, start, end, label=label)
        if doc.vocab.strings[label] == _GENERIC or span.text[:1].isupper():
            spans.append(span)
    return spans


def _trim(span: Span, *, gazetteer: Gazetteer, written: bool = False) -> Span | None:
    """The span without a leading determiner or lower-case qualifier ("north west London"), or a
    trailing possessive, punctuation or, unless the name is `written` so in the supplement ("the
    Pakistan-Afghanistan border"), lower-case word the model took in ("Macomia on"; a feature
    word stays: "Kyiv region")."""
    start, end = span.start, span.end
    doc = span.doc
    named = any(_is_name_word(t) for t in span)
    while start < end and (doc[start].dep_ == "det" or (named and not _is_name_word(doc[start]))):
        start += 1
    while end > start and _trails(doc[end - 1], gazetteer, written=written):
        end -= 1
    return Span(doc, start, end, label=span.label) if end > start else None


def _trails(token: Token, gazetteer: Gazetteer, *, written: bool) -> bool:
    """Whether a word at the end of a candidate is no part of the name."""
    stray = not written and token.is_lower and token.is_alpha and token.lower_ not in gazetteer.feature_words
    return stray or token.is_punct or token.lower_ in {"'s", "’s", "'"}


def _is_name_word(token: Token) -> bool:
    return token.is_alpha and (token.is_title or token.is_upper)


def _in_other_name(span: Span, ents: Sequence[Span], *, gazetteer: Gazetteer) -> bool:
    """Whether the span is part of a longer proper name that is not a place ("Pakistan Army",
    "Cambridge Analytica"). A title before a person's name is no such name: "U.S. President
    Donald Trump" and "Kabul police chief" still name the place. `ents` are the doc's entities."""
    for ent in ents:
        inside = ent.start <= span.start and span.end <= ent.end and len(ent) > len(span)
        if inside and ent.label_ in NAME_LABELS and ent.label_ != "PERSON":
            extra = [*span.doc[ent.start : span.start], *span.doc[span.end : ent.end]]
            if any(_is_name_word(t) and not gazetteer.is_feature_word(t.text) for t in extra):
                return True
    token = span.root
    while token.dep_ == "compound" and token.head.i > token.i and _is_name_word(token.head):
        token = token.head
    if token.i < span.end:
        return False
    return token.ent_type_ not in {"PERSON", *PLACE_LABELS} and not gazetteer.is_feature_word(token.text)


def _entity_candidate(ent: Span, *, gazetteer: Gazetteer, countries: Sequence[str]) -> _Candidate | None:
    """A place entity, or a name the model mislabelled that stands where places stand ("near
    Gao", "in Mali"), or any name a kind of place is of ("the town of Mirebalais"); all surely
    places, but for a building or a one-word organisation that is a town of the article's
    countries, which count only when the gazetteer knows them."""
    if ent.label_ in PLACE_LABELS:
        return _Candidate(ent, sure=ent.label_ in SURE_LABELS)
    root = ent.root
    if root.dep_ == "pobj" and root.head.lower_ == "of" and gazetteer.is_feature_word(root.head.head.text):
        # "the town of Mirebalais"; "the Department of Defense" names no place
        typed = root.head.head.is_lower
        return _Candidate(ent, sure=typed, typed=typed)
    if ent.label_ not in MISLABELS:
        return None
    if root.dep_ == "pobj" and gazetteer.is_locative(root.head.text):
        return _Candidate(ent, sure=True)
    if any(c.dep_ == "appos" and c.is_lower and c.lower_ in gazetteer.feature_words for c in root.children):
        return _Candidate(ent, sure=True, typed=True)  # "Kalimbo, a town in North Kivu"
    return _Candidate(ent) if _local_town(ent, gazetteer, countries) else None


def _local_town(ent: Span, gazetteer: Gazetteer, countries: Sequence[str]) -> bool:
    """Whether a one-word name the model took for an organisation is a town of the countries the
    article is about ("attack on Djibo" in a report on Burkina Faso); a one-word person is more
    often a surname than a town, unless a preposition governs it ("the fighting for Goma") or an
    apposition says what kind of place it is ("entered Bukavu, the capital of South Kivu")."""
    if len(ent) != 1 or ent.label_ not in ("ORG", "PERSON"):
        return False
    root = ent.root
    placed = (
        ent.label_ == "ORG"
        or root.dep_ == "pobj"
        or any(c.dep_ == "appos" and _of_place(c, gazetteer) for c in root.children)
    )
    return placed and _place_of(ent.text, gazetteer, countries, kinds=TOWNS)


def _of_place(noun: Token, gazetteer: Gazetteer) -> bool:
    """Whether a noun is "of" a place: "the capital of South Kivu province", "the seat of Kayes"."""
    return any(
        obj.ent_type_ in PLACE_LABELS or obj.lower_ in gazetteer.feature_words
        for prep in noun.children
        if prep.dep_ == "prep" and prep.lower_ == "of"
        for obj in prep.children
        if obj.dep_ == "pobj"
    )


def _place_of(name: str, gazetteer: Gazetteer, countries: Sequence[str], *, kinds: frozenset[str]) -> bool:
    """Whether a name is a place of one of these kinds in the countries the article is about."""
    return bool(countries) and any(
        p.country in countries and p.feature in kinds for p in gazetteer.candidates(name, countries=countries)
    )


def _unlabelled_names(doc: Doc, *, gazetteer: Gazetteer, countries: Sequence[str]) -> list[_Candidate]:
    """Proper nouns the model gave no entity at all where a locative preposition puts them ("In
    Kyiv, a drone hit ...", "in Amhara", "near Kugwe"): surely places."""
    if not countries:  # only for the places of the article's countries: with none, spare every word a look
        return []
    # the words looked at in one array, not one by one (#3): title-case proper nouns, objects of
    # a preposition, in no entity
    words = doc.to_array([ENT_TYPE, POS, IS_TITLE, DEP])
    at = np.flatnonzero(
        (words[:, 0] == 0) & (words[:, 1] == PROPN) & (words[:, 2] == 1) & (words[:, 3] == _POBJ)
    )
    found = []
    for i in at:
        token = doc[int(i)]
        if gazetteer.is_locative(token.head.text):
            start = token.i
            while start > 0 and doc[start - 1].dep_ == "compound" and _is_name_word(doc[start - 1]):
                start -= 1
            found.append(_Candidate(Span(doc, start, token.i + 1, label="GPE"), sure=True))
    return found


def _qualified_names(doc: Doc, ents: Sequence[Span], *, gazetteer: Gazetteer) -> list[_Candidate]:
    """Names a kind of place qualifies, whatever the model saw: "Rakhine state", "Macomia district"
    (the name with its feature word), "the port of Hodeidah", "the village of Chiure Velho" (the
    name alone). Surely places when the feature word is in lower case; "Islamic State" or "the
    Department of Defense" are organisations."""
    # asked of every word of every article: compare the words' ids, read in one array, not
    # each word's text (#3)
    kinds = _feature_ids(gazetteer)
    at = [i for i, word in enumerate(doc.to_array(LOWER).tolist()) if word in kinds]
    hits = [doc[i] for i in at if doc[i].pos_ in ("NOUN", "PROPN")]
    if not hits:
        return []
    named = {i for ent in ents if ent.label_ not in PLACE_LABELS for i in range(ent.start, ent.end)}
    found = []
    for token in hits:
        if token.i in named:
            continue
        start = _name_start(doc, token.i, gazetteer=gazetteer)
        if start < token.i:
            kind = token.is_lower
            found.append(_Candidate(doc[start : token.i + 1], sure=kind, typed=kind, qualified=kind))
        after = token.i + 2
        if token.is_lower and after < len(doc) and doc[token.i + 1].lower_ == "of":
            end = _name_end(doc, after, gazetteer=gazetteer)
            if end > after:
                found.append(_Candidate(doc[after:end], sure=True, typed=True))
    return found


@lru_cache(maxsize=4)
def _feature_ids(gazetteer: Gazetteer) -> frozenset[int]:
    """The string ids of the one-word feature words, as spaCy gives a word's lower case."""
    return frozenset(get_string_id(word) for word in gazetteer.feature_words if " " not in word)


def _name_start(doc: Doc, end: int, *, gazetteer: Gazetteer) -> int:
    """Where the run of proper nouns ending before `end` starts, particles and hyphens inside
    ("Nioro du Sahel", "Nagorno-Karabakh"); `end` when there is none."""
    start = end
    while start > 0:
        if _is_proper(doc[start - 1]):
            start -= 1
        elif start < end and start > 1 and _joins(doc[start - 1], gazetteer) and _is_proper(doc[start - 2]):
            start -= 2
        else:
            break
    return start


def _name_end(doc: Doc, start: int, *, gazetteer: Gazetteer) -> int:
    """Where the run of proper nouns from `start` ends."""
    end = start
    while end < len(doc):
        if _is_proper(doc[end]):
            end += 1
        elif end > start and end + 1 < len(doc) and _joins(doc[end], gazetteer) and _is_proper(doc[end + 1]):
            end += 2
        else:
            break
    return end


def _may_name(words: Span, gazetteer: Gazetteer) -> bool:
    """Whether words may be the name of a place the gazetteer lacks: name words, particles and
    feature words, at least one name word not a feature word ("Chiure Velho", "Nioro du Sahel",
    "Abu Salim district"; not "M23" nor "District")."""
    kinds = gazetteer.feature_words
    named = [t for t in words if _is_name_word(t) and t.lower_ not in kinds]
    return bool(named) and all(_is_name_word(t) or _joins(t, gazetteer) or t.lower_ in kinds for t in words)


def _is_proper(token: Token) -> bool:
    return token.pos_ == "PROPN" and _is_name_word(token)


def _joins(token: Token, gazetteer: Gazetteer) -> bool:
    """Whether a word joins two name words into one name: a hyphen or a particle ("du")."""
    return (token.text == "-" and not token.whitespace_) or token.lower_ in gazetteer.cues.particles


def _candidates(
    doc: Doc, ents: Sequence[Span], *, gazetteer: Gazetteer, countries: Sequence[str] = ()
) -> list[_Candidate]:
    """Place-like spans, longest first among overlaps."""
    found = [_Candidate(span, supplement=True) for span in _supplement_spans(doc, gazetteer=gazetteer)]
    for ent in ents:
        candidate = _entity_candidate(ent, gazetteer=gazetteer, countries=countries)
        if candidate is not None:
            found.append(candidate)
    found += _unlabelled_names(doc, gazetteer=gazetteer, countries=countries)
    found += _qualified_names(doc, ents, gazetteer=gazetteer)
    flags: dict[tuple[int, int], _Candidate] = {}
    for candidate in found:
        key = (candidate.span.start, candidate.span.end)
        seen = flags.setdefault(key, candidate)
        seen.supplement |= candidate.supplement
        seen.sure |= candidate.sure
        seen.typed |= candidate.typed
        seen.qualified |= candidate.qualified
    return [flags[(span.start, span.end)] for span in filter_spans([c.span for c in found])]


def _name(candidate: _Candidate, ents: Sequence[Span], *, gazetteer: Gazetteer) -> Span | None:
    """The candidate's words trimmed, or None when they are no place name."""
    trimmed = _trim(candidate.span, gazetteer=gazetteer, written=candidate.supplement)
    if trimmed is None or gazetteer.demonym_country(trimmed.text):
        return None
    if not candidate.supplement and not trimmed.text[:1].isupper():
        return None
    return None if _in_other_name(trimmed, ents, gazetteer=gazetteer) else trimmed


def _read(
    doc: Doc, *, gazetteer: Gazetteer, countries: Sequence[str]
) -> tuple[list[tuple[Span, Place]], list[tuple[Span, bool]]]:
    """The places the gazetteer knows with their words, and the names of places it lacks (True
    when a feature word says they are places)."""
    known, unknown = [], []
    ents = doc.ents  # spaCy builds the tuple anew on each access
    for candidate in _candidates(doc, ents, gazetteer=gazetteer, countries=countries):
        words = _name(candidate, ents, gazetteer=gazetteer)
        place = gazetteer.lookup(words.text, countries=countries) if words is not None else None
        if words is not None and place is not None:
            # the place found says what kind it is: the name is the name ("Lower Shabelle"),
            # unless the supplement writes it with the word ("Torkham crossing")
            qualified = candidate.qualified and not candidate.supplement and len(words) > 1
            known.append((words[:-1] if qualified else words, place))
        elif words is not None and candidate.sure and _may_name(words, gazetteer):
            unknown.append((words, candidate.typed))
    return known, unknown


def _match(words: Span, place: Place, *, linked: bool = False) -> PlaceMatch:
    return PlaceMatch(PlaceRef(words.text, place.id, (words.start_char, words.end_char)), place, linked)


def find_places(doc: Doc, *, gazetteer: Gazetteer, countries: Sequence[str] = ()) -> list[PlaceMatch]:
    """Every place the text names, in text order: those the gazetteer knows, and names of places
    it lacks linked to the area they lie in (see the module docstring).

    doc (Doc): the parsed article (`annotate`); offsets are article offsets.
    gazetteer (Gazetteer): the gazetteer (`load_gazetteer()`).
    countries (Sequence[str]): the article's countries (alpha-2, most relevant first, e.g. from
        `article_countries`), used to choose among places of one name ("Hyderabad") and to accept
        common-noun aliases ("the border area").
    RETURNS (list[PlaceMatch]): one match per mention, with the words, span and place.
    """
    known, unknown = _read(doc, gazetteer=gazetteer, countries=countries)
    matches = [_match(words, place) for words, place in known]
    linked = link_unknown(unknown, known, gazetteer=gazetteer)
    matches += [_match(words, area, linked=True) for words, area in linked]
    return sorted(matches, key=lambda m: m.ref.span or (0, 0))


def _votes(known: Iterable[tuple[Span, Place]], *, gazetteer: Gazetteer) -> Iterable[tuple[str, float, int]]:
    """(country, weight, position) for each place mention: an ambiguous name ("Hyderabad",
    "Punjab") splits its vote among the countries it may lie in, counting only well-known places
    when the likeliest reading is one ("US" is not the village of Us in France)."""
    for words, place in known:
        found = gazetteer.candidates(words.text) or [place]
        if gazetteer.well_known(found[0].id):
            found = [p for p in found if gazetteer.well_known(p.id)]
        countries = {c for p in found for c in gazetteer.countries_of(p.id)}
        for code in countries:
            yield code, 1 / len(countries), words.start_char


def _demonym_votes(doc: Doc, *, gazetteer: Gazetteer) -> Iterable[tuple[str, float, int]]:
    words = doc.to_array([IS_ALPHA, IS_TITLE, IS_UPPER])  # one array, not every word one by one (#3)
    for i in np.flatnonzero((words[:, 0] == 1) & ((words[:, 1] == 1) | (words[:, 2] == 1))):
        token = doc[int(i)]
        if code := gazetteer.demonym_country(token.text):
            yield code, 1.0, token.idx


def article_countries(doc: Doc, *, gazetteer: Gazetteer) -> list[str]:
    """The countries an article is about, the most mentioned first.

    doc (Doc): the parsed article.
    gazetteer (Gazetteer): the gazetteer.
    RETURNS (list[str]): alpha-2 codes, by mentions of the country, its places and its demonyms
        (ties: the first mentioned first); an ambiguous name splits its mention among the countries
        it may lie in, and a country needs at least one whole mention.
    """
    weight: Counter[str] = Counter()
    first: dict[str, int] = {}
    for code, vote, position in [
        *_votes(_read(doc, gazetteer=gazetteer, countries=())[0], gazetteer=gazetteer),
        *_demonym_votes(doc, gazetteer=gazetteer),
    ]:
        weight[code] += vote
        first[code] = min(position, first.get(code, position))
    # A country that only an ambiguous name might point to ("Charlotte": also in St Vincent) is not
    # context: letting it in would make that reading win.
    return sorted((c for c in weight if weight[c] >= 1), key=lambda code: (-weight[code], first[code]))
