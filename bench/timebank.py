"""Benchmark: date normalisation (khabar.extract.dates) on TimeBank 1.2 + AQUAINT (TempEval-3 TBAQ).

For every gold TIMEX3 of type DATE (the creation time excluded), with the document creation time
as `published`, run `find_dates` on the whole document (in context) and on the expression alone,
turn the DateRef into a TIMEX3 value (1998-02-27, 1998-W09, 1998-02, 1998; precision none is
"none", as are PRESENT_REF / PAST_REF / FUTURE_REF in the gold) and compare it with the gold value.

Prints the share of exact matches by gold precision, and how often khabar returned precision none
or found no date at all. Gold values khabar's precisions cannot express (quarters, seasons,
decades, underspecified "XXXX-10", times of day) are counted apart as "other".

Usage: python bench/timebank.py   (reads ../shared/datasets/timebank_tbaq; nothing is copied)
"""

from __future__ import annotations

import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from khabar.annotate import build_nlp
from khabar.extract.dates import find_dates
from khabar.models import DateRef

DATASET = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "timebank_tbaq"
REFS = {"PRESENT_REF", "PAST_REF", "FUTURE_REF"}
PRECISIONS = ("day", "week", "month", "year", "none", "other")


@dataclass
class Timex:
    text: str
    start: int
    end: int
    value: str


@dataclass
class Document:
    name: str
    text: str
    published: date
    timexes: list[Timex]


def read_document(path: Path) -> Document:
    """One .tml file: its TEXT as plain text, the DCT, and its DATE TIMEX3s with char offsets."""
    root = ET.parse(path).getroot()
    dct = root.find("DCT/TIMEX3")
    if dct is None:
        raise ValueError(f"{path.name}: no DCT")
    published = date.fromisoformat(dct.get("value", "")[:10])
    parts: list[str] = []
    timexes: list[Timex] = []

    def walk(node: ET.Element) -> None:
        start = sum(map(len, parts))
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        if node.tag == "TIMEX3" and node.get("type") == "DATE":
            end = sum(map(len, parts))
            timexes.append(Timex("".join(parts)[start:end], start, end, node.get("value", "")))

    text_node = root.find("TEXT")
    if text_node is None:
        raise ValueError(f"{path.name}: no TEXT")
    walk(text_node)
    return Document(path.name, "".join(parts), published, timexes)


def gold_precision(value: str) -> str:
    if value in REFS:
        return "none"
    for precision, pattern in (
        ("day", r"\d{4}-\d\d-\d\d"),
        ("week", r"\d{4}-W\d\d"),
        ("month", r"\d{4}-\d\d"),
        ("year", r"\d{4}"),
    ):
        if re.fullmatch(pattern, value):
            return precision
    return "other"


def timex_value(ref: DateRef | None) -> str:
    """A DateRef as a TIMEX3 value; "none" for precision none and for no date at all."""
    if ref is None or ref.start is None or ref.precision == "none":
        return "none"
    if ref.precision == "day":
        return ref.start.isoformat()
    if ref.precision == "week":
        year, week, _ = ref.start.isocalendar()
        return f"{year}-W{week:02d}"
    if ref.precision == "month":
        return ref.start.isoformat()[:7]
    return str(ref.start.year)


def best_overlap(refs: list[DateRef], start: int, end: int) -> DateRef | None:
    """The DateRef overlapping [start, end) the most."""
    scored = [(min(end, r.span[1]) - max(start, r.span[0]), r) for r in refs if r.span]
    scored = [(overlap, r) for overlap, r in scored if overlap > 0]
    return max(scored, key=lambda s: s[0])[1] if scored else None


def main() -> int:
    files = sorted(DATASET.glob("TBAQ-cleaned/*/*.tml"))
    if not files:
        print(f"no .tml files under {DATASET}", file=sys.stderr)
        return 1
    began = time.perf_counter()
    nlp = build_nlp()
    documents = [read_document(p) for p in files]
    totals: Counter[str] = Counter()
    results = {mode: Counter() for mode in ("context", "alone")}
    answers = {mode: Counter() for mode in ("context", "alone")}
    for document, doc in zip(documents, nlp.pipe(d.text for d in documents), strict=True):
        refs = find_dates(doc, published=document.published)
        alone = nlp.pipe(t.text for t in document.timexes)
        for timex, expression in zip(document.timexes, alone, strict=True):
            gold = "none" if timex.value in REFS else timex.value
            kind = gold_precision(timex.value)
            totals[kind] += 1
            found = {
                "context": best_overlap(refs, timex.start, timex.end),
                "alone": next(iter(find_dates(expression, published=document.published)), None),
            }
            for mode, ref in found.items():
                results[mode][kind] += timex_value(ref) == gold
                answers[mode]["no date found" if ref is None else f"precision {ref.precision}"] += 1
    report(totals, results, answers, len(documents), time.perf_counter() - began)
    return 0


def report(totals: Counter, results: dict, answers: dict, documents: int, seconds: float) -> None:
    total = sum(totals.values())
    print(f"TimeBank+AQUAINT: {documents} documents, {total} gold DATE expressions, {seconds:.0f} s")
    print(f"{'gold precision':<16}{'n':>6}{'in context':>14}{'alone':>10}")
    for kind in PRECISIONS:
        n = totals[kind]
        cells = [f"{results[mode][kind] / n:>9.1%}" if n else f"{'-':>9}" for mode in ("context", "alone")]
        print(f"{kind:<16}{n:>6}{cells[0]:>14}{cells[1]:>10}")
    exact = {mode: sum(results[mode].values()) / total for mode in results}
    print(f"{'all':<16}{total:>6}{exact['context']:>14.1%}{exact['alone']:>10.1%}")
    representable = total - totals["other"]
    print(
        f"{'all but other':<16}{representable:>6}"
        f"{(sum(results['context'].values()) - results['context']['other']) / representable:>14.1%}"
        f"{(sum(results['alone'].values()) - results['alone']['other']) / representable:>10.1%}"
    )
    for mode in ("context", "alone"):
        print(
            f"khabar's answers ({mode}): " + ", ".join(f"{k} {v}" for k, v in sorted(answers[mode].items()))
        )


if __name__ == "__main__":
    sys.exit(main())
