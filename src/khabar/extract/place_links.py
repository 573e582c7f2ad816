"""Names of places the gazetteer lacks -> the area they lie in.

Part of `extract`, called by `extract.places.find_places` once it has read an article's place
names: a village, district or neighbourhood GeoNames' towns of over 1,000 people leave out ("the
village of Chiure Velho", "Abu Salim district") is linked to the area it lies in, as ACLED codes
such an event at that area with a lower geo-precision (2 for a district, 3 for a province or a
country: `Gazetteer.acled_geo_precision`). The area is, in this order:

1. a place the name's own phrase names, in apposition or after a locative preposition: "Tibú,
   Norte de Santander", "Kugwe near Batibo", "Ancuabe district of Cabo Delgado";
2. for a name a feature word qualifies ("the village of Sandaré", "Abu Salim district"), the
   area its clause names ("jihadists attacked the village of Sandaré in western Mali"), narrowed
   to the article's focus when that lies inside it; a clause naming areas that do not nest (two
   countries) links nothing;
3. for such a name, with no area in its clause, the article's focus: when every place it names
   lies in one country, the smallest area holding all those below the country ("Norte de
   Santander" for an article on Tibú and Ocaña), or the country itself when it names none.

A bare name the model took for a place ("Yulia was getting better", "abound in Nollywood") is too
often a person or a company to be placed by anything but its own phrase.

A name linked once is linked alike wherever the article repeats it: to the area its own phrase
gave, else to the most precise area found for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from spacy.tokens import Span, Token

from khabar.annotate import dateline_dash
from khabar.extract.events import clause_of, shared_clause
from khabar.knowledge.gazetteer import Gazetteer, normalize_name
from khabar.models import Place

__all__ = ["link_unknown"]

#: Kinds of place an unknown name may be linked to by the sentence or the article.
AREAS = ("admin2", "region", "admin1", "country")
#: Clauses of a name's phrase that say no more about where it is.
_CLAUSES = frozenset({"relcl", "advcl", "ccomp"})


def link_unknown(
    unknown: Sequence[tuple[Span, bool]], known: Sequence[tuple[Span, Place]], *, gazetteer: Gazetteer
) -> list[tuple[Span, Place]]:
    """The names of places the gazetteer lacks, each with the area it lies in.

    unknown (Sequence[tuple[Span, bool]]): names that are surely places (`extract.places`), True
        when a feature word says so ("the village of X"): only those may take the area of their
        clause or of the article.
    known (Sequence[tuple[Span, Place]]): the places the gazetteer knows, with their words.
    gazetteer (Gazetteer): the gazetteer.
    RETURNS (list[tuple[Span, Place]]): the names linked (those with no area left out).
    """
    if not unknown:
        return []
    places = [(words, place) for words, place in known if not _in_dateline(words)]
    focus = _Focus(places, gazetteer)
    own: dict[str, Place] = {}
    for words, _ in unknown:
        area = _own_area(words, places, gazetteer)
        if area is not None:
            own.setdefault(normalize_name(words.text), area)
    found: dict[str, list[Place]] = defaultdict(list)
    for words, typed in unknown:
        key = normalize_name(words.text)
        area = _clause_area(words, places, focus, gazetteer) if typed and key not in own else None
        if area is not None:
            found[key].append(area)
    chosen = {**{key: min(areas, key=_rank) for key, areas in found.items()}, **own}
    return [(words, chosen[key]) for words, _ in unknown if (key := normalize_name(words.text)) in chosen]


def _own_area(name: Span, places: Sequence[tuple[Span, Place]], gazetteer: Gazetteer) -> Place | None:
    """The most precise place the name's own phrase names: in its apposition or its locative
    prepositions ("Tibú, Norte de Santander", "Kurakhove, in the Donetsk region"), and in those of
    the kind of place it is the name of ("the village of Kugwe near Batibo"), whose "of" counts
    too ("Ancuabe district of Cabo Delgado province")."""
    root = name.root
    heads = [root]
    if root.dep_ == "pobj" and root.head.lower_ == "of" and gazetteer.is_feature_word(root.head.head.text):
        heads.append(root.head.head)
    elif root.dep_ == "compound" and gazetteer.is_feature_word(root.head.text):
        heads.append(root.head)
    words = {
        t.i
        for head in heads
        for child in head.children
        if child.dep_ == "appos"
        or (
            child.dep_ == "prep"
            and (
                gazetteer.is_locative(child.text)
                or (child.lower_ == "of" and gazetteer.is_feature_word(head.text))
            )
        )
        for t in _phrase(child)
    } - set(range(name.start, name.end))
    inside = [place for span, place in places if span.root.i in words]
    return min(inside, key=_rank, default=None)


def _phrase(head: Token) -> Iterable[Token]:
    """A word's subtree without the clauses hanging from it or below it."""
    todo = [head]
    while todo:
        token = todo.pop()
        yield token
        todo += [c for c in token.children if c.dep_ not in _CLAUSES]


def _rank(place: Place) -> int:
    """Towns and other points first, then areas from the smallest."""
    return AREAS.index(place.feature) + 1 if place.feature in AREAS else 0


class _Focus:
    """Where the article is: when all the places it names lie in one country, the smallest area
    holding those below the country, or the country itself; worked out when first asked for."""

    def __init__(self, places: Sequence[tuple[Span, Place]], gazetteer: Gazetteer) -> None:
        self._places = [p for _, p in places]
        self._gazetteer = gazetteer
        self._area: tuple[Place | None] | None = None

    def area(self) -> Place | None:
        if self._area is None:
            self._area = (self._find(),)
        return self._area[0]

    def _find(self) -> Place | None:
        gazetteer = self._gazetteer
        countries = {c for p in self._places for c in gazetteer.countries_of(p.id)}
        if len(countries) != 1:
            return None
        below = [p.id for p in self._places if p.feature != "country"]
        return gazetteer.enclosing(below) if below else gazetteer.place(f"country:{countries.pop()}")


def _clause_area(
    name: Span, places: Sequence[tuple[Span, Place]], focus: _Focus, gazetteer: Gazetteer
) -> Place | None:
    """The most precise area the name's clause names, if they nest, narrowed to the article's
    focus when that lies inside it; with no area in the clause, the focus."""
    clause = _clause(name.root)
    areas = sorted(
        (p for span, p in places if p.feature in AREAS and p.country and _clause(span.root) == clause),
        key=_rank,
    )
    focus_area = focus.area()
    if not areas:
        return focus_area
    smallest = areas[0]
    if any(p.id != smallest.id and not gazetteer.contains(p.id, smallest.id) for p in areas[1:]):
        return None
    if focus_area is not None and gazetteer.contains(smallest.id, focus_area.id):
        return focus_area
    return smallest


def _clause(token: Token) -> Token:
    return shared_clause(clause_of(token))


def _in_dateline(words: Span) -> bool:
    """Whether words lie in the dateline opening their sentence ("JERUSALEM, May 6 -"): where
    the reporter was, not what the article is about."""
    dash = dateline_dash(words.sent)
    return dash is not None and words.start < dash.i
