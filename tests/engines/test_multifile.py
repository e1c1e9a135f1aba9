"""A project split over files, written by `dbdsl sql` from its entry file and loaded on PostgreSQL and
SQLite: every table the entry file sees is created under the name it has there (table aliases, a schema
alias), the tables a table group brings come along, and the refs among them (those of the entry file
and those of the files imported from, whichever `use` line brought each end) are foreign keys."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.workspace.test_imports import write

from .catalog import postgres_catalog, sqlite_catalog

PEOPLE = """
Table users {
  id int [pk, increment]
  email varchar(320) [not null, unique]
}
Table orders {
  id int [pk]
  user_id int [not null]
  product_id int
  indexes {
    user_id [name: 'orders_by_user']
  }
}
Ref: orders.user_id > users.id [delete: cascade]
Table payments {
  id int [pk]
  order_id int [not null, ref: > orders.id]
}
Table refunds {
  id int [pk]
  payment_id int [ref: > payments.id]
}
Table audit {
  id int [pk]
}
TableGroup money {
  payments
  refunds
}
Records users(id, email) {
  1, 'ada@example.com'
}
"""

CATALOG = """
Enum catalog.state {
  draft
  live
}
Table catalog.products {
  id int [pk]
  state catalog.state [not null, default: 'draft']
  maker_id int
}
Table makers as M {
  id int [pk]
  name varchar(80) [not null]
}
Ref: catalog.products.maker_id > M.id
"""

MAIN = """
use { table users as customers } from './people'
use { table orders } from './people'
use { tablegroup money } from './people'
use { schema catalog as shop } from './catalog'
use { table makers as brands } from './catalog'

Table reviews {
  id int [pk]
  customer_id int [not null, ref: > customers.id]
  product_id int [ref: > shop.products.id]
}
Ref: orders.product_id > shop.products.id
"""

# (schema, table) -> its foreign keys as (columns, (schema, target), target columns, on delete)
EXPECTED = {
    ("public", "customers"): set(),
    ("public", "orders"): {
        (("user_id",), ("public", "customers"), ("id",), "cascade"),
        (("product_id",), ("shop", "products"), ("id",), "no action"),
    },
    ("public", "payments"): {(("order_id",), ("public", "orders"), ("id",), "no action")},
    ("public", "refunds"): {(("payment_id",), ("public", "payments"), ("id",), "no action")},
    ("shop", "products"): {(("maker_id",), ("public", "brands"), ("id",), "no action")},
    ("public", "brands"): set(),
    ("public", "reviews"): {
        (("customer_id",), ("public", "customers"), ("id",), "no action"),
        (("product_id",), ("shop", "products"), ("id",), "no action"),
    },
}


def project_sql(folder: Path, dialect: str) -> str:
    write(folder, {"people.dbml": PEOPLE, "catalog.dbml": CATALOG, "main.dbml": MAIN})
    done = run_cli("sql", str(folder / "main.dbml"), "--dialect", dialect)
    assert done.returncode == 0, done.stderr
    return done.stdout


def foreign_keys(catalog: dict) -> dict:
    """The catalog's tables with their foreign keys (columns, target, target columns, on delete)."""
    return {key: {fk[:4] for fk in table["fks"]} for key, table in catalog["tables"].items()}


def on_sqlite(key: tuple[str, str]) -> tuple[str, str]:
    """SQLite has no schemas: a table of schema `s` is named `s_table` (the script says so in a warning)."""
    schema, name = key
    return ("public", name if schema == "public" else f"{schema}_{name}")


@pytest.mark.postgres
def test_a_multi_file_project_loads_on_postgres(postgres, tmp_path: Path) -> None:
    script = project_sql(tmp_path, "postgres")
    with postgres.connect(postgres.fresh_database()) as conn:
        conn.execute(script)
        catalog = postgres_catalog(conn)
        conn.execute("INSERT INTO customers (email) VALUES ('bob@example.com')")  # the identity moved past 1
        assert conn.execute("SELECT id FROM customers ORDER BY id").fetchall() == [(1,), (2,)]
        index = "SELECT tablename FROM pg_indexes WHERE indexname = 'orders_by_user'"
        assert conn.execute(index).fetchall() == [("orders",)]  # an imported index keeps its name
    assert foreign_keys(catalog) == EXPECTED
    assert catalog["enums"] == {("shop", "state"): ("draft", "live")}
    assert catalog["tables"][("public", "customers")]["rows"] == 1


def test_a_multi_file_project_loads_on_sqlite(tmp_path: Path) -> None:
    script = project_sql(tmp_path, "sqlite")
    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.executescript(script)
    expected = {
        on_sqlite(key): {(cols, on_sqlite(target), ref, delete) for cols, target, ref, delete in fks}
        for key, fks in EXPECTED.items()
    }
    catalog = sqlite_catalog(conn)
    assert foreign_keys(catalog) == expected
    assert catalog["tables"][("public", "customers")]["rows"] == 1
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with pytest.raises(sqlite3.IntegrityError):  # the ref brought by two separate `use` lines holds
        conn.execute("INSERT INTO orders (id, user_id) VALUES (1, 99)")
