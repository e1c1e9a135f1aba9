"""The history table and the lock on MariaDB (GET_LOCK), driven directly: `migrate` writes PostgreSQL and
SQLite migrations only, so `apply` does not reach MySQL yet, but its history and lock are ready for it."""

from __future__ import annotations

import pytest

from dbdsl.live import history
from dbdsl.live.connect import connect
from dbdsl.live.history import APPLIED, FAILED, Entry
from dbdsl.live.lock import LockTimeout, migration_lock
from tests.live.urls import mysql_url


def test_history_and_lock_on_mariadb(mariadb) -> None:
    url = mysql_url(mariadb, mariadb.fresh_database())
    with connect(url) as first, connect(url) as second:
        assert history.read(first) == {}
        with migration_lock(first, 1):
            with pytest.raises(LockTimeout, match=r"holds the lock .*root@localhost"), migration_lock(second, 0.3):
                pass
            history.ensure_table(first)
            history.record(
                first, Entry(1, "items", "sha256:1", "up", FAILED, history.now(), 3, "me", 2, "CREATE", "no")
            )
            history.record(first, Entry(1, "items", "sha256:2", "up", APPLIED, history.now(), 4, "me"))
        with migration_lock(second, 1):  # released: the other connection takes it at once
            pass
        recorded = history.read(second)
    assert list(recorded) == [1]
    assert (recorded[1].status, recorded[1].checksum, recorded[1].failed_line) == (APPLIED, "sha256:2", None)
