"""extract.arguments: an event trigger -> who did it and to whom.

Part of the `extract` stage: `extract` builds one `Arguments` per article from the actor refs of
`extract.actors`, and asks it about each trigger of `extract.events` (`extract.location` says
where). It reads the dependency parse:
- agent: the subject of a trigger verb, the "by" phrase of a passive one; the possessor, the
  "by" phrase or an actor compound of a trigger noun ("Pakistan's airstrikes", "attacks by the
  TTP", "TTP attacks"); the subject of a light verb ("Pakistan launched airstrikes", "strikes were
  conducted by Pakistan"); a verb without a subject takes the one it depends on ("offered to
  mediate, stating ...", "who has demanded ... — even warning of").
- recipient: the object, "against / on / targeting X", the subject of a passive, the subject of
  what an accusation or demand says ("alleges the TTP is sheltered by the Taliban" accuses the
  Taliban); an attack answering another ("in response to attacks by the TTP") is aimed at that
  one's agent.
- coreference, lightly: "he"/"she" -> the last person named; "it"/"they" -> the subject of the
  previous sentence ("its" -> of its own sentence); "the country" -> the last state; "who"/"which"
  -> the noun they follow.
- names the knowledge base lacks become unlinked refs: named entities, and runs of capitalised
  proper nouns the NER model missed ("ECOWAS").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from khabar.annotate import is_headline
from khabar.extract.events import Trigger, is_finite, light_verb
from khabar.extract.lexicon import EventLexicon
from khabar.extract.location import Locator, bare_name, conj_heads_children, objects_of
from khabar.knowledge import Knowledge
from khabar.models import Actor, ActorRef

__all__ = ["Arguments", "in_context", "unique_refs"]

#: The words that make a plural noun a pair ("both sides", "the two countries").
_PAIR_WORDS = frozenset({"both", "two"})
VERBS = frozenset({"VERB", "AUX"})
#: Named entities that may be actors the knowledge base does not know; an unknown GPE is a place.
NAME_LABELS = frozenset({"PERSON", "ORG", "NORP"})
#: Parts of speech of the words in a noun phrase ("the paramilitary Rapid Support Forces").
PHRASE_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "PART"})
#: Kinds of generic actors that, unqualified, mean the forces of the state a report is about
#: ("the army", "police"); "officials" or "civilians" may be anyone's.
CONTEXT_KINDS = frozenset({"military", "police"})
#: How many sentences back "it" and "they" look for a subject.
SUBJECT_LOOKBACK = 3

ActorOf = Callable[[str], "Actor | None"]


@dataclass
class Arguments:
    """Reads the arguments of triggers in one parsed article.

    doc (Doc): the parsed article.
    refs (list[ActorRef]): actor refs found in it (`find_actors`), with spans.
    lexicon (EventLexicon): the compiled trigger lexicon.
    actor_of (Callable[[str], Actor | None]): the actor with an id, known or new.
    locator (Locator): the article's places, to tell "the Kabul attack" from "TTP attacks".
    is_generic (Callable[[str], bool]): whether an actor id is a generic one ("police",
        "fighters"), which a name beside it makes specific (`Knowledge.is_generic`).
    """

    doc: Doc
    refs: list[ActorRef]
    lexicon: EventLexicon
    actor_of: ActorOf
    locator: Locator
    is_generic: Callable[[str], bool] = lambda actor_id: False
    _by_token: dict[int, ActorRef] = field(init=False, default_factory=dict)
    _named: list[ActorRef] = field(init=False, default_factory=list)
    _ents: tuple[Span, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        self._ents = self.doc.ents  # spaCy builds the entities anew on each access
        for ref in self.refs:
            if ref.span is not None and not self.locator.in_dateline(ref.span):
                for token in self._tokens(ref.span):
                    self._by_token.setdefault(token.i, ref)
        named = [
            r for r in self.refs if r.span and not self.locator.in_dateline(r.span)
        ] + self._person_entities()
        self._named = sorted(named, key=lambda r: (r.span or (0, 0))[0])

    def names_place(self, ref: ActorRef) -> bool:
        """Whether a ref's words are a place the gazetteer knows ("El Fasher")."""
        return any(self.locator.is_place(t) for t in self._tokens(ref.span))

    def kind_of(self, ref: ActorRef) -> str | None:
        """The kind of the actor a ref names ("state", "person", ...), or None when unknown."""
        actor = self.actor_of(ref.actor) if ref.actor else None
        return actor.kind if actor else None

    def country_of(self, ref: ActorRef) -> str | None:
        """The country of the actor a ref names, or None."""
        actor = self.actor_of(ref.actor) if ref.actor else None
        return actor.country if actor else None

    # ---- actors ------------------------------------------------------------------------------------

    def agents(self, roots: Sequence[Token], *, of_agent: bool = False) -> list[ActorRef]:
        """Who carried out the event of these trigger heads (the first head that tells wins).

        roots (Sequence[Token]): the trigger's head, then those of triggers folded into it.
        of_agent (bool): "of X" after a trigger noun names its agent ("the visit of the minister").
        RETURNS (list[ActorRef]): the agents, in text order.
        """
        for root in roots:
            found = self._verb_agents(root) if root.pos_ in VERBS else self._noun_agents(root, of_agent)
            if found:
                return found
        return []

    def recipients(self, trigger: Trigger, *, agents: Sequence[ActorRef]) -> list[ActorRef]:
        """Whom the event was aimed at: objects, "against/on X", passive subjects, the accused.

        trigger (Trigger): the event's trigger.
        agents (Sequence[ActorRef]): its agents, never also recipients.
        RETURNS (list[ActorRef]): the recipients, in text order.
        """
        preps = self.lexicon.recipient_preps.get("verbal" if trigger.verbal else "material", frozenset())
        if trigger.type in self.lexicon.symmetric:
            preps = preps | self.lexicon.recipient_preps.get("symmetric", frozenset())
        found: list[ActorRef] = []
        for root in trigger.roots:
            if root.pos_ in VERBS:
                found += self._verb_recipients(root, preps, content=trigger.verbal)
            else:
                found += self._noun_recipients(root, preps, of_agent=trigger.kind.of_agent)
        if not found and not trigger.verbal:
            found = self._answered(trigger.root)
        return _without(found, agents)

    def parties(self, trigger: Trigger) -> list[ActorRef]:
        """Parties named as equals: "clashes between X and Y", "Afghanistan-Pakistan talks"."""
        found: list[ActorRef] = []
        for root in trigger.roots:
            holders = [root, *(c for c in root.children if c.dep_ == "acl")]
            if root.dep_ in ("dobj", "nsubj", "nsubjpass") and root.head.pos_ in VERBS:
                holders.append(root.head)
            for holder in holders:
                for prep in holder.children:
                    if prep.dep_ == "prep" and prep.lower_ == "between":
                        found += [
                            r for p in objects_of(prep) for r in self._refs_within(p) or self.refs_at(p)
                        ]
            for child in root.children:
                if child.dep_ == "compound" and not self.locator.is_small_place(child):
                    found += self._refs_within(child)
        specific = [r for r in found if not self._is_generic_ref(r)]
        # "talks between Saudi and Houthi officials": the sides, not the officials
        return unique_refs(specific or found)

    def speaker(self, verb: Token) -> list[ActorRef]:
        """Who says what a speech verb introduces ("stated", "said Michael Kugelman")."""
        return self._verb_agents(verb)

    def refs_at(self, token: Token) -> list[ActorRef]:
        """The actors a noun phrase names, through pronouns, relatives and conjuncts.

        token (Token): the phrase's head.
        RETURNS (list[ActorRef]): the refs, the head's own first.
        """
        token = _antecedent(token, self.lexicon.relatives)
        if token.pos_ == "PRON":
            found = self._resolve_pronoun(token)
        elif token.tag_ == "NN" and token.lemma_.lower() in self.lexicon.coreference and _is_definite(token):
            kind = self.lexicon.coreference[token.lemma_.lower()]
            found = self._last_before(token.idx, lambda r: self.kind_of(r) == kind)
        else:
            found = self._phrase_refs(token) + self._sharing_the_noun(token)
        for child in token.children:
            if child.dep_ == "conj":
                found = found + self.refs_at(child)
        return unique_refs(found)

    def _sharing_the_noun(self, head: Token) -> list[ActorRef]:
        """The actor of an adjective joined to another that names the noun's owner: "Indian" in
        "Indian and Pakistani troops" (the parser hangs "Pakistani" on "Indian", not on "troops")."""
        return [
            r
            for c in head.children
            if c.dep_ == "amod" and any(g.dep_ == "conj" and g.i in self._by_token for g in c.children)
            for r in self._covering(c)
        ]

    def pair_before(self, token: Token) -> bool:
        """Whether the token's sentence speaks of "both sides" or "the two countries", words
        between or not ("the two nuclear-armed neighbours", "both warring parties")."""
        words = [t.lower_ for t in token.sent]
        phrases = self.lexicon.pair_phrases
        if any(tuple(words[k : k + len(p)]) == p for p in phrases for k in range(len(words))):
            return True
        nouns = {p[-1] for p in phrases if _PAIR_WORDS.intersection(p[:-1])}
        return any(t.lower_ in nouns and _counted_as_pair(t) for t in token.sent)

    def _verb_agents(self, verb: Token) -> list[ActorRef]:
        if _is_passive(verb) or _is_reduced_passive(verb) or _is_headline_passive(verb):
            return [r for by in _by_phrases(verb) for r in self._by_refs(by)]
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
        if subject is not None:
            return self.refs_at(subject)
        head = verb.head
        if verb.dep_ == "advcl" and verb.tag_ == "VBG":
            controller = _finite_before(verb)
            return self._verb_agents(controller) if controller is not None else []
        if verb.dep_ in ("conj", "xcomp", "advcl") and head.i != verb.i and head.pos_ in VERBS:
            return self._verb_agents(head)
        if verb.dep_ in ("acl", "relcl"):
            return self.refs_at(head)
        if verb.dep_ == "pcomp" and head.head.pos_ in VERBS:
            done_to = next((c for c in head.head.children if c.dep_ == "dobj"), None)
            if done_to is not None and head.lower_ in self.lexicon.object_control_preps:
                return self.refs_at(done_to)  # "accused Indian troops of shelling": the troops shelled
            return self._verb_agents(head.head)
        return []

    def _noun_agents(self, noun: Token, of_agent: bool = False) -> list[ActorRef]:
        found: list[ActorRef] = []
        for child in noun.children:
            if child.dep_ == "poss":
                found += self._covering(child) or self.refs_at(child)
            elif child.dep_ == "compound" and not self.locator.is_small_place(child):
                found += self._refs_within(child) or self._generic(child)
            elif child.dep_ == "amod":
                # a demonym names whose act it is ("repelled Russian assaults")
                found += [r for r in self._covering(child) if r.actor]
            elif child.dep_ == "prep" and (child.lower_ == "by" or (child.lower_ == "of" and of_agent)):
                found += self._by_refs(child)
        if found:
            return unique_refs(found)
        if blamed := self._blamed(noun):
            return blamed
        verb = light_verb(noun, self.lexicon)
        if verb is None:
            return []
        if self._suffers(verb):
            return self._sources(noun, verb)
        return self._verb_agents(verb)

    def _sources(self, noun: Token, verb: Token) -> list[ActorRef]:
        """Who an event someone suffered came from: "came under fire from gang members"."""
        preps = [c for t in (noun, verb) for c in t.children if c.dep_ == "prep" and c.lower_ == "from"]
        return unique_refs(r for prep in preps for p in objects_of(prep) for r in self.refs_at(p))

    def _blamed(self, noun: Token) -> list[ActorRef]:
        """Whom a passive attribution lays the event on ("the attack was attributed to the M23")."""
        verb = noun.head
        if noun.dep_ != "nsubjpass" or verb.lemma_.lower() not in self.lexicon.attribution_verbs:
            return []
        preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in self.lexicon.attribution_preps]
        return unique_refs(r for prep in preps for p in objects_of(prep) for r in self.refs_at(p))

    def _by_refs(self, prep: Token) -> list[ActorRef]:
        """The actors an agent phrase names ("by X"); when its object names none, those named by
        the words right after the preposition, which the parser may have split off its object
        ("by the paramilitary Rapid Support Forces", with "paramilitary" taken for the object)."""
        found = [r for p in objects_of(prep) for r in self.refs_at(p)]
        return found or unique_refs(r for t in _phrase_after(prep) for r in self._covering(t))

    def _verb_recipients(self, verb: Token, preps: frozenset[str], *, content: bool) -> list[ActorRef]:
        found: list[ActorRef] = []
        if not content and verb.dep_ == "acl" and _is_reduced_passive(verb):
            found += self.refs_at(verb.head)  # "villagers killed in an air raid"
        for child in verb.children:
            if child.dep_ in ("dobj", "dative", "nsubjpass") or (
                child.dep_ == "nsubj" and _is_headline_passive(verb)
            ):
                found += self.refs_at(child)
            elif child.dep_ == "prep" and child.lower_ in preps:
                found += [r for p in objects_of(child) for r in self.refs_at(p)]
            elif child.lemma_.lower() in self.lexicon.target_verbs and child.dep_ in (
                "xcomp",
                "advcl",
                "conj",
            ):
                found += self._verb_recipients(child, preps, content=False)
            elif content and child.dep_ == "ccomp":
                found += self._verb_agents(child)
        return found

    def _noun_recipients(self, noun: Token, preps: frozenset[str], *, of_agent: bool) -> list[ActorRef]:
        found: list[ActorRef] = []
        for child in [*noun.children, *conj_heads_children(noun)]:
            if child.dep_ == "prep" and (child.lower_ in preps or (child.lower_ == "of" and not of_agent)):
                found += [r for p in objects_of(child) for r in self.refs_at(p)]
            elif child.dep_ in ("acl", "relcl") and child.lemma_.lower() in self.lexicon.target_verbs:
                found += self._verb_recipients(child, preps, content=False)
        verb = light_verb(noun, self.lexicon)
        if verb is None:
            return found
        if self._suffers(verb):
            return found + [
                r for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for r in self.refs_at(c)
            ]
        for child in verb.children:
            if child.lemma_.lower() in self.lexicon.target_verbs and child.dep_ in ("xcomp", "advcl"):
                found += self._verb_recipients(child, preps, content=False)
            elif child.dep_ == "prep" and child.lower_ in preps:
                found += [r for p in objects_of(child) for r in self.refs_at(p)]
        return found

    def _suffers(self, verb: Token) -> bool:
        """Whether a light verb's subject suffers the event ("faced an attack", "came under fire")."""
        lemma = verb.lemma_.lower()
        names = {lemma, *(f"{lemma} {c.lower_}" for c in verb.children if c.dep_ in ("prt", "prep"))}
        return bool(names & self.lexicon.light_recipient)

    def _answered(self, root: Token) -> list[ActorRef]:
        """The agents of the event this one answers ("in response to attacks by the TTP")."""
        sent = root.sent
        words = [t.lower_ for t in sent]
        for phrase in self.lexicon.retaliation:
            for k in range(len(words) - len(phrase) + 1):
                if tuple(words[k : k + len(phrase)]) != phrase:
                    continue
                last = sent[k + len(phrase) - 1]
                for target in objects_of(last) if last.dep_ == "prep" else [last]:
                    if target.i != root.i and (agents := self._noun_agents(target)):
                        return agents
        return []

    def _phrase_refs(self, head: Token) -> list[ActorRef]:
        """Refs of a noun phrase: the one covering its head unless it is generic ("fighters"),
        else its apposition, else its possessor, compound or adjective when the knowledge base
        knows it ("Boko Haram fighters", "Afghan officials"), else the generic or unnamed actor its
        head is ("the Sudanese army"), else its "of" phrase."""
        if owner := self._pronoun_owner(head):
            return owner
        own = self._covering(head)
        if own and not self._is_generic_ref(own[0]):
            return own
        appos = [
            r for c in head.children if c.dep_ == "appos" for r in (self._covering(c) or self.refs_at(c))
        ]
        if appos:
            return appos
        modifiers = [
            r
            for c in head.children
            if c.dep_ in ("poss", "compound", "nmod", "amod")
            for r in (self._covering(c) or self.refs_at(c))
        ]
        specific = [r for r in modifiers if r.actor and not self._is_generic_ref(r)] or self._members_of(head)
        if specific or own:
            return specific or own
        if any(r.actor for r in modifiers):
            return modifiers
        of = [p for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for p in objects_of(c)]
        # "killed more than 30 of the attackers": the counted noun names whom
        return (
            self._generic(head) or modifiers or [r for p in of for r in self._covering(p) or self._generic(p)]
        )

    def _pronoun_owner(self, head: Token) -> list[ActorRef]:
        """Whose a noun is when a possessive pronoun says so ("the ministry said its forces"): the
        speaker's own side, even when the article names another side's forces by the same noun."""
        owners = [
            r
            for c in head.children
            if c.dep_ == "poss" and c.pos_ == "PRON" and c.lower_ in self.lexicon.thing_pronouns
            for r in self.refs_at(c)
        ]
        return [r for r in owners if r.actor and not self._is_generic_ref(r)]

    def _members_of(self, head: Token) -> list[ActorRef]:
        """The group a generic noun's "from" phrase names ("fighters from the People's Defence
        Force"); a state there is where they come from, not whom they belong to."""
        groups = [
            r
            for c in head.children
            if c.dep_ == "prep" and c.lower_ == "from"
            for p in objects_of(c)
            for r in self._covering(p)
        ]
        return [r for r in groups if r.actor and not self._is_generic_ref(r) and self.kind_of(r) != "state"]

    def _is_generic_ref(self, ref: ActorRef) -> bool:
        return bool(ref.actor) and self.is_generic(ref.actor or "")

    def _generic(self, head: Token) -> list[ActorRef]:
        """An unnamed actor ("the foreign minister", "gunmen", "civilians"), unlinked."""
        if (
            head.pos_ not in ("NOUN", "PROPN")
            or not {head.lemma_.lower(), head.lower_} & self.lexicon.actor_nouns
        ):
            return []
        words = bare_name(head.doc[head.left_edge.i : head.i + 1])
        return [ActorRef(words.text, None, (words.start_char, words.end_char))] if len(words) else []

    def _refs_within(self, head: Token) -> list[ActorRef]:
        """Every actor named inside a phrase ("between the government and various militant
        groups"), clauses and places hanging from it left out ("... in Khartoum")."""
        skip = {
            t.i
            for inner in head.subtree
            for c in inner.children
            if c.dep_ in ("relcl", "acl") or (c.dep_ == "prep" and c.lower_ != "of")
            for t in c.subtree
        }
        return unique_refs(r for t in head.subtree if t.i not in skip for r in self._covering(t))

    def _covering(self, token: Token) -> list[ActorRef]:
        ref = self._by_token.get(token.i)
        return [ref] if ref is not None else self._entity_at(token)

    def _entity_at(self, token: Token) -> list[ActorRef]:
        """A name the knowledge base does not know, as an unlinked ref: the named entity around
        the token, or the run of capitalised proper nouns the NER model missed ("ECOWAS bloc")."""
        if self.locator.in_dateline((token.idx, token.idx + len(token))) or self.locator.is_place(token):
            return []  # a place the model took for an organisation ("attack on Djibo") is no actor
        if token.ent_type_ in NAME_LABELS:
            words = _trim(next(e for e in self._ents if e.start <= token.i < e.end))
            if any(t.i in self._by_token for t in words):
                return []  # linked already, from its own words: not from "the" of "the X Force"
        elif _is_name(token) and not token.ent_type_ and not self.locator.is_place(token):
            words = _proper_run(token)
        else:
            return []
        return [ActorRef(words.text, None, (words.start_char, words.end_char))] if len(words) else []

    def _person_entities(self) -> list[ActorRef]:
        """Person names the actor finder left unlinked, so "he" can reach them."""
        taken = set(self._by_token)
        return [
            ActorRef(e.text, None, (e.start_char, e.end_char))
            for e in self._ents
            if e.label_ == "PERSON" and not any(t.i in taken for t in e)
        ]

    # ---- coreference --------------------------------------------------------------------------------

    def _resolve_pronoun(self, token: Token) -> list[ActorRef]:
        word = token.lower_
        if word in self.lexicon.person_pronouns:
            return self._last_before(token.idx, self._is_person)
        if word not in self.lexicon.thing_pronouns:
            return []
        is_main_subject = token.dep_ in ("nsubj", "nsubjpass") and token.head.i == token.sent.root.i
        own = [] if is_main_subject else self._subject_of(token.sent, before=token)
        return own or self._previous_subject(token)

    def _is_person(self, ref: ActorRef) -> bool:
        kind = self.kind_of(ref)
        if kind is not None:
            return kind == "person"
        words = self._tokens(ref.span)
        return bool(words) and words[-1].ent_type_ == "PERSON"

    def _last_before(self, offset: int, test: Callable[[ActorRef], bool]) -> list[ActorRef]:
        for ref in reversed(self._named):
            if ref.span is not None and ref.span[1] <= offset and test(ref):
                return [ref]
        return []

    def _previous_subject(self, token: Token) -> list[ActorRef]:
        """The actors named by the main subject of the nearest earlier sentence that has one."""
        sent = token.sent
        for _ in range(SUBJECT_LOOKBACK):
            if sent.start == 0:
                return []
            sent = self.doc[sent.start - 1].sent
            found = self._subject_of(sent)
            if found:
                return found
        return []

    def _subject_of(self, sent: Span, *, before: Token | None = None) -> list[ActorRef]:
        """The actors the main subject of a sentence names (not a pronoun; ending before a token);
        in reported speech put first ("Two officers were killed when rebels ambushed their patrol,
        police said"), the subject of what is reported."""
        root = sent.root
        for clause in [root, *(c for c in root.children if c.dep_ == "ccomp" and c.i < root.i)]:
            subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None or subject.pos_ == "PRON":
                continue
            if before is not None and (subject.right_edge.i >= before.i):
                continue
            return self.refs_at(subject)
        return []

    def _tokens(self, span: tuple[int, int] | None) -> Span | list[Token]:
        if span is None:
            return []
        words = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        return words if words is not None else []


