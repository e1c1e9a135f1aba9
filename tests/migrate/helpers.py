"""Small helpers for the migration tests."""

from __future__ import annotations

import itertools

from dbdsl.migrate.diff import Diff, diff
from dbdsl.migrate.migration import Migration, plan_migration
from dbdsl.model.schema import Schema
from dbdsl.workspace import Workspace

_names = itertools.count()


def schema(text: str) -> Schema:
    """The schema of a DBML text (which must have no errors)."""
    workspace = Workspace()
    path = f"/virtual/schema{next(_names)}.dbml"
    workspace.open(path, text)
    analysis = workspace.analyze(path)
    assert not analysis.errors, analysis.errors
    return analysis.schema


def changes(old: str, new: str, dialect: str = "postgres") -> list[str]:
    """The diff's changes as `kind subject` lines."""
    return [f"{c.kind} {c.subject}" for c in diff_of(old, new, dialect).changes]


def diff_of(old: str, new: str, dialect: str = "postgres") -> Diff:
    return diff(schema(old), schema(new), dialect)


def migration(old: str, new: str, dialect: str = "postgres", **options) -> Migration:
    return plan_migration(schema(old), schema(new), dialect, **options)


def steps(old: str, new: str, dialect: str = "postgres", **options) -> list[str]:
    return [s.describe() for s in migration(old, new, dialect, **options).up.steps]


def codes(old: str, new: str, dialect: str = "postgres", **options) -> list[str]:
    return [w.code for w in migration(old, new, dialect, **options).up_warnings]
