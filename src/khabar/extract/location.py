"""extract.location: an event trigger -> where it happened, and where a statement was made.

Part of the `extract` stage: `extract` builds one `Locator` per article from the place matches of
`extract.places` and the actor refs of `extract.actors`, and asks it about each trigger of
`extract.events`:
- the place is the most precise one in the trigger's own phrase: its prepositions ("airstrikes
  in Kabul", "strikes against Afghanistan"), those of its light verb ("conducted airstrikes in
  Kabul") or of the verb it is the subject of ("clashes erupted in ..."), where its target is
  ("attacked a mosque in Peshawar"), a compound ("the Orakzai attack"); else the noun a "where"
  clause hangs from ("in Kabul and Kandahar, where hundreds were killed");
- a place that modifies another noun ("U.S. forces", "Islamabad's right") or names an actor in
  the agent's seat ("Pakistan launched") is no location, nor is a dateline;
- acts of speech are placed only by their own phrase, or (demands, threats) by what they speak of
  ("demanded the return of Bagram Airbase"); their venue is the meeting or briefing they were made
  at ("during a recent press conference");
- an event whose sentence names no place, but takes the reader back to the sentence before ("the
  town", "there", "the attack", "the gunmen"), happened where that sentence's event did: in the
  same paragraph, or across a paragraph break when the words are in the sentence's subject ("The
  gunmen arrived at about 10 p.m."). Triggers must be asked about in text order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from khabar.annotate import dateline_dash, is_headline
from khabar.extract.events import (
    SPEECH_ACTS,
    SUBJECTS,
    Trigger,
    ancestors,
    clause_of,
    light_verb,
    shared_clause,
)
from khabar.extract.lexicon import EventLexicon
from khabar.extract.places import PlaceMatch
from khabar.extract.texts import doc_text
from khabar.knowledge.gazetteer import PlaceCues
from khabar.models import ActorRef

__all__ = ["Locator", "bare_name", "conj_heads_children", "covers", "noun_phrase", "objects_of", "overlaps"]

VERBS = frozenset({"VERB", "AUX"})
#: Place features too small to name an actor when they modify a trigger ("the Kabul attack").
SUB_NATIONAL = frozenset({"city", "town", "village", "crossing", "base", "facility", "admin2", "region"})
#: Clauses hanging from a noun that are not part of its name.
CLAUSES = frozenset({"relcl", "acl", "appos", "ccomp", "advcl", "punct"})
#: How many sentences back a sentence naming no place may look for the place it points back to.
MAX_SENTENCES_BACK = 3
#: Tags of the words before a name that only count or determine it ("the", "at least 12").
QUANTIFIER_TAGS = frozenset({"DT", "PDT", "CD", "JJS", "JJR", "RB", "RBR", "RBS", "IN", "PRP$"})


@dataclass
class Locator:
    """Finds where the events of one article happened.

    doc (Doc): the parsed article.
    places (list[PlaceMatch]): the places it names (`find_places`).
    refs (list[ActorRef]): the actors it names (`find_actors`).
    lexicon (EventLexicon): the compiled trigger lexicon.
    feature_word (Callable[[str], bool]): whether a word names a kind of place ("state",
        "province"), so "Kaduna state" is one name (`Gazetteer.is_feature_word`).
    cues (PlaceCues): the words that send a sentence back to the place of the one before
        (`Gazetteer.cues`); none by default.
    """

    doc: Doc
    places: list[PlaceMatch]
    refs: list[ActorRef]
    lexicon: EventLexicon
    feature_word: Callable[[str], bool]
    cues: PlaceCues = field(default_factory=PlaceCues)
    _actors: set[int] = field(init=False, default_factory=set)
    _dateline: set[int] = field(init=False, default_factory=set)
    #: the first place found in each sentence so far, by the sentence's first token
    _found: dict[int, PlaceMatch] = field(init=False, default_factory=dict)
    #: the doc's sentences with words, and each one's position among them by its first token
    _sentences: list[Span] | None = field(init=False, default=None)
    _position: dict[int, int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._dateline = {t.i for sent in self.doc.sents for t in _dateline(sent)}
        self._actors = {t.i for ref in self.refs for t in self._tokens(ref.span)}
        # a name the gazetteer lacks that names an actor ("Hamas" taken for a place) is no place
        self.places = [m for m in self.places if not (m.linked and overlaps(m.ref.span, self.refs))]

    def location(self, trigger: Trigger, *, exclude: Sequence[ActorRef]) -> PlaceMatch | None:
        """Where the event happened: the most precise place in the trigger's own phrase (its
        prepositions, those of its light verb or of the verb it is the subject of, the clause it
        targets with), else the noun a "where" clause hangs from, else, for a sentence naming no
        place that points back ("the town"), the place of an earlier one. Acts of speech are
        placed by their own phrase, or (demands, threats) by what they speak of. Ask about the
        triggers in text order.

        trigger (Trigger): the event's trigger.
        exclude (Sequence[ActorRef]): actors in the agent's seat, whose names are no location.
        RETURNS (PlaceMatch | None): the place.
        """
        candidates = [m for m in self._places_in(trigger.root.sent) if not overlaps(m.ref.span, exclude)]
        heads = {t.i for root in trigger.roots for t in self._place_holders(root)}
        speech = trigger.type in SPEECH_ACTS
        # a statement's "of" or "to" phrase is what it speaks of, not where it was made
        preps = self.lexicon.locative_preps if speech else self.lexicon.place_preps
        own = self._best(
            candidates, [t.i for root in trigger.roots for t in self._own_place_words(root, preps)], heads
        )
        if own is not None or not speech:
            found = (
                own
                or self._conjunct_place(trigger, candidates, heads)
                or self._where(trigger, candidates)
                or self._before(trigger.root.sent)
            )
            if found is not None:
                self._found.setdefault(trigger.root.sent.start, found)
            return found
        if trigger.type in self.lexicon.content_located:
            loose = [m for m in candidates if self._is_locative(m) or not self._actor_named(m)]
            return self._best(loose, [t.i for t in trigger.root.subtree], heads)
        return None

    def venue(self, roots: Sequence[Token]) -> str | None:
        """Where a statement was made ("during a recent press conference"), from the trigger up
        to its sentence's main verb; None when the text does not say."""
        for root in roots:
            for token in ancestors(root):
                for prep in token.children:
                    found = self._venue_in(prep, depth=2, trigger=root)
                    if found is not None:
                        return found
        return None

    def _venue_in(self, prep: Token, *, depth: int, trigger: Token) -> str | None:
        if prep.dep_ != "prep" or prep.lower_ not in self.lexicon.venue_preps or depth == 0:
            return None
        for noun in objects_of(prep):
            if noun.i != trigger.i and {noun.lower_, noun.lemma_.lower()} & self.lexicon.venues:
                return noun_phrase(noun).text
            for inner in noun.children:
                found = self._venue_in(inner, depth=depth - 1, trigger=trigger)
                if found is not None:
                    return found
        return None

    def _best(
        self, candidates: Sequence[PlaceMatch], token_ids: Iterable[int], heads: set[int]
    ) -> PlaceMatch | None:
        """Of the candidates among these tokens, the most precise, then the first; a place
        modifying another noun ("U.S. forces", "Islamabad's right") is none, unless that noun
        holds the event ("the Orakzai attack")."""
        ids = set(token_ids)
        inside = [m for m in candidates if (head := self._head_of(m)) is not None and head.i in ids]
        inside = [m for m in inside if not self._is_modifier(m, heads)]
        if not inside:
            return None
        order = self.lexicon.place_precision
        return min(
            inside, key=lambda m: order.index(m.place.feature) if m.place.feature in order else len(order)
        )

    def _is_modifier(self, match: PlaceMatch, heads: set[int]) -> bool:
        """Whether a place only says whose something is ("Islamabad's right", "U.S. forces"),
        not where: a possessor, or a country modifying a noun; "a Kyiv power plant" is a place.
        A place naming another event ("the war ended with the Pretoria agreement") is that
        event's place."""
        head = self._head_of(match)
        if head is None or head.dep_ not in ("compound", "poss", "amod", "nmod") or head.head.i in heads:
            return False
        noun = head.head
        if self.feature_word(noun.text) or any(covers(m.ref.span, noun) for m in self.places):
            return False
        return head.dep_ == "poss" or match.place.feature == "country" or self._names_event(noun)

    def _names_event(self, noun: Token) -> bool:
        """Whether a noun is a trigger word of its own ("agreement", "talks")."""
        return any(
            phrase.words == (key,)
            for key in {noun.lower_, noun.lemma_.lower()}
            for phrase in self.lexicon.phrases.get(key, ())
        )

    def _place_holders(self, root: Token) -> list[Token]:
        """The words whose prepositions place the event: the trigger, its light verb, the verb it
        is the subject of ("clashes erupted in ..."), a clause it targets with."""
        holders = [root]
        verb = light_verb(root, self.lexicon) if root.pos_ not in VERBS else None
        if verb is not None:
            holders.append(verb)
        elif root.dep_ in ("nsubj", "nsubjpass") and root.head.pos_ in VERBS:
            holders.append(root.head)
        elif root.dep_ == "compound":
            holders.append(root.head)  # "bombing markets in Nyala"
        for holder in list(holders):
            # "..., targeting a market in X"; a clause with a subject of its own ("hours after
            # drones struck a building in Kharkiv") is another event
            holders += [
                c
                for c in holder.children
                if c.dep_ in ("acl", "relcl", "advcl", "xcomp")
                and c.lemma_.lower() in self.lexicon.target_verbs
                and not any(s.dep_ in SUBJECTS for s in c.children)
            ]
        return holders

    def _conjunct_place(
        self, trigger: Trigger, candidates: Sequence[PlaceMatch], heads: set[int]
    ) -> PlaceMatch | None:
        """Where a verb coordinated with the trigger's own, sharing its subject, happened: "a
        strike killed 12 and wounded 30 at a market in El Fasher" places the strike there."""
        words = [
            t.i
            for root in trigger.roots
            for holder in self._place_holders(root)
            for verb in holder.children
            if verb.dep_ == "conj" and verb.pos_ in VERBS and shared_clause(verb).i == holder.i
            for prep in verb.children
            if prep.dep_ == "prep" and prep.lower_ in self.lexicon.locative_preps
            for t in prep.subtree
        ]
        return self._best(candidates, words, heads)

    def _own_place_words(self, root: Token, preps: frozenset[str]) -> Iterable[Token]:
        for holder in self._place_holders(root):
            for child in [*holder.children, *conj_heads_children(holder)]:
                if child.dep_ == "prep" and child.lower_ in preps:
                    yield from _without_relatives(child)
                elif self._is_participant(child, holder) and preps is self.lexicon.place_preps:
                    # "shelled a camp for displaced people near El Fasher", "attacked by fighters in
                    # Maiduguri", "police in Mogadishu arrested": where the target or the attacker
                    # is, the attack was
                    nouns = objects_of(child) if child.dep_ == "agent" else [child]
                    yield from (t for noun in nouns for t in self._locatives_within(noun))
                    if child.dep_ in ("dobj", "nsubjpass") and self._within_country(child):
                        # "fighters entered Bukavu", "clashes shake Tripoli": the place attacked,
                        # entered or shaken is where it happened
                        yield from (t for t in child.subtree if t.dep_ != "appos" and t.i <= child.i)
                elif child.dep_ in ("compound", "nmod", "npadvmod") and holder.i == root.i:
                    yield from (t for t in child.subtree if t.i not in self._actors or self.is_small_place(t))

    @staticmethod
    def _is_participant(child: Token, holder: Token) -> bool:
        """Whether a word names who did or suffered the holder's event: its object, passive
        subject, agent or subject, or a noun the parser coordinated with the verb instead of with
        its object ("struck a depot and the airport in Port Sudan")."""
        if child.dep_ in ("dobj", "nsubjpass", "agent", "nsubj"):
            return True
        return child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN") and holder.pos_ in VERBS

    def _locatives_within(self, noun: Token) -> Iterable[Token]:
        """Words of the locative phrases inside a noun phrase, clauses left out; the name a kind
        of place is of ("stormed the town of Mirebalais")."""
        if self.feature_word(noun.lower_):
            yield from (t for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for t in c.subtree)
        todo = [noun]
        while todo:
            token = todo.pop()
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ in self.lexicon.locative_preps:
                    yield from child.subtree
                elif child.dep_ not in ("relcl", "acl", "appos", "advcl", "ccomp"):
                    todo.append(child)

    def _where(self, trigger: Trigger, candidates: Sequence[PlaceMatch]) -> PlaceMatch | None:
        """ "Kabul and Kandahar, where hundreds were killed": the noun a "where" clause hangs from."""
        for root in trigger.roots:
            clause = clause_of(root)
            if clause.dep_ == "relcl" and any(c.lower_ == "where" for c in clause.children):
                noun = clause.head
                ids = [noun.i, *(c.i for c in noun.children if c.dep_ == "conj")]
                found = self._best(candidates, ids, {noun.i})
                if found is not None:
                    return found
        return None

    def _before(self, sent: Span) -> PlaceMatch | None:
        """The place of an earlier sentence, for a sentence that names none but takes the reader
        back ("the town", "the gunmen"): the place found for the events of the nearest sentence
        of the paragraph that has one, else the most precise place such a sentence names, not
        as an actor nor as whose something is ("forces moved into the city of Sweida."); across
        a paragraph break, only the sentence just before, and only when the subject points back."""
        words = self._anaphors(sent)
        if not words or is_headline(sent) or self._places_in(sent):
            return None
        earlier = self._earlier(sent, limit=MAX_SENTENCES_BACK)
        if earlier and not self._same_paragraph(earlier[0], sent):
            # "The gunmen arrived ...", "Police officers at the prison came under fire, a
            # spokesman said": the subject opening the sentence
            first = next((t for t in sent if not t.is_space), sent[0])
            opening = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.left_edge.i == first.i]
            words = [t for t in words if any(s.left_edge.i <= t.i <= s.right_edge.i for s in opening)]
            earlier = earlier[:1]
        for before in earlier if words else []:
            if before.start in self._found:
                return self._found[before.start]
            places = [m for m in self._places_in(before) if not self._actor_named(m)]
            found = self._best(places, [t.i for m in places for t in self._tokens(m.ref.span)], set())
            if found is not None:
                return found
        return None

    def _earlier(self, sent: Span, *, limit: int) -> list[Span]:
        """Up to `limit` sentences before this one, the nearest first: those of its paragraph, or
        the last of the paragraph before; never a headline."""
        if self._sentences is None:
            self._sentences = [s for s in self.doc.sents if not all(t.is_space for t in s)]
            self._position = {s.start: n for n, s in enumerate(self._sentences)}
        position = self._position.get(sent.start, 0)
        found: list[Span] = []
        for before in reversed(self._sentences[max(0, position - limit) : position]):
            if is_headline(before) or (found and not self._same_paragraph(before, found[-1])):
                break
            found.append(before)
        return found

    def _anaphors(self, sent: Span) -> list[Token]:
        """The words of a sentence that point back ("there", "the town", "the attack")."""
        cues = self.cues
        return [
            token
            for token in sent
            if (token.lower_ in cues.anaphor_adverbs and token.dep_ != "expl")
            or (
                token.lower_ in cues.anaphor_nouns
                and any(c.dep_ == "det" and c.lower_ in cues.anaphor_determiners for c in token.children)
            )
        ]

    def _same_paragraph(self, before: Span, sent: Span) -> bool:
        last = next((t for t in reversed(before) if not t.is_space), None)
        first = next((t for t in sent if not t.is_space), None)
        return last is not None and first is not None and "\n" not in doc_text(self.doc)[last.idx : first.idx]

    def _places_in(self, sent: Span) -> list[PlaceMatch]:
        return [
            m
            for m in self.places
            if m.ref.span
            and sent.start_char <= m.ref.span[0] < sent.end_char
            and not self.in_dateline(m.ref.span)
        ]

    def _head_of(self, match: PlaceMatch) -> Token | None:
        words = self._tokens(match.ref.span)
        return words.root if isinstance(words, Span) else None

    def _is_locative(self, match: PlaceMatch) -> bool:
        """Whether a place is the object of a locative preposition ("in Afghanistan")."""
        head = self._head_of(match)
        return head is not None and head.dep_ == "pobj" and head.head.lower_ in self.lexicon.locative_preps

    def _actor_named(self, match: PlaceMatch) -> bool:
        return any(t.i in self._actors for t in self._tokens(match.ref.span))

    def is_place(self, token: Token) -> bool:
        """Whether a word is part of a place the gazetteer knows."""
        return any(covers(m.ref.span, token) for m in self.places)

    def _within_country(self, token: Token) -> bool:
        """Whether a word names a place smaller than a country: a country as the object is the
        side attacked ("Russia attacked Ukraine"), which its own phrase places if anything does."""
        return any(m.place.feature != "country" for m in self.places if covers(m.ref.span, token))

    def is_small_place(self, token: Token) -> bool:
        return any(m.place.feature in SUB_NATIONAL for m in self.places if covers(m.ref.span, token))

    def in_dateline(self, span: tuple[int, int]) -> bool:
        """Whether a span lies in a dateline ("Kabul, Afghanistan – ")."""
        # most articles have none: spare them the search for the span's words
        return bool(self._dateline) and any(t.i in self._dateline for t in self._tokens(span))

    def _tokens(self, span: tuple[int, int] | None) -> Span | list[Token]:
        if span is None:
            return []
        words = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        return words if words is not None else []


