"""Reading what analysts have: every format into RawDoc records, and every bad input named with
its reason while the good ones go on."""

from __future__ import annotations

import gzip
import io
import json
import os
from datetime import date
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from khabar.errors import InputError
from khabar.ingest import MAX_FILE_BYTES, Metadata, ingest
from khabar.models import RawDoc

STORY = (
    "Heavy shelling hit the border town of Chaman on Tuesday, local officials said. "
    "At least four people were killed and nine injured, according to the district hospital. "
)
PAGE = f"""<!doctype html><html><head><title>Shelling hits Chaman</title>
<meta property="og:site_name" content="Frontier Post">
<meta name="author" content="Amina Khan">
<meta property="article:published_time" content="2025-10-14T08:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Shelling hits Chaman</h1><p>{STORY}</p><p>{STORY}</p></article>
<footer>Copyright Frontier Post</footer></body></html>"""


def docs(*inputs: str, **options) -> list[RawDoc]:
    items = list(ingest(list(inputs), **options))
    assert all(isinstance(item, RawDoc) for item in items), items
    return items


def errors(*inputs: str) -> dict[str, str]:
    return {item.source: item.reason for item in ingest(list(inputs)) if isinstance(item, InputError)}


def test_plain_text_and_markdown_are_read_as_they_are(tmp_path: Path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.md").write_text("# Shelling\n\n" + STORY, encoding="utf-8")
    found = docs(str(tmp_path))
    assert [Path(d.source).name for d in found] == ["a.txt", "b.md"]
    assert found[0].text == STORY and found[0].format == "text"


def test_html_gives_main_text_and_metadata_without_navigation(tmp_path: Path):
    (tmp_path / "story.html").write_text(PAGE, encoding="utf-8")
    (doc,) = docs(str(tmp_path / "story.html"))
    assert "At least four people were killed" in doc.text
    assert "Home" not in doc.text and "Copyright" not in doc.text
    assert doc.title == "Shelling hits Chaman"
    assert doc.outlet == "Frontier Post"
    assert doc.author == "Amina Khan"
    assert doc.published == date(2025, 10, 14)
    assert "<nav>" in doc.raw


def test_json_list_and_json_lines_records_keep_their_fields(tmp_path: Path):
    records = [
        {
            "title": "One",
            "text": STORY,
            "url": "https://example.org/1",
            "published": "2025-10-14",
            "outlet": "Wire",
        },
        {"body": STORY + " Second.", "published": "14 October 2025"},
    ]
    (tmp_path / "batch.json").write_text(json.dumps(records), encoding="utf-8")
    (tmp_path / "batch.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    for name in ("batch.json", "batch.jsonl"):
        first, second = docs(str(tmp_path / name))
        assert (first.title, first.url, first.outlet) == ("One", "https://example.org/1", "Wire")
        assert first.published == second.published == date(2025, 10, 14)
        assert second.text.endswith("Second.")
        assert first.source.endswith("#1") and second.source.endswith("#2")


def test_json_records_without_text_are_named_and_the_rest_go_on(tmp_path: Path):
    lines = [json.dumps({"text": STORY}), "{not json", json.dumps({"title": "no body"}), json.dumps([1])]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    items = list(ingest([str(tmp_path / "mixed.jsonl")]))
    assert isinstance(items[0], RawDoc)
    problems = {item.source.rsplit("#", 1)[1]: item.reason for item in items[1:]}
    assert "malformed JSON" in problems["2"]
    assert "no 'text' or 'body'" in problems["3"]
    assert "expected an article object" in problems["4"]


def rss(entries: str) -> str:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Border Wire</title>
<link>https://wire.example</link><description>news</description>{entries}</channel></rss>"""


def test_feed_entries_with_full_text_become_articles(tmp_path: Path):
    body = STORY * 4
    feed = rss(
        f"""<item><title>Chaman shelled</title><link>https://wire.example/1</link>
<pubDate>Tue, 14 Oct 2025 09:00:00 GMT</pubDate><description><![CDATA[<p>{body}</p>]]></description></item>
<item><title>Teaser only</title><link>https://wire.example/2</link><description>Read more</description></item>
<item><title>Nothing</title></item>"""
    )
    (tmp_path / "wire.xml").write_text(feed, encoding="utf-8")
    items = list(ingest([str(tmp_path / "wire.xml")]))
    article, teaser, empty = items
    assert isinstance(article, RawDoc)
    assert (article.title, article.url, article.outlet) == (
        "Chaman shelled",
        "https://wire.example/1",
        "Border Wire",
    )
    assert article.published == date(2025, 10, 14) and "four people were killed" in article.text
    assert isinstance(teaser, InputError) and "only a link" in teaser.reason
    assert isinstance(empty, InputError) and "neither text nor a link" in empty.reason


def warc_bytes(pages: list[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, html in pages:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(html.encode()), http_headers=headers
        )
        writer.write_record(record)
    return buffer.getvalue()


def test_warc_responses_are_read_with_their_urls(tmp_path: Path):
    other = PAGE.replace("Chaman", "Torkham")
    (tmp_path / "crawl.warc.gz").write_bytes(
        warc_bytes([("https://a.example/1", PAGE), ("https://a.example/2", other)])
    )
    first, second = docs(str(tmp_path / "crawl.warc.gz"))
    assert first.url == "https://a.example/1" and "Chaman" in first.text
    assert second.url == "https://a.example/2" and "Torkham" in second.text


def test_truncated_warc_keeps_the_records_before_the_damage(tmp_path: Path):
    data = warc_bytes(
        [("https://a.example/1", PAGE), ("https://a.example/2", PAGE.replace("Chaman", "Torkham"))]
    )
    (tmp_path / "cut.warc.gz").write_bytes(data[: len(data) - 200])
    items = list(ingest([str(tmp_path / "cut.warc.gz")]))
    assert isinstance(items[0], RawDoc) and "Chaman" in items[0].text
    assert isinstance(items[-1], InputError) and "truncated or corrupt WARC" in items[-1].reason


def test_standard_input_is_sniffed(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(PAGE.encode())))
    (doc,) = docs("-")
    assert doc.source == "<stdin>" and doc.format == "html" and doc.title == "Shelling hits Chaman"


def test_globs_expand_and_sidecars_are_metadata_not_articles(tmp_path: Path):
    (tmp_path / "one.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "one.meta.json").write_text(json.dumps({"outlet": "Dawn", "published": "2025-10-12"}))
    (tmp_path / "two.txt").write_text(STORY + " Two.", encoding="utf-8")
    found = docs(str(tmp_path / "*.txt"))
    assert len(found) == 2
    assert (found[0].outlet, found[0].published) == ("Dawn", date(2025, 10, 12))
    assert found[1].outlet is None


def test_command_line_metadata_overrides_the_sidecar_and_the_document(tmp_path: Path):
    (tmp_path / "story.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "story.html.meta.json").write_text(
        json.dumps({"outlet": "Sidecar", "title": "Sidecar title"})
    )
    (doc,) = docs(str(tmp_path / "story.html"), metadata=Metadata(outlet="Given"))
    assert (doc.outlet, doc.title, doc.author) == ("Given", "Sidecar title", "Amina Khan")


def test_a_bad_sidecar_is_named(tmp_path: Path):
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "story.meta.json").write_text(json.dumps({"published": "the day after the war"}))
    assert "unreadable date" in errors(str(tmp_path / "story.txt"))[str(tmp_path / "story.meta.json")]


def test_legacy_encoded_text_is_decoded_not_refused(tmp_path: Path):
    (tmp_path / "latin1.txt").write_bytes(
        "Le café de Quetta a été fermé après l'attaque près de la frontière.".encode("latin-1")
    )
    (doc,) = docs(str(tmp_path / "latin1.txt"))
    assert "café" in doc.text and "été" in doc.text


@pytest.fixture
def bad_inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text(STORY, encoding="utf-8")
    (folder / "good.html").write_text(PAGE, encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(512))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text("   \n\n  ")
    (folder / "broken.html").write_text("<html><body><div><nav><a href='/'>Home</a>", encoding="utf-8")
    (folder / "unclosed.html").write_text(
        f"<html><body><div><p>{STORY}<p><b>{STORY}</i></span>", encoding="utf-8"
    )
    (folder / "huge.txt").write_bytes(b"word " * (MAX_FILE_BYTES // 5 + 10))
    link = "<link>https://w.example/1</link>"
    good_entry = f"<item><title>Full</title>{link}<description>{STORY * 4}</description></item>"
    (folder / "feed.rss").write_text(rss(good_entry + "<item><title>broken</title></item>"), encoding="utf-8")
    (folder / "junk.rss").write_text("<rss><channel><item><title>x", encoding="utf-8")
    (folder / "secret.txt").write_text(STORY + " Secret.", encoding="utf-8")
    (folder / "secret.txt").chmod(0)
    return folder


def test_bad_inputs_are_each_named_with_a_reason_and_good_ones_go_on(bad_inputs: Path, monkeypatch):
    secret = bad_inputs / "secret.txt"
    if os.geteuid() == 0:  # root reads a file whatever its mode; make the refusal happen anyway
        real_read = Path.read_bytes

        def read_bytes(path: Path) -> bytes:
            if path == secret:
                raise PermissionError(13, "Permission denied", str(path))
            return real_read(path)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    items = list(ingest([str(bad_inputs)]))
    good = sorted(Path(item.source).name for item in items if isinstance(item, RawDoc))
    assert good == ["feed.rss#1", "good.html", "good.txt", "unclosed.html"]
    reasons = {Path(item.source).name: item.reason for item in items if isinstance(item, InputError)}
    assert "binary" in reasons["image.png"]
    assert "empty" in reasons["empty.txt"] and "empty" in reasons["blank.md"]
    assert "no article text" in reasons["broken.html"]
    assert "too large" in reasons["huge.txt"]
    assert "neither text nor a link" in reasons["feed.rss#2"]
    assert "neither text nor a link" in reasons["junk.rss#1"]
    assert "Permission denied" in reasons["secret.txt"]


def test_missing_paths_and_empty_globs_are_named(tmp_path: Path):
    problems = errors(str(tmp_path / "nowhere.txt"), str(tmp_path / "*.none"))
    assert problems[str(tmp_path / "nowhere.txt")] == "no such file or directory"
    assert problems[str(tmp_path / "*.none")] == "no files match this pattern"


def test_gzip_that_is_not_a_warc_is_named(tmp_path: Path):
    (tmp_path / "notes.warc.gz").write_bytes(gzip.compress(b"hello world, not an archive"))
    (item,) = list(ingest([str(tmp_path / "notes.warc.gz")]))
    assert isinstance(item, InputError) and "WARC" in item.reason
