"""A real MariaDB server for the tests, started from Debian's `mariadb-server` binaries.

`mariadb-install-db` makes a data directory in a temporary folder and `mariadbd` serves it on a Unix
socket there, with no TCP listener. As root the server runs as the `mysql` system user (mariadbd
refuses to run as root without being told to), and root connects through unix_socket authentication.
Statements and catalog queries go through the `mariadb` command-line client.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

_counter = itertools.count()


def binary(name: str) -> str | None:
    for folder in ("/usr/sbin", "/usr/bin"):
        if Path(folder, name).exists():
            return str(Path(folder, name))
    return shutil.which(name)


class MariaDB:
    def __init__(self, root: Path, run_as: str | None) -> None:
        self.root = root
        self.data = root / "data"
        self.socket = root / "mariadb.sock"
        self.run_as = run_as
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        if self.run_as:
            shutil.chown(self.root, self.run_as)
        user = ["--user=" + (self.run_as or os.environ.get("USER", "root"))]
        install = [
            binary("mariadb-install-db"),
            "--no-defaults",
            *user,
            f"--datadir={self.data}",
            "--skip-test-db",
            "--auth-root-authentication-method=socket",
        ]
        for attempt in (1, 2):  # its bootstrap server has been seen to fail once on a crowded machine
            done = subprocess.run(install, capture_output=True, text=True)
            if done.returncode == 0:
                break
            shutil.rmtree(self.data, ignore_errors=True)
            if attempt == 2:
                said = (done.stderr or done.stdout)[-2000:]
                raise RuntimeError(f"mariadb-install-db failed (status {done.returncode}): {said}")
        command = [
            binary("mariadbd"),
            "--no-defaults",
            f"--datadir={self.data}",
            f"--socket={self.socket}",
            f"--tmpdir={self.root}",  # its own temporary tables: nothing else in /tmp touches them
            "--skip-networking",
            f"--pid-file={self.root / 'mariadb.pid'}",
            f"--log-error={self.root / 'error.log'}",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_bin",
        ]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.socket.exists() and self._client("-e", "SELECT 1").returncode == 0:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        log = (self.root / "error.log").read_text(errors="replace") if (self.root / "error.log").exists() else ""
        raise RuntimeError(f"MariaDB did not start: {log[-2000:]}")

    def stop(self) -> None:
        self._client("-e", "SHUTDOWN")
        if self.process is not None:
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def _client(self, *args: str, input: str | None = None, database: str | None = None, charset: str = "utf8mb4"):
        command = [
            binary("mariadb"),
            "--no-defaults",
            f"--socket={self.socket}",
            "-u",
            "root",
            f"--default-character-set={charset}",
        ]
        if database:
            command.append(f"--database={database}")
        return subprocess.run(command + list(args), input=input, capture_output=True, text=True, timeout=120)

    def fresh_database(self) -> str:
        name = f"t_{os.getpid()}_{next(_counter)}"
        self.query(f"CREATE DATABASE `{name}`")
        return name

    def drop_user_databases(self) -> None:
        system = {"information_schema", "mysql", "performance_schema", "sys"}
        drops = [f"DROP DATABASE `{n.replace('`', '``')}`;" for (n,) in self.query("SHOW DATABASES") if n not in system]
        if drops:  # databases may reference each other: drop them without checking foreign keys
            self.query("SET FOREIGN_KEY_CHECKS = 0; " + " ".join(drops))

    def run_statements(self, database: str, statements: list[str], charset: str = "utf8mb4") -> list[tuple[str, str]]:
        """Run statements in order (going on after an error); return (statement, error) of each refused.
        `charset`: the client's character set (a script must not depend on it)."""
        text = "".join(s.rstrip().rstrip(";") + ";\n" for s in statements)
        starts, line = [], 1
        for s in statements:
            starts.append(line)
            line += (s.rstrip().rstrip(";") + ";\n").count("\n")
        done = self._client("--force", "--batch", database=database, input=text, charset=charset)
        failures = []
        for m in re.finditer(r"^ERROR \d+ \(\w+\) at line (\d+): (.*)$", done.stderr, re.M):
            at = int(m.group(1))
            index = max(i for i, start in enumerate(starts) if start <= at)
            failures.append((statements[index], m.group(2)))
        return failures

    def query(self, sql: str, database: str | None = None) -> list[tuple[str | None, ...]]:
        done = self._client("--batch", "--skip-column-names", "-e", sql, database=database)
        if done.returncode != 0:
            raise RuntimeError(f"{sql}: {done.stderr.strip()}")
        return [tuple(_unescape(v) for v in line.split("\t")) for line in done.stdout.splitlines()]


def _unescape(value: str) -> str | None:
    if value == "NULL":
        return None
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "0": "\0"}.get(m.group(1), m.group(1)), value)


@contextlib.contextmanager
def running_mariadb() -> Iterator[MariaDB]:
    missing = [b for b in ("mariadb-install-db", "mariadbd", "mariadb") if binary(b) is None]
    if missing:
        pytest.skip(f"MariaDB is not installed ({', '.join(missing)} missing; scripts/setup --test installs it)")
    run_as = "mysql" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="dbdsl-mariadb-"))
    server = MariaDB(root, run_as)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
