"""Where sources disagree: tolls, places, venues, dates, responsibility, occurrence, roles."""

from __future__ import annotations

from datetime import date

import pytest
from resolve_fakes import article, mention, reporter

from khabar.models import Mention, RoleClaim
from khabar.resolve import resolve

OUTLETS = [article("A", outlet="Dawn"), article("B", outlet="Geo News"), article("C", outlet="Reuters")]


def _run(mentions, *, kb, gz, articles=OUTLETS, role_claims=()):
    return resolve(mentions, articles=articles, kb=kb, gazetteer=gz, role_claims=role_claims)


def _kinds(result) -> list[str]:
    return sorted(c.kind for c in result.contradictions)


def _attack(id, art, killed, *, when="2025-10-11", **fields):
    return mention(
        id,
        art,
        "ASSAULT",
        f"The attack on a police centre in Dera Ismail Khan killed {killed[0]}.",
        trigger="attack",
        when=when,
        place="dik",
        recipients=("PAK_POLICE",),
        killed=killed,
        **fields,
    )


def test_resolve_finds_conflicting_death_tolls(kb, gz):
    result = _run([_attack("a1", "A", (6, 6)), _attack("b1", "B", (9, 9))], kb=kb, gz=gz)
    assert len(result.events) == 1
    (found,) = result.contradictions
    assert found.kind == "fatalities" and not found.internal
    assert [p.value for p in found.positions] == ["6", "9"]
    assert found.explanation == (
        "Sources disagree on the death toll of the 11 October 2025 attack on Pakistani police in "
        "Dera Ismail Khan: 6 (Dawn) vs 9 (Geo News)."
    )
    assert found.id in result.events[0].contradictions


def test_resolve_two_sides_tolls_in_one_article_are_internal_but_explained_as_a_dispute(kb, gz):
    kabul = mention(
        "a1",
        "A",
        "FIGHT",
        "Afghanistan said 58 Pakistani soldiers were killed in the clashes.",
        trigger="clashes",
        when="2025-10-12",
        actors=("AFG", "PAK"),
        killed=(58, 58),
        reporter=reporter("Afghanistan", "AFG"),
        modality="attributed",
        start=0,
    )
    rawalpindi = mention(
        "a2",
        "A",
        "FIGHT",
        "Pakistan said 23 of its soldiers died in the clashes.",
        trigger="clashes",
        when="2025-10-12",
        actors=("PAK", "AFG"),
        killed=(23, 23),
        reporter=reporter("Pakistan", "PAK"),
        modality="attributed",
        start=120,
    )
    result = _run([kabul, rawalpindi], kb=kb, gz=gz)
    (found,) = result.contradictions
    assert found.kind == "fatalities" and found.internal and found.severity == "high"
    assert found.explanation.startswith("Sources disagree")
    assert "23 (Pakistan via Dawn) vs 58 (Afghanistan via Dawn)" in found.explanation


def test_resolve_differences_of_precision_are_not_contradictions(kb, gz):
    mentions = [
        _attack("a1", "A", (3, None), when="2025-10"),
        _attack("b1", "B", (6, 6)),
        _attack("c1", "C", (5, 8)),
    ]
    result = _run(mentions, kb=kb, gz=gz)
    assert len(result.events) == 1 and result.contradictions == []


def test_resolve_a_later_higher_toll_is_an_update(kb, gz):
    articles = [
        article("A", outlet="Dawn", published=date(2025, 10, 11)),
        article("B", outlet="Geo News", published=date(2025, 10, 13)),
    ]
    result = _run([_attack("a1", "A", (6, 6)), _attack("b1", "B", (9, 9))], kb=kb, gz=gz, articles=articles)
    assert result.contradictions == []
    assert (result.events[0].killed.low, result.events[0].killed.high) == (6, 9)


def test_resolve_same_talks_in_two_cities_is_an_internal_location_contradiction(kb, gz):
    talks = [
        mention(
            "a1",
            "A",
            "CONSULT",
            "Peace talks between Sudan's army and the RSF opened in Ankara.",
            trigger="talks",
            place="ankara",
            actors=("SAF", "RSF"),
            start=0,
        ),
        mention(
            "a2",
            "A",
            "CONSULT",
            "Mediators hope the Istanbul talks will end the war.",
            trigger="talks",
            place="istanbul",
            start=900,
        ),
        mention(
            "a3",
            "A",
            "CONSULT",
            "Delegates left the talks in Turkey on Friday.",
            trigger="talks",
            place="TR",
            start=1500,
        ),
    ]
    result = _run(talks, kb=kb, gz=gz)
    (event,) = result.events
    (found,) = result.contradictions
    assert event.location.name == "Turkey"
    assert found.kind == "location" and found.internal
    assert sorted(p.value for p in found.positions) == ["Ankara", "Istanbul"]
    assert "both in Ankara and in Istanbul" in found.explanation


