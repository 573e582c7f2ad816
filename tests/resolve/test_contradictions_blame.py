"""Disagreements found on unseen text: a later toll that disputes an earlier one, sides blaming each
other for starting a clash, and denials that are no report of the act they deny."""

from __future__ import annotations

from datetime import date

import pytest
from resolve_fakes import article, mention, reporter, shipped_lexicon

from khabar.resolve import resolve
from khabar.resolve.lexicon import compile_lexicon

KHARKIV = [
    article("K1", outlet="Kyiv Daily", published=date(2025, 6, 2)),
    article("K2", outlet="Kharkiv Today", published=date(2025, 6, 4)),
]
WIRE = [article("W", outlet="Reuters", published=date(2024, 4, 16))]


def _strike(id, art, sentence, killed, **fields):
    return mention(
        id,
        art,
        "ASSAULT",
        sentence,
        trigger="struck",
        when="2025-06-01",
        place="kharkiv",
        actors=("RUS",),
        killed=killed,
        modality="attributed",
        **fields,
    )


def _kharkiv(later_sentence, later_toll, *, kb, gz):
    first = _strike(
        "k1",
        "K1",
        "Russian missiles struck Kharkiv on Sunday, killing four people, the governor said.",
        (4, 4),
        reporter=reporter("governor"),
    )
    later = _strike("k2", "K2", later_sentence, later_toll, reporter=reporter("volunteers"))
    return resolve([first, later], articles=KHARKIV, kb=kb, gazetteer=gz)


@pytest.mark.parametrize(
    ("sentence", "disputes"),
    [
        ("Medics say 40 died, far higher than the army admits.", True),
        ("Residents put the toll at 25, against an official figure of 8.", True),
        ("Hospital staff said 19 were killed, contradicting the ministry.", True),
        ("More than 30 people were killed, officials said.", False),
        ("The toll rose to 17 on Tuesday.", False),
        ("At least 12 died, higher-ups in the police said.", False),
    ],
)
def test_resolve_toll_dispute_cues_are_comparisons_not_approximations(sentence, disputes):
    lex = compile_lexicon(shipped_lexicon("resolve"))
    assert bool(lex.toll_dispute.search(sentence)) is disputes


def test_resolve_a_later_toll_set_against_the_first_figure_is_a_contradiction(kb, gz):
    result = _kharkiv(
        "Volunteers say at least 17 people died when missiles struck Kharkiv on Sunday, four times "
        "the figure given by the governor.",
        (17, None),
        kb=kb,
        gz=gz,
    )
    (event,) = result.events
    (found,) = result.contradictions
    assert found.kind == "fatalities" and not found.internal and found.severity == "high"
    assert [(p.value, p.articles) for p in found.positions] == [("4", ["K1"]), ("at least 17", ["K2"])]
    assert found.id in event.contradictions


@pytest.mark.parametrize(
    "sentence",
    [
        "The toll from the missiles that struck Kharkiv on Sunday rose to 17, volunteers said.",
        "Volunteers said 17 people were now known to have died after missiles struck Kharkiv.",
    ],
)
def test_resolve_a_later_higher_toll_in_plain_words_is_still_an_update(sentence, kb, gz):
    result = _kharkiv(sentence, (17, 17), kb=kb, gz=gz)
    assert len(result.events) == 1 and result.contradictions == []


def test_resolve_a_later_lower_toll_is_a_contradiction_whatever_its_words(kb, gz):
    first = _strike("k1", "K1", "Missiles struck Kharkiv on Sunday, killing 12.", (12, 12))
    later = _strike("k2", "K2", "Missiles struck Kharkiv on Sunday, killing five.", (5, 5))
    result = resolve([first, later], articles=KHARKIV, kb=kb, gazetteer=gz)
    assert [c.kind for c in result.contradictions] == ["fatalities"]


# ---- who started the clashes -------------------------------------------------------------------------


