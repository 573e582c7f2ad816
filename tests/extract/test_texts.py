"""Tests for khabar.extract.texts: a Doc's text, joined once."""

from __future__ import annotations

import gc

import spacy

from khabar.extract import texts
from khabar.extract.texts import doc_text


def test_texts_doc_text_is_each_docs_own_text_and_goes_with_the_doc():
    nlp = spacy.blank("en")
    one, other = nlp("Gunmen attacked a convoy.  Three died."), nlp("Talks resumed on Monday.")
    assert doc_text(one) == one.text == "Gunmen attacked a convoy.  Three died."
    assert doc_text(other) == other.text
    assert doc_text(one) is doc_text(one)  # joined once
    kept = len(texts._TEXTS)
    del one
    gc.collect()
    assert len(texts._TEXTS) == kept - 1