def _fighting(id, art, when, **fields):
    return mention(
        id,
        art,
        "FIGHT",
        f"Deadly fighting between Afghanistan and Pakistan ({when}).",
        trigger="fighting",
        when=when,
        actors=("AFG", "PAK"),
        **fields,
    )


def test_resolve_same_fighting_dated_differently_is_a_date_contradiction(kb, gz):
    result = _run([_fighting("a1", "A", "2025-09"), _fighting("b1", "B", "2025-10-11")], kb=kb, gz=gz)
    assert len(result.events) == 2
    (found,) = result.contradictions
    assert found.kind == "date"
    assert [p.value for p in found.positions] == ["September 2025", "11 October 2025"]
    assert [p.articles for p in found.positions] == [["A"], ["B"]]


def test_resolve_no_date_contradiction_when_an_article_reports_both_times(kb, gz):
    both = [
        _fighting("a1", "A", "2025-09"),
        _fighting("a2", "A", "2025-10-11"),
        _fighting("b1", "B", "2025-10-11"),
    ]
    far = [_fighting("a1", "A", "2025-05"), _fighting("b1", "B", "2025-10-11")]
    assert _run(both, kb=kb, gz=gz).contradictions == []
    assert _run(far, kb=kb, gz=gz).contradictions == []


def _strike_confirmed_in_a_and_reported_in_b() -> list[Mention]:
    """Article A: Pakistan's airstrikes in Kabul and its confirmation; article B: the strikes."""
    strike = mention(
        "a1",
        "A",
        "ASSAULT",
        "Pakistan carried out airstrikes in Kabul on 9 October.",
        trigger="airstrikes",
        when="2025-10-09",
        place="kabul",
        actors=("PAK",),
        start=0,
    )
    confirms = mention(
        "a2",
        "A",
        "STATEMENT",
        "Pakistan confirmed the strikes.",
        trigger="confirmed",
        actors=("PAK",),
        about_mention="a1",
        start=100,
    )
    strike_b = mention(
        "b1",
        "B",
        "ASSAULT",
        "Airstrikes hit Kabul on 9 October.",
        trigger="Airstrikes",
        when="2025-10-09",
        place="kabul",
        start=0,
    )
    return [strike, confirms, strike_b]


def test_resolve_confirmed_and_not_claimed_responsibility(kb, gz):
    strike, confirms, strike_b = _strike_confirmed_in_a_and_reported_in_b()
    refuses = mention(
        "b2",
        "B",
        "STATEMENT",
        "Pakistan did not claim responsibility for the strike.",
        trigger="claim",
        actors=("PAK",),
        modality="negated",
        about_mention="b1",
        start=100,
    )
    result = _run([strike, confirms, strike_b, refuses], kb=kb, gz=gz)
    (found,) = [c for c in result.contradictions if c.kind == "responsibility"]
    assert [p.value for p in found.positions] == ["Pakistan confirmed it", "Pakistan did not claim it"]
    assert [p.articles for p in found.positions] == [["A"], ["B"]]
    assert next(e for e in result.events if e.type == "ASSAULT").status == "disputed"


def test_resolve_different_perpetrators_of_one_strike(kb, gz):
    one = mention(
        "a1",
        "A",
        "ASSAULT",
        "A Russian missile hit Kramatorsk station on 8 April, killing 50.",
        trigger="missile",
        when="2022-04-08",
        place="kramatorsk",
        actors=("RUS",),
    )
    two = mention(
        "b1",
        "B",
        "ASSAULT",
        "A Ukrainian missile hit Kramatorsk station on 8 April.",
        trigger="missile",
        when="2022-04-08",
        place="kramatorsk",
        actors=("UKR",),
        reporter=reporter("Russia's defence ministry", "RUS"),
        modality="attributed",
    )
    result = _run([one, two], kb=kb, gz=gz)
    (event,) = result.events
    (found,) = result.contradictions
    assert found.kind == "responsibility" and event.status == "disputed"
    assert sorted(p.value for p in found.positions) == ["Russia", "Ukraine"]


