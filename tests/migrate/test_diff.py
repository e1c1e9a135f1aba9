"""The schema diff: what changes, renames only through hints, look-alike rename warnings."""

from __future__ import annotations

from tests.migrate.helpers import changes, diff_of

BASE = """
Enum status {
  active
  closed
}

Table users {
  id int [pk, increment]
  email varchar(100) [not null, unique]
  name varchar(50)
  state status [default: 'active']
  age int [check: `age >= 0`]
  note: 'people'
}

Table posts {
  id int [pk]
  user_id int [not null, ref: > users.id]
  title text
  indexes {
    user_id
  }
}
"""


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


def test_no_change_when_only_spelling_differs() -> None:
    spelled = edit(BASE, "age int [check: `age >= 0`]", "age integer [check: `age>=0`]")
    assert changes(BASE, spelled) == []
    assert changes(BASE, BASE, "sqlite") == []


def test_columns_added_dropped_and_altered() -> None:
    new = edit(BASE, "name varchar(50)", "name varchar(80) [not null, default: 'n/a']\n  phone text")
    new = edit(new, "  title text\n", "")
    assert changes(BASE, new) == [
        "add_column users.phone",
        "alter_type users.name",
        "set_not_null users.name",
        "set_default users.name",
        "drop_column posts.title",
    ]


def test_identity_nullability_and_default_back() -> None:
    new = edit(BASE, "id int [pk, increment]", "id int [pk]")
    new = edit(new, "email varchar(100) [not null, unique]", "email varchar(100) [unique]")
    new = edit(new, "state status [default: 'active']", "state status")
    assert sorted(changes(BASE, new)) == [
        "drop_default users.state",
        "drop_identity users.id",
        "drop_not_null users.email",
    ]


def test_constraints_and_indexes() -> None:
    new = edit(BASE, "email varchar(100) [not null, unique]", "email varchar(100) [not null]")
    new = edit(new, "age int [check: `age >= 0`]", "age int [check: `age > 0`]")
    new = edit(new, "    user_id\n", "    user_id [where: `user_id > 10`]\n    `lower(title)`\n")
    new = edit(new, "user_id int [not null, ref: > users.id]", "user_id int [not null]")
    new += "\nRef: posts.user_id > users.id [delete: cascade]\n"
    assert sorted(changes(BASE, new)) == sorted(
        [
            "drop_unique users.email",
            "drop_check users.age",
            "add_check users.age",
            "drop_foreign_key posts.user_id",
            "add_foreign_key posts.user_id",
            "drop_index posts.posts_user_id_idx",
            "create_index posts.posts_user_id_idx",
            "create_index posts.posts_expr_idx",
        ]
    )


def test_primary_key_change() -> None:
    new = edit(
        BASE,
        "  id int [pk]\n  user_id int [not null, ref: > users.id]",
        "  id int\n  user_id int [pk, ref: > users.id]",
    )
    assert changes(BASE, new) == [
        "drop_not_null posts.id",
        "drop_primary_key posts.id",
        "add_primary_key posts.user_id",
    ]


def test_comments() -> None:
    new = edit(BASE, "  note: 'people'\n", "  note: 'everyone'\n")
    new = edit(new, "  title text\n", "  title text [note: 'the headline']\n")
    assert sorted(changes(BASE, new)) == ["column_comment posts.title", "table_comment users"]
    assert changes(BASE, new, "sqlite") == []  # SQLite has no comments


def test_rename_only_with_a_hint() -> None:
    renamed = edit(BASE, "name varchar(50)", "full_name varchar(50) [renamed_from: 'name']")
    assert changes(BASE, renamed) == ["rename_column users.full_name"]
    unhinted = edit(BASE, "name varchar(50)", "full_name varchar(50)")
    found = diff_of(BASE, unhinted)
    assert [f"{c.kind} {c.subject}" for c in found.changes] == ["drop_column users.name", "add_column users.full_name"]
    (warning,) = found.warnings
    assert warning.code == "M017"
    assert "renamed_from: 'name'" in warning.message and "full_name" in warning.message
    assert warning.span is not None and warning.span.text == "full_name"


