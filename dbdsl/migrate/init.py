"""`dbdsl migrate init`: the initial schema as phases, each a migration with its rollback.

1. core tables: enum types, then the tables with their keys, unique constraints and checks (and unique
   indexes, which foreign keys may reference), parents before children along the foreign-key graph;
2. relationships: the foreign keys (on SQLite they are part of each CREATE TABLE, so this phase is
   folded into the first);
3. indexes and extras: the other indexes and the comments.

Each phase is planned like any migration, from the state the previous phases leave, so its rollback
is the plan back to that state. An empty phase is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model.schema import Enum, Schema, Table
from .catalog import build, expand
from .migration import Migration, plan_migration

PHASES = (
    ("tables", "core tables"),
    ("relationships", "relationships"),
    ("indexes", "indexes and extras"),
)


@dataclass
class Phase:
    number: int  # 1-based, as in the file names
    name: str
    title: str
    migration: Migration

    @property
    def stem(self) -> str:
        """The migration's file name without `.up.sql`/`.down.sql`: `0001_tables`."""
        return f"{self.number:04d}_{self.name}"


def _bare_table(table: Table) -> Table:
    """The table without its plain indexes and notes (phase 1)."""
    return replace(
        table,
        indexes=tuple(i for i in table.indexes if i.pk or i.unique),
        note=None,
        columns=tuple(replace(c, note=None) for c in table.columns),
    )


def _bare_enum(enum: Enum) -> Enum:
    return replace(enum, note=None)


def phases(schema: Schema, dialect: str) -> list[Phase]:
    full = expand(schema)
    core = replace(
        full,
        tables=tuple(_bare_table(t) for t in full.tables),
        enums=tuple(_bare_enum(e) for e in full.enums),
        refs=full.refs if dialect == "sqlite" else (),
    )
    related = replace(core, refs=full.refs)
    states = [Schema(), core, related, full]
    catalogs = [build(state, dialect) for state in states]  # each state is both sides of two phases
    everything = frozenset(t.key for t in full.tables)
    out: list[Phase] = []
    for i, (name, title) in enumerate(PHASES):
        before, after = states[i], states[i + 1]
        empty = frozenset() if i == 0 else everything
        notes = [f"initial schema, phase {len(out) + 1}: {title}"]
        if name == "tables" and dialect == "sqlite" and full.refs:
            notes.append("SQLite keeps foreign keys in CREATE TABLE: the relationships are part of this phase")
        migration = plan_migration(
            before,
            after,
            dialect,
            notes=notes,
            order_refs=full.refs,
            empty_tables=empty,
            catalogs=(catalogs[i], catalogs[i + 1]),
        )
        if not migration.empty:
            out.append(Phase(len(out) + 1, name, title, migration))
    return out
