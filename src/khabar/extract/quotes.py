"""extract.quotes: a parsed article -> its quotations, each with the verb or source introducing it.

Part of the `extract` stage: `extract` attaches each quotation to the statement mention of its
sentence, or makes it a STATEMENT of its own, with the speaker `extract.arguments` reads from the
speech verb's subject ("he" -> the last person named).

Quotation marks may be straight or curly, and are paired in order within a paragraph, so a
quotation opened with a closing mark (”would cross a red line,”) is still found; a quotation may
run over several sentences. The speaker is found where English puts it:
- before: "X said, “...”", "X urged “...”", "X announced that “...”", "warning of “...”";
- after: "“...,” said X", "“...,” X said", "“...” according to X";
- around: the speech verb the quoted words depend on ("called for a resolution “through
  diplomatic means”").
A quotation of a few words with no speech verb right beside it is a scare quote ("noted",
"normalcy", "right to strike"), not a statement (knowledge/lexicons/quotes.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from khabar.errors import KnowledgeError
from khabar.extract.arguments import Arguments
from khabar.extract.discourse import Found
from khabar.extract.modality import Phrase, source_after
from khabar.extract.texts import doc_text
from khabar.models import ActorRef, Mention

__all__ = ["Quotation", "QuoteLexicon", "addressed", "compile_quotes", "find_quotes", "host_for"]

OPENING = frozenset("“«„")
CLOSING = frozenset("”»")
STRAIGHT = '"'
MARKS = OPENING | CLOSING | {STRAIGHT}
#: Punctuation trimmed from the ends of the quoted words.
TRIM = " \t\n,.;:"
WORD = re.compile(r"\w+")
#: How far up the parse the quoted words may hang from their speech verb.
MAX_CLIMB = 4


@dataclass(frozen=True)
class QuoteLexicon:
    """lexicons/quotes.yaml compiled."""

    speech_verbs: frozenset[str]
    bridges: frozenset[str]
    max_scare_words: int
    speaker_window: int


@dataclass
class Quotation:
    """Quoted words and what introduces them.

    text (str): the quoted words, without the marks and the punctuation at their ends.
    span (tuple[int, int]): their character offsets.
    first (Token): the first quoted word.
    verb (Token | None): the speech verb whose subject speaks them.
    source (Token | None): the head of "according to X" when that names the speaker instead.
    introduced (bool): the verb or source stands right beside the quotation.
    scare (bool): a few words with nothing introducing them: a scare quote, not a statement.
    """

    text: str
    span: tuple[int, int]
    first: Token
    verb: Token | None = None
    source: Token | None = None
    introduced: bool = False
    scare: bool = False

    @property
    def sentence(self) -> Span:
        """The sentence the quotation is said in: the speech verb's, else its first word's."""
        anchor = self.verb or self.source or self.first
        return anchor.sent


def find_quotes(doc: Doc, *, lexicon: QuoteLexicon, prepositions: Sequence[Phrase]) -> list[Quotation]:
    """Every quotation in a parsed article, in text order.

    doc (Doc): the parsed article.
    lexicon (QuoteLexicon): the compiled quote cues (`compile_quotes`).
    prepositions (Sequence[tuple[str, ...]]): attribution phrases ("according to"), from the
        modality lexicon.
    RETURNS (list[Quotation]): the quotations, speaker cues found where present.
    """
    found = []
    text = doc_text(doc)
    for start, end in _pairs(text):
        inner = text[start + 1 : end]
        quote = _quotation(doc, start, end, inner, lexicon=lexicon, prepositions=prepositions)
        if quote is not None:
            found.append(quote)
    return found


def _pairs(text: str) -> Iterator[tuple[int, int]]:
    """(opening mark, closing mark) offsets, paired in order within each paragraph."""
    offset = 0
    for line in text.split("\n"):
        opened: int | None = None
        for k, char in enumerate(line):
            if char not in MARKS:
                continue
            if opened is None:
                if char in OPENING or char == STRAIGHT or (char in CLOSING and _starts_words(line, k)):
                    opened = k
            elif char in CLOSING or char == STRAIGHT:
                yield offset + opened, offset + k
                opened = None
            else:
                opened = k
        offset += len(line) + 1


def _starts_words(line: str, k: int) -> bool:
    """Whether a closing mark is used as an opening one: a word follows and none precedes."""
    before, after = line[k - 1 : k], line[k + 1 : k + 2]
    return (not before or not before.isalnum()) and after.isalnum()


def _quotation(
    doc: Doc, start: int, end: int, inner: str, *, lexicon: QuoteLexicon, prepositions: Sequence[Phrase]
) -> Quotation | None:
    left = len(inner) - len(inner.lstrip(TRIM))
    text = inner.strip(TRIM)
    if not WORD.search(text):
        return None
    first = doc.char_span(start + 1 + left, start + 1 + left + len(text), alignment_mode="expand")
    opening = doc.char_span(start, start + 1, alignment_mode="expand")
    closing = doc.char_span(end, end + 1, alignment_mode="expand")
    if first is None or opening is None or closing is None:
        return None
    quote = Quotation(text, (start + 1 + left, start + 1 + left + len(text)), first[0])
    verb = _verb_before(opening[0], lexicon) or _verb_after(closing[-1], lexicon)
    if verb is not None:
        quote.verb, quote.introduced = verb, True
    else:
        quote.source = _source_after(closing[-1], lexicon, prepositions)
        quote.introduced = quote.source is not None
        quote.verb = None if quote.introduced else _verb_around(first, lexicon)
    quote.scare = not quote.introduced and len(WORD.findall(text)) <= lexicon.max_scare_words
    return quote


def _is_speech_verb(token: Token, lexicon: QuoteLexicon) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in lexicon.speech_verbs


def _verb_before(mark: Token, lexicon: QuoteLexicon) -> Token | None:
    """ "X stated, “...”", "urged “...”", "announced that “...”": the verb just before the quote."""
    k, skipped = mark.i - 1, 0
    doc = mark.doc
    while k >= 0 and doc[k].lower_ in lexicon.bridges and skipped < 2:
        k, skipped = k - 1, skipped + 1
    if k >= 0 and _is_speech_verb(doc[k], lexicon):
        return doc[k]
    return None


def _verb_after(mark: Token, lexicon: QuoteLexicon) -> Token | None:
    """ "“...,” said X" or "“...,” X said": a speech verb right after the quote, with only its
    subject between."""
    doc = mark.doc
    window = doc[mark.i + 1 : min(len(doc), mark.i + 1 + lexicon.speaker_window)]
    for token in window:
        if _is_speech_verb(token, lexicon):
            between = doc[mark.i + 1 : token.i]
            subject = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
            inside = {t.i for s in subject for t in s.subtree}
            if all(t.is_punct or t.is_space or t.i in inside for t in between):
                return token
            return None
        if token.is_sent_end and not token.is_punct:
            return None
    return None


def _source_after(mark: Token, lexicon: QuoteLexicon, prepositions: Sequence[Phrase]) -> Token | None:
    """ "“...,” according to X": the source named right after the quote."""
    doc = mark.doc
    rest = doc[mark.i + 1 : min(len(doc), mark.i + 1 + lexicon.speaker_window)]
    lead = next((t for t in rest if not (t.is_punct or t.is_space)), None)
    if lead is None:
        return None
    return (
        source_after(doc[lead.i : rest.end], prepositions)
        if any(lead.lower_ == p[0] for p in prepositions)
        else None
    )


def _verb_around(words: Span, lexicon: QuoteLexicon) -> Token | None:
    """The speech verb the quoted words hang from, a few steps up the parse."""
    inside = range(words.start, words.end)
    heads = [t for t in words if t.head.i not in inside or t.head.i == t.i]
    for head in heads[:1]:
        token = head
        for _ in range(MAX_CLIMB):
            if token.head.i == token.i:
                break
            token = token.head
            if _is_speech_verb(token, lexicon):
                return token
    return None


# ---- quotations and statements ------------------------------------------------------------------


def host_for(quote: Quotation, speaker: Sequence[ActorRef], found: Sequence[Found]) -> Found | None:
    """The statement mention a quotation belongs to: the one whose trigger is its speech verb,
    else one governing that verb, else one by the same speaker in its sentence, else one the
    verb governs; for a quotation with no speech verb, the statement whose trigger it hangs from."""
    sent = quote.sentence
    verbal = [f for f in found if f.trigger and f.trigger.verbal and f.trigger.root.sent.start == sent.start]
    verb, names = quote.verb, {r.actor or r.text for r in speaker}
    tests = (
        lambda root: verb is not None and root.i == verb.i,
        lambda root: verb is not None and root.is_ancestor(verb),
        lambda root: bool(names & {r.actor or r.text for r in _mention_of(root, verbal).actors}),
        lambda root: verb is not None and verb.is_ancestor(root),
        lambda root: verb is None and quote.source is None and _governs_near(root, quote.first),
    )
    for test in tests:
        match = next((f for f in verbal if f.trigger and test(f.trigger.root)), None)
        if match is not None:
            return match
    return None


def _mention_of(root: Token, found: Sequence[Found]) -> Mention:
    return next(f.mention for f in found if f.trigger and f.trigger.root.i == root.i)


def _governs_near(root: Token, token: Token, steps: int = 4) -> bool:
    """Whether the trigger is among the first few heads above a quoted word."""
    for _ in range(steps):
        if token.head.i == token.i:
            return False
        token = token.head
        if token.i == root.i:
            return True
    return False


def addressed(quote: Quotation, speaker: Sequence[ActorRef], args: Arguments) -> list[ActorRef]:
    """The other side a quotation names ("the consequences will be the responsibility of the
    Pakistani military"): named actors of neither the speaker nor the speaker's country (no
    generic "civilians", no town the knowledge base also knows as an actor).

    quote (Quotation): the quotation.
    speaker (Sequence[ActorRef]): who speaks it.
    args (Arguments): the article's argument reader.
    RETURNS (list[ActorRef]): one ref per actor, in text order.
    """
    own = {r.actor for r in speaker if r.actor} | {c for r in speaker if (c := args.country_of(r))}
    named = [r for r in args.refs if r.span and quote.span[0] <= r.span[0] and r.span[1] <= quote.span[1]]
    others = [
        r
        for r in named
        if r.actor
        and r.actor not in own
        and args.country_of(r) not in own
        and not args.is_generic(r.actor)
        and (args.kind_of(r) == "state" or not args.names_place(r))
    ]
    return list({r.actor: r for r in reversed(others)}.values())[::-1]


# ---- the lexicon ---------------------------------------------------------------------------------


def compile_quotes(lex: Any, *, name: str = "lexicons/quotes.yaml") -> QuoteLexicon:
    """Check and compile the quote lexicon.

    lex (Any): the parsed YAML (`kb.lexicon("quotes")`).
    name (str): the file, for error messages.
    RETURNS (QuoteLexicon): the cues.
    RAISES (KnowledgeError): a section is missing or malformed.
    """
    if not isinstance(lex, dict) or not isinstance(lex.get("speech_verbs"), list):
        raise KnowledgeError("expected a mapping with a list of speech_verbs", source=name)
    try:
        return QuoteLexicon(
            speech_verbs=frozenset(str(v).lower() for v in lex["speech_verbs"]),
            bridges=frozenset(str(v).lower() for v in lex.get("bridges", [])),
            max_scare_words=int(lex.get("max_scare_words", 3)),
            speaker_window=int(lex.get("speaker_window", 6)),
        )
    except (TypeError, ValueError) as exc:
        raise KnowledgeError(f"malformed entry: {exc}", source=name) from exc
