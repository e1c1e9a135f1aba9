"""One table of dialect names: what a `database_type`, a setting or `--dialect` means, everywhere."""

from __future__ import annotations

import pytest

from dbdsl.dialects import DISPLAY_NAME, SQLGLOT, dialect_name
from dbdsl.emit.sql_types import engine_name, source_dialect
from dbdsl.ide.types import DIALECTS as EDITOR_DIALECTS
from dbdsl.ide.types import dialect_of as editor_dialect
from dbdsl.migrate.api import MigrationError, normalize_dialect
from dbdsl.model.schema import Project, Schema
from dbdsl.rules.base import DIALECTS as RULE_DIALECTS
from dbdsl.rules.dialects import dialect_of as lint_dialect


@pytest.mark.parametrize(
    ("written", "ours"),
    [
        ("PostgreSQL", "postgres"),
        ("postgres", "postgres"),
        ("MariaDB", "mysql"),
        ("SQLite3", "sqlite"),
        ("SQL Server", "mssql"),
        ("sql server", "mssql"),
        ("Microsoft SQL Server", "mssql"),
        ("T-SQL", "mssql"),
        ("Oracle", "oracle"),
        ("Snowflake", "snowflake"),
        ("DB2", None),
        ("", None),
    ],
)
def test_every_part_reads_a_database_type_alike(written: str, ours: str | None) -> None:
    schema = Schema(project=Project(name="p", database_type=written or None))
    assert dialect_name(written) == ours
    assert source_dialect(schema) == (SQLGLOT[ours] if ours else None)
    assert lint_dialect(schema) == (ours or "postgres")
    assert editor_dialect("", written) == (ours or "postgres")
    if ours in ("postgres", "sqlite"):
        assert normalize_dialect(written) == ours
    else:
        with pytest.raises(MigrationError):
            normalize_dialect(written or "none")


def test_one_list_of_dialects() -> None:
    assert tuple(SQLGLOT) == EDITOR_DIALECTS == RULE_DIALECTS
    assert [engine_name(SQLGLOT[d]) for d in SQLGLOT] == [DISPLAY_NAME[d] for d in SQLGLOT]
