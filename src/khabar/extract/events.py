"""extract.events: a parsed sentence -> the event triggers it holds (which words report an event).

Part of the `extract` stage, after `annotate`; `extract` (this package's entry point) turns each
`Trigger` into a `Mention` with `extract.arguments`, `extract.modality` and `extract.quotes`.

Triggers come from knowledge/lexicons/events.yaml: phrases of lemmas or word forms, each with a
PLOVER type, a mode and an ACLED category. Words that name an event only sometimes are filtered
here, by rules that hold in any conflict:
- a situation noun ("the conflict", "an agreement") needs an anchor making it one event: its own
  date, a toll, the parties, a telling modifier, a light verb ("conducted operations");
- an event inside an infinitive of a noun ("efforts to negotiate a ceasefire", "the right to
  strike") or inside what someone demands or threatens is not one that happened;
- a violent act in the present simple outside a headline is a habit, not a report ("groups that
  launch attacks across the border");
- words inside quotation marks belong to the quote, which `extract.quotes` handles.
Then triggers of one event in one sentence fold into one: "killed" into "the airstrikes",
"agreed" into "a ceasefire", "acknowledged" into the "backed" it is joined to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Span, Token

from khabar.extract.lexicon import EventLexicon, TriggerKind, TriggerPhrase
from khabar.models import VERBAL_TYPES

__all__ = [
    "Anchors",
    "Trigger",
    "ancestors",
    "clause_of",
    "find_triggers",
    "frame",
    "is_finite",
    "is_light_verb",
    "light_verb",
    "shared_clause",
]

#: The families of violent types whose triggers may fold into one another.
VIOLENT = frozenset({"ASSAULT", "FIGHT"})
#: Types that need a speaker: an act of speech with nobody saying it is not reported.
SPEECH_ACTS = frozenset({"ACCUSE", "REJECT", "REQUEST", "THREATEN", "STATEMENT", "SUPPORT"})
#: Types whose content (what is demanded or threatened) has not happened.
IRREALIS_HEADS = frozenset({"REQUEST", "THREATEN"})
#: Longest run of modifiers a "~" in a phrase lets through.
MAX_GAP = 4
#: Parts of speech a "~" gap may hold ("exchanged heavy fire", "upgrade their diplomatic ties").
GAP_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "PRON", "NUM", "ADV", "CCONJ", "PART"})
NOUNS, VERBS = frozenset({"NOUN", "PROPN"}), frozenset({"VERB", "AUX"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
FINITE_PRESENT = frozenset({"VBZ", "VBP"})
#: The type a `becomes` rule gives words that report no event here ("shot down 58 missiles").
NO_EVENT = "NONE"


@dataclass
class Trigger:
    """Words reporting one event in one sentence.

    words (Span): the matched phrase ("drone strikes").
    root (Token): its head word ("strikes").
    kind (TriggerKind): its lexicon entry.
    type (str): the PLOVER type, after the entry's `becomes` rules.
    folded (list[Token]): heads of other triggers of the same event in the sentence ("killed").
    """

    words: Span
    root: Token
    kind: TriggerKind
    type: str
    folded: list[Token] = field(default_factory=list)

    @property
    def roots(self) -> list[Token]:
        """The trigger's head word, then the heads of the triggers folded into it."""
        return [self.root, *self.folded]

    @property
    def verbal(self) -> bool:
        return self.type in VERBAL_TYPES

    @property
    def speech_act(self) -> bool:
        return self.type in SPEECH_ACTS


#: Whether a token index lies in some anchor (a date, an actor), given by the caller.
TokenTest = Callable[[Token], bool]


@dataclass(frozen=True)
class Anchors:
    """What the rest of extraction knows about the text, for the concreteness test.

    dated (TokenTest): the token is part of a date expression.
    actor (TokenTest): the token is part of an actor's name.
    quoted (TokenTest): the token is inside quotation marks.
    tolls (frozenset[int]): start tokens of sentences that count dead or injured.
    """

    dated: TokenTest
    actor: TokenTest
    quoted: TokenTest
    tolls: frozenset[int] = frozenset()


