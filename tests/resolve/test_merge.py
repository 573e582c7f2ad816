"""Which mentions become one event: the pairwise constraints and the clustering (merge.py)."""

from __future__ import annotations

from resolve_fakes import article, mention

from khabar.resolve import resolve
from khabar.resolve.context import build_context
from khabar.resolve.merge import cluster, components, pair_score

ARTICLES = [article(x, outlet=f"Outlet {x}") for x in "ABCD"]


def _groups(mentions, *, kb, gz) -> list[list[str]]:
    result = resolve(mentions, articles=ARTICLES, kb=kb, gazetteer=gz)
    return sorted(sorted(e.mentions) for e in result.events)


def test_resolve_merges_same_day_same_place(kb, gz):
    mentions = [
        mention("a1", "A", "ASSAULT", "Shelling hit Kharkiv on Monday.", when="2024-05-06", place="kharkiv"),
        mention(
            "b1",
            "B",
            "ASSAULT",
            "Russian shelling killed 9 in Kharkiv.",
            trigger="shelling",
            when="2024-05-06",
            place="kharkiv",
            actors=("RUS",),
        ),
    ]
    assert _groups(mentions, kb=kb, gz=gz) == [["a1", "b1"]]


def test_resolve_keeps_same_day_attacks_in_different_cities_apart(kb, gz):
    mentions = [
        mention(
            "a1",
            "A",
            "ASSAULT",
            "A drone hit Kharkiv on 6 May.",
            trigger="drone",
            when="2024-05-06",
            place="kharkiv",
            actors=("RUS",),
        ),
        mention(
            "b1",
            "B",
            "ASSAULT",
            "A drone hit Kramatorsk on 6 May.",
            trigger="drone",
            when="2024-05-06",
            place="kramatorsk",
            actors=("RUS",),
        ),
    ]
    assert _groups(mentions, kb=kb, gz=gz) == [["a1"], ["b1"]]


def test_resolve_merges_city_with_its_country_across_articles(kb, gz):
    mentions = [
        mention(
            "a1",
            "A",
            "ASSAULT",
            "RSF fighters attacked El Fasher on 3 June.",
            trigger="attacked",
            when="2024-06-03",
            place="el_fasher",
            actors=("RSF",),
        ),
        mention(
            "b1",
            "B",
            "ASSAULT",
            "The RSF attacked in Sudan on 3 June.",
            trigger="attacked",
            when="2024-06-03",
            place="SD",
            actors=("RSF",),
        ),
    ]
    assert _groups(mentions, kb=kb, gz=gz) == [["a1", "b1"]]


def test_resolve_keeps_a_strike_and_its_condemnation_apart(kb, gz):
    strike = mention(
        "a1",
        "A",
        "ASSAULT",
        "Pakistan bombed Kabul on 9 October.",
        trigger="bombed",
        when="2025-10-09",
        place="kabul",
        actors=("PAK",),
    )
    condemnation = mention(
        "a2",
        "A",
        "ACCUSE",
        "Afghanistan condemned the strike.",
        trigger="condemned",
        actors=("AFG",),
        recipients=("PAK",),
        about_mention="a1",
    )
    result = resolve([strike, condemnation], articles=ARTICLES, kb=kb, gazetteer=gz)
    assert len(result.events) == 2
    by_id = {m.id: m for m in result.mentions}
    assert by_id["a2"].about == by_id["a1"].event != by_id["a2"].event


def test_resolve_strike_joins_clashes_only_when_actors_agree(kb, gz):
    clashes = mention(
        "a1",
        "A",
        "FIGHT",
        "Clashes between Pakistan and Afghanistan erupted on 11 October.",
        trigger="Clashes",
        when="2025-10-11",
        actors=("PAK", "AFG"),
        start=0,
    )
    retaliation = mention(
        "a2",
        "A",
        "ASSAULT",
        "Afghan forces struck Pakistani army posts on 11 October.",
        trigger="struck",
        when="2025-10-11",
        actors=("AFG",),
        recipients=("PAK_ARMY",),
        start=100,
    )
    unattributed = mention(
        "b1",
        "B",
        "ASSAULT",
        "Gunmen attacked a police centre on 11 October.",
        trigger="attacked",
        when="2025-10-11",
        recipients=("PAK_POLICE",),
    )
    groups = _groups([clashes, retaliation, unattributed], kb=kb, gz=gz)
    assert ["a1", "a2"] in groups and ["b1"] in groups


