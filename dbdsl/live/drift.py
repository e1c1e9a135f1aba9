"""Drift: the migration from one side to the other, where each side is a live database (read by
`pull`) or a schema file. `plan_migration` decides what differs, so drift is said in the words
`dbdsl migrate plan` uses, and `--sql` is the migration itself (with its safety rules)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dialects import project_dialect
from ..migrate.migration import Migration, plan_migration
from ..migrate.sources import analyze_file
from ..model.schema import Schema
from .connect import Database, connect
from .pull import pull


@dataclass
class Side:
    label: str
    schema: Schema
    dialect: str | None  # the engine of a database; a file's Project database_type


def is_url(text: str) -> bool:
    """`scheme://...` is a URL (an unknown scheme is then refused by name); anything else a file."""
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text) is not None


def read_side(spec: str, *, password_env: str | None = None, timeout: float = 10, schema: str | None = None) -> Side:
    """A URL is pulled; anything else is a schema file (SourceProblem when it has errors)."""
    if is_url(spec):
        with connect(spec, password_env=password_env, timeout=timeout) as db:
            return database_side(db, schema)
    analysis = analyze_file(spec)
    return Side(spec, analysis.schema, project_dialect(analysis.schema))


def database_side(db: Database, schema: str | None = None) -> Side:
    return Side(db.url.shown, pull(db, schema).schema, db.dialect)


def drift(first: Side, second: Side, dialect: str | None = None) -> tuple[Migration, str]:
    """The migration from `first` to `second`, and the dialect it is written in (the database's)."""
    chosen = dialect or first.dialect or second.dialect
    if chosen is None:
        raise ValueError("neither side says its database: give --dialect")
    return plan_migration(first.schema, second.schema, chosen), chosen
