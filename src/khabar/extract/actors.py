"""extract.actors: a parsed article (spaCy Doc) -> every actor it names, linked to the knowledge base.

Part of `extract`, right after `annotate`: `extract` hands the refs to the argument finder (who did
what to whom) and the role claims to `resolve` (a sitting president called "former"). Known actors
are found by their aliases (one PhraseMatcher per knowledge base, longest match wins); a country or
organisation with a generic noun becomes that country's own actor ("Pakistani police",
"Afghanistan's defense ministry"); a title before a name links to the person ("the Pakistan Army's
spokesperson, Lieutenant General Ahmed Sharif Chaudhry"); names the knowledge base lacks become new
actors from the NER model (ORG, PERSON, NORP); a surname alone links to the person named in full.
Cue words live in knowledge/lexicons/actors.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from khabar.extract.lexicon import phrase_tokenizer
from khabar.extract.texts import doc_text
from khabar.knowledge import Knowledge, norm
from khabar.models import Actor, ActorRef, RoleClaim

__all__ = ["ActorFinds", "find_actors", "role_claims"]

_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_BLOCKED = "-"
_ENTITY_LABELS = frozenset({"ORG", "PERSON", "NORP"})
_STATE_SIDE = frozenset({"state", "government", "military", "police"})
_ARMED = frozenset({"rebel", "militia", "military"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Longest run of words the NER model calls a person that is taken for a person's name.
_PERSON_WORDS = 4
#: Entity labels a group's name never carries: "Lake Chad militants", "Monday militants" name none.
_NOT_GROUP_NAME = _PLACE_LABELS | {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass
class ActorFinds:
    """What `find_actors` found in one doc.

    refs (list[ActorRef]): every actor mention, in text order, spans never overlapping; `actor` is
        a knowledge-base id or the id of one of `new_actors`.
    new_actors (list[Actor]): actors made for names the knowledge base lacks (ids "x-...").
    """

    refs: list[ActorRef] = field(default_factory=list)
    new_actors: list[Actor] = field(default_factory=list)


@dataclass(frozen=True, order=True)
class _Hit:
    """An actor mention as token offsets [start, end)."""

    start: int
    end: int
    actor: str


@dataclass
class _Tools:
    """The matchers and cue words for one knowledge base and vocabulary, built once."""

    lower: PhraseMatcher
    exact: PhraseMatcher
    titles: dict[tuple[str, ...], str]
    title_words: frozenset[str]
    title_starts: frozenset[str]
    former: frozenset[str]
    historical: frozenset[str]
    honorifics: frozenset[str]
    common_surnames: frozenset[str]
    kinds: list[tuple[str, frozenset[tuple[str, ...]]]]
    not_actor_words: frozenset[str]
    not_actor_names: frozenset[str]
    group_nouns: frozenset[str]
    group_kinds: dict[str, str]
    adjective_nouns: frozenset[str]
    surnames: dict[str, list[str]]


def find_actors(doc: Doc, *, kb: Knowledge, on: date | None = None) -> ActorFinds:
    """Every actor a doc names.

    doc (Doc): the parsed article (`annotate`).
    kb (Knowledge): the knowledge base (`load_knowledge()`).
    on (date | None): the article's date, to tell who held a title then ("Pakistan's prime
        minister"); None leaves such titles unlinked.
    RETURNS (ActorFinds): refs with character spans into `doc.text`, and the new actors they name.
    """
    tools = _tools(kb, doc.vocab)
    new: dict[str, Actor] = {}
    hits = _composed(
        doc,
        _outside_longer_names(doc, _alias_hits(doc, tools), kb, tools),
        kb=kb,
        tools=tools,
        on=on,
        new=new,
    )
    hits = _named_groups(doc, hits, kb=kb, tools=tools, new=new)
    hits = sorted(hits + _titled_surnames(doc, hits, kb=kb, tools=tools, on=on))
    hits, pending = _entity_hits(doc, hits, kb=kb, tools=tools, new=new)
    hits = sorted(hits + _surname_hits(doc, hits, pending, kb=kb, tools=tools, new=new))
    hits = sorted(hits + _leftover_names(pending, hits, kb=kb, tools=tools, new=new))
    refs = [_ref(doc, h) for h in hits]
    used = {h.actor for h in hits}
    return ActorFinds(refs=refs, new_actors=[a for a in new.values() if a.id in used])


def role_claims(
    doc: Doc, refs: Sequence[ActorRef], *, kb: Knowledge, on: date | None = None, article: str = ""
) -> list[RoleClaim]:
    """The titles a doc gives the people it names ("Former U.S. President Donald Trump",
    "Imran Khan, Pakistan's former prime minister"), for resolve to check against dated roles.

    doc (Doc): the parsed article.
    refs (Sequence[ActorRef]): its actor refs (`find_actors`).
    kb (Knowledge): the knowledge base; only its people with a title it knows are claimed about.
    on (date | None): the article's date; a title in a sentence dated earlier is the title then,
        not a claim about now ("in 2022 the U.S. killed al-Qaeda leader Ayman al-Zawahiri").
    article (str): the article id to put in the claims.
    RETURNS (list[RoleClaim]): one claim per titled mention, with the canonical title.
    """
    tools = _tools(kb, doc.vocab)
    covered = {t.i for r in refs if r.span for t in _span(doc, r.span)}
    claims: dict[tuple[str, int], RoleClaim] = {}
    for ref in refs:
        actor = kb.actor(ref.actor) if ref.actor else None
        span = _span(doc, ref.span) if ref.span else None
        if actor is None or actor.kind != "person" or span is None or _ends_with_title(span, tools):
            continue
        found = _claim_before(doc, span, tools, covered) or _claim_after(doc, span, tools, covered)
        if found is None or (not found[2] and _dated_earlier(span.sent, on)):
            continue
        (start, end), title, former = found
        claims[actor.id, start] = RoleClaim(
            article=article,
            actor=actor.id,
            title=title,
            former=former,
            span=(start, end),
            text=doc_text(doc)[start:end],
        )
    return list(claims.values())


# ---- known names -----------------------------------------------------------------------------------


def _alias_hits(doc: Doc, tools: _Tools) -> list[_Hit]:
    spans = [Span(doc, s, e, label=key) for m in (tools.lower, tools.exact) for key, s, e in m(doc)]
    return sorted(_Hit(s.start, s.end, s.label_) for s in filter_spans(spans) if s.label_ != _BLOCKED)


def _outside_longer_names(doc: Doc, hits: list[_Hit], kb: Knowledge, tools: _Tools) -> list[_Hit]:
    """The hits less those inside a longer name of something else: a country inside a place name
    ("Lake Chad", "Port Sudan", "the Gulf of Oman"; a capital listed whole, "Kuwait City", is one
    hit) and a word of a person's name ("Ben Wagner", "Andrew Jordan"; not an acronym, and not in
    a long "person" that is an organisation the NER model misread)."""
    covered = {i for h in hits for i in range(h.start, h.end)}
    names = [
        e
        for e in doc.ents
        if (e.label_ in _PLACE_LABELS or (e.label_ == "PERSON" and len(e) <= _PERSON_WORDS))
        and any(t.i not in covered and _is_name(t) and t.lower_ not in tools.title_words for t in e)
    ]

    def inside(hit: _Hit) -> bool:
        actor = kb.actor(hit.actor)
        if actor is None or actor.kind == "person" or (hit.end - hit.start == 1 and _acronym(doc[hit.start])):
            return False
        labels = _PLACE_LABELS | {"PERSON"} if actor.kind == "state" else {"PERSON"}
        return any(e.label_ in labels and e.start <= hit.start and hit.end <= e.end for e in names)

    return [h for h in hits if not inside(h)]


def _composed(
    doc: Doc, hits: list[_Hit], *, kb: Knowledge, tools: _Tools, on: date | None, new: dict[str, Actor]
) -> list[_Hit]:
    """Hits joined into the most specific actor: owner + generic, then owner + title + person;
    generic nouns left alone only when they name someone (`_generic_noun`)."""
    paired: list[_Hit] = []
    nouns: dict[int, str] = {}  # where a joined hit starts -> the generic actor its noun names
    for hit in hits:
        joined = _pair(doc, paired[-1], hit, kb=kb, new=new) if paired else None
        if joined:
            nouns[joined.start] = hit.actor if kb.is_generic(hit.actor) else paired[-1].actor
            paired[-1] = joined
        else:
            paired.append(hit)
    for i in range(1, len(paired)):
        noun = nouns.get(paired[i].start) or kb.generic_of(paired[i].actor)
        if noun and (shared := _sharing(doc, paired[i - 1], paired[i], noun, kb=kb, new=new)):
            paired[i - 1] = shared
    titled = [
        _titled(doc, hit, paired[i + 1 :], kb=kb, tools=tools, on=on, new=new) or hit
        for i, hit in enumerate(paired)
    ]
    return [h for h in titled if not kb.is_generic(h.actor) or _generic_noun(doc[h.start : h.end], tools)]


def _generic_noun(span: Span, tools: _Tools) -> bool:
    """A generic actor noun standing alone: a noun ("police", not "to police"; "junta" even when
    tagged an adjective) outside headings ("Official Statement and Regional Implications")."""
    last = span[-1]
    noun = last.pos_ in ("NOUN", "PROPN") or last.lower_ in tools.adjective_nouns
    return noun and not _is_headline(span.sent)


def _pair(doc: Doc, first: _Hit, second: _Hit, *, kb: Knowledge, new: dict[str, Actor]) -> _Hit | None:
    """ "Pakistani police", "Afghanistan's defence ministry", "TTP militants", "police of Pakistan"."""
    gap = [t.text.lower() for t in doc[first.end : second.start]]
    first_generic, second_generic = kb.is_generic(first.actor), kb.is_generic(second.actor)
    if second_generic and not first_generic and (not gap or (len(gap) == 1 and gap[0] in _POSSESSIVE)):
        target = _specialise(first.actor, second.actor, kb=kb, new=new)
    elif first_generic and not second_generic and gap == ["of"]:
        target = _specialise(second.actor, first.actor, kb=kb, new=new)
    else:
        return None
    return _Hit(first.start, second.end, target) if target else None


def _sharing(
    doc: Doc, before: _Hit, hit: _Hit, noun: str, *, kb: Knowledge, new: dict[str, Actor]
) -> _Hit | None:
    """The actor a demonym names when it shares the next one's noun: "Indian" in "Indian and
    Pakistani troops" is India's troops, not India. `noun`: the generic actor the noun names."""
    gap = [t.lower_ for t in doc[before.end : hit.start]]
    if gap not in (["and"], [","], ["or"]) or doc[hit.start].tag_ != "JJ":
        return None
    if any(t.tag_ != "JJ" for t in doc[before.start : before.end]):
        return None
    owner = kb.actor(before.actor)
    if owner is None or owner.kind != "state" or not kb.is_generic(noun):
        return None
    target = _specialise(before.actor, noun, kb=kb, new=new)
    return _Hit(before.start, before.end, target) if target else None


