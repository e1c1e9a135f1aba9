"""Column types per SQL dialect: a DBML type name becomes a sqlglot `DataType` for the target engine.

The type text is read by sqlglot in the project's dialect (`database_type`), then in the other dialects,
so `datetime`, `nvarchar2(50)` or `uniqueidentifier` are understood wherever they were written. What a
target engine lacks is mapped through `OVERRIDES` (data, one table per dialect) with a warning where
the mapping loses something. Names no dialect knows are user-defined types (domains, extension types,
enums of another file): they are emitted quoted, as written, with a warning that they must exist.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from ..dialects import DISPLAY_NAME, SQLGLOT, reading_order, sqlglot_dialect
from ..model.schema import DEFAULT_SCHEMA, ColumnType, Enum, Schema

DIALECTS = SQLGLOT
"""Our dialect names and sqlglot's."""

T = exp.DataType.Type
INTEGER_TYPES = {
    T.TINYINT,
    T.SMALLINT,
    T.MEDIUMINT,
    T.INT,
    T.BIGINT,
    T.UTINYINT,
    T.USMALLINT,
    T.UMEDIUMINT,
    T.UINT,
    T.UBIGINT,
    T.SERIAL,
    T.SMALLSERIAL,
    T.BIGSERIAL,
}
SERIAL_BASE = {T.SERIAL: "INT", T.SMALLSERIAL: "SMALLINT", T.BIGSERIAL: "BIGINT"}
TEXT_TYPES = {
    T.CHAR,
    T.NCHAR,
    T.VARCHAR,
    T.NVARCHAR,
    T.TEXT,
    T.TINYTEXT,
    T.MEDIUMTEXT,
    T.LONGTEXT,
    T.NAME,
    T.BPCHAR,
}
CATEGORIES: dict[str, set] = {
    "integer": INTEGER_TYPES,
    "decimal": {T.DECIMAL, T.MONEY, T.SMALLMONEY, T.UDECIMAL, T.BIGDECIMAL},
    "float": {T.FLOAT, T.DOUBLE},
    "text": TEXT_TYPES,
    "binary": {T.BINARY, T.VARBINARY, T.BLOB, T.TINYBLOB, T.MEDIUMBLOB, T.LONGBLOB, T.IMAGE},
    "boolean": {T.BOOLEAN, T.BIT},
    "date": {T.DATE, T.DATE32},
    "time": {T.TIME, T.TIMETZ},
    "timestamp": {
        T.TIMESTAMP,
        T.TIMESTAMPTZ,
        T.TIMESTAMPLTZ,
        T.DATETIME,
        T.DATETIME2,
        T.SMALLDATETIME,
        T.DATETIME64,
        T.TIMESTAMPNTZ,
    },
    "uuid": {T.UUID},
    "json": {T.JSON, T.JSONB, T.VARIANT},
}

