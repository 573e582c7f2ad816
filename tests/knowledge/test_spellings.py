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


# ---- how keys are made ---------------------------------------------------------------------------


def spellings(*pairs: list[str], articles: tuple[str, ...] = ()) -> Spellings:
    return Spellings.from_lexicon({"articles": list(articles), "pairs": list(pairs)}, path=KNOWLEDGE_DIR)


def test_spelling_key_rewrites_a_words_end_only_there():
    rules = spellings(["y$", "i"])
    assert rules.key("kay") == "kai"
    assert rules.key("yak") == "yak"
    # each word's end: "yak kay" -> "yak" + "kai", the doubled letter across them read once
    assert rules.key("yak kay") == "yakai"


def test_spelling_key_letters_never_span_two_words():
    rules = spellings(["ab", "x"])
    assert rules.key("ab") == "x"
    assert rules.key("a b") == "ab"


def test_spelling_key_applies_pairs_in_order_to_each_word():
    # "ou" first, so "o" no longer sees the "o" of "ou"; "y$" then reads the "y" left at the end
    rules = spellings(["ou", "u"], ["o", "a"], ["y$", "i"], articles=("al",))
    assert rules.key("al mousoy doy") == "musaidai"


@pytest.mark.parametrize("pair", [["o.", "u"], ["ou", 5], ["", "u"], ["$", "u"], ["ou", "u-"]])
def test_spellings_reject_pairs_that_are_not_letters(tmp_path, pair):
    with pytest.raises(KnowledgeError, match=r"spellings\.pairs"):
        Spellings.from_lexicon({"pairs": [pair]}, path=tmp_path / "places.yaml")


# ---- building the index ahead, and looking up close spellings ------------------------------------


def gazetteer_of(folder, cities: str) -> Gazetteer:
    (folder / "places.tsv").write_text("id\tname\taliases\tfeature\tcountry\tadmin1\tlat\tlon\tparent\n")
    (folder / "cities.csv").write_text("lat,lon,name,admin1,admin2,cc\n" + cities, encoding="utf-8")
    return Gazetteer(
        supplement=folder / "places.tsv",
        countries=KNOWLEDGE_DIR / "country_centroids.tsv",
        cities=folder / "cities.csv",
        lexicon=KNOWLEDGE_DIR / "lexicons" / "places.yaml",
    )


def test_warm_builds_the_spelling_index_before_the_first_lookup(tmp_path, monkeypatch):
    gazetteer = gazetteer_of(tmp_path, CITIES)
    gazetteer.warm()

    def built_again(self):
        raise AssertionError("the spelling index is built again")

    monkeypatch.setattr(Gazetteer, "_index_spellings", built_again)
    place = gazetteer.lookup("Khan Younis", countries=("PS",))
    assert place is not None and place.name == "Khan Yunis"
    gazetteer.warm()  # built once: warming again is free


def test_close_spelling_is_the_closest_key_whatever_its_first_letter(tmp_path, small):
    # "Mirebalaiz" is close to Mirebalais, and closer still to Xmirebalaiz, whose first letter
    # differs: the closest spelling decides, and it is another name.
    assert small.lookup("Mirebalaiz", countries=("HT",)).name == "Mirebalais"
    both = gazetteer_of(tmp_path, CITIES + "18.90,-72.20,Xmirebalaiz,Centre,,HT\n")
    assert both.lookup("Mirebalaiz", countries=("HT",)) is None


def test_lookups_answer_alike_whatever_the_countries_asked_before(small):
    assert small.lookup("Mirebalai", countries=("HT",)).name == "Mirebalais"
    assert small.lookup("Mirebalai", countries=("PK",)) is None
    assert small.lookup("Mirebalai", countries=["HT"]).name == "Mirebalais"


def test_candidates_are_a_new_list_each_time(small):
    found = small.candidates("Herat", countries=("AF",))
    found.clear()
    assert [p.id for p in small.candidates("Herat", countries=("AF",))] == ["gn:AF:herat:herat"]


def test_lookups_stay_right_when_the_kept_answers_are_dropped(small, monkeypatch):
    from khabar.knowledge import gazetteer

    monkeypatch.setattr(gazetteer, "_ANSWERS", 1)  # every new answer drops the ones kept
    for _ in range(2):
        assert small.lookup("Herat", countries=("AF",)).id == "gn:AF:herat:herat"
        assert small.lookup("Khan Younis", countries=("PS",)).name == "Khan Yunis"
        assert small.lookup("Mirebalai") is None
