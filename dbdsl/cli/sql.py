"""`dbdsl sql FILE [--dialect D] [-o OUT] [--with PARTS]`: the SQL DDL of a schema for one engine, and
with `--with` the physical design around it (PostgreSQL: see `dbdsl.physical.script`)."""

from __future__ import annotations

import argparse

from ..emit.sql import generate
from ..model.schema import Schema
from ..physical.script import PARTS, PartsError, dialect_problem, parse_parts, physical_script
from .common import DIALECT_NAMES, analyze, choose_dialect, print_warnings, write_output
from .files import display_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sql",
        help="write the SQL DDL of a schema for one engine",
        description="Write the CREATE statements (and the Records as INSERTs) of a schema for one engine. "
        "What the engine cannot express is named in a warning, in the script and on stderr.",
    )
    p.add_argument("file", metavar="FILE", help="the schema file (.dbml)")
    p.add_argument(
        "--dialect",
        choices=DIALECT_NAMES,
        help="target engine (default: the Project's database_type)",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")
    p.add_argument("--no-records", action="store_true", help="leave out the INSERTs of Records blocks")
    p.add_argument(
        "--with",
        dest="parts",
        metavar="PARTS",
        help=f"add the physical design (PostgreSQL): a comma-separated list of {', '.join(PARTS)}, or all",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    analysis = analyze(args.file)
    if analysis is None:
        return 1
    dialect = choose_dialect(args.dialect, analysis.schema)
    if args.parts is not None:
        return _physical(args, analysis.schema, dialect)
    script = generate(analysis.schema, dialect, records=not args.no_records)
    write_output(args.output, script.text())
    print_warnings(script.warnings, display_path(args.file))
    return 0


def _physical(args: argparse.Namespace, schema: Schema, dialect: str) -> int:
    from . import UsageError

    try:
        parts = parse_parts(args.parts)
    except PartsError as e:
        raise UsageError(str(e)) from e
    problem = dialect_problem(dialect)
    if problem:
        raise UsageError(problem)
    script = physical_script(schema, parts, records=not args.no_records)
    write_output(args.output, script.text())
    print_warnings(script.warnings, display_path(args.file))
    return 0
