"""Change kinds are an enumeration, and every kind of step has its renderer in one explicit table."""

from __future__ import annotations

import pytest

from dbdsl.migrate.diff import Change
from dbdsl.migrate.kinds import LABELS, ChangeKind
from dbdsl.migrate.render import HANDLERS


def test_every_step_kind_is_rendered_and_named() -> None:
    # a change of partitioning is always written as part of a rebuild of its table
    assert set(HANDLERS) == set(ChangeKind) - {ChangeKind.REPARTITION_TABLE}
    assert set(LABELS) == set(ChangeKind)
    assert ChangeKind.ADD_COLUMN.label == "add column" and ChangeKind.ADD_COLUMN == "add_column"


def test_an_unknown_kind_fails_where_it_is_made() -> None:
    assert Change("drop_table").kind is ChangeKind.DROP_TABLE
    with pytest.raises(ValueError, match="add_colum"):
        Change("add_colum")
