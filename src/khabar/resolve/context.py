"""What resolve knows while it works: the lexicon, the knowledge base, the gazetteer and the corpus,
and the relations between two mentions' actors, places, dates and words.

Used by merge.py (which mentions are one event), fuse.py (the merged event) and contradictions.py.
Without a gazetteer places compare by id and name only.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

from spacy.lang.en.stop_words import STOP_WORDS

from khabar.models import VERBAL_TYPES, Actor, Article, DateRef, Mention, Place, PlaceRef, Role
from khabar.resolve.lexicon import LEXICON, Lexicon, compile_lexicon

Relation = Literal["same", "nested", "overlap", "slack", "agree", "conflict", "unknown"]

_WORD = re.compile(r"[a-z][a-z'’-]+")
_NORM = re.compile(r"[^\w\s]")


class KnowledgeBase(Protocol):
    """What resolve asks of `khabar.knowledge.Knowledge`."""

    def actor(self, actor_id: str) -> Actor | None: ...

    def roles_on(self, actor_id: str, on: date) -> list[Role]:
        """Those of the actor's roles held on the day (merge's candidate search relies on it)."""
        ...

    def lexicon(self, name: str) -> dict: ...


class PlaceIndex(Protocol):
    """What resolve asks of `khabar.knowledge.gazetteer.Gazetteer`."""

    def place(self, place_id: str) -> Place | None: ...

    def contains(self, outer_id: str, inner_id: str) -> bool: ...

    def acled_geo_precision(self, place: Place) -> int: ...


def norm(text: str | None) -> str:
    """Lower case, punctuation and a leading article dropped: for comparing names."""
    words = _NORM.sub(" ", (text or "").lower().replace("’s", "").replace("'s", "")).split()
    return " ".join(words[1:] if words[:1] in (["the"], ["a"], ["an"]) else words)


def actor_ids(mention: Mention, *, recipients: bool = False) -> list[str]:
    """The resolved actor ids of a mention's actors (or recipients), sorted, without repeats."""
    refs = mention.recipients if recipients else mention.actors
    return sorted({ref.actor for ref in refs if ref.actor})


@dataclass(frozen=True)
class Facts:
    """What comparing a mention with others asks again and again, worked out once (`Context.facts`).

    actors (tuple[str, ...]): the resolved ids of its actors, sorted, without repeats.
    recipients (tuple[str, ...]): the same for its recipients.
    parties (tuple[str, ...]): both, for events where who is "actor" is arbitrary (clashes, talks).
    trigger (str): the trigger, normalised and crudely stemmed; "" without one.
    """

    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    parties: tuple[str, ...]
    trigger: str


