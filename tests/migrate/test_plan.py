"""Ordering of plans, SQLite rebuilds, the migration file's transactions, and init phases."""

from __future__ import annotations

from dbdsl.migrate.init import phases
from tests.migrate.helpers import migration, schema, steps

PARENT_CHILD = """
Table parents {
  id int [pk]
}
Table children {
  id int [pk]
  parent_id int [ref: > parents.id]
}
"""


def kinds(old: str, new: str, dialect: str = "postgres", **options) -> list[str]:
    return [s.kind for s in migration(old, new, dialect, **options).up.steps]


def test_tables_are_created_parents_first_and_keys_last() -> None:
    reversed_order = """
Table children {
  id int [pk]
  parent_id int [ref: > parents.id]
}
Table parents {
  id int [pk]
}
"""
    plan = migration("", reversed_order).up
    assert [s.describe() for s in plan.steps] == [
        "create table parents",
        "create table children",
        "add foreign key children_parent_id_fkey on children",
    ]


def test_tables_are_dropped_children_first_after_their_keys() -> None:
    plan = migration(PARENT_CHILD, "", allow_destructive=True).up
    assert [s.describe() for s in plan.steps] == ["drop table children", "drop table parents"]


def test_cycle_of_foreign_keys() -> None:
    cycle = """
Table a {
  id int [pk]
  b_id int [ref: > b.id]
}
Table b {
  id int [pk]
  a_id int [ref: > a.id]
}
"""
    assert kinds("", cycle) == ["create_table", "create_table", "add_foreign_key", "add_foreign_key"]
    assert kinds(cycle, "", allow_destructive=True) == ["drop_table", "drop_table"]


def test_enum_is_created_before_the_column_that_uses_it() -> None:
    new = "Enum mood {\n  happy\n  sad\n}\n" + PARENT_CHILD.replace(
        "  id int [pk]\n}\nTable children", "  id int [pk]\n  mood mood\n}\nTable children"
    )
    assert kinds(PARENT_CHILD, new) == ["create_enum", "add_column"]


def test_enum_value_used_in_the_same_migration_runs_outside_the_transaction() -> None:
    old = "Enum mood {\n  happy\n}\nTable t {\n  id int [pk]\n  m mood\n}\n"
    new = "Enum mood {\n  happy\n  sad\n}\nTable t {\n  id int [pk]\n  m mood [default: 'sad']\n}\n"
    text = migration(old, new).up_text()
    add = text.index("ADD VALUE 'sad'")
    assert text.index("BEGIN") > add  # committed before anything uses it
    unused = "Enum mood {\n  happy\n  sad\n}\nTable t {\n  id int [pk]\n  m mood\n}\n"
    text = migration(old, unused).up_text()
    assert text.index("BEGIN") < text.index("ADD VALUE 'sad'") < text.index("COMMIT")


def test_drops_of_constraints_come_before_renames_and_adds_after() -> None:
    old = "Table t {\n  id int [pk]\n  a int [unique]\n  b int\n}\n"
    new = "Table u [renamed_from: 't'] {\n  id int [pk]\n  a int\n  b int [unique]\n}\n"
    assert kinds(old, new) == ["drop_unique", "rename_table", "rename_object", "add_unique"]


def test_type_change_keeps_its_default_change_in_one_step() -> None:
    old = "Table t {\n  id int [pk]\n  a int [default: 1]\n}\n"
    new = "Table t {\n  id int [pk]\n  a varchar(10) [default: 'x']\n}\n"
    plan = migration(old, new).up
    assert [s.kind for s in plan.steps] == ["alter_type"]
    sql = [st.sql("postgres") for st in plan.steps[0].statements]
    assert sql == [
        'ALTER TABLE "t" ALTER COLUMN "a" DROP DEFAULT',
        'ALTER TABLE "t" ALTER COLUMN "a" SET DATA TYPE VARCHAR(10)',
        'ALTER TABLE "t" ALTER COLUMN "a" SET DEFAULT \'x\'',
    ]


