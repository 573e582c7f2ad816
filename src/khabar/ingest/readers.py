"""Readers: bytes of one input in, RawDoc records (or an InputError per bad record) out.

Each reader takes the input's name (for messages and provenance) and its bytes; none touches the
file system or the network, so files, standard input, fetched pages and WARC records share them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from io import BytesIO
from typing import Any

import charset_normalizer
import dateparser
import feedparser
import trafilatura
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from khabar.errors import InputError
from khabar.models import RawDoc

Item = RawDoc | InputError

#: File name endings and the reader each one selects.
SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
}

#: A page whose main text is shorter than this is navigation, a login wall or an error page.
MIN_PAGE_WORDS = 12

#: Feed entries shorter than this are teasers: the article itself is at the entry's link.
FULL_ENTRY_CHARS = 400


def format_of(name: str, data: bytes) -> str:
    """The reader for an input, from its name's ending, else from its first bytes."""
    lowered = name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix):
            return SUFFIXES[suffix]
    return sniff(data)


def sniff(data: bytes) -> str:
    """Guess the format of unnamed bytes (standard input, a fetched body with no useful type)."""
    head = data[:2048].lstrip().lower()
    if head.startswith(b"warc/"):
        return "warc"
    if data[:2] == b"\x1f\x8b":
        return "warc"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    if head.startswith((b"{", b"[")):
        return "jsonl" if head.startswith(b"{") and b"\n{" in data[:1_000_000] else "json"
    return "text"


def read(name: str, data: bytes, *, fmt: str | None = None) -> Iterator[Item]:
    """Every article in one input. Bad records come out as InputError; good ones still come."""
    fmt = fmt or format_of(name, data)
    if fmt == "warc":
        yield from read_warc(name, data)
        return
    if not data.strip():
        yield InputError("empty input: nothing to read", source=name)
        return
    if looks_binary(data):
        yield InputError("binary data, not text (expected text, HTML, JSON, a feed or WARC)", source=name)
        return
    readers = {
        "text": read_text,
        "html": read_html,
        "json": read_json,
        "jsonl": read_jsonl,
        "feed": read_feed,
    }
    yield from readers[fmt](name, data)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or a high share of control characters: an image, archive or executable."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(byte < 32 and byte not in b"\t\n\r\f\x1b" for byte in sample)
    return controls > len(sample) * 0.05


def decode(data: bytes) -> str:
    """UTF-8 when it is; otherwise the legacy encoding the bytes most plausibly are (Latin-1,
    Windows-1252, Windows-1256 ...), so an old file still reads as the words it holds."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data).best()
        return str(best) if best is not None else data.decode("cp1252", errors="replace")


def read_text(name: str, data: bytes) -> Iterator[Item]:
    text = decode(data)
    yield RawDoc(source=name, text=text, raw=text, format="text")


def read_html(name: str, data: bytes, *, url: str | None = None) -> Iterator[Item]:
    html = decode(data)
    extracted = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or len(text.split()) < MIN_PAGE_WORDS:
        yield InputError(
            "no article text found in the HTML (page empty, malformed or all navigation)", source=name
        )
        return
    yield RawDoc(
        source=name,
        text=text,
        raw=html,
        format="html",
        title=extracted.title or None,
        url=url or extracted.url or None,
        published=parse_date(extracted.date),
        outlet=extracted.sitename or None,
        author=extracted.author or None,
        language=extracted.language or None,
    )


def read_json(name: str, data: bytes) -> Iterator[Item]:
    try:
        value = json.loads(decode(data))
    except json.JSONDecodeError as exc:
        yield InputError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", source=name)
        return
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    records = value if isinstance(value, list) else [value]
    for number, record in enumerate(records, start=1):
        yield from _record(f"{name}#{number}" if len(records) > 1 else name, record)


def read_jsonl(name: str, data: bytes) -> Iterator[Item]:
    for number, line in enumerate(decode(data).splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{name}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"malformed JSON on this line: {exc.msg}", source=source)
            continue
        yield from _record(source, record)


def _record(source: str, record: Any) -> Iterator[Item]:
    """One article object of a JSON input: `text` or `body`, and optional metadata fields."""
    if not isinstance(record, dict):
        yield InputError(f"expected an article object, found {type(record).__name__}", source=source)
        return
    text = record.get("text") or record.get("body")
    if not isinstance(text, str) or not text.strip():
        yield InputError("article has no 'text' or 'body' string", source=source)
        return
    yield RawDoc(
        source=source,
        text=text,
        raw=json.dumps(record, ensure_ascii=False),
        format="json",
        title=_string(record.get("title")),
        url=_string(record.get("url")),
        published=parse_date(record.get("published") or record.get("date")),
        outlet=_string(record.get("outlet") or record.get("source")),
        author=_string(record.get("author")),
        language=_string(record.get("language")),
    )


def _string(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def read_feed(name: str, data: bytes) -> Iterator[Item]:
    """Each entry of an RSS or Atom feed with its own text. Teaser-only entries come out as
    FeedEntry errors the caller may resolve by fetching the entry's link (see `feed_entries`)."""
    for entry in feed_entries(name, data):
        if isinstance(entry, InputError):
            yield entry
        elif entry.text:
            yield entry.raw_doc()
        else:
            yield InputError(
                "feed entry has no text (only a link; `khabar watch` fetches links)", source=entry.source
            )


