"""What the CLI and the language server call: drafting the next migration, and what a working copy
would drop. Pure core: paths, texts, warnings and `Finding`s, no editor types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..dialects import dialect_name
from ..findings import Finding, Severity
from ..model.schema import Column, Enum, Schema, Table
from ..model.spans import Span, file_span
from ..workspace import Analysis
from .diff import dropped
from .directory import MIGRATIONS_DIALECTS, MigrationDirectory, slug
from .migration import Migration, plan_migration
from .rules import RULES, MigrationWarning
from .sources import SchemaSource, SourceProblem, load, load_recent


class MigrationError(SourceProblem):
    """A migration that cannot be drafted (no dialect, unreadable base, broken directory...)."""


def normalize_dialect(name: str) -> str:
    dialect = dialect_name(name)
    if dialect is None:
        raise MigrationError(f"unknown dialect '{name}'; migrations are written for {', '.join(MIGRATIONS_DIALECTS)}")
    if dialect not in MIGRATIONS_DIALECTS:
        raise MigrationError(
            f"migrations are written for {' and '.join(MIGRATIONS_DIALECTS)}; {dialect} is not supported yet "
            "(`dbdsl sql` writes its DDL)"
        )
    return dialect


def resolve_dialect(explicit: str | None, directory: MigrationDirectory | None, schema: Schema | None) -> str:
    """--dialect, else the directory's recorded dialect, else the schema's Project database_type."""
    chosen = normalize_dialect(explicit) if explicit else None
    recorded = directory.dialect() if directory is not None else None
    if chosen is not None:
        # a recorded dialect implies the directory: `directory is not None` is for the type checker
        if directory is not None and recorded and recorded != chosen:
            raise MigrationError(f"{directory.path} holds {recorded} migrations; --dialect {chosen} does not match")
        return chosen
    if recorded:
        return normalize_dialect(recorded)
    if schema is not None and schema.database_type:
        return normalize_dialect(schema.database_type)
    raise MigrationError("which database? give --dialect (postgres or sqlite) or set database_type in Project")


def default_name(migration: Migration) -> str:
    """A name from the first changes: `add_users_phone`, `create_orders_and_more`."""
    steps = migration.up.steps
    if not steps:
        return "migration"
    first = steps[0]
    change = first.change or (first.changes[0] if first.changes else None)
    verb = first.kind.split("_")[0]
    subject = change.subject if change is not None else ""
    name = slug(f"{verb} {subject}")
    subjects = {s.change.subject if s.change else s.kind for s in steps}
    return name + ("_and_more" if len(subjects) > 1 else "")


@dataclass
class DraftFile:
    path: str
    text: str
    create: bool = True  # False: replaces the existing file (the checksum file)


@dataclass
class MigrationDraft:
    """The next migration, not written: the files to create and what the safety lint says.

    When `refused` is not empty (destructive steps without `allow_destructive`) or `empty` (no
    change), `files` is empty.
    """

    dialect: str
    base: str
    directory: str
    number: int
    name: str
    migration: Migration
    files: list[DraftFile] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.migration.empty

    @property
    def warnings(self) -> list[MigrationWarning]:
        return self.migration.up_warnings

    @property
    def refused(self) -> list[MigrationWarning]:
        return self.migration.refused

    @property
    def steps(self) -> list[str]:
        return [s.describe() for s in self.migration.up.steps]

    def findings(self, analysis: Analysis) -> list[Finding]:
        """The warnings as findings on the analysed file (at the element when known)."""
        return [as_finding(w, analysis) for w in self.warnings]


def as_finding(warning: MigrationWarning, analysis: Analysis, severity: Severity | None = None) -> Finding:
    span = warning.span
    if span is None or span.file != analysis.path:
        span = file_span(analysis.path, analysis.source.text, 0, 0)
    return Finding(
        warning.code,
        "migration",
        severity or warning.severity,
        warning.message,
        span,
        data={"alternative": warning.alternative, "subject": warning.subject, "refused": warning.refused},
    )


def _base_source(base: str | None, analysis: Analysis, directory: MigrationDirectory, dialect: str) -> SchemaSource:
    if base is None:
        if not directory.migrations():
            return SchemaSource(Schema(), f"{directory.path} (no migrations yet)")
        base = str(directory.path)
    if base.startswith("git:"):
        return load(base, to_path=analysis.path)
    return load(base, dialect=dialect, target=analysis.schema)


def next_migration(
    analysis: Analysis,
    *,
    directory: str | Path | None = None,
    base: str | None = "git:HEAD",
    dialect: str | None = None,
    name: str | None = None,
    safe: bool = False,
    allow_destructive: bool = False,
) -> MigrationDraft:
    """Draft the migration from `base` to the analysed (possibly unsaved) schema.

    `directory` is where the files go (default: `migrations` beside the schema file); `base` is a
    `git:REV[:PATH]`, a schema file or a migrations directory (None: `directory`'s state). The draft's
    files are the up and down migrations and the updated checksum file. MigrationError when the base
    or the dialect cannot be found.
    """
    folder = MigrationDirectory(Path(directory) if directory is not None else Path(analysis.path).parent / "migrations")
    chosen = resolve_dialect(dialect, folder, analysis.schema)
    try:
        source: SchemaSource = _base_source(base, analysis, folder, chosen)
    except SourceProblem as e:
        raise MigrationError(str(e), e.findings) from e
    migration = plan_migration(
        source.schema,
        analysis.schema,
        chosen,
        safe=safe,
        allow_destructive=allow_destructive,
        notes=[f"from {source.label} to {Path(analysis.path).name}"],
    )
    migration.apply_config(analysis.path)
    number = folder.next_number()
    stem = f"{number:04d}_{slug(name) if name else default_name(migration)}"
    draft = MigrationDraft(chosen, source.label, str(folder.path), number, stem.split("_", 1)[1], migration)
    if migration.empty or migration.refused:
        return draft
    up = migration.up_text(f"{stem} (up)")
    down = migration.down_text(f"{stem} (down)")
    texts = {f"{stem}.up.sql": up, f"{stem}.down.sql": down}
    draft.files = [DraftFile(str((folder.path / n).resolve()), t) for n, t in texts.items()]
    sum_path = folder.path / "dbdsl.sum"
    draft.files.append(DraftFile(str(sum_path.resolve()), folder.sum_text_with(texts, chosen), not sum_path.exists()))
    return draft


DROP_CODES = {"drop_table": "M001", "drop_column": "M002", "drop_enum": "M014", "recreate_enum": "M014"}


def pending_drops(analysis: Analysis, *, directory: str | Path | None = None, base: str | None = None) -> list[Finding]:
    """Information findings on the working copy for what it would drop compared with the last migrated
    state: `base` (git:REV, a file or a directory), else `directory`'s state when it has migrations,
    else git HEAD. Empty when there is no such state to compare with (not a repository, no migrations).
    """
    folder = MigrationDirectory(directory) if directory is not None else None
    if base is None:
        base = str(folder.path) if folder is not None and folder.migrations() else "git:HEAD"
    try:
        dialect = resolve_dialect(None, folder, analysis.schema)
    except MigrationError:
        dialect = "postgres"  # what is dropped does not depend on the engine
    try:
        source = load_recent(base, to_path=analysis.path, dialect=dialect)
    except SourceProblem:
        return []
    out: list[Finding] = []
    start = file_span(analysis.path, analysis.source.text, 0, 0)
    for change in dropped(source.schema, analysis.schema):
        code = DROP_CODES[change.kind]
        if change.kind == "drop_table":
            table = change.old_as(Table)
            message = f"compared with {source.label}, table {table.qualified} would be dropped with its rows"
            span = start
        elif change.kind == "drop_column":
            table, column = change.on_table, change.old_as(Column)
            message = f"compared with {source.label}, column {table.qualified}.{column.name} would be dropped"
            span = _own(table.name_span or table.span, analysis) or start
        elif change.kind == "drop_enum":
            message = f"compared with {source.label}, enum {change.old_as(Enum).qualified} would be dropped"
            span = start
        else:
            if not change.detail:
                continue
            enum = change.new_as(Enum)
            values = ", ".join(f"'{v}'" for v in change.detail)
            message = f"compared with {source.label}, enum {enum.qualified} would lose {values}"
            span = _own(enum.name_span or enum.span, analysis) or start
        out.append(Finding(code, "migration", Severity.INFO, message, span, data={"rule": RULES[code].name}))
    return out


def _own(span: Span | None, analysis: Analysis) -> Span | None:
    return span if span is not None and span.file == analysis.path else None
