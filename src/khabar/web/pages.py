"""pages: the HTML pages of `khabar serve` (#6), rendered on the server from web/templates/.

Each route reads its parameters (the same as the API's, so a page URL is a shareable filter),
asks the store or views.py, and renders a template. Jinja's autoescape is on for every template:
no string from an article reaches the page unescaped; the only markup inserted as is comes from
`views.marked_text` and the report's SVG charts, which escape what they hold themselves.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..models import PLOVER_TYPES, Event, Mention
from ..report import charts
from ..report.brief.sections import date_text, toll_text
from ..report.series import actor_graph
from ..store.repository import Store
from . import views
from .auth import COOKIE, Reading, known
from .params import STATUSES, EventPageQuery, EventQuery, Limit, Offset

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

NAV = (
    ("/", "Overview"),
    ("/events", "Events"),
    ("/map", "Map"),
    ("/articles", "Articles"),
    ("/contradictions", "Contradictions"),
    ("/actors", "Actors"),
    ("/sources", "Sources"),
)
#: the most events one map or timeline draws
CHART_EVENTS = 5000
#: the most events of each role an actor page lists
ACTOR_LIST = 50


@functools.cache
def templates() -> Jinja2Templates:
    env = Environment(
        loader=PackageLoader("khabar", "web/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(when=date_text, toll=toll_text, web_url=_web_url)
    env.globals.update(nav=NAV, urlencode=urlencode, types=PLOVER_TYPES, statuses=STATUSES)
    return Jinja2Templates(env=env)


def _web_url(url: str | None) -> str | None:
    """The URL if it is a web address; a `javascript:` or `data:` URL from a source is no link."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    return templates().TemplateResponse(request, name, context, status_code=status_code)


def render_error(request: Request, status: int, message: str, details: list[dict[str, Any]]) -> Response:
    """An error as a page (the API answers the same error as JSON)."""
    return _render(
        request, "error.html", status, active=None, status=status, message=message, details=details
    )


def _names(store: Store) -> dict[str, str]:
    return {actor.id: actor.name for actor in store.actors()}


def _pages(
    path: str, params: dict[str, str], *, offset: int, limit: int, total: int
) -> dict[str, str | None]:
    """Links to the previous and the next page (None where there is none), keeping the filters."""

    def at(start: int) -> str:
        return f"{path}?{urlencode(params | {'offset': str(start)})}"

    return {
        "previous": at(max(0, offset - limit)) if offset > 0 else None,
        "next": at(offset + limit) if offset + limit < total else None,
    }


# ---- pages ---------------------------------------------------------------------------------------


@router.get("/")
def overview_page(request: Request, store: Reading) -> Response:
    return _render(request, "overview.html", active="/", view=views.overview(store), names=_names(store))


@router.get("/events")
def events_page(request: Request, store: Reading, query: Annotated[EventPageQuery, Query()]) -> Response:
    found = store.find_events(query.where(), sort=query.sort, limit=query.limit, offset=query.offset)
    timeline = None
    if query.view == "timeline":
        dated = store.find_events(query.where(), sort="date", limit=CHART_EVENTS).events
        timeline = Markup(charts.events_per_day(dated))
    return _render(
        request,
        "events.html",
        active="/events",
        query=query,
        page=found,
        pages=_pages("/events", query.params(), offset=query.offset, limit=query.limit, total=found.total),
        timeline=timeline,
        names=_names(store),
    )


@router.get("/events/{event_id}")
def event_page(request: Request, event_id: str, store: Reading) -> Response:
    event = store.event(event_id)
    if event is None:
        raise HTTPException(404, f"no event with id {event_id!r}")
    detail = views.event_detail(store, event)
    claims = [m for m in detail.mentions if m.killed or m.injured]
    sources = {source.id: source for source in detail.sources}
    return _render(
        request,
        "event.html",
        active="/events",
        detail=detail,
        claims=claims,
        sources=sources,
        names=_names(store),
    )


