"""Tests for khabar.assess: each credibility signal on paragraphs written for the test, then the seeds."""

from __future__ import annotations

from importlib import resources

import pytest

import khabar.assess as assess_module
from khabar.assess import OutletRecord, assess, formulaic, outlet_record, register_signal
from khabar.clean import clean
from khabar.models import (
    Article,
    ArticleWarning,
    Contradiction,
    Credibility,
    Mention,
    Position,
    Reporter,
    Signal,
)

WIRE = (
    "Gunmen killed 14 villagers in Tillia, in western Niger, on Tuesday night, the regional governor, "
    'Abdou Maman, said on Wednesday. "They arrived on motorbikes at about 9 p.m. and fired on people '
    'leaving the mosque," Maman told reporters in Tahoua. A nurse at the district hospital, Fatima Issa, '
    "said 23 wounded had been admitted, six of them in critical condition. The army said it had sent two "
    "units to the area. According to Amnesty International, at least 310 civilians were killed in the "
    "region between January and June."
)
GENERIC = (
    "In a significant development, the ongoing tensions in the region have raised concerns about "
    "stability. Analysts suggest that the situation underscores the complex dynamics at play. Experts say "
    "the implications for regional security remain significant. It is widely believed that the landscape "
    "will continue to shift. The international community is navigating the complexities of the crisis. "
    "The implications of these developments for stability remain to be seen.\n"
    "In conclusion, the situation remains fluid, highlighting the challenges and complexities of the "
    "regional landscape."
)


def article(text: str, *, id: str = "a1", title: str | None = None, **kw) -> Article:
    return Article(id=id, source=f"{id}.txt", text=text, title=title, **kw)


def signal(credibility: Credibility, name: str) -> Signal | None:
    return next((s for s in credibility.signals if s.name == name), None)


def mention(**kw) -> Mention:
    return Mention(id="m1", article="a1", span=(0, 5), sentence="x", type="ASSAULT", **kw)


# ---- overall -------------------------------------------------------------------------------------


def test_assess_sourced_wire_report_beats_formulaic_generic_text():
    wire, generic = assess(article(WIRE), []), assess(article(GENERIC), [])
    assert wire.score > generic.score
    assert wire.label == "high"
    assert generic.label == "low"
    assert 0.0 <= generic.score <= wire.score <= 1.0


def test_assess_every_signal_explains_itself():
    for s in assess(article(GENERIC), []).signals:
        assert s.detail
        assert s.effect != 0 or s.name == "specificity"


def test_assess_spans_point_at_the_evidence():
    text = GENERIC
    for s in assess(article(text), []).signals:
        for start, end in s.spans:
            assert 0 <= start < end <= len(text)
    hedges = signal(assess(article(text), []), "hedging")
    assert {text[a:b] for a, b in hedges.spans} >= {
        "Analysts suggest",
        "Experts say",
        "It is widely believed",
    }


# ---- sources and quotes --------------------------------------------------------------------------


def test_assess_counts_named_sources_from_text():
    s = signal(assess(article(WIRE), []), "named_sources")
    assert s.effect > 0
    for name in ("Abdou Maman", "Fatima Issa", "Amnesty International"):
        assert name in s.detail
    assert "1 direct quotes" in s.detail


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "Drone kills 12 in El Fasher, army says\n\nKHARTOUM, May 4 (Reuters) - A drone strike killed "
            "12 people at a market, army spokesman Nabil Abdallah said.",
            "Nabil Abdallah",
        ),
        (
            "Jets hit rebel camp, junta says\n\nYANGON (AP) - Jets struck a camp in Sagaing on Monday, "
            "military spokesman Zaw Min Tun said.",
            "Zaw Min Tun",
        ),
        (
            "Drones hit Kharkiv, governor reports\n\nKYIV, Ukraine - Drones hit Kharkiv overnight, "
            "Governor Oleh Syniehubov said.",
            "Governor Oleh Syniehubov",
        ),
    ],
)
def test_assess_dateline_after_a_headline_is_no_named_source(text, source):
    detail = signal(assess(article(text), []), "named_sources").detail
    assert source in detail
    assert not any(city in detail for city in ("KHARTOUM", "YANGON", "KYIV"))