# What each engine lacks, as (type in that dialect, warning or None). Applied after sqlglot has read
# the type; a key is a sqlglot type, or "ARRAY" for any array.
_UNSIGNED = "has no unsigned integers; widened to keep every value"
OVERRIDES: dict[str, dict[object, tuple[str, str | None]]] = {
    "postgres": {
        T.UTINYINT: ("SMALLINT", "PostgreSQL " + _UNSIGNED),
        T.USMALLINT: ("INT", "PostgreSQL " + _UNSIGNED),
        T.UMEDIUMINT: ("INT", "PostgreSQL " + _UNSIGNED),
        T.MEDIUMINT: ("INT", None),
        T.UINT: ("BIGINT", "PostgreSQL " + _UNSIGNED),
        T.UBIGINT: ("NUMERIC(20)", "PostgreSQL " + _UNSIGNED),
        T.YEAR: ("SMALLINT", None),
        T.DATETIME2: ("TIMESTAMP", None),
        T.SMALLDATETIME: ("TIMESTAMP", None),
        T.IMAGE: ("BYTEA", None),
        T.NCHAR: ("CHAR", None),
        T.SMALLMONEY: ("MONEY", None),
        T.TINYBLOB: ("BYTEA", None),
        T.MEDIUMBLOB: ("BYTEA", None),
        T.LONGBLOB: ("BYTEA", None),
        T.VARIANT: ("JSONB", None),
        T.SET: ("TEXT[]", "PostgreSQL has no SET type; stored as a text array"),
        T.ENUM: ("TEXT", "an inline ENUM(...) type is stored as text; declare an Enum block instead"),
    },
    "mysql": {
        T.JSONB: ("JSON", None),
        T.UUID: ("CHAR(36)", None),
        T.INET: ("VARCHAR(45)", None),
        T.MONEY: ("DECIMAL(19,4)", None),
        T.HSTORE: ("JSON", None),
        T.XML: ("LONGTEXT", None),
        T.INTERVAL: ("VARCHAR(64)", "MySQL has no INTERVAL type; stored as text"),
        T.TIMETZ: ("TIME", "MySQL has no time zone on TIME; the zone is dropped"),
        T.DATETIME2: ("DATETIME(6)", None),
        T.NAME: ("VARCHAR(63)", None),
        T.VARIANT: ("JSON", None),
        "ARRAY": ("JSON", "MySQL has no array types; stored as JSON"),
    },
    "sqlite": {},  # SQLite takes any type name: it keeps the names (see `sqlite_type`)
    "tsql": {
        T.JSON: ("NVARCHAR(MAX)", None),
        T.JSONB: ("NVARCHAR(MAX)", None),
        T.INET: ("VARCHAR(45)", None),
        T.INTERVAL: ("VARCHAR(64)", "SQL Server has no INTERVAL type; stored as text"),
        T.HSTORE: ("NVARCHAR(MAX)", None),
        T.TIMETZ: ("TIME", "SQL Server has no time zone on TIME; the zone is dropped"),
        T.UBIGINT: ("DECIMAL(20)", "SQL Server " + _UNSIGNED),
        T.UINT: ("BIGINT", "SQL Server " + _UNSIGNED),
        T.UMEDIUMINT: ("INT", "SQL Server " + _UNSIGNED),
        T.USMALLINT: ("INT", "SQL Server " + _UNSIGNED),
        T.UTINYINT: ("TINYINT", None),
        T.MEDIUMINT: ("INT", None),
        T.DOUBLE: ("FLOAT", None),
        T.YEAR: ("SMALLINT", None),
        T.VARIANT: ("NVARCHAR(MAX)", None),
        "ARRAY": ("NVARCHAR(MAX)", "SQL Server has no array types; stored as JSON text"),
    },
    "oracle": {
        T.BOOLEAN: ("NUMBER(1)", None),
        T.BIT: ("NUMBER(1)", None),
        T.TINYINT: ("NUMBER(3)", None),
        T.BIGINT: ("NUMBER(19)", None),
        T.MEDIUMINT: ("NUMBER(7)", None),
        T.UTINYINT: ("NUMBER(3)", None),
        T.USMALLINT: ("NUMBER(5)", None),
        T.UMEDIUMINT: ("NUMBER(8)", None),
        T.UINT: ("NUMBER(10)", None),
        T.UBIGINT: ("NUMBER(20)", None),
        T.DATETIME: ("TIMESTAMP", None),
        T.DATETIME2: ("TIMESTAMP", None),
        T.UUID: ("VARCHAR2(36)", None),
        T.JSON: ("CLOB", None),
        T.JSONB: ("CLOB", None),
        T.INET: ("VARCHAR2(45)", None),
        T.MONEY: ("NUMBER(19,4)", None),
        T.TIME: ("INTERVAL DAY TO SECOND", "Oracle has no TIME type; stored as an interval"),
        T.TIMETZ: ("INTERVAL DAY TO SECOND", "Oracle has no TIME type; stored as an interval"),
        T.YEAR: ("NUMBER(4)", None),
        T.VARIANT: ("CLOB", None),
        "ARRAY": ("CLOB", "Oracle has no array column types; stored as JSON text"),
    },
    "snowflake": {
        T.JSONB: ("VARIANT", None),
        T.UUID: ("VARCHAR(36)", None),
        T.INET: ("VARCHAR(45)", None),
        T.MONEY: ("NUMBER(19,4)", None),
        T.HSTORE: ("OBJECT", None),
        T.INTERVAL: ("VARCHAR(64)", "Snowflake has no INTERVAL column type; stored as text"),
        T.TIMETZ: ("TIME", "Snowflake has no time zone on TIME; the zone is dropped"),
    },
}