@dataclass
class Context:
    """Everything resolve consults besides the mentions being compared.

    lex (Lexicon): the compiled resolve lexicon.
    kb (KnowledgeBase): actors (parents, kinds, countries), dated roles and the lexicons.
    gazetteer (PlaceIndex | None): places and which contains which.
    articles (dict[str, Article]): every article by id.
    mentions (dict[str, Mention]): every mention by id (a statement's `about_mention` is looked up here).
    corpus_date (date | None): the newest publication date, or the newest date the mentions name.
    written_names (dict[str, str]): for actors the knowledge base does not know (found by the
        NER model), the name as the articles write it.
    """

    lex: Lexicon
    kb: KnowledgeBase
    gazetteer: PlaceIndex | None
    articles: dict[str, Article]
    mentions: dict[str, Mention]
    corpus_date: date | None
    written_names: dict[str, str] = field(default_factory=dict)
    _tokens: dict[tuple[str, date | None], frozenset[str]] = field(default_factory=dict)
    _words: dict[str, frozenset[str]] = field(default_factory=dict)
    _flags: dict[tuple[str, str], bool] = field(default_factory=dict)
    _facts: dict[str, Facts] = field(default_factory=dict)

    # ---- articles ------------------------------------------------------------------------------

    def root(self, article_id: str) -> str:
        """The article a near-duplicate copies (followed to the original), else the article itself."""
        seen = {article_id}
        article = self.articles.get(article_id)
        while article is not None and article.duplicate_of and article.duplicate_of not in seen:
            seen.add(article.duplicate_of)
            article_id = article.duplicate_of
            article = self.articles.get(article_id)
        return article_id

    def outlet(self, article_id: str) -> str:
        """A key for the outlet behind an article; an article without an outlet stands alone."""
        root = self.root(article_id)
        article = self.articles.get(root)
        return norm(article.outlet) if article is not None and article.outlet else f"article:{root}"

    def source_name(self, article_id: str) -> str:
        """How an explanation names an article: its outlet, else its file name, else its id."""
        article = self.articles.get(article_id)
        if article is None:
            return article_id
        if article.outlet:
            return article.outlet
        stem = re.split(r"[\\/]", article.source)[-1] if article.source else ""
        return stem or article.id

    def day_of(self, mention: Mention) -> date | None:
        """The date a mention's actors hold their roles on: its own, else its article's. (Not the
        corpus's: a mention's relations must not change when other articles arrive.)"""
        article = self.articles.get(mention.article)
        return mention.date.start or (article.published if article else None)

    def facts(self, mention: Mention) -> Facts:
        """The mention's actors, recipients, parties and trigger stem, worked out once: scoring
        pairs of mentions asks for them again and again."""
        if mention.id not in self._facts:
            actors, recipients = actor_ids(mention), actor_ids(mention, recipients=True)
            self._facts[mention.id] = Facts(
                actors=tuple(actors),
                recipients=tuple(recipients),
                parties=tuple(sorted({*actors, *recipients})),
                trigger=_stem(norm(mention.trigger)) if mention.trigger else "",
            )
        return self._facts[mention.id]

    # ---- actors --------------------------------------------------------------------------------

    def actor_name(self, actor_id: str) -> str:
        actor = self.kb.actor(actor_id)
        return actor.name if actor else self.written_names.get(actor_id, actor_id)

    def tokens(self, actor_id: str, on: date | None) -> frozenset[str]:
        """What an actor stands for: itself, its parents, its state's country (for state forces),
        and for a person the actors they hold a role in on that date (any date when None)."""
        key = (actor_id, on)
        if key not in self._tokens:
            self._tokens[key] = frozenset(self._collect_tokens(actor_id, on, depth=0))
        return self._tokens[key]

    def _collect_tokens(self, actor_id: str, on: date | None, *, depth: int) -> set[str]:
        tokens = {actor_id}
        current = self.kb.actor(actor_id)
        while current is not None and depth < 8:
            tokens.add(current.id)
            if current.kind in self.lex.state_kinds and current.country:
                tokens.add(f"country:{current.country}")
            if current.kind == "person":
                # without a date, every office the person ever held counts
                roles = self.kb.roles_on(current.id, on) if on is not None else current.roles
                for role in roles:
                    if role.of and role.of not in tokens:
                        tokens |= self._collect_tokens(role.of, None, depth=depth + 1)
            depth += 1
            current = self.kb.actor(current.parent) if current.parent else None
        return tokens

    def party_tokens(self, mention: Mention) -> frozenset[str]:
        """What a mention's actors and recipients stand for on any date: two mentions with a
        compatible actor on some date share one of these (a person's roles on a date are among
        their roles)."""
        return frozenset(token for party in self.facts(mention).parties for token in self.tokens(party, None))

    def compatible(self, a: str, b: str, on: date | None) -> bool:
        """Two actor ids may name the same side (a ministry and its government, a president and
        his state)."""
        return a == b or bool(self.tokens(a, on) & self.tokens(b, on))

    def sides(self, first: Sequence[str], second: Sequence[str], on: date | None) -> Relation:
        """ "agree" when every actor of one set matches one of the other, "conflict" when neither set
        is covered, "unknown" when either is empty."""
        if not first or not second:
            return "unknown"

        def covered(xs: Sequence[str], ys: Sequence[str]) -> bool:
            return all(any(self.compatible(x, y, on) for y in ys) for x in xs)

        return "agree" if covered(first, second) or covered(second, first) else "conflict"

    # ---- places --------------------------------------------------------------------------------

    def place(self, ref: PlaceRef | None) -> Place | None:
        return self.gazetteer.place(ref.place) if ref and ref.place and self.gazetteer else None

    def places(self, a: PlaceRef | None, b: PlaceRef | None) -> Relation:
        """ "same", "nested" (one inside the other), "conflict" (neither inside the other), or
        "unknown" (either missing, or not resolved and named differently)."""
        if a is None or b is None:
            return "unknown"
        if a.place and b.place:
            return self._place_ids(a.place, b.place)
        first, second = set(norm(a.text).split()), set(norm(b.text).split())
        return "same" if first and second and (first <= second or second <= first) else "unknown"

    def _place_ids(self, a: str, b: str) -> Relation:
        if a == b:
            return "same"
        if self.gazetteer is None or self.place(PlaceRef(a, a)) is None or self.place(PlaceRef(b, b)) is None:
            return "unknown"
        return "nested" if self.within(a, b) or self.within(b, a) else "conflict"

    def within(self, inner: str, outer: str) -> bool:
        """A resolved place lies inside another (a city in its province, anything in its country)."""
        if self.gazetteer is None or inner == outer:
            return False
        if self.gazetteer.contains(outer, inner):
            return True
        a, b = self.gazetteer.place(inner), self.gazetteer.place(outer)
        return a is not None and b is not None and b.feature == "country" and a.country == b.country

    def specific(self, ref: PlaceRef | None) -> bool:
        """A place precise enough that sharing it is strong evidence (a town, not a country);
        an unresolved name counts as specific, since countries are always resolved."""
        if ref is None:
            return False
        place = self.place(ref)
        return place.feature in self.lex.specific_places if place else not ref.place

    # ---- words ---------------------------------------------------------------------------------

    def content_words(self, mention: Mention) -> frozenset[str]:
        """The sentence's content words, crudely stemmed ("strikes" and "strike" are one word)."""
        if mention.id not in self._words:
            words = (w.strip("'’-") for w in _WORD.findall(mention.sentence.lower()))
            self._words[mention.id] = frozenset(_stem(w) for w in words if len(w) > 2 and w not in STOP_WORDS)
        return self._words[mention.id]

    def content_overlap(self, a: Mention, b: Mention) -> float:
        """Share of the shorter sentence's content words the other sentence has (0 when fewer than
        the lexicon's minimum are shared)."""
        first, second = self.content_words(a), self.content_words(b)
        shared = len(first & second)
        if shared < int(self.lex.merge["content_shared_min"]) or not first or not second:
            return 0.0
        return shared / min(len(first), len(second))

    def same_trigger(self, a: Mention, b: Mention) -> bool:
        """The two mentions' triggers are one word, crudely stemmed ("strikes", "strike")."""
        first = self.facts(a).trigger
        return bool(first) and first == self.facts(b).trigger

    def near_trigger(self, mention: Mention) -> tuple[str, str]:
        """The sentence text just before the trigger, and a window around it (bounded, so a
        hostile run-on "sentence" costs no more than a normal one)."""
        offset = trigger_offset(mention)
        width = int(self.lex.raw["cue_window"])
        if offset is None:
            return "", mention.sentence[: 2 * width]
        return mention.sentence[max(0, offset - 4 * width) : offset], mention.sentence[
            max(0, offset - width) : offset + width
        ]

    def anaphoric(self, mention: Mention) -> bool:
        """The mention refers back ("these strikes", "the talks")."""
        key = ("anaphoric", mention.id)
        if key not in self._flags:
            before, _ = self.near_trigger(mention)
            self._flags[key] = bool(before) and bool(self.lex.anaphor.search(before))
        return self._flags[key]

    def denies(self, mention: Mention) -> bool:
        """The mention denies something: denied modality, a denial type (REJECT) about something,
        or a statement calling it false ("baseless", "fabricated") near its trigger."""
        raw = self.lex.raw
        if mention.modality in raw["denial_modalities"]:
            return True
        if mention.type not in VERBAL_TYPES or not mention.about_mention:
            return False
        _, window = self.near_trigger(mention)
        return mention.type in raw["deny_types"] or bool(self.lex.refutation.search(window))

    def distinct(self, mention: Mention) -> bool:
        """The mention announces a further event ("also", "another", "a new attack")."""
        key = ("distinct", mention.id)
        if key not in self._flags:
            _, window = self.near_trigger(mention)
            self._flags[key] = bool(self.lex.distinct.search(window))
        return self._flags[key]


