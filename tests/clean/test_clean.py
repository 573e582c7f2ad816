"""Tests for khabar.clean: each cleaning rule on sentences written for the test, then the seeds."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.clean import article_id, clean
from khabar.errors import InputError
from khabar.models import Article, RawDoc

PROSE = "Rebels attacked a police post in the north of the country on Tuesday, officials said."
NAMES = {"Pakistan", "Afghanistan", "Donald Trump", "Taliban", "Turkey", "China", "US", "Wilson Center"}


def run(text: str, *, title: str | None = None, names=NAMES) -> Article:
    return clean(RawDoc(source="test.txt", text=text, format="txt", title=title), names=names)


def codes(article: Article) -> set[str]:
    return {w.code for w in article.warnings}


# ---- unicode and whitespace ----------------------------------------------------------------------


def test_clean_repairs_mojibake_and_says_so():
    article = run("The mayorâ€™s office was shelled on Monday and two guards were hurt.")
    assert "mayor's office" in article.text
    assert "decoded_legacy_encoding" in codes(article)


def test_clean_straightens_quotes_and_records_it():
    article = run("“We will respond,” the commander said in a statement on Monday evening.")
    assert article.text.startswith('"We will respond,"')
    assert "unicode_fixed" in codes(article)


def test_clean_normalises_line_endings_spaces_and_blank_lines():
    text = "First  paragraph\u00a0here, with  spaces.\r\n\r\n\r\n\r\nSecond paragraph here, after blanks."
    article = run(text)
    assert article.text == "First paragraph here, with spaces.\n\nSecond paragraph here, after blanks."
    assert "whitespace_normalised" in codes(article)


def test_clean_composes_unicode_to_nfc():
    article = run("The convoy reached Mazar-e-Shari\u0301f late at night, a driver said.")
    assert "Mazar-e-Sharíf" in article.text


def test_clean_rejects_text_with_nothing_left():
    with pytest.raises(InputError, match=r"empty\.txt: no article text"):
        clean(RawDoc(source="empty.txt", text=" \n Advertisement \n Share this article \n", format="txt"))


def test_clean_keeps_raw_input_for_provenance():
    raw = RawDoc(source="a.html", text=PROSE, format="html", raw=f"<p>{PROSE}</p>")
    assert clean(raw, names=()).raw == f"<p>{PROSE}</p>"
    assert clean(RawDoc(source="a.txt", text=PROSE, format="txt"), names=()).raw == PROSE


# ---- page furniture ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Previous post",
        "Next Article »",
        "Related articles",
        "Related to this topic:",
        "Follow us on WhatsApp for the latest updates",
        "Follow new stories on our Telegram channel",
        "Share this article",
        "Share on Facebook",
        "Subscribe to our newsletter for daily briefings",
        "Click here to read the full report",
        "Advertisement",
        "Story continues below advertisement",
        "We use cookies to improve your experience. By continuing you accept our use of cookies.",
        "Read more: Ceasefire talks stall again",
        "© 2025 The Daily Example. All rights reserved.",
        "Copyright 2024 Example Media Group",
        "Leave a comment",
        "Tags: border, ceasefire, drones",
    ],
)
def test_clean_removes_furniture_line(line):
    article = run(f"{PROSE}\n{line}\nThe fighting continued into the night, residents told reporters.")
    assert line not in article.text
    assert PROSE in article.text
    assert "The fighting continued" in article.text
    assert "furniture_removed" in codes(article)


def test_clean_furniture_warning_names_the_lines():
    article = run(f"{PROSE}\nAdvertisement\nShare this article")
    message = next(w.message for w in article.warnings if w.code == "furniture_removed")
    assert message.startswith("removed 2 lines of page furniture:")
    assert '"Advertisement"' in message


def test_clean_drops_headline_after_navigation_link():
    text = f"{PROSE}\n\nPrev Article\nFloods Hit Coastal Villages\nNext Article\nMarket Prices Climb Again\n"
    article = run(text)
    assert article.text == PROSE


def test_clean_drops_headline_list_under_related_but_not_following_prose():
    text = (
        f"{PROSE}\nRelated stories\nTalks Resume in Geneva\nThree Soldiers Wounded in Ambush\n"
        "The army later said the post had been retaken after a two-hour battle."
    )
    article = run(text)
    assert "Talks Resume" not in article.text
    assert "Three Soldiers Wounded" not in article.text
    assert article.text.endswith("retaken after a two-hour battle.")


def test_clean_keeps_prose_that_mentions_furniture_words():
    sentences = [
        "The militants urged supporters to follow their channel on Telegram, where they posted the video.",
        "Officials said people should click here and there on the map to find shelters, which was confusing.",
        "The ministry refused to share the figures with reporters on Sunday.",
    ]
    article = run("\n".join(sentences))
    assert article.text == "\n".join(sentences)
    assert "furniture_removed" not in codes(article)


# ---- headline ------------------------------------------------------------------------------------


def test_clean_moves_headline_line_to_title():
    article = run(f"Rebels Seize Border Town After Heavy Fighting\n{PROSE}")
    assert article.title == "Rebels Seize Border Town After Heavy Fighting"
    assert article.text == PROSE
    assert "title_detected" in codes(article)


def test_clean_does_not_take_a_sentence_as_title():
    first = "For weeks, the two sides have traded fire along the frontier."
    article = run(f"{first}\n{PROSE}")
    assert article.title is None
    assert article.text.startswith(first)


def test_clean_does_not_take_a_lowercase_first_line_as_title():
    first = "border tension rises as talks stall in the capital"
    article = run(f"{first}\n{PROSE}")
    assert article.title is None


@pytest.mark.parametrize(
    "first",
    ["By John Smith and Ana Lopes", "Updated 14 March 2024 10:30 GMT", "KABUL, Afghanistan", "GOMA, Congo -"],
)
def test_clean_does_not_take_byline_timestamp_or_dateline_as_title(first):
    article = run(f"{first}\n{PROSE}")
    assert article.title is None
    assert article.text.startswith(first)


def test_clean_drops_repeated_headline_at_top():
    head = "Drone Strike Kills Four in Northern Province"
    article = run(f"{head}\n\n{head}\n\n{PROSE}")
    assert article.title == head
    assert head not in article.text
    assert "headline_repeated" in codes(article)


def test_clean_drops_first_line_equal_to_given_title():
    head = "Drone strike kills four in northern province"
    article = run(f"{head.upper()}\n{PROSE}", title=head)
    assert article.title == head
    assert article.text == PROSE
    assert "headline_repeated" in codes(article)


# ---- spacing -------------------------------------------------------------------------------------


def test_clean_inserts_missing_space_after_comma_and_full_stop():
    article = run("The two neighbors,who share a border, clashed again.Next day the guns were silent.")
    assert (
        article.text == "The two neighbors, who share a border, clashed again. Next day the guns were silent."
    )
    assert "spacing_repaired" in codes(article)


def test_clean_removes_space_before_punctuation():
    assert run("The talks failed , and both sides left .").text == "The talks failed, and both sides left."


@pytest.mark.parametrize(
    "sentence",
    [
        "About 1,000 people fled and 3.5 tonnes of aid arrived at 10:30 on Friday.",
        "The U.S. and the U.K. sent envoys, e.g. to Doha, to push for a truce.",
        "Details are at https://example.org/News.Update,Today and www.example.com/Page.Two for readers.",
        "Write to press.Office@example.org or desk@example.org.Thanks were given.",
        "They waited...Nothing happened for hours, witnesses said.",
    ],
)
def test_clean_spacing_repair_leaves_numbers_abbreviations_and_addresses(sentence):
    article = run(sentence)
    for token in ("1,000", "3.5", "10:30", "U.S.", "U.K.", "e.g.", "News.Update,Today", "Page.Two"):
        if token in sentence:
            assert token in article.text
    assert "press.Office@example.org" in article.text or "press.Office" not in sentence
    assert "...Nothing" in article.text or "..." not in sentence


# ---- casing --------------------------------------------------------------------------------------


def test_clean_capitalises_known_name_from_dictionary():
    article = run("Troops from pakistan crossed the line near the river, a local official said.")
    assert "Troops from Pakistan crossed" in article.text
    message = next(w.message for w in article.warnings if w.code == "casing_repaired")
    assert '"pakistan" -> "Pakistan"' in message


def test_clean_capitalises_multiword_name_as_a_unit():
    article = run("Former president donald trump said he would call both leaders this week.")
    assert "Donald Trump" in article.text


def test_clean_capitalises_name_part_of_hyphenated_compound():
    article = run("The taliban-led administration rejected the pakistan-backed plan on Sunday.")
    assert "Taliban-led" in article.text
    assert "Pakistan-backed" in article.text


def test_clean_learns_capitalisation_from_the_same_text():
    text = (
        "Analyst Maria Okonkwo said the ceasefire was fragile.\n"
        "According to okonkwo, both armies had moved heavy guns closer to the line, and Okonkwo expects more."
    )
    article = run(text, names=())
    assert "According to Okonkwo," in article.text


def test_clean_does_not_learn_capitals_of_common_nouns():
    text = (
        "The Defense Ministry said the strike hit a depot.\n"
        "A ministry spokesman later said the depot was empty, and the ministry gave no figures."
    )
    assert run(text, names=()).text == text


def test_clean_leaves_common_word_names_alone_without_evidence():
    text = "Families cooked turkey and rice while they waited for news, and some may leave."
    assert run(text, names={"Turkey", "May"}).text == text


def test_clean_capitalises_common_word_name_when_text_does_so_mid_sentence():
    text = "Talks were held in Turkey last week.\nThe delegates from turkey left early, an aide said."
    assert "delegates from Turkey left" in run(text).text


def test_clean_does_not_turn_pronoun_into_acronym():
    text = "The US envoy met them and told us the plan, an aide said."
    assert run(text, names={"US"}).text == text


def test_clean_never_lowercases():
    text = "PAKISTAN AND AFGHANISTAN TRADE FIRE, officials in Islamabad said on Monday night."
    assert run(text, names={"Pakistan", "Afghanistan"}).text == text


def test_clean_leaves_addresses_alone_when_repairing_case():
    text = "The statement was posted at https://example.org/pakistan/news by the ministry in Pakistan."
    assert "https://example.org/pakistan/news" in run(text).text


@pytest.mark.parametrize(
    "text",
    [
        "A drone strike killed at least 12 civilians at a market in El Fasher, the army said.",
        "Militants ambushed soldiers near Djibo and police said insurgents fled on motorbikes.",
        "The navy and air force shelled positions as journalists and aid workers left Goma.",
        "Security forces fired on protesters in Mandalay, and refugees crossed into Thailand.",
    ],
)
def test_clean_never_capitalises_generic_actors_with_the_knowledge_base(text):
    # the knowledge base's own names (names=None): its generic actors have capitalised display
    # names ("Civilians", "Police") but are common nouns, and the text has no casing damage
    article = clean(RawDoc(source="test.txt", text=text, format="txt"))
    assert article.text == text
    assert "casing_repaired" not in codes(article)


def test_clean_knowledge_proper_names_hold_no_generic_actor():
    from khabar.knowledge import load_knowledge

    names = {n.casefold() for n in load_knowledge().proper_names()}
    assert not names & {"civilians", "police", "army", "militants", "soldiers", "insurgents"}
    assert {"sudanese armed forces", "rapid support forces", "pakistan"} <= names


def test_clean_repairs_casing_in_given_title():
    article = run(PROSE, title="Clashes on the pakistan border")
    assert article.title == "Clashes on the Pakistan border"


# ---- id and genre --------------------------------------------------------------------------------


def test_clean_article_id_is_stable_hash_of_normalised_text():
    assert article_id("Rebels  attacked\nthe town.") == article_id("rebels attacked the TOWN.")
    assert article_id("Rebels attacked the town.") != article_id("Rebels attacked the city.")
    assert len(article_id("x")) == 16
    assert int(article_id("x"), 16) >= 0


def test_clean_same_content_gets_same_id():
    first = run(f"{PROSE}\nAdvertisement")
    second = run(f"  {PROSE}  \n\n\nShare this article\n")
    assert first.id == second.id


def test_clean_genre_news_by_default():
    assert run(PROSE).genre == "news"


def test_clean_genre_from_author_bio_line():
    bio = "Jane Roe is a senior researcher and writer on Sahel security at an institute in Dakar"
    assert run(f"{PROSE}\n{bio}").genre == "analysis"
    column = "Sam Poe is a columnist for the Daily Example and a former war reporter"
    assert run(f"{PROSE}\n{column}").genre == "opinion"


def test_clean_genre_from_first_person_markers():
    text = f"{PROSE}\nIn my view the truce will not hold. I believe both sides are rearming, and we must act."
    assert run(text).genre == "opinion"


def test_clean_genre_ignores_first_person_inside_quotes():
    text = f'{PROSE}\n"I believe we must respond, and I think we will," the general said.'
    assert run(text).genre == "news"


# ---- properties ----------------------------------------------------------------------------------

LINES = st.sampled_from(
    [
        PROSE,
        "Pakistan and afghanistan traded fire,which killed 3.5 people at 10:30.",
        "the taliban-led government in kabul denied it.End of story.",
        "Border Clash Leaves Many Dead",
        "Prev Article",
        "Advertisement",
        "Related articles",
        "donald trump spoke to the Taliban.",
        "Talks in Turkey failed; delegates from turkey left.",
        "“Quoted words,” he said .",
        "",
        "   ",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=8))
def test_clean_is_idempotent(lines):
    text = "\n".join([*lines, PROSE])
    once = run(text)
    twice = clean(RawDoc(source="again.txt", text=once.text, format="txt", title=once.title), names=NAMES)
    assert twice.text == once.text
    assert twice.id == once.id


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["word", "Word", " ", "\n", "\t", "WORD", "3,000"]), min_size=1, max_size=30))
def test_clean_article_id_ignores_case_and_spacing(parts):
    text = "".join(parts)
    assert article_id(text) == article_id(text.upper()) == article_id(" ".join(text.split()))


# ---- seeds (gold checks in shared/eval/seeds_gold.yaml) ------------------------------------------

#: What the knowledge base's proper_names() would hold for these seeds.
SEED_NAMES = {"Pakistan", "Afghanistan", "Islamabad", "Kabul", "Taliban", "Donald Trump", "TTP", "China"}


def seed(stem: str) -> Article:
    text = (resources.files("khabar") / "samples" / f"{stem}.txt").read_text(encoding="utf-8")
    return clean(RawDoc(source=f"{stem}.txt", text=text, format="txt"), names=SEED_NAMES)


def test_clean_seed_001_repairs_casing_and_spacing():
    text = seed("001_8be7158836201c43").text
    for wanted in ("Islamabad, Pakistan", "Donald Trump", "Taliban-led government", "neighbors, who"):
        assert wanted in text


def test_clean_seed_002_drops_telegram_line():
    article = seed("002_bd24d64cb0315034")
    assert "Follow new articles on our Telegram channel" not in article.text
    assert article.genre == "analysis"


def test_clean_seed_004_drops_navigation_and_repeated_headline():
    article = seed("004_a871ba73cdd6db41")
    for unwanted in (
        "Prev Article",
        "Next Article",
        "Indian-Origin Businessman Shot Dead",
        "Shehbaz Sharif Fact-Checked",
        "Related to this topic",
    ):
        assert unwanted not in article.text
    headline = "Pakistan Secret Drone Deal Exposed: Foreign Power Using Its Soil to Strike Afghanistan"
    assert article.title == headline
    assert article.text.count(headline) <= 1
    assert article.text.endswith("security dynamics once again.")
