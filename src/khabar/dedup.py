"""Near-duplicates: cleaned text -> MinHash signature -> ids of articles with nearly the same text.

Runs right after `clean`: a syndicated copy or a re-scrape of an article already stored is marked
`Article.duplicate_of` so that `resolve` does not count it as independent corroboration. Signatures
are MinHash sketches (datasketch, 128 permutations) of the text's word 5-shingles, stored as bytes by
`store`; `NearDuplicateIndex.from_signatures` rebuilds the LSH index from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from khabar.errors import InputError

__all__ = ["NearDuplicateIndex", "signature"]

NUM_PERM = 128
SHINGLE = 5
# Pinned so stored signatures stay comparable across datasketch versions (its default may change).
_SEED = 1
_SCHEME = "affine32"
_VERSION = b"\x01"
_SIZE = len(_VERSION) + 4 * NUM_PERM
_WORDS = re.compile(r"\w+")


def signature(text: str) -> bytes:
    """A MinHash sketch of a text, for finding near-duplicates.

    text (str): an article's cleaned text.
    RETURNS (bytes): 513 bytes: a format version, then 128 little-endian 32-bit hash values of the
        text's word 5-shingles (casefolded; punctuation and spacing ignored).
    RAISES (InputError): when the text has no words.
    """
    words = _WORDS.findall(text.casefold())
    if not words:
        raise InputError("cannot sign a text with no words")
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    sketch = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    sketch.update_batch([s.encode("utf-8") for s in sorted(shingles)])
    return _VERSION + np.asarray(sketch.hashvalues, dtype="<u4").tobytes()


def _sketch(sig: bytes, *, source: str | None = None) -> LeanMinHash:
    if len(sig) != _SIZE or sig[:1] != _VERSION:
        raise InputError(
            f"not a khabar signature: {len(sig)} bytes starting {sig[:1]!r}, expected {_SIZE} bytes "
            f"starting {_VERSION!r}",
            source=source,
        )
    values = np.frombuffer(sig, dtype="<u4", offset=1).astype(np.uint32)
    return LeanMinHash(seed=_SEED, hashvalues=values, scheme=_SCHEME)


class NearDuplicateIndex:
    """Articles indexed by signature, to find those whose text nearly equals a new one's.

    threshold (float): the estimated Jaccard similarity of word 5-shingles from which two texts are
        near-duplicates (0.8: the same story with a different byline, furniture or a few edits).
    """

    def __init__(self, threshold: float = 0.8) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sketches: dict[str, LeanMinHash] = {}

    @classmethod
    def from_signatures(
        cls, signatures: Iterable[tuple[str, bytes]], *, threshold: float = 0.8
    ) -> NearDuplicateIndex:
        """Rebuild an index from stored (article id, signature) pairs."""
        index = cls(threshold)
        for article_id, sig in signatures:
            index.add(article_id, sig)
        return index

    def __len__(self) -> int:
        return len(self._sketches)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._sketches

    def add(self, article_id: str, sig: bytes) -> None:
        """Index one article; adding an id again replaces its signature.

        article_id (str): the article's id.
        sig (bytes): its `signature`.
        """
        sketch = _sketch(sig, source=article_id)
        if article_id in self._sketches:
            self._lsh.remove(article_id)
        self._lsh.insert(article_id, sketch)
        self._sketches[article_id] = sketch

    def query_scored(self, sig: bytes) -> list[tuple[str, float]]:
        """Near-duplicates of a text with their estimated Jaccard similarity, most similar first.

        sig (bytes): the text's `signature`.
        RETURNS (list[tuple[str, float]]): (article id, similarity) at or above the threshold.
        """
        sketch = _sketch(sig)
        # LSH buckets give candidates; their estimated similarity decides.
        scored = [(c, float(sketch.jaccard(self._sketches[c]))) for c in self._lsh.query(sketch)]
        return sorted((s for s in scored if s[1] >= self.threshold), key=lambda s: (-s[1], s[0]))

    def query(self, sig: bytes) -> list[str]:
        """Ids of the near-duplicates of a text, most similar first (see `query_scored`)."""
        return [article_id for article_id, _ in self.query_scored(sig)]
