"""The difference between two schemas as a list of changes, in one dialect.

Tables, columns, enums and enum values are paired by name; a `renamed_from` hint pairs an element with
the old one it names, and nothing else does: a drop plus an add that look like a rename stay a drop and
an add, with a warning (M017) that names the hint to add.

What is compared is what the SQL generator makes of each side (`catalog.py`): column definitions, and
constraints and indexes by their definition with old column and table names mapped through the
renames. An object whose definition stays but whose generated name changes (its table or column was
renamed) is renamed too, so the migrated database names everything as a freshly created one would.

Changes are unordered here; `plan.py` orders them and `render.py` writes their SQL.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import UnionType
from typing import TypeVar

from sqlglot import exp

from ..dialects import sqlglot_dialect
from ..emit.sql_names import table_ref
from ..model.schema import Column, Enum, Schema, Table, TableKey
from ..model.spans import Span
from . import catalog as cat
from .kinds import ChangeKind
from .rules import RULES, MigrationWarning

# every kind of change, in the words the plan prints
ADD_KIND = {
    "pk": ChangeKind.ADD_PRIMARY_KEY,
    "unique": ChangeKind.ADD_UNIQUE,
    "check": ChangeKind.ADD_CHECK,
    "enum_check": ChangeKind.ADD_CHECK,
    "fk": ChangeKind.ADD_FOREIGN_KEY,
    "index": ChangeKind.CREATE_INDEX,
}
DROP_KIND = {
    "pk": ChangeKind.DROP_PRIMARY_KEY,
    "unique": ChangeKind.DROP_UNIQUE,
    "check": ChangeKind.DROP_CHECK,
    "enum_check": ChangeKind.DROP_CHECK,
    "fk": ChangeKind.DROP_FOREIGN_KEY,
    "index": ChangeKind.DROP_INDEX,
}


ENUM_TYPE_KINDS = {
    ChangeKind.CREATE_ENUM,
    ChangeKind.DROP_ENUM,
    ChangeKind.RENAME_ENUM,
    ChangeKind.ADD_ENUM_VALUE,
    ChangeKind.RENAME_ENUM_VALUE,
    ChangeKind.RECREATE_ENUM,
}
COMMENT_KINDS = {ChangeKind.ENUM_COMMENT, ChangeKind.TABLE_COMMENT, ChangeKind.COLUMN_COMMENT}
NO_COMMENTS = {"sqlite"}


Element = Table | Column | Enum | cat.DbObject
"""What a change is about: a table, a column, an enum, or a constraint or index."""

E = TypeVar("E", bound=Element)
A = TypeVar("A")
G = TypeVar("G")


@dataclass(frozen=True)
class Change:
    """One change. `old_*` belong to the old schema, `new_*` to the new one.

    `old_table`/`new_table` are the table on each side (the same table, maybe renamed); `old`/`new` are
    the element: a Table, Column, Enum, or a `catalog.DbObject` (constraints and indexes). `detail`
    holds the schema's name (create_schema), the enum value and where it goes (add_enum_value: value,
    "after" or "before", the neighbour or None), the value's old and new name (rename_enum_value), the
    values removed (recreate_enum), or the old and new type as SQL (alter_type).
    """

    kind: ChangeKind
    old_table: Table | None = None
    new_table: Table | None = None
    old: Element | None = None
    new: Element | None = None
    detail: tuple[str | None, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ChangeKind(self.kind))  # an unknown kind fails here, not later

    @property
    def table(self) -> Table | None:
        return self.new_table or self.old_table

    @property
    def on_table(self) -> Table:
        """The table of a change to a table's column, constraint or index (which always has one)."""
        table = self.table
        if table is None:
            raise TypeError(f"a {self.kind} change is not on a table")
        return table

    @property
    def on_old_table(self) -> Table:
        """The table on the old side (a change that drops, renames or alters a table, or one of its parts)."""
        if self.old_table is None:
            raise TypeError(f"a {self.kind} change has no old table")
        return self.old_table

    @property
    def on_new_table(self) -> Table:
        """The table on the new side (a change that creates, renames or alters a table, or one of its parts)."""
        if self.new_table is None:
            raise TypeError(f"a {self.kind} change has no new table")
        return self.new_table

    def detail_text(self, index: int) -> str:
        """A detail this kind of change always carries as text (a schema's name, an enum value)."""
        value = self.detail[index]
        if value is None:
            raise TypeError(f"a {self.kind} change has no detail {index}")
        return value

    def old_as(self, cls: type[E]) -> E:
        """The old element, of the class this kind of change always has there."""
        if not isinstance(self.old, cls):
            raise TypeError(f"a {self.kind} change has no old {cls.__name__}")
        return self.old

    def new_as(self, cls: type[E]) -> E:
        """The new element, of the class this kind of change always has there."""
        if not isinstance(self.new, cls):
            raise TypeError(f"a {self.kind} change has no new {cls.__name__}")
        return self.new

    @property
    def element(self) -> Element | None:
        return self.new if self.new is not None else self.old

    @property
    def subject(self) -> str:
        """What the change is about, as people write it: `orders`, `orders.total`, `order_status.paid`."""
        if self.kind == "create_schema":
            return self.detail[0] or ""
        element = self.element
        if isinstance(element, Enum):
            if self.kind == "add_enum_value":
                return f"{element.qualified}.{self.detail[0]}"
            if self.kind == "rename_enum_value":
                return f"{element.qualified}.{self.detail[1]}"
            return element.qualified
        if isinstance(element, Column):
            return f"{self.on_table.qualified}.{element.name}"
        if isinstance(element, cat.DbObject):
            if len(element.columns) == 1 and element.kind != "index":
                return f"{self.on_table.qualified}.{element.columns[0]}"
            return f"{self.on_table.qualified}.{element.name}"
        return self.table.qualified if self.table is not None else ""

    def describe(self) -> str:
        text = self.kind.label
        element = self.element
        if self.kind == "rename_table":
            return f"{text} {self.old_as(Table).qualified} to {self.new_as(Table).name}"
        if self.kind == "rename_enum":
            return f"{text} {self.old_as(Enum).qualified} to {self.new_as(Enum).name}"
        if self.kind == "rename_column":
            return f"{text} {self.on_table.qualified}.{self.old_as(Column).name} to {self.new_as(Column).name}"
        if self.kind == "rename_enum_value":
            return f"{text} {self.new_as(Enum).qualified}: {self.detail[0]} to {self.detail[1]}"
        if self.kind == "add_enum_value":
            return f"{text} {self.new_as(Enum).qualified}: {self.detail[0]}"
        if self.kind == "recreate_enum":
            removed = f" (removes {', '.join(map(str, self.detail))})" if self.detail else " (values reordered)"
            return f"{text} {self.new_as(Enum).qualified}{removed}"
        if self.kind == "alter_type":
            old_type: str | None = self.old_as(Column).type.text
            new_type: str | None = self.new_as(Column).type.text
            if old_type == new_type and self.detail:
                old_type, new_type = self.detail
            return f"{text} of {self.on_table.qualified}.{self.new_as(Column).name}: {old_type} to {new_type}"
        if self.kind == "create_schema":
            return f"{text} {self.detail[0]}"
        if self.kind == "rename_object":
            old = self.old_as(cat.DbObject)
            return f"rename {_object_word(old)} {old.name} to {self.new_as(cat.DbObject).name}"
        if isinstance(element, cat.DbObject):
            return f"{text} {element.name} on {self.on_table.qualified}"
        return f"{text} {self.subject}"


