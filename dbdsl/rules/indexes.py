"""I: indexes that are missing, duplicated, redundant or of the wrong kind."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from ..analysis.roles import Role
from ..dialects import DIALECTS as ENGINES
from ..emit import dsl
from ..findings import Related
from ..model.schema import Index, Query, Ref, Table
from ..model.spans import Span
from ..model.types import BOOLEAN_TYPES, canonical_type
from . import fixes
from .access import analyse
from .base import INDEXED_DIALECTS, QUERY, REF, Hit, hit, rule
from .facts import index_label
from .sqltext import ParsedQuery, node_range, sql_offsets, sql_span

if TYPE_CHECKING:
    from .engine import Context

# engines that do not index a foreign key's columns themselves (InnoDB does)
FK_INDEX_DIALECTS = tuple(d for d in INDEXED_DIALECTS if not ENGINES[d].indexes_foreign_keys)
WRITE_HEAVY_SETTINGS = ("write_heavy", "audit")
WRITE_HEAVY_INDEXES = 5
COUNT_RE = re.compile(r"^\s*([\d.]+)\s*([kmb]?)", re.IGNORECASE)


def _cols(columns: tuple[str, ...]) -> str:
    return columns[0] if len(columns) == 1 else "(" + ", ".join(columns) + ")"


def _index_line(columns: tuple[str, ...], extra: str = "") -> str:
    names = [dsl.name(c) for c in columns]
    target = names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"
    return target + extra


def _own_span(table: Table, index: Index) -> Span | None:
    """The index's span when a fix may edit it (written in the table's own block, not in a partial)."""
    return index.span if index.from_partial is None and fixes.own(table, index.span) else None


def _signature(index: Index) -> tuple:
    return (tuple((k.kind, k.value) for k in index.keys), index.type or "btree", index.where or "")


@rule(
    "I101",
    "foreign-key-without-index",
    severity="warning",
    summary="Foreign key without an index that starts with its columns",
    rationale="""Deleting or re-keying a referenced row makes the engine look up the referencing rows by
    the foreign key columns; without an index whose leading columns are the foreign key, each such
    delete scans the whole child table (and holds locks meanwhile), and joins from parent to children
    scan too. PostgreSQL, SQL Server, Oracle and SQLite do not create this index by themselves (MySQL's
    InnoDB does).""",
    bad="""
    Table customers {
      id int [pk]
    }
    Table orders {
      id int [pk]
      customer_id int [not null, ref: > customers.id]
    }
    """,
    good="""
    Table customers {
      id int [pk]
    }
    Table orders {
      id int [pk]
      customer_id int [not null, ref: > customers.id]
      indexes {
        customer_id
      }
    }
    """,
    scope=REF,
    dialects=FK_INDEX_DIALECTS,
    fix="safe",
)
def fk_without_index(ctx: Context, ref: Ref, fk_table: Table, pk_table: Table) -> Iterator[Hit]:
    cols = ref.fk_side.columns
    if ctx.facts(fk_table).has_leading(cols):
        return
    if pk_table is not fk_table and Role.LOOKUP in ctx.roles(pk_table):
        return  # reference data is hardly ever deleted or re-keyed, and nobody lists a status's rows
    message = f"foreign key {fk_table.name}.{_cols(cols)} has no index starting with its columns"
    if fixes.own(fk_table, fk_table.span):
        # one per table and run (the memo lives one run, in which a table key names one Table)
        key = ("index_adder", fk_table.key)
        adder = ctx.memo.get(key)
        if adder is None:
            adder = ctx.memo[key] = fixes.IndexAdder(fk_table)
        edit = adder.edit([_index_line(cols)])
        yield hit(message, ref.span, fixes.fix(f"Add an index on {fk_table.name}.{_cols(cols)}", edit))
    else:
        yield hit(message, ref.span)


@rule(
    "I102",
    "duplicate-index",
    severity="warning",
    summary="Two indexes with the same columns and options",
    rationale="""A second identical index serves no query the first does not, yet every insert, update
    and delete maintains both and both take memory and disk.""",
    bad="""
    Table products {
      id int [pk]
      sku varchar(40) [not null]
      indexes {
        sku
        sku [name: 'products_sku_again']
      }
    }
    """,
    good="""
    Table products {
      id int [pk]
      sku varchar(40) [not null]
      indexes {
        sku
      }
    }
    """,
    dialects=INDEXED_DIALECTS,
    fix="safe",
)
def duplicate_index(ctx: Context, table: Table) -> Iterator[Hit]:
    seen: dict[tuple, Index] = {}
    for index in table.indexes:
        if index.pk:
            continue
        key = (_signature(index), index.unique, index.include)
        first = seen.get(key)
        if first is None:
            seen[key] = index
            continue
        message = f"{index_label(index)} duplicates {index_label(first)}"
        related = (Related(first.span, "the first index"),) if first.span else ()
        if (span := _own_span(table, index)) is not None:
            yield hit(
                message,
                index.span,
                fixes.fix("Remove the duplicate index", fixes.delete_lines(span)),
                related=related,
            )
        else:
            yield hit(message, index.span or table.span, related=related)


@rule(
    "I103",
    "redundant-prefix-index",
    severity="warning",
    summary="Index whose columns are a leading part of another index",
    rationale="""A B-tree index on (a, b) also serves every lookup on a alone, so a separate index on (a)
    only adds write cost and storage. (A unique index is kept: it enforces a constraint.)""",
    bad="""
    Table products {
      id int [pk]
      name varchar(200) [not null]
      sku varchar(40) [not null]
      indexes {
        name
        (name, sku)
      }
    }
    """,
    good="""
    Table products {
      id int [pk]
      name varchar(200) [not null]
      sku varchar(40) [not null]
      indexes {
        (name, sku)
      }
    }
    """,
    dialects=INDEXED_DIALECTS,
    fix="safe",
)
def redundant_prefix(ctx: Context, table: Table) -> Iterator[Hit]:
    longer: list[tuple[tuple[tuple[str, str], ...], str, Index | None]] = []
    pk = table.primary_key
    if pk:
        longer.append((tuple(("column", c) for c in pk), "the primary key", None))
    for index in table.indexes:
        if (index.type or "btree") == "btree" and not index.where and not index.pk:
            longer.append((tuple((k.kind, k.value) for k in index.keys), index_label(index), index))
    for index in table.indexes:
        if index.pk or index.unique or index.where or index.include or (index.type or "btree") != "btree":
            continue  # a unique index enforces a rule; INCLUDE columns serve index-only scans the longer one cannot
        keys = tuple((k.kind, k.value) for k in index.keys)
        for other, label, other_index in longer:
            if other_index is index or len(other) <= len(keys) or other[: len(keys)] != keys:
                continue
            message = f"{index_label(index)} is redundant: {label} starts with the same columns"
            related = (Related(other_index.span, "the longer index"),) if other_index and other_index.span else ()
            if (span := _own_span(table, index)) is not None:
                yield hit(
                    message,
                    index.span,
                    fixes.fix("Remove the redundant index", fixes.delete_lines(span)),
                    related=related,
                )
            else:
                yield hit(message, index.span or table.span, related=related)
            break


@rule(
    "I104",
    "index-duplicates-key",
    severity="warning",
    summary="Index on exactly the columns of the primary key or of a unique constraint or index",
    rationale="""The primary key and every unique constraint already come with their own index; a second,
    plain index on the same columns is pure overhead. (An index with INCLUDE columns is a covering
    index and is kept.)""",
    bad="""
    Table users {
      id int [pk]
      email varchar(320) [not null, unique]
      indexes {
        email
      }
    }
    """,
    good="""
    Table users {
      id int [pk]
      email varchar(320) [not null, unique]
    }
    """,
    dialects=INDEXED_DIALECTS,
    fix="safe",
)
def index_duplicates_key(ctx: Context, table: Table) -> Iterator[Hit]:
    keys: list[tuple[tuple[str, ...], str]] = []
    if table.primary_key:
        keys.append((table.primary_key, "the primary key"))
    keys.extend(
        ((c.name,), f"the unique constraint on {c.name}")
        for c in table.columns
        if c.unique and (c.name,) != table.primary_key
    )
    keys.extend(
        (i.columns, index_label(i) + " (unique)")
        for i in table.indexes
        if i.unique and not i.pk and not i.where and i.is_plain and (i.type or "btree") == "btree"
    )
    for index in table.indexes:
        if index.pk or index.where or index.include or not index.is_plain or (index.type or "btree") != "btree":
            continue
        for key, label in keys:
            if index.columns != key or index.unique:
                continue
            message = f"{index_label(index)} duplicates {label}, which has its own index"
            if (span := _own_span(table, index)) is not None:
                yield hit(message, index.span, fixes.fix("Remove the index", fixes.delete_lines(span)))
            else:
                yield hit(message, index.span or table.span)
            break


@rule(
    "I105",
    "boolean-index",
    severity="warning",
    summary="Index on a boolean column alone (low selectivity): use a partial index",
    rationale="""An index on a column with two values rarely helps: for the common value a scan is faster,
    and for the rare value a partial index (`WHERE flag`) is far smaller and is what the planner
    picks. The fix replaces it with a partial index of the primary key over the rows where the flag
    is true.""",
    bad="""
    Table products {
      id int [pk]
      active boolean [not null]
      indexes {
        active
      }
    }
    """,
    good="""
    Table products {
      id int [pk]
      active boolean [not null]
      indexes {
        id [where: `active`]
      }
    }
    """,
    dialects=("postgres", "sqlite"),
    fix="unsafe",
)
def boolean_index(ctx: Context, table: Table) -> Iterator[Hit]:
    fk = {r.fk_side.columns for r in ctx.refs_from(table)}
    for index in table.indexes:
        if index.pk or index.unique or index.where or not index.is_plain or len(index.columns) != 1:
            continue
        column = table.column(index.columns[0])
        if column is None or canonical_type(column.type.name) not in BOOLEAN_TYPES or column.type.args:
            continue
        if index.columns in fk:
            continue  # it serves a foreign key (I101)
        message = f"index on boolean '{column.name}' alone is not selective; a partial index serves the rare value"
        if (span := _own_span(table, index)) is not None:
            target = table.primary_key or (column.name,)
            line = _index_line(target, f" [where: {dsl.expression(dsl.name(column.name))}]")
            yield hit(
                message,
                index.span,
                fixes.fix(f"Use a partial index where {column.name}", fixes.Edit(span, line)),
            )
        else:
            yield hit(message, index.span or table.span)


def _rows_per_month(text: str | None) -> float:
    if not text:
        return 0.0
    m = COUNT_RE.match(text)
    if not m:
        return 0.0
    try:
        value = float(m.group(1))
    except ValueError:
        return 0.0
    return value * {"": 1, "k": 1e3, "m": 1e6, "b": 1e9}[m.group(2).lower()]


def _write_heavy(table: Table) -> str:
    """Why a table takes many writes ('' when nothing says so): a setting, or its declared growth."""
    for key in WRITE_HEAVY_SETTINGS:
        if table.setting(key) is not None:
            return f"marked `{key}`"
    growth = table.setting("growth")
    if growth is not None and _rows_per_month(growth.value) >= 1e6:
        return f"growth: '{growth.value}'"
    return ""


@rule(
    "I107",
    "too-many-indexes",
    severity="info",
    summary="Many indexes on a write-heavy table",
    rationale="""Every index is updated by every insert and by updates of its columns. On a table that
    takes many writes (marked `write_heavy` or `audit`, growing by a million rows a month or more, or a
    log or event table), more than five secondary indexes usually cost more in write latency and WAL
    volume than they save; check which queries need each one. A table with nothing that says it takes
    many writes is not reported: its indexes are a trade the design made.""",
    bad="""
    Table events [write_heavy] {
      id bigint [pk]
      a int
      b int
      c int
      d int
      e int
      f int
      indexes {
        a
        b
        c
        d
        e
        f
      }
    }
    """,
    good="""
    Table events [write_heavy] {
      id bigint [pk]
      a int
      b int
      c int
      indexes {
        (a, b)
        c
      }
    }
    """,
    dialects=INDEXED_DIALECTS,
    confidence="likely",
    default_reason="""It counts indexes only on a table the design says takes many writes (a setting, a
    declared growth, or a log or event table).""",
)
def too_many_indexes(ctx: Context, table: Table) -> Iterator[Hit]:
    secondary = [i for i in table.indexes if not i.pk]
    why = _write_heavy(table) or ctx.roles(table).why(Role.LOG)
    if len(secondary) > WRITE_HEAVY_INDEXES and why:
        yield hit(
            f"{len(secondary)} secondary indexes on a write-heavy table ({why}): each insert maintains all of them "
            f"(more than {WRITE_HEAVY_INDEXES}); check which queries need each one",
            table.name_span or table.span,
        )


@rule(
    "I108",
    "invalid-hash-index",
    severity="error",
    summary="Hash index that is unique or has several columns (PostgreSQL cannot build it)",
    rationale="""PostgreSQL hash indexes support neither uniqueness nor more than one column; such an
    index fails at CREATE INDEX. Use a B-tree.""",
    bad="""
    Table sessions {
      id int [pk]
      token varchar(64) [not null]
      indexes {
        token [unique, type: hash]
      }
    }
    """,
    good="""
    Table sessions {
      id int [pk]
      token varchar(64) [not null]
      indexes {
        token [unique]
      }
    }
    """,
    dialects=("postgres",),
    fix="unsafe",
)
def invalid_hash_index(ctx: Context, table: Table) -> Iterator[Hit]:
    for index in table.indexes:
        if index.type != "hash" or not (index.unique or index.pk or len(index.keys) > 1):
            continue
        why = "unique" if index.unique or index.pk else "on several columns"
        message = f"a hash index cannot be {why} in PostgreSQL"
        if (span := _own_span(table, index)) is not None:
            edit = fixes.Edit(span, dsl.index_line(replace(index, type=None)))
            yield hit(message, index.span, fixes.fix("Make it a B-tree index", edit))
        else:
            yield hit(message, index.span or table.span)


@rule(
    "I106",
    "contains-search-without-trigram-index",
    severity="warning",
    summary="`LIKE '%text%'` or `ILIKE` search with a leading wildcard and no trigram index",
    rationale="""A pattern that starts with a wildcard cannot use a B-tree index, so every such search
    scans the whole table. In PostgreSQL a GIN index with `gin_trgm_ops` (extension `pg_trgm`) serves
    LIKE and ILIKE with any wildcards.""",
    bad="""
    Table products {
      id int [pk]
      name varchar(200) [not null]
    }
    Query search_products {
      '''
      SELECT id, name FROM products WHERE name ILIKE '%' || :q || '%'
      '''
    }
    """,
    good="""
    Table products {
      id int [pk]
      name varchar(200) [not null]
      indexes {
        `name gin_trgm_ops` [type: gin]
      }
    }
    Query search_products {
      '''
      SELECT id, name FROM products WHERE name ILIKE '%' || :q || '%'
      '''
    }
    """,
    scope=QUERY,
    dialects=("postgres",),
    fix="safe",
)
def contains_search(ctx: Context, query: Query, parsed: ParsedQuery) -> Iterator[Hit]:
    analysis = analyse(ctx, query, parsed)
    if not analysis.searches:
        return
    offsets = sql_offsets(query)
    done = set()
    for search in analysis.searches:
        table, column = search.table, search.column
        if (table.key, column) in done or _has_trigram(table, column):
            continue
        done.add((table.key, column))
        rng = node_range(search.node.this) if search.node.this is not None else None
        span = sql_span(query, *rng, offsets) if rng else query.sql_span or query.span
        message = f"'{table.name}.{column}' is searched with a leading wildcard and has no trigram index"
        if fixes.own(table, table.span):
            line = dsl.expression(f"{dsl.name(column)} gin_trgm_ops") + " [type: gin]"
            yield hit(
                message, span, fixes.fix(f"Add a trigram index on {table.name}.{column}", fixes.add_index(table, line))
            )
        else:
            yield hit(message, span)


def _has_trigram(table: Table, column: str) -> bool:
    for index in table.indexes:
        if index.type not in ("gin", "gist"):
            continue
        for key in index.keys:
            if key.kind == "expression" and "trgm" in key.value.lower() and column.lower() in key.value.lower():
                return True
    return False