class FeedEntry:
    """One entry of a feed: its metadata, and its text when the feed carries the article."""

    def __init__(self, source: str, entry: Any, outlet: str | None) -> None:
        self.source = source
        self.link: str | None = entry.get("link")
        self.key: str = entry.get("id") or self.link or source
        self.title: str | None = _string(entry.get("title"))
        self.published = _struct_date(entry.get("published_parsed") or entry.get("updated_parsed"))
        self.outlet = outlet
        self.author: str | None = _string(entry.get("author"))
        self.html = _entry_html(entry)
        self.text = _html_text(self.html) if self.html else ""
        if len(self.text) < FULL_ENTRY_CHARS and self.link:
            self.text = ""

    def raw_doc(self, text: str | None = None, raw: str | None = None) -> RawDoc:
        return RawDoc(
            source=self.source,
            text=text or self.text,
            raw=raw or self.html,
            format="feed",
            title=self.title,
            url=self.link,
            published=self.published,
            outlet=self.outlet,
            author=self.author,
        )


def feed_entries(name: str, data: bytes) -> Iterator[FeedEntry | InputError]:
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None)
        yield InputError(
            f"not a readable RSS/Atom feed{f': {reason}' if reason else ' (no entries)'}", source=name
        )
        return
    outlet = _string(parsed.feed.get("title"))
    for number, entry in enumerate(parsed.entries, start=1):
        source = f"{name}#{number}"
        if not (entry.get("link") or _entry_html(entry)):
            yield InputError("feed entry has neither text nor a link", source=source)
            continue
        yield FeedEntry(source, entry, outlet)


def _entry_html(entry: Any) -> str:
    contents = entry.get("content") or []
    if contents and contents[0].get("value"):
        return contents[0]["value"]
    return entry.get("summary") or ""


def _html_text(html: str) -> str:
    if "<" not in html:
        return html.strip()
    extracted = trafilatura.extract(f"<html><body><article>{html}</article></body></html>", favor_recall=True)
    return (extracted or "").strip()


def read_warc(name: str, data: bytes) -> Iterator[Item]:
    """Every HTML response in a WARC file; a truncated or corrupt archive yields what it holds
    before the damage, then one error naming where it stopped."""
    number = 0
    try:
        # "raise": a record cut short fails its digest instead of passing as a shorter page
        for record in ArchiveIterator(BytesIO(data), check_digests="raise"):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            number += 1
            status = record.http_headers.get_statuscode()
            content_type = record.http_headers.get_header("Content-Type") or ""
            url = record.rec_headers.get_header("WARC-Target-URI")
            if status != "200" or "html" not in content_type.lower():
                continue
            payload = record.content_stream().read()
            if getattr(record.raw_stream, "limit", 0) > 0:
                raise EOFError(f"record {number} ({url}) ends before its declared length")
            yield from read_html(f"{name}#{number}", payload, url=url)
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        yield InputError(f"truncated or corrupt WARC after {number} records: {exc}", source=name)
        return
    if number == 0:
        yield InputError("no WARC response records found (not a WARC archive, or an empty one)", source=name)


def parse_date(value: Any) -> date | None:
    """A publication date from metadata: ISO, RFC 2822 or a written date. Relative expressions
    ("yesterday") are refused, since they would resolve against the processing date."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    for parse in (datetime.fromisoformat, parsedate_to_datetime):
        try:
            return parse(text).date()
        except (ValueError, TypeError, IndexError):
            pass
    parsed = dateparser.parse(
        text,
        settings={
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["day", "month", "year"],
        },
    )
    return parsed.date() if parsed else None


def _struct_date(value: Any) -> date | None:
    return date(value.tm_year, value.tm_mon, value.tm_mday) if value else None
