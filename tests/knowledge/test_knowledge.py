"""Tests for khabar.knowledge: the shipped countries and actors, name lookup, dated roles, and the
loader's checks on a knowledge folder an analyst edits by hand (knowledge/README.md)."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pycountry
import pytest
import yaml

from khabar.errors import KnowledgeError
from khabar.knowledge import DEFAULT_PATH, Knowledge, load_knowledge
from khabar.knowledge.loader import _ACTOR_KEYS, _COUNTRY_KEYS, _ROLE_KEYS

#: States without a capital metonym, and why: Victoria (Seychelles) is far more often a person,
#: an Australian state or a Canadian city than a government.
NO_CAPITAL = {"SYC"}


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="module")
def countries() -> list[dict]:
    return yaml.safe_load((DEFAULT_PATH / "countries.yaml").read_text(encoding="utf-8"))["countries"]


def knowledge_copy(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge folder, to extend or break."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name in ("countries.yaml", "actors.yaml"):
        shutil.copy(DEFAULT_PATH / name, folder / name)
    shutil.copytree(DEFAULT_PATH / "lexicons", folder / "lexicons")
    return folder


def add_actors(folder: Path, entries: str) -> None:
    """Append entries (YAML list items, indented two spaces) to the copy's actors.yaml."""
    with (folder / "actors.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n" + entries.strip("\n") + "\n")


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in the shipped {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- countries -----------------------------------------------------------------------------------


def test_knowledge_has_every_un_member_state_and_the_observers(kb, countries):
    members = [c for c in countries if not c.get("status")]
    assert len(members) == 193
    assert {c["iso3"] for c in countries if c.get("status") == "observer"} == {"PSE", "VAT"}
    for country in countries:
        if country["iso2"] != "XK":  # Kosovo's code is user-assigned, not in ISO 3166
            assert pycountry.countries.get(alpha_2=country["iso2"]).alpha_3 == country["iso3"]
        state = kb.actor(country["iso3"])
        assert (state.kind, state.country, state.acled_inter) == ("state", country["iso2"], 1)
        assert kb.state(country["iso2"]) is state


def test_knowledge_every_state_has_a_demonym_and_a_capital(countries):
    assert all(c.get("demonyms") for c in countries)
    assert {c["iso3"] for c in countries if not c.get("capitals")} == NO_CAPITAL


def test_knowledge_every_name_of_a_country_finds_it_unless_it_is_shared(kb, countries):
    shared = yaml.safe_load((DEFAULT_PATH / "countries.yaml").read_text(encoding="utf-8"))["ambiguous"]
    for country in countries:
        for key in ("aliases", "demonyms", "capitals"):
            for name in [country["name"], *(country.get(key) or [])]:
                expected = shared.get(name, country["iso3"])
                assert kb.lookup_actor(name).id == expected, (name, country["iso3"])


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("Islamabad", "PAK"),
        ("Kabul", "AFG"),
        ("Khartoum", "SDN"),
        ("Bogotá", "COL"),
        ("Bogota", "COL"),
        ("Bamako", "MLI"),
        ("Naypyidaw", "MMR"),
        ("Kyiv", "UKR"),
        ("Moscow", "RUS"),
        ("Pakistani", "PAK"),
        ("Sudanese", "SDN"),
        ("Burmese", "MMR"),
        ("Burma", "MMR"),
        ("the U.S.", "USA"),
        ("Türkiye", "TUR"),
        ("Côte d'Ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
    ],
)
def test_knowledge_capitals_demonyms_and_short_forms_name_the_state(kb, name, state):
    assert kb.lookup_actor(name).id == state


def test_knowledge_a_name_two_countries_share_means_the_listed_default(kb):
    assert kb.lookup_actor("Congo").id == "COD"
    assert kb.lookup_actor("Congolese").id == "COD"
    assert kb.lookup_actor("Congo-Brazzaville").id == "COG"
    assert kb.lookup_actor("Brazzaville").id == "COG"


# ---- actors and names ----------------------------------------------------------------------------


