"""Rename hints on enums and enum values (the model side of migrations)."""

from __future__ import annotations

from dbdsl.emit.dsl import schema_text
from dbdsl.workspace import Workspace

TEXT = """Enum status [renamed_from: 'state'] {
  active [renamed_from: 'live', note: 'in use']
  closed
}
"""


def test_enum_and_value_hints_are_read_and_printed(tmp_path) -> None:
    path = tmp_path / "s.dbml"
    path.write_text(TEXT)
    analysis = Workspace().analyze(str(path))
    assert analysis.findings == []
    (enum,) = analysis.schema.enums
    assert enum.renamed_from == "state"
    assert [(v.name, v.renamed_from, v.note) for v in enum.values] == [
        ("active", "live", "in use"),
        ("closed", None, None),
    ]
    again = tmp_path / "again.dbml"
    again.write_text(schema_text(analysis.schema))
    assert Workspace().analyze(str(again)).schema == analysis.schema
