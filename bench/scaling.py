"""Linear cost: inputs that once made a stage super-linear, at two sizes, through parse and bind, lint,
format and SQL. Prints, per input and stage, the time at each size, the ratio (4 when the size is 4
times larger and the cost linear) and the peak memory per byte of input (a small multiple).

Targets: ratio < 6 (linear, with noise), memory < 20 bytes per input byte.

    python bench/scaling.py [--size BYTES]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dbdsl.emit.sql import generate  # noqa: E402
from dbdsl.format import format_text  # noqa: E402
from dbdsl.rules import LintConfig, lint  # noqa: E402
from dbdsl.workspace import Workspace  # noqa: E402


def brackets(size: int) -> str:
    n = size // 2
    return "Table t {\n  id int [" + "[" * n + ")" * n + "]\n}\n"


def note(size: int) -> str:
    return "Table t {\n  id int [pk]\n  Note: '''" + "x" * size + "'''\n}\n"


def comment(size: int) -> str:
    return "/* " + "x" * size + " */\nTable t {\n  id int [pk]\n}\n"


def enum(size: int) -> str:
    values = "".join(f"  value_number_{i}\n" for i in range(size // 20))
    return "Enum e {\n" + values + "}\nTable t {\n  id int [pk]\n  v e\n}\n"


INPUTS: dict[str, Callable[[int], str]] = {
    "n `[` then n `)` in settings": brackets,
    "long ''' note": note,
    "long /* comment */": comment,
    "enum of many values": enum,
}


def measure(text: str) -> dict[str, tuple[float, int]]:
    """Seconds (a run without tracing) and peak traced bytes (a second run) of each stage."""
    seconds = _stages(text, traced=False)
    peaks = _stages(text, traced=True)
    return {name: (seconds[name][0], peaks[name][1]) for name in seconds}


def _stages(text: str, *, traced: bool) -> dict[str, tuple[float, int]]:
    out = {}
    workspace = Workspace()
    path = "/bench/scaling.dbml"

    def stage(name: str, fn: Callable[[], object]) -> object:
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        if traced:
            tracemalloc.stop()
        out[name] = (elapsed, peak)
        return result

    def parse_and_bind():
        workspace.open(path, text)
        return workspace.analyze(path)

    analysis = stage("parse+bind", parse_and_bind)
    stage("lint", lambda: lint(analysis, LintConfig()))
    stage("format", lambda: format_text(text))
    stage("sql", lambda: [generate(analysis.schema, d).text() for d in ("postgres", "mysql", "sqlite")])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000, help="the smaller size in bytes (default 200000)")
    args = parser.parse_args()
    _stages("Table warm_up {\n  id int [pk]\n}\n", traced=False)  # parser tables, rule registry
    print("| input | stage | time at n | time at 4n | ratio | peak bytes per input byte (4n) |")
    print("|---|---|---|---|---|---|")
    for name, make in INPUTS.items():
        small, large = make(args.size), make(4 * args.size)
        a, b = measure(small), measure(large)
        for stage_name in a:
            (t1, _m1), (t2, m2) = a[stage_name], b[stage_name]
            ratio = t2 / t1 if t1 > 0.001 else float("nan")
            print(f"| {name} | {stage_name} | {t1:.3f} s | {t2:.3f} s | {ratio:.1f} | {m2 / len(large):.1f} |")


if __name__ == "__main__":
    main()
