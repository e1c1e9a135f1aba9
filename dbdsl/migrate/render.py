"""The SQL of each planned step, as sqlglot expressions, and the text of a migration file.

Whole objects come from the SQL generator through the catalog (CREATE TABLE, column definitions,
constraints, CREATE INDEX, CREATE TYPE), so a migration creates exactly what `dbdsl sql` would. The
ALTER statements around them are built here as sqlglot expressions. A few PostgreSQL statements have
no sqlglot node (ALTER TYPE ... ADD/RENAME VALUE, RENAME CONSTRAINT, VALIDATE CONSTRAINT, identity
changes, ADD CONSTRAINT ... USING INDEX, SET SCHEMA): they are `exp.Command`s whose variable parts,
names and values, are still rendered and quoted by sqlglot.

SQLite cannot alter most of a table in place; a `rebuild_table` step follows its documented procedure
(https://www.sqlite.org/lang_altertable.html#otheralter): with foreign keys off, create the new table
under a temporary name, copy the rows, drop the old table, rename the new one, recreate its indexes,
then check the foreign keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.errors import ErrorLevel

from ..dialects import sqlglot_dialect
from ..emit.sql import comments, sequence_past_rows
from ..emit.sql_names import fit, ident, physical, table_ref
from ..model.schema import Column, Enum, Table
from . import catalog as cat
from .diff import Change, Diff, TableKey, identity_column
from .kinds import ChangeKind
from .kinds import ChangeKind as K
from .lossy import change_reason, column_types, sqlite_changed
from .plan import Plan, Step

STRING_TYPES = {
    exp.DataType.Type.TEXT,
    exp.DataType.Type.VARCHAR,
    exp.DataType.Type.CHAR,
    exp.DataType.Type.NCHAR,
    exp.DataType.Type.NVARCHAR,
    exp.DataType.Type.BPCHAR,
}
VOLATILE_FUNCTIONS = {"random", "gen_random_uuid", "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval"}
REBUILD_PREFIX = "_dbdsl_new_"
REBUILD_OLD_PREFIX = "_dbdsl_old_"
CHECK_TABLE = "_dbdsl_check"  # the temporary table whose CHECK stops a lossy type change


@dataclass
class Statement:
    """One SQL statement of a migration.

    `transaction` False: it cannot run in a transaction block (CREATE INDEX CONCURRENTLY...).
    `new_transaction`: it must not share a transaction with what comes before it (VALIDATE after
    NOT VALID, so that the first lock is released). `comments` are written as `--` lines above it.
    """

    node: exp.Expression
    transaction: bool = True
    new_transaction: bool = False
    comments: tuple[str, ...] = ()

    def sql(self, dialect: str) -> str:
        return sql_text(self.node, dialect)


# what a step is written as: statements, or bare expressions that are statements with the defaults
Rendered = list[exp.Expression | Statement]


def sql_text(node: exp.Expression, dialect: str) -> str:
    """The SQL of one statement: CREATE TABLE and INSERT laid out on several lines, the rest on one.

    (sqlglot flags `ALTER COLUMN ... SET NOT NULL` as unsupported while writing it correctly, hence the
    ignore level; every statement is executed on the real engines by the tests.)
    """
    pretty = isinstance(node, exp.Insert) or (isinstance(node, exp.Create) and node.kind == "TABLE")
    return node.sql(
        dialect=sqlglot_dialect(dialect), pretty=pretty, comments=False, unsupported_level=ErrorLevel.IGNORE
    )


def command(*parts: str | exp.Expression, dialect: str) -> exp.Command:
    """A statement sqlglot has no node for: keywords given as text, names and values as expressions."""
    target = sqlglot_dialect(dialect)
    words = [p if isinstance(p, str) else p.sql(target) for p in parts]
    return exp.Command(this=words[0], expression=" " + " ".join(words[1:]))


# ---------------------------------------------------------------- the renderer


def render(plan: Plan) -> None:
    """Fill `statements` of every step of `plan`."""
    renderer = _Renderer(plan)
    for step in plan.steps:
        step.statements = renderer.step(step)


class _Renderer:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.diff: Diff = plan.diff
        self.dialect = plan.dialect
        self.target = sqlglot_dialect(plan.dialect)
        self.old_catalog = self.diff.old_catalog
        self.new_catalog = self.diff.new_catalog
        self.used_enum_values = self._enum_values_used()

    # ---- names

    def table(self, table: Table | TableKey) -> exp.Table:
        key = table.key if isinstance(table, Table) else table
        return table_ref(key[0], key[1], self.target)

    def enum_name(self, enum: Enum, name: str | None = None) -> exp.Table:
        return table_ref(enum.schema, name or enum.name, self.target)

    def index_name(self, table: Table, name: str) -> exp.Table:
        """An index lives in its table's schema."""
        db = physical(table.schema, table.name, self.target)[0]
        return exp.Table(this=ident(name), db=ident(db) if db else None)

    def alter(self, table: Table | TableKey, *actions: exp.Expression, not_valid: bool = False) -> exp.Alter:
        return exp.Alter(this=self.table(table), kind="TABLE", actions=list(actions), not_valid=not_valid)

    # ---- dispatch

    def step(self, step: Step) -> list[Statement]:
        out = HANDLERS[step.kind](self, step)
        return [s if isinstance(s, Statement) else Statement(s) for s in out]

    # ---- schemas and enums (PostgreSQL)

    def _create_schema(self, step: Step) -> Rendered:
        return [exp.Create(kind="SCHEMA", this=exp.Table(this=ident(step.own_change.detail_text(0))), exists=True)]

    def _create_enum(self, step: Step) -> Rendered:
        node = self.new_catalog.enums.get(step.own_change.new_as(Enum).key)
        return [node.copy()] if node is not None else []

    def _drop_enum(self, step: Step) -> Rendered:
        return [exp.Drop(tables=[self.enum_name(step.own_change.old_as(Enum))], kind="TYPE")]

    def _rename_enum(self, step: Step) -> Rendered:
        c = step.own_change
        old, new = c.old_as(Enum), c.new_as(Enum)
        return [command("ALTER", "TYPE", self.enum_name(old), "RENAME TO", ident(new.name), dialect=self.dialect)]

    def _add_enum_value(self, step: Step) -> Rendered:
        c = step.own_change
        enum = c.new_as(Enum)
        value, where, neighbour = c.detail_text(0), c.detail_text(1), c.detail[2]
        parts: list[str | exp.Expression] = [
            "ALTER",
            "TYPE",
            self.enum_name(enum),
            "ADD VALUE",
            exp.Literal.string(value),
        ]
        if neighbour is not None:
            parts += [where.upper(), exp.Literal.string(neighbour)]
        node = command(*parts, dialect=self.dialect)
        outside = step.form == "safe" or (enum.key, value) in self.used_enum_values
        return [Statement(node, transaction=not outside)]

    def _rename_enum_value(self, step: Step) -> Rendered:
        c = step.own_change
        enum = c.new_as(Enum)
        old_value, new_value = c.detail
        return [
            command(
                "ALTER",
                "TYPE",
                self.enum_name(enum),
                "RENAME VALUE",
                exp.Literal.string(old_value),
                "TO",
                exp.Literal.string(new_value),
                dialect=self.dialect,
            )
        ]

    def _recreate_enum(self, step: Step) -> Rendered:
        """Enum values cannot be dropped or reordered in place: rename the type away, create the new
        one, convert every column through text, drop the old type. Indexes and checks whose expression
        compares such a column with a value are dropped before and made again after (their values would
        keep the old type)."""
        c = step.own_change
        old_enum, enum = c.old_as(Enum), c.new_as(Enum)
        temporary = f"{enum.name}__dbdsl_old"
        columns = self._columns_of_enum(old_enum)
        dependents = self._expression_objects({(t.key, column.name) for _, _, t, column in columns})
        out: Rendered = [
            command("ALTER", "TYPE", self.enum_name(enum), "RENAME TO", ident(temporary), dialect=self.dialect),
            self.new_catalog.enums[enum.key].copy(),
        ]
        for table, obj in dependents:
            if obj.is_index:
                out.append(exp.Drop(tables=[self.index_name(table, obj.name)], kind="INDEX"))
            else:
                out.append(self.alter(table, exp.Drop(kind="CONSTRAINT", tables=[exp.Table(this=ident(obj.name))])))
        enum_type = exp.DataType(this=exp.DataType.Type.USERDEFINED, kind=self.enum_name(enum))
        for old_table, column, new_table, new_column in columns:
            col = ident(new_column.name)
            if _default(self.old_catalog.column(old_table.key, column.name)) is not None:
                out.append(self.alter(new_table, exp.AlterColumn(this=col.copy(), drop=True)))
            using = exp.Cast(
                this=exp.Cast(this=exp.Column(this=col.copy()), to=exp.DataType.build("TEXT")), to=enum_type.copy()
            )
            out.append(self.alter(new_table, exp.AlterColumn(this=col.copy(), dtype=enum_type.copy(), using=using)))
            new_def = self.new_catalog.column(new_table.key, new_column.name)
            new_default = _default(new_def) if new_def is not None else None
            if new_default is not None and not self._type_changes(new_table, new_column):
                out.append(self.alter(new_table, exp.AlterColumn(this=col.copy(), default=new_default.copy())))
        for table, obj in dependents:
            if obj.is_index:
                out.append(obj.node.copy())
            else:
                out.append(self.alter(table, exp.AddConstraint(expressions=[obj.node.copy()])))
        out.append(exp.Drop(tables=[self.enum_name(enum, temporary)], kind="TYPE"))
        return out

    def _expression_objects(self, columns: set[tuple[TableKey, str]]) -> list[tuple[Table, cat.DbObject]]:
        """Checks, and indexes with a predicate or an expression, that use one of `columns` and stay
        through this migration (ones added or dropped have steps of their own)."""
        changed = {
            (c.on_table.key, c.element.name)
            for c in self.diff.changes
            if isinstance(c.element, cat.DbObject) and c.kind != "rename_object"
        }
        out = []
        for key in {k for k, _ in columns}:
            ddl = self.new_catalog.table(key)
            if ddl is None:
                continue
            for obj in ddl.objects:
                if (key, obj.name) in changed or not any((key, c) in columns for c in obj.columns):
                    continue
                if obj.kind in ("check", "enum_check") or (obj.is_index and _has_expression(obj.node)):
                    out.append((ddl.table, obj))
        return out

    def _columns_of_enum(self, old_enum: Enum) -> list[tuple[Table, Column, Table, Column]]:
        """Columns that have the enum's type once renames and drops have run: (old table, old column,
        new table, new column)."""
        out = []
        for old_table in self.diff.old.tables:
            new_key = self.diff.table_map.get(old_table.key)
            new_table = self.diff.new.table(new_key) if new_key is not None else None
            if new_table is None:
                continue
            cmap = self.diff.column_maps.get(old_table.key, {})
            for column in old_table.columns:
                if column.enum is None or column.name not in cmap:
                    continue
                if _qualified_key(column.enum) != old_enum.key:
                    continue
                new_column = new_table.column(cmap[column.name])
                if new_column is not None:
                    out.append((old_table, column, new_table, new_column))
        return out

    def _type_changes(self, table: Table, column: Column) -> bool:
        return any(
            s.kind == "alter_type"
            and s.own_change.on_table.key == table.key
            and s.own_change.new_as(Column).name == column.name
            for s in self.plan.steps
        )

    def _enum_values_used(self) -> set[tuple[TableKey, str]]:
        """Enum values added by this migration that a later statement of it uses (a default, or any
        change to a column of that enum): PostgreSQL needs them committed first."""
        added = {
            (c.new_as(Enum).key, c.detail_text(0))
            for s in self.plan.steps
            for c in s.all_changes
            if c.kind == "add_enum_value"
        }
        if not added:
            return set()
        touched_enums: set[TableKey] = set()
        for s in self.plan.steps:
            for c in s.all_changes:
                column = c.new if isinstance(c.new, Column) else None
                if column is not None and column.enum is not None:
                    touched_enums.add(_qualified_key(column.enum))
                if c.kind == "create_table":
                    touched_enums.update(_qualified_key(col.enum) for col in c.new_as(Table).columns if col.enum)
        return {(key, value) for key, value in added if key in touched_enums}

    # ---- tables

    def _create_table(self, step: Step) -> Rendered:
        ddl = self.new_catalog.table(step.own_change.new_as(Table).key)
        if ddl is None:
            return []
        if self.target == "sqlite":
            return [ddl.create.copy()]
        return [ddl.create_without_foreign_keys(), *(p.copy() for p in ddl.partitions)]

    def _drop_table(self, step: Step) -> Rendered:
        return [exp.Drop(tables=[self.table(step.own_change.old_as(Table))], kind="TABLE")]

    def _rename_table(self, step: Step) -> Rendered:
        c = step.own_change
        old, new = c.old_as(Table), c.new_as(Table)
        out: Rendered = []
        current = old.key
        if self.target != "sqlite" and old.schema != new.schema:
            out.append(
                command("ALTER", "TABLE", self.table(old), "SET SCHEMA", ident(new.schema), dialect=self.dialect)
            )
            current = (new.schema, old.name)
        if current != new.key:
            bare = physical(new.schema, new.name, self.target)[1]
            out.append(self.alter(current, exp.AlterRename(this=exp.Table(this=ident(bare)))))
        return out

    def _rename_column(self, step: Step) -> Rendered:
        c = step.own_change
        old, new = c.old_as(Column), c.new_as(Column)
        action = exp.RenameColumn(this=exp.Column(this=ident(old.name)), to=exp.Column(this=ident(new.name)))
        return [self.alter(c.on_new_table, action)]

    def _rename_object(self, step: Step) -> Rendered:
        c = step.own_change
        old, new, table = c.old_as(cat.DbObject), c.new_as(cat.DbObject), c.on_new_table
        if old.is_index:
            if self.target == "sqlite":
                return [exp.Drop(tables=[self.index_name(table, old.name)], kind="INDEX"), new.node.copy()]
            return [
                exp.Alter(
                    this=self.index_name(table, old.name),
                    kind="INDEX",
                    actions=[exp.AlterRename(this=exp.Table(this=ident(new.name)))],
                )
            ]
        return [
            command(
                "ALTER",
                "TABLE",
                self.table(table),
                "RENAME CONSTRAINT",
                ident(old.name),
                "TO",
                ident(new.name),
                dialect=self.dialect,
            )
        ]

    def _table_comment(self, step: Step) -> Rendered:
        table = step.own_change.on_new_table
        return [exp.Comment(this=self.table(table), kind="TABLE", expression=_note(table.note))]

    def _column_comment(self, step: Step) -> Rendered:
        c = step.own_change
        table, column = c.on_new_table, c.new_as(Column)
        db, bare = physical(table.schema, table.name, self.target)
        target = exp.Column(this=ident(column.name), table=ident(bare), db=ident(db) if db else None)
        return [exp.Comment(this=target, kind="COLUMN", expression=_note(column.note))]

    def _enum_comment(self, step: Step) -> Rendered:
        enum = step.own_change.new_as(Enum)
        return [exp.Comment(this=self.enum_name(enum), kind="TYPE", expression=_note(enum.note))]

    # ---- columns

    def _add_column(self, step: Step) -> Rendered:
        c = step.own_change
        table, column = c.on_new_table, c.new_as(Column)
        coldef = self.new_catalog.known_column(table.key, column.name).copy()
        if step.form != "safe":
            return [self.alter(table, coldef)]
        default = _default(coldef)
        not_null = _has(coldef, exp.NotNullColumnConstraint)
        col = ident(column.name)
        if default is not None and volatile(default):
            _remove(coldef, exp.DefaultColumnConstraint)
            _remove(coldef, exp.NotNullColumnConstraint)
            out: Rendered = [
                self.alter(table, coldef),
                Statement(
                    self.alter(table, exp.AlterColumn(this=col.copy(), default=default.copy())),
                    comments=("the volatile default applies to new rows; existing rows are backfilled below",),
                ),
                Statement(
                    _update(
                        self.table(table), col.copy(), default.copy(), where=exp.column(col.copy()).is_(exp.null())
                    ),
                    comments=("backfill (run it in batches on a large table)",),
                ),
            ]
            if not_null:
                out.extend(self._safe_not_null(table, column.name))
            return out
        if not_null and default is None:
            _remove(coldef, exp.NotNullColumnConstraint)
            table_sql = sql_text(self.table(table), self.dialect)
            name_sql = sql_text(col, self.dialect)
            return [
                Statement(
                    self.alter(table, coldef),
                    comments=(
                        f"added nullable first: backfill it before the NOT NULL below, e.g. "
                        f"UPDATE {table_sql} SET {name_sql} = ... WHERE {name_sql} IS NULL;",
                    ),
                ),
                *self._safe_not_null(table, column.name),
            ]
        return [self.alter(table, coldef)]

    def _drop_column(self, step: Step) -> Rendered:
        c = step.own_change
        return [
            self.alter(c.on_new_table, exp.Drop(kind="COLUMN", tables=[exp.Table(this=ident(c.old_as(Column).name))]))
        ]

    def _alter_type(self, step: Step) -> Rendered:
        c = step.own_change
        if step.form == "safe":
            return self._guards([c]) + (self._swap_type(step) or self._alter_type_in_place(step))
        return self._alter_type_in_place(step)

    def _guards(self, changes: Iterable[Change]) -> Rendered:
        """For each lossy type change among `changes`, statements that stop the migration when a value
        does not come back unchanged from the new type: a temporary table whose CHECK fails on the count
        of such rows (plain SQL, the same on every engine; the constraint's name says which column)."""
        out: Rendered = []
        for c in changes:
            if change_reason(self.diff, c) is None:
                continue
            old, new = column_types(self.diff, c)
            if old is None or new is None:  # a change is lossy only between two known types
                continue
            table, column = c.on_new_table, c.new_as(Column)
            col = exp.column(ident(column.name))
            if self.dialect == "sqlite":
                differs = sqlite_changed(col.copy(), new)
            else:
                # a value converts exactly when it comes back unchanged from the new type
                converted = _conversion(col.copy(), old, new) or exp.Cast(this=col.copy(), to=new.copy())
                back = _conversion(converted.copy(), new, old) or exp.Cast(this=converted, to=old.copy())
                differs = exp.NullSafeNEQ(this=back, expression=col.copy())
            changed = exp.and_(exp.Not(this=exp.Is(this=col.copy(), expression=exp.Null())), differs)
            holder = exp.Table(this=ident(CHECK_TABLE))
            rows = ident("changed_rows")
            check = exp.Constraint(
                this=ident(_fit(f"{table.name}_{column.name}_converts_exactly")),
                expressions=[
                    exp.CheckColumnConstraint(
                        this=exp.EQ(this=exp.column(rows.copy()), expression=exp.Literal.number(0))
                    )
                ],
            )
            create = exp.Create(
                kind="TABLE",
                this=exp.Schema(
                    this=holder.copy(),
                    expressions=[exp.ColumnDef(this=rows.copy(), kind=exp.DataType.build("INT")), check],
                ),
                properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
            )
            count = exp.select(exp.Count(this=exp.Star())).from_(self.table(table)).where(changed)
            out.append(
                Statement(
                    create,
                    comments=(
                        f"{c.subject}: every value must convert exactly to {column.type.text}, "
                        "or the next statement fails and nothing changes",
                    ),
                )
            )
            out.append(exp.insert(count, holder.copy()))
            out.append(exp.Drop(tables=[holder.copy()], kind="TABLE"))
        return out

    def _swap_type(self, step: Step) -> Rendered:
        """Expand and contract: a new column of the new type, backfilled, swapped for the old one (its
        default and NOT NULL set after). Empty when the column has something depending on it (a key, an
        index, a constraint, a comment, a reference): then the type is changed in place, after the check."""
        c = step.own_change
        old_table, old, table, new = c.on_old_table, c.old_as(Column), c.on_new_table, c.new_as(Column)
        for catalog, key, name in (
            (self.old_catalog, old_table.key, old.name),
            (self.new_catalog, table.key, new.name),
        ):
            ddl = catalog.table(key)
            if ddl is None or any(name in obj.columns for obj in ddl.objects) or ddl.partitioning(catalog.dialect):
                return []
            for other in catalog.tables.values():
                if any(obj.kind == "fk" and obj.references == key for obj in other.constraints()):
                    return []
        if old.note or new.note or old.increment or new.increment:
            return []
        new_def = self.new_catalog.column(table.key, new.name)
        old_def = self.old_catalog.column(old_table.key, old.name)
        if new_def is None or old_def is None:
            return []
        temporary = ident(_fit(REBUILD_PREFIX + new.name))
        col = ident(new.name)
        old_type, new_type = column_types(self.diff, c)
        if new_type is None:  # no type to swap to
            return []
        converted = _conversion(exp.column(col.copy()), old_type, new_type) or exp.column(col.copy())
        out: Rendered = [
            self.alter(table, exp.ColumnDef(this=temporary.copy(), kind=new_type.copy())),
            _update(self.table(table), temporary.copy(), converted),
            self.alter(table, exp.Drop(kind="COLUMN", tables=[exp.Table(this=col.copy())])),
            self.alter(table, exp.RenameColumn(this=exp.column(temporary.copy()), to=exp.column(col.copy()))),
        ]
        default = _default(new_def)
        if default is not None:
            out.append(self.alter(table, exp.AlterColumn(this=col.copy(), default=default.copy())))
        if _has(new_def, exp.NotNullColumnConstraint):
            out.append(self.alter(table, exp.AlterColumn(this=col.copy(), allow_null=False)))
        return out

    def _alter_type_in_place(self, step: Step) -> Rendered:
        c = step.own_change
        table, column = c.on_new_table, c.new_as(Column)
        col = ident(column.name)
        new_def = self.new_catalog.known_column(table.key, column.name)
        old_def = self.old_catalog.column(c.on_old_table.key, c.old_as(Column).name)
        datatype: exp.DataType = new_def.args["kind"].copy()
        out: Rendered = []
        if old_def is not None and _default(old_def) is not None:
            out.append(self.alter(table, exp.AlterColumn(this=col.copy(), drop=True)))
        old_type = old_def.args.get("kind") if old_def is not None else None
        using = _conversion(exp.Column(this=col.copy()), old_type, datatype)
        out.append(self.alter(table, exp.AlterColumn(this=col.copy(), dtype=datatype.copy(), using=using)))
        new_default = _default(new_def)
        if new_default is not None:
            out.append(self.alter(table, exp.AlterColumn(this=col.copy(), default=new_default.copy())))
        return out

    def _set_not_null(self, step: Step) -> Rendered:
        c = step.own_change
        table, column = c.on_new_table, c.new_as(Column)
        if step.form == "safe":
            return self._safe_not_null(table, column.name)
        return [self.alter(table, exp.AlterColumn(this=ident(column.name), allow_null=False))]

    def _safe_not_null(self, table: Table, column: str) -> Rendered:
        """CHECK (col IS NOT NULL) NOT VALID, VALIDATE (separately), SET NOT NULL using it, drop it."""
        name = ident(_fit(f"{table.name}_{column}_not_null"))
        check = exp.Constraint(
            this=name.copy(),
            expressions=[exp.CheckColumnConstraint(this=exp.column(ident(column)).is_(exp.null()).not_())],
        )
        return [
            self.alter(table, exp.AddConstraint(expressions=[check]), not_valid=True),
            Statement(
                command("ALTER", "TABLE", self.table(table), "VALIDATE CONSTRAINT", name, dialect=self.dialect),
                new_transaction=True,
            ),
            self.alter(table, exp.AlterColumn(this=ident(column), allow_null=False)),
            self.alter(table, exp.Drop(kind="CONSTRAINT", tables=[exp.Table(this=name.copy())])),
        ]

    def _drop_not_null(self, step: Step) -> Rendered:
        c = step.own_change
        action = exp.AlterColumn(this=ident(c.new_as(Column).name), drop=True, allow_null=True)
        return [self.alter(c.on_new_table, action)]

    def _set_default(self, step: Step) -> Rendered:
        c = step.own_change
        table, column = c.on_new_table, c.new_as(Column)
        default = _default(self.new_catalog.known_column(table.key, column.name))
        if default is None:  # the diff sets a default only when the new column has one
            raise ValueError(f"{c.subject}: no default to set")
        return [self.alter(table, exp.AlterColumn(this=ident(column.name), default=default.copy()))]

    def _drop_default(self, step: Step) -> Rendered:
        c = step.own_change
        return [self.alter(c.on_new_table, exp.AlterColumn(this=ident(c.new_as(Column).name), drop=True))]

    def _add_identity(self, step: Step) -> Rendered:
        return [self._identity(step, "ADD GENERATED BY DEFAULT AS IDENTITY")]

    def _drop_identity(self, step: Step) -> Rendered:
        return [self._identity(step, "DROP IDENTITY")]

    def _identity(self, step: Step, action: str) -> exp.Expression:
        c = step.own_change
        table, column = c.on_new_table, c.new_as(Column)
        return command(
            "ALTER", "TABLE", self.table(table), "ALTER COLUMN", ident(column.name), action, dialect=self.dialect
        )

    # ---- constraints and indexes

    def _add_constraint(self, step: Step) -> Rendered:
        c = step.own_change
        obj, table = c.new_as(cat.DbObject), c.on_new_table
        node = obj.node.copy()
        if step.form == "safe" and obj.kind in ("check", "enum_check", "fk"):
            return [
                self.alter(table, exp.AddConstraint(expressions=[node]), not_valid=True),
                Statement(
                    command(
                        "ALTER",
                        "TABLE",
                        self.table(table),
                        "VALIDATE CONSTRAINT",
                        ident(obj.name),
                        dialect=self.dialect,
                    ),
                    new_transaction=True,
                ),
            ]
        if step.form == "safe" and obj.kind in ("pk", "unique"):
            index = exp.Create(
                kind="INDEX",
                unique=True,
                concurrently=True,
                this=exp.Index(
                    this=ident(obj.name),
                    table=self.table(table),
                    params=exp.IndexParameters(columns=[exp.Ordered(this=exp.column(ident(n))) for n in obj.columns]),
                ),
            )
            word = "PRIMARY KEY" if obj.kind == "pk" else "UNIQUE"
            attach = command(
                "ALTER",
                "TABLE",
                self.table(table),
                "ADD CONSTRAINT",
                ident(obj.name),
                word,
                "USING INDEX",
                ident(obj.name),
                dialect=self.dialect,
            )
            return [Statement(index, transaction=False), Statement(attach, new_transaction=True)]
        return [self.alter(table, exp.AddConstraint(expressions=[node]))]

    def _drop_constraint(self, step: Step) -> Rendered:
        c = step.own_change
        table = c.on_old_table  # constraints go before any rename runs
        return [self.alter(table, _drop_constraint(c.old_as(cat.DbObject).name))]

    def _create_index(self, step: Step) -> Rendered:
        node = step.own_change.new_as(cat.DbObject).node.copy()
        if step.form == "safe":
            node.set("concurrently", True)
            return [Statement(node, transaction=False)]
        return [node]

    def _drop_index(self, step: Step) -> Rendered:
        c = step.own_change
        node = exp.Drop(tables=[self.index_name(c.on_old_table, c.old_as(cat.DbObject).name)], kind="INDEX")
        if step.form == "safe":
            node.set("concurrently", True)
            return [Statement(node, transaction=False)]
        return [node]

    # ---- SQLite

    def _rebuild_table(self, step: Step) -> Rendered:
        if self.target == "postgres":
            return self._rebuild_postgres(step)
        new_table: Table
        old_table: Table
        new_table, old_table = step.detail
        ddl = self.new_catalog.known_table(new_table.key)
        guards = self._guards(step.changes) if self.plan.safe else []
        temporary = REBUILD_PREFIX + physical(new_table.schema, new_table.name, self.target)[1]
        create = ddl.create.copy()
        create.this.set("this", exp.Table(this=ident(temporary)))
        cmap = self.diff.column_maps.get(old_table.key, {})
        dropped = {c.old_as(Column).name for c in step.changes if c.kind == "drop_column"}
        copied = [new for old, new in cmap.items() if old not in dropped]
        select = exp.select(*[self._copied_value(new_table, n) for n in copied]).from_(self.table(new_table))
        out: Rendered = [
            *guards,
            create,
            exp.insert(select, exp.Table(this=ident(temporary)), columns=[ident(n) for n in copied]),
            exp.Drop(tables=[self.table(new_table)], kind="TABLE"),
            exp.Alter(
                this=exp.Table(this=ident(temporary)),
                kind="TABLE",
                actions=[
                    exp.AlterRename(this=exp.Table(this=ident(physical(new_table.schema, new_table.name, "sqlite")[1])))
                ],
            ),
        ]
        out.extend(obj.node.copy() for obj in ddl.indexes())
        return out

    def _rebuild_postgres(self, step: Step) -> Rendered:
        """A table whose partitioning changes, made again: the foreign keys that reference it are
        dropped, it is set aside under a temporary name without its keys and indexes (their names
        are taken again), created as the new schema has it with its partitions, its rows copied, the
        old one dropped; then its identity sequences, indexes, comments and the foreign keys that
        reference it are put back."""
        new_table: Table
        old_table: Table
        new_table, old_table = step.detail
        old_ddl = self.old_catalog.known_table(old_table.key)
        ddl = self.new_catalog.known_table(new_table.key)
        renamed = {id(c.old): c.new_as(cat.DbObject).name for c in self.diff.changes if c.kind == "rename_object"}
        gone = {id(c.old) for c in self.diff.changes if c.kind == "drop_foreign_key"}
        added = {id(c.new) for c in self.diff.changes if c.kind == "add_foreign_key"}
        db, bare = physical(new_table.schema, new_table.name, self.target)
        aside = exp.Table(this=ident(fit(REBUILD_OLD_PREFIX + bare)), db=ident(db) if db else None)
        out: Rendered = self._guards(step.changes) if self.plan.safe else []
        for other in self.old_catalog.tables.values():
            for obj in other.constraints():
                referencing = obj.kind == "fk" and obj.references == old_table.key and other.key != old_table.key
                if referencing and id(obj) not in gone:
                    current = self.diff.table_map.get(other.key, other.key)
                    out.append(self.alter(current, _drop_constraint(renamed.get(id(obj), obj.name))))
        out.append(self.alter(new_table, exp.AlterRename(this=exp.Table(this=aside.this.copy()))))
        for obj in old_ddl.indexes():
            out.append(exp.Drop(tables=[self.index_name(new_table, obj.name)], kind="INDEX"))
        for obj in old_ddl.constraints():
            if obj.kind in ("pk", "unique"):
                out.append(exp.Alter(this=aside.copy(), kind="TABLE", actions=[_drop_constraint(obj.name)]))
        out.append(ddl.create.copy())
        out.extend(p.copy() for p in ddl.partitions)
        cmap = self.diff.column_maps.get(old_table.key, {})
        dropped = {c.old_as(Column).name for c in step.changes if c.kind == "drop_column"}
        copied = [new for old, new in cmap.items() if old not in dropped and new in ddl.columns]
        select = exp.select(*[exp.column(ident(n)) for n in copied]).from_(aside.copy())
        out.append(exp.insert(select, self.table(new_table), columns=[ident(n) for n in copied]))
        for name, coldef in ddl.columns.items():
            if name in copied and identity_column(coldef):
                out.append(sequence_past_rows(new_table, name))
        out.append(exp.Drop(tables=[aside.copy()], kind="TABLE"))
        out.extend(obj.node.copy() for obj in ddl.indexes())
        out.extend(comments(new_table, self.dialect))
        for other in self.new_catalog.tables.values():
            for obj in other.constraints():
                if obj.kind == "fk" and obj.references == new_table.key and other.key != new_table.key:
                    created = other.key not in self.diff.table_map.values()
                    if id(obj) not in added and not created:
                        out.append(self.alter(other.key, exp.AddConstraint(expressions=[obj.node.copy()])))
        return out

    def _copied_value(self, table: Table, name: str) -> exp.Expression:
        """A column as the rebuild copies it: an enum value renamed by this migration is translated
        (SQLite keeps enum values as text under a CHECK)."""
        column = exp.column(ident(name))
        model = table.column(name)
        if model is None or model.enum is None:
            return column
        renamed = self.diff.renames.enum_values.get(_qualified_key(model.enum), {})
        if not renamed:
            return column
        case = exp.Case(this=column.copy())
        for new, old in renamed.items():
            case = case.when(exp.Literal.string(old), exp.Literal.string(new))
        return exp.Alias(this=case.else_(column), alias=ident(name))


