"""The commands that talk to a live database: `dbdsl migrate apply|rollback|status` (registered under
`migrate`), `dbdsl pull`, `dbdsl diff` and `dbdsl explain`.

Exit status: 0 done (up to date, no drift); 1 a refused or failed migration, a database not up to date,
drift; 2 a usage problem or a database that cannot be reached (one line, the password masked)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from ..live.connect import DEFAULT_CONNECT_TIMEOUT, ConnectError, Database, StatementError, connect
from ..live.lock import LockTimeout
from ..live.url import mask_url

DEFAULT_DIR = "migrations"


def connection_options(p: argparse.ArgumentParser, *, url_option: bool = True) -> None:
    if url_option:
        p.add_argument("--url", required=True, metavar="URL", help="postgresql://..., mysql://... or sqlite:///path")
    p.add_argument("--password-env", metavar="NAME", help="read the password from the environment variable NAME")
    p.add_argument(
        "--connect-timeout",
        type=float,
        default=DEFAULT_CONNECT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on a host that does not answer (default: {DEFAULT_CONNECT_TIMEOUT})",
    )


def open_database(url: str, args: argparse.Namespace) -> Database:
    from . import UsageError

    try:
        return connect(url, password_env=args.password_env, timeout=args.connect_timeout)
    except ConnectError as e:
        raise UsageError(str(e)) from None


def guarded(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A database that fails under a command is one masked line, exit 2; a held lock, exit 1."""

    def run(args: argparse.Namespace) -> int:
        from . import UsageError

        try:
            return fn(args)
        except LockTimeout as e:
            print(f"dbdsl: {e}", file=sys.stderr)
            return 1
        except StatementError as e:
            raise UsageError(mask_url(str(e))) from None
        except ConnectError as e:
            raise UsageError(str(e)) from None

    return run


# ---------------------------------------------------------------- migrate apply, rollback, status


def register_migrate(commands: argparse._SubParsersAction) -> None:
    """`migrate apply`, `migrate rollback`, `migrate status`."""

    def common(q: argparse.ArgumentParser) -> None:
        connection_options(q)
        q.add_argument("--dir", default=DEFAULT_DIR, help=f"migrations directory (default: {DEFAULT_DIR}/)")

    def locking(q: argparse.ArgumentParser) -> None:
        q.add_argument("--dry-run", action="store_true", help="say what would run; run nothing")
        q.add_argument(
            "--lock-timeout",
            type=float,
            default=60,
            metavar="SECONDS",
            help="how long to wait for another run's lock (default: 60)",
        )

    a = commands.add_parser("apply", help="run the pending migrations on a database and record them")
    common(a)
    a.add_argument("--to", type=int, metavar="VERSION", help="stop after this version (default: all)")
    locking(a)
    a.set_defaults(run=run_apply)

    r = commands.add_parser("rollback", help="run the down migrations back to a version")
    common(r)
    r.add_argument("--to", type=int, required=True, metavar="VERSION", help="the version to return to (0: none)")
    locking(r)
    r.set_defaults(run=run_rollback)

    s = commands.add_parser("status", help="applied, pending, changed and failed migrations of a database")
    common(s)
    s.set_defaults(run=run_status)


def _runner_errors(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from ..live.runner import Failed, Refused

        try:
            return fn(args)
        except (Refused, Failed) as e:
            print(f"dbdsl: {e}", file=sys.stderr)
            return 1

    return guarded(run)


@_runner_errors
def run_apply(args: argparse.Namespace) -> int:
    from ..live.runner import apply

    with open_database(args.url, args) as db:
        apply(db, args.dir, to=args.to, dry_run=args.dry_run, lock_timeout=args.lock_timeout)
    return 0


@_runner_errors
def run_rollback(args: argparse.Namespace) -> int:
    from ..live.runner import rollback

    with open_database(args.url, args) as db:
        rollback(db, args.dir, to=args.to, dry_run=args.dry_run, lock_timeout=args.lock_timeout)
    return 0


@_runner_errors
def run_status(args: argparse.Namespace) -> int:
    from ..live.runner import status

    with open_database(args.url, args) as db:
        found = status(db, args.dir)
    print(f"{db.url.shown}, migrations in {args.dir}:")
    for item in found.states:
        entry = item.entry
        line = f"  {item.migration.stem}: {item.state}"
        if item.state == "applied" and entry is not None:
            line += f" {entry.applied_at} by {entry.applied_by} ({entry.duration_ms} ms)"
        elif item.state == "failed" and entry is not None:
            line += f" at line {entry.failed_line} of its {entry.direction} file: {entry.error}"
        elif item.state == "changed":
            line += " (the file differs from the one applied)"
        print(line)
    for entry in found.missing:
        print(f"  {entry.stem}: applied, but not in {args.dir}")
    for problem in found.problems:
        print(f"  dbdsl.sum: {problem}")
    counts: dict[str, int] = {}
    for item in found.states:
        counts[item.state] = counts.get(item.state, 0) + 1
    summary = ", ".join(f"{n} {state}" for state, n in counts.items()) or "no migrations"
    print(("Up to date: " if found.up_to_date else "Not up to date: ") + summary + ".")
    return 0 if found.up_to_date else 1


# ---------------------------------------------------------------- pull, diff, explain


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "pull",
        help="read a live database's schema into a schema file",
        description="Read the catalog of a live database (PostgreSQL, MySQL/MariaDB, SQLite) and write it as "
        "DBML. What the language cannot say (views, functions, triggers, policies, grants) is listed at the end.",
    )
    p.add_argument("url", metavar="URL", help="postgresql://..., mysql://... or sqlite:///path")
    p.add_argument("-o", "--output", metavar="FILE", help="write the schema to FILE instead of stdout")
    p.add_argument("--schema", metavar="NAME", help="only this schema (PostgreSQL)")
    connection_options(p, url_option=False)
    p.set_defaults(run=run_pull)
    register_diff(sub)
    register_explain(sub)