def test_sqlite_alters_in_place_where_it_can() -> None:
    old = "Table t {\n  id int [pk]\n  a int\n}\n"
    new = "Table t {\n  id int [pk]\n  b int [renamed_from: 'a']\n  c text [default: 'x']\n  indexes {\n    b\n  }\n}\n"
    assert kinds(old, new, "sqlite") == ["rename_column", "add_column", "create_index"]
    dropped = "Table t {\n  id int [pk]\n}\n"
    assert kinds(old, dropped, "sqlite", allow_destructive=True) == ["drop_column"]


def test_sqlite_rebuilds_what_alter_cannot_do() -> None:
    old = "Table t {\n  id int [pk]\n  a int\n  indexes {\n    a\n  }\n}\n"
    new = "Table t {\n  id int [pk]\n  a int [not null]\n  indexes {\n    a\n  }\n}\n"
    plan = migration(old, new, "sqlite").up
    assert [s.kind for s in plan.steps] == ["rebuild_table"]
    text = migration(old, new, "sqlite").up_text()
    order = [
        "PRAGMA foreign_keys = OFF",
        "BEGIN",
        'CREATE TABLE "_dbdsl_new_t"',
        'INSERT INTO "_dbdsl_new_t"',
        'DROP TABLE "t"',
        'ALTER TABLE "_dbdsl_new_t" RENAME TO "t"',
        'CREATE INDEX "t_a_idx"',
        "PRAGMA foreign_key_check",
        "COMMIT",
        "PRAGMA foreign_keys = ON",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "M016" in [w.code for w in migration(old, new, "sqlite").up_warnings]


def test_safe_forms_leave_the_transaction_where_they_must() -> None:
    old = "Table t {\n  id int [pk]\n  a int\n}\n"
    new = "Table t {\n  id int [pk]\n  a int\n  indexes {\n    a\n  }\n}\n"
    text = migration(old, new, safe=True).up_text()
    assert 'CREATE INDEX CONCURRENTLY "t_a_idx"' in text
    assert "BEGIN" not in text  # nothing else to do: no transaction at all
    plain = migration(old, new).up_text()
    assert "CREATE INDEX CONCURRENTLY" not in plain.split("-- Steps:")[1] and "BEGIN" in plain


def test_init_phases() -> None:
    text = PARENT_CHILD.replace(
        "  parent_id int [ref: > parents.id]\n}",
        "  parent_id int [ref: > parents.id, note: 'who']\n  indexes {\n    parent_id\n  }\n}",
    )
    parts = phases(schema(text), "postgres")
    assert [p.stem for p in parts] == ["0001_tables", "0002_relationships", "0003_indexes"]
    assert [s.describe() for s in parts[0].migration.up.steps] == ["create table parents", "create table children"]
    assert [s.kind for s in parts[1].migration.up.steps] == ["add_foreign_key"]
    assert [s.kind for s in parts[2].migration.up.steps] == ["create_index", "column_comment"]
    assert [s.kind for s in parts[1].migration.down.steps] == ["drop_foreign_key"]
    assert all(not p.migration.up_warnings for p in parts)
    sqlite = phases(schema(text), "sqlite")
    assert [p.stem for p in sqlite] == ["0001_tables", "0002_indexes"]
    assert "REFERENCES" in sqlite[0].migration.up_text()


def test_descriptions() -> None:
    old = "Table t {\n  id int [pk]\n  a int\n}\n"
    new = "Table t {\n  id int [pk]\n  a bigint [not null]\n}\n"
    assert steps(old, new) == ["change type of t.a: int to bigint", "set NOT NULL t.a"]


def test_sqlite_table_rename_renames_its_indexes_without_a_rebuild() -> None:
    old = "Table t {\n  id int [pk]\n  a int\n  indexes {\n    a\n  }\n}\n"
    new = "Table u [renamed_from: 't'] {\n  id int [pk]\n  a int\n  indexes {\n    a\n  }\n}\n"
    plan = migration(old, new, "sqlite").up
    assert [s.kind for s in plan.steps] == ["rename_table", "rename_object"]
    assert [st.sql("sqlite") for st in plan.steps[1].statements] == [
        'DROP INDEX "t_a_idx"',
        'CREATE INDEX "u_a_idx" ON "u"("a")',
    ]
