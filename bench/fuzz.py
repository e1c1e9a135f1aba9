"""Mutated inputs through every stage: parse and bind, lint, format, SQL generation.

Seeds are the DBML corpus (`../shared/corpus/dbml/`, when it is there) and `samples/`. Each input is
one seed changed by one or more mutations of these families: byte flips, token edits (delete, repeat,
swap), splices of two seeds, nesting (brackets opened many times), huge tokens (names, strings,
numbers, comments), NUL characters, lone surrogates (raw and as `\\u` escapes), line-ending mixes
(CRLF, CR), byte-order marks, and quotes (`'`, `"`, `'''`, backticks) dropped in. Each input runs in a
worker process with a time bound linear in its size (`--timeout` plus `--per-mb` seconds per MB) and a
memory bound (`--memory`, the worker's address space); the SQL of each input is generated for one
dialect, in turn.

Prints the counts: inputs per family, outcomes (ok, exception by stage and type, timeout, memory),
the worst and median time, inputs per second; with `--save DIR` each failing input is written there.
Exit status 1 when an input raised, timed out or ran out of memory.

    python bench/fuzz.py --count 100000 [--seed 1] [--timeout 10] [--memory 2048] [--save DIR]

The test suite runs a fixed-seed slice of it (tests/syntax/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import multiprocessing
import os
import random
import re
import resource
import statistics
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("DBDSL_SHARED", REPO.parent / "shared"))
DIALECTS = ("postgres", "mysql", "sqlite", "mssql", "oracle", "snowflake")
FAMILIES = (
    "byte flips",
    "token edits",
    "splice",
    "nesting",
    "huge token",
    "NUL",
    "lone surrogates",
    "line endings",
    "BOM",
    "quotes",
)
TOKEN_RE = re.compile(r"'''[\s\S]*?'''|'[^'\n]*'|\"[^\"\n]*\"|`[^`]*`|\w+|\s+|.", re.DOTALL)


# ---------------------------------------------------------------- seeds and mutations


def seeds() -> list[str]:
    """The texts mutations start from: the corpus's DBML files, then the samples."""
    paths = sorted((SHARED / "corpus" / "dbml").rglob("*.dbml")) if (SHARED / "corpus" / "dbml").is_dir() else []
    paths += sorted((REPO / "samples").glob("*.dbml"))
    out = []
    for path in paths:
        try:
            out.append(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    return out


def mutate(rng: random.Random, text: str, pool: list[str], family: str) -> str:
    """`text` changed by one mutation of `family`."""
    n = len(text)
    at = rng.randint(0, n)
    if family == "byte flips":
        data = bytearray(text.encode("utf-8", "surrogatepass"))
        for _ in range(rng.choice((1, 2, 4, 16))):
            if data:
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return data.decode("utf-8", errors="replace")
    if family == "token edits":
        tokens = TOKEN_RE.findall(text) or [""]
        for _ in range(rng.choice((1, 2, 5))):
            i = rng.randrange(len(tokens))
            action = rng.choice(("delete", "repeat", "swap", "move"))
            if action == "delete":
                tokens[i] = ""
            elif action == "repeat":
                tokens[i] *= rng.choice((2, 3, 50))
            elif action == "swap":
                j = rng.randrange(len(tokens))
                tokens[i], tokens[j] = tokens[j], tokens[i]
            else:
                tokens.insert(rng.randrange(len(tokens) + 1), tokens.pop(i))
        return "".join(tokens)
    if family == "splice":
        other = rng.choice(pool)
        return text[:at] + other[rng.randint(0, len(other)) :]
    if family == "nesting":
        opener, closer = rng.choice((("[", "]"), ("(", ")"), ("{", "}"), ("[", ")"), ("(", "]")))
        depth = rng.choice((10, 100, 1000, 5000))
        inner = rng.choice(("", "x", "note: 'a'", "`a`", "a.b > c.d"))
        closing = closer * (depth if rng.random() < 0.7 else rng.randint(0, depth))
        return text[:at] + opener * depth + inner + closing + text[at:]
    if family == "huge token":
        size = rng.choice((1_000, 10_000, 50_000, 200_000))
        token = rng.choice(
            (
                "a" * size,
                "'" + "x" * size + "'",
                "'''" + "x\n" * (size // 2) + "'''",
                "9" * size,
                "// " + "c" * size + "\n",
                "/* " + "c" * size + " */",
                "`" + "(" * min(size, 5000) + ")" * min(size, 5000) + "`",
                '"' + "n" * size + '"',
            )
        )
        return text[:at] + token + text[at:]
    if family == "NUL":
        for _ in range(rng.choice((1, 3))):
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(("\0", "\\0", "\\u0000")) + text[at:]
        return text
    if family == "lone surrogates":
        piece = rng.choice(("\udc80", "\ud800", "\\udc80", "\\ud83d", "\\ud83d\\ude00", "\udfff\ud800"))
        return text[:at] + piece + text[at:]
    if family == "line endings":
        choice = rng.random()
        if choice < 0.3:
            return text.replace("\n", "\r\n")
        if choice < 0.5:
            return text.replace("\n", "\r")
        return "".join(
            line + rng.choice(("\n", "\r\n", "\r", "\\\r\n")) for line in text.split("\n")
        )  # mixed, with continuations
    if family == "BOM":
        return ("\ufeff" if rng.random() < 0.5 else "") + text[:at] + "\ufeff" * rng.randint(0, 3) + text[at:]
    if family == "quotes":
        for _ in range(rng.choice((1, 2, 5))):
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(("'", '"', "'''", "`", "\\'", "\\", "''")) + text[at:]
        return text
    raise ValueError(family)


def make_input(rng: random.Random, pool: list[str]) -> tuple[str, str]:
    """(family, text): a seed with one to three mutations, named by the first."""
    text = rng.choice(pool)
    families = [rng.choice(FAMILIES) for _ in range(rng.choice((1, 1, 2, 3)))]
    for family in families:
        text = mutate(rng, text, pool, family)
    return families[0], text


# ---------------------------------------------------------------- the stages


def run_stages(text: str, dialect: str) -> None:
    """Everything a user can run on a file, in process; raises what a stage raises."""
    from dbdsl.emit.sql import generate
    from dbdsl.format import format_text
    from dbdsl.rules import LintConfig, lint
    from dbdsl.workspace import Workspace

    workspace = Workspace()
    path = "/fuzz/input.dbml"
    workspace.open(path, text)
    analysis = _stage("parse+bind", lambda: workspace.analyze(path))
    _stage("lint", lambda: lint(analysis, LintConfig()))
    _stage("format", lambda: format_text(text))
    _stage("sql", lambda: generate(analysis.schema, dialect).text())


class StageError(Exception):
    def __init__(self, stage: str, error: BaseException) -> None:
        super().__init__(stage)
        self.stage = stage
        self.error = error


def _stage(name: str, fn):
    try:
        return fn()
    except MemoryError:
        raise
    except Exception as e:  # a stage must not raise: this is what is counted
        raise StageError(name, e) from e


def _worker(conn, memory_mb: int) -> None:
    logging.getLogger("sqlglot").setLevel(logging.CRITICAL)  # its notes on odd SQL are not failures
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.setrecursionlimit(10_000)
    while True:
        job = conn.recv()
        if job is None:
            return
        text, dialect = job
        started = time.perf_counter()
        try:
            run_stages(text, dialect)
            outcome = ("ok", "", "")
        except StageError as e:
            detail = "".join(traceback.format_exception(e.error)[-6:])
            outcome = ("exception", f"{e.stage}: {type(e.error).__name__}", detail)
        except MemoryError:
            outcome = ("memory", "", "")
        conn.send((*outcome, time.perf_counter() - started))


class Worker:
    """A process that runs inputs one at a time; killed and replaced when one takes too long."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, self.memory_mb), daemon=True)
        self.process.start()

    def run(self, text: str, dialect: str, timeout: float) -> tuple[str, str, str, float]:
        started = time.perf_counter()
        try:
            self.conn.send((text, dialect))
            if self.conn.poll(timeout):
                return self.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            self.restart()
            return ("crash", "worker died", "", time.perf_counter() - started)
        self.restart()
        return ("timeout", "", "", time.perf_counter() - started)

    def restart(self) -> None:
        self.process.kill()
        self.process.join()
        self._start()

    def close(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()


# ---------------------------------------------------------------- the run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="how many inputs (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per input, plus --per-mb (default 10)")
    parser.add_argument(
        "--per-mb", type=float, default=40.0, help="seconds more per MB of input: the bound is linear (default 40)"
    )
    parser.add_argument("--memory", type=int, default=2048, help="MB of address space per worker (default 2048)")
    parser.add_argument("--save", metavar="DIR", help="write each failing input there")
    parser.add_argument("--progress", type=int, default=0, metavar="N", help="print a line every N inputs")
    args = parser.parse_args(argv)

    pool = seeds()
    if not (SHARED / "corpus" / "dbml").is_dir():
        print(f"{SHARED / 'corpus' / 'dbml'} is not there (set DBDSL_SHARED): seeds are the samples only")
    rng = random.Random(args.seed)
    run_stages("Table warm_up {\n  id int [pk]\n}\n", "postgres")  # imported once: workers fork this code
    worker = Worker(args.memory)
    families: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    times: list[float] = []
    worst = (0.0, "", 0)
    examples: dict[str, str] = {}
    started = time.perf_counter()
    try:
        for i in range(args.count):
            family, text = make_input(rng, pool)
            dialect = DIALECTS[i % len(DIALECTS)]
            families[family] += 1
            bound = args.timeout + args.per_mb * len(text) / 1_000_000
            status, kind, detail, elapsed = worker.run(text, dialect, bound)
            outcomes[status] += 1
            times.append(elapsed)
            if elapsed > worst[0]:
                worst = (elapsed, family, len(text))
            if status != "ok":
                key = f"{status} {kind}".strip()
                kinds[key] += 1
                examples.setdefault(key, detail)
                if args.save:
                    folder = Path(args.save)
                    folder.mkdir(parents=True, exist_ok=True)
                    name = f"{i:06d}-{status}.dbml"
                    (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
            if args.progress and (i + 1) % args.progress == 0:
                failed = sum(v for k, v in outcomes.items() if k != "ok")
                rate = (i + 1) / (time.perf_counter() - started)
                print(f"{i + 1} inputs, {failed} failed, {rate:.1f}/s, worst {worst[0]:.2f} s", flush=True)
    finally:
        worker.close()
    total = time.perf_counter() - started
    print(f"inputs: {args.count} (seed {args.seed}, {len(pool)} seeds, {total:.0f} s, {args.count / total:.1f}/s)")
    print("families: " + ", ".join(f"{f} {families[f]}" for f in FAMILIES))
    print("outcomes: " + ", ".join(f"{k} {outcomes[k]}" for k in ("ok", "exception", "timeout", "memory", "crash")))
    for key, count in kinds.most_common():
        print(f"  {count} x {key}")
        if examples.get(key):
            print("    " + examples[key].strip().replace("\n", "\n    ")[-1200:])
    if times:
        print(
            f"time per input: median {statistics.median(times) * 1000:.1f} ms, "
            f"worst {worst[0]:.2f} s ({worst[1]}, {worst[2]} characters)"
        )
    return 0 if outcomes["ok"] == args.count else 1


if __name__ == "__main__":
    sys.exit(main())
