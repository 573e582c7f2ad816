"""params: the query parameters of `khabar serve`, validated once for the API and the pages (#6).

A page URL and an API URL take the same parameters (`/events?type=ASSAULT&since=2025-10-11` and
`/api/events?type=ASSAULT&since=2025-10-11`), so a filtered view is a link one can share. A blank
parameter (an empty form field) counts as absent; an unknown or malformed one is a 422 that names
it and says what would be accepted.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any, Literal, get_args

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..models import PLOVER_TYPES, EventStatus
from ..report.series import country_code
from ..store.repository import EventFilter

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
STATUSES: tuple[str, ...] = get_args(EventStatus)
#: the store's EVENT_SORTS, spelled out so the OpenAPI document lists them (a test keeps them equal)
EventSort = Literal["date", "-date", "killed", "-killed", "corroboration", "-corroboration"]

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many items per page.")]
Offset = Annotated[int, Query(ge=0, description="How many items to skip (the page's start).")]


class EventQuery(BaseModel):
    """Which events to list, in what order, which page."""

    model_config = ConfigDict(extra="forbid")

    since: date | None = Field(None, description="Events that may have happened on or after this day.")
    until: date | None = Field(None, description="Events that may have happened on or before this day.")
    type: str | None = Field(None, description=f"PLOVER event type: {', '.join(PLOVER_TYPES)}.")
    actor: str | None = Field(None, description="An actor id taking part (as doer or target).")
    role: Literal["actor", "recipient"] | None = Field(None, description="With actor: only in this role.")
    country: str | None = Field(None, description="Country of the event's place: ISO code or name.")
    place: str | None = Field(None, description="Place id of the event's location.")
    status: EventStatus | None = Field(None, description="How well the event is established.")
    min_corroboration: int | None = Field(None, ge=1, description="Reported by at least this many articles.")
    sort: EventSort = Field("date", description="Order; a leading '-' reverses it.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.strip().upper() not in PLOVER_TYPES:
            raise ValueError(f"unknown event type {value!r}; use one of {', '.join(PLOVER_TYPES)}")
        return value.strip().upper()

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        # a name or alpha-3 code becomes the stored alpha-2; anything else is matched as given
        return None if value is None else country_code(value) or value.strip().upper()

    @model_validator(mode="after")
    def _ordered(self) -> EventQuery:
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")
        return self

    def where(self) -> EventFilter:
        """The store's filter for these parameters."""
        return EventFilter(**{f.name: getattr(self, f.name) for f in dataclasses.fields(EventFilter)})

    def params(self, **changes: Any) -> dict[str, str]:
        """The parameters that differ from the defaults, as strings, for building links."""
        given = self.model_dump(exclude_defaults=True) | changes
        defaults = {name: field.default for name, field in type(self).model_fields.items()}
        return {k: str(v) for k, v in given.items() if v is not None and v != defaults.get(k)}


class EventPageQuery(EventQuery):
    """The events page: the same parameters, and the view ("table" or "timeline")."""

    view: Literal["table", "timeline"] = "table"
