"""auth: who may read and write through `khabar serve` (#6).

Tokens are made by `khabar token create` (`create_token`) and stored as SHA-256 digests
(`Store.add_token`). Reads are public unless the app runs with `--auth`; then an API client sends
`Authorization: Bearer <token>` and a browser signs in once at /login, which keeps the token in an
HttpOnly cookie. Writes always need the header: the cookie never authorises a write, so a page on
another site cannot make a signed-in browser submit articles (no CSRF). Each token may write only
`limit` times per `window` seconds (`RateLimit`).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from ..store.repository import Store

TOKEN_PREFIX = "khabar_"
COOKIE = "khabar_token"


class AuthError(Exception):
    """The request lacks a token it needs (401) or sends one khabar does not know (403)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class RateLimited(Exception):
    """A token wrote too often; `retry_after` seconds until it may write again."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many writes; try again in {retry_after:.0f} s")
        self.retry_after = retry_after


def digest(token: str) -> str:
    """The SHA-256 hex digest a token is stored under. A plain hash suffices: tokens are 256
    random bits, so there is no dictionary to guess from."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, name: str) -> str:
    """Make a token, store its digest and return the token (the only time it is seen).

    store (Store): the database the server reads.
    name (str): who or what the token is for.
    RETURNS (str): the token, "khabar_" and 43 URL-safe characters.
    """
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    store.add_token(name, digest(token))
    return token


def bearer(request: Request) -> str | None:
    """The token of an `Authorization: Bearer` header, if any."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def known(store: Store, token: str) -> bool:
    return store.token(digest(token)) is not None


def check_read(request: Request, store: Store, *, required: bool) -> None:
    """RAISES AuthError: reads need a token and the request has no valid one (header or cookie)."""
    if not required:
        return
    token = bearer(request) or request.cookies.get(COOKIE)
    if token is None:
        raise AuthError(401, "this server needs a token to read: send 'Authorization: Bearer <token>'")
    if not known(store, token):
        raise AuthError(403, "unknown token: make one with `khabar token create`")


async def reading(request: Request) -> Store:
    """The app's store, once the request may read (with --auth: it carries a known token); the
    dependency of every read route, page or API. Async, so a public read costs no thread."""
    store: Store = request.app.state.store
    if request.app.state.settings.auth:
        await run_in_threadpool(check_read, request, store, required=True)
    return store


Reading = Annotated[Store, Depends(reading)]


def check_write(request: Request, store: Store) -> str:
    """The writing token's digest. RAISES AuthError: no Bearer header, or an unknown token."""
    token = bearer(request)
    if token is None:
        raise AuthError(
            401, "writing needs a token: send 'Authorization: Bearer <token>' (see `khabar token create`)"
        )
    if not known(store, token):
        raise AuthError(403, "unknown token: make one with `khabar token create`")
    return digest(token)


class RateLimit:
    """At most `limit` writes per `window` seconds for each key (a token's digest)."""

    def __init__(self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Count one write. RAISES RateLimited: the key used up its writes in this window."""
        now = self._clock()
        with self._lock:
            seen = self._seen[key]
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                raise RateLimited(seen[0] + self.window - now)
            seen.append(now)
