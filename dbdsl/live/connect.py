"""One connection to a live database, the same few operations on PostgreSQL (psycopg 3), MySQL and
MariaDB (PyMySQL) and SQLite (the standard library). Connections run in autocommit: a migration
file's own BEGIN and COMMIT decide its transactions.

Every failure to connect is a `ConnectError` with one line that names the URL with its password
masked: an unknown host, a host that does not answer within the connect timeout, wrong credentials,
a database that does not exist."""

from __future__ import annotations

import contextlib
import getpass
import os
import socket
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .url import DatabaseUrl, UrlError, parse_url

DEFAULT_CONNECT_TIMEOUT = 10


class ConnectError(Exception):
    """The database cannot be reached or used: exit status 2, one line."""


class StatementError(Exception):
    """A statement the database refused (the message is the engine's first line)."""


def who() -> str:
    """Who runs dbdsl, as the history records it: `user@host pid N`."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()} pid {os.getpid()}"


class Database:
    """An open connection. `query` and `execute` take `%s` placeholders on every engine."""

    def __init__(self, url: DatabaseUrl, conn: Any) -> None:
        self.url = url
        self.kind = url.kind
        self.conn = conn

    @property
    def dialect(self) -> str:
        return self.kind

    def _sql(self, sql: str) -> str:
        return sql.replace("%s", "?") if self.kind == "sqlite" else sql

    def query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        try:
            if self.kind == "postgres":
                cursor = self.conn.execute(sql, params or None)
                return cursor.fetchall() if cursor.description else []
            cursor = self.conn.cursor()
            try:
                cursor.execute(self._sql(sql), tuple(params)) if params else cursor.execute(sql)
                return list(cursor.fetchall()) if cursor.description else []
            finally:
                cursor.close()
        except self.errors as e:
            raise StatementError(self.url.mask(error_line(e))) from None

    def execute(self, sql: str, params: Sequence = ()) -> None:
        self.query(sql, params)

    @property
    def errors(self) -> tuple[type[BaseException], ...]:
        return driver_errors(self.kind)

    def in_transaction(self) -> bool:
        if self.kind == "postgres":
            from psycopg.pq import TransactionStatus

            return self.conn.info.transaction_status != TransactionStatus.IDLE
        if self.kind == "sqlite":
            return self.conn.in_transaction
        return False  # MySQL commits DDL implicitly: there is no open transaction to undo

    def rollback(self) -> None:
        if self.in_transaction():
            with contextlib.suppress(StatementError):
                self.query("ROLLBACK")

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a broken connection: nothing more to do
            self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(
    url: str | DatabaseUrl,
    *,
    password_env: str | None = None,
    timeout: float = DEFAULT_CONNECT_TIMEOUT,
    application: str = "dbdsl",
) -> Database:
    """Open `url`; ConnectError (one line, password masked) when it cannot be used."""
    try:
        parsed = url if isinstance(url, DatabaseUrl) else parse_url(url, password_env=password_env)
    except UrlError as e:
        raise ConnectError(str(e)) from None
    try:
        errors: tuple[type[BaseException], ...] = (*driver_errors(parsed.kind), OSError)  # and the network's
    except ImportError as e:  # psycopg without libpq on the machine, or a driver not installed
        need = "libpq (Debian: apt install libpq5) or pip install 'dbdsl[live]'"
        if parsed.kind == "mysql":
            need = "PyMySQL"
        raise ConnectError(f"cannot connect to {parsed.shown}: {error_line(e)}; install {need}") from None
    try:
        if parsed.kind == "postgres":
            return Database(parsed, _postgres(parsed, timeout, application))
        if parsed.kind == "mysql":
            return Database(parsed, _mysql(parsed, timeout))
        return Database(parsed, _sqlite(parsed, timeout))
    except errors as e:
        said = error_line(e)
        if "timed out" in said or "timeout expired" in said:
            said = f"no answer within {timeout:g} s (--connect-timeout)"
        raise ConnectError(f"cannot connect to {parsed.shown}: {parsed.mask(said)}") from None


def driver_errors(kind: str) -> tuple[type[BaseException], ...]:
    """The errors the driver of `kind` raises for a database that cannot be used (its import may raise
    ImportError: the drivers are loaded when a live database is first asked for)."""
    if kind == "postgres":
        import psycopg

        return (psycopg.Error,)
    if kind == "mysql":
        import pymysql

        return (pymysql.Error,)
    return (sqlite3.Error,)


def _postgres(url: DatabaseUrl, timeout: float, application: str) -> Any:
    import psycopg

    params: dict[str, Any] = dict(url.params)
    params.setdefault("connect_timeout", str(max(1, round(timeout))))
    params.setdefault("application_name", f"{application} ({who()})"[:63])
    if url.password is not None:
        params["password"] = url.password
    return psycopg.connect(autocommit=True, **params)


def _mysql(url: DatabaseUrl, timeout: float) -> Any:
    """PyMySQL bounds the TCP connect by `connect_timeout` but the server's greeting only by its read
    timeout: that is the connect timeout until the handshake is done, then none (migrations may take
    long), through the attribute PyMySQL reads before each read."""
    import pymysql

    p = url.params
    if not p.get("database"):
        raise ConnectError(f"{url.shown}: name the database in the URL (mysql://user@host/DATABASE)")
    seconds = max(1, round(timeout))
    conn = pymysql.connect(
        host=p.get("host", "localhost"),
        port=int(p.get("port", 3306)),
        user=p.get("user") or getpass.getuser(),
        password=url.password if url.password is not None else os.environ.get("MYSQL_PWD", ""),
        database=p["database"],
        unix_socket=p.get("unix_socket"),
        charset=p.get("charset", "utf8mb4"),
        connect_timeout=seconds,
        read_timeout=seconds,
        autocommit=True,
    )
    conn._read_timeout = None
    return conn


def _sqlite(url: DatabaseUrl, timeout: float) -> sqlite3.Connection:
    path = Path(url.params["path"])
    mode = url.params.get("mode", "rw")
    if mode != "rwc" and not path.is_file():
        raise ConnectError(f"cannot open {url.shown}: {path} does not exist (add ?mode=rwc to create it)")
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def error_line(error: BaseException) -> str:
    """The engine's message in one line: libpq's last meaningful line (FATAL: ...), PyMySQL's text."""
    args: tuple = getattr(error, "args", ())
    if len(args) >= 2 and isinstance(args[0], int) and isinstance(args[1], str):  # PyMySQL: (code, message)
        text = args[1]
    else:
        text = str(error)
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    fatal = [line for line in lines if line.startswith(("FATAL:", "ERROR:"))]
    chosen = fatal[-1] if fatal else lines[0]
    return chosen.removeprefix("FATAL: ").removeprefix("ERROR: ")
