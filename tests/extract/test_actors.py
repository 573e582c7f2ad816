"""Tests for khabar.extract.actors: parsed sentences -> actor refs linked to the knowledge base, new
actors for names it lacks, and the titles the text gives people (role claims). Who acts on whom is
read by extract.arguments from these refs; the last tests check both together, through `extract`."""

from __future__ import annotations

import itertools
import shutil
from datetime import date

import pytest

from khabar.extract.actors import ActorFinds, find_actors, role_claims
from khabar.knowledge import DEFAULT_PATH, Knowledge, load_knowledge
from khabar.models import Actor, Article, RoleClaim

pytestmark = pytest.mark.slow

ARTICLE_DAY = date(2025, 10, 20)


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="module")
def find(nlp, kb):
    def find(text: str, *, on: date | None = ARTICLE_DAY, knowledge: Knowledge | None = None) -> ActorFinds:
        return find_actors(nlp(text), kb=knowledge or kb, on=on)

    return find


@pytest.fixture(scope="module")
def claims(nlp, kb):
    def claims(text: str, *, on: date | None = ARTICLE_DAY) -> list[RoleClaim]:
        doc = nlp(text)
        return role_claims(doc, find_actors(doc, kb=kb, on=on).refs, kb=kb, on=on, article="a1")

    return claims


def linked(finds: ActorFinds) -> list[tuple[str, str | None]]:
    """(words, actor id) of every ref, in text order."""
    return [(r.text, r.actor) for r in finds.refs]


def new_actor(finds: ActorFinds, actor_id: str) -> Actor:
    (actor,) = [a for a in finds.new_actors if a.id == actor_id]
    return actor


# ---- known names ---------------------------------------------------------------------------------


def test_actors_spelling_variants_in_a_text_are_one_group(find):
    finds = find(
        "The Tehreek-e-Taliban claimed the attack, but the Pakistani Taliban later denied it; "
        "officials blamed Tehrik-i-Taliban Pakistan and the TTP's allies."
    )
    assert {actor for _, actor in linked(finds) if actor != "government"} == {"ttp"}
    assert ("Pakistani Taliban", "ttp") in linked(finds)  # the longest name wins over "Pakistani"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Islamabad said it would respond to any aggression.", [("Islamabad", "PAK")]),
        ("Kyiv accused Moscow of shelling the plant.", [("Kyiv", "UKR"), ("Moscow", "RUS")]),
        ("Khartoum rejected the proposal.", [("Khartoum", "SDN")]),
        ("Afghan officials denied the claim.", [("Afghan officials", "afg-taliban")]),
    ],
)
def test_actors_a_capital_or_a_demonym_stands_for_the_state(find, text, expected):
    assert linked(find(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Let us hope the talks succeed, the LeT said.", [("LeT", "lashkar-e-taiba")]),
        (
            '"Nobody will send us troops," he said as US troops left.',
            [("troops", "military"), ("US troops", "us-military")],
        ),
        (
            "The chad and turkey were fresh; Chad and Turkey sent envoys.",
            [("Chad", "TCD"), ("Turkey", "TUR")],
        ),
        ("At dawn, Dawn reported the clash.", [("Dawn", "dawn")]),
        ("Their answer is group punishment, said the IS group.", [("IS group", "isis")]),
        ("The UN security council met as the U.N. Security Council chief spoke.", None),
    ],
)
def test_actors_acronyms_and_exact_names_keep_their_casing(find, text, expected):
    refs = linked(find(text))
    if expected is None:  # the words around an acronym may be written in either case
        assert [actor for _, actor in refs].count("unsc") == 2
    else:
        assert refs == expected


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("ISWAP fighters attacked islands on Lake Chad, killing 12 fishermen.", "TCD"),
        ("Drones struck the airport in Port Sudan overnight.", "SDN"),
        ("Iran seized a tanker in the Gulf of Oman.", "OMN"),
        ("Andrew Jordan, a researcher, said the strikes would continue.", "JOR"),
    ],
)
def test_actors_a_name_inside_a_longer_place_or_person_name_is_no_actor(find, text, gone):
    assert gone not in {actor for _, actor in linked(find(text))}


def test_actors_a_capital_written_whole_is_still_the_state(find):
    assert ("Kuwait City", "KWT") in linked(find("Kuwait City condemned the attack."))


