"""A real PostgreSQL server for the tests, started with Debian's initdb/pg_ctl.

PostgreSQL refuses to run as root, so as root the cluster is created and run by the `postgres` system
user, in a temporary directory that user owns, listening on a Unix socket in that directory only (no
TCP). Each test gets a fresh database from `PostgresServer.fresh_database()`.

When pg_cron is installed (Debian's postgresql-15-cron), the server preloads it with
`cron.database_name` set to `PostgresServer.CRON_DATABASE` (created at start): pg_cron's functions can
be installed in that database only. Its jobs connect through the server's socket.
"""

from __future__ import annotations

import contextlib
import getpass
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
_counter = itertools.count()


def pg_bin(name: str) -> str | None:
    for directory in PG_BIN_DIRS:
        candidate = directory / name
        if candidate.exists():
            return str(candidate)
    return shutil.which(name)


def pg_cron_available() -> bool:
    return any((d.parent / "lib" / "pg_cron.so").exists() for d in PG_BIN_DIRS)


class PostgresServer:
    CRON_DATABASE = "cron_jobs"

    def __init__(self, root: Path, run_as: str | None) -> None:
        self.root = root
        self.data = root / "data"
        self.socket_dir = root / "socket"
        self.run_as = run_as
        self.user = run_as or getpass.getuser()
        self.port = 5432
        self.created: list[str] = []  # databases made by fresh_database(), not dropped yet

    def _cmd(self, *args: str) -> list[str]:
        if self.run_as and os.geteuid() == 0:
            return ["runuser", "-u", self.run_as, "--", *args]
        return list(args)

    def start(self) -> None:
        self.socket_dir.mkdir(parents=True)
        if self.run_as and os.geteuid() == 0:
            shutil.chown(self.root, self.run_as)
            shutil.chown(self.socket_dir, self.run_as)
        subprocess.run(
            self._cmd(
                pg_bin("initdb"),
                "-D",
                str(self.data),
                "-U",
                self.user,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ),
            check=True,
            capture_output=True,
        )
        options = f"-c listen_addresses='' -c unix_socket_directories={self.socket_dir} -c fsync=off -p {self.port}"
        self.cron = pg_cron_available()
        if self.cron:
            options += (
                f" -c shared_preload_libraries=pg_cron -c cron.database_name={self.CRON_DATABASE}"
                f" -c cron.host={self.socket_dir}"
            )
        subprocess.run(
            self._cmd(
                pg_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start"
            ),
            check=True,
            capture_output=True,
        )
        if self.cron:
            with self.connect() as conn:
                conn.execute(f'CREATE DATABASE "{self.CRON_DATABASE}"')

    def stop(self) -> None:
        subprocess.run(
            self._cmd(pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"),
            capture_output=True,
        )

    def require_password(self, role: str) -> None:
        """Make `role` log in with its password (SCRAM) instead of the trust every other role has:
        a first line in pg_hba.conf, then a configuration reload."""
        hba = self.data / "pg_hba.conf"
        line = f"local all {role} scram-sha-256\n"
        text = hba.read_text()  # the postgres user's file: root may write it, and it keeps its owner
        if line not in text:
            hba.write_text(line + text)
            with self.connect() as conn:
                conn.execute("SELECT pg_reload_conf()")

    def conninfo(self, dbname: str = "postgres") -> str:
        return f"host={self.socket_dir} port={self.port} user={self.user} dbname={dbname}"

    def connect(self, dbname: str = "postgres", autocommit: bool = True):
        import psycopg

        return psycopg.connect(self.conninfo(dbname), autocommit=autocommit)

    def fresh_database(self, prefix: str = "t") -> str:
        name = f"{prefix}_{os.getpid()}_{next(_counter)}"
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return name

    def drop_created(self, since: int = 0) -> None:
        """Drop the databases made by fresh_database() after the first `since` (after each test: hundreds of
        them left until the end of the session cost gigabytes of disk and a long teardown)."""
        if len(self.created) <= since:
            return
        with self.connect() as conn:
            for name in self.created[since:]:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        del self.created[since:]

    def psql_env(self) -> dict[str, str]:
        return dict(os.environ, PGHOST=str(self.socket_dir), PGPORT=str(self.port), PGUSER=self.user)


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    if pg_bin("initdb") is None or pg_bin("pg_ctl") is None:
        pytest.skip("PostgreSQL server binaries are not installed (scripts/setup --test installs them)")
    run_as = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="dbdsl-pg-"))
    server = PostgresServer(root, run_as)
    try:
        server.start()
    except subprocess.CalledProcessError as e:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {e.stderr!r} {log}") from e
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