# ---- helpers -------------------------------------------------------------------------------------


def bare_name(words: Span) -> Span:
    """Words naming someone without the determiner, count or quantity before them: "at least 12
    civilians" -> "civilians", "the foreign minister" -> "foreign minister".

    words (Span): the phrase.
    RETURNS (Span): its naming part (empty when nothing names anyone).
    """
    start = words.start
    while start < words.end and (words.doc[start].like_num or words.doc[start].tag_ in QUANTIFIER_TAGS):
        start += 1
    end = words.end
    while end > start and (words.doc[end - 1].is_punct or words.doc[end - 1].is_space):
        end -= 1
    return words.doc[start:end]


def conj_heads_children(noun: Token) -> list[Token]:
    """The children of the nouns a conjunct hangs from ("a missile and drone attack on X": "on
    X" hangs from "missile")."""
    found = []
    while noun.dep_ == "conj" and noun.head.i != noun.i:
        noun = noun.head
        found += [c for c in noun.children if c.dep_ != "conj"]
    return found


def _without_relatives(head: Token) -> Iterable[Token]:
    """A word's subtree without the relative clauses inside it: in "fought in the war in Tigray,
    which ended with the Pretoria agreement", Pretoria is not where the fighting was."""
    todo = [head]
    while todo:
        token = todo.pop()
        yield token
        todo += [c for c in token.children if c.dep_ != "relcl"]


