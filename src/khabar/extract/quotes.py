"""extract.quotes: a parsed article -> its quotations, each with the verb or source introducing it.

Part of the `extract` stage: `extract` attaches each quotation to the statement mention of its
sentence, or makes it a STATEMENT of its own, with the speaker `speaker_of` finds.

Quotation marks may be straight or curly, and are paired in order within a paragraph, so a
quotation opened with a closing mark (”would cross a red line,”) is still found; a quotation may
run over several sentences. The speaker is found where English puts it:
- before: "X said, “...”", "X urged “...”", "X announced that “...”", "warning of “...”";
- after: "“...,” said X", "“...,” X said", "“...” according to X";
- around: the speech verb the quoted words depend on ("called for a resolution “through
  diplomatic means”").
A quotation of a few words with no speech verb right beside it is a scare quote ("noted",
"normalcy", "right to strike"), not a statement (knowledge/lexicons/quotes.yaml).

A quotation that stands as sentences of its own with nothing introducing it continues the one
before: the speaker goes on after the attribution ("“...,” said X. “...”"), or in the next
paragraph, made of that quotation alone; so does one split from it by its attribution ("“...,”
X said, “...”": both have the one speech verb). `go_on` adds it to the statement of the one before.

Who speaks (`speaker_of`): the speech verb's subject as `extract.arguments` reads it, except
- a person described, not named ("a driver", "an elected official", "a Radaa spokesman"): the
  words as written, linked to the group they name ("Radaa"; "an army spokesman" -> the army of
  the country reported on), never to a person ("his mother"); a name given after all wins ("a
  resident who gave his name only as Jean", "chief of detectives Gerard Gigante");
- "he"/"she": in the nearest of the few sentences before that tells, the latest subject of a
  main clause who is a person (a name before a description; a described noun of the pronoun's
  sex: "he" is no widow), else the last person that sentence names; never words inside a
  quotation ("“They came out of the bush,” he said").
"""

from __future__ import annotations

import re
from bisect import bisect_right
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

__all__ = [
    "Quotation",
    "QuoteLexicon",
    "addressed",
    "compile_quotes",
    "find_quotes",
    "go_on",
    "host_for",
    "speaker_of",
]

OPENING = frozenset("“«„")
CLOSING = frozenset("”»")
STRAIGHT = '"'
MARKS = OPENING | CLOSING | {STRAIGHT}
#: Punctuation trimmed from the ends of the quoted words.
TRIM = " \t\n,.;:"
WORD = re.compile(r"\w+")
#: How far up the parse the quoted words may hang from their speech verb.
MAX_CLIMB = 4
#: What ends a sentence, so that a quotation after it starts one.
SENTENCE_END = frozenset(".!?") | MARKS
#: What may stand between a quotation's words and the sentence before or after it.
OPENERS = " \t" + "".join(sorted(OPENING | {STRAIGHT}))
CLOSERS = " \t.,;:!?" + "".join(sorted(CLOSING | {STRAIGHT}))
PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
#: The prepositions after a described speaker that say whom the person speaks for.
FOR_WHOM = frozenset({"for", "of"})


@dataclass(frozen=True)
class QuoteLexicon:
    """lexicons/quotes.yaml compiled."""

    speech_verbs: frozenset[str]
    bridges: frozenset[str]
    max_scare_words: int
    speaker_window: int
    speaker_nouns: dict[str, str]
    pronoun_sexes: dict[str, str]
    naming_verbs: frozenset[str]
    speaker_lookback: int


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
    continues (Quotation | None): the attributed quotation this one goes on from.
    """

    text: str
    span: tuple[int, int]
    first: Token
    verb: Token | None = None
    source: Token | None = None
    introduced: bool = False
    scare: bool = False
    continues: Quotation | None = None

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
    _link_continuations(found, text)
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


def _link_continuations(found: Sequence[Quotation], text: str) -> None:
    """Mark each quotation standing as sentences of its own, with no cue of its own, as going on
    from the last attributed one: in its paragraph, or in the paragraph before when it is its
    paragraph's only words. A quotation whose speech verb is the last one's goes on from it too."""
    paragraphs = [m.span() for m in PARAGRAPH.finditer(text)]
    starts = [start for start, _ in paragraphs]
    last: Quotation | None = None
    for quote in found:
        if _same_verb(quote, last):
            quote.continues = last  # split by its attribution: "“...,” he said, “...”"
        elif quote.verb is None and quote.source is None and last is not None:
            here = bisect_right(starts, quote.span[0]) - 1
            before = bisect_right(starts, last.span[0]) - 1
            alone = _alone(quote, text, paragraphs[here])
            if alone is not None and (here == before or (alone and here == before + 1)):
                quote.continues, quote.scare = last, False
        if quote.verb is not None or quote.source is not None or quote.continues is not None:
            last = quote


def _same_verb(quote: Quotation, last: Quotation | None) -> bool:
    said, before = quote.verb, last.verb if last is not None else None
    return said is not None and before is not None and said.i == before.i


def _alone(quote: Quotation, text: str, paragraph: tuple[int, int]) -> bool | None:
    """None when the quotation is part of a sentence; else whether it is the paragraph's only words."""
    lead = text[paragraph[0] : quote.span[0]].rstrip(OPENERS)
    tail = text[quote.span[1] : paragraph[1]]
    closing = tail[: len(tail) - len(tail.lstrip(CLOSERS))]
    ends = quote.text[-1] in "!?" or any(char in ".!?" for char in closing)
    if not ends or (lead.rstrip() and lead.rstrip()[-1] not in SENTENCE_END):
        return None
    return not lead.strip() and not tail[len(closing) :].strip()


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


