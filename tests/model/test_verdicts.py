"""Verdicts that follow the official DBML compiler: what it accepts is accepted here (at most with a
warning), what it rejects is an error here."""

from __future__ import annotations

import pytest

from dbdsl.findings import Severity
from dbdsl.model.schema import DEFAULT_SCHEMA

from .test_binder import bind

USERS = "Table users as U {\n  id int [pk]\n}\nTable auth.accounts {\n  id int\n}\n"
VIEW_TARGETS = USERS + "Note pinned {\n  'x'\n}\nTableGroup core {\n  users\n}\n"


def verdict(text: str) -> tuple[list[str], list[str]]:
    """(error codes, warning codes), each sorted."""
    _schema, findings = bind(text)
    errors = sorted(f.code for f in findings if f.severity is Severity.ERROR)
    warnings = sorted(f.code for f in findings if f.severity is Severity.WARNING)
    return errors, warnings


@pytest.mark.parametrize(
    "text, errors, warnings",
    [
        # DiagramView: everything, sections, and names that must exist
        ("DiagramView everything { * }\n", [], []),
        (USERS + "DiagramView v {\n  Tables { * }\n}\n", [], []),
        (
            VIEW_TARGETS + "DiagramView v {\n  Tables { U, auth.accounts }\n  Notes { pinned }\n"
            "  TableGroups { core }\n  Schemas { auth, public }\n}\n",
            [],
            [],
        ),
        (VIEW_TARGETS + "DiagramView v {\n  Tables { ghost }\n}\n", ["E101"], []),
        (VIEW_TARGETS + "DiagramView v {\n  Notes { ghost }\n}\n", ["E124"], []),
        (VIEW_TARGETS + "DiagramView v {\n  TableGroups { ghost }\n}\n", ["E124"], []),
        (VIEW_TARGETS + "DiagramView v {\n  Schemas { ghost }\n}\n", ["E124"], []),
        (VIEW_TARGETS + "DiagramView v {\n  Columns { id }\n}\n", ["E109"], []),
        (VIEW_TARGETS + "DiagramView v {\n  Tables { *, users }\n}\n", [], ["E109"]),
        ("DiagramView v { * }\nDiagramView v { * }\n", ["E105"], []),
        # three-part names: schema `a.b`
        ("Table a.b.c {\n  id int\n}\nTable d {\n  c_id int [ref: > a.b.c.id]\n}\n", [], []),
        ("Table a.b.c {\n  id int\n}\nRecords a.b.c(id) {\n  1\n}\n", [], []),
        ("TableGroup public.g {\n}\n", ["E121"], []),
        # refs: `inactive` is a flag
        (USERS + "Table p {\n  uid int\n}\nRef: p.uid > users.id [inactive]\n", [], []),
        (USERS + "Table p {\n  uid int\n}\nRef: p.uid > users.id [inactive: true]\n", ["E109"], []),
        # index kinds written by other tools are kept, with a warning
        (
            "Table t {\n  id int\n  indexes {\n    id [type: nonclustered]\n    id [type: 'bitmap']\n  }\n}\n",
            [],
            ["E109"] * 2,
        ),
        ("Table t {\n  id int\n  indexes {\n    id [type: hash]\n  }\n}\n", [], []),
        # custom settings hold a string or a color; dbdsl's own design facts take any value
        ("Table t [owner: 'billing', tint: #fff, rows: 1000, audit] {\n  id int\n}\n", [], ["E108"]),
        ("Table t [unknown: value] {\n  id int\n}\n", ["E109"], []),
        ("Table t [flag] {\n  id int\n}\n", ["E109"], []),
        ("Project p {\n  team: 'data'\n  level: 3\n}\n", ["E109"], ["E108"]),
    ],
)
def test_verdict(text: str, errors: list[str], warnings: list[str]) -> None:
    assert verdict(text) == (errors, warnings)


def test_three_part_name_is_a_table_in_a_dotted_schema() -> None:
    schema, _ = bind("Table a.b.c {\n  id int\n}\nTable d {\n  c_id int [ref: > a.b.c.id]\n}\n")
    assert schema.table(("a.b", "c")) is not None
    (ref,) = schema.refs
    assert (ref.right.schema, ref.right.table) == ("a.b", "c")
    assert (ref.left.schema, ref.left.table) == (DEFAULT_SCHEMA, "d")


def test_inactive_is_kept_on_the_relationship() -> None:
    schema, _ = bind(USERS + "Table p {\n  uid int\n}\nRef: p.uid > users.id [inactive]\n")
    assert [r.inactive for r in schema.refs] == [True]


def test_blocks_on_one_line_are_separate_blocks() -> None:
    schema, findings = bind(
        "Table a { id int }Table b { id int }  Ref: a.id > b.id\nTable c { id int }  Enum e { x }\n"
    )
    assert findings == []
    assert [t.name for t in schema.tables] == ["a", "b", "c"]
    assert len(schema.refs) == 1 and [e.name for e in schema.enums] == ["e"]