# ---- generic actors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "actor"),
    [
        ("Pakistani police", "pak-police"),
        ("The police of Pakistan", "pak-police"),
        ("Malian soldiers", "mli-military"),
        ("The Colombian army", "col-military"),
        ("Sudan's army", "sdn-saf"),
        ("Russia's defence ministry", "rus-defence-ministry"),
        ("Ukraine's air force", "ukr-air-force"),
        ("The Myanmar junta", "mmr-military"),
    ],
)
def test_actors_a_country_with_a_generic_noun_is_its_own_actor(find, words, actor):
    (ref,) = find(f"{words} said the attackers had fled.").refs
    assert (ref.text, ref.actor) == (words.removeprefix("The "), actor)


@pytest.mark.parametrize(
    ("words", "actor"),
    [
        ("TTP militants", "ttp"),
        ("RSF fighters", "sdn-rsf"),
        ("ELN rebels", "eln"),
        ("JNIM militants", "jnim"),
        ("Boko Haram terrorists", "boko-haram"),
        ("Wagner fighters", "wagner-group"),  # a foreign force's fighters are the force
    ],
)
def test_actors_a_groups_fighters_are_the_group(find, words, actor):
    assert linked(find(f"{words} attacked the checkpoint.")) == [(words, actor)]


def test_actors_a_country_without_the_force_gets_a_new_one_under_its_state(find):
    finds = find("Icelandic police arrested two men.")
    assert linked(finds) == [("Icelandic police", "x-isl-police")]
    police = new_actor(finds, "x-isl-police")
    assert (police.name, police.kind, police.country, police.parent) == (
        "Police of Iceland",
        "police",
        "IS",
        "ISL",
    )
    assert police.acled_inter == 1


def test_actors_a_countrys_militants_or_civilians_do_not_belong_to_its_state(find):
    # were they under the state, reports and series would count them as the state's own side
    finds = find("Somali militants attacked a hotel as Sudanese civilians fled.")
    militants, civilians = new_actor(finds, "x-som-militants"), new_actor(finds, "x-sdn-civilians")
    assert (militants.kind, militants.country, militants.parent, militants.acled_inter) == (
        "rebel",
        "SO",
        None,
        2,
    )
    assert (civilians.kind, civilians.country, civilians.parent, civilians.acled_inter) == (
        "civilian",
        "SD",
        None,
        7,
    )


def test_actors_generic_actors_standing_alone(find):
    finds = find(
        "Unidentified gunmen killed three policemen and two civilians; soldiers and militiamen arrived."
    )
    assert linked(finds) == [
        ("Unidentified gunmen", "gunmen"),
        ("policemen", "police"),
        ("civilians", "civilians"),
        ("soldiers", "military"),
        ("militiamen", "militias"),
    ]


def test_actors_a_generic_word_that_names_no_one_is_no_actor(find):
    assert linked(find("The border is hard to police.")) == []
    assert linked(find("Police Respond To Militant Attacks In Northern Districts")) == []


# ---- speakers and titles ---------------------------------------------------------------------------


def test_actors_a_ministry_speaks_for_its_government(find, kb):
    finds = find("Afghanistan's defense ministry said the strikes violated its airspace.")
    assert linked(finds) == [("Afghanistan's defense ministry", "afg-defence-ministry")]
    assert kb.ancestors("afg-defence-ministry") == ["afg-taliban", "AFG"]


def test_actors_an_owner_and_title_before_a_name_link_to_the_person(find, kb):
    finds = find(
        "The Pakistan Army's spokesperson, Lieutenant General Ahmed Sharif Chaudhry, said 23 soldiers died."
    )
    assert linked(finds)[:2] == [
        ("Pakistan Army's spokesperson", "ahmed-sharif-chaudhry"),
        ("Ahmed Sharif Chaudhry", "ahmed-sharif-chaudhry"),
    ]
    roles = {(r.title, r.of) for r in kb.roles_on("ahmed-sharif-chaudhry", ARTICLE_DAY)}
    assert ("Spokesperson", "pak-military") in roles
    assert linked(find("Lt. Gen. Ahmed Sharif Chaudhry said the operation would go on.")) == [
        ("Ahmed Sharif Chaudhry", "ahmed-sharif-chaudhry")
    ]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 10, 20), [("Pakistan's prime minister", "shehbaz-sharif")]),
        (date(2020, 1, 1), [("Pakistan's prime minister", "imran-khan")]),
        (None, [("Pakistan", "PAK")]),  # undated: the office is not linked to anyone
    ],
)
def test_actors_an_owner_and_title_alone_name_the_holder_on_the_articles_day(find, on, expected):
    assert linked(find("Pakistan's prime minister said the talks had failed.", on=on)) == expected


