"""Literal values read from SQL, typed for the column they go into: `'111'` into an integer column is
the number 111 (engines convert it on INSERT), `'t'` into a boolean is true, and a date written
`'1962/2/18'` is the ISO date `'1962-02-18'` every engine reads."""

from __future__ import annotations

import re
from datetime import date

from ..model.schema import ColumnType, Literal

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
INTEGER = re.compile(r"[+-]?\d+\Z")
INTEGER_TYPES = {
    "int", "integer", "bigint", "smallint", "tinyint", "mediumint", "int2", "int4", "int8",
    "serial", "bigserial", "smallserial",
}  # fmt: skip
NUMERIC_TYPES = {"decimal", "numeric", "float", "double", "real", "double precision", "float4", "float8", "money"}
BOOLEAN_TYPES = {"bool", "boolean"}
TRUE = {"t", "true", "y", "yes", "on", "1"}
FALSE = {"f", "false", "n", "no", "off", "0"}
SLASHED_DATE = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})\Z")


def base_name(ctype: ColumnType) -> str:
    """The type's name without `unsigned` and array suffixes, lower case."""
    return ctype.name.lower().removesuffix(" unsigned").strip()


def typed_literal(value: Literal, ctype: ColumnType) -> Literal:
    if value.kind != "string" or ctype.dims:
        return value
    name = base_name(ctype)
    text = value.value.strip()
    if (name in INTEGER_TYPES and INTEGER.match(text)) or (name in NUMERIC_TYPES and NUMBER.match(text)):
        return Literal("number", text)
    if name in BOOLEAN_TYPES and text.lower() in TRUE | FALSE:
        return Literal("boolean", "true" if text.lower() in TRUE else "false")
    if name == "date" and (m := SLASHED_DATE.match(text)):
        try:
            return Literal("string", date(*(int(g) for g in m.groups())).isoformat())
        except ValueError:
            return value
    return value
