"""Language server benchmark: a real client talks to `python -m dbdsl serve` over stdio, on 25k.dbml.

Prints figures; it is not a test. The diagnostics debounce is 0 unless `--delay` says otherwise. Measured:
- initialize round trip (server start) and didOpen -> first published diagnostics
- one-character edits -> published diagnostics, per kind of edit: in a table name, a column name, a type,
  a setting, a Ref line, a Query's SQL (the file gets a few Query blocks appended), a new line typed
  inside a table, a column line deleted; each edit is undone by the next one (both measured), p50/p95
  (target: p95 <= 100 ms beyond the delay); the clock stops when the whole message has arrived;
  `--kinds "hub table name"` measures typing in the name of a table hundreds of others refer to
- hover and completion round trips: p50/p95 (<= 30 ms p95)
- semantic tokens: the full array once after opening (<= 500 ms), then, after each edit has its
  diagnostics, the delta against the previous result (p95 <= 50 ms)
- server memory (RSS) with the file open and after the edits
- beside the clock, the server's CPU time (all its threads, from /proc) for initialize, the open, the full
  tokens and each edit: other processes on a busy machine stretch the clock, not the CPU time

    python bench/lsp.py [--file PATH] [--edits N] [--requests N] [--delay MS] [--kinds a,b]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DBDSL_SHARED", REPO.parent / "shared"))
DEFAULT_INPUT = SHARED / "corpus" / "bench" / "25k.dbml"
QUERIES = 20  # Query blocks appended to the input (25k.dbml has none)


class Client:
    """A minimal JSON-RPC client over the server's stdin/stdout."""

    def __init__(self, delay_ms: int) -> None:
        env = dict(os.environ, PYTHONPATH=str(REPO), DBDSL_DIAGNOSTICS_DELAY_MS=str(delay_ms))
        # the server as an installed package runs: with its modules' bytecode cached (pip compiles it
        # on install), not compiled again from source at every start
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dbdsl", "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.next_id = 0
        self.responses: dict[int, queue.Queue] = {}
        self.diagnostics: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = out.read(length)
            now = time.perf_counter()  # published: the whole message has arrived (parsing it is the client's work)
            message = json.loads(body)
            if "id" in message and "method" not in message:
                self.responses.pop(message["id"]).put((now, message))
            elif message.get("method") == "textDocument/publishDiagnostics":
                self.diagnostics.put((now, message["params"]))
            elif "id" in message:  # a request from the server: accept it
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        with self.lock:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()

    def request(self, method: str, params: object) -> tuple[float, object]:
        """(seconds until the whole answer arrived, the result)."""
        self.next_id += 1
        box: queue.Queue = queue.Queue()
        self.responses[self.next_id] = box
        t0 = time.perf_counter()
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        at, reply = box.get(timeout=120)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return at - t0, reply.get("result")

    def notify(self, method: str, params: object) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri: str, version: int) -> tuple[float, list]:
        while True:
            at, params = self.diagnostics.get(timeout=120)
            if params["uri"] == uri and params.get("version") == version:
                return at, params["diagnostics"]

    def cpu_s(self) -> float:
        """CPU time the server has used (all its threads): unlike the clock, not stretched by other
        processes on a busy machine."""
        total = 0
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue  # a thread that just ended
        return total / 1e9

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.proc.wait(timeout=30)


def position(text: str, offset: int) -> dict:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": len(text[start:offset].encode("utf-16-le")) // 2}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def figures(name: str, values_s: list[float], target_ms: float | None = None) -> str:
    ms = [v * 1000 for v in values_s]
    line = f"{name:<42} p50 {statistics.median(ms):7.1f} ms   p95 {pct(ms, 95):7.1f} ms   max {max(ms):7.1f} ms"
    if target_ms is not None:
        line += f"   (target p95 <= {target_ms:.0f} ms: {'met' if pct(ms, 95) <= target_ms else 'NOT met'})"
    return line


def with_queries(text: str, rng: random.Random) -> str:
    """The input with Query blocks appended, each reading a table of the file by one of its columns."""
    tables = re.findall(r'^Table "([^"]+)" \{\n\t"([^"]+)"', text, re.M)
    blocks = []
    for i, (table, column) in enumerate(rng.sample(tables, min(QUERIES, len(tables)))):
        blocks.append(
            f"Query bench_query_{i} [frequency: '100/min', target: '10ms'] {{\n  '''\n"
            f'  SELECT t."{column}" FROM "{table}" t WHERE t."{column}" = :key\n  \'\'\'\n}}\n'
        )
    return text.rstrip("\n") + "\n\n" + "\n".join(blocks)