def _specialise(owner_id: str, generic_id: str, *, kb: Knowledge, new: dict[str, Actor]) -> str | None:
    """The actor a generic noun names when owned: an armed group's fighters are the group, a
    country's police its police force (made up when the knowledge base has none)."""
    owner, generic = kb.actor(owner_id), kb.actors[generic_id]
    if owner is None:
        return None
    if owner.kind in ("rebel", "militia", "external"):  # "Wagner fighters" are the Wagner Group
        return owner.id if generic.kind in _ARMED else None
    if owner.kind == "international":
        return owner.id if generic.kind in ("government", "military") else None
    if owner.kind not in _STATE_SIDE or owner.country is None:
        return None
    if owner.kind != "state" and owner.kind == generic.kind:
        return owner.id
    found = kb.instance(owner.country, generic_id)
    return found.id if found else _new_instance(owner.country, generic, kb=kb, new=new).id


def _new_instance(country: str, generic: Actor, *, kb: Knowledge, new: dict[str, Actor]) -> Actor:
    state = kb.state(country)
    prefix, of = (state.id.lower(), state.name) if state else (country.lower(), country)
    actor = Actor(
        id=f"x-{prefix}-{generic.id}",
        name=f"{generic.name} of {of}",
        kind=generic.kind,
        country=country,
        acled_inter=generic.acled_inter,
        # a country's troops or police belong to its state; its militants or civilians do not
        parent=state.id if state and generic.kind in _STATE_SIDE else None,
    )
    return new.setdefault(actor.id, actor)


