"""Tests for khabar.knowledge.gazetteer: kinds of place a feature word prefers, other spellings with
a feature word, the smallest area holding places, disputed regions and the conflict regions of the
supplement, and the place cues of lexicons/places.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.errors import KnowledgeError
from khabar.knowledge.gazetteer import KNOWLEDGE_DIR, Gazetteer, load_gazetteer


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return load_gazetteer()


@pytest.mark.parametrize(
    ("name", "countries", "place_id"),
    [
        ("Kherson region", ["UA"], "adm1:UA-65"),  # no region Kherson: the oblast, not the city
        ("Donetsk region", ["UA"], "adm1:UA-14"),
        ("Kayes region", ["ML"], "adm1:ML-1"),
        ("Darfur region", ["SD"], "sd-darfur"),  # a region of that name comes first
        ("Centre department", ["HT"], "adm1:HT-CE"),
    ],
)
def test_gazetteer_feature_word_list_prefers_the_first_kind_the_name_has(gz, name, countries, place_id):
    assert gz.lookup(name, countries=countries).id == place_id


def test_gazetteer_feature_word_list_still_means_the_town_without_the_word(gz):
    assert gz.lookup("Kherson", countries=["UA"]).feature == "city"


def test_gazetteer_other_spelling_with_a_feature_word(gz):
    # GeoNames writes Al Hudaydah; "governorate" asks for the province, not its seat
    assert gz.lookup("Hodeidah governorate", countries=["YE"]).id == "adm1:YE-HU"
    assert gz.lookup("Hodeidah", countries=["YE"]).feature == "city"
    # a guess at the spelling must at least be of the kind asked for: no district of that name
    assert gz.lookup("Hodeidah district", countries=["YE"]) is None


def test_gazetteer_enclosing_is_the_smallest_shared_area(gz):
    gao, ansongo = gz.lookup("Gao", countries=["ML"]), gz.lookup("Ansongo", countries=["ML"])
    mopti = gz.lookup("Mopti", countries=["ML"])
    assert gz.enclosing([gao.id, ansongo.id]) == gz.lookup("Gao region", countries=["ML"])
    assert gz.enclosing([gao.id, mopti.id]).id == "country:ML"
    assert gz.enclosing([gao.id]).feature == "admin1"  # never the town itself
    assert gz.enclosing([gao.id, "country:NE"]) is None
    assert gz.enclosing([]) is None


def test_gazetteer_kashmir_holds_what_each_side_administers(gz):
    srinagar = gz.lookup("Srinagar", countries=["IN"])
    kotli = gz.lookup("Kotli", countries=["PK"])
    assert gz.contains("in-pk-kashmir", srinagar.id) and gz.contains("country:IN", srinagar.id)
    assert gz.contains("in-pk-kashmir", kotli.id) and gz.contains("country:PK", kotli.id)
    assert gz.lookup("Pakistan-held Kashmir").id == "adm1:PK-JK"
    assert gz.lookup("Indian-administered Kashmir").id == "adm1:IN-kashmir"
    assert gz.contains("in-pk-kashmir", "in-pk-line-of-control")  # the line that divides it
    assert gz.place("in-pk-kashmir").country is None  # disputed: no one country
    assert gz.countries_of("in-pk-kashmir") == ("IN", "PK")


@pytest.mark.parametrize(
    ("name", "countries", "place_id", "precision"),
    [
        ("Nagorno-Karabakh", ["AZ"], "az-nagorno-karabakh", 3),
        ("Stepanakert", ["AZ", "AM"], "gn:AZ:xankandi-sahari:xankandi", 1),
        ("Catatumbo", ["CO"], "co-catatumbo", 3),
        ("Eastern Ghouta", ["SY"], "sy-eastern-ghouta", 3),
        ("Kordofan", ["SD"], "sd-kordofan", 3),
        ("Cyrenaica", ["LY"], "ly-cyrenaica", 3),
        ("the three-border area", ["ML", "BF", "NE"], "liptako-gourma", 3),
    ],
)
def test_gazetteer_conflict_regions_geonames_lacks(gz, name, countries, place_id, precision):
    place = gz.lookup(name, countries=countries)
    assert place.id == place_id
    assert gz.acled_geo_precision(place) == precision


def test_gazetteer_place_cues_come_from_the_lexicon(gz):
    assert {"du", "de"} <= gz.cues.particles
    assert "there" in gz.cues.anaphor_adverbs
    assert {"town", "attack", "gunmen"} <= gz.cues.anaphor_nouns
    assert "the" in gz.cues.anaphor_determiners
    assert {"province", "region", "port"} <= gz.feature_words


def test_gazetteer_unknown_feature_in_a_list_names_the_word(tmp_path: Path):
    lexicon = tmp_path / "places.yaml"
    lexicon.write_text("feature_words:\n  region: [region, galaxy]\n", encoding="utf-8")
    (tmp_path / "places.tsv").write_text("id\tname\taliases\tfeature\tcountry\tadmin1\tlat\tlon\tparent\n")
    (tmp_path / "cities.csv").write_text("lat,lon,name,admin1,admin2,cc\n")
    with pytest.raises(KnowledgeError, match="region"):
        Gazetteer(
            supplement=tmp_path / "places.tsv",
            countries=KNOWLEDGE_DIR / "country_centroids.tsv",
            cities=tmp_path / "cities.csv",
            lexicon=lexicon,
        )