def test_resolve_killing_reported_and_denied(kb, gz):
    killing = mention(
        "a1",
        "A",
        "ASSAULT",
        "Unverified reports say the TTP emir was killed in the airstrike.",
        trigger="killed",
        recipients=("TTP",),
        modality="unverified",
        start=0,
    )
    denial = mention(
        "a2",
        "A",
        "REJECT",
        "The Afghan government rejected such claims.",
        trigger="rejected",
        actors=("AFG",),
        about_mention="a1",
        start=100,
    )
    result = _run([killing, denial], kb=kb, gz=gz)
    (found,) = result.contradictions
    assert found.kind == "occurrence" and found.internal
    assert [p.value for p in found.positions] == ["reported", "denied by Afghanistan"]
    assert found.explanation.startswith("Afghanistan denies what other reports say about the attack on")


def test_resolve_a_statement_calling_a_report_false_denies_it(kb, gz):
    shelling = mention(
        "a1",
        "A",
        "ASSAULT",
        "Residents said shelling hit a market in Kharkiv on 3 May.",
        trigger="shelling",
        when="2024-05-03",
        place="kharkiv",
        modality="attributed",
        reporter=reporter("residents"),
        start=0,
    )
    dismissal = mention(
        "a2",
        "A",
        "STATEMENT",
        "Moscow said the reports were fabricated.",
        trigger="said",
        actors=("RUS",),
        about_mention="a1",
        start=100,
    )
    plain = mention(
        "a3",
        "A",
        "STATEMENT",
        "Moscow said its forces hit military targets.",
        trigger="said",
        actors=("RUS",),
        about_mention="a1",
        start=200,
    )
    found = _run([shelling, dismissal], kb=kb, gz=gz).contradictions
    assert [(c.kind, c.positions[1].value) for c in found] == [("occurrence", "denied by Russia")]
    assert _run([shelling, plain], kb=kb, gz=gz).contradictions == []


def test_resolve_denying_involvement_is_not_denying_it_happened(kb, gz):
    strikes = mention(
        "a1",
        "A",
        "ASSAULT",
        "Drone strikes reportedly targeted militants in Kandahar.",
        trigger="strikes",
        place="kandahar",
        modality="attributed",
        start=0,
    )
    denial = mention(
        "a2",
        "A",
        "REJECT",
        "Pakistan denied direct involvement in these strikes.",
        trigger="denied",
        actors=("PAK",),
        about_mention="a1",
        start=100,
    )
    assert _run([strikes, denial], kb=kb, gz=gz).contradictions == []


@pytest.mark.parametrize(
    ("denied", "disputes_it_happened"),
    [
        ("The rebels denied firing first.", False),
        ("The rebels denied starting the clashes.", False),
        ("The rebels denied that any shelling took place.", True),
    ],
)
def test_resolve_denying_who_started_it_is_not_denying_it_happened(denied, disputes_it_happened, kb, gz):
    shelling = mention(
        "a1",
        "A",
        "ASSAULT",
        "Army artillery shelled rebel positions in Kandahar.",
        trigger="shelled",
        place="kandahar",
        actors=("PAK",),
        modality="attributed",
        start=0,
    )
    denial = mention(
        "a2", "A", "REJECT", denied, trigger="denied", actors=("TTP",), about_mention="a1", start=100
    )
    kinds = _kinds(_run([shelling, denial], kb=kb, gz=gz))
    assert ("occurrence" in kinds) is disputes_it_happened


def test_resolve_same_admission_at_two_venues(kb, gz):
    one = mention(
        "a1",
        "A",
        "CONCEDE",
        "Islamabad acknowledged foreign drone strikes against Afghanistan.",
        trigger="acknowledged",
        actors=("PAK",),
        venue="a recent press conference",
    )
    two = mention(
        "b1",
        "B",
        "CONCEDE",
        "Islamabad admitted it cannot stop foreign drone strikes in Afghanistan.",
        trigger="admitted",
        actors=("PAK",),
        venue="the peace talks in Turkey",
    )
    result = _run([one, two], kb=kb, gz=gz)
    (found,) = result.contradictions
    assert found.kind == "venue" and not found.internal
    assert sorted(p.value for p in found.positions) == [
        "a recent press conference",
        "the peace talks in Turkey",
    ]