# `bytea`/`varbinary` without a size
UNSIZED_BINARY = {"mysql": "LONGBLOB", "tsql": "VARBINARY(MAX)", "snowflake": "BINARY"}
# sizes a dialect needs where DBML allows none
DEFAULT_LENGTH = {"mysql": 255, "tsql": 255, "oracle": 255}
# column constraints that may be written inside a type (`"integer GENERATED ALWAYS AS IDENTITY"`)
TYPE_CONSTRAINTS = (
    exp.GeneratedAsIdentityColumnConstraint,
    exp.PrimaryKeyColumnConstraint,
    exp.NotNullColumnConstraint,
    exp.UniqueColumnConstraint,
    exp.AutoIncrementColumnConstraint,
)


@dataclass
class TypeInfo:
    """A column type resolved for one dialect.

    `constraints` are column constraints that were written inside the type text; `enum` is set when
    the type is an Enum of the schema; `user_defined` when no dialect knows the name.
    """

    datatype: exp.DataType
    category: str
    constraints: list[exp.ColumnConstraint] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    enum: Enum | None = None
    user_defined: bool = False

    @property
    def integer(self) -> bool:
        return self.category == "integer"

    @property
    def serial(self) -> bool:
        return self.datatype.this in SERIAL_BASE


def enum_of(column_type: ColumnType, schema: Schema | None) -> Enum | None:
    if schema is None or column_type.args is not None:
        return None
    return schema.enum((column_type.schema or DEFAULT_SCHEMA, column_type.name))


def category(datatype: exp.DataType) -> str:
    if datatype.this == T.ARRAY:
        inner = datatype.expressions[0] if datatype.expressions else None
        return "array:" + (category(inner) if isinstance(inner, exp.DataType) else "?")
    for name, members in CATEGORIES.items():
        if datatype.this in members:
            return name
    if datatype.this == T.USERDEFINED:
        return "user:" + datatype.sql("postgres").lower()
    return datatype.this.name.lower()


def resolve_type(column_type: ColumnType, target: str, schema: Schema | None = None) -> TypeInfo:
    """The type of a column for sqlglot dialect `target` (see the module docstring)."""
    enum = enum_of(column_type, schema)
    if enum is not None:
        return _enum_type(enum, target)
    column_type = _with_dims(column_type)
    info = _base_type(column_type, target, schema)
    if column_type.dims and not info.user_defined:
        info = _array(info, column_type, target)
    return info


def _with_dims(column_type: ColumnType) -> ColumnType:
    """A quoted type name written with its array suffixes (`"text[]"`, `"TIME(2)[]"`) as the array type."""
    t = column_type
    m = ARRAY_SUFFIX.fullmatch(t.name) if not t.dims and t.args is None else None
    if m is None:
        return t
    base, args = m.group("base").strip(), m.group("args")
    dims = tuple(re.findall(r"\[\d*\]", m.group("dims")))
    return ColumnType(base, t.schema, tuple(a.strip() for a in args.split(",")) if args else None, dims)


ARRAY_SUFFIX = re.compile(r"(?P<base>[^()\[\]]+?)\s*(?:\((?P<args>[^()]*)\))?\s*(?P<dims>(?:\[\d*\]\s*)+)")


