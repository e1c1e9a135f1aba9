"""Binding: names, partials, enums, records and the semantic errors (E1xx) with their places."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dbdsl.findings import Severity
from dbdsl.model.link import link
from dbdsl.workspace import SourceFile, Workspace


def bind(text: str):
    source = SourceFile("/virtual/t.dbml", text)
    local = source.local_findings()
    schema, linked = link(source.decls())
    return schema, local + linked


def codes(text: str) -> list[str]:
    return sorted(f.code for f in bind(text)[1] if f.severity is Severity.ERROR)


T = "Table t {\n  id int [pk]\n}\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        (T + "Ref: t.id < u.id\n", ["E101"]),
        (T + "Ref: t.nope < t.id\n", ["E102"]),
        ("Enum s {\n  a\n}\nTable t {\n  x s [default: s.b]\n}\n", ["E103"]),
        ("Table t {\n  id int\n  ~missing\n}\n", ["E104"]),
        (T + T, ["E105"]),
        ("Table a as x {\n  id int\n}\nTable b as x {\n  id int\n}\n", ["E105"]),
        ("Table t {\n  id int\n  id int\n}\n", ["E106"]),
        ("Enum e {\n  a\n  a\n}\n", ["E106"]),
        ("Table a {\n  x int\n  y int\n}\nRef: a.(x, y) > a.x\n", ["E107"]),
        ("Table t {\n  id int [primary]\n}\n", ["E108"]),
        ("Table t {\n  id int [default: now]\n}\n", ["E109"]),
        ("Table t {\n  id int [pk, pk]\n}\n", ["E110"]),
        (T + "Records t(id) {\n  one\n}\n", ["E111"]),
        (T + "Records t(id) {\n  1, 2\n}\n", ["E111"]),
        ("Table a {\n  id int\n  b int\n}\nRef: a.b > a.id\nRef: a.id < a.b\n", ["E112"]),
        ("Table a {\n  id int [ref: > a.id]\n}\n", ["E113"]),
        ("Table t {\n  id int\n  Note: 'a'\n  Note: 'b'\n}\n", ["E114"]),
        ("Enum e {\n}\n", ["E115"]),
        ("Table t {\n}\n", ["E116"]),
        (T + "TableGroup g1 {\n  t\n}\nTableGroup g2 {\n  t\n}\n", ["E117"]),
        ("TablePartial p {\n  x int\n}\nTable t {\n  id int\n  ~p\n  ~p\n}\n", ["E120"]),
        ("TableGroup a.b {\n}\n", ["E121"]),
        (T + "Ref: t.id < t.id\n", ["E113"]),
    ],
)
def test_semantic_errors(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_partials_precedence_and_positions() -> None:
    text = (
        "TablePartial p1 {\n  a int\n  b int [note: 'from p1']\n}\n"
        "TablePartial p2 {\n  b bigint\n  c int\n}\n"
        "Table t {\n  ~p1\n  c text\n  ~p2\n  d int\n}\n"
    )
    schema, findings = bind(text)
    assert not findings
    table = schema.table("t")
    assert [(c.name, c.type.text, c.from_partial) for c in table.columns] == [
        ("a", "int", "p1"),
        ("c", "text", None),
        ("b", "bigint", "p2"),
        ("d", "int", None),
    ]


def test_aliases_and_schemas_resolve() -> None:
    text = (
        "Table core.users as U {\n  id int [pk]\n}\n"
        "Table public.posts {\n  id int [pk]\n  author int [ref: > U.id]\n}\n"
        "Ref: posts.id - core.users.id\n"
    )
    schema, findings = bind(text)
    assert not findings
    assert {(r.left.qualified, r.right.qualified, r.op) for r in schema.refs} == {
        ("posts", "core.users", ">"),
        ("posts", "core.users", "-"),
    }


def test_enum_types_and_defaults_resolve() -> None:
    text = "Enum shop.status {\n  active\n  closed\n}\nTable t {\n  s shop.status [default: shop.status.closed]\n}\n"
    schema, findings = bind(text)
    assert not findings
    column = schema.table("t").column("s")
    assert column.enum == "shop.status" and (column.default.kind, column.default.value) == ("enum", "closed")


def test_ref_cardinalities_and_actions() -> None:
    tables = "Table a {\n  id int [pk]\n}\nTable b {\n  a_id int\n}\n"
    text = tables + "Ref: b.a_id > a.id [delete: set null, update: no action]\n"
    schema, _ = bind(text)
    [ref] = schema.refs
    assert (ref.left.relation, ref.right.relation) == ("*", "1")
    assert (ref.on_delete, ref.on_update) == ("set null", "no action")
    assert ref.fk_side.table == "b" and ref.pk_side.table == "a"


def test_unknown_table_setting_is_a_kept_warning() -> None:
    schema, findings = bind("Table t [rows_per_day: '5k'] {\n  id int\n}\n")
    [finding] = findings
    assert (finding.code, finding.severity) == ("E108", Severity.WARNING)
    assert schema.table("t").setting("rows_per_day").value == "5k"


def test_top_level_records_attach_to_their_table() -> None:
    schema, findings = bind(T + "Records t(id) {\n  1\n  2\n}\n")
    assert not findings
    [records] = schema.table("t").records
    assert [r[0].value for r in records.rows] == ["1", "2"]


def test_a_relationship_that_says_the_same_keeps_its_object_across_edits() -> None:
    """An edit to a table a relationship joins re-resolves the relationship; when it still says the same
    from the same place, the object is kept (what later stages cache by it stays valid), and when it
    does not, it is a new one."""
    path = "/virtual/binder_keep.dbml"
    text = "Table a {\n  id int [pk]\n}\n\nTable b {\n  id int [pk]\n  a_id int\n}\n\nRef: b.a_id > a.id\n"
    ws = Workspace()
    source = ws.open(path, text)
    (ref,) = ws.analyze(path).schema.refs
    at = source.text.index("  id int [pk]\n}")
    source.apply_edit(at, at, "  name text\n")  # table a changes, the relationship does not
    (again,) = ws.analyze(path).schema.refs
    assert again is ref
    at = source.text.index("Ref: b.a_id") + len("Ref: ")
    source.apply_edit(at, at, " ")  # the relationship's own block moves its text: a new object
    (moved,) = ws.analyze(path).schema.refs
    assert moved is not ref and moved == ref and moved.span != ref.span


def test_a_table_group_that_resolves_the_same_keeps_its_object_across_edits() -> None:
    """Whole-schema rules run again when any part of the schema is a new object: a table group whose
    members did not change must stay the same object, or every edit would run them again."""
    path = "/virtual/binder_group.dbml"
    text = "Table a {\n  id int [pk]\n}\n\nTableGroup g {\n  a\n}\n"
    ws = Workspace()
    source = ws.open(path, text)
    (group,) = ws.analyze(path).schema.groups
    source.apply_edit(len(source.text), len(source.text), "\nTable b {\n  id int [pk]\n}\n")
    (again,) = ws.analyze(path).schema.groups
    assert again is group
    at = source.text.index("  a\n}")
    source.apply_edit(at, at, "  b\n")
    (grown,) = ws.analyze(path).schema.groups
    assert grown is not group and set(grown.tables) == {("public", "a"), ("public", "b")}


def test_a_schema_made_by_replace_has_its_own_lookups() -> None:
    """`replace()` gives the new schema its own table, enum and alias maps: the original is untouched."""
    schema, _ = bind("Table users as U {\n  id int\n}\n")
    people = replace(schema.tables[0], name="people", alias="P")
    other = replace(schema, tables=(people,))
    assert other.find_table(("P",))[0] is people and other.find_table(("U",)) == (None, False)
    assert schema.find_table(("U",))[0] is schema.tables[0] and schema.find_table(("P",)) == (None, False)
    assert schema.table("people") is None and other.table("users") is None