def test_knowledge_demonym_with_officials_is_the_government_under_the_state(kb):
    afghan = kb.lookup_actor("Afghan officials")
    assert (afghan.id, afghan.kind) == ("afg-taliban", "government")
    assert kb.ancestors("afg-defence-ministry") == ["afg-taliban", "AFG"]
    assert kb.lookup_actor("Afghanistan's defense ministry").id == "afg-defence-ministry"


@pytest.mark.parametrize(
    "spelling",
    [
        "Tehrik-i-Taliban Pakistan",
        "Tehreek-e-Taliban Pakistan",
        "Tehrik-e-Taliban",
        "Tehrik-i-Taliban",
        "tehreek e taliban",
        "Pakistani Taliban",
        "TTP",
        "the TTP's",
        "Fitna al-Khawarij",
    ],
)
def test_knowledge_spelling_variants_of_one_group_find_one_id(kb, spelling):
    assert kb.lookup_actor(spelling).id == "ttp"


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("Rapid Support Forces", "sdn-rsf"),
        ("RSF", "sdn-rsf"),
        ("Sudanese Armed Forces", "sdn-saf"),
        ("ELN", "eln"),
        ("Ejército de Liberación Nacional", "eln"),
        ("JNIM", "jnim"),
        ("FAMa", "mli-military"),
        ("Tatmadaw", "mmr-military"),
        ("Arakan Army", "arakan-army"),
        ("Russian defence ministry", "rus-defence-ministry"),
        ("al Shabab", "al-shabaab"),
    ],
)
def test_knowledge_knows_the_main_actors_of_other_conflicts(kb, name, actor):
    assert kb.lookup_actor(name).id == actor


def test_knowledge_lookup_ignores_case_but_matching_names_keep_the_casing_the_file_asks(kb):
    # lookup_actor is for names already found; which words of a text are names is the matcher's
    # business, and it keeps the casing of acronyms and `exact` names (see tests/extract/test_actors.py)
    assert kb.lookup_actor("turkey").id == kb.lookup_actor("Turkey").id == "TUR"
    forms = {(f.text, f.actor): f.exact for f in kb.alias_forms()}
    assert forms["Chad", "TCD"] and forms["Turkey", "TUR"] and forms["Dawn", "dawn"]
    assert forms["TTP", "ttp"] and forms["LeT", "lashkar-e-taiba"]
    assert not forms["Chadian", "TCD"] and not forms["Tehrik-i-Taliban Pakistan", "ttp"]


def test_knowledge_a_name_with_an_acronym_keeps_it_and_varies_the_other_words(kb):
    forms = {f.text for f in kb.alias_forms() if f.actor == "us-military" and f.exact}
    assert {"US troops", "US Troops", "U.S. forces"} <= forms
    assert "us troops" not in forms
    assert {f.text for f in kb.alias_forms() if f.actor == "unsc"} >= {
        "UN Security Council",
        "UN security council",
        "United Nations Security Council",
    }


def test_knowledge_alias_forms_drop_a_leading_the_and_add_typographic_apostrophes(kb):
    texts = {f.text for f in kb.alias_forms() if f.actor == "us-military"}
    assert "Pentagon" in texts and "the Pentagon" not in texts
    texts = {f.text for f in kb.alias_forms() if f.actor == "mmr-pdf"}
    assert {"People's Defence Force", "People’s Defence Force"} <= texts


def test_knowledge_generic_actors_specialise_by_country(kb):
    assert kb.is_generic("police") and not kb.is_generic("pak-police")
    assert kb.instance("PK", "police").id == "pak-police"
    assert kb.instance("SD", "military").id == "sdn-saf"
    assert kb.instance("RU", "defence-ministry").id == "rus-defence-ministry"
    # without a declared instance: the country's first state-side actor of the generic's kind ...
    assert kb.instance("RU", "army").id == "rus-military"
    # ... unless the generic is narrow: Ukraine's government is not its defence ministry
    assert kb.instance("UA", "defence-ministry") is None
    # rebels are never "the country's militants", and a named actor is not a generic one
    assert kb.instance("PK", "militants") is None
    assert kb.instance("PK", "ttp") is None


