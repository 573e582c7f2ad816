"""Benchmark: place recognition and resolution (khabar.extract.places, khabar.knowledge.gazetteer)
on GeoWebNews (Gritta et al. 2019: 200 news articles from sites around the world).

Data: ../shared/datasets/geoparsing/GeoWebNews_GWN.xml (see its SOURCE.md); nothing is copied.

(a) Recognition: the gold toponyms are those marked nonLocational = No (4,849 mentions, which
    include common nouns such as "the lot"; the capitalised ones are also counted apart). Recall is
    the share of gold toponyms a `find_places` match overlaps; precision the share of matches that
    overlap an annotated toponym of any type (a country named as an actor, "Pakistan said", is a
    metonymic toponym there, and `find_places` returns it on purpose).
(b) Resolution: for the gold toponyms with coordinates, the share whose place lies within 161 km
    (100 miles) of the gold point, (1) given the gold name (`Gazetteer.lookup` with the article's
    countries from `article_countries`) and (2) end to end (the place of the overlapping match).
    Mordecai3 reports 96.6% within 161 km given the right name. Also printed: the figure without
    demonyms ("Russian" carries coordinates in the gold; khabar does not read demonyms as places),
    and, among the names resolved, towns and sites apart from areas (countries, provinces,
    regions), whose distance mostly measures where the gold and khabar put an area's centre.

Run: python bench/geoparsing.py  (from the repository root; prints figures, writes nothing)
"""

from __future__ import annotations

import math
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from khabar.annotate import build_nlp
from khabar.extract.places import article_countries, find_places
from khabar.knowledge.gazetteer import load_gazetteer

DATA = (
    Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "geoparsing" / "GeoWebNews_GWN.xml"
)
KM = 161.0
POINTS = frozenset({"city", "town", "village", "base", "crossing", "facility"})


@dataclass
class Toponym:
    name: str
    start: int
    end: int
    locational: bool
    point: tuple[float, float] | None


def read(path: Path) -> list[tuple[str, list[Toponym]]]:
    articles = []
    for article in ET.parse(path).getroot().iter("article"):
        toponyms = []
        for t in article.iter("toponym"):
            lat, lon = t.findtext("latitude"), t.findtext("longitude")
            point = (float(lat), float(lon)) if lat and lon else None
            locational = t.findtext("nonLocational") == "No"
            name, start, end = (
                t.findtext("extractedName") or "",
                int(t.findtext("start")),
                int(t.findtext("end")),
            )
            toponyms.append(Toponym(name, start, end, locational, point))
        articles.append((article.findtext("text") or "", toponyms))
    return articles


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def overlaps(span: tuple[int, int], toponym: Toponym) -> bool:
    return span[0] < toponym.end and toponym.start < span[1]


def share(hits: int, total: int) -> str:
    return f"{hits}/{total} = {100 * hits / total:.1f}%" if total else "n/a"


def main() -> int:
    if not DATA.exists():
        print(f"missing {DATA}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    gazetteer = load_gazetteer()
    print(f"gazetteer loaded in {time.perf_counter() - started:.2f} s")
    articles = read(DATA)
    nlp = build_nlp()
    counts: Counter[str] = Counter()
    errors: list[float] = []
    started = time.perf_counter()
    for (_, toponyms), doc in zip(articles, nlp.pipe(text for text, _ in articles), strict=True):
        countries = article_countries(doc, gazetteer=gazetteer)
        matches = find_places(doc, gazetteer=gazetteer, countries=countries)
        spans = [m.ref.span for m in matches]
        counts["matches"] += len(matches)
        counts["correct"] += sum(any(overlaps(s, t) for t in toponyms) for s in spans)
        for toponym in toponyms:
            hit = [m for m in matches if overlaps(m.ref.span, toponym)]
            if toponym.locational:
                capitalised = toponym.name[:1].isupper()
                counts["gold"] += 1
                counts["found"] += bool(hit)
                counts["gold_cap"] += capitalised
                counts["found_cap"] += capitalised and bool(hit)
            if toponym.point is None:
                continue
            counts["coded"] += 1
            counts["demonyms"] += bool(gazetteer.demonym_country(toponym.name))
            place = gazetteer.lookup(toponym.name, countries=countries)
            if place is None or place.lat is None:
                counts["named_none"] += 1
            else:
                errors.append(km((place.lat, place.lon), toponym.point))
                kind = "point" if place.feature in POINTS else "area"
                counts[kind] += 1
                counts[f"{kind}_ok"] += errors[-1] <= KM
                counts["named_ok"] += errors[-1] <= KM
            ends = [m.place for m in hit if m.place.lat is not None]
            counts["e2e_ok"] += bool(ends) and km((ends[0].lat, ends[0].lon), toponym.point) <= KM
    elapsed = time.perf_counter() - started
    print(f"GeoWebNews: {len(articles)} articles, parsed and geoparsed in {elapsed:.0f} s")
    print("(a) recognition")
    print(f"  recall, gold toponyms (nonLocational=No):  {share(counts['found'], counts['gold'])}")
    print(f"  recall, capitalised gold toponyms:         {share(counts['found_cap'], counts['gold_cap'])}")
    print(f"  precision (match overlaps any toponym):    {share(counts['correct'], counts['matches'])}")
    print("(b) resolution, gold toponyms with coordinates")
    print(f"  given the gold name, within {KM:.0f} km:      {share(counts['named_ok'], counts['coded'])}")
    print(f"    no place found for the name:             {share(counts['named_none'], counts['coded'])}")
    print(f"    of which demonyms (not places to khabar): {share(counts['demonyms'], counts['coded'])}")
    named = counts["coded"] - counts["demonyms"]
    print(f"  given the gold name, demonyms left out:    {share(counts['named_ok'], named)}")
    print(f"  of the names resolved, towns/bases/sites:  {share(counts['point_ok'], counts['point'])}")
    print(f"  of the names resolved, countries/regions:  {share(counts['area_ok'], counts['area'])}")
    if errors:
        print(f"  median error when resolved: {statistics.median(errors):.0f} km")
    print(f"  end to end, within {KM:.0f} km:               {share(counts['e2e_ok'], counts['coded'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
