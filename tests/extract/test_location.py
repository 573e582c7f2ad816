"""Tests for khabar.extract.location: where an event happened, on sentences written for the tests
(Sahel, Great Lakes, Horn of Africa, Ukraine, Myanmar, Colombia)."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from khabar.models import Extraction, Mention

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(read_article):
    return partial(read_article, published=date(2025, 3, 4))


def by_trigger(extraction: Extraction, word: str) -> Mention:
    return next(m for m in extraction.mentions if m.trigger and word in m.trigger)


def where(mention: Mention) -> str | None:
    return mention.location.text if mention.location else None


# ---- the trigger's own phrase ---------------------------------------------------------------------


def test_extract_location_relative_clause_inside_the_phrase_is_another_place(run):
    text = (
        "Government troops and the militia fought in the 2018 war in Ituri, which ended with "
        "talks held in Nairobi in March 2019."
    )
    assert where(by_trigger(run(text), "fought")) == "Ituri"


def test_extract_location_place_entered_or_shaken_is_where_it_happened(run):
    entered = run("On Monday, rebel fighters entered Bunia, the capital of Ituri province, unopposed.")
    assert where(by_trigger(entered, "entered")) == "Bunia"
    shaken = run("Heavy clashes between rival militias rocked Mogadishu overnight.")
    assert where(by_trigger(shaken, "clashes")) == "Mogadishu"


def test_extract_location_country_attacked_is_the_side_not_the_place(run):
    assert where(by_trigger(run("Russia attacked Ukraine with 300 drones overnight."), "attacked")) is None


def test_extract_location_place_naming_another_event_is_not_this_ones(run):
    text = "Fighting between the army and the rebels resumed in breach of the Pretoria agreement."
    assert where(by_trigger(run(text), "Fighting")) is None
    text = "Fighting between the army and the rebels resumed near Pretoria."
    assert where(by_trigger(run(text), "Fighting")) == "Pretoria"


# ---- a sentence that points back --------------------------------------------------------------


def test_extract_location_the_town_in_the_next_sentence_is_the_town_before(run):
    text = (
        "Jihadists attacked the town of Ansongo on Sunday, burning the market. Local officials said "
        "20 people died. Soldiers regained control of the town the next day."
    )
    assert where(by_trigger(run(text), "regained")) == "Ansongo"


def test_extract_location_opening_subject_points_back_across_a_paragraph(run):
    text = (
        "Gunmen raided a village near Gwoza in northeast Nigeria on Monday night, residents said.\n\n"
        "The attackers opened fire on worshippers leaving a mosque, a witness told reporters."
    )
    assert where(by_trigger(run(text), "opened fire")) == "Gwoza"


def test_extract_location_no_pointing_back_without_an_anaphor(run):
    text = (
        "Gunmen raided a village near Gwoza, Nigeria, on Monday.\n\nSoldiers killed six bandits on Tuesday."
    )
    assert where(by_trigger(run(text), "killed")) is None


def test_extract_location_no_pointing_back_across_a_paragraph_from_inside_the_sentence(run):
    text = "Gunmen raided a village near Gwoza, Nigeria.\n\nSoldiers later killed six of the attackers."
    assert where(by_trigger(run(text), "killed")) is None


def test_extract_location_a_sentence_naming_a_place_keeps_its_own(run):
    text = "Drones struck a depot in Kharkiv. The attack also damaged homes in Sumy."
    assert where(by_trigger(run(text), "attack")) == "Sumy"


def test_extract_location_there_points_back(run):
    text = "Rebels seized the town of Gwoza on Friday. Two soldiers were killed there, the army said."
    assert where(by_trigger(run(text), "killed")) == "Gwoza"


# ---- names the gazetteer lacks --------------------------------------------------------------------


def test_extract_location_village_the_gazetteer_lacks_keeps_its_name_and_area(run):
    found = run("Soldiers burned houses in the village of Konna near Mopti on Thursday.")
    burned = by_trigger(found, "burned")
    assert burned.location.text == "Konna"
    assert burned.location.place == "gn:ML:mopti:mopti"
    assert [p.id for p in found.places] == ["gn:ML:mopti:mopti"]
