"""Facts about each database engine that rules need: reserved words, identifier length limits, type
names and limits (the dialect names themselves are in `dbdsl.dialects`).

MySQL's reserved words come from sqlglot (its generator quotes exactly these). sqlglot keeps no such
list for the other engines, so theirs are written here from each engine's documentation; the tests
check the PostgreSQL and SQLite lists against the real engines.
"""

from __future__ import annotations

from functools import cache

from ..dialects import DEFAULT_DIALECT, dialect_name
from ..model.schema import Schema


def dialect_of(schema: Schema, config: object | None = None) -> str:
    """The engine a schema is designed for: the Project's `database_type`, else the configuration's
    `dialect`, else PostgreSQL."""
    found = dialect_name(schema.database_type)
    if found:
        return found
    configured = dialect_name(getattr(config, "dialect", None))
    return configured or DEFAULT_DIALECT


# ------------------------------------------------------------------ identifiers

# (limit, unit): the longest identifier each engine accepts
IDENTIFIER_LIMITS = {
    "postgres": (63, "bytes"),  # NAMEDATALEN - 1; longer names are silently truncated
    "mysql": (64, "characters"),
    "mssql": (128, "characters"),
    "oracle": (128, "bytes"),  # 12.2 and later (30 before)
    "snowflake": (255, "characters"),
}

POSTGRES_RESERVED = frozenset(
    """all analyse analyze and any array as asc asymmetric both case cast check collate column constraint
    create current_catalog current_date current_role current_time current_timestamp current_user default
    deferrable desc distinct do else end except false fetch for foreign from grant group having in
    initially intersect into lateral leading limit localtime localtimestamp not null offset on only or
    order placing primary references returning select session_user some symmetric system_user table then
    to trailing true union unique user using variadic when where window with
    authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull
    join left like natural notnull outer overlaps right similar tablesample verbose""".split()
)
SQLITE_RESERVED = frozenset(
    """add all alter and as autoincrement between case cast check collate commit constraint create default
    deferrable delete distinct drop else escape except exists foreign from group having if in index insert
    intersect into is isnull join limit not nothing notnull null on or order primary raise references
    returning select set table then to transaction union unique update using values when where""".split()
)
MSSQL_RESERVED = frozenset(
    """add all alter and any as asc authorization backup begin between break browse bulk by cascade case
    check checkpoint close clustered coalesce collate column commit compute constraint contains
    containstable continue convert create cross current current_date current_time current_timestamp
    current_user cursor database dbcc deallocate declare default delete deny desc disk distinct distributed
    double drop dump else end errlvl escape except exec execute exists exit external fetch file fillfactor
    for foreign freetext freetexttable from full function goto grant group having holdlock identity
    identity_insert identitycol if in index inner insert intersect into is join key kill left like lineno
    load merge national nocheck nonclustered not null nullif of off offsets on open opendatasource
    openquery openrowset openxml option or order outer over percent pivot plan precision primary print proc
    procedure public raiserror read readtext reconfigure references replication restore restrict return
    revert revoke right rollback rowcount rowguidcol rule save schema securityaudit select
    semantickeyphrasetable semanticsimilaritydetailstable semanticsimilaritytable session_user set setuser
    shutdown some statistics system_user table tablesample textsize then to top tran transaction trigger
    truncate try_convert tsequal union unique unpivot update updatetext use user values varying view
    waitfor when where while with writetext""".split()
)
ORACLE_RESERVED = frozenset(
    """access add all alter and any as asc audit between by char check cluster column comment compress
    connect create current date decimal default delete desc distinct drop else exclusive exists file float
    for from grant group having identified immediate in increment index initial insert integer intersect
    into is level like lock long maxextents minus mlslabel mode modify noaudit nocompress not nowait null
    number of offline on online option or order pctfree prior public raw rename resource revoke row rowid
    rownum rows select session set share size smallint start successful synonym sysdate table then to
    trigger uid union unique update user validate values varchar varchar2 view whenever where with""".split()
)
SNOWFLAKE_RESERVED = frozenset(
    """account all alter and any as between by case cast check column connect connection constraint create
    cross current current_date current_time current_timestamp current_user database delete distinct drop
    else exists false following for from full grant group gscluster having ilike in increment inner insert
    intersect into is issue join lateral left like localtime localtimestamp minus natural not null of on or
    order organization qualify regexp revoke right rlike row rows sample schema select set some start table
    tablesample then to trigger true try_cast union unique update using values view when whenever where
    with""".split()
)


@cache
def reserved_words(dialect: str) -> frozenset[str]:
    """Words that cannot be used as a table or column name without quotes."""
    if dialect == "mysql":
        from sqlglot.dialects.mysql import MySQL

        return frozenset(w.lower() for w in MySQL.Generator.RESERVED_KEYWORDS)
    return {
        "postgres": POSTGRES_RESERVED,
        "sqlite": SQLITE_RESERVED,
        "mssql": MSSQL_RESERVED,
        "oracle": ORACLE_RESERVED,
        "snowflake": SNOWFLAKE_RESERVED,
    }[dialect]


