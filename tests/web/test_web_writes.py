"""Writing through the API (#6): POST /api/articles needs a token (never the sign-in cookie), is
rate-limited per token, bounded in size, refuses what it cannot read with a 4xx, and runs the real
pipeline in the background; URLs are fetched only with --allow-fetch and never from private
addresses. Reads behind --auth need a token; browsers sign in once."""

from __future__ import annotations

import time

import pytest

from khabar.web.auth import COOKIE

ARTICLE = (
    "Gunmen attacked a police post in Riverton on Monday, killing two officers, police said. "
    "The provincial governor condemned the attack."
)


def _auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    return error["message"]


def _wait(client, job_id: str, *, seconds: float = 300) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish")


def test_web_write_needs_a_bearer_token(client, token):
    response = client.post("/api/articles", json={"text": ARTICLE})
    assert "khabar token create" in _error(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"
    _error(
        client.post("/api/articles", json={"text": ARTICLE}, headers=_auth("khabar_guess")), 403, "forbidden"
    )


def test_web_write_is_not_authorised_by_the_sign_in_cookie(client, token):
    # the cookie lets a browser read; if it let it write, any site could post through it (CSRF)
    client.cookies.set(COOKIE, token)
    try:
        _error(client.post("/api/articles", json={"text": ARTICLE}), 401, "unauthorized")
    finally:
        client.cookies.clear()


@pytest.mark.parametrize(
    ("body", "headers", "status", "code", "says"),
    [
        (b"<p>hi</p>", {"content-type": "application/pdf"}, 415, "unsupported_media_type", "text/plain"),
        (b"{not json", {"content-type": "application/json"}, 422, "bad_parameter", "JSON"),
        (b"{}", {"content-type": "application/json"}, 422, "bad_parameter", "text or html"),
        (
            b'{"text": "a", "html": "<p>a</p>"}',
            {"content-type": "application/json"},
            422,
            "bad_parameter",
            "not both",
        ),
        (b'{"url": "HTTP:///etc/passwd"}', {"content-type": "application/json"}, 422, "bad_parameter", "web"),
        (
            b'{"url": "file:///etc/passwd"}',
            {"content-type": "application/json"},
            422,
            "bad_parameter",
            "http",
        ),
        (
            b'{"text": "x", "published": "last week"}',
            {"content-type": "application/json"},
            422,
            "bad_parameter",
            "published",
        ),
        (
            b'{"url": "https://news.example/a"}',
            {"content-type": "application/json"},
            403,
            "forbidden",
            "--allow-fetch",
        ),
    ],
)
def test_web_write_refuses_what_it_cannot_take(client, token, body, headers, status, code, says):
    response = client.post("/api/articles", content=body, headers=headers | _auth(token))
    assert says in _error(response, status, code)


def test_web_write_refuses_an_oversized_body(fresh):
    with fresh.make(max_body=1000) as client:
        declared = client.post(
            "/api/articles", content=b"x" * 1001, headers=_auth(fresh.token) | {"content-type": "text/plain"}
        )
        assert "1,000 bytes" in _error(declared, 413, "too_large")

        def chunks():
            # no Content-Length: the limit is enforced as the body streams in
            for _ in range(20):
                yield b"y" * 100

        streamed = client.post(
            "/api/articles", content=chunks(), headers=_auth(fresh.token) | {"content-type": "text/plain"}
        )
        _error(streamed, 413, "too_large")
        assert client.get("/api/articles").json()["total"] == 3


def test_web_write_is_rate_limited_per_token(fresh):
    with fresh.make(write_limit=(2, 60.0)) as client:
        for _ in range(2):
            _error(client.post("/api/articles", json={}, headers=_auth(fresh.token)), 422, "bad_parameter")
        limited = client.post("/api/articles", json={"text": ARTICLE}, headers=_auth(fresh.token))
        assert "too many writes" in _error(limited, 429, "rate_limited")
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        # reads are not writes
        assert client.get("/api/events").status_code == 200


@pytest.mark.slow
def test_web_write_runs_the_pipeline_in_the_background(fresh):
    with fresh.make() as client:
        response = client.post(
            "/api/articles",
            json={
                "text": ARTICLE,
                "title": "Police post attacked",
                "outlet": "Wire",
                "published": "2024-03-12",
            },
            headers=_auth(fresh.token),
        )
        assert response.status_code == 202, response.text
        job = response.json()
        assert job["state"] == "queued" and response.headers["location"] == f"/api/jobs/{job['id']}"
        done = _wait(client, job["id"])
        assert done["state"] == "done" and done["failed"] == [] and len(done["added"]) == 1
        article = client.get(f"/api/articles/{done['added'][0]}").json()
        assert (
            article["article"]["title"] == "Police post attacked" and article["article"]["outlet"] == "Wire"
        )
        assert article["mentions"], "the pipeline found the attack"
        assert done["events"] >= 3

        again = client.post(
            "/api/articles",
            content=ARTICLE.encode(),
            headers=_auth(fresh.token) | {"content-type": "text/plain"},
        )
        assert _wait(client, again.json()["id"])["already_stored"] == done["added"]

        body = ARTICLE.replace("Monday", "Friday")
        page = f"<html><head><title>Crossing closed</title></head><body><p>{body}</p></body></html>"
        html = client.post(
            "/api/articles?outlet=Gazette",
            content=page.encode(),
            headers=_auth(fresh.token) | {"content-type": "text/html"},
        )
        added = _wait(client, html.json()["id"])
        assert added["state"] == "done" and len(added["added"]) == 1, added
        assert client.get(f"/api/articles/{added['added'][0]}").json()["article"]["outlet"] == "Gazette"


def test_web_write_fetches_urls_only_on_public_addresses(fresh):
    with fresh.make(allow_fetch=True) as client:
        response = client.post(
            "/api/articles", json={"url": "http://127.0.0.1:9/secret"}, headers=_auth(fresh.token)
        )
        assert response.status_code == 202, response.text
        job = _wait(client, response.json()["id"])
        assert job["state"] == "done" and job["added"] == []
        assert len(job["failed"]) == 1 and "127.0.0.1" in job["failed"][0]


def test_web_unknown_job_is_a_404(client):
    _error(client.get("/api/jobs/0123456789abcdef"), 404, "not_found")


# ---- reading behind --auth -------------------------------------------------------------------------


def test_web_auth_reads_need_a_known_token(locked, token):
    _error(locked.get("/api/events"), 401, "unauthorized")
    _error(locked.get("/api/events", headers=_auth("khabar_wrong")), 403, "forbidden")
    assert locked.get("/api/events", headers=_auth(token)).json()["total"] == 3
    assert locked.get("/static/style.css").status_code == 200


def test_web_auth_browser_signs_in_once(locked, token):
    away = locked.get("/events?type=FIGHT", headers={"accept": "text/html"}, follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == "/login?next=%2Fevents%3Ftype%3DFIGHT"
    refused = locked.post("/login", data={"token": "khabar_wrong", "next": "/events"}, follow_redirects=False)
    assert refused.status_code == 403 and "not known" in refused.text
    signed = locked.post(
        "/login", data={"token": token, "next": "/events?type=FIGHT"}, follow_redirects=False
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/events?type=FIGHT"
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    try:
        assert "Clashes in Hilltown" in locked.get("/events?type=FIGHT").text
        assert locked.get("/api/events").status_code == 200
    finally:
        locked.cookies.clear()


def test_web_auth_sign_in_never_redirects_off_site(locked, token):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = locked.post("/login", data={"token": token, "next": target}, follow_redirects=False)
        assert response.headers["location"] == "/"
    locked.cookies.clear()
