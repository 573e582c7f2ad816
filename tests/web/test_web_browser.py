"""The web application in a real browser (#6): `khabar serve` runs in a subprocess on a free
loopback port over a database the real pipeline filled from the sample corpus plus one hostile
article; Debian's headless Chromium, driven by Playwright, walks the pages. Screenshots of each
page go to artifacts/web/ (gitignored)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from khabar import pipeline
from khabar.store.repository import EventFilter, Store

pytestmark = [pytest.mark.slow, pytest.mark.network]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "web"
HOSTILE_TEXT = (
    "Clashes erupted near the Torkham border crossing on 12 October 2025, police said. "
    "A resident wrote <script>alert('xss')</script> and <img src=x onerror=\"alert(1)\"> on a wall. "
    "Two people were injured in the clashes, according to local officials."
)
HOSTILE_META = {
    "title": '<b onmouseover="alert(2)">Torkham</b> clashes',
    "outlet": '"><script>alert(3)</script>',
    "published": "2025-10-13",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _corpus(folder: Path) -> Path:
    """The shipped samples and the hostile article, with its sidecar of hostile metadata."""
    folder.mkdir()
    for sample in resources.files("khabar").joinpath("samples").iterdir():
        if sample.name.endswith(".txt"):
            folder.joinpath(sample.name).write_bytes(sample.read_bytes())
    folder.joinpath("hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    folder.joinpath("hostile.meta.json").write_text(json.dumps(HOSTILE_META), encoding="utf-8")
    return folder


def _wait_until_up(url: str, server: subprocess.Popen, *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"khabar serve stopped: {server.stderr.read() if server.stderr else ''}")
        try:
            if httpx.get(f"{url}/api/overview", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("khabar serve did not answer in time")


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[SimpleNamespace]:
    """The pipeline's record of the corpus, served by `khabar serve` on a free loopback port."""
    root = tmp_path_factory.mktemp("site")
    path = root / "site.db"
    with Store.open(path) as store:
        report = pipeline.run([str(_corpus(root / "corpus"))], store=store)
    assert report.ok and len(report.added) >= 6, report
    port = _free_port()
    command = [sys.executable, "-m", "khabar", "serve", "--db", str(path), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        store = Store.open(path)
        hostile = next(a.id for a in store.articles() if a.source.endswith("hostile.txt"))
        yield SimpleNamespace(url=url, store=store, hostile=hostile)
        store.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    if os.path.exists(ARTIFACTS):
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A page that records every dialog (a script that ran) and every console error (a broken
    asset, or something the Content-Security-Policy blocked)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.dialogs, tab.errors = [], []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()
    assert tab.dialogs == [], "a script from an article ran"
    assert tab.errors == []


def _shot(tab, name: str) -> None:
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _day_with_events(store: Store) -> str:
    days = [e.date.start for e in store.events() if e.date.precision == "day" and e.date.start]
    assert days, "the sample corpus has events dated to the day"
    return max(set(days), key=days.count).isoformat()


def test_browser_overview_loads(site, page):
    page.goto(site.url + "/")
    assert page.locator("h1").inner_text() == "Overview"
    counts = page.locator("ul.counts li strong").all_inner_texts()
    assert counts[0] == str(site.store.article_count()) and counts[2] == str(len(site.store.events()))
    _shot(page, "overview")


def test_browser_filters_events_to_one_day_then_follows_a_mention(site, page):
    day = _day_with_events(site.store)
    page.goto(site.url + "/events")
    page.fill("#since", day)
    page.fill("#until", day)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"**/events?since={day}&until={day}*")
    # the empty fields were left out of the shareable URL
    assert "type=" not in page.url and "actor=" not in page.url
    expected = [e.id for e in site.store.find_events(EventFilter(since=day, until=day)).events]
    shown = page.locator("tr[data-event]").evaluate_all("rows => rows.map(r => r.dataset.event)")
    assert shown == expected and shown
    _shot(page, "events-one-day")

    page.locator("tr[data-event] a").first.click()
    event = site.store.event(expected[0])
    assert page.locator("h1").inner_text() == event.title
    _shot(page, "event")

    page.locator("a.follow").first.click()
    mention = site.store.event_mentions(event.id)[0]
    page.wait_for_url(f"**/articles/{mention.article}?mention=*#mention-{mention.id}")
    focus = page.locator("mark.focus")
    assert "".join(focus.all_text_contents()) == mention.sentence
    assert focus.first.is_visible()
    box, height = focus.first.bounding_box(), page.viewport_size["height"]
    assert box and 0 <= box["y"] < height, "the browser scrolled to the sentence"
    assert page.locator(".article-text .hl-event").count() >= 1
    _shot(page, "article-mention")


def test_browser_map_has_one_marker_per_located_event(site, page):
    located = [e for e in site.store.events() if e.location and e.location.lat is not None]
    page.goto(site.url + "/map")
    assert page.locator("figure.map svg circle").count() == len(located) > 0
    assert page.locator("ul.located li[data-event]").count() == len(located)
    _shot(page, "map")


def test_browser_hostile_article_renders_as_text(site, page):
    page.goto(f"{site.url}/articles/{site.hostile}")
    text = page.locator(".article-text").inner_text()
    assert "<script>alert('xss')</script>" in text and '<img src=x onerror="alert(1)">' in text
    assert page.locator("main img").count() == 0 and page.locator("main b").count() == 0
    assert page.locator("h1").inner_text() == HOSTILE_META["title"]
    assert HOSTILE_META["outlet"] in page.locator(".byline").inner_text()
    _shot(page, "hostile-article")
    for path in ("/", "/articles", "/sources", "/events?sort=-date"):
        page.goto(site.url + path)
        assert page.locator("main img").count() == 0


@pytest.mark.parametrize(
    "path", ["/events?view=timeline", "/contradictions", "/sources", "/articles", "/actors"]
)
def test_browser_every_page_renders_cleanly(site, page, path):
    page.goto(site.url + path)
    assert page.locator("main h1").count() == 1
    _shot(page, path.strip("/").replace("?", "-").replace("=", "-"))


def test_browser_actor_page_shows_the_network(site, page):
    busiest = max(site.store.actors(), key=lambda a: site.store.find_events(EventFilter(actor=a.id)).total)
    page.goto(f"{site.url}/actors/{busiest.id}")
    assert page.locator("h1").inner_text() == busiest.name
    assert page.locator("figure.chart svg").count() == 1
    _shot(page, "actor")


def test_browser_pages_fit_a_phone(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    try:
        for path in ("/", "/events", "/map", f"/articles/{site.hostile}"):
            tab.goto(site.url + path)
            overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} is {overflow}px wider than a phone"
            _shot(tab, "phone" + path.replace("/", "-").rstrip("-"))
    finally:
        context.close()


def test_browser_keyboard_reaches_and_opens_the_events(site, page):
    page.goto(site.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Events":
            break
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused link is visibly marked"
    page.keyboard.press("Enter")
    page.wait_for_url("**/events")
    assert page.locator("h1").inner_text() == "Events"
