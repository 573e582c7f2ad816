"""extract.modality: an event trigger -> how sure the article is that it happened, and on whose word.

Part of the `extract` stage: `extract` calls `modality_of` and `reporter_of` for each trigger of
`extract.events`. Cues come from knowledge/lexicons/modality.yaml and are read on the trigger's
own clause and the clauses it depends on, not anywhere in the sentence: in "Islamabad has
admitted that it cannot stop drone strikes", "cannot" says nothing about whether strikes happen.
- negated: "did not claim", "no official acknowledged", "no attack";
- denied: the content of a denial ("denied that its forces shelled the market");
- hypothetical: a modal ("would cross a red line"), a condition ("if"), "potential";
- future: "will", "plans to", "upcoming";
- historical: dated a year or more before the article (or the corpus year);
- unverified: "reportedly", "some unverified reports suggest", a vague source ("as per reports");
- alleged: "alleged", "it is widely believed", the content of a claim or accusation;
- attributed: a named source reports it ("according to TOLO News", "the ministry said that");
- asserted: the article's own voice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spacy.tokens import Span, Token

from khabar.errors import KnowledgeError
from khabar.extract.events import clause_of
from khabar.extract.lexicon import words_in
from khabar.extract.location import noun_phrase
from khabar.models import ActorRef, DateRef, Modality, Reporter

__all__ = ["ModalityLexicon", "compile_modality", "modality_of", "reporter_of", "source_after"]

#: Strongest first: when cues of several modalities meet, the first wins.
ORDER: tuple[Modality, ...] = (
    "negated",
    "denied",
    "hypothetical",
    "future",
    "historical",
    "unverified",
    "alleged",
    "attributed",
    "asserted",
)
VERBS = frozenset({"VERB", "AUX"})
#: Links through which a clause takes the modality of the clause above it.
EMBEDDING = frozenset({"xcomp", "ccomp", "conj", "advcl", "pcomp"})
Phrase = tuple[str, ...]
#: Modalities a claim gives what it says, however deep in its object the event is named.
CONTENT = frozenset({"alleged", "denied"})


@dataclass(frozen=True)
class ModalityLexicon:
    """lexicons/modality.yaml compiled into word tables."""

    modals: dict[str, str]
    conditional: frozenset[str]
    negation: frozenset[str]
    adverbs: dict[str, str]
    modifiers: dict[str, str]
    governors: dict[str, str]
    presupposing: frozenset[str]
    phrases: dict[Phrase, str]
    historical_gap: timedelta
    prepositions: tuple[Phrase, ...]
    report_verbs: frozenset[str]
    vague: frozenset[str]


def modality_of(
    roots: Sequence[Token],
    *,
    lexicon: ModalityLexicon,
    when: DateRef | None = None,
    reference: date | None = None,
    vague_source: bool = False,
    reported: bool = False,
    light: Callable[[Token], bool] = lambda verb: False,
) -> Modality:
    """The modality of the event these trigger heads report.

    roots (Sequence[Token]): the trigger's head, then those of triggers folded into it.
    lexicon (ModalityLexicon): the compiled cues (`compile_modality`).
    when (DateRef): the event's date, for "historical".
    reference (date): the article's date, or the first day of the corpus year.
    vague_source (bool): the report is attributed to no one in particular ("as per reports").
    reported (bool): a named source reports it.
    light (Callable[[Token], bool]): whether a verb only carries out the event its object names
        ("launched", "conducted"): its modals then apply to the event ("could launch attacks").
    RETURNS (str): one of models.Modality.
    """
    found: set[str] = set()
    own = {r.i for r in roots}
    for root in roots:
        # a trigger folded into another names the same event: that one governs it, not its content
        found |= _clause_cues(root, lexicon, lambda verb: light(verb) or verb.i in own)
    found |= _phrase_cues(roots[0], lexicon)
    if _is_historical(when, reference, lexicon.historical_gap):
        found.add("historical")
    if vague_source:
        found.add("unverified")
    if reported:
        found.add("attributed")
    return next((m for m in ORDER if m in found), "asserted")


def reporter_of(
    roots: Sequence[Token], *, lexicon: ModalityLexicon, speaker_of: Callable[[Token], list[ActorRef]]
) -> tuple[Reporter | None, bool]:
    """Who the article says reports the event, and whether that source is vague.

    roots (Sequence[Token]): the trigger's head, then those of triggers folded into it.
    lexicon (ModalityLexicon): the compiled cues.
    speaker_of (Callable): the actors a verb's subject names (`Arguments.speaker`).
    RETURNS (tuple[Reporter | None, bool]): the reporter ("TOLO News of Afghanistan"; "reports"
        for "as per reports") and True when it names no one in particular.
    """
    root = roots[0]
    source = source_after(root.sent, lexicon.prepositions)
    if source is not None:
        words = noun_phrase(source)
        refs = speaker_of(source) if source.pos_ in ("PROPN", "NOUN", "PRON") else []
        vague = _is_vague(words, lexicon)
        return Reporter(
            words.text, None if vague else _first_actor(refs), (words.start_char, words.end_char)
        ), vague
    for verb in [*_governing_verbs(root), *_inserted_verbs(root)]:
        if verb.lemma_.lower() in lexicon.report_verbs:
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None:
                continue
            words = noun_phrase(subject)
            vague = _is_vague(words, lexicon)
            actor = None if vague else _first_actor(speaker_of(verb))
            return Reporter(words.text, actor, (words.start_char, words.end_char)), vague
    return None, False


def source_after(sent: Span, prepositions: Iterable[Phrase]) -> Token | None:
    """The head of the noun after "according to" (or another attribution preposition) in a
    sentence ("according to TOLO News of Afghanistan" -> News); None when there is none.

    sent (Span): the sentence.
    prepositions (Iterable[tuple[str, ...]]): the attribution phrases, as lower-case words.
    RETURNS (Token | None): the source's head word.
    """
    words = [t.lower_ for t in sent]
    for phrase in sorted(prepositions, key=len, reverse=True):
        for k in range(len(words) - len(phrase)):
            if tuple(words[k : k + len(phrase)]) == phrase:
                return _head_of_phrase(sent[k + len(phrase) :])
    return None


def _head_of_phrase(rest: Span) -> Token | None:
    """The head of the noun phrase that starts a span."""
    for token in rest:
        if token.pos_ in ("PROPN", "NOUN", "PRON"):
            head = token
            while head.dep_ in ("compound", "amod", "flat", "nmod") and head.head.i > head.i:
                head = head.head
            return head
        if not (token.pos_ in ("DET", "ADJ", "PUNCT") or token.is_space):
            return None
    return None


def _is_vague(words: Span, lexicon: ModalityLexicon) -> bool:
    text = " ".join(t.lower_ for t in words if t.dep_ != "det")
    return text in lexicon.vague or (
        len(words) > 0 and words.root.lower_ in lexicon.vague and words.root.pos_ != "PROPN"
    )


def _first_actor(refs: Sequence[ActorRef]) -> str | None:
    return next((r.actor for r in refs if r.actor), None)


def _governing_verbs(root: Token) -> Iterable[Token]:
    """The verbs whose complement the trigger's clause is, nearest first."""
    clause = clause_of(root)
    while clause.dep_ in EMBEDDING and clause.head.i != clause.i:
        clause = clause.head
        yield clause


