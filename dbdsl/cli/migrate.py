"""`dbdsl migrate diff|plan|init|verify|hash`: versioned migrations with rollback (`apply`, `rollback`
and `status` on a live database are in `live.py`).

Exit status: 0 done; 1 a problem with the schemas or the migrations (errors in a schema, a destructive
plan refused, a verification that failed); 2 a usage or I/O problem.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from ..findings import Finding
from ..migrate.api import MigrationError, default_name, normalize_dialect, resolve_dialect
from ..migrate.directory import DirectoryError, MigrationDirectory, slug
from ..migrate.init import phases
from ..migrate.lock import LockError, locked
from ..migrate.migration import Migration, plan_migration
from ..migrate.plan import Plan
from ..migrate.rules import MigrationWarning
from ..migrate.script import one_line
from ..migrate.sources import SchemaSource, SourceProblem, StateProblem, analyze_file, load
from ..migrate.verify import verify
from ..workspace import Analysis
from .files import display_path

DEFAULT_DIR = "migrations"


class Problem(Exception):
    """Exit status 1 with a message (and the findings of a schema with errors)."""

    def __init__(self, message: str, findings: Iterable[Finding] = ()) -> None:
        super().__init__(message)
        self.findings = list(findings)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="write versioned migrations with rollback, and check them")
    p.set_defaults(run=lambda args: _usage(p))
    commands = p.add_subparsers(dest="migrate_command", metavar="ACTION")

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--to", required=True, metavar="FILE", help="the schema to migrate to")
        q.add_argument(
            "--from",
            dest="source",
            metavar="SOURCE",
            help="where to migrate from: a schema FILE, git:REV[:PATH], or a migrations DIR "
            "(default: the --dir directory)",
        )
        q.add_argument("--dir", default=DEFAULT_DIR, help=f"migrations directory (default: {DEFAULT_DIR}/)")
        q.add_argument("--dialect", help="postgres or sqlite (default: the directory's, or Project database_type)")
        q.add_argument(
            "--allow-destructive",
            action="store_true",
            help="allow dropping tables and columns, and type changes that can alter values",
        )
        q.add_argument("--safe", action="store_true", help="use zero-downtime forms where they exist")

    d = commands.add_parser("diff", help="write the next migration (up and down) into the directory")
    common(d)
    d.add_argument("--name", help="the migration's name (default: from its first change)")
    d.set_defaults(run=run_diff)

    q = commands.add_parser("plan", help="print the steps and warnings of the next migration; write nothing")
    common(q)
    q.add_argument("--format", choices=("text", "sql", "json"), default="text", help="output format")
    q.set_defaults(run=run_plan)

    i = commands.add_parser("init", help="write the initial schema as phased migrations")
    i.add_argument("file", metavar="FILE", help="the schema")
    i.add_argument("--dir", default=DEFAULT_DIR, help=f"migrations directory (default: {DEFAULT_DIR}/)")
    i.add_argument("--dialect", help="postgres or sqlite (default: Project database_type)")
    i.set_defaults(run=run_init)

    v = commands.add_parser("verify", help="check a migrations directory: checksums, replay, rollbacks")
    v.add_argument("dir", nargs="?", default=DEFAULT_DIR, metavar="DIR", help=f"default: {DEFAULT_DIR}/")
    v.add_argument("--dialect", help="when the directory does not record it")
    v.set_defaults(run=run_verify)

    h = commands.add_parser("hash", help="record the directory's files in its checksum file (after a hand edit)")
    h.add_argument("dir", nargs="?", default=DEFAULT_DIR, metavar="DIR", help=f"default: {DEFAULT_DIR}/")
    h.add_argument("--dialect", help="the dialect to record, when the directory has none yet")
    h.set_defaults(run=run_hash)

    from .live import register_migrate

    register_migrate(commands)


def _usage(parser: argparse.ArgumentParser) -> int:
    from . import UsageError

    raise UsageError(
        "migrate: choose an action: diff, plan, init, verify, hash, apply, rollback or status "
        "(see dbdsl migrate --help)"
    )


def _guarded(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn the core's errors into exit statuses: readable lines, no tracebacks."""

    def run(args: argparse.Namespace) -> int:
        from . import UsageError

        # sqlglot logs statements it reads as plain commands; the importer reports what matters
        logging.getLogger("sqlglot").setLevel(logging.ERROR)
        try:
            return fn(args)
        except (Problem, StateProblem) as e:
            _print_findings(e.findings)
            print(f"dbdsl: {e}", file=sys.stderr)
            return 1
        except (SourceProblem, MigrationError) as e:
            if e.findings:
                _print_findings(e.findings)
                print(f"dbdsl: {e}", file=sys.stderr)
                return 1
            raise UsageError(str(e)) from e
        except LockError as e:
            raise UsageError(str(e)) from e
        except OSError as e:
            raise UsageError(f"{getattr(e, 'filename', None) or ''}: {e.strerror or e}".lstrip(": ")) from e

    return run


