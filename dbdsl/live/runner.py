"""Running a migrations directory against a live database: `apply` (the pending up files in order),
`rollback` (the down files back to a version) and `status` (applied, pending, changed, failed).

Before anything runs, the directory must verify (`dbdsl.sum`) and every migration the database says
it applied must still have the checksum it had then. Each file runs statement by statement in
autocommit, so its own BEGIN and COMMIT decide what a failure leaves: the open transaction is rolled
back, the migration is recorded as failed with its statement and line, and the run stops.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..migrate.directory import DirectoryError, Migration, MigrationDirectory, file_digest
from . import history
from .connect import Database, StatementError, who
from .history import APPLIED, FAILED, ROLLED_BACK, Entry
from .lock import migration_lock
from .statements import split_script

ENGINE_DIALECTS = {"postgres": "postgres", "sqlite": "sqlite", "mysql": "mysql"}


class Refused(Exception):
    """Nothing was run: the directory or the history cannot be trusted (exit status 1)."""


class Failed(Exception):
    """A migration failed (recorded in the history; exit status 1)."""


@dataclass
class MigrationState:
    migration: Migration
    state: str  # applied, pending, changed, failed, rolled back
    entry: Entry | None = None


@dataclass
class Status:
    states: list[MigrationState] = field(default_factory=list)
    missing: list[Entry] = field(default_factory=list)  # applied, but no longer in the directory
    problems: list[str] = field(default_factory=list)  # dbdsl.sum

    @property
    def up_to_date(self) -> bool:
        return not self.missing and not self.problems and all(s.state == APPLIED for s in self.states)


def open_directory(path: str | Path, db: Database) -> tuple[MigrationDirectory, list[Migration]]:
    folder = MigrationDirectory(path)
    if not folder.exists():
        raise Refused(f"{path}: no such migrations directory")
    try:
        migrations = folder.migrations()
        dialect = folder.resolve_dialect(None)
    except DirectoryError as e:
        raise Refused(str(e)) from None
    if dialect != ENGINE_DIALECTS[db.kind]:
        raise Refused(f"{path} holds {dialect} migrations; {db.url.shown} is a {db.kind} database")
    return folder, migrations


def directory_problems(folder: MigrationDirectory) -> list[str]:
    try:
        problems = folder.checksum_problems() + folder.pairing_problems()
    except DirectoryError as e:
        return [str(e)]
    return [f"{p.file} {p.message}" for p in problems]


def status(db: Database, path: str | Path) -> Status:
    folder, migrations = open_directory(path, db)
    recorded = history.read(db)
    out = Status(problems=directory_problems(folder))
    present = {m.number for m in migrations}
    out.missing = [e for v, e in recorded.items() if v not in present and e.status != ROLLED_BACK]
    for m in migrations:
        entry = recorded.get(m.number)
        if entry is None or entry.status == ROLLED_BACK:
            state = "pending"
        elif entry.status == FAILED:
            state = FAILED
        elif m.up is None or file_digest(m.up) != entry.checksum:
            state = "changed"
        else:
            state = APPLIED
        out.states.append(MigrationState(m, state, entry))
    return out


def _check(db: Database, folder: MigrationDirectory, migrations: list[Migration]) -> dict[int, Entry]:
    problems = directory_problems(folder)
    if problems:
        raise Refused(f"{folder.path}/dbdsl.sum does not verify: " + "; ".join(problems))
    recorded = history.read(db)
    by_number = {m.number: m for m in migrations}
    for version, entry in recorded.items():
        if entry.status != APPLIED:
            continue
        m = by_number.get(version)
        if m is None or m.up is None:
            raise Refused(f"migration {entry.stem} was applied but is no longer in {folder.path}")
        if file_digest(m.up) != entry.checksum:
            raise Refused(
                f"{m.up.name} was changed after it was applied on {entry.applied_at}: write a new migration instead "
                "(or roll back first)"
            )
    return recorded


Say = Callable[[str], None]


def apply(
    db: Database,
    path: str | Path,
    *,
    to: int | None = None,
    dry_run: bool = False,
    lock_timeout: float = 60,
    say: Say = print,
) -> int:
    """Run the pending up migrations (up to version `to`); the number run. Refused or Failed."""
    folder, migrations = open_directory(path, db)
    if dry_run:
        recorded = _check(db, folder, migrations)
        _no_failed_rollback(recorded, folder)
        pending = _pending(migrations, recorded, to)
        for m in pending:
            count = len(split_script(_up(m).read_text(encoding="utf-8"), ENGINE_DIALECTS[db.kind]))
            say(f"would apply {m.stem} ({count} statement{'s' if count != 1 else ''})")
        if not pending:
            say(f"{db.url.shown} is up to date with {folder.path}.")
        return 0
    with migration_lock(db, lock_timeout):
        recorded = _check(db, folder, migrations)  # read under the lock: another run may have applied some
        _no_failed_rollback(recorded, folder)
        history.ensure_table(db)
        pending = _pending(migrations, recorded, to)
        if not pending:
            say(f"{db.url.shown} is up to date with {folder.path}.")
            return 0
        for m in pending:
            _run(db, m, _up(m), "up", say)
        return len(pending)


def _pending(migrations: list[Migration], recorded: dict[int, Entry], to: int | None) -> list[Migration]:
    out = []
    for m in migrations:
        if to is not None and m.number > to:
            break
        entry = recorded.get(m.number)
        if entry is None or entry.status != APPLIED:
            out.append(m)
    return out


def rollback(
    db: Database, path: str | Path, *, to: int, dry_run: bool = False, lock_timeout: float = 60, say: Say = print
) -> int:
    """Run the down migrations of the applied versions above `to`, newest first; the number run."""
    folder, migrations = open_directory(path, db)
    if dry_run:
        recorded = _check(db, folder, migrations)
        for m in _to_undo(migrations, recorded, to):
            say(f"would roll back {m.stem}")
        return 0
    with migration_lock(db, lock_timeout):
        recorded = _check(db, folder, migrations)
        undo = _to_undo(migrations, recorded, to)
        if not undo:
            say(f"nothing to roll back above version {to:04d}.")
            return 0
        for m in undo:
            if m.down is None:
                raise Refused(f"{m.stem} has no down migration: cannot roll it back")
        for m in undo:
            assert m.down is not None  # checked above, before anything ran
            _run(db, m, m.down, "down", say)
        return len(undo)


def _no_failed_rollback(recorded: dict[int, Entry], folder: MigrationDirectory) -> None:
    """A rollback that failed leaves its migration half undone: running its up again would not help."""
    for entry in recorded.values():
        if entry.status == FAILED and entry.direction == "down":
            raise Refused(
                f"the rollback of {entry.stem} failed at line {entry.failed_line} of its down file: fix it, record it "
                f"with `dbdsl migrate hash {folder.path}` and run `dbdsl migrate rollback` again before applying"
            )


def _to_undo(migrations: list[Migration], recorded: dict[int, Entry], to: int) -> list[Migration]:
    """The migrations above `to` that are applied, or whose rollback failed (run again), newest first."""

    def undo(entry: Entry) -> bool:
        return entry.status == APPLIED or (entry.status == FAILED and entry.direction == "down")

    return [m for m in reversed(migrations) if m.number > to and m.number in recorded and undo(recorded[m.number])]


def _run(db: Database, m: Migration, file: Path, direction: str, say: Say) -> None:
    text = file.read_text(encoding="utf-8")
    statements = split_script(text, ENGINE_DIALECTS[db.kind])
    checksum = file_digest(m.up) if m.up is not None else ""
    started = time.monotonic()
    for statement in statements:
        try:
            db.execute(statement.text)
        except StatementError as e:
            open_transaction = db.in_transaction()
            db.rollback()
            elapsed = round((time.monotonic() - started) * 1000)
            history.record(
                db,
                Entry(
                    m.number,
                    m.name,
                    checksum,
                    direction,
                    FAILED,
                    history.now(),
                    elapsed,
                    who(),
                    statement.line,
                    statement.text,
                    str(e),
                ),
            )
            left = (
                "its open transaction was rolled back"
                if open_transaction
                else "the statements before it that ran outside a transaction stay applied"
            )
            raise Failed(
                f"{file.name} line {statement.line} failed: {e} (in: {statement.first_line}); {left}. "
                f"Fix the file, record it with `dbdsl migrate hash {file.parent}`, then run the command again"
            ) from None
    elapsed = round((time.monotonic() - started) * 1000)
    status = APPLIED if direction == "up" else ROLLED_BACK
    history.record(db, Entry(m.number, m.name, checksum, direction, status, history.now(), elapsed, who()))
    verb = "applied" if direction == "up" else "rolled back"
    say(f"{verb} {m.stem} ({elapsed} ms)")


def _up(m: Migration) -> Path:
    if m.up is None:
        raise Refused(f"{m.stem} has no up migration")
    return m.up
