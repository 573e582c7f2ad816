"""views: an article's text cut at the extracted spans and rendered with every character escaped;
the spans a mention carries, by kind."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from web_record import TEXT_A, mentions, span_of

from khabar.web.schemas import Highlight
from khabar.web.views import KINDS, Segment, highlights, marked_text, segments


def _h(kind: str, start: int, end: int) -> Highlight:
    return Highlight(kind=kind, start=start, end=end, mention=None)


def test_web_views_highlights_every_span_a_mention_carries():
    found = {
        (h.kind, TEXT_A[h.start : h.end]) for h in highlights(m for m in mentions() if m.article == "art-a")
    }
    assert found == {
        ("event", "attacked"),
        ("event", "condemned"),
        ("actor", "Militia fighters"),
        ("actor", "soldiers"),
        ("actor", "The army"),
        ("place", "Riverton"),
        ("date", "on Tuesday"),
        ("toll", "three soldiers"),
        ("source", "the army said"),
    }


def test_web_views_segments_nest_overlapping_spans():
    text = "three soldiers died"
    pieces = segments(text, [_h("toll", 0, 14), _h("actor", 6, 14)])
    assert [(p.text, p.kinds) for p in pieces] == [
        ("three ", ("toll",)),
        ("soldiers", ("actor", "toll")),
        (" died", ()),
    ]


def test_web_views_segments_clip_spans_outside_the_text():
    pieces = segments("short", [_h("event", -5, 2), _h("place", 3, 99), _h("date", 40, 50)])
    assert "".join(p.text for p in pieces) == "short"
    assert [(p.text, p.kinds) for p in pieces] == [("sh", ("event",)), ("o", ()), ("rt", ("place",))]


def test_web_views_segments_mark_the_focus_and_place_anchors():
    text = "One. Two. Three."
    pieces = segments(text, [], focus=(5, 9), anchors={5: ["mention-a", "mention-b"], 16: ["mention-end"]})
    assert [p.text for p in pieces if p.focus] == ["Two."]
    assert next(p for p in pieces if p.text == "Two.").anchors == ["mention-a", "mention-b"]
    assert pieces[-1] == Segment("", anchors=["mention-end"])


def test_web_views_marked_text_escapes_the_article():
    pieces = segments('<script>alert("x")</script> & <img src=x onerror=alert(1)>', [_h("quote", 0, 8)])
    html = str(marked_text(pieces))
    assert "<script" not in html and "<img" not in html
    assert html.startswith('<span class="hl hl-quote">&lt;script&gt;</span>alert(&#34;x&#34;)')
    assert "&amp;" in html


def test_web_views_marked_text_escapes_anchor_ids():
    html = str(marked_text([Segment("x", anchors=['"><b>'])]))
    assert html == '<span class="anchor" id="&#34;&gt;&lt;b&gt;"></span>x'


def test_web_views_focus_wraps_the_marked_spans():
    html = str(marked_text(segments("a b", [_h("actor", 0, 1)], focus=(0, 3))))
    assert (
        html == '<mark class="focus"><span class="hl hl-actor">a</span></mark><mark class="focus"> b</mark>'
    )


@given(
    st.text(max_size=60),
    st.lists(st.tuples(st.sampled_from(KINDS), st.integers(-5, 70), st.integers(-5, 70)), max_size=12),
)
def test_web_views_segments_always_rebuild_the_text(text, spans):
    pieces = segments(text, [_h(kind, a, b) for kind, a, b in spans])
    assert "".join(p.text for p in pieces) == text
    assert all(p.text for p in pieces)


def test_web_views_span_helper_finds_words():
    assert TEXT_A[slice(*span_of(TEXT_A, "Riverton"))] == "Riverton"
