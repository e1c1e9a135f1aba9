"""`dbdsl check PATH...`: report syntax and semantic errors and the linter's design findings; with
`--fix` apply the available safe fixes (`--unsafe-fixes` adds the unsafe ones), with `--diff` show them
as a unified diff without writing.

Exit status: 0 when nothing reaches the failing severity (errors by default; `--fail-on warning`
or the configuration's `fail-on` make warnings fail too), 1 otherwise, 2 for a usage or I/O problem.
With `--diff` the status is 1 when there is something to fix. `--exit-zero` always exits 0 unless
dbdsl could not run.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import write_file
from ..findings import Finding, Severity
from ..progress import StderrProgress, steps
from ..workspace import SourceError, Workspace, read_source
from .files import collect, display_path
from .reports import FORMATS, report

if TYPE_CHECKING:
    from ..rules.config import LintConfig

DIALECT_CHOICES = ("postgres", "mysql", "sqlite", "mssql", "oracle", "snowflake")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check schema files for errors and design problems")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of .dbml files")
    p.add_argument(
        "--format",
        choices=tuple(FORMATS),
        default="text",
        help="output format: text, json, sarif (SARIF 2.1.0, for code scanning) or github (workflow annotations)",
    )
    lint = p.add_argument_group("linter")
    lint.add_argument(
        "--select",
        metavar="CODES",
        help="rule codes or prefixes to run, comma-separated (replaces the configured selection; ALL for every rule)",
    )
    lint.add_argument("--extend-select", metavar="CODES", help="rule codes or prefixes to run in addition")
    lint.add_argument("--ignore", metavar="CODES", help="rule codes or prefixes to skip, comma-separated")
    lint.add_argument("--dialect", choices=DIALECT_CHOICES, help="engine when the Project has no database_type")
    lint.add_argument("--config", metavar="FILE", help="read this dbdsl.toml or pyproject.toml instead of searching")
    lint.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    lint.add_argument("--no-lint", action="store_true", help="report only syntax and semantic errors")
    lint.add_argument("--fix", action="store_true", help="apply the available safe fixes to the files")
    lint.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; change nothing")
    lint.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff, also apply fixes that change what data the schema accepts or keeps",
    )
    lint.add_argument(
        "--fail-on", choices=("error", "warning", "info"), help="lowest severity that makes the exit status 1"
    )
    lint.add_argument("--exit-zero", action="store_true", help="exit with status 0 even when findings are reported")
    p.set_defaults(run=run)


def _codes(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [c.strip().upper() if c.strip().upper() != "ALL" else "ALL" for c in text.split(",") if c.strip()]


def _config_for(path: str, args: argparse.Namespace) -> LintConfig:
    from ..rules.config import ConfigError, LintConfig, find_config, load_config
    from . import UsageError

    try:
        if args.config:
            base = load_config(args.config)
        elif args.isolated:
            base = LintConfig()
        else:
            base = find_config(path)
        return base.merged(
            select=_codes(args.select),
            extend_select=_codes(args.extend_select),
            ignore=_codes(args.ignore),
            dialect=args.dialect,
            fail_on=args.fail_on,
        )
    except ConfigError as e:
        raise UsageError(str(e)) from e


def run(args: argparse.Namespace) -> int:
    from . import UsageError

    files = collect(args.paths)
    if args.diff or args.fix:
        if args.no_lint:
            raise UsageError("--fix and --diff apply the linter's fixes; they cannot be used with --no-lint")
        if args.diff:
            return _diff(files, args)
        _fix(files, args)
    workspace = Workspace()
    results: list[tuple[str, list[Finding]]] = []
    failing = False
    for path in steps(StderrProgress(), "Checking", files, display_path):
        config = None if args.no_lint else _config_for(path, args)
        try:
            analysis = workspace.analyze(path)
        except SourceError as e:
            raise UsageError(str(e)) from e
        found = list(analysis.findings)
        if config is not None:
            from ..rules import lint

            found.extend(lint(analysis, config))
            found.sort(key=Finding.sort_key)
        threshold = Severity(config.fail_on if config is not None else (args.fail_on or "error"))
        failing |= any(f.severity.rank <= threshold.rank for f in found)
        results.append((path, found))
    report(results, args.format, unsafe=args.unsafe_fixes)
    if args.exit_zero:
        return 0
    return 1 if failing else 0


def _fixed_text(path: str, args: argparse.Namespace) -> tuple[str, str, int]:
    from ..rules.fixall import fix_file
    from . import UsageError

    try:
        text = read_source(path)
    except SourceError as e:
        raise UsageError(str(e)) from e
    result = fix_file(str(Path(path).resolve()), text, _config_for(path, args), unsafe=args.unsafe_fixes)
    return text, result.text, result.fixed


def _fix(files: list[str], args: argparse.Namespace) -> None:
    from . import UsageError

    total = changed = 0
    for path in files:
        before, after, fixed = _fixed_text(path, args)
        if after != before:
            try:
                write_file(path, after)
            except OSError as e:
                shown = display_path(path)
                raise UsageError(f"{shown}: cannot write ({e.strerror or e}); the file is unchanged") from e
            changed += 1
            total += fixed
    if changed:
        noun = "finding" if total == 1 else "findings"
        print(f"Fixed {total} {noun} in {changed} file{'s' if changed != 1 else ''}.", file=sys.stderr)


def _diff(files: list[str], args: argparse.Namespace) -> int:
    total = 0
    for path in files:
        before, after, fixed = _fixed_text(path, args)
        if after == before:
            continue
        total += fixed
        shown = display_path(path)
        old, new = (shown, shown) if Path(shown).is_absolute() else (f"a/{shown}", f"b/{shown}")
        sys.stdout.writelines(
            difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), old, new)
        )
    noun = "finding" if total == 1 else "findings"
    print(f"Would fix {total} {noun}." if total else "No fixes available.", file=sys.stderr)
    if args.exit_zero:
        return 0
    return 1 if total else 0