def objects_of(prep: Token) -> list[Token]:
    """The objects of a preposition ("in Kabul" -> Kabul).

    prep (Token): the preposition.
    RETURNS (list[Token]): its pobj or pcomp children.
    """
    return [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]


def noun_phrase(head: Token) -> Span:
    """A noun's phrase without the clauses, appositions and "by" phrases after it and without its
    determiner: "the Ankara discussions that drone operations were ..." -> "Ankara discussions".

    head (Token): the noun.
    RETURNS (Span): its words.
    """
    cut = [c for c in head.children if (c.dep_ in CLAUSES or c.lower_ == "by") and c.i > head.i]
    end = min((c.left_edge.i for c in cut), default=head.right_edge.i + 1)
    start = head.left_edge.i
    doc = head.doc
    while start < end and doc[start].dep_ == "det":
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def _dateline(sent: Span) -> Span:
    """The dateline opening a sentence ("Kabul, Afghanistan – "), or an empty span."""
    dash = dateline_dash(sent)
    return sent.doc[sent.start : dash.i + 1 if dash is not None else sent.start]


def covers(span: tuple[int, int] | None, token: Token) -> bool:
    """Whether a character span holds the token's first character."""
    return span is not None and span[0] <= token.idx < span[1]


def overlaps(span: tuple[int, int] | None, refs: Sequence[ActorRef]) -> bool:
    """Whether a character span overlaps the span of one of the refs."""
    return span is not None and any(r.span and r.span[0] < span[1] and span[0] < r.span[1] for r in refs)
