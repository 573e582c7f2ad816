"""extract: which event a count of dead or injured belongs to (`extract.discourse.add_tolls`).
Every sentence is written for the test (#H17)."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from khabar.models import Extraction, Mention

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(read_article):
    return partial(read_article, published=date(2025, 6, 11))


def by_trigger(extraction: Extraction, trigger: str) -> list[Mention]:
    return [m for m in extraction.mentions if m.trigger == trigger]


def killed(mention: Mention) -> tuple[int | None, int | None] | None:
    return (mention.killed.low, mention.killed.high) if mention.killed else None


def test_tolls_a_bare_toll_verb_gives_its_count_to_the_event_before(run):
    text = (
        "Jihadists attacked an army post near Djibo on Sunday. "
        "Local sources said at least nine soldiers were killed."
    )
    extraction = run(text)
    (attack,) = by_trigger(extraction, "attacked")
    assert killed(attack) == (9, None)
    assert by_trigger(extraction, "killed") == []


def test_tolls_a_bare_toll_verb_gives_its_counts_to_the_event_of_its_sentence(run):
    text = "Since fighting between the two militias began in Ituri, more than 400 villagers have been killed."
    extraction = run(text)
    (fighting,) = by_trigger(extraction, "fighting")
    assert killed(fighting) == (400, None)
    assert by_trigger(extraction, "killed") == []


def test_tolls_a_bare_toll_verb_with_nothing_before_it_keeps_its_count(run):
    text = "The observatory says more than 500 people have been killed in the province."
    (mention,) = by_trigger(run(text), "killed")
    assert killed(mention) == (500, None)


def test_tolls_a_second_report_of_a_count_stays_a_report_of_the_same_event(run):
    text = (
        "A drone strike killed 12 civilians near Dejen on Monday. "
        "Hospital staff later said at least 15 people were killed."
    )
    extraction = run(text)
    (strike,) = [m for m in extraction.mentions if m.trigger and "strike" in m.trigger]
    (again,) = by_trigger(extraction, "killed")
    assert (killed(strike), killed(again)) == ((12, 12), (15, None))
    assert again.date == strike.date


def test_tolls_the_verb_of_another_count_is_not_the_event_of_a_bare_count(run):
    text = (
        "Militants stormed a base in Mopti on Tuesday. "
        "He said 12 soldiers were killed and that the army had killed more than 30 of the attackers."
    )
    extraction = run(text)
    (stormed,) = by_trigger(extraction, "stormed")
    assert killed(stormed) == (12, 12)
    assert [killed(m) for m in by_trigger(extraction, "killed")] == [(30, None)]


def test_tolls_counts_joined_to_one_verb_add_up(run):
    text = "Troops shelled a village near Kotli overnight, killing two fighters and three civilians."
    (shelled,) = by_trigger(run(text), "shelled")
    assert killed(shelled) == (5, 5)


def test_tolls_persons_counted_one_by_one_are_the_events_toll(run):
    text = "A rocket struck a house in Kharkiv on Friday, killing a woman, her son and a neighbour."
    (struck,) = run(text).mentions
    assert killed(struck) == (3, 3)


def test_tolls_a_trigger_told_of_the_victims_is_not_their_event(run):
    text = (
        "Clashes between rival militias erupted in Tripoli on Sunday. "
        "All flights at the airport were suspended. "
        "The ministry said 23 people were wounded, including two medics whose ambulance came under fire."
    )
    extraction = run(text)
    (clashes,) = by_trigger(extraction, "Clashes")
    assert clashes.injured is not None and clashes.injured.low == 23
    assert all(m.injured is None for m in extraction.mentions if m is not clashes)
