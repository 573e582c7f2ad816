"""Tests for khabar.extract.places and khabar.extract.place_links on names the model or GeoNames'
towns miss: names a kind of place qualifies, mislabelled names, and places the gazetteer lacks
linked to the area they lie in. Sentences written for the tests, from many conflicts."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from khabar.extract.places import PlaceMatch, article_countries, find_places
from khabar.knowledge.gazetteer import Gazetteer, load_gazetteer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return load_gazetteer()


def places(nlp, gz, text: str, *, countries=None) -> dict[str, PlaceMatch]:
    doc = nlp(text)
    context = article_countries(doc, gazetteer=gz) if countries is None else countries
    return {m.ref.text: m for m in find_places(doc, gazetteer=gz, countries=context)}


# ---- names a kind of place qualifies --------------------------------------------------------------


def test_extract_places_name_before_a_lower_case_feature_word(nlp, gz):
    found = places(nlp, gz, "Fighters seized a police station in Rakhine state on Friday.", countries=["MM"])
    assert found["Rakhine"].place.id == "adm1:MM-16"  # the name, the feature word apart
    assert not found["Rakhine"].linked


def test_extract_places_region_means_the_province_when_there_is_no_region_of_that_name(nlp, gz):
    found = places(nlp, gz, "Shelling hit two villages in the Kherson region overnight.", countries=["UA"])
    assert found["Kherson"].place.feature == "admin1"


def test_extract_places_name_after_a_feature_word_and_of(nlp, gz):
    text = "Warplanes struck the port of Hodeidah and the town of Gwoza on the same day."
    found = places(nlp, gz, text, countries=["YE", "NG"])
    assert found["Hodeidah"].place.country == "YE"  # GeoNames spells it Al Hudaydah
    assert found["Gwoza"].place.id == "gn:NG:borno:gwoza"


@pytest.mark.parametrize(
    "text",
    [
        "Islamic State fighters claimed the attack.",
        "A spokesman for the Department of Defense declined to comment.",
        "Several district officials resigned on Monday.",
    ],
)
def test_extract_places_organisations_with_feature_words_are_no_places(nlp, gz, text):
    assert places(nlp, gz, text, countries=["US", "IQ"]) == {}


def labelled(nlp, text: str, name: str, label: str) -> Doc:
    """The parse of `text` with `name` given this entity label, whatever the model said."""
    doc = nlp(text)
    start = text.index(name)
    doc.ents = [doc.char_span(start, start + len(name), label=label)]
    return doc


@pytest.mark.parametrize("label", ["PRODUCT", "NORP", "WORK_OF_ART"])
def test_extract_places_mislabelled_name_after_near_is_a_place(nlp, gz, label):
    doc = labelled(nlp, "Gunmen ambushed a bus near Ansongo on Monday.", "Ansongo", label)
    found = find_places(doc, gazetteer=gz, countries=["ML"])
    assert [(m.ref.text, m.place.id) for m in found] == [("Ansongo", "gn:ML:gao:ansongo")]


def test_extract_places_stray_lower_case_word_is_trimmed_from_an_entity(nlp, gz):
    doc = labelled(nlp, "Insurgents attacked the town of Ansongo on 9 June.", "Ansongo on", "WORK_OF_ART")
    found = find_places(doc, gazetteer=gz, countries=["ML"])
    assert [m.ref.text for m in found] == ["Ansongo"]


# ---- names the gazetteer lacks ------------------------------------------------------------------


def test_extract_places_unknown_village_linked_to_the_place_its_phrase_names(nlp, gz):
    text = "Soldiers raided the village of Konna near Mopti on Thursday."
    found = places(nlp, gz, text, countries=["ML"])
    assert found["Konna"].linked
    assert found["Konna"].place.id == "gn:ML:mopti:mopti"
    assert found["Konna"].ref.place == "gn:ML:mopti:mopti"
    assert text[slice(*found["Konna"].ref.span)] == "Konna"


def test_extract_places_unknown_territory_linked_to_its_province_in_apposition(nlp, gz):
    found = places(nlp, gz, "Rebels advanced in Masisi territory, North Kivu, this week.", countries=["CD"])
    masisi = found["Masisi territory"]  # a name the gazetteer lacks keeps its feature word
    assert masisi.linked and masisi.place.id == "adm1:CD-NK"
    assert gz.acled_geo_precision(masisi.place) == 3


def test_extract_places_unknown_name_repeated_is_linked_alike(nlp, gz):
    text = (
        "Clashes broke out in the town of Kurakhove, in the Donetsk region, on Monday. "
        "By Wednesday most residents had left Kurakhove."
    )
    found = [m for m in find_places(nlp(text), gazetteer=gz, countries=["UA"]) if m.ref.text == "Kurakhove"]
    assert len(found) == 2
    assert {m.place.id for m in found} == {"adm1:UA-14"}


def test_extract_places_unknown_name_linked_to_the_area_all_the_articles_places_share(nlp, gz):
    text = (
        "Jihadists attacked the town of Gossi on Sunday. Survivors fled to Gao and Ansongo, "
        "officials in Mali said."
    )
    found = places(nlp, gz, text)
    assert found["Gossi"].linked
    assert found["Gossi"].place == gz.lookup("Gao region", countries=["ML"])
    assert found["Gossi"].place.feature == "admin1"


def test_extract_places_unknown_name_not_linked_when_the_article_spans_two_countries(nlp, gz):
    text = "A missile landed near the village of Ngorongwe. Officials in Kenya and Uganda traded blame."
    assert "Ngorongwe" not in places(nlp, gz, text)


def test_extract_places_unknown_name_linked_to_the_area_its_clause_names(nlp, gz):
    text = "Fighters attacked a convoy near the village of Anefis in northern Mali, while Kenya and Chad met."
    found = places(nlp, gz, text)
    assert found["Anefis"].place.id == "country:ML"
    assert gz.acled_geo_precision(found["Anefis"].place) == 3


def test_extract_places_bare_unknown_name_is_linked_only_by_its_own_phrase(nlp, gz):
    # a name the model took for a place may be a person: the clause's country is not enough
    text = "Relatives said Kalimbo was getting better and would travel back to Uganda."
    assert "Kalimbo" not in places(nlp, gz, text, countries=["UG"])
    found = places(
        nlp, gz, "The rebels advanced on Kalimbo, North Kivu province, on Monday.", countries=["CD"]
    )
    assert found["Kalimbo"].place.id == "adm1:CD-NK"
    found = places(nlp, gz, "Rebels took Kalimbo, a town in North Kivu, on Monday.", countries=["CD"])
    assert found["Kalimbo"].place.id == "adm1:CD-NK"


def test_extract_places_unknown_names_that_are_no_words_are_not_linked(nlp, gz):
    text = "M23 fighters entered the town of Kalehe, in South Kivu province."
    found = places(nlp, gz, text, countries=["CD"])
    assert "M23" not in found
    assert found["Kalehe"].place.id == "adm1:CD-south-kivu"


def test_extract_places_dateline_does_not_make_the_articles_focus(nlp, gz):
    text = "BAMAKO, Mali (Reuters) - Gunmen attacked the village of Ngorongwe, in Niger, on Sunday."
    found = places(nlp, gz, text)
    assert found["Ngorongwe"].place.id == "country:NE"


def test_extract_places_linked_names_do_not_vote_for_the_articles_countries(nlp, gz):
    doc = nlp("Gunmen attacked the villages of Kalimbo, Ngorongwe and Djugu in Ituri province, DR Congo.")
    assert article_countries(doc, gazetteer=gz) == ["CD"]
