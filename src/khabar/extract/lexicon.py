"""extract.lexicon: knowledge/lexicons/events.yaml -> the lookup tables the event extractor reads.

Part of the `extract` stage: `extract` compiles the trigger lexicon once per loaded knowledge base
(`kb.lexicon("events")`); `extract.events` matches its phrases, `extract.arguments` and
`extract.location` read its light verbs, prepositions, place ranks and cue words. Compiling checks
the file and names the entry at fault, so an analyst extending it learns what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import spacy
from spacy.tokenizer import Tokenizer

from khabar.errors import KnowledgeError
from khabar.models import PLOVER_TYPES

__all__ = ["EventLexicon", "TriggerKind", "TriggerPhrase", "compile_lexicon", "phrase_tokenizer", "words_in"]

#: The anchors a situation noun may need (see the lexicon's header).
ANCHORS = frozenset({"date", "toll", "parties", "modifier", "light_verb", "against"})


@dataclass(frozen=True)
class TriggerKind:
    """One entry of the trigger lexicon: what its words report."""

    type: str
    mode: str | None = None
    acled: tuple[str, str] | None = None
    by_target: bool = False
    weak: bool = False
    concrete: frozenset[str] = frozenset()
    of_agent: bool = False
    becomes: tuple[tuple[str, frozenset[str]], ...] = ()


@dataclass(frozen=True)
class TriggerPhrase:
    words: tuple[str, ...]
    pos: str | None
    kind: TriggerKind


@dataclass(frozen=True)
class EventLexicon:
    """lexicons/events.yaml compiled into lookup tables (see the file's header for each part)."""

    phrases: dict[str, tuple[TriggerPhrase, ...]]
    light_agent: frozenset[str]
    light_recipient: frozenset[str]
    light_defence: frozenset[str]
    concrete_modifiers: frozenset[str]
    sequence_words: frozenset[str]
    simultaneous_words: frozenset[str]
    claim_verbs: frozenset[str]
    retaliation: tuple[tuple[str, ...], ...]
    recipient_preps: dict[str, frozenset[str]]
    target_verbs: frozenset[str]
    place_preps: frozenset[str]
    locative_preps: frozenset[str]
    place_precision: tuple[str, ...]
    content_located: frozenset[str]
    coreference: dict[str, str]
    person_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    relatives: frozenset[str]
    anaphoric: frozenset[str]
    fresh: frozenset[str]
    answer_nouns: frozenset[str]
    attribution_verbs: frozenset[str]
    attribution_preps: frozenset[str]
    object_control_preps: frozenset[str]
    irrealis_nouns: frozenset[str]
    pair_phrases: tuple[tuple[str, ...], ...]
    symmetric: frozenset[str]
    venues: frozenset[str]
    venue_preps: frozenset[str]
    commentators: frozenset[str]
    actor_nouns: frozenset[str]
    modes: tuple[tuple[str, frozenset[str], tuple[str, str] | None], ...]
    acled_targets: tuple[tuple[frozenset[str], frozenset[str], tuple[str, str]], ...]


def compile_lexicon(lex: Any, *, name: str = "lexicons/events.yaml") -> EventLexicon:
    """Check and compile the trigger lexicon.

    lex (Any): the parsed YAML (`kb.lexicon("events")`).
    name (str): the file, for error messages.
    RETURNS (EventLexicon): the lookup tables.
    RAISES (KnowledgeError): a section or entry is malformed.
    """
    if not isinstance(lex, dict) or not isinstance(lex.get("triggers"), list):
        raise KnowledgeError("expected a mapping with a list of triggers", source=name)
    tokenizer = phrase_tokenizer()
    phrases: dict[str, list[TriggerPhrase]] = {}
    for n, entry in enumerate(lex["triggers"]):
        kind = _kind(entry, where=f"trigger {n + 1}", name=name)
        for text in words_in(entry["words"], where=f"trigger {n + 1}", name=name):
            words, _, pos = str(text).partition("/")
            tokens = tuple(t.lower_ for t in tokenizer(words.strip()))
            phrases.setdefault(tokens[0], []).append(TriggerPhrase(tokens, pos or entry.get("pos"), kind))
    words = _words_of(lex, name=name)
    return EventLexicon(
        phrases={k: tuple(sorted(v, key=lambda p: -len(p.words))) for k, v in phrases.items()},
        light_agent=words("light_verbs", "agent"),
        light_recipient=words("light_verbs", "recipient") | words("light_verbs", "defence"),
        light_defence=words("light_verbs", "defence"),
        concrete_modifiers=words("concrete_modifiers"),
        sequence_words=words("sequence_words"),
        simultaneous_words=words("simultaneous_words"),
        claim_verbs=words("claim_verbs"),
        retaliation=tuple(tuple(t.lower_ for t in tokenizer(p)) for p in lex.get("retaliation", [])),
        recipient_preps={
            k: frozenset(words_in(v, where=f"recipient_preps.{k}", name=name))
            for k, v in lex.get("recipient_preps", {}).items()
        },
        target_verbs=words("target_verbs"),
        place_preps=words("place_preps"),
        locative_preps=words("locative_preps"),
        place_precision=tuple(lex.get("place_precision", [])),
        content_located=frozenset(lex.get("content_located", [])),
        coreference={
            w.lower(): kind
            for kind, ws in lex.get("coreference", {}).get("nouns", {}).items()
            for w in words_in(ws, where=f"coreference.nouns.{kind}", name=name)
        },
        person_pronouns=words("coreference", "person_pronouns"),
        thing_pronouns=words("coreference", "thing_pronouns"),
        relatives=words("coreference", "relatives"),
        anaphoric=words("anaphora", "determiners"),
        fresh=words("anaphora", "fresh"),
        answer_nouns=words("answer_nouns"),
        attribution_verbs=words("attribution", "verbs"),
        attribution_preps=words("attribution", "preps"),
        object_control_preps=words("object_control_preps"),
        irrealis_nouns=words("irrealis_nouns"),
        pair_phrases=tuple(tuple(t.lower_ for t in tokenizer(p)) for p in lex.get("pair_phrases", [])),
        symmetric=frozenset(lex.get("symmetric", [])),
        venues=words("venues"),
        venue_preps=words("venue_preps"),
        commentators=words("commentators"),
        actor_nouns=words("actor_nouns"),
        modes=tuple(
            (m, frozenset(v["words"]), _pair(v.get("acled"), name)) for m, v in lex.get("modes", {}).items()
        ),
        acled_targets=tuple(
            (
                frozenset(r.get("kinds", [])),
                frozenset(r.get("words", [])),
                _required_pair(r.get("acled"), name),
            )
            for r in lex.get("acled_targets", [])
        ),
    )


@lru_cache(maxsize=1)
def phrase_tokenizer() -> Tokenizer:
    """spaCy's English tokenizer without a model, which splits the lexicons' phrases as the
    pipeline splits text. One for all of extraction: building one takes a fifth of a second.

    RETURNS (Tokenizer): the tokenizer, on a vocabulary of its own; the PhraseMatchers built from
        its docs match docs of any vocabulary, as they compare the words' hashes.
    """
    return spacy.blank("en").tokenizer


def _words_of(lex: dict, *, name: str) -> Callable[..., frozenset[str]]:
    def words(*path: str) -> frozenset[str]:
        value: Any = lex
        for key in path:
            value = value.get(key, []) if isinstance(value, dict) else []
        return frozenset(w.lower() for w in words_in(value, where=".".join(path), name=name))

    return words


def words_in(value: Any, *, where: str, name: str) -> list[str]:
    """A lexicon list of words, checked: YAML reads a bare yes, no, on or off as a truth value.

    value (Any): the parsed list.
    where (str): the section, for the message.
    name (str): the file, for the message.
    RETURNS (list[str]): the words.
    RAISES (KnowledgeError): the value is not a list of strings.
    """
    if not isinstance(value, list):
        raise KnowledgeError(f"{where} must be a list of words", source=name)
    for word in value:
        if not isinstance(word, str):
            raise KnowledgeError(
                f"{where}: {word!r} is not a word (quote yes, no, on and off in YAML)", source=name
            )
    return value


def _kind(entry: Any, *, where: str, name: str) -> TriggerKind:
    if not isinstance(entry, dict) or not isinstance(entry.get("words"), list) or not entry.get("type"):
        raise KnowledgeError(f"{where} needs a list of words and a type", source=name)
    concrete = frozenset(entry.get("concrete", []))
    if concrete - ANCHORS:
        raise KnowledgeError(f"{where}: unknown anchors {sorted(concrete - ANCHORS)}", source=name)
    if entry["type"] not in PLOVER_TYPES:
        raise KnowledgeError(f"{where}: {entry['type']!r} is not a PLOVER type", source=name)
    acled = entry.get("acled")
    becomes = tuple((b["type"], frozenset(b["if_object"])) for b in entry.get("becomes", []))
    if any(t not in (*PLOVER_TYPES, "NONE") for t, _ in becomes):
        raise KnowledgeError(f"{where}: becomes needs a PLOVER type or NONE", source=name)
    return TriggerKind(
        type=entry["type"],
        mode=entry.get("mode"),
        acled=None if acled == "by_target" else _pair(acled, name),
        by_target=acled == "by_target",
        weak=bool(entry.get("weak")),
        concrete=concrete,
        of_agent=entry.get("of") == "agent",
        becomes=becomes,
    )


def _pair(value: Any, name: str) -> tuple[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise KnowledgeError(
            f"an ACLED category must be [event_type, sub_event_type], not {value!r}", source=name
        )
    return (str(value[0]), str(value[1]))


def _required_pair(value: Any, name: str) -> tuple[str, str]:
    pair = _pair(value, name)
    if pair is None:
        raise KnowledgeError("every acled_targets rule needs an ACLED category", source=name)
    return pair