def _titled(
    doc: Doc,
    hit: _Hit,
    after: Sequence[_Hit],
    *,
    kb: Knowledge,
    tools: _Tools,
    on: date | None,
    new: dict[str, Actor],
) -> _Hit | None:
    """Owner + title, linked to its holder: the person named right after ("the Pakistan Army's
    spokesperson, Lt Gen X") or, given the date, whoever held it then ("Pakistan's prime minister")."""
    owner = kb.actor(hit.actor) or new[hit.actor]
    if owner.kind == "person" or kb.is_generic(owner.id):
        return None
    start = hit.end + (hit.end < len(doc) and doc[hit.end].text in _POSSESSIVE)
    title_end, title = _title_from(doc, start, tools)
    if title is None:
        return None
    name_start = _skip_honorifics(doc, title_end, tools)
    name_start = _skip_honorifics(doc, _title_from(doc, name_start, tools)[0], tools)
    holder = next((h.actor for h in after[:1] if h.start == name_start and _is_person(h.actor, kb)), None)
    if holder is None and on is not None:
        found = kb.holder_of(title, owner.id, on)
        holder = found.id if found else None
    return _Hit(hit.start, title_end, holder) if holder else None


def _titled_surnames(
    doc: Doc, hits: Sequence[_Hit], *, kb: Knowledge, tools: _Tools, on: date | None
) -> list[_Hit]:
    """A title and a known person's surname: "Field Marshal Munir", "President Xi"."""
    covered = {i for h in hits for i in range(h.start, h.end)}
    found: list[_Hit] = []
    for token in doc:
        # most words begin no title: spare them the lookups of `_title_from`
        if token.lower_ not in tools.title_starts or token.i in covered:
            continue
        title_end, title = _title_from(doc, token.i, tools)
        if title is None:
            continue
        name = _skip_honorifics(doc, title_end, tools)
        if name >= len(doc) or name in covered or not _is_name(doc[name]):
            continue
        end = name + 1
        while end < len(doc) and end not in covered and _is_name(doc[end]) and end - name < 3:
            end += 1
        holders = [p for p in tools.surnames.get(norm(doc[end - 1].text), []) if _has_title(kb, p, title, on)]
        if len(holders) == 1:
            found.append(_Hit(name, end, holders[0]))
            covered.update(range(name, end))
    return found


