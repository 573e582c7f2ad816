"""Benchmark: khabar's extraction on unseen articles, scored as the seed articles are.

Data: bench/devset/ (seven short invented articles in the style of wire copy, local outlets, an
NGO update and an opinion piece, on Sudan, Ukraine, Haiti, DR Congo, Myanmar, the Red Sea and
Somalia; `.meta.json` sidecars give the publication dates) and bench/devset/gold.yaml, a gold file
in the format of ../shared/eval/seeds_gold.yaml, written from the texts before running khabar on them.
The articles go through the whole pipeline into a temporary database; the khabar/v1 export is
scored by ../shared/eval/score.py, whose figures are printed as they come.

bench/devset2/ is a second set of the same kind (Yemen/Israel, Mozambique, Nigeria, Armenia/Azerbaijan),
written blind to check fixes found on the first against text not used to find them: `--folder
bench/devset2` scores it (any folder of `*.txt` articles with a `gold.yaml` beside them will do).
bench/devset3/ is a third blind set (Mali, Colombia, Ethiopia, Syria, Kashmir, Libya, Cameroon; with a
scraped page, damaged casing and one ambush told with different tolls in two articles).

Run: python bench/devset.py [--folder DIR] [--score PATH] [--verbose] [--keep EXPORT.json]  (from the
repository root; writes nothing outside a temporary folder unless --keep asks)
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from khabar import pipeline
from khabar.report.exports import export_document
from khabar.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "bench" / "devset"
SCORE = ROOT.parent / "shared" / "eval" / "score.py"


def export_devset(devset: Path, folder: Path, out: Path) -> None:
    """Ingest the articles of `devset` into a new database in `folder`; write its export to `out`."""
    articles = sorted(str(p) for p in devset.glob("*.txt"))
    with Store.open(folder / "devset.db") as store:
        report = pipeline.run(articles, store=store, workers=1)
        if not report.ok:
            raise SystemExit(f"the dev set did not ingest cleanly: {report.failed}")
        out.write_text(json.dumps(export_document(store), default=str), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folder", type=Path, default=DEVSET, help="articles + gold.yaml (bench/devset)")
    parser.add_argument("--score", type=Path, default=SCORE, help="the scorer (../shared/eval/score.py)")
    parser.add_argument("--verbose", action="store_true", help="also list unexplained mentions")
    parser.add_argument("--keep", type=Path, help="also copy the export here, to read what was extracted")
    args = parser.parse_args()
    if not args.score.is_file():
        print(f"no scorer at {args.score}", file=sys.stderr)
        return 2
    gold = args.folder / "gold.yaml"
    if not gold.is_file():
        print(f"no gold.yaml in {args.folder}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="khabar-devset-") as tmp:
        exported = Path(tmp) / "devset.json"
        export_devset(args.folder, Path(tmp), exported)
        if args.keep:
            shutil.copyfile(exported, args.keep)
        command = [sys.executable, str(args.score), "--export", str(exported), "--gold", str(gold)]
        return subprocess.run(command + (["--verbose"] if args.verbose else []), check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
