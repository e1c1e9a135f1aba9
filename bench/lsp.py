"""Language server benchmark: a real client talks to `python -m dbdsl serve` over stdio, on 25k.dbml.

Prints figures; it is not a test. Measured (targets from issue 4):
- one-character edit -> published diagnostics, beyond the debounce delay: p50/p95 (<= 100 ms p95); the
  clock stops when the whole message has arrived, before this client parses its JSON
- hover and completion round trips: p50/p95 (<= 30 ms p95)
- server memory (RSS) with the file open, after the edits (<= 300 MB)
- semantic tokens: the full array once, then after each edit the delta against the previous result
  (time and size of the answer)

    python bench/lsp.py [--file PATH] [--edits N] [--requests N] [--delay MS]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DBDSL_SHARED", REPO.parent / "shared"))
DEFAULT_INPUT = SHARED / "corpus" / "bench" / "25k.dbml"


class Client:
    """A minimal JSON-RPC client over the server's stdin/stdout."""

    def __init__(self, delay_ms: int) -> None:
        env = dict(os.environ, PYTHONPATH=str(REPO), DBDSL_DIAGNOSTICS_DELAY_MS=str(delay_ms))
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
                self.responses.pop(message["id"]).put(message)
            elif message.get("method") == "textDocument/publishDiagnostics":
                self.diagnostics.put((now, message["params"]))
            elif "id" in message:  # a request from the server: accept it
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        with self.lock:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()

    def request(self, method: str, params: object) -> object:
        self.next_id += 1
        box: queue.Queue = queue.Queue()
        self.responses[self.next_id] = box
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        reply = box.get(timeout=120)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result")

    def notify(self, method: str, params: object) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri: str, version: int) -> float:
        while True:
            at, params = self.diagnostics.get(timeout=120)
            if params["uri"] == uri and params.get("version") == version:
                return at

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--delay", type=int, default=150, help="the server's diagnostics debounce delay (ms)")
    args = parser.parse_args()
    if not args.file.is_file():
        print(f"no input at {args.file} (set DBDSL_SHARED to the shared folder)", file=sys.stderr)
        return 2
    text = args.file.read_text(encoding="utf-8")
    uri = "file:///bench/" + args.file.name
    rng = random.Random(4)
    client = Client(args.delay)
    t0 = time.perf_counter()
    client.request(
        "initialize",
        {"processId": os.getpid(), "rootUri": None, "capabilities": {"textDocument": {"hover": {}}}},
    )
    client.notify("initialized", {})
    startup = time.perf_counter() - t0
    t0 = time.perf_counter()
    client.notify(
        "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dbml", "version": 1, "text": text}}
    )
    first = client.wait_diagnostics(uri, 1) - t0 - args.delay / 1000
    rss_open = client.rss_mb()

    # one-character edits inside column names in the middle of the file: type a character, then delete it
    columns = [i for i in range(len(text) // 3, 2 * len(text) // 3) if text.startswith('\n\t"col_', i)]
    edit_times = []
    version = 1
    for _ in range(args.edits):
        at = rng.choice(columns) + 3
        for insert in (True, False):
            version += 1
            start, end = position(text, at), position(text, at + (0 if insert else 1))
            change = {"range": {"start": start, "end": end}, "text": "x" if insert else ""}
            text = text[:at] + "x" + text[at:] if insert else text[:at] + text[at + 1 :]
            t0 = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            published = client.wait_diagnostics(uri, version)
            edit_times.append(published - t0 - args.delay / 1000)

    names = [i + 7 for i in range(len(text)) if text.startswith('Table "', i)]
    refs = [i for i in range(len(text)) if text.startswith('ref: "', i)]
    hover_times = []
    for _ in range(args.requests):
        at = rng.choice(names) + 2 if rng.random() < 0.5 else rng.choice(columns) + 5
        t0 = time.perf_counter()
        result = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position(text, at)})
        hover_times.append(time.perf_counter() - t0)
        assert result is not None
    completion_times = []
    for _ in range(args.requests):
        at = rng.choice(refs)
        at = text.index('"."', at) + 3 if rng.random() < 0.5 else text.index("> ", at) + 2
        t0 = time.perf_counter()
        result = client.request(
            "textDocument/completion", {"textDocument": {"uri": uri}, "position": position(text, at)}
        )
        completion_times.append(time.perf_counter() - t0)
        assert result["items"], at
    rss_end = client.rss_mb()

    doc = {"uri": uri}
    t0 = time.perf_counter()
    tokens = client.request("textDocument/semanticTokens/full", {"textDocument": doc})
    full_time, full_size = time.perf_counter() - t0, len(json.dumps(tokens))
    delta_times, delta_sizes = [], []
    for _ in range(args.edits):
        at = rng.choice(columns) + 3
        version += 1
        change = {"range": {"start": position(text, at), "end": position(text, at)}, "text": "x"}
        text = text[:at] + "x" + text[at:]
        client.notify(
            "textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
        )
        t0 = time.perf_counter()
        delta = client.request(
            "textDocument/semanticTokens/full/delta", {"textDocument": doc, "previousResultId": tokens["resultId"]}
        )
        delta_times.append(time.perf_counter() - t0)
        assert "edits" in delta, "the server answered a delta request with the full array"
        delta_sizes.append(len(json.dumps(delta)))
        tokens = delta
    client.close()

    lines = text.count("\n")
    print(f"dbdsl language server on {args.file.name} ({lines} lines, {len(text) / 1e6:.1f} MB)")
    print(f"{'server start (initialize round trip)':<42} {startup * 1000:7.0f} ms")
    print(f"{'open -> first diagnostics (beyond delay)':<42} {first * 1000:7.0f} ms")
    print(figures(f"edit -> diagnostics beyond {args.delay} ms delay", edit_times, 100))
    print(figures("hover", hover_times, 30))
    print(figures("completion", completion_times, 30))
    print(
        f"{'server RSS with the file open':<42} {rss_open:7.0f} MB (after the edits: {rss_end:.0f} MB; target <= 300)"
    )
    print(f"{'semantic tokens, full array':<42} {full_time * 1000:7.0f} ms, {full_size / 1e6:.1f} MB of JSON")
    size = statistics.median(delta_sizes)
    print(figures("semantic tokens delta after an edit", delta_times) + f"   (median {size:.0f} bytes of JSON)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