def find_triggers(
    sent: Span, *, lexicon: EventLexicon, anchors: Anchors, headline: bool = False
) -> list[Trigger]:
    """The event triggers of one sentence, one per event, in text order.

    sent (Span): a sentence of the parsed article.
    lexicon (EventLexicon): the compiled trigger lexicon (`compile_lexicon`).
    anchors (Anchors): dates, actors, quotes and tolls of the article.
    headline (bool): the sentence is a headline, where the present tense reports the past.
    RETURNS (list[Trigger]): the triggers that report events.
    """
    found = [t for t in _matches(sent, lexicon) if not anchors.quoted(t.root)]
    found = [t for t in found if _is_concrete(t, lexicon, anchors) and not _is_embedded(t, found, lexicon)]
    if not headline:
        found = [t for t in found if t.verbal or not _is_habitual(t.root, lexicon)]
    return _fold(found, lexicon)


# ---- matching -------------------------------------------------------------------------------------


def _keys(token: Token) -> set[str]:
    """The forms a lexicon word may match: the word, its lemma, and for a capitalised word the
    model took for a name (headlines: "Militants Launch Attacks") its singular."""
    lower = token.lower_  # asked of every word of every sentence: read spaCy's attributes once
    keys = {lower, token.lemma_.lower()}
    if token.pos_ == "PROPN" and lower.endswith("s"):
        keys |= {lower[:-1], lower[:-2]} if lower.endswith("es") else {lower[:-1]}
    return keys


def _matches(sent: Span, lexicon: EventLexicon) -> list[Trigger]:
    """The longest lexicon phrase at each token, left to right, never overlapping."""
    found, i = [], sent.start
    doc = sent.doc
    while i < sent.end:
        best: tuple[int, Token, TriggerPhrase] | None = None
        for key in _keys(doc[i]):
            for phrase in lexicon.phrases.get(key, ()):
                end = _match_at(doc, i, sent.end, phrase.words)
                head = _head(doc[i:end], phrase.pos) if end else None
                if end and head is not None and (best is None or end > best[0]):
                    best = (end, head, phrase)
        if best is None:
            i += 1
            continue
        end, head, phrase = best
        type_ = _type(head, phrase.kind)
        if type_ != NO_EVENT:
            found.append(Trigger(doc[i:end], head, phrase.kind, type_))
        i = end
    return found


def _match_at(doc: Any, i: int, limit: int, words: Sequence[str]) -> int | None:
    """The end of `words` matched from token i (a "~" skips up to MAX_GAP modifiers), or None."""
    k = i
    for n, word in enumerate(words):
        if word == "~":
            continue
        if n and words[n - 1] == "~":
            gap = 0
            while k < limit and word not in _keys(doc[k]) and gap < MAX_GAP and _may_skip(doc[k]):
                k, gap = k + 1, gap + 1
        if k >= limit or word not in _keys(doc[k]):
            return None
        k += 1
    return k


def _may_skip(token: Token) -> bool:
    """Whether a "~" gap may hold the token: a modifier, the hyphen inside one ("anti-aircraft"),
    or the "of" of a quantity ("launched dozens of drones")."""
    return token.pos_ in GAP_POS or token.lower_ in ("-", "of")


def _head(words: Span, pos: str | None) -> Token | None:
    """The phrase's head with the part of speech the lexicon asks for: its syntactic root, or
    its last word when the parser took a noun compound for a verb ("drone strikes")."""
    if pos is None:
        return words.root
    wanted = NOUNS if pos == "NOUN" else VERBS
    return next((t for t in (words.root, words[-1]) if t.pos_ in wanted), None)


def _type(root: Token, kind: TriggerKind) -> str:
    """The entry's type, or the one a `becomes` rule gives for this object ("warned of consequences")."""
    objects = {w.lemma_.lower() for w in _objects(root)} | {w.lower_ for w in _objects(root)}
    for new_type, words in kind.becomes:
        if objects & words:
            return new_type
    return kind.type