def _enum_type(enum: Enum, target: str) -> TypeInfo:
    if target == "postgres":
        return TypeInfo(
            exp.DataType(this=T.USERDEFINED, kind=qualified_name(enum.schema, enum.name)), "enum", enum=enum
        )
    if target == "mysql":
        values = [exp.Literal.string(v.name) for v in enum.values]
        return TypeInfo(exp.DataType(this=T.ENUM, expressions=values), "enum", enum=enum)
    longest = max((len(v.name) for v in enum.values), default=1)
    text = f"VARCHAR2({longest})" if target == "oracle" else f"VARCHAR({longest})"
    return TypeInfo(exp.DataType.build(text, dialect=target), "enum", enum=enum)


def qualified_name(schema: str, name: str) -> exp.Expression:
    """A quoted, schema-qualified name (the schema left out when it is the default one)."""
    ident = exp.to_identifier(name, quoted=True)
    if schema == DEFAULT_SCHEMA:
        return ident
    return exp.Dot(this=exp.to_identifier(schema, quoted=True), expression=ident)


def _base_type(column_type: ColumnType, target: str, schema: Schema | None) -> TypeInfo:
    t = column_type
    if t.schema:
        return _user_defined(t, target)
    alias = ALIASES.get(t.name.lower())
    text = (alias or t.name) + ("(" + ", ".join(t.args) + ")" if t.args is not None else "")
    for dialect in reading_order(target, schema):
        parsed = _read_column(text, dialect)
        if parsed is not None:
            datatype, constraints = parsed
            info = _for_target(datatype.copy(), target)
            info.constraints = [c.copy() for c in constraints]
            if target == "sqlite" and not info.serial:
                info.datatype = _sqlite_written(t, info.datatype)
            return info
    return _user_defined(t, target)


# names sqlglot does not read as types in any dialect, with the type they stand for
ALIASES = {"nclob": "CLOB", "ntext": "TEXT", "datetime2": "DATETIME2", "smalldatetime": "SMALLDATETIME"}


@functools.lru_cache(maxsize=4096)
def _read_column(text: str, dialect: str) -> tuple[exp.DataType, tuple[exp.ColumnConstraint, ...]] | None:
    """`text` read as the type (and column constraints) of one column definition, or None.

    Reading a whole `CREATE TABLE t (c <text>)` makes sure every word of the text is understood: a
    type with constraints after it (`integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY`) keeps them,
    anything else that is not a type is refused.
    """
    if not _TYPE_START.match(text):
        return None
    try:
        tree = sqlglot.parse(f"CREATE TABLE t (c {text})", read=dialect)
    except (SqlglotError, ValueError, TypeError, RecursionError):
        return None
    if len(tree) != 1 or not isinstance(tree[0], exp.Create) or not isinstance(tree[0].this, exp.Schema):
        return None
    columns = tree[0].this.expressions
    if len(columns) != 1 or not isinstance(columns[0], exp.ColumnDef):
        return None
    column = columns[0]
    datatype = column.args.get("kind")
    if not isinstance(datatype, exp.DataType) or datatype.find(exp.Identifier) is not None:
        return None
    if datatype.this == T.USERDEFINED:
        return None
    constraints = tuple(column.args.get("constraints") or ())
    if not all(isinstance(c.kind, TYPE_CONSTRAINTS) and not c.this for c in constraints):
        return None
    return datatype, constraints


_TYPE_START = re.compile(r"[A-Za-z_][A-Za-z0-9_ ]*(\(|\Z)")


# engines where CREATE TYPE does not exist (SQL Server, Oracle and PostgreSQL have it; SQLite takes any name)
NO_USER_TYPES = ("mysql", "snowflake")


