"""Start a language server command over stdio, send `initialize`, and return its answer (then shut it down)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path


def _frame(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read_message(stream) -> dict:
    headers: dict[str, str] = {}
    while True:
        line = stream.readline()
        if not line:
            raise EOFError("the server closed its output")
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii").partition(":")
        headers[name.strip().lower()] = value.strip()
    return json.loads(stream.read(int(headers["content-length"])))


def initialize(command: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60) -> dict:
    """The `initialize` result of the server `command` (its stderr is in the error when it fails)."""
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        params = {"processId": None, "rootUri": cwd.as_uri(), "capabilities": {}}
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}))
        proc.stdin.flush()
        while True:
            try:
                message = _read_message(proc.stdout)
            except EOFError:
                proc.wait(timeout=timeout)
                raise AssertionError(f"the server stopped: {proc.stderr.read().decode(errors='replace')}") from None
            if message.get("id") == 1:
                break
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
        proc.stdin.flush()
        proc.stdin.close()
        proc.wait(timeout=timeout)
        assert "result" in message, message
        return message["result"]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