def _objects(root: Token) -> Iterable[Token]:
    """A verb's objects: direct objects, objects of its prepositions, the verbs of its clauses, and
    a passive verb's subject ("it had been intercepted")."""
    for child in root.children:
        if child.dep_ == "nsubjpass":
            yield child
        if child.dep_ in ("dobj", "ccomp", "xcomp", "attr"):
            yield child
            yield from (c for c in child.children if c.dep_ in ("dobj", "prep"))
        if child.dep_ in ("prep", "dative", "dobj"):
            yield from (c for c in child.children if c.dep_ in ("pobj", "prep"))
            yield from (g for c in child.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj")


# ---- filters ---------------------------------------------------------------------------------------


def _is_concrete(trigger: Trigger, lexicon: EventLexicon, anchors: Anchors) -> bool:
    """Whether a situation noun has an anchor making it one event (always, for other words)."""
    needs = trigger.kind.concrete
    if not needs:
        return True
    root = trigger.root
    tests = {
        "date": lambda: any(anchors.dated(t) for t in _own_phrase(root)),
        "toll": lambda: root.sent.start in anchors.tolls,
        "parties": lambda: _has_parties(root, anchors),
        "modifier": lambda: any(c.lower_ in lexicon.concrete_modifiers for c in root.children),
        "light_verb": lambda: light_verb(root, lexicon) is not None or _made_by_acl(root, lexicon),
        "against": lambda: any(c.dep_ == "prep" and c.lower_ == "against" for c in root.children),
    }
    return any(tests[anchor]() for anchor in needs)


def _own_phrase(root: Token) -> list[Token]:
    """The trigger's own words and modifiers, without clauses hanging from it."""
    keep = ("prep", "pobj", "compound", "amod", "nummod", "npadvmod", "appos", "nmod", "poss", "det", "acl")
    out, todo = [], [root]
    while todo:
        token = todo.pop()
        out.append(token)
        todo.extend(c for c in token.children if c.dep_ in keep)
    return out


def _has_parties(root: Token, anchors: Anchors) -> bool:
    """ "between X and Y", "with X": a preposition of the trigger naming an actor."""
    return any(
        prep.dep_ == "prep"
        and prep.lower_ in ("between", "with")
        and any(anchors.actor(t) or t.pos_ == "PROPN" for t in prep.subtree)
        for prep in root.children
    )


def _made_by_acl(root: Token, lexicon: EventLexicon) -> bool:
    """ "the agreement signed between ...": a participle of a light verb hangs from the noun."""
    return any(c.dep_ == "acl" and c.lemma_.lower() in lexicon.light_agent for c in root.children)


def light_verb(noun: Token, lexicon: EventLexicon) -> Token | None:
    """The verb a trigger noun is the object of when the verb only carries it out ("launched
    airstrikes", "were conducted", "engaged in clashes", "faced an attack"); None otherwise.

    noun (Token): the trigger's head.
    lexicon (EventLexicon): the light verbs.
    RETURNS (Token | None): the light verb.
    """
    while noun.dep_ == "conj" and noun.head.pos_ in NOUNS:
        # "a missile and drone attack": the first conjunct carries the verb's relation
        noun = noun.head
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ == "under":
        # "came under fire"; "carried out under an agreement" carries out no agreement
        verb = head.head
        return verb if f"{verb.lemma_.lower()} under" in lexicon.light_recipient else None
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("in", "into", "behind", "with"):
        head = head.head
    if head.i == noun.i or noun.dep_ not in ("dobj", "nsubjpass", "pobj", "attr", "conj"):
        return None
    return head if is_light_verb(head, lexicon) else None


def is_light_verb(verb: Token, lexicon: EventLexicon) -> bool:
    """Whether a verb only carries out or suffers the event its object names ("launched",
    "carried out", "came under").

    verb (Token): the verb.
    lexicon (EventLexicon): the light verbs.
    RETURNS (bool): True for a light verb.
    """
    if verb.pos_ not in VERBS:
        return False
    lemma = verb.lemma_.lower()
    names = {lemma, *(f"{lemma} {c.lower_}" for c in verb.children if c.dep_ in ("prt", "prep"))}
    return bool(names & (lexicon.light_agent | lexicon.light_recipient))


def _is_embedded(trigger: Trigger, others: Sequence[Trigger], lexicon: EventLexicon) -> bool:
    """Whether a material trigger is only talked about: the infinitive of a noun ("efforts to
    negotiate", "the right to strike"), what a risk or fear is of ("the risk of attacks"), or the
    content of a demand or threat."""
    heads = {t.root.i for t in others if t.type in IRREALIS_HEADS and t is not trigger}
    for ancestor in ancestors(trigger.root):
        if ancestor.dep_ == "acl" and _is_infinitive(ancestor) and ancestor.head.pos_ in NOUNS:
            return True
        if (
            ancestor.dep_ == "pobj"
            and ancestor.head.lower_ == "of"
            and ancestor.head.head.lemma_.lower() in lexicon.irrealis_nouns
        ):
            return True
        if ancestor.i in heads and not trigger.verbal:
            return True
    return False


def _is_infinitive(verb: Token) -> bool:
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def ancestors(token: Token) -> Iterable[Token]:
    """The token itself, then its heads up to its sentence's root.

    token (Token): the token.
    YIELDS (Token): the token and its heads, nearest first.
    """
    yield token
    while token.head.i != token.i:
        token = token.head
        yield token


def clause_of(token: Token) -> Token:
    """The verb heading the clause a token is in (the token itself for a verb).

    token (Token): the token.
    RETURNS (Token): its clause's verb, or the sentence root when no verb is above it.
    """
    while token.pos_ not in VERBS and token.head.i != token.i:
        token = token.head
    return token


def shared_clause(verb: Token) -> Token:
    """The first of coordinated verbs sharing one subject: the clause a subject-less conjunct
    belongs to ("a strike killed 12 and wounded 30 at a market on Saturday": "wounded" -> "killed",
    so the market and the day are the strike's too).

    verb (Token): a verb.
    RETURNS (Token): the verb its subject is shared with; the verb itself when it has its own.
    """
    while (
        verb.dep_ == "conj"
        and verb.head.i != verb.i
        and verb.head.pos_ in VERBS
        and not any(c.dep_ in SUBJECTS for c in verb.children)
    ):
        verb = verb.head
    return verb


def _is_habitual(root: Token, lexicon: EventLexicon) -> bool:
    """A violent act told in the present simple as the object of a verb: a habit, not a report
    ("groups that launch attacks", "which permits states to respond to armed attacks"); not what
    a sequence word sets an event after ("the attack comes after two days of fighting"), nor a
    verb with a tense of its own ("they say they will continue to target vessels")."""
    if root.pos_ in VERBS and is_finite(root):
        return False
    token = root
    while token.dep_ in ("dobj", "pobj", "prep", "xcomp", "compound", "amod", "conj") or token.i == root.i:
        if token.dep_ == "prep" and token.lower_ in lexicon.sequence_words:
            return False
        head = token.head
        if head.i == token.i:
            return False
        if head.pos_ in VERBS and is_finite(head):
            return (
                head.tag_ in FINITE_PRESENT and not _auxiliaries(head) and head.lemma_ not in ("be", "have")
            )
        token = head
    return False


def is_finite(verb: Token) -> bool:
    """Whether a verb carries tense: a past or present form, or one with an auxiliary."""
    return verb.tag_ in ("VBD", "VBZ", "VBP", "MD") or bool(_auxiliaries(verb))


def _auxiliaries(verb: Token) -> list[Token]:
    """A verb's auxiliaries ("has", "was", "will"), not the "to" of an infinitive."""
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.tag_ != "TO"]