# ---------------------------------------------------------------- helpers


_Handler = Callable[[_Renderer, Step], Rendered]

# how each kind of step is written (a table change in partitioning is always part of a rebuild step)
HANDLERS: dict[ChangeKind, _Handler] = {
    K.CREATE_SCHEMA: _Renderer._create_schema,
    K.CREATE_ENUM: _Renderer._create_enum,
    K.DROP_ENUM: _Renderer._drop_enum,
    K.RENAME_ENUM: _Renderer._rename_enum,
    K.ADD_ENUM_VALUE: _Renderer._add_enum_value,
    K.RENAME_ENUM_VALUE: _Renderer._rename_enum_value,
    K.RECREATE_ENUM: _Renderer._recreate_enum,
    K.ENUM_COMMENT: _Renderer._enum_comment,
    K.CREATE_TABLE: _Renderer._create_table,
    K.DROP_TABLE: _Renderer._drop_table,
    K.RENAME_TABLE: _Renderer._rename_table,
    K.TABLE_COMMENT: _Renderer._table_comment,
    K.ADD_COLUMN: _Renderer._add_column,
    K.DROP_COLUMN: _Renderer._drop_column,
    K.RENAME_COLUMN: _Renderer._rename_column,
    K.ALTER_TYPE: _Renderer._alter_type,
    K.SET_NOT_NULL: _Renderer._set_not_null,
    K.DROP_NOT_NULL: _Renderer._drop_not_null,
    K.SET_DEFAULT: _Renderer._set_default,
    K.DROP_DEFAULT: _Renderer._drop_default,
    K.ADD_IDENTITY: _Renderer._add_identity,
    K.DROP_IDENTITY: _Renderer._drop_identity,
    K.COLUMN_COMMENT: _Renderer._column_comment,
    K.ADD_PRIMARY_KEY: _Renderer._add_constraint,
    K.ADD_UNIQUE: _Renderer._add_constraint,
    K.ADD_CHECK: _Renderer._add_constraint,
    K.ADD_FOREIGN_KEY: _Renderer._add_constraint,
    K.DROP_PRIMARY_KEY: _Renderer._drop_constraint,
    K.DROP_UNIQUE: _Renderer._drop_constraint,
    K.DROP_CHECK: _Renderer._drop_constraint,
    K.DROP_FOREIGN_KEY: _Renderer._drop_constraint,
    K.CREATE_INDEX: _Renderer._create_index,
    K.DROP_INDEX: _Renderer._drop_index,
    K.RENAME_OBJECT: _Renderer._rename_object,
    K.REBUILD_TABLE: _Renderer._rebuild_table,
}


