"""charts: events, tolls, places and actors -> SVG charts, drawn offline without a plotting library.

Read by `report.brief` (inline in the HTML briefing) and by `khabar series` (`dyad_chart`). Each
function returns one self-contained `<svg>` string with a title, axis labels and a legend. Python
computes the geometry; the markup lives in report/templates/charts/*.svg.j2, rendered by Jinja
with autoescape on, so every label that comes from an article or the store is escaped. Country
outlines are Natural Earth 1:110m (public domain), shipped as report/templates/world-110m.geojson.
Ids inside a chart are prefixed with the chart's name, so several charts can share one HTML page.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..models import Event
from .series import ActorGraph, Edge, SeriesPoint, goldstein

__all__ = ["actor_network", "dyad_chart", "event_map", "events_per_day", "killed_per_day", "templates"]

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 150, 40, 48
#: Okabe-Ito colours, told apart by people with colour-blindness; yellow left out (unreadable on white)
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999")
CONFLICT, COOPERATION, NEUTRAL = "#C0392B", "#1F6FB2", "#8C8C8C"
#: a mean Goldstein score closer to 0 than this is drawn as neither conflict nor cooperation
NEUTRAL_BAND = 1.0
MAX_NODES = 24
NETWORK_WIDTH, NETWORK_SIZE = 720, 460
#: the map's plot height in pixels, and the fewest degrees it shows across
MAP_HEIGHT, MAP_SPAN = 340, 8.0
#: longer actor names are cut on the network (the full name is in the node's tooltip)
LABEL_CHARS = 24
#: about how wide one character of an 11px label is, to keep map labels from overlapping
LABEL_WIDTH = 6.2
OUTLINES = "report/templates/world-110m.geojson"

Scale = Callable[[Any], float]


@functools.cache
def templates() -> Environment:
    """The Jinja environment of report/templates: autoescape on, undefined names are errors."""
    env = Environment(
        loader=PackageLoader("khabar", "report/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["n"] = lambda value: f"{value:.1f}".removesuffix(".0")
    return env


def _render(name: str, title: str, *, width: int = WIDTH, height: int = HEIGHT, **context: Any) -> str:
    defaults = {"empty": False, "axes": None, "legend": [], "legend_at": (WIDTH - RIGHT + 12, TOP)}
    page = templates().get_template(f"charts/{name}.svg.j2")
    return page.render(defaults | context, name=name, title=title, width=width, height=height)


def _empty(name: str, title: str) -> str:
    return _render(name, title, empty=True)


# ---- axes and scales -----------------------------------------------------------------------------


def _nice_ticks(top: float, *, count: int = 5, whole: bool = False) -> list[float]:
    """Round tick values from 0 to at least `top`, about `count` of them; whole numbers only when
    counting things (no half events)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1) if whole else step
    return [step * i for i in range(math.ceil(top / step - 1e-9) + 1)]


def _value_scale(ticks: Sequence[float]) -> Scale:
    low, high = ticks[0], ticks[-1]
    return lambda v: HEIGHT - BOTTOM - (v - low) / ((high - low) or 1) * (HEIGHT - BOTTOM - TOP)


def _day_scale(days: Sequence[date]) -> tuple[Scale, float]:
    slot = (WIDTH - LEFT - RIGHT) / len(days)
    return (lambda day: LEFT + slot * ((day - days[0]).days + 0.5)), slot


def _axes(days: Sequence[date], x: Scale, ticks: Sequence[float], y: Scale, ylabel: str) -> dict[str, Any]:
    step = max(1, math.ceil(len(days) / 8))
    return {
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "base": HEIGHT - BOTTOM,
        "middle": (TOP + HEIGHT - BOTTOM) / 2,
        "yticks": [(y(t), f"{t:g}") for t in ticks],
        "ylabel": ylabel,
        "xticks": [(x(d), f"{d.day} {d:%b}") for d in days[::step]],
        "xlabel": "Day",
    }


def _by_day(events: Iterable[Event]) -> dict[date, list[Event]]:
    found: dict[date, list[Event]] = defaultdict(list)
    for event in events:
        if event.date.precision == "day" and event.date.start:
            found[event.date.start].append(event)
    return found


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# ---- charts over days ----------------------------------------------------------------------------


