"""Particular migrations run on the real engines: identity, schemas, volatile defaults, comments,
NOT NULL backfills, enum recreation with dependent indexes, SQLite in-place changes."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest

from tests.migrate import engines
from tests.migrate.helpers import migration
from tests.migrate.test_random_pairs import check_pair


def on_postgres(postgres, old: str, new: str, safe: bool = False) -> None:
    check_pair(
        old,
        new,
        "postgres",
        lambda: postgres.fresh_database("case"),
        lambda db, sql: engines.apply_pg(postgres, db, sql),
        lambda db: engines.pg_snapshot(postgres, db),
        safe,
    )


def on_sqlite(old: str, new: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(100))
        check_pair(
            old,
            new,
            "sqlite",
            lambda: Path(tmp) / f"db{next(counter)}.sqlite",
            engines.apply_sqlite,
            engines.sqlite_snapshot,
        )


COMPOSITE = (
    "Table a {\n  x int\n  y int\n  indexes {\n    (x, y) [pk]\n  }\n}\nTable b {\n  id int [pk]\n  x int\n  y int\n}\n"
)
CASES = {
    "identity": ("Table t {\n  id int [pk]\n  n int\n}\n", "Table t {\n  id int [pk, increment]\n  n int\n}\n"),
    "schemas": (
        "Table shop.items {\n  id int [pk]\n  code varchar(10) [unique]\n"
        "  indexes {\n    code [name: 'items_code_idx']\n  }\n}\n",
        "Table shop.products [renamed_from: 'items'] {\n  id int [pk]\n"
        "  sku varchar(10) [unique, renamed_from: 'code']\n  indexes {\n    sku [name: 'items_code_idx']\n  }\n}\n",
    ),
    "moved to another schema": (
        "Table items {\n  id int [pk]\n}\n",
        "Table archive.old_items [renamed_from: 'public.items'] {\n  id int [pk]\n}\n",
    ),
    "volatile default": (
        "Table t {\n  id int [pk]\n}\n",
        "Table t {\n  id int [pk]\n  token uuid [not null, default: `gen_random_uuid()`]\n}\n",
    ),
    "volatile default on a name that must be quoted": (
        "Table t {\n  id int [pk]\n}\n",
        'Table t {\n  id int [pk]\n  "PublicToken" uuid [not null, default: `gen_random_uuid()`]\n}\n',
    ),
    "comments": (
        "Enum e {\n  a\n}\nTable t {\n  id int [pk]\n  v e\n}\n",
        "Enum e {\n  a\n}\nTable t [note: 'things'] {\n  id int [pk, note: 'the key']\n  v e\n}\n",
    ),
    "enum recreated under a partial index and a check": (
        "Enum e {\n  a\n  b\n  c\n}\nTable t {\n  id int [pk]\n  v e [default: 'a', check: `v <> 'b'`]\n"
        "  indexes {\n    id [where: `v = 'a'`]\n  }\n}\n",
        "Enum e {\n  b\n  a\n}\nTable t {\n  id int [pk]\n  v e [default: 'a', check: `v <> 'b'`]\n"
        "  indexes {\n    id [where: `v = 'a'`]\n  }\n}\n",
    ),
    "composite keys": (COMPOSITE, COMPOSITE + "Ref: b.(x, y) > a.(x, y) [delete: cascade]\n"),
}
POSTGRES_ONLY = {"volatile default", "volatile default on a name that must be quoted"}  # gen_random_uuid()


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
def test_postgres_cases(postgres, case: str, safe: bool) -> None:
    old, new = CASES[case]
    on_postgres(postgres, old, new, safe)
    on_postgres(postgres, new, old, safe)


@pytest.mark.parametrize("case", sorted(set(CASES) - POSTGRES_ONLY))
def test_sqlite_cases(case: str) -> None:
    old, new = CASES[case]
    on_sqlite(old, new)
    on_sqlite(new, old)


def test_safe_not_null_column_needs_its_backfill(postgres) -> None:
    old = "Table t {\n  id int [pk]\n}\n"
    new = "Table t {\n  id int [pk]\n  n int [not null]\n}\n"
    up = migration(old, new, safe=True).up_text()

    def table_with_a_row() -> str:
        db = postgres.fresh_database("backfill")
        engines.apply_pg(postgres, db, 'CREATE TABLE "t" ("id" INT NOT NULL, CONSTRAINT "t_pkey" PRIMARY KEY ("id"));')
        engines.apply_pg(postgres, db, 'INSERT INTO "t" VALUES (1);')
        return db

    with pytest.raises(engines.ApplyError, match="t_n_not_null"):
        engines.apply_pg(postgres, table_with_a_row(), up)  # the check fails on the row nobody backfilled
    # written where the file says, the backfill makes it pass
    db = table_with_a_row()
    filled = up.replace(
        'ALTER TABLE "t" VALIDATE CONSTRAINT',
        'UPDATE "t" SET "n" = 0 WHERE "n" IS NULL;\nALTER TABLE "t" VALIDATE CONSTRAINT',
    )
    engines.apply_pg(postgres, db, filled)
    assert engines.pg_rows(postgres, db, "t", "id") == [{"id": 1, "n": 0}]


def test_sqlite_file_runs_in_the_sqlite3_shell(tmp_path: Path) -> None:
    old = "Enum e {\n  a\n  b\n}\nTable t {\n  id int [pk]\n  v e\n}\n"
    new = "Enum e {\n  a\n  z [renamed_from: 'b']\n}\nTable t {\n  id int [pk]\n  v e [not null, default: 'a']\n}\n"
    db = tmp_path / "x.sqlite"
    engines.apply_sqlite_cli(db, migration("", old, "sqlite").up_text())
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO t (id, v) VALUES (1, 'b'), (2, 'a')")
    conn.commit()
    conn.close()
    engines.apply_sqlite_cli(db, migration(old, new, "sqlite").up_text())
    assert engines.sqlite_rows(db, "t", "id") == [{"id": 1, "v": "z"}, {"id": 2, "v": "a"}]
