"""Change kinds are an enumeration, and every kind of step has its renderer in one explicit table."""

from __future__ import annotations

import pytest

from dbdsl.migrate.diff import Change
from dbdsl.migrate.kinds import LABELS, ChangeKind
from dbdsl.migrate.render import HANDLERS
from dbdsl.model.schema import Column, ColumnType, Table


def test_every_step_kind_is_rendered_and_named() -> None:
    # a change of partitioning is always written as part of a rebuild of its table
    assert set(HANDLERS) == set(ChangeKind) - {ChangeKind.REPARTITION_TABLE}
    assert set(LABELS) == set(ChangeKind)
    assert ChangeKind.ADD_COLUMN.label == "add column" and ChangeKind.ADD_COLUMN == "add_column"


def test_an_unknown_kind_fails_where_it_is_made() -> None:
    assert Change("drop_table").kind is ChangeKind.DROP_TABLE
    with pytest.raises(ValueError, match="add_colum"):
        Change("add_colum")


def test_a_change_gives_its_element_as_the_class_its_kind_has() -> None:
    table = Table("orders", columns=(Column("total", ColumnType("int")),))
    column = table.columns[0]
    change = Change(ChangeKind.DROP_COLUMN, table, table, old=column)
    assert change.old_as(Column) is column and change.on_table is table
    with pytest.raises(TypeError, match="drop_column change has no new Column"):
        change.new_as(Column)
    with pytest.raises(TypeError, match="drop_column change has no old Table"):
        change.old_as(Table)
    with pytest.raises(TypeError, match="create_schema change is not on a table"):
        _ = Change(ChangeKind.CREATE_SCHEMA, detail=("sales",)).on_table