def test_assess_vague_sources_are_not_named_sources():
    text = "Officials said the town was shelled. Analysts said more attacks were likely. Sources told us so."
    s = signal(assess(article(text), []), "named_sources")
    assert s.effect < 0
    assert s.detail == "no named source and no direct quote"


def test_assess_counts_reporters_and_quotes_from_mentions():
    text = "The town was shelled overnight and several houses burned down."
    bare = signal(assess(article(text), []), "named_sources")
    found = [mention(reporter=Reporter(text="Radio Okapi", span=(0, 3)), quote="the town is burning tonight")]
    sourced = signal(assess(article(text), found), "named_sources")
    assert bare.effect < 0 < sourced.effect
    assert "Radio Okapi" in sourced.detail
    assert "1 direct quotes" in sourced.detail


def test_assess_anonymous_reporters_from_mentions_are_not_named_sources():
    text = "The town was shelled overnight and several houses burned down."
    vague = [mention(reporter=Reporter(text=who)) for who in ("a senior Pakistani official", "US officials")]
    assert signal(assess(article(text), vague), "named_sources").effect < 0


def test_assess_scare_quotes_are_not_direct_quotes():
    text = 'The so-called "peace plan" was called "a farce" by the mayor, Jean Kabila. Kabila said no more.'
    assert "0 direct quotes" in signal(assess(article(text), []), "named_sources").detail


def test_assess_flags_single_second_hand_source():
    text = (
        "According to Radio Free Example, troops shelled two villages. The shelling reportedly lasted hours."
    )
    s = signal(assess(article(text), []), "single_source")
    assert s is not None and s.effect < 0
    assert "Radio Free Example" in s.detail


def test_assess_no_single_source_flag_with_two_sources():
    text = "According to Radio Free Example, troops shelled two villages, the mayor, Ana Lopes, said."
    assert signal(assess(article(text), []), "single_source") is None


# ---- specificity and hedging ---------------------------------------------------------------------


def test_assess_specific_text_gains_vague_text_loses():
    specific = signal(assess(article(WIRE), []), "specificity")
    vague = signal(assess(article(GENERIC), []), "specificity")
    assert vague.effect < 0 < specific.effect
    assert "numbers" in specific.detail


def test_assess_mentions_add_specificity():
    text = "Fighting went on near the river and people were hurt, witnesses said, as the rain fell."
    from khabar.models import DateRef, PlaceRef, Toll

    rich = mention(
        killed=Toll(low=3, high=3),
        location=PlaceRef(text="the river", place="P1"),
        date=DateRef(text="x", start=None, end=None, precision="day"),
    )
    plain = signal(assess(article(text), []), "specificity").effect
    assert signal(assess(article(text), [rich]), "specificity").effect > plain


def test_assess_hedging_is_counted_per_100_words():
    light = "Analysts suggest the truce may hold. " + WIRE
    heavy = "Analysts suggest it will fail. It is widely believed the army reportedly moved. Experts say so."
    light_effect = signal(assess(article(light), []), "hedging").effect
    heavy_effect = signal(assess(article(heavy), []), "hedging").effect
    assert heavy_effect < light_effect < 0
    assert signal(assess(article(WIRE), []), "hedging") is None


# ---- residue, contradictions, headline -----------------------------------------------------------


def test_assess_page_furniture_counts_against():
    warned = article(WIRE, warnings=[ArticleWarning("furniture_removed", 'removed 2 lines: "Prev Article"')])
    s = signal(assess(warned, []), "scraping_residue")
    assert s.effect < 0
    assert "Prev Article" in s.detail
    assert assess(warned, []).score < assess(article(WIRE), []).score


