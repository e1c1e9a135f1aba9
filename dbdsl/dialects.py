"""The SQL dialects dbdsl knows, one record each: our name, sqlglot's, the names a `database_type` or a
setting may use, and what the engine can do (reserved words, identifier limits, types it spells its own
way). The generator, the linter, migrations, the importer, the editor and the CLI all read this table, and
pick a schema's dialect with `resolve` alone.

Which dialect applies, first that says: an explicit choice (`--dialect`, a function argument), then the
Project's `database_type`, then a setting (the editor's `dbdsl.dialect`, `dialect` in dbdsl.toml), then
PostgreSQL. A new engine quirk is a field here, read where it matters.

MySQL's reserved words come from sqlglot (its generator quotes exactly these). sqlglot keeps no such list
for the other engines, so theirs are written here from each engine's documentation; the tests check the
PostgreSQL and SQLite lists against the real engines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from .model.schema import Schema

DEFAULT_DIALECT = "postgres"


@dataclass(frozen=True)
class Dialect:
    """One SQL engine as dbdsl sees it."""

    name: str  # ours: postgres, mysql, sqlite, mssql, oracle, snowflake
    sqlglot: str  # sqlglot's name for it
    display: str  # the engine's name in messages
    aliases: tuple[str, ...]  # how a database_type or setting names it (lowercased, letters and digits)
    identifier_limit: tuple[int, str] | None  # (limit, "bytes" or "characters"): the longest identifier
    decimal_type: str  # the decimal type to suggest for money
    timestamp_tz_type: str  # the time-zone-aware timestamp
    boolean_type: str | None  # the boolean type (None: the engine has none)
    varchar_max: int | None  # the longest varchar
    decimal_max_precision: int | None  # the largest decimal precision
    arrays: bool  # has array columns
    secondary_indexes: bool  # has secondary indexes (Snowflake's standard tables have none)
    indexes_foreign_keys: bool  # indexes the referencing columns of a foreign key itself (InnoDB)
    folds_case: bool  # folds unquoted identifiers to one case, so that a mixed-case name needs quotes
    date_types: bool  # has date and time types (SQLite keeps dates as text or numbers)
    foreign_types: Mapping[str, str | None]  # other engines' types, with what to write instead
    completion_types: tuple[str, ...]  # the common types, most used first, offered by completion

    @property
    def reserved(self) -> frozenset[str]:
        """Words that cannot be used as a table or column name without quotes."""
        return reserved_words(self.name)

    @property
    def decimal_name(self) -> str:
        """The decimal type's name, without arguments (`number` in Oracle and Snowflake)."""
        return self.decimal_type.partition("(")[0]

    def identifier_size(self, name: str) -> int:
        """The length of `name` as the engine counts it against `identifier_limit`."""
        if self.identifier_limit is not None and self.identifier_limit[1] == "bytes":
            # surrogatepass: a lone surrogate (an editor can send one) counts as the 3 bytes it would take
            return len(name.encode("utf-8", "surrogatepass"))
        return len(name)


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