@guarded
def run_pull(args: argparse.Namespace) -> int:
    from ..live.pull import pull
    from . import UsageError
    from .common import print_warnings, write_output

    with open_database(args.url, args) as db:
        if args.schema and db.kind != "postgres":
            raise UsageError(f"--schema names a PostgreSQL schema; on {db.kind} the URL names the database")
        pulled = pull(db, args.schema)
        shown = db.url.shown
    write_output(args.output, pulled.text())
    print_warnings(pulled.warnings, shown)
    if not pulled.schema.tables and not pulled.schema.enums:
        print_warnings(["no table or enum was found" + (f" in schema {args.schema}" if args.schema else "")], shown)
    return 0


def register_diff(sub: argparse._SubParsersAction) -> None:
    d = sub.add_parser(
        "diff",
        help="the drift between a live database and a schema file (either order)",
        description="Compare a live database with a schema file (or two of either) in the words of "
        "`dbdsl migrate plan`. Exit status 0 when they are equal, 1 when they differ.",
    )
    d.add_argument("first", metavar="FROM", help="a database URL or a schema file")
    d.add_argument("second", metavar="TO", help="a database URL or a schema file")
    d.add_argument("--sql", action="store_true", help="print the migration from FROM to TO")
    d.add_argument("--schema", metavar="NAME", help="only this schema of a database (PostgreSQL)")
    d.add_argument("--dialect", help="when neither side is a database nor says its database_type")
    connection_options(d, url_option=False)
    d.set_defaults(run=run_diff)


@guarded
def run_diff(args: argparse.Namespace) -> int:
    from ..live.drift import drift, read_side
    from ..migrate.script import one_line
    from ..migrate.sources import SourceProblem
    from . import UsageError

    try:
        options = {"password_env": args.password_env, "timeout": args.connect_timeout, "schema": args.schema}
        first, second = read_side(args.first, **options), read_side(args.second, **options)
        found = drift(first, second, args.dialect)
    except (SourceProblem, ValueError) as e:
        raise UsageError(str(e)) from None
    if found.empty:
        print(f"No drift: {first.label} and {second.label} are the same schema.")
        return 0
    if args.sql:
        print(found.sql(f"from {first.label} to {second.label}"))
        return 1
    steps = found.steps
    count = f"{len(steps)} step{'s' if len(steps) != 1 else ''}"
    print(f"Drift from {first.label} to {second.label} ({found.dialect}): {count}")
    for i, step in enumerate(steps, 1):
        print(f"  {i}. {step.describe()}")
    for w in found.warnings:
        print(f"  {'refused ' if w.refused else ''}{w.code} {w.rule.name}: {one_line(w.message)}")
    return 1


def register_explain(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser(
        "explain",
        help="EXPLAIN the declared queries on a live PostgreSQL database, next to the linter's verdict",
        description="EXPLAIN every Query block of FILE on the database (never ANALYZE unless asked); with "
        "HypoPG installed in the database, the cost with each suggested index as a hypothetical one.",
    )
    e.add_argument("url", metavar="URL", help="postgresql://...")
    e.add_argument("file", metavar="FILE", help="the schema file with Query blocks")
    e.add_argument("--analyze", action="store_true", help="EXPLAIN ANALYZE: runs each query")
    connection_options(e, url_option=False)
    e.set_defaults(run=run_explain)


@guarded
def run_explain(args: argparse.Namespace) -> int:
    from ..live.explain import explain_file, hypopg_installed
    from ..migrate.sources import SourceProblem, analyze_file
    from . import UsageError

    try:
        analyze_file(args.file)
    except SourceProblem as e:
        raise UsageError(str(e)) from None
    with open_database(args.url, args) as db:
        if db.kind != "postgres":
            raise UsageError(f"explain reads PostgreSQL plans; {db.url.shown} is a {db.kind} database")
        results = explain_file(db, args.file, analyze=args.analyze)
        hypothetical = hypopg_installed(db)
    if not results:
        print(f"{args.file} declares no Query block.")
        return 0
    failed = 0
    for item in results:
        if item.plan is None:
            failed += 1
            print(f"Query {item.query.name}: EXPLAIN failed: {item.error}")
            continue
        timing = f", {item.plan.actual_ms:.2f} ms" if item.plan.actual_ms is not None else ""
        print(f"Query {item.query.name}: cost {item.plan.cost:.2f}{timing}, plan {item.plan.shape}")
        for finding in item.verdicts:
            print(f"  linter: {finding.code} {finding.message}")
        if not item.verdicts:
            print("  linter: no finding")
        for h in item.hypothetical:
            if h.plan is None:
                print(f"  hypothetical {h.index}: {h.error}")
                continue
            change = (h.plan.cost - item.plan.cost) / item.plan.cost * 100 if item.plan.cost else 0.0
            print(f"  with {h.index} (hypothetical): cost {h.plan.cost:.2f} ({change:+.0f}%), plan {h.plan.shape}")
    if not hypothetical:
        print("(HypoPG is not installed in this database: suggested indexes were not tried)")
    return 1 if failed else 0
