"""SQL DDL to a schema model, through sqlglot: `import_sql(text, dialect)` and `schema_from_statements`.

Statements are applied in order to a mutable state, so a series of migration files rebuilds the schema
they produce: CREATE/DROP/RENAME TABLE; ADD/DROP/RENAME COLUMN; ALTER COLUMN TYPE, SET/DROP NOT NULL,
SET/DROP DEFAULT; ADD/DROP CONSTRAINT; CREATE/DROP INDEX; CREATE/DROP TYPE ... AS ENUM; ALTER TYPE
ADD VALUE / RENAME VALUE; COMMENT ON; INSERT (as one Records block per table, values typed for their
column); SQL Server's MS_Description extended properties as notes; CREATE DOMAIN as its columns' type and
constraints. What a `pg_dump --schema-only` adds (SET, OWNER TO, sequences, grants) changes nothing in the
model and is passed quietly. Everything else that is not carried over, a whole statement (a view, a
function, a trigger, an extension) or a part of one (a collation, a generated column's expression), is a
`Skipped` entry with its line: nothing is lost without a word.

The text is cut into statements by `split` (strings, comments, `$$` bodies, GO batches, COPY data),
rewritten where a dialect has a form sqlglot does not read (`rewrite`), and parsed one statement at a time.

Names that follow dbdsl's (and PostgreSQL's) default naming (`t_pkey`, `t_c_key`, `t_c_fkey`, `t_c_idx`,
`t_c_check`) are dropped, so a schema written by `dbdsl sql` comes back as it was written.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
from sqlglot.tokens import Token, TokenType

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
    Setting,
    Table,
)
from ..physical.partitions import read_partitioning, with_partitioning
from ..sqlread import parse_one, quiet_sqlglot
from .copy import copy_insert
from .rewrite import prepare
from .split import ROUTINE, split
from .values import INTEGER_TYPES, typed_literal

DEFAULT_SCHEMAS = {"public", "dbo", "main"}
QUIET = (
    "SET", "SELECT PG_CATALOG.SET_CONFIG", "COMMENT ON EXTENSION", "ALTER SEQUENCE",
    "GRANT", "REVOKE", "BEGIN", "COMMIT", "START TRANSACTION", "PRAGMA", "USE", "GO",
)  # fmt: skip
CLUSTERING = (exp.ClusteredColumnConstraint, exp.NonClusteredColumnConstraint)  # SQL Server key lists
# dropping what the model does not hold changes nothing in it
DROP_QUIETLY = (
    "SCHEMA", "SEQUENCE", "EXTENSION", "VIEW", "MATERIALIZED VIEW", "FUNCTION", "PROCEDURE", "TRIGGER",
    "DOMAIN", "RULE", "EVENT", "DATABASE",
)  # fmt: skip
MYSQL_CONDITIONAL = re.compile(r"/\*!\d*\s?(.*?)\*/", re.DOTALL)
UNMODELLED_STATEMENT = re.compile(
    r"\s*(CLUSTER|VACUUM|ANALYZE|REINDEX|REFRESH|CREATE\s+VIRTUAL\s+TABLE)\b", re.IGNORECASE
)
UNMODELLED = {
    "CLUSTER": "a one-time physical row order, not part of a schema model",
    "VACUUM": "maintenance, not part of a schema model",
    "ANALYZE": "maintenance, not part of a schema model",
    "REINDEX": "maintenance, not part of a schema model",
    "REFRESH": "maintenance, not part of a schema model",
    "CREATE VIRTUAL TABLE": "virtual tables (and the tables their module makes) are not part of a schema model",
}
# table options that say nothing about the schema: row counters, temporary-ness read elsewhere
QUIET_PROPERTIES = (exp.AutoIncrementProperty,)
NULL = Literal("null", "null")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)
ORACLE_INTEGERS = {"3": "tinyint", "5": "smallint", "7": "mediumint", "10": "int", "19": "bigint"}
DEEP_RECURSION = 8000
SAFE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NOT_MODELLED = {
    "VIEW": "views are not part of a schema model",
    "MATERIALIZED VIEW": "materialized views are not part of a schema model",
    "FUNCTION": "functions are not part of a schema model",
    "PROCEDURE": "procedures are not part of a schema model",
    "TRIGGER": "triggers are not part of a schema model",
    "RULE": "rules are not part of a schema model",
    "EXTENSION": "extensions are installed on the server, not part of a schema model",
}
SERIAL_TYPES = {"serial", "smallserial", "bigserial"}
TYPE_NAMES = {
    "integer": "int",
    "int4": "int",
    "int8": "bigint",
    "int2": "smallint",
    "character varying": "varchar",
    "timestamp with time zone": "timestamptz",
    "numeric": "decimal",
}


@dataclass(frozen=True)
class Skipped:
    """A statement, or part of one, that was not carried over, and why; `line` is where it begins."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


@dataclass
class ImportResult:
    schema: Schema
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [str(s) for s in self.skipped]


def import_sql(text: str, dialect: str) -> ImportResult:
    """Read DDL (a dump, a migration) in one of our dialects into a Schema."""
    statements, skipped = read_statements(text, dialect)
    result = schema_from_statements(statements, dialect)
    result.skipped[:0] = skipped
    result.skipped.sort(key=lambda s: s.line or 0)
    return result


