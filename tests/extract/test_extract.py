"""extract: an article and its parse -> mentions with actors, places, dates, tolls and quotes."""

from __future__ import annotations

from datetime import date

import pytest

from khabar.errors import InputError
from khabar.models import Article, Extraction, Mention

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def knowledge():
    from khabar.knowledge import load_knowledge
    from khabar.knowledge.gazetteer import load_gazetteer

    return load_knowledge(), load_gazetteer()


@pytest.fixture(scope="module")
def run(nlp, knowledge):
    from khabar.extract import extract

    kb, gazetteer = knowledge

    def run(
        text: str, *, published: date | None = date(2025, 10, 20), year_hint: int | None = None
    ) -> Extraction:
        article = Article(id="a1", source="a1.txt", text=text, published=published)
        return extract(article, nlp(text), kb=kb, gazetteer=gazetteer, year_hint=year_hint)

    return run


def texts(refs) -> list[str]:
    return [r.text for r in refs]


def only(extraction: Extraction, type_: str) -> Mention:
    (mention,) = [m for m in extraction.mentions if m.type == type_]
    return mention


def test_extract_ids_are_stable_and_in_text_order(run):
    found = run("Rebels attacked a convoy near Goma. The army shelled rebel positions in Rutshuru.")
    assert [m.id for m in found.mentions] == ["a1-m001", "a1-m002"]
    assert found.mentions[0].span < found.mentions[1].span
    assert found.mentions[0].sentence == "Rebels attacked a convoy near Goma."


def test_extract_agent_recipient_and_place_never_swapped(run):
    mention = only(
        run("Pakistan launched airstrikes in Afghanistan on Monday, targeting TTP hideouts."), "ASSAULT"
    )
    assert texts(mention.actors) == ["Pakistan"]
    assert texts(mention.recipients) == ["TTP"]
    assert mention.location.text == "Afghanistan"
    assert (mention.mode, mention.acled.event_type) == ("aerial", "Explosions/Remote violence")


def test_extract_passive_agent_and_subject_country_is_no_place(run):
    mention = only(run("The convoy was attacked by Boko Haram fighters in Maiduguri."), "ASSAULT")
    assert any("Boko Haram" in t for t in texts(mention.actors))
    assert mention.location.text == "Maiduguri"
    mention = only(run("Ethiopia launched drone strikes in Tigray."), "ASSAULT")
    assert mention.location.text == "Tigray"
    assert mention.mode == "drone"


def test_extract_pronoun_subject_takes_the_previous_subject(run):
    found = run("The Sudanese army rejected the truce. It also accused the RSF of looting Omdurman.")
    accuse = only(found, "ACCUSE")
    assert any("army" in t for t in texts(accuse.actors))
    assert any("RSF" in t for t in texts(accuse.recipients))


def test_extract_quote_with_he_stated_speaks_for_the_last_person(run):
    text = (
        "Army spokesman Brigadier General Nabil Abdallah briefed reporters on Sunday. "
        "He stated, “Our forces have pushed the militia out of the city centre.”"
    )
    statement = only(run(text), "STATEMENT")
    assert texts(statement.actors) == ["Nabil Abdallah"] or "Nabil Abdallah" in texts(statement.actors)[0]
    assert statement.quote.startswith("Our forces have pushed")


def test_extract_quote_said_after_is_a_statement_of_its_own(run):
    text = "“The ceasefire has collapsed in all but name,” said Alex de Waal, a Sudan researcher."
    statement = only(run(text), "STATEMENT")
    assert texts(statement.actors) == ["Alex de Waal"]
    assert statement.quote == "The ceasefire has collapsed in all but name"


def test_extract_quote_joins_the_statement_it_belongs_to(run):
    mention = only(run("The African Union urged “restraint and dialogue.”"), "REQUEST")
    assert mention.quote == "restraint and dialogue"


def test_extract_scare_quote_is_no_statement(run):
    found = run('The spokesman "noted" the reports.')
    assert all(m.type != "STATEMENT" or m.quote != "noted" for m in found.mentions)


def test_extract_tolls_of_the_sentence_and_its_continuation(run):
    found = run(
        "Militants attacked a police station in Dera Ismail Khan on 11 October, "
        "which led to the death of 6 policemen, leaving 13 injured."
    )
    mention = only(found, "ASSAULT")
    assert (mention.killed.low, mention.killed.high) == (6, 6)
    assert (mention.injured.low, mention.injured.high) == (13, 13)
    assert (mention.date.start, mention.date.precision) == (date(2025, 10, 11), "day")
    found = run("Russian missiles struck Kharkiv on Tuesday. Officials reported at least 9 deaths.")
    mention = only(found, "ASSAULT")
    assert (mention.killed.low, mention.killed.high) == (9, None)


def test_extract_statement_about_an_earlier_event(run):
    found = run("Drones struck an oil depot in Novorossiysk on Sunday. Moscow condemned the strikes.")
    strike, accuse = found.mentions
    assert (strike.type, accuse.type) == ("ASSAULT", "ACCUSE")
    assert accuse.about_mention == strike.id


