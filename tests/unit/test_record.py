"""`@record`: value equality and hashing like a frozen dataclass, immutability checked by mypy."""

from __future__ import annotations

from pathlib import Path

from mypy import api

from dbdsl.model.record import record
from dbdsl.model.schema import Column, ColumnType


@record
class Point:
    x: int
    y: int = 0


def test_records_compare_and_hash_by_value() -> None:
    assert Point(1) == Point(1, 0) and Point(1) != Point(2)
    assert len({Point(1), Point(1, 0), Point(2)}) == 2
    column = Column(name="id", type=ColumnType("int", None, None, ()))
    assert hash(column) == hash(Column(name="id", type=ColumnType("int", None, None, ())))


def test_assigning_a_field_is_a_type_error(tmp_path: Path) -> None:
    source = tmp_path / "assign.py"
    source.write_text(
        "from dbdsl.model.schema import Column, ColumnType\n"
        "column = Column(name='id', type=ColumnType('int', None, None, ()))\n"
        "column.name = 'other'\n",
        encoding="utf-8",
    )
    out, _, status = api.run([str(source), "--no-incremental", "--cache-dir", str(tmp_path / "cache")])
    assert status == 1 and 'Property "name" defined in "Column" is read-only' in out, out