def test_table_rename_renames_its_generated_names() -> None:
    new = edit(BASE, "Table posts {", "Table articles [renamed_from: 'posts'] {")
    found = changes(BASE, new)
    assert found[0] == "rename_table articles"
    renamed = [c for c in diff_of(BASE, new).changes if c.kind == "rename_object"]
    assert sorted((c.old.name, c.new.name) for c in renamed) == [
        ("posts_pkey", "articles_pkey"),
        ("posts_user_id_fkey", "articles_user_id_fkey"),
        ("posts_user_id_idx", "articles_user_id_idx"),
    ]


def test_table_look_alike_warns() -> None:
    new = edit(BASE, "Table posts {", "Table articles {")
    found = diff_of(BASE, new)
    kinds = sorted(c.kind for c in found.changes)
    assert "create_table" in kinds and "drop_table" in kinds
    assert [w.code for w in found.warnings] == ["M017"]
    assert "[renamed_from: 'posts']" in found.warnings[0].message


def test_stale_hint_is_ignored() -> None:
    """After the rename was migrated the hint stays in the file: it must not do anything."""
    renamed = edit(BASE, "name varchar(50)", "full_name varchar(50) [renamed_from: 'name']")
    assert changes(renamed, renamed) == []


def test_enum_values_added_renamed_removed() -> None:
    added = edit(BASE, "  active\n  closed\n", "  pending\n  active\n  closed\n  archived\n")
    found = diff_of(BASE, added)
    assert [(c.kind, c.detail) for c in found.changes] == [
        ("add_enum_value", ("pending", "before", "active")),
        ("add_enum_value", ("archived", "after", "closed")),
    ]
    renamed = edit(BASE, "  active\n", "  live [renamed_from: 'active']\n")
    renamed = edit(renamed, "default: 'active'", "default: 'live'")
    assert [(c.kind, c.detail) for c in diff_of(BASE, renamed).changes] == [("rename_enum_value", ("active", "live"))]
    removed = edit(BASE, "  closed\n", "")
    assert [(c.kind, c.detail) for c in diff_of(BASE, removed).changes] == [("recreate_enum", ("closed",))]
    reordered = edit(BASE, "  active\n  closed\n", "  closed\n  active\n")
    assert [(c.kind, c.detail) for c in diff_of(BASE, reordered).changes] == [("recreate_enum", ())]


def test_enum_value_look_alike_warns() -> None:
    new = edit(BASE, "  closed\n", "  shut\n")
    found = diff_of(BASE, new)
    assert [w.code for w in found.warnings] == ["M017"]
    assert "[renamed_from: 'closed']" in found.warnings[0].message


def test_enum_is_a_check_outside_postgres() -> None:
    new = edit(BASE, "  closed\n", "  closed\n  archived\n")
    sqlite = diff_of(BASE, new, "sqlite")
    assert sorted(c.kind for c in sqlite.changes) == ["add_check", "alter_type", "drop_check"]
    assert [c.kind for c in sqlite.enum_changes] == ["add_enum_value"]


def test_type_change_of_a_key_drops_and_adds_its_foreign_key() -> None:
    new = edit(BASE, "id int [pk, increment]", "id bigint [pk, increment]")
    new = edit(new, "user_id int [not null, ref: > users.id]", "user_id bigint [not null, ref: > users.id]")
    assert sorted(changes(BASE, new)) == [
        "add_foreign_key posts.user_id",
        "alter_type posts.user_id",
        "alter_type users.id",
        "drop_foreign_key posts.user_id",
    ]


def test_many_to_many_is_a_junction_table() -> None:
    new = BASE + "\nTable tags {\n  id int [pk]\n}\nRef: posts.id <> tags.id\n"
    found = changes(BASE, new)
    assert "create_table posts_tags" in found
    assert found.count("add_foreign_key posts_tags") == 0  # subjects name the column
    assert sum(c.startswith("add_foreign_key posts_tags.") for c in found) == 2