def test_assess_harmless_cleaning_warnings_do_not_count():
    fixed = article(WIRE, warnings=[ArticleWarning("unicode_fixed", "normalised unicode: uncurl_quotes")])
    assert signal(assess(fixed, []), "scraping_residue") is None


def test_assess_internal_contradictions_naming_this_article_count():
    mine = Contradiction(
        id="c1",
        kind="toll",
        about_text="killed in Tillia",
        positions=[Position("14", ["a1"], spans=[(0, 5)]), Position("41", ["a1"], spans=[(10, 15)])],
        explanation="14 or 41 killed",
        internal=True,
    )
    other = Contradiction(
        id="c2",
        kind="toll",
        about_text="x",
        positions=[Position("1", ["b2"]), Position("2", ["b2"])],
        explanation="elsewhere",
        internal=True,
    )
    across = Contradiction(
        id="c3",
        kind="date",
        about_text="x",
        positions=[Position("Monday", ["a1"]), Position("Tuesday", ["b2"])],
        explanation="across articles",
        internal=False,
    )
    s = signal(assess(article(WIRE), [], contradictions=[mine, other, across]), "internal_contradictions")
    assert s.effect < 0
    assert s.detail.startswith("1 internal contradictions: 14 or 41 killed")
    assert s.spans == [(0, 5), (10, 15)]
    assert (
        signal(assess(article(WIRE), [], contradictions=[other, across]), "internal_contradictions") is None
    )


def test_assess_two_named_sources_figures_side_by_side_are_a_dispute_not_a_self_contradiction():
    army = Mention(
        id="m1", article="a1", span=(0, 5), sentence="x", type="ASSAULT", reporter=Reporter("the army")
    )
    rebels = Mention(
        id="m2", article="a1", span=(9, 14), sentence="y", type="ASSAULT", reporter=Reporter("JNIM")
    )
    own = Mention(id="m3", article="a1", span=(20, 25), sentence="z", type="ASSAULT")
    dispute = Contradiction(
        id="c1",
        kind="fatalities",
        about_text="the attack",
        positions=[Position("12", ["a1"], mentions=["m1"]), Position("40", ["a1"], mentions=["m2"])],
        explanation="12 (the army) vs 40 (JNIM)",
        internal=True,
    )
    reported = assess(article(WIRE), [army, rebels, own], contradictions=[dispute])
    assert signal(reported, "internal_contradictions") is None
    dispute.positions[1].mentions = ["m3"]
    narrated = assess(article(WIRE), [army, rebels, own], contradictions=[dispute])
    assert signal(narrated, "internal_contradictions").effect < 0


def test_assess_knowledge_conflicts_count_against_and_grow():
    one = signal(assess(article(WIRE), [], knowledge_conflicts=1), "knowledge_conflicts")
    two = signal(assess(article(WIRE), [], knowledge_conflicts=2), "knowledge_conflicts")
    assert two.effect < one.effect < 0
    assert signal(assess(article(WIRE), []), "knowledge_conflicts") is None


def test_assess_sensational_headline():
    loud = assess(article(WIRE, title="SHOCKING: Secret Deal Exposed!"), [])
    calm = assess(article(WIRE, title="Gunmen kill 14 in western Niger"), [])
    s = signal(loud, "sensational_headline")
    assert s.effect < 0
    assert "Secret" in s.detail and "Exposed" in s.detail
    assert signal(calm, "sensational_headline") is None


# ---- formulaic prose -----------------------------------------------------------------------------


def test_assess_formulaic_score_separates_generic_from_wire():
    generic, wire = formulaic(GENERIC), formulaic(WIRE)
    assert generic.score > 0.6 > 0.3 > wire.score
    assert generic.parts["closing"] == 1.0
    assert wire.parts["closing"] == 0.0
    assert generic.parts["framing"] > wire.parts["framing"]
    assert generic.parts["abstract"] > wire.parts["abstract"]
    assert generic.parts["concreteness"] > wire.parts["concreteness"]


