"""The SQL dialects dbdsl writes, by our names, and what a Project's `database_type` (or a setting, or
`--dialect`) means: one table for the generator, the linter, migrations, the editor and the CLI."""

from __future__ import annotations

from functools import lru_cache

from .model.schema import Schema

DEFAULT_DIALECT = "postgres"

SQLGLOT = {
    "postgres": "postgres",
    "mysql": "mysql",
    "sqlite": "sqlite",
    "mssql": "tsql",
    "oracle": "oracle",
    "snowflake": "snowflake",
}
"""Our dialect names and sqlglot's."""

DISPLAY_NAME = {
    "postgres": "PostgreSQL",
    "mysql": "MySQL",
    "sqlite": "SQLite",
    "mssql": "SQL Server",
    "oracle": "Oracle",
    "snowflake": "Snowflake",
}

# names seen in `database_type` and settings (lowercased, letters and digits only) -> our dialect
DATABASE_TYPES = {
    "postgresql": "postgres",
    "postgres": "postgres",
    "pg": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
    "sqlserver": "mssql",
    "mssql": "mssql",
    "microsoftsqlserver": "mssql",
    "tsql": "mssql",
    "oracle": "oracle",
    "oracledb": "oracle",
    "snowflake": "snowflake",
}


@lru_cache(maxsize=256)  # asked once per column type by the generator
def dialect_name(text: str | None) -> str | None:
    """Our dialect for a `database_type`, setting or option value ('PostgreSQL', 'SQL Server'...), None
    when it names none."""
    if not text:
        return None
    return DATABASE_TYPES.get("".join(ch for ch in text.lower() if ch.isalnum()))


def project_dialect(schema: Schema) -> str | None:
    """Our dialect for the Project's `database_type`, when it names one."""
    return dialect_name(schema.database_type)
