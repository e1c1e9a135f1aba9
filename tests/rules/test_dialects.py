"""Engine facts: the reserved-word lists are checked against the real engines where they run here."""

from __future__ import annotations

import sqlite3

import pytest
from sqlglot import exp

from dbdsl.dialects import IDENTIFIER_LIMITS, identifier_size, reserved_words

from .helpers import codes

COMMON_NAMES = ["users", "orders_x", "name", "status", "type", "key", "value", "action", "data", "text", "date"]


def _create(table: str, column: str, dialect: str) -> str:
    """CREATE TABLE <table> (<column> int) with both names unquoted, built by sqlglot."""
    create = exp.Create(
        this=exp.Schema(
            this=exp.Table(this=exp.to_identifier(table, quoted=False)),
            expressions=[exp.ColumnDef(this=exp.to_identifier(column, quoted=False), kind=exp.DataType.build("int"))],
        ),
        kind="TABLE",
    )
    return create.sql(dialect=dialect, identify=False)


def _fails(run, sql: str) -> bool:
    try:
        run(sql)
    except Exception:
        return True
    return False


def test_sqlite_reserved_words_are_exactly_those_sqlite_rejects() -> None:
    words = reserved_words("sqlite")
    for word in sorted(words):
        db = sqlite3.connect(":memory:")
        as_table = _fails(db.execute, _create(word, "x", "sqlite"))
        as_column = _fails(db.execute, _create("t", word, "sqlite"))
        as_select = _fails(db.execute, f"SELECT {word} FROM sqlite_master") if not as_column else True
        assert as_table or as_column or as_select, word
    for word in COMMON_NAMES + ["user", "replace", "key"]:
        db = sqlite3.connect(":memory:")
        assert not _fails(db.execute, _create(word, "x", "sqlite")), word


@pytest.mark.postgres
def test_postgres_reserved_words_are_rejected_by_postgres(postgres, pg_database) -> None:
    words = reserved_words("postgres")
    assert {"user", "order", "group", "select", "table"} <= words
    with postgres.connect(pg_database) as conn:
        accepted = [
            word
            for word in sorted(words)
            if not _fails(conn.execute, _create(word, "x", "postgres"))
            and not _fails(conn.execute, _create(f"t_{word}", word, "postgres"))
        ]
        version = int(conn.execute("SHOW server_version_num").fetchone()[0])
        newer = {"system_user"} if version < 160000 else set()  # reserved since PostgreSQL 16
        assert set(accepted) == newer
        for word in COMMON_NAMES:
            conn.execute(_create(word, "x", "postgres"))
            conn.execute(_create(f"t_{word}", word, "postgres"))


def test_mysql_reserved_words_come_from_sqlglot() -> None:
    from sqlglot.dialects.mysql import MySQL

    assert reserved_words("mysql") == frozenset(w.lower() for w in MySQL.Generator.RESERVED_KEYWORDS)
    assert "order" in reserved_words("mysql") and "user" not in reserved_words("mysql")


def test_reserved_word_rule_follows_the_dialect() -> None:
    table = "Table user {\n  id int [pk]\n}\n"
    assert "S101" in codes(table)
    assert "S101" not in codes("Project p {\n  database_type: 'MySQL'\n}\n" + table)
    assert "S101" in codes("Project p {\n  database_type: 'SQL Server'\n}\n" + table)


def test_identifier_limits() -> None:
    assert identifier_size("é" * 40, "postgres") == 80  # bytes in PostgreSQL
    assert identifier_size("é" * 40, "mysql") == 40
    long = "a" * 64
    table = f"Table {long} {{\n  id int [pk]\n}}\n"
    assert "S102" in codes(table)  # 64 > 63 in PostgreSQL
    assert "S102" not in codes("Project p {\n  database_type: 'MySQL'\n}\n" + table)
    assert IDENTIFIER_LIMITS["mysql"] == (64, "characters")