_FOREIGN_TYPES: dict[str, dict[str, str | None]] = {
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


def _types(text: str) -> tuple[str, ...]:
    return tuple(text.split())


DIALECTS: dict[str, Dialect] = {
    d.name: d
    for d in (
        Dialect(
            name="postgres",
            sqlglot="postgres",
            display="PostgreSQL",
            aliases=("postgresql", "postgres", "pg"),
            identifier_limit=(63, "bytes"),  # NAMEDATALEN - 1; longer names are silently truncated
            decimal_type="decimal(12,2)",
            timestamp_tz_type="timestamptz",
            boolean_type="boolean",
            varchar_max=10485760,
            decimal_max_precision=1000,
            arrays=True,
            secondary_indexes=True,
            indexes_foreign_keys=False,
            folds_case=True,
            date_types=True,
            foreign_types=_FOREIGN_TYPES["postgres"],
            completion_types=_types(
                "bigint integer smallint serial bigserial numeric decimal real double_precision text varchar char "
                "boolean date time timestamp timestamptz interval uuid json jsonb bytea inet money xml smallserial"
            ),
        ),
        Dialect(
            name="mysql",
            sqlglot="mysql",
            display="MySQL",
            aliases=("mysql", "mariadb"),
            identifier_limit=(64, "characters"),
            decimal_type="decimal(12,2)",
            timestamp_tz_type="datetime",
            boolean_type="boolean",
            varchar_max=65535,
            decimal_max_precision=65,
            arrays=False,
            secondary_indexes=True,
            indexes_foreign_keys=True,
            folds_case=False,
            date_types=True,
            foreign_types=_FOREIGN_TYPES["mysql"],
            completion_types=_types(
                "int bigint smallint tinyint mediumint decimal float double bit boolean char varchar text tinytext "
                "mediumtext longtext blob mediumblob longblob binary varbinary date datetime timestamp time year json"
            ),
        ),
        Dialect(
            name="sqlite",
            sqlglot="sqlite",
            display="SQLite",
            aliases=("sqlite", "sqlite3"),
            identifier_limit=None,
            decimal_type="decimal(12,2)",
            timestamp_tz_type="text",
            boolean_type="boolean",
            varchar_max=None,
            decimal_max_precision=None,
            arrays=False,
            secondary_indexes=True,
            indexes_foreign_keys=False,
            folds_case=False,
            date_types=False,
            foreign_types=_FOREIGN_TYPES["sqlite"],
            completion_types=_types("integer text real blob numeric boolean date datetime"),
        ),
        Dialect(
            name="mssql",
            sqlglot="tsql",
            display="SQL Server",
            aliases=("sqlserver", "mssql", "microsoftsqlserver", "tsql"),
            identifier_limit=(128, "characters"),
            decimal_type="decimal(12,2)",
            timestamp_tz_type="datetimeoffset",
            boolean_type="bit",
            varchar_max=8000,
            decimal_max_precision=38,
            arrays=False,
            secondary_indexes=True,
            indexes_foreign_keys=False,
            folds_case=False,
            date_types=True,
            foreign_types=_FOREIGN_TYPES["mssql"],
            completion_types=_types(
                "int bigint smallint tinyint bit decimal numeric money smallmoney float real char varchar nchar "
                "nvarchar text ntext date datetime datetime2 datetimeoffset smalldatetime time uniqueidentifier "
                "binary varbinary image xml"
            ),
        ),
        Dialect(
            name="oracle",
            sqlglot="oracle",
            display="Oracle",
            aliases=("oracle", "oracledb"),
            identifier_limit=(128, "bytes"),  # 12.2 and later (30 before)
            decimal_type="number(12,2)",
            timestamp_tz_type="timestamp with time zone",
            boolean_type=None,
            varchar_max=32767,
            decimal_max_precision=38,
            arrays=False,
            secondary_indexes=True,
            indexes_foreign_keys=False,
            folds_case=True,
            date_types=True,
            foreign_types=_FOREIGN_TYPES["oracle"],
            completion_types=_types(
                "number integer float binary_float binary_double varchar2 nvarchar2 char nchar clob blob date timestamp"
            ),
        ),
        Dialect(
            name="snowflake",
            sqlglot="snowflake",
            display="Snowflake",
            aliases=("snowflake",),
            identifier_limit=(255, "characters"),
            decimal_type="number(12,2)",
            timestamp_tz_type="timestamp_tz",
            boolean_type="boolean",
            varchar_max=16777216,
            decimal_max_precision=38,
            arrays=True,
            secondary_indexes=False,
            indexes_foreign_keys=False,
            folds_case=True,
            date_types=True,
            foreign_types=_FOREIGN_TYPES["snowflake"],
            completion_types=_types(
                "number int bigint smallint float double varchar string text char boolean date time datetime "
                "timestamp_ntz timestamp_ltz timestamp_tz variant object array binary geography"
            ),
        ),
    )
}
"""Every dialect, by our name, in the order they are listed to users."""

NAMES = tuple(DIALECTS)
SQLGLOT = {d.name: d.sqlglot for d in DIALECTS.values()}
"""Our dialect names and sqlglot's."""
DISPLAY_NAME = {d.name: d.display for d in DIALECTS.values()}
DATABASE_TYPES = {alias: d.name for d in DIALECTS.values() for alias in d.aliases}
"""Names seen in `database_type` and settings (lowercased, letters and digits only) -> our dialect."""
IDENTIFIER_LIMITS = {d.name: d.identifier_limit for d in DIALECTS.values() if d.identifier_limit is not None}


@cache
def reserved_words(dialect: str) -> frozenset[str]:
    """Words that cannot be used as a table or column name without quotes in `dialect` (ours)."""
    if dialect == "mysql":
        from sqlglot.dialects.mysql import MySQL  # only when asked: sqlglot's dialects load slowly

        return frozenset(w.lower() for w in MySQL.Generator.RESERVED_KEYWORDS)
    return _RESERVED[dialect]


_RESERVED = {
    "postgres": POSTGRES_RESERVED,
    "sqlite": SQLITE_RESERVED,
    "mssql": MSSQL_RESERVED,
    "oracle": ORACLE_RESERVED,
    "snowflake": SNOWFLAKE_RESERVED,
}


def identifier_size(name: str, dialect: str) -> int:
    """The length of `name` as `dialect` counts it against its identifier limit."""
    return DIALECTS[dialect].identifier_size(name)


@lru_cache(maxsize=256)  # asked once per column type by the generator
def dialect_name(text: str | None) -> str | None:
    """Our dialect for a `database_type`, setting or option value ('PostgreSQL', 'SQL Server', 'tsql'...),
    None when it names none."""
    if not text:
        return None
    return DATABASE_TYPES.get("".join(ch for ch in text.lower() if ch.isalnum()))


def project_dialect(schema: Schema) -> str | None:
    """Our dialect for the Project's `database_type`, when it names one."""
    return dialect_name(schema.database_type)


def resolve(explicit: str | None = None, schema: Schema | None = None, setting: str | None = None) -> str:
    """The dialect that applies (ours), by the one precedence: an explicit choice, then the Project's
    `database_type`, then a setting (editor or dbdsl.toml), then PostgreSQL. Names that name no dialect
    are passed over."""
    for said in (explicit, schema.database_type if schema is not None else None, setting):
        found = dialect_name(said)
        if found is not None:
            return found
    return DEFAULT_DIALECT


def sqlglot_dialect(name: str) -> str:
    """sqlglot's dialect for one of ours; ValueError for an unknown name."""
    try:
        return SQLGLOT[name]
    except KeyError:
        raise ValueError(f"unknown dialect '{name}'; choose one of: {', '.join(SQLGLOT)}") from None


def source_dialect(schema: Schema | None) -> str | None:
    """The dialect the schema's SQL fragments are written in (Project database_type), if it says."""
    ours = project_dialect(schema) if schema is not None else None
    return SQLGLOT[ours] if ours else None


def reading_order(target: str, schema: Schema | None) -> list[str]:
    """The sqlglot dialects to read a fragment with, most likely first: the schema's own dialect
    (Project database_type, PostgreSQL when it does not say), then the target's, then the others."""
    order = [source_dialect(schema) or "postgres", target, "mysql", "tsql", "oracle", "snowflake", "sqlite"]
    return list(dict.fromkeys(d for d in order if d))
