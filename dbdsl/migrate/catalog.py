"""What a schema becomes in one dialect: the database objects the SQL generator makes for it.

The migration planner compares what the generator would create for the old schema with what it would
create for the new one, object by object: columns as `ColumnDef`s, constraints (primary key, unique,
checks, the CHECKs that stand for enums, foreign keys) and indexes with the names the generator gives
them. So a migrated database ends with exactly the objects, and the names, of a database created from
the new schema, and the planner never writes its own CREATE TABLE: it reuses the generator's nodes.

Many-to-many refs become junction tables here as they do in the generator (`with_junction_tables`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from ..dialects import sqlglot_dialect
from ..emit.sql import generate, with_junction_tables
from ..emit.sql_names import table_ref
from ..model.schema import Schema, Table, TableKey


@dataclass
class DbObject:
    """A named constraint or index of a table, as the generator made it.

    `node` is an `exp.Constraint` (constraints) or an `exp.Create` of kind INDEX (indexes);
    `columns` are the table's columns it names (keys, checked columns...), used to decide what a
    column change touches.
    """

    kind: str  # pk, unique, check, enum_check, fk, index
    name: str
    table: TableKey
    node: exp.Expression
    columns: tuple[str, ...] = ()
    references: TableKey | None = None  # fk: the referenced table (model key)

    @property
    def is_index(self) -> bool:
        return self.kind == "index"


@dataclass
class TableDDL:
    table: Table
    create: exp.Create  # as generated, with its foreign keys inline
    columns: dict[str, exp.ColumnDef]
    objects: list[DbObject] = field(default_factory=list)
    partitions: list[exp.Create] = field(default_factory=list)  # PostgreSQL: CREATE TABLE ... PARTITION OF

    def partitioning(self, target: str, columns: dict[str, str] | None = None) -> str:
        """The table's partitioning as the SQL that makes it (empty when the table is plain): its
        PARTITION BY clause, its columns named through `columns` (old name -> new) when given, and its
        partitions' bounds (their names follow the table's name)."""
        properties = self.create.args.get("properties")
        found = properties.find(exp.PartitionedByProperty) if properties is not None else None
        if found is None:
            return ""
        found = found.copy()
        for column in found.find_all(exp.Column):
            column.set("this", exp.to_identifier((columns or {}).get(column.name, column.name), quoted=True))
        bounds = sorted(bound.expression.sql(target) for bound in map(partition_of, self.partitions) if bound)
        return "; ".join([found.sql(target), *bounds])

    @property
    def key(self) -> TableKey:
        return self.table.key

    def constraints(self) -> list[DbObject]:
        return [o for o in self.objects if not o.is_index]

    def indexes(self) -> list[DbObject]:
        return [o for o in self.objects if o.is_index]

    def create_without_foreign_keys(self) -> exp.Create:
        create = self.create.copy()
        body = create.this
        body.set(
            "expressions",
            [e for e in body.expressions if not (isinstance(e, exp.Constraint) and _kind(e) == "fk")],
        )
        return create


@dataclass
class Catalog:
    schema: Schema  # with junction tables
    dialect: str
    tables: dict[TableKey, TableDDL]
    enums: dict[TableKey, exp.Expression]  # CREATE TYPE (PostgreSQL)
    warnings: list[str]
    memo: dict = field(default_factory=dict)  # texts computed from these objects (see diff.py)

    def table(self, key: TableKey) -> TableDDL | None:
        return self.tables.get(key)

    def known_table(self, key: TableKey) -> TableDDL:
        """The generated table `key`, which the caller knows the catalog has (a LookupError when it does not)."""
        ddl = self.tables.get(key)
        if ddl is None:
            raise LookupError(f"no table {key} in the {self.dialect} catalog")
        return ddl

    def column(self, key: TableKey, name: str) -> exp.ColumnDef | None:
        """The definition of column `name` of table `key`, or None when either is not in the catalog."""
        ddl = self.tables.get(key)
        return ddl.columns.get(name) if ddl is not None else None

    def known_column(self, key: TableKey, name: str) -> exp.ColumnDef:
        """The definition of a column the caller knows the catalog has (a LookupError when it does not)."""
        coldef = self.column(key, name)
        if coldef is None:
            raise LookupError(f"no column {'.'.join(key)}.{name} in the {self.dialect} catalog")
        return coldef


def expand(schema: Schema) -> Schema:
    """The schema with the junction tables of its many-to-many refs (as the generator makes them)."""
    expanded, _refs = with_junction_tables(schema)
    return expanded


def build(schema: Schema, dialect: str) -> Catalog:
    """Every object the generator makes for `schema` in `dialect`, by table."""
    target = sqlglot_dialect(dialect)
    script = generate(schema, dialect, records=False)
    expanded = expand(schema)
    by_ref: dict[str, TableKey] = {}
    for table in expanded.tables:
        by_ref[_ref_key(table_ref(table.schema, table.name, target), target)] = table.key
    enums: dict[TableKey, exp.Expression] = {}
    by_enum_ref = {_ref_key(table_ref(e.schema, e.name, target), target): e.key for e in expanded.enums}
    tables: dict[TableKey, TableDDL] = {}
    late_fks: list[tuple[TableKey, exp.Constraint]] = []
    for statement in script.statements:
        if isinstance(statement, exp.Create):
            kind = (statement.args.get("kind") or "").upper()
            if kind == "TYPE":
                key = by_enum_ref.get(_ref_key(statement.this, target))
                if key is not None:
                    enums[key] = statement
            elif kind == "TABLE" and (of := partition_of(statement)) is not None:
                parent = by_ref.get(_ref_key(of.this, target))
                if parent in tables:
                    tables[parent].partitions.append(statement)
            elif kind == "TABLE":
                key = by_ref.get(_ref_key(statement.this.this, target))
                made = expanded.table(key) if key is not None else None
                if key is not None and made is not None:
                    tables[key] = _table_ddl(made, statement, by_ref, target)
            elif kind == "INDEX":
                index = statement.this
                key = by_ref.get(_ref_key(index.args["table"], target))
                if key is not None and key in tables:
                    tables[key].objects.append(_index_object(key, statement))
        elif isinstance(statement, exp.Alter):
            key = by_ref.get(_ref_key(statement.this, target))
            for action in statement.args.get("actions") or []:
                if isinstance(action, exp.AddConstraint) and key is not None:
                    for constraint in action.expressions:
                        late_fks.append((key, constraint))
    for key, constraint in late_fks:
        ddl = tables.get(key)
        if ddl is not None:
            ddl.create.this.append("expressions", constraint.copy())
            ddl.objects.append(_constraint_object(key, constraint, by_ref, target))
    return Catalog(expanded, dialect, tables, enums, list(script.warnings))


def partition_of(create: exp.Create) -> exp.PartitionedOfProperty | None:
    """The `PARTITION OF parent ...` of a CREATE TABLE that makes a partition."""
    properties = create.args.get("properties")
    return properties.find(exp.PartitionedOfProperty) if properties is not None else None


def _table_ddl(table: Table, create: exp.Create, by_ref: dict[str, TableKey], target: str) -> TableDDL:
    columns: dict[str, exp.ColumnDef] = {}
    objects: list[DbObject] = []
    for item in create.this.expressions:
        if isinstance(item, exp.ColumnDef):
            columns[item.name] = item
        elif isinstance(item, exp.Constraint):
            objects.append(_constraint_object(table.key, item, by_ref, target))
    return TableDDL(table, create, columns, objects)


def _kind(constraint: exp.Constraint) -> str:
    inner = constraint.expressions[0] if constraint.expressions else None
    if isinstance(inner, exp.PrimaryKey):
        return "pk"
    if isinstance(inner, exp.UniqueColumnConstraint):
        return "unique"
    if isinstance(inner, exp.ForeignKey):
        return "fk"
    if isinstance(inner, exp.CheckColumnConstraint):
        return "enum_check" if constraint.name.endswith("_enum_check") else "check"
    return "other"


def _constraint_object(key: TableKey, constraint: exp.Constraint, by_ref: dict[str, TableKey], target: str) -> DbObject:
    kind = _kind(constraint)
    inner = constraint.expressions[0]
    references = None
    if kind == "fk":
        columns = tuple(i.name for i in inner.expressions)
        reference = inner.args.get("reference")
        references = by_ref.get(_ref_key(reference.this.this, target)) if reference is not None else None
    elif kind == "pk":
        columns = tuple(i.name for i in inner.expressions)
    else:
        columns = tuple(dict.fromkeys(c.name for c in inner.find_all(exp.Column)))
        if kind == "unique":
            columns = tuple(i.name for i in inner.find_all(exp.Identifier))
    return DbObject(kind, constraint.name, key, constraint, columns, references)


def _index_object(key: TableKey, create: exp.Create) -> DbObject:
    index = create.this
    params = index.args.get("params")
    columns: list[str] = []
    if params is not None:
        for column in params.find_all(exp.Column):
            columns.append(column.name)
        columns.extend(i.name for i in params.args.get("include") or [])
    return DbObject("index", index.name, key, create, tuple(dict.fromkeys(columns)))


def _ref_key(node: exp.Expression, target: str) -> str:
    return node.sql(target)
