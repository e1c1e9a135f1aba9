"""One table of dialect names: what a `database_type`, a setting or `--dialect` means, everywhere."""

from __future__ import annotations

import pytest

from dbdsl.dialects import DIALECTS, DISPLAY_NAME, SQLGLOT, dialect_name, resolve, source_dialect, sqlglot_dialect
from dbdsl.emit.sql_types import engine_name
from dbdsl.ide.complete import complete
from dbdsl.ide.lint import Linter
from dbdsl.ide.session import Session
from dbdsl.migrate.api import MigrationError, normalize_dialect
from dbdsl.model.schema import Project, Schema
from dbdsl.rules.base import DIALECTS as RULE_DIALECTS


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
    assert resolve(schema=schema) == (ours or "postgres")
    assert resolve(schema=schema, setting="") == (ours or "postgres")
    if ours in ("postgres", "sqlite"):
        assert normalize_dialect(written) == ours
    else:
        with pytest.raises(MigrationError):
            normalize_dialect(written or "none")


def test_one_list_of_dialects() -> None:
    assert tuple(SQLGLOT) == tuple(DIALECTS) == RULE_DIALECTS
    assert sqlglot_dialect("mssql") == "tsql" and dialect_name("tsql") == "mssql"
    with pytest.raises(ValueError, match="unknown dialect"):
        sqlglot_dialect("tsql")  # sqlglot's name is not ours
    assert [engine_name(SQLGLOT[d]) for d in SQLGLOT] == [DISPLAY_NAME[d] for d in SQLGLOT]


def test_the_linter_and_completion_agree_on_the_dialect(tmp_path) -> None:
    """The Project says PostgreSQL, the editor's setting says MySQL: both follow the Project."""
    text = "Project p {\n  database_type: 'PostgreSQL'\n}\nTable user {\n  id int [pk]\n}\nTable t {\n  data |\n}\n"
    offset = text.index("|")
    path = str(tmp_path / "shop.dbml")
    session = Session()
    session.open(path, text.replace("|", ""), 1)
    view = session.view(path)
    linted = Linter().lint(view.analysis, select=("S101",), dialect="mysql")
    assert [f.code for f in linted] == ["S101"]  # `user` is reserved in PostgreSQL, not in MySQL
    assert "PostgreSQL" in linted[0].message
    offered = {i.label for i in complete(view, offset, "mysql").items}
    assert "jsonb" in offered and "tinyint" not in offered
    # without a database_type the setting decides, for both
    plain = str(tmp_path / "plain.dbml")
    session.open(plain, text.replace("|", "").split("}\n", 1)[1], 1)
    plain_view = session.view(plain)
    assert Linter().lint(plain_view.analysis, select=("S101",), dialect="mysql") == []
    offered = {i.label for i in complete(plain_view, offset - text.index("Table"), "mysql").items}
    assert "tinyint" in offered and "jsonb" not in offered


def test_every_dialect_record_is_complete() -> None:
    import sqlglot

    aliases = [a for d in DIALECTS.values() for a in d.aliases]
    assert len(aliases) == len(set(aliases))  # one name, one engine
    for name, d in DIALECTS.items():
        assert d.name == name and dialect_name(name) == name and dialect_name(d.display) == name
        assert sqlglot.Dialect.get_or_raise(d.sqlglot) is not None
        assert d.reserved and d.completion_types
        assert d.decimal_name in ("decimal", "number") and d.decimal_type.startswith(d.decimal_name)
    assert DIALECTS["oracle"].identifier_size("é") == 2 and DIALECTS["mysql"].identifier_size("é") == 1
    assert [n for n, d in DIALECTS.items() if not d.date_types] == ["sqlite"]
