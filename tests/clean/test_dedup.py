"""Tests for khabar.dedup: MinHash signatures and the near-duplicate index."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.clean import clean
from khabar.dedup import NearDuplicateIndex, signature
from khabar.errors import InputError
from khabar.models import RawDoc

STORY = (
    "Gunmen attacked a convoy carrying food aid on the road between Goma and Rutshuru on Thursday, "
    "killing four drivers and wounding six others, the regional governor said. The convoy of twelve "
    "trucks had left Goma at dawn and was ambushed near the village of Kibumba, about 20 kilometres "
    "north of the city. A spokesman for the aid agency said the trucks were carrying maize flour and "
    "beans for 15,000 displaced families living in camps near the border. The army said it had sent "
    "reinforcements to the area and that two of the attackers had been arrested. No group has claimed "
    "responsibility, but local officials blamed a militia that has been active in the hills for months."
)
OTHER = (
    "Aid agencies suspended deliveries in North Kivu on Friday after an attack on a convoy near Goma, "
    "saying they could not guarantee the safety of their staff. The United Nations said more than "
    "100,000 people in the province depend on food aid and warned of shortages within weeks. Residents "
    "of the camps said prices in local markets had doubled since the road was closed, and several "
    "families said they had not eaten for two days. The governor promised an inquiry into the attack and "
    "asked the army to escort future convoys, while the militia blamed for the ambush denied involvement."
)


def test_dedup_signature_is_compact_and_deterministic():
    sig = signature(STORY)
    assert isinstance(sig, bytes)
    assert len(sig) == 513
    assert signature(STORY) == sig


def test_dedup_signature_ignores_case_punctuation_and_spacing():
    assert signature(STORY) == signature(STORY.upper().replace(",", " ").replace(". ", ".\n\n"))


def test_dedup_signature_rejects_text_without_words():
    with pytest.raises(InputError, match="no words"):
        signature(" ... !!! ")


def test_dedup_finds_syndicated_copy_with_other_furniture_and_byline():
    copy = clean(
        RawDoc(
            source="syndicated.html",
            text=f"By Staff Reporter\nShare this article\n{STORY}\nAdvertisement\nFollow us on Twitter\n"
            "© 2025 Example Wire. All rights reserved.",
            format="html",
        ),
        names=(),
    )
    index = NearDuplicateIndex()
    index.add("original", signature(STORY))
    index.add("other", signature(OTHER))
    assert index.query(signature(copy.text)) == ["original"]
    [(found, similarity)] = index.query_scored(signature(copy.text))
    assert found == "original"
    assert 0.8 <= similarity <= 1.0


def test_dedup_does_not_match_a_different_article_on_the_same_story():
    index = NearDuplicateIndex()
    index.add("original", signature(STORY))
    assert index.query(signature(OTHER)) == []


def test_dedup_ranks_closest_first():
    edited = STORY.replace("four drivers", "five drivers")
    index = NearDuplicateIndex(threshold=0.5)
    index.add("edited", signature(edited))
    index.add("exact", signature(STORY))
    index.add("trimmed", signature(STORY.rsplit(". ", 2)[0]))
    assert index.query(signature(STORY))[0] == "exact"
    scores = [s for _, s in index.query_scored(signature(STORY))]
    assert scores == sorted(scores, reverse=True)


def test_dedup_index_reloads_from_stored_signatures():
    stored = [("original", signature(STORY)), ("other", signature(OTHER))]
    index = NearDuplicateIndex.from_signatures(stored, threshold=0.8)
    assert len(index) == 2
    assert "original" in index
    assert index.query(signature(STORY)) == ["original"]


def test_dedup_adding_an_id_again_replaces_it():
    index = NearDuplicateIndex()
    index.add("a", signature(STORY))
    index.add("a", signature(OTHER))
    assert len(index) == 1
    assert index.query(signature(STORY)) == []
    assert index.query(signature(OTHER)) == ["a"]


def test_dedup_rejects_a_corrupt_signature_naming_the_article():
    index = NearDuplicateIndex()
    with pytest.raises(InputError, match="broken: not a khabar signature"):
        index.add("broken", b"\x01" + b"\x00" * 10)


def test_dedup_rejects_bad_threshold():
    with pytest.raises(ValueError, match="threshold"):
        NearDuplicateIndex(threshold=0)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["aid", "convoy", "Goma", "attack", "army", "road", "camp"]), min_size=1))
def test_dedup_text_is_its_own_near_duplicate(words):
    text = " ".join(words)
    index = NearDuplicateIndex()
    index.add("self", signature(text))
    assert index.query_scored(signature(text)) == [("self", 1.0)]
