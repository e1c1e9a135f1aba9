"""The module system's names: what an import is called in the importing file, what it brings along,
and the clashes and omissions that are errors."""

from __future__ import annotations

from pathlib import Path

from dbdsl.workspace import Workspace

from .test_imports import write

SHOP = """
Table users {
  id int [pk]
}
Table auth.accounts {
  id int [pk]
  user_id int
}
Table orders {
  id int [pk]
  user_id int [ref: > users.id]
}
Table payments {
  id int [pk]
  order_id int
}
Ref: payments.order_id > orders.id
Ref: auth.accounts.user_id > users.id
TableGroup sales {
  orders
  payments
}
"""


def analyze(folder: Path, files: dict[str, str], name: str = "main.dbml"):
    write(folder, {"shop.dbml": SHOP, **files})
    return Workspace().analyze(str(folder / name))


def error_codes(analysis) -> list[str]:
    return [f.code for f in analysis.errors]


def test_an_aliased_table_takes_the_alias_as_its_name(tmp_path: Path) -> None:
    main = "use { table auth.accounts as acc } from './shop'\nTable t {\n  acc_id int [ref: > acc.id]\n}\n"
    analysis = analyze(tmp_path, {"main.dbml": main})
    assert analysis.errors == []
    assert {t.key for t in analysis.schema.tables} == {("public", "t"), ("public", "acc")}
    assert [(r.right.schema, r.right.table) for r in analysis.schema.refs] == [("public", "acc")]


def test_after_an_alias_only_the_alias_names_the_table(tmp_path: Path) -> None:
    main = "use { table users as u } from './shop'\nTable t {\n  user_id int [ref: > users.id]\n}\n"
    analysis = analyze(tmp_path, {"main.dbml": main})
    assert error_codes(analysis) == ["E101"]
    assert analysis.errors[0].span.text == "users"


def test_one_table_under_two_names_is_one_table(tmp_path: Path) -> None:
    main = (
        "use { table users } from './shop'\nuse { table users as u } from './shop'\n"
        "Table t {\n  a int [ref: > users.id]\n  b int [ref: > u.id]\n}\n"
    )
    analysis = analyze(tmp_path, {"main.dbml": main})
    assert analysis.errors == []
    assert [t.name for t in analysis.schema.tables] == ["t", "users"]
    assert {(r.right.table, r.left.columns) for r in analysis.schema.refs} == {("users", ("a",)), ("users", ("b",))}


def test_a_schema_alias_moves_its_tables(tmp_path: Path) -> None:
    main = "use { schema auth as a } from './shop'\nTable t {\n  acc_id int [ref: > a.accounts.id]\n}\n"
    analysis = analyze(tmp_path, {"main.dbml": main})
    assert analysis.errors == []
    assert analysis.schema.table(("a", "accounts")) is not None
    assert analysis.schema.table(("auth", "accounts")) is None


def test_refs_follow_tables_imported_on_separate_lines(tmp_path: Path) -> None:
    main = "use { table orders } from './shop'\nuse { table payments } from './shop'\n"
    schema = analyze(tmp_path, {"main.dbml": main}).schema
    assert [(r.left.table, r.right.table) for r in schema.refs] == [("payments", "orders")]


def test_refs_to_a_table_left_behind_are_left_behind(tmp_path: Path) -> None:
    schema = analyze(tmp_path, {"main.dbml": "use { table orders } from './shop'\n"}).schema
    assert [t.name for t in schema.tables] == ["orders"] and schema.refs == ()


def test_refs_are_renamed_with_the_tables(tmp_path: Path) -> None:
    main = "use {\n  table users as u\n  table orders as o\n} from './shop'\n"
    schema = analyze(tmp_path, {"main.dbml": main}).schema
    assert [(r.left.table, r.right.table) for r in schema.refs] == [("o", "u")]


def test_a_table_group_brings_its_tables(tmp_path: Path) -> None:
    main = "use { tablegroup sales } from './shop'\nRef: payments.id - orders.id\n"
    analysis = analyze(tmp_path, {"main.dbml": main})
    assert analysis.errors == []
    assert {t.name for t in analysis.schema.tables} == {"orders", "payments"}
    assert [g.tables for g in analysis.schema.groups] == [(("public", "orders"), ("public", "payments"))]