def test_resolve_role_contradicts_dated_knowledge(kb, gz):
    articles = [article(x, outlet=x, published=date(2025, 10, 14)) for x in ("Wire", "Daily", "Times")]
    claims = [
        RoleClaim(article="Wire", actor="TRUMP", title="U.S. President", former=True, span=(0, 30)),
        RoleClaim(article="Daily", actor="TRUMP", title="President", former=False, span=(5, 20)),
        RoleClaim(article="Times", actor="BIDEN", title="President", former=True, span=(0, 10)),
    ]
    result = _run([], kb=kb, gz=gz, articles=articles, role_claims=claims)
    (found,) = result.contradictions
    assert found.kind == "role" and found.about_actor == "TRUMP"
    assert [(p.value, p.articles) for p in found.positions] == [
        ("former President", ["Wire"]),
        ("President", ["Daily"]),
    ]
    assert found.explanation.startswith("Wire calls Donald Trump a former President, but Donald Trump holds")
    # only the article that is wrong against dated knowledge is counted against it
    assert result.knowledge_conflicts == {"Wire": 1}


def test_resolve_role_uses_knowledge_when_no_article_is_right(kb, gz):
    claims = [RoleClaim(article="Times", actor="BIDEN", title="President", former=False, span=(0, 10))]
    articles = [article("Times", outlet="Times", published=date(2025, 6, 1))]
    (found,) = _run([], kb=kb, gz=gz, articles=articles, role_claims=claims).contradictions
    assert found.positions[-1].articles == [] and "knowledge base" in found.positions[-1].value
    assert "does not hold that office on 1 June 2025" in found.explanation


def test_resolve_a_side_denying_what_reports_say_it_did(kb, gz):
    strike = mention(
        "a1",
        "A",
        "ASSAULT",
        "The army bombed a market in El Fasher on 2 May.",
        trigger="bombed",
        when="2024-05-02",
        place="el_fasher",
        actors=("SAF",),
        start=0,
    )
    denial = mention(
        "b1",
        "B",
        "REJECT",
        "The army denied carrying out the bombing.",
        trigger="denied",
        actors=("SAF",),
        about_mention="b2",
        start=0,
    )
    report = mention(
        "b2",
        "B",
        "ASSAULT",
        "A market in El Fasher was bombed on 2 May.",
        trigger="bombed",
        when="2024-05-02",
        place="el_fasher",
        start=100,
    )
    (found,) = _run([strike, denial, report], kb=kb, gz=gz).contradictions
    assert found.kind == "responsibility"
    assert [(p.value, p.articles) for p in found.positions] == [
        ("carried out by Sudanese Armed Forces", ["A"]),
        ("denied by Sudanese Armed Forces", ["B"]),
    ]


def test_resolve_named_and_unnamed_perpetrators(kb, gz):
    named = mention(
        "a1",
        "A",
        "ASSAULT",
        "Pakistani drones struck Kandahar on 20 October.",
        trigger="struck",
        when="2025-10-20",
        place="kandahar",
        actors=("PAK",),
    )
    unnamed = mention(
        "b1",
        "B",
        "ASSAULT",
        "A foreign power's drones struck Kandahar on 20 October.",
        trigger="struck",
        when="2025-10-20",
        place="kandahar",
        actors=("a foreign power",),
    )
    (found,) = _run([named, unnamed], kb=kb, gz=gz).contradictions
    assert found.kind == "responsibility"
    assert [p.value for p in found.positions] == ["Pakistan", "an unnamed foreign power"]


def test_resolve_tolls_of_different_victims_are_two_events(kb, gz):
    soldiers = mention(
        "a1",
        "A",
        "FIGHT",
        "Clashes killed 23 soldiers on 12 October.",
        trigger="Clashes",
        when="2025-10-12",
        actors=("PAK", "AFG"),
        killed=(23, 23),
    )
    police = mention(
        "b1",
        "B",
        "FIGHT",
        "Clashes killed 58 on 12 October.",
        trigger="Clashes",
        when="2025-10-12",
        actors=("PAK", "AFG"),
        killed=(58, 58),
    )
    injuries = [
        mention(
            "c1",
            "C",
            "ASSAULT",
            "The bombing injured 13.",
            trigger="bombing",
            when="2025-10-11",
            place="dik",
            recipients=("PAK_POLICE",),
            injured=(13, 13),
        ),
        mention(
            "b2",
            "B",
            "ASSAULT",
            "The bombing injured 40.",
            trigger="bombing",
            when="2025-10-11",
            place="dik",
            recipients=("TTP",),
            injured=(40, 40),
        ),
    ]
    assert _kinds(_run([soldiers, police], kb=kb, gz=gz)) == ["fatalities"]
    result = _run(injuries, kb=kb, gz=gz)
    assert len(result.events) == 2 and result.contradictions == []


