"""Benchmark: does khabar's formulaic-prose score tell machine-written news from human news?

Data: ../shared/datasets/l2r_news/news_labeled.jsonl (L2R NewsArticle domain: 200 human BBC stories
and 784 LLM rewrites of them; see its SOURCE.md). Each text goes through `clean`, then
`assess.formulaic`; the score is compared with the label by AUROC (the chance that a random machine
text scores above a random human one). The signal has no fitted parameters (its cues and scales are
set by hand in knowledge/lexicons/credibility.yaml), so there is no train/test split: the AUROC is
computed over all texts, overall, per generator and per part of the score.

Run: python bench/l2r_news.py  (from the repository root; prints figures, writes nothing)
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from khabar.assess import formulaic
from khabar.clean import clean
from khabar.models import RawDoc

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "l2r_news" / "news_labeled.jsonl"


def auroc(scores: list[float], labels: list[int]) -> float:
    """Mann-Whitney AUROC with ties counted half."""
    ranked = sorted(zip(scores, labels, strict=True))
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mean_rank = (i + j + 1) / 2
        rank_sum += mean_rank * sum(label for _, label in ranked[i:j])
        i = j
    positives = sum(labels)
    negatives = len(labels) - positives
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def main() -> int:
    if not DATA.exists():
        print(f"data not found: {DATA}", file=sys.stderr)
        return 1
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    scored = []
    for row in rows:
        article = clean(RawDoc(source=row["id"], text=row["text"], format="txt"), names=())
        scored.append((row, formulaic(article.text)))
    labels = [row["label"] for row, _ in scored]
    print(f"texts: {len(rows)} ({labels.count(0)} human, {labels.count(1)} machine)")
    print(f"AUROC formulaic score, all texts: {auroc([f.score for _, f in scored], labels):.3f}")
    for part in scored[0][1].parts:
        print(f"  part {part:13} AUROC {auroc([f.parts[part] for _, f in scored], labels):.3f}")
    by_model: dict[str, list[float]] = defaultdict(list)
    for row, found in scored:
        by_model[row["model"]].append(found.score)
    human = by_model.pop("human")
    for model, machine in sorted(by_model.items()):
        value = auroc(human + machine, [0] * len(human) + [1] * len(machine))
        print(f"  human vs {model:16} AUROC {value:.3f}  (mean score {sum(machine) / len(machine):.3f})")
    print(f"  mean score, human: {sum(human) / len(human):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
