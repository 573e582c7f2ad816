"""Tests for khabar.extract.tolls: which numbers are casualty counts, and their ranges."""

from __future__ import annotations

from importlib import resources

import pytest
import spacy
import yaml
from spacy.tokens import Doc

from khabar.errors import KnowledgeError
from khabar.extract.tolls import Casualty, check_lexicon, find_tolls


def tolls_in(nlp, text: str) -> list[Casualty]:
    doc = nlp(text)
    return [c for sent in doc.sents for c in find_tolls(sent)]


def ranges(nlp, text: str) -> list[tuple[str, int | None, int | None]]:
    return [(c.kind, c.toll.low, c.toll.high) for c in tolls_in(nlp, text)]


# ---- ranges --------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministry reported at least three deaths in the raid.", ("killed", 3, None)),
        ("The fighting left over 200 people dead.", ("killed", 200, None)),
        ("More than 200 were killed in the offensive.", ("killed", 200, None)),
        ("The storm of shelling wounded up to 15 villagers.", ("injured", None, 15)),
        ("Between 10 and 15 people died in the ambush.", ("killed", 10, 15)),
        ("Officials said 10 to 15 soldiers were wounded.", ("injured", 10, 15)),
        ("Officials said 10-15 soldiers were wounded.", ("injured", 10, 15)),
        ("Hundreds were reportedly killed in the bombings.", ("killed", 100, None)),
        ("Dozens of civilians were injured in the blast.", ("injured", 24, None)),
        ("Scores of protesters were wounded.", ("injured", 40, None)),
        ("The explosion killed a dozen passengers.", ("killed", 12, 12)),
        ("More than a dozen guards were killed.", ("killed", 12, None)),
        ("Two dozen recruits were wounded.", ("injured", 24, 24)),
        ("Several soldiers were killed at the checkpoint.", ("killed", 3, None)),
        ("The clashes caused multiple fatalities.", ("killed", 2, None)),
        ("Thousands died during the famine that followed the siege.", ("killed", 1000, None)),
    ],
)
def test_tolls_count_phrase_becomes_range(nlp, text, expected):
    assert ranges(nlp, text) == [expected]


@pytest.mark.slow
def test_tolls_exact_count_has_best_estimate(nlp):
    (casualty,) = tolls_in(nlp, "The car bomb killed 12 people outside the court.")
    assert (casualty.toll.low, casualty.toll.high, casualty.toll.best) == (12, 12, 12)


@pytest.mark.slow
def test_tolls_estimate_has_only_best(nlp):
    (casualty,) = tolls_in(nlp, "Some 40 fighters were killed in the battle.")
    assert (casualty.toll.low, casualty.toll.high, casualty.toll.best) == (None, None, 40)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Twenty-five people were killed.", 25),
        ("Two hundred people were killed.", 200),
        ("Gunmen killed 1,200 villagers over the week.", 1200),
        ("Nineteen police officers died.", 19),
    ],
)
def test_tolls_number_words_and_digits(nlp, text, value):
    assert ranges(nlp, text) == [("killed", value, value)]


# ---- killed and injured in one sentence ----------------------------------------------------------


@pytest.mark.slow
def test_tolls_killed_and_injured_in_one_sentence(nlp):
    text = "Gunmen stormed a police post in the valley, which led to the death of 6 cops, leaving 13 injured."
    killed, injured = tolls_in(nlp, text)
    assert (killed.kind, killed.toll.low, killed.toll.high) == ("killed", 6, 6)
    assert (injured.kind, injured.toll.low, injured.toll.high) == ("injured", 13, 13)
    assert killed.victims is not None and killed.victims.text == "6 cops"


@pytest.mark.slow
def test_tolls_verb_before_count_wins_over_cue_after(nlp):
    assert ranges(nlp, "The blast killed 6 and 13 were injured.") == [("killed", 6, 6), ("injured", 13, 13)]