# ---- helpers -------------------------------------------------------------------------------------


def _by_phrases(verb: Token) -> list[Token]:
    """A passive verb's "by" phrase; else one the parser hung from its own prepositional phrase
    ("was made during a press conference by a senior official")."""
    agents = [c for c in verb.children if c.dep_ == "agent"]
    if agents:
        return agents
    return [
        by
        for prep in verb.children
        if prep.dep_ == "prep"
        for noun in objects_of(prep)
        for by in noun.children
        if by.dep_ == "prep" and by.lower_ == "by"
    ]


def _phrase_after(prep: Token) -> list[Token]:
    """The words of the noun phrase right after a preposition, up to the next verb, preposition
    or punctuation."""
    words = []
    for token in prep.doc[prep.i + 1 : prep.sent.end]:
        if token.pos_ not in PHRASE_POS:
            break
        words.append(token)
    return words


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _is_reduced_passive(verb: Token) -> bool:
    """A bare participle modifying something ("if denied", "the agreement signed by ...")."""
    bare = not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in verb.children)
    return verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl") and bare


def _is_headline_passive(verb: Token) -> bool:
    """A headline's bare participle with a subject: "Two officers killed in ambush" says who was
    killed, not who killed."""
    bare = not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    return verb.tag_ == "VBN" and verb.dep_ == "ROOT" and bare and is_headline(verb.sent)


