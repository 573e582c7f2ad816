"""Reading and checking the knowledge files: countries.yaml + actors.yaml -> actors and their extras.

Used only by `khabar.knowledge.load_knowledge`, which builds the `Knowledge` object the other stages
query. Every check names the file and the entry at fault (KnowledgeError), because an analyst
extends these files by hand. The schema is documented in knowledge/README.md.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args

import yaml

from khabar.errors import KnowledgeError
from khabar.models import Actor, ActorKind, Role

__all__ = ["ActorEntry", "KnowledgeData", "norm", "read_knowledge", "read_yaml"]

KINDS = frozenset(get_args(ActorKind))
_ACTOR_KEYS = frozenset(
    {"id", "name", "kind", "country", "acled_inter", "parent", "aliases", "exact", "instance_of", "generic"}
    | {"narrow", "roles", "note"}
)
_COUNTRY_KEYS = frozenset({"iso2", "iso3", "name", "status", "aliases", "demonyms", "capitals", "exact"})
_ROLE_KEYS = frozenset({"title", "of", "from", "to"})
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_NON_WORD = re.compile(r"[^\w\s]")
_POSSESSIVE = re.compile(r"'s?$")


@lru_cache(maxsize=65536)  # extract asks again and again for the same words and names
def norm(text: str) -> str:
    """The form names are compared in: case, accents, punctuation, a leading "the" and a
    possessive 's ignored ("the U.S.'s" -> "us", "Al-Qaeda" -> "al qaeda").

    text (str): a name as written.
    RETURNS (str): the comparison key ("" for nothing nameable).
    """
    folded = unicodedata.normalize("NFKD", text.replace("’", "'"))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower().strip()
    folded = _POSSESSIVE.sub("", folded)
    words = _NON_WORD.sub(lambda m: " " if m.group() in "-/" else "", folded).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@dataclass
class ActorEntry:
    """One actor with what the loader knows beyond `models.Actor`."""

    actor: Actor
    exact: list[str] = field(default_factory=list)
    instance_of: list[str] = field(default_factory=list)
    generic: bool = False
    narrow: bool = False


@dataclass
class KnowledgeData:
    """Everything read from countries.yaml and actors.yaml, checked."""

    entries: dict[str, ActorEntry]
    #: normalised alias -> the actor it means when several share it
    ambiguous: dict[str, str]
    #: ISO alpha-2 -> state actor id
    states: dict[str, str]


#: PyYAML's safe loader, in C when libyaml is there: ten times faster on the actor files, which every
#: worker process reads when it starts.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file.

    path (Path): the file.
    RETURNS (Any): its content.
    RAISES (KnowledgeError): the file is missing or is not valid YAML.
    """
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_SAFE_LOADER)
    except OSError as exc:
        raise KnowledgeError(f"cannot read the file: {exc.strerror or exc}", source=str(path)) from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"not valid YAML: {exc}", source=str(path)) from exc
    except ValueError as exc:
        # PyYAML builds dates while parsing, so `from: 2024-02-30` fails here, not in the checks
        raise KnowledgeError(
            f"a value written as a date is not a real date: {exc}", source=str(path)
        ) from exc


def check_sections(lex: Any, schema: dict[str, type], *, name: str) -> None:
    """Raise KnowledgeError, naming the file, unless a lexicon is a mapping whose sections have the
    types its schema gives (each module checks the entries of its own sections after this).

    lex (Any): the parsed YAML.
    schema (dict[str, type]): each section's name and type (list, dict, ...).
    name (str): the file, for the message.
    """
    if not isinstance(lex, dict):
        raise KnowledgeError("expected a mapping of sections", source=name)
    for key, kind in schema.items():
        if not isinstance(lex.get(key), kind):
            raise KnowledgeError(f"section {key!r} must be a {kind.__name__}", source=name)


def read_knowledge(folder: Path) -> KnowledgeData:
    """Read and check countries.yaml and actors.yaml in a knowledge folder.

    folder (Path): the folder holding both files.
    RETURNS (KnowledgeData): the actors (countries as `state` actors first), checked.
    RAISES (KnowledgeError): a file is missing or malformed; names the file and the entry.
    """
    countries_path, actors_path = folder / "countries.yaml", folder / "actors.yaml"
    countries = _mapping(read_yaml(countries_path), countries_path, ("countries",))
    actors = _mapping(read_yaml(actors_path), actors_path, ("actors",))
    entries: dict[str, ActorEntry] = {}
    states: dict[str, str] = {}
    for raw in _list(countries["countries"], countries_path, "countries"):
        entry = _country(raw, countries_path)
        _add(entries, entry, countries_path)
        states[entry.actor.country or ""] = entry.actor.id
    for raw in _list(actors["actors"], actors_path, "actors"):
        _add(entries, _actor(raw, actors_path), actors_path)
    ambiguous = {**_ambiguous(countries, countries_path, entries), **_ambiguous(actors, actors_path, entries)}
    _check_links(entries, actors_path)
    _check_aliases(
        entries, ambiguous, {i: countries_path if i in states.values() else actors_path for i in entries}
    )
    return KnowledgeData(entries=entries, ambiguous=ambiguous, states=states)


