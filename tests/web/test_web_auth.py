"""auth: tokens are random, stored only as digests, and the write limit counts per token within a
sliding window."""

from __future__ import annotations

import pytest

from khabar.web.auth import TOKEN_PREFIX, RateLimit, RateLimited, create_token, digest


def test_web_auth_token_is_stored_only_as_its_digest(db):
    token = create_token(db, "bot")
    assert token.startswith(TOKEN_PREFIX) and len(token) > 40
    assert db.token(digest(token)).name == "bot"
    assert db.token(token) is None
    assert create_token(db, "bot") != token


def test_web_auth_rate_limit_slides_with_time():
    now = [0.0]
    limit = RateLimit(2, 10.0, clock=lambda: now[0])
    limit.hit("a")
    limit.hit("a")
    limit.hit("b")
    with pytest.raises(RateLimited) as caught:
        limit.hit("a")
    assert caught.value.retry_after == pytest.approx(10.0)
    now[0] = 10.5
    limit.hit("a")
    limit.hit("a")
    with pytest.raises(RateLimited):
        limit.hit("a")
