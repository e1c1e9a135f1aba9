"""Names in generated SQL: table references per dialect and deterministic constraint/index names.

Constraint and index names follow PostgreSQL's own convention (`orders_pkey`, `orders_customer_id_fkey`,
`users_email_key`, `posts_author_id_idx`, `plans_check`), so a `pg_dump` of a database built from our SQL
and a database built by hand name things alike, and the migration diff can name what it drops.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlglot import exp

from ..model.schema import DEFAULT_SCHEMA, Table

SUFFIXES = {
    "pk": "pkey",
    "unique": "key",
    "fk": "fkey",
    "check": "check",
    "enum": "enum_check",
    "index": "idx",
    "unique_index": "key",
}
MAX_NAME_BYTES = 63  # PostgreSQL's limit, the smallest of the engines we write for (MySQL: 64)


def constraint_name(kind: str, table: Table | str, columns: Iterable[str] = ()) -> str:
    """The name dbdsl gives a constraint or index that the schema leaves unnamed.

    kind: pk, unique, fk, check, enum (the CHECK that stands for an enum), index, unique_index.
    `columns` are the column names it covers (none for a primary key or a table check). Names longer
    than 63 bytes are cut and end with a short hash of the full name, so they stay distinct.
    """
    if kind not in SUFFIXES:
        raise ValueError(f"unknown constraint kind '{kind}'")
    table_name = table.name if isinstance(table, Table) else table
    parts = [table_name] if kind == "pk" else [table_name, *columns]
    return fit("_".join([*parts, SUFFIXES[kind]]))


def fit(name: str, limit: int = MAX_NAME_BYTES) -> str:
    """`name`, or a prefix of it with a hash of the whole when it is longer than `limit` bytes."""
    if len(name.encode("utf-8", "surrogatepass")) <= limit:
        return name
    digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    head = name.encode("utf-8", "surrogatepass")[: limit - 9].decode("utf-8", errors="ignore")
    return f"{head}_{digest}"


class Namer:
    """Hands out names unique within one script: a taken name gets 1, 2, ... appended (as PostgreSQL
    does for its own generated names)."""

    def __init__(self) -> None:
        self.taken: set[tuple[str, str]] = set()

    def claim(self, scope: str, name: str) -> str:
        candidate, n = name, 0
        while (scope, candidate.lower()) in self.taken:
            n += 1
            candidate = fit(name, MAX_NAME_BYTES - len(str(n))) + str(n)
        self.taken.add((scope, candidate.lower()))
        return candidate


def ident(name: str) -> exp.Identifier:
    """A quoted identifier: quoting and escaping are sqlglot's job in every dialect."""
    return exp.to_identifier(name, quoted=True)


def physical(schema: str, name: str, target: str) -> tuple[str | None, str]:
    """(schema or None, table) as the engine names it. SQLite has no schemas: a table of another
    schema is named `schema_table`."""
    if schema == DEFAULT_SCHEMA:
        return None, name
    if target == "sqlite":
        return None, f"{schema}_{name}"
    return schema, name


def table_ref(schema: str, name: str, target: str) -> exp.Table:
    db, bare = physical(schema, name, target)
    return exp.Table(this=ident(bare), db=ident(db) if db else None)


def column_ref(name: str) -> exp.Column:
    return exp.Column(this=ident(name))
