"""Place mentions: spaCy Doc -> `PlaceMatch`es (where the text names a place, and which place).

Part of `extract`, after `annotate`: `extract` calls `article_countries` once per article, then
`find_places` with those countries, and picks each event's location among the matches. Candidates
are the model's GPE/LOC/FAC entities, names it mislabels as people or organisations (or leaves
unlabelled) where a preposition such as "in" or "near" puts them, plus the names and aliases of
the gazetteer supplement (the small model misses or mislabels "Orakzai", "Dera Ismail Khan",
"Spin Boldak"). Demonyms ("Pakistani") and places inside organisation names ("Pakistan Army") are
not places; a country named as an actor ("Pakistan launched airstrikes") is, and comes back with
its span like any other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from khabar.extract.lexicon import phrase_tokenizer
from khabar.knowledge.gazetteer import Gazetteer
from khabar.models import Place, PlaceRef

__all__ = ["PlaceMatch", "article_countries", "find_places"]

#: Entity labels that name places; others are only accepted when they are a gazetteer name.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Entity labels whose longer names ("Khyber Pakhtunkhwa Police") are not places.
NAME_LABELS = frozenset({"ORG", "PERSON", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"})
#: Labels the small model often gives to places it does not know ("Gao", "Spin Boldak").
MISLABELS = frozenset({"PERSON", "ORG"})
#: Features of places small enough for the model not to know them.
TOWNS = frozenset({"city", "town", "village"})
_CASED, _GENERIC = "PLACE_NAME", "PLACE_PHRASE"


@dataclass
class PlaceMatch:
    """A place named in the text: the words and their span (`ref`) and the place they name."""

    ref: PlaceRef
    place: Place


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


def _trim(span: Span) -> Span | None:
    """The span without a leading determiner or lower-case qualifier ("north west London"), or a
    trailing possessive or punctuation."""
    start, end = span.start, span.end
    named = any(_is_name_word(t) for t in span)
    while start < end and (span.doc[start].dep_ == "det" or (named and not _is_name_word(span.doc[start]))):
        start += 1
    while end > start and (span.doc[end - 1].lower_ in {"'s", "’s", "'"} or span.doc[end - 1].is_punct):
        end -= 1
    return Span(span.doc, start, end, label=span.label) if end > start else None


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


def _is_place_entity(ent: Span, *, gazetteer: Gazetteer, countries: Sequence[str] = ()) -> bool:
    """A place entity, or a name the model took for a person or organisation that stands where
    places stand ("near Gao", "in Mali"), or any name a kind of place is of ("the town of
    Mirebalais")."""
    if ent.label_ in PLACE_LABELS:
        return True
    root = ent.root
    if root.dep_ == "pobj" and root.head.lower_ == "of" and gazetteer.is_feature_word(root.head.head.text):
        return True
    if ent.label_ not in MISLABELS:
        return False
    return (root.dep_ == "pobj" and gazetteer.is_locative(root.head.text)) or _local_town(
        ent, gazetteer, countries
    )


def _local_town(ent: Span, gazetteer: Gazetteer, countries: Sequence[str]) -> bool:
    """Whether a one-word name the model took for an organisation is a town of the countries the
    article is about ("attack on Djibo" in a report on Burkina Faso); a one-word person is more
    often a surname than a town, unless a preposition governs it ("the fighting for Goma")."""
    person_as_object = ent.label_ == "PERSON" and ent.root.dep_ == "pobj"
    return (
        (ent.label_ == "ORG" or person_as_object)
        and len(ent) == 1
        and _town_of(ent.text, gazetteer, countries)
    )


def _town_of(name: str, gazetteer: Gazetteer, countries: Sequence[str]) -> bool:
    """Whether a name is a town of the countries the article is about."""
    return bool(countries) and any(
        p.country in countries and p.feature in TOWNS for p in gazetteer.candidates(name, countries=countries)
    )


def _unlabelled_towns(doc: Doc, *, gazetteer: Gazetteer, countries: Sequence[str]) -> list[Span]:
    """Proper nouns the model gave no entity at all where a locative preposition puts them ("In
    Kyiv, a drone hit ..." at the start of a sentence) that are towns of the article's countries."""
    if not countries:  # only towns of the article's countries count: with none, spare every word a look
        return []
    return [
        Span(doc, token.i, token.i + 1, label="GPE")
        for token in doc
        if not token.ent_type_
        and token.pos_ == "PROPN"
        and token.is_title
        and token.dep_ == "pobj"
        and gazetteer.is_locative(token.head.text)
        and _town_of(token.text, gazetteer, countries)
    ]


def _candidate_spans(
    doc: Doc, ents: Sequence[Span], *, gazetteer: Gazetteer, countries: Sequence[str] = ()
) -> list[tuple[Span, bool]]:
    """Place-like spans, longest first among overlaps; True marks a supplement name."""
    supplement = _supplement_spans(doc, gazetteer=gazetteer)
    names = {(s.start, s.end) for s in supplement}
    entities = [e for e in ents if _is_place_entity(e, gazetteer=gazetteer, countries=countries)]
    entities += _unlabelled_towns(doc, gazetteer=gazetteer, countries=countries)
    return [(span, (span.start, span.end) in names) for span in filter_spans([*supplement, *entities])]


def _resolve(
    span: Span, ents: Sequence[Span], *, supplement: bool, gazetteer: Gazetteer, countries: Sequence[str]
) -> tuple[Span | None, Place | None]:
    """The span trimmed and the place it names, or Nones when it is no place name."""
    trimmed = _trim(span)
    if trimmed is None or gazetteer.demonym_country(trimmed.text):
        return None, None
    if not supplement and not trimmed.text[:1].isupper():
        return None, None
    if _in_other_name(trimmed, ents, gazetteer=gazetteer):
        return None, None
    return trimmed, gazetteer.lookup(trimmed.text, countries=countries)


def find_places(doc: Doc, *, gazetteer: Gazetteer, countries: Sequence[str] = ()) -> list[PlaceMatch]:
    """Every place the text names that the gazetteer knows, in text order.

    doc (Doc): the parsed article (`annotate`); offsets are article offsets.
    gazetteer (Gazetteer): the gazetteer (`load_gazetteer()`).
    countries (Sequence[str]): the article's countries (alpha-2, most relevant first, e.g. from
        `article_countries`), used to choose among places of one name ("Hyderabad") and to accept
        common-noun aliases ("the border area").
    RETURNS (list[PlaceMatch]): one match per mention, with the words, span and place.
    """
    matches = []
    ents = doc.ents  # spaCy builds the tuple anew on each access
    for span, supplement in _candidate_spans(doc, ents, gazetteer=gazetteer, countries=countries):
        trimmed, place = _resolve(span, ents, supplement=supplement, gazetteer=gazetteer, countries=countries)
        if trimmed is not None and place is not None:
            ref = PlaceRef(trimmed.text, place.id, (trimmed.start_char, trimmed.end_char))
            matches.append(PlaceMatch(ref, place))
    return sorted(matches, key=lambda m: m.ref.span or (0, 0))


def _votes(matches: Iterable[PlaceMatch], *, gazetteer: Gazetteer) -> Iterable[tuple[str, float, int]]:
    """(country, weight, position) for each place mention: an ambiguous name ("Hyderabad",
    "Punjab") splits its vote among the countries it may lie in, counting only well-known places
    when the likeliest reading is one ("US" is not the village of Us in France)."""
    for match in matches:
        found = gazetteer.candidates(match.ref.text) or [match.place]
        if gazetteer.well_known(found[0].id):
            found = [p for p in found if gazetteer.well_known(p.id)]
        countries = {c for p in found for c in gazetteer.countries_of(p.id)}
        for code in countries:
            yield code, 1 / len(countries), (match.ref.span or (0, 0))[0]


def _demonym_votes(doc: Doc, *, gazetteer: Gazetteer) -> Iterable[tuple[str, float, int]]:
    for token in doc:
        if _is_name_word(token) and (code := gazetteer.demonym_country(token.text)):
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
        *_votes(find_places(doc, gazetteer=gazetteer), gazetteer=gazetteer),
        *_demonym_votes(doc, gazetteer=gazetteer),
    ]:
        weight[code] += vote
        first[code] = min(position, first.get(code, position))
    # A country that only an ambiguous name might point to ("Charlotte": also in St Vincent) is not
    # context: letting it in would make that reading win.
    return sorted((c for c in weight if weight[c] >= 1), key=lambda code: (-weight[code], first[code]))