def _finite_before(verb: Token) -> Token | None:
    """The nearest finite verb before a participle in its sentence: the participle's subject is
    that verb's ("Trump, who has demanded ... — even warning of ...")."""
    for token in reversed(verb.doc[verb.sent.start : verb.i]):
        if token.pos_ in VERBS and token.dep_ not in ("aux", "auxpass") and is_finite(token):
            return token
    return None


def _is_definite(token: Token) -> bool:
    """ "the country", "this group": a bare definite noun, nothing else to tell which one."""
    children = list(token.children)
    return bool(children) and all(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in children)


def _antecedent(token: Token, relatives: frozenset[str]) -> Token:
    """The noun a relative pronoun stands for ("Trump, who has demanded" -> Trump)."""
    clause = token.head
    if token.lower_ in relatives and clause.dep_ in ("relcl", "acl") and clause.head.i != clause.i:
        return clause.head
    return token


def _is_name(token: Token) -> bool:
    """A capitalised proper noun, or an acronym the tagger took for a common noun ("ECOWAS")."""
    acronym = token.is_upper and token.is_alpha and len(token) > 1 and token.pos_ == "NOUN"
    return acronym or (token.pos_ == "PROPN" and token.text[:1].isupper())


def _proper_run(token: Token) -> Span:
    """The capitalised proper nouns around a token ("The ECOWAS bloc" -> "ECOWAS bloc")."""
    doc = token.doc

    def named(t: Token) -> bool:
        return _is_name(t) and t.sent.start == token.sent.start

    start, end = token.i, token.i + 1
    while start > 0 and named(doc[start - 1]):
        start -= 1
    while end < len(doc) and named(doc[end]):
        end += 1
    return doc[start:end]