def test_actors_a_title_and_a_surname_link_to_the_holder(find):
    assert linked(find("Field Marshal Munir met President Xi in Beijing.")) == [
        ("Munir", "asim-munir"),
        ("Xi", "xi-jinping"),
        ("Beijing", "CHN"),
    ]


def test_actors_a_surname_alone_links_to_the_person_named_in_full(find):
    finds = find('Michael Kugelman said the truce was fragile. "It will not hold," said Kugelman.')
    assert linked(finds) == [("Michael Kugelman", "michael-kugelman"), ("Kugelman", "michael-kugelman")]


def test_actors_a_title_word_is_not_an_organisation(find):
    finds = find("Defense Minister Khawaja Asif warned the TTP emir.")
    assert linked(finds) == [("Khawaja Asif", "khawaja-asif"), ("TTP emir", "noor-wali-mehsud")]
    assert finds.new_actors == []


# ---- names the knowledge base lacks ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words", "actor_id", "name", "kind"),
    [
        (
            "Liwa al-Sahel militants stormed a police station in Gao.",
            "Liwa al-Sahel militants",
            "x-liwa-al-sahel",
            "Liwa al-Sahel",
            "rebel",
        ),
        (
            "The Jund al-Furqan group claimed responsibility for the attack.",
            "Jund al-Furqan group",
            "x-jund-al-furqan",
            "Jund al-Furqan",
            "rebel",
        ),
        (
            "The Katiba Macina armed faction claimed the ambush.",
            "Katiba Macina armed faction",
            "x-katiba-macina",
            "Katiba Macina",
            "rebel",
        ),
        (
            "The Sahel Liberation Front said it had seized the town.",
            "Sahel Liberation Front",
            "x-sahel-liberation-front",
            "Sahel Liberation Front",
            "rebel",
        ),
        (
            "The rebels, who call themselves the Kachin Independence Army, seized a base.",
            "Kachin Independence Army",
            "x-kachin-independence-army",
            "Kachin Independence Army",
            "military",
        ),
    ],
)
def test_actors_an_unknown_group_is_a_new_actor_of_the_kind_its_context_gives(
    find, text, words, actor_id, name, kind
):
    finds = find(text)
    assert (words, actor_id) in linked(finds)
    actor = new_actor(finds, actor_id)
    assert (actor.name, actor.kind) == (name, kind)


def test_actors_every_mention_of_an_unknown_group_is_the_same_new_actor(find):
    finds = find(
        "Jund al-Furqan militants stormed a police station, and the Jund al-Furqan group claimed it."
    )
    assert [actor for _, actor in linked(finds)] == ["x-jund-al-furqan", "police", "x-jund-al-furqan"]
    assert new_actor(finds, "x-jund-al-furqan").kind == "rebel"


def test_actors_a_known_group_before_a_group_noun_stays_known(find):
    assert ("Jaish al-Adl", "jaish-al-adl") in linked(find("The Jaish al-Adl group claimed the attack."))


def test_actors_an_unknown_person_takes_the_country_named_before_their_title(find):
    finds = find("Iranian commander Ali Rezaei said the border was sealed.")
    assert linked(finds) == [("Iranian", "IRN"), ("Ali Rezaei", "x-ali-rezaei")]
    rezaei = new_actor(finds, "x-ali-rezaei")
    assert (rezaei.name, rezaei.kind, rezaei.country) == ("Ali Rezaei", "person", "IR")
    # a country that is only the setting says nothing about the person
    assert (
        new_actor(find("In Pakistan, Ali Rezaei said the border was sealed."), "x-ali-rezaei").country is None
    )