def events_per_day(events: Iterable[Event], *, title: str = "Events per day, by type") -> str:
    """Stacked bars: how many events of each type happened each day (events dated to the day).

    events (Iterable[Event]): the events to count.
    title (str): the chart's title.
    RETURNS (str): the SVG.
    """
    by_day = _by_day(events)
    if not by_day:
        return _empty("events_per_day", title)
    days = _span(min(by_day), max(by_day))
    types = [t for t, _ in Counter(e.type for es in by_day.values() for e in es).most_common()]
    colour = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(types)}
    ticks = _nice_ticks(max(len(es) for es in by_day.values()), whole=True)
    x, slot = _day_scale(days)
    y = _value_scale(ticks)
    bars = []
    for day, day_events in sorted(by_day.items()):
        stacked = 0
        for event_type in sorted({e.type for e in day_events}, key=types.index):
            count = sum(e.type == event_type for e in day_events)
            top, bottom = y(stacked + count), y(stacked)
            tip = f"{day.isoformat()}: {count} {event_type}"
            bars.append({"x": x(day) - slot * 0.4, "y": top, "width": slot * 0.8, "height": bottom - top})
            bars[-1] |= {"colour": colour[event_type], "tip": tip}
            stacked += count
    legend = [(colour[t], t) for t in types]
    return _render("events_per_day", title, axes=_axes(days, x, ticks, y, "Events"), bars=bars, legend=legend)


def killed_range(event: Event) -> tuple[int, int, int] | None:
    """(low, best, high) of an event's death toll, None when it has none. A toll without a high
    ("at least six") reaches up to its best estimate; one without a best takes its low.

    event (Event): the event.
    RETURNS (tuple[int, int, int] | None): the range.
    """
    toll = event.killed
    if toll is None or (toll.low is None and toll.best is None and toll.high is None):
        return None
    low = toll.low if toll.low is not None else toll.best or 0
    best = toll.best if toll.best is not None else low
    return low, best, max(toll.high if toll.high is not None else best, best)


def killed_per_day(events: Iterable[Event], *, title: str = "People killed per day") -> str:
    """A band from the low to the high toll of each day (summed over its events), with the best.

    events (Iterable[Event]): the events; those dated to the day with a death toll count.
    title (str): the chart's title.
    RETURNS (str): the SVG.
    """
    totals: dict[date, tuple[int, ...]] = {}
    for day, day_events in _by_day(events).items():
        tolls = [t for t in map(killed_range, day_events) if t]
        if tolls:
            totals[day] = tuple(sum(column) for column in zip(*tolls, strict=True))
    if not totals:
        return _empty("killed_per_day", title)
    days = _span(min(totals), max(totals))
    filled = {d: totals.get(d, (0, 0, 0)) for d in days}
    ticks = _nice_ticks(max(high for _, _, high in filled.values()), whole=True)
    x, _ = _day_scale(days)
    y = _value_scale(ticks)
    upper = [f"{x(d):.1f},{y(filled[d][2]):.1f}" for d in days]
    lower = [f"{x(d):.1f},{y(filled[d][0]):.1f}" for d in reversed(days)]
    line = " ".join(f"{x(d):.1f},{y(filled[d][1]):.1f}" for d in days)
    dots = [
        {
            "x": x(d),
            "y": y(b),
            "low": y(lo),
            "high": y(hi),
            "tip": f"{d.isoformat()}: {b} killed (range {lo}–{hi})",
        }
        for d, (lo, b, hi) in totals.items()
    ]
    return _render(
        "killed_per_day",
        title,
        axes=_axes(days, x, ticks, y, "People killed"),
        band=" ".join(upper + lower),
        line=line,
        dots=dots,
        colour=CONFLICT,
        legend=[("#f0c4bf", "low–high range"), (CONFLICT, "best estimate")],
    )


def dyad_chart(points: Sequence[SeriesPoint], *, a: str, b: str) -> str:
    """The daily Goldstein sum between two sides as a line around zero.

    points (Sequence[SeriesPoint]): the series, from `series.dyad_series`.
    a (str): the first side's name, for the title.
    b (str): the second side's name.
    RETURNS (str): the SVG; below the zero line is conflict, above it cooperation.
    """
    title = f"Conflict and cooperation between {a} and {b}"
    if not points:
        return _empty("dyad", title)
    days = [p.day for p in points]
    top = _nice_ticks(max(abs(p.goldstein_sum) for p in points), count=3)
    ticks = [-t for t in reversed(top[1:])] + top
    x, _ = _day_scale(days)
    y = _value_scale(ticks)
    dots = [
        {
            "x": x(p.day),
            "y": y(p.goldstein_sum),
            "colour": CONFLICT if p.goldstein_sum < 0 else COOPERATION if p.goldstein_sum > 0 else NEUTRAL,
            "tip": f"{p.day.isoformat()}: {p.events} events, Goldstein sum {p.goldstein_sum:g}",
        }
        for p in points
    ]
    return _render(
        "dyad",
        title,
        axes=_axes(days, x, ticks, y, "Goldstein sum"),
        zero=y(0),
        line=" ".join(f"{d['x']:.1f},{d['y']:.1f}" for d in dots),
        dots=dots,
        legend=[(CONFLICT, "conflict (below 0)"), (COOPERATION, "cooperation (above 0)")],
    )


