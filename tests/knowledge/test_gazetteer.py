"""Tests for khabar.knowledge.gazetteer: lookup, ranking, ids, containment, precision, data files."""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry
import pytest

from khabar.errors import KnowledgeError
from khabar.knowledge.gazetteer import FEATURES, KNOWLEDGE_DIR, Gazetteer, load_gazetteer, normalize_name

SUPPLEMENT_HEADER = "id\tname\taliases\tfeature\tcountry\tadmin1\tlat\tlon\tparent\n"


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return load_gazetteer()


def small_gazetteer(tmp_path: Path, *, supplement: str = "", cities: str = "") -> Gazetteer:
    """A gazetteer over the real countries and a handful of cities written here."""
    (tmp_path / "places.tsv").write_text(SUPPLEMENT_HEADER + supplement, encoding="utf-8")
    (tmp_path / "cities.csv").write_text("lat,lon,name,admin1,admin2,cc\n" + cities, encoding="utf-8")
    return Gazetteer(
        supplement=tmp_path / "places.tsv",
        countries=KNOWLEDGE_DIR / "country_centroids.tsv",
        cities=tmp_path / "cities.csv",
        lexicon=KNOWLEDGE_DIR / "lexicons" / "places.yaml",
    )


def test_gazetteer_normalize_name_ignores_case_accents_dots_and_the():
    assert normalize_name("D.I. Khan") == normalize_name("DI Khan") == "di khan"
    assert normalize_name("Türkiye") == "turkiye"
    assert normalize_name("the Gaza Strip") == "gaza strip"
    assert normalize_name("Afghanistan’s") == "afghanistan"
    assert normalize_name("Gilgit-Baltistan") == "gilgit baltistan"


def test_gazetteer_is_cached(gz):
    assert load_gazetteer() is gz


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("U.S.", "US"),
        ("United States of America", "US"),
        ("Britain", "GB"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Iran", "IR"),
        ("Russia", "RU"),
        ("Ivory Coast", "CI"),
        ("Kosovo", "XK"),
    ],
)
def test_gazetteer_resolves_country_names_and_short_forms(gz, name, code):
    place = gz.lookup(name)
    assert place is not None and place.id == f"country:{code}" and place.feature == "country"
    assert place.lat is not None and place.lon is not None


def test_gazetteer_every_country_has_a_centroid(gz):
    for country in pycountry.countries:
        place = gz.place(f"country:{country.alpha_2}")
        assert place is not None and place.lat is not None, country.alpha_2


@pytest.mark.parametrize(
    ("name", "place_id", "feature"),
    [
        ("Orakzai", "pk-orakzai", "admin2"),
        ("D.I. Khan", "gn:PK:khyber-pakhtunkhwa:dera-ismail-khan", "city"),
        ("DI Khan", "gn:PK:khyber-pakhtunkhwa:dera-ismail-khan", "city"),
        ("Bagram Air Base", "af-bagram-airbase", "base"),
        ("Bagram airfield", "af-bagram-airbase", "base"),
        ("Torkham", "pk-torkham", "crossing"),
        ("Spin Boldak", "gn:AF:kandahar:spin-boldak", "town"),
        ("the Durand Line", "af-pk-border", "border"),
        ("Tirah valley", "pk-tirah", "region"),
        ("KPK", "adm1:PK-KP", "admin1"),
        ("FATA", None, "region"),
        ("Al-Fashir", "gn:SD:northern-darfur:el-fasher", "city"),
        ("Donbass", "ua-donbas", "region"),
    ],
)
def test_gazetteer_resolves_supplement_names_and_aliases(gz, name, place_id, feature):
    place = gz.lookup(name)
    assert place is not None and place.feature == feature
    assert place_id is None or place.id == place_id


def test_gazetteer_context_country_chooses_among_namesakes(gz):
    assert gz.lookup("Hyderabad", countries=["PK"]).country == "PK"
    assert gz.lookup("Hyderabad", countries=["IN"]).country == "IN"
    assert gz.lookup("Punjab", countries=["IN", "PK"]).id == "adm1:IN-PB"
    assert gz.lookup("Punjab", countries=["PK"]).id == "adm1:PK-PB"
    assert gz.lookup("Georgia", countries=["US"]).id == "adm1:US-GA"
    assert gz.lookup("Georgia").id == "country:GE"


def test_gazetteer_article_countries_never_turn_a_country_into_a_village(gz):
    assert gz.lookup("China", countries=["US"]).id == "country:CN"
    assert gz.lookup("Italy", countries=["US"]).id == "country:IT"
    assert gz.lookup("US", countries=["FR"]).id == "country:US"