# ---- entries -------------------------------------------------------------------------------------


def _country(raw: Any, path: Path) -> ActorEntry:
    where = _where(raw, "iso2")
    item = _mapping(raw, path, ("iso2", "iso3", "name"), keys=_COUNTRY_KEYS, where=where)
    iso2, iso3 = _code(item["iso2"], 2, path, where), _code(item["iso3"], 3, path, where)
    names = [_strings(item.get(k), path, f"{where} {k}") for k in ("aliases", "demonyms", "capitals")]
    exact = _strings(item.get("exact"), path, f"{where} exact")
    actor = Actor(
        id=iso3,
        name=_text(item["name"], path, f"{where} name"),
        kind="state",
        country=iso2,
        aliases=_unique([n for group in names for n in group] + exact),
        acled_inter=1,
    )
    return ActorEntry(actor=actor, exact=exact)


def _actor(raw: Any, path: Path) -> ActorEntry:
    where = _where(raw, "id")
    item = _mapping(raw, path, ("id", "name", "kind"), keys=_ACTOR_KEYS, where=where)
    kind = item["kind"]
    if kind not in KINDS:
        raise KnowledgeError(f"{where}: kind {kind!r} is not one of {sorted(KINDS)}", source=str(path))
    inter = item.get("acled_inter")
    if inter is not None and (not isinstance(inter, int) or isinstance(inter, bool) or not 1 <= inter <= 8):
        raise KnowledgeError(f"{where}: acled_inter must be an integer 1-8, not {inter!r}", source=str(path))
    country = item.get("country")
    exact = _strings(item.get("exact"), path, f"{where} exact")
    actor = Actor(
        id=_text(item["id"], path, f"{where} id"),
        name=_text(item["name"], path, f"{where} name"),
        kind=kind,
        country=None if country is None else _code(country, 2, path, where),
        aliases=_unique(_strings(item.get("aliases"), path, f"{where} aliases") + exact),
        acled_inter=inter,
        roles=[_role(r, path, f"{where} role") for r in _list(item.get("roles") or [], path, where)],
        parent=None if item.get("parent") is None else _text(item["parent"], path, f"{where} parent"),
    )
    return ActorEntry(
        actor=actor,
        exact=exact,
        instance_of=_strings(item.get("instance_of"), path, f"{where} instance_of"),
        generic=_flag(item.get("generic"), path, f"{where} generic"),
        narrow=_flag(item.get("narrow"), path, f"{where} narrow"),
    )


def _role(raw: Any, path: Path, where: str) -> Role:
    item = _mapping(raw, path, ("title",), keys=_ROLE_KEYS, where=where)
    start = _day(item.get("from"), path, f"{where} from", last=False)
    end = _day(item.get("to"), path, f"{where} to", last=True)
    if start and end and end < start:
        raise KnowledgeError(f"{where}: ends ({end}) before it starts ({start})", source=str(path))
    of = item.get("of")
    return Role(
        title=_text(item["title"], path, f"{where} title"),
        of=None if of is None else _text(of, path, f"{where} of"),
        start=start,
        end=end,
    )


