"""Tests for khabar.clean.furniture: menus, share rows, link lists, site names, repeated lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.clean import clean
from khabar.models import Article, RawDoc

LEDE = "Militia fighters stormed two farming villages east of the river on Sunday, residents said."
MORE = "The provincial governor said troops had been sent to the area and a curfew imposed."
NAMES = {"Kenya"}


def run(text: str, *, title: str | None = None, outlet: str | None = None) -> Article:
    raw = RawDoc(source="page.html", text=text, format="html", title=title, outlet=outlet)
    return clean(raw, names=NAMES)


def codes(article: Article) -> set[str]:
    return {w.code for w in article.warnings}


# ---- share buttons, menus, link lists ------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        "Facebook Twitter WhatsApp Email",
        "Share: X | LinkedIn | Print",
        "Twitter, Facebook",
        "Share on Telegram • WhatsApp • Copy link",
    ],
)
def test_clean_removes_share_button_row(row):
    article = run(f"{LEDE}\n{row}\n{MORE}")
    assert article.text == f"{LEDE}\n{MORE}"
    assert "furniture_removed" in codes(article)


def test_clean_keeps_prose_naming_social_networks():
    sentence = "The group posted the video on Facebook and Twitter, where it was shared widely."
    assert run(f"{LEDE}\n{sentence}").text == f"{LEDE}\n{sentence}"


def test_clean_removes_menu_under_home_but_keeps_headline_after_it():
    head = "Militia fighters storm two villages east of the river"
    text = f"Home\nWorld\nAfrica\nBusiness & Markets\nSubscribe\n{head}\n{LEDE}\n{MORE}"
    article = run(text)
    for item in ("World", "Africa", "Business & Markets", "Subscribe"):
        assert item not in article.text.split("\n")
    assert article.text == f"{head}\n{LEDE}\n{MORE}"


def test_clean_removes_breadcrumb_trail():
    article = run(f"{LEDE}\nHome > News > East Africa\n{MORE}")
    assert article.text == f"{LEDE}\n{MORE}"


def test_clean_drops_link_list_under_read_more_heading():
    text = f"{LEDE}\nRead more:\nFloods displace thousands in the delta\nTalks on grain exports stall\n{MORE}"
    article = run(text)
    assert article.text == f"{LEDE}\n{MORE}"


def test_clean_keeps_subheading_after_inline_read_more_link():
    text = f"{LEDE}\nRead more: Floods displace thousands\nA curfew in the valley\n{MORE}"
    article = run(text)
    assert "A curfew in the valley" in article.text
    assert "Floods displace" not in article.text


# ---- copyright and site name ---------------------------------------------------------------------


def test_clean_removes_the_outlets_name_standing_alone():
    text = f"{LEDE}\nLakeside Courier\n{MORE}\nThe Lakeside Courier could not reach the army."
    article = run(text, outlet="Lakeside Courier")
    assert article.text == f"{LEDE}\n{MORE}\nThe Lakeside Courier could not reach the army."


def test_clean_removes_site_name_given_by_its_copyright_line():
    text = f"{LEDE}\nTHE VALLEY HERALD\n{MORE}\nCopyright 2021-2024 The Valley Herald | All rights reserved"
    article = run(text)
    assert article.text == f"{LEDE}\n{MORE}"


def test_clean_removes_copyright_line_with_name_first():
    article = run(f"{LEDE}\nValley Herald © 2024")
    assert article.text == LEDE


# ---- repeated headline and repeated lines --------------------------------------------------------


def test_clean_takes_sentence_case_headline_printed_twice():
    head = "Militia fighters storm two villages east of the river"
    article = run(f"{head}\n{head.upper()}:\nBy a staff reporter\n{LEDE}")
    assert article.title == head
    assert head.casefold() not in article.text.casefold()
    assert article.text == f"By a staff reporter\n{LEDE}"
    assert {"title_detected", "headline_repeated"} <= codes(article)


def test_clean_drops_title_repeated_below_the_byline():
    head = "Curfew imposed after raid on villages"
    article = run(f"By a staff reporter\n{head}\n{LEDE}\n{MORE}", title=head)
    assert article.text == f"By a staff reporter\n{LEDE}\n{MORE}"


def test_clean_keeps_a_lede_sentence_equal_to_the_title_below_the_top():
    head = "Militia fighters stormed two villages, residents said"
    lede = f"{head}."
    article = run(f"By a staff reporter\n{lede}\n{MORE}", title=head)
    assert lede in article.text


def test_clean_drops_a_line_equal_to_the_line_above_it():
    article = run(f"{LEDE}\n\n{LEDE.upper().rstrip('.')}\n{MORE}")
    assert article.text == f"{LEDE}\n\n{MORE}"
    assert "headline_repeated" in codes(article)


def test_clean_keeps_a_line_repeated_further_down():
    article = run(f"{LEDE}\n{MORE}\n{LEDE}")
    assert article.text == f"{LEDE}\n{MORE}\n{LEDE}"


def test_clean_never_empties_a_text_of_repeats():
    assert run(f"{LEDE}\n{LEDE}").text == LEDE


# ---- properties ----------------------------------------------------------------------------------

PAGE_LINES = st.sampled_from(
    [
        LEDE,
        MORE,
        "Militia fighters storm two villages east of the river",
        "MILITIA FIGHTERS STORM TWO VILLAGES EAST OF THE RIVER",
        "Home",
        "World",
        "Facebook Twitter WhatsApp",
        "Read more:",
        "Talks on grain exports stall",
        "© 2024 Valley Herald. All rights reserved.",
        "Valley Herald",
        "By a staff reporter",
        "",
    ]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(PAGE_LINES, min_size=1, max_size=10))
def test_clean_furniture_and_repeats_are_idempotent(lines):
    once = run("\n".join([*lines, MORE]), outlet="Valley Herald")
    twice = run(once.text, title=once.title, outlet="Valley Herald")
    assert twice.text == once.text
    assert twice.title == once.title
