"""The `dbdsl` command line: one module per command, registered here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import check, doc, erd, fmt, import_sql, live, migrate, orm, rules, serve, sql

COMMANDS = [check, fmt, sql, import_sql, erd, doc, orm, rules, migrate, live, serve]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dbdsl",
        description="Design databases in DBML: lint, SQL, ERDs, migrations and design documents.",
    )
    parser.add_argument("--version", action="version", version=f"dbdsl {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for command in COMMANDS:
        command.register(sub)
    return parser


def _version() -> str:
    from .. import __version__

    return __version__


class UsageError(Exception):
    """A problem with how dbdsl was called (missing file, bad option): exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except UsageError as e:
        print(f"dbdsl: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