# ---- who speaks ---------------------------------------------------------------------------------


def speaker_of(
    quote: Quotation, *, args: Arguments, lexicon: QuoteLexicon, quotes: Sequence[Quotation]
) -> list[ActorRef]:
    """Who speaks a quotation: the one its speech verb or "according to" names.

    quote (Quotation): the quotation.
    args (Arguments): the article's argument reader.
    lexicon (QuoteLexicon): the compiled quote cues.
    quotes (Sequence[Quotation]): every quotation of the article, whose words name no speaker.
    RETURNS (list[ActorRef]): the speaker's refs; empty when nothing tells.
    """
    if quote.verb is None:
        return args.refs_at(quote.source) if quote.source is not None else []
    subjects = [c for c in quote.verb.children if c.dep_ == "nsubj"]
    if not subjects:
        return args.speaker(quote.verb)
    if (sex := lexicon.pronoun_sexes.get(subjects[0].lower_)) is not None:
        limit = subjects[0].doc[max(0, min(subjects[0].i, quote.first.i - 1))]
        return _antecedent(limit, sex, args, lexicon, [q.span for q in quotes]) or args.speaker(quote.verb)
    # the parser may split "chief of detectives Gerard Gigante" into two subjects: the name tells
    heads = [(subject, args.refs_at(subject)) for subject in subjects]
    for subject, refs in heads:
        if _people(subject, refs, args) or _named_actor(subject, refs, args):
            return refs
    subject, refs = heads[0]
    return _described(subject, refs, args, lexicon) or refs


def _people(head: Token, refs: Sequence[ActorRef], args: Arguments) -> list[ActorRef]:
    """The refs naming the person a phrase is about: its head, or a name in apposition ("a
    resident, Malam Sani Bello,"); not someone it mentions ("supporters of X")."""
    own = [head, *(t for c in head.children if c.dep_ == "appos" for t in c.subtree)]
    return [r for r in refs if _is_person(r, args) and any(_covers(r, t) for t in own)]


def _named_actor(head: Token, refs: Sequence[ActorRef], args: Arguments) -> bool:
    """Whether an actor's own name covers the phrase's head ("the Defense Ministry")."""
    return any(r.actor and not args.is_generic(r.actor) and _covers(r, head) for r in refs)


def _covers(ref: ActorRef, token: Token) -> bool:
    return ref.span is not None and ref.span[0] <= token.idx < ref.span[1]


def _described(
    head: Token, refs: Sequence[ActorRef], args: Arguments, lexicon: QuoteLexicon, *, sex: str | None = None
) -> list[ActorRef]:
    """A person described, not named ("a driver who survived", "a Radaa spokesman"): the name the
    phrase gives after all, else its words as written, linked to the group they speak for (not
    to a person: "his mother" is not him). With a sex, only one person of that sex ("he")."""
    noun = lexicon.speaker_nouns.get(head.lemma_.lower())
    if noun is None or (sex is not None and (head.tag_ != "NN" or noun not in ("any", sex))):
        return []
    if name := _given_name(head, lexicon):
        return [ActorRef(name.text, None, (name.start_char, name.end_char))]
    doc, end, named = head.doc, head.i + 1, list(refs)
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in FOR_WHOM and prep.i > head.i:
            # "a spokesman for the Radaa force": whom the person speaks for is part of the description
            end = prep.right_edge.i + 1
            named += [r for p in prep.children if p.dep_ == "pobj" for r in args.refs_at(p)]
    start = head.left_edge.i
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    words = doc[start:end]
    if name := _name_within(head, words, args):
        return [name]
    groups = [r.actor for r in named if r.actor and not _is_person(r, args)]
    actor = ([a for a in groups if not args.is_generic(a)] or groups or [None])[0]
    return [ActorRef(words.text, actor, (words.start_char, words.end_char))]


def _name_within(head: Token, words: Span, args: Arguments) -> ActorRef | None:
    """A person's name written after the description's head, where the parser took it for part of
    what the person speaks for ("chief of detectives Gerard Gigante"); not a possessor."""
    for token in reversed(words[head.i - words.start + 1 :]):
        if token.pos_ != "PROPN" or token.dep_ in ("compound", "poss") or token.nbor(-1).tag_ == "POS":
            continue
        for ref in args.refs_at(token):
            tokens = args.doc.char_span(*ref.span, alignment_mode="expand") if ref.span else None
            if tokens is None or not _covers(ref, token):
                continue
            # a name the model did not label is more likely a person's than a group's in such a place
            if _is_person(ref, args) or (
                ref.actor is None and all(t.pos_ == "PROPN" and not t.ent_type_ for t in tokens)
            ):
                return ref
    return None


