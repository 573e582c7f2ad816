"""Run every benchmark under bench/, one after the other, each under a header; a failing one does
not stop the others. Ends with a summary: each script's exit status and wall time.

Each script reads the public datasets in ../shared/datasets and prints its own figures (see its
docstring). The order puts the quick component benchmarks first and throughput last; a script
added later (e.g. web_load.py) runs after the known ones.

Run: python bench/run_all.py [NAME ...]  (from the repository root; `make bench`; NAME, e.g.
timebank, runs only those scripts). Exit status 1 when any script failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
#: The known benchmarks, in the order they run.
ORDER = ["l2r_news", "timebank", "geoparsing", "ecbplus", "fnc1", "petrarch", "throughput", "web_load"]
WIDTH = 100


@dataclass
class Outcome:
    name: str
    status: int
    seconds: float


def scripts(names: list[str]) -> list[Path]:
    """The benchmark scripts to run, known ones first in ORDER; only `names` when given."""
    found = {
        p.stem: p for p in BENCH.glob("*.py") if p.stem != Path(__file__).stem and not p.stem.startswith("_")
    }
    ranked = sorted(found, key=lambda stem: (ORDER.index(stem) if stem in ORDER else len(ORDER), stem))
    unknown = sorted(set(names) - set(found))
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(unknown)} (have: {', '.join(ranked)})")
    return [found[stem] for stem in ranked if not names or stem in names]


def run(script: Path) -> Outcome:
    """Run one script with this interpreter from the repository root, its output shown as it comes."""
    title = f" {script.relative_to(ROOT)} "
    print(f"\n{title:=^{WIDTH}}", flush=True)
    start = time.perf_counter()
    try:
        status = subprocess.run([sys.executable, str(script)], cwd=ROOT, check=False).returncode
    except OSError as exc:  # could not even start it
        print(f"cannot run {script.name}: {exc}", flush=True)
        status = 127
    seconds = time.perf_counter() - start
    print(
        f"--- {script.name}: {'ok' if status == 0 else f'FAILED (exit status {status})'} in {seconds:.0f} s"
    )
    return Outcome(script.stem, status, seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="run only these benchmarks (file names without .py)")
    outcomes = [run(script) for script in scripts(parser.parse_args().names)]
    print(f"\n{' summary ':=^{WIDTH}}")
    for outcome in outcomes:
        status = "ok" if outcome.status == 0 else f"FAILED ({outcome.status})"
        print(f"{outcome.name:14} {status:14} {outcome.seconds:8.0f} s")
    return 1 if any(o.status for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