# ---- one event, one trigger ------------------------------------------------------------------------


def frame(token: Token, lexicon: EventLexicon) -> int | None:
    """The sequence word ("after", "following") the token hangs from, as a token index, or None
    for the main line of the sentence: triggers in different frames are different events."""
    for ancestor in ancestors(token):
        if ancestor.lower_ in lexicon.sequence_words and ancestor.dep_ in ("prep", "mark", "advmod", "pcomp"):
            return ancestor.i
        # "days after a jihadist attack on a camp left 12 soldiers dead": the clause's own "after";
        # a verb's own too ("after drones struck a building, killing three": one frame for both)
        mark = next(
            (c for c in ancestor.children if c.dep_ == "mark" and c.lower_ in lexicon.sequence_words), None
        )
        if mark is not None and (ancestor.i != token.i or token.pos_ in VERBS):
            return mark.i
        if ancestor.lemma_.lower() in lexicon.answer_nouns and ancestor.i != token.i:
            return ancestor.i
    return None


def _fold(found: list[Trigger], lexicon: EventLexicon) -> list[Trigger]:
    """Fold triggers of one event into one: weak violent words into a strong one of the same
    frame; a trigger into another of its type that governs it; a bare STATEMENT into the verbal
    trigger it is conjoined with ("acknowledged and backed")."""
    kept: list[Trigger] = []
    for trigger in found:
        host = next((k for k in kept if _same_event(k, trigger, lexicon)), None)
        if host is None:
            kept.append(trigger)
            continue
        if _outranks(trigger, host):
            kept[kept.index(host)] = trigger
            trigger.folded.extend([host.root, *host.folded])
        else:
            host.folded.append(trigger.root)
    return kept