def _object_word(obj: cat.DbObject) -> str:
    return "index" if obj.is_index else "constraint"


@dataclass
class Renames:
    """Pairings decided by hints, from the new side to the old one."""

    tables: dict[TableKey, TableKey] = field(default_factory=dict)
    columns: dict[TableKey, dict[str, str]] = field(default_factory=dict)  # new table -> new col -> old col
    enums: dict[TableKey, TableKey] = field(default_factory=dict)
    enum_values: dict[TableKey, dict[str, str]] = field(default_factory=dict)  # new enum -> new -> old

    def inverted(self) -> Renames:
        """The same pairings seen from the other side (for the down migration)."""
        return Renames(
            tables={old: new for new, old in self.tables.items()},
            columns={
                self.tables.get(table, table): {old: new for new, old in cols.items()}
                for table, cols in self.columns.items()
            },
            enums={old: new for new, old in self.enums.items()},
            enum_values={
                self.enums.get(enum, enum): {old: new for new, old in values.items()}
                for enum, values in self.enum_values.items()
            },
        )


@dataclass
class Diff:
    old: Schema  # with junction tables (see catalog.expand)
    new: Schema
    dialect: str
    changes: list[Change]
    renames: Renames
    old_catalog: cat.Catalog
    new_catalog: cat.Catalog
    column_maps: dict[TableKey, dict[str, str]]  # old table key -> old column -> new column (kept ones)
    table_map: dict[TableKey, TableKey]  # old table key -> new table key (kept tables)
    enum_changes: list[Change]  # the enum changes in every dialect (only PostgreSQL has statements for them)
    warnings: list[MigrationWarning] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.changes


def _qualify(name: str, schema: str) -> TableKey:
    if "." in name:
        s, _, bare = name.rpartition(".")
        return (s, bare)
    return (schema, name)