def test_resolve_talks_in_two_cities_from_two_articles(kb, gz):
    one = mention(
        "a1",
        "A",
        "CONSULT",
        "Colombia and the ELN opened peace talks in Ankara on 3 March.",
        trigger="talks",
        when="2025-03-03",
        place="ankara",
        actors=("COL", "ELN"),
    )
    two = mention(
        "b1",
        "B",
        "CONSULT",
        "Colombia and ELN peace talks opened in Istanbul on 3 March.",
        trigger="talks",
        when="2025-03-03",
        place="istanbul",
        actors=("COL", "ELN"),
    )
    later = mention(
        "c1",
        "C",
        "CONSULT",
        "Colombia and the ELN held talks in Istanbul on 20 March.",
        trigger="talks",
        when="2025-03-20",
        place="istanbul",
        actors=("COL", "ELN"),
    )
    result = _run([one, two, later], kb=kb, gz=gz)
    assert sorted(sorted(e.mentions) for e in result.events) == [["a1", "b1"], ["c1"]]
    (found,) = result.contradictions
    assert found.kind == "location" and not found.internal
    assert "Ankara (Dawn) vs Istanbul (Geo News)" in found.explanation


def _talks_in(id: str, city: str, sentence: str, *, start: int, **fields) -> Mention:
    return mention(
        id,
        "A",
        "CONSULT",
        sentence,
        trigger="talks",
        place=city,
        actors=("SAF", "RSF"),
        start=start,
        **fields,
    )


def test_resolve_an_article_narrating_one_venue_and_relaying_another_contradicts_itself(kb, gz):
    relayed = _talks_in(
        "a1",
        "ankara",
        "According to Al Jazeera, the army delegation walked out of the Ankara talks.",
        start=0,
        reporter=reporter("Al Jazeera", None),
        modality="attributed",
    )
    narrated = _talks_in(
        "a2", "istanbul", "The Istanbul talks between the army and the RSF collapsed.", start=400
    )
    (found,) = _run([relayed, narrated], kb=kb, gz=gz).contradictions
    assert found.kind == "location" and found.internal
    assert "both in" in found.explanation


def test_resolve_an_article_relaying_two_sources_venues_explains_a_dispute(kb, gz):
    one = _talks_in(
        "a1",
        "ankara",
        "The army said the talks were held in Ankara.",
        start=0,
        reporter=reporter("Sudanese army", "SAF"),
        modality="attributed",
    )
    other = _talks_in(
        "a2",
        "istanbul",
        "The RSF said the talks took place in Istanbul.",
        start=400,
        reporter=reporter("RSF", "RSF"),
        modality="attributed",
    )
    (found,) = _run([one, other], kb=kb, gz=gz).contradictions
    assert found.kind == "location" and found.internal
    assert found.explanation.startswith("Sources disagree")


def test_resolve_refusals_by_one_side_in_different_words_are_one_dispute(kb, gz):
    strike, confirms, strike_b = _strike_confirmed_in_a_and_reported_in_b()
    by_state = mention(
        "b2",
        "B",
        "STATEMENT",
        "Pakistan did not claim responsibility for the strike.",
        trigger="claim",
        actors=("PAK",),
        modality="negated",
        about_mention="b1",
        start=100,
    )
    by_army = mention(
        "b3",
        "B",
        "STATEMENT",
        "No Pakistan Army officer acknowledged responsibility for the raid.",
        trigger="acknowledged",
        actors=("PAK_ARMY",),
        modality="negated",
        about_mention="b1",
        start=300,
    )
    result = _run([strike, confirms, strike_b, by_state, by_army], kb=kb, gz=gz)
    (found,) = [c for c in result.contradictions if c.kind == "responsibility"]
    assert [p.mentions for p in found.positions] == [["a2"], ["b2", "b3"]]


def test_resolve_finds_conflicting_numbers_of_injured(kb, gz):
    one = _attack("a1", "A", (6, 6), injured=(13, 13))
    other = _attack("b1", "B", (6, 6), injured=(30, 30))
    (found,) = _run([one, other], kb=kb, gz=gz).contradictions
    assert found.kind == "injuries" and not found.internal
    assert [p.value for p in found.positions] == ["13", "30"]
    assert found.explanation.startswith("Sources disagree on the number injured in")
