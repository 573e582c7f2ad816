"""knowledge: the data files of what khabar knows -> one `Knowledge` object the stages query.

countries.yaml (every UN member state as a `state` actor), actors.yaml (governments, forces, armed
groups, organisations, media, people with dated roles, generic actors) and lexicons/*.yaml (cue
words of each stage) are read once by `load_knowledge()`. clean asks it for proper names, extract
for aliases and lexicons, resolve for dated roles. The gazetteer lives beside it, in
`khabar.knowledge.gazetteer`. Schemas: knowledge/README.md.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from khabar.errors import KnowledgeError
from khabar.knowledge.loader import ActorEntry, KnowledgeData, norm, read_knowledge, read_yaml
from khabar.models import Actor, Role

__all__ = [
    "DEFAULT_PATH",
    "KNOWLEDGE_VARIABLE",
    "AliasForm",
    "Knowledge",
    "knowledge_path",
    "load_knowledge",
    "norm",
]

#: The knowledge shipped in the package.
DEFAULT_PATH = Path(__file__).resolve().parent
#: The environment variable naming an analyst's own knowledge folder (a copy of the shipped one).
KNOWLEDGE_VARIABLE = "KHABAR_KNOWLEDGE"
#: Generic kinds a country's main actor of the same kind may stand for ("Russian officials" -> the
#: Russian government); a rebel group is never "the country's militants".
_STATE_SIDE = frozenset({"government", "military", "police"})
_LEXICON_NAME = re.compile(r"[a-z0-9_-]+")
_WORD_BREAK = re.compile(r"[\s-]+")
#: Past this many words besides its acronyms, a name is not matched in every mix of casings.
_MAX_RECASED_WORDS = 4


@dataclass(frozen=True)
class AliasForm:
    """One way of writing an actor's name, as the matcher should look for it.

    text (str): the name as written ("U.S.", "Afghan Defense Ministry").
    actor (str): the actor id it names.
    exact (bool): match only with this casing (acronyms, names that are also common words).
    """

    text: str
    actor: str
    exact: bool


class Knowledge:
    """Actors with aliases and dated roles, generic actors, and the lexicons, from one folder."""

    def __init__(self, data: KnowledgeData, *, path: Path) -> None:
        self.path = path
        self.actors: dict[str, Actor] = {i: e.actor for i, e in data.entries.items()}
        self._entries: dict[str, ActorEntry] = data.entries
        self._states = data.states
        self._ambiguous = data.ambiguous
        self._names = self._name_index()
        self._lexicons: dict[str, dict] = {}
        self._titles: dict[str, str] | None = None

    def actor(self, actor_id: str) -> Actor | None:
        """The actor with this id, or None."""
        return self.actors.get(actor_id)

    def lookup_actor(self, text: str) -> Actor | None:
        """The actor a name means ("the U.S.", "Afghanistan's", "tehrik-i-taliban pakistan").

        text (str): a name; case, accents, punctuation, a leading "the" and a possessive 's are ignored.
        RETURNS (Actor | None): the actor, the default one for a deliberately ambiguous name.
        """
        actor_id = self._names.get(norm(text))
        return self.actors[actor_id] if actor_id else None

    def state(self, country: str) -> Actor | None:
        """The state actor of an ISO alpha-2 code ("PK" -> Pakistan)."""
        actor_id = self._states.get(country)
        return self.actors[actor_id] if actor_id else None

    def is_generic(self, actor_id: str) -> bool:
        """Whether the id names a generic actor ("police", "civilians")."""
        entry = self._entries.get(actor_id)
        return bool(entry and entry.generic)

    def generic_of(self, actor_id: str) -> str | None:
        """The generic actor a country's own one is an instance of (Pakistan's army -> "military"),
        if it declares one."""
        entry = self._entries.get(actor_id)
        return entry.instance_of[0] if entry and entry.instance_of else None

    def instance(self, country: str, generic_id: str) -> Actor | None:
        """A country's own actor for a generic one: ("PK", "police") -> Pakistan's police.

        country (str): ISO alpha-2 code.
        generic_id (str): id of a generic actor.
        RETURNS (Actor | None): the first actor of that country declaring `instance_of` the generic;
            else, unless the generic is narrow, the country's first state-side actor of its kind.
        """
        generic = self._entries.get(generic_id)
        if generic is None or not generic.generic:
            return None
        own = [e for e in self._entries.values() if e.actor.country == country and not e.generic]
        declared = next((e for e in own if generic_id in e.instance_of), None)
        if declared is None and not generic.narrow and generic.actor.kind in _STATE_SIDE:
            declared = next((e for e in own if e.actor.kind == generic.actor.kind), None)
        return declared.actor if declared else None

    def ancestors(self, actor_id: str) -> list[str]:
        """The ids above an actor, nearest first (a ministry -> its government -> its state)."""
        found: list[str] = []
        actor = self.actors.get(actor_id)
        while actor is not None and actor.parent is not None:
            found.append(actor.parent)
            actor = self.actors.get(actor.parent)
        return found

    def roles_on(self, actor_id: str, on: date) -> list[Role]:
        """The offices a person holds on a day (both ends of a role count as in office).

        actor_id (str): the person's id.
        on (date): the day.
        RETURNS (list[Role]): the roles held then; [] for an unknown id.
        """
        actor = self.actors.get(actor_id)
        return [r for r in (actor.roles if actor else []) if _covers(r, on)]

    def holder_of(self, title: str, of: str | None, on: date) -> Actor | None:
        """Who held an office on a day: ("President", "USA", 2025-10-10) -> Donald Trump.

        title (str): the title, any variant the actors lexicon knows ("Defense Minister").
        of (str | None): actor id (or ISO alpha-2 code) of the body; a role of a body above or
            below it also counts (the foreign minister "of" the Taliban government is Afghanistan's).
        on (date): the day.
        RETURNS (Actor | None): the holder; the latest to take office when the ends overlap.
        """
        want = norm(self.title(title) or title)
        body = self._states.get(of, of) if of else None
        held = [
            (role.start or date.min, actor)
            for actor in self.actors.values()
            for role in actor.roles
            if norm(role.title) == want
            and _covers(role, on)
            and (body is None or self._related(role.of, body))
        ]
        return max(held, key=lambda pair: pair[0])[1] if held else None

    def title(self, text: str) -> str | None:
        """The canonical title of a variant ("defense minister" -> "Defence Minister"), from the
        `titles` of lexicons/actors.yaml; None when the lexicon does not know it."""
        if self._titles is None:
            self._titles = self._title_index()
        return self._titles.get(norm(text))

    def proper_names(self) -> set[str]:
        """Canonically cased names of actors and countries, their aliases, capitals and demonyms,
        for repairing damaged casing. Generic actors ("Civilians", "Police") are common nouns however
        their display name is cased, so neither they nor any name spelt like one are included."""
        generic = {
            name.casefold()
            for actor_id, entry in self._entries.items()
            if entry.generic
            for name in [entry.actor.name, *entry.actor.aliases]
        }
        return {
            name
            for actor in self.actors.values()
            for name in [actor.name, *actor.aliases]
            if any(c.isupper() for c in name) and name.casefold() not in generic
        }

    def alias_forms(self) -> list[AliasForm]:
        """Every written form of every actor's name, for building a matcher. A leading "the" is
        dropped; a name with an apostrophe also comes with a typographic one; a deliberately
        ambiguous name comes only with the actor it means by default. A name holding an acronym
        ("US troops", "LeT") is exact, in three casings of its other words ("US troops", "US
        Troops"), so "send us troops" is not the US military and "Let" not Lashkar-e-Taiba."""
        forms: dict[tuple[str, str], AliasForm] = {}
        for actor_id, entry in self._entries.items():
            for name in [entry.actor.name, *entry.actor.aliases]:
                key = norm(name)
                if not key or self._ambiguous.get(key, actor_id) != actor_id:
                    continue
                text = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
                casings = [text] if name in entry.exact else _acronym_casings(text)
                exact = name in entry.exact or bool(casings)
                for cased in casings or [text]:
                    for variant in {cased, cased.replace("'", "’")}:
                        forms[variant, actor_id] = AliasForm(variant, actor_id, exact)
        return list(forms.values())

    def lexicon(self, name: str) -> dict:
        """One lexicon file, knowledge/lexicons/<name>.yaml, parsed once.

        name (str): the lexicon's name ("events", "modality").
        RETURNS (dict): its content ({} for an empty file).
        RAISES (KnowledgeError): no such lexicon, or it is not a YAML mapping.
        """
        if name not in self._lexicons:
            if not _LEXICON_NAME.fullmatch(name):
                raise KnowledgeError(f"{name!r} is not a lexicon name (lower-case letters, digits, - and _)")
            path = self.path / "lexicons" / f"{name}.yaml"
            content = read_yaml(path)
            if content is not None and not isinstance(content, dict):
                raise KnowledgeError(f"expected a mapping, got {type(content).__name__}", source=str(path))
            self._lexicons[name] = content or {}
        return self._lexicons[name]

    # ---- internals -------------------------------------------------------------------------------

    def _name_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for actor_id, actor in self.actors.items():
            for name in [actor.name, *actor.aliases]:
                index.setdefault(norm(name), actor_id)
        index.update(self._ambiguous)
        index.pop("", None)
        return index

    def _title_index(self) -> dict[str, str]:
        if not (self.path / "lexicons" / "actors.yaml").exists():
            return {}
        titles = self.lexicon("actors").get("titles") or {}
        index = {
            norm(variant): str(canonical) for canonical, variants in titles.items() for variant in variants
        }
        index.update({norm(str(canonical)): str(canonical) for canonical in titles})
        return index

    def _related(self, role_of: str | None, body: str) -> bool:
        if role_of is None:
            return False
        return role_of == body or role_of in self.ancestors(body) or body in self.ancestors(role_of)


def load_knowledge(path: Path | None = None) -> Knowledge:
    """Read a knowledge folder: countries.yaml, actors.yaml and, on demand, lexicons/*.yaml.

    path (Path | None): the folder; None for the folder named by the KHABAR_KNOWLEDGE environment
        variable if set (an analyst's edited copy of the shipped folder), else the knowledge
        shipped with khabar; either is read once per process and shared.
    RETURNS (Knowledge): the knowledge base.
    RAISES (KnowledgeError): a file is missing or malformed; the message names the file and entry.
    """
    if path is None:
        return _shared_knowledge(knowledge_path())
    return Knowledge(read_knowledge(Path(path)), path=Path(path))


def knowledge_path() -> Path:
    """The knowledge folder in use: $KHABAR_KNOWLEDGE if set, else the one shipped with khabar."""
    chosen = os.environ.get(KNOWLEDGE_VARIABLE)
    return Path(chosen).expanduser().resolve() if chosen else DEFAULT_PATH


@lru_cache(maxsize=4)
def _shared_knowledge(path: Path) -> Knowledge:
    if not path.is_dir():
        raise KnowledgeError(f"not a folder (set by {KNOWLEDGE_VARIABLE})", source=str(path))
    return Knowledge(read_knowledge(path), path=path)


def _acronym_casings(text: str) -> list[str]:
    """The casings a name holding an acronym is matched in: as written, and with its acronyms as
    written and each other word in lower case or capitalised ("US State department", "US state
    department"); [] for a name without an acronym. An acronym is a word (or a hyphenated part of
    one) with two capitals: "US", "U.S.", "LeT", "ISIS-K", "TOLOnews"."""
    words = text.split(" ")
    acronyms = [any(sum(c.isupper() for c in part) >= 2 for part in _WORD_BREAK.split(w)) for w in words]
    if not any(acronyms):
        return []
    options = [
        [w] if acronym else [w.lower(), w[:1].upper() + w[1:]]
        for w, acronym in zip(words, acronyms, strict=True)
    ]
    if len(words) - sum(acronyms) > _MAX_RECASED_WORDS:
        # a long official name: its other words all in lower case or all capitalised
        combos: Iterable[Sequence[str]] = [[o[min(i, len(o) - 1)] for o in options] for i in (0, 1)]
    else:
        combos = itertools.product(*options)
    return list(dict.fromkeys([text, *(" ".join(c) for c in combos)]))


def _covers(role: Role, on: date) -> bool:
    return (role.start is None or role.start <= on) and (role.end is None or on <= role.end)
