"""A small test-only DDL builder (sqlglot expressions) for running linted schemas on real engines.

It covers what the linter tests need (tables with types, NOT NULL and primary keys; indexes with
expression keys, operator classes, methods and predicates) and nothing more: the product's SQL
emitter lives in dbdsl/emit.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp

from dbdsl.model.schema import Index, Table

OPCLASS_RE = re.compile(r"^\s*(\w+)\s+(\w+_ops)\s*$")


def column_type(column, dialect: str) -> exp.DataType:
    if column.enum is not None:
        return exp.DataType.build("text")
    try:
        return exp.DataType.build(column.type.text, dialect=dialect)
    except Exception:
        return exp.DataType.build("text")


def create_table(table: Table, dialect: str = "postgres", name: str | None = None) -> exp.Create:
    columns = []
    for c in table.columns:
        constraints = []
        if not c.nullable:
            constraints.append(exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()))
        columns.append(
            exp.ColumnDef(
                this=exp.to_identifier(c.name, quoted=True), kind=column_type(c, dialect), constraints=constraints
            )
        )
    if table.primary_key:
        columns.append(exp.PrimaryKey(expressions=[exp.to_identifier(c, quoted=True) for c in table.primary_key]))
    target = exp.Table(this=exp.to_identifier(name or table.name, quoted=True))
    return exp.Create(this=exp.Schema(this=target, expressions=columns), kind="TABLE")


def _key(kind: str, value: str, dialect: str) -> exp.Expression:
    if kind == "column":
        return exp.Column(this=exp.to_identifier(value, quoted=True))
    m = OPCLASS_RE.match(value)
    if m:
        return exp.Opclass(this=exp.column(m.group(1)), expression=exp.to_table(m.group(2)))
    return exp.Paren(this=sqlglot.parse_one(value, read=dialect))


def create_index(table: Table, index: Index, name: str, dialect: str = "postgres") -> exp.Create:
    params = {"columns": [exp.Ordered(this=_key(k.kind, k.value, dialect)) for k in index.keys]}
    if index.type:
        params["using"] = exp.var(index.type)
    if index.where:
        params["where"] = exp.Where(this=sqlglot.parse_one(index.where, read=dialect))
    return exp.Create(
        this=exp.Index(
            this=exp.to_identifier(name),
            table=exp.Table(this=exp.to_identifier(table.name, quoted=True)),
            params=exp.IndexParameters(**params),
        ),
        kind="INDEX",
        unique=index.unique,
    )
