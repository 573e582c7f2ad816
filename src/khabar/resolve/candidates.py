"""candidates: the pairs of mentions that may be enough evidence on their own, found through indexes.

Part of merge. `merge.cluster` merges two clusters only through a pair that `merge._supported`
accepts, so every cluster lies inside one connected part of the graph of such pairs, and each part
can be clustered alone. Finding the parts needs every supported pair, but not every pair: a
supported pair has one of the following (see `_supported`), and each has an index here.

- Both dates known. They do not conflict, so they are at most `date_slack_days` apart: `near_dates`.
- One article (an anaphor, or agreeing actors in one article): `same_article`.
- Agreeing actors (with a shared precise place, similar wording or similar targets): agreeing sides
  have two compatible actors, whose tokens (`Context.tokens`) meet: `shared_actors`.
- Otherwise closely shared wording, `content_overlap_alone` of the shorter sentence: `close_wording`.

The indexes may propose pairs that are not supported; `merge` scores each proposed pair.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from itertools import combinations

from khabar.models import Mention
from khabar.resolve.context import Context

Pairs = set[tuple[int, int]]


def candidate_pairs(mentions: Sequence[Mention], *, ctx: Context) -> Pairs:
    """Every pair of mentions that `merge._supported` could accept, and perhaps some more.

    mentions (Sequence[Mention]): the mentions of one component.
    ctx (Context): the resolve context.
    RETURNS (set[tuple[int, int]]): pairs of positions in `mentions`, the smaller first.
    """
    return (
        near_dates(mentions, ctx=ctx)
        | same_article(mentions)
        | shared_actors(mentions, ctx=ctx)
        | close_wording(mentions, ctx=ctx)
    )


def near_dates(mentions: Sequence[Mention], *, ctx: Context) -> Pairs:
    """Dated pairs at most `date_slack_days` apart. Sorted by start, the mentions after one that
    start more than the slack after it ends are further still, so the scan stops there."""
    slack = int(ctx.lex.merge["date_slack_days"])
    dated = sorted((m.date.start, i) for i, m in enumerate(mentions) if m.date.start is not None)
    pairs: Pairs = set()
    for n, (start, i) in enumerate(dated):
        end = mentions[i].date.end or start
        for later in range(n + 1, len(dated)):
            other_start, j = dated[later]
            if (other_start - end).days > slack:
                break
            pairs.add(_pair(i, j))
    return pairs


def same_article(mentions: Sequence[Mention]) -> Pairs:
    """Pairs from one article."""
    return _sharing((i, [m.article]) for i, m in enumerate(mentions))


def shared_actors(mentions: Sequence[Mention], *, ctx: Context) -> Pairs:
    """Pairs whose actors or recipients share a token on some date. (A token on one date is one
    on some date: the roles a person holds on a day are among their roles.)"""
    return _sharing((i, ctx.party_tokens(m)) for i, m in enumerate(mentions))


def close_wording(mentions: Sequence[Mention], *, ctx: Context) -> Pairs:
    """Pairs whose shared content words reach `content_overlap_alone` of the shorter sentence's.

    Prefix filtering: with the words ordered rarest first, a sentence of n words that must share
    k of them shares one of its n - k + 1 rarest (its other k - 1 words cannot make k). So each
    sentence looks up only its rarest words, among the sentences at least as long as itself."""
    words = [ctx.content_words(m) for m in mentions]
    frequency = Counter(word for sentence in words for word in sentence)
    holders: dict[str, list[int]] = defaultdict(list)
    for i, sentence in enumerate(words):
        for word in sentence:
            holders[word].append(i)
    pairs: Pairs = set()
    for i, sentence in enumerate(words):
        rarest = sorted(sentence, key=lambda word: (frequency[word], word))
        for word in rarest[: len(sentence) - _fewest_shared(len(sentence), ctx=ctx) + 1]:
            pairs.update(_pair(i, j) for j in holders[word] if j != i and len(words[j]) >= len(sentence))
    alone = float(ctx.lex.merge["content_overlap_alone"])
    return {(i, j) for i, j in pairs if ctx.content_overlap(mentions[i], mentions[j]) >= alone}


def _fewest_shared(size: int, *, ctx: Context) -> int:
    """The fewest words a sentence of `size` content words must share with a longer one for
    `Context.content_overlap` to reach `content_overlap_alone`, compared as it compares (sharing
    none is never enough: the lexicon's shares are above 0); `size + 1` when no number is."""
    alone = float(ctx.lex.merge["content_overlap_alone"])
    least = max(1, int(ctx.lex.merge["content_shared_min"]))
    return next((shared for shared in range(least, size + 1) if shared / size >= alone), size + 1)


def _sharing(keyed: Iterable[tuple[int, Iterable[Hashable]]]) -> Pairs:
    """Pairs of positions with a key in common."""
    holders: dict[Hashable, list[int]] = defaultdict(list)
    for i, keys in keyed:
        for key in keys:
            holders[key].append(i)
    return {pair for group in holders.values() for pair in combinations(group, 2)}


def _pair(i: int, j: int) -> tuple[int, int]:
    return (i, j) if i < j else (j, i)
