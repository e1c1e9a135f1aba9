"""The `dbdsl` command line: one module per command, registered here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

# the modules of the commands, in the order of `--help`; imported when the parser is built
COMMANDS = ["check", "fmt", "sql", "import_sql", "erd", "doc", "orm", "rules", "migrate", "live", "serve"]


def build_parser(commands: Sequence[str] = COMMANDS) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dbdsl",
        description="Design databases in DBML: lint, SQL, ERDs, migrations and design documents.",
    )
    parser.add_argument("--version", action="version", version=f"dbdsl {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in commands:
        import_module(f"{__name__}.{name}").register(sub)
    return parser


def _version() -> str:
    from .. import __version__

    return __version__


class UsageError(Exception):
    """A problem with how dbdsl was called (missing file, bad option): exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    args_given = sys.argv[1:] if argv is None else list(argv)
    # `serve` alone: the server starts without importing the other commands' dependencies (start-up time)
    parser = build_parser(["serve"] if args_given[:1] == ["serve"] else COMMANDS)
    args = parser.parse_args(args_given)
    try:
        return int(args.run(args) or 0)
    except UsageError as e:
        print(f"dbdsl: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