# ---- names the knowledge base lacks -----------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    """A named entity the aliases did not cover, and the country hits it swallows, if any."""

    span: Span
    label: str
    country: str | None = None
    replaces: tuple[_Hit, ...] = ()


def _entity_hits(
    doc: Doc, hits: list[_Hit], *, kb: Knowledge, tools: _Tools, new: dict[str, Actor]
) -> tuple[list[_Hit], list[_Name]]:
    """Hits for the NER model's ORG, PERSON and NORP entities the aliases missed; unknown one-word
    names are returned apart, to be tried as surnames first."""
    kept, pending = list(hits), []
    headings: dict[int, bool] = {}
    for ent in doc.ents:
        name = _unknown_name(ent, kept, kb=kb, tools=tools, headings=headings)
        if name is None:
            continue
        known = kb.lookup_actor(name.span.text) or (
            _plural_demonym(name.span, kb) if name.label == "NORP" else None
        )
        if known is None and len(name.span) == 1:
            pending.append(name)
            continue
        actor = known or _new_actor(name, kb=kb, tools=tools, new=new)
        if actor is not None:
            kept = [h for h in kept if h not in name.replaces] + [
                _Hit(name.span.start, name.span.end, actor.id)
            ]
    return sorted(kept), pending


def _unknown_name(
    ent: Span, hits: Sequence[_Hit], *, kb: Knowledge, tools: _Tools, headings: dict[int, bool]
) -> _Name | None:
    """A name `ent` gives that no hit covers, unless it is part of a longer one or of a heading
    (`headings`: sentence start -> whether it is one, filled as sentences are read)."""
    if ent.label_ not in _ENTITY_LABELS:
        return None
    span = _trimmed(ent)
    if (
        span is None
        or _is_fragment(span, tools)
        or _is_headline_cached(ent.sent, headings)
        or _title_from(ent.doc, span.start, tools)[0] >= span.end  # "Defense" of "Defense Minister X"
    ):
        return None
    if any(t.lower_ in tools.not_actor_words for t in span) or norm(span.text) in tools.not_actor_names:
        return None
    inside = tuple(h for h in hits if h.start < span.end and span.start < h.end)
    if not inside:
        return _Name(span, ent.label_, _country_before(span, hits, kb=kb, tools=tools))
    # An organisation whose name holds a country or a generic noun ("Egyptian Red Crescent",
    # "Police Training Center") is itself an actor; one holding other actors is not new.
    owners = [kb.actor(h.actor) for h in inside]
    if ent.label_ != "ORG" or any(
        a is None or (a.kind != "state" and not kb.is_generic(a.id)) for a in owners
    ):
        return None
    if (
        inside[0].start < span.start
        or inside[-1].end > span.end
        or len(span) <= inside[-1].end - inside[0].start
    ):
        return None
    if any(t.pos_ == "CCONJ" or t.text == "," for t in span):
        return None
    country = next((a.country for a in owners if a and a.kind == "state"), None)
    return _Name(span, ent.label_, country, inside)


def _country_before(span: Span, hits: Sequence[_Hit], *, kb: Knowledge, tools: _Tools) -> str | None:
    """The country of a person named after it and a title: "Iranian commander Ali Rezaei",
    "Colombia's Defence Minister Pedro Sanchez", "Kremlin spokesman Dmitry Peskov"."""
    doc, start, sent_start = span.doc, span.start, span.sent.start
    while start > sent_start and _title_or_rank(doc, start - 1, tools):
        start -= 1
    start -= start > sent_start and doc[start - 1].text in _POSSESSIVE
    owner = next((kb.actor(h.actor) for h in hits if h.end == start), None)
    return owner.country if owner is not None and owner.kind not in ("person", "media") else None


