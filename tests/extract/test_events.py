"""extract.events: which words report an event, of what type, mode and ACLED category."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from khabar.annotate import is_headline
from khabar.errors import KnowledgeError
from khabar.extract.events import Anchors, find_triggers, light_verb
from khabar.extract.lexicon import compile_lexicon


@pytest.fixture(scope="module")
def lexicon():
    text = resources.files("khabar").joinpath("knowledge/lexicons/events.yaml").read_text()
    return compile_lexicon(yaml.safe_load(text))


def _no(_token) -> bool:
    return False


def triggers(nlp, lexicon, text, *, quoted=_no, dated=None):
    doc = nlp(text)
    anchors = Anchors(
        dated=dated or (lambda t: t.ent_type_ == "DATE"),
        actor=lambda t: t.ent_type_ in ("GPE", "ORG", "NORP"),
        quoted=quoted,
    )
    return [
        t
        for sent in doc.sents
        for t in find_triggers(sent, lexicon=lexicon, anchors=anchors, headline=is_headline(sent))
    ]


def kinds(found):
    return [(t.type, t.kind.mode) for t in found]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected", "acled"),
    [
        (
            "Russian airstrikes hit a market in Idlib.",
            ("ASSAULT", "aerial"),
            ("Explosions/Remote violence", "Air/drone strike"),
        ),
        (
            "A drone strike destroyed a tank near Bakhmut.",
            ("ASSAULT", "drone"),
            ("Explosions/Remote violence", "Air/drone strike"),
        ),
        (
            "A suicide bombing tore through a market in Mogadishu.",
            ("ASSAULT", "suicide-attack"),
            ("Explosions/Remote violence", "Suicide bomb"),
        ),
        (
            "Artillery shelling continued overnight in Donetsk.",
            ("ASSAULT", "heavy-weapons"),
            ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ),
        (
            "Clashes erupted between the army and the RSF in Khartoum.",
            ("FIGHT", None),
            ("Battles", "Armed clash"),
        ),
        (
            "The two armies exchanged heavy fire across the Line of Control.",
            ("FIGHT", None),
            ("Battles", "Armed clash"),
        ),
        (
            "Both sides agreed to a ceasefire on Monday.",
            ("AGREE", "ceasefire"),
            ("Strategic developments", "Agreement"),
        ),
    ],
)
def test_events_trigger_type_mode_acled(nlp, lexicon, text, expected, acled):
    found = triggers(nlp, lexicon, text)
    assert kinds(found) == [expected]
    assert found[0].kind.acled == acled


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyiv condemned the shelling as a war crime.", "ACCUSE"),
        ("The junta accused the rebels of burning villages.", "ACCUSE"),
        ("The ministry rejected such claims.", "REJECT"),
        ("The African Union urged restraint.", "REQUEST"),
        ("ECOWAS demanded the release of the president.", "REQUEST"),
        ("The militia warned of serious consequences.", "THREATEN"),
        ("The ministry confirmed the raid.", "STATEMENT"),
        ("Mediators held talks in Doha.", "CONSULT"),
        ("Washington offered to mediate between the two sides.", "CONSULT"),
        ("Turkey backed Azerbaijan's claim to the region.", "SUPPORT"),
        ("Police arrested twelve protesters in Dhaka.", "COERCE"),
    ],
)
def test_events_verbal_and_other_types(nlp, lexicon, text, expected):
    assert [t.type for t in triggers(nlp, lexicon, text)][:1] == [expected]


@pytest.mark.slow
def test_events_warning_without_a_threat_is_a_statement(nlp, lexicon):
    found = triggers(nlp, lexicon, "The minister warned that fuel prices would rise.")
    assert [t.type for t in found] == ["STATEMENT"]


@pytest.mark.slow
def test_events_situation_nouns_need_an_anchor(nlp, lexicon):
    assert triggers(nlp, lexicon, "The conflict has displaced millions of people.") == []
    found = triggers(
        nlp, lexicon, "The brief but deadly conflict between Armenia and Azerbaijan in 2020 ended."
    )
    assert kinds(found) == [("FIGHT", None)]


@pytest.mark.slow
def test_events_agreement_needs_a_date_or_a_signature(nlp, lexicon):
    assert (
        triggers(nlp, lexicon, "The strikes were carried out under a secret agreement with a foreign power.")[
            1:
        ]
        == []
    )
    found = triggers(
        nlp, lexicon, "The defence pact signed between Mali and Burkina Faso in March 2024 took effect."
    )
    assert [t.type for t in found] == ["AGREE"]


@pytest.mark.slow
def test_events_infinitive_of_a_noun_is_no_event(nlp, lexicon):
    assert triggers(nlp, lexicon, "This could hinder efforts to negotiate a ceasefire.") == []
    assert triggers(nlp, lexicon, "They claim the right to strike militant camps abroad.") == []


@pytest.mark.slow
def test_events_content_of_a_demand_is_no_event(nlp, lexicon):
    found = triggers(nlp, lexicon, "The UN urged both sides to stop attacking civilians.")
    assert [t.type for t in found] == ["REQUEST"]


@pytest.mark.slow
def test_events_habitual_present_is_no_report_but_headlines_are(nlp, lexicon):
    assert (
        triggers(
            nlp, lexicon, "Kabul is accused of harbouring groups that launch attacks across the border."
        )[1:]
        == []
    )
    found = triggers(nlp, lexicon, "Militants Launch Attacks in Borno\nThe army responded.")
    assert kinds(found) == [("ASSAULT", None)]


@pytest.mark.slow
def test_events_words_inside_quotes_belong_to_the_quote(nlp, lexicon):
    text = "He called the vote “an attack on democracy” on Sunday."
    start = text.index("“")
    found = triggers(nlp, lexicon, text, quoted=lambda t: start < t.idx < text.index("”"))
    assert found == []


@pytest.mark.slow
def test_events_weak_kill_folds_into_the_strike(nlp, lexicon):
    found = triggers(nlp, lexicon, "An Israeli airstrike killed five people in Rafah.")
    assert len(found) == 1
    assert found[0].words.text == "airstrike"
    assert [t.text for t in found[0].folded] == ["killed"]


@pytest.mark.slow
def test_events_kill_alone_is_an_assault(nlp, lexicon):
    assert [t.type for t in triggers(nlp, lexicon, "Gunmen killed a village chief in Zamfara.")] == [
        "ASSAULT"
    ]


@pytest.mark.slow
def test_events_events_in_sequence_stay_apart(nlp, lexicon):
    found = triggers(
        nlp, lexicon, "After the bombing in Quetta, the army launched airstrikes on rebel camps."
    )
    assert [t.words.text for t in found] == ["bombing", "airstrikes"]


@pytest.mark.slow
def test_events_statement_joined_to_support_is_one_event(nlp, lexicon):
    found = triggers(
        nlp, lexicon, "The United States acknowledged and backed Ukraine's right to defend itself."
    )
    assert [t.type for t in found] == ["SUPPORT"]


@pytest.mark.slow
def test_events_part_of_speech_restriction(nlp, lexicon):
    assert triggers(nlp, lexicon, "A storm flooded the camp.") == []
    assert [t.type for t in triggers(nlp, lexicon, "Gunmen stormed the camp.")] == ["ASSAULT"]


@pytest.mark.slow
def test_events_light_verb_of_a_trigger_noun(nlp, lexicon):
    doc = nlp("The army launched airstrikes on the town.")
    assert light_verb(doc[3], lexicon).text == "launched"
    doc = nlp("The strikes were conducted by the air force.")
    assert light_verb(doc[1], lexicon).text == "conducted"
    doc = nlp("The town faced an attack.")
    assert light_verb(doc[4], lexicon).text == "faced"


def test_events_lexicon_needs_triggers():
    with pytest.raises(KnowledgeError, match="triggers"):
        compile_lexicon({"light_verbs": {}})


def test_events_lexicon_rejects_unquoted_yaml_booleans():
    lex = yaml.safe_load("triggers: [{words: [attack], type: ASSAULT}]\nplace_preps: [in, on]\n")
    with pytest.raises(KnowledgeError, match="True"):
        compile_lexicon(lex)


def test_events_lexicon_rejects_unknown_anchor():
    lex = {"triggers": [{"words": ["war"], "type": "FIGHT", "concrete": ["vibes"]}]}
    with pytest.raises(KnowledgeError, match="vibes"):
        compile_lexicon(lex)


def test_events_lexicon_rejects_malformed_acled():
    lex = {"triggers": [{"words": ["raid"], "type": "ASSAULT", "acled": ["Battles"]}]}
    with pytest.raises(KnowledgeError, match="ACLED"):
        compile_lexicon(lex)


def test_events_shipped_lexicon_compiles_and_every_type_is_plover(lexicon):
    from khabar.models import PLOVER_TYPES

    types = {p.kind.type for phrases in lexicon.phrases.values() for p in phrases}
    assert types <= set(PLOVER_TYPES)
    assert "airstrike" in lexicon.phrases


@pytest.mark.slow
def test_events_risk_of_an_event_is_no_event(nlp, lexicon):
    found = triggers(nlp, lexicon, "Diplomats warned of the risk of attacks on shipping in the Red Sea.")
    assert [t.type for t in found] == ["STATEMENT"]
    assert triggers(nlp, lexicon, "Fears of a wider war grew in Beirut.") == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "assault"),
    [
        ("Soldiers neutralised four gunmen near Diffa on Sunday.", True),
        ("The army said it had neutralized a rebel commander in Beni.", True),
        ("Police neutralised the threat within minutes.", False),
        ("Engineers neutralized an explosive device on the Goma road.", False),
    ],
)
def test_events_neutralised_people_were_attacked_a_neutralised_bomb_was_not(text, assault, nlp, lexicon):
    found = [t.type for t in triggers(nlp, lexicon, text) if t.root.lemma_ in ("neutralise", "neutralize")]
    assert found == (["ASSAULT"] if assault else [])
