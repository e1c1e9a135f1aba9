"""Index keys with a direction (`created_at desc`), as DBML writes them inside backticks, become column keys
with that direction in every engine's DDL, and the engines store them so."""

from __future__ import annotations

import sqlite3

import pytest

from dbdsl.emit.sql import generate
from tests.rules.helpers import analyze

TEXT = """
Table payments {
  id int [pk]
  status varchar(20) [not null]
  created_at timestamp [not null]
  paid_at timestamp

  indexes {
    (status, `created_at desc`) [name: 'payments_status_recent']
    `paid_at DESC NULLS LAST` [name: 'payments_paid_last']
    `"status" asc` [name: 'payments_status_asc']
  }
}
"""

EXPECTED = {
    "postgres": [
        'CREATE INDEX "payments_status_recent" ON "payments"("status", "created_at" DESC)',
        'CREATE INDEX "payments_paid_last" ON "payments"("paid_at" DESC NULLS LAST)',
        'CREATE INDEX "payments_status_asc" ON "payments"("status")',
    ],
    "mysql": [
        "CREATE INDEX `payments_status_recent` ON `payments`(`status`, `created_at` DESC)",
        "CREATE INDEX `payments_paid_last` ON `payments`(`paid_at` DESC)",
        "CREATE INDEX `payments_status_asc` ON `payments`(`status`)",
    ],
    "mssql": [
        "CREATE INDEX [payments_status_recent] ON [payments]([status], [created_at] DESC)",
        "CREATE INDEX [payments_paid_last] ON [payments]([paid_at] DESC)",
        "CREATE INDEX [payments_status_asc] ON [payments]([status])",
    ],
    "sqlite": [
        'CREATE INDEX "payments_status_recent" ON "payments"("status", "created_at" DESC)',
        'CREATE INDEX "payments_paid_last" ON "payments"("paid_at" DESC)',
        'CREATE INDEX "payments_status_asc" ON "payments"("status")',
    ],
    "oracle": [
        'CREATE INDEX "payments_status_recent" ON "payments"("status", "created_at" DESC)',
        'CREATE INDEX "payments_paid_last" ON "payments"("paid_at" DESC NULLS LAST)',
        'CREATE INDEX "payments_status_asc" ON "payments"("status")',
    ],
}


def script(dialect: str):
    return generate(analyze(TEXT).schema, dialect)


@pytest.mark.parametrize("dialect", sorted(EXPECTED))
def test_directions_are_written_for_every_engine(dialect: str) -> None:
    made = script(dialect)
    target = {"mssql": "tsql"}.get(dialect, dialect)
    indexes = [s.sql(dialect=target) for s in made.statements if s.args.get("kind") == "INDEX"]
    assert indexes == EXPECTED[dialect]
    assert made.warnings == []


def test_postgres_stores_the_directions(postgres, pg_database) -> None:
    with postgres.connect(pg_database) as conn:
        for statement in script("postgres").statements:
            conn.execute(statement.sql(dialect="postgres"))
        rows = dict(conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'payments'").fetchall())
    assert rows["payments_status_recent"].endswith("(status, created_at DESC)")
    assert rows["payments_paid_last"].endswith("(paid_at DESC NULLS LAST)")


def test_sqlite_stores_the_directions() -> None:
    db = sqlite3.connect(":memory:")
    for statement in script("sqlite").statements:
        db.execute(statement.sql(dialect="sqlite"))
    keys = [(row[2], row[3]) for row in db.execute("PRAGMA index_xinfo('payments_status_recent')") if row[5]]
    assert keys == [("status", 0), ("created_at", 1)]


def test_mariadb_stores_the_directions(mariadb) -> None:
    database = mariadb.fresh_database()
    statements = [s.sql("mysql", comments=False) for s in script("mysql").statements]
    assert mariadb.run_statements(database, statements) == []
    rows = mariadb.query("SHOW INDEX FROM payments WHERE Key_name = 'payments_status_recent'", database)
    assert [(r[4], r[5]) for r in rows] == [("status", "A"), ("created_at", "D")]
