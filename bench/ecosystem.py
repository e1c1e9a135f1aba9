"""The ecosystem check, as ruff runs one: real public schemas (../shared/corpus/realworld/, read in with
`dbdsl import` when they are SQL dumps) linted with the default rules, with findings per table and per
code, and the judged precision against tests/ecosystem/judged.tsv.

Prints figures; `tests/ecosystem/test_ecosystem.py` fails when a finding appears that nobody judged or
a finding judged true disappears.

    python bench/ecosystem.py                 # figures with the default rules
    python bench/ecosystem.py --select ALL    # every rule, opt-in ones included
    python bench/ecosystem.py --show          # every finding with its verdict
    python bench/ecosystem.py --unjudged      # TSV rows for the findings nobody judged yet
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dbdsl.rules import LintConfig  # noqa: E402
from tests.ecosystem import realworld  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--select", help="rule codes or prefixes (default: the default rule set)")
    parser.add_argument("--show", action="store_true", help="list every finding with its verdict")
    parser.add_argument("--unjudged", action="store_true", help="print TSV rows for unjudged findings")
    parser.add_argument("--work", help="folder for the imported schemas (default: a temporary one)")
    args = parser.parse_args()
    if not realworld.available():
        print(f"the real-world corpus is not at {realworld.REALWORLD} (set DBDSL_SHARED to the shared folder)")
        return 0
    config = LintConfig(select=tuple(args.select.split(","))) if args.select else LintConfig()
    judged = realworld.read_judged()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        results = realworld.lint_all(work, config)
        elapsed = time.perf_counter() - started
    by_code: Counter = Counter()
    verdicts: Counter = Counter()
    unjudged = []
    tables = findings = 0
    print(f"{'schema':32} {'tables':>6} {'findings':>8} {'per table':>9}")
    for linted in results:
        count = len(linted.findings)
        n_tables = len(linted.schema.tables)
        tables += n_tables
        findings += count
        by_code.update(f.code for f in linted.findings)
        ratio = count / n_tables if n_tables else 0.0
        print(f"{linted.source.file:32} {n_tables:6} {count:8} {ratio:9.2f}")
        for key, line, finding in realworld.keyed(linted):
            judgement = judged.get(key)
            verdicts[judgement.verdict if judgement else "unjudged"] += 1
            if judgement is None:
                unjudged.append((key, line, finding))
            if args.show:
                mark = judgement.verdict if judgement else "?"
                print(f"  {mark:8} {key.code} {line:5} {key.subject}: {finding.message}")
    print(f"{'all':32} {tables:6} {findings:8} {findings / max(tables, 1):9.2f}")
    print()
    print("per code: " + ", ".join(f"{code} {n}" for code, n in sorted(by_code.items())))
    judged_total = verdicts["true"] + verdicts["false"] + verdicts["noise"]
    if judged_total:
        precision = verdicts["true"] / judged_total
        print(
            f"judged: {verdicts['true']} true, {verdicts['false']} false, {verdicts['noise']} noise, "
            f"{verdicts['unjudged']} unjudged; precision {precision:.1%} (target >= 90%, no false)"
        )
    print(f"imported and linted in {elapsed:.1f} s")
    if args.unjudged:
        print()
        print("file\tline\tcode\tsubject\tverdict\treason")
        for key, line, finding in unjudged:
            print(f"{key.file}\t{line}\t{key.code}\t{key.subject}\t?\t{finding.message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
