"""The HTML pages (#6), read through a TestClient: every page renders, filters live in the URL,
a followed mention's sentence is marked in its article, the map has one marker per located
event, and nothing from a source reaches the page unescaped."""

from __future__ import annotations

import re

import pytest
from web_record import HOSTILE, OUTLET_X, TEXT_A, TITLE_X

HTML = {"accept": "text/html"}
PAGES = [
    "/",
    "/events",
    "/events?view=timeline",
    "/events/ev1",
    "/articles",
    "/articles?q=checkpoint",
    "/articles/art-a",
    "/articles/art-x",
    "/actors",
    "/actors/ARMY",
    "/contradictions",
    "/map",
    "/sources",
    "/login",
]


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url, headers=HTML)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


@pytest.mark.parametrize("url", PAGES)
def test_web_pages_render(client, url):
    html = _page(client, url)
    assert html.startswith("<!doctype html>") and '<main id="main"' in html
    # every script comes from this server: the Content-Security-Policy forbids inline ones anyway
    assert re.findall(r"<script(?![^>]*\bsrc=\"/static/)", html) == []
    assert 'href="http' not in html.replace('href="https://daily.example/a"', "")


def test_web_pages_mark_the_current_section(client):
    assert '<a href="/map" aria-current="page">Map</a>' in _page(client, "/map")


def test_web_pages_escape_everything_from_a_source(client):
    html = _page(client, "/articles/art-x")
    assert HOSTILE not in html and "<img" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&#34;text&#34;)&lt;/script&gt;" in html
    assert "&lt;b onmouseover=&#34;alert(2)&#34;&gt;Hilltown&lt;/b&gt; clashes" in html
    for url in ("/", "/articles", "/sources", "/events/ev2", "/map", "/api/brief?format=html"):
        page = client.get(url, headers=HTML).text
        assert TITLE_X not in page and OUTLET_X not in page and "<script>alert" not in page, url


def test_web_pages_never_link_a_javascript_url(client):
    html = _page(client, "/articles/art-b")
    assert "javascript:alert(4)" in html and 'href="javascript:' not in html


def test_web_pages_followed_mention_is_marked_in_its_article(client):
    html = _page(client, "/articles/art-a?mention=art-a:m1")
    marked = re.findall(r'<mark class="focus">(.*?)</mark>', html, flags=re.S)
    assert marked, "the followed sentence is marked"
    text = re.sub(r"<[^>]+>", "", "".join(marked))
    assert text == TEXT_A.split("\n")[0]
    assert '<span class="anchor" id="mention-art-a:m1"></span>' in html
    assert '<span class="hl hl-event">attacked</span>' in html
    # unfollowed, nothing is marked, but every mention keeps its anchor
    plain = _page(client, "/articles/art-a")
    assert "<mark" not in plain and 'id="mention-art-a:m2"' in plain


def test_web_pages_event_links_each_mention_to_its_sentence(client):
    html = _page(client, "/events/ev1")
    assert 'href="/articles/art-a?mention=art-a%3Am1#mention-art-a:m1"' in html
    assert 'href="/articles/art-b?mention=art-b%3Am1#mention-art-b:m1"' in html
    # the two casualty claims side by side, with who made each
    assert "the army" in html and "a local official" in html
    assert "the army says three soldiers were killed, a local official five" in html


def test_web_pages_link_only_actors_that_have_a_page(client):
    html = _page(client, "/events/ev1")
    assert '<a href="/actors/ARMY">National Army</a>, CHECKPOINT_GUARDS' in html
    assert 'href="/actors/CHECKPOINT_GUARDS"' not in html


def test_web_pages_events_filters_are_in_the_url(client):
    html = _page(client, "/events?since=2024-03-07&until=2024-03-07&sort=-date")
    assert 'data-event="ev2"' in html and 'data-event="ev1"' not in html
    assert 'value="2024-03-07"' in html
    assert 'href="/api/events?since=2024-03-07&amp;until=2024-03-07&amp;sort=-date"' in html
    # an empty form field is no filter at all
    assert 'data-event="ev3"' in _page(client, "/events?since=&until=&type=&actor=&min_corroboration=")


def test_web_pages_events_pager_keeps_the_filters(client):
    html = _page(client, "/events?country=XX&limit=1")
    assert 'href="/events?country=XX&amp;limit=1&amp;offset=1" rel="next"' in html
    second = _page(client, "/events?country=XX&limit=1&offset=1")
    assert 'href="/events?country=XX&amp;limit=1&amp;offset=0" rel="prev"' in second


def test_web_pages_timeline_draws_the_filtered_events(client):
    html = _page(client, "/events?view=timeline&type=ASSAULT")
    assert "<svg" in html and "Events per day" in html


def test_web_pages_map_has_one_marker_per_located_event(client):
    html = _page(client, "/map")
    figure = re.search(r'<figure class="chart map" data-markers="(\d+)">(.*?)</figure>', html, flags=re.S)
    assert figure and figure.group(1) == "2"
    assert len(re.findall(r"<circle\b", figure.group(2))) == 2
    assert len(re.findall(r'<li data-event="', html)) == 2
    one_day = _page(client, "/map?since=2024-03-07")
    assert len(re.findall(r"<circle\b", one_day)) == 1


def test_web_pages_actor_shows_roles_and_network(client):
    html = _page(client, "/actors/ARMY")
    assert "1 as the doer, 1 as the target" in html
    assert "Around National Army" in html and 'href="/actors/MIL"' in html


def test_web_pages_errors_are_pages(client):
    assert "no event with id" in _page(client, "/events/nope", 404)
    html = _page(client, "/events?since=someday", 422)
    assert "since" in html and "YYYY-MM-DD" in html and "someday" in html
    assert "not a parameter here" in _page(client, "/map?colour=red", 422)


def test_web_pages_work_on_a_phone(client):
    html = _page(client, "/")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    css = client.get("/static/style.css").text
    assert "@media (max-width:" in css and ":focus-visible" in css and ".table-wrap" in css
