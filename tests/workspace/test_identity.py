"""Unchanged tables keep their objects across analyses, so later stages can cache by identity."""

from __future__ import annotations

from dbdsl.workspace import Workspace

TEXT = """Enum status {
  open
  closed
}

TablePartial stamped {
  created_at timestamptz [not null]
}

Table a {
  id int [pk]
  state status [default: 'open']
  ~stamped
}

Table b {
  id int [pk]
  a_id int [ref: > a.id]
}

Table c {
  id int [pk]
}

Records c(id) {
  1
}
"""


def _tables(ws: Workspace, path: str) -> dict[str, object]:
    return {t.name: t for t in ws.analyze(path).schema.tables}


def test_edit_to_one_table_keeps_the_other_table_objects() -> None:
    ws = Workspace()
    source = ws.open("/tmp/identity.dbml", TEXT)
    before = _tables(ws, "/tmp/identity.dbml")
    at = TEXT.index("Table b {") + len("Table b {\n  id int [pk]")
    source.apply_edit(at, at, "\n  note_text text")
    after = _tables(ws, "/tmp/identity.dbml")
    assert after["a"] is before["a"]  # enum column, enum default and a partial: completed once
    assert after["c"] is before["c"]  # top-level records attached once
    assert after["b"] is not before["b"]
    assert after["b"].column("note_text") is not None


def test_edit_to_an_enum_rebuilds_the_tables_that_use_it() -> None:
    ws = Workspace()
    source = ws.open("/tmp/identity.dbml", TEXT)
    before = _tables(ws, "/tmp/identity.dbml")
    at = TEXT.index("  closed")
    source.apply_edit(at, at, "  archived\n")
    after = _tables(ws, "/tmp/identity.dbml")
    assert after["a"] is not before["a"]
    assert after["b"] is before["b"]


def test_edit_to_a_partial_rebuilds_the_tables_that_inject_it() -> None:
    ws = Workspace()
    source = ws.open("/tmp/identity.dbml", TEXT)
    before = _tables(ws, "/tmp/identity.dbml")
    at = TEXT.index("created_at timestamptz")
    source.apply_edit(at, at + len("created_at"), "made_at")
    after = _tables(ws, "/tmp/identity.dbml")
    assert after["a"] is not before["a"]
    assert after["a"].column("made_at") is not None
    assert after["c"] is before["c"]