def _clashes():
    return mention(
        "w1",
        "W",
        "FIGHT",
        "Fighting between the army and the RSF broke out in Khartoum on Monday.",
        trigger="Fighting",
        when="2024-04-15",
        place="khartoum",
        actors=("SAF", "RSF"),
        start=0,
    )


def _accusation(sentence="The army accused the RSF of starting the fighting."):
    return mention(
        "w2",
        "W",
        "ACCUSE",
        sentence,
        trigger="accused",
        actors=("SAF",),
        recipients=("RSF",),
        about_mention="w1",
        start=200,
    )


def _reply(sentence="An RSF spokesman said the army had started the clashes.", *, actors=("SAF",), by="RSF"):
    return mention(
        "w3",
        "W",
        "FIGHT",
        sentence,
        trigger="clashes",
        actors=actors,
        reporter=reporter(f"{by} spokesman", by),
        modality="attributed",
        start=300,
    )


def test_resolve_sides_blaming_each_other_for_starting_a_clash(kb, gz):
    result = resolve([_clashes(), _accusation(), _reply()], articles=WIRE, kb=kb, gazetteer=gz)
    clash = next(e for e in result.events if e.type == "FIGHT")
    assert len(clash.mentions) == 2
    (found,) = result.contradictions
    assert found.kind == "responsibility" and found.internal and found.about_event == clash.id
    assert [(p.value, p.mentions) for p in found.positions] == [
        ("Rapid Support Forces", ["w2"]),
        ("Sudanese Armed Forces", ["w3"]),
    ]
    assert found.explanation == (
        "Sources disagree on who started the 15 April 2024 clashes between Rapid Support Forces and "
        "Sudanese Armed Forces in Khartoum: Sudanese Armed Forces blames Rapid Support Forces (Reuters); "
        "Rapid Support Forces blames Sudanese Armed Forces (RSF spokesman via Reuters)."
    )
    assert clash.status == "disputed"


@pytest.mark.parametrize(
    ("accusation", "reply"),
    [
        # blame for acts within the fighting, not for starting it: both may be true
        (
            _accusation("The army accused the RSF of shelling homes in the city."),
            _reply("An RSF spokesman said the army had bombed markets during the clashes."),
        ),
        # a side telling of its own offensive blames nobody
        (_accusation(), _reply("An army spokesman said it had started the clashes at dawn.", by="SAF")),
        # a report naming both sides as starting it names no culprit
        (
            _accusation(),
            _reply("An RSF spokesman said both forces started the clashes.", actors=("SAF", "RSF")),
        ),
    ],
)
def test_resolve_no_dispute_over_who_started_without_two_sides_blamed(accusation, reply, kb, gz):
    result = resolve([_clashes(), accusation, reply], articles=WIRE, kb=kb, gazetteer=gz)
    clash = next(e for e in result.events if e.type == "FIGHT")
    assert clash.mentions == ["w1", "w3"] and result.contradictions == []


# ---- denials ----------------------------------------------------------------------------------------


def test_resolve_two_denials_by_one_side_are_no_responsibility_dispute(kb, gz):
    articles = [article("E", outlet="El Tiempo", published=date(2024, 8, 3))]
    brief = mention(
        "e1", "E", "REJECT", "The ELN denies the kidnapping.", trigger="denies", actors=("ELN",), start=0
    )
    denial = mention(
        "e2",
        "E",
        "REJECT",
        "The ELN later said that it denied holding the engineers.",
        trigger="denied",
        actors=("ELN",),
        about_mention="e3",
        start=100,
    )
    kidnapping = mention(
        "e3",
        "E",
        "COERCE",
        "The ELN later said that it denied holding the engineers.",
        trigger="holding",
        actors=("ELN",),
        modality="denied",
        start=100,
    )
    result = resolve([brief, denial, kidnapping], articles=articles, kb=kb, gazetteer=gz)
    rejection = next(e for e in result.events if e.type == "REJECT")
    assert rejection.mentions == ["e1", "e2"]
    assert "responsibility" not in [c.kind for c in result.contradictions]
