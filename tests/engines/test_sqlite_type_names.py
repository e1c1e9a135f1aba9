"""SQLite keeps the declared type name: the SQL keeps the schema's name when SQLite gives it the same
affinity as the PostgreSQL spelling, so `integer [pk]` is the rowid (INTEGER PRIMARY KEY) and `bool`
reads back as BOOL; a name whose affinity would change (`string`) is written as PostgreSQL spells it."""

from __future__ import annotations

import sqlite3

from dbdsl.emit.sql import generate
from tests.rules.helpers import analyze

TEXT = """
Table a {
  id integer [pk]
  ok bool
  n int
  s string
  at datetime
}
"""


def test_sqlite_keeps_the_written_type_names() -> None:
    script = generate(analyze(TEXT).schema, "sqlite").text()
    conn = sqlite3.connect(":memory:")
    conn.executescript(script)
    types = {name: typ for _cid, name, typ, *_ in conn.execute('PRAGMA table_info("a")')}
    assert types == {"id": "INTEGER", "ok": "BOOL", "n": "INT", "s": "TEXT", "at": "DATETIME"}
    conn.execute('INSERT INTO "a" (ok) VALUES (1)')  # the rowid numbers the row
    assert conn.execute('SELECT id FROM "a"').fetchone() == (1,)
