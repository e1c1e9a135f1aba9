"""Expression defaults are read in the schema's dialect (PostgreSQL when the Project does not say) and
written in the target's, so `now()` works on every engine, not only at CREATE time."""

from __future__ import annotations

import sqlite3

from dbdsl.emit.sql import generate
from dbdsl.model.link import link
from dbdsl.workspace import SourceFile

TEXT = "Table t {\n  id int [pk]\n  at timestamp [not null, default: `now()`]\n}\n"


def test_now_default_works_on_sqlite_inserts() -> None:
    source = SourceFile("/virtual/now.dbml", TEXT)
    schema = link(source.decls())[0]
    conn = sqlite3.connect(":memory:")
    conn.executescript(generate(schema, "sqlite").text())
    conn.execute("INSERT INTO t (id) VALUES (1)")
    [(at,)] = conn.execute("SELECT at FROM t").fetchall()
    assert at and at[:2] == "20"


def test_now_default_works_on_postgres_inserts(postgres, pg_database) -> None:
    source = SourceFile("/virtual/now.dbml", TEXT)
    schema = link(source.decls())[0]
    with postgres.connect(pg_database) as conn:
        for statement in generate(schema, "postgres").statements:
            conn.execute(statement.sql(dialect="postgres"))
        conn.execute("INSERT INTO t (id) VALUES (1)")
        assert conn.execute("SELECT at IS NOT NULL FROM t").fetchone() == (True,)
