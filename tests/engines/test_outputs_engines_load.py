"""Outputs engines once refused, each loaded on the real engine: identity columns with Records (the
sequence is moved past the rows), MySQL's ON UPDATE (the column setting `on_update`), quoted array type
names, `nchar(4)`, expression index keys, SQL Server
bracketed names in checks, a JSON literal default; SQLite warns of table names that differ only in case."""

from __future__ import annotations

import sqlite3

import pytest

from dbdsl.emit.sql import generate
from dbdsl.importers.split import split
from tests.rules.helpers import analyze

TEXT = """
Project p { database_type: 'SQL Server' }
Table "Users" {
  "Id" int [pk, increment]
  name nchar(4)
  tags "text[]"
  t "timetz[1]"
  ts "TIME(2)[]"
  v "VARCHAR(25)[][2][]"
  price int [check: `[price] > 0`]
  meta json [default: '{"a": 1}']
  changed datetime [default: `CURRENT_TIMESTAMP`, on_update: `CURRENT_TIMESTAMP`]
  INDEXES
}
Records "Users"("Id", name, price) {
  1, 'abcd', 5
}
"""


# MariaDB has no expression indexes (MySQL 8 has): they are tried on PostgreSQL and SQLite
INDEXES = """
  indexes {
    `price * 2`
    `case when price > 10 then 1 else 0 end`
  }
"""


def schema(indexes: bool = True):
    analysis = analyze(TEXT.replace("  INDEXES\n", INDEXES if indexes else ""))
    assert not [f for f in analysis.findings if f.severity.name == "ERROR"]
    return analysis.schema


@pytest.mark.postgres
def test_postgres_loads_them(postgres) -> None:
    database = postgres.fresh_database()
    with postgres.connect(database) as conn:
        conn.execute(generate(schema(), "postgres").text())
        conn.execute("""INSERT INTO "Users" (name, price) VALUES ('efgh', 7)""")  # the identity moved past 1
        rows = conn.execute('SELECT "Id", name, meta::text FROM "Users" ORDER BY "Id"').fetchall()
        assert rows == [(1, "abcd", '{"a": 1}'), (2, "efgh", '{"a": 1}')]
        types = dict(
            conn.execute(
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                """WHERE attrelid = '"Users"'::regclass AND attnum > 0"""
            ).fetchall()
        )
        assert (types["name"], types["tags"]) == ("character(4)", "text[]")
        assert types["ts"] == "time(2) without time zone[]"
        assert conn.execute("""SELECT count(*) FROM pg_indexes WHERE tablename = 'Users'""").fetchone()[0] == 3
        with pytest.raises(Exception, match="check"):
            conn.execute("""INSERT INTO "Users" (name, price) VALUES ('x', -1)""")


def test_sqlite_loads_them_and_warns_of_names_differing_in_case() -> None:
    script = generate(schema(), "sqlite")
    conn = sqlite3.connect(":memory:")
    conn.executescript(script.text())
    assert conn.execute('SELECT "Id", name FROM "Users"').fetchall() == [(1, "abcd")]
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("""INSERT INTO "Users" (name, price) VALUES ('x', -1)""")
    assert any("SQLite has no array types" in w for w in script.warnings)
    twice = analyze("Table Users2 { id int }\nTable USERS2 { id int }\n").schema
    out = generate(twice, "sqlite")
    assert [w for w in out.warnings if "differ only in case" in w] == [
        "USERS2: SQLite takes 'Users2' and 'USERS2' (names that differ only in case) for one table; "
        "its CREATE TABLE fails"
    ]
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        sqlite3.connect(":memory:").executescript(out.text())


@pytest.mark.slow
def test_mariadb_loads_them(mariadb) -> None:
    database = mariadb.fresh_database()
    script = generate(schema(indexes=False), "mysql")
    failures = mariadb.run_statements(database, [p.text for p in split(script.text(), "mysql")])
    assert failures == []
    assert mariadb.query("SELECT `Id`, name FROM `Users`", database) == [("1", "abcd")]
