"""The one order of tables along the foreign keys (`dbdsl sql`, migrations, the design document): written
order where the keys allow it, and only the keys that close a cycle deferred."""

from __future__ import annotations

from pathlib import Path

from dbdsl.emit.sql import table_order, with_junction_tables
from dbdsl.migrate import plan_migration
from dbdsl.model.schema import Schema
from dbdsl.workspace import Workspace


def schema_of(tmp_path: Path, text: str) -> Schema:
    path = tmp_path / "s.dbml"
    path.write_text(text, encoding="utf-8")
    analysis = Workspace().analyze(str(path))
    assert not analysis.errors
    return analysis.schema


def order(schema: Schema) -> tuple[list[str], list[str]]:
    full, refs = with_junction_tables(schema)
    tables, deferred = table_order(full.tables, refs)
    return [t.name for t in tables], [f"{r.fk_side.table}->{r.pk_side.table}" for r in deferred]


def test_written_order_except_where_a_key_points_ahead(tmp_path: Path) -> None:
    schema = schema_of(
        tmp_path,
        "Table a {\n  id int [pk]\n  c_id int [ref: > c.id]\n}\n"
        "Table b {\n  id int [pk]\n}\n"
        "Table c {\n  id int [pk]\n  self_id int [ref: > c.id]\n}\n",
    )
    assert order(schema) == (["b", "c", "a"], [])


def test_only_the_key_that_closes_a_cycle_is_deferred(tmp_path: Path) -> None:
    # x is written first and waits for the cycle c1 <-> c2: it is not the table that breaks it; once
    # `other` is made, c1 and c2 each wait for the other: c1, written first, goes first
    schema = schema_of(
        tmp_path,
        "Table x {\n  id int [pk]\n  c1_id int [ref: > c1.id]\n}\n"
        "Table c1 {\n  id int [pk]\n  c2_id int [ref: > c2.id]\n  other_id int [ref: > other.id]\n}\n"
        "Table c2 {\n  id int [pk]\n  c1_id int [ref: > c1.id]\n}\n"
        "Table other {\n  id int [pk]\n}\n",
    )
    assert order(schema) == (["other", "c1", "x", "c2"], ["c1->c2"])


def test_the_cycle_is_broken_where_it_defers_fewest_keys(tmp_path: Path) -> None:
    # c1 waits for c2 and c3, c2 for c1, c3 for c2: making c2 first defers one key, c1 first two
    schema = schema_of(
        tmp_path,
        "Table c1 {\n  id int [pk]\n  c2_id int [ref: > c2.id]\n  c3_id int [ref: > c3.id]\n}\n"
        "Table c2 {\n  id int [pk]\n  c1_id int [ref: > c1.id]\n}\n"
        "Table c3 {\n  id int [pk]\n  c2_id int [ref: > c2.id]\n}\n",
    )
    assert order(schema) == (["c2", "c3", "c1"], ["c2->c1"])


def test_migrations_create_tables_in_the_same_order(tmp_path: Path) -> None:
    schema = schema_of(
        tmp_path,
        "Table a {\n  id int [pk]\n  c_id int [ref: > c.id]\n}\n"
        "Table b {\n  id int [pk]\n}\n"
        "Table c {\n  id int [pk]\n  a_id int [ref: > a.id]\n}\n",
    )
    created = [
        s.change.new.name for s in plan_migration(Schema(), schema, "postgres").up.steps if s.kind == "create_table"
    ]
    assert created == order(schema)[0]
    dropped = [
        s.change.old.name for s in plan_migration(schema, Schema(), "postgres").up.steps if s.kind == "drop_table"
    ]
    assert dropped == list(reversed(created))