def _given_name(head: Token, lexicon: QuoteLexicon) -> Span | None:
    """The name a described person is given: "a resident who gave his name only as Jean",
    "a fighter identified as Abu Omar"."""
    for clause in head.children:
        if clause.dep_ not in ("relcl", "acl"):
            continue
        for token in clause.subtree:
            prep = token.head
            if (
                token.dep_ == "pobj"
                and token.pos_ == "PROPN"
                and prep.lower_ == "as"
                and prep.head.lemma_.lower() in lexicon.naming_verbs
            ):
                return head.doc[token.left_edge.i : token.i + 1]
    return None


def _antecedent(
    limit: Token, sex: str, args: Arguments, lexicon: QuoteLexicon, quoted: Sequence[tuple[int, int]]
) -> list[ActorRef]:
    """Whom "he" or "she" before a token means: in the nearest of the few sentences before that
    tells, the latest person who spoke or acted as a main clause's subject, else the last person
    it names; beyond them, the last person named. Never someone named inside a quotation."""
    sent = limit.sent
    for _ in range(lexicon.speaker_lookback):
        subjects = [t for t in sent if t.i < limit.i and _speaks_or_acts(t) and not _quoted(t.idx, quoted)]
        heads = [(t, args.refs_at(t)) for t in reversed(subjects)]
        # a name before a description: "Nikolay Mladenov, the outgoing UN envoy, reported"
        for subject, refs in heads:
            if people := _people(subject, refs, args):
                return people
        for subject, refs in heads:
            if described := _described(subject, refs, args, lexicon, sex=sex):
                return described
        if found := _last_person(limit, args, quoted, since=sent.start_char):
            return found
        if sent.start == 0:
            return []
        sent = sent.doc[sent.start - 1].sent
    return _last_person(limit, args, quoted)


def _speaks_or_acts(token: Token) -> bool:
    """Whether a word is the subject of its sentence's main verb or of one joined to it; not of
    what someone reported ("said the governor had ordered"), and no pronoun ("he" is whom the
    search is after)."""
    if token.dep_ not in ("nsubj", "nsubjpass") or token.pos_ == "PRON":
        return False
    verb, root = token.head, token.sent.root
    return verb.i == root.i or (verb.dep_ == "conj" and verb.head.i == root.i)


def _last_person(
    limit: Token, args: Arguments, quoted: Sequence[tuple[int, int]], *, since: int = 0
) -> list[ActorRef]:
    """The last person named before a token (from a character offset on), outside quotations."""
    names: list[tuple[tuple[int, int], ActorRef | Span]] = [(r.span, r) for r in args.refs if r.span]
    names += [((e.start_char, e.end_char), e) for e in limit.doc.ents if e.label_ == "PERSON"]
    for span, name in sorted(names, key=lambda n: n[0], reverse=True):
        if span[1] > limit.idx or span[0] < since or _quoted(span[0], quoted):
            continue
        refs = [name] if isinstance(name, ActorRef) else args.refs_at(name.root)
        if people := [r for r in refs if _is_person(r, args)]:
            return people[-1:]
    return []


def _is_person(ref: ActorRef, args: Arguments) -> bool:
    kind = args.kind_of(ref)
    if kind is not None:
        return kind == "person"
    words = args.doc.char_span(*ref.span, alignment_mode="expand") if ref.span else None
    return words is not None and len(words) > 0 and words[-1].ent_type_ == "PERSON"


def _quoted(offset: int, quoted: Sequence[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in quoted)


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


def go_on(mention: Mention, quote: Quotation) -> None:
    """Add a quotation going on after its attribution to the statement carrying the one it
    continues: one statement, its parts joined by an ellipsis for the words between.

    mention (Mention): the statement; its quotation and span grow.
    quote (Quotation): the quotation going on (`Quotation.continues`).
    """
    start = mention.quote_span[0] if mention.quote_span else quote.span[0]
    mention.quote = f"{mention.quote} … {quote.text}" if mention.quote else quote.text
    mention.quote_span = (start, quote.span[1])


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
            speaker_nouns={
                str(noun).lower(): str(sex)
                for sex, nouns in lex.get("speaker_nouns", {}).items()
                for noun in nouns
            },
            pronoun_sexes={str(k).lower(): str(v) for k, v in lex.get("pronoun_sexes", {}).items()},
            naming_verbs=frozenset(str(v).lower() for v in lex.get("naming_verbs", [])),
            speaker_lookback=int(lex.get("speaker_lookback", 3)),
        )
    except (AttributeError, TypeError, ValueError) as exc:
        raise KnowledgeError(f"malformed entry: {exc}", source=name) from exc
