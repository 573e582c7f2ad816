"""extract: who speaks a quotation — people described rather than named, "he said" after a
quotation, and quotations that go on after their attribution. Every sentence is written for the
test."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from khabar.models import Extraction, Mention

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(read_article):
    return partial(read_article, published=date(2025, 6, 6))


def quoted(extraction: Extraction, starts: str) -> Mention:
    (mention,) = [m for m in extraction.mentions if m.quote and m.quote.startswith(starts)]
    return mention


def speakers(mention: Mention) -> list[tuple[str, str | None]]:
    return [(r.text, r.actor) for r in mention.actors]


# ---- people described, not named --------------------------------------------------------------------


def test_he_after_a_quotation_is_the_person_described_in_the_sentence_before(run):
    text = (
        "A fisherman who fled Marawi said the boats had been burned. "
        '"We lost everything in one night," he said.'
    )
    assert speakers(quoted(run(text), "We lost everything")) == [("A fisherman", None)]


def test_a_spokesman_of_a_named_group_speaks_for_it(run):
    text = (
        "A Hezbollah spokesman said the group had fired rockets at a barracks in northern Israel. "
        '"We answered the strike on Nabatieh," he told Al Manar.'
    )
    assert speakers(quoted(run(text), "We answered")) == [("A Hezbollah spokesman", "hezbollah")]


def test_a_spokesman_for_a_group_keeps_the_words_that_say_whose(run):
    found = run('"We did not fire first," a spokesman for Hezbollah said.')
    assert speakers(quoted(found, "We did not fire")) == [("a spokesman for Hezbollah", "hezbollah")]


def test_an_army_spokesman_speaks_for_the_army_of_the_country_reported_on(run):
    text = (
        "Jihadists attacked a base near Djibo in Burkina Faso on Sunday. "
        '"The terrorists were repelled with heavy losses," an army spokesman said.'
    )
    assert speakers(quoted(run(text), "The terrorists")) == [("an army spokesman", "bfa-military")]


def test_a_name_given_after_all_names_the_speaker(run):
    found = run('"The water is poisoned," said a woman who gave her name only as Nyakuma, in Bentiu.')
    assert speakers(quoted(found, "The water")) == [("Nyakuma", None)]


def test_a_name_after_the_description_names_the_speaker(run):
    text = (
        '"No bodies have been recovered," the provincial spokesperson for the Chadian army '
        "Azem Bermandoa told reporters."
    )
    assert [r.text for r in quoted(run(text), "No bodies").actors] == ["Azem Bermandoa"]
    found = run('"The convoy was ambushed at dawn," commander of the northern sector Ibrahim Bako said.')
    assert [r.text for r in quoted(found, "The convoy").actors] == ["Ibrahim Bako"]


def test_a_relative_described_is_not_linked_to_the_person_named(run):
    text = (
        "Rafael Okoro, 19, was shot at a checkpoint in Bangui on Friday. "
        '"He was going to buy bread," his mother said.'
    )
    assert speakers(quoted(run(text), "He was going")) == [("his mother", None)]


# ---- "he said" --------------------------------------------------------------------------------------


def test_he_is_never_someone_named_inside_the_quotation(run):
    text = (
        "The raid was described by Issa Kanta, a farmer from Diffa. "
        '"They shot Moussa Traoré in front of his house," he said.'
    )
    assert [r.text for r in quoted(run(text), "They shot").actors] == ["Issa Kanta"]


def test_he_skips_an_organisation_that_spoke_in_between(run):
    text = (
        "Hospital director Ali Hamdan spoke at the scene in Tyre. "
        "The health ministry said five people were killed. "
        '"The strike hit a family home," he said.'
    )
    assert [r.text for r in quoted(run(text), "The strike").actors] == ["Ali Hamdan"]


def test_he_prefers_the_speaker_to_a_person_named_in_what_was_reported(run):
    text = (
        "A police spokesman in Cotabato said Governor Abdulraof Macacua had ordered checkpoints on "
        'every road. "We are searching every boat leaving the bay," he said.'
    )
    assert [r.text for r in quoted(run(text), "We are searching").actors] == ["A police spokesman"]


def test_he_is_the_name_before_its_apposed_description(run):
    text = (
        "Nikolay Petrov, the outgoing UN envoy to Iraq, reported that 790 people were killed in January. "
        '"The tactics are getting worse by the day," he said.'
    )
    assert [r.text for r in quoted(run(text), "The tactics").actors] == ["Nikolay Petrov"]


def test_he_is_no_woman_described(run):
    text = (
        "Colonel Ahmed Jaber spoke to the crowd in Sinjar. "
        "A widow in the camp said her sons had been taken. "
        '"We will find who did this," he said.'
    )
    assert [r.text for r in quoted(run(text), "We will find").actors] == ["Ahmed Jaber"]


def test_he_is_the_person_named_in_the_sentence_before_when_its_subject_is_no_person(run):
    text = (
        "Colonel Ahmed Jaber led the convoy into Mosul. "
        "Governor Najim al-Jubouri's office issued a statement on Sunday. "
        '"We have moved 3,000 families to schools," he said.'
    )
    assert [r.text for r in quoted(run(text), "We have moved").actors] == ["Najim al-Jubouri"]


# ---- a quotation going on after its attribution ---------------------------------------------------


def test_the_sentence_after_the_attribution_goes_on_with_the_same_statement(run):
    text = (
        '"The soldiers came before dawn," said Amina Lucman, a teacher in Marawi. '
        '"Now the school is a barracks."'
    )
    (statement,) = [m for m in run(text).mentions if m.quote]
    assert statement.quote == "The soldiers came before dawn … Now the school is a barracks"
    assert [r.text for r in statement.actors] == ["Amina Lucman"]
    start, end = statement.quote_span
    assert text[start:end].startswith("The soldiers") and text[start:end].endswith("a barracks")


def test_a_quotation_split_by_its_attribution_is_one_statement(run):
    text = '"We will not give up the town," the militia commander said, "whatever it costs us."'
    (statement,) = [m for m in run(text).mentions if m.quote]
    assert statement.quote == "We will not give up the town … whatever it costs us"
    assert [r.text for r in statement.actors] == ["the militia commander"]


def test_two_speakers_in_one_sentence_make_two_statements(run):
    text = '"We fired first," one soldier said, while his officer insisted: "We were attacked."'
    said = {m.quote: [r.text for r in m.actors] for m in run(text).mentions if m.quote}
    assert said == {"We fired first": ["one soldier"], "We were attacked": ["his officer"]}


def test_a_paragraph_of_quotation_alone_goes_on_with_the_last_speakers_statement(run):
    text = (
        "Hadiza Moussa, a nurse in Diffa, said the clinic had run out of medicine. "
        '"We are treating wounds with salt water," she said.\n\n"Nobody has come to help us."\n\n'
        '"We have buried nine children."'
    )
    (statement,) = [m for m in run(text).mentions if m.quote]
    assert statement.quote.split(" … ") == [
        "We are treating wounds with salt water",
        "Nobody has come to help us",
        "We have buried nine children",
    ]
    assert [r.text for r in statement.actors] == ["Hadiza Moussa"]
