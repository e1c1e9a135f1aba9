"""`dbdsl check PATH...`: report syntax and semantic errors (and, with the linter, design findings)."""

from __future__ import annotations

import argparse
import json
import sys

from ..findings import Finding, Severity
from ..progress import StderrProgress, steps
from ..workspace import SourceError, Workspace
from .files import collect, display_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check schema files for errors and design problems")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of .dbml files")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from . import UsageError

    files = collect(args.paths)
    workspace = Workspace()
    results: list[tuple[str, list[Finding]]] = []
    for path in steps(StderrProgress(), "Checking", files, display_path):
        try:
            analysis = workspace.analyze(path)
        except SourceError as e:
            raise UsageError(str(e)) from e
        results.append((path, analysis.findings))
    if args.format == "json":
        print(json.dumps([as_json(path, f) for path, found in results for f in found], indent=2, ensure_ascii=False))
    else:
        print_text(results, sys.stdout)
    has_errors = any(f.severity is Severity.ERROR for _, found in results for f in found)
    return 1 if has_errors else 0


def as_json(path: str, f: Finding) -> dict:
    (line, col), (end_line, end_col) = f.span.start_pos, f.span.end_pos
    return {
        "file": display_path(path),
        "line": line + 1,
        "column": col + 1,
        "end_line": end_line + 1,
        "end_column": end_col + 1,
        "code": f.code,
        "category": f.category,
        "severity": f.severity.value,
        "message": f.message,
    }


def print_text(results: list[tuple[str, list[Finding]]], out) -> None:
    counts = {s: 0 for s in Severity}
    for path, found in results:
        shown = display_path(path)
        for f in found:
            line, col = f.span.start_pos
            print(f"{shown}:{line + 1}:{col + 1}: {f.code} {f.message}", file=out)
            counts[f.severity] += 1
    files = len(results)
    noun = "file" if files == 1 else "files"
    if not any(counts.values()):
        print(f"All checks passed ({files} {noun}).", file=out)
        return
    parts = [f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    print(f"Found {', '.join(parts)} in {files} {noun}.", file=out)