def test_knowledge_proper_names_hold_cased_names_not_generic_nouns(kb):
    names = kb.proper_names()
    assert {"Islamabad", "Tehrik-i-Taliban Pakistan", "Afghan", "JNIM"} <= names
    assert "police" not in names and "unidentified gunmen" not in names


# ---- dated roles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "holder"),
    [
        (date(2019, 6, 1), "donald-trump"),
        (date(2021, 1, 19), "donald-trump"),
        # both ends of a role count: on a handover day the one who took office last holds it
        (date(2021, 1, 20), "joe-biden"),
        (date(2023, 6, 1), "joe-biden"),
        (date(2025, 1, 20), "donald-trump"),
        (date(2025, 10, 20), "donald-trump"),
    ],
)
def test_knowledge_who_was_us_president_on_a_day(kb, on, holder):
    assert kb.holder_of("President", "USA", on).id == holder
    assert kb.holder_of("president", "US", on).id == holder  # a title variant, an ISO code


def test_knowledge_both_presidents_hold_office_on_the_handover_day(kb):
    handover = date(2021, 1, 20)
    assert [r.title for r in kb.roles_on("donald-trump", handover)] == ["President"]
    assert [r.title for r in kb.roles_on("joe-biden", handover)] == ["President"]
    assert kb.roles_on("donald-trump", date(2021, 1, 21)) == []
    assert [r.title for r in kb.roles_on("joe-biden", date(2015, 5, 5))] == ["Vice President"]


def test_knowledge_pakistan_defence_minister_with_a_month_precise_term(kb):
    assert kb.holder_of("Defence Minister", "PAK", date(2025, 10, 15)).id == "khawaja-asif"
    assert kb.holder_of("defense minister", "PK", date(2022, 4, 1)).id == "khawaja-asif"
    # "to: 2023-08" covers the whole of August, and nothing after it
    assert kb.roles_on("khawaja-asif", date(2023, 8, 31))
    assert kb.roles_on("khawaja-asif", date(2023, 9, 1)) == []
    # an office the file does not know the holder of is unknown, not someone else's
    assert kb.holder_of("Defence Minister", "PAK", date(2023, 10, 1)) is None


def test_knowledge_taliban_foreign_minister_through_any_body_of_their_government(kb):
    on = date(2025, 10, 12)
    for body in ("afg-taliban", "AFG", "AF", "afg-foreign-ministry"):
        assert kb.holder_of("Foreign Minister", body, on).id == "amir-khan-muttaqi", body
    assert kb.holder_of("Minister of Foreign Affairs", "afg-taliban", on).id == "amir-khan-muttaqi"
    assert kb.holder_of("Foreign Minister", "afg-taliban", date(2021, 8, 1)) is None
    # the same title of another country's government is another person
    assert kb.holder_of("Foreign Minister", "PAK", on).id == "ishaq-dar"


def test_knowledge_the_pakistan_army_spokesperson_is_tied_to_the_military(kb):
    person = kb.holder_of("Spokesperson", "pak-army", date(2025, 10, 12))
    assert person.id == "ahmed-sharif-chaudhry"
    assert {r.of for r in person.roles} == {"pak-ispr", "pak-military"}
    assert kb.roles_on("no-such-person", date(2025, 1, 1)) == []


def test_knowledge_titles_know_their_variants(kb):
    assert kb.title("Minister of Defense") == kb.title("defence minister") == "Defence Minister"
    assert kb.title("army chief") == "Chief of Army Staff"
    assert kb.title("grand vizier") is None


def test_knowledge_shipped_roles_use_canonical_titles_and_ids_are_slugs(kb):
    titles = set(kb.lexicon("actors")["titles"])
    for actor in kb.actors.values():
        assert all(role.title in titles for role in actor.roles), actor.id
        if actor.kind != "state":
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", actor.id), actor.id
        if actor.kind in ("state", "government", "military", "police", "rebel", "militia"):
            assert actor.acled_inter is not None, actor.id


# ---- lexicons ------------------------------------------------------------------------------------