def _title_or_rank(doc: Doc, i: int, tools: _Tools) -> bool:
    """A word of a title or rank before a name; a comma only right after a title ("Iran's army
    spokesman, Ali Rezaei"), so "In Pakistan, Ali Rezaei" gives Ali Rezaei no country."""
    if doc[i].text == ",":
        return i > doc[i].sent.start and doc[i - 1].lower_ in tools.title_words
    return doc[i].lower_ in tools.title_words or _skippable(doc, i, tools)


def _named_groups(
    doc: Doc, hits: list[_Hit], *, kb: Knowledge, tools: _Tools, new: dict[str, Actor]
) -> list[_Hit]:
    """A name the knowledge base lacks, before fighters or a group noun, is an armed group: "ELN
    rebels", "Boko Haram fighters", "the Jaish al-Adl group", "the M23 rebel group", "the Kachin
    Independence Army". The NER model misses such names or takes them for people; a name it tags
    as an organisation with the noun inside is left to `_entity_hits`."""
    covered = {i for h in hits for i in range(h.start, h.end)}
    orgs = {t.i for e in doc.ents if e.label_ == "ORG" for t in e}
    nouns = [h for h in hits if _group_noun(doc, h, kb)]
    nouns += [_Hit(t.i, t.i + 1, "") for t in doc if t.lower_ in tools.group_nouns and t.i not in covered]
    found = list(hits)
    for noun in sorted(nouns):
        between = noun.start
        while between > 0 and between - 1 not in covered and doc[between - 1].lower_ in tools.group_kinds:
            between -= 1
        name = _name_before(doc, between, covered)
        if (
            name is None
            or noun.start in orgs
            or _is_headline(name.sent)
            or norm(name.text) in tools.not_actor_names
        ):
            continue
        if doc[noun.start].text[:1].isupper():  # the noun is part of the name: "Wagner Group"
            name = doc[name.start : noun.end]
        slug = norm(name.text).replace(" ", "-")
        kind = _group_kind(name, doc[between : noun.start], noun, kb=kb, tools=tools)
        actor = new.setdefault(
            f"x-{slug}", Actor(id=f"x-{slug}", name=name.text, kind=kind, country=_named_country(name, kb))
        )
        found = [h for h in found if h != noun] + [_Hit(name.start, noun.end, actor.id)]
        covered.update(range(name.start, noun.end))
    return sorted(found)


def _group_noun(doc: Doc, hit: _Hit, kb: Knowledge) -> bool:
    """A generic noun a name before makes a group's: fighters' ("rebels", "militants", "gunmen"),
    or any capitalised inside a sentence ("Independence Army")."""
    if not kb.is_generic(hit.actor):
        return False
    first = doc[hit.start]
    in_name = first.pos_ == "PROPN" and first.text[:1].isupper() and first.i != first.sent.start
    return in_name or kb.actors[hit.actor].kind in ("rebel", "militia")


def _group_kind(name: Span, between: Span, noun: _Hit, *, kb: Knowledge, tools: _Tools) -> str:
    """A new group's kind: from the words of its name ("Jaish", "Liberation"), else from a word
    between name and noun ("rebel group"), else from the noun ("rebels", "group")."""
    kind = _kind([t.lower_ for t in name], tools)
    said = [tools.group_kinds[t.lower_] for t in between]
    if kind != "other" or not (said or noun.actor):
        return kind if kind != "other" else _kind([name.doc[noun.start].lower_], tools)
    return said[0] if said else kb.actors[noun.actor].kind


def _name_before(doc: Doc, end: int, covered: set[int]) -> Span | None:
    """The name ending right before a token ("Jaish al-Adl", "ELN", "Boko Haram"), from a capital
    to a capital and taking in the whole of an entity it cuts ("People's Defence Force"); None
    when there is none, or only one capitalised word the NER model does not call a name."""
    sent_start = doc[end].sent.start
    start = end
    while start > sent_start and start - 1 not in covered and _name_word(doc[start - 1]):
        start -= 1
    while start > sent_start and start < end and doc[start].ent_iob_ == "I" and start - 1 not in covered:
        start -= 1
    if start < end and doc[start].ent_iob_ == "I":  # the rest of the entity is another actor's name
        return None
    # the tagger calls a capitalised "The" before a name a proper noun too
    while start < end and (not doc[start].text[:1].isupper() or doc[start].lower_ in ("the", "a", "an")):
        start += 1
    if start == end or not doc[end - 1].text[:1].isupper():
        return None
    name = doc[start:end]
    lone = len(name) == 1 and not _acronym(name[0]) and name[0].ent_type_ not in _ENTITY_LABELS
    people = all(t.ent_type_ == "NORP" for t in name)  # "the Igbo group", "Baloch militants"
    return None if lone or people else name