def _inserted_verbs(root: Token) -> Iterable[Token]:
    """Verbs of a reporting clause set into the trigger's clause or one above it ("Russia and
    Ukraine agreed to a ceasefire, the Kremlin said, hours after ...")."""
    below: Token | None = None
    for clause in [clause_of(root), *_governing_verbs(root)]:
        yield from (
            c
            for c in clause.children
            if c.dep_ == "parataxis" and c.pos_ in VERBS and not _closes_before(c, below)
        )
        below = clause


def _closes_before(verb: Token, below: Token | None) -> bool:
    """Whether a reporting clause set after its host verb ends that report before the adverbial
    clause the trigger is in ("agreed to a truce, the Kremlin said, hours after drones struck":
    the Kremlin reports the truce, not the strike)."""
    return (
        below is not None
        and below.dep_ == "advcl"
        and verb.head.i < verb.i
        and verb.right_edge.i < below.left_edge.i
    )


# ---- cues on the clause ----------------------------------------------------------------------------


def _clause_cues(root: Token, lexicon: ModalityLexicon, light: Callable[[Token], bool]) -> set[str]:
    """Cues on the trigger itself, on the clause carrying it and on the clauses it depends on."""
    found = _own_cues(root, lexicon)
    clause = root
    if root.pos_ not in VERBS:
        clause, link = _carrier(root, light)
        if clause.i == root.i:
            return found | _content_of(root, lexicon)
        if link in ("nsubj", "nsubjpass", "light"):
            found |= _own_cues(clause, lexicon)
        elif clause.lemma_.lower() in lexicon.governors:
            return found | {lexicon.governors[clause.lemma_.lower()]}
        else:
            return found
    while clause.dep_ in EMBEDDING and clause.head.i != clause.i:
        head = clause.head
        if clause.dep_ == "pcomp" and head.pos_ == "ADP":
            # "accused the army of bombing markets": the clause hangs from "accused" through "of"
            head = head.head
        lemma = head.lemma_.lower()
        if clause.dep_ in ("ccomp", "xcomp") and lemma in lexicon.governors:
            found.add(lexicon.governors[lemma])
        if clause.dep_ in ("xcomp", "conj"):
            found |= _own_cues(head, lexicon)
        if clause.dep_ == "advcl":
            break
        clause = head
    return found


