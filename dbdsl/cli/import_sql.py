"""`dbdsl import FILE.sql --dialect D [-o OUT.dbml]`: existing DDL (a dump, migrations) as a schema file."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from ..emit.dsl import schema_text
from ..emit.sql_types import DIALECTS, engine_name
from ..importers.sql import import_sql
from ..model.schema import Project
from ..workspace import SourceError, decode_source, read_source
from .common import DIALECT_NAMES, print_warnings, write_output
from .files import display_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="read SQL DDL (pg_dump --schema-only, MySQL dumps, migrations) into a schema file",
        description="Read CREATE/ALTER/COMMENT/INSERT statements and write the schema they build. "
        "Each statement that cannot be read or carried over is listed once at the end on stderr "
        "(FILE:LINE: what and why).",
    )
    p.add_argument("file", metavar="FILE", help="the SQL file, or - for standard input")
    p.add_argument("--dialect", choices=DIALECT_NAMES, required=True, help="the SQL dialect of FILE")
    p.add_argument("-o", "--output", metavar="OUT", help="write the schema to OUT instead of stdout")
    p.add_argument(
        "--strict", action="store_true", help="exit 1 when any statement, or part of one, was not carried over"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text, name = _read(args.file)
    result = import_sql(text, args.dialect)
    schema = result.schema
    project = Project(name=_project_name(name), database_type=engine_name(DIALECTS[args.dialect]))
    schema = replace(schema, project=project)
    write_output(args.output, schema_text(schema))
    for item in result.skipped:
        where = f"{name}:{item.line}" if item.line is not None else name
        print(f"{where}: {item.message}", file=sys.stderr)
    if not schema.tables and not schema.enums:
        print_warnings(["no table or enum was found"], name)
    if result.skipped:
        count = len(result.skipped)
        print(
            f"{name}: {len(schema.tables)} tables imported; {count} "
            f"{'statement or part' if count == 1 else 'statements or parts'} not carried over (listed above)",
            file=sys.stderr,
        )
        return 1 if args.strict else 0
    return 0


def _read(path: str) -> tuple[str, str]:
    from . import UsageError

    name = "<stdin>" if path == "-" else display_path(path)
    try:
        text = decode_source(sys.stdin.buffer.read(), name) if path == "-" else read_source(path)
    except SourceError as e:
        raise UsageError(str(e)) from e
    return text, name


def _project_name(name: str) -> str:
    stem = Path(name).stem if name != "<stdin>" else "imported"
    return stem.split(".")[0] or "imported"
