"""Tests for khabar.clean.repair: abbreviations and names with digits under casing repair, and the
gazetteer's places in texts that lost their capitals."""

from __future__ import annotations

import pytest

from khabar.clean import clean
from khabar.models import Article, RawDoc


def run(text: str, *, names=None) -> Article:
    return clean(RawDoc(source="test.txt", text=text, format="txt"), names=names)


def repaired(article: Article) -> str:
    return next((w.message for w in article.warnings if w.code == "casing_repaired"), "")


# ---- abbreviations and names holding digits ------------------------------------------------------


#: An acronym is repaired only where the text writes it capitalised in mid-sentence too.
EVIDENCE = "Talks with the M23 failed."


@pytest.mark.parametrize(
    "sentence",
    [
        "the m23 fighters entered goma at 5 a.m. and left by 4 p.m., witnesses said.",
        "the m23 fighters entered goma at 5 a.m and left, e.g. by the north road.",
        "the m23 fighters and u.s. envoys met in goma at 9 a.m., i.e. before the talks.",
    ],
)
def test_clean_never_capitalises_dotted_abbreviations(sentence):
    article = run(f"{EVIDENCE}\n{sentence}", names={"M23", "Goma", "U.S.", "E.U.", "G-9", "A.M. Best"})
    assert "M23 fighters entered Goma" in article.text or "M23 fighters and" in article.text
    for abbreviation in ("a.m", "p.m.", "e.g.", "i.e.", "u.s."):
        if abbreviation in sentence:
            assert abbreviation in article.text


def test_clean_reads_a_name_with_digits_as_one_word():
    # "M23" once made every lone "m" a name; the name is the whole word "m23"
    text = f"{EVIDENCE}\nthe road is blocked at km 4 and m 12, and the m23 rebels hold the hill."
    article = run(text, names={"M23"})
    assert article.text.endswith("the road is blocked at km 4 and m 12, and the M23 rebels hold the hill.")


def test_clean_repairs_hyphenated_name_with_digit():
    text = "Police blamed the G-9 alliance.\nthe g-9 gangs blocked the port road, police said."
    assert "the G-9 gangs blocked" in run(text, names={"G-9"}).text


# ---- the gazetteer's places in text without capitals ---------------------------------------------

DAMAGED = (
    "gunmen raided a village near gusau in zamfara state, nigeria, on tuesday. police said nine "
    "people were killed. survivors fled to kaura namoda. the army sent two companies of troops."
)


def test_clean_capitalises_towns_of_the_named_country_in_text_without_capitals():
    article = run(DAMAGED)
    for name in ("Gusau", "Zamfara", "Nigeria", "Kaura Namoda"):
        assert name in article.text
    assert '"gusau" -> "Gusau"' in repaired(article)


def test_clean_leaves_towns_alone_when_the_text_names_no_country():
    text = DAMAGED.replace(", nigeria,", "")
    article = run(text)
    assert "gusau" in article.text
    assert "kaura namoda" in article.text


def test_clean_leaves_towns_named_like_english_words_alone():
    # Energy, Home and Early are towns in the United States; here they are words
    text = (
        "a storm hit the united states on monday. energy prices rose and many people stayed home. "
        "officials said schools closed early. the damage was severe."
    )
    article = run(text)
    assert "United States" in article.text
    for word in ("energy prices", "stayed home", "closed early"):
        assert word in article.text


def test_clean_does_not_use_towns_in_text_with_its_capitals():
    # in well-cased text a town's name in lower case is a word, not damage
    text = "Gunmen raided a village in Nigeria. The bida was paid, police said. Survivors fled."
    assert run(text).text == text


def test_clean_gazetteer_repair_is_idempotent():
    once = run(DAMAGED)
    assert run(once.text).text == once.text
