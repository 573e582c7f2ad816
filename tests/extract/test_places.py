"""Tests for khabar.extract.places: finding place mentions and the article's countries."""

from __future__ import annotations

import pytest

from khabar.extract.places import PlaceMatch, article_countries, find_places
from khabar.knowledge.gazetteer import Gazetteer, load_gazetteer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return load_gazetteer()


def places(nlp, gz, text: str, *, countries=None) -> list[PlaceMatch]:
    doc = nlp(text)
    context = article_countries(doc, gazetteer=gz) if countries is None else countries
    return find_places(doc, gazetteer=gz, countries=context)


def texts(matches: list[PlaceMatch]) -> list[str]:
    return [m.ref.text for m in matches]


def test_extract_places_spans_point_at_the_words(nlp, gz):
    text = "Drones struck Kabul and Kandahar, and the Pakistan-Afghanistan border stayed closed."
    found = places(nlp, gz, text)
    assert texts(found) == ["Kabul", "Kandahar", "Pakistan-Afghanistan border"]
    for match in found:
        start, end = match.ref.span
        assert text[start:end] == match.ref.text
        assert match.ref.place == match.place.id


def test_extract_places_finds_supplement_places_the_model_misses(nlp, gz):
    text = "Gunmen ambushed a convoy in Orakzai before fleeing towards Spin Boldak and Dera Ismail Khan."
    found = {m.ref.text: m.place.id for m in places(nlp, gz, text)}
    assert found["Orakzai"] == "pk-orakzai"
    assert found["Spin Boldak"] == "gn:AF:kandahar:spin-boldak"
    assert found["Dera Ismail Khan"] == "gn:PK:khyber-pakhtunkhwa:dera-ismail-khan"


def test_extract_places_resolves_bases_and_crossings(nlp, gz):
    text = "Trucks queued at the Torkham crossing while helicopters left the Bagram Airbase."
    found = {m.ref.text: m.place for m in places(nlp, gz, text)}
    assert found["Torkham crossing"].feature == "crossing"
    assert found["Bagram Airbase"].feature == "base"


def test_extract_places_demonyms_are_not_places(nlp, gz):
    found = places(nlp, gz, "Pakistani and Afghan delegates met; Sudanese refugees watched.")
    assert found == []


@pytest.mark.parametrize(
    "text",
    [
        "The Pakistan Army denied the report.",
        "A spokesman for the Khyber Pakhtunkhwa Police declined to comment.",
        "The Afghan Taliban rejected the claim.",
        "Officers of the Pakistan Air Force were briefed.",
    ],
)
def test_extract_places_organisation_names_are_not_places(nlp, gz, text):
    assert places(nlp, gz, text) == []


def test_extract_places_place_before_a_title_and_name_is_a_place(nlp, gz):
    found = places(nlp, gz, "U.S. President Donald Trump met Pakistan Army chief Asim Munir.")
    assert [(m.ref.text, m.place.id) for m in found] == [("U.S.", "country:US")]


def test_extract_places_drops_lower_case_qualifiers(nlp, gz):
    found = places(nlp, gz, "He lives in Brent, north west London, with his family.")
    assert "London" in texts(found)


def test_extract_places_country_named_as_actor_is_still_a_place(nlp, gz):
    found = places(nlp, gz, "Pakistan launched airstrikes in Afghanistan on Thursday.")
    assert [(m.ref.text, m.place.id) for m in found] == [
        ("Pakistan", "country:PK"),
        ("Afghanistan", "country:AF"),
    ]


def test_extract_places_drops_the_article_and_possessive(nlp, gz):
    text = "Israeli jets struck the Gaza Strip, and Afghanistan's border posts were shelled."
    found = places(nlp, gz, text)
    assert texts(found) == ["Gaza Strip", "Afghanistan"]
    assert text[slice(*found[1].ref.span)] == "Afghanistan"


def test_extract_places_common_noun_alias_needs_the_articles_countries(nlp, gz):
    text = "Pakistani and Afghan troops exchanged fire in the border area near Chaman."
    assert "border area" in texts(places(nlp, gz, text))
    assert "border area" not in texts(places(nlp, gz, text, countries=["SD", "TD"]))


def test_extract_places_lower_case_word_is_not_a_capitalised_place_name(nlp, gz):
    text = "Officers called a swat team to the district of Swat."
    found = places(nlp, gz, text)
    assert [(m.ref.text, m.ref.span[0]) for m in found] == [("Swat", text.rindex("Swat"))]


def test_extract_places_article_countries_choose_among_namesakes(nlp, gz):
    pakistani = "Pakistani police said a bomb exploded in Hyderabad, Sindh, killing two in Pakistan's south."
    indian = "Indian police in Telangana said a bomb exploded in Hyderabad; India's government condemned it."
    assert {m.ref.text: m.place.country for m in places(nlp, gz, pakistani)}["Hyderabad"] == "PK"
    assert {m.ref.text: m.place.country for m in places(nlp, gz, indian)}["Hyderabad"] == "IN"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The RSF shelled El Fasher in North Darfur, Sudanese activists said.",
            {"El Fasher": "SD", "North Darfur": "SD"},
        ),
        (
            "Russian forces advanced in the Donbas near Donetsk, Ukrainian officials said.",
            {"Donbas": "UA", "Donetsk": "UA"},
        ),
        ("Jihadists attacked a convoy near Gao in northern Mali.", {"Gao": "ML", "Mali": "ML"}),
    ],
)
def test_extract_places_other_conflicts(nlp, gz, text, expected):
    found = {m.ref.text: m.place.country for m in places(nlp, gz, text)}
    assert found == expected


def test_extract_places_name_mislabelled_as_a_person_after_in_or_near(nlp, gz):
    found = places(nlp, gz, "Jihadists attacked a convoy near Gao in northern Mali.", countries=["ML"])
    assert [(m.ref.text, m.place.country) for m in found] == [("Gao", "ML"), ("Mali", "ML")]
    assert places(nlp, gz, "Jordan Peterson spoke to Chad Smith.", countries=[]) == []


def test_extract_article_countries_rank_by_mentions(nlp, gz):
    doc = nlp(
        "Afghan officials said Pakistani jets bombed Paktika. Kabul condemned the strikes on Afghan soil. "
        "Afghanistan asked Qatar to mediate."
    )
    countries = article_countries(doc, gazetteer=gz)
    assert countries[:2] == ["AF", "PK"]
    assert "QA" in countries


def test_extract_article_countries_ignore_obscure_namesakes(nlp, gz):
    doc = nlp("US officials said the US would respond. The US embassy in Kabul was closed.")
    assert article_countries(doc, gazetteer=gz) == ["US", "AF"]  # not France (the village of Us)


def test_extract_article_countries_empty_without_places(nlp, gz):
    assert article_countries(nlp("Nothing happened here today."), gazetteer=gz) == []