def hint_renames(old: Schema, new: Schema) -> Renames:
    """The renames that `renamed_from` hints in `new` ask for and that `old` can satisfy.

    A hint is used when the old schema has the element it names and the new schema has no element of
    that name; otherwise it is stale (already migrated) or contradicted, and ignored. The new name of a
    rename never exists on the old side.
    """
    renames = Renames()
    old_tables = {t.key for t in old.tables}
    new_tables = {t.key for t in new.tables}
    for table in new.tables:
        if table.key in old_tables or not table.renamed_from:
            continue
        source = _qualify(table.renamed_from, table.schema)
        if source in old_tables and source not in new_tables and source not in renames.tables.values():
            renames.tables[table.key] = source
    for table in new.tables:
        old_table = old.table(renames.tables.get(table.key, table.key))
        if old_table is None:
            continue
        names = {c.name for c in table.columns}
        cols: dict[str, str] = {}
        for column in table.columns:
            hint = column.renamed_from
            if old_table.column(column.name) is not None or not hint:
                continue
            if old_table.column(hint) is not None and hint not in names and hint not in cols.values():
                cols[column.name] = hint
        if cols:
            renames.columns[table.key] = cols
    old_enums = {e.key for e in old.enums}
    new_enums = {e.key for e in new.enums}
    for enum in new.enums:
        if enum.key not in old_enums and enum.renamed_from:
            source = _qualify(enum.renamed_from, enum.schema)
            if source in old_enums and source not in new_enums and source not in renames.enums.values():
                renames.enums[enum.key] = source
    for enum in new.enums:
        old_enum = old.enum(renames.enums.get(enum.key, enum.key))
        if old_enum is None:
            continue
        old_values = set(old_enum.value_names)
        new_values = set(enum.value_names)
        values: dict[str, str] = {}
        for value in enum.values:
            hint = value.renamed_from
            if value.name in old_values or not hint:
                continue
            if hint in old_values and hint not in new_values and hint not in values.values():
                values[value.name] = hint
        if values:
            renames.enum_values[enum.key] = values
    return renames


def diff(
    old: Schema,
    new: Schema,
    dialect: str,
    renames: Renames | None = None,
    *,
    catalogs: tuple[cat.Catalog, cat.Catalog] | None = None,
) -> Diff:
    """Compare `old` with `new` in `dialect`. `renames` default to the hints of `new`; `catalogs` are
    the two sides' catalogs when they were built already (the rollback reuses the migration's)."""
    sqlglot_dialect(dialect)
    if catalogs is not None:
        old_catalog, new_catalog = catalogs
    else:
        old_catalog, new_catalog = cat.build(old, dialect), cat.build(new, dialect)
    if renames is None:
        renames = hint_renames(old_catalog.schema, new_catalog.schema)
    return _Differ(old_catalog, new_catalog, renames).run()


@dataclass
class Correspondence:
    """Which old element each new one continues: by name, or by a `renamed_from` hint."""

    table_map: dict[TableKey, TableKey]  # old table key -> new table key (kept tables)
    enum_map: dict[TableKey, TableKey]  # old enum key -> new enum key (kept enums)
    column_map: dict[TableKey, dict[str, str]]  # old table key -> old column -> new column (kept ones)
    value_map: dict[TableKey, dict[str, str]]  # new enum key -> old value -> new value (kept ones)


def correspond(old: Schema, new: Schema, renames: Renames) -> Correspondence:
    table_map: dict[TableKey, TableKey] = {}
    for t in new.tables:
        source = renames.tables.get(t.key, t.key)
        if old.table(source) is not None:
            table_map[source] = t.key
    enum_map: dict[TableKey, TableKey] = {}
    for e in new.enums:
        source = renames.enums.get(e.key, e.key)
        if old.enum(source) is not None:
            enum_map[source] = e.key
    column_map: dict[TableKey, dict[str, str]] = {}
    for old_key, new_key in table_map.items():
        old_table, new_table = old.table(old_key), new.table(new_key)
        assert old_table is not None and new_table is not None  # both found above
        hinted = {o: n for n, o in renames.columns.get(new_key, {}).items()}
        column_map[old_key] = {
            c.name: hinted.get(c.name, c.name)
            for c in old_table.columns
            if new_table.column(hinted.get(c.name, c.name)) is not None
        }
    value_map: dict[TableKey, dict[str, str]] = {}
    for old_key, new_key in enum_map.items():
        old_enum, new_enum = old.enum(old_key), new.enum(new_key)
        assert old_enum is not None and new_enum is not None  # both found above
        hinted = {o: n for n, o in renames.enum_values.get(new_key, {}).items()}
        new_values = set(new_enum.value_names)
        value_map[new_key] = {v: hinted.get(v, v) for v in old_enum.value_names if hinted.get(v, v) in new_values}
    return Correspondence(table_map, enum_map, column_map, value_map)