def _name_word(token: spacy.tokens.Token) -> bool:
    """A word of a name: a proper noun, an acronym the tagger took for a common noun ("ELN"), or
    the hyphen of "al-Adl"; never a day or a number, nor a place unless an acronym ("M23")."""
    if token.ent_type_ in _NOT_GROUP_NAME and not (token.ent_type_ in _PLACE_LABELS and _acronym(token)):
        return False
    return token.pos_ == "PROPN" or _acronym(token) or token.text == "-"


def _acronym(token: spacy.tokens.Token) -> bool:
    return len(token) > 1 and token.text.isupper() and any(c.isalpha() for c in token.text)


def _leftover_names(
    pending: Sequence[_Name], hits: Sequence[_Hit], *, kb: Knowledge, tools: _Tools, new: dict[str, Actor]
) -> list[_Hit]:
    """One-word organisations and groups no surname claimed; one-word unknown persons are too often
    a place or a heading the model misread to become actors."""
    covered = {i for h in hits for i in range(h.start, h.end)}
    found = []
    for name in pending:
        if name.label != "PERSON" and name.span.start not in covered:
            actor = _new_actor(name, kb=kb, tools=tools, new=new)
            found += [_Hit(name.span.start, name.span.end, actor.id)] if actor else []
    return found


def _plural_demonym(span: Span, kb: Knowledge) -> Actor | None:
    """ "Afghans", "Pakistanis": the people of a country, named by the country."""
    text = span.text
    actor = kb.lookup_actor(text[:-1]) if text.endswith("s") else None
    return actor if actor is not None and actor.kind == "state" else None


def _new_actor(name: _Name, *, kb: Knowledge, tools: _Tools, new: dict[str, Actor]) -> Actor | None:
    span, label = name.span, name.label
    slug = norm(span.text).replace(" ", "-")
    if not slug or not any(c.isupper() for c in span.text):
        return None
    words = [t.lower_ for t in span]
    # The model takes some organisations for people ("the Tigray People's Liberation Front").
    kind = "other" if label == "NORP" else _kind(words, tools)
    kind = "person" if label == "PERSON" and kind == "other" else kind
    actor = Actor(id=f"x-{slug}", name=span.text, kind=kind, country=name.country or _named_country(span, kb))
    return new.setdefault(actor.id, actor)


def _kind(words: list[str], tools: _Tools) -> str:
    """The kind of the first rule with a phrase among the words ("liberation front": rebel)."""
    runs = _runs(words)
    for kind, phrases in tools.kinds:
        if not runs.isdisjoint(phrases):
            return kind
    return "other"


def _runs(words: Sequence[str]) -> set[tuple[str, ...]]:
    """Every run of consecutive words (the empty one too): a phrase is in the words if it is one."""
    return {tuple(words[i:j]) for i in range(len(words) + 1) for j in range(i, len(words) + 1)}


def _named_country(span: Span, kb: Knowledge) -> str | None:
    """A country named inside a name ("South Sudanese Army" -> SS), longest words first."""
    for size in (3, 2, 1):
        for i in range(len(span) - size + 1):
            actor = kb.lookup_actor(span[i : i + size].text)
            if actor is not None and actor.kind == "state":
                return actor.country
    return None


def _surname_hits(
    doc: Doc,
    hits: Sequence[_Hit],
    pending: Sequence[_Name],
    *,
    kb: Knowledge,
    tools: _Tools,
    new: dict[str, Actor],
) -> list[_Hit]:
    """A surname standing alone ("said Kugelman") links to the person named in full in the doc."""
    people: dict[str, set[str]] = {}
    for hit in hits:
        actor = kb.actor(hit.actor) or new.get(hit.actor)
        words = norm(actor.name).split() if actor and actor.kind == "person" else []
        if len(words) >= 2 and words[-1] not in tools.common_surnames:
            people.setdefault(words[-1], set()).add(hit.actor)
    known = {name: ids.pop() for name, ids in people.items() if len(ids) == 1}
    if not known:  # no one to look for: spare the look at every proper noun
        return []
    covered = {i for h in hits for i in range(h.start, h.end)}
    candidates = [n.span[0] for n in pending] + [
        t for t in doc if t.pos_ == "PROPN" and t.ent_type_ not in _PLACE_LABELS
    ]
    found = {
        t.i: _Hit(t.i, t.i + 1, known[norm(t.text)])
        for t in candidates
        if t.i not in covered and norm(t.text) in known and _stands_alone(t)
    }
    return list(found.values())


# ---- role claims --------------------------------------------------------------------------------------