def _day(value: Any, path: Path, where: str, *, last: bool) -> date | None:
    """A role's date; a partial one (2024, 2024-03) covers its whole year or month, so a start
    takes its first day and an end its last."""
    # a YAML timestamp (`2024-03-11 09:00`) is a datetime: not one of the forms the schema allows
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    match = _PARTIAL_DATE.fullmatch(str(value))
    if not match:
        raise KnowledgeError(
            f"{where}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", source=str(path)
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return date(year, 12, 31) if last else date(year, 1, 1)
        if day is None:
            return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        return date(year, month, day)
    except ValueError as exc:
        raise KnowledgeError(f"{where}: {value!r} is not a date ({exc})", source=str(path)) from exc


# ---- whole-file checks ---------------------------------------------------------------------------


def _add(entries: dict[str, ActorEntry], entry: ActorEntry, path: Path) -> None:
    if entry.actor.id in entries:
        raise KnowledgeError(f"actor id {entry.actor.id!r} is used twice", source=str(path))
    entries[entry.actor.id] = entry


def _ambiguous(data: dict, path: Path, entries: dict[str, ActorEntry]) -> dict[str, str]:
    raw = data.get("ambiguous") or {}
    if not isinstance(raw, dict):
        raise KnowledgeError("`ambiguous` must map a name to the actor id it means", source=str(path))
    for name, target in raw.items():
        if _text(target, path, f"ambiguous {name!r}") not in entries:
            raise KnowledgeError(f"ambiguous {name!r}: {target!r} is not an actor id", source=str(path))
    return {norm(str(name)): target.strip() for name, target in raw.items()}


def _check_links(entries: dict[str, ActorEntry], path: Path) -> None:
    generics = {i for i, e in entries.items() if e.generic}
    for actor_id, entry in entries.items():
        links = [("parent", entry.actor.parent)] + [("role of", r.of) for r in entry.actor.roles]
        for what, target in links:
            if target is not None and target not in entries:
                raise KnowledgeError(
                    f"actor {actor_id!r}: {what} {target!r} is not an actor id", source=str(path)
                )
        for target in entry.instance_of:
            if target not in generics:
                raise KnowledgeError(
                    f"actor {actor_id!r}: instance_of {target!r} is not a generic actor", source=str(path)
                )
        _check_no_cycle(actor_id, entries, path)


def _check_no_cycle(actor_id: str, entries: dict[str, ActorEntry], path: Path) -> None:
    seen = {actor_id}
    parent = entries[actor_id].actor.parent
    while parent is not None:
        if parent in seen:
            raise KnowledgeError(f"actor {actor_id!r}: its parents form a cycle", source=str(path))
        seen.add(parent)
        parent = entries[parent].actor.parent


def _check_aliases(entries: dict[str, ActorEntry], ambiguous: dict[str, str], files: dict[str, Path]) -> None:
    """No name for two actors unless `ambiguous` says which it means; a clash is reported in the
    file of the actor that brought it (countries come first, so two countries -> countries.yaml)."""
    owners: dict[str, str] = {}
    for actor_id, entry in entries.items():
        for name in {norm(n) for n in [entry.actor.name, *entry.actor.aliases]} - {""}:
            other = owners.setdefault(name, actor_id)
            if other != actor_id and name not in ambiguous:
                raise KnowledgeError(
                    f"name {name!r} belongs to both {other!r} and {actor_id!r}; "
                    "list it under `ambiguous` with the actor it means",
                    source=str(files[actor_id]),
                )


# ---- small validators ----------------------------------------------------------------------------


def _where(raw: Any, key: str) -> str:
    return f"entry {raw.get(key)!r}" if isinstance(raw, dict) else f"entry {raw!r}"


def _mapping(
    raw: Any,
    path: Path,
    required: tuple[str, ...],
    *,
    keys: frozenset[str] | None = None,
    where: str = "file",
) -> dict:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: expected a mapping, got {type(raw).__name__}", source=str(path))
    missing = [k for k in required if raw.get(k) is None]
    if missing:
        raise KnowledgeError(f"{where}: missing {', '.join(missing)}", source=str(path))
    unknown = sorted(set(raw) - keys) if keys is not None else []
    if unknown:
        raise KnowledgeError(f"{where}: unknown field(s) {', '.join(map(str, unknown))}", source=str(path))
    return raw


def _list(raw: Any, path: Path, where: str) -> list:
    if not isinstance(raw, list):
        raise KnowledgeError(f"{where}: expected a list, got {type(raw).__name__}", source=str(path))
    return raw


def _text(raw: Any, path: Path, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise KnowledgeError(f"{where}: expected a non-empty string, got {raw!r}", source=str(path))
    return raw.strip()


def _strings(raw: Any, path: Path, where: str) -> list[str]:
    return [_text(item, path, where) for item in _list(raw or [], path, where)]


def _flag(raw: Any, path: Path, where: str) -> bool:
    if raw is not None and not isinstance(raw, bool):
        raise KnowledgeError(f"{where}: expected true or false, got {raw!r}", source=str(path))
    return bool(raw)


def _code(raw: Any, length: int, path: Path, where: str) -> str:
    if not isinstance(raw, str) or len(raw) != length or not raw.isalpha() or not raw.isupper():
        raise KnowledgeError(f"{where}: {raw!r} is not an upper-case {length}-letter code", source=str(path))
    return raw


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))