def split_statements(text: str, dialect: str) -> tuple[list[exp.Expression], list[str]]:
    """`read_statements` with its skipped statements as warning lines."""
    statements, skipped = read_statements(text, dialect)
    return statements, [str(s) for s in skipped]


def read_statements(text: str, dialect: str) -> tuple[list[exp.Expression], list[Skipped]]:
    """Parse statement by statement, so that one statement sqlglot cannot read costs only itself. Each
    statement's first line is in its `meta["line"]`.

    `dialect` is one of ours (postgres, mysql, sqlite, mssql, oracle, snowflake); ValueError otherwise.
    """
    target = sqlglot_dialect(dialect)
    skipped: list[Skipped] = []
    out: list[exp.Expression] = []
    with quiet_sqlglot(), _deep_recursion():
        for piece in split(text, target):
            if piece.problem is not None:
                skipped.append(Skipped(piece.line, f"{_short(piece.text, 60)}: skipped, {piece.problem}"))
                continue
            if piece.data is not None:  # pg_dump's COPY ... FROM stdin and its rows
                insert = copy_insert(piece.text, piece.data, target)
                if not piece.data.strip():
                    continue  # no rows: nothing to carry
                if insert is not None:
                    insert.meta["line"] = piece.line
                    out.append(normalize_identifiers(insert, dialect=target) if target == "postgres" else insert)
                else:
                    skipped.append(Skipped(piece.line, f"{_short(piece.text, 60)}: skipped, cannot be read"))
                continue
            if target == "mysql":  # /*!50003 ... */ is code MySQL runs: read it as such
                piece = replace(piece, text=MYSQL_CONDITIONAL.sub(r"\1", piece.text))
            if m := UNMODELLED_STATEMENT.match(piece.text):
                reason = UNMODELLED[" ".join(m.group(1).upper().split())]
                skipped.append(Skipped(piece.line, f"{_short(piece.text, 60)}: skipped, {reason}"))
                continue
            routine = ROUTINE.match(piece.text)
            if routine:  # sqlglot would cut its body at the semicolons
                kind = {"PROC": "PROCEDURE"}.get(routine.group(1).upper(), routine.group(1).upper())
                reason = NOT_MODELLED.get(kind, "not part of a schema model")
                skipped.append(Skipped(piece.line, f"{_short(piece.text, 60)}: skipped, {reason}"))
                continue
            lost: list[str] = []
            for body, schema in prepare(piece.text, target, lost):
                try:
                    parsed = sqlglot.parse(body, read=target)
                except (SqlglotError, ValueError, TypeError) as e:
                    message = _reason(e)
                    skipped.append(Skipped(piece.line, f"{_short(body, 60)}: skipped, cannot be read ({message})"))
                    continue
                except RecursionError:
                    skipped.append(Skipped(piece.line, f"{_short(body, 60)}: skipped, nested too deeply to read"))
                    continue
                for p in parsed:
                    if isinstance(p, exp.Expression):
                        if schema is not None:
                            _qualify(p, schema)
                        if target == "postgres":  # unquoted names are lower case there
                            p = normalize_identifiers(p, dialect=target)
                        p.meta["line"] = piece.line
                        if target == "sqlite" and isinstance(p, exp.Create):
                            p.meta["declared"] = _sqlite_declared(body)
                        out.append(p)
            skipped.extend(Skipped(piece.line, f"{_short(piece.text, 60)}: {m}") for m in lost)
    return out, skipped


SQLITE_CONSTRAINT_WORDS = {
    "CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES",
    "GENERATED", "AS", "AUTOINCREMENT",
}  # fmt: skip


def _sqlite_declared(text: str) -> dict[str, str]:
    """The type names of a SQLite CREATE TABLE's columns as written (upper case, without arguments):
    sqlglot reads INTEGER as INT, but SQLite gives `INTEGER PRIMARY KEY` a meaning of its own."""
    tokens = _tokens(text, "sqlite")
    start = next((i for i, t in enumerate(tokens) if t.token_type == TokenType.L_PAREN), None)
    if start is None:
        return {}
    items: list[list] = [[]]
    depth = 0
    for token in tokens[start + 1 :]:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            if depth == 0:
                break
            depth -= 1
        elif token.token_type == TokenType.COMMA and depth == 0:
            items.append([])
            continue
        if depth == 0:
            items[-1].append(token)
    out = {}
    for item in items:
        if len(item) < 2 or item[0].text.upper() in SQLITE_CONSTRAINT_WORDS | {"FOREIGN"}:
            continue
        words = []
        for token in item[1:]:
            first = token.text.upper().split()[0] if token.text.strip() else ""
            if first in SQLITE_CONSTRAINT_WORDS or token.token_type in (TokenType.L_PAREN, TokenType.R_PAREN):
                break
            words.append(token.text.upper())
        if words:
            out[item[0].text] = " ".join(words)
    return out