def _update(
    table: exp.Table, column: exp.Identifier, value: exp.Expression, where: exp.Expression | None = None
) -> exp.Update:
    """`UPDATE table SET column = value [WHERE where]`, the name quoted as the identifier says (sqlglot's
    `exp.update` reads a name given as text as SQL: `PublicToken` would become `publictoken`)."""
    update = exp.Update(this=table, expressions=[exp.EQ(this=column, expression=value)])
    if where is not None:
        update.set("where", exp.Where(this=where))
    return update


def _drop_constraint(name: str) -> exp.Drop:
    """The `DROP CONSTRAINT name` action of an ALTER TABLE."""
    return exp.Drop(kind="CONSTRAINT", tables=[exp.Table(this=ident(name))])


TYPE_FAMILIES = {
    "number": {
        exp.DataType.Type.SMALLINT,
        exp.DataType.Type.INT,
        exp.DataType.Type.BIGINT,
        exp.DataType.Type.DECIMAL,
        exp.DataType.Type.FLOAT,
        exp.DataType.Type.DOUBLE,
        exp.DataType.Type.MONEY,
    },
    "time": {
        exp.DataType.Type.DATE,
        exp.DataType.Type.TIMESTAMP,
        exp.DataType.Type.TIMESTAMPTZ,
        exp.DataType.Type.TIME,
        exp.DataType.Type.TIMETZ,
        exp.DataType.Type.DATETIME,
    },
    "text": STRING_TYPES,
}