def _claim_before(
    doc: Doc, person: Span, tools: _Tools, covered: set[int]
) -> tuple[tuple[int, int], str, bool] | None:
    """[former] [owner] title [,] [rank] NAME."""
    end = person.start
    while end > person.sent.start and _skippable(doc, end - 1, tools):
        end -= 1
    for size in range(min(6, end - person.sent.start), 0, -1):
        title = tools.titles.get(tuple(t.lower_ for t in doc[end - size : end]))
        if title:
            start, former, historical = _walk(doc, end - size, -1, tools, covered, limit=person.sent.start)
            return None if historical else ((doc[start].idx, person.end_char), title, former)
    return None


def _claim_after(
    doc: Doc, person: Span, tools: _Tools, covered: set[int]
) -> tuple[tuple[int, int], str, bool] | None:
    """NAME, [the] [former] [owner's] title."""
    i = person.end
    if i + 1 >= person.sent.end or doc[i].text != ",":
        return None
    i += 1 + (doc[i + 1].lower_ in ("the", "a", "an"))
    stop, former, historical = _walk(
        doc, i, 1, tools, covered - set(range(person.start, person.end)), limit=person.sent.end
    )
    title_end, title = _title_from(doc, stop, tools)
    if title is None or historical:
        return None
    return (person.start_char, doc[title_end - 1].idx + len(doc[title_end - 1])), title, former


def _walk(
    doc: Doc, i: int, step: int, tools: _Tools, covered: set[int], *, limit: int
) -> tuple[int, bool, bool]:
    """Walk from a title over the words that may qualify it (owner names, possessives, "former");
    returns where the walk stopped and whether "former" / "then" was seen."""
    former = historical = False
    at = i
    for _ in range(8):
        j = at + step if step < 0 else at
        if (step < 0 and j < limit) or (step > 0 and j >= limit):
            break
        word = doc[j].lower_
        if step > 0 and _title_from(doc, j, tools)[1]:
            break
        if not (
            word in tools.former
            or word in tools.historical
            or j in covered
            or word in _POSSESSIVE
            or word == "-"
        ):
            break
        former |= word in tools.former
        historical |= word in tools.historical
        at = j if step < 0 else j + 1
    return at, former, historical


def _dated_earlier(sent: Span, on: date | None) -> bool:
    """Whether a sentence is dated to an earlier year than the article (any year, undated)."""
    years = [int(y) for ent in sent.ents if ent.label_ == "DATE" for y in _YEAR.findall(ent.text)]
    return bool(years) and (on is None or min(years) < on.year)


# ---- small helpers ------------------------------------------------------------------------------------


def _title_from(doc: Doc, i: int, tools: _Tools) -> tuple[int, str | None]:
    # called for every token of every article: most words begin no title, so skip the lookups
    if i >= len(doc) or doc[i].lower_ not in tools.title_starts:
        return i, None
    for size in range(min(6, len(doc) - i), 0, -1):
        title = tools.titles.get(tuple(t.lower_ for t in doc[i : i + size]))
        if title:
            return i + size, title
    return i, None


def _ends_with_title(span: Span, tools: _Tools) -> bool:
    """A ref that is a title ("the TTP emir"), not a name."""
    words = [t.lower_ for t in span]
    return any(tuple(words[-size:]) in tools.titles for size in range(1, min(6, len(words)) + 1))


def _skip_honorifics(doc: Doc, i: int, tools: _Tools) -> int:
    while i < len(doc) and _skippable(doc, i, tools):
        i += 1
    return i


def _skippable(doc: Doc, i: int, tools: _Tools) -> bool:
    """A comma or a rank between a title and a name ("spokesperson, Lt. Gen. X")."""
    token = doc[i]
    return (
        token.text == ","
        or _honorific(token, tools)
        or (token.text == "." and i > 0 and _honorific(doc[i - 1], tools))
    )


def _honorific(token: spacy.tokens.Token, tools: _Tools) -> bool:
    return token.lower_.rstrip(".") in tools.honorifics and token.text[:1].isupper()


def _is_name(token: spacy.tokens.Token) -> bool:
    return token.pos_ == "PROPN" and token.text[:1].isupper()


def _stands_alone(token: spacy.tokens.Token) -> bool:
    """Not part of a longer name ("Khan" in "Dera Ismail Khan")."""
    doc = token.doc
    before = doc[token.i - 1] if token.i > token.sent.start else None
    after = doc[token.i + 1] if token.i + 1 < token.sent.end else None
    return token.text[:1].isupper() and not any(t is not None and _is_name(t) for t in (before, after))


def _is_person(actor_id: str, kb: Knowledge) -> bool:
    actor = kb.actor(actor_id)
    return actor is not None and actor.kind == "person"


def _has_title(kb: Knowledge, person_id: str, title: str, on: date | None) -> bool:
    roles = kb.roles_on(person_id, on) if on else kb.actors[person_id].roles
    return any(norm(r.title) == norm(title) for r in roles)


