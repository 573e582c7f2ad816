"""The merged event's fields and their provenance (fuse.py)."""

from __future__ import annotations

from resolve_fakes import article, mention, reporter

from khabar.models import Toll
from khabar.resolve import resolve
from khabar.resolve.context import build_context
from khabar.resolve.fuse import fused_toll


def _only_event(mentions, *, kb, gz, articles=None):
    articles = articles or [article(x, outlet=f"Outlet {x}") for x in "ABCD"]
    result = resolve(mentions, articles=articles, kb=kb, gazetteer=gz)
    assert len(result.events) == 1, [e.mentions for e in result.events]
    return result.events[0]


def test_resolve_fuses_the_most_precise_date_and_place(kb, gz):
    event = _only_event(
        [
            mention(
                "a1",
                "A",
                "FIGHT",
                "Fighting between the army and the RSF in Sudan in June.",
                trigger="Fighting",
                when="2024-06",
                place="SD",
                actors=("SAF", "RSF"),
            ),
            mention(
                "b1",
                "B",
                "FIGHT",
                "The army and the RSF fought in El Fasher on 3 June.",
                trigger="fought",
                when="2024-06-03",
                place="el_fasher",
                actors=("SAF",),
                recipients=("RSF",),
            ),
        ],
        kb=kb,
        gz=gz,
    )
    assert (event.date.start.isoformat(), event.date.precision) == ("2024-06-03", "day")
    assert event.location.name == "El Fasher" and event.location.country == "SD"
    assert event.acled_time_precision == 1 and event.location.acled_geo_precision == 1


def test_resolve_toll_range_is_ucdp_style(kb, gz):
    ctx = build_context([], articles=[article("A"), article("B"), article("C")], kb=kb, gazetteer=gz)
    claims = [("A", Toll(low=6, high=6)), ("B", Toll(low=9, high=9)), ("C", Toll(low=3, high=None))]
    assert fused_toll(claims, ctx=ctx) == Toll(low=3, high=None, best=6)
    bounded = [("A", Toll(low=6, high=6)), ("B", Toll(low=9, high=12))]
    assert fused_toll(bounded, ctx=ctx) == Toll(low=6, high=12, best=6)


def test_resolve_single_claim_keeps_its_range(kb, gz):
    event = _only_event(
        [
            mention(
                "a1",
                "A",
                "ASSAULT",
                "Airstrikes killed at least three.",
                trigger="Airstrikes",
                when="2025-10-13",
                place="kabul",
                actors=("PAK",),
                killed=(3, None),
            )
        ],
        kb=kb,
        gz=gz,
    )
    assert (event.killed.low, event.killed.high) == (3, None)


def test_resolve_counts_near_duplicates_once(kb, gz):
    articles = [
        article("A", outlet="Dawn"),
        article("B", outlet="Dawn copy site", duplicate_of="A"),
        article("C", outlet="Geo News"),
    ]
    sentence = "Militants attacked a police training centre in Dera Ismail Khan on 11 October."
    mentions = [
        mention(
            f"{x}1",
            x,
            "ASSAULT",
            sentence,
            trigger="attacked",
            when="2025-10-11",
            place="dik",
            recipients=("PAK_POLICE",),
        )
        for x in "ABC"
    ]
    event = _only_event(mentions, kb=kb, gz=gz, articles=articles)
    assert (event.corroboration.articles, event.corroboration.outlets) == (2, 2)


def test_resolve_titles_read_as_a_line(kb, gz):
    strike = _only_event(
        [
            mention(
                "a1",
                "A",
                "ASSAULT",
                "Pakistan conducted airstrikes in Kabul.",
                trigger="airstrikes",
                when="2025-10-09",
                place="kabul",
                actors=("PAK",),
                mode="aerial",
            )
        ],
        kb=kb,
        gz=gz,
    )
    clashes = _only_event(
        [
            mention(
                "a1",
                "A",
                "FIGHT",
                "Afghanistan and Pakistan clashed.",
                trigger="clashed",
                when="2025-10-11",
                actors=("AFG",),
                recipients=("PAK",),
            )
        ],
        kb=kb,
        gz=gz,
    )
    attack = _only_event(
        [
            mention(
                "a1",
                "A",
                "ASSAULT",
                "An attack on police in Dera Ismail Khan killed 6 and injured 13.",
                trigger="attack",
                when="2025-10-11",
                place="dik",
                recipients=("PAK_POLICE",),
                killed=(6, 6),
                injured=(13, 13),
            )
        ],
        kb=kb,
        gz=gz,
    )
    assert strike.title == "Pakistan airstrikes in Kabul"
    assert clashes.title == "Clashes between Afghanistan and Pakistan"
    assert attack.title == "Attack on Pakistani police in Dera Ismail Khan: 6 killed, 13 injured"