def test_resolve_also_marks_a_further_event_in_the_same_article(kb, gz):
    first = mention(
        "a1",
        "A",
        "ASSAULT",
        "Militants attacked a checkpoint on 2 March.",
        trigger="attacked",
        when="2024-03-02",
        recipients=("PAK_POLICE",),
        start=0,
    )
    second = mention(
        "a2",
        "A",
        "ASSAULT",
        "Militants also attacked a police station on 2 March.",
        trigger="attacked",
        when="2024-03-02",
        recipients=("PAK_POLICE",),
        start=200,
    )
    assert _groups([first, second], kb=kb, gz=gz) == [["a1"], ["a2"]]


def test_resolve_undated_mention_needs_strong_evidence(kb, gz):
    dated = mention(
        "a1",
        "A",
        "ASSAULT",
        "Pakistan bombed Kabul on 9 October.",
        trigger="bombed",
        when="2025-10-09",
        place="kabul",
        actors=("PAK",),
        start=0,
    )
    anaphor = mention(
        "a2", "A", "ASSAULT", "Officials said these strikes targeted militants.", trigger="strikes", start=300
    )
    elsewhere = mention(
        "b1",
        "B",
        "ASSAULT",
        "Pakistan launched airstrikes in Afghanistan.",
        trigger="airstrikes",
        place="AF",
        actors=("PAK",),
    )
    assert _groups([dated, anaphor, elsewhere], kb=kb, gz=gz) == [["a1", "a2"], ["b1"]]


def test_resolve_undated_reports_of_one_demand_merge_on_a_shared_place(kb, gz):
    one = mention(
        "a1",
        "A",
        "REQUEST",
        "After Trump's demand to regain control of Bagram airbase, ties cooled.",
        trigger="demand",
        place="bagram",
        actors=("TRUMP",),
    )
    two = mention(
        "b1",
        "B",
        "REQUEST",
        "Trump has repeatedly demanded the return of Bagram Airbase.",
        trigger="demanded",
        place="bagram",
        actors=("TRUMP",),
        recipients=("AFG",),
    )
    assert _groups([one, two], kb=kb, gz=gz) == [["a1", "b1"]]


def test_resolve_verbal_events_need_the_same_speaker(kb, gz):
    one = mention(
        "a1",
        "A",
        "ACCUSE",
        "Pakistan accused Afghanistan of sheltering militants.",
        trigger="accused",
        actors=("PAK",),
        recipients=("AFG",),
        start=0,
    )
    two = mention(
        "a2",
        "A",
        "ACCUSE",
        "Afghanistan accused Pakistan of violating its airspace.",
        trigger="accused",
        actors=("AFG",),
        recipients=("PAK",),
        start=100,
    )
    assert _groups([one, two], kb=kb, gz=gz) == [["a1"], ["a2"]]


def test_resolve_hypothetical_never_merges_with_a_report(kb, gz):
    real = mention(
        "a1",
        "A",
        "ASSAULT",
        "The army shelled Khartoum on 4 April.",
        trigger="shelled",
        when="2024-04-04",
        place="khartoum",
        actors=("SAF",),
    )
    feared = mention(
        "b1",
        "B",
        "ASSAULT",
        "The army could shell Khartoum on 4 April.",
        trigger="shell",
        when="2024-04-04",
        place="khartoum",
        actors=("SAF",),
        modality="hypothetical",
    )
    assert _groups([real, feared], kb=kb, gz=gz) == [["a1"], ["b1"]]


def test_resolve_ministry_and_person_count_as_their_state(kb, gz):
    one = mention(
        "a1",
        "A",
        "ASSAULT",
        "Afghanistan struck posts on 12 October.",
        trigger="struck",
        when="2025-10-12",
        place="KP",
        actors=("AFG",),
    )
    two = mention(
        "b1",
        "B",
        "ASSAULT",
        "The defence ministry struck posts on 12 October.",
        trigger="struck",
        when="2025-10-12",
        place="KP",
        actors=("AFG_MOD",),
    )
    three = mention(
        "c1",
        "C",
        "AGREE",
        "Trump agreed a deal with Colombia on 2 February.",
        trigger="agreed",
        when="2025-02-02",
        actors=("TRUMP",),
        recipients=("COL",),
    )
    four = mention(
        "d1",
        "D",
        "AGREE",
        "The United States and Colombia agreed on 2 February.",
        trigger="agreed",
        when="2025-02-02",
        actors=("USA", "COL"),
    )
    assert _groups([one, two, three, four], kb=kb, gz=gz) == [["a1", "b1"], ["c1", "d1"]]


