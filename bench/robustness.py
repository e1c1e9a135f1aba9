"""How long hostile input takes to analyse: a megabyte of random DBML-like noise, and the SQL Server script
of the DBML corpus that once sent parsers into a loop (parse_snapshots/infinite_loops). The tests check that
both are analysed without error (tests/syntax/test_robustness.py); the times are here, not in the tests.
Targets: the noise in seconds, not minutes (< 60 s); the script in < 10 s.

    python bench/robustness.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("DBDSL_SHARED", REPO.parent / "shared"))
SCRIPT = SHARED / "corpus" / "dbml" / "parse_snapshots" / "infinite_loops" / "mssql_use_then_create.in.dbml"


def timed(text: str, runs: int) -> tuple[float, float]:
    from tests.syntax.test_robustness import analyse

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        analyse(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from tests.syntax.test_robustness import megabyte_of_noise

    inputs = [("1 MB of noise", megabyte_of_noise(), 60.0)]
    if SCRIPT.is_file():
        inputs.append(("SQL Server script (corpus)", SCRIPT.read_text(encoding="utf-8"), 10.0))
    else:
        print(f"{SCRIPT} is not there (set DBDSL_SHARED): its line is left out")
    print("| input | median | max | target |\n|---|---|---|---|")
    for name, text, target in inputs:
        median, worst = timed(text, args.runs)
        print(f"| {name} | {median:.2f} s | {worst:.2f} s | < {target:.0f} s |")


if __name__ == "__main__":
    main()
