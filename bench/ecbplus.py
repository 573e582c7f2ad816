"""Benchmark: cross-document event coreference on ECB+ with khabar's merge machinery.

Data: ../shared/datasets/ecbplus (ECB+ 1.0, Cybulska & Vossen 2014; see its SOURCE.md). Standard
test topics 36-45, gold event mentions (ACTION_* and NEG_* markables in the validated sentences of
ECBplus_coreference_sentences.csv): this scores clustering alone. Gold clusters: the CROSS_DOC_COREF
instance of a mention, else its INTRA_DOC_COREF chain, else a singleton.

Each gold mention becomes a khabar Mention: its "type" is the lemma of its head word (spaCy; ECB+
has no PLOVER types, so the lemma stands in for one); its date, place and participants are what the
sentence cheaply gives: explicit dates in spaCy DATE entities, the GPE/LOC/FAC entity nearest the
trigger (resolved with khabar's gazetteer when it loads), and named entities in the trigger's subject
(actors) and object (recipients) subtrees, identified by name. Mentions are then clustered within
each topic by `khabar.resolve.merge` (components, then constrained agglomerative clustering), with no
parameter fitted on this data. The same-lemma baseline puts every mention of a topic with the same
head lemma in one cluster. Scores: MUC, B-cubed, CEAF-e and their mean, CoNLL F1 (implemented here,
checked on the toy example of Pradhan et al. 2014 before running).

Run: python bench/ecbplus.py  (from the repository root; prints figures, writes nothing)
"""

from __future__ import annotations

import csv
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import yaml

