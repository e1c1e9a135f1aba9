"""Running migration files on the real engines and reading their catalogs back.

A catalog snapshot is what the database says it holds, normalized only where two databases holding the
same schema legitimately differ: column order (ADD COLUMN appends) and the names SQLite gives its
automatic indexes. Everything else (types, nullability, defaults, identity, constraint definitions and
names, index definitions and names, enum labels in order, comments) must be equal.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

import sqlglot
from sqlglot import exp

from tests import catalogs
from tests.catalogs import read_postgres, read_sqlite
from tests.pg import pg_bin


class ApplyError(AssertionError):
    pass


# ---------------------------------------------------------------- PostgreSQL


def apply_pg(postgres, database: str, sql: str) -> None:
    """Run a migration file's text with psql, as a user would (stops at the first error)."""
    psql = pg_bin("psql")
    result = subprocess.run(
        [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-f", "-"],
        input=sql,
        capture_output=True,
        text=True,
        env=postgres.psql_env(),
        timeout=120,
    )
    if result.returncode != 0:
        raise ApplyError(f"psql failed ({result.returncode}): {result.stderr}\n--- script ---\n{sql}")


def pg_snapshot(postgres, database: str) -> dict:
    with postgres.connect(database) as conn:
        read = read_postgres(conn)
    tables = {
        f"{schema}.{name}": {
            "columns": {c.name: (c.type, c.not_null, _pg_default(c.default), c.identity, c.comment) for c in t.columns},
            "constraints": {c.name: (c.kind, c.definition, c.validated) for c in t.constraints},
            "indexes": {i.name: i.definition for i in t.indexes},
            "comment": t.comment,
        }
        for (schema, name), t in read.tables.items()
    }
    enums = {f"{s}.{n}": (list(labels), comment) for (s, n), (labels, comment) in read.enums.items()}
    return {"tables": tables, "enums": enums}


def _pg_default(text: str | None) -> str | None:
    # a serial column's sequence keeps the name it was created with when its table is renamed
    return re.sub(r"nextval\('[^']*'::regclass\)", "nextval(<sequence>)", text) if text else text


def pg_rows(postgres, database: str, table: str, order_by: str | None = None) -> list[dict]:
    with postgres.connect(database) as conn:
        return catalogs.pg_rows(conn, table, order_by)


# ---------------------------------------------------------------- SQLite


def apply_sqlite(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.executescript(sql)
        violations = conn.execute("PRAGMA foreign_key_check").fetchall()
        if violations:
            raise ApplyError(f"foreign key violations after the migration: {violations}")
    except sqlite3.Error as e:
        raise ApplyError(f"sqlite failed: {e}\n--- script ---\n{sql}") from e
    finally:
        conn.close()


def apply_sqlite_cli(path: Path, sql: str) -> None:
    """The same through the sqlite3 command line shell, stopping at the first error."""
    result = subprocess.run(["sqlite3", "-bail", str(path)], input=sql, capture_output=True, text=True, timeout=60)
    if result.returncode != 0 or "Error" in result.stderr:
        raise ApplyError(f"sqlite3 failed: {result.stderr}\n--- script ---\n{sql}")


def sqlite_snapshot(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        read = read_sqlite(conn)
    finally:
        conn.close()
    tables = {}
    for name, t in read.items():
        tables[name] = {
            "columns": {c.name: (c.type.upper(), c.not_null, _sqlite_default(c.default), c.pk) for c in t.columns},
            "foreign_keys": sorted(
                (fk.table, fk.columns, fk.ref_columns, fk.on_update, fk.on_delete) for fk in t.foreign_keys
            ),
            "indexes": {i.name: (i.unique, i.partial, _normal_sql(i.sql)) for i in t.indexes if i.origin == "c"},
            "keys": sorted((i.origin, i.keys) for i in t.indexes if i.origin != "c"),
            "checks": sorted(_unquoted(c.this).sql("sqlite") for c in t.checks()),
        }
    return {"tables": tables}


def _sqlite_default(text: str | None) -> str | None:
    return _normal_sql(text) if text is not None else None


def _normal_sql(text: str) -> str:
    try:
        return _unquoted(sqlglot.parse_one(text, read="sqlite")).sql("sqlite")
    except sqlglot.errors.SqlglotError:
        return " ".join(text.split())


def _unquoted(tree: exp.Expression) -> exp.Expression:
    """SQLite's RENAME COLUMN rewrites the names in a table's SQL quoted: quoting is no difference."""
    for ident in tree.find_all(exp.Identifier):
        ident.set("quoted", False)
    return tree


def sqlite_rows(path: Path, table: str, order_by: str | None = None) -> list[dict]:
    conn = sqlite3.connect(path)
    try:
        return catalogs.sqlite_rows(conn, table, order_by)
    finally:
        conn.close()