def _reason(error: Exception) -> str:
    """sqlglot's message in a few words: tokens by their text, positions (within the statement) left out."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    text = re.sub(r"<Token token_type: [\w.]+, text: (.*?), line: .*?>", r"'\1'", text)
    return re.sub(r"\.?\s*Line \d+, Col: \d+\.?", "", text).strip()


def _qualify(statement: exp.Expression, schema: str) -> None:
    """Names without a schema in an element of `CREATE SCHEMA s ...` are in `s`."""
    for table in statement.find_all(exp.Table):
        if not table.args.get("db") and table.name:
            table.set("db", exp.to_identifier(schema))


@contextmanager
def _deep_recursion() -> Iterator[None]:
    """sqlglot reads nested parentheses by recursion, a few frames a level: PostgreSQL accepts 60 levels
    in a default, and the import should read what the engine reads."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, DEEP_RECURSION))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def schema_from_statements(expressions: list[exp.Expression], dialect: str) -> ImportResult:
    """Apply parsed statements in order and return the schema they leave (see the module docstring)."""
    state = _State(sqlglot_dialect(dialect))
    partitioned: dict = {}
    if state.target == "postgres":  # partitions are the parent's: see physical.partitions
        expressions, partitioned = read_partitioning(expressions, DEFAULT_SCHEMA)
    for expression in expressions:
        state.line = expression.meta.get("line") if expression.meta else None
        try:
            with _deep_recursion():
                state.apply(expression)
        except _Skip as e:
            state.warn(str(e))
        except RecursionError:
            state.warn("statement skipped, nested too deeply to read")
        except (AttributeError, TypeError, ValueError, IndexError, KeyError) as e:
            # a form this importer does not expect: one line in the summary, the other statements kept
            text = _short(expression.sql(state.target), 60)
            state.warn(f"{text}: skipped, the importer cannot read this form ({type(e).__name__}: {e})")
    schema = with_partitioning(state.freeze(), partitioned)
    return ImportResult(schema, state.skipped)


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
    options: dict[str, str] = field(default_factory=dict)  # collation, charset: said only when not the table's
    on_update: str | None = None  # MySQL's ON UPDATE CURRENT_TIMESTAMP, kept as the column setting on_update


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
    records_line: int | None = None  # of the first INSERT
    settings: dict[str, str] = field(default_factory=dict)  # engine, charset, collation (MySQL)


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
    line: int | None = None