def _trim(words: Span) -> Span:
    """The entity without a leading determiner or a trailing possessive."""
    start, end = words.start, words.end
    doc = words.doc
    while start < end and doc[start].dep_ == "det":
        start += 1
    while end > start and doc[end - 1].lower_ in ("'s", "’s", "'"):
        end -= 1
    return doc[start:end]


def in_context(refs: Sequence[ActorRef], *, kb: Knowledge, countries: Sequence[str]) -> list[ActorRef]:
    """Refs with each unqualified state force ("the army", "police") read as the one the article
    speaks of: the only such force it names ("Sudan's army said ... fighting between the army and
    the RSF"), else, in a report about one country, that country's own.

    refs (Sequence[ActorRef]): the article's actor refs (`find_actors`).
    kb (Knowledge): the knowledge base, for generic actors and their national instances.
    countries (Sequence[str]): the countries the article is about (`article_countries`).
    RETURNS (list[ActorRef]): the refs, generic ones relinked where the context tells whose.
    """
    named = {r.actor for r in refs if r.actor and not kb.is_generic(r.actor)}
    found = []
    for ref in refs:
        actor = _instance_in_context(ref.actor, named, kb, countries) if ref.actor else None
        found.append(replace(ref, actor=actor.id) if actor is not None else ref)
    return found