def test_resolve_status_confirmed_by_two_outlets_or_the_responsible_side(kb, gz):
    two_outlets = _only_event(
        [
            mention(
                "a1",
                "A",
                "ASSAULT",
                "The ELN bombed a pipeline in Arauca on 5 May.",
                trigger="bombed",
                when="2024-05-05",
                place="Arauca",
                actors=("ELN",),
            ),
            mention(
                "b1",
                "B",
                "ASSAULT",
                "ELN rebels bombed the pipeline in Arauca on 5 May.",
                trigger="bombed",
                when="2024-05-05",
                place="Arauca",
                actors=("ELN",),
            ),
        ],
        kb=kb,
        gz=gz,
    )
    strike = mention(
        "a1",
        "A",
        "ASSAULT",
        "Pakistan launched airstrikes in Kabul on 13 October.",
        trigger="airstrikes",
        when="2025-10-13",
        place="kabul",
        actors=("PAK",),
    )
    confirmed = mention(
        "a2",
        "A",
        "STATEMENT",
        "Pakistan confirmed the strikes.",
        trigger="confirmed",
        actors=("PAK",),
        about_mention="a1",
    )
    result = resolve([strike, confirmed], articles=[article("A")], kb=kb, gazetteer=gz)
    by_perpetrator = next(e for e in result.events if e.type == "ASSAULT")
    assert two_outlets.status == "confirmed"
    assert by_perpetrator.status == "confirmed"


def test_resolve_status_reported_claimed_and_denied(kb, gz):
    reported = _only_event(
        [
            mention(
                "a1",
                "A",
                "ASSAULT",
                "A drone hit Kandahar on 1 October.",
                trigger="drone",
                when="2025-10-01",
                place="kandahar",
            )
        ],
        kb=kb,
        gz=gz,
    )
    claimed = _only_event(
        [
            mention(
                "a1",
                "A",
                "ASSAULT",
                "The TTP said it attacked a checkpoint on 2 October.",
                trigger="attacked",
                when="2025-10-02",
                place="KP",
                actors=("TTP",),
                modality="attributed",
                reporter=reporter("the TTP", "TTP"),
            )
        ],
        kb=kb,
        gz=gz,
    )
    rumour = mention(
        "a1",
        "A",
        "ASSAULT",
        "Unverified reports say a commander was killed in Kabul.",
        trigger="killed",
        place="kabul",
        modality="unverified",
    )
    denial = mention(
        "a2",
        "A",
        "REJECT",
        "Afghanistan rejected such claims.",
        trigger="rejected",
        actors=("AFG",),
        about_mention="a1",
    )
    result = resolve([rumour, denial], articles=[article("A")], kb=kb, gazetteer=gz)
    assert reported.status == "reported"
    assert claimed.status == "claimed"
    assert next(e for e in result.events if e.type == "ASSAULT").status == "denied"


def test_resolve_clashes_absorb_a_strike_without_making_both_sides_strikers(kb, gz):
    event = _only_event(
        [
            mention(
                "a1",
                "A",
                "FIGHT",
                "Clashes between Pakistan and Afghanistan erupted on 11 October.",
                trigger="Clashes",
                when="2025-10-11",
                actors=("PAK", "AFG"),
                start=0,
            ),
            mention(
                "a2",
                "A",
                "ASSAULT",
                "Afghan forces struck Pakistani army posts on 11 October.",
                trigger="struck",
                when="2025-10-11",
                actors=("AFG",),
                recipients=("PAK_ARMY",),
                start=100,
            ),
        ],
        kb=kb,
        gz=gz,
    )
    assert event.type == "FIGHT" and event.title == "Clashes between Afghanistan and Pakistan"
    assert (event.actors, event.recipients) == (["AFG", "PAK"], [])