def test_resolve_cannot_links_hold_across_a_chain(kb, gz):
    vague = mention(
        "a1",
        "A",
        "ASSAULT",
        "An RSF attack in Sudan on 3 June killed dozens.",
        trigger="attack",
        when="2024-06-03",
        place="SD",
        actors=("RSF",),
    )
    north = mention(
        "b1",
        "B",
        "ASSAULT",
        "The RSF attacked El Fasher on 3 June.",
        trigger="attacked",
        when="2024-06-03",
        place="el_fasher",
        actors=("RSF",),
    )
    capital = mention(
        "c1",
        "C",
        "ASSAULT",
        "The RSF attacked Khartoum on 3 June.",
        trigger="attacked",
        when="2024-06-03",
        place="khartoum",
        actors=("RSF",),
    )
    groups = _groups([vague, north, capital], kb=kb, gz=gz)
    assert not any({"b1", "c1"} <= set(g) for g in groups)
    assert len(groups) == 2


def test_resolve_pair_score_is_symmetric_and_none_for_cannot_links(kb, gz):
    a = mention(
        "a1",
        "A",
        "ASSAULT",
        "ELN rebels bombed a pipeline on 5 May.",
        trigger="bombed",
        when="2024-05-05",
        actors=("ELN",),
    )
    b = mention(
        "b1",
        "B",
        "ASSAULT",
        "Rebels of the ELN bombed a pipeline on 5 May.",
        trigger="bombed",
        when="2024-05-05",
        actors=("ELN",),
    )
    c = mention(
        "c1",
        "C",
        "ASSAULT",
        "ELN rebels bombed a pipeline on 9 May.",
        trigger="bombed",
        when="2024-05-09",
        actors=("ELN",),
    )
    ctx = build_context([a, b, c], articles=ARTICLES, kb=kb, gazetteer=gz)
    assert pair_score(a, b, ctx=ctx) == pair_score(b, a, ctx=ctx)
    assert pair_score(a, b, ctx=ctx).score > 0.5 and pair_score(a, b, ctx=ctx).supported
    assert pair_score(a, c, ctx=ctx) is None


def test_resolve_components_block_by_family_and_date_window(kb, gz):
    a = mention("a1", "A", "ASSAULT", "A strike on 1 January.", trigger="strike", when="2024-01-01")
    b = mention("b1", "B", "FIGHT", "Clashes on 2 January.", trigger="Clashes", when="2024-01-02")
    c = mention("c1", "C", "ASSAULT", "A strike on 1 December.", trigger="strike", when="2024-12-01")
    d = mention("d1", "D", "ACCUSE", "An accusation on 1 January.", trigger="accusation", when="2024-01-01")
    ctx = build_context([a, b, c, d], articles=ARTICLES, kb=kb, gazetteer=gz)
    groups = [[m.id for m in g] for g in components([a, b, c, d], ctx=ctx)]
    assert groups == [["a1", "b1"], ["c1"], ["d1"]]
    assert [[m.id for m in g] for g in cluster([a, b], ctx=ctx)] == [["a1"], ["b1"]]


def test_resolve_beats_the_acled_one_event_per_actor_place_day_rule(kb, gz):
    # ACLED's rule splits a report naming the city from one naming only the country, and the
    # report without a named perpetrator from the one with it; all three are one strike.
    mentions = [
        mention(
            "a1",
            "A",
            "ASSAULT",
            "Russian missiles hit Kharkiv on 6 May.",
            trigger="missiles",
            when="2024-05-06",
            place="kharkiv",
            actors=("RUS",),
        ),
        mention(
            "b1",
            "B",
            "ASSAULT",
            "Missiles hit Ukraine's Kharkiv on 6 May.",
            trigger="Missiles",
            when="2024-05-06",
            place="kharkiv",
        ),
        mention(
            "c1",
            "C",
            "ASSAULT",
            "Russia's missile strike on Ukraine on 6 May killed 4.",
            trigger="strike",
            when="2024-05-06",
            place="UA",
            actors=("RUS",),
        ),
    ]
    assert _groups(mentions, kb=kb, gz=gz) == [["a1", "b1", "c1"]]
