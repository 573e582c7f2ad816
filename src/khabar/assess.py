"""assess: Article + its mentions (+ contradictions) -> Credibility, an explainable score.

Runs after `resolve` (which finds the contradictions) and before `store`. Each signal is a small
function registered with `register_signal`; it returns a `Signal` with a signed effect, a detail
naming what it counted, and the spans of that evidence in `Article.text`. The score is
`score.base` plus the effects, clipped to [0, 1]. Cue lists and weights are data, in
knowledge/lexicons/credibility.yaml. `outlet_record` sums the results up per outlet.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Literal, NamedTuple
from urllib.parse import urlsplit

from khabar.errors import KnowledgeError
from khabar.knowledge import load_knowledge
from khabar.models import Article, Contradiction, Credibility, Mention, Signal, Span

__all__ = [
    "Evidence",
    "Formulaic",
    "OutletRecord",
    "assess",
    "formulaic",
    "outlet_record",
    "register_signal",
]

_QUOTE = re.compile(r'"([^"\n]{2,}?)"|“([^”\n]{2,}?)”')
_WORD = re.compile(r"[^\W_][\w'-]*")
#: Spaces within a line: a source and its verb never stand on two lines ("... army says\n\nKHARTOUM,
#: May 4 -" is a headline and a dateline, not "says KHARTOUM").
_GAP = r"[^\S\n]"
_WORD_OF_NAME = r"[A-Z][\w.-]*?(?:'s)?"
_PARTICLE = rf"(?:(?:of|for|the|al|bin|de|van|von){_GAP}+)?"
_NAME = rf"{_WORD_OF_NAME}(?:{_GAP}+{_PARTICLE}{_WORD_OF_NAME}){{0,5}}(?=\W|$)"
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n+")


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    return load_knowledge().lexicon("credibility")


@lru_cache(maxsize=256)
def _compile(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise KnowledgeError(f"bad pattern {pattern!r}: {exc}", source="lexicons/credibility.yaml") from exc


def _words_pattern(words: Sequence[str], *, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return _joined_words(tuple(words), flags)


@lru_cache(maxsize=64)
def _joined_words(words: tuple[str, ...], flags: int) -> re.Pattern[str]:
    return _compile(r"\b(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")\b", flags)


def _each_cue(cues: Sequence[str], text: str) -> list[re.Match[str]]:
    """Every match of every cue, cue by cue (a passage that two cues match counts for each). One
    search for any cue comes first: most texts match none, and one pass over a text costs a
    fraction of one pass per cue."""
    anywhere = _any_of(tuple(cues))
    if anywhere is not None and not anywhere.search(text):
        return []
    return [m for cue in cues for m in _compile(cue).finditer(text)]


@lru_cache(maxsize=16)
def _any_of(cues: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern matching wherever a cue matches; None if the cues cannot be joined (a cue
    with a back-reference or flags of its own), and then each is searched for alone."""
    try:
        return re.compile("|".join(f"(?:{cue})" for cue in cues), re.IGNORECASE)
    except re.error:
        return None


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


class _Source(NamedTuple):
    how: str  # "according" (second-hand: "according to X") or "speaker" (X said)
    name: str
    span: Span


