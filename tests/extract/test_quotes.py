"""extract.quotes: every quotation, and the verb or source that says who speaks it."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from khabar.errors import KnowledgeError
from khabar.extract.quotes import compile_quotes, find_quotes

ATTRIBUTION = (("according", "to"), ("as", "per"))


@pytest.fixture(scope="module")
def lexicon():
    text = resources.files("khabar").joinpath("knowledge/lexicons/quotes.yaml").read_text()
    return compile_quotes(yaml.safe_load(text))


def quotes(nlp, lexicon, text):
    return find_quotes(nlp(text), lexicon=lexicon, prepositions=ATTRIBUTION)


@pytest.mark.slow
def test_quotes_said_after_the_quote(nlp, lexicon):
    (quote,) = quotes(nlp, lexicon, "“We will respond with force,” said General Burhan, the army chief.")
    assert quote.text == "We will respond with force"
    assert quote.verb.text == "said"
    assert quote.introduced and not quote.scare


@pytest.mark.slow
def test_quotes_subject_then_verb_after_the_quote(nlp, lexicon):
    (quote,) = quotes(nlp, lexicon, '"The corridor is closed," the minister said on Monday.')
    assert quote.verb.text == "said"
    assert [c.text for c in quote.verb.children if c.dep_ == "nsubj"] == ["minister"]


@pytest.mark.slow
def test_quotes_verb_before_the_quote(nlp, lexicon):
    (quote,) = quotes(nlp, lexicon, "The spokesman announced that “the offensive has begun.”")
    assert quote.verb.text == "announced"
    assert quote.text == "the offensive has begun"


@pytest.mark.slow
def test_quotes_short_quote_introduced_by_a_verb_is_no_scare_quote(nlp, lexicon):
    (quote,) = quotes(nlp, lexicon, "The African Union urged “restraint and dialogue.”")
    assert quote.verb.text == "urged"
    assert not quote.scare


@pytest.mark.slow
def test_quotes_scare_quote(nlp, lexicon):
    (quote,) = quotes(nlp, lexicon, 'The spokesman "noted" the reports of shelling near Kherson.')
    assert quote.scare
    assert quote.verb is None


@pytest.mark.slow
def test_quotes_according_to_after_the_quote(nlp, lexicon):
    text = "A strike on the dam ”would be a grave mistake,” according to Haddad, a former general."
    (quote,) = quotes(nlp, lexicon, text)
    assert quote.text == "would be a grave mistake"
    assert quote.source.text == "Haddad"


@pytest.mark.slow
def test_quotes_running_over_two_sentences(nlp, lexicon):
    (quote,) = quotes(
        nlp, lexicon, "She stated, “We are ready. We will not wait for permission.” Then she left."
    )
    assert quote.text == "We are ready. We will not wait for permission"
    assert quote.verb.text == "stated"
    assert quote.sentence.text.startswith("She stated")


@pytest.mark.slow
def test_quotes_governed_by_a_speech_verb_further_up(nlp, lexicon):
    (quote,) = quotes(nlp, lexicon, "Russia called for a settlement “through diplomatic means.”")
    assert quote.verb.text == "called"
    assert not quote.introduced


@pytest.mark.slow
def test_quotes_participle_introduces(nlp, lexicon):
    (quote,) = quotes(nlp, lexicon, "He offered to mediate, stating, “I am good at making peace.”")
    assert quote.verb.text == "stating"


@pytest.mark.slow
def test_quotes_several_in_one_paragraph_and_spans(nlp, lexicon):
    text = 'Officials called it "a success." Critics said "a failure" was more accurate.'
    found = quotes(nlp, lexicon, text)
    assert [q.text for q in found] == ["a success", "a failure"]
    assert all(text[q.span[0] : q.span[1]] == q.text for q in found)


@pytest.mark.slow
def test_quotes_unclosed_quote_is_ignored(nlp, lexicon):
    assert quotes(nlp, lexicon, "He said “we will return\nNext paragraph.") == []


def test_quotes_lexicon_needs_speech_verbs():
    with pytest.raises(KnowledgeError, match="speech_verbs"):
        compile_quotes({"bridges": [","]})


def test_quotes_lexicon_speaker_nouns_go_by_sex():
    lexicon = compile_quotes(
        {"speech_verbs": ["say"], "speaker_nouns": {"any": ["Driver"], "female": ["widow"]}}
    )
    assert lexicon.speaker_nouns == {"driver": "any", "widow": "female"}
    with pytest.raises(KnowledgeError, match="malformed"):
        compile_quotes({"speech_verbs": ["say"], "speaker_nouns": ["driver"]})


def test_quotes_lexicon_numbers_are_numbers():
    with pytest.raises(KnowledgeError, match="malformed"):
        compile_quotes({"speech_verbs": ["say"], "max_scare_words": "three"})


# ---- a quotation going on after its attribution ---------------------------------------------------


@pytest.mark.slow
def test_quotes_sentence_after_the_attribution_continues_the_quote(nlp, lexicon):
    text = (
        "“The road to Bria is cut,” said Jean-Pierre Ngaba, a trader in Bangui. "
        "“We have no food left for the children.”"
    )
    first, second = quotes(nlp, lexicon, text)
    assert second.text == "We have no food left for the children"
    assert second.continues is first
    assert second.verb is None and not second.scare


@pytest.mark.slow
def test_quotes_paragraph_of_a_quotation_alone_continues_the_one_before(nlp, lexicon):
    text = (
        'Hadiza Moussa, a nurse in Diffa, said the clinic had run out of medicine. "We are treating '
        'wounds with salt water," she said.\n\n"Nobody has come."'
    )
    first, second = quotes(nlp, lexicon, text)
    assert second.continues is first
    assert not second.scare  # three words, but a sentence of its own, not a scare quote


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        '"We will not give up the town," the militia commander said, "whatever it costs us."',
        "“The wells are dry,” said Fatuma Ali, a herder near Garissa, “and the cattle are dying.”",
    ],
)
def test_quotes_split_by_its_attribution_is_one_quotation(text, nlp, lexicon):
    first, second = quotes(nlp, lexicon, text)
    assert first.verb is not None and second.verb is not None and first.verb.i == second.verb.i
    assert second.continues is first and first.continues is None


@pytest.mark.slow
def test_quotes_two_speakers_in_one_sentence_continue_nothing(nlp, lexicon):
    text = '"We fired first," one soldier said, while his officer insisted: "We were attacked."'
    first, second = quotes(nlp, lexicon, text)
    assert first.verb.i != second.verb.i and second.continues is None


@pytest.mark.slow
def test_quotes_words_quoted_inside_a_sentence_continue_nothing(nlp, lexicon):
    text = '"We will hold the bridge," the commander said. Critics called the plan "a gamble".'
    first, second = quotes(nlp, lexicon, text)
    assert first.verb is not None
    assert second.continues is None and second.scare


@pytest.mark.slow
def test_quotes_a_quotation_alone_with_no_speaker_before_continues_nothing(nlp, lexicon):
    text = 'The army shelled the district overnight.\n\n"Nobody slept in Tal Afar."'
    (quote,) = quotes(nlp, lexicon, text)
    assert quote.continues is None


@pytest.mark.slow
def test_quotes_a_paragraph_between_breaks_the_continuation(nlp, lexicon):
    text = (
        '"The camp is full," said Grace Achieng, an aid worker.\n\n'
        "More than 4,000 people arrived in Kakuma this week.\n\n"
        '"We cannot feed everyone."'
    )
    first, second = quotes(nlp, lexicon, text)
    assert first.verb is not None
    assert second.continues is None