def _instance_in_context(
    generic_id: str, named: set[str], kb: Knowledge, countries: Sequence[str]
) -> Actor | None:
    generic = kb.actor(generic_id)
    if generic is None or not kb.is_generic(generic_id) or generic.kind not in CONTEXT_KINDS:
        return None
    instances = [
        actor
        for actor in (kb.actor(i) for i in sorted(named))
        if actor is not None and actor.country and _is_instance(actor, generic_id, kb)
    ]
    if instances:
        return instances[0] if len(instances) == 1 else None
    return kb.instance(countries[0], generic_id) if len(countries) == 1 else None


def _is_instance(actor: Actor, generic_id: str, kb: Knowledge) -> bool:
    own = kb.instance(actor.country, generic_id) if actor.country else None
    return own is not None and own.id == actor.id


def _counted_as_pair(noun: Token) -> bool:
    return any(c.lower_ in _PAIR_WORDS for c in noun.children if c.i < noun.i)


def unique_refs(refs: Iterable[ActorRef]) -> list[ActorRef]:
    """Refs without repeats of one span, in text order.

    refs (Iterable[ActorRef]): the refs.
    RETURNS (list[ActorRef]): each span once, sorted by position.
    """
    seen, out = set(), []
    for ref in refs:
        if ref.span not in seen:
            seen.add(ref.span)
            out.append(ref)
    return sorted(out, key=lambda r: (r.span or (0, 0))[0])


def _without(refs: Sequence[ActorRef], agents: Sequence[ActorRef]) -> list[ActorRef]:
    taken = {a.span for a in agents} | {a.actor for a in agents if a.actor}
    return unique_refs(r for r in refs if r.span not in taken and (r.actor is None or r.actor not in taken))
