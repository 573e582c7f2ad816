"""merge's shortcuts give what trying every pair gives: the candidate search (candidates.py) finds
every supported pair, `cluster` per supported part equals clustering everything at once, and
`components` equals the connected groups of every linked pair."""

from __future__ import annotations

from datetime import date
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st
from resolve_fakes import article, mention

from khabar.resolve.candidates import candidate_pairs, close_wording, near_dates, same_article, shared_actors
from khabar.resolve.context import build_context
from khabar.resolve.merge import _agglomerate, actor_relations, cluster, components, linked, pair_score

# articles with publication dates in two presidencies, so a person's roles depend on the day
ARTICLES = [
    article("A", outlet="Outlet A"),
    article("B", outlet="Outlet B"),
    article("C", outlet="Outlet C", published=date(2019, 5, 1)),
    article("D", outlet="Outlet D", published=date(2023, 3, 1)),
]
WORDS = ["airstrike", "militants", "convoy", "border", "killed", "wounded", "village", "mortar", "talks"]
OPENINGS = ["", "These ", "Another ", "Officials said "]
TYPES = ["ASSAULT", "FIGHT", "STATEMENT", "ACCUSE", "CONSULT", "PROTEST"]
DATES = ["", "", "2025-10-09", "2025-10-10", "2025-10-12", "2025-10", "2019-05-02", "2023-03"]
PLACES = [None, "kabul", "kandahar", "AF", "ankara", "TR", "Some Village"]
ACTORS = ["PAK", "PAK_ARMY", "AFG", "AFG_MOD", "TTP", "TRUMP", "BIDEN", "USA", "Unknown Militia"]
MODALITIES = ["asserted", "asserted", "attributed", "hypothetical", "denied"]


@st.composite
def corpora(draw):
    """Mentions with varied wording (so shares of shared words vary), dates, places, actors
    (persons whose roles depend on the day), types, modalities and statements about others."""
    mentions = []
    for i in range(draw(st.integers(min_value=2, max_value=20))):
        art = draw(st.sampled_from("ABCD"))
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8, unique=True))
        earlier = [m.id for m in mentions if m.article == art]
        mentions.append(
            mention(
                f"m{i:02d}",
                art,
                draw(st.sampled_from(TYPES)),
                draw(st.sampled_from(OPENINGS)) + " ".join(words) + ".",
                trigger=words[0],
                when=draw(st.sampled_from(DATES)),
                place=draw(st.sampled_from(PLACES)),
                actors=tuple(draw(st.lists(st.sampled_from(ACTORS), max_size=2, unique=True))),
                recipients=tuple(draw(st.lists(st.sampled_from(ACTORS), max_size=1))),
                modality=draw(st.sampled_from(MODALITIES)),
                about_mention=draw(st.sampled_from([None, *earlier])) if earlier else None,
                start=draw(st.integers(min_value=0, max_value=3)) * 300,
            )
        )
    return mentions


@settings(max_examples=150, deadline=None)
@given(mentions=corpora())
def test_resolve_candidate_search_finds_every_supported_pair_by_its_reason(kb, gz, mentions):
    ctx = build_context(mentions, articles=ARTICLES, kb=kb, gazetteer=gz)
    found = {
        "dates": near_dates(mentions, ctx=ctx),
        "article": same_article(mentions),
        "actors": shared_actors(mentions, ctx=ctx),
        "wording": close_wording(mentions, ctx=ctx),
    }
    for i, j in combinations(range(len(mentions)), 2):
        pair = pair_score(mentions[i], mentions[j], ctx=ctx)
        if pair is not None and pair.supported:
            assert (i, j) in found[_reason(mentions[i], mentions[j], ctx=ctx)]
    assert candidate_pairs(mentions, ctx=ctx) == set().union(*found.values())


def _reason(a, b, *, ctx) -> str:
    """Why a supported pair is supported, as candidates.py's docstring reasons."""
    if a.date.start is not None and b.date.start is not None:
        return "dates"
    if a.article == b.article:
        return "article"
    return "actors" if actor_relations(a, b, ctx=ctx)[0] == "agree" else "wording"


@settings(max_examples=150, deadline=None)
@given(mentions=corpora())
def test_resolve_clustering_by_parts_equals_clustering_every_pair(kb, gz, mentions):
    ctx = build_context(mentions, articles=ARTICLES, kb=kb, gazetteer=gz)
    assert cluster(mentions, ctx=ctx) == _agglomerate(mentions, ctx=ctx)


@settings(max_examples=150, deadline=None)
@given(mentions=corpora())
def test_resolve_components_equal_the_groups_of_every_linked_pair(kb, gz, mentions):
    ctx = build_context(mentions, articles=ARTICLES, kb=kb, gazetteer=gz)
    ordered = sorted(mentions, key=lambda m: m.id)
    group = {m.id: {m.id} for m in ordered}
    for a, b in combinations(ordered, 2):
        if linked(a, b, ctx=ctx) or a.about_mention == b.id or b.about_mention == a.id:
            joined = group[a.id] | group[b.id]
            for member in joined:
                group[member] = joined
    expected = sorted({tuple(sorted(g)) for g in group.values()})
    assert [tuple(m.id for m in g) for g in components(mentions, ctx=ctx)] == expected


def test_resolve_near_dates_pairs_day_dates_within_the_slack_and_overlapping_ranges(kb, gz):
    days = {"a": "2025-10-09", "b": "2025-10-10", "c": "2025-10-12", "d": "2025-10", "e": "2025-12", "f": ""}
    mentions = [mention(k, "A", "ASSAULT", "Strike.", when=v) for k, v in days.items()]
    ctx = build_context(mentions, articles=ARTICLES, kb=kb, gazetteer=gz)
    named = {(mentions[i].id, mentions[j].id) for i, j in near_dates(mentions, ctx=ctx)}
    # days a day apart, and a month with its days; not days two apart, other months, no date
    assert named == {("a", "b"), ("a", "d"), ("b", "d"), ("c", "d")}


def test_resolve_close_wording_needs_half_the_shorter_sentence_and_three_words(kb, gz):
    sentences = [
        "Militants ambushed a police convoy near the border crossing at dawn.",
        "A police convoy was ambushed by militants.",
        "Militants ambushed shoppers in a market.",
        "The convoy reached the border.",
    ]
    mentions = [mention(f"m{i}", "AB"[i % 2], "ASSAULT", s) for i, s in enumerate(sentences)]
    ctx = build_context(mentions, articles=ARTICLES, kb=kb, gazetteer=gz)
    # m1's four words (militant, ambush, police, convoy) are all m0's; m2 and m3 share two words
    assert close_wording(mentions, ctx=ctx) == {(0, 1)}


def test_resolve_shared_actors_pairs_a_person_with_the_state_they_led_at_some_time(kb, gz):
    mentions = [
        # published when Biden was president: Trump shares a token with the USA on some day
        mention("m0", "D", "STATEMENT", "Donald Trump said it.", actors=("TRUMP",)),
        mention("m1", "B", "STATEMENT", "Washington said it.", actors=("USA",)),
        mention("m2", "C", "STATEMENT", "Kabul said it.", actors=("AFG",)),
        mention("m3", "D", "STATEMENT", "Kabul's ministry said it.", actors=("AFG_MOD",)),
        mention("m4", "D", "STATEMENT", "Islamabad said it.", recipients=("PAK",)),
    ]
    ctx = build_context(mentions, articles=ARTICLES, kb=kb, gazetteer=gz)
    assert shared_actors(mentions, ctx=ctx) == {(0, 1), (2, 3)}
