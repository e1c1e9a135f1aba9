"""`dbdsl migrate verify`: is a migrations directory intact, and does it replay?

1. Checksums: no recorded file edited or removed, no unrecorded file, the checksum file not edited.
2. Files: every up has its down, every .sql file is named NNNN_name.up.sql / .down.sql.
3. Replay: the up migrations are applied in order to an empty schema by the SQL importer (sqlglot, no
   database); a statement sqlglot cannot read, or one that names a table, column or enum that does not
   exist at that point, is a problem. Statements outside the schema model (data changes, functions) are
   reported as notes.
4. Rollback: for each migration, the state after its up and then its down must equal the state before
   its up (compared with the schema diff).
5. On SQLite the files are also run for real, up then down, on an in-memory database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlglot import exp

from ..model.schema import Schema
from .diff import diff
from .directory import (
    DirectoryError,
    MigrationDirectory,
    Problem,
    apply_statements,
    read_statements,
    schema_statements,
    sqlite_replay_problems,
)

FAILURE = re.compile(r"no such|no column|nothing to drop|cannot read|cannot be read")


@dataclass
class VerifyReport:
    directory: str
    dialect: str | None
    migrations: int
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(directory: MigrationDirectory, dialect: str | None = None) -> VerifyReport:
    try:
        migrations = directory.migrations()
    except DirectoryError as e:
        return VerifyReport(str(directory.path), dialect, 0, [Problem(str(directory.path), str(e))])
    report = VerifyReport(str(directory.path), None, len(migrations))
    try:
        report.problems.extend(directory.checksum_problems())
    except DirectoryError as e:
        report.problems.append(Problem("dbdsl.sum", str(e)))
    report.problems.extend(directory.pairing_problems())
    try:
        report.dialect = resolved = directory.resolve_dialect(dialect)
    except DirectoryError as e:
        report.problems.append(Problem("dbdsl.sum", str(e)))
        return report
    _replay(directory, resolved, report)
    if report.dialect == "sqlite" and not report.problems:
        report.problems.extend(sqlite_replay_problems(directory))
    return report


def _replay(directory: MigrationDirectory, dialect: str, report: VerifyReport) -> None:
    applied: list[exp.Expression] = []
    before = Schema()
    seen_warnings = 0
    for m in directory.migrations():
        if m.up is None:
            continue
        statements, unreadable = read_statements(m.up.read_text(encoding="utf-8"), dialect)
        report.problems.extend(Problem(m.up.name, f"sqlglot cannot read a statement: {w}") for w in unreadable)
        applied.extend(schema_statements(statements))
        after, warnings = apply_statements(list(applied), dialect)
        for warning in warnings[seen_warnings:]:
            _classify(report, m.up.name, warning)
        seen_warnings = len(warnings)
        if m.down is not None:
            down_statements, unreadable = read_statements(m.down.read_text(encoding="utf-8"), dialect)
            report.problems.extend(Problem(m.down.name, f"sqlglot cannot read a statement: {w}") for w in unreadable)
            rolled, warnings = apply_statements(list(applied) + schema_statements(down_statements), dialect)
            for warning in warnings[seen_warnings:]:
                _classify(report, m.down.name, warning)
            undone = diff(before, rolled, dialect)
            if not undone.empty:
                left = "; ".join(c.describe() for c in undone.changes[:5])
                more = f" (and {len(undone.changes) - 5} more)" if len(undone.changes) > 5 else ""
                report.problems.append(
                    Problem(
                        m.down.name,
                        f"does not undo {m.up.name}: after up and down, the schema differs from before it "
                        f"(left over: {left}{more})",
                    )
                )
        before = after


def _classify(report: VerifyReport, name: str, warning: str) -> None:
    target = report.problems if FAILURE.search(warning) else report.notes
    target.append(Problem(name, warning))
