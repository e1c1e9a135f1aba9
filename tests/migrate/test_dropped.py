"""`dropped`, the cheap answer to "what would this lose", agrees with the full diff."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from dbdsl.migrate.diff import diff, dropped
from tests.migrate.helpers import schema
from tests.migrate.random_schemas import dbml, schemas
from tests.migrate.test_random_pairs import pairs

LOSSY = {"drop_table", "drop_column", "drop_enum", "recreate_enum"}


def described(changes) -> list[tuple[str, str, tuple]]:
    return sorted((c.kind, c.subject, c.detail) for c in changes)


def from_diff(old, new) -> list[tuple[str, str, tuple]]:
    found = diff(old, new, "postgres")
    lossy = [c for c in found.changes if c.kind in LOSSY]
    # a recreated enum that keeps every value (only their order changed) loses nothing
    return described(c for c in lossy if c.kind != "recreate_enum" or c.detail)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=pairs())
def test_dropped_agrees_with_the_diff(pair: tuple[str, str]) -> None:
    old, new = schema(pair[0]), schema(pair[1])
    assert described(dropped(old, new)) == from_diff(old, new)
    assert described(dropped(new, old)) == from_diff(new, old)


def test_renames_many_to_many_and_enum_values() -> None:
    old = schema(
        """
Enum mood { happy
  sad
  meh }
Enum gone { x }
Table users { id int [pk]
  nick text
  mood mood }
Table tags { id int [pk] }
Table legacy { id int [pk] }
Ref: users.id <> tags.id
"""
    )
    new = schema(
        """
Enum mood { happy
  glad [renamed_from: 'sad'] }
Table people [renamed_from: 'users'] { id int [pk]
  handle text [renamed_from: 'nick']
  mood mood }
Table tags { id int [pk] }
"""
    )
    assert described(dropped(old, new)) == from_diff(old, new)
    kinds = {c.kind: c for c in dropped(old, new)}
    assert set(kinds) == {"drop_table", "drop_enum", "recreate_enum"}
    assert kinds["recreate_enum"].detail == ("meh",)
    tables = sorted(c.subject for c in dropped(old, new) if c.kind == "drop_table")
    assert tables == ["legacy", "users_tags"]  # the junction table of the many-to-many ref goes too


def test_no_loss_between_equal_schemas() -> None:
    @given(s=schemas())
    @settings(max_examples=20, deadline=None)
    def check(s) -> None:
        one = schema(dbml(s))
        assert dropped(one, one) == []

    check()
