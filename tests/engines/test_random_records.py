"""Property: a random valid schema with Records (rows that satisfy its keys, checks and foreign keys)
loads on PostgreSQL, SQLite and MariaDB as `dbdsl sql` writes it, every row in place."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings

from dbdsl.emit.sql import generate
from dbdsl.importers.split import split
from tests.migrate.random_schemas import dbml, schemas
from tests.rules.helpers import analyze

ROWS = 2
FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def value(column: dict, row: int, enums: dict[str, list[str]]) -> str:
    """A value of the column's type that differs from row to row (unique keys) and passes `>= 0`."""
    type_ = column["type"]
    if type_ in enums:
        return f"'{enums[type_][row]}'"
    if type_ in ("int", "bigint", "smallint"):
        return str(row + 1)
    if type_.startswith("varchar") or type_ == "text":
        return f"'v{row}; it\\'s'"
    if type_ == "boolean":
        return "true" if row == 0 else "false"
    if type_ == "decimal(8,2)":
        return f"{row + 1}.25"
    if type_ == "date":
        return f"'2024-01-0{row + 1}'"
    raise AssertionError(type_)


def with_records(schema: dict) -> str:
    enums = {e["name"]: e["values"] for e in schema["enums"]}
    lines = [dbml(schema)]
    for table in schema["tables"]:
        names = ["id", *(c["name"] for c in table["columns"])]
        lines.append(f"Records {table['name']}({', '.join(names)}) {{")
        for row in range(ROWS):
            values = [str(row + 1)]
            for column in table["columns"]:
                is_fk = any(r["table"] == table["name"] and r["column"] == column["name"] for r in schema["refs"])
                values.append(str(row + 1) if is_fk else value(column, row, enums))
            lines.append("  " + ", ".join(values))
        lines.append("}")
    return "\n".join(lines) + "\n"


def checked(text: str):
    analysis = analyze(text)
    errors = [f for f in analysis.findings if f.severity.name == "ERROR"]
    assert errors == [], (errors, text)
    return analysis.schema


def row_counts(schema: dict) -> dict[str, int]:
    return {t["name"]: ROWS for t in schema["tables"]}


@pytest.mark.postgres
@settings(max_examples=25, deadline=None, suppress_health_check=FIXTURES)
@given(schemas())
def test_random_schemas_with_records_load_on_postgres(postgres, schema: dict) -> None:
    model = checked(with_records(schema))
    database = postgres.fresh_database()
    with postgres.connect(database) as conn:
        conn.execute(generate(model, "postgres").text())
        for name, count in row_counts(schema).items():
            assert conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == count


@settings(max_examples=40, deadline=None)
@given(schemas())
def test_random_schemas_with_records_load_on_sqlite(schema: dict) -> None:
    model = checked(with_records(schema))
    conn = sqlite3.connect(":memory:")  # foreign keys off, SQLite's default: rows of a cycle go in one by one
    conn.executescript(generate(model, "sqlite").text())
    for name, count in row_counts(schema).items():
        assert conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == count
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=FIXTURES)
@given(schemas())
def test_random_schemas_with_records_load_on_mariadb(mariadb, schema: dict) -> None:
    model = checked(with_records(schema))
    database = mariadb.fresh_database()
    statements = [p.text for p in split(generate(model, "mysql").text(), "mysql")]
    assert mariadb.run_statements(database, statements) == []
    for name, count in row_counts(schema).items():
        assert mariadb.query(f"SELECT count(*) FROM `{name}`", database) == [(str(count),)]
