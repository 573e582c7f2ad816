"""Polling feeds: each new entry once, with the article fetched from its link when the feed only
carries a teaser. `seen` holds entry ids and links already handled, so a restart that passes the
links of stored articles does not fetch them again."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence

from khabar.errors import InputError
from khabar.ingest.readers import FeedEntry, Item, feed_entries, read_html
from khabar.ingest.remote import fetch


def watch(
    feeds: Sequence[str],
    *,
    interval: float = 600.0,
    rounds: int | None = None,
    seen: set[str] | None = None,
    allow_private: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[Item]:
    """Poll every feed each `interval` seconds (forever when `rounds` is None) and yield new articles."""
    seen = seen if seen is not None else set()
    done = 0
    while rounds is None or done < rounds:
        for feed in feeds:
            yield from poll(feed, seen=seen, allow_private=allow_private)
        done += 1
        if rounds is None or done < rounds:
            sleep(interval)


def poll(feed: str, *, seen: set[str], allow_private: bool = False) -> Iterator[Item]:
    """The entries of one feed not in `seen`; adds each one handled to `seen`."""
    try:
        fetched = fetch(feed, allow_private=allow_private)
    except InputError as exc:
        yield exc
        return
    for entry in feed_entries(feed, fetched.content):
        if isinstance(entry, InputError):
            yield entry
            continue
        if entry.key in seen or (entry.link and entry.link in seen):
            continue
        seen.update(key for key in (entry.key, entry.link) if key)
        yield from _article(entry, allow_private=allow_private)


def _article(entry: FeedEntry, *, allow_private: bool) -> Iterator[Item]:
    if entry.text or not entry.link:
        yield entry.raw_doc()
        return
    try:
        page = fetch(entry.link, allow_private=allow_private)
    except InputError as exc:
        yield exc
        return
    for item in read_html(entry.link, page.content, url=page.url):
        if isinstance(item, InputError):
            yield item
        else:
            yield entry.raw_doc(text=item.text, raw=item.raw)
