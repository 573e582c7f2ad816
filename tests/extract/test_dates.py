"""Tests for khabar.extract.dates: reading, resolving and attaching date expressions."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.errors import KnowledgeError
from khabar.extract.dates import check_lexicon, corpus_year_hint, date_for, event_clause, find_dates
from khabar.models import DateRef


def dates_in(nlp, text: str, *, published: date | None = None, year_hint: int | None = None) -> list[DateRef]:
    return find_dates(nlp(text), published=published, year_hint=year_hint)


def one(nlp, text: str, words: str, **kwargs) -> DateRef:
    """The date whose text contains `words`."""
    found = [d for d in dates_in(nlp, text, **kwargs) if d.text and words in d.text]
    assert len(found) == 1, (words, dates_in(nlp, text, **kwargs))
    return found[0]


# ---- explicit dates ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Rebels shelled the town on 9 October 2025.",
        "Rebels shelled the town on October 9, 2025.",
        "Rebels shelled the town on the 9th of October 2025.",
        "Rebels shelled the town on Oct. 9th, 2025.",
        "Rebels shelled the town on 2025-10-09.",
    ],
)
def test_dates_full_date_is_explicit_day(nlp, text):
    (ref,) = dates_in(nlp, text, published=date(2026, 3, 1))
    assert (ref.start, ref.end, ref.precision, ref.basis) == (
        date(2025, 10, 9),
        date(2025, 10, 9),
        "day",
        "explicit",
    )
    assert nlp(text).text[ref.span[0] : ref.span[1]] == ref.text


@pytest.mark.slow
def test_dates_month_and_year_is_month_precision(nlp):
    ref = one(nlp, "The accord was signed in September 2025 in Riyadh.", "September")
    assert (ref.start, ref.end, ref.precision, ref.basis) == (
        date(2025, 9, 1),
        date(2025, 9, 30),
        "month",
        "explicit",
    )


@pytest.mark.slow
def test_dates_bare_year_after_preposition_is_year_precision(nlp):
    ref = one(nlp, "The last raid on the capital was in 2022, when a drone hit a house.", "2022")
    assert (ref.start, ref.end, ref.precision) == (date(2022, 1, 1), date(2022, 12, 31), "year")


@pytest.mark.slow
def test_dates_impossible_day_is_not_a_date(nlp):
    assert dates_in(nlp, "The report is dated 31 February 2024.") == []


# ---- year-less dates -----------------------------------------------------------------------------


@pytest.mark.slow
def test_dates_yearless_date_takes_latest_year_not_after_publication(nlp):
    text = "Gunmen attacked a convoy on 20 December near the border."
    assert one(nlp, text, "December", published=date(2026, 1, 5)).start == date(2025, 12, 20)
    ref = one(nlp, text, "December", published=date(2025, 12, 28))
    assert (ref.start, ref.precision, ref.basis) == (date(2025, 12, 20), "day", "published")


@pytest.mark.slow
def test_dates_yearless_date_after_future_verb_looks_ahead(nlp):
    ref = one(
        nlp,
        "The two delegations will meet again on 3 January in Doha.",
        "January",
        published=date(2025, 12, 10),
    )
    assert ref.start == date(2026, 1, 3)


@pytest.mark.slow
def test_dates_yearless_date_with_present_tense_takes_nearest_year(nlp):
    # Published in late October: "expires Nov. 21" is next month, not 11 months ago.
    ref = one(
        nlp, "The truce expires Nov. 21 unless both sides extend it.", "Nov", published=date(2025, 10, 27)
    )
    assert ref.start == date(2025, 11, 21)


@pytest.mark.slow
def test_dates_yearless_date_with_past_tense_is_never_after_publication(nlp):
    ref = one(
        nlp, "The truce collapsed on Nov. 21 after heavy shelling.", "Nov", published=date(2025, 10, 27)
    )
    assert ref.start == date(2024, 11, 21)


@pytest.mark.slow
def test_dates_weekday_naming_its_date_is_one_date(nlp):
    (ref,) = dates_in(
        nlp, "The ministry said on Saturday, April 25, that the siege had ended.", year_hint=2020
    )
    assert (ref.text, ref.start, ref.precision) == ("Saturday, April 25", date(2020, 4, 25), "day")


@pytest.mark.slow
def test_dates_month_of_last_year_is_that_month(nlp):
    ref = one(nlp, "The offensive began in June last year.", "June", published=date(2025, 3, 2))
    assert (ref.start, ref.end, ref.precision) == (date(2024, 6, 1), date(2024, 6, 30), "month")


@pytest.mark.slow
def test_dates_yearless_month_is_whole_month(nlp):
    ref = one(nlp, "Fighting spread to the north in September.", "September", published=date(2025, 11, 2))
    assert (ref.start, ref.end, ref.precision) == (date(2025, 9, 1), date(2025, 9, 30), "month")


@pytest.mark.slow
def test_dates_yearless_date_without_publication_uses_preceding_month_and_year(nlp):
    text = (
        "The siege began in March 2023. It was lifted in May 2024. "
        "On 9 June, the army entered the city, and on Oct 11 it left."
    )
    ref = one(nlp, text, "9 June")
    assert (ref.start, ref.precision, ref.basis) == (date(2024, 6, 9), "day", "context")
    assert one(nlp, text, "Oct 11").start == date(2024, 10, 11)


@pytest.mark.slow
def test_dates_yearless_date_uses_later_month_and_year_when_none_precedes(nlp):
    text = "Clashes erupted on 14 August. A truce followed in September 2019."
    assert one(nlp, text, "August").start == date(2019, 8, 14)


@pytest.mark.slow
def test_dates_bare_historical_year_is_not_context(nlp):
    text = "The group was founded in 2007. On 9 June, its fighters seized a dam."
    assert one(nlp, text, "June").precision == "none"
    ref = one(nlp, text, "June", year_hint=2025)
    assert (ref.start, ref.basis) == (date(2025, 6, 9), "context")


@pytest.mark.slow
def test_dates_yearless_date_with_nothing_to_go_on_has_no_value(nlp):
    ref = one(nlp, "Militias clashed on 9th October near the river.", "October")
    assert (ref.start, ref.end, ref.precision) == (None, None, "none")


@pytest.mark.slow
def test_dates_ambiguous_month_words_need_capital_and_cue(nlp):
    assert dates_in(nlp, "Officials say the talks may march on without them.") == []
    ref = one(nlp, "The offensive began in May.", "May", year_hint=2024)
    assert (ref.start, ref.precision) == (date(2024, 5, 1), "month")


# ---- relative dates ------------------------------------------------------------------------------

WEDNESDAY = date(2025, 10, 15)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "words", "start", "end", "precision"),
    [
        ("A drone struck a market yesterday.", "yesterday", date(2025, 10, 14), date(2025, 10, 14), "day"),
        ("Troops withdrew last week.", "last week", date(2025, 10, 6), date(2025, 10, 12), "week"),
        ("Protests grew this week.", "this week", date(2025, 10, 13), date(2025, 10, 19), "week"),
        ("Police raided the camp on Monday.", "Monday", date(2025, 10, 13), date(2025, 10, 13), "day"),
        ("The rebels struck last Wednesday.", "Wednesday", date(2025, 10, 8), date(2025, 10, 8), "day"),
        (
            "Shelling resumed earlier this month.",
            "this month",
            date(2025, 10, 1),
            date(2025, 10, 31),
            "month",
        ),
        ("The bridge was blown up two days ago.", "ago", date(2025, 10, 13), date(2025, 10, 13), "day"),
        ("Elections were held last year.", "last year", date(2024, 1, 1), date(2024, 12, 31), "year"),
    ],
)
def test_dates_relative_dates_resolve_against_publication(nlp, text, words, start, end, precision):
    ref = one(nlp, text, words, published=WEDNESDAY)
    assert (ref.start, ref.end, ref.precision, ref.basis) == (start, end, precision, "published")


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    ["A drone struck a market yesterday.", "Police raided the camp on Monday.", "Troops withdrew last week."],
)
def test_dates_relative_dates_in_undated_article_have_no_value(nlp, text):
    # Nothing is frozen: a processing-date fallback would give these a start.
    (ref,) = dates_in(nlp, text, year_hint=2025)
    assert (ref.start, ref.end, ref.precision) == (None, None, "none")


FRAGMENTS = [
    "Rebels attacked the base yesterday.",
    "Talks resume on Monday.",
    "Shelling eased last week.",
    "The truce began on 9th October.",
    "Aid arrived earlier this month.",
    "Two villages burned in September.",
    "The army retook the town three days ago.",
    "Drones struck again this week.",
    "The raid came in 2019.",
    "Envoys met on 4 May 2023.",
]


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=5))
def test_dates_undated_article_never_gets_a_year_it_does_not_state(nlp, fragments):
    text = " ".join(fragments)
    for ref in dates_in(nlp, text):
        assert ref.start is None or str(ref.start.year) in text, ref


@pytest.mark.slow
def test_dates_vague_reference_never_has_a_value(nlp):
    ref = one(nlp, "The militia recently moved its base.", "recently", published=WEDNESDAY)
    assert ref.precision == "none"


@pytest.mark.slow
def test_dates_week_of_a_date_is_monday_to_sunday(nlp):
    ref = one(nlp, "Aid convoys were blocked during the week of March 5, 2025.", "week of")
    assert (ref.start, ref.end, ref.precision) == (date(2025, 3, 3), date(2025, 3, 9), "week")


# ---- what is not a date --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "The insurgency has gone on for years.",
        "The war lasted four years.",
        "Over the past few weeks, tensions have risen.",
        "A 30-year-old shepherd was among the dead.",
        "The region was calm in the 1990s and for decades after.",
    ],
)
def test_dates_durations_ages_and_decades_are_not_dates(nlp, text):
    assert [d for d in dates_in(nlp, text, published=WEDNESDAY) if d.start] == []


# ---- the corpus year -----------------------------------------------------------------------------


def test_dates_corpus_year_hint_takes_latest_year_with_month_or_day():
    texts = [
        "The takeover came in August 2021.",
        "A pact was signed in September 2025.",
        "On October 9, 2024 ...",
    ]
    assert corpus_year_hint(texts) == 2025


@pytest.mark.parametrize(
    "text",
    ["FIGHTING BROKE OUT ON 9 OCTOBER 2025.", "fighting broke out on 9 october 2025.", "Since Sept. 3, 2025"],
)
def test_dates_patterns_read_words_in_any_case(text):
    assert corpus_year_hint([text]) == 2025


def test_dates_corpus_year_hint_ignores_bare_years():
    assert corpus_year_hint(["The last raid was in 2022.", "Nothing dated here."]) is None


# ---- the date of an event ------------------------------------------------------------------------


def trigger(doc, word: str):
    return next(t for t in doc if t.text == word)


@pytest.mark.slow
def test_dates_date_for_prefers_date_attached_to_trigger(nlp):
    doc = nlp("After the bombing on 9 October, the army launched raids on 11 October.")
    dates = find_dates(doc, published=None, year_hint=2025)
    assert date_for(trigger(doc, "launched"), dates).start == date(2025, 10, 11)
    assert date_for(trigger(doc, "bombing"), dates).start == date(2025, 10, 9)


@pytest.mark.slow
def test_dates_date_for_does_not_date_event_set_before_the_clause(nlp):
    doc = nlp("After the bombing in the market, the army launched raids on 12 March.")
    dates = find_dates(doc, published=None, year_hint=2025)
    assert date_for(trigger(doc, "bombing"), dates) == DateRef.unknown()
    assert date_for(trigger(doc, "launched"), dates).start == date(2025, 3, 12)


@pytest.mark.slow
def test_dates_date_for_falls_back_to_nearest_date_in_sentence(nlp):
    doc = nlp("Two weeks of shelling, which residents said began in March 2024, destroyed the market.")
    dates = find_dates(doc, published=None)
    assert date_for(trigger(doc, "destroyed"), dates).precision == "month"


@pytest.mark.slow
def test_dates_date_for_ignores_other_sentences(nlp):
    doc = nlp("Talks opened on 2 May 2024. Fighting resumed anyway.")
    dates = find_dates(doc, published=None)
    assert date_for(trigger(doc, "resumed"), dates) == DateRef.unknown()


# ---- the lexicon ---------------------------------------------------------------------------------


def shipped_lexicon() -> dict:
    """The lexicon file as shipped in the package."""
    path = resources.files("khabar.knowledge") / "lexicons" / "dates.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_dates_shipped_lexicon_is_well_formed():
    check_lexicon(shipped_lexicon())


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ({"months": "january"}, "months"),
        ({"relative": {"yesterday": {"unit": "fortnight", "offset": -1}}}, "yesterday"),
        ({"weekdays": [["monday"]]}, "weekdays"),
    ],
)
def test_dates_malformed_lexicon_names_entry(broken, reason):
    lex = dict(shipped_lexicon()) | broken
    with pytest.raises(KnowledgeError, match=reason):
        check_lexicon(lex)


# ---- dates told from the date before them, nights, spans of years (#H17) ----------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "words", "start", "end", "precision"),
    [
        (
            "Rebels overran the garrison at Kidal on 3 March 2024. The army retook it the following day.",
            "following day",
            date(2024, 3, 4),
            date(2024, 3, 4),
            "day",
        ),
        (
            "The dam at Kakhovka was breached on June 6, 2023. Two days later, the floods reached Kherson.",
            "later",
            date(2023, 6, 8),
            date(2023, 6, 8),
            "day",
        ),
        (
            "A state of siege began in Ituri in May 2021. Parliament extended it later that month.",
            "that month",
            date(2021, 5, 1),
            date(2021, 5, 31),
            "month",
        ),
        (
            "Militias burned Djugu villages on 10 February 2022 and looted the market that day.",
            "that day",
            date(2022, 2, 10),
            date(2022, 2, 10),
            "day",
        ),
    ],
)
def test_dates_sequel_counts_from_the_date_told_before(nlp, text, words, start, end, precision):
    ref = one(nlp, text, words, published=date(2025, 1, 1))
    assert (ref.start, ref.end, ref.precision, ref.basis) == (start, end, precision, "context")


@pytest.mark.slow
def test_dates_sequel_after_an_unknown_date_has_no_value(nlp):
    # "on Monday" in an undated article has no value: the day after it has none either
    ref = one(nlp, "Police raided the camp on Monday. The suspects fled the next day.", "next day")
    assert ref.precision == "none"


@pytest.mark.slow
def test_dates_the_day_before_an_event_is_no_sequel(nlp):
    text = "Troops shelled Idlib on 4 May 2024. Residents fled the day before the vote."
    assert [d.text for d in dates_in(nlp, text)] == ["4 May 2024"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # the day its sentence names ("said on Monday"): the night before it
        (
            "Gangs and police exchanged fire overnight in Cite Soleil, officials said on Monday.",
            date(2025, 3, 16),
            date(2025, 3, 17),
        ),
        # no day in the sentence: the night before publication
        ("Drones hit an oil depot near Bryansk overnight.", date(2025, 3, 18), date(2025, 3, 19)),
    ],
)
def test_dates_overnight_is_the_night_before_the_day(nlp, text, start, end):
    ref = one(nlp, text, "overnight", published=date(2025, 3, 19))
    assert (ref.start, ref.end, ref.precision) == (start, end, "day")


@pytest.mark.slow
def test_dates_overnight_as_adjective_or_before_a_date_is_not_the_night(nlp):
    assert [d.text for d in dates_in(nlp, "The army imposed an overnight curfew.", published=WEDNESDAY)] == []
    refs = dates_in(nlp, "Shelling went on overnight into Sunday.", published=WEDNESDAY)
    assert [r.text for r in refs] == ["Sunday"]


@pytest.mark.slow
def test_dates_weekday_after_from_points_forward(nlp):
    # published on a Saturday: "from Monday" is the coming Monday, whatever tense announced it
    saturday = date(2024, 11, 2)
    text = "The rebels announced a week-long lockdown of Goma from Monday."
    assert one(nlp, text, "Monday", published=saturday).start == date(2024, 11, 4)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Schools in Sittwe stayed shut from Monday to Wednesday.",
        "Surgeons treated wounds from Monday's bombing in Sittwe.",
    ],
)
def test_dates_from_opening_a_span_or_naming_an_event_looks_back(nlp, text):
    assert one(nlp, text, "Monday", published=date(2024, 11, 2)).start == date(2024, 10, 28)


@pytest.mark.slow
def test_dates_effective_date_points_forward(nlp):
    text = "The junta set up a new electoral commission, effective Feb. 1."
    assert one(nlp, text, "Feb", published=date(2025, 11, 20)).start == date(2026, 2, 1)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Both armies fought in the 1998-2000 war with Eritrea.", date(1998, 1, 1), date(2000, 12, 31)),
        ("The 2011–13 drought emptied the villages.", date(2011, 1, 1), date(2013, 12, 31)),
    ],
)
def test_dates_span_of_years_is_one_date_of_year_precision(nlp, text, start, end):
    (ref,) = dates_in(nlp, text)
    assert (ref.start, ref.end, ref.precision, ref.basis) == (start, end, "year", "explicit")


@pytest.mark.slow
@pytest.mark.parametrize("text", ["Call 2041-2290 for help.", "The score was 2010-1995 at the end."])
def test_dates_number_pairs_that_are_no_span_of_years_are_not_dates(nlp, text):
    assert [d for d in dates_in(nlp, text) if d.precision == "year" and d.start != d.end] == []


# ---- the year of an undated article's year-less dates (#H17) ------------------------------------------


@pytest.mark.slow
def test_dates_undated_piece_takes_the_corpus_year_over_distant_history(nlp):
    # an opinion piece: its only dated words are history, far from the year-less month
    text = (
        "A year after the fall of the old regime in January 2024, the militias still rule.\n\n"
        "In March, dozens of herders were killed near the lake."
    )
    ref = one(nlp, text, "March", year_hint=2025)
    assert (ref.start, ref.precision, ref.basis) == (date(2025, 3, 1), "month", "context")


@pytest.mark.slow
def test_dates_undated_update_dates_by_the_day_it_states(nlp):
    # a situation report stating its own date: not the corpus year, not last year's October
    text = (
        "Update issued on 24 October 2024.\n\n"
        "Since the offensive began in August 2023, thousands have fled.\n\n"
        "On 19 October, a strike hit a bus near Dejen."
    )
    ref = one(nlp, text, "19 October", year_hint=2025)
    assert (ref.start, ref.basis) == (date(2024, 10, 19), "context")


@pytest.mark.slow
def test_dates_month_and_year_in_the_same_paragraph_tells_the_story_year(nlp):
    text = "The siege of Mariupol began in March 2022. In May, its last defenders surrendered."
    assert one(nlp, text, "May", year_hint=2025).start == date(2022, 5, 1)


# ---- the date of an event (#H17) ------------------------------------------------------------------------


@pytest.mark.slow
def test_dates_gerund_subject_takes_its_verbs_date(nlp):
    doc = nlp("Since fighting between the two militias began in August 2023, thousands have fled.")
    dates = find_dates(doc, published=date(2025, 1, 1))
    assert date_for(trigger(doc, "fighting"), dates).start == date(2023, 8, 1)


@pytest.mark.slow
def test_dates_verbs_sharing_a_subject_share_its_date(nlp):
    doc = nlp("On 22 October, armed men stopped two ambulances near Bichena and detained the drivers.")
    dates = find_dates(doc, published=date(2024, 10, 25))
    clause = event_clause(trigger(doc, "detained"))
    assert clause.text == "stopped"
    assert date_for(trigger(doc, "detained"), dates).start == date(2024, 10, 22)
