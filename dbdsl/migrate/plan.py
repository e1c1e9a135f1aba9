"""Ordering a diff into steps that are each valid when they run.

The order, in stages: foreign keys that go away are dropped first, then indexes and constraints that go
away (all named as they are before any rename); enums are created and extended before any column uses
them; tables and columns are renamed; columns and tables that go away are dropped; enums losing values
are recreated; new tables are created (parents before children along the foreign-key graph), columns
added and changed; then primary keys, unique constraints, checks, indexes, and last the foreign keys
(so the keys they reference exist), enums no longer used, and comments.

SQLite cannot alter most of a table in place: its changes to one table that ALTER TABLE cannot do are
grouped into one `rebuild_table` step (the documented procedure: create the new table, copy the rows,
drop the old one, rename the new one).

`safe` chooses the zero-downtime form of a step where one exists (see `safety.py` for the rules).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlglot import exp

from ..emit.sql import table_order
from ..model.schema import Column, Enum, Ref, Schema, Table
from . import catalog as cat
from .diff import Change, Diff, TableKey
from .kinds import ChangeKind
from .lossy import change_reason
from .rules import MigrationWarning

if TYPE_CHECKING:
    from .render import Statement  # render.py builds on plans

STAGES = {
    "create_schema": 5,
    "drop_foreign_key": 10,
    "drop_index": 20,
    "drop_unique": 21,
    "drop_check": 22,
    "drop_primary_key": 23,
    "rename_enum": 30,
    "create_enum": 31,
    "add_enum_value": 32,
    "rename_enum_value": 33,
    "rename_table": 40,
    "rename_column": 41,
    "rename_object": 42,
    "drop_column": 50,
    "drop_table": 51,
    "recreate_enum": 55,
    "create_table": 60,
    "add_column": 61,
    "drop_identity": 62,
    "drop_default": 63,
    "alter_type": 64,
    "set_default": 65,
    "drop_not_null": 66,
    "set_not_null": 67,
    "add_identity": 68,
    "rebuild_table": 69,
    "repartition_table": 69,
    "add_primary_key": 70,
    "add_unique": 71,
    "add_check": 72,
    "create_index": 80,
    "add_foreign_key": 90,
    "drop_enum": 95,
    "enum_comment": 99,
    "table_comment": 99,
    "column_comment": 99,
}
DESTRUCTIVE = ("drop_table", "drop_column")
# what SQLite's ALTER TABLE can do in place (with conditions checked in `_sqlite_direct`)
SQLITE_DIRECT = {
    "rename_table",
    "rename_column",
    "rename_object",
    "add_column",
    "drop_column",
    "create_index",
    "drop_index",
}
COMMENT_KINDS = ("enum_comment", "table_comment", "column_comment")
ENUM_KINDS = ("create_enum", "drop_enum", "rename_enum", "add_enum_value", "rename_enum_value", "recreate_enum")


@dataclass
class Step:
    """One step of a plan: a change (or a group of changes, for a rebuild) and how it is done.

    `form` is "plain", "safe" (the zero-downtime form) or "rebuild" (SQLite); `on_new_table` is set
    when the table was created earlier in the same migration (it is empty, so locks do not matter).
    `statements` are filled by `render.py`.
    """

    kind: ChangeKind
    change: Change | None = None
    changes: tuple[Change, ...] = ()
    form: str = "plain"
    on_new_table: bool = False
    detail: tuple[Table, ...] = ()  # a rebuild: the table on the new side and on the old one
    note: str | None = None
    statements: list[Statement] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.kind = ChangeKind(self.kind)  # an unknown kind fails here, not when it is rendered

    @property
    def all_changes(self) -> tuple[Change, ...]:
        return (self.change, *self.changes) if self.change is not None else self.changes

    @property
    def table(self) -> Table | None:
        return self.change.table if self.change is not None else None

    @property
    def own_change(self) -> Change:
        """The change this step makes (a rebuild groups several in `changes` and has none of its own)."""
        if self.change is None:
            raise TypeError(f"a {self.kind} step has no change of its own")
        return self.change

    def describe(self) -> str:
        if self.kind == "rebuild_table":
            parts = "; ".join(c.describe() for c in self.changes)
            return f"rebuild table {self.detail[0].qualified} ({parts})"
        text = self.own_change.describe()
        return text + (" (zero-downtime form)" if self.form == "safe" else "")


@dataclass
class Plan:
    diff: Diff
    dialect: str
    steps: list[Step]
    safe: bool = False
    warnings: list[MigrationWarning] = field(default_factory=list)

    @property
    def old(self) -> Schema:
        return self.diff.old

    @property
    def new(self) -> Schema:
        return self.diff.new

    @property
    def empty(self) -> bool:
        return not self.steps

    @property
    def refused(self) -> list[MigrationWarning]:
        return [w for w in self.warnings if w.refused]

    @property
    def destructive(self) -> list[Change]:
        return [c for s in self.steps for c in s.all_changes if c.kind in DESTRUCTIVE]


def make_plan(
    diff: Diff,
    *,
    safe: bool = False,
    order_refs: tuple[Ref, ...] | None = None,
    empty_tables: frozenset[TableKey] = frozenset(),
) -> Plan:
    """Order the changes of `diff` into steps (statements not rendered yet).

    `order_refs` are the relationships that order created and dropped tables (default: those of the
    schemas compared); `empty_tables` are tables known to hold no rows yet (an initial schema applied
    in phases), whose changes need no lock-avoiding forms.
    """
    return _Planner(diff, safe, order_refs, empty_tables).run()


class _Planner:
    def __init__(
        self, diff: Diff, safe: bool, order_refs: tuple[Ref, ...] | None, empty_tables: frozenset[TableKey]
    ) -> None:
        self.diff = diff
        self.dialect = diff.dialect
        self.safe = safe
        self.order_refs = order_refs
        self.created = {c.new_as(Table).key for c in diff.changes if c.kind == "create_table"}
        self.new_tables = self.created | set(empty_tables)

    def run(self) -> Plan:
        changes = [c for c in self.diff.changes if self._needed(c)]
        if self.dialect == "sqlite":
            steps = self._sqlite_steps(changes)
        elif self.dialect == "postgres":
            steps = self._postgres_steps(changes)
        else:
            steps = [self._step(c) for c in changes]
        steps = self._merge_defaults_into_type_changes(steps)
        return Plan(self.diff, self.dialect, self._order(steps), self.safe)

    def _needed(self, change: Change) -> bool:
        """Leave out what has no statement in the dialect: enum types exist only on PostgreSQL (elsewhere
        an enum is a CHECK of its columns, compared with the table), SQLite has no comments, and SQLite
        keeps a new table's foreign keys inside its CREATE TABLE."""
        if change.kind in ENUM_KINDS and self.dialect != "postgres":
            return False
        if self.dialect == "sqlite":
            if change.kind in COMMENT_KINDS:
                return False
            if change.kind == "add_foreign_key" and change.on_table.key in self.created:
                return False
            if change.kind == "rename_object" and not change.old_as(cat.DbObject).is_index:
                return False  # constraint names live inside the table's SQL; nothing refers to them
        return True

    def _step(self, change: Change) -> Step:
        table = change.table
        on_new = table is not None and table.key in self.new_tables and change.kind != "create_table"
        safe = self.safe and not on_new and change.kind in SAFE_FORMS.get(self.dialect, ())
        note = None
        if safe and change.kind in NOT_ON_PARTITIONED and self._partitioned(change):
            safe = False
            note = NOT_ON_PARTITIONED[change.kind]
        if safe and change.kind == "add_column":
            safe = self._add_column_needs_care(change)
        if safe and change.kind == "alter_type":
            safe = change_reason(self.diff, change) is not None
        return Step(change.kind, change, form="safe" if safe else "plain", on_new_table=on_new, note=note)

    def _partitioned(self, change: Change) -> bool:
        """Whether the table the change acts on is partitioned (PostgreSQL), before or after."""
        for catalog, table in ((self.diff.old_catalog, change.old_table), (self.diff.new_catalog, change.new_table)):
            ddl = catalog.table(table.key) if table is not None else None
            if ddl is not None and ddl.partitioning(catalog.dialect):
                return True
        return False

    def _add_column_needs_care(self, change: Change) -> bool:
        """Whether adding the column has a zero-downtime form that differs from the plain one: NOT NULL
        without a default (it fails on rows), or a volatile default (it rewrites the table)."""
        from .render import volatile

        coldef = self.diff.new_catalog.column(change.on_table.key, change.new_as(Column).name)
        if coldef is None:
            return False
        kinds = {type(c.kind) for c in coldef.args.get("constraints") or []}
        default = next(
            (
                c.kind.this
                for c in coldef.args.get("constraints") or []
                if isinstance(c.kind, exp.DefaultColumnConstraint)
            ),
            None,
        )
        if default is not None:
            return volatile(default)
        return exp.NotNullColumnConstraint in kinds and exp.GeneratedAsIdentityColumnConstraint not in kinds

    # ------------------------------------------------------------ rebuilds

    def _postgres_steps(self, changes: list[Change]) -> list[Step]:
        """A table whose partitioning changes is rebuilt, with every other change it has (PostgreSQL
        cannot turn a table into a partitioned one, or change how it is partitioned, in place)."""
        rebuilt = {c.on_table.key for c in changes if c.kind == "repartition_table"}
        if not rebuilt:
            return [self._step(c) for c in changes]
        return self._rebuild_steps(
            changes,
            lambda group: any(c.kind == "repartition_table" for c in group),
            "PostgreSQL cannot change how a table is partitioned in place: the table is rebuilt (set aside, "
            "created again, rows copied, the old one dropped); grants, policies and triggers of the "
            "physical design must be applied to it again",
        )

    def _sqlite_steps(self, changes: list[Change]) -> list[Step]:
        """Group what SQLite cannot ALTER, per table, into one rebuild step."""
        return self._rebuild_steps(
            changes,
            lambda group: any(not self._sqlite_direct(c) for c in group),
            "SQLite cannot make these changes with ALTER TABLE: the table is rebuilt (new table, "
            "copy of the rows, drop, rename)",
        )

    def _rebuild_steps(
        self, changes: list[Change], needs_rebuild: Callable[[list[Change]], bool], note: str
    ) -> list[Step]:
        """Per table, the changes that `needs_rebuild` says cannot be made in place, as one rebuild step
        (renames stay steps of their own, before it)."""
        by_table: dict[TableKey, list[Change]] = defaultdict(list)
        rest: list[Change] = []
        for c in changes:
            key = self._sqlite_table_key(c)
            if key is None:
                rest.append(c)
            else:
                by_table[key].append(c)
        steps = [self._step(c) for c in rest]
        for key, group in by_table.items():
            table = self.diff.new.table(key)
            if not needs_rebuild(group):
                steps.extend(self._step(c) for c in group)
                continue
            folded = [c for c in group if c.kind not in ("rename_table", "rename_column")]
            steps.extend(self._step(c) for c in group if c.kind in ("rename_table", "rename_column"))
            old_table = self.diff.old.table(self.diff.renames.tables.get(key, key))
            assert table is not None and old_table is not None  # the key is of a table on both sides
            steps.append(
                Step(
                    ChangeKind.REBUILD_TABLE,
                    changes=tuple(folded),
                    form="rebuild",
                    detail=(table, old_table),
                    note=note,
                )
            )
        return steps

    def _sqlite_table_key(self, change: Change) -> TableKey | None:
        """The (new) key of the existing table a change alters, or None when it does not alter one."""
        if change.kind in ("create_table", "drop_table") or change.kind in COMMENT_KINDS:
            return None
        if change.old_table is None or change.new_table is None:
            return None
        return change.new_table.key

    def _sqlite_direct(self, change: Change) -> bool:
        if change.kind not in SQLITE_DIRECT:
            return False
        if change.kind == "add_column":
            return _sqlite_can_add(self.diff.new_catalog.known_column(change.on_table.key, change.new_as(Column).name))
        if change.kind == "drop_column":
            return self._sqlite_can_drop(change.on_old_table, change.old_as(Column))
        return True

    def _sqlite_can_drop(self, table: Table, column: Column) -> bool:
        """SQLite's DROP COLUMN refuses a column that a key, a unique constraint, a check, a foreign key or
        an index (that stays) uses."""
        ddl = self.diff.old_catalog.table(table.key)
        dropped_indexes = {
            c.old_as(cat.DbObject).name for c in self.diff.changes if c.kind == "drop_index" and c.old_table is table
        }
        for obj in ddl.objects if ddl is not None else ():
            if column.name in obj.columns and not (obj.is_index and obj.name in dropped_indexes):
                return False
        for other in self.diff.old_catalog.tables.values():
            for obj in other.constraints():
                if obj.kind == "fk" and obj.references == table.key:
                    reference = obj.node.expressions[0].args.get("reference")
                    if reference is not None and column.name in {i.name for i in reference.this.expressions}:
                        return False
        return True

    def _merge_defaults_into_type_changes(self, steps: list[Step]) -> list[Step]:
        """A type change drops the column's default first and sets the new one after (a default of the
        old type may not convert), and so does recreating an enum for the columns it converts: a
        separate default change of such a column is folded into that step."""
        owners: dict[tuple[TableKey, str], Step] = {}
        for s in steps:
            if s.kind == "recreate_enum":
                for key, name in self._enum_columns(s.own_change.old_as(Enum)):
                    owners[(key, name)] = s
        for s in steps:
            if s.kind == "alter_type":
                owners[(s.own_change.on_table.key, s.own_change.new_as(Column).name)] = s
        out = []
        for s in steps:
            if s.kind in ("set_default", "drop_default"):
                target = owners.get((s.own_change.on_table.key, s.own_change.new_as(Column).name))
                if target is not None:
                    target.changes = (*target.changes, s.own_change)
                    continue
            out.append(s)
        return out

    def _enum_columns(self, enum: Enum) -> list[tuple[TableKey, str]]:
        """(new table key, new column name) of the kept columns whose old type is `enum`."""
        out: list[tuple[TableKey, str]] = []
        for table in self.diff.old.tables:
            new_key = self.diff.table_map.get(table.key)
            cmap = self.diff.column_maps.get(table.key, {})
            for column in table.columns:
                if new_key and column.name in cmap and column.enum and _enum_key(column.enum) == enum.key:
                    out.append((new_key, cmap[column.name]))
        return out

    # ------------------------------------------------------------ order

    def _order(self, steps: list[Step]) -> list[Step]:
        new_refs = self.diff.new.refs if self.order_refs is None else self.order_refs
        old_refs = self.diff.old.refs if self.order_refs is None else self.order_refs
        creates, _ = table_order([s.own_change.new_as(Table) for s in steps if s.kind == "create_table"], new_refs)
        drops, _ = table_order([s.own_change.old_as(Table) for s in steps if s.kind == "drop_table"], old_refs)
        rank: dict[int, int] = {}
        for i, table in enumerate(creates):
            rank[id(table)] = i
        for i, table in enumerate(reversed(drops)):
            rank[id(table)] = i

        def key(item: tuple[int, Step]) -> tuple[int, int, int]:
            i, s = item
            if s.kind == "rebuild_table":  # its changes are grouped: it has none of its own to rank by
                return (STAGES[s.kind], 0, i)
            c = s.own_change
            return (STAGES[s.kind], rank.get(id(c.new if s.kind == "create_table" else c.old), 0), i)

        return [s for _, s in sorted(enumerate(steps), key=key)]