@router.get("/articles")
def articles_page(
    request: Request, store: Reading, q: str | None = None, limit: Limit = 50, offset: Offset = 0
) -> Response:
    hits = store.search(q, limit=limit) if q and q.strip() else None
    articles = store.articles()
    shown = [views.article_summary(store, article) for article in articles[offset : offset + limit]]
    return _render(
        request,
        "articles.html",
        active="/articles",
        q=q or "",
        hits=hits,
        articles=shown,
        total=len(articles),
        pages=_pages("/articles", {}, offset=offset, limit=limit, total=len(articles)),
    )


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: str, store: Reading, mention: str | None = None) -> Response:
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    detail = views.article_detail(store, article)
    followed = next((m for m in detail.mentions if m.id == mention), None)
    anchors: dict[int, list[str]] = {}
    for item in detail.mentions:
        anchors.setdefault(_sentence(item)[0], []).append(f"mention-{item.id}")
    pieces = views.segments(
        article.text, detail.highlights, focus=_sentence(followed) if followed else None, anchors=anchors
    )
    return _render(
        request,
        "article.html",
        active="/articles",
        detail=detail,
        text=views.marked_text(pieces),
        followed=followed,
        kinds=views.KINDS,
        names=_names(store),
    )


def _sentence(mention: Mention) -> tuple[int, int]:
    """The mention's sentence in the text; its own span when the sentence's was not recorded."""
    start, end = mention.sentence_span
    return (start, end) if end > start else mention.span


@router.get("/actors")
def actors_page(request: Request, store: Reading, limit: Limit = 100, offset: Offset = 0) -> Response:
    actors = store.actors()
    return _render(
        request,
        "actors.html",
        active="/actors",
        actors=actors[offset : offset + limit],
        total=len(actors),
        pages=_pages("/actors", {}, offset=offset, limit=limit, total=len(actors)),
    )


@router.get("/actors/{actor_id}")
def actor_page(request: Request, actor_id: str, store: Reading) -> Response:
    detail = views.actor_detail(store, actor_id)
    if detail is None:
        raise HTTPException(404, f"no actor with id {actor_id!r}")
    as_actor, as_recipient = views.actor_events(store, actor_id)
    graph = actor_graph([*as_actor, *as_recipient], store.actors())
    return _render(
        request,
        "actor.html",
        active="/actors",
        detail=detail,
        as_actor=as_actor[:ACTOR_LIST],
        as_recipient=as_recipient[:ACTOR_LIST],
        network=Markup(charts.actor_network(graph, title=f"Around {detail.actor.name}")),
        names=_names(store),
    )


@router.get("/contradictions")
def contradictions_page(request: Request, store: Reading) -> Response:
    found = views.ranked(store.contradictions())
    events = {c.about_event: store.event(c.about_event) for c in found if c.about_event}
    return _render(
        request,
        "contradictions.html",
        active="/contradictions",
        contradictions=found,
        events=events,
        names=_names(store),
    )


@router.get("/map")
def map_page(request: Request, store: Reading, query: Annotated[EventQuery, Query()]) -> Response:
    found = store.find_events(query.where(), sort="date", limit=CHART_EVENTS)
    located = [event for event in found.events if _located(event)]
    return _render(
        request,
        "map.html",
        active="/map",
        query=query,
        total=found.total,
        located=located,
        chart=Markup(charts.event_map(located)),
    )


def _located(event: Event) -> bool:
    return event.location is not None and None not in (event.location.lat, event.location.lon)


@router.get("/sources")
def sources_page(request: Request, store: Reading) -> Response:
    articles = [views.article_summary(store, article) for article in store.articles()]
    articles.sort(key=lambda a: (a.outlet or "", -(a.credibility or 0), a.id))
    return _render(
        request, "sources.html", active="/sources", outlets=views.outlets(store), articles=articles
    )


# ---- signing in (only with --auth) ---------------------------------------------------------------


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return _render(request, "login.html", active=None, next=_local(next), failed=False)


@router.post("/login")
def login(request: Request, token: Annotated[str, Form()], next: Annotated[str, Form()] = "/") -> Response:
    store: Store = request.app.state.store
    if not known(store, token.strip()):
        return _render(request, "login.html", 403, active=None, next=_local(next), failed=True)
    response = RedirectResponse(_local(next), status_code=303)
    # HttpOnly: page scripts cannot read it; SameSite=Strict: other sites' requests do not carry it
    response.set_cookie(COOKIE, token.strip(), httponly=True, samesite="strict", max_age=30 * 86400)
    return response


def _local(target: str) -> str:
    """Only a path on this server: `next=https://elsewhere` must not turn sign-in into a redirector."""
    return target if target.startswith("/") and not target.startswith("//") else "/"
