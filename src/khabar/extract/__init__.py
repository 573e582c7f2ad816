"""extract: a cleaned article and its parse -> the event mentions it reports (`Extraction`).

Fourth stage: after `annotate`, before `resolve`. `extract` finds the article's actors
(`extract.actors`), places (`extract.places`), dates (`extract.dates`) and quotations
(`extract.quotes`), then reads each sentence's event triggers (`extract.events`) and gives every
event its agent and recipient, place, date, casualty counts (`extract.tolls`), reporter and
modality (`extract.modality`); statements get their speaker, quotation, venue and the event they
are about. One mention per event per sentence; `resolve` merges mentions across sentences and
articles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from khabar.annotate import is_headline
from khabar.errors import InputError
from khabar.extract.actors import find_actors, role_claims
from khabar.extract.arguments import Arguments, in_context, unique_refs
from khabar.extract.dates import date_for, event_clause, find_dates
from khabar.extract.discourse import Found, add_tolls, fill_pairs, link_about
from khabar.extract.events import Anchors, Trigger, find_triggers, is_light_verb, shared_clause
from khabar.extract.lexicon import EventLexicon, compile_lexicon
from khabar.extract.location import Locator, overlaps
from khabar.extract.modality import ModalityLexicon, compile_modality, modality_of, reporter_of
from khabar.extract.places import PlaceMatch, article_countries, find_places
from khabar.extract.quotes import (
    Quotation,
    QuoteLexicon,
    addressed,
    compile_quotes,
    find_quotes,
    go_on,
    host_for,
    speaker_of,
)
from khabar.extract.texts import doc_text
from khabar.extract.tolls import Casualty, find_tolls
from khabar.knowledge import Knowledge
from khabar.knowledge.gazetteer import Gazetteer
from khabar.models import Acled, Actor, ActorRef, Article, DateRef, Extraction, Mention, Place

__all__ = ["extract", "warm"]


@dataclass(frozen=True)
class _Lexicons:
    events: EventLexicon
    modality: ModalityLexicon
    quotes: QuoteLexicon


@dataclass
class _Article:
    """What extraction knows about one article while it reads it."""

    article: Article
    doc: Doc
    args: Arguments
    where: Locator
    dates: list[DateRef]
    tolls: dict[int, list[Casualty]]
    lexicons: _Lexicons
    reference: date | None


def extract(
    article: Article, doc: Doc, *, kb: Knowledge, gazetteer: Gazetteer, year_hint: int | None = None
) -> Extraction:
    """The event mentions one article reports.

    article (Article): the cleaned article.
    doc (Doc): its parse (`annotate`); its text must be the article's text.
    kb (Knowledge): actors and lexicons (`load_knowledge()`).
    gazetteer (Gazetteer): places (`load_gazetteer()`).
    year_hint (int | None): the year the corpus is about (`corpus_year_hint`), for year-less dates
        in undated articles.
    RETURNS (Extraction): mentions (ids f"{article.id}-m001"... in text order), the actors and
        places they name, and the titles the text gives people.
    RAISES (InputError): the parse is not of this article's text.
    """
    if doc_text(doc) != article.text:
        raise InputError(
            "the parsed text is not the article's text; annotate the cleaned article", source=article.id
        )
    lexicons = _lexicons(kb)
    finds = find_actors(doc, kb=kb, on=article.published)
    new_actors = {a.id: a for a in finds.new_actors}
    countries = article_countries(doc, gazetteer=gazetteer)
    places = find_places(doc, gazetteer=gazetteer, countries=countries)
    refs = in_context(_not_places(finds.refs, new_actors, gazetteer, countries), kb=kb, countries=countries)
    where = Locator(doc, places, refs, lexicons.events, gazetteer.is_feature_word, gazetteer.cues)
    actor_of: Callable[[str], Actor | None] = lambda i: kb.actor(i) or new_actors.get(i)  # noqa: E731
    state = _Article(
        article=article,
        doc=doc,
        args=Arguments(doc, refs, lexicons.events, actor_of, where, kb.is_generic),
        where=where,
        dates=find_dates(doc, published=article.published, year_hint=year_hint),
        tolls={sent.start: find_tolls(sent) for sent in doc.sents},
        lexicons=lexicons,
        reference=article.published or (date(year_hint, 1, 1) if year_hint else None),
    )
    quotes = find_quotes(doc, lexicon=lexicons.quotes, prepositions=lexicons.modality.prepositions)
    found = _read_sentences(state, quotes)
    found = link_about(found, lexicon=lexicons.events)
    fill_pairs(found, args=state.args, symmetric=lexicons.events.symmetric)
    found = add_tolls(found, doc=doc, tolls=state.tolls, lexicon=lexicons.events, args=state.args)
    found += _quote_statements(found, quotes, state)
    mentions = _numbered(found, article.id)
    return Extraction(
        article=article.id,
        mentions=mentions,
        actors=_actors_named(mentions, kb, new_actors),
        places=_places_named(mentions, places),
        role_claims=role_claims(doc, finds.refs, kb=kb, on=article.published, article=article.id),
    )


def warm(vocab: Vocab, *, kb: Knowledge, gazetteer: Gazetteer) -> None:
    """Build now what extraction builds for its first article, about a second's work: the
    lexicons compiled, the actor and place matchers, the date patterns and toll cues, and the
    gazetteer's spelling keys (`Gazetteer.warm`). Call it before forking worker processes, so
    that they share all this instead of each building its own.

    vocab (Vocab): the vocabulary of the docs to come (`build_nlp().vocab`).
    kb (Knowledge): the knowledge base (`load_knowledge()`).
    gazetteer (Gazetteer): the gazetteer (`load_gazetteer()`).
    """
    empty = Doc(vocab, words=[])
    extract(Article(id="warm", source="", text=""), empty, kb=kb, gazetteer=gazetteer)
    find_tolls(empty[:])
    gazetteer.warm()


def _not_places(
    refs: Sequence[ActorRef], new_actors: dict[str, Actor], gazetteer: Gazetteer, countries: Sequence[str]
) -> list[ActorRef]:
    """Refs without the names the model took for organisations that are places of the countries the
    article is about ("jihadist attack on Djibo" in a report on Burkina Faso), border crossings
    shared with another country among them ("fire at the Torkham crossing")."""
    return [
        r
        for r in refs
        if r.actor not in new_actors
        or not any(
            set(gazetteer.countries_of(p.id)) & set(countries)
            for p in gazetteer.candidates(r.text, countries=countries)
        )
    ]


# ---- sentences -> mentions ---------------------------------------------------------------------------


def _read_sentences(state: _Article, quotes: Sequence[Quotation]) -> list[Found]:
    quoted = [q.span for q in quotes]
    refs = state.args.refs
    anchors = Anchors(
        dated=_inside([d.span for d in state.dates if d.span]),
        actor=_inside([r.span for r in refs if r.span]),
        quoted=_inside(quoted),
        tolls=frozenset(k for k, found in state.tolls.items() if any(c.kind != "casualties" for c in found)),
    )
    found: list[Found] = []
    for sent in state.doc.sents:
        headline = is_headline(sent)
        for trigger in find_triggers(sent, lexicon=state.lexicons.events, anchors=anchors, headline=headline):
            draft = _draft(trigger, state)
            if draft is not None:
                found.append(draft)
    return found


def _draft(trigger: Trigger, state: _Article) -> Found | None:
    """A mention for one trigger; None for an act of speech nobody makes, or for violence that
    might happen and that nothing in the text makes concrete."""
    args, lexicon = state.args, state.lexicons.events
    agents = args.agents(trigger.roots, of_agent=trigger.kind.of_agent)
    actors = unique_refs([*agents, *args.parties(trigger)]) if trigger.type in lexicon.symmetric else agents
    if trigger.speech_act and not _speakers(actors, lexicon):
        return None
    recipients = args.recipients(trigger, agents=actors)
    place = state.where.location(trigger, exclude=actors)
    when = _date(trigger.roots, state.dates, lexicon)
    reporter, vague = reporter_of(trigger.roots, lexicon=state.lexicons.modality, speaker_of=args.speaker)
    if trigger.speech_act and reporter is not None and overlaps(reporter.span, actors):
        reporter, vague = None, False
    modality = modality_of(
        trigger.roots,
        lexicon=state.lexicons.modality,
        when=when,
        reference=state.reference,
        vague_source=vague,
        reported=reporter is not None and not vague,
        light=lambda verb: is_light_verb(verb, lexicon),
    )
    if (
        modality == "hypothetical"
        and not trigger.verbal
        and not (actors or recipients or place or when.start)
    ):
        return None  # "airstrikes alone cannot deter them": talk of what might be, not a report
    sent = trigger.root.sent
    mention = Mention(
        id="",
        article=state.article.id,
        span=(trigger.words.start_char, trigger.words.end_char),
        sentence=sent.text.strip(),
        sentence_span=_stripped_span(sent),
        type=trigger.type,
        trigger=trigger.words.text,
        mode=trigger.kind.mode,
        acled=Acled(*trigger.kind.acled) if trigger.kind.acled else None,
        actors=actors,
        recipients=recipients,
        date=when,
        location=place.ref if place else None,
        reporter=reporter,
        modality=modality,
        venue=state.where.venue(trigger.roots) if trigger.speech_act else None,
    )
    return Found(mention, trigger)


def _speakers(actors: Sequence[ActorRef], lexicon: EventLexicon) -> bool:
    """Whether someone in particular speaks ("analysts warn" names no one)."""
    return any(a.text.split()[-1].lower().rstrip("s") not in lexicon.commentators for a in actors if a.text)


def _date(roots: Sequence[Token], dates: Sequence[DateRef], lexicon: EventLexicon) -> DateRef:
    """The date of the trigger's own phrase or clause, or of the clause its "when" clause hangs
    from; a date inside another clause of the sentence ("the Taliban, which regained control in
    August 2021, has been accused") or of the verb claiming it ("claimed the attack on Thursday")
    is not it."""
    for root in roots:
        when = date_for(root, dates)
        if when.span is not None and _attached(root.doc, when.span, roots, lexicon):
            return when
    return DateRef.unknown()


def _attached(doc: Doc, span: tuple[int, int], roots: Sequence[Token], lexicon: EventLexicon) -> bool:
    """Whether a date hangs from one of the trigger heads, from the verb carrying them or from the
    verb their "when" clause hangs from, passing no other verb than a participle ("signed in
    September") or one sharing the carrying verb's subject ("killed 12 and wounded 30 on Saturday")."""
    words = doc.char_span(*span, alignment_mode="expand")
    if words is None:
        return False
    clauses = [
        clause
        for root in roots
        if (clause := event_clause(root)).i == root.i or clause.lemma_.lower() not in lexicon.claim_verbs
    ]
    goals = (
        {r.i for r in roots}
        | {c.i for c in clauses}
        | {
            c.head.i
            for c in clauses
            if c.dep_ == "advcl"
            and any(
                w.dep_ in ("advmod", "mark") and w.lower_ in lexicon.simultaneous_words for w in c.children
            )
        }
    )
    token = words.root
    while token.i not in goals:
        if token.head.i == token.i:
            return False
        token = token.head
        # a name the tagger took for a verb ("in Sagaing on Sunday") is no clause of its own
        other_verb = (
            token.pos_ in ("VERB", "AUX")
            and token.i not in goals
            and token.dep_ != "acl"
            and not token.ent_type_
        )
        if other_verb and shared_clause(token).i not in goals:
            return False
    return True


# ---- quotations ------------------------------------------------------------------------------------


def _quote_statements(found: list[Found], quotes: Sequence[Quotation], state: _Article) -> list[Found]:
    """Attach each quotation to the statement of its sentence; a quotation with a speaker and no
    such statement becomes a STATEMENT of its own; one going on after its attribution joins the
    statement of the one it continues."""
    made: list[Found] = []
    carrying: dict[tuple[int, int], Mention] = {}  # the statement each quotation went to
    for quote in quotes:
        if quote.continues is not None:
            if (said := carrying.get(quote.continues.span)) is not None:
                go_on(said, quote)
                carrying[quote.span] = said
            continue
        speaker = speaker_of(quote, args=state.args, lexicon=state.lexicons.quotes, quotes=quotes)
        host = host_for(quote, speaker, found)
        if host is not None:
            if host.mention.quote is None:
                host.mention.quote, host.mention.quote_span = quote.text, quote.span
                # the quotation's own verb: who speaks it is read with the quotations in view
                own = host.trigger is not None and host.trigger.root == quote.verb
                host.mention.actors = (speaker if own else []) or host.mention.actors or speaker
                carrying[quote.span] = host.mention
            continue
        if speaker and not quote.scare:
            made.append(_statement(quote, speaker, state))
            carrying[quote.span] = made[-1].mention
    return made


def _statement(quote: Quotation, speaker: list[ActorRef], state: _Article) -> Found:
    anchor = quote.verb or quote.source
    sent = quote.sentence
    roots = [anchor] if anchor is not None else [quote.first]
    span = (anchor.idx, anchor.idx + len(anchor)) if quote.verb is not None else quote.span
    modality = modality_of(roots, lexicon=state.lexicons.modality) if quote.verb is not None else "asserted"
    mention = Mention(
        id="",
        article=state.article.id,
        span=span,
        sentence=sent.text.strip(),
        sentence_span=_stripped_span(sent),
        type="STATEMENT",
        trigger=quote.verb.text if quote.verb is not None else None,
        actors=speaker,
        recipients=addressed(quote, speaker, state.args),
        date=_date(roots, state.dates, state.lexicons.events),
        modality=modality,
        quote=quote.text,
        quote_span=quote.span,
        venue=state.where.venue(roots),
    )
    return Found(mention, None)


# ---- output ----------------------------------------------------------------------------------------------


def _numbered(found: list[Found], article_id: str) -> list[Mention]:
    """Mentions in text order with stable ids; statements point at the mention they are about."""
    ordered = sorted(found, key=lambda f: (f.mention.span[0], f.mention.span[1]))
    for n, item in enumerate(ordered, start=1):
        item.mention.id = f"{article_id}-m{n:03d}"
    for item in ordered:
        if item.about is not None and item.about.mention.id:
            item.mention.about_mention = item.about.mention.id
        item.mention.confidence = _confidence(item.mention)
    return [f.mention for f in ordered]


def _confidence(mention: Mention) -> float:
    """A rough score: how much of who, whom, when and where the text gave."""
    told = [
        any(a.actor for a in mention.actors),
        bool(mention.recipients) or mention.type in ("STATEMENT", "FIGHT"),
        mention.date.precision != "none",
        mention.location is not None or mention.type == "STATEMENT",
    ]
    return round(0.4 + 0.15 * sum(told), 2)


def _actors_named(mentions: Sequence[Mention], kb: Knowledge, new_actors: dict[str, Actor]) -> list[Actor]:
    ids = {r.actor for m in mentions for r in [*m.actors, *m.recipients] if r.actor}
    ids |= {m.reporter.actor for m in mentions if m.reporter and m.reporter.actor}
    found = [kb.actor(i) or new_actors.get(i) for i in sorted(ids)]
    return [a for a in found if a is not None]


def _places_named(mentions: Sequence[Mention], places: Sequence[PlaceMatch]) -> list[Place]:
    ids = {m.location.place for m in mentions if m.location and m.location.place}
    by_id = {p.place.id: p.place for p in places}
    return [by_id[i] for i in sorted(ids) if i in by_id]


# ---- helpers ---------------------------------------------------------------------------------------------


def _inside(spans: Sequence[tuple[int, int]]) -> Callable[[Token], bool]:
    """A test: whether a token starts inside one of the spans."""

    def test(token: Token) -> bool:
        return any(start <= token.idx < end for start, end in spans)

    return test


def _stripped_span(sent: Span) -> tuple[int, int]:
    text = sent.text
    start = sent.start_char + len(text) - len(text.lstrip())
    return start, sent.start_char + len(text.rstrip())


#: Compiled lexicons per loaded knowledge base (the base is kept, so its id is not reused).
_COMPILED: dict[int, tuple[Knowledge, _Lexicons]] = {}


def _lexicons(kb: Knowledge) -> _Lexicons:
    """The three lexicons compiled once per loaded knowledge base."""
    cached = _COMPILED.get(id(kb))
    if cached is None or cached[0] is not kb:
        compiled = _Lexicons(
            compile_lexicon(kb.lexicon("events")),
            compile_modality(kb.lexicon("modality")),
            compile_quotes(kb.lexicon("quotes")),
        )
        cached = _COMPILED[id(kb)] = (kb, compiled)
    return cached[1]
