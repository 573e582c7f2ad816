"""params: one set of event parameters for the API and the pages; blanks are absent, types and
countries are normalised, dates must be in order."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from khabar.store.repository import EventFilter
from khabar.web.params import EventPageQuery, EventQuery


def test_web_params_blank_fields_are_absent():
    query = EventQuery.model_validate({"since": "", "type": " ", "sort": "", "limit": ""})
    assert query == EventQuery()


def test_web_params_are_normalised_into_the_store_filter():
    query = EventQuery.model_validate({"type": "assault", "country": "Pakistan", "until": "2025-10-11"})
    assert query.where() == EventFilter(type="ASSAULT", country="PK", until=date(2025, 10, 11))
    assert EventQuery(country="xx").country == "XX"


def test_web_params_refuse_reversed_dates_and_unknown_types():
    with pytest.raises(ValidationError, match="is after"):
        EventQuery.model_validate({"since": "2025-10-12", "until": "2025-10-11"})
    with pytest.raises(ValidationError, match="unknown event type 'bombing'"):
        EventQuery(type="bombing")


def test_web_params_link_only_what_differs_from_the_defaults():
    query = EventPageQuery.model_validate(
        {"type": "FIGHT", "sort": "date", "view": "timeline", "offset": "50"}
    )
    assert query.params() == {"type": "FIGHT", "view": "timeline", "offset": "50"}
    assert query.params(view=None, offset=0) == {"type": "FIGHT"}
