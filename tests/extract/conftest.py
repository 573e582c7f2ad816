"""Fixtures shared by the extract tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from khabar.models import Extraction


@pytest.fixture(scope="session")
def read_article(nlp) -> Callable[..., Extraction]:
    """Extract a one-article text with the shipped knowledge: read_article(text, published=...)."""
    from khabar.extract import extract
    from khabar.knowledge import load_knowledge
    from khabar.knowledge.gazetteer import load_gazetteer
    from khabar.models import Article

    kb, gazetteer = load_knowledge(), load_gazetteer()

    def read(text: str, *, published: date | None) -> Extraction:
        article = Article(id="a1", source="a1.txt", text=text, published=published)
        return extract(article, nlp(text), kb=kb, gazetteer=gazetteer)

    return read