def _trimmed(ent: Span) -> Span | None:
    """An entity without a leading article or a trailing possessive."""
    start, end = ent.start, ent.end
    while start < end and ent.doc[start].lower_ in ("the", "a", "an"):
        start += 1
    while end > start and (ent.doc[end - 1].text in _POSSESSIVE or ent.doc[end - 1].is_punct):
        end -= 1
    return ent.doc[start:end] if end > start else None


def _is_fragment(span: Span, tools: _Tools) -> bool:
    """Part of a longer capitalised name the model cut ("Ismail Khan" of "Dera Ismail Khan"); a
    sentence's first word is capitalised anyway ("Analyst Fatima Rehmani said")."""
    doc, sent = span.doc, span.sent
    neighbours = [doc[span.start - 1]] if span.start - 1 > sent.start else []
    neighbours += [doc[span.end]] if span.end < sent.end else []
    return any(
        _is_name(t) and t.lower_ not in tools.title_words and not _honorific(t, tools) for t in neighbours
    )


def _is_headline_cached(sent: Span, seen: dict[int, bool]) -> bool:
    """`_is_headline` read once per sentence (`seen`: its start -> the answer), as each name in it asks."""
    if sent.start not in seen:
        seen[sent.start] = _is_headline(sent)
    return seen[sent.start]


def _is_headline(sent: Span) -> bool:
    """A heading ("Diplomatic Dilemmas and Regional Realignments"): its capitals name nothing."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    last = next((t.text for t in reversed(sent) if not t.is_space), "")
    capitalised = sum(t.text[:1].isupper() for t in words)
    return bool(words) and last not in (".", "!", "?", "”", '"', "’", "'") and capitalised >= 0.7 * len(words)


def _span(doc: Doc, chars: tuple[int, int]) -> Span | None:
    return doc.char_span(chars[0], chars[1], alignment_mode="expand")


def _ref(doc: Doc, hit: _Hit) -> ActorRef:
    start, end = _chars(doc, hit)
    return ActorRef(text=doc_text(doc)[start:end], actor=hit.actor, span=(start, end))


def _chars(doc: Doc, hit: _Hit) -> tuple[int, int]:
    return doc[hit.start].idx, doc[hit.end - 1].idx + len(doc[hit.end - 1])


# ---- building the tools once per knowledge base -----------------------------------------------------


def _phrases(items: Iterable[str]) -> list[tuple[str, ...]]:
    return [tuple(t.lower_ for t in phrase_tokenizer()(str(item))) for item in items]


@lru_cache(maxsize=4)
def _tools(kb: Knowledge, vocab: Vocab) -> _Tools:
    lex = kb.lexicon("actors")
    lower, exact = PhraseMatcher(vocab, attr="LOWER"), PhraseMatcher(vocab, attr="ORTH")
    groups: dict[tuple[bool, str], list[Doc]] = {}
    tokenizer = phrase_tokenizer()
    for form in kb.alias_forms():
        groups.setdefault((form.exact, form.actor), []).append(tokenizer(form.text))
    groups[False, _BLOCKED] = [tokenizer(p) for p in lex.get("not_actors", [])]
    for (is_exact, key), patterns in groups.items():
        (exact if is_exact else lower).add(key, patterns)
    titles = {
        p: str(c) for c, variants in (lex.get("titles") or {}).items() for p in _phrases([c, *variants])
    }
    surnames: dict[str, list[str]] = {}
    for actor in kb.actors.values():
        if actor.kind == "person":
            for name in {norm(n).split()[-1] for n in [actor.name, *actor.aliases] if norm(n)}:
                surnames.setdefault(name, []).append(actor.id)
    return _Tools(
        lower=lower,
        exact=exact,
        titles=titles,
        title_words=frozenset(w for p in titles for w in p),
        title_starts=frozenset(p[0] for p in titles),
        former=frozenset(lex.get("former", [])),
        historical=frozenset(lex.get("historical", [])),
        honorifics=frozenset(lex.get("honorifics", [])),
        common_surnames=frozenset(lex.get("common_surnames", [])),
        kinds=[(str(r["kind"]), frozenset(_phrases(r["words"]))) for r in lex.get("new_actor_kinds", [])],
        not_actor_words=frozenset(lex.get("not_actor_words", [])),
        not_actor_names=frozenset(norm(p) for p in lex.get("not_actors", [])),
        group_nouns=frozenset(lex.get("group_nouns", [])),
        group_kinds={str(w): str(k) for k, words in (lex.get("group_kinds") or {}).items() for w in words},
        adjective_nouns=frozenset(lex.get("adjective_nouns", [])),
        surnames=surnames,
    )
