"""The REST API (#6): every read endpoint on a hand-made record, the one error shape, bad
parameters answered with a 4xx that names them (never a 500), and the security headers."""

from __future__ import annotations

import json

import pytest
from web_record import HOSTILE, OUTLET_X, TEXT_A, span_of

from khabar.store.repository import EVENT_SORTS
from khabar.web.params import EventSort


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


def test_web_api_overview_counts_the_record(client):
    view = client.get("/api/overview").json()
    assert view["counts"] == {"articles": 3, "mentions": 4, "events": 3, "contradictions": 1, "actors": 2}
    assert [e["id"] for e in view["latest_events"]][:2] == ["ev2", "ev1"]
    assert view["contradictions"][0]["id"] == "c1"


def test_web_api_events_are_filtered_sorted_and_paged(client):
    assert _ids(client.get("/api/events")) == ["ev1", "ev2", "ev3"]
    assert _ids(client.get("/api/events?since=2024-03-05&until=2024-03-05")) == ["ev1"]
    assert _ids(client.get("/api/events?type=fight")) == ["ev2"]
    assert _ids(client.get("/api/events?actor=ARMY&role=recipient")) == ["ev1"]
    assert _ids(client.get("/api/events?country=XX&min_corroboration=2")) == ["ev1"]
    assert _ids(client.get("/api/events?place=P_HILL")) == ["ev2"]
    assert _ids(client.get("/api/events?status=disputed")) == ["ev1"]
    assert _ids(client.get("/api/events?sort=-date")) == ["ev2", "ev1", "ev3"]
    first = client.get("/api/events?limit=2&sort=-killed").json()
    assert first["total"] == 3 and len(first["items"]) == 2
    assert first["items"][0]["id"] == "ev1" and first["items"][0]["killed"]["low"] == 3
    second = client.get(first["next"]).json()
    assert [e["id"] for e in second["items"]] != [] and second["next"] is None
    assert "sort=-killed" in first["next"] and "offset=2" in first["next"]


def test_web_api_event_has_its_mentions_sources_and_disagreement(client):
    detail = client.get("/api/events/ev1").json()
    assert detail["event"]["title"] == "Militia attack a checkpoint in Riverton"
    assert [m["id"] for m in detail["mentions"]] == ["art-a:m1", "art-b:m1"]
    assert {s["id"]: s["credibility_label"] for s in detail["sources"]} == {
        "art-a": "high",
        "art-b": "medium",
    }
    assert [c["id"] for c in detail["contradictions"]] == ["c1"]
    _error(client.get("/api/events/nope"), 404)


def test_web_api_article_has_text_and_highlighted_spans(client):
    detail = client.get("/api/articles/art-a").json()
    assert detail["text"] == TEXT_A
    kinds = {(h["kind"], TEXT_A[h["start"] : h["end"]]) for h in detail["highlights"]}
    assert {("event", "attacked"), ("actor", "Militia fighters"), ("place", "Riverton")} <= kinds
    assert {("date", "on Tuesday"), ("toll", "three soldiers"), ("source", "the army said")} <= kinds
    assert detail["credibility"]["signals"][0]["name"] == "named_source"
    assert "raw" not in detail
    _error(client.get("/api/articles/nope"), 404)


def test_web_api_article_text_comes_back_unaltered(client):
    # JSON carries the hostile text as data; the pages are where it must be escaped
    assert HOSTILE in client.get("/api/articles/art-x").json()["text"]


def test_web_api_lists_articles_actors_places(client):
    assert _ids(client.get("/api/articles")) == ["art-a", "art-b", "art-x"]
    assert _ids(client.get("/api/articles?outlet=Other Times")) == ["art-b"]
    assert _ids(client.get("/api/actors")) == ["ARMY", "MIL"]
    assert _ids(client.get("/api/actors?kind=militia")) == ["MIL"]
    assert _ids(client.get("/api/places?country=xx&limit=1&offset=1")) == ["P_RIVER"]


def test_web_api_actor_has_roles_counts_and_neighbours(client):
    detail = client.get("/api/actors/ARMY").json()
    assert detail["events_as_actor"] == 1 and detail["events_as_recipient"] == 1
    assert detail["neighbours"] == [
        {"id": "MIL", "name": "Riverton Militia", "acted_on": 0, "acted_on_by": 1}
    ]
    assert [c["id"] for c in detail["contradictions"]] == ["c1"]
    _error(client.get("/api/actors/nope"), 404)


def test_web_api_contradictions_sources_and_search(client):
    assert _ids(client.get("/api/contradictions?event=ev1&severity=high")) == ["c1"]
    assert _ids(client.get("/api/contradictions?event=ev2")) == []
    outlets = {o["outlet"]: o for o in client.get("/api/sources").json()}
    assert outlets["Daily Example"]["mean_credibility"] == 0.72
    assert outlets[OUTLET_X]["assessed"] == 0
    hits = client.get("/api/search", params={"q": "checkpoint"}).json()
    assert {hit["article"] for hit in hits} == {"art-a", "art-b"}


