"""A migrations directory: `NNNN_name.up.sql` / `NNNN_name.down.sql` pairs and a checksum file.

The checksum file `dbdsl.sum` records the dialect and a SHA-256 of every migration file (line endings
normalized, so a checkout with CRLF does not count as an edit) and ends with a total over its own
lines, so an edited or removed migration, and a hand edit of the checksum file itself, are detected.
A migration written by hand is recorded with `dbdsl migrate hash`.

The schema state a directory leaves is rebuilt from its up migrations in order by the SQL importer
(sqlglot; no database needed), so hand-written migrations count. Checking that each down migration
undoes its up compares the state before the up with the state after up and down, through the schema
diff.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlglot import exp

from ..atomic import write_file, write_files
from ..dialects import sqlglot_dialect
from ..emit.sql import generate
from ..emit.sql_names import constraint_name
from ..importers.sql import schema_from_statements, split_statements
from ..model.schema import Schema
from ..sqlread import quiet_sqlglot
from .sources import SourceProblem

SUM_FILE = "dbdsl.sum"
SUM_HEADER = "# dbdsl migration checksums: written by `dbdsl migrate`, checked by `dbdsl migrate verify`. Do not edit."
FILE_NAME = re.compile(r"^(\d{4,})_([A-Za-z0-9][A-Za-z0-9_\-]*)\.(up|down)\.sql$")
MIGRATIONS_DIALECTS = ("postgres", "sqlite")


class DirectoryError(SourceProblem):
    """A migrations directory that cannot be used as it is."""


@dataclass
class Migration:
    number: int
    name: str
    up: Path | None = None
    down: Path | None = None

    @property
    def stem(self) -> str:
        return f"{self.number:04d}_{self.name}"


@dataclass
class SumFile:
    dialect: str | None
    entries: dict[str, str]  # file name -> "sha256:<hex>"
    total_ok: bool = True

    def text(self) -> str:
        lines = self._lines()
        return "\n".join([SUM_HEADER, *lines, "total " + _total(lines)]) + "\n"

    def _lines(self) -> list[str]:
        lines = [f"dialect {self.dialect}"] if self.dialect else []
        lines.extend(f"{name} {digest}" for name, digest in sorted(self.entries.items()))
        return lines

    @staticmethod
    def parse(text: str) -> SumFile:
        dialect = None
        entries: dict[str, str] = {}
        lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
        body: list[str] = []
        total = None
        for number, line in enumerate(lines, 1):
            if not line or line.startswith("#"):
                continue
            key, _, value = line.partition(" ")
            if key == "total":
                total = value.strip()
                continue
            body.append(line)
            if key == "dialect":
                dialect = value.strip()
            elif value.startswith("sha256:"):
                entries[key] = value.strip()
            else:
                raise DirectoryError(f"{SUM_FILE} line {number}: cannot read '{line}'")
        return SumFile(dialect, entries, total == _total(body))


def _total(lines: list[str]) -> str:
    return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    data = path.read_bytes().replace(b"\r\n", b"\n")
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass
class State:
    schema: Schema
    warnings: list[str] = field(default_factory=list)


@dataclass
class Problem:
    """What `verify` found wrong, about one file (or the directory)."""

    file: str
    message: str


def slug(text: str) -> str:
    """A migration name from free text: lower case, words joined by underscores."""
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    return "_".join(words)[:60].strip("_") or "migration"


class MigrationDirectory:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    # ---- reading

    def exists(self) -> bool:
        return self.path.is_dir()

    def migrations(self) -> list[Migration]:
        """The migrations in order; DirectoryError for two migrations with one number."""
        if not self.path.is_dir():
            return []
        found: dict[int, Migration] = {}
        for entry in sorted(self.path.iterdir()):
            match = FILE_NAME.match(entry.name)
            if not match or not entry.is_file():
                continue
            number, name, direction = int(match.group(1)), match.group(2), match.group(3)
            migration = found.get(number)
            if migration is None:
                migration = found[number] = Migration(number, name)
            elif migration.name != name:
                raise DirectoryError(
                    f"{self.path}: two migrations are numbered {number:04d} "
                    f"({migration.name} and {name}); renumber one of them"
                )
            setattr(migration, direction, entry)
        return [found[n] for n in sorted(found)]

    def stray_files(self) -> list[str]:
        """.sql files whose names do not follow NNNN_name.up.sql / .down.sql."""
        if not self.path.is_dir():
            return []
        return sorted(e.name for e in self.path.iterdir() if e.suffix == ".sql" and not FILE_NAME.match(e.name))

    def read_sum(self) -> SumFile | None:
        path = self.path / SUM_FILE
        if not path.is_file():
            return None
        return SumFile.parse(path.read_text(encoding="utf-8"))

    def dialect(self) -> str | None:
        try:
            recorded = self.read_sum()
        except DirectoryError:
            return None
        return recorded.dialect if recorded else None

    def next_number(self) -> int:
        migrations = self.migrations()
        return migrations[-1].number + 1 if migrations else 1

    # ---- checksums

    def checksum_problems(self) -> list[Problem]:
        """Edited, removed and unrecorded migration files, and a hand-edited checksum file."""
        problems: list[Problem] = []
        migrations = self.migrations()
        recorded = self.read_sum()
        if recorded is None:
            if migrations:
                problems.append(Problem(SUM_FILE, f"missing: run `dbdsl migrate hash {self.path}` to record the files"))
            return problems
        if not recorded.total_ok:
            problems.append(Problem(SUM_FILE, "was edited by hand (its total does not match its lines)"))
        present = {}
        for m in migrations:
            for path in (m.up, m.down):
                if path is not None:
                    present[path.name] = path
        for name, digest in sorted(recorded.entries.items()):
            path = present.get(name)
            if path is None:
                problems.append(
                    Problem(name, "was removed, but it is recorded in dbdsl.sum (it may have been applied)")
                )
            elif file_digest(path) != digest:
                problems.append(Problem(name, "was edited after it was recorded (its checksum differs)"))
        for name in sorted(set(present) - set(recorded.entries)):
            problems.append(
                Problem(
                    name, f"is not recorded in dbdsl.sum: if it is hand-written, run `dbdsl migrate hash {self.path}`"
                )
            )
        return problems

    def pairing_problems(self) -> list[Problem]:
        problems = []
        for m in self.migrations():
            if m.up is None:
                problems.append(Problem(f"{m.stem}.down.sql", "has no up migration"))
            if m.down is None:
                problems.append(Problem(f"{m.stem}.up.sql", "has no down migration (rollback)"))
        problems.extend(
            Problem(name, "is not named NNNN_name.up.sql or NNNN_name.down.sql") for name in self.stray_files()
        )
        return problems

    # ---- writing

    def write(self, files: dict[str, str], dialect: str) -> list[Path]:
        """Write new migration files and record them (with the dialect) in the checksum file, as one
        unit: all of them and the new checksum file, or nothing."""
        written = []
        for name in files:
            path = self.path / name
            if path.exists():
                raise DirectoryError(f"{path} already exists")
            written.append(path)
        unit: dict[str | os.PathLike[str], str] = {self.path / name: text for name, text in files.items()}
        unit[self.path / SUM_FILE] = self.sum_text_with(files, dialect)
        write_files(unit, newline="\n")
        return written

    def record(self, dialect: str | None = None) -> SumFile:
        """Rewrite the checksum file from the files present (`dbdsl migrate hash`)."""
        recorded = None
        try:
            recorded = self.read_sum()
        except DirectoryError:
            recorded = None
        entries = {}
        for m in self.migrations():
            for path in (m.up, m.down):
                if path is not None:
                    entries[path.name] = file_digest(path)
        chosen = dialect or (recorded.dialect if recorded else None)
        if chosen is not None and chosen not in MIGRATIONS_DIALECTS:
            raise DirectoryError(f"{SUM_FILE} records the dialect '{chosen}'; give --dialect (postgres or sqlite)")
        sums = SumFile(chosen, entries)
        write_file(self.path / SUM_FILE, sums.text(), newline="\n")
        return sums

    def sum_text_with(self, files: dict[str, str], dialect: str) -> str:
        """The checksum file's text once `files` (name -> text) are added (for editors that create
        the files themselves)."""
        recorded = None
        try:
            recorded = self.read_sum()
        except DirectoryError:
            recorded = None
        entries = dict(recorded.entries) if recorded else {}
        for m in self.migrations():
            for path in (m.up, m.down):
                if path is not None and path.name not in entries:
                    entries[path.name] = file_digest(path)
        for name, text in files.items():
            entries[name] = "sha256:" + hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()
        return SumFile(dialect, entries).text()

    # ---- state

    def state(self, dialect: str | None = None, *, upto: int | None = None) -> State:
        """The schema the up migrations leave, in order (the first `upto` of them when given)."""
        dialect = self.resolve_dialect(dialect)
        texts = []
        for m in self.migrations()[:upto]:
            if m.up is not None:
                texts.append((m.up.name, m.up.read_text(encoding="utf-8")))
        return replay(texts, dialect)

    def resolve_dialect(self, dialect: str | None) -> str:
        recorded = self.dialect()
        if recorded is not None and recorded not in MIGRATIONS_DIALECTS:
            raise DirectoryError(
                f"records the dialect '{recorded}', which is not "
                f"{' or '.join(MIGRATIONS_DIALECTS)}: the file was edited (`dbdsl migrate hash --dialect ...` "
                "records it again)"
            )
        if dialect and recorded and dialect != recorded:
            raise DirectoryError(f"{self.path} holds {recorded} migrations, not {dialect}")
        chosen = dialect or recorded
        if chosen is None:
            raise DirectoryError(f"{self.path}: no dialect recorded in {SUM_FILE}; give --dialect")
        return chosen


def read_statements(text: str, dialect: str) -> tuple[list[exp.Expression], list[str]]:
    """The statements of a migration file, and what sqlglot could not read."""
    with quiet_sqlglot():
        return split_statements(text, sqlglot_dialect(dialect))


def replay(files: list[tuple[str, str]], dialect: str) -> State:
    """Apply migration texts in order to an empty schema with the SQL importer."""
    statements: list[exp.Expression] = []
    warnings: list[str] = []
    for name, text in files:
        parsed, problems = read_statements(text, dialect)
        statements.extend(schema_statements(parsed))
        warnings.extend(f"{name}: {p}" for p in problems)
    schema, found = apply_statements(statements, dialect)
    return State(schema, warnings + found)


def schema_statements(statements: list[exp.Expression]) -> list[exp.Expression]:
    """Leave out data statements (INSERT, UPDATE, DELETE: backfills, the copy of a table rebuild):
    they do not change the schema."""
    return [s for s in statements if not isinstance(s, exp.Insert | exp.Update | exp.Delete)]


RENAME_CONSTRAINT = re.compile(
    r"ALTER\s+TABLE\s+(?:ONLY\s+)?(?P<table>.+?)\s+RENAME\s+CONSTRAINT\s+(?P<old>\S+)\s+TO\s+(?P<new>\S+)\s*$",
    re.IGNORECASE | re.DOTALL,
)


def apply_statements(
    statements: list[exp.Expression], dialect: str, start: Schema | None = None
) -> tuple[Schema, list[str]]:
    """The schema `statements` leave, from `start` (empty by default), with the importer's warnings.

    Two PostgreSQL statements that migrations write are not followed by the importer:
    `ALTER TABLE ... RENAME CONSTRAINT` (a renamed table or column renames its constraints): the
    statements are imported up to each such rename, the rename is applied to the model, and the import
    goes on from that model through its generated SQL; and `ADD CONSTRAINT ... UNIQUE | PRIMARY KEY
    USING INDEX` (the zero-downtime form): it is read as dropping the index and adding the constraint on
    the index's columns, which is its effect.
    """
    warnings: list[str] = []
    schema = start
    pending: list[exp.Expression] = []
    indexes: dict[str, exp.Create] = {}
    for statement in statements:
        if isinstance(statement, exp.Create) and (statement.args.get("kind") or "").upper() == "INDEX":
            indexes[statement.this.name] = statement
        attached = _attach_index(statement, indexes, dialect)
        if attached is not None:
            pending.extend(attached)
            continue
        rename = _constraint_rename(statement, dialect)
        if rename is None:
            pending.append(statement)
            continue
        schema, found = _import(schema, pending, dialect)
        warnings.extend(found)
        schema = _rename_constraint(schema, *rename)
        pending = []
    schema, found = _import(schema, pending, dialect)
    warnings.extend(found)
    return schema, warnings


def _import(start: Schema | None, statements: list[exp.Expression], dialect: str) -> tuple[Schema, list[str]]:
    prefix = generate(start, dialect, records=False).statements if start is not None else []
    with quiet_sqlglot():
        result = schema_from_statements(list(prefix) + list(statements), dialect)
    return result.schema, list(result.warnings)


def _constraint_rename(statement: exp.Expression, dialect: str) -> tuple[str, str, str] | None:
    if not isinstance(statement, exp.Command):
        return None
    text = statement.sql(sqlglot_dialect(dialect))
    match = RENAME_CONSTRAINT.match(text.strip())
    if match is None:
        return None
    return _unquote(match.group("table")), _unquote(match.group("old")), _unquote(match.group("new"))


USING_INDEX = re.compile(
    r"ALTER\s+TABLE\s+.+?\s+ADD\s+CONSTRAINT\s+(?P<name>\S+)\s+(?P<kind>UNIQUE|PRIMARY\s+KEY)\s+"
    r"USING\s+INDEX\s+(?P<index>\S+)\s*$",
    re.IGNORECASE | re.DOTALL,
)


def _attach_index(
    statement: exp.Expression, indexes: dict[str, exp.Create], dialect: str
) -> list[exp.Expression] | None:
    """`ADD CONSTRAINT c UNIQUE USING INDEX i` as DROP INDEX i and ADD CONSTRAINT c UNIQUE (cols)."""
    if not isinstance(statement, exp.Command):
        return None
    match = USING_INDEX.match(statement.sql(sqlglot_dialect(dialect)).strip())
    if match is None:
        return None
    index = indexes.get(_unquote(match.group("index")))
    if index is None:
        return None
    table = index.this.args["table"]
    params = index.this.args.get("params")
    if params is None:
        return None
    columns = [o.this.this.copy() for o in (params.args.get("columns") or []) if isinstance(o.this, exp.Column)]
    if not columns:
        return None
    body: exp.Expression
    if match.group("kind").upper() == "UNIQUE":
        body = exp.UniqueColumnConstraint(this=exp.Schema(expressions=columns))
    else:
        body = exp.PrimaryKey(expressions=columns)
    constraint = exp.Constraint(this=exp.to_identifier(_unquote(match.group("name")), quoted=True), expressions=[body])
    drop = exp.Drop(tables=[exp.Table(this=index.this.this.copy(), db=table.args.get("db"))], kind="INDEX")
    add = exp.Alter(this=table.copy(), kind="TABLE", actions=[exp.AddConstraint(expressions=[constraint])])
    return [drop, add]


def _unquote(text: str) -> str:
    parts = [p.strip() for p in re.findall(r'"(?:[^"]|"")*"|[^.]+', text)]
    bare = parts[-1] if parts else text
    if bare.startswith('"') and bare.endswith('"'):
        return bare[1:-1].replace('""', '"')
    return bare


def _rename_constraint(schema: Schema, table_name: str, old: str, new: str) -> Schema:
    """The schema with the constraint `old` of table `table_name` called `new` (a name the generator
    would give anyway becomes no name, as the importer writes it)."""
    tables = []
    for table in schema.tables:
        if table.name != table_name:
            tables.append(table)
            continue
        default_pk = constraint_name("pk", table)

        def named(name: str | None, default_pk: str = default_pk) -> str | None:
            return (None if new == default_pk else new) if name == old else name

        indexes = tuple(replace(i, name=named(i.name)) for i in table.indexes)
        checks = tuple(replace(c, name=named(c.name)) for c in table.checks)
        tables.append(replace(table, indexes=indexes, checks=checks))
    refs = tuple(replace(r, name=new) if r.name == old and r.fk_side.table == table_name else r for r in schema.refs)
    return replace(schema, tables=tuple(tables), refs=refs)


def replay_fidelity(schema: Schema, dialect: str) -> str | None:
    """Whether the state rebuilt from migration files can be compared with `schema`: the SQL that
    `dbdsl sql` writes for it, read back by the importer, must be `schema` again. None when it is;
    otherwise what the importer reads differently (then `--from DIR` would invent changes)."""
    script = generate(schema, dialect, records=False).text()
    statements, _problems = read_statements(script, dialect)
    back, _warnings = apply_statements(schema_statements(statements), dialect)
    from .diff import diff

    lost = diff(back, schema, dialect).changes
    if not lost:
        return None
    shown = "; ".join(c.describe() for c in lost[:3])
    more = f" (and {len(lost) - 3} more)" if len(lost) > 3 else ""
    return shown + more


def sqlite_replay_problems(directory: MigrationDirectory) -> list[Problem]:
    """Run every up migration, then every down in reverse, on an in-memory SQLite database."""
    problems = []
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrations = directory.migrations()
        for m in migrations:
            if m.up is None:
                continue
            try:
                conn.executescript(m.up.read_text(encoding="utf-8"))
            except sqlite3.Error as e:
                problems.append(Problem(m.up.name, f"fails on SQLite: {e}"))
                return problems
        for m in reversed(migrations):
            if m.down is None:
                continue
            try:
                conn.executescript(m.down.read_text(encoding="utf-8"))
            except sqlite3.Error as e:
                problems.append(Problem(m.down.name, f"fails on SQLite: {e}"))
                return problems
    finally:
        conn.close()
    return problems
