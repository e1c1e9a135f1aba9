"""The SQLite output of every sample and corpus input runs on SQLite (Python's sqlite3), and the catalog
read back with PRAGMA table_info / foreign_key_list / index_list / index_xinfo holds what the model says."""

from __future__ import annotations

import re
import sqlite3

import pytest

from dbdsl.emit.sql import generate
from tests.helpers import require_corpus

from .cases import case_id, corpus_inputs, sample_inputs, schema_of
from .catalog import model_differences, refused_unexpectedly, sqlite_catalog

# Statements SQLite refuses because of SQL the schema itself holds (dbdsl passes it through).
REJECTED_USER_SQL = {"model_exporter/dbml/index_tables": ("REVERSE(", "no such function: REVERSE")}


def connect() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA foreign_keys = ON")
    # SQLite's REGEXP calls an application-defined regexp(); an application using these checks defines it
    conn.create_function("regexp", 2, lambda pattern, text: text is not None and re.search(pattern, text) is not None)
    return conn


def check_on_sqlite(path) -> list:
    schema = schema_of(path)
    script = generate(schema, "sqlite")
    conn = connect()
    failures = []
    for statement in script.statements:
        text = statement.sql("sqlite", comments=False)
        try:
            conn.execute(text)
        except sqlite3.Error as e:
            failures.append((text, str(e)))
    known = REJECTED_USER_SQL.get(case_id(path))
    unexplained = refused_unexpectedly(failures, known)
    assert not unexplained, f"{case_id(path)}: {unexplained}"
    return model_differences(schema, "sqlite", sqlite_catalog(conn), script.warnings, known)


@pytest.mark.parametrize("path", sample_inputs(), ids=case_id)
def test_samples_run_on_sqlite(path) -> None:
    assert check_on_sqlite(path) == []


def test_corpus_runs_on_sqlite(capsys) -> None:
    require_corpus()
    paths = corpus_inputs()
    problems = {case_id(p): check_on_sqlite(p) for p in paths}
    bad = {k: v for k, v in problems.items() if v}
    with capsys.disabled():
        print(f"\nSQLite: {len(paths) - len(bad)}/{len(paths)} corpus inputs run and match their model")
    assert not bad, "\n".join(f"{k}: {v}" for k, v in bad.items())


@pytest.mark.parametrize("dialect", ["sqlite", "postgres", "mysql", "oracle"])
def test_types_with_max_or_words_as_arguments(dialect: str) -> None:
    """`varchar(MAX)` is SQL Server's: other engines get their unbounded type, with a warning; arguments
    that are not numbers are left out, never written where the engine rejects them."""
    from tests.migrate.helpers import schema

    text = "Table a {\n  id int [pk]\n  b varchar(MAX)\n  c nvarchar(max)\n  d varbinary(max)\n  e decimal(10,x)\n}\n"
    script = generate(schema(text), dialect)
    body = script.text().split("\n\n", 1)[1]
    assert "MAX" not in body.upper().replace("MAXVALUE", "") and "X)" not in body.upper()
    assert sum("no MAX length" in w for w in script.warnings) == 3
    assert any("arguments that are not numbers" in w for w in script.warnings)
    if dialect == "sqlite":
        sqlite3.connect(":memory:").executescript(script.text())
    assert "VARCHAR(MAX)" in generate(schema(text), "mssql").text()
