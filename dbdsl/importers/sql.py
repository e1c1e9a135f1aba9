"""SQL DDL to a schema model, through sqlglot: `import_sql(text, dialect)` and `schema_from_statements`.

Statements are applied in order to a mutable state, so a series of migration files rebuilds the schema
they produce: CREATE/DROP/RENAME TABLE; ADD/DROP/RENAME COLUMN; ALTER COLUMN TYPE, SET/DROP NOT NULL,
SET/DROP DEFAULT; ADD/DROP CONSTRAINT; CREATE/DROP INDEX; CREATE/DROP TYPE ... AS ENUM; ALTER TYPE
ADD VALUE / RENAME VALUE; COMMENT ON; INSERT (as Records). What a `pg_dump --schema-only` adds (SET,
OWNER TO, sequences, extensions) is understood or skipped quietly; any other statement is a warning.

Names that follow dbdsl's (and PostgreSQL's) default naming (`t_pkey`, `t_c_key`, `t_c_fkey`, `t_c_idx`,
`t_c_check`) are dropped, so a schema written by `dbdsl sql` comes back as it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.tokens import TokenType

from ..dialects import sqlglot_dialect
from ..emit.sql_names import constraint_name
from ..model.schema import (
    DEFAULT_SCHEMA,
    Check,
    Column,
    ColumnType,
    Endpoint,
    Enum,
    EnumValue,
    Index,
    IndexKey,
    Literal,
    Records,
    Ref,
    Schema,
    Table,
)
from ..physical.partitions import read_partitioning, with_partitioning
from ..sqlread import parse_one

DEFAULT_SCHEMAS = {"public", "dbo", "main"}
ON_ONLY = re.compile(r"^(\s*CREATE\s+(?:UNIQUE\s+)?INDEX\b.*?\bON\s+)ONLY\s+", re.IGNORECASE | re.DOTALL)
QUIET = ("SET", "SELECT PG_CATALOG.SET_CONFIG", "CREATE EXTENSION", "COMMENT ON EXTENSION", "ALTER SEQUENCE")
QUIET = QUIET + ("ALTER TABLE", "GRANT", "REVOKE", "BEGIN", "COMMIT", "START TRANSACTION", "PRAGMA", "USE", "GO")
SERIAL_TYPES = {"serial", "smallserial", "bigserial"}
TYPE_NAMES = {
    "integer": "int",
    "int4": "int",
    "int8": "bigint",
    "int2": "smallint",
    "character varying": "varchar",
    "double precision": "double",
    "timestamp with time zone": "timestamptz",
    "numeric": "decimal",
}


@dataclass
class ImportResult:
    schema: Schema
    warnings: list[str] = field(default_factory=list)


def import_sql(text: str, dialect: str) -> ImportResult:
    """Read DDL (a dump, a migration) in one of our dialects into a Schema."""
    statements, warnings = split_statements(text, dialect)
    result = schema_from_statements(statements, dialect)
    result.warnings[:0] = warnings
    return result


def split_statements(text: str, dialect: str) -> tuple[list[exp.Expression], list[str]]:
    """Parse statement by statement, so that one statement sqlglot cannot read costs only itself.

    `dialect` is one of ours (postgres, mysql, sqlite, mssql, oracle, snowflake); ValueError otherwise.
    """
    target = sqlglot_dialect(dialect)
    warnings: list[str] = []
    lines = [("" if line.lstrip().startswith("\\") else line) for line in text.split("\n")]  # psql meta-commands
    if target == "tsql":
        lines = ["" if line.strip().upper() == "GO" else line for line in lines]
    text = "\n".join(lines)
    try:
        tokens = sqlglot.Dialect.get_or_raise(target).tokenize(text)
    except SqlglotError as e:
        return [], [f"the SQL cannot be read: {e}"]
    pieces: list[tuple[int, int, int]] = []  # offsets of each statement, and its first line
    start = None
    line = 1
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if start is not None:
                pieces.append((start, token.start, line))
            start = None
        elif start is None:
            start = token.start
            line = token.line
    if start is not None:
        pieces.append((start, len(text), line))
    out: list[exp.Expression] = []
    for begin, end, first_line in pieces:
        piece = text[begin:end]
        if target == "postgres":  # pg_dump's index of a partitioned table: the index on the parent
            piece = ON_ONLY.sub(r"\1", piece, count=1)
        try:
            parsed = sqlglot.parse(piece, read=target)
        except SqlglotError as e:
            message = str(e).splitlines()[0]
            warnings.append(f"line {first_line}: statement skipped, sqlglot cannot read it ({message})")
            continue
        out.extend(p for p in parsed if p is not None)
    return out, warnings


def schema_from_statements(expressions: list[exp.Expression], dialect: str) -> ImportResult:
    """Apply parsed statements in order and return the schema they leave (see the module docstring)."""
    state = _State(sqlglot_dialect(dialect))
    partitioned: dict = {}
    if state.target == "postgres":  # partitions are the parent's: see physical.partitions
        expressions, partitioned = read_partitioning(expressions, DEFAULT_SCHEMA)
    for expression in expressions:
        try:
            state.apply(expression)
        except _Skip as e:
            state.warnings.append(str(e))
    return ImportResult(with_partitioning(state.freeze(), partitioned), state.warnings)


class _Skip(Exception):
    pass


@dataclass
class _Col:
    name: str
    type: ColumnType
    not_null: bool | None = None
    default: Literal | None = None
    increment: bool = False
    note: str | None = None
    checks: list[str] = field(default_factory=list)
    unique: bool = False
    declared: str = ""  # the type as written, upper-case (SQLite gives INTEGER PRIMARY KEY a meaning)


@dataclass
class _Table:
    schema: str
    name: str
    columns: dict[str, _Col] = field(default_factory=dict)
    pk: tuple[str, ...] = ()
    pk_name: str | None = None
    uniques: list[tuple[tuple[str, ...], str | None]] = field(default_factory=list)
    checks: list[tuple[str, str | None]] = field(default_factory=list)  # (expression, name)
    indexes: list[tuple[Index, str]] = field(default_factory=list)  # (index, its name in the database)
    note: str | None = None
    records: list[Records] = field(default_factory=list)


@dataclass
class _Fk:
    name: str | None
    table: tuple[str, str]
    columns: tuple[str, ...]
    target: tuple[str, str]
    target_columns: tuple[str, ...]
    on_delete: str | None
    on_update: str | None
    db_name: str


class _State:
    def __init__(self, target: str) -> None:
        self.target = target
        self.tables: dict[tuple[str, str], _Table] = {}
        self.enums: dict[tuple[str, str], list[str]] = {}
        self.enum_notes: dict[tuple[str, str], str] = {}
        self.fks: list[_Fk] = []
        self.warnings: list[str] = []

    # ------------------------------------------------------------ names

    def key(self, table: exp.Expression) -> tuple[str, str]:
        if isinstance(table, exp.Schema):
            table = table.this
        if isinstance(table, exp.Column):  # COMMENT ON / RENAME use column-like nodes
            parts = [p.name for p in table.parts]
            return (parts[-2] if len(parts) > 1 else DEFAULT_SCHEMA, parts[-1])
        schema = table.args.get("db")
        schema_name = schema.name if schema is not None else DEFAULT_SCHEMA
        if schema_name.lower() in DEFAULT_SCHEMAS:
            schema_name = DEFAULT_SCHEMA
        return (schema_name, table.name)

    def table(self, node: exp.Expression) -> _Table:
        key = self.key(node)
        found = self.tables.get(key)
        if found is None:
            raise _Skip(f"{_qualified(key)}: no such table (statement skipped)")
        return found

    # ------------------------------------------------------------ statements

    def apply(self, e: exp.Expression) -> None:
        if isinstance(e, exp.Create):
            kind = (e.args.get("kind") or "").upper()
            if kind == "TABLE":
                self.create_table(e)
            elif kind == "INDEX":
                self.create_index(e)
            elif kind == "TYPE":
                self.create_type(e)
            elif kind in ("SCHEMA", "SEQUENCE", "DATABASE", "EXTENSION", "VIEW", "FUNCTION"):
                return
            else:
                raise _Skip(f"CREATE {kind}: not part of a schema model (skipped)")
        elif isinstance(e, exp.Alter):
            self.alter(e)
        elif isinstance(e, exp.Drop):
            self.drop(e)
        elif isinstance(e, exp.Comment):
            self.comment(e)
        elif isinstance(e, exp.Insert):
            self.insert(e)
        elif isinstance(e, exp.Command):
            self.command(e)
        elif isinstance(e, exp.Set | exp.Select | exp.Transaction | exp.Commit | exp.Use | exp.Pragma):
            return
        else:
            raise _Skip(f"statement skipped: {_short(e.sql(self.target))}")

    def create_table(self, e: exp.Create) -> None:
        body = e.this
        if not isinstance(body, exp.Schema):
            raise _Skip(f"CREATE TABLE {_short(e.sql(self.target))}: only column lists are imported")
        key = self.key(body)
        table = _Table(*key)
        self.tables[key] = table
        for item in body.expressions:
            if isinstance(item, exp.ColumnDef):
                self.add_column(table, item)
            else:
                self.add_constraint(table, item)
        for prop in (e.args.get("properties") or exp.Properties(expressions=[])).expressions:
            if isinstance(prop, exp.SchemaCommentProperty):
                table.note = prop.this.name
        if self.target == "sqlite" and len(table.pk) == 1:
            # an INTEGER PRIMARY KEY is SQLite's rowid: it numbers new rows by itself
            col = table.columns.get(table.pk[0])
            if col is not None and col.declared == "INTEGER":
                col.increment = True

    def add_column(self, table: _Table, node: exp.ColumnDef) -> None:
        kind = node.args.get("kind")
        col = _Col(node.name, self.column_type(kind, table, node.name))
        col.declared = kind.sql("").upper() if isinstance(kind, exp.DataType) else ""
        col.increment = col.type.name.lower() in SERIAL_TYPES
        table.columns[col.name] = col
        for c in node.args.get("constraints") or []:
            self.column_constraint(table, col, c)

    def column_constraint(self, table: _Table, col: _Col, c: exp.ColumnConstraint) -> None:
        kind = c.kind
        name = c.this.name if c.this else None
        if isinstance(kind, exp.NotNullColumnConstraint):
            col.not_null = None if kind.args.get("allow_null") else True
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            table.pk, table.pk_name = (col.name,), name
        elif isinstance(kind, exp.UniqueColumnConstraint):
            table.uniques.append(((col.name,), name))
        elif isinstance(kind, exp.DefaultColumnConstraint):
            self.set_default(table, col, kind.this)
        elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint | exp.AutoIncrementColumnConstraint):
            col.increment = True
        elif isinstance(kind, exp.CommentColumnConstraint):
            col.note = kind.this.name
        elif isinstance(kind, exp.CheckColumnConstraint):
            table.checks.append(
                (self.expression_text(kind.this), name or constraint_name("check", table.name, [col.name]))
            )
        elif isinstance(kind, exp.Reference):
            self.add_fk(table, (col.name,), kind, name)

    def add_constraint(self, table: _Table, item: exp.Expression) -> None:
        name = None
        if isinstance(item, exp.Constraint):
            name = item.name
            items = item.expressions
        else:
            items = [item]
        for node in items:
            if isinstance(node, exp.PrimaryKey):
                table.pk, table.pk_name = tuple(_names(node.expressions)), name
            elif isinstance(node, exp.ForeignKey):
                self.add_fk(table, tuple(_names(node.expressions)), node.args["reference"], name)
            elif isinstance(node, exp.UniqueColumnConstraint):
                columns = node.this.expressions if isinstance(node.this, exp.Schema) else []
                table.uniques.append((tuple(_names(columns)), name))
            elif isinstance(node, exp.CheckColumnConstraint):
                table.checks.append((self.expression_text(node.this), name))
            elif isinstance(node, exp.ColumnConstraint) and node.kind is not None:
                raise _Skip(
                    f"{_qualified((table.schema, table.name))}: constraint {_short(node.sql(self.target))} skipped"
                )

    def add_fk(self, table: _Table, columns: tuple[str, ...], ref: exp.Reference, name: str | None) -> None:
        target = ref.this
        target_columns = tuple(_names(target.expressions)) if isinstance(target, exp.Schema) else ()
        target_key = self.key(target)
        if not target_columns:
            referenced = self.tables.get(target_key)
            target_columns = referenced.pk if referenced else ("id",)
        on_delete = on_update = None
        for option in ref.args.get("options") or []:
            text = " ".join(str(option).lower().split())
            for verb in ("delete", "update"):
                if text.startswith(f"on {verb} "):
                    action = text[len(f"on {verb} ") :]
                    if action != "no action":
                        on_delete, on_update = (action, on_update) if verb == "delete" else (on_delete, action)
        default = constraint_name("fk", table.name, columns)
        self.fks.append(
            _Fk(
                None if name in (None, default) else name,
                (table.schema, table.name),
                columns,
                target_key,
                target_columns,
                on_delete,
                on_update,
                name or default,
            )
        )

    def create_index(self, e: exp.Create) -> None:
        node = e.this
        if not isinstance(node, exp.Index) or node.args.get("table") is None:
            raise _Skip(f"{_short(e.sql(self.target))}: index skipped")
        table = self.table(node.args["table"])
        params = node.args.get("params") or exp.IndexParameters()
        keys: list[IndexKey] = []
        for column in params.args.get("columns") or []:
            inner = column.this if isinstance(column, exp.Ordered) else column
            if isinstance(inner, exp.Paren):
                inner = inner.this
            if isinstance(inner, exp.Column) and not inner.table:
                keys.append(IndexKey("column", inner.name))
            else:
                keys.append(IndexKey("expression", self.expression_text(inner)))
        unique = bool(e.args.get("unique"))
        using = params.args.get("using")
        kind = using.name.lower() if using is not None else None
        where = params.args.get("where")
        include = tuple(_names(params.args.get("include") or []))
        db_name = node.name
        parts = [k.value if k.kind == "column" else "expr" for k in keys]
        default = constraint_name("unique_index" if unique else "index", table.name, parts)
        index = Index(
            keys=tuple(keys),
            name=None if _is_default_name(db_name, default) else db_name,
            unique=unique,
            type=None if kind in (None, "btree") else kind,
            where=self.expression_text(where.this) if where is not None else None,
            include=include,
        )
        table.indexes.append((index, db_name))

    def create_type(self, e: exp.Create) -> None:
        body = e.args.get("expression")
        if not isinstance(body, exp.DataType) or body.this != exp.DataType.Type.ENUM:
            raise _Skip(f"{_short(e.sql(self.target))}: only enum types are imported")
        self.enums[self.key(e.this)] = [v.name for v in body.expressions]

    def alter(self, e: exp.Alter) -> None:
        kind = (e.args.get("kind") or "").upper()
        if kind == "INDEX":
            for action in e.args.get("actions") or []:
                if isinstance(action, exp.AlterRename):
                    self.rename_index(e.this, action.this.name)
            return
        if kind != "TABLE":
            raise _Skip(f"ALTER {kind}: skipped")
        table = self.table(e.this)
        for action in e.args.get("actions") or []:
            self.alter_action(table, action)

    def alter_action(self, table: _Table, action: exp.Expression) -> None:
        where = _qualified((table.schema, table.name))
        if isinstance(action, exp.ColumnDef):
            self.add_column(table, action)
        elif isinstance(action, exp.AddConstraint):
            for item in action.expressions:
                self.add_constraint(table, item)
        elif isinstance(action, exp.Constraint | exp.PrimaryKey | exp.ForeignKey):
            self.add_constraint(table, action)
        elif isinstance(action, exp.Drop):
            kind = (action.args.get("kind") or "").upper()
            names = [t.name for t in action.args.get("tables") or []] or [action.name]
            for name in names:
                if kind == "COLUMN":
                    self.drop_column(table, name)
                else:
                    self.drop_constraint(table, name)
        elif isinstance(action, exp.RenameColumn):
            self.rename_column(table, action.this.name, action.args["to"].name)
        elif isinstance(action, exp.AlterRename):
            new_key = (table.schema, action.this.name)
            del self.tables[(table.schema, table.name)]
            old = (table.schema, table.name)
            table.name = new_key[1]
            self.tables[new_key] = table
            for fk in self.fks:
                if fk.table == old:
                    fk.table = new_key
                if fk.target == old:
                    fk.target = new_key
        elif isinstance(action, exp.AlterColumn):
            col = table.columns.get(action.name)
            if col is None:
                raise _Skip(f"{where}: no column '{action.name}'")
            if action.args.get("dtype") is not None:
                col.type = self.column_type(action.args["dtype"], table, col.name)
            if action.args.get("default") is not None:
                default = action.args["default"]
                if isinstance(default, exp.Anonymous) and default.name.lower() == "nextval":
                    col.increment = True
                else:
                    self.set_default(table, col, default)
            if action.args.get("drop") and action.args.get("allow_null") is None:
                col.default = None
            if action.args.get("allow_null") is not None:
                col.not_null = None if action.args.get("drop") else True
        else:
            raise _Skip(f"{where}: ALTER TABLE action {_short(action.sql(self.target))} skipped")

    def drop(self, e: exp.Drop) -> None:
        kind = (e.args.get("kind") or "").upper()
        if kind == "TABLE":
            for node in [e.this, *(e.args.get("tables") or [])]:
                if node is None:
                    continue
                key = self.key(node)
                if self.tables.pop(key, None) is not None:
                    self.fks = [f for f in self.fks if f.table != key]
        elif kind == "INDEX":
            key = self.key(_dropped(e))
            for table in self.tables.values():
                if key[0] in (table.schema, DEFAULT_SCHEMA):
                    table.indexes = [(i, n) for i, n in table.indexes if n != key[1]]
        elif kind == "TYPE":
            self.enums.pop(self.key(_dropped(e)), None)
        elif kind in ("SCHEMA", "SEQUENCE", "EXTENSION", "VIEW", "FUNCTION"):
            return
        else:
            raise _Skip(f"DROP {kind}: skipped")

    def drop_column(self, table: _Table, name: str) -> None:
        table.columns.pop(name, None)
        table.pk = () if name in table.pk else table.pk
        table.uniques = [u for u in table.uniques if name not in u[0]]
        table.indexes = [(i, n) for i, n in table.indexes if name not in i.columns]
        self.fks = [f for f in self.fks if not (f.table == (table.schema, table.name) and name in f.columns)]

    def drop_constraint(self, table: _Table, name: str) -> None:
        key = (table.schema, table.name)
        if name == (table.pk_name or constraint_name("pk", table.name)):
            table.pk, table.pk_name = (), None
        table.uniques = [u for u in table.uniques if (u[1] or constraint_name("unique", table.name, u[0])) != name]
        table.checks = [c for c in table.checks if c[1] != name]
        self.fks = [f for f in self.fks if not (f.table == key and f.db_name == name)]
        table.indexes = [(i, n) for i, n in table.indexes if n != name]

    def rename_column(self, table: _Table, old: str, new: str) -> None:
        col = table.columns.get(old)
        if col is None:
            raise _Skip(f"{_qualified((table.schema, table.name))}: no column '{old}' to rename")
        col.name = new
        table.columns = {(new if k == old else k): v for k, v in table.columns.items()}
        table.pk = tuple(new if c == old else c for c in table.pk)
        table.uniques = [(tuple(new if c == old else c for c in cols), n) for cols, n in table.uniques]
        key = (table.schema, table.name)
        for fk in self.fks:
            if fk.table == key:
                fk.columns = tuple(new if c == old else c for c in fk.columns)
            if fk.target == key:
                fk.target_columns = tuple(new if c == old else c for c in fk.target_columns)
        renamed = []
        for index, db_name in table.indexes:
            keys = tuple(
                IndexKey(k.kind, new if k.kind == "column" and k.value == old else k.value) for k in index.keys
            )
            renamed.append((Index(**{**_fields(index), "keys": keys}), db_name))
        table.indexes = renamed

    def rename_index(self, node: exp.Expression, new: str) -> None:
        old = self.key(node)[1]
        for table in self.tables.values():
            table.indexes = [
                (Index(**{**_fields(i), "name": new}), new) if n == old else (i, n) for i, n in table.indexes
            ]

    def comment(self, e: exp.Comment) -> None:
        kind = (e.args.get("kind") or "").upper()
        text = e.expression.name if isinstance(e.expression, exp.Literal) else None
        if kind == "TABLE":
            self.table(e.this).note = text
        elif kind == "COLUMN":
            parts = [p.name for p in e.this.parts]
            key = (parts[-3] if len(parts) > 2 else DEFAULT_SCHEMA, parts[-2])
            if key[0].lower() in DEFAULT_SCHEMAS:
                key = (DEFAULT_SCHEMA, key[1])
            table = self.tables.get(key)
            if table is None or parts[-1] not in table.columns:
                raise _Skip(f"COMMENT ON COLUMN {'.'.join(parts)}: no such column")
            table.columns[parts[-1]].note = text
        elif kind == "TYPE" and text is not None:
            self.enum_notes[self.key(e.this)] = text

    def insert(self, e: exp.Insert) -> None:
        target = e.this
        table = self.table(target)
        columns = tuple(_names(target.expressions)) if isinstance(target, exp.Schema) else tuple(table.columns)
        values = e.expression
        if not isinstance(values, exp.Values):
            raise _Skip(f"{_qualified((table.schema, table.name))}: INSERT ... SELECT skipped")
        rows = []
        for row in values.expressions:
            items = row.expressions if isinstance(row, exp.Tuple) else [row]
            rows.append(tuple(self.literal(v) for v in items))
        table.records.append(Records(columns, tuple(rows)))

    def command(self, e: exp.Command) -> None:
        text = e.sql(self.target)
        upper = " ".join(text.upper().split())
        if upper.startswith("ALTER TYPE"):
            self.alter_type(text)
        elif upper.startswith("ALTER TABLE") and " ADD GENERATED " in upper:
            m = re.search(r"ALTER\s+COLUMN\s+(\"(?:[^\"]|\"\")+\"|\S+)\s+ADD\s+GENERATED", text, re.I)
            table = self._command_table(text)
            if m and table is not None:
                name = _unquote(m.group(1))
                if name in table.columns:
                    table.columns[name].increment = True
        elif upper.startswith("ALTER TABLE") and " ADD CHECK " in upper:
            table = self._command_table(text)
            body = text[upper.index(" ADD CHECK ") + len(" ADD CHECK ") :]
            tree = _parse_one(body, self.target)
            if table is not None and tree is not None:
                inner = tree.this if isinstance(tree, exp.Paren) else tree
                table.checks.append((self.expression_text(inner), None))
        elif upper.startswith(QUIET):
            return
        else:
            raise _Skip(f"statement skipped: {_short(text)}")

    def _command_table(self, text: str) -> _Table | None:
        tokens = _tokens(text, self.target)
        words = [t.text.upper() for t in tokens]
        i = 2
        if len(words) > 2 and words[2] == "ONLY":
            i = 3
        parts, _ = _dotted_name(tokens, i)
        if not parts:
            return None
        schema = parts[-2] if len(parts) > 1 else DEFAULT_SCHEMA
        schema = DEFAULT_SCHEMA if schema.lower() in DEFAULT_SCHEMAS else schema
        return self.tables.get((schema, parts[-1]))

    def alter_type(self, text: str) -> None:
        tokens = _tokens(text, self.target)
        parts, i = _dotted_name(tokens, 2)
        if not parts:
            raise _Skip(f"statement skipped: {_short(text)}")
        schema = parts[-2] if len(parts) > 1 else DEFAULT_SCHEMA
        key = (DEFAULT_SCHEMA if schema.lower() in DEFAULT_SCHEMAS else schema, parts[-1])
        values = self.enums.get(key)
        rest = [t for t in tokens[i:]]
        words = [t.text.upper() for t in rest]
        strings = [t.text for t in rest if t.token_type == TokenType.STRING]
        if values is None:
            raise _Skip(f"ALTER TYPE {_qualified(key)}: no such enum")
        if words[:2] == ["ADD", "VALUE"] and strings:
            value = strings[0]
            if value in values:
                return
            if "BEFORE" in words and len(strings) > 1 and strings[1] in values:
                values.insert(values.index(strings[1]), value)
            elif "AFTER" in words and len(strings) > 1 and strings[1] in values:
                values.insert(values.index(strings[1]) + 1, value)
            else:
                values.append(value)
        elif words[:2] == ["RENAME", "VALUE"] and len(strings) == 2 and strings[0] in values:
            values[values.index(strings[0])] = strings[1]
        elif words[:2] == ["RENAME", "TO"] and len(rest) > 2:
            self.enums[(key[0], rest[2].text)] = self.enums.pop(key)
        else:
            raise _Skip(f"statement skipped: {_short(text)}")

    # ------------------------------------------------------------ values

    def column_type(self, node: exp.Expression | None, table: _Table, column: str) -> ColumnType:
        if not isinstance(node, exp.DataType):
            return ColumnType("text")
        if node.this == exp.DataType.Type.USERDEFINED:
            kind = node.args.get("kind")
            if isinstance(kind, exp.Dot):
                parts = [kind.this.name, kind.expression.name]
            elif isinstance(kind, exp.Identifier):
                parts = [kind.name]
            elif kind is not None:
                parts = [p.name for p in kind.find_all(exp.Identifier)]
            else:
                parts = [node.sql(self.target)]
            schema = parts[-2] if len(parts) > 1 else None
            if schema is not None and schema.lower() in DEFAULT_SCHEMAS:
                schema = None
            return ColumnType(parts[-1], schema)
        if node.this == exp.DataType.Type.ENUM and self.target == "mysql":
            name = f"{table.name}_{column}"
            self.enums[(table.schema, name)] = [v.name for v in node.expressions]
            return ColumnType(name, None if table.schema == DEFAULT_SCHEMA else table.schema)
        if node.this == exp.DataType.Type.ARRAY and node.expressions:
            inner = self.column_type(node.expressions[0], table, column)
            return ColumnType(inner.name, inner.schema, inner.args, (*inner.dims, "[]"))
        # SQLite keeps the declared type name as written; sqlglot's SQLite dialect would print its
        # storage class instead (VARCHAR(20) as TEXT(20)), so read it back with the generic dialect
        text = node.sql("" if self.target == "sqlite" else self.target).lower()
        m = re.match(r"(.*?)\s*(?:\((.*)\))?\s*\Z", text, re.S)
        name, args = (m.group(1), m.group(2)) if m else (text, None)
        name = TYPE_NAMES.get(name, name)
        return ColumnType(name, None, tuple(a.strip() for a in args.split(",")) if args is not None else None)

    def set_default(self, table: _Table, col: _Col, value: exp.Expression) -> None:
        if isinstance(value, exp.Anonymous) and value.name.lower() == "nextval":
            col.increment = True
            return
        col.default = self.literal(value, col)

    def literal(self, value: exp.Expression, col: _Col | None = None) -> Literal:
        node = _strip_cast(value)
        if isinstance(node, exp.Null):
            return Literal("null", "null")
        if isinstance(node, exp.Boolean):
            return Literal("boolean", "true" if node.this else "false")
        if isinstance(node, exp.Literal):
            return Literal("string" if node.is_string else "number", node.this)
        if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and not node.this.is_string:
            return Literal("number", "-" + node.this.this)
        return Literal("expression", self.expression_text(value))

    def expression_text(self, node: exp.Expression) -> str:
        tree = node.copy().transform(_strip_literal_casts)
        if isinstance(tree, exp.Paren):
            tree = tree.this
        return tree.sql(self.target, comments=False)

    # ------------------------------------------------------------ the model

    def freeze(self) -> Schema:
        enums = tuple(
            Enum(name=n, schema=s, values=tuple(EnumValue(v) for v in values), note=self.enum_notes.get((s, n)))
            for (s, n), values in self.enums.items()
        )
        enum_keys = set(self.enums)
        tables = tuple(self._freeze_table(t, enum_keys) for t in self.tables.values())
        refs = []
        by_key = {(t.schema, t.name): t for t in tables}
        for fk in self.fks:
            if fk.table not in by_key or fk.target not in by_key:
                self.warnings.append(f"foreign key {fk.db_name}: its table is missing; relationship left out")
                continue
            owner = by_key[fk.table]
            one_to_one = set(fk.columns) == set(owner.primary_key) or any(
                i.unique and set(i.columns) == set(fk.columns) for i in owner.indexes
            )
            if len(fk.columns) == 1 and owner.column(fk.columns[0]) and owner.column(fk.columns[0]).unique:
                one_to_one = True
            refs.append(
                Ref(
                    left=Endpoint(fk.table[0], fk.table[1], fk.columns, "1" if one_to_one else "*"),
                    op="-" if one_to_one else ">",
                    right=Endpoint(fk.target[0], fk.target[1], fk.target_columns, "1"),
                    name=fk.name,
                    on_delete=fk.on_delete,
                    on_update=fk.on_update,
                )
            )
        return Schema(tables=tables, refs=tuple(refs), enums=enums)

    def _freeze_table(self, t: _Table, enum_keys: set) -> Table:
        pk_named = t.pk_name not in (None, constraint_name("pk", t.name))
        single_pk = len(t.pk) == 1 and not pk_named
        unique_cols = {
            cols[0]
            for cols, name in t.uniques
            if len(cols) == 1 and _is_default_name(name, constraint_name("unique", t.name, cols))
        }
        columns = []
        column_checks: dict[str, list[Check]] = {}
        table_checks: list[Check] = []
        for expression, name in t.checks:
            owner = _check_owner(t, name)
            if owner is not None:
                column_checks.setdefault(owner, []).append(Check(expression))
            elif name is None or re.fullmatch(re.escape(constraint_name("check", t.name)) + r"\d*", name):
                table_checks.append(Check(expression))
            else:
                table_checks.append(Check(expression, name))
        for col in t.columns.values():
            ctype = col.type
            enum = None
            key = (ctype.schema or DEFAULT_SCHEMA, ctype.name)
            if key in enum_keys and ctype.args is None:
                enum = ctype.name if key[0] == DEFAULT_SCHEMA else f"{key[0]}.{ctype.name}"
            default = col.default
            if default is not None and default.kind == "null":
                default = None
            is_pk = single_pk and t.pk == (col.name,)
            not_null = col.not_null
            if (is_pk or col.name in t.pk) and not_null:
                not_null = None if is_pk else True
            columns.append(
                Column(
                    name=col.name,
                    type=ctype,
                    pk=is_pk,
                    not_null=not_null,
                    unique=col.name in unique_cols and not is_pk,
                    increment=col.increment,
                    default=default,
                    note=col.note,
                    checks=tuple(column_checks.get(col.name, ())),
                    enum=enum,
                )
            )
        indexes = []
        if t.pk and not single_pk:
            indexes.append(
                Index(keys=tuple(IndexKey("column", c) for c in t.pk), pk=True, name=t.pk_name if pk_named else None)
            )
        for cols, name in t.uniques:
            if len(cols) == 1 and cols[0] in unique_cols:
                continue
            default = constraint_name("unique", t.name, cols)
            indexes.append(
                Index(
                    keys=tuple(IndexKey("column", c) for c in cols),
                    unique=True,
                    name=None if _is_default_name(name, default) else name,
                )
            )
        indexes.extend(i for i, _ in t.indexes)
        return Table(
            name=t.name,
            schema=t.schema,
            columns=tuple(columns),
            indexes=tuple(indexes),
            checks=tuple(table_checks),
            note=t.note,
            records=tuple(t.records),
        )


def _dotted_name(tokens, i: int) -> tuple[list[str], int]:
    """The name `a` or `a.b` starting at token i, and the index after it."""
    parts: list[str] = []
    while i < len(tokens):
        parts.append(tokens[i].text)
        if i + 1 < len(tokens) and tokens[i + 1].token_type == TokenType.DOT:
            i += 2
            continue
        return parts, i + 1
    return parts, i


def _dropped(e: exp.Drop) -> exp.Expression:
    node = e.this if e.this is not None else (e.args.get("tables") or [None])[0]
    if node is None:
        raise _Skip(f"{_short(e.sql())}: nothing to drop")
    return node


def _check_owner(t: _Table, name: str | None) -> str | None:
    """The column a check belongs to when its name is the default for a column check."""
    if name is None:
        return None
    for col in t.columns:
        if re.fullmatch(re.escape(constraint_name("check", t.name, [col])) + r"\d*", name):
            return col
    return None


def _is_default_name(name: str | None, default: str) -> bool:
    return name is None or bool(re.fullmatch(re.escape(default) + r"\d*", name))


def _fields(index: Index) -> dict:
    return {f: getattr(index, f) for f in ("keys", "name", "unique", "pk", "type", "note", "where", "include")}


def _names(nodes) -> list[str]:
    return [n.name for n in nodes]


def _strip_cast(node: exp.Expression) -> exp.Expression:
    while isinstance(node, exp.Paren | exp.Cast) and (
        isinstance(node, exp.Paren) or isinstance(_unparen(node.this), exp.Literal | exp.Neg | exp.Null | exp.Boolean)
    ):
        node = node.this
    return node


def _unparen(node: exp.Expression) -> exp.Expression:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _strip_literal_casts(node: exp.Expression) -> exp.Expression:
    """`(0)::numeric` -> 0 and `'x'::text` -> 'x' (what pg_dump adds to checks and predicates)."""
    if isinstance(node, exp.Cast) and isinstance(_unparen(node.this), exp.Literal):
        return _unparen(node.this).copy()
    if isinstance(node, exp.EQ) and isinstance(node.expression, exp.Any):
        # PostgreSQL prints `x IN ('a', 'b')` as `x = ANY (ARRAY['a', 'b'])`
        array = _unparen(node.expression.this)
        if isinstance(array, exp.Array):
            values = [_strip_literal_casts(v.copy()) for v in array.expressions]
            return exp.In(this=node.this.copy(), expressions=values)
    return node


def _parse_one(text: str, target: str) -> exp.Expression | None:
    return parse_one(text, target)


def _tokens(text: str, target: str):
    try:
        return sqlglot.Dialect.get_or_raise(target).tokenize(text)
    except SqlglotError:
        return []


def _unquote(text: str) -> str:
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1].replace('""', '"')
    return text


def _qualified(key: tuple[str, str]) -> str:
    return key[1] if key[0] == DEFAULT_SCHEMA else f"{key[0]}.{key[1]}"


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
