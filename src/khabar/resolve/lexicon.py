"""lexicons/resolve.yaml, checked and compiled: the knowledge resolve works from.

Read through the knowledge base (`kb.lexicon("resolve")`) by context.py; every rule in merge.py,
fuse.py and contradictions.py takes its words, weights and templates from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from khabar.errors import KnowledgeError
from khabar.knowledge.loader import check_sections

#: The lexicon file, read through the knowledge base.
LEXICON = "resolve"


@dataclass(frozen=True)
class Lexicon:
    """lexicons/resolve.yaml, checked and compiled."""

    raw: dict[str, Any]
    family: dict[str, str]
    symmetric: frozenset[str]
    tolerant: frozenset[str]
    irrealis: frozenset[str]
    state_kinds: frozenset[str]
    specific_places: frozenset[str]
    anaphor: re.Pattern[str]
    distinct: re.Pattern[str]
    responsibility: re.Pattern[str]
    refutation: re.Pattern[str]
    toll_dispute: re.Pattern[str]
    initiation: re.Pattern[str]
    unnamed: dict[str, re.Pattern[str]]
    venues: dict[str, re.Pattern[str]]

    @property
    def merge(self) -> dict[str, Any]:
        return self.raw["merge"]

    @property
    def weights(self) -> dict[str, float]:
        return self.raw["merge"]["weights"]

    def words(self, key: str) -> frozenset[str]:
        return frozenset(self.raw[key])


#: The sections lexicons/resolve.yaml must have, with the type of each.
SCHEMA: dict[str, type] = {
    "families": list,
    "symmetric": list,
    "place_conflict_tolerant": list,
    "state_kinds": list,
    "irrealis": list,
    "anaphora": list,
    "anaphor_max_modifiers": int,
    "distinct_cues": list,
    "cue_window": int,
    "specific_places": list,
    "place_precision": list,
    "acled_time_precision": dict,
    "merge": dict,
    "confirm_types": list,
    "deny_types": list,
    "denial_modalities": list,
    "negation_modalities": list,
    "support_modalities": list,
    "weak_modalities": list,
    "responsibility_cues": list,
    "refutation_cues": list,
    "toll_dispute_cues": list,
    "blame_types": list,
    "initiation_cues": list,
    "unnamed_actors": dict,
    "venue_kinds": dict,
    "contradictions": dict,
    "explanations": dict,
    "nouns": dict,
    "titles": dict,
    "verbs": dict,
    "verb_title": str,
}
_WEIGHTS = (
    "same_type",
    "family_type",
    "date_same",
    "date_nested",
    "date_overlap",
    "date_slack",
    "place_same",
    "place_nested",
    "actors_agree",
    "recipients_agree",
    "mode_same",
    "trigger_same",
    "anaphor",
    "nearby",
    "content",
    "actor_dispute",
)


#: Sections that list words or phrases.
_WORD_LISTS = (
    "anaphora",
    "distinct_cues",
    "responsibility_cues",
    "refutation_cues",
    "toll_dispute_cues",
    "initiation_cues",
    "specific_places",
)


def check_lexicon(lex: Any, *, name: str = "lexicons/resolve.yaml") -> None:
    """Raise KnowledgeError, naming the file and entry, when the resolve lexicon is malformed.

    lex (Any): the parsed YAML.
    name (str): the file, for the message.
    """
    check_sections(lex, SCHEMA, name=name)
    for key in _WORD_LISTS:
        if not all(isinstance(word, str) for word in lex[key]):
            raise KnowledgeError(f"{key} must list words (quote yes, no, true, false)", source=name)
    weights = lex["merge"].get("weights")
    if not isinstance(weights, dict) or not all(isinstance(weights.get(w), int | float) for w in _WEIGHTS):
        raise KnowledgeError(f"merge.weights needs a number for each of {', '.join(_WEIGHTS)}", source=name)
    for share in ("content_overlap_min", "content_overlap_alone"):
        # above 0: merge's candidate search never pairs sentences that share no word
        if not isinstance(lex["merge"].get(share), int | float) or not 0 < lex["merge"][share] <= 1:
            raise KnowledgeError(f"merge.{share} must be a share above 0 and at most 1", source=name)
    for family in lex["families"]:
        if not isinstance(family, list) or len(family) < 2:
            raise KnowledgeError(f"family {family!r} must list two or more types", source=name)
    if "default" not in lex["titles"]:
        raise KnowledgeError("titles needs a 'default' list of templates", source=name)


def compile_lexicon(lex: dict[str, Any]) -> Lexicon:
    """Check the parsed lexicon and compile its word lists into patterns.

    lex (dict): lexicons/resolve.yaml as parsed.
    RETURNS (Lexicon): the compiled lexicon.
    """
    check_lexicon(lex)
    family = {t: "+".join(group) for group in lex["families"] for t in group}
    determiners = "|".join(map(re.escape, lex["anaphora"]))
    modifiers = int(lex["anaphor_max_modifiers"])
    return Lexicon(
        raw=lex,
        family=family,
        symmetric=frozenset(lex["symmetric"]),
        tolerant=frozenset(lex["place_conflict_tolerant"]),
        irrealis=frozenset(lex["irrealis"]),
        state_kinds=frozenset(lex["state_kinds"]),
        specific_places=frozenset(lex["specific_places"]),
        anaphor=re.compile(rf"\b(?:{determiners})\s+(?:[\w'’-]+\s+){{0,{modifiers}}}$", re.I),
        distinct=words_pattern(lex["distinct_cues"]),
        responsibility=words_pattern(lex["responsibility_cues"]),
        refutation=words_pattern(lex["refutation_cues"]),
        toll_dispute=words_pattern(lex["toll_dispute_cues"]),
        initiation=words_pattern(lex["initiation_cues"]),
        unnamed={label: words_pattern(cues) for label, cues in lex["unnamed_actors"].items()},
        venues={kind: words_pattern(cues) for kind, cues in lex["venue_kinds"].items()},
    )


def words_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """A case-insensitive pattern matching any of the phrases as whole words, longest first."""
    alternatives = sorted((re.escape(str(p)).replace(r"\ ", r"\s+") for p in phrases), key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])", re.I)