def test_web_api_brief_in_three_formats(client):
    assert client.get("/api/brief").json()["counts"]["events"] == 3
    assert client.get("/api/brief?since=2024-03-07").json()["counts"]["events"] == 1
    markdown = client.get("/api/brief?format=markdown")
    assert markdown.headers["content-type"].startswith("text/markdown") and "Riverton" in markdown.text
    page = client.get("/api/brief?format=html")
    assert page.text.lstrip().lower().startswith("<!doctype html")
    # the brief inlines its CSS: its own policy allows that and still no script at all
    policy = page.headers["content-security-policy"]
    assert "style-src 'unsafe-inline'" in policy and "script" not in policy
    assert "<script>alert" not in page.text


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("json", "application/json"),
        ("geojson", "application/geo+json"),
        ("acled-csv", "text/csv"),
        ("graphml", "application/xml"),
        ("gexf", "application/xml"),
        ("jsonl", "application/x-ndjson"),
    ],
)
def test_web_api_exports_each_format(client, fmt, media):
    response = client.get(f"/api/exports/{fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert "attachment" in response.headers["content-disposition"]
    if fmt == "geojson":
        assert len(json.loads(response.text)["features"]) == 2


def test_web_api_openapi_documents_every_route(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/overview",
        "/api/events",
        "/api/events/{event_id}",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/actors",
        "/api/actors/{actor_id}",
        "/api/places",
        "/api/contradictions",
        "/api/sources",
        "/api/search",
        "/api/brief",
        "/api/exports/{fmt}",
        "/api/jobs/{job_id}",
    } <= set(paths)
    assert "post" in paths["/api/articles"]
    assert not any(path.startswith("/events") for path in paths), "pages are not part of the API"


def test_web_api_sort_names_match_the_store():
    assert set(EventSort.__args__) == set(EVENT_SORTS)


@pytest.mark.parametrize(
    ("url", "status", "parameter"),
    [
        ("/api/events?since=yesterday", 422, "since"),
        ("/api/events?type=BOMBING", 422, "type"),
        ("/api/events?sort=title", 422, "sort"),
        ("/api/events?limit=0", 422, "limit"),
        ("/api/events?limit=100000", 422, "limit"),
        ("/api/events?offset=-1", 422, "offset"),
        ("/api/events?min_corroboration=lots", 422, "min_corroboration"),
        ("/api/events?role=bystander", 422, "role"),
        ("/api/events?colour=red", 422, "colour"),
        ("/api/events?since=2024-03-09&until=2024-03-01", 422, None),
        ("/api/articles?limit=-5", 422, "limit"),
        ("/api/contradictions?severity=extreme", 422, "severity"),
        ("/api/search", 422, "q"),
        ("/api/brief?format=pdf", 422, "format"),
        ("/api/brief?until=soon", 422, "until"),
    ],
)
def test_web_api_bad_parameters_are_named(client, url, status, parameter):
    error = _error(client.get(url), status)
    assert error["code"] == "bad_parameter"
    assert [d["parameter"] for d in error["details"]] == [parameter]
    if parameter:
        assert parameter in error["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?q=%22unclosed",
        "/api/search?q=AND",
        "/api/exports/pdf",
        "/api/brief?country=Atlantis",
        "/api/brief?actor=nobody-at-all",
        "/api/brief?since=2024-03-09&until=2024-03-01",
    ],
)
def test_web_api_what_the_library_refuses_is_a_400(client, url):
    error = _error(client.get(url), 400)
    assert "khabar.db" not in error["message"] and "record.db" not in error["message"]


JUNK = [
    "",
    " ",
    "-1",
    "0",
    "1e309",
    "NaN",
    "%00",
    "../../etc/passwd",
    "'; DROP TABLE events; --",
    "\u202e",
    "x" * 3000,
]


@pytest.mark.parametrize("value", JUNK)
def test_web_api_junk_parameters_never_break_the_server(client, value):
    params = [
        "since",
        "until",
        "type",
        "actor",
        "role",
        "country",
        "place",
        "status",
        "min_corroboration",
        "sort",
    ]
    for url in ("/api/events", "/api/articles", "/api/actors", "/api/places", "/api/contradictions"):
        for name in params if url == "/api/events" else ["limit", "offset"]:
            response = client.get(url, params={name: value})
            assert response.status_code < 500, (url, name, value, response.text)
    for url in ("/api/search", "/api/events/{}", "/api/articles/{}", "/api/actors/{}", "/api/jobs/{}"):
        response = client.get(url.format(value) if "{}" in url else url, params={"q": value})
        assert response.status_code < 500, (url, value, response.text)


def test_web_api_unknown_route_and_method(client):
    assert "openapi.json" in _error(client.get("/api/nothing-here"), 404)["message"]
    assert _error(client.delete("/api/events"), 405)["code"] == "method_not_allowed"


def test_web_api_responses_carry_security_headers(client):
    headers = client.get("/api/events").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_web_api_interactive_docs_are_not_served(client):
    # FastAPI's /docs loads its scripts from a CDN; khabar serves nothing from elsewhere
    assert client.get("/docs").status_code == 404


def test_web_api_highlight_offsets_point_into_the_text(client):
    detail = client.get("/api/articles/art-a").json()
    assert all(0 <= h["start"] < h["end"] <= len(detail["text"]) for h in detail["highlights"])
    assert span_of(TEXT_A, "attacked") in {(h["start"], h["end"]) for h in detail["highlights"]}