def test_gazetteer_province_abroad_does_not_beat_a_town(gz):
    assert gz.lookup("Manchester", countries=["FR"]).country == "GB"
    assert gz.lookup("Texas", countries=["FR"]).id == "adm1:US-TX"


def test_gazetteer_well_known_places(gz):
    assert gz.well_known("country:PK") and gz.well_known("adm1:PK-KP") and gz.well_known("pk-orakzai")
    assert gz.well_known(gz.lookup("Kabul").id)
    assert not gz.well_known(gz.lookup("Hyderabad").id)


def test_gazetteer_world_regions_have_no_country(gz):
    middle_east = gz.lookup("the Middle East")
    assert middle_east.feature == "region" and middle_east.country is None
    assert gz.acled_geo_precision(middle_east) == 3


def test_gazetteer_lexicon_words(gz):
    assert gz.is_feature_word("Province") and gz.is_feature_word("airbase")
    assert not gz.is_feature_word("Army")
    assert gz.is_locative("near") and not gz.is_locative("said")


def test_gazetteer_prefers_capitals_among_cities(gz):
    assert gz.lookup("Paris").country == "FR"
    assert gz.lookup("London").country == "GB"
    assert gz.lookup("Kabul").id == "gn:AF:kabul:kabul"


def test_gazetteer_city_wins_over_the_province_named_after_it(gz):
    assert gz.lookup("Kandahar").feature == "city"
    assert gz.lookup("Herat").feature == "city"


def test_gazetteer_feature_word_chooses_the_kind_of_place(gz):
    assert gz.lookup("Kandahar province").id == "adm1:AF-KAN"
    assert gz.lookup("Herat Province").feature == "admin1"
    assert gz.lookup("Gaza City").id == "gn:PS:gaza-strip:gaza"
    assert gz.lookup("Khartoum State").feature == "admin1"


def test_gazetteer_common_noun_alias_needs_the_articles_countries(gz):
    assert gz.lookup("the border area") is None
    assert gz.lookup("the border area", countries=["US"]) is None
    assert gz.lookup("the border area", countries=["PK", "AF"]).id == "af-pk-border"


def test_gazetteer_unknown_name_is_none(gz):
    assert gz.lookup("Xyzzyville Qwertstan") is None
    assert gz.lookup("") is None
    assert gz.place("gn:PK:nowhere:nothing") is None
    assert gz.place("no-such-id") is None


@pytest.mark.parametrize(
    "name", ["Peshawar", "Kabul", "Lahore", "Springfield", "Orakzai", "Khyber Pakhtunkhwa"]
)
def test_gazetteer_ids_round_trip(gz, name):
    place = gz.lookup(name)
    assert gz.place(place.id) == place


def test_gazetteer_city_ids_are_readable(gz):
    assert gz.lookup("Peshawar").id == "gn:PK:khyber-pakhtunkhwa:peshawar"
    assert gz.lookup("Peshawar").admin1 == "Khyber Pakhtunkhwa"


def test_gazetteer_second_namesake_in_one_province_gets_a_suffix(tmp_path):
    small = small_gazetteer(tmp_path, cities="1.0,1.0,Twin,Alpha,,PK\n1.5,1.5,Twin,Alpha,,PK\n")
    ids = [p.id for p in small.candidates("Twin")]
    assert sorted(ids) == ["gn:PK:alpha:twin", "gn:PK:alpha:twin~2"]
    assert small.place("gn:PK:alpha:twin~2").lat == 1.5


def test_gazetteer_contains(gz):
    peshawar = gz.lookup("Peshawar").id
    assert gz.contains("country:PK", "adm1:PK-KP")
    assert gz.contains("adm1:PK-KP", peshawar)
    assert gz.contains("country:PK", peshawar)
    assert gz.contains("adm1:PK-KP", "pk-orakzai")
    assert gz.contains("pk-khyber", "pk-tirah")
    assert gz.contains("country:AF", "af-bagram-airbase")
    assert gz.contains("country:AF", "pk-torkham") and gz.contains("country:PK", "pk-torkham")
    assert not gz.contains("country:AF", "adm1:PK-KP")
    assert not gz.contains("adm1:PK-KP", "adm1:PK-KP")
    assert not gz.contains("pk-orakzai", "adm1:PK-KP")


def test_gazetteer_former_tribal_areas_lie_in_khyber_pakhtunkhwa(gz):
    miran_shah = gz.lookup("Miranshah")
    assert gz.contains("pk-north-waziristan", miran_shah.id)
    assert gz.contains("adm1:PK-KP", miran_shah.id)
    assert miran_shah.admin1 == "Khyber Pakhtunkhwa"