# An edit kind: where to edit (offsets found in the current text) and the edit as (start, end, new text).
Edit = tuple[int, int, str]


def _middle(text: str, pattern: str, shift: int) -> list[int]:
    """Offsets (plus `shift`) of `pattern`'s matches in the middle third of the text (queries: anywhere)."""
    found = [m.start() + shift for m in re.finditer(pattern, text, re.M)]
    middle = [i for i in found if len(text) // 3 <= i < 2 * len(text) // 3]
    return middle or found


def _typed(pattern: str, shift: int) -> Callable[[str, random.Random], Edit]:
    def pick(text: str, rng: random.Random) -> Edit:
        at = rng.choice(_middle(text, pattern, shift))
        return at, at, "x"

    return pick


def _new_line(text: str, rng: random.Random) -> Edit:
    at = rng.choice(_middle(text, r"^\t\"col_\d+\"[^\n]*\]$", 0))
    at = text.index("\n", at)  # Enter at the end of a column line
    return at, at, "\n"


def _deleted_line(text: str, rng: random.Random) -> Edit:
    at = rng.choice(_middle(text, r"^\t\"col_\d+\"[^\n]*\]\n\t", 0))
    return at, text.index("\n", at) + 1, ""


def _type_edit(text: str, rng: random.Random) -> Edit:
    at = rng.choice(_middle(text, r'^\t"col_\d+" "', 0))
    at = text.index('" "', at) + 4  # after the type's first letter
    return at, at, "x"


def _hub_table_name(text: str, rng: random.Random) -> Edit:
    """A character typed in the name of one of the five tables the most relationships point at: every
    relationship to it breaks, so the tables that refer to it are checked again."""
    counts: dict[str, int] = {}
    for name in re.findall(r'^ref: "[^"]+"\."[^"]+" [<>-] "([^"]+)"', text, re.M):
        counts[name] = counts.get(name, 0) + 1
    hub = rng.choice(sorted(counts, key=lambda n: -counts[n])[:5])
    at = text.index(f'Table "{hub}"') + len('Table "') + len(hub) - 1
    return at, at, "x"


KINDS: dict[str, Callable[[str, random.Random], Edit]] = {
    "table name": _typed(r'^Table "table_', len('Table "table_')),
    "column name": _typed(r'^\t"col_', len('\t"col_')),
    "type": _type_edit,
    "setting": _typed(r"\[note: '", len("[note")),
    "Ref line": _typed(r'^ref: "table_', len('ref: "table_')),
    "Query SQL": _typed(r'^  SELECT t\."', len('  SELECT t."')),
    "new line": _new_line,
    "deleted line": _deleted_line,
}
# measured only when asked for (`--kinds "hub table name"`): an edit of a rarer kind than the others
EXTRA_KINDS: dict[str, Callable[[str, random.Random], Edit]] = {"hub table name": _hub_table_name}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--edits", type=int, default=15, help="edits of each kind (each undone: twice as many)")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--delay", type=int, default=0, help="the server's diagnostics debounce delay (ms)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="the edit kinds to measure, comma-separated")
    args = parser.parse_args()
    if not args.file.is_file():
        print(f"no input at {args.file} (set DBDSL_SHARED to the shared folder)", file=sys.stderr)
        return 2
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    every_kind = KINDS | EXTRA_KINDS
    unknown = [k for k in kinds if k not in every_kind]
    if unknown:
        print(f"unknown edit kind(s): {', '.join(unknown)}; known: {', '.join(every_kind)}", file=sys.stderr)
        return 2
    rng = random.Random(4)
    text = with_queries(args.file.read_text(encoding="utf-8"), rng)
    uri = "file:///bench/" + args.file.name
    delay = args.delay / 1000
    client = Client(args.delay)
    startup, _ = client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": None,
            "capabilities": {"textDocument": {"hover": {}}},
        },
    )
    client.notify("initialized", {})
    startup_cpu = client.cpu_s()
    t0 = time.perf_counter()
    client.notify(
        "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dbml", "version": 1, "text": text}}
    )
    at, first_diagnostics = client.wait_diagnostics(uri, 1)
    first = at - t0 - delay
    first_cpu = client.cpu_s() - startup_cpu
    rss_open = client.rss_mb()
    doc = {"uri": uri}
    cpu = client.cpu_s()
    full_time, tokens = client.request("textDocument/semanticTokens/full", {"textDocument": doc})
    full_cpu = client.cpu_s() - cpu
    full_size = len(json.dumps(tokens))

    version = 1

    def change(start: int, end: int, new: str) -> tuple[float, float]:
        """Apply one edit, wait for its diagnostics; the seconds it took beyond the delay, and the
        server's CPU seconds meanwhile."""
        nonlocal text, version
        version += 1
        change = {"range": {"start": position(text, start), "end": position(text, end)}, "text": new}
        text = text[:start] + new + text[end:]
        cpu = client.cpu_s()
        t0 = time.perf_counter()
        client.notify(
            "textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
        )
        at, _ = client.wait_diagnostics(uri, version)
        return at - t0 - delay, client.cpu_s() - cpu

    edit_times: dict[str, list[float]] = {}
    edit_cpu: dict[str, list[float]] = {}
    delta_times, delta_sizes = [], []
    for kind in kinds:
        times, cpu = edit_times[kind], edit_cpu[kind] = [], []
        for _ in range(args.edits):
            start, end, new = every_kind[kind](text, rng)
            old = text[start:end]
            for took in (change(start, end, new), change(start, start + len(new), old)):  # the edit, its undo
                times.append(took[0])
                cpu.append(took[1])
                _, tokens = _delta(client, doc, tokens, delta_times, delta_sizes)
    rss_edits = client.rss_mb()

    names = [m.start() + 9 for m in re.finditer(r'^Table "', text, re.M)]
    columns = [m.start() + 5 for m in re.finditer(r'^\t"col_', text, re.M)]
    refs = [m.start() for m in re.finditer(r'^ref: "', text, re.M)]
    hover_times = []
    for _ in range(args.requests):
        at = rng.choice(names) if rng.random() < 0.5 else rng.choice(columns)
        took, result = client.request("textDocument/hover", {"textDocument": doc, "position": position(text, at)})
        hover_times.append(took)
        assert result is not None
    completion_times = []
    for _ in range(args.requests):
        at = rng.choice(refs)
        at = text.index('"."', at) + 3 if rng.random() < 0.5 else text.index("> ", at) + 2
        took, result = client.request("textDocument/completion", {"textDocument": doc, "position": position(text, at)})
        completion_times.append(took)
        assert result["items"], at
    client.close()

    lines = text.count("\n")
    print(f"dbdsl language server on {args.file.name} + {QUERIES} queries ({lines} lines, {len(text) / 1e6:.1f} MB)")
    print(f"{'initialize round trip':<42} {startup * 1000:7.0f} ms   (CPU {startup_cpu * 1000:.0f} ms; target <= 300)")
    print(
        f"{'open -> first diagnostics':<42} {first * 1000:7.0f} ms   (CPU {first_cpu * 1000:.0f} ms; "
        f"{len(first_diagnostics)} diagnostics; target <= 1500 ms)"
    )
    print(f"edit -> published diagnostics, beyond a {args.delay} ms delay ({2 * args.edits} edits per kind):")
    for kind in kinds:
        print(figures(f"  {kind}", edit_times[kind], 100))
    print(figures("  all kinds", [t for ts in edit_times.values() for t in ts], 100))
    print("the server's CPU time per edit (what the clock shows on an idle machine):")
    for kind in kinds:
        print(figures(f"  {kind}", edit_cpu[kind]))
    print(
        f"{'semantic tokens, full array':<42} {full_time * 1000:7.0f} ms, {full_size / 1e6:.1f} MB of JSON"
        f"   (CPU {full_cpu * 1000:.0f} ms; target <= 500 ms)"
    )
    size = statistics.median(delta_sizes)
    print(figures("semantic tokens delta after an edit", delta_times, 50) + f"   (median {size:.0f} bytes)")
    print(figures("hover", hover_times, 30))
    print(figures("completion", completion_times, 30))
    print(f"{'server RSS with the file open':<42} {rss_open:7.0f} MB (after the edits: {rss_edits:.0f} MB)")
    return 0


def _delta(client: Client, doc: dict, tokens: dict, times: list[float], sizes: list[int]) -> tuple[float, dict]:
    """A semantic tokens delta request against the previous result (after the edit's diagnostics)."""
    took, delta = client.request(
        "textDocument/semanticTokens/full/delta", {"textDocument": doc, "previousResultId": tokens["resultId"]}
    )
    assert "edits" in delta, "the server answered a delta request with the full array"
    times.append(took)
    sizes.append(len(json.dumps(delta)))
    return took, delta


if __name__ == "__main__":
    raise SystemExit(main())