def _same_event(a: Trigger, b: Trigger, lexicon: EventLexicon) -> bool:
    if frame(a.root, lexicon) != frame(b.root, lexicon) or _own_agent(max(a.root, b.root, key=lambda t: t.i)):
        return False
    if a.type in VIOLENT and b.type in VIOLENT and (a.kind.weak or b.kind.weak):
        return not (_fends_off(a, b, lexicon) or _fends_off(b, a, lexicon))
    if a.type == b.type and (_governs(a.root, b.root) or _governs(b.root, a.root)):
        return True
    conjoined = (a.root.dep_ == "conj" and a.root.head.i == b.root.i) or (
        b.root.dep_ == "conj" and b.root.head.i == a.root.i
    )
    return conjoined and a.verbal and b.verbal and "STATEMENT" in (a.type, b.type)


def _own_agent(verb: Token) -> bool:
    """Whether a conjoined verb is another side's act, with a subject and an object of its own:
    "12 soldiers were killed and the army had killed more than 30 of the attackers" (a pronoun
    subject may be the first verb's agent again: "they attacked the post and they killed ...")."""
    children = list(verb.children)
    return (
        verb.dep_ == "conj"
        and verb.pos_ in VERBS
        and any(c.dep_ == "nsubj" and c.pos_ != "PRON" for c in children)
        and any(c.dep_ == "dobj" for c in children)
    )


def _fends_off(event: Trigger, act: Trigger, lexicon: EventLexicon) -> bool:
    """Whether a verb hangs from the verb by which the event's target fends it off: "troops
    repelled the assault, killing 30 militants" (the killing is the troops' own act)."""
    verb = light_verb(event.root, lexicon)
    if verb is None or act.root.head.i != verb.i or act.root.pos_ not in VERBS:
        return False
    lemma = verb.lemma_.lower()
    names = {lemma, *(f"{lemma} {c.lower_}" for c in verb.children if c.dep_ == "prt")}
    return bool(names & lexicon.light_defence)


def _governs(a: Token, b: Token) -> bool:
    return a.is_ancestor(b)


def _outranks(new: Trigger, old: Trigger) -> bool:
    """Which of two triggers of one event speaks for it: a strong word over a weak one, a
    specific type over STATEMENT, a word with a mode over one without."""
    if old.kind.weak != new.kind.weak:
        return old.kind.weak
    if (old.type == "STATEMENT") != (new.type == "STATEMENT"):
        return old.type == "STATEMENT"
    return new.kind.mode is not None and old.kind.mode is None