def dropped(old: Schema, new: Schema) -> list[Change]:
    """The changes from `old` to `new` that lose data: dropped tables, columns and enums, and enums
    recreated without some of their values (`detail`: those values). The same changes `diff` finds,
    without generating either side's SQL, so it is cheap enough to run on every edit."""
    old, new = cat.expand(old), cat.expand(new)
    m = correspond(old, new, hint_renames(old, new))
    found: list[Change] = []
    for enum in old.enums:
        new_key = m.enum_map.get(enum.key)
        if new_key is None:
            found.append(Change(ChangeKind.DROP_ENUM, old=enum))
            continue
        removed = tuple(v for v in enum.value_names if v not in m.value_map[new_key])
        if removed:
            found.append(Change(ChangeKind.RECREATE_ENUM, old=enum, new=new.enum(new_key), detail=removed))
    for table in old.tables:
        new_key = m.table_map.get(table.key)
        if new_key is None:
            found.append(Change(ChangeKind.DROP_TABLE, old_table=table, old=table))
            continue
        new_table = new.table(new_key)
        for column in table.columns:
            if column.name not in m.column_map[table.key]:
                found.append(Change(ChangeKind.DROP_COLUMN, table, new_table, old=column))
    return found


class _Differ:
    def __init__(self, old_catalog: cat.Catalog, new_catalog: cat.Catalog, renames: Renames) -> None:
        self.old_catalog = old_catalog
        self.new_catalog = new_catalog
        self.old = old_catalog.schema
        self.new = new_catalog.schema
        self.dialect = new_catalog.dialect
        self.target = sqlglot_dialect(self.dialect)
        self.renames = renames
        self.changes: list[Change] = []
        self.enum_changes: list[Change] = []
        self.warnings: list[MigrationWarning] = []
        m = correspond(self.old, self.new, renames)
        self.table_map = m.table_map
        self.enum_map = m.enum_map
        self.column_map = m.column_map
        self.value_map = m.value_map
        # old tables that keep their name and every column: their objects need no renaming to compare
        self.unchanged_names = {
            table.key
            for table in self.old.tables
            if self.table_map.get(table.key) == table.key
            and all(self.column_map[table.key].get(c.name) == c.name for c in table.columns)
        }
        # SQL texts computed once per catalog (the rollback's diff reuses both catalogs)
        self._type_sql = new_catalog.memo.setdefault("type_sql", {})

    def add(
        self,
        kind: ChangeKind,
        old_table: Table | None = None,
        new_table: Table | None = None,
        old: Element | None = None,
        new: Element | None = None,
        detail: tuple[str | None, ...] = (),
    ) -> None:
        change = Change(kind, old_table, new_table, old, new, detail)
        if kind in ENUM_TYPE_KINDS:
            self.enum_changes.append(change)
            if self.target != "postgres":
                return  # only PostgreSQL has enum types; elsewhere an enum is its columns' type and CHECK
        if kind in COMMENT_KINDS and self.target in NO_COMMENTS:
            return
        if kind == "rename_object" and self.target == "sqlite" and not change.old_as(cat.DbObject).is_index:
            return  # SQLite keeps constraint names inside the table's SQL and never uses them
        self.changes.append(change)

    def run(self) -> Diff:
        self._schemas()
        self._enums()
        self._tables()
        self._look_alikes()
        return Diff(
            self.old,
            self.new,
            self.dialect,
            self.changes,
            self.renames,
            self.old_catalog,
            self.new_catalog,
            self.column_map,
            self.table_map,
            self.enum_changes,
            self.warnings,
        )

    # ------------------------------------------------------------ schemas

    def _schemas(self) -> None:
        """Schemas the new side uses and the old one did not (PostgreSQL; created if missing, never
        dropped: a schema may hold objects dbdsl does not manage)."""
        if self.target != "postgres":
            return

        def used(schema: Schema) -> set[str]:
            return {t.schema for t in schema.tables} | {e.schema for e in schema.enums}

        for name in sorted(used(self.new) - used(self.old) - {"public"}):
            self.add(ChangeKind.CREATE_SCHEMA, detail=(name,))

    # ------------------------------------------------------------ enums

    def _enums(self) -> None:
        for enum in self.new.enums:
            source = self.renames.enums.get(enum.key, enum.key)
            old_enum = self.old.enum(source)
            if old_enum is None:
                self.add(ChangeKind.CREATE_ENUM, new=enum)
                if enum.note:
                    self.add(ChangeKind.ENUM_COMMENT, new=enum)
                continue
            if source != enum.key:
                self.add(ChangeKind.RENAME_ENUM, old=old_enum, new=enum)
            self._enum_values(old_enum, enum)
            if (old_enum.note or None) != (enum.note or None):
                self.add(ChangeKind.ENUM_COMMENT, old=old_enum, new=enum)
        for enum in self.old.enums:
            if enum.key not in self.enum_map:
                self.add(ChangeKind.DROP_ENUM, old=enum)

    def _enum_values(self, old: Enum, new: Enum) -> None:
        mapping = self.value_map[new.key]
        for o, n in mapping.items():
            if o != n:
                self.add(ChangeKind.RENAME_ENUM_VALUE, old=old, new=new, detail=(o, n))
        kept_in_old_order = [mapping[v] for v in old.value_names if v in mapping]
        kept = set(kept_in_old_order)
        kept_in_new_order = [v for v in new.value_names if v in kept]
        removed = tuple(v for v in old.value_names if v not in mapping)
        if removed or kept_in_old_order != kept_in_new_order:
            self.add(ChangeKind.RECREATE_ENUM, old=old, new=new, detail=removed)
            return
        for i, value in enumerate(new.value_names):
            if value in kept:
                continue
            # placed next to a neighbour that exists by then (values are added in order)
            after = next((v for v in reversed(new.value_names[:i]) if v in kept), None)
            before = next((v for v in new.value_names[i + 1 :] if v in kept), None)
            self.add(
                ChangeKind.ADD_ENUM_VALUE,
                old=old,
                new=new,
                detail=(value, "after", after) if after else (value, "before", before),
            )
            kept.add(value)

    # ------------------------------------------------------------ tables

    def _tables(self) -> None:
        for table in self.new.tables:
            source = self.renames.tables.get(table.key, table.key)
            old_table = self.old.table(source)
            if old_table is None:
                self._create_table(table)
                continue
            if source != table.key:
                self.add(ChangeKind.RENAME_TABLE, old_table, table, old_table, table)
            self._table(old_table, table)
        for table in self.old.tables:
            if table.key not in self.table_map:
                self.add(ChangeKind.DROP_TABLE, old_table=table, old=table)

    def _create_table(self, table: Table) -> None:
        self.add(ChangeKind.CREATE_TABLE, new_table=table, new=table)
        ddl = self.new_catalog.table(table.key)
        if ddl is not None:
            for obj in ddl.objects:
                if obj.kind == "fk" or obj.is_index:
                    self.add(ADD_KIND[obj.kind], new_table=table, new=obj)
        if table.note:
            self.add(ChangeKind.TABLE_COMMENT, new_table=table, new=table)
        for column in table.columns:
            if column.note:
                self.add(ChangeKind.COLUMN_COMMENT, new_table=table, new=column)

    def _table(self, old: Table, new: Table) -> None:
        cmap = self.column_map[old.key]
        kept = set(cmap.values())
        for column in old.columns:
            target = cmap.get(column.name)
            if target is None:
                self.add(ChangeKind.DROP_COLUMN, old, new, old=column)
            elif target != column.name:
                self.add(ChangeKind.RENAME_COLUMN, old, new, old=column, new=new.column(target))
        for column in new.columns:
            if column.name not in kept:
                self.add(ChangeKind.ADD_COLUMN, old, new, new=column)
                if column.note:
                    self.add(ChangeKind.COLUMN_COMMENT, old, new, new=column)
        old_ddl = self.old_catalog.table(old.key)
        new_ddl = self.new_catalog.table(new.key)
        for column in old.columns:
            target = cmap.get(column.name)
            new_column = new.column(target) if target is not None else None
            if new_column is not None:
                self._column(old, new, column, new_column, old_ddl, new_ddl)
        if old_ddl is not None and new_ddl is not None:
            self._objects(old, new, old_ddl, new_ddl)
            if old_ddl.partitioning(self.target, cmap) != new_ddl.partitioning(self.target):
                self.add(ChangeKind.REPARTITION_TABLE, old, new, old=old, new=new)
        if (old.note or None) != (new.note or None):
            self.add(ChangeKind.TABLE_COMMENT, old, new, old=old, new=new)

    def _column(
        self,
        old_table: Table,
        new_table: Table,
        old: Column,
        new: Column,
        old_ddl: cat.TableDDL | None,
        new_ddl: cat.TableDDL | None,
    ) -> None:
        old_def = old_ddl.columns.get(old.name) if old_ddl else None
        new_def = new_ddl.columns.get(new.name) if new_ddl else None
        if old_def is None or new_def is None:
            return
        if self._type_key(old, old_def, old=True) != self._type_key(new, new_def, old=False):
            types = (old_def.args["kind"].sql(self.target), new_def.args["kind"].sql(self.target))
            self.add(ChangeKind.ALTER_TYPE, old_table, new_table, old=old, new=new, detail=types)
        old_nn, new_nn = _has(old_def, exp.NotNullColumnConstraint), _has(new_def, exp.NotNullColumnConstraint)
        if new_nn and not old_nn:
            self.add(ChangeKind.SET_NOT_NULL, old_table, new_table, old=old, new=new)
        elif old_nn and not new_nn:
            self.add(ChangeKind.DROP_NOT_NULL, old_table, new_table, old=old, new=new)
        old_default = self._default_key(old, old_def)
        new_default = _default_sql(new_def, self.target)
        if old_default != new_default:
            kind = ChangeKind.DROP_DEFAULT if new_default is None else ChangeKind.SET_DEFAULT
            self.add(kind, old_table, new_table, old=old, new=new)
        old_id, new_id = identity_column(old_def), identity_column(new_def)
        if old_id != new_id:
            self.add(
                ChangeKind.ADD_IDENTITY if new_id else ChangeKind.DROP_IDENTITY, old_table, new_table, old=old, new=new
            )
        if (old.note or None) != (new.note or None):
            self.add(ChangeKind.COLUMN_COMMENT, old_table, new_table, old=old, new=new)

    def _type_key(self, column: Column, coldef: exp.ColumnDef, *, old: bool) -> str:
        """The column type as the generator writes it; an enum type (PostgreSQL) by its enum, followed
        through renames."""
        if column.enum is not None and self.target == "postgres":
            enum_key = _qualify(column.enum, "public")
            key: tuple[str, ...] = enum_key
            if old:
                key = self.enum_map.get(enum_key, ("\0dropped", *enum_key))
            return "enum:" + ".".join(key)
        kind = coldef.args.get("kind")
        if kind is None:
            return ""
        node_key = _node_key(kind)
        text: str | None = self._type_sql.get(node_key)
        if text is None:
            text = self._type_sql[node_key] = kind.sql(self.target)
        return text

    def _default_key(self, column: Column, coldef: exp.ColumnDef) -> str | None:
        """The old column's default as the new schema would write it (enum values followed through
        renames)."""
        text = _default_sql(coldef, self.target)
        if text is None or column.enum is None:
            return text
        key = _qualify(column.enum, "public")
        mapping = self.value_map.get(self.enum_map.get(key, key), {})
        default = _default_node(coldef)
        if isinstance(default, exp.Literal) and default.is_string and default.this in mapping:
            return exp.Literal.string(mapping[default.this]).sql(self.target)
        return text

    # ------------------------------------------------------------ constraints and indexes

    def _objects(self, old: Table, new: Table, old_ddl: cat.TableDDL, new_ddl: cat.TableDDL) -> None:
        pending: dict[str, list[cat.DbObject]] = defaultdict(list)
        for obj in old_ddl.objects:
            pending[self._definition(obj, mapped=True)].append(obj)
        added: list[cat.DbObject] = []
        for obj in new_ddl.objects:
            bucket = pending.get(self._definition(obj, mapped=False))
            if bucket:
                before = bucket.pop(0)
                if before.name != obj.name:
                    self.add(ChangeKind.RENAME_OBJECT, old, new, old=before, new=obj)
            else:
                added.append(obj)
        for bucket in pending.values():
            for obj in bucket:
                self.add(DROP_KIND[obj.kind], old, new, old=obj)
        for obj in added:
            self.add(ADD_KIND[obj.kind], old, new, new=obj)

    def _definition(self, obj: cat.DbObject, *, mapped: bool) -> str:
        """An object's definition without its name, old names mapped to new ones when `mapped`.

        A foreign key's definition includes the types of its columns on both sides, so that a type
        change drops the key before and adds it after (the engine may not accept the types in between).
        """
        types = self._fk_types(obj, mapped) if obj.kind == "fk" else ""
        plain = not mapped or (
            obj.table in self.unchanged_names and (obj.references is None or obj.references in self.unchanged_names)
        )
        if plain:
            memo = (self.old_catalog if mapped else self.new_catalog).memo.setdefault("definition", {})
            cached = memo.get(id(obj))
            if cached is None:
                node = obj.node.copy()
                (node.this if obj.is_index else node).set("this", None)
                cached = memo[id(obj)] = node.sql(self.target)
            return cached + (" " + types if types else "")
        node = obj.node.copy()
        cmap = self.column_map.get(obj.table, {}) if mapped else None
        new_key: tuple[str, ...] = self.table_map.get(obj.table, ("\0dropped", *obj.table)) if mapped else obj.table
        if obj.is_index:
            index = node.this
            index.set("this", None)
            index.set("table", _table_node(new_key, self.target))
            _rename_columns(index.args.get("params"), cmap)
            return node.sql(self.target)
        node.set("this", None)
        inner = node.expressions[0]
        if obj.kind == "fk":
            reference = inner.args.get("reference")
            inner.set("reference", None)
            _rename_columns(inner, cmap)
            if reference is not None and obj.references is not None:
                ref_key = obj.references
                ref_map = self.column_map.get(ref_key, {}) if mapped else None
                target_key: tuple[str, ...] = (
                    self.table_map.get(ref_key, ("\0dropped", *ref_key)) if mapped else ref_key
                )
                reference = reference.copy()
                reference.this.set("this", _table_node(target_key, self.target))
                for ident in reference.this.expressions:
                    _rename_identifier(ident, ref_map)
                inner.set("reference", reference)
            return node.sql(self.target) + " " + types
        _rename_columns(inner, cmap)
        return node.sql(self.target)

    def _fk_types(self, obj: cat.DbObject, mapped: bool) -> str:
        catalog = self.old_catalog if mapped else self.new_catalog
        schema = self.old if mapped else self.new
        parts = []
        for key, names in ((obj.table, obj.columns), (obj.references, None)):
            ddl = catalog.table(key) if key else None
            if key is None or ddl is None:
                continue
            table = schema.table(key)
            if names is None:
                fk = obj.node.expressions[0]
                reference = fk.args.get("reference")
                names = tuple(i.name for i in reference.this.expressions) if reference is not None else ()
            for name in names:
                coldef = ddl.columns.get(name)
                column = table.column(name) if table else None
                if coldef is not None and column is not None:
                    parts.append(self._type_key(column, coldef, old=mapped))
        return "/".join(parts)

    # ------------------------------------------------------------ rename look-alikes

    def _look_alikes(self) -> None:
        dropped = [c.old_as(Table) for c in self.changes if c.kind == "drop_table"]
        created = [c.new_as(Table) for c in self.changes if c.kind == "create_table"]
        for new_table, old_table in _pairs(created, dropped, _table_similarity):
            self._warn_rename(
                f"table '{new_table.qualified}' is created and '{old_table.qualified}' dropped: if this is a "
                f"rename, add [renamed_from: '{old_table.name}'] to table '{new_table.name}'",
                new_table.qualified,
                new_table.name_span or new_table.span,
            )
        by_table: dict[TableKey, tuple[list[Column], list[Column], Table, Table]] = {}
        for c in self.changes:
            if c.kind in ("drop_column", "add_column"):
                assert c.old_table is not None and c.new_table is not None  # a column change is on both sides
                gone, added, _, _ = by_table.setdefault(c.new_table.key, ([], [], c.old_table, c.new_table))
                if c.kind == "drop_column":
                    gone.append(c.old_as(Column))
                else:
                    added.append(c.new_as(Column))
        for gone, added, old_table, table in by_table.values():
            old_ddl = self.old_catalog.table(old_table.key)
            new_ddl = self.new_catalog.table(table.key)

            def similar(
                new: Column,
                old: Column,
                old_ddl: cat.TableDDL | None = old_ddl,
                new_ddl: cat.TableDDL | None = new_ddl,
            ) -> float:
                old_def = old_ddl.columns.get(old.name) if old_ddl else None
                new_def = new_ddl.columns.get(new.name) if new_ddl else None
                if old_def is None or new_def is None:
                    return 0.0
                if self._type_key(old, old_def, old=True) != self._type_key(new, new_def, old=False):
                    return 0.0
                return 0.5 + 0.5 * _name_ratio(new.name, old.name)

            for new_col, old_col in _pairs(added, gone, similar):
                self._warn_rename(
                    f"column '{table.qualified}.{new_col.name}' is added and '{old_col.name}' dropped: if this is "
                    f"a rename, add [renamed_from: '{old_col.name}'] to column '{new_col.name}'",
                    f"{table.qualified}.{new_col.name}",
                    new_col.name_span or new_col.span,
                )
        for change in self.enum_changes:
            if change.kind != "recreate_enum":
                continue
            old_enum, new_enum = change.old_as(Enum), change.new_as(Enum)
            mapping = self.value_map[new_enum.key]
            removed = [v for v in old_enum.value_names if v not in mapping]
            added_values = [v for v in new_enum.value_names if v not in mapping.values()]
            if len(removed) == 1 and len(added_values) == 1:
                value = next(v for v in new_enum.values if v.name == added_values[0])
                self._warn_rename(
                    f"enum value '{added_values[0]}' is added to '{new_enum.qualified}' and '{removed[0]}' removed: "
                    f"if this is a rename, add [renamed_from: '{removed[0]}'] to value '{added_values[0]}'",
                    f"{new_enum.qualified}.{added_values[0]}",
                    value.span,
                )
        gone_enums = [c.old_as(Enum) for c in self.enum_changes if c.kind == "drop_enum"]
        new_enums = [c.new_as(Enum) for c in self.enum_changes if c.kind == "create_enum"]
        for new_enum, old_enum in _pairs(new_enums, gone_enums, _enum_similarity):
            self._warn_rename(
                f"enum '{new_enum.qualified}' is created and '{old_enum.qualified}' dropped: if this is a "
                f"rename, add [renamed_from: '{old_enum.name}'] to enum '{new_enum.name}'",
                new_enum.qualified,
                new_enum.name_span or new_enum.span,
            )

    def _warn_rename(self, message: str, subject: str, span: Span | None) -> None:
        self.warnings.append(MigrationWarning("M017", message, RULES["M017"].alternative, subject, span))


