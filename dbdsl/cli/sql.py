"""`dbdsl sql FILE [--dialect D] [-o OUT]`: the SQL DDL of a schema for one engine."""

from __future__ import annotations

import argparse

from ..emit.sql import generate
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
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    analysis = analyze(args.file)
    if analysis is None:
        return 1
    dialect = choose_dialect(args.dialect, analysis.schema)
    script = generate(analysis.schema, dialect, records=not args.no_records)
    write_output(args.output, script.text())
    print_warnings(script.warnings, display_path(args.file))
    return 0
