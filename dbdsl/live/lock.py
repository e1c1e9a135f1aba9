"""One apply or rollback at a time per database. PostgreSQL: a session advisory lock; MySQL and
MariaDB: GET_LOCK; SQLite: a row in `dbdsl_schema_lock` taken inside BEGIN IMMEDIATE (the file's own
transactions cannot run inside one long transaction, so the lock is a row written atomically, and a
row left by a process that died on this host is taken over). A second run waits up to the lock
timeout, then says who holds the lock."""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Iterator

from sqlglot import exp

from .connect import Database, StatementError, who
from .history import LOCK_TABLE, now

LOCK_KEY = 4_242_013  # PostgreSQL advisory lock key: "dbdsl migrations"
LOCK_NAME = "dbdsl_schema_history"


class LockTimeout(Exception):
    """Another run holds the lock (the message says who)."""


@contextlib.contextmanager
def migration_lock(db: Database, timeout: float) -> Iterator[None]:
    take, release, holder = {
        "postgres": (_pg_take, _pg_release, _pg_holder),
        "mysql": (_my_take, _my_release, _my_holder),
        "sqlite": (_lite_take, _lite_release, _lite_holder),
    }[db.kind]
    deadline = time.monotonic() + max(0.0, timeout)
    while not take(db):
        if time.monotonic() >= deadline:
            raise LockTimeout(
                f"another migration run holds the lock on {db.url.shown} ({holder(db) or 'holder unknown'}); "
                "waited {:g} s (--lock-timeout)".format(timeout)
            )
        time.sleep(0.1)
    try:
        yield
    finally:
        release(db)


# ---- PostgreSQL


def _pg_take(db: Database) -> bool:
    return bool(db.query("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,))[0][0])


def _pg_release(db: Database) -> None:
    db.rollback()
    db.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))


def _pg_holder(db: Database) -> str | None:
    rows = db.query(
        """SELECT a.application_name, a.usename, a.pid, a.backend_start
           FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE l.locktype = 'advisory' AND l.objid = %s AND l.granted""",
        (LOCK_KEY,),
    )
    if not rows:
        return None
    app, user, pid, since = rows[0]
    return f"{app or 'a session'} as {user}, server pid {pid}, connected since {since:%Y-%m-%d %H:%M:%S}"


# ---- MySQL and MariaDB


def _my_take(db: Database) -> bool:
    return db.query("SELECT GET_LOCK(%s, 0)", (LOCK_NAME,))[0][0] == 1


def _my_release(db: Database) -> None:
    db.execute("SELECT RELEASE_LOCK(%s)", (LOCK_NAME,))


def _my_holder(db: Database) -> str | None:
    rows = db.query(
        "SELECT p.user, p.host, p.id FROM information_schema.processlist p WHERE p.id = IS_USED_LOCK(%s)",
        (LOCK_NAME,),
    )
    return f"{rows[0][0]}@{rows[0][1]}, connection {rows[0][2]}" if rows else None


# ---- SQLite


def _lock_table() -> str:
    return exp.to_identifier(LOCK_TABLE, quoted=True).sql("sqlite")


def _lite_take(db: Database) -> bool:
    table = _lock_table()
    try:
        db.execute("BEGIN IMMEDIATE")
    except StatementError:  # another writer holds the database longer than the busy timeout
        return False
    try:
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY CHECK (id = 1), "
            "holder TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, since TEXT NOT NULL)"
        )
        rows = db.query(f"SELECT host, pid FROM {table} WHERE id = 1")
        if rows and not _dead(*rows[0]):
            db.execute("COMMIT")
            return False
        db.execute(f"DELETE FROM {table}")
        db.execute(
            f"INSERT INTO {table} (id, holder, host, pid, since) VALUES (1, %s, %s, %s, %s)",
            (who(), socket.gethostname(), os.getpid(), now()),
        )
        db.execute("COMMIT")
        return True
    except BaseException:
        db.rollback()
        raise


def _dead(host: str, pid: int) -> bool:
    """A lock row left by a process of this host that no longer runs."""
    if host != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _lite_release(db: Database) -> None:
    db.rollback()
    db.execute(f"DELETE FROM {_lock_table()} WHERE pid = %s AND host = %s", (os.getpid(), socket.gethostname()))


def _lite_holder(db: Database) -> str | None:
    rows = db.query(f"SELECT holder, since FROM {_lock_table()} WHERE id = 1")
    return f"{rows[0][0]}, since {rows[0][1]}" if rows else None
