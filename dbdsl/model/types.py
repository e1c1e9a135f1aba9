"""Type families by name, whatever the engine: which names are integers, floats, strings, timestamps...
and the one canonical spelling of each type for comparing two columns (`int4` is `int`). Records
values (`records.py`), the column analysis and the rules all read these sets."""

from __future__ import annotations

from functools import lru_cache

FLOAT_TYPES = frozenset({"float", "float4", "float8", "real", "double", "double precision", "binary_double"})
INTEGER_TYPES = frozenset(
    {"int", "integer", "int4", "int2", "int8", "bigint", "smallint", "tinyint", "mediumint", "serial"}
    | {"bigserial", "smallserial", "serial4", "serial8"}
)
SERIAL_TYPES = frozenset({"serial", "bigserial", "smallserial", "serial4", "serial8"})  # integers that count
EXACT_NUMERIC_TYPES = frozenset({"decimal", "numeric", "number", "dec", "money", "smallmoney"})
STRING_TYPES = frozenset(
    {"varchar", "char", "character", "character varying", "text", "nvarchar", "nchar", "varchar2", "nvarchar2"}
    | {"string", "citext", "tinytext", "mediumtext", "longtext", "clob", "nclob", "bpchar", "ntext"}
)
VARCHAR_TYPES = frozenset({"varchar", "character varying", "nvarchar", "varchar2", "nvarchar2"})
BOOLEAN_TYPES = frozenset({"bool", "boolean", "bit"})
TIMESTAMP_TYPES = frozenset(
    {"timestamp", "timestamptz", "datetime", "datetime2", "datetimeoffset", "smalldatetime", "date", "time"}
    | {"timestamp with time zone", "timestamp without time zone", "timestamp_tz", "timestamp_ntz", "timestamp_ltz"}
)
# every type a value of which is written as a date or time in Records
TEMPORAL_TYPES = TIMESTAMP_TYPES | {
    "timetz",
    "timestamp with local time zone",
    "time with time zone",
    "time without time zone",
}
JSON_TYPES = frozenset({"json", "jsonb", "variant", "object"})
UUID_TYPES = frozenset({"uuid", "uniqueidentifier"})

# canonical name for comparing key types (int and integer are the same type, serial is an int...)
TYPE_ALIASES = {
    "integer": "int",
    "int4": "int",
    "serial": "int",
    "serial4": "int",
    "int8": "bigint",
    "bigserial": "bigint",
    "serial8": "bigint",
    "int2": "smallint",
    "smallserial": "smallint",
    "character varying": "varchar",
    "character": "char",
    "bpchar": "char",
    "numeric": "decimal",
    "dec": "decimal",
    "bool": "boolean",
    "float8": "double precision",
    "double": "double precision",
    "float4": "real",
    "timestamp without time zone": "timestamp",
    "timestamp with time zone": "timestamptz",
    "varchar2": "varchar",
}


@lru_cache(maxsize=4096)
def canonical_type(name: str) -> str:
    low = " ".join(name.lower().split())
    return TYPE_ALIASES.get(low, low)


# Records values: which types hold what DBML checks (money accepts '$1.00' and is not checked)
_VALUE_FAMILIES = (
    ("integer", INTEGER_TYPES),
    ("decimal", (EXACT_NUMERIC_TYPES - {"money", "smallmoney"}) | FLOAT_TYPES),
    ("boolean", BOOLEAN_TYPES),
    ("string", STRING_TYPES),
    ("datetime", TEMPORAL_TYPES),
)


@lru_cache(maxsize=4096)
def value_family(name: str) -> str | None:
    """integer, decimal, boolean, string, datetime or None (a type whose values DBML does not check)."""
    low = " ".join(name.lower().split())
    for family, names in _VALUE_FAMILIES:
        if low in names:
            return family
    return None
