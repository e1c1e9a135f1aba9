"""Comparable forms of the parts of a schema, in one dialect.

Two schemas are compared through these keys, not through the text as written: `int` and `integer` are
the same type in PostgreSQL, `now()` and `NOW()` the same default, `a>0` and `a > 0` the same check.
Expressions are read with sqlglot in the target dialect; column names inside them can be mapped
through renames, so a check on a renamed column still compares equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from ..model.schema import Column, Literal, Schema

SQLGLOT_DIALECT = {
    "postgres": "postgres",
    "mysql": "mysql",
    "sqlite": "sqlite",
    "mssql": "tsql",
    "oracle": "oracle",
    "snowflake": "snowflake",
}


def sqlglot_dialect(dialect: str) -> str:
    return SQLGLOT_DIALECT.get(dialect, dialect)


@lru_cache(maxsize=4096)
def _parse(text: str, dialect: str) -> exp.Expression | None:
    try:
        tree = sqlglot.parse_one(text, read=sqlglot_dialect(dialect))
    except (SqlglotError, ValueError):
        return None
    return tree


def expression_key(text: str | None, dialect: str, renames: Mapping[str, str] | None = None) -> str | None:
    """The normalized SQL of an expression, with column names mapped through `renames` (old -> new)."""
    if text is None:
        return None
    tree = _parse(text.strip(), dialect)
    if tree is None:
        return " ".join(text.split())
    if renames:
        tree = tree.copy()
        for column in tree.find_all(exp.Column):
            if not column.table and column.name in renames:
                column.set("this", exp.to_identifier(renames[column.name]))
    return tree.sql(sqlglot_dialect(dialect), normalize=True, comments=False)


def type_key(column: Column, schema: Schema, dialect: str) -> str:
    """A comparable form of a column's type; enum types are keyed by their enum."""
    if column.enum is not None:
        return "enum:" + column.enum
    return _type_text_key(column.type.text, dialect)


@lru_cache(maxsize=4096)
def _type_text_key(text: str, dialect: str) -> str:
    try:
        datatype = exp.DataType.build(text, dialect=sqlglot_dialect(dialect), udt=True)
    except (SqlglotError, ValueError, TypeError):
        return text.lower()
    return datatype.sql(sqlglot_dialect(dialect)).upper().replace(" ", "")


def default_key(
    column: Column,
    dialect: str,
    renames: Mapping[str, str] | None = None,
    enum_value_renames: Mapping[str, str] | None = None,
) -> tuple[str, str] | None:
    """The default as (kind, value); no default and `default: null` are the same thing."""
    return literal_key(column.default, dialect, renames, enum_value_renames)


def literal_key(
    value: Literal | None,
    dialect: str,
    renames: Mapping[str, str] | None = None,
    enum_value_renames: Mapping[str, str] | None = None,
) -> tuple[str, str] | None:
    if value is None or value.kind == "null":
        return None
    if value.kind == "number":
        try:
            return ("number", str(Decimal(value.value).normalize()))
        except InvalidOperation:
            return ("number", value.value)
    if value.kind == "boolean":
        return ("boolean", value.value.lower())
    if value.kind == "expression":
        return ("expression", expression_key(value.value, dialect, renames) or "")
    if value.kind == "enum":
        name = value.value.rsplit(".", 1)[-1]
        if enum_value_renames:
            name = enum_value_renames.get(name, name)
        return ("string", name)
    return ("string", value.value)
