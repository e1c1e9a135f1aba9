"""The bound schema model: immutable dataclasses that every feature consumes.

Equality ignores source positions (span fields are `compare=False`), so two models are equal when they
mean the same schema, wherever their text sits. Names are stored as written (unquoted); tables live in
a schema (`public` unless qualified).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import field

from .record import record
from .spans import Span

DEFAULT_SCHEMA = "public"
TableKey = tuple[str, str]  # (schema, name) of a table or an enum


def _pos() -> Span | None:
    """A source position field: None by default, left out of equality and repr."""
    return field(default=None, compare=False, repr=False)


@record
class Literal:
    """A default or record value.

    kind: number, string, boolean, null, expression (backtick SQL) or enum (value of an enum type).
    `value` is the text: '42', 'hello', 'true', 'null', 'now()', 'active'.
    """

    kind: str
    value: str

    def sql_text(self) -> str:
        """How the value reads in a design document (not SQL generation, which is sqlglot's job)."""
        if self.kind == "string" or self.kind == "enum":
            return "'" + self.value.replace("'", "''") + "'"
        if self.kind == "null":
            return "NULL"
        return self.value


@record
class Setting:
    """A setting dbdsl keeps but does not interpret itself (design facts, unknown settings)."""

    key: str
    value: str | None
    span: Span | None = _pos()


@record
class ColumnType:
    """`name` is the base type or enum name; `schema` is set for `schema.enum` types."""

    name: str
    schema: str | None = None
    args: tuple[str, ...] | None = None
    dims: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The type as written in DBML: `varchar(255)`, `int[]`, `decimal(10,2)`."""
        out = self.name
        if self.args is not None:
            out += "(" + ",".join(self.args) + ")"
        return out + "".join(self.dims)

    @property
    def lower(self) -> str:
        return self.name.lower()


@record
class Check:
    expression: str
    name: str | None = None
    from_partial: str | None = field(default=None, compare=False)
    span: Span | None = _pos()


@record
class Column:
    name: str
    type: ColumnType
    pk: bool = False
    not_null: bool | None = None  # None: not said (nullable unless part of the primary key)
    unique: bool = False
    increment: bool = False
    default: Literal | None = None
    note: str | None = None
    checks: tuple[Check, ...] = ()
    enum: str | None = None  # qualified name of the enum the type resolves to
    renamed_from: str | None = None
    settings: tuple[Setting, ...] = ()
    from_partial: str | None = field(default=None, compare=False)
    span: Span | None = _pos()
    name_span: Span | None = _pos()
    type_span: Span | None = _pos()
    settings_span: Span | None = _pos()  # the `[...]` list, when there is one

    @property
    def nullable(self) -> bool:
        return not (self.pk or self.not_null)

    def setting(self, key: str) -> Setting | None:
        return next((s for s in self.settings if s.key == key), None)


@record
class IndexKey:
    """kind 'column' (value is a column name) or 'expression' (value is SQL)."""

    kind: str
    value: str


@record
class Index:
    keys: tuple[IndexKey, ...]
    name: str | None = None
    unique: bool = False
    pk: bool = False
    type: str | None = None  # btree, hash, gin, gist, brin
    note: str | None = None
    where: str | None = None  # partial index predicate (dbdsl extension)
    include: tuple[str, ...] = ()  # covering columns (dbdsl extension)
    from_partial: str | None = field(default=None, compare=False)
    span: Span | None = _pos()

    @property
    def columns(self) -> tuple[str, ...]:
        """Names of the plain column keys, in order (expressions left out)."""
        return tuple(k.value for k in self.keys if k.kind == "column")

    @property
    def is_plain(self) -> bool:
        return all(k.kind == "column" for k in self.keys)


@record
class Dependency:
    """A declared functional dependency `left -> right` (dbdsl extension)."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    span: Span | None = _pos()


@record
class Records:
    """Sample rows; `columns` in the order of each row's values."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Literal, ...], ...]
    span: Span | None = _pos()
    row_spans: tuple[Span, ...] = field(default=(), compare=False, repr=False)
    value_spans: tuple[tuple[Span, ...], ...] = field(default=(), compare=False, repr=False)


@record
class Body:
    """Edit points of a block body: just after `{` and just before `}`."""

    open: Span
    close: Span


@record
class Table:
    name: str
    schema: str = DEFAULT_SCHEMA
    alias: str | None = None
    columns: tuple[Column, ...] = ()
    indexes: tuple[Index, ...] = ()
    checks: tuple[Check, ...] = ()
    note: str | None = None
    header_color: str | None = None
    partials: tuple[str, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    records: tuple[Records, ...] = ()
    renamed_from: str | None = None
    settings: tuple[Setting, ...] = ()
    # where each `~partial` stands: the number of the table's own columns written before it
    partial_positions: tuple[int, ...] = field(default=(), compare=False, repr=False)
    span: Span | None = _pos()
    name_span: Span | None = _pos()
    settings_span: Span | None = _pos()
    body: Body | None = field(default=None, compare=False, repr=False)
    _by_name: dict[str, Column] = field(default_factory=dict, compare=False, repr=False, init=False)

    def __post_init__(self) -> None:
        self._by_name.update((c.name, c) for c in self.columns)

    @property
    def qualified(self) -> str:
        """`schema.name`, or just `name` in the default schema."""
        return self.name if self.schema == DEFAULT_SCHEMA else f"{self.schema}.{self.name}"

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)

    def column(self, name: str) -> Column | None:
        return self._by_name.get(name)

    def columns_named(self, names: Iterable[str]) -> list[Column] | None:
        """The columns named, in that order, or None when the table lacks one of them."""
        found = []
        for name in names:
            column = self._by_name.get(name)
            if column is None:
                return None
            found.append(column)
        return found

    @property
    def primary_key(self) -> tuple[str, ...]:
        """Columns of the primary key: the `pk` index if there is one, else the `pk` columns."""
        for index in self.indexes:
            if index.pk:
                return index.columns
        return tuple(c.name for c in self.columns if c.pk)

    def setting(self, key: str) -> Setting | None:
        return next((s for s in self.settings if s.key == key), None)


@record
class Endpoint:
    schema: str
    table: str
    columns: tuple[str, ...]
    relation: str  # '1' or '*'
    span: Span | None = _pos()

    @property
    def table_key(self) -> tuple[str, str]:
        return (self.schema, self.table)

    @property
    def qualified(self) -> str:
        return self.table if self.schema == DEFAULT_SCHEMA else f"{self.schema}.{self.table}"


@record
class Ref:
    """A relationship. `left`/`right` are the endpoints as written; `op` is <, >, - or <>.

    For `>` the left side is the many side (it holds the foreign key), for `<` the right side, for `-`
    (one-to-one) the left side holds the foreign key, and `<>` is many-to-many (a junction table).
    """

    left: Endpoint
    op: str
    right: Endpoint
    name: str | None = None
    on_delete: str | None = None
    on_update: str | None = None
    color: str | None = None
    inline: bool = False
    inactive: bool = False  # `[inactive]`: a relationship the diagram shows dimmed; SQL still writes it
    from_partial: str | None = field(default=None, compare=False)
    span: Span | None = _pos()

    @property
    def many_to_many(self) -> bool:
        return self.op == "<>"

    @property
    def fk_side(self) -> Endpoint:
        """The endpoint that holds the foreign key columns."""
        return self.right if self.op == "<" else self.left

    @property
    def pk_side(self) -> Endpoint:
        """The endpoint whose columns are referenced."""
        return self.left if self.op == "<" else self.right


@record
class EnumValue:
    name: str
    note: str | None = None
    renamed_from: str | None = None  # migration hint (dbdsl extension)
    span: Span | None = _pos()


@record
class Enum:
    name: str
    schema: str = DEFAULT_SCHEMA
    values: tuple[EnumValue, ...] = ()
    note: str | None = None
    span: Span | None = _pos()
    name_span: Span | None = _pos()
    renamed_from: str | None = None  # migration hint (dbdsl extension)

    @property
    def qualified(self) -> str:
        return self.name if self.schema == DEFAULT_SCHEMA else f"{self.schema}.{self.name}"

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)

    @property
    def value_names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.values)


@record
class TableGroup:
    name: str
    schema: str = DEFAULT_SCHEMA
    tables: tuple[tuple[str, str], ...] = ()  # (schema, name) of each member
    note: str | None = None
    color: str | None = None
    settings: tuple[Setting, ...] = ()
    span: Span | None = _pos()
    name_span: Span | None = _pos()


@record
class TablePartial:
    """A reusable set of columns, indexes and settings injected into tables with `~name`."""

    name: str
    columns: tuple[Column, ...] = ()
    indexes: tuple[Index, ...] = ()
    checks: tuple[Check, ...] = ()
    note: str | None = None
    header_color: str | None = None
    settings: tuple[Setting, ...] = ()
    span: Span | None = _pos()
    name_span: Span | None = _pos()


@record
class StickyNote:
    name: str
    text: str
    color: str | None = None
    span: Span | None = _pos()


@record
class Project:
    name: str | None = None
    database_type: str | None = None
    note: str | None = None
    settings: tuple[Setting, ...] = ()
    span: Span | None = _pos()

    def setting(self, key: str) -> Setting | None:
        return next((s for s in self.settings if s.key == key), None)


@record
class Query:
    """A declared access pattern (dbdsl extension): SQL with its frequency and latency target."""

    name: str
    sql: str
    frequency: str | None = None
    target: str | None = None
    note: str | None = None
    settings: tuple[Setting, ...] = ()
    span: Span | None = _pos()
    name_span: Span | None = _pos()
    sql_span: Span | None = _pos()  # the string literal holding the SQL, quotes included
    sql_offset: int = field(default=0, compare=False, repr=False)  # block offset of sql[0]


@record
class DiagramView:
    name: str
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (section, entries); '*' means all
    span: Span | None = _pos()


def key_of(parts: tuple[str, ...]) -> TableKey:
    """The (schema, name) of a table or an enum named by the parts of a dotted name (at least one):
    `a.b.c` is `c` in schema `a.b`, as DBML reads it; one part is a name in the default schema."""
    return (".".join(parts[:-1]) or DEFAULT_SCHEMA, parts[-1])


def find_table(
    parts: tuple[str, ...],
    tables: Mapping[TableKey, Table],
    aliases: Mapping[str, TableKey],
    other_names: Mapping[TableKey, TableKey],
) -> tuple[Table | None, bool]:
    """The one lookup of a table name as written: one part is an alias first, then a table of the
    default schema; more parts are the schema (itself dotted when there are three) and the name; a
    name a `use` gave an imported table finds that table. Returns the table (or None) and whether the
    alias found it. The binder resolves references with it; the IDE looks names up with it too."""
    if not parts:
        return None, False
    if len(parts) == 1:
        key = aliases.get(parts[0])
        if key is not None:
            return tables.get(key), True
    key = key_of(parts)
    table = tables.get(key)
    if table is None and other_names:
        second = other_names.get(key)
        table = tables.get(second) if second is not None else None
    return table, False


@record
class Schema:
    """One bound project (a file and what it imports)."""

    tables: tuple[Table, ...] = ()
    refs: tuple[Ref, ...] = ()
    enums: tuple[Enum, ...] = ()
    groups: tuple[TableGroup, ...] = ()
    partials: tuple[TablePartial, ...] = ()
    notes: tuple[StickyNote, ...] = ()
    queries: tuple[Query, ...] = ()
    views: tuple[DiagramView, ...] = ()
    project: Project | None = None
    # second names that `use { table a as b }` gave imported tables: (schema, b) -> (schema, a)
    other_names: Mapping[TableKey, TableKey] = field(default_factory=dict, compare=False, repr=False)
    # built from the fields above (never given: `replace()` makes a schema with its own)
    _tables: dict[TableKey, Table] = field(default_factory=dict, init=False, compare=False, repr=False)
    _enums: dict[TableKey, Enum] = field(default_factory=dict, init=False, compare=False, repr=False)
    _aliases: dict[str, TableKey] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._tables.update((t.key, t) for t in self.tables)
        self._enums.update((e.key, e) for e in self.enums)
        self._aliases.update((t.alias, t.key) for t in self.tables if t.alias is not None)

    def find_table(self, parts: tuple[str, ...]) -> tuple[Table | None, bool]:
        """The table that a name written in the file (`parts`) stands for, as the binder resolves it,
        and whether it was named by its alias."""
        return find_table(parts, self._tables, self._aliases, self.other_names)

    @property
    def tables_by_key(self) -> Mapping[tuple[str, str], Table]:
        """The tables by (schema, name), built once with the schema (read it, never change it)."""
        return self._tables

    def table(self, name: str | tuple[str, str]) -> Table | None:
        """Look a table up by (schema, name), `schema.name` or a bare name (default schema)."""
        if isinstance(name, tuple):
            return self._tables.get(name)
        schema, _, bare = name.rpartition(".")
        return self._tables.get((schema or DEFAULT_SCHEMA, bare))

    def enum(self, name: str | tuple[str, str]) -> Enum | None:
        if isinstance(name, tuple):
            return self._enums.get(name)
        schema, _, bare = name.rpartition(".")
        return self._enums.get((schema or DEFAULT_SCHEMA, bare))

    def refs_of(self, table: Table) -> Iterator[Ref]:
        """Relationships that touch `table` on either side."""
        key = table.key
        for ref in self.refs:
            if ref.left.table_key == key or ref.right.table_key == key:
                yield ref

    @property
    def database_type(self) -> str | None:
        return self.project.database_type if self.project else None