def test_knowledge_lexicon_by_name_and_refusals(kb, tmp_path):
    assert "titles" in kb.lexicon("actors")
    with pytest.raises(KnowledgeError, match=r"lexicons/nothing\.yaml: cannot read the file"):
        kb.lexicon("nothing")
    with pytest.raises(KnowledgeError, match="not a lexicon name"):
        kb.lexicon("../actors")
    folder = knowledge_copy(tmp_path)
    (folder / "lexicons" / "events.yaml").write_text("- a list\n- not a mapping\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"events\.yaml: expected a mapping, got list"):
        load_knowledge(folder).lexicon("events")


# ---- a knowledge folder of one's own -------------------------------------------------------------


#: A made-up conflict's actors, as an analyst would add them (made up, so that no shipped actor
#: ever clashes with them).
NEW_CONFLICT = """
  - id: hlf
    name: Highland Liberation Front
    kind: rebel
    country: TL
    acled_inter: 2
    aliases: [HLF, Frente de Libertação das Montanhas]
  - id: tls-border-patrol
    name: Border Patrol Unit of Timor-Leste
    kind: military
    country: TL
    acled_inter: 1
    parent: TLS
    instance_of: [border-forces]
    aliases: [Timorese border patrol]
  - id: ana-soares
    name: Ana Soares
    kind: person
    country: TL
    roles:
      - {title: Spokesperson, of: hlf, from: 2024-06}
"""


def test_knowledge_an_analyst_adds_a_conflict_in_a_copied_folder(tmp_path, kb):
    folder = knowledge_copy(tmp_path)
    add_actors(folder, NEW_CONFLICT)
    mine = load_knowledge(folder)
    assert mine.path == folder
    assert mine.lookup_actor("Frente de Libertacao das Montanhas").id == "hlf"
    assert mine.lookup_actor("Timorese border patrol").id == "tls-border-patrol"
    assert mine.instance("TL", "border-forces").id == "tls-border-patrol"
    assert mine.holder_of("spokeswoman", "hlf", date(2025, 2, 1)).id == "ana-soares"
    assert mine.holder_of("spokeswoman", "hlf", date(2024, 5, 31)) is None
    # the shipped knowledge, shared by the rest of the process, is untouched
    assert kb.actor("hlf") is None and load_knowledge() is kb


def test_knowledge_readme_documents_every_field_and_how_to_extend(tmp_path):
    readme = (DEFAULT_PATH / "README.md").read_text(encoding="utf-8")
    for key in sorted(_ACTOR_KEYS | _COUNTRY_KEYS | _ROLE_KEYS):
        assert f"`{key}`" in readme, key
    assert "## Extending khabar to a new conflict" in readme
    assert "load_knowledge(Path(" in readme


# ---- a malformed folder: each mistake names the file and the reason -----------------------------


def person(role: str) -> str:
    """An actors.yaml entry for a person holding one role."""
    return (
        f"  - {{id: new-minister, name: New Minister, kind: person, roles: [{{title: President, {role}}}]}}"
    )


BROKEN = [
    pytest.param("actors.yaml", None, "  - {id: broken, name: [unclosed\n", "not valid YAML", id="bad-yaml"),
    pytest.param(
        "actors.yaml",
        None,
        "  - {id: ttp, name: Another TTP, kind: rebel}",
        "actor id 'ttp' is used twice",
        id="dup-id",
    ),
    pytest.param(
        "actors.yaml",
        None,
        "  - {id: hlf-police, name: HLF Police, kind: police, country: TL, parent: hlf-interior}",
        "actor 'hlf-police': parent 'hlf-interior' is not an actor id",
        id="unknown-parent",
    ),
    pytest.param(
        "actors.yaml",
        None,
        "  - {id: hlf, name: Highland Liberation Front, kind: rebel, aliases: [Pakistani Taliban]}",
        "name 'pakistani taliban' belongs to both 'ttp' and 'hlf'; list it under `ambiguous`",
        id="shared-alias",
    ),
    pytest.param(
        "actors.yaml",
        None,
        person("from: 2024-02-30"),
        "a value written as a date is not a real date",
        id="impossible-date",
    ),
    pytest.param(
        "actors.yaml",
        None,
        person("from: March 2024"),
        "'March 2024' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
        id="date-in-words",
    ),
    pytest.param(
        "actors.yaml",
        None,
        person("from: 2024-03-11 09:00:00"),
        "is not a date",
        id="timestamp",
    ),
    pytest.param(
        "actors.yaml",
        None,
        person("from: 2025, to: 2024"),
        "ends (2024-12-31) before it starts (2025-01-01)",
        id="ends-before-start",
    ),
    pytest.param(
        "actors.yaml",
        None,
        "  - {id: hlf, name: Highland Liberation Front, kind: warlord}",
        "entry 'hlf': kind 'warlord' is not one of",
        id="unknown-kind",
    ),
    pytest.param(
        "actors.yaml",
        None,
        "  - {id: hlf, name: Highland Liberation Front, kind: rebel, acled_inter: 9}",
        "acled_inter must be an integer 1-8, not 9",
        id="bad-inter",
    ),
    pytest.param(
        "actors.yaml",
        None,
        "  - {id: hlf, name: Highland Liberation Front, kind: rebel, alias: [HLF]}",
        "entry 'hlf': unknown field(s) alias",
        id="misspelt-field",
    ),
    pytest.param(
        "actors.yaml",
        None,
        "  - {id: hlf, name: Highland Liberation Front, kind: rebel, instance_of: [ttp]}",
        "instance_of 'ttp' is not a generic actor",
        id="instance-of-named",
    ),
    pytest.param(
        "actors.yaml",
        None,
        "  - {id: hlf-cell-a, name: HLF Cell A, kind: rebel, parent: hlf-cell-b}\n"
        "  - {id: hlf-cell-b, name: HLF Cell B, kind: rebel, parent: hlf-cell-a}",
        "its parents form a cycle",
        id="parent-cycle",
    ),
    pytest.param(
        "actors.yaml",
        ("ambiguous: {}", "ambiguous: {Taliban: taliban-movement}"),
        "",
        "ambiguous 'Taliban': 'taliban-movement' is not an actor id",
        id="ambiguous-unknown",
    ),
    pytest.param(
        "countries.yaml",
        ("{iso2: PK, iso3: PAK,", "{iso2: pk, iso3: PAK,"),
        "",
        "'pk' is not an upper-case 2-letter code",
        id="lower-case-iso",
    ),
    pytest.param(
        "countries.yaml",
        ("  Congo: COD\n", ""),
        "",
        "name 'congo' belongs to both 'COG' and 'COD'",
        id="country-clash",
    ),
]


@pytest.mark.parametrize(("file", "replace", "extra", "reason"), BROKEN)
def test_knowledge_malformed_folder_names_the_file_and_the_reason(tmp_path, file, replace, extra, reason):
    folder = knowledge_copy(tmp_path)
    if replace:
        edit(folder, file, *replace)
    if extra:
        add_actors(folder, extra)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(folder)
    assert caught.value.source == str(folder / file)
    assert reason in caught.value.reason
    assert str(caught.value).startswith(str(folder / file))


def test_knowledge_a_shared_alias_loads_once_listed_as_ambiguous(tmp_path):
    folder = knowledge_copy(tmp_path)
    edit(folder, "actors.yaml", "ambiguous: {}", "ambiguous: {Pakistani Taliban: ttp}")
    add_actors(
        folder, "  - {id: hlf, name: Highland Liberation Front, kind: rebel, aliases: [Pakistani Taliban]}"
    )
    mine = load_knowledge(folder)
    assert mine.lookup_actor("Pakistani Taliban").id == "ttp"
    assert [f.actor for f in mine.alias_forms() if f.text == "Pakistani Taliban"] == ["ttp"]


def test_knowledge_a_missing_file_is_named(tmp_path):
    folder = knowledge_copy(tmp_path)
    (folder / "countries.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"countries\.yaml: cannot read the file"):
        load_knowledge(folder)