def test_extract_repeat_takes_date_and_place_from_the_first_report(run):
    found = run(
        "Israel conducted airstrikes in Beirut on 9 October. It is widely believed that these strikes "
        "targeted Hezbollah commanders."
    )
    _, repeat = [m for m in found.mentions if m.type == "ASSAULT"]
    assert repeat.date.start == date(2025, 10, 9)
    assert repeat.location.text == "Beirut"
    assert repeat.modality == "alleged"


def test_extract_historical_and_attributed(run):
    found = run("In 2014, Russian forces seized Crimea.")
    assert found.mentions[0].modality == "historical"
    mention = only(run("According to Reuters, gunmen killed five villagers in Zamfara."), "ASSAULT")
    assert mention.reporter.text == "Reuters"
    assert mention.modality == "attributed"
    assert mention.acled.event_type == "Violence against civilians"


def test_extract_undated_article_relative_date_has_no_precision(run):
    mention = only(run("Clashes erupted in Khartoum on Monday.", published=None, year_hint=2025), "FIGHT")
    assert mention.date.precision == "none"
    assert mention.date.start is None


def test_extract_symmetric_parties(run):
    mention = only(run("Clashes broke out between Armenian and Azerbaijani forces on 12 September."), "FIGHT")
    assert len(mention.actors) == 2
    assert mention.acled.event_type == "Battles"


def test_extract_venue_of_a_statement(run):
    mention = only(
        run("During a press conference in Kyiv, the foreign minister confirmed the raid."), "STATEMENT"
    )
    assert mention.venue == "press conference in Kyiv"
    assert texts(mention.actors) == ["foreign minister"]


def test_extract_headline_is_its_own_sentence(run):
    found = run("Clashes Erupt in Darfur\nFighting continued in El Fasher on Sunday.")
    assert [m.sentence for m in found.mentions] == [
        "Clashes Erupt in Darfur",
        "Fighting continued in El Fasher on Sunday.",
    ]


def test_extract_actors_and_places_named(run):
    found = run("Pakistan launched airstrikes in Afghanistan on Monday.")
    mention = only(found, "ASSAULT")
    assert {a.id for a in found.actors} >= {r.actor for r in mention.actors if r.actor}
    assert [p.id for p in found.places] == [mention.location.place]


def test_extract_refuses_a_parse_of_another_text(nlp, knowledge):
    from khabar.extract import extract

    kb, gazetteer = knowledge
    article = Article(id="a2", source="a2.txt", text="Rebels attacked a convoy.")
    with pytest.raises(InputError, match="a2"):
        extract(article, nlp("Something else entirely."), kb=kb, gazetteer=gazetteer)


def test_extract_dateline_is_neither_actor_nor_place(run):
    found = run(
        "KHARTOUM, Sudan (AP) — Clashes broke out between the army and the RSF in Omdurman on Monday."
    )
    mention = only(found, "FIGHT")
    assert mention.sentence.startswith("Clashes broke out")
    assert all("KHARTOUM" not in t for t in texts(mention.actors))
    assert mention.location is None or mention.location.text != "KHARTOUM"


def test_extract_by_phrase_hung_from_the_venue_still_names_the_speaker(run):
    text = "The acknowledgment was made during a recent press briefing by a senior Ethiopian official."
    mention = only(run(text), "STATEMENT")
    assert any("official" in t for t in texts(mention.actors))
    assert mention.venue == "recent press briefing"


def test_extract_warm_builds_all_the_first_article_needs(nlp, knowledge, tmp_path, monkeypatch):
    import khabar.extract as extraction
    from khabar.extract import actors, lexicon, places
    from khabar.knowledge.gazetteer import KNOWLEDGE_DIR, Gazetteer

    kb, _ = knowledge
    (tmp_path / "places.tsv").write_text("id\tname\taliases\tfeature\tcountry\tadmin1\tlat\tlon\tparent\n")
    cities = "lat,lon,name,admin1,admin2,cc\n31.50,34.46,Khan Yunis,Gaza Strip,,PS\n"
    (tmp_path / "cities.csv").write_text(cities)
    gazetteer = Gazetteer(
        supplement=tmp_path / "places.tsv",
        countries=KNOWLEDGE_DIR / "country_centroids.tsv",
        cities=tmp_path / "cities.csv",
        lexicon=KNOWLEDGE_DIR / "lexicons" / "places.yaml",
    )
    for built in (actors._tools, places._matcher, lexicon.phrase_tokenizer):
        built.cache_clear()
    monkeypatch.setattr(extraction, "_COMPILED", {})
    extraction.warm(nlp.vocab, kb=kb, gazetteer=gazetteer)

    def built_again(*args, **kwargs):
        raise AssertionError("built for the first article, not by warm")

    for module in (actors, places):
        monkeypatch.setattr(module, "PhraseMatcher", built_again)
    monkeypatch.setattr(lexicon.spacy, "blank", built_again)
    monkeypatch.setattr(extraction, "compile_lexicon", built_again)
    monkeypatch.setattr(Gazetteer, "_index_spellings", built_again)
    text = "An Israeli airstrike killed 12 people in Khan Younis on Monday, officials said."
    article = Article(id="a1", source="a1.txt", text=text, published=date(2025, 10, 20))
    found = extraction.extract(article, nlp(text), kb=kb, gazetteer=gazetteer)
    assert only(found, "ASSAULT").location.text == "Khan Younis"
