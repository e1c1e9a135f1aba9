"""`dbdsl orm FILE --to sqlalchemy|django [-o OUT]`: ORM models of a schema."""

from __future__ import annotations

import argparse

from ..orm import TARGETS
from .common import analyze, print_warnings, write_output
from .files import display_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "orm",
        help="write ORM models of a schema (SQLAlchemy 2.0 or Django)",
        description="Write the models an application team needs: SQLAlchemy 2.0 typed declarative models "
        "(relationships both ways, enums, indexes, checks) or Django models, with the tables, keys and "
        "indexes named as `dbdsl sql` names them.",
    )
    p.add_argument("file", metavar="FILE", help="the schema file (.dbml)")
    p.add_argument("--to", required=True, choices=TARGETS, help="the ORM to write models for")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT (a .py file) instead of stdout")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    analysis = analyze(args.file)
    if analysis is None:
        return 1
    source = display_path(args.file)
    if args.to == "sqlalchemy":
        from ..orm.sqlalchemy import to_sqlalchemy

        text, warnings = to_sqlalchemy(analysis.schema, source)
    else:
        from ..orm.django import to_django

        text, warnings = to_django(analysis.schema, source)
    write_output(args.output, text)
    print_warnings(warnings, source)
    return 0