def test_gazetteer_country_of(gz):
    assert gz.country_of("pk-orakzai") == "PK"
    assert gz.country_of(gz.lookup("Jalalabad").id) == "AF"
    assert gz.country_of("af-pk-border") is None
    assert gz.countries_of("af-pk-border") == ("AF", "PK")


@pytest.mark.parametrize(
    ("place_id", "precision"),
    [
        ("gn:AF:kabul:kabul", 1),
        ("af-bagram-airbase", 1),
        ("pk-torkham", 1),
        ("pk-orakzai", 2),
        ("pk-tirah", 2),
        ("adm1:PK-KP", 3),
        ("adm1:PK-federally-administered-tribal-areas", 3),
        ("af-pk-border", 3),
        ("country:PK", 3),
        ("ua-donbas", 3),
    ],
)
def test_gazetteer_acled_geo_precision(gz, place_id, precision):
    assert gz.acled_geo_precision(gz.place(place_id)) == precision


def test_gazetteer_demonyms(gz):
    assert gz.demonym_country("Pakistani") == "PK"
    assert gz.demonym_country("Afghans") == "AF"
    assert gz.demonym_country("Sudanese") == "SD"
    assert gz.demonym_country("Kabul") is None


# ---- the data files ------------------------------------------------------------------------------


def supplement_rows() -> list[dict[str, str]]:
    lines = (KNOWLEDGE_DIR / "places.tsv").read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader([line for line in lines if not line.startswith("#")], delimiter="\t"))


def test_gazetteer_supplement_rows_are_well_formed(gz):
    for row in supplement_rows():
        assert row["feature"] in FEATURES, row["id"]
        place = gz.place(row["id"])
        assert place is not None and place.lat is not None, row["id"]
        assert not row["parent"] or gz.place(row["parent"]) is not None, row["id"]


def test_gazetteer_supplement_aliases_name_one_place_each():
    """Two rows may share a name (the city and the province of Kandahar), never an alias."""
    rows = supplement_rows()
    names = {normalize_name(row["name"]): row["id"] for row in rows}
    owner: dict[str, str] = {}
    for row in rows:
        for key in {normalize_name(alias) for alias in row["aliases"].split("|")} - {""}:
            assert owner.setdefault(key, row["id"]) == row["id"], key
            assert names.get(key, row["id"]) == row["id"], key


def test_gazetteer_supplement_covers_this_conflicts_places(gz):
    for name in [
        "Khyber Pakhtunkhwa",
        "Balochistan",
        "Gilgit-Baltistan",
        "ex-FATA",
        "Bajaur",
        "Mohmand",
        "South Waziristan",
        "Bannu",
        "Lakki Marwat",
        "Angoor Adda",
        "Ghulam Khan",
        "Kharlachi",
        "Pak-Afghan border",
        "Paktika",
        "Paktia",
        "Khost province",
        "Kunar",
        "Nangarhar",
        "Nuristan",
        "Helmand",
        "Zabul",
        "Nimroz",
        "Bagram Airbase",
        "Jalalabad",
        "Quetta",
        "Islamabad",
        "Rawalpindi",
        "El Fasher",
        "Gaza Strip",
    ]:
        assert gz.lookup(name) is not None, name


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("x-a\tA\t\tplanet\tPK\t\t1\t1\t\n", "unknown feature"),
        ("x-a\tA\t\ttown\tZZ\t\t1\t1\t\n", "unknown country"),
        ("x-a\tA\t\ttown\tPK\t\tnorth\t1\t\n", "not numbers"),
        ("x-a\tA\t\ttown\tPK\t\t1\t1\tno-such-parent\n", "unknown parent"),
        ("gn:PK:nowhere:nothing\tA\t\ttown\tPK\t\t1\t1\t\n", "no generated place"),
        ("x-a\tA\t\ttown\tPK\t\t1\t1\n", "columns"),
    ],
)
def test_gazetteer_malformed_supplement_names_file_line_and_reason(tmp_path, row, reason):
    with pytest.raises(KnowledgeError) as error:
        small_gazetteer(tmp_path, supplement=row)
    assert "places.tsv" in str(error.value) and reason in str(error.value) and "line" in str(error.value)


def test_gazetteer_supplement_corrects_a_generated_place(tmp_path):
    small = small_gazetteer(
        tmp_path,
        cities="10.0,20.0,Oldname,Alpha,,PK\n",
        supplement="gn:PK:alpha:oldname\tNewname\tOther Name\ttown\tPK\t\t11.5\t21.5\t\n",
    )
    place = small.lookup("Other Name")
    assert (place.id, place.name) == ("gn:PK:alpha:oldname", "Newname")
    assert (place.feature, place.lat, place.lon) == ("town", 11.5, 21.5)
    assert small.lookup("Oldname") == place