def _user_defined(t: ColumnType, target: str) -> TypeInfo:
    shown = f"{t.schema}.{t.name}" if t.schema else t.name
    if target == "sqlite":  # SQLite takes any type name and needs no definition
        kind = exp.to_identifier(shown, quoted=True)
        return TypeInfo(exp.DataType(this=T.USERDEFINED, kind=kind), "user:" + shown.lower(), user_defined=True)
    name = qualified_name(t.schema or DEFAULT_SCHEMA, t.name) if t.schema else exp.to_identifier(t.name, quoted=True)
    if target in NO_USER_TYPES:
        then = f"{_engine(target)} has no user-defined types: the script fails here until a built-in type replaces it"
    else:
        then = "it must exist before this script runs"
    warning = f"type '{shown}' is not a known {_engine(target)} type; {then}"
    if t.args is not None:
        warning += f" (its arguments ({', '.join(t.args)}) are left out)"
    return TypeInfo(exp.DataType(this=T.USERDEFINED, kind=name), "user:" + shown.lower(), [], [warning], None, True)


def _array(info: TypeInfo, t: ColumnType, target: str) -> TypeInfo:
    if target in ("postgres", "snowflake"):
        datatype = info.datatype
        for _ in t.dims if target == "postgres" else t.dims[:1]:
            datatype = exp.DataType(this=T.ARRAY, expressions=[datatype], nested=True)
        return TypeInfo(datatype, "array:" + info.category, info.constraints, info.warnings)
    if target == "sqlite":  # any value goes in a column of the element type; arrays are written as text
        warning = "SQLite has no array types; the column takes the element type and holds the array as text"
        return TypeInfo(info.datatype, "array:" + info.category, info.constraints, [*info.warnings, warning])
    text, said = OVERRIDES[target]["ARRAY"]
    notes = [*info.warnings, *([said] if said else [])]
    return TypeInfo(exp.DataType.build(text, dialect=target), "json", info.constraints, notes)


SIZED_TEXT = {T.CHAR, T.NCHAR, T.VARCHAR, T.NVARCHAR}


def _for_target(datatype: exp.DataType, target: str) -> TypeInfo:
    warnings: list[str] = []
    cat = category(datatype)
    datatype = _numeric_arguments(datatype, target, warnings)
    override = OVERRIDES[target].get(datatype.this)
    if override is not None:
        text, warning = override
        if warning:
            warnings.append(f"{datatype.sql('postgres').lower()}: {warning}")
        sized = datatype.this in SIZED_TEXT and datatype.expressions and "(" not in text
        replacement = exp.DataType.build(text, dialect=target)
        if sized:  # nchar(4) is char(4), not char (one character)
            replacement.set("expressions", [e.copy() for e in datatype.expressions])
        datatype = replacement
    elif target in UNSIZED_BINARY and datatype.this == T.VARBINARY and not datatype.expressions:
        datatype = exp.DataType.build(UNSIZED_BINARY[target], dialect=target)
    elif target in DEFAULT_LENGTH and datatype.this in (T.VARCHAR, T.NVARCHAR) and not datatype.expressions:
        length = DEFAULT_LENGTH[target]
        warnings.append(f"varchar needs a length in {_engine(target)}; {length} is used")
        datatype = exp.DataType(this=datatype.this, expressions=[exp.DataTypeParam(this=exp.Literal.number(length))])
    if target == "sqlite":
        datatype = sqlite_type(datatype)
    return TypeInfo(datatype, cat, [], warnings)


UNBOUNDED_TEXT = {"mysql": "LONGTEXT", "oracle": "CLOB"}  # elsewhere TEXT
UNBOUNDED_BINARY = {"mysql": "LONGBLOB", "oracle": "BLOB", "sqlite": "BLOB", "snowflake": "BINARY", "postgres": "BYTEA"}
MAX_TYPES = {T.VARCHAR, T.NVARCHAR, T.VARBINARY}