def _content_of(noun: Token, lexicon: ModalityLexicon) -> set[str]:
    """A trigger noun deep in what an accusation or denial says ("accused the army of bombing
    markets"): the modality of that claim; none for one reached through "responsibility for", which
    takes the event as having happened."""
    token = noun
    while token.pos_ not in VERBS and token.head.i != token.i:
        token = token.head
        if token.lemma_.lower() in lexicon.presupposing:
            return set()
    found = lexicon.governors.get(token.lemma_.lower()) if token.pos_ in VERBS else None
    return {found} if found in CONTENT else set()


def _carrier(noun: Token, light: Callable[[Token], bool]) -> tuple[Token, str]:
    """The verb a trigger noun hangs from directly, and how: as its subject ("nsubj"), as what a
    light verb carries out ("light": "launched attacks", "engaged in clashes"), or otherwise (the
    noun's own link). A noun deeper in a phrase ("the acknowledgment of drone strikes could ...")
    takes nothing from the verb."""
    token = noun
    while token.dep_ in ("conj", "appos") and token.head.i != token.i:
        token = token.head
    link, verb = token.dep_, token.head
    if link == "pobj" and verb.dep_ == "prep":
        link, verb = "prep", verb.head
    if verb.pos_ not in VERBS or verb.i == token.i:
        return noun, ""
    if link in ("dobj", "nsubjpass", "prep") and light(verb):
        return verb, "light"
    return verb, link


def _own_cues(token: Token, lexicon: ModalityLexicon) -> set[str]:
    found = set()
    for child in token.children:
        word = child.lower_
        if child.dep_ in ("aux", "auxpass") and word in lexicon.modals:
            found.add(lexicon.modals[word])
        elif child.dep_ == "neg" or (
            child.dep_ == "det" and word in lexicon.negation and token.pos_ not in VERBS
        ):
            found.add("negated")
        elif child.dep_ == "advmod" and word in lexicon.adverbs:
            found.add(lexicon.adverbs[word])
        elif child.dep_ in ("amod", "compound") and word in lexicon.modifiers:
            found.add(lexicon.modifiers[word])
        elif child.dep_ == "mark" and word in lexicon.conditional:
            found.add("hypothetical")
        elif child.dep_ in ("nsubj", "nsubjpass") and any(
            d.dep_ == "det" and d.lower_ in ("no", "neither") for d in child.children
        ):
            found.add("negated")
    return found


def _phrase_cues(root: Token, lexicon: ModalityLexicon) -> set[str]:
    """Phrases before the trigger in its sentence ("some unverified reports suggest that")."""
    sent = root.sent
    words = [t.lower_ for t in sent[: root.i - sent.start]]
    found = set()
    for phrase, modality in lexicon.phrases.items():
        n = len(phrase)
        if any(tuple(words[k : k + n]) == phrase for k in range(len(words) - n + 1)):
            found.add(modality)
    return found


def _is_historical(when: DateRef | None, reference: date | None, gap: timedelta) -> bool:
    if when is None or reference is None:
        return False
    last = when.end or when.start
    return last is not None and last <= reference - gap


# ---- the lexicon -------------------------------------------------------------------------------------


def compile_modality(lex: Any, *, name: str = "lexicons/modality.yaml") -> ModalityLexicon:
    """Check and compile the modality lexicon.

    lex (Any): the parsed YAML (`kb.lexicon("modality")`).
    name (str): the file, for error messages.
    RETURNS (ModalityLexicon): the word tables.
    RAISES (KnowledgeError): a section is missing or malformed.
    """
    sections = ("modals", "adverbs", "modifiers", "governors", "phrases", "attribution")
    if not isinstance(lex, dict) or not all(isinstance(lex.get(s), dict) for s in sections):
        raise KnowledgeError(f"expected mappings {', '.join(sections)}", source=name)
    attribution = lex["attribution"]
    try:
        return ModalityLexicon(
            modals=_inverse(lex["modals"], name),
            conditional=frozenset(words_in(lex.get("conditional", []), where="conditional", name=name)),
            negation=frozenset(words_in(lex.get("negation", []), where="negation", name=name)),
            adverbs=_inverse(lex["adverbs"], name),
            modifiers=_inverse(lex["modifiers"], name),
            governors=_inverse(lex["governors"], name),
            presupposing=frozenset(words_in(lex.get("presupposing", []), where="presupposing", name=name)),
            phrases={tuple(p.split()): m for m, ps in lex["phrases"].items() for p in ps},
            historical_gap=timedelta(days=int(lex.get("historical_gap_days", 365))),
            prepositions=tuple(tuple(p.split()) for p in attribution["prepositions"]),
            report_verbs=frozenset(attribution["verbs"]),
            vague=frozenset(attribution["vague"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise KnowledgeError(f"malformed entry: {exc}", source=name) from exc


def _inverse(table: dict[str, list[str]], name: str) -> dict[str, str]:
    """{modality: [words]} -> {word: modality}, checking each modality's name."""
    out = {}
    for modality, words in table.items():
        if modality not in ORDER:
            raise KnowledgeError(f"unknown modality {modality!r}", source=name)
        out.update({w.lower(): modality for w in words_in(words, where=modality, name=name)})
    return out
