"""app: `create_app(store_url)` -> the FastAPI application behind `khabar serve` (#6).

The database (Store) -> the REST API under /api/ (api.py) and the pages at / (pages.py), with
static files from web/static/ and nothing fetched from elsewhere. This module holds what every
request goes through: the size limit on request bodies, the security headers (a strict Content
Security Policy: scripts and styles only from this server, so even markup that slipped through
would not run), and the one error shape: `{"error": {"status", "code", "message", "details"}}` for
the API, the same message on an HTML page for the pages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import KhabarError, StoreError
from ..store.repository import Store
from . import api, pages
from .auth import AuthError, RateLimit, RateLimited
from .jobs import Jobs

__all__ = ["MAX_BODY", "Settings", "create_app", "error_body", "error_response"]

#: the largest request body accepted: a long article as HTML is well under a megabyte
MAX_BODY = 2 * 1024 * 1024
#: writes per token per minute
WRITE_LIMIT = 30
WRITE_WINDOW = 60.0
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}
STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "bad_parameter",
    429: "rate_limited",
    500: "server_error",
    503: "busy",
}

#: plainer words for pydantic's commonest complaints about a parameter
PROBLEMS = {
    "extra_forbidden": "not a parameter here (the parameters are listed in /api/openapi.json)",
    "date_parsing": "expected a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "expected a date written YYYY-MM-DD",
    "date_type": "expected a date written YYYY-MM-DD",
    "int_parsing": "expected a whole number",
    "missing": "required",
}


@dataclass(frozen=True)
class Settings:
    """How the server was started.

    auth (bool): reads need a token too (writes always do).
    allow_fetch (bool): POST /api/articles may name a URL for the server to fetch.
    max_body (int): the largest request body in bytes; bigger ones get 413.
    """

    auth: bool = False
    allow_fetch: bool = False
    max_body: int = MAX_BODY


def create_app(
    store_url: str | Path | None = None,
    *,
    auth: bool = False,
    allow_fetch: bool = False,
    max_body: int = MAX_BODY,
    write_limit: tuple[int, float] = (WRITE_LIMIT, WRITE_WINDOW),
) -> FastAPI:
    """The web application over one database.

    store_url (str | Path | None): a database path or URL, as for `Store.open` (None: KHABAR_DB
        or ./khabar.db).
    auth (bool): reads need a token (`khabar token create`); writes always need one.
    allow_fetch (bool): let clients submit a URL for the server to fetch (private and loopback
        addresses are still refused, as by `khabar ingest`).
    max_body (int): the largest request body accepted, in bytes.
    write_limit (tuple[int, float]): at most this many writes per this many seconds per token.
    RETURNS (FastAPI): the application; its lifespan starts and stops the job worker.
    RAISES StoreError: the database cannot be opened.
    """
    store = Store.open(store_url)
    jobs = Jobs(store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        jobs.start()
        yield
        jobs.stop()
        store.close()

    app = FastAPI(
        title="khabar",
        version=__version__,
        summary="A sourced, cross-checked record of events from news reports about armed conflict.",
        lifespan=lifespan,
        openapi_url="/api/openapi.json",
        # the interactive docs load their scripts from a CDN; khabar serves nothing from elsewhere
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.jobs = jobs
    app.state.settings = Settings(auth=auth, allow_fetch=allow_fetch, max_body=max_body)
    app.state.write_limit = RateLimit(*write_limit)
    _install_errors(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    static = resources.files("khabar.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.add_middleware(BodyLimit, max_body=max_body)
    app.add_middleware(SecurityHeaders)
    return app


# ---- errors --------------------------------------------------------------------------------------


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit:,} bytes; send less")


def error_body(status: int, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    code = STATUS_CODES.get(status, "error")
    return {"error": {"status": status, "code": code, "message": message, "details": details or []}}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", "")


def error_response(
    request: Request, status: int, message: str, details: list[dict[str, Any]] | None = None
) -> Response:
    """The API's JSON error, or for a page an HTML page saying the same."""
    if _wants_json(request):
        return JSONResponse(error_body(status, message, details), status_code=status)
    return pages.render_error(request, status, message, details or [])


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for problem in exc.errors():
        where = [str(part) for part in problem.get("loc", ()) if part not in ("query", "body", "path")]
        value = problem.get("input")
        message = str(problem.get("msg", "invalid")).removeprefix("Value error, ")
        detail = {
            "parameter": ".".join(where) or None,
            "problem": PROBLEMS.get(str(problem.get("type")), message),
        }
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            detail["given"] = str(value)[:200]
        details.append(detail)
    return details


def _validation_message(details: list[dict[str, Any]]) -> str:
    parts = []
    for detail in details:
        given = f" (got {detail['given']!r})" if "given" in detail else ""
        name = f"{detail['parameter']}: " if detail["parameter"] else ""
        parts.append(f"{name}{detail['problem']}{given}")
    return "bad request: " + "; ".join(parts)


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = _validation_details(exc)
        return error_response(request, 422, _validation_message(details), details)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}; the API's routes are listed in /api/openapi.json"
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        response = error_response(request, exc.status_code, message)
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(AuthError)
    async def unauthorised(request: Request, exc: AuthError) -> Response:
        if not _wants_json(request):
            # a browser is sent to sign in, and back to the page it asked for
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
        response = error_response(request, exc.status, exc.message)
        if exc.status == 401:
            response.headers["www-authenticate"] = "Bearer"
        return response

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, exc: RateLimited) -> Response:
        response = error_response(request, 429, str(exc))
        response.headers["retry-after"] = str(max(1, round(exc.retry_after)))
        return response

    @app.exception_handler(KhabarError)
    async def khabar_error(request: Request, exc: KhabarError) -> Response:
        # what the library refuses (a bad search query, an unknown export format) is the client's to
        # fix; a store error's source is the server's database path, which is none of its business
        message = exc.reason if isinstance(exc, StoreError) else str(exc)
        return error_response(request, 400, message)


# ---- middleware ----------------------------------------------------------------------------------


class BodyLimit:
    """Refuses a request body over `max_body` bytes with 413: at once when Content-Length says
    so, else as soon as the streamed body passes the limit."""

    def __init__(self, app: ASGIApp, *, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            status, message = (413, str(BodyTooLarge(self.max_body).detail))
            if not declared.isdigit():
                status, message = 400, "Content-Length is not a number"
            await JSONResponse(error_body(status, message), status_code=status)(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise BodyTooLarge(self.max_body)
            return message

        await self.app(scope, limited, send)


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # a response that set its own policy (the self-contained brief) keeps it
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)