class _State:
    def __init__(self, target: str) -> None:
        self.target = target
        self.tables: dict[tuple[str, str], _Table] = {}
        self.enums: dict[tuple[str, str], list[str]] = {}
        self.enum_notes: dict[tuple[str, str], str] = {}
        self.fks: list[_Fk] = []
        self.domains: dict[tuple[str, str], exp.ColumnDef] = {}
        self.views: set[tuple[str, str]] = set()  # materialized views skipped (their indexes go with them)
        self.declared: dict[str, str] = {}  # SQLite: the type names of the table being created, as written
        self.skipped: list[Skipped] = []
        self.line: int | None = None  # of the statement being applied

    def warn(self, message: str) -> None:
        self.skipped.append(Skipped(self.line, message))

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
            elif kind.endswith("INDEX"):  # also SQL Server's [NON]CLUSTERED INDEX
                self.create_index(e)
            elif kind == "TYPE":
                self.create_type(e)
            elif kind in ("SCHEMA", "SEQUENCE", "DATABASE"):
                return
            elif kind == "EXTENSION":
                raise _Skip(f"{_created(e, kind, self.target)}: skipped, {NOT_MODELLED['EXTENSION']}")
            elif kind == "VIEW" and e.find(exp.MaterializedProperty):
                self.views.add(self.key(e.this))
                raise _Skip(
                    f"{_created(e, 'MATERIALIZED VIEW', self.target)}: skipped, {NOT_MODELLED['MATERIALIZED VIEW']}"
                )
            else:
                raise _Skip(
                    f"{_created(e, kind, self.target)}: skipped, {NOT_MODELLED.get(kind, 'not part of a schema model')}"
                )
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
        elif isinstance(e, exp.Execute) and "SP_ADDEXTENDEDPROPERTY" in e.sql(self.target).upper():
            self.extended_property(e.sql(self.target))
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
        self.declared = e.meta.get("declared") or {}
        for item in body.expressions:
            if isinstance(item, exp.ColumnDef):
                self.add_column(table, item)
            elif isinstance(item, exp.LikeProperty):
                self.like(table, item)
            elif isinstance(item, exp.Identifier):  # SQLite: a column declared without a type
                self.add_column(table, exp.ColumnDef(this=item.copy()))
            else:
                self.add_constraint(table, item)
        for prop in (e.args.get("properties") or exp.Properties(expressions=[])).expressions:
            if isinstance(prop, exp.SchemaCommentProperty):
                table.note = prop.this.name
            elif isinstance(prop, exp.EngineProperty):
                table.settings["engine"] = prop.this.name
            elif isinstance(prop, exp.CharacterSetProperty):
                table.settings["charset"] = prop.this.name
            elif isinstance(prop, exp.CollateProperty):
                table.settings["collation"] = prop.this.name
            elif isinstance(prop, exp.PartitionedByProperty) and self.target == "postgres":
                continue  # read by read_partitioning as the table's partition_by
            elif not isinstance(prop, QUIET_PROPERTIES):
                self.warn(f"{_qualified(key)}: table option {_short(prop.sql(self.target), 60)} left out")
        for col in table.columns.values():
            for option, value in col.options.items():
                if table.settings.get(option, "").lower() != value.lower():
                    self.warn(f"{_qualified(key)}.{col.name}: {option} {value} left out")
        if self.target == "sqlite":
            nullable = [
                c for c in table.pk if c in table.columns and not table.columns[c].not_null
                and not (len(table.pk) == 1 and table.columns[c].declared == "INTEGER")
            ]  # fmt: skip
            if nullable:
                self.warn(
                    f"{_qualified(key)}: primary key column(s) {', '.join(nullable)} accept NULL in SQLite "
                    "(a legacy quirk); the schema's primary key makes them NOT NULL"
                )
        if self.target == "sqlite" and len(table.pk) == 1:
            # an INTEGER PRIMARY KEY is SQLite's rowid: it numbers new rows by itself
            rowid = table.columns.get(table.pk[0])
            if rowid is not None and rowid.declared == "INTEGER":
                rowid.increment = True

    def like(self, table: _Table, node: exp.LikeProperty) -> None:
        """`CREATE TABLE t (LIKE s ...)`: s's columns with their types and NOT NULL (and more only with
        INCLUDING options, which are listed)."""
        source = self.tables.get(self.key(node.this))
        if source is None:
            raise _Skip(f"{_qualified((table.schema, table.name))}: LIKE {node.this.sql(self.target)}: no such table")
        for col in source.columns.values():
            table.columns[col.name] = _Col(col.name, col.type, col.not_null, declared=col.declared)
        if node.expressions:
            options = " ".join(o.sql(self.target) for o in node.expressions)
            self.warn(f"{_qualified((table.schema, table.name))}: LIKE ... {options}: only the columns are copied")

    def add_column(self, table: _Table, node: exp.ColumnDef, ctype: ColumnType | None = None) -> None:
        node = self.with_domain(node)
        kind = node.args.get("kind")
        if kind is None and ctype is None:  # SQLite: `c DEFAULT 0 NOT NULL`, a column without a type
            ctype = ColumnType("blob")
            self.warn(f"{_qualified((table.schema, table.name))}.{node.name} has no declared type: imported as blob")
        col = _Col(node.name, ctype or self.column_type(kind, table, node.name))
        col.declared = kind.sql("").upper() if isinstance(kind, exp.DataType) else ""
        declared = self.declared.get(node.name) if self.target == "sqlite" else None
        if declared and ctype is None:  # SQLite keeps the type name as written (INTEGER, not INT)
            col.declared = declared
            col.type = ColumnType(declared.lower(), col.type.schema, col.type.args, col.type.dims)
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
        elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint) and kind.args.get("expression") is not None:
            self.generated(table, col, kind.args["expression"], stored=None)
        elif isinstance(kind, exp.ComputedColumnConstraint):
            stored = bool(kind.args.get("persisted")) if self.target == "mysql" else None
            self.generated(table, col, kind.this, stored=stored)
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
        elif isinstance(kind, exp.PrimaryKey | exp.ForeignKey):
            # a table constraint after a column without the comma between them (SQL Server reads it so)
            self.add_constraint(table, exp.Constraint(this=c.this, expressions=[kind]) if c.this else kind)
        elif isinstance(kind, exp.CollateColumnConstraint):
            col.options["collation"] = kind.this.name
        elif isinstance(kind, exp.CharacterSetColumnConstraint):
            col.options["charset"] = kind.this.name
        elif isinstance(kind, exp.OnUpdateColumnConstraint):
            col.on_update = self.expression_text(kind.this)
        elif kind is not None:
            self.warn(f"{_qualified((table.schema, table.name))}.{col.name}: {_short(c.sql(self.target), 60)} left out")

    def generated(self, table: _Table, col: _Col, expression: exp.Expression, *, stored: bool | None) -> None:
        """A generated column is kept as a plain column of its type; its expression is listed."""
        how = {True: " STORED", False: " VIRTUAL", None: ""}[stored]
        self.warn(
            f"{_qualified((table.schema, table.name))}.{col.name}: generated column "
            f"(AS ({self.expression_text(expression)}){how}) imported as a plain column"
        )

    def add_constraint(self, table: _Table, item: exp.Expression) -> None:
        name = None
        if isinstance(item, exp.Constraint):
            name = item.name
            items = item.expressions
        else:
            items = [item]
        clustered = [n for n in items if isinstance(n, CLUSTERING)]
        for node in items:
            if isinstance(node, exp.PrimaryKey):
                table.pk, table.pk_name = tuple(_names(node.expressions)), name
            elif isinstance(node, exp.PrimaryKeyColumnConstraint) and clustered:
                # SQL Server: CONSTRAINT [PK_t] PRIMARY KEY CLUSTERED ([Id] ASC)
                table.pk, table.pk_name = tuple(_names(clustered[0].this)), name
            elif isinstance(node, CLUSTERING):
                continue
            elif isinstance(node, exp.IndexColumnConstraint):
                self.inline_index(table, node)
            elif isinstance(node, exp.ForeignKey):
                self.add_fk(table, tuple(_names(node.expressions)), node.args["reference"], name)
            elif isinstance(node, exp.UniqueColumnConstraint):
                inner = node.this
                if isinstance(inner, CLUSTERING):
                    columns = inner.this or []  # SQL Server: UNIQUE NONCLUSTERED ([a] ASC)
                else:
                    columns = inner.expressions if isinstance(inner, exp.Schema) else []
                    if name is None and isinstance(inner, exp.Schema) and isinstance(inner.this, exp.Identifier):
                        name = inner.this.name  # MySQL: UNIQUE KEY name (columns)
                using = node.args.get("index_type")
                using = (using.name if isinstance(using, exp.Expression) else str(using or "")).lower()
                plain = all(isinstance(c, exp.Identifier | exp.Column | exp.Ordered) for c in columns)
                if (using and using != "btree") or not plain:
                    # MySQL: UNIQUE ... USING HASH, or on a prefix (`uri(190)`): a unique index
                    keyed = tuple(self.index_key(c, table) for c in columns)
                    index = Index(keys=keyed, name=name, unique=True, type=None if using == "btree" else using or None)
                    table.indexes.append((index, name or constraint_name("unique", table.name, _names(columns))))
                else:
                    table.uniques.append((tuple(_names(columns)), name))
            elif isinstance(node, exp.CheckColumnConstraint):
                table.checks.append((self.expression_text(node.this), name))
            else:  # an exclusion constraint, or another kind the schema language cannot say
                label = f"constraint {name} " if name else "constraint "
                text = _short(node.sql(self.target), 60)
                self.warn(f"{_qualified((table.schema, table.name))}: {label}{text} left out")

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
                self.line,
            )
        )

    def inline_index(self, table: _Table, node: exp.IndexColumnConstraint) -> None:
        """MySQL's `KEY name (a, b)`, `FULLTEXT KEY`, `SPATIAL KEY` inside CREATE TABLE."""
        keys = tuple(self.index_key(c, table) for c in node.expressions)
        kind = (node.args.get("kind") or "").lower() or None
        using = node.args.get("index_type")
        if kind is None and isinstance(using, exp.Expression):
            kind = using.name.lower()
        for option in node.args.get("options") or []:  # `KEY k (a) USING HASH`
            if kind is None and option.args.get("using") is not None:
                kind = str(option.args["using"]).lower()
        db_name = node.name or None
        default = constraint_name("index", table.name, [k.value if k.kind == "column" else "expr" for k in keys])
        index = Index(
            keys=keys,
            name=None if _is_default_name(db_name, default) else db_name,
            type=None if kind in (None, "btree") else kind,
        )
        table.indexes.append((index, db_name or default))

    def create_index(self, e: exp.Create) -> None:
        node = e.this
        if not isinstance(node, exp.Index) or node.args.get("table") is None:
            raise _Skip(f"{_short(e.sql(self.target))}: index skipped")
        if self.key(node.args["table"]) in self.views:
            raise _Skip(f"{_short(e.sql(self.target), 60)}: skipped with its materialized view")
        table = self.table(node.args["table"])
        params = node.args.get("params") or exp.IndexParameters()
        keys: list[IndexKey] = []
        for column in params.args.get("columns") or []:
            keys.append(self.index_key(column, table))
        unique = bool(e.args.get("unique"))
        using = params.args.get("using")
        kind = using.name.lower() if using is not None else None
        if kind is None and (e.args.get("kind") or "").upper().startswith("CLUSTERED"):
            kind = "clustered"
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

    def create_domain(self, text: str) -> None:
        """`CREATE DOMAIN d AS type [DEFAULT v] [NOT NULL] [CHECK (VALUE ...)]`: the DSL has no domains, so
        a column of type d gets d's type, default, nullability and checks; the domain itself is listed."""
        tokens = _tokens(text, self.target)
        parts, i = _dotted_name(tokens, 2, self.target == "postgres")
        if not parts or i >= len(tokens):
            raise _Skip(f"{_short(text)}: skipped, cannot be read")
        rest = text[tokens[i].start :]
        rest = re.sub(r"^AS\s+", "", rest, flags=re.IGNORECASE)
        tree = _parse_one(f"CREATE TABLE _domain (value {rest})", self.target)
        body = tree.this if isinstance(tree, exp.Create) else None
        columns = body.expressions if isinstance(body, exp.Schema) else []
        if not columns or not isinstance(columns[0], exp.ColumnDef):
            raise _Skip(f"{_short(text)}: skipped, cannot be read")
        schema = parts[-2] if len(parts) > 1 and parts[-2].lower() not in DEFAULT_SCHEMAS else DEFAULT_SCHEMA
        definition = columns[0]
        self.domains[(schema, parts[-1])] = definition
        raise _Skip(
            f"CREATE DOMAIN {_qualified((schema, parts[-1]))}: not kept as a type; its columns are "
            f"{definition.args['kind'].sql(self.target).lower()} with its constraints"
        )

    def with_domain(self, node: exp.ColumnDef) -> exp.ColumnDef:
        """The column with its domain's type and constraints, when its type is a domain."""
        kind = node.args.get("kind")
        if not self.domains or not isinstance(kind, exp.DataType) or kind.expressions:
            return node
        ctype = self.column_type(kind, _Table(DEFAULT_SCHEMA, ""), node.name)
        key = (ctype.schema or DEFAULT_SCHEMA, ctype.name)
        domain = self.domains.get(key)
        if domain is None:  # sqlglot reads `"Name"` as the built-in type name: match such names by their letters
            found = [d for (s, n), d in self.domains.items() if (s, n.lower()) == (key[0], key[1].lower())]
            domain = found[0] if len(found) == 1 else None
        if domain is None:
            return node
        own = list(node.args.get("constraints") or [])
        inherited = []
        for c in domain.args.get("constraints") or []:
            if isinstance(c.kind, exp.NotNullColumnConstraint) and any(
                isinstance(o.kind, exp.NotNullColumnConstraint) for o in own
            ):
                continue  # the column says NULL or NOT NULL itself
            if isinstance(c.kind, exp.DefaultColumnConstraint) and any(
                isinstance(o.kind, exp.DefaultColumnConstraint) for o in own
            ):
                continue
            copy = c.copy()
            for ref in copy.find_all(exp.Column):
                if ref.name.lower() == "value" and not ref.table:
                    ref.set("this", exp.to_identifier(node.name))
            copy.set("this", None)
            inherited.append(copy)
        return exp.ColumnDef(this=node.this.copy(), kind=domain.args["kind"].copy(), constraints=inherited + own)

    def index_key(self, column: exp.Expression, table: _Table) -> IndexKey:
        """A column, a column with its direction (`created_at DESC`), or an expression."""
        ordered = column if isinstance(column, exp.Ordered) else None
        inner = _unparen(column.this if ordered is not None else column)
        prefix = self.prefix_length(inner, table)
        if prefix is not None:  # MySQL's `name(10)`: the key `name(10)` (see emit.sql.prefix_key)
            name, length = prefix
            return IndexKey("expression", f"{_plain_name(name)}({length})")
        order = self.key_order(ordered)
        if isinstance(inner, exp.Column) and not inner.table:
            return IndexKey("expression", _plain_name(inner.name) + order) if order else IndexKey("column", inner.name)
        return IndexKey("expression", self.expression_text(inner) + order)

    def key_order(self, ordered: exp.Ordered | None) -> str:
        """` DESC`, and ` NULLS FIRST|LAST` where it is not the direction's default (PostgreSQL: NULLs sort
        last ascending and first descending; `pg_get_indexdef` says NULLS only when it differs)."""
        if ordered is None:
            return ""
        desc = bool(ordered.args.get("desc"))
        text = " DESC" if desc else ""
        nulls_first = bool(ordered.args.get("nulls_first"))
        if self.target == "postgres" and nulls_first != desc:
            text += " NULLS FIRST" if nulls_first else " NULLS LAST"
        return text

    def prefix_length(self, key: exp.Expression, table: _Table) -> tuple[str, str] | None:
        """MySQL's `col(10)` key part (the first 10 characters), which sqlglot reads as a function call."""
        if isinstance(key, exp.ColumnPrefix) and isinstance(key.expression, exp.Literal):
            return (key.this.name, key.expression.this)
        if self.target != "mysql" or not isinstance(key, exp.Anonymous) or len(key.expressions) != 1:
            return None
        length = key.expressions[0]
        if not (isinstance(length, exp.Literal) and not length.is_string):
            return None
        name = next((c for c in table.columns if c.lower() == key.name.lower()), None)
        return (name, length.this) if name is not None else None

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
        if e.args.get("exists") and self.key(e.this) not in self.tables:
            return  # ALTER TABLE IF EXISTS on a table that is not there (pg_dump --clean): nothing happens
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
        elif kind in DROP_QUIETLY:
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
            if len(parts) < 2:
                raise _Skip(f"COMMENT ON COLUMN {'.'.join(parts)}: skipped, a column is named table.column")
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
        targets = [table.columns.get(c) for c in columns]
        for row in values.expressions:
            items = row.expressions if isinstance(row, exp.Tuple) else [row]
            rows.append(tuple(self.literal(v, col) for v, col in zip(items, [*targets, *[None] * len(items)])))
        table.records.append(Records(columns, tuple(rows)))
        table.records_line = table.records_line or self.line

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
        elif upper.startswith(tuple(f"DROP {k}" for k in DROP_QUIETLY)):
            return
        elif upper.startswith("CREATE DOMAIN"):
            self.create_domain(text)
        elif upper.startswith("ALTER TABLE") and re.search(
            r" (OWNER TO|REPLICA IDENTITY|ENABLE |DISABLE |VALIDATE CONSTRAINT |SET STATISTICS )", upper
        ):
            return  # ownership, replication, trigger switches, validation: nothing the schema model holds
        elif upper.startswith("ALTER TABLE") and " RENAME CONSTRAINT " in upper:
            self.rename_constraint(text)
        elif upper.startswith("CREATE EXTENSION"):
            raise _Skip(f"{_short(text, 60)}: skipped, {NOT_MODELLED['EXTENSION']}")
        elif upper.startswith(QUIET):
            return
        elif m := re.match(r"CREATE (?:OR REPLACE )?(?:MATERIALIZED VIEW|VIEW|TRIGGER|FUNCTION|PROCEDURE|RULE)", upper):
            kind = m.group().split(" ", 1)[1].removeprefix("OR REPLACE ")
            raise _Skip(f"{_short(text, 60)}: skipped, {NOT_MODELLED.get(kind, 'not part of a schema model')}")
        else:
            raise _Skip(f"statement skipped: {_short(text)}")

    def rename_constraint(self, text: str) -> None:
        """`ALTER TABLE t RENAME CONSTRAINT a TO b` (PostgreSQL)."""
        table = self._command_table(text)
        tokens = _tokens(text, self.target)
        words = [t.text.upper() for t in tokens]
        if table is None or "CONSTRAINT" not in words or len(tokens) < words.index("CONSTRAINT") + 4:
            raise _Skip(f"{_short(text, 60)}: skipped, no such table")
        at = words.index("CONSTRAINT")
        fold = self.target == "postgres"
        old, new = (
            t.text.lower() if fold and t.token_type != TokenType.IDENTIFIER else t.text
            for t in (tokens[at + 1], tokens[at + 3])
        )
        key = (table.schema, table.name)
        if table.pk_name == old:
            table.pk_name = new
        table.uniques = [(cols, new if name == old else name) for cols, name in table.uniques]
        table.checks = [(expression, new if name == old else name) for expression, name in table.checks]
        for fk in self.fks:
            if fk.table == key and fk.db_name == old:
                fk.db_name, fk.name = new, new
        table.indexes = [(Index(**{**_fields(i), "name": new}), new) if n == old else (i, n) for i, n in table.indexes]

    def extended_property(self, text: str) -> None:
        """SQL Server's notes: `EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'...',
        @level0type = N'SCHEMA', ..., @level1name = N'table'[, @level2type = N'COLUMN', @level2name = N'c']`
        (named or positional)."""
        tokens = _tokens(text, self.target)
        named: dict[str, str] = {}
        positional: list[str] = []
        strings = (TokenType.STRING, TokenType.NATIONAL_STRING)
        for i, token in enumerate(tokens):
            if token.token_type not in strings:
                continue
            if i >= 3 and tokens[i - 1].token_type == TokenType.EQ and tokens[i - 3].token_type == TokenType.PARAMETER:
                named[tokens[i - 2].text.lower()] = token.text
            else:
                positional.append(token.text)
        order = ["name", "value", "level0type", "level0name", "level1type", "level1name", "level2type", "level2name"]
        args = {**dict(zip(order, positional, strict=False)), **named}
        if args.get("name", "").upper() != "MS_DESCRIPTION":
            raise _Skip(f"{_short(text, 60)}: skipped, only MS_Description properties are notes")
        schema = args.get("level0name") or DEFAULT_SCHEMA
        key = (DEFAULT_SCHEMA if schema.lower() in DEFAULT_SCHEMAS else schema, args.get("level1name", ""))
        table = self.tables.get(key)
        if table is None or args.get("level1type", "").upper() != "TABLE":
            raise _Skip(f"{_short(text, 60)}: skipped, no such table")
        if args.get("level2type", "").upper() == "COLUMN":
            col = table.columns.get(args.get("level2name", ""))
            if col is None:
                raise _Skip(f"{_short(text, 60)}: skipped, no such column")
            col.note = args.get("value")
        elif "level2type" in args:
            raise _Skip(f"{_short(text, 60)}: skipped, a note on a {args['level2type'].lower()}")
        else:
            table.note = args.get("value")

    def _command_table(self, text: str) -> _Table | None:
        tokens = _tokens(text, self.target)
        words = [t.text.upper() for t in tokens]
        i = 2
        if len(words) > 2 and words[2] == "ONLY":
            i = 3
        parts, _ = _dotted_name(tokens, i, self.target == "postgres")
        if not parts:
            return None
        schema = parts[-2] if len(parts) > 1 else DEFAULT_SCHEMA
        schema = DEFAULT_SCHEMA if schema.lower() in DEFAULT_SCHEMAS else schema
        return self.tables.get((schema, parts[-1]))

    def alter_type(self, text: str) -> None:
        tokens = _tokens(text, self.target)
        parts, i = _dotted_name(tokens, 2, self.target == "postgres")
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
            elif isinstance(kind, str):  # some dialects keep the name as text
                parts = [_unquote(p) for p in kind.split(".")] if kind else [node.sql(self.target)]
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
        unsigned = text.endswith(" unsigned")
        text = text.removesuffix(" unsigned")
        m = re.match(r"(.*?)\s*(?:\((.*)\))?\s*\Z", text, re.S)
        name, args = (m.group(1), m.group(2)) if m else (text, None)
        if self.target != "sqlite":  # SQLite keeps the name as declared (INTEGER PRIMARY KEY is the rowid)
            name = TYPE_NAMES.get(name, name)
        if self.target == "oracle" and name == "number" and args is not None:
            # dbdsl writes tinyint..bigint as NUMBER(3|5|10|19) for Oracle: read them back as integers
            precision = [a.strip() for a in args.split(",")]
            if len(precision) == 1 or precision[1] == "0":
                found = ORACLE_INTEGERS.get(precision[0])
                if found is not None:
                    return ColumnType(found)
        if unsigned:  # MySQL: `int(10) unsigned` is the type `int unsigned` (the width only pads display)
            args = None if name in INTEGER_TYPES else args
            name = f"{name} unsigned"
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
            found = Literal("string" if node.is_string else "number", node.this)
            return typed_literal(found, col.type) if col is not None else found
        if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and not node.this.is_string:
            return Literal("number", "-" + node.this.this)
        return Literal("expression", self.expression_text(value))

    def expression_text(self, node: exp.Expression) -> str:
        tree = node.copy().transform(_strip_literal_casts)
        if isinstance(tree, exp.Paren):
            tree = tree.this
        if self.target in ("mysql", "tsql"):  # names are case-insensitive there: bare where they can be
            keywords = sqlglot.Dialect.get_or_raise(self.target).tokenizer_class.KEYWORDS
            for ident in tree.find_all(exp.Identifier):
                if ident.quoted and SAFE_NAME.fullmatch(ident.name) and ident.name.upper() not in keywords:
                    ident.set("quoted", False)
        text = tree.sql(self.target, comments=False)
        if "`" in text:  # a DSL expression cannot hold a backtick
            text = tree.sql("postgres", comments=False)
            self.warn(f"expression {_short(text, 60)}: a name that needs quoting is written in double quotes")
        return text

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
            if fk.table == fk.target and fk.columns == fk.target_columns:
                self.skipped.append(Skipped(fk.line, f"foreign key {fk.db_name}: links a column to itself; left out"))
                continue
            if fk.table not in by_key or fk.target not in by_key:
                owner = _qualified(fk.table) + "." + ",".join(fk.columns)
                missing = _qualified(fk.target if fk.table in by_key else fk.table)
                self.skipped.append(
                    Skipped(fk.line, f"{owner}: foreign key {fk.db_name} to {missing}, which is missing; left out")
                )
                continue
            holder = by_key[fk.table]
            one_to_one = set(fk.columns) == set(holder.primary_key) or any(
                i.unique and set(i.columns) == set(fk.columns) for i in holder.indexes
            )
            single = holder.column(fk.columns[0]) if len(fk.columns) == 1 else None
            if single is not None and single.unique:
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

    def merged_records(self, t: _Table) -> tuple[Records, ...]:
        """The rows of every INSERT into the table as one Records block (a table has one). Rows that
        name fewer columns get the column's default, or null, for the others."""
        if len(t.records) < 2:
            return tuple(t.records)
        columns = tuple(dict.fromkeys(c for r in t.records for c in r.columns))
        rows = []
        filled = False
        for block in t.records:
            for row in block.rows:
                values = dict(zip(block.columns, row, strict=False))
                for c in columns:
                    if c not in values:
                        filled = True
                        col = t.columns.get(c)
                        values[c] = col.default if col is not None and col.default is not None else NULL
                rows.append(tuple(values[c] for c in columns))
        if filled:
            self.skipped.append(
                Skipped(
                    t.records_line,
                    f"{_qualified((t.schema, t.name))}: INSERTs naming different columns merged into one "
                    "Records block; a value an INSERT left out is written as the column's default or null",
                )
            )
        return (Records(columns, tuple(rows)),)

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
                    settings=(Setting("on_update", col.on_update),) if col.on_update else (),
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
            default_name = constraint_name("unique", t.name, cols)
            indexes.append(
                Index(
                    keys=tuple(IndexKey("column", c) for c in cols),
                    unique=True,
                    name=None if _is_default_name(name, default_name) else name,
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
            records=self.merged_records(t),
            settings=tuple(Setting(k, v) for k, v in t.settings.items()),
        )


def _created(e: exp.Create, kind: str, target: str) -> str:
    name = e.this.this if isinstance(e.this, exp.Schema) else e.this
    label = name.sql(target) if isinstance(name, exp.Expression) else ""
    return f"CREATE {kind} {label}".strip()


def _dotted_name(tokens: list[Token], i: int, fold: bool = False) -> tuple[list[str], int]:
    """The name `a` or `a.b` starting at token i, and the index after it; `fold`: unquoted parts in
    lower case (PostgreSQL)."""
    parts: list[str] = []
    while i < len(tokens):
        token = tokens[i]
        parts.append(token.text.lower() if fold and token.token_type != TokenType.IDENTIFIER else token.text)
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


def _fields(index: Index) -> dict[str, Any]:
    return {f: getattr(index, f) for f in ("keys", "name", "unique", "pk", "type", "note", "where", "include")}


def _names(nodes: Iterable[exp.Expression]) -> list[str]:
    """Column names of a key list (`a`, `[a] ASC`)."""
    return [(n.this if isinstance(n, exp.Ordered) else n).name for n in nodes]


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
    """`(0)::numeric` -> 0 and `'x'::text` -> 'x' (what pg_dump adds to checks and predicates). A cast
    the literal's place does not imply is kept: `'18 years'::interval`, and a string in arithmetic
    (`now() - '18 years'` would read the string as a timestamp)."""
    if isinstance(node, exp.Cast) and isinstance(_unparen(node.this), exp.Literal):
        literal = _unparen(node.this)
        meaningful = node.to.is_type(exp.DataType.Type.INTERVAL) or (
            literal.is_string and isinstance(node.parent, ARITHMETIC)
        )
        if meaningful:
            return node
        if literal.is_string and node.to.is_type(*exp.DataType.NUMERIC_TYPES) and NUMBER.fullmatch(literal.this):
            return exp.Literal.number(literal.this)  # PostgreSQL prints a negative constant `'-40'::integer`
        return literal.copy()
    if isinstance(node, exp.EQ) and isinstance(node.expression, exp.Any):
        # PostgreSQL prints `x IN ('a', 'b')` as `x = ANY (ARRAY['a', 'b'])`
        array = _unparen(node.expression.this)
        if isinstance(array, exp.Array):
            values = [_strip_literal_casts(v.copy()) for v in array.expressions]
            return exp.In(this=node.this.copy(), expressions=values)
    return node


def _parse_one(text: str, target: str) -> exp.Expression | None:
    return parse_one(text, target)


def _tokens(text: str, target: str) -> list[Token]:
    try:
        return sqlglot.Dialect.get_or_raise(target).tokenize(text)
    except SqlglotError:
        return []


def _plain_name(name: str) -> str:
    """A column name as it can stand in an expression: bare when it is a simple word, else quoted."""
    return name if re.fullmatch(r"[a-z_][a-z0-9_]*", name) else '"' + name.replace('"', '""') + '"'


def _unquote(text: str) -> str:
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1].replace('""', '"')
    return text


def _qualified(key: tuple[str, str]) -> str:
    return key[1] if key[0] == DEFAULT_SCHEMA else f"{key[0]}.{key[1]}"


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
