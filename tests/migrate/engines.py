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


PG_TABLES = """
SELECT c.oid, n.nspname, c.relname, obj_description(c.oid, 'pg_class')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
"""
PG_COLUMNS = """
SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
       a.attidentity, col_description(a.attrelid, a.attnum)
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped
"""
PG_CONSTRAINTS = (
    "SELECT conname, contype, pg_get_constraintdef(oid), convalidated FROM pg_constraint WHERE conrelid = %s"
)
PG_INDEXES = """
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s
"""
PG_ENUMS = """
SELECT n.nspname, t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder), obj_description(t.oid, 'pg_type')
FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
GROUP BY n.nspname, t.typname, t.oid
"""


def pg_snapshot(postgres, database: str) -> dict:
    with postgres.connect(database) as conn:
        tables = {}
        for oid, schema, name, comment in conn.execute(PG_TABLES).fetchall():
            columns = {
                row[0]: (row[1], row[2], _pg_default(row[3]), row[4], row[5])
                for row in conn.execute(PG_COLUMNS, (oid,)).fetchall()
            }
            constraints = {row[0]: (row[1], row[2], row[3]) for row in conn.execute(PG_CONSTRAINTS, (oid,)).fetchall()}
            indexes = {row[0]: row[1] for row in conn.execute(PG_INDEXES, (oid,)).fetchall()}
            tables[f"{schema}.{name}"] = {
                "columns": columns,
                "constraints": constraints,
                "indexes": indexes,
                "comment": comment,
            }
        enums = {f"{s}.{n}": (list(labels), comment) for s, n, labels, comment in conn.execute(PG_ENUMS).fetchall()}
    return {"tables": tables, "enums": enums}


def _pg_default(text: str | None) -> str | None:
    # a serial column's sequence keeps the name it was created with when its table is renamed
    return re.sub(r"nextval\('[^']*'::regclass\)", "nextval(<sequence>)", text) if text else text


def pg_rows(postgres, database: str, table: str, order_by: str) -> list[dict]:
    with postgres.connect(database) as conn:
        cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY "{order_by}"')
        names = [d.name for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


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
        tables = {}
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for name, sql in rows:
            q = name.replace('"', '""')
            columns = {
                r[1]: (r[2].upper(), bool(r[3]), _sqlite_default(r[4]), r[5])
                for r in conn.execute(f'PRAGMA table_xinfo("{q}")').fetchall()
            }
            fks: dict[int, list] = {}
            for r in conn.execute(f'PRAGMA foreign_key_list("{q}")').fetchall():
                fks.setdefault(r[0], []).append((r[2], r[3], r[4], r[5], r[6]))
            foreign_keys = sorted(
                (rows[0][0], tuple(x[1] for x in rows), tuple(x[2] for x in rows), rows[0][3], rows[0][4])
                for rows in fks.values()
            )
            indexes = {}
            uniques = []
            for r in conn.execute(f'PRAGMA index_list("{q}")').fetchall():
                index_name, unique, origin, partial = r[1], r[2], r[3], r[4]
                cols = tuple(x[2] for x in conn.execute(f'PRAGMA index_xinfo("{index_name}")').fetchall() if x[5])
                if origin == "c":
                    sql_row = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (index_name,)).fetchone()
                    indexes[index_name] = (unique, partial, _normal_sql(sql_row[0]))
                else:
                    uniques.append((origin, cols))
            tables[name] = {
                "columns": columns,
                "foreign_keys": foreign_keys,
                "indexes": indexes,
                "keys": sorted(uniques),
                "checks": sorted(_checks(sql)),
            }
    finally:
        conn.close()
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


def _checks(create_sql: str) -> list[str]:
    """The CHECK expressions of a CREATE TABLE (their names left out: SQLite never uses them)."""
    tree = sqlglot.parse_one(create_sql, read="sqlite")
    return [_unquoted(c.this).sql("sqlite") for c in tree.find_all(exp.CheckColumnConstraint)]


def sqlite_rows(path: Path, table: str, order_by: str) -> list[dict]:
    conn = sqlite3.connect(path)
    try:
        cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY "{order_by}"')
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        conn.close()