def _print_findings(findings: Iterable[Finding]) -> None:
    for f in findings:
        line, col = f.span.start_pos
        level = "" if f.severity.value == "error" else f"{f.severity.value} "
        print(f"{display_path(f.span.file)}:{line + 1}:{col + 1}: {level}{f.code} {f.message}", file=sys.stderr)


# ---------------------------------------------------------------- diff and plan


def _left_out(analysis: Analysis) -> None:
    """Say which objects no migration creates (E126: SQL that cannot be read): never silently."""
    _print_findings(f for f in analysis.findings if f.code == "E126")


def _migration(args: argparse.Namespace) -> tuple[Migration, SchemaSource, str, MigrationDirectory]:
    target = analyze_file(args.to)
    _left_out(target)
    folder = MigrationDirectory(args.dir)
    spec = args.source
    recorded = folder
    if spec is not None and not spec.startswith("git:") and Path(spec).is_dir():
        recorded = MigrationDirectory(spec)
    dialect = resolve_dialect(args.dialect, recorded, target.schema)
    if spec is None:
        if not folder.exists():
            raise MigrationError(
                f"give --from (a schema file, git:REV or a migrations directory): {args.dir} does not exist"
            )
        spec = args.dir
    if spec.startswith("git:"):
        source = load(spec, to_path=args.to)
    else:
        path = Path(spec)
        if path.is_dir():
            problems = MigrationDirectory(path).checksum_problems()
            if problems:
                lines = "; ".join(f"{p.file} {p.message}" for p in problems)
                raise Problem(f"{spec} cannot be trusted as the current state: {lines}")
        source = load(spec, dialect=dialect, target=target.schema)
    migration = plan_migration(
        source.schema,
        target.schema,
        dialect,
        safe=args.safe,
        allow_destructive=args.allow_destructive,
        notes=[f"from {source.label} to {display_path(args.to)}"],
    )
    migration.apply_config(args.to)
    return migration, source, dialect, folder


def _warning_lines(warnings: list[MigrationWarning], indent: str = "  ") -> list[str]:
    out = []
    for w in warnings:
        mark = "refused " if w.refused else ""
        out.append(f"{indent}{mark}{w.code} {w.rule.name}: {one_line(w.message)}")
        out.append(f"{indent}  zero-downtime: {one_line(w.alternative)}")
    return out


@_guarded
def run_diff(args: argparse.Namespace) -> int:
    if not Path(args.dir).is_dir() and args.source is None:
        return _diff(args)  # _migration says what is missing; nothing to lock
    with locked(args.dir):  # the state is read, planned from and written by one process at a time
        return _diff(args)


def _diff(args: argparse.Namespace) -> int:
    migration, source, dialect, folder = _migration(args)
    if migration.empty:
        print(f"No changes from {source.label} to {display_path(args.to)}; nothing written.")
        return 0
    if migration.refused:
        print("\n".join(_warning_lines(migration.refused, "")), file=sys.stderr)
        raise Problem("the migration would drop or alter data; nothing written (pass --allow-destructive to allow it)")
    try:
        number = folder.next_number()
        stem = f"{number:04d}_{slug(args.name) if args.name else default_name(migration)}"
        written = folder.write(
            {
                f"{stem}.up.sql": migration.up_text(f"{stem} (up)"),
                f"{stem}.down.sql": migration.down_text(f"{stem} (down)"),
            },
            dialect,
        )
    except DirectoryError as e:
        raise MigrationError(str(e)) from e
    steps = len(migration.up.steps)
    warnings = migration.up_warnings
    print(
        f"Wrote {display_path(str(written[0]))} and {display_path(str(written[1]))} "
        f"({steps} step{'s' if steps != 1 else ''}, {len(warnings)} warning{'s' if len(warnings) != 1 else ''})."
    )
    if warnings:
        print("\n".join(_warning_lines(warnings)))
    return 0


@_guarded
def run_plan(args: argparse.Namespace) -> int:
    migration, source, dialect, _folder = _migration(args)
    if args.format == "json":
        print(json.dumps(_plan_json(migration, source, args, dialect), indent=2, ensure_ascii=False))
    elif args.format == "sql":
        print(migration.up_text("up"))
        print(migration.down_text("down"))
    else:
        _print_plan(migration, source, args, dialect)
    if migration.refused:
        print("dbdsl: the migration would drop or alter data (pass --allow-destructive to allow it)", file=sys.stderr)
        return 1
    return 0


