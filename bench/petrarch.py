"""Benchmark: event typing (khabar.extract) on the PETRARCH-2 CAMEO validation sentences.

Each record is one sentence with gold CAMEO codes (or "no event"). khabar extracts the sentence as
a one-sentence article (published on the record's date) and its mention types are compared with
the gold codes' root classes mapped to PLOVER (CAMEO_TO_PLOVER below; root 19 "fight" also takes
ASSAULT, because khabar codes air and artillery strikes as ASSAULT with a mode, as PLOVER does).
Roots with no PLOVER counterpart (09 investigate) are left out.

Prints, for the real news sentences (the `news` kind, records flagged SUSPECT left out) and for
all records: how many sentences carry a comparable gold code; coverage (khabar found at least one
event); type agreement (a predicted type matches a gold one) over those sentences and over the
covered ones; and, for sentences the gold says hold no event, the share where khabar found none.

Usage: python bench/petrarch.py   (reads ../shared/datasets/petrarch_cameo; nothing is copied)
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from khabar.annotate import build_nlp
from khabar.extract import extract
from khabar.knowledge import load_knowledge
from khabar.knowledge.gazetteer import load_gazetteer
from khabar.models import Article

DATASET = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "petrarch_cameo"
RECORDS = DATASET / "PETR2_GSR_validation.compact.jsonl"

#: CAMEO root class -> the PLOVER types (plus FIGHT and STATEMENT) that code the same kind of act.
CAMEO_TO_PLOVER: dict[str, frozenset[str]] = {
    "01": frozenset({"STATEMENT"}),
    "02": frozenset({"REQUEST"}),
    "03": frozenset({"COOPERATE", "AGREE", "CONSULT", "SUPPORT", "AID"}),
    "04": frozenset({"CONSULT"}),
    "05": frozenset({"COOPERATE", "AGREE", "SUPPORT"}),
    "06": frozenset({"COOPERATE"}),
    "07": frozenset({"AID"}),
    "08": frozenset({"CONCEDE", "RETREAT"}),
    "10": frozenset({"REQUEST"}),
    "11": frozenset({"ACCUSE"}),
    "12": frozenset({"REJECT"}),
    "13": frozenset({"THREATEN"}),
    "14": frozenset({"PROTEST"}),
    "15": frozenset({"MOBILIZE"}),
    "16": frozenset({"SANCTION"}),
    "17": frozenset({"COERCE"}),
    "18": frozenset({"ASSAULT"}),
    "19": frozenset({"FIGHT", "ASSAULT"}),
    "20": frozenset({"ASSAULT"}),
}


@dataclass
class Tally:
    """Counts for one subset of the records."""

    coded: int = 0
    covered: int = 0
    agreed: int = 0
    empty: int = 0
    empty_kept: int = 0
    confusions: dict[str, int] = field(default_factory=dict)

    def add(self, gold: frozenset[str] | None, predicted: list[str], *, noevents: bool) -> None:
        if noevents:
            self.empty += 1
            self.empty_kept += not predicted
            return
        if not gold:
            return
        self.coded += 1
        self.covered += bool(predicted)
        hit = bool(gold & set(predicted))
        self.agreed += hit
        if predicted and not hit:
            key = f"{'/'.join(sorted(gold))} <- {predicted[0]}"
            self.confusions[key] = self.confusions.get(key, 0) + 1


def gold_types(record: dict) -> frozenset[str]:
    return frozenset(t for e in record["events"] for t in CAMEO_TO_PLOVER.get(e["eventcode"][:2], ()))


def main() -> None:
    if not RECORDS.exists():
        sys.exit(f"dataset not found: {RECORDS}")
    records = [json.loads(line) for line in RECORDS.read_text().splitlines() if line.strip()]
    nlp, kb, gazetteer = build_nlp(), load_knowledge(), load_gazetteer()
    news, every = Tally(), Tally()
    started = time.perf_counter()
    for record in records:
        published = date(int(record["date"][:4]), int(record["date"][4:6]), int(record["date"][6:8]))
        article = Article(id=record["id"], source=record["id"], text=record["text"], published=published)
        found = extract(article, nlp(article.text), kb=kb, gazetteer=gazetteer)
        predicted = [m.type for m in found.mentions]
        gold = gold_types(record)
        every.add(gold, predicted, noevents=record["noevents"])
        if record["kind"] == "news" and not str(record.get("note", "")).startswith("SUSPECT"):
            news.add(gold, predicted, noevents=record["noevents"])
    elapsed = time.perf_counter() - started
    print(f"PETRARCH-2 validation: {len(records)} records, {elapsed:.1f}s")
    for name, tally in (("news (no SUSPECT)", news), ("all records", every)):
        print(f"\n{name}")
        print(f"  sentences with a comparable gold code  {tally.coded}")
        print(f"  coverage (an event found)              {tally.covered / max(1, tally.coded):.3f}")
        print(f"  type agreement (of coded sentences)    {tally.agreed / max(1, tally.coded):.3f}")
        print(f"  type agreement (of covered sentences)  {tally.agreed / max(1, tally.covered):.3f}")
        print(f"  no-event sentences left empty          {tally.empty_kept}/{tally.empty}")
        for key, n in sorted(tally.confusions.items(), key=lambda kv: -kv[1])[:8]:
            print(f"    {n:3d}  gold {key}")


if __name__ == "__main__":
    main()