@pytest.mark.slow
def test_tolls_coordinated_counts_share_the_cue(nlp):
    text = "Three soldiers and two civilians were killed in the ambush."
    assert ranges(nlp, text) == [("killed", 3, 3), ("killed", 2, 2)]


@pytest.mark.slow
def test_tolls_death_toll_noun_before_count(nlp):
    assert ranges(nlp, "By nightfall the death toll had risen to 30.") == [("killed", 30, 30)]


@pytest.mark.slow
def test_tolls_lives_count_only_when_lost(nlp):
    assert ranges(nlp, "The floods claimed 20 lives.") == [("killed", 20, 20)]
    assert ranges(nlp, "Medics saved 20 lives.") == []


@pytest.mark.slow
def test_tolls_casualties_are_their_own_kind(nlp):
    assert ranges(nlp, "The unit suffered 40 casualties.") == [("casualties", 40, 40)]


@pytest.mark.slow
def test_tolls_parse_links_count_across_parenthesis(nlp):
    assert ranges(nlp, "Three people, including a child, were killed.") == [("killed", 3, 3)]


# ---- victims -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_tolls_victims_from_including_list_after_generic_noun(nlp):
    (casualty,) = tolls_in(
        nlp, "The war left over 200 people dead, including several civilians, women, and children."
    )
    assert casualty.victims is not None
    assert casualty.victims.text == "several civilians, women, and children"


@pytest.mark.slow
def test_tolls_victims_of_a_noun_cue(nlp):
    (casualty,) = tolls_in(
        nlp, "Officials reported at least three deaths, including women and children, on Friday."
    )
    assert casualty.victims is not None and casualty.victims.text == "women and children"


@pytest.mark.slow
def test_tolls_militants_killed_are_a_toll_with_victims(nlp):
    (casualty,) = tolls_in(nlp, "Security forces killed 14 militants in a raid.")
    assert (casualty.kind, casualty.toll.low) == ("killed", 14)
    assert casualty.victims is not None and casualty.victims.text == "14 militants"


@pytest.mark.slow
def test_tolls_spans_point_into_the_text(nlp):
    doc = nlp("Witnesses said 9 guards were shot dead at the gate.")
    (casualty,) = find_tolls(next(doc.sents))
    start, end = casualty.toll.span
    assert doc.text[start:end] == casualty.toll.text == "9 guards were shot dead"


# ---- numbers that are not tolls ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Rebels overran two posts near the pass.",
        "The last raid on the city was in 2022, when a drone killed the group's leader.",
        "The occupation lasted four years.",
        "The army lost 15 tanks and 3 checkposts.",
        "Police arrested 200 militants after the attack.",
        "Turnout fell by 40 percent after the bombing killed the mayor.",
        "The blast caused $5 million in damage.",
        "No one was killed in the explosion.",
    ],
)
def test_tolls_other_numbers_are_not_tolls(nlp, text):
    assert ranges(nlp, text) == []


# ---- numbers inside other entities (docs built by hand: the tags, not the model, decide) ----------


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("en").vocab


@pytest.mark.parametrize(
    ("entities", "killed"),
    [
        (["O", "O", "O", "O", "O", "O"], [12]),
        # "May 12" is a date that starts before the count
        (["O", "B-DATE", "I-DATE", "O", "O", "O"], []),
        # a date made of "12 people" runs past the count
        (["O", "O", "B-DATE", "I-DATE", "O", "O"], []),
        # the model took the count alone for a date: no evidence against it
        (["O", "O", "B-DATE", "O", "O", "O"], [12]),
    ],
)
def test_tolls_a_number_inside_a_longer_date_is_no_toll(vocab, entities, killed):
    words = ["Since", "May", "12", "people", "died", "."]
    pos = ["ADP", "PROPN", "NUM", "NOUN", "VERB", "PUNCT"]
    doc = Doc(vocab, words=words, pos=pos, ents=entities)
    assert [c.toll.low for c in find_tolls(doc[:]) if c.kind == "killed"] == killed