def _numeric_arguments(datatype: exp.DataType, target: str, warnings: list[str]) -> exp.DataType:
    """A type's arguments as the target reads them: `varchar(max)` is SQL Server's unbounded text,
    elsewhere the target's own unbounded type; other arguments that are not numbers are left out
    (with a warning), never written for an engine that rejects them."""
    params = datatype.expressions
    if not params or all(_is_number(p) for p in params) or datatype.this in (T.ENUM, T.SET):
        return datatype
    written = datatype.sql("postgres").lower()
    if datatype.this in MAX_TYPES and len(params) == 1 and _word(params[0]) == "max":
        if target == "tsql":
            return datatype
        if datatype.this == T.VARBINARY:
            text = UNBOUNDED_BINARY.get(target, "BLOB")
        else:
            text = UNBOUNDED_TEXT.get(target, "TEXT")
        warnings.append(f"{written}: {_engine(target)} has no MAX length; an unbounded type is used")
        return exp.DataType.build(text, dialect=target)
    warnings.append(f"{written}: arguments that are not numbers are left out")
    return exp.DataType(this=datatype.this)


def _is_number(param: exp.Expression) -> bool:
    inner = param.this if isinstance(param, exp.DataTypeParam) else param
    return isinstance(inner, exp.Literal) and not inner.is_string


def _word(param: exp.Expression) -> str:
    inner = param.this if isinstance(param, exp.DataTypeParam) else param
    return inner.name.lower() if isinstance(inner, exp.Var | exp.Identifier | exp.Column) else ""


def sqlite_affinity(name: str) -> str:
    """SQLite's column affinity for a declared type name (its rules, in their order)."""
    upper = name.upper()
    if "INT" in upper:
        return "INTEGER"
    if any(w in upper for w in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in upper or not upper.strip():
        return "BLOB"
    if any(w in upper for w in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _sqlite_written(column_type: ColumnType, datatype: exp.DataType) -> exp.DataType:
    """The type name as the schema writes it (`INTEGER`, `BOOL`) when SQLite gives it the same affinity as
    the PostgreSQL spelling: SQLite keeps declared names, and `INTEGER PRIMARY KEY` (the rowid) is not
    `INT PRIMARY KEY`."""
    if column_type.dims or not re.fullmatch(r"[a-z][a-z0-9_ ]*", column_type.name.lower()):
        return datatype
    if any(not re.fullmatch(r"\s*\d+\s*", a) for a in column_type.args or ()):
        return datatype  # `varchar(max)`, `decimal(10, x)`: written as `_numeric_arguments` maps them
    written = column_type.name.upper() + (f"({', '.join(column_type.args)})" if column_type.args else "")
    if sqlite_affinity(written) != sqlite_affinity(datatype.sql("sqlite")):
        return datatype
    return exp.DataType(this=T.USERDEFINED, kind=exp.to_identifier(written, quoted=False))


def sqlite_type(datatype: exp.DataType) -> exp.DataType:
    """SQLite accepts any type name and derives its storage from it: keep the written name (as
    PostgreSQL spells it), which gives the right affinity and reads back the same."""
    if datatype.this in SERIAL_BASE:
        text = "INTEGER"
    else:
        text = datatype.sql("postgres")
    return exp.DataType(this=T.USERDEFINED, kind=exp.to_identifier(text, quoted=False))


def type_key(column_type: ColumnType, dialect: str, schema: Schema | None = None) -> str:
    """A comparable form of a type in one of our dialects: two columns have the same type in that
    engine when their keys are equal (`int` and `integer`, `decimal` and `numeric`)."""
    target = sqlglot_dialect(dialect)
    info = resolve_type(column_type, target, schema)
    datatype = info.datatype
    if info.serial:
        datatype = exp.DataType.build(SERIAL_BASE[datatype.this])
    return datatype.sql(target).upper().replace(" ", "")


def _engine(target: str) -> str:
    """The engine's name for a sqlglot dialect ('tsql': 'SQL Server')."""
    return _ENGINES[target]


_ENGINES = {target: DISPLAY_NAME[ours] for ours, target in SQLGLOT.items()}
engine_name = _engine