def trigger_offset(mention: Mention) -> int | None:
    """Where the trigger starts in the mention's sentence, if that can be told."""
    start, end = mention.sentence_span
    if end > start and start <= mention.span[0] < end:
        return mention.span[0] - start
    if mention.trigger:
        found = mention.sentence.lower().find(mention.trigger.lower())
        return found if found >= 0 else None
    return None


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def date_relation(a: DateRef, b: DateRef, *, slack_days: int) -> Relation:
    """How two dates relate: "same", "nested", "overlap", "slack" (day-precise, a day or so apart),
    "conflict", or "unknown" when either is unknown."""
    if a.start is None or b.start is None:
        return "unknown"
    a_end, b_end = a.end or a.start, b.end or b.start
    if (a.start, a_end) == (b.start, b_end):
        return "same"
    if (a.start >= b.start and a_end <= b_end) or (b.start >= a.start and b_end <= a_end):
        return "nested"
    if a.start <= b_end and b.start <= a_end:
        return "overlap"
    if a.precision == b.precision == "day" and days_apart(a, b) <= slack_days:
        return "slack"
    return "conflict"


def days_apart(a: DateRef, b: DateRef) -> int:
    """Days between two known date ranges (0 when they overlap)."""
    if a.start is None or b.start is None:
        return 0
    a_end, b_end = a.end or a.start, b.end or b.start
    return max(0, (max(a.start, b.start) - min(a_end, b_end)).days)