# ---- map -----------------------------------------------------------------------------------------


@functools.cache
def _outlines() -> list[tuple[str | None, str, list[list[list[float]]]]]:
    """(ISO alpha-2, name, rings) per country, from the shipped Natural Earth outlines."""
    doc = json.loads(resources.files("khabar").joinpath(OUTLINES).read_text(encoding="utf-8"))
    found = []
    for feature in doc["features"]:
        rings = [ring for polygon in feature["geometry"]["coordinates"] for ring in polygon]
        found.append((feature["properties"]["iso_a2"], feature["properties"]["name"], rings))
    return found


def _view(points: Sequence[tuple[float, float]], aspect: float) -> tuple[float, float, float, float]:
    """west, east, south, north around the points: padded, at least MAP_SPAN degrees across, and
    widened to the plot's width / height `aspect` (in projected units) so the plot is filled."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    middle_lon, middle_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    shrink = math.cos(math.radians(middle_lat))
    half_lat = max(MAP_SPAN, (max(lats) - min(lats)) * 1.4) / 2
    half_lon = max(MAP_SPAN, (max(lons) - min(lons)) * 1.4) / 2
    half_lon, half_lat = max(half_lon, half_lat * aspect / shrink), max(half_lat, half_lon * shrink / aspect)
    south, north = max(-85.0, middle_lat - half_lat), min(85.0, middle_lat + half_lat)
    return middle_lon - half_lon, middle_lon + half_lon, south, north


def event_map(events: Iterable[Event], *, title: str = "Where the events happened") -> str:
    """Located events as circles (area by people killed) over country outlines.

    events (Iterable[Event]): the events; those with coordinates are drawn.
    title (str): the chart's title.
    RETURNS (str): the SVG, an equirectangular map framed on the events.
    """
    located = [(e, e.location) for e in events if e.location and None not in (e.location.lat, e.location.lon)]
    points = [(place.lon, place.lat) for _, place in located]
    if not points:
        return _empty("map", title)
    plot_width, plot_height = WIDTH - LEFT - 16, MAP_HEIGHT
    west, east, south, north = view = _view(points, plot_width / plot_height)  # type: ignore[arg-type]
    shrink = math.cos(math.radians((south + north) / 2))
    scale = min(plot_width / ((east - west) * shrink), plot_height / (north - south))

    def project(lon: float, lat: float) -> tuple[float, float]:
        return LEFT + (lon - west) * shrink * scale, TOP + (north - lat) * scale

    box = {
        "left": LEFT,
        "top": TOP,
        "width": (east - west) * shrink * scale,
        "height": (north - south) * scale,
    }
    involved = {place.country for _, place in located} - {None}
    dots = []
    for event, place in located:
        cx, cy = project(place.lon, place.lat)  # type: ignore[arg-type]
        killed = killed_range(event)
        colour = CONFLICT if goldstein(event.type, event.mode) < 0 else COOPERATION
        radius = min(14.0, 4 + 1.5 * math.sqrt(killed[0] if killed else 0))
        dots.append({"x": cx, "y": cy, "r": radius, "colour": colour, "tip": f"{event.title} ({place.name})"})
        dots[-1]["name"] = place.name
    bottom = TOP + box["height"]
    return _render(
        "map",
        title,
        height=int(bottom + 70),
        box=box,
        countries=_countries(project, view, involved),
        lon_ticks=[(project(v, south)[0], f"{v}°") for v in _degrees(west, east)],
        lat_ticks=[(project(west, v)[1], f"{v}°") for v in _degrees(south, north)],
        dots=dots,
        labels=_labels(dots),
        legend=[(CONFLICT, "violent or hostile"), (COOPERATION, "other events")],
        legend_at=(LEFT, bottom + 36),
    )


def _labels(dots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A name beside each place, biggest circles first, leaving out a name that would overlap
    one already placed (the circle's tooltip still names it)."""
    placed: list[tuple[float, float, float, float]] = []
    labels = []
    for dot in sorted(dots, key=lambda d: -d["r"]):
        box = (dot["x"] + 8, dot["y"] - 17, dot["x"] + 8 + LABEL_WIDTH * len(dot["name"]), dot["y"] - 5)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        labels.append({"x": dot["x"], "y": dot["y"], "text": dot["name"]})
    return labels


def _degrees(low: float, high: float) -> list[int]:
    step = max(1, round((high - low) / 5))
    return [v for v in range(math.ceil(low), math.floor(high) + 1) if v % step == 0]


