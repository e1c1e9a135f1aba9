"""Parser benchmark: dbdsl side by side with lark-dbml (PyPI) and @dbml/parse (npm), on the official
DBML benchmark inputs (../shared/corpus/bench/18k.dbml and 25k.dbml).

Prints figures; it is not a test. Each cold measurement runs in a fresh process and times the parse
call only (imports and start-up are reported separately), median of several runs. Targets (issue 2):
cold parse+bind of 25k.dbml <= 0.5 x lark-dbml's loads() in the same run; a one-character edit in a
table in the middle of 25k.dbml re-parsed and re-bound in <= 30 ms (median); <= 200 MB peak RSS for a
process holding the 25k model.

    python bench/parse.py [--runs N] [--no-node]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DBDSL_SHARED", REPO.parent / "shared"))
INPUTS = SHARED / "corpus" / "bench"
PEERS = REPO / "bench" / ".peers"  # npm peer installed here on first use (git-ignored)
DBML_PARSE_VERSION = "10.2.0"

DBDSL_COLD = """
import json, resource, sys, time
t0 = time.perf_counter()
from dbdsl.syntax.parser import _parser
from dbdsl.workspace import Workspace
_parser()
t1 = time.perf_counter()
analysis = Workspace().analyze(sys.argv[1])
t2 = time.perf_counter()
assert not analysis.errors, analysis.errors[:3]
print(json.dumps({"startup": t1 - t0, "parse": t2 - t1, "tables": len(analysis.schema.tables),
                  "refs": len(analysis.schema.refs),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

LARK_DBML_COLD = """
import json, sys, time
t0 = time.perf_counter()
from lark_dbml import loads
t1 = time.perf_counter()
text = open(sys.argv[1], encoding="utf-8").read()
t2 = time.perf_counter()
result = loads(text)
t3 = time.perf_counter()
print(json.dumps({"startup": t1 - t0, "parse": t3 - t2, "tables": len(result.tables)}))
"""

DBML_PARSE_COLD = """
const p = require('@dbml/parse');
const fs = require('fs');
const src = fs.readFileSync(process.argv[2], 'utf8');
const layout = new p.MemoryProjectLayout({'/main.dbml': src});
const compiler = new p.Compiler(layout);
let t = process.hrtime.bigint();
const report = compiler.interpretProject();
const parse = Number(process.hrtime.bigint() - t) / 1e9;
const errors = (report.errors || []).length;
// edits: one character inserted then removed inside a table in the middle; @dbml/parse 10.2.0 fails
// when a MemoryProjectLayout source is replaced, so each edit is interpreted by a new Compiler
const at = src.indexOf('\\n', src.indexOf('Table', Math.floor(src.length / 2))) + 3;
const edits = [];
for (let i = 0; i < 6; i++) {
  const text = i % 2 === 0 ? src.slice(0, at) + 'x' + src.slice(at) : src;
  const again = new p.Compiler(new p.MemoryProjectLayout({'/main.dbml': text}));
  t = process.hrtime.bigint();
  again.interpretProject();
  edits.push(Number(process.hrtime.bigint() - t) / 1e9);
}
console.log(JSON.stringify({parse, errors, edits}));
"""


def run_json(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> dict:
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def python_env() -> dict:
    return dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def bench_dbdsl(path: Path, runs: int) -> dict:
    results = [run_json([sys.executable, "-c", DBDSL_COLD, str(path)], env=python_env()) for _ in range(runs)]
    return {
        "parse": median_of(results, "parse"),
        "startup": median_of(results, "startup"),
        "rss_mb": max(r["rss_mb"] for r in results),
        "tables": results[0]["tables"],
        "refs": results[0]["refs"],
    }


def bench_lark_dbml(path: Path, runs: int) -> dict | None:
    try:
        import lark_dbml  # noqa: F401
    except ImportError:
        return None
    results = [run_json([sys.executable, "-c", LARK_DBML_COLD, str(path)]) for _ in range(runs)]
    return {"parse": median_of(results, "parse"), "startup": median_of(results, "startup")}


def ensure_dbml_parse() -> Path | None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return None
    module = PEERS / "node_modules" / "@dbml" / "parse"
    if not module.exists():
        PEERS.mkdir(parents=True, exist_ok=True)
        (PEERS / "package.json").write_text('{"private": true}\n')
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", f"@dbml/parse@{DBML_PARSE_VERSION}"],
            cwd=PEERS,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print(f"(could not install @dbml/parse from npm: {done.stderr.strip()[-200:]})")
            return None
    script = PEERS / "dbml_parse_bench.js"
    script.write_text(DBML_PARSE_COLD)
    return script


def bench_dbml_parse(script: Path | None, path: Path, runs: int) -> dict | None:
    if script is None:
        return None
    results = [run_json(["node", str(script), str(path)], cwd=PEERS) for _ in range(runs)]
    edits = [e for r in results for e in r["edits"]]
    return {"parse": median_of(results, "parse"), "edit": statistics.median(edits), "errors": results[0]["errors"]}


def bench_edit(path: Path, rounds: int = 40) -> dict:
    """Median and p95 of a one-character edit inside a table in the middle, re-parsed and re-bound."""
    code = textwrap.dedent(
        """
        import json, statistics, sys, time
        from dbdsl.workspace import Workspace
        workspace = Workspace()
        path = sys.argv[1]
        source = workspace.open(path, open(path, encoding="utf-8").read())
        workspace.analyze(path)
        tables = [e for e in source.entries if e.text.lower().startswith("table")]
        middle = tables[len(tables) // 2]
        at = middle.start + middle.text.index("\\n") + 3  # inside the first column name
        times = []
        for i in range(int(sys.argv[2])):
            t = time.perf_counter()
            if i % 2 == 0:
                source.apply_edit(at, at, "x")
            else:
                source.apply_edit(at, at + 1, "")
            analysis = workspace.analyze(path)
            times.append(time.perf_counter() - t)
        assert not analysis.errors
        times.sort()
        print(json.dumps({"median": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1]}))
        """
    )
    return run_json([sys.executable, "-c", code, str(path), str(rounds)], env=python_env())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per cold measurement")
    parser.add_argument("--no-node", action="store_true", help="skip @dbml/parse")
    args = parser.parse_args()
    files = [INPUTS / "18k.dbml", INPUTS / "25k.dbml"]
    missing = [f for f in files if not f.is_file()]
    if missing:
        print(f"benchmark inputs not found ({', '.join(map(str, missing))}); set DBDSL_SHARED to the shared folder")
        return 2
    script = None if args.no_node else ensure_dbml_parse()

    print(f"Cold parse + bind, median of {args.runs} fresh processes (seconds; start-up not included)")
    header = f"{'input':<10} {'dbdsl':>8} {'lark-dbml':>10} {'@dbml/parse':>12} {'dbdsl/lark-dbml':>16}"
    print(header)
    print("-" * len(header))
    figures = {}
    for path in files:
        ours = bench_dbdsl(path, args.runs)
        lark = bench_lark_dbml(path, args.runs)
        node = bench_dbml_parse(script, path, max(1, args.runs // 2))
        ratio = ours["parse"] / lark["parse"] if lark else None
        figures[path.name] = (ours, lark, node, ratio)
        print(
            f"{path.name:<10} {ours['parse']:>8.3f} {_fmt(lark and lark['parse']):>10} "
            f"{_fmt(node and node['parse']):>12} {_fmt(ratio, '.2f'):>16}"
        )
    ours, lark, node, ratio = figures["25k.dbml"]
    print(
        f"\ndbdsl start-up (import + grammar tables): {ours['startup'] * 1000:.0f} ms; "
        f"25k model: {ours['tables']} tables, {ours['refs']} refs"
    )
    edit = bench_edit(INPUTS / "25k.dbml")
    print(
        f"One-character edit in a table in the middle of 25k.dbml, re-parse + re-bind: "
        f"median {edit['median'] * 1000:.1f} ms, p95 {edit['p95'] * 1000:.1f} ms"
    )
    if node:
        print(f"  @dbml/parse re-interpreting after the same edit: median {node['edit'] * 1000:.0f} ms")
    print(f"Peak RSS of a process holding the 25k model: {ours['rss_mb']:.0f} MB")
    print("\nTargets")
    _target("cold 25k <= 0.5 x lark-dbml", ratio is not None and ratio <= 0.5, _fmt(ratio, ".2f") + " x")
    _target("edit median <= 30 ms", edit["median"] <= 0.030, f"{edit['median'] * 1000:.1f} ms")
    _target("peak RSS <= 200 MB", ours["rss_mb"] <= 200, f"{ours['rss_mb']:.0f} MB")
    return 0


def _fmt(value: float | None, spec: str = ".3f") -> str:
    return "n/a" if value is None else format(value, spec)


def _target(name: str, met: bool, figure: str) -> None:
    print(f"  {'met   ' if met else 'MISSED'} {name}: {figure}")


if __name__ == "__main__":
    sys.exit(main())
