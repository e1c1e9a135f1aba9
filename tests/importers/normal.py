"""A comparable form of a schema model for round trips: what SQL can carry, in one spelling.

Types compare by their meaning in the dialect (`int`/`integer`, `decimal`/`numeric`, `serial` = an
auto-incremented int); expressions by sqlglot's rendering; refs by (foreign key side, key side, kind,
actions, name); index `btree` is the default; defaults that are casts of a literal to the column's type
compare as the literal. Things SQL cannot hold (TableGroups, sticky notes, Query blocks, colors, table
settings, header colors, aliases) are left out.
"""

from __future__ import annotations

from sqlglot import exp

from dbdsl.emit.sql import orient_one_to_one
from dbdsl.emit.sql_types import SERIAL_BASE, resolve_type, type_key
from dbdsl.emit.sql_values import expression_key
from dbdsl.model.schema import Literal, Schema
from tests.engines.catalog import catalog_default


def comparable(schema: Schema, dialect: str = "postgres", *, records: bool = True) -> dict:
    target = "postgres" if dialect == "postgres" else dialect
    tables = {}
    for t in schema.tables:
        columns = []
        for c in t.columns:
            info = resolve_type(c.type, target, schema)
            embedded = {type(k.kind) for k in info.constraints}  # constraints written inside the type
            columns.append(
                {
                    "name": c.name,
                    "type": f"enum {info.enum.qualified}" if info.enum else type_key(c.type, dialect, schema),
                    "not_null": bool(c.not_null or c.pk or c.name in t.primary_key or embedded & NOT_NULL),
                    "unique": c.unique and (c.name,) != t.primary_key,
                    "increment": c.increment or info.datatype.this in SERIAL_BASE or bool(embedded & IDENTITY),
                    "default": _default(c.default, info),
                    "note": c.note,
                    "checks": sorted(expression_key(k.expression) for k in c.checks),
                }
            )
        indexes = [
            (
                tuple((k.kind, k.value if k.kind == "column" else expression_key(k.value)) for k in i.keys),
                i.name,
                i.unique,
                None if i.type == "btree" else i.type,
                expression_key(i.where) if i.where else None,
                i.include,
            )
            for i in t.indexes
            if not i.pk
        ]
        rows = [(r.columns, [tuple(_value(v) for v in row) for row in r.rows]) for r in t.records]
        embedded_pk = tuple(
            c.name
            for c in t.columns
            if exp.PrimaryKeyColumnConstraint
            in {type(k.kind) for k in resolve_type(c.type, target, schema).constraints}
        )
        tables[(t.schema, t.name)] = {
            "columns": columns,
            "pk": tuple(t.primary_key) or embedded_pk,
            "indexes": sorted(indexes, key=repr),
            "checks": sorted(((expression_key(k.expression), k.name) for k in t.checks), key=repr),
            "note": t.note,
            "records": rows if records else [],
        }
    refs = set()
    for r in schema.refs:
        r = orient_one_to_one(r, schema)
        fk, pk = r.fk_side, r.pk_side
        actions = [None if a == "no action" else a for a in (r.on_delete, r.on_update)]
        refs.add((fk.table_key, fk.columns, pk.table_key, pk.columns, *actions, r.name))
    enums = {e.key: e.value_names for e in schema.enums} if dialect == "postgres" else {}
    return {"tables": tables, "refs": refs, "enums": enums}


NOT_NULL = {exp.NotNullColumnConstraint, exp.PrimaryKeyColumnConstraint}
IDENTITY = {exp.GeneratedAsIdentityColumnConstraint, exp.AutoIncrementColumnConstraint}


def _default(value: Literal | None, info) -> tuple | None:
    if value is None or value.kind == "null":
        return None
    if value.kind == "number":
        return ("number", float(value.value))
    if value.kind in ("string", "enum"):
        return ("string", value.value)
    if value.kind == "boolean":
        return ("boolean", value.value)
    found = catalog_default(value.value)
    if found and found[0] == "boolean":
        return ("boolean", "true" if found[1] else "false")
    return found


def _value(v: Literal) -> tuple:
    if v.kind == "number":
        return ("number", float(v.value))
    if v.kind == "enum":
        return ("string", v.value.rsplit(".", 1)[-1])
    return (v.kind, v.value)