def test_actors_refs_point_at_their_words_in_order_without_overlap(find):
    text = "Sudan's army said RSF fighters shelled El Fasher; the Jund al-Furqan group denied it."
    finds = find(text)
    assert [text[r.span[0] : r.span[1]] for r in finds.refs] == [r.text for r in finds.refs]
    ends = [r.span for r in finds.refs]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(ends))
    assert {a.id for a in finds.new_actors} <= {r.actor for r in finds.refs}


def test_actors_an_analysts_own_knowledge_folder_is_used(find, tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_PATH, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.tsv"))
    with (folder / "actors.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n  - {id: hlf, name: Highland Liberation Front, kind: rebel, country: TL, acled_inter: 2,"
            " aliases: [HLF]}\n"
        )
    text = "HLF fighters ambushed a patrol."
    assert linked(find(text, knowledge=load_knowledge(folder))) == [("HLF fighters", "hlf")]
    assert linked(find(text)) == [("HLF fighters", "x-hlf")]  # the shipped knowledge does not know it


# ---- role claims -----------------------------------------------------------------------------------


def test_actors_former_before_a_title_claims_the_office_is_over(claims):
    (claim,) = claims("Former President Donald Trump said he wanted Bagram back.", on=date(2020, 6, 1))
    assert (claim.actor, claim.title, claim.former) == ("donald-trump", "President", True)
    assert claim.text == "Former President Donald Trump"


def test_actors_a_title_after_the_name_is_claimed_too(claims):
    (claim,) = claims("Imran Khan, Pakistan's former prime minister, criticised the strikes.")
    assert (claim.actor, claim.title, claim.former) == ("imran-khan", "Prime Minister", True)
    assert claim.text == "Imran Khan, Pakistan's former prime minister"


def test_actors_a_title_variant_is_claimed_as_the_canonical_title(claims):
    (claim,) = claims("Defense Minister Khawaja Asif warned Kabul.")
    assert (claim.actor, claim.title, claim.former) == ("khawaja-asif", "Defence Minister", False)


def test_actors_a_title_held_back_then_claims_nothing_about_now(claims):
    assert claims("In 2022, then-President Joe Biden announced the death of Ayman al-Zawahiri.") == []
    assert claims("The TTP emir issued a statement.") == []  # a title standing for a name


# ---- who acts on whom (through extract) --------------------------------------------------------------


@pytest.fixture(scope="module")
def mentions(nlp, kb):
    from khabar.extract import extract
    from khabar.knowledge.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()

    def mentions(text: str, type_: str) -> list[tuple[list[str | None], list[str | None]]]:
        article = Article(id="a1", source="a1.txt", text=text, published=ARTICLE_DAY)
        found = extract(article, nlp(text), kb=kb, gazetteer=gazetteer)
        return [
            ([r.actor for r in m.actors], [r.actor for r in m.recipients])
            for m in found.mentions
            if m.type == type_
        ]

    return mentions


@pytest.mark.parametrize(
    ("text", "type_", "actors", "recipients"),
    [
        ("Pakistan launched airstrikes in Afghanistan, targeting TTP hideouts.", "ASSAULT", ["PAK"], ["ttp"]),
        ("JNIM militants ambushed Malian soldiers near Timbuktu.", "ASSAULT", ["jnim"], ["mli-military"]),
        (
            "Malian soldiers were ambushed by JNIM militants near Timbuktu.",
            "ASSAULT",
            ["jnim"],
            ["mli-military"],
        ),
        ("Soldiers were killed by RSF fighters near El Fasher.", "ASSAULT", ["sdn-rsf"], ["sdn-saf"]),
        ("ELN rebels attacked a Colombian army base in Arauca.", "ASSAULT", ["eln"], ["col-military"]),
        (
            "The Myanmar junta launched airstrikes in Rakhine, targeting Arakan Army positions.",
            "ASSAULT",
            ["mmr-military"],
            ["arakan-army"],
        ),
        ("Kyiv accused Moscow of targeting civilians.", "ACCUSE", ["UKR"], ["RUS"]),
        (
            "Two policemen were shot dead by unidentified gunmen in Quetta.",
            "ASSAULT",
            ["gunmen"],
            ["pak-police"],
        ),
    ],
)
def test_actors_actor_and_recipient_are_never_swapped(mentions, text, type_, actors, recipients):
    assert mentions(text, type_) == [(actors, recipients)]