# ---- the lexicon ---------------------------------------------------------------------------------


def shipped_lexicon() -> dict:
    """The lexicon file as shipped in the package."""
    path = resources.files("khabar.knowledge") / "lexicons" / "tolls.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_tolls_shipped_lexicon_is_well_formed():
    check_lexicon(shipped_lexicon())


TOO_LONG_CUES = {
    "before": [],
    "after": ["were all of them very badly hurt"],
    "nouns": [],
    "of_nouns": [],
    "tolls": [],
    "with_verb": {"verbs": [], "nouns": []},
}


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ({"number_words": {"seven": "7"}}, "seven"),
        ({"modifiers": {"at least": "floor"}}, "at least"),
        ({"vague_counts": {"dozens": {"low": "24"}}}, "dozens"),
        ({"cues": {"killed": {"before": []}}}, "killed"),
    ],
)
def test_tolls_malformed_lexicon_names_entry(broken, reason):
    lex = dict(shipped_lexicon()) | broken
    with pytest.raises(KnowledgeError, match=reason):
        check_lexicon(lex)


def test_tolls_lexicon_rejects_cue_longer_than_matcher_reads():
    lex = dict(shipped_lexicon())
    lex["cues"] = lex["cues"] | {"casualties": TOO_LONG_CUES}
    with pytest.raises(KnowledgeError, match="longer than"):
        check_lexicon(lex)


# ---- counts joined to one verb, persons counted one by one (#H17) -----------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a verb before the first count counts the next ones too
        (
            "The strike on the market killed four vendors and two policemen in Maiduguri.",
            [("killed", 4), ("killed", 2)],
        ),
        (
            "Gunmen wounded three pupils, two teachers and a guard.",
            [("injured", 3), ("injured", 2), ("injured", 1)],
        ),
        # a headline joins counts with a comma
        ("Three soldiers, two civilians killed in Kivu ambush", [("killed", 3), ("killed", 2)]),
    ],
)
def test_tolls_joined_counts_share_the_verb(nlp, text, expected):
    assert [(kind, low) for kind, low, _ in ranges(nlp, text)] == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "kind", "count"),
    [
        (
            "A mortar hit a home in Gao, killing a woman, her 8-year-old daughter and a neighbour.",
            "killed",
            3,
        ),
        ("Local officials said a 72-year-old farmer was killed near Tillaberi.", "killed", 1),
        ("A moto-taxi driver was wounded by a stray bullet.", "injured", 1),
        ("The blast killed the imam and his brother.", "killed", 2),
    ],
)
def test_tolls_persons_told_one_by_one_are_counted(nlp, text, kind, count):
    assert ranges(nlp, text) == [(kind, count, count)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "A woman and her children were killed in the raid.",  # how many children?
        "No civilian was wounded.",
        "The gunman killed himself after the siege.",
    ],
)
def test_tolls_persons_without_a_sure_count_are_no_toll(nlp, text):
    assert ranges(nlp, text) == []


@pytest.mark.slow
def test_tolls_a_person_among_those_counted_is_not_counted_again(nlp):
    text = "Soldiers killed two herders, among them a 15-year-old boy, near Djibo."
    assert ranges(nlp, text) == [("killed", 2, 2)]


@pytest.mark.slow
def test_tolls_numbered_and_single_victims_add_up(nlp):
    text = "The ambush near Tillaberi killed 11 soldiers and a civilian driver."
    assert sorted(low for _, low, _ in ranges(nlp, text)) == [1, 11]


@pytest.mark.slow
def test_tolls_an_age_is_no_toll_but_its_person_is_one(nlp):
    # "30-year-old" counts years, not people; the man is one person killed
    assert ranges(nlp, "A 30-year-old man was killed at the market.") == [("killed", 1, 1)]


@pytest.mark.slow
def test_tolls_beheading_is_a_killing(nlp):
    assert ranges(nlp, "Insurgents beheaded five villagers in Cabo Delgado.") == [("killed", 5, 5)]
