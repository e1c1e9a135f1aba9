"""What a real PostgreSQL or SQLite database holds, read from its catalog once for every test that looks:
`tests/engines` compares it with what the model says, `tests/migrate` with another database. The
readers return the catalog's own facts (names, types as the engine formats them, constraint and index
definitions, comments); each comparison normalizes them its way."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp

# ---------------------------------------------------------------- PostgreSQL


@dataclass
class PgColumn:
    name: str
    type: str  # format_type(): `character varying(255)`, `integer[]`...
    typtype: str  # 'b' base, 'e' enum, 'd' domain...
    type_schema: str
    type_name: str
    not_null: bool
    default: str | None  # pg_get_expr() of the default
    identity: str  # '', 'a' (always) or 'd' (by default)
    comment: str | None


@dataclass
class PgConstraint:
    name: str
    kind: str  # p, u, f, c, x
    columns: tuple[str, ...]
    references: tuple[str, str] | None  # (schema, table) of a foreign key
    ref_columns: tuple[str, ...]
    on_delete: str  # confdeltype: a, r, c, n, d
    on_update: str
    definition: str  # pg_get_constraintdef()
    validated: bool


@dataclass
class PgIndex:
    name: str
    keys: tuple[str, ...]  # column names, `<expr>` for an expression
    unique: bool
    primary: bool
    method: str  # btree, gin...
    partial: bool
    definition: str  # pg_get_indexdef()


@dataclass
class PgTable:
    schema: str
    name: str
    comment: str | None
    rows: int | None  # counted when asked
    columns: list[PgColumn] = field(default_factory=list)  # in column order
    constraints: list[PgConstraint] = field(default_factory=list)
    indexes: list[PgIndex] = field(default_factory=list)


@dataclass
class PgCatalog:
    tables: dict[tuple[str, str], PgTable]
    enums: dict[tuple[str, str], tuple[tuple[str, ...], str | None]]  # labels in order, comment


def read_postgres(conn, *, rows: bool = False) -> PgCatalog:
    """The user tables and enum types of the database `conn` is connected to (psycopg). A partitioned
    table is one table: its partitions are not listed."""
    q = conn.execute
    enums = {
        (schema, name): (tuple(labels), comment)
        for schema, name, labels, comment in q(
            """SELECT n.nspname, t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder),
                      obj_description(t.oid, 'pg_type')
               FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
               GROUP BY n.nspname, t.typname, t.oid"""
        ).fetchall()
    }
    by_oid: dict[int, PgTable] = {}
    for oid, schema, name, comment in q(
        """SELECT c.oid, n.nspname, c.relname, obj_description(c.oid, 'pg_class')
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
             AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname NOT LIKE 'pg_toast%'"""
    ).fetchall():
        count = None
        if rows:
            table = exp.table_(name, db=schema, quoted=True)
            count = q(exp.select("count(*)").from_(table).sql("postgres")).fetchone()[0]
        by_oid[oid] = PgTable(schema, name, comment, count)
    for oid, name, typ, typtype, tschema, tname, not_null, default, identity, comment in q(
        """SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), t.typtype, tn.nspname, t.typname,
                  a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, col_description(a.attrelid, a.attnum)
           FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum"""
    ).fetchall():
        if oid in by_oid:
            by_oid[oid].columns.append(
                PgColumn(name, typ, typtype, tschema, tname, not_null, default, identity, comment)
            )
    attnames = {(r[0], r[1]): r[2] for r in q("SELECT attrelid, attnum, attname FROM pg_attribute WHERE attnum > 0")}
    for oid, name, kind, conkey, confrelid, confkey, deltype, updtype, definition, validated in q(
        """SELECT conrelid, conname, contype, conkey, confrelid, confkey, confdeltype, confupdtype,
                  pg_get_constraintdef(oid), convalidated
           FROM pg_constraint WHERE conrelid <> 0"""
    ).fetchall():
        table = by_oid.get(oid)
        if table is None:
            continue
        target = by_oid.get(confrelid)
        table.constraints.append(
            PgConstraint(
                name,
                kind,
                tuple(attnames[(oid, k)] for k in conkey or ()),
                (target.schema, target.name) if target is not None else None,
                tuple(attnames[(confrelid, k)] for k in confkey or ()),
                deltype,
                updtype,
                definition,
                validated,
            )
        )
    for oid, name, indkey, unique, primary, method, partial, definition in q(
        """SELECT i.indrelid, c.relname, i.indkey::int2[], i.indisunique, i.indisprimary, am.amname,
                  i.indpred IS NOT NULL, pg_get_indexdef(i.indexrelid)
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam"""
    ).fetchall():
        table = by_oid.get(oid)
        if table is not None:
            keys = tuple(attnames[(oid, k)] if k else "<expr>" for k in indkey)
            table.indexes.append(PgIndex(name, keys, unique, primary, method, partial, definition))
    return PgCatalog({(t.schema, t.name): t for t in by_oid.values()}, enums)


# ---------------------------------------------------------------- SQLite


@dataclass
class SqliteColumn:
    name: str
    type: str  # as declared
    not_null: bool
    default: str | None  # the default's SQL text
    pk: int  # position in the primary key, 0 when not in it
    hidden: int  # 0 for an ordinary column (PRAGMA table_xinfo)


@dataclass
class SqliteForeignKey:
    table: str  # the referenced table
    columns: tuple[str, ...]
    ref_columns: tuple[str, ...]
    on_update: str
    on_delete: str


@dataclass
class SqliteIndex:
    name: str
    unique: bool
    origin: str  # 'c' CREATE INDEX, 'u' UNIQUE constraint, 'pk' primary key
    partial: bool
    keys: tuple[str | None, ...]  # column names, None for an expression
    sql: str | None  # the CREATE INDEX (None for the automatic ones)


@dataclass
class SqliteTable:
    name: str
    sql: str  # the CREATE TABLE as SQLite keeps it
    rows: int | None  # counted when asked
    columns: list[SqliteColumn] = field(default_factory=list)
    foreign_keys: list[SqliteForeignKey] = field(default_factory=list)
    indexes: list[SqliteIndex] = field(default_factory=list)

    def checks(self) -> list[exp.CheckColumnConstraint]:
        """The CHECK constraints of the CREATE TABLE (a named one's parent is its `exp.Constraint`)."""
        return list(sqlglot.parse_one(self.sql, read="sqlite").find_all(exp.CheckColumnConstraint))


def read_sqlite(conn: sqlite3.Connection, *, rows: bool = False) -> dict[str, SqliteTable]:
    """The tables of a SQLite database, by name (virtual tables left out; their shadow tables are tables)."""

    def quoted(name: str) -> str:
        return exp.to_identifier(name, quoted=True).sql("sqlite")

    out: dict[str, SqliteTable] = {}
    for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
    ).fetchall():
        count = conn.execute(f"SELECT count(*) FROM {quoted(name)}").fetchone()[0] if rows else None
        table = out[name] = SqliteTable(name, sql, count)
        for _cid, column, typ, not_null, default, pk, hidden in conn.execute(f"PRAGMA table_xinfo({quoted(name)})"):
            table.columns.append(SqliteColumn(column, typ, bool(not_null), default, pk, hidden))
        keys: dict[int, list] = {}
        for fk_id, _seq, target, frm, to, on_update, on_delete, _match in conn.execute(
            f"PRAGMA foreign_key_list({quoted(name)})"
        ):
            keys.setdefault(fk_id, [target, [], [], on_update, on_delete])
            keys[fk_id][1].append(frm)
            keys[fk_id][2].append(to)
        table.foreign_keys = [SqliteForeignKey(t, tuple(a), tuple(b), u, d) for t, a, b, u, d in keys.values()]
        for _seq, index, unique, origin, partial in conn.execute(f"PRAGMA index_list({quoted(name)})").fetchall():
            columns = tuple(x[2] for x in conn.execute(f"PRAGMA index_xinfo({quoted(index)})") if x[5])
            row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (index,)).fetchone()
            table.indexes.append(
                SqliteIndex(index, bool(unique), origin, bool(partial), columns, row[0] if row else None)
            )
    return out


# ---------------------------------------------------------------- rows


def pg_rows(conn, table: str, order_by: str | None = None) -> list[dict]:
    query = exp.select("*").from_(exp.table_(table, quoted=True))
    if order_by:
        query = query.order_by(exp.column(order_by, quoted=True))
    cursor = conn.execute(query.sql("postgres"))
    names = [d.name for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def sqlite_rows(conn: sqlite3.Connection, table: str, order_by: str | None = None) -> list[dict]:
    query = exp.select("*").from_(exp.table_(table, quoted=True))
    if order_by:
        query = query.order_by(exp.column(order_by, quoted=True))
    cursor = conn.execute(query.sql("sqlite"))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
