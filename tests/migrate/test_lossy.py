"""Lossy type changes (M022): refused like a drop unless allowed; `--safe` writes them with a check that
every value converts exactly. Each kind runs on PostgreSQL and SQLite with a row it would change (the
safe migration stops, nothing changed) and with rows that convert exactly (the safe migration passes,
the values kept)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlglot import exp

from dbdsl.emit.sql import generate
from dbdsl.migrate.lossy import lossy
from tests.helpers import run_cli
from tests.migrate import engines
from tests.migrate.helpers import migration, schema

# kind: (old type, new type, a value it changes, values it keeps exactly)
KINDS = {
    "narrower scale": ("decimal(10,2)", "decimal(10,1)", "12.34", ["12.30", "-7.10"]),
    "narrower precision": ("decimal(10,2)", "decimal(4,2)", "12345.67", ["12.34"]),
    "float to integer": ("double", "int", "2.75", ["3", "-40"]),
    "timestamp to date": ("timestamp", "date", "'2024-05-01 10:30:00'", ["'2024-05-01 00:00:00'"]),
    "text to number": ("varchar(20)", "int", "'007'", ["'7'", "'-12'"]),
    "text to boolean": ("varchar(10)", "boolean", "'yes'", []),
    "shorter varchar": ("varchar(10)", "varchar(3)", "'abcdef'", ["'abc'", "''"]),
    "shorter char": ("char(4)", "char(2)", "'abcd'", []),
    "bigint to int": ("bigint", "int", "3000000000", ["2000000000", "-5"]),
    "bigint to boolean": ("bigint", "boolean", "5", ["0", "1"]),
    "decimal to boolean": ("decimal(10,2)", "boolean", "0.5", ["1", "0"]),
}


def table(datatype: str) -> str:
    return f"Table t {{\n  id int [pk]\n  v {datatype}\n}}\n"


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("dialect", ["postgres", "sqlite"])
def test_lossy_change_is_refused_unless_allowed(kind: str, dialect: str) -> None:
    old, new, *_ = KINDS[kind]
    refused = migration(table(old), table(new), dialect).refused
    assert [w.code for w in refused] == ["M022"]
    assert "--allow-destructive" in refused[0].message
    assert migration(table(old), table(new), dialect, allow_destructive=True).refused == []
    # --safe writes it with the check, so it is not refused (the finding stays, as information)
    safe = migration(table(old), table(new), dialect, safe=True)
    assert safe.refused == []
    assert [w.code for w in safe.up_warnings if w.code == "M022"] == ["M022"]
    assert "converts_exactly" in safe.up_text()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("decimal(10,2)", "decimal(12,2)"),
        ("decimal(10,2)", "decimal"),
        ("int", "bigint"),
        ("varchar(10)", "varchar(20)"),
        ("varchar(10)", "text"),
        ("float", "double"),
        ("date", "timestamp"),
        ("int", "varchar"),
    ],
)
def test_widening_is_not_lossy(old: str, new: str) -> None:
    assert lossy(exp.DataType.build(old, dialect="postgres"), exp.DataType.build(new, dialect="postgres")) is None
    assert migration(table(old), table(new)).refused == []


def _insert(values: list[str]) -> str:
    return "".join(f"INSERT INTO t (id, v) VALUES ({i}, {v});\n" for i, v in enumerate(values, 1))


def _pg_table(postgres, old: str, values: list[str]) -> str:
    db = postgres.fresh_database("lossy")
    engines.apply_pg(postgres, db, generate(schema(table(old)), "postgres", records=False).text())
    engines.apply_pg(postgres, db, _insert(values))
    return db


def _sqlite_table(path: Path, old: str, values: list[str]) -> Path:
    engines.apply_sqlite(path, generate(schema(table(old)), "sqlite", records=False).text())
    engines.apply_sqlite(path, _insert(values))
    return path


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_postgres_safe_form_stops_on_a_changed_value(postgres, kind: str) -> None:
    old, new, changed, kept = KINDS[kind]
    up = migration(table(old), table(new), safe=True).up_text()
    db = _pg_table(postgres, old, [*kept, changed])
    before = engines.pg_rows(postgres, db, "t", "id")
    with pytest.raises(engines.ApplyError):
        engines.apply_pg(postgres, db, up)
    assert engines.pg_rows(postgres, db, "t", "id") == before  # nothing changed
    if kept:
        db = _pg_table(postgres, old, kept)
        engines.apply_pg(postgres, db, up)
        assert [r["id"] for r in engines.pg_rows(postgres, db, "t", "id")] == list(range(1, len(kept) + 1))
        # the columns swapped: the table is as the new schema creates it
        assert engines.pg_snapshot(postgres, db) == engines.pg_snapshot(postgres, _pg_table(postgres, new, []))


@pytest.mark.parametrize("kind", ["narrower scale", "float to integer", "timestamp to date", "text to number"])
def test_postgres_allowed_change_alters_values(postgres, kind: str) -> None:
    """What the refusal protects: the plain migration, once allowed, changes the row."""
    old, new, changed, _ = KINDS[kind]
    db = _pg_table(postgres, old, [changed])
    before = engines.pg_rows(postgres, db, "t", "id")
    engines.apply_pg(postgres, db, migration(table(old), table(new), allow_destructive=True).up_text())
    assert str(engines.pg_rows(postgres, db, "t", "id")[0]["v"]) != str(before[0]["v"])


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_sqlite_safe_form_stops_on_a_changed_value(tmp_path: Path, kind: str) -> None:
    old, new, changed, kept = KINDS[kind]
    up = migration(table(old), table(new), "sqlite", safe=True).up_text()
    db = _sqlite_table(tmp_path / "a.sqlite", old, [*kept, changed])
    before = engines.sqlite_rows(db, "t", "id")
    with pytest.raises(engines.ApplyError, match=r"converts_exactly"):
        engines.apply_sqlite_cli(db, up)
    # the same values ('7' read as 7 is the same value in an int column)
    assert [_value(r["v"]) for r in engines.sqlite_rows(db, "t", "id")] == [_value(r["v"]) for r in before]
    db = _sqlite_table(tmp_path / "b.sqlite", old, kept)
    before = engines.sqlite_rows(db, "t", "id")
    engines.apply_sqlite_cli(db, up)
    # the same values ('7' read as 7 is the same value in an int column)
    assert [_value(r["v"]) for r in engines.sqlite_rows(db, "t", "id")] == [_value(r["v"]) for r in before]
    declared = sqlite3.connect(db).execute("SELECT type FROM pragma_table_info('t') WHERE name = 'v'").fetchone()[0]
    assert declared.replace(" ", "").lower().startswith(new.split("(")[0][:3])


def _value(v: object) -> object:
    try:
        return float(v)
    except (TypeError, ValueError):
        return v


def test_sqlite_allowed_change_alters_text_read_as_a_number(tmp_path: Path) -> None:
    db = _sqlite_table(tmp_path / "a.sqlite", "varchar(20)", ["'007'"])
    engines.apply_sqlite(db, migration(table("varchar(20)"), table("int"), "sqlite", allow_destructive=True).up_text())
    assert engines.sqlite_rows(db, "t", "id") == [{"id": 1, "v": 7}]


def test_cli_refuses_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.dbml").write_text(table("decimal(10,2)"))
    (tmp_path / "b.dbml").write_text(table("decimal(10,1)"))
    folder = tmp_path / "m"
    init = run_cli("migrate", "init", "a.dbml", "--dir", "m", "--dialect", "postgres", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    files = sorted(p.name for p in folder.iterdir())
    result = run_cli("migrate", "diff", "--to", "b.dbml", "--dir", "m", cwd=tmp_path)
    assert result.returncode == 1
    assert "M022" in result.stderr and "alter data" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == files
    assert run_cli("migrate", "diff", "--to", "b.dbml", "--dir", "m", "--safe", cwd=tmp_path).returncode == 0