@dataclass
class Evidence:
    """What a signal may look at: the article, its mentions, what resolve found, the lexicon."""

    article: Article
    mentions: Sequence[Mention] = ()
    contradictions: Sequence[Contradiction] = ()
    knowledge_conflicts: int = 0
    lexicon: dict[str, Any] = field(default_factory=_lexicon)

    @cached_property
    def words(self) -> int:
        return max(1, len(_WORD.findall(self.article.text)))

    def per_100(self, count: float) -> float:
        return 100.0 * count / self.words

    def find(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        return list(pattern.finditer(self.article.text))

    @cached_property
    def quotes(self) -> list[re.Match[str]]:
        """Direct quotes: quoted passages long enough to be someone's words, not scare quotes."""
        least = self.lexicon["sources"]["quote_min_words"]
        return [m for m in self.find(_QUOTE) if len((m.group(1) or m.group(2)).split()) >= least]

    @cached_property
    def sources(self) -> dict[str, _Source]:
        """Named sources by normalised name, from the text and the mentions' reporters."""
        return _named_sources(self)


SignalFn = Callable[[Evidence], Signal | None]
_SIGNALS: list[SignalFn] = []


def register_signal(fn: SignalFn) -> SignalFn:
    """Add a credibility signal: a function (Evidence) -> Signal | None, run by every `assess`."""
    _SIGNALS.append(fn)
    return fn


def assess(
    article: Article,
    mentions: Sequence[Mention],
    *,
    contradictions: Sequence[Contradiction] = (),
    knowledge_conflicts: int = 0,
) -> Credibility:
    """Score how far an article can be trusted, with the reasons.

    article (Article): the cleaned article (its warnings count as scraping residue).
    mentions (Sequence[Mention]): the article's event mentions (reporters and quotes count as sources).
    contradictions (Sequence[Contradiction]): contradictions found by resolve; the internal ones
        naming this article count against it.
    knowledge_conflicts (int): how many of its facts contradict the knowledge base.
    RETURNS (Credibility): score in [0, 1], label high/medium/low and the signals behind them.
    """
    lexicon = _lexicon()
    evidence = Evidence(article, mentions, contradictions, knowledge_conflicts, lexicon)
    signals = [s for s in (fn(evidence) for fn in _SIGNALS) if s is not None]
    score = round(_clip(lexicon["score"]["base"] + sum(s.effect for s in signals), 0.0, 1.0), 3)
    return Credibility(score=score, label=_label(score, lexicon["score"]), signals=signals)


def _label(score: float, cuts: dict[str, float]) -> Literal["high", "medium", "low"]:
    if score >= cuts["high"]:
        return "high"
    return "medium" if score >= cuts["medium"] else "low"


# ---- sources and quotes --------------------------------------------------------------------------


def _named_sources(evidence: Evidence) -> dict[str, _Source]:
    lex = evidence.lexicon["sources"]
    verbs = "|".join(map(re.escape, lex["verbs"]))
    vague = set(lex["vague"])
    not_names = set(lex["not_names"]) | vague
    patterns = {
        "according": _compile(rf"\b(?i:according to) (?:the )?({_NAME})", 0),
        "speaker": _compile(rf"({_NAME})(?:,[^,\n]{{1,80}},)?{_GAP}+(?:\w+ly{_GAP}+)?(?:{verbs})\b", 0),
        # "the governor, Abdou Maman, said"
        "apposed": _compile(rf",{_GAP}+({_NAME}),{_GAP}+(?:\w+ly{_GAP}+)?(?:{verbs})\b", 0),
        "speaker_after": _compile(rf"\b(?:{verbs}),?{_GAP}+({_NAME})", 0),
    }
    found: dict[str, _Source] = {}
    for how, pattern in patterns.items():
        for m in evidence.find(pattern):
            name = m.group(1).rstrip(".")
            if name.split()[0].casefold().removesuffix("'s") not in not_names:
                _add_source(found, _Source("according" if how == "according" else "speaker", name, m.span(1)))
    for mention in evidence.mentions:
        words = (mention.reporter.text if mention.reporter else "").casefold().split()
        if words and words[0] not in not_names and not vague.intersection(words):
            span = mention.reporter.span or mention.span
            _add_source(found, _Source("speaker", mention.reporter.text, span))
    return found


def _add_source(found: dict[str, _Source], source: _Source) -> None:
    """Add a source unless it is one already found under a shorter or longer name ("Kugelman" and
    "Michael Kugelman"); the longer name and first-hand citation win."""
    words = tuple(w.removesuffix("'s") for w in source.name.casefold().split())
    for key, old in found.items():
        other = tuple(key.split())
        short, long_ = sorted((words, other), key=len)
        if long_[len(long_) - len(short) :] == short:
            how = "speaker" if "speaker" in (old.how, source.how) else old.how
            best = source if len(words) > len(other) else old
            del found[key]
            found[" ".join(long_)] = _Source(how, best.name, best.span)
            return
    found[" ".join(words)] = source


@register_signal
def named_sources(evidence: Evidence) -> Signal:
    """Named sources and direct quotes: who stands behind the article's claims."""
    lex = evidence.lexicon["sources"]
    names = [source.name for source in evidence.sources.values()]
    quotes = {re.sub(r"\W+", " ", (q.group(1) or q.group(2)).casefold()).strip() for q in evidence.quotes}
    quotes |= {re.sub(r"\W+", " ", m.quote.casefold()).strip() for m in evidence.mentions if m.quote}
    spans = [source.span for source in evidence.sources.values()] + [q.span() for q in evidence.quotes]
    if not names and not quotes:
        return Signal("named_sources", lex["none_effect"], "no named source and no direct quote", [])
    effect = min(lex["max"], lex["per_source"] * len(names)) + min(
        lex["quote_max"], lex["per_quote"] * len(quotes)
    )
    who = ", ".join(names[:6]) or "none"
    return Signal(
        "named_sources",
        round(effect, 3),
        f"{len(names)} named sources ({who}); {len(quotes)} direct quotes",
        spans,
    )


@register_signal
def single_source(evidence: Evidence) -> Signal | None:
    """Everything hangs on one second-hand source ("according to X") and hardly any quote."""
    lex = evidence.lexicon["sources"]
    sources = list(evidence.sources.values())
    if len(sources) != 1 or sources[0].how != "according":
        return None
    if len(evidence.quotes) > lex["single_source_max_quotes"]:
        return None
    return Signal(
        "single_source",
        lex["single_source_effect"],
        f'the only named source is second-hand: "according to {sources[0].name}"',
        [sources[0].span],
    )


# ---- specificity and hedging ---------------------------------------------------------------------


@register_signal
def specificity(evidence: Evidence) -> Signal:
    """Dated, placed and numbered facts per 100 words: concrete reports can be checked."""
    lex = evidence.lexicon["specificity"]
    numbers = evidence.find(_compile(r"\b\d[\d,.]*\b")) + evidence.find(_words_pattern(lex["number_words"]))
    dates = evidence.find(_words_pattern(lex["date_words"], flags=0))
    preps = "|".join(map(re.escape, lex["place_prepositions"]))
    places = {
        m.group(1): m
        for m in evidence.find(
            _compile(rf"\b(?:{preps})\s+(?:the\s+)?([A-Z][a-z][\w-]*(?:\s+[A-Z][\w-]*)*)", 0)
        )
        if m.group(1) not in lex["date_words"]
    }
    extra = sum(
        bool(m.killed) + bool(m.injured) + (m.date.precision == "day") + bool(m.location and m.location.place)
        for m in evidence.mentions
    )
    count = len(numbers) + len(dates) + len(places) + extra
    rate = evidence.per_100(count)
    effect = _clip((rate - lex["pivot"]) * lex["slope"], -lex["max"], lex["max"])
    detail = (
        f"{rate:.1f} specific details per 100 words ({len(numbers)} numbers, {len(dates)} dates, "
        f"{len(places)} places, {extra} from extracted events)"
    )
    spans = [m.span() for m in numbers + dates] + [m.span(1) for m in places.values()]
    return Signal("specificity", round(effect, 3), detail, sorted(spans))


@register_signal
def hedging(evidence: Evidence) -> Signal | None:
    """Vague attribution and hedges ("analysts suggest", "reportedly") per 100 words."""
    lex = evidence.lexicon["hedging"]
    hits = _each_cue(lex["cues"], evidence.article.text)
    if not hits:
        return None
    rate = evidence.per_100(len(hits))
    shown = ", ".join(f'"{m.group()}"' for m in hits[:6])
    return Signal(
        "hedging",
        round(-min(lex["max"], rate * lex["per_rate"]), 3),
        f"{len(hits)} vague attributions or hedges ({rate:.2f} per 100 words): {shown}",
        sorted(m.span() for m in hits),
    )


# ---- residue, contradictions, headline -----------------------------------------------------------


@register_signal
def residue(evidence: Evidence) -> Signal | None:
    """Page furniture and damage repaired by clean: the text was scraped or produced carelessly."""
    lex = evidence.lexicon["residue"]
    found = [w for w in evidence.article.warnings if w.code in lex["effects"]]
    if not found:
        return None
    effect = -min(lex["max"], -sum(lex["effects"][w.code] for w in found))
    return Signal("scraping_residue", round(effect, 3), "; ".join(w.message for w in found), [])


@register_signal
def internal_contradictions(evidence: Evidence) -> Signal | None:
    """The article contradicts itself (two tolls, two dates for one event). Setting two named
    sources' figures side by side is reporting a dispute, and does not count."""
    lex = evidence.lexicon["contradictions"]
    relayed = {m.id for m in evidence.mentions if m.reporter is not None}
    mine = [
        c
        for c in evidence.contradictions
        if c.internal
        and any(evidence.article.id in p.articles for p in c.positions)
        and not all(p.mentions and set(p.mentions) <= relayed for p in c.positions)
    ]
    if not mine:
        return None
    spans = sorted(s for c in mine for p in c.positions for s in p.spans)
    return Signal(
        "internal_contradictions",
        -min(lex["internal_max"], -lex["internal_each"] * len(mine)),
        f"{len(mine)} internal contradictions: " + "; ".join(c.explanation for c in mine[:4]),
        spans,
    )


@register_signal
def knowledge_conflicts(evidence: Evidence) -> Signal | None:
    """Facts that contradict the knowledge base, e.g. a sitting president called "former"."""
    lex = evidence.lexicon["contradictions"]
    n = evidence.knowledge_conflicts
    if n <= 0:
        return None
    effect = -min(lex["knowledge_max"], -lex["knowledge_each"] * n)
    return Signal("knowledge_conflicts", effect, f"{n} facts contradict the knowledge base", [])


@register_signal
def sensational_headline(evidence: Evidence) -> Signal | None:
    """Clickbait words in the headline ("Exposed", "Shocking", "Secret")."""
    lex = evidence.lexicon["sensational"]
    title = evidence.article.title or ""
    hits = [m.group() for cue in lex["cues"] for m in _compile(cue).finditer(title)]
    if not hits:
        return None
    effect = -min(lex["max"], -lex["each"] * len(hits))
    return Signal("sensational_headline", effect, f"headline wording: {', '.join(hits)}", [])


# ---- formulaic prose -----------------------------------------------------------------------------


@dataclass
class Formulaic:
    """How machine-like, generic and formulaic a text reads.

    score (float): 0 (concrete, varied) to 1 (formulaic), the weighted sum of `parts`.
    parts (dict[str, float]): closing, framing, abstract, uniformity, concreteness, each in [0, 1].
    spans (list[Span]): the closing formula, framing phrases and abstract nouns found.
    """

    score: float
    parts: dict[str, float]
    spans: list[Span] = field(default_factory=list)


def _sentences(text: str, *, abbreviations: Sequence[str] = ()) -> list[str]:
    """Split text into sentences at final punctuation and line breaks, not after abbreviations."""
    pieces = [p for p in _SENTENCE_END.split(text) if p and p.strip()]
    merged: list[str] = []
    for piece in pieces:
        last = merged[-1].rstrip() if merged else ""
        tail = last.rsplit(None, 1)[-1].rstrip(".").casefold() if last else ""
        if merged and last.endswith(".") and (len(tail) <= 1 or tail in abbreviations or "." in tail):
            merged[-1] = f"{last} {piece.strip()}"
        else:
            merged.append(piece.strip())
    return merged


def formulaic(text: str, *, lexicon: dict[str, Any] | None = None) -> Formulaic:
    """Score formulaic, machine-like prose: generic framing, a closing formula, repeated abstract
    nouns, even sentence lengths and no concrete detail. It has no fitted parameters: the cues and
    scales are in the lexicon's `formulaic` section.

    text (str): the cleaned text.
    lexicon (dict): the credibility lexicon; the shipped one by default.
    RETURNS (Formulaic): the score, its parts and the evidence spans.
    """
    full = lexicon or _lexicon()
    lex = full["formulaic"]
    words = max(1, len(_WORD.findall(text)))
    paragraphs = [p for p in text.split("\n") if p.strip()]
    last = paragraphs[-1] if paragraphs else ""
    closing = [m for cue in lex["closings"] if (m := _compile(r"\s*" + cue).match(last))]
    framing = _each_cue(lex["framing"], text)
    abstract = list(_words_pattern(lex["abstract_nouns"]).finditer(text))
    lengths = [len(_WORD.findall(s)) for s in _sentences(text, abbreviations=full.get("abbreviations", ()))]
    lengths = [n for n in lengths if n > 2]
    cv = statistics.pstdev(lengths) / statistics.mean(lengths) if len(lengths) > 2 else lex["cv_human"]
    concrete = len(_compile(r"\b\d[\d,.:]*\b").findall(text)) + len(_QUOTE.findall(text))
    parts = {
        "closing": 1.0 if closing else 0.0,
        "framing": min(1.0, 100.0 * len(framing) / words / lex["framing_cap"]),
        "abstract": min(1.0, 100.0 * len(abstract) / words / lex["abstract_cap"]),
        "uniformity": _clip((lex["cv_human"] - cv) / (lex["cv_human"] - lex["cv_machine"]), 0.0, 1.0),
        "concreteness": _clip(1.0 - 100.0 * concrete / words / lex["concrete_cap"], 0.0, 1.0),
    }
    score = sum(lex["weights"][k] * v for k, v in parts.items()) / sum(lex["weights"].values())
    offset = len(text) - len(last)
    spans = [(offset + m.start(), offset + m.end()) for m in closing]
    spans += [m.span() for m in framing + abstract]
    return Formulaic(round(score, 3), {k: round(v, 3) for k, v in parts.items()}, sorted(spans))


@register_signal
def formulaic_prose(evidence: Evidence) -> Signal | None:
    """Generic, formulaic prose of the kind text generators write, with no concrete detail."""
    lex = evidence.lexicon["formulaic"]
    found = formulaic(evidence.article.text, lexicon=evidence.lexicon)
    if found.score <= lex["floor"]:
        return None
    effect = -lex["effect_max"] * (found.score - lex["floor"]) / (1.0 - lex["floor"])
    parts = ", ".join(f"{k} {v:.2f}" for k, v in found.parts.items())
    return Signal(
        "formulaic_prose", round(effect, 3), f"formulaic score {found.score:.2f} ({parts})", found.spans
    )


# ---- per outlet ----------------------------------------------------------------------------------


@dataclass
class OutletRecord:
    """How an outlet's articles scored: count, mean score and how many got each label."""

    outlet: str
    articles: int
    mean_score: float
    labels: dict[str, int]


def _outlet(article: Article) -> str:
    if article.outlet:
        return article.outlet
    host = urlsplit(article.url).hostname if article.url else None
    return (host or "unknown").removeprefix("www.")


def outlet_record(assessed: Sequence[tuple[Article, Credibility]]) -> list[OutletRecord]:
    """Sum up credibility per outlet.

    assessed (Sequence[tuple[Article, Credibility]]): articles with their assessment.
    RETURNS (list[OutletRecord]): one record per outlet (the article's outlet, else its URL's host,
        else "unknown"), highest mean score first.
    """
    groups: dict[str, list[Credibility]] = {}
    for article, credibility in assessed:
        groups.setdefault(_outlet(article), []).append(credibility)
    records = [
        OutletRecord(
            outlet=name,
            articles=len(creds),
            mean_score=round(statistics.mean(c.score for c in creds), 3),
            labels=dict(Counter(c.label for c in creds)),
        )
        for name, creds in groups.items()
    ]
    return sorted(records, key=lambda r: (-r.mean_score, r.outlet))