def test_two_elements_under_one_name_are_an_error_at_the_import(tmp_path: Path) -> None:
    main = "use { table users as u } from './shop'\nuse { table orders as u } from './shop'\n"
    analysis = analyze(tmp_path, {"main.dbml": main})
    assert error_codes(analysis) == ["E105"]
    assert analysis.errors[0].span.start_pos[0] == 1


def test_an_import_clashing_with_a_table_of_the_file_is_an_error(tmp_path: Path) -> None:
    main = "use { table orders as users } from './shop'\nTable users {\n  id int [pk]\n}\n"
    analysis = analyze(tmp_path, {"main.dbml": main})
    assert error_codes(analysis) == ["E105"]
    assert analysis.errors[0].span.start_pos[0] == 0


def test_a_table_group_lists_only_its_own_files_tables(tmp_path: Path) -> None:
    main = "use { table users } from './shop'\nTable local {\n  id int\n}\nTableGroup g {\n  local\n  users\n}\n"
    analysis = analyze(tmp_path, {"main.dbml": main})
    assert error_codes(analysis) == ["E125"]


def test_a_table_needs_its_partial_imported_too(tmp_path: Path) -> None:
    base = "TablePartial stamps {\n  at timestamp\n}\nTable notes {\n  id int\n  ~stamps\n}\n"
    without = analyze(tmp_path, {"base.dbml": base, "main.dbml": "use { table notes } from './base'\n"})
    assert error_codes(without) == ["E104"]
    both = "use {\n  table notes\n  tablepartial stamps\n} from './base'\n"
    analysis = analyze(tmp_path, {"base.dbml": base, "main.dbml": both})
    assert analysis.errors == []
    assert [c.name for c in analysis.schema.table("notes").columns] == ["id", "at"]


def test_records_of_an_imported_table_count_as_its_records_block(tmp_path: Path) -> None:
    base = "Table users {\n  id int\n}\nRecords users(id) {\n  1\n}\n"
    main = "use { table users } from './base'\nRecords users(id) {\n  2\n}\n"
    analysis = analyze(tmp_path, {"base.dbml": base, "main.dbml": main})
    assert error_codes(analysis) == ["E111"]
    assert analysis.errors[0].span.start_pos[0] == 1


def test_an_imported_enum_type_follows_its_alias(tmp_path: Path) -> None:
    base = (
        "Enum job_status {\n  pending\n  done\n}\nTable jobs {\n  status job_status [default: job_status.pending]\n}\n"
    )
    main = "use {\n  table jobs\n  enum job_status as state\n} from './base'\n"
    analysis = analyze(tmp_path, {"base.dbml": base, "main.dbml": main})
    assert analysis.errors == []
    column = analysis.schema.table("jobs").column("status")
    assert (column.type.name, column.enum) == ("state", "state")


def test_a_ref_between_two_names_of_one_table_is_a_ref_to_itself(tmp_path: Path) -> None:
    main = "use { table users } from './shop'\nuse { table users as u } from './shop'\nRef: users.id > u.id\n"
    assert error_codes(analyze(tmp_path, {"main.dbml": main})) == ["E113"]


def test_a_partials_ref_landing_on_its_own_column_is_dropped_as_dbml_does(tmp_path: Path) -> None:
    base = "TablePartial p {\n  id int [ref: > t.id]\n}\nTable t {\n  ~p\n}\n"
    analysis = analyze(tmp_path, {"main.dbml": base})
    assert analysis.errors == [] and analysis.schema.refs == ()


def test_reuse_cycles_offer_everything_from_every_entry(tmp_path: Path) -> None:
    files = {
        "a.dbml": "reuse * from './b'\nTable a {\n  id int [pk]\n}\nTableGroup ga {\n  a\n}\n",
        "b.dbml": "reuse * from './a'\nreuse { tablegroup ga } from './a'\nTable b {\n  id int [pk]\n}\n",
        "main.dbml": (
            "use * from './b'\nuse * from './a'\nTable m {\n  a_id int [ref: > a.id]\n  b_id int [ref: > b.id]\n}\n"
        ),
    }
    for entry in ("main.dbml", "a.dbml", "b.dbml"):
        analysis = analyze(tmp_path, files, entry)
        assert analysis.errors == [], (entry, analysis.errors)
        assert {"a", "b"} <= {t.name for t in analysis.schema.tables}