def _family(datatype: exp.DataType | None) -> str | None:
    if datatype is None:
        return None
    return next((name for name, members in TYPE_FAMILIES.items() if datatype.this in members), None)


def _conversion(column: exp.Expression, old: exp.DataType | None, new: exp.DataType) -> exp.Expression | None:
    """The USING of a PostgreSQL type change: none to a text type (every type converts to text on
    assignment), a direct cast within a family of types or from text, else a cast through text
    (PostgreSQL has no cast between, say, integer and date: the values must read as the new type).
    Between numbers and booleans PostgreSQL casts only `integer`: a number is true when it is not 0
    (as that cast reads it, for every numeric type), a boolean becomes 1 or 0 through `integer`."""
    if new.this in STRING_TYPES:
        return None
    family = _family(old)
    if family == "number" and new.this == exp.DataType.Type.BOOLEAN:
        return exp.NEQ(this=column, expression=exp.Literal.number(0))
    if old is not None and old.this == exp.DataType.Type.BOOLEAN and _family(new) == "number":
        return exp.Cast(this=exp.Cast(this=column, to=exp.DataType.build("INT")), to=new.copy())
    if family is not None and (family == "text" or family == _family(new)):
        return exp.Cast(this=column, to=new.copy())
    return exp.Cast(this=exp.Cast(this=column, to=exp.DataType.build("TEXT")), to=new.copy())