# ---------------------------------------------------------------- helpers


def _node_key(node: object) -> object:
    """A comparable form of a small expression (a data type) without generating its SQL."""
    if isinstance(node, exp.Expression):
        return (type(node).__name__, tuple((k, _node_key(v)) for k, v in sorted(node.args.items()) if v is not None))
    if isinstance(node, list):
        return tuple(_node_key(v) for v in node)
    return node


def _has(coldef: exp.ColumnDef, kind: type[exp.Expression] | UnionType) -> bool:
    return any(isinstance(c.kind, kind) for c in coldef.args.get("constraints") or [])


def identity_column(coldef: exp.ColumnDef) -> bool:
    kind = coldef.args.get("kind")
    serial = kind is not None and kind.this in (
        exp.DataType.Type.SERIAL,
        exp.DataType.Type.BIGSERIAL,
        exp.DataType.Type.SMALLSERIAL,
    )
    return serial or _has(coldef, exp.GeneratedAsIdentityColumnConstraint | exp.AutoIncrementColumnConstraint)


def _default_node(coldef: exp.ColumnDef) -> exp.Expression | None:
    for c in coldef.args.get("constraints") or []:
        if isinstance(c.kind, exp.DefaultColumnConstraint):
            return c.kind.this
    return None


def _default_sql(coldef: exp.ColumnDef, target: str) -> str | None:
    node = _default_node(coldef)
    if node is None or isinstance(node, exp.Null):
        return None
    return node.sql(target)


