"""Completion in context, on text the user is typing (often not parseable yet)."""

from __future__ import annotations

import pytest
from sqlglot import exp

from dbdsl.dialects import DIALECTS
from dbdsl.ide.complete import complete
from dbdsl.ide.session import Session
from dbdsl.ide.types import spelled
from dbdsl.model.settings import ACTIONS, INDEX_TYPES
from tests.helpers import SAMPLES

BASE = (
    (SAMPLES / "ecommerce.dbml").read_text(encoding="utf-8")
    + """
Table core.accounts as A {
  id int [pk]
  "display name" text
}
TablePartial stamped {
  created_at timestamptz
}
"""
)
ORDERS = ["id", "customer_id", "shipping_address_id", "status", "total", "placed_at"]


def labels(snippet: str, dialect: str | None = None) -> tuple[list[str], str]:
    """Completion labels at `|` in BASE + snippet, and the text the completion would replace."""
    text = BASE + "\n" + snippet
    offset = text.index("|")
    text = text.replace("|", "", 1)
    session = Session()
    session.open("/virtual/shop.dbml", text, 1)
    result = complete(session.view("/virtual/shop.dbml"), offset, dialect)
    return [i.label for i in result.items], text[result.start : result.end]


@pytest.mark.parametrize(
    ("snippet", "expected", "replaced"),
    [
        ("|", ["Table", "Ref", "Enum", "TableGroup", "TablePartial", "Note", "Project", "Records", "Query"], ""),
        ("Tab|", ["Table", "Ref"], "Tab"),
        ("Table t {\n  |", ["indexes", "checks", "Note", "dependencies", "Records", "~"], ""),
        ("Table t {\n  ~|", ["stamped"], ""),
        ("Table t {\n  id int [pk, ref: > ord|", ["customers", "addresses"], "ord"),
        ("Table t {\n  id int [pk, ref: > orders.|", ORDERS, ""),
        ("Table t {\n  id int [ref: > A.|", ["id", "display name"], ""),
        ("Table t {\n  id int [ref: > core.|", ["accounts"], ""),
        ("Table t {\n  id int [|", ["pk", "null", "not null", "unique", "increment", "default"], ""),
        ("Table t {\n  id int [pk, ref: |", [">", "<", "-", "<>"], ""),
        ("Table t {\n  s order_status [default: |", ["null", "pending", "paid"], ""),
        ("Table t {\n  b boolean [default: |", ["true", "false", "null"], ""),
        ("Table t {\n  c timestamptz [not null, default: |", ["`now()`", "null"], ""),
        ("Ref: orders.|", ORDERS, ""),
        ("Ref: orders.id |", [">", "<", "-", "<>"], ""),
        ("Ref: orders.id > |", ["customers"], ""),
        ("Ref: orders.id > customers.id [delete: |", list(ACTIONS), ""),
        ("Ref {\n  orders.customer_id > customers.|\n}", ["id", "email"], ""),
        ("Table t {\n  a int\n  b int\n  indexes {\n    (a, |)\n  }\n}", ["a", "b"], ""),
        ("Table t {\n  a int\n  indexes {\n    a [type: |]\n  }\n}", list(INDEX_TYPES), ""),
        ("Table t {\n  a int\n  b int\n  indexes {\n    a [include: (|)]\n  }\n}", ["a", "b"], ""),
        ("Records orders(|) {\n}", ORDERS, ""),
        ("TableGroup g {\n  |\n}", ["customers", "addresses"], ""),
        ("Table t [|] {\n}", ["headercolor", "note", "renamed_from", "rows"], ""),
        ("Project p {\n  |\n}", ["database_type", "rpo", "rto"], ""),
        ("Query q {\n  '''\n  SELECT o.| FROM orders o\n  '''\n}", ORDERS, ""),
        ("Query q {\n  '''\n  SELECT * FROM cus|\n  '''\n}", ["customers"], "cus"),
        ("Query q {\n  '''\n  SELECT * FROM orders WHERE tot|\n  '''\n}", ORDERS, "tot"),
        ("Query q {\n  '''\n  SELECT * FROM orders, |", ["customers"], ""),
        ("DiagramView v {\n  |\n}", ["Tables", "TableGroups", "Notes", "Schemas"], ""),
        ("DiagramView v {\n  Tables {\n    |\n  }\n}", ["customers"], ""),
    ],
)
def test_completion_in_context(snippet: str, expected: list[str], replaced: str) -> None:
    got, text = labels(snippet)
    assert got[: len(expected)] == expected or set(expected) <= set(got), got[:20]
    assert text == replaced


@pytest.mark.parametrize(
    "snippet",
    [
        "Table t {\n  a int [note: 'abc|']\n}",
        "// a comment |",
        "Table t {\n  /* still |",
        "Enum e {\n  |\n}",
        "Table t {\n  id int\n  Note: '''\n    text |\n  '''\n}",
    ],
)
def test_no_completion_in_strings_comments_and_free_names(snippet: str) -> None:
    assert labels(snippet)[0] == []


def test_types_follow_the_dialect() -> None:
    got, _ = labels("Table t {\n  id |")  # the Project says PostgreSQL
    assert got[:2] == ["order_status", "payment_status"]  # enums of the schema first
    assert "jsonb" in got and "double precision" in got
    got, _ = labels("Table t {\n  id |", "mysql")  # the Project's database_type comes before the setting
    assert "jsonb" in got and "tinyint" not in got


def test_the_setting_chooses_the_types_when_the_project_does_not_say() -> None:
    text = "Table t {\n  id |\n}\n"
    offset = text.index("|")
    session = Session()
    session.open("/virtual/plain.dbml", text.replace("|", ""), 1)
    got = [i.label for i in complete(session.view("/virtual/plain.dbml"), offset, "mysql").items]
    assert "tinyint" in got and "jsonb" not in got


def test_quoted_names_are_inserted_quoted() -> None:
    text = BASE + "\nTable t {\n  id int [ref: > A.|"
    offset = text.index("|")
    text = text.replace("|", "")
    session = Session()
    session.open("/virtual/q.dbml", text, 1)
    items = {i.label: i for i in complete(session.view("/virtual/q.dbml"), offset).items}
    assert items["display name"].insert == '"display name"'


@pytest.mark.parametrize("dialect", DIALECTS)
def test_offered_types_are_types_of_the_dialect(dialect: str) -> None:
    record = DIALECTS[dialect]
    for name in record.completion_types:
        written = spelled(name).strip('"')
        assert exp.DataType.build(written, dialect=record.sqlglot) is not None, (dialect, written)


def test_many_candidates_are_narrowed_by_the_prefix() -> None:
    tables = "\n".join(f"Table t{i} {{\n  id int\n}}" for i in range(300))
    text = tables + "\nTable x {\n  a int [ref: > t12"
    session = Session()
    session.open("/virtual/big.dbml", text, 1)
    result = complete(session.view("/virtual/big.dbml"), len(text))
    labels = [i.label for i in result.items]
    assert result.incomplete and labels[:3] == ["t12", "t120", "t121"]
    assert all(label.startswith("t12") for label in labels[:11]) and not labels[11].startswith("t12")
    result = complete(session.view("/virtual/big.dbml"), len(text) - 3)  # `ref: > t`
    assert result.incomplete and len(result.items) == 200