def _print_plan(migration: Migration, source: SchemaSource, args: argparse.Namespace, dialect: str) -> None:
    to = display_path(args.to)
    if migration.empty:
        print(f"No changes from {source.label} to {to}.")
        return
    steps = migration.up.steps
    print(f"Migration from {source.label} to {to} ({dialect}): {len(steps)} step{'s' if len(steps) != 1 else ''}")
    for i, step in enumerate(steps, 1):
        print(f"  {i}. {step.describe()}")
        if step.note:
            print(f"     ({step.note})")
        for statement in step.statements:
            for comment in statement.comments:
                print(f"       -- {one_line(comment)}")
            for line in statement.sql(dialect).split("\n"):
                print(f"       {line}")
    if migration.up_warnings:
        print("Warnings:")
        print("\n".join(_warning_lines(migration.up_warnings)))
    down = migration.down.steps
    print(f"Rollback: {len(down)} step{'s' if len(down) != 1 else ''}")
    for i, step in enumerate(down, 1):
        print(f"  {i}. {step.describe()}")


def _plan_json(migration: Migration, source: SchemaSource, args: argparse.Namespace, dialect: str) -> dict[str, object]:
    def steps(plan: Plan) -> list[dict[str, object]]:
        return [
            {
                "description": s.describe(),
                "kind": s.kind,
                "form": s.form,
                "sql": [st.sql(dialect) for st in s.statements],
            }
            for s in plan.steps
        ]

    def warnings(items: list[MigrationWarning]) -> list[dict[str, object]]:
        return [
            {
                "code": w.code,
                "rule": w.rule.name,
                "message": w.message,
                "alternative": w.alternative,
                "subject": w.subject,
                "refused": w.refused,
            }
            for w in items
        ]

    return {
        "from": source.label,
        "to": display_path(args.to),
        "dialect": dialect,
        "steps": steps(migration.up),
        "warnings": warnings(migration.up_warnings),
        "rollback": steps(migration.down),
        "rollback_warnings": warnings(migration.down_warnings),
        "refused": bool(migration.refused),
    }


# ---------------------------------------------------------------- init, verify, hash


@_guarded
def run_init(args: argparse.Namespace) -> int:
    analysis = analyze_file(args.file)
    _left_out(analysis)
    with locked(args.dir):
        return _init(args, analysis)


def _init(args: argparse.Namespace, analysis: Analysis) -> int:
    folder = MigrationDirectory(args.dir)
    if folder.migrations():
        raise Problem(f"{args.dir} already has migrations; use `dbdsl migrate diff` for the next one")
    dialect = resolve_dialect(args.dialect, folder, analysis.schema)
    parts = phases(analysis.schema, dialect)
    if not parts:
        print(f"{display_path(args.file)} has nothing to create; nothing written.")
        return 0
    files = {}
    for phase in parts:
        files[f"{phase.stem}.up.sql"] = phase.migration.up_text(f"{phase.stem} (up)")
        files[f"{phase.stem}.down.sql"] = phase.migration.down_text(f"{phase.stem} (down)")
    try:
        folder.write(files, dialect)
    except DirectoryError as e:
        raise MigrationError(str(e)) from e
    print(f"Wrote {len(parts)} phase{'s' if len(parts) != 1 else ''} into {display_path(args.dir)}:")
    for phase in parts:
        steps = len(phase.migration.up.steps)
        print(f"  {phase.stem}: {phase.title} ({steps} step{'s' if steps != 1 else ''})")
    return 0


@_guarded
def run_verify(args: argparse.Namespace) -> int:
    folder = MigrationDirectory(args.dir)
    if not folder.exists():
        raise MigrationError(f"{args.dir}: no such directory")
    dialect = normalize_dialect(args.dialect) if args.dialect else None
    report = verify(folder, dialect)
    shown = display_path(args.dir)
    for note in report.notes:
        print(f"{shown}/{note.file}: note: {note.message}")
    for problem in report.problems:
        print(f"{shown}/{problem.file}: {problem.message}")
    count = f"{report.migrations} migration{'s' if report.migrations != 1 else ''}"
    if report.ok:
        print(f"{shown}: {count} verified (checksums, replay, rollbacks).")
        return 0
    noun = "problem" if len(report.problems) == 1 else "problems"
    print(f"{shown}: {count}, {len(report.problems)} {noun}.")
    return 1


@_guarded
def run_hash(args: argparse.Namespace) -> int:
    folder = MigrationDirectory(args.dir)
    if not folder.exists():
        raise MigrationError(f"{args.dir}: no such directory")
    dialect = normalize_dialect(args.dialect) if args.dialect else None
    try:
        with locked(args.dir):
            sums = folder.record(dialect)
    except DirectoryError as e:
        raise MigrationError(str(e)) from e
    print(f"Recorded {len(sums.entries)} file(s) in {display_path(args.dir)}/dbdsl.sum.")
    return 0
