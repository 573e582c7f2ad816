"""Tests for the gazetteer's fallback on other spellings: transliteration keys and close spellings."""

from __future__ import annotations

import pytest

from khabar.errors import KnowledgeError
from khabar.knowledge.gazetteer import KNOWLEDGE_DIR, Gazetteer, Spellings, load_gazetteer, normalize_name

CITIES = (
    "34.43,62.19,Herat,Herat,,AF\n"
    "18.83,-72.10,Mirebalais,Centre,,HT\n"
    "31.50,34.46,Khan Yunis,Gaza Strip,,PS\n"
    "33.51,36.29,Dimashq,Dimashq,,SY\n"
)


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("spellings")
    (folder / "places.tsv").write_text("id\tname\taliases\tfeature\tcountry\tadmin1\tlat\tlon\tparent\n")
    (folder / "cities.csv").write_text("lat,lon,name,admin1,admin2,cc\n" + CITIES, encoding="utf-8")
    return Gazetteer(
        supplement=folder / "places.tsv",
        countries=KNOWLEDGE_DIR / "country_centroids.tsv",
        cities=folder / "cities.csv",
        lexicon=KNOWLEDGE_DIR / "lexicons" / "places.yaml",
    )


def spelling_key(gazetteer: Gazetteer, name: str) -> str:
    return gazetteer._spellings.key(normalize_name(name))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Hodeidah", "Al Hudaydah"),
        ("Hodeida", "al-Hudaydah"),
        ("Mossul", "Mosul"),
        ("Khan Younis", "Khan Yunis"),
        ("Qandahar", "Kandahar"),
        ("Ash Shihr", "Shihr"),
    ],
)
def test_spelling_key_reads_transliterations_alike(small, one, other):
    assert spelling_key(small, one) == spelling_key(small, other)


def test_spelling_key_keeps_different_names_apart(small):
    assert spelling_key(small, "Herat") != spelling_key(small, "Harat")
    # The article alone is a name, not a prefix to drop.
    assert spelling_key(small, "Al") == "al"


def test_spellings_reject_a_malformed_pair(tmp_path):
    with pytest.raises(KnowledgeError, match=r"spellings\.pairs"):
        Spellings.from_lexicon({"pairs": [["ou"]]}, path=tmp_path / "places.yaml")


def test_lookup_finds_another_transliteration_in_the_articles_country(small):
    place = small.lookup("Khan Younis", countries=("PS",))
    assert place is not None and place.name == "Khan Yunis"


def test_lookup_finds_a_close_spelling_only_in_the_articles_countries(small):
    place = small.lookup("Mirebalai", countries=("HT",))
    assert place is not None and place.name == "Mirebalais"
    assert small.lookup("Mirebalai", countries=("PK",)) is None
    assert small.lookup("Mirebalai") is None


def test_close_spelling_needs_the_same_first_letter_and_a_long_enough_name(small):
    assert small.lookup("Nirebalais", countries=("HT",)) is None
    assert small.lookup("Herta", countries=("AF",)) is None


def test_exact_names_still_win_over_other_spellings(small):
    place = small.lookup("Herat", countries=("AF",))
    assert place is not None and place.id == "gn:AF:herat:herat"


@pytest.mark.parametrize("countries", [("YE",), ()])
def test_hodeidah_is_geonames_al_hudaydah_with_or_without_context(gz, countries):
    # GeoNames spells the port only "Al Hudaydah"; its province makes the name well known.
    place = gz.lookup("Hodeidah", countries=countries)
    assert place is not None and place.id == "gn:YE:muhafazat-al-hudaydah:al-hudaydah"


def test_mosul_spellings_need_iraq_in_context(gz):
    assert gz.lookup("Mossul", countries=("IQ",)).name == "Mosul"
    assert gz.lookup("Al Mosul", countries=("IQ",)).name == "Mosul"
    # A city that is neither capital nor province is not guessed at without context.
    assert gz.lookup("Mossul") is None


def test_benghazi_and_banghazi_are_both_known_exactly(gz):
    assert gz.lookup("Benghazi", countries=("LY",)).id == "gn:LY:banghazi:benghazi"
    assert gz.lookup("Banghazi", countries=("LY",)).country == "LY"


def test_muhafazat_province_names_pair_with_their_subdivision(gz):
    # GeoNames' "Muhafazat al Hudaydah" is pycountry's "Al Ḩudaydah", not a second province.
    assert gz.lookup("Al Hudaydah province").id == "adm1:YE-HU"
