"""report.brief: the briefing's sections, its citations, its filters, and its Markdown, HTML and
PDF forms, over a store built by hand: three invented reports of a strike, a clash, an accusation
and a truce between Ostria and Valdonia, one of them hostile markup."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2
import pytest

from khabar.errors import ExportError
from khabar.models import (
    Acled,
    Actor,
    ActorRef,
    Article,
    Contradiction,
    Corroboration,
    Credibility,
    DateRef,
    Event,
    EventLocation,
    Extraction,
    Mention,
    Position,
    Reporter,
    Resolution,
    Signal,
    Toll,
)
from khabar.report.brief import Brief, brief, render_html, render_markdown, render_pdf
from khabar.store.repository import Store

STRIKE = "Ostrian jets struck a market in Dunmere on 3 March, killing five people, officials said."
ACCUSES = 'Valdonia\'s foreign ministry accused Ostria of aggression. "This will not stand," it said.'
HOSTILE = (
    "At least nine people died in the Dunmere strike, police said. "
    'Fighting broke out in Kelso <script>alert(1)</script> on 4 March " onmouseover="alert(2).'
)
TRUCE = "The two governments agreed a truce on 6 March."
AIR = Acled(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike")

ACTORS = [
    Actor(id="OST_AIR", name="Ostrian Air Force", kind="military", country="AT"),
    Actor(id="OST_GOV", name="Government of Ostria", kind="government", country="AT"),
    Actor(id="VAL_GOV", name="Government of Valdonia", kind="government", country="ML"),
    Actor(id="VAL_MFA", name="Valdonian Foreign Ministry", kind="government", country="ML", parent="VAL_GOV"),
    Actor(id="MOB", name='Kelso " onmouseover="alert(3) Militia', kind="militia", country="ML"),
    Actor(id="CIV", name="Civilians", kind="civilian"),
]


def _day(day: int) -> DateRef:
    return DateRef(text=None, start=date(2024, 3, day), end=date(2024, 3, day), precision="day")


def _sentence(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


def _articles() -> list[Article]:
    return [
        Article(
            id="wire",
            source="wire.txt",
            text=STRIKE + " " + ACCUSES,
            title="Jets strike Dunmere",
            outlet="Sahel Wire",
            url="https://wire.example/strike",
        ),
        Article(
            id="post",
            source="post.txt",
            text=HOSTILE,
            title="Toll <b>rises</b>",
            outlet="<i>Post</i>",
            url="javascript:alert(4)",
        ),
        Article(id="truce", source="truce.txt", text=TRUCE, title="Truce agreed", outlet="Sahel Wire"),
    ]


def _mentions() -> dict[str, list[Mention]]:
    wire, post = STRIKE + " " + ACCUSES, HOSTILE
    fight = post[post.index("Fighting") :]
    return {
        "wire": [
            Mention(
                id="wire:1",
                article="wire",
                span=(13, 19),
                sentence=STRIKE,
                sentence_span=_sentence(wire, STRIKE),
                type="ASSAULT",
                acled=AIR,
                actors=[ActorRef("Ostrian jets", "OST_AIR")],
                recipients=[ActorRef("people", "CIV")],
                date=_day(3),
                killed=Toll(low=5, high=5, best=5, text="five people"),
                reporter=Reporter("officials"),
                modality="attributed",
                event="strike",
            ),
            Mention(
                id="wire:2",
                article="wire",
                span=(wire.index("accused"), wire.index("accused") + 7),
                sentence=ACCUSES.split(". ")[0] + ".",
                type="ACCUSE",
                actors=[ActorRef("Valdonia's foreign ministry", "VAL_MFA")],
                recipients=[ActorRef("Ostria", "OST_GOV")],
                date=_day(3),
                quote="This will not stand",
                about="strike",
                event="accusation",
            ),
        ],
        "post": [
            Mention(
                id="post:1",
                article="post",
                span=(post.index("died"), post.index("died") + 4),
                sentence=post.split(" Fighting")[0],
                sentence_span=(0, len(post.split(" Fighting")[0])),
                type="ASSAULT",
                recipients=[ActorRef("people", "CIV")],
                killed=Toll(low=9, high=None, text="At least nine"),
                reporter=Reporter("police"),
                modality="attributed",
                event="strike",
            ),
            Mention(
                id="post:2",
                article="post",
                span=(post.index("Fighting"), post.index("Fighting") + 8),
                sentence=fight,
                sentence_span=_sentence(post, fight),
                type="FIGHT",
                acled=Acled(event_type="Battles", sub_event_type="Armed clash"),
                actors=[ActorRef("militia", "MOB"), ActorRef("air force", "OST_AIR")],
                date=_day(4),
                event="clash",
            ),
        ],
        "truce": [
            Mention(
                id="truce:1",
                article="truce",
                span=(TRUCE.index("truce"), TRUCE.index("truce") + 5),
                sentence=TRUCE,
                sentence_span=(0, len(TRUCE)),
                type="AGREE",
                mode="ceasefire",
                acled=Acled(event_type="Strategic developments", sub_event_type="Agreement"),
                actors=[
                    ActorRef("The two governments", "OST_GOV"),
                    ActorRef("The two governments", "VAL_GOV"),
                ],
                date=_day(6),
                event="truce",
            ),
        ],
    }


def _events() -> list[Event]:
    dunmere = EventLocation(name="Dunmere", country="ML", lat=14.5, lon=-4.2, acled_geo_precision=1)
    kelso = EventLocation(name="Kelso", country="AT", lat=47.1, lon=15.4, acled_geo_precision=2)
    common = {"status": "reported", "corroboration": Corroboration(articles=1, outlets=1)}
    return [
        Event(
            id="strike",
            type="ASSAULT",
            title="Ostrian airstrike on Dunmere",
            date=_day(3),
            mentions=["wire:1", "post:1"],
            articles=["wire", "post"],
            acled=AIR,
            location=dunmere,
            actors=["OST_AIR"],
            recipients=["CIV"],
            killed=Toll(low=5, high=9, best=5),
            contradictions=["toll"],
            **common | {"status": "disputed", "corroboration": Corroboration(articles=2, outlets=2)},
        ),
        Event(
            id="accusation",
            type="ACCUSE",
            title="Valdonia accuses Ostria",
            date=_day(3),
            mentions=["wire:2"],
            articles=["wire"],
            actors=["VAL_MFA"],
            recipients=["OST_GOV"],
            **common,
        ),
        Event(
            id="clash",
            type="FIGHT",
            title="Clashes in Kelso",
            date=_day(4),
            mentions=["post:2"],
            articles=["post"],
            acled=Acled(event_type="Battles", sub_event_type="Armed clash"),
            location=kelso,
            actors=["MOB", "OST_AIR"],
            **common,
        ),
        Event(
            id="truce",
            type="AGREE",
            title="Truce between Ostria and Valdonia",
            date=_day(6),
            mentions=["truce:1"],
            articles=["truce"],
            mode="ceasefire",
            acled=Acled(event_type="Strategic developments", sub_event_type="Agreement"),
            actors=["OST_GOV", "VAL_GOV"],
            **common,
        ),
        Event(
            id="rumour",
            type="ASSAULT",
            title="Reported raid somewhere",
            date=DateRef.unknown(),
            mentions=[],
            articles=["post"],
            actors=["MOB"],
            **common,
        ),
    ]


TOLL_DISPUTE = Contradiction(
    id="toll",
    kind="fatalities",
    about_text="the Dunmere strike",
    positions=[
        Position(value="5", articles=["wire"], mentions=["wire:1"]),
        Position(value="at least 9", articles=["post"], mentions=["post:1"]),
    ],
    explanation="Sources disagree on the death toll of the Dunmere strike: 5 (Sahel Wire) vs at least 9.",
    internal=False,
    severity="high",
    about_event="strike",
)


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.open(":memory:")
    mentions = _mentions()
    for article in _articles():
        extraction = Extraction(article=article.id, mentions=mentions[article.id], actors=ACTORS)
        opened.add_article(article, extraction=extraction)
    every = [m for ms in mentions.values() for m in ms]
    opened.save_resolution(Resolution(events=_events(), contradictions=[TOLL_DISPUTE], mentions=every))
    officials = STRIKE.index("officials")
    signals = [
        Signal("named_sources", 0.15, "names who reported the toll", [(officials, officials + 9)]),
        Signal("hedging", -0.05, "one hedge"),
        Signal("quotes", 0.1, "quotes a ministry"),
        Signal("length", 0.01, "long enough"),
    ]
    opened.save_credibility("wire", Credibility(score=0.74, label="high", signals=signals))
    opened.save_credibility(
        "post", Credibility(score=0.3, label="low", signals=[Signal("markup", -0.3, "<b>markup</b>")])
    )
    yield opened
    opened.close()


@pytest.fixture
def report(store) -> Brief:
    return brief(store)


def test_brief_key_developments_put_the_deadly_corroborated_event_first(report):
    titles = [line.title for line in report.key_developments]
    assert titles[0] == "Ostrian airstrike on Dunmere"
    # the truce is a development (ACLED codes it) though AGREE is a verbal type; an accusation is not
    assert "Truce between Ostria and Valdonia" in titles and "Valdonia accuses Ostria" not in titles
    first = report.key_developments[0]
    assert (first.when, first.place, first.toll) == ("3 Mar 2024", "Dunmere, ML", "5–9 killed")
    assert first.who == "Ostrian Air Force → Civilians"
    assert first.outlets == ["<i>Post</i>", "Sahel Wire"]
    assert len(first.cites) == 2


def test_brief_timeline_lists_dated_events_in_order(report):
    assert [line.event for line in report.timeline] == ["accusation", "strike", "clash", "truce"]
    assert report.period == "3 Mar 2024 – 6 Mar 2024"


def test_brief_casualties_give_each_claim_with_outlet_reporter_and_modality(report):
    (strike,) = report.casualties
    assert strike.event.toll == "5–9 killed"
    assert [claim.text for claim in strike.claims] == [
        "5 killed according to officials — Sahel Wire (attributed)",
        "at least 9 killed according to police — <i>Post</i> (attributed)",
    ]


def test_brief_disagreements_give_both_sides_with_their_sources(report):
    (dispute,) = report.disagreements
    assert dispute.explanation == TOLL_DISPUTE.explanation and dispute.severity == "high"
    assert [p.text for p in dispute.positions] == ["5 — Sahel Wire", "at least 9 — <i>Post</i>"]
    quotes = [report.citations[p.cites[0] - 1].quote for p in dispute.positions]
    assert quotes[0] == STRIKE and quotes[1].startswith("At least nine people died")


def test_brief_statements_are_grouped_by_speaker_with_the_quote(report):
    assert list(report.statements) == ["Valdonian Foreign Ministry"]
    (said,) = report.statements["Valdonian Foreign Ministry"]
    assert (said.verb, said.recipients, said.quote) == (
        "accused",
        "Government of Ostria",
        "This will not stand",
    )
    assert said.about == "Ostrian airstrike on Dunmere"


def test_brief_source_assessment_gives_scores_top_signals_and_outlets(report):
    by_id = {line.article.id: line for line in report.sources}
    wire = by_id["wire"]
    assert wire.credibility.score == 0.74
    # the three strongest signals, strongest first; the first cites the words it is about
    assert [r.text for r in wire.reasons] == [
        "names who reported the toll (+0.15)",
        "quotes a ministry (+0.10)",
        "one hedge (-0.05)",
    ]
    assert report.citations[wire.reasons[0].cites[0] - 1].quote == "officials"
    assert by_id["truce"].credibility is None
    assert [o.text for o in report.outlets] == [
        "<i>Post</i>: 1 article, mean credibility 0.30",
        "Sahel Wire: 2 articles, mean credibility 0.74",
    ]


def test_brief_gaps_name_undated_unplaced_and_single_source_events(report):
    assert [line.event for line in report.gaps.undated] == ["rumour"]
    assert [line.event for line in report.gaps.unplaced] == ["accusation", "truce", "rumour"]
    assert "strike" not in [line.event for line in report.gaps.single_source]
    assert len(report.gaps.single_source) == 4


def test_brief_every_citation_quotes_its_article_at_its_span(store, report):
    texts = {a.id: a.text for a in store.articles()}
    assert [c.number for c in report.citations] == list(range(1, len(report.citations) + 1))
    for citation in report.citations:
        if citation.span:
            assert texts[citation.article][citation.span[0] : citation.span[1]] == citation.quote
    # a mention that kept its sentence but not the sentence's span is found in the text
    accusation = report.timeline[0]
    cited = report.citations[accusation.cites[0] - 1]
    assert cited.quote == "Valdonia's foreign ministry accused Ostria of aggression." and cited.span[0] > 0


def test_brief_keeps_only_http_urls(report):
    urls = {c.article: c.url for c in report.citations}
    assert urls["wire"] == "https://wire.example/strike" and urls["post"] is None


def test_brief_since_and_until_keep_overlapping_dated_events(store):
    report = brief(store, since=date(2024, 3, 4), until=date(2024, 3, 5))
    assert [line.event for line in report.timeline] == ["clash"]
    assert report.gaps.undated == [] and report.filters == {"since": "2024-03-04", "until": "2024-03-05"}


def test_brief_country_filter_takes_located_events_and_unplaced_ones_of_its_actors(store):
    events = {e.id for e in brief(store, country="Mali").events}
    # the strike is in Dunmere (ML); the accusation and truce have no place but Valdonian actors
    assert events == {"strike", "accusation", "truce", "rumour"}
    assert {e.id for e in brief(store, country="AUT").events} == {"clash", "accusation", "truce"}


def test_brief_actor_filter_takes_events_the_actor_or_its_parts_took_part_in(store):
    assert {e.id for e in brief(store, actor="Government of Valdonia").events} == {"accusation", "truce"}


def test_brief_bad_filters_raise_export_error_naming_them(store):
    with pytest.raises(ExportError, match="after"):
        brief(store, since=date(2024, 3, 9), until=date(2024, 3, 1))
    with pytest.raises(ExportError, match="Narnia"):
        brief(store, country="Narnia")
    with pytest.raises(ExportError, match="Nobody"):
        brief(store, actor="Nobody")


class _Tags(HTMLParser):
    """Every start tag with its attributes, and every id, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_brief_html_holds_no_live_markup_from_articles(report):
    html = render_html(report)
    tags = _tags(html)
    assert "script" not in {tag for tag, _ in tags}
    assert not [attrs for _, attrs in tags if any(name.startswith("on") for name in attrs)]
    assert not [attrs for _, attrs in tags if (attrs.get("href") or "").startswith("javascript:")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;i&gt;Post&lt;/i&gt;" in html


def test_brief_html_is_one_self_contained_page_that_prints(report):
    html = render_html(report)
    tags = _tags(html)
    assert {"link", "script", "img", "iframe"}.isdisjoint(tag for tag, _ in tags)
    assert not [a for _, a in tags if a.get("src")]
    assert "@media print" in html and "@page" in html
    assert sum(tag == "svg" for tag, _ in tags) == 4
    external = [a["href"] for tag, a in tags if tag == "a" and not a["href"].startswith("#")]
    assert external == ["https://wire.example/strike"] * len(external) and external


def test_brief_html_links_every_citation_to_its_quoted_source(report):
    tags = _tags(render_html(report))
    ids = {attrs["id"] for _, attrs in tags if attrs.get("id")}
    links = {
        attrs["href"][1:] for tag, attrs in tags if tag == "a" and attrs.get("href", "").startswith("#a-")
    }
    assert links == {c.anchor for c in report.citations} and links <= ids
    strike = report.citations[0]
    assert strike.anchor == f"a-wire-{strike.span[0]}-{strike.span[1]}"


def test_brief_markdown_cites_by_number_and_escapes_markup(report):
    text = render_markdown(report)
    assert "## Key developments" in text and "## Sources" in text
    assert re.search(r"Ostrian airstrike on Dunmere .*\[1\] \[2\]", text)
    assert f"- [1] “{STRIKE}” — Jets strike Dunmere, Sahel Wire" in text
    assert "<script>" not in text and "\\<script\\>" in text
    assert "<https://wire.example/strike>" in text and "javascript:" not in text


def test_brief_pdf_without_weasyprint_raises_export_error(report, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as if not installed
    with pytest.raises(ExportError, match="WeasyPrint"):
        render_pdf(report, tmp_path / "brief.pdf")
    assert not (tmp_path / "brief.pdf").exists()


def test_brief_pdf_first_page_is_not_blank(report, tmp_path):
    path: Path = tmp_path / "brief.pdf"
    render_pdf(report, path)
    document = pypdfium2.PdfDocument(str(path))
    try:
        image = document[0].render(scale=0.5).to_pil().convert("L")
        dark = sum(image.histogram()[:128])
    finally:
        document.close()
    assert dark > 500


def test_brief_pdf_into_a_missing_folder_raises_export_error(report, tmp_path):
    with pytest.raises(ExportError, match="cannot write the PDF"):
        render_pdf(report, tmp_path / "no such folder" / "brief.pdf")


def test_brief_key_developments_rank_dated_then_weighty_then_recent():
    undated = Event(
        id="massacre claim",
        type="ASSAULT",
        title="Claimed massacre",
        date=DateRef.unknown(),
        status="claimed",
        mentions=[],
        articles=["a"],
        corroboration=Corroboration(articles=1, outlets=1),
        killed=Toll(low=100, high=None),
    )
    quiet = [
        Event(
            id=f"raid {day}",
            type="COERCE",
            title=f"Raid on day {day}",
            date=_day(day),
            status="reported",
            mentions=[],
            articles=["a"],
            corroboration=Corroboration(articles=1, outlets=1),
        )
        for day in (1, 2)
    ]
    with Store.open(":memory:") as opened:
        opened.add_article(Article(id="a", source="a.txt", text="Invented."))
        opened.save_resolution(Resolution(events=[undated, *quiet]))
        ranked = [line.event for line in brief(opened).key_developments]
    assert ranked == ["raid 2", "raid 1", "massacre claim"]