# zero-downtime forms PostgreSQL refuses on a partitioned table: the plain form is written, with why
NOT_ON_PARTITIONED = {
    "create_index": "PostgreSQL cannot build an index on a partitioned table CONCURRENTLY: to avoid the lock, "
    "create it ON ONLY the parent, build it on each partition CONCURRENTLY and ATTACH each one",
    "drop_index": "PostgreSQL cannot drop an index of a partitioned table CONCURRENTLY",
    "add_unique": "PostgreSQL cannot add a constraint USING INDEX on a partitioned table",
    "add_primary_key": "PostgreSQL cannot add a constraint USING INDEX on a partitioned table",
    "add_foreign_key": "PostgreSQL cannot add a NOT VALID foreign key on a partitioned table",
}

SAFE_FORMS = {
    "postgres": {
        "create_index",
        "drop_index",
        "add_unique",
        "add_primary_key",
        "add_foreign_key",
        "add_check",
        "set_not_null",
        "add_column",
        "add_enum_value",
        "alter_type",
    },
}


def _sqlite_can_add(coldef: exp.ColumnDef) -> bool:
    """SQLite's ADD COLUMN takes no key or identity, its default must be a constant, and a NOT NULL
    column needs a default (keys, unique constraints and checks are separate changes, which rebuild)."""
    default = None
    not_null = False
    for c in coldef.args.get("constraints") or []:
        if isinstance(c.kind, exp.DefaultColumnConstraint):
            default = c.kind.this
        elif isinstance(c.kind, exp.NotNullColumnConstraint):
            not_null = True
        else:
            return False
    if default is not None:
        literal = default.this if isinstance(default, exp.Neg) else default
        if not isinstance(literal, exp.Literal | exp.Boolean | exp.Null):
            return False
    return not (not_null and (default is None or isinstance(default, exp.Null)))


def _enum_key(name: str) -> TableKey:
    schema, _, bare = name.rpartition(".")
    return (schema or "public", bare)
