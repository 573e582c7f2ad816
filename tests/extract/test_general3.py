"""extract on wire copy from more conflicts, round 3: interceptions of projectiles referred to by a
pronoun, attacks someone "came under", targeted and hit-by triggers, retaking, and places named by
the attacker's phrase or a noun the parser coordinated with the verb. Every sentence is written for
the test."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from khabar.models import Extraction, Mention

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(read_article):
    return partial(read_article, published=date(2025, 6, 6))


def ids(refs) -> list[str | None]:
    return [r.actor for r in refs]


def one(extraction: Extraction, trigger: str) -> Mention:
    (found,) = [m for m in extraction.mentions if m.trigger == trigger]
    return found


def triggers(extraction: Extraction) -> list[str]:
    return [m.trigger for m in extraction.mentions]


# ---- interceptions -------------------------------------------------------------------------------


def test_intercepting_projectiles_named_by_a_pronoun_is_no_attack(run):
    text = "Militants fired rockets at Sderot on Friday, the army said, adding that it had intercepted them."
    found = run(text)
    assert "intercepted" not in triggers(found)
    (attack,) = found.mentions
    assert attack.type == "ASSAULT"


def test_a_passive_interception_of_it_is_no_attack(run):
    found = run("A missile was fired at Odesa overnight, and officials said it had been intercepted.")
    assert all(m.trigger != "intercepted" for m in found.mentions)


def test_shooting_down_a_named_aircraft_is_still_an_attack(run):
    found = run("Rebels shot down a military helicopter near Gao on Sunday.")
    assert one(found, "shot down").type == "ASSAULT"


# ---- new triggers ----------------------------------------------------------------------------------


def test_coming_under_fire_from_someone_makes_them_the_attacker(run):
    text = "A police patrol came under fire from gang members in Croix-des-Bouquets on Monday."
    attack = one(run(text), "came under fire")
    assert attack.type == "ASSAULT" and attack.mode == "firearms"
    assert ids(attack.actors) == ["gangs"]
    assert ids(attack.recipients) == ["police"]


def test_coming_under_attack_from_someone_makes_them_the_attacker(run):
    attack = one(run("Soldiers came under attack from gunmen near the border on Friday."), "attack")
    assert ids(attack.actors) == ["gunmen"]
    assert [r.text for r in attack.recipients] == ["Soldiers"]


def test_an_act_carried_out_under_an_agreement_is_no_agreement(run):
    found = run("Officials said the raids were carried out under an agreement with the government.")
    assert all(m.type != "AGREE" for m in found.mentions)


def test_targeting_something_on_a_date_is_an_attack(run):
    attack = one(run("On Sunday the Houthis targeted a tanker in the Gulf of Aden."), "targeted")
    assert attack.type == "ASSAULT"
    assert ids(attack.actors) == ["houthis"]
    assert attack.date is not None and attack.date.start == date(2025, 6, 1)


def test_targeting_without_a_date_or_toll_is_no_event(run):
    assert run("The campaign targeted voters in the north of the country.").mentions == []


def test_targeting_next_to_an_attack_word_does_not_double_it(run):
    found = run("A drone strike that targeted a convoy near Kidal killed four people on Monday.")
    assert [m.type for m in found.mentions] == ["ASSAULT"]


def test_hit_by_a_missile_is_an_attack_with_its_toll(run):
    found = run("A cargo ship was hit by a missile on Tuesday, injuring four sailors.")
    attack = one(found, "hit by a missile")
    assert attack.type == "ASSAULT" and attack.mode == "heavy-weapons"
    assert attack.injured is not None and (attack.injured.low, attack.injured.high) == (4, 4)


def test_hit_by_a_drone_is_a_drone_attack(run):
    found = run("A bus was hit by a drone in Kherson on Tuesday.")
    (attack,) = found.mentions
    assert attack.mode == "drone"


def test_retaking_a_town_is_coercion(run):
    retaken = one(run("Government troops retook the town of Mahas on Wednesday."), "retook")
    assert retaken.type == "COERCE" and retaken.mode == "seize"


# ---- places ----------------------------------------------------------------------------------------


def test_the_place_of_an_object_the_parser_coordinated_with_the_verb(run):
    text = "Drones hit a power station and the main airport in Port Sudan on Friday, the army said."
    (attack,) = run(text).mentions
    assert attack.location is not None and attack.location.text == "Port Sudan"


def test_the_subjects_locative_phrase_places_the_act(run):
    arrest = one(run("Police in Mogadishu arrested three suspects on Thursday."), "arrested")
    assert arrest.location is not None and arrest.location.text == "Mogadishu"


def test_a_speakers_locative_phrase_does_not_place_what_they_report(run):
    found = run("Officials in Nairobi said a bomb exploded on a bus on Tuesday.")
    attacks = [m for m in found.mentions if m.type == "ASSAULT"]
    assert attacks and all(m.location is None or m.location.text != "Nairobi" for m in attacks)