def build_context(
    mentions: Sequence[Mention],
    *,
    articles: Sequence[Article],
    kb: KnowledgeBase | None,
    gazetteer: PlaceIndex | None,
) -> Context:
    """The context for one resolve run.

    mentions (Sequence[Mention]): every mention of the corpus.
    articles (Sequence[Article]): every article of the corpus.
    kb (KnowledgeBase | None): the knowledge base; None loads the shipped one.
    gazetteer (PlaceIndex | None): the gazetteer, or None to compare places by id and name.
    RETURNS (Context): the context.
    """
    if kb is None:
        # Imported here so that callers who pass their own knowledge never load the shipped files.
        from khabar.knowledge import load_knowledge

        kb = load_knowledge()
    lexicon = compile_lexicon(kb.lexicon(LEXICON))
    by_id = {m.id: m for m in mentions}
    return Context(
        lex=lexicon,
        kb=kb,
        gazetteer=gazetteer,
        articles={a.id: a for a in articles},
        mentions=by_id,
        corpus_date=corpus_date(mentions, articles=articles, irrealis=lexicon.irrealis),
        written_names=_written_names(mentions, kb=kb),
    )


def _written_names(mentions: Sequence[Mention], *, kb: KnowledgeBase) -> dict[str, str]:
    """The commonest way the articles write each actor the knowledge base does not know."""
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in mentions:
        for ref in (*mention.actors, *mention.recipients):
            if ref.actor and kb.actor(ref.actor) is None:
                written[ref.actor][ref.text.strip()] += 1
    return {actor: names.most_common(1)[0][0] for actor, names in written.items()}


def corpus_date(
    mentions: Iterable[Mention], *, articles: Iterable[Article], irrealis: frozenset[str]
) -> date | None:
    """The corpus's "now": its newest publication date, else the newest date its mentions report."""
    published = [a.published for a in articles if a.published]
    if published:
        return max(published)
    starts = [m.date.start for m in mentions if m.date.start and m.modality not in irrealis]
    return max(starts, default=None)
