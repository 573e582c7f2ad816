"""extract.texts: a parsed article's text, joined once per Doc for all of extraction.

spaCy's `Doc.text` joins the text of every token anew on each access (a quarter of a millisecond
for a news article), and extraction reads it in several places: checking the doc is the article's,
reading dates and quotations, cutting the words of tolls and titles (#3).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from spacy.tokens import Doc

__all__ = ["doc_text"]

#: Docs -> their text, forgotten with the Doc.
_TEXTS: WeakKeyDictionary[Doc, str] = WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined on the first call for this doc (a Doc's text never changes: retokenizing
    merges and splits its tokens, not its characters).

    doc (Doc): a parsed text.
    RETURNS (str): its text.
    """
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text
