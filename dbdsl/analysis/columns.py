"""What a column is, read off its type and its name: the facts that many rules share.

A DBA reads a column by its type family (is it an integer, a float, a timestamp?) and by the head
noun of its name (`total_weeks` is a number of weeks, not money; `price_per_unit` is a price). These
helpers say both once, so every rule reads a name the same way.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

from ..model.schema import Column, Literal
from ..model.types import (
    BOOLEAN_TYPES,
    EXACT_NUMERIC_TYPES,
    FLOAT_TYPES,
    INTEGER_TYPES,
    JSON_TYPES,
    STRING_TYPES,
    UUID_TYPES,
    canonical_type,
)
from .words import tokens

MODIFIERS_RE = re.compile(r"\s+(unsigned|signed|zerofill)\b", re.IGNORECASE)
BINARY_TYPES = frozenset({"binary", "varbinary", "blob", "tinyblob", "mediumblob", "longblob", "bytea", "image"})
BINARY_TYPES |= {"raw", "long raw"}
# "X per Y" names: the head is X (`price_per_unit` is a price)
JOINERS = ("per", "of", "in", "for", "by", "at", "to", "from")


class Family(str, Enum):
    """The kind of value a column type holds, whatever the engine calls it."""

    INTEGER = "integer"
    FLOAT = "float"
    DECIMAL = "decimal"
    STRING = "string"
    BOOLEAN = "boolean"
    DATE = "date"
    TIME = "time"
    TIMESTAMP = "timestamp"
    UUID = "uuid"
    JSON = "json"
    BINARY = "binary"
    OTHER = "other"


def base_type(column: Column) -> str:
    """The canonical type name without MySQL's `unsigned`/`zerofill` words (`int unsigned` is `int`)."""
    return _base(column.type.name)


@lru_cache(maxsize=4096)
def _base(name: str) -> str:
    return canonical_type(MODIFIERS_RE.sub("", name))


def unsigned(column: Column) -> bool:
    return "unsigned" in column.type.name.lower()


def family(column: Column) -> Family:
    """The type family of a column (enums are OTHER: they are their own closed set)."""
    if column.enum is not None or column.type.dims:
        return Family.OTHER
    return _family(base_type(column), column.type.args)


@lru_cache(maxsize=4096)
def _family(base: str, args: tuple[str, ...] | None) -> Family:
    if base in ("tinyint",) and args == ("1",):
        return Family.BOOLEAN  # MySQL's boolean
    if base in INTEGER_TYPES or base in ("mediumint", "year"):
        return Family.INTEGER
    if base == "number" and args and (len(args) == 1 or args[1].strip() == "0"):
        return Family.INTEGER  # Oracle's NUMBER(19) is an integer
    if base in FLOAT_TYPES or base in ("binary_float",):
        return Family.FLOAT
    if base in EXACT_NUMERIC_TYPES:
        return Family.DECIMAL
    if base in BOOLEAN_TYPES:
        return Family.BOOLEAN
    if base in STRING_TYPES or base in ("enum", "set"):
        return Family.STRING
    if base == "date":
        return Family.DATE
    if base in ("time", "timetz", "time with time zone", "time without time zone"):
        return Family.TIME
    if base.startswith(("timestamp", "datetime")) or base in ("smalldatetime", "datetimeoffset"):
        return Family.TIMESTAMP
    if base in UUID_TYPES:
        return Family.UUID
    if base in JSON_TYPES:
        return Family.JSON
    if base in BINARY_TYPES:
        return Family.BINARY
    return Family.OTHER


# the largest value each integer type holds (signed; MySQL's unsigned ones hold twice as many)
INTEGER_CAPACITY = {
    "tinyint": 127,
    "smallint": 32_767,
    "mediumint": 8_388_607,
    "int": 2_147_483_647,
    "bigint": 9_223_372_036_854_775_807,
}


def integer_capacity(column: Column) -> int | None:
    """How many distinct positive values an integer column can hold (None when it is not an integer)."""
    base = base_type(column)
    limit = INTEGER_CAPACITY.get(base)
    if limit is None:
        return None
    return limit * 2 + 1 if unsigned(column) else limit


# ------------------------------------------------------------------ names


def words(column: Column | str) -> tuple[str, ...]:
    """The words of a name: `unitPrice`, `unit_price` and `Unit Price` all give ('unit', 'price')."""
    return tokens(column if isinstance(column, str) else column.name)


@lru_cache(maxsize=65536)
def head(name: str) -> str:
    """The head noun of a name: the last word, or the word before `per`/`of`/... (`price_per_unit` is
    a price, `date_of_birth` a date, `total_weeks` a number of weeks). Cached: names repeat."""
    parts = tokens(name)
    if not parts:
        return ""
    for i, w in enumerate(parts[1:], start=1):
        if w in JOINERS and i < len(parts) - 1:
            return parts[i - 1]
    return parts[-1]


def default_is(column: Column, *values: str) -> bool:
    """Whether the column's default is one of these literal values (numbers or strings alike)."""
    default = column.default
    return default is not None and default.kind in ("number", "string", "boolean") and default.value in values


def default_words(column: Column) -> str | None:
    """A default that is a plain word ('active', 'pending'): a value from a closed set."""
    default: Literal | None = column.default
    if default is None or default.kind not in ("string", "enum"):
        return None
    value = default.value.strip()
    return value if re.fullmatch(r"[A-Za-z][A-Za-z_-]{1,30}", value) else None


DEPRECATED_RE = re.compile(r"^\W*(deprecated|obsolete|unused|legacy)\b", re.IGNORECASE)


def deprecated(column: Column) -> bool:
    """A column its note calls deprecated: advice about it is noise."""
    return bool(column.note) and _deprecated_note(column.note)


@lru_cache(maxsize=4096)
def _deprecated_note(note: str) -> bool:
    return DEPRECATED_RE.match(note) is not None  # notes repeat ('type: Normal' on every column)
