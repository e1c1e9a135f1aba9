"""`dbdsl fmt [--check] [--diff] PATH...`: format schema files in place (or `-` for stdin to stdout)."""

from __future__ import annotations

import argparse
import difflib
import sys

from ..atomic import write_file
from ..format import format_text
from ..syntax.blocks import split_blocks
from ..syntax.parser import parse_block
from ..workspace import SourceError, decode_source, read_source
from .files import collect, display_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "fmt",
        help="format schema files (canonical layout; comments and notes kept)",
        description="Format schema files in place. Blocks with syntax errors are left as they are.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of .dbml files, or - for stdin")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 when a file would be reformatted")
    p.add_argument("--diff", action="store_true", help="change nothing; print what would change as a unified diff")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from . import UsageError

    if args.paths == ["-"]:
        data = sys.stdin.buffer.read()
        try:
            text = decode_source(data, "<stdin>")
        except SourceError as e:
            raise UsageError(str(e)) from e
        formatted = format_text(text)
        if args.diff:
            sys.stdout.writelines(_diff("<stdin>", text, formatted))
        elif not args.check:
            sys.stdout.flush()
            bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
            sys.stdout.buffer.write((bom + formatted).encode("utf-8"))
            sys.stdout.buffer.flush()
        return 1 if (args.check or args.diff) and formatted != text else 0
    if "-" in args.paths:
        raise UsageError("'-' (stdin) cannot be combined with file names")
    files = collect(args.paths)
    changed = unchanged = 0
    for path in files:
        try:
            text = read_source(path)
        except SourceError as e:
            raise UsageError(str(e)) from e
        with open(path, "rb") as f:
            has_bom = f.read(3) == b"\xef\xbb\xbf"
        formatted = format_text(text)
        broken = _blocks_with_errors(text)
        if broken:
            noun = "block" if broken == 1 else "blocks"
            print(f"{display_path(path)}: {broken} {noun} with syntax errors left as written", file=sys.stderr)
        if formatted == text:
            unchanged += 1
            continue
        changed += 1
        if args.diff:
            sys.stdout.writelines(_diff(display_path(path), text, formatted))
        elif args.check:
            print(f"would reformat {display_path(path)}")
        else:
            _write(path, ("\ufeff" if has_bom else "") + formatted)
    _summary(changed, unchanged, dry=args.check or args.diff)
    return 1 if (args.check or args.diff) and changed else 0


def _blocks_with_errors(text: str) -> int:
    return sum(1 for b in split_blocks(text.replace("\r\n", "\n")) if parse_block(b.text).problems)


def _diff(name: str, before: str, after: str) -> list[str]:
    lines = list(difflib.unified_diff(before.splitlines(True), after.splitlines(True), f"{name}", f"{name}"))
    return [line if line.endswith("\n") else line + "\n" for line in lines]


def _write(path: str, text: str) -> None:
    """Replace the file atomically, keeping its permissions; a folder or disk that refuses is a usage
    error and the file stays as it was."""
    from . import UsageError

    try:
        write_file(path, text)
    except OSError as e:
        raise UsageError(f"{display_path(path)}: cannot write ({e.strerror or e}); the file is unchanged") from e


def _summary(changed: int, unchanged: int, *, dry: bool) -> None:
    def files(n: int) -> str:
        return f"{n} file{'s' if n != 1 else ''}"

    parts = []
    if changed:
        parts.append(f"{files(changed)} {'would be reformatted' if dry else 'reformatted'}")
    if unchanged:
        parts.append(f"{files(unchanged)} {'already formatted' if dry else 'left unchanged'}")
    print(", ".join(parts) or "no files", file=sys.stderr)