def _has_expression(create: exp.Expression) -> bool:
    """Whether an index has a predicate or a key that is not a plain column."""
    params = create.this.args.get("params")
    if params is None:
        return False
    if params.args.get("where") is not None:
        return True
    return any(not isinstance(o.this, exp.Column) for o in params.args.get("columns") or [])


def _qualified_key(name: str) -> TableKey:
    schema, _, bare = name.rpartition(".")
    return (schema or "public", bare)


def _note(text: str | None) -> exp.Expression:
    """A comment's text; removing a comment writes '' (PostgreSQL drops an empty comment, and unlike
    `IS NULL` sqlglot reads it back)."""
    return exp.Literal.string(text or "")


def _has(coldef: exp.ColumnDef, kind: type[exp.Expression]) -> bool:
    return any(isinstance(c.kind, kind) for c in coldef.args.get("constraints") or [])


def _remove(coldef: exp.ColumnDef, kind: type[exp.Expression]) -> None:
    coldef.set("constraints", [c for c in coldef.args.get("constraints") or [] if not isinstance(c.kind, kind)])


def _default(coldef: exp.ColumnDef | None) -> exp.Expression | None:
    if coldef is None:
        return None
    for c in coldef.args.get("constraints") or []:
        if isinstance(c.kind, exp.DefaultColumnConstraint) and not isinstance(c.kind.this, exp.Null):
            return c.kind.this
    return None


def volatile(node: exp.Expression) -> bool:
    """Whether a default calls a function whose value changes from row to row."""
    for n in node.walk():
        if isinstance(n, exp.Rand | exp.Uuid):
            return True
        if isinstance(n, exp.Anonymous) and str(n.this).lower() in VOLATILE_FUNCTIONS:
            return True
    return False


def _fit(name: str) -> str:
    return fit(name)
