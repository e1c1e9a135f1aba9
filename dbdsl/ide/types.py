"""Column types offered by completion, per SQL dialect (the common ones, most used first), and the
dialect names dbdsl accepts. `tests/ide` checks that sqlglot reads each type in its dialect."""

from __future__ import annotations

from ..dialects import DEFAULT_DIALECT, SQLGLOT, dialect_name

DIALECTS = tuple(SQLGLOT)

TYPES: dict[str, tuple[str, ...]] = {
    "postgres": (
        "bigint integer smallint serial bigserial numeric decimal real double_precision text varchar char "
        "boolean date time timestamp timestamptz interval uuid json jsonb bytea inet money "
        "xml smallserial"
    ).split(),
    "mysql": (
        "int bigint smallint tinyint mediumint decimal float double bit boolean char varchar text tinytext "
        "mediumtext longtext blob mediumblob longblob binary varbinary date datetime timestamp time year json"
    ).split(),
    "sqlite": "integer text real blob numeric boolean date datetime".split(),
    "mssql": (
        "int bigint smallint tinyint bit decimal numeric money smallmoney float real char varchar nchar "
        "nvarchar text ntext date datetime datetime2 datetimeoffset smalldatetime time uniqueidentifier "
        "binary varbinary image xml"
    ).split(),
    "oracle": (
        "number integer float binary_float binary_double varchar2 nvarchar2 char nchar clob blob date timestamp"
    ).split(),
    "snowflake": (
        "number int bigint smallint float double varchar string text char boolean date time datetime "
        "timestamp_ntz timestamp_ltz timestamp_tz variant object array binary geography"
    ).split(),
}


def spelled(type_name: str) -> str:
    """How a type is written in DBML: names with a space are double-quoted."""
    name = type_name.replace("_precision", " precision")
    return f'"{name}"' if " " in name else name


def dialect_of(setting: str | None, database_type: str | None) -> str:
    """The dialect: the editor's setting, else the Project's database_type, else PostgreSQL."""
    if setting and setting in DIALECTS:
        return setting
    return dialect_name(database_type) or DEFAULT_DIALECT