def test_assess_formulaic_closing_found_only_in_last_paragraph():
    opening = "In conclusion, the talks failed, the mediator said on 3 May.\n" + WIRE
    assert formulaic(opening).parts["closing"] == 0.0
    closing = WIRE + "\nIn summary, the attack marks a pivotal moment for the region."
    found = formulaic(closing)
    assert found.parts["closing"] == 1.0
    assert any(closing[a:b].startswith("In summary") for a, b in found.spans)


def test_assess_formulaic_even_sentence_lengths_score_as_uniform():
    even = " ".join(f"The group number {n} met the other group at the main square today." for n in "abcdefgh")
    varied = (
        "They came at night. Nobody in the village had expected an attack so close to the capital, where "
        "the army has three bases and a training school. Four died. Many fled to the hills and stayed "
        "there for a week without food or water. Then the rains came."
    )
    assert formulaic(even).parts["uniformity"] > formulaic(varied).parts["uniformity"]


def test_assess_formulaic_prose_signal_only_above_floor():
    assert signal(assess(article(GENERIC), []), "formulaic_prose").effect < 0
    assert signal(assess(article(WIRE), []), "formulaic_prose") is None


# ---- registry and outlets ------------------------------------------------------------------------


def test_assess_runs_registered_signals(monkeypatch):
    monkeypatch.setattr(assess_module, "_SIGNALS", list(assess_module._SIGNALS))

    @register_signal
    def always(evidence):
        return Signal("always", -0.5, f"{evidence.words} words", [])

    credibility = assess(article(WIRE), [])
    assert signal(credibility, "always").detail.endswith("words")
    assert credibility.score < assess_module._lexicon()["score"]["high"]


def test_assess_outlet_record_groups_and_averages():
    high, low = Credibility(0.8, "high"), Credibility(0.2, "low")
    assessed = [
        (article("x", id="1", outlet="Wire"), high),
        (article("x", id="2", outlet="Wire"), low),
        (article("x", id="3", url="https://www.example.org/a/b"), low),
        (article("x", id="4"), high),
    ]
    records = outlet_record(assessed)
    assert records == [
        OutletRecord("unknown", 1, 0.8, {"high": 1}),
        OutletRecord("Wire", 2, 0.5, {"high": 1, "low": 1}),
        OutletRecord("example.org", 1, 0.2, {"low": 1}),
    ]


# ---- seeds (gold: shared/eval/seeds_gold.yaml, metric credibility_order) ---------------------------


def seed(stem: str) -> Article:
    from khabar.models import RawDoc

    text = (resources.files("khabar") / "samples" / f"{stem}.txt").read_text(encoding="utf-8")
    names = {"Pakistan", "Afghanistan", "Taliban", "Donald Trump", "Islamabad"}
    return clean(RawDoc(source=f"{stem}.txt", text=text, format="txt"), names=names)


@pytest.fixture(scope="module")
def seed_scores() -> dict[str, float]:
    stems = ["000_f9c6ead25decc704", "001_8be7158836201c43", "002_bd24d64cb0315034", "003_dc8f150bdf4ccd11"]
    return {stem[:3]: assess(seed(stem), []).score for stem in stems}


def test_assess_seeds_formulaic_unsourced_score_below_sourced(seed_scores):
    for low in ("000", "003"):
        for high in ("001", "002"):
            assert seed_scores[low] < seed_scores[high]


def test_assess_seed_order_survives_a_knowledge_conflict(seed_scores):
    # 001 calls the sitting US president "former": resolve reports that as a knowledge conflict
    text = seed("001_8be7158836201c43")
    assert assess(text, [], knowledge_conflicts=1).score > max(seed_scores["000"], seed_scores["003"])