def identifier_size(name: str, dialect: str) -> int:
    limit = IDENTIFIER_LIMITS.get(dialect)
    if limit is None:
        return len(name)
    # surrogatepass: a lone surrogate (an editor can send one) counts as the 3 bytes it would take
    return len(name.encode("utf-8", "surrogatepass")) if limit[1] == "bytes" else len(name)


# ------------------------------------------------------------------ types

# the decimal type and the time-zone-aware timestamp each engine spells
DECIMAL_TYPE = {
    "postgres": "decimal(12,2)",
    "mysql": "decimal(12,2)",
    "sqlite": "decimal(12,2)",
    "mssql": "decimal(12,2)",
    "oracle": "number(12,2)",
    "snowflake": "number(12,2)",
}
TIMESTAMP_TZ_TYPE = {
    "postgres": "timestamptz",
    "mysql": "datetime",
    "sqlite": "text",
    "mssql": "datetimeoffset",
    "oracle": "timestamp with time zone",
    "snowflake": "timestamp_tz",
}
BOOLEAN_TYPE = {
    "postgres": "boolean",
    "mysql": "boolean",
    "sqlite": "boolean",
    "mssql": "bit",
    "snowflake": "boolean",
}

# the longest varchar and the largest decimal precision each engine accepts
VARCHAR_MAX = {"postgres": 10485760, "mysql": 65535, "mssql": 8000, "oracle": 32767, "snowflake": 16777216}
DECIMAL_MAX_PRECISION = {"postgres": 1000, "mysql": 65, "mssql": 38, "oracle": 38, "snowflake": 38}

# types that belong to another engine, with what to write instead (None: no direct equivalent)
FOREIGN_TYPES: dict[str, dict[str, str | None]] = {
    "postgres": {
        "datetime": "timestamptz",
        "datetime2": "timestamptz",
        "smalldatetime": "timestamptz",
        "datetimeoffset": "timestamptz",
        "tinyint": "smallint",
        "mediumint": "integer",
        "nvarchar": "varchar",
        "nvarchar2": "varchar",
        "varchar2": "varchar",
        "number": "numeric",
        "clob": "text",
        "nclob": "text",
        "ntext": "text",
        "tinytext": "text",
        "mediumtext": "text",
        "longtext": "text",
        "blob": "bytea",
        "longblob": "bytea",
        "mediumblob": "bytea",
        "varbinary": "bytea",
        "image": "bytea",
        "uniqueidentifier": "uuid",
        "double": "double precision",
        "variant": "jsonb",
        "nchar": "char",
        "year": "smallint",
    },
    "mysql": {
        "jsonb": "json",
        "timestamptz": "datetime",
        "uuid": "char(36)",
        "bytea": "blob",
        "citext": "varchar(255)",
        "inet": "varchar(45)",
        "cidr": "varchar(45)",
        "interval": None,
        "money": "decimal(19,4)",
        "uniqueidentifier": "char(36)",
        "varchar2": "varchar",
        "nvarchar2": "varchar",
        "number": "decimal",
        "clob": "longtext",
        "datetime2": "datetime",
        "datetimeoffset": "datetime",
        "variant": "json",
    },
    "mssql": {
        "boolean": "bit",
        "bool": "bit",
        "timestamptz": "datetimeoffset",
        "jsonb": "nvarchar(max)",
        "json": "nvarchar(max)",
        "uuid": "uniqueidentifier",
        "bytea": "varbinary(max)",
        "blob": "varbinary(max)",
        "double": "float",
        "double precision": "float",
        "serial": "int",
        "bigserial": "bigint",
        "text": "nvarchar(max)",
        "clob": "nvarchar(max)",
        "longtext": "nvarchar(max)",
        "mediumtext": "nvarchar(max)",
        "varchar2": "varchar",
        "nvarchar2": "nvarchar",
        "number": "decimal",
        "citext": "nvarchar(255)",
        "interval": None,
        "variant": "nvarchar(max)",
    },
    "oracle": {
        "text": "clob",
        "longtext": "clob",
        "mediumtext": "clob",
        "jsonb": "json",
        "bytea": "blob",
        "uuid": "raw(16)",
        "uniqueidentifier": "raw(16)",
        "timestamptz": "timestamp with time zone",
        "datetime": "timestamp",
        "datetime2": "timestamp",
        "datetimeoffset": "timestamp with time zone",
        "tinyint": "number(3)",
        "mediumint": "number(7)",
        "serial": "number",
        "bigserial": "number",
        "double": "binary_double",
        "citext": "varchar2(255)",
        "nvarchar": "nvarchar2",
        "variant": "json",
    },
    "snowflake": {
        "jsonb": "variant",
        "json": "variant",
        "bytea": "binary",
        "uuid": "varchar(36)",
        "uniqueidentifier": "varchar(36)",
        "serial": "number",
        "bigserial": "number",
        "citext": "varchar",
        "timestamptz": "timestamp_tz",
        "datetimeoffset": "timestamp_tz",
        "money": "number(19,4)",
        "clob": "varchar",
        "longtext": "varchar",
        "mediumtext": "varchar",
        "blob": "binary",
        "image": "binary",
    },
    "sqlite": {},  # SQLite accepts any type name (type affinity)
}
ARRAY_DIALECTS = frozenset({"postgres", "snowflake"})