from khabar.annotate import build_nlp
from khabar.models import Actor, ActorRef, Article, DateRef, Mention, PlaceRef, Role
from khabar.resolve.context import build_context, norm
from khabar.resolve.merge import cluster, components

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "ecbplus"
TEST_TOPICS = range(36, 46)
ACTOR_LABELS = {"PERSON", "ORG", "NORP"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
SUBJECT_DEPS = {"nsubj", "agent", "csubj"}
OBJECT_DEPS = {"dobj", "nsubjpass", "pobj", "attr"}
MONTHS = {m.lower(): i for i, m in enumerate(date(2000, k, 1).strftime("%B") for k in range(1, 13))}
Clusters = list[set[str]]


# ---- metrics -------------------------------------------------------------------------------------


def _partitions(cluster_: set[str], other: dict[str, int]) -> int:
    """How many pieces the other clustering cuts a cluster into (unclustered mentions: one each)."""
    return len({other.get(m, -1 - i) for i, m in enumerate(sorted(cluster_))})


def _index(clusters: Clusters) -> dict[str, int]:
    return {m: i for i, c in enumerate(clusters) for m in c}


def muc(key: Clusters, response: Clusters) -> tuple[float, float]:
    """MUC recall and precision (Vilain et al. 1995): links kept."""
    k_index, r_index = _index(key), _index(response)
    r_num = sum(len(k) - _partitions(k, r_index) for k in key)
    r_den = sum(len(k) - 1 for k in key)
    p_num = sum(len(r) - _partitions(r, k_index) for r in response)
    p_den = sum(len(r) - 1 for r in response)
    return (r_num / r_den if r_den else 0.0), (p_num / p_den if p_den else 0.0)


def b_cubed(key: Clusters, response: Clusters) -> tuple[float, float]:
    """B-cubed recall and precision (Bagga & Baldwin 1998): per-mention overlap."""
    k_of = {m: c for c in key for m in c}
    r_of = {m: c for c in response for m in c}
    recall = sum(len(k_of[m] & r_of.get(m, set())) / len(k_of[m]) for m in k_of) / len(k_of)
    precision = sum(len(r_of[m] & k_of.get(m, set())) / len(r_of[m]) for m in r_of) / len(r_of)
    return recall, precision


def ceaf_e(key: Clusters, response: Clusters) -> tuple[float, float]:
    """Entity-based CEAF (Luo 2005, phi-4): the best one-to-one alignment of clusters."""
    phi = _phi(key, response)
    total = sum(phi[i][j] for i, j in best_alignment(phi))
    return total / len(key), total / len(response)


def best_alignment(weights: list[list[float]]) -> list[tuple[int, int]]:
    """Rows matched to columns maximising total weight (Hungarian algorithm, O(n^3)). Only rows and
    columns with some positive weight take part, which keeps singleton-heavy matrices small."""
    rows = [i for i, row in enumerate(weights) if any(row)]
    cols = [j for j in range(len(weights[0]) if weights else 0) if any(weights[i][j] for i in rows)]
    n = max(len(rows), len(cols))
    if n == 0:
        return []
    cost = [
        [-(weights[rows[i]][cols[j]] if i < len(rows) and j < len(cols) else 0.0) for j in range(n)]
        for i in range(n)
    ]
    u, v, p, way = [0.0] * (n + 1), [0.0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [float("inf")] * (n + 1), [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], float("inf"), 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    pairs = [(p[j] - 1, j - 1) for j in range(1, n + 1) if p[j]]
    return [(rows[i], cols[j]) for i, j in pairs if i < len(rows) and j < len(cols)]


def f1(recall: float, precision: float) -> float:
    return 2 * recall * precision / (recall + precision) if recall + precision else 0.0


def scores(keys: Sequence[Clusters], responses: Sequence[Clusters]) -> dict[str, tuple[float, float, float]]:
    """MUC, B3 and CEAF-e over several topics (clusters never cross topics), and CoNLL F1."""
    key = [c for topic in keys for c in topic]
    response = [c for topic in responses for c in topic]
    out = {"MUC": muc(key, response), "B3": b_cubed(key, response)}
    aligned = sum(
        sum(2 * len(k[i] & r[j]) / (len(k[i]) + len(r[j])) for i, j in best_alignment(_phi(k, r)))
        for k, r in zip(keys, responses, strict=True)
    )
    out["CEAF-e"] = (aligned / len(key), aligned / len(response))
    table = {name: (r, p, f1(r, p)) for name, (r, p) in out.items()}
    conll = sum(v[2] for v in table.values()) / 3
    table["CoNLL"] = (conll, conll, conll)
    return table


def _phi(key: Clusters, response: Clusters) -> list[list[float]]:
    return [[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key]


def check_metrics() -> None:
    """The worked example of Pradhan et al. (2014), "Scoring coreference partitions"."""
    key = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
    response = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]
    expected = {"MUC": (0.4, 0.4), "B3": (5 / 12, 0.5), "CEAF-e": (0.65, 1.3 / 3)}
    got = {"MUC": muc(key, response), "B3": b_cubed(key, response), "CEAF-e": ceaf_e(key, response)}
    for name, (r, p) in expected.items():
        if abs(got[name][0] - r) > 1e-9 or abs(got[name][1] - p) > 1e-9:
            sys.exit(f"metric self-check failed for {name}: {got[name]} != {(r, p)}")


# ---- reading ECB+ --------------------------------------------------------------------------------


@dataclass
class GoldMention:
    doc: str
    m_id: str
    sentence: int
    tokens: list[int]
    label: str


@dataclass
class Document:
    name: str
    topic: int
    sentences: dict[int, list[tuple[int, str]]]
    mentions: list[GoldMention]


def selected_sentences() -> set[tuple[str, int]]:
    with (DATA / "ECBplus_coreference_sentences.csv").open(encoding="utf-8") as f:
        return {(f"{row['Topic']}_{row['File']}", int(row["Sentence Number"])) for row in csv.DictReader(f)}


def read_document(path: Path, selected: set[tuple[str, int]]) -> Document:
    root = ET.parse(path).getroot()
    name = path.stem
    token_sentence, sentences = {}, defaultdict(list)
    for token in root.iter("token"):
        t_id, s = int(token.get("t_id")), int(token.get("sentence"))
        token_sentence[t_id] = s
        sentences[s].append((t_id, token.text or ""))
    labels = {}
    for relation in root.find("Relations") or []:
        for source in relation.findall("source"):
            if relation.tag == "CROSS_DOC_COREF":
                labels[source.get("m_id")] = relation.get("note")
            elif relation.tag == "INTRA_DOC_COREF":
                labels.setdefault(source.get("m_id"), f"INTRA:{name}:{relation.get('r_id')}")
    mentions = []
    for markable in root.find("Markables") or []:
        anchors = [int(a.get("t_id")) for a in markable.findall("token_anchor")]
        if not anchors or not markable.tag.startswith(("ACTION", "NEG")):
            continue
        sentence = token_sentence[anchors[0]]
        if (name, sentence) not in selected:
            continue
        m_id = markable.get("m_id")
        mentions.append(GoldMention(name, m_id, sentence, anchors, labels.get(m_id, f"SINGLE:{name}:{m_id}")))
    return Document(name, int(name.split("_")[0]), dict(sentences), mentions)


# ---- gold mentions -> khabar mentions ------------------------------------------------------------


class NoKnowledge:
    """No actors or roles; the shipped resolve lexicon."""

    def actor(self, actor_id: str) -> Actor | None:
        return None

    def roles_on(self, actor_id: str, on: date) -> list[Role]:
        return []

    def lexicon(self, name: str) -> dict:
        path = resources.files("khabar").joinpath("knowledge", "lexicons", f"{name}.yaml")
        return yaml.safe_load(path.read_text("utf-8"))


def load_places():
    """khabar's gazetteer, or None when it cannot be built (places then compare by name)."""
    try:
        from khabar.knowledge.gazetteer import load_gazetteer

        return load_gazetteer()
    except Exception as exc:  # the bench still runs, and says so
        print(f"(gazetteer unavailable, places compared by name: {exc})")
        return None


def explicit_date(text: str) -> DateRef | None:
    """A date entity with a year: "March 5, 2009", "September 2008", "2008"."""
    words = re.findall(r"[A-Za-z]+|\d+", text)
    years = [int(w) for w in words if w.isdigit() and 1900 <= int(w) <= 2030]
    if not years:
        return None
    months = [MONTHS[w.lower()] + 1 for w in words if w.lower() in MONTHS]
    days = [int(w) for w in words if w.isdigit() and 1 <= int(w) <= 31]
    year = years[0]
    if months and days:
        d = date(year, months[0], days[0])
        return DateRef(text=text, start=d, end=d, precision="day", basis="explicit")
    if months:
        start = date(year, months[0], 1)
        end = date(year + months[0] // 12, months[0] % 12 + 1, 1).toordinal() - 1
        return DateRef(text=text, start=start, end=date.fromordinal(end), precision="month", basis="explicit")
    return DateRef(
        text=text, start=date(year, 1, 1), end=date(year, 12, 31), precision="year", basis="explicit"
    )


def link_names(names: set[str]) -> dict[str, str]:
    """Cheap entity linking within a topic: a name joins a longer one whose words include its own
    ("Jeffs", "Warren Jeffs") or whose acronym it is ("AMD"); the longest names come first."""

    def words(name: str) -> tuple[str, ...]:
        return tuple(w for w in norm(name).split() if w not in ("inc", "corp", "co", "ltd"))

    canonical: list[str] = []
    ids: dict[str, str] = {}
    for name in sorted(names, key=lambda n: (-len(words(n)), n)):
        mine = words(name)
        if not mine:
            continue
        target = next(
            (
                c
                for c in canonical
                if set(mine) <= set(words(c)) or "".join(mine) == "".join(w[0] for w in words(c))
            ),
            None,
        )
        if target is None:
            canonical.append(name)
        ids[name] = ids[target] if target else "ent:" + " ".join(mine)
    return ids


@dataclass
class Parsed:
    doc: Document
    starts: dict[int, int]
    texts: dict[int, str]
    offsets: dict[int, tuple[int, int]]
    sents: dict[int, object]
    countries: list[str]


def parse(doc: Document, nlp, gazetteer) -> Parsed:
    """The document's text (tokens joined by spaces, sentences by newlines), its parsed mention
    sentences, and the countries its place names resolve to."""
    texts, starts, offsets, base = {}, {}, {}, 0
    for s in sorted(doc.sentences):
        pieces, position = [], 0
        for t_id, word in doc.sentences[s]:
            offsets[t_id] = (base + position, base + position + len(word))
            pieces.append(word)
            position += len(word) + 1
        texts[s], starts[s] = " ".join(pieces), base
        base += position + 1
    wanted = sorted({m.sentence for m in doc.mentions})
    sents = dict(zip(wanted, nlp.pipe(texts[s] for s in wanted), strict=True))
    countries: list[str] = []
    for sdoc in sents.values():
        for ent in sdoc.ents:
            place = gazetteer.lookup(ent.text) if gazetteer is not None and ent.label_ == "GPE" else None
            if place is not None and place.feature == "country" and place.country not in countries:
                countries.append(place.country)
    return Parsed(doc, starts, texts, offsets, sents, countries)


def build_mentions(parsed: Parsed, names: dict[str, str], gazetteer) -> list[Mention]:
    """The document's gold mentions as khabar mentions, with what their sentences give."""
    out = []
    for gold in parsed.doc.mentions:
        start, text, sdoc = (
            parsed.starts[gold.sentence],
            parsed.texts[gold.sentence],
            parsed.sents[gold.sentence],
        )
        first, last = parsed.offsets[gold.tokens[0]][0] - start, parsed.offsets[gold.tokens[-1]][1] - start
        span = sdoc.char_span(first, last, alignment_mode="expand")
        head = span.root if span is not None and len(span) else sdoc[0]
        actors, recipients = _participants(head, sdoc, names)
        out.append(
            Mention(
                id=f"{gold.doc}:{gold.m_id}",
                article=gold.doc,
                span=(start + first, start + last),
                sentence=text,
                sentence_span=(start, start + len(text)),
                type=head.lemma_.lower(),
                trigger=text[first:last],
                actors=actors,
                recipients=recipients,
                date=next(
                    (d for d in (explicit_date(e.text) for e in sdoc.ents if e.label_ == "DATE") if d),
                    DateRef.unknown(),
                ),
                location=_place(head, sdoc, parsed.countries, gazetteer),
            )
        )
    return out


def _participants(head, sdoc, names: dict[str, str]) -> tuple[list[ActorRef], list[ActorRef]]:
    """Named entities in the trigger's subject subtree (actors) and object subtree (recipients)."""
    sides: dict[str, list[ActorRef]] = {"actors": [], "recipients": []}
    for child in head.children:
        side = "actors" if child.dep_ in SUBJECT_DEPS else "recipients" if child.dep_ in OBJECT_DEPS else None
        if child.dep_ == "prep" and child.lower_ == "by":
            side, child = "actors", next((c for c in child.children if c.dep_ == "pobj"), child)
        for ent in sdoc.ents if side else ():
            inside = child.left_edge.i <= ent.start and ent.end <= child.right_edge.i + 1
            if inside and ent.label_ in ACTOR_LABELS and ent.text in names:
                sides[side].append(ActorRef(text=ent.text, actor=names[ent.text]))
    return sides["actors"], sides["recipients"]


def _place(head, sdoc, countries: list[str], gazetteer) -> PlaceRef | None:
    """The place entity nearest the trigger, resolved within the document's countries."""
    places = [e for e in sdoc.ents if e.label_ in PLACE_LABELS]
    if not places:
        return None
    nearest = min(places, key=lambda e: abs(e.start - head.i))
    found = None
    if gazetteer is not None:
        candidates = gazetteer.candidates(nearest.text, countries=countries)
        found = next((p for p in candidates if not countries or p.country in countries), None)
    return PlaceRef(text=nearest.text, place=found.id if found else None)


# ---- running -------------------------------------------------------------------------------------


def khabar_clusters(mentions: list[Mention], articles: list[Article], gazetteer) -> Clusters:
    ctx = build_context(mentions, articles=articles, kb=NoKnowledge(), gazetteer=gazetteer)
    return [{m.id for m in c} for group in components(mentions, ctx=ctx) for c in cluster(group, ctx=ctx)]


def lemma_clusters(mentions: list[Mention]) -> Clusters:
    groups: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        groups[m.type].add(m.id)
    return list(groups.values())


def main() -> None:
    check_metrics()
    if not DATA.exists():
        sys.exit(f"ECB+ not found at {DATA}")
    nlp, gazetteer, selected = build_nlp(), load_places(), selected_sentences()
    by_topic: dict[int, list[Mention]] = defaultdict(list)
    gold_label: dict[str, str] = {}
    docs: dict[int, list[Article]] = defaultdict(list)
    for topic in TEST_TOPICS:
        parsed = [
            parse(read_document(p, selected), nlp, gazetteer)
            for p in sorted((DATA / "ECB+" / str(topic)).glob("*.xml"))
        ]
        names = link_names(
            {
                e.text
                for p in parsed
                for sdoc in p.sents.values()
                for e in sdoc.ents
                if e.label_ in ACTOR_LABELS
            }
        )
        for p in parsed:
            docs[topic].append(Article(id=p.doc.name, source=f"{p.doc.name}.xml", text=""))
            by_topic[topic] += build_mentions(p, names, gazetteer)
            gold_label |= {f"{m.doc}:{m.m_id}": m.label for m in p.doc.mentions}
    total = sum(len(v) for v in by_topic.values())
    print(f"ECB+ test topics 36-45: {total} gold event mentions")
    print(f"{'setting / system':40} {'MUC R/P/F1':>17} {'B3 R/P/F1':>17} {'CEAF-e R/P/F1':>17} {'CoNLL':>6}")
    # "topic": all of a topic's documents together (both of its seminal events, ecb and ecbplus);
    # "subtopic": documents grouped by seminal event first, as document clustering does in most
    # published systems (Barhom et al. 2019), where the same-lemma baseline scores in the mid-70s.
    for setting, split in (("topic", lambda m: ""), ("subtopic", lambda m: m.article.endswith("plus"))):
        groups = [
            [m for m in by_topic[t] if split(m) == part]
            for t in TEST_TOPICS
            for part in {split(m) for m in by_topic[t]}
        ]
        keys = [_gold(g, gold_label) for g in groups]
        systems: dict[str, Callable[[list[Mention]], Clusters]] = {
            "same-lemma baseline": lemma_clusters,
            "khabar merge": lambda g: khabar_clusters(
                g, [a for t in TEST_TOPICS for a in docs[t]], gazetteer
            ),
        }
        for name, run in systems.items():
            table = scores(keys, [run(g) for g in groups])
            cells = [" ".join(f"{100 * x:4.1f}" for x in table[m]) for m in ("MUC", "B3", "CEAF-e")]
            label = f"{setting}: {name}"
            print(f"{label:40} {cells[0]:>17} {cells[1]:>17} {cells[2]:>17} {100 * table['CoNLL'][2]:6.1f}")


def _gold(mentions: list[Mention], labels: dict[str, str]) -> Clusters:
    groups: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        groups[labels[m.id]].add(m.id)
    return list(groups.values())


if __name__ == "__main__":
    main()