def _table_node(key: tuple[str, ...], target: str) -> exp.Table:
    """The table of a key; a key that is not a (schema, name) pair (a dropped table's) as one name
    no real table has."""
    return table_ref(key[0], key[1], target) if len(key) == 2 else exp.Table(this=exp.to_identifier("\0".join(key)))


def _rename_identifier(ident: exp.Identifier, mapping: dict[str, str] | None) -> None:
    if mapping is not None:
        ident.set("this", mapping.get(ident.name, "\0" + ident.name))


def _rename_columns(node: exp.Expression | None, mapping: dict[str, str] | None) -> None:
    """Map the column names inside a constraint or index definition (identifiers that qualify a
    column with a table are left alone)."""
    if node is None or mapping is None:
        return
    for ident in list(node.find_all(exp.Identifier)):
        parent = ident.parent
        if isinstance(parent, exp.Column) and parent.this is not ident:
            continue
        _rename_identifier(ident, mapping)


def _name_ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()


def _table_similarity(new: Table, old: Table) -> float:
    new_cols = {c.name for c in new.columns}
    old_cols = {c.name for c in old.columns}
    union = new_cols | old_cols
    overlap = len(new_cols & old_cols) / len(union) if union else 0.0
    return overlap if overlap >= 0.6 else 0.0


def _enum_similarity(new: Enum, old: Enum) -> float:
    a, b = set(new.value_names), set(old.value_names)
    overlap = len(a & b) / len(a | b) if a | b else 0.0
    return overlap if overlap >= 0.5 else 0.0


def _pairs(added: list[A], gone: list[G], score: Callable[[A, G], float]) -> list[tuple[A, G]]:
    """Greedy best pairs (added, gone) with a positive score; each element is used once."""
    scored = sorted(
        ((score(a, g), i, j) for i, a in enumerate(added) for j, g in enumerate(gone)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_a: set[int] = set()
    used_g: set[int] = set()
    out: list[tuple[A, G]] = []
    for s, i, j in scored:
        if s <= 0 or i in used_a or j in used_g:
            continue
        used_a.add(i)
        used_g.add(j)
        out.append((added[i], gone[j]))
    return out
