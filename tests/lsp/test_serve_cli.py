"""`dbdsl serve`: stdio by default, `--tcp HOST:PORT` for debugging, clear usage errors."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

from tests.helpers import REPO, run_cli


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _message(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read(sock: socket.socket) -> dict:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    head, _, rest = data.partition(b"\r\n\r\n")
    headers = dict(line.split(b":", 1) for line in head.split(b"\r\n"))
    length = int(headers[b"Content-Length"])
    while len(rest) < length:
        rest += sock.recv(4096)
    return json.loads(rest[:length])


def test_tcp() -> None:
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-m", "dbdsl", "serve", "--tcp", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "the server did not listen"
                time.sleep(0.1)
        with sock:
            params = {"processId": None, "rootUri": None, "capabilities": {}}
            sock.sendall(_message({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}))
            reply = _read(sock)
            assert reply["id"] == 1 and reply["result"]["serverInfo"]["name"] == "dbdsl"
            assert reply["result"]["capabilities"]["hoverProvider"] is True
    finally:
        proc.kill()
        proc.wait(timeout=10)


def test_bad_tcp_address_is_a_usage_error() -> None:
    result = run_cli("serve", "--tcp", "localhost")
    assert result.returncode == 2
    assert "--tcp takes HOST:PORT" in result.stderr and "Traceback" not in result.stderr
