"""extract.modality: how sure the article is that an event happened, and on whose word."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest
import yaml

from khabar.errors import KnowledgeError
from khabar.extract.modality import compile_modality, modality_of, reporter_of
from khabar.models import ActorRef, DateRef

LIGHT = frozenset({"launch", "conduct", "carry", "stage"})


@pytest.fixture(scope="module")
def lexicon():
    text = resources.files("khabar").joinpath("knowledge/lexicons/modality.yaml").read_text()
    return compile_modality(yaml.safe_load(text))


def word(doc, text):
    return next(t for t in doc if t.text == text)


def modality(nlp, lexicon, text, trigger, **kwargs):
    doc = nlp(text)
    return modality_of([word(doc, trigger)], lexicon=lexicon, light=lambda v: v.lemma_ in LIGHT, **kwargs)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("Government forces shelled the village of Kafr Nabl.", "shelled", "asserted"),
        ("Government forces reportedly shelled the village.", "shelled", "unverified"),
        ("Some unverified reports suggest that the commander was killed in the raid.", "raid", "unverified"),
        ("It is widely believed that the strikes were conducted by Israel.", "strikes", "alleged"),
        ("The rebels allegedly attacked a convoy near Goma.", "attacked", "alleged"),
        ("The army did not launch any strikes on the town.", "strikes", "negated"),
        ("No official acknowledged the raid.", "acknowledged", "negated"),
        ("Moscow denied that its forces shelled the market.", "shelled", "denied"),
        ("The militia could attack the capital.", "attack", "hypothetical"),
        ("If the army advances, the rebels will attack the airport.", "advances", "hypothetical"),
        ("The army will launch an offensive next week.", "offensive", "future"),
        ("The junta plans to bomb rebel positions.", "bomb", "future"),
        ("A potential attack on the port worries shippers.", "attack", "hypothetical"),
    ],
)
def test_modality_cues(nlp, lexicon, text, trigger, expected):
    assert modality(nlp, lexicon, text, trigger) == expected


@pytest.mark.slow
def test_modality_modal_of_another_verb_does_not_reach_the_object(nlp, lexicon):
    text = "Islamabad admitted that it cannot stop drone strikes inside Afghanistan."
    assert modality(nlp, lexicon, text, "strikes") == "asserted"


@pytest.mark.slow
def test_modality_modal_reaches_a_subject(nlp, lexicon):
    text = "A direct attack on the capital would cross a red line."
    assert modality(nlp, lexicon, text, "attack") == "hypothetical"


@pytest.mark.slow
def test_modality_historical_by_date(nlp, lexicon):
    when = DateRef("in 2014", date(2014, 1, 1), date(2014, 12, 31), "year", "explicit")
    text = "Russia annexed Crimea in 2014."
    assert modality(nlp, lexicon, text, "annexed", when=when, reference=date(2025, 3, 1)) == "historical"
    recent = DateRef("in February", date(2025, 2, 1), date(2025, 2, 28), "month", "published")
    assert modality(nlp, lexicon, text, "annexed", when=recent, reference=date(2025, 3, 1)) == "asserted"


@pytest.mark.slow
def test_modality_attribution_and_vague_sources(nlp, lexicon):
    assert modality(nlp, lexicon, "Rebels attacked a convoy.", "attacked", reported=True) == "attributed"
    assert modality(nlp, lexicon, "Rebels attacked a convoy.", "attacked", vague_source=True) == "unverified"


def _no_speaker(_verb):
    return []


@pytest.mark.slow
def test_modality_reporter_according_to(nlp, lexicon):
    doc = nlp("According to Reuters, rebels attacked a convoy near Goma.")
    reporter, vague = reporter_of([word(doc, "attacked")], lexicon=lexicon, speaker_of=_no_speaker)
    assert reporter.text == "Reuters"
    assert not vague


@pytest.mark.slow
def test_modality_reporter_vague_reports(nlp, lexicon):
    doc = nlp("As per reports, fighting broke out near the airport.")
    reporter, vague = reporter_of([word(doc, "fighting")], lexicon=lexicon, speaker_of=_no_speaker)
    assert reporter.text == "reports"
    assert vague


@pytest.mark.slow
def test_modality_reporter_from_a_saying_verb_links_the_actor(nlp, lexicon):
    doc = nlp("The health ministry said that airstrikes killed 40 people in Gaza.")
    ministry = ActorRef("The health ministry", "PS-MOH", (0, 19))
    reporter, vague = reporter_of(
        [word(doc, "airstrikes")], lexicon=lexicon, speaker_of=lambda verb: [ministry]
    )
    assert reporter.text == "health ministry"
    assert reporter.actor == "PS-MOH"
    assert not vague


@pytest.mark.slow
def test_modality_no_reporter_in_the_article_voice(nlp, lexicon):
    doc = nlp("Rebels attacked a convoy near Goma.")
    assert reporter_of([word(doc, "attacked")], lexicon=lexicon, speaker_of=_no_speaker) == (None, False)


def test_modality_lexicon_needs_its_sections():
    with pytest.raises(KnowledgeError, match="modals"):
        compile_modality({"modals": {}})


def test_modality_lexicon_rejects_unknown_modality(lexicon):
    text = resources.files("khabar").joinpath("knowledge/lexicons/modality.yaml").read_text()
    lex = yaml.safe_load(text)
    lex["adverbs"]["maybe-ish"] = ["perhaps"]
    with pytest.raises(KnowledgeError, match="maybe-ish"):
        compile_modality(lex)
