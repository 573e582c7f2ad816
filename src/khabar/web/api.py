"""api: the REST API under /api/ (#6): each route reads its parameters, calls the store or a
report function, and returns what they give. Described by /api/openapi.json.

Lists are pages in a stable order (`items`, `total`, `limit`, `offset`, `next`); errors have one
shape (app.py). Reads are public unless the server runs with --auth; writes (POST
/api/articles) always need `Authorization: Bearer <token>` and are rate-limited per token.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

import anyio
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import ValidationError

from ..ingest import Metadata, ingest
from ..ingest.readers import read
from ..models import Actor, Contradiction, Event, Place
from ..report import brief as report_brief
from ..report import formats
from ..store.convert import to_jsonable
from ..store.repository import SearchHit, Store
from . import views
from .auth import Reading, check_write
from .jobs import Job, QueueFull, Reader
from .params import EventQuery, Limit, Offset
from .schemas import (
    ActorDetail,
    ArticleDetail,
    ArticleSummary,
    ErrorResponse,
    EventDetail,
    Outlet,
    Overview,
    Submission,
)
from .schemas import Page as PageOf

T = TypeVar("T")

router = APIRouter(
    prefix="/api",
    responses={status: {"model": ErrorResponse} for status in (400, 401, 403, 404, 422)},
)

EXPORT_TYPES = {
    "json": ("application/json", "json"),
    "jsonl": ("application/x-ndjson", "jsonl"),
    "acled-csv": ("text/csv", "csv"),
    "geojson": ("application/geo+json", "geojson"),
    "graphml": ("application/xml", "graphml"),
    "gexf": ("application/xml", "gexf"),
}
#: the brief's HTML is one self-contained page with inline CSS; it may use that and nothing else
BRIEF_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
SUBMIT_TYPES = ("application/json", "text/plain", "text/html")
EVENTS_THREADS = 2
#: metadata a raw text or HTML submission may give as query parameters
METADATA = ("title", "outlet", "published", "url", "author")


def _events_limiter(request: Request) -> anyio.CapacityLimiter:
    """The events list's own few threads: its work is Python and SQLite holding the GIL, so more
    threads at once only take turns more often (measured: a quarter more CPU per request with
    40 threads than with 2, at 8 concurrent clients). Made on first use, on the event loop."""
    state = request.app.state
    if getattr(state, "events_limiter", None) is None:
        state.events_limiter = anyio.CapacityLimiter(EVENTS_THREADS)
    return state.events_limiter


def _next(request: Request, total: int, limit: int, offset: int) -> str | None:
    if offset + limit >= total:
        return None
    url = request.url.include_query_params(offset=offset + limit)
    return f"{url.path}?{url.query}"


def _page(request: Request, items: Sequence[T], limit: int, offset: int) -> dict[str, Any]:
    """A page of a list that is small enough to hold whole (articles, actors, contradictions)."""
    return {
        "items": list(items[offset : offset + limit]),
        "total": len(items),
        "limit": limit,
        "offset": offset,
        "next": _next(request, len(items), limit, offset),
    }


def _missing(what: str, key: str) -> HTTPException:
    return HTTPException(404, f"no {what} with id {key!r}")


# ---- reading -------------------------------------------------------------------------------------


@router.get("/overview", response_model=Overview, summary="Key numbers, latest events, disagreements")
def get_overview(store: Reading) -> Overview:
    return views.overview(store)


@router.get("/events", response_model=PageOf[Event], summary="Events, filtered, sorted and paged")
async def list_events(
    request: Request, store: Reading, query: Annotated[EventQuery, Query()]
) -> dict[str, Any]:
    page = {"sort": query.sort, "limit": query.limit, "offset": query.offset}
    find = functools.partial(store.find_events, query.where(), **page)
    found = await anyio.to_thread.run_sync(find, limiter=_events_limiter(request))
    return {
        "items": found.events,
        "total": found.total,
        "limit": query.limit,
        "offset": query.offset,
        "next": _next(request, found.total, query.limit, query.offset),
    }


@router.get("/events/{event_id}", response_model=EventDetail, summary="One event, its mentions and sources")
def get_event(event_id: str, store: Reading) -> EventDetail:
    event = store.event(event_id)
    if event is None:
        raise _missing("event", event_id)
    return views.event_detail(store, event)


@router.get("/articles", response_model=PageOf[ArticleSummary], summary="Stored articles")
def list_articles(
    request: Request,
    store: Reading,
    outlet: Annotated[str | None, Query(description="Only this outlet's articles.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    articles = [a for a in store.articles() if outlet is None or a.outlet == outlet]
    page = _page(request, articles, limit, offset)
    page["items"] = [views.article_summary(store, article) for article in page["items"]]
    return page


@router.get(
    "/articles/{article_id}", response_model=ArticleDetail, summary="An article, with highlighted spans"
)
def get_article(article_id: str, store: Reading) -> ArticleDetail:
    article = store.article(article_id)
    if article is None:
        raise _missing("article", article_id)
    return views.article_detail(store, article)


@router.get("/actors", response_model=PageOf[Actor], summary="Actors named by the stored articles")
def list_actors(
    request: Request,
    store: Reading,
    kind: Annotated[str | None, Query(description="Only actors of this kind, e.g. militia.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    actors = [a for a in store.actors() if kind is None or a.kind == kind]
    return _page(request, actors, limit, offset)


@router.get("/actors/{actor_id}", response_model=ActorDetail, summary="An actor, its events and neighbours")
def get_actor(actor_id: str, store: Reading) -> ActorDetail:
    detail = views.actor_detail(store, actor_id)
    if detail is None:
        raise _missing("actor", actor_id)
    return detail


@router.get("/places", response_model=PageOf[Place], summary="Places named by the stored articles")
def list_places(
    request: Request,
    store: Reading,
    country: Annotated[str | None, Query(description="Only places in this country (ISO alpha-2).")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    wanted = country.upper() if country else None
    places = [p for p in store.places() if wanted is None or p.country == wanted]
    return _page(request, places, limit, offset)


@router.get("/contradictions", response_model=PageOf[Contradiction], summary="Where the sources disagree")
def list_contradictions(
    request: Request,
    store: Reading,
    event: Annotated[str | None, Query(description="Only those about this event id.")] = None,
    severity: Literal["high", "medium", "low"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    found = [
        c
        for c in views.ranked(store.contradictions())
        if (event is None or c.about_event == event) and (severity is None or c.severity == severity)
    ]
    return _page(request, found, limit, offset)


@router.get("/sources", response_model=list[Outlet], summary="Outlets and the credibility of their articles")
def list_sources(store: Reading) -> list[Outlet]:
    return views.outlets(store)


@router.get("/search", response_model=list[SearchHit], summary="Full-text search of the articles")
def search(
    store: Reading,
    q: Annotated[str, Query(min_length=1, description='Words, "a phrase", AND/OR/NOT, prefix*.')],
    limit: Limit = 20,
) -> list[SearchHit]:
    return store.search(q, limit=limit)


@router.get("/brief", summary="The briefing, as JSON, Markdown or a self-contained HTML page")
def get_brief(
    store: Reading,
    since: date | None = None,
    until: date | None = None,
    country: Annotated[str | None, Query(description="ISO code or name.")] = None,
    actor: Annotated[str | None, Query(description="Actor id, name, alias or country code.")] = None,
    format: Literal["json", "markdown", "html"] = "json",
) -> Response:
    report = report_brief.brief(store, since=since, until=until, country=country, actor=actor)
    if format == "markdown":
        return PlainTextResponse(report_brief.render_markdown(report), media_type="text/markdown")
    if format == "html":
        return HTMLResponse(report_brief.render_html(report), headers={"content-security-policy": BRIEF_CSP})
    return JSONResponse(to_jsonable(report))


@router.get("/exports/{fmt}", summary="The whole record in one export format")
def get_export(fmt: str, store: Reading) -> Response:
    content = formats.export(store, fmt)
    media_type, extension = EXPORT_TYPES.get(fmt, ("application/octet-stream", "txt"))
    disposition = f'attachment; filename="khabar.{extension}"'
    return Response(content, media_type=media_type, headers={"content-disposition": disposition})


@router.get("/jobs/{job_id}", response_model=Job, summary="What became of a submitted article")
def get_job(job_id: str, request: Request, _store: Reading) -> Job:
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise _missing("job", job_id)
    return job


# ---- writing -------------------------------------------------------------------------------------


@router.post(
    "/articles",
    status_code=202,
    response_model=Job,
    summary="Submit an article; it is processed in the background",
    responses={413: {"model": ErrorResponse}, 415: {"model": ErrorResponse}, 429: {"model": ErrorResponse}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": Submission.model_json_schema()},
                "text/plain": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
            },
        }
    },
)
async def submit_article(request: Request) -> JSONResponse:
    """JSON ({"text"} or {"html"} with metadata, or {"url"} alone with --allow-fetch), or the
    raw text or HTML with metadata as query parameters (title, outlet, published, url, author).
    Poll the returned job at /api/jobs/{id}."""
    store: Store = request.app.state.store
    token = await run_in_threadpool(check_write, request, store)
    request.app.state.write_limit.hit(token)
    submission = _submission(request, await request.body())
    reader = _reader(request, submission)
    try:
        job = request.app.state.jobs.submit(submission.url or "POST /api/articles", reader)
    except QueueFull:
        message = "too many articles are waiting; try again in a minute"
        raise HTTPException(503, message, {"retry-after": "60"}) from None
    return JSONResponse(to_jsonable(job), status_code=202, headers={"location": f"/api/jobs/{job.id}"})


def _submission(request: Request, body: bytes) -> Submission:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in SUBMIT_TYPES:
        raise HTTPException(
            415, f"send the article as one of {', '.join(SUBMIT_TYPES)} (got {kind or 'no Content-Type'!r})"
        )
    try:
        if kind == "application/json":
            return Submission.model_validate_json(body)
        text = body.decode("utf-8", errors="replace")
        fields = {"text" if kind == "text/plain" else "html": text}
        metadata = {k: v for k, v in request.query_params.items() if k in METADATA}
        return Submission.model_validate(fields | metadata)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None


def _reader(request: Request, submission: Submission) -> Reader:
    metadata = Metadata(
        title=submission.title,
        url=submission.url,
        published=submission.published,
        outlet=submission.outlet,
        author=submission.author,
    )
    if submission.text is None and submission.html is None:
        if not request.app.state.settings.allow_fetch:
            raise HTTPException(
                403, "this server does not fetch URLs (start it with --allow-fetch); send the text or html"
            )
        url = submission.url or ""
        return lambda: ingest([url], metadata=metadata, allow_private=False)
    fmt, content = ("text", submission.text) if submission.text is not None else ("html", submission.html)
    data = (content or "").encode("utf-8")
    name = submission.url or "POST /api/articles"
    return lambda: _applied(read(name, data, fmt=fmt), metadata)


def _applied(items: Iterable[Any], metadata: Metadata) -> Iterable[Any]:
    return [metadata.apply(item) if not isinstance(item, Exception) else item for item in items]