def _countries(
    project: Callable[[float, float], tuple[float, float]],
    view: tuple[float, float, float, float],
    involved: set[str | None],
) -> list[dict[str, Any]]:
    """The outlines inside the view as SVG paths; the countries of the events get a label."""
    west, east, south, north = view
    found = []
    for iso, name, rings in _outlines():
        lons = [p[0] for ring in rings for p in ring]
        lats = [p[1] for ring in rings for p in ring]
        if max(lons) < west or min(lons) > east or max(lats) < south or min(lats) > north:
            continue
        path = " ".join(_ring(ring, project) for ring in rings)
        inside = [p for ring in rings for p in ring if west < p[0] < east and south < p[1] < north]
        label = None
        if iso in involved and inside:
            label = project(sum(p[0] for p in inside) / len(inside), sum(p[1] for p in inside) / len(inside))
        found.append({"name": name, "path": path, "involved": iso in involved, "label": label})
    return found


def _ring(ring: list[list[float]], project: Callable[[float, float], tuple[float, float]]) -> str:
    corners = (project(lon, lat) for lon, lat in ring)
    return "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in corners) + " Z"


# ---- actor network -------------------------------------------------------------------------------


def _edge_colour(edge: Edge) -> int:
    """0 conflict, 1 cooperation, 2 neither: the index into the network template's colours."""
    mean = edge.goldstein_sum / edge.events
    if mean <= -NEUTRAL_BAND:
        return 0
    return 1 if mean >= NEUTRAL_BAND else 2


def actor_network(graph: ActorGraph, *, title: str = "Who acted on whom") -> str:
    """Actors on a circle, an arrow from each actor to each actor it acted on.

    graph (ActorGraph): from `series.actor_graph`.
    title (str): the chart's title.
    RETURNS (str): the SVG; arrow width grows with the number of events, its colour tells conflict
        (mean Goldstein score at or below -1), cooperation (at or above +1) or neither. Only the
        MAX_NODES most active actors are drawn.
    """
    activity: Counter[str] = Counter()
    for edge in graph.edges:
        activity.update({edge.source: edge.events, edge.target: edge.events})
    shown = sorted(actor for actor, _ in activity.most_common(MAX_NODES))
    if not shown:
        return _empty("network", title)
    centre = (NETWORK_WIDTH - RIGHT) / 2 + 60, TOP + NETWORK_SIZE / 2
    radius = NETWORK_SIZE / 2 - 70
    at = {}
    for i, actor in enumerate(shown):
        angle = 2 * math.pi * i / len(shown) - math.pi / 2
        at[actor] = (centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle))
    nodes = [_node(graph, actor, at[actor], centre) for actor in shown]
    edges = [_arrow(e, at[e.source], at[e.target]) for e in graph.edges if e.source in at and e.target in at]
    return _render(
        "network",
        title,
        width=NETWORK_WIDTH,
        height=NETWORK_SIZE + TOP,
        nodes=nodes,
        edges=edges,
        colours=(CONFLICT, COOPERATION, NEUTRAL),
        hidden=len(activity) - len(shown),
        legend=[(CONFLICT, "conflict"), (COOPERATION, "cooperation"), (NEUTRAL, "neither")],
        legend_at=(NETWORK_WIDTH - RIGHT + 12, TOP + 10),
    )


def _node(
    graph: ActorGraph, actor: str, at: tuple[float, float], centre: tuple[float, float]
) -> dict[str, Any]:
    x, y = at
    node = graph.nodes[actor]
    anchor = "start" if x > centre[0] + 1 else "end" if x < centre[0] - 1 else "middle"
    shift = {"start": 12, "end": -12, "middle": 0}[anchor]
    name = node.name if len(node.name) <= LABEL_CHARS else node.name[: LABEL_CHARS - 1] + "…"
    label_y = y + 4 if anchor != "middle" else y - 12 if y < centre[1] else y + 20
    tip = f"{node.name} ({node.kind})"
    return {
        "x": x,
        "y": y,
        "name": name,
        "tip": tip,
        "anchor": anchor,
        "label_x": x + shift,
        "label_y": label_y,
    }


def _arrow(edge: Edge, start: tuple[float, float], end: tuple[float, float]) -> dict[str, Any]:
    """A line between two nodes, stopped short of them and shifted to one side, so that a -> b
    and b -> a stay apart."""
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1) or 1
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    kinds = ", ".join(f"{n} {t}" for t, n in edge.types.most_common())
    return {
        "x1": x1 + ux * 10 - uy * 3,
        "y1": y1 + uy * 10 + ux * 3,
        "x2": x2 - ux * 12 - uy * 3,
        "y2": y2 - uy * 12 + ux * 3,
        "colour": _edge_colour(edge),
        "width": 1 + math.log2(edge.events),
        "tip": f"{edge.source} → {edge.target}: {kinds}; Goldstein sum {edge.goldstein_sum:g}",
    }
