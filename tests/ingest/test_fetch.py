"""Fetching URLs and polling feeds, against a real HTTP server on loopback started by the tests;
internal addresses are refused unless allowed, on every hop of a redirect chain."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from khabar.errors import FetchError, InputError
from khabar.ingest import ingest
from khabar.ingest.remote import check_url, fetch, is_internal
from khabar.ingest.watch import watch
from khabar.models import RawDoc

STORY = "Mortar fire struck a market in Parachinar on Friday, killing five people, police said. " * 3
PAGE = f"<html><head><title>Market hit</title></head><body><article><p>{STORY}</p></article></body></html>"


def feed(base: str) -> str:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>
<item><guid>full-1</guid><title>Full story</title><link>{base}/full</link>
<description><![CDATA[<p>{STORY * 2}</p>]]></description></item>
<item><guid>teaser-2</guid><title>Teaser</title><link>{base}/story.html</link>
<description>More soon</description></item>
</channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_port}"
        routes = {
            "/story.html": ("text/html; charset=utf-8", PAGE.encode()),
            "/feed.xml": ("application/rss+xml", feed(base).encode()),
            "/big.html": ("text/html", b"<p>" + b"x" * 50_000 + b"</p>"),
        }
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path in routes:
            content_type, body = routes[self.path]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_internal_addresses_are_recognised(address: str):
    assert is_internal(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_not_internal(address: str):
    assert not is_internal(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8080/x",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data",
    ],
)
def test_urls_to_internal_hosts_are_refused_with_the_way_out(url: str):
    with pytest.raises(FetchError, match="--allow-private"):
        check_url(url)


def test_only_http_schemes_are_fetched():
    with pytest.raises(FetchError, match="only http and https"):
        check_url("file:///etc/passwd", allow_private=True)


def test_a_redirect_from_a_public_host_to_an_internal_one_is_refused(monkeypatch):
    monkeypatch.setattr(
        "khabar.ingest.remote.resolve", lambda host: ["93.184.216.34"] if host == "news.example" else [host]
    )
    requested: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://127.0.0.1/admin"})

    client = httpx.Client(transport=httpx.MockTransport(answer))
    with client, pytest.raises(FetchError, match="refused"):
        fetch("http://news.example/story", client=client)
    assert requested == ["http://news.example/story"]


def test_ingesting_a_loopback_url_needs_allow_private(server: str):
    (refused,) = list(ingest([f"{server}/story.html"]))
    assert isinstance(refused, InputError) and "refused" in refused.reason
    (doc,) = list(ingest([f"{server}/story.html"], allow_private=True))
    assert isinstance(doc, RawDoc)
    assert doc.url == f"{server}/story.html" and doc.title == "Market hit" and "Parachinar" in doc.text


def test_redirect_loops_error_and_oversized_bodies_stop(server: str):
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(f"{server}/loop", allow_private=True)
    with pytest.raises(FetchError, match="too large"):
        fetch(f"{server}/big.html", allow_private=True, max_bytes=10_000)
    with pytest.raises(FetchError, match="404"):
        fetch(f"{server}/missing", allow_private=True)


def test_watch_yields_each_entry_once_and_fetches_teasers_links(server: str):
    naps: list[float] = []
    items = list(watch([f"{server}/feed.xml"], rounds=2, interval=30, allow_private=True, sleep=naps.append))
    assert [type(item) for item in items] == [RawDoc, RawDoc]
    full, teaser = items
    assert full.title == "Full story" and full.outlet == "Local Wire"
    assert teaser.url == f"{server}/story.html" and "Parachinar" in teaser.text and teaser.title == "Teaser"
    assert naps == [30]


def test_watch_skips_what_was_stored_before(server: str):
    items = list(watch([f"{server}/feed.xml"], rounds=1, seen={f"{server}/full"}, allow_private=True))
    assert [item.title for item in items] == ["Teaser"]


def test_cli_names_a_refused_url_and_exits_1_and_allow_private_lets_it_in(server: str, runner, tmp_path):
    from khabar.cli import app

    db = str(tmp_path / "k.db")
    refused = runner.invoke(app, ["ingest", f"{server}/story.html", "--db", db])
    assert refused.exit_code == 1
    assert "refused" in refused.output and "--allow-private" in refused.output
    allowed = runner.invoke(app, ["ingest", f"{server}/story.html", "--db", db, "--allow-private"])
    assert allowed.exit_code == 0, allowed.output
    assert "1 added" in allowed.output
