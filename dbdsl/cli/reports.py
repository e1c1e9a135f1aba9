"""The output formats of `dbdsl check`: text for people, JSON for programs, SARIF 2.1.0 for code scanning,
and GitHub workflow commands for annotations on a pull request.

Each format is one function taking the findings per file, so a new format is one more entry in FORMATS.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ..codes import lookup
from ..findings import Finding, Severity
from ..model.spans import Span
from ..paths import display_path

Results = list[tuple[str, list[Finding]]]  # (path, findings) per file checked


def _positions(f: Finding | Span) -> tuple[int, int, int, int]:
    """1-based line and column of the start and end (columns count code points)."""
    span = f if isinstance(f, Span) else f.span
    (line, col), (end_line, end_col) = span.start_pos, span.end_pos
    return line + 1, col + 1, end_line + 1, end_col + 1


def as_json(path: str, f: Finding) -> dict:
    line, column, end_line, end_column = _positions(f)
    return {
        "file": display_path(path),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "code": f.code,
        "category": f.category,
        "severity": f.severity.value,
        "message": f.message,
    }


def text_line(path: str, f: Finding, *, fixable: bool | None = None) -> str:
    """`file:line:col: severity CODE [*] message` ([*]: `--fix` fixes it; by default, when it has a fix)."""
    line, column, _, _ = _positions(f)
    mark = " [*]" if (bool(f.fixes) if fixable is None else fixable) else ""
    return f"{display_path(path)}:{line}:{column}: {f.severity.value} {f.code}{mark} {f.message}"


def print_text(results: Results, out: TextIO, *, unsafe: bool = False) -> None:
    """One line per finding, then the counts; [*] marks what `--fix` (with `--unsafe-fixes` when `unsafe`)
    fixes, and the unsafe fixes it leaves are counted apart."""
    from ..rules.fixall import first_fix

    counts = {s: 0 for s in Severity}
    fixable = hidden = 0
    for path, found in results:
        for f in found:
            eligible = first_fix(f, unsafe) is not None
            print(text_line(path, f, fixable=eligible), file=out)
            counts[f.severity] += 1
            fixable += eligible
            hidden += not eligible and bool(f.fixes)
    files = len(results)
    noun = "file" if files == 1 else "files"
    if not any(counts.values()):
        print(f"All checks passed ({files} {noun}).", file=out)
        return
    parts = [f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    print(f"Found {', '.join(parts)} in {files} {noun}.", file=out)
    if fixable:
        option = " --unsafe-fixes" if unsafe else ""
        print(f"[*] {fixable} fixable with `dbdsl check --fix{option}` (preview with --diff).", file=out)
    if hidden:
        noun = "fix is" if hidden == 1 else "fixes are"
        print(f"{hidden} more {noun} unsafe (they change what data the schema accepts): add --unsafe-fixes.", file=out)


def print_json(results: Results, out: TextIO) -> None:
    found = [as_json(path, f) for path, findings in results for f in findings]
    print(json.dumps(found, indent=2, ensure_ascii=False), file=out)


# ------------------------------------------------------------------ SARIF 2.1.0

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _describe(code: str) -> dict:
    """A SARIF reportingDescriptor for a rule or error code."""
    from ..rules import registry  # noqa: F401  (loaded when asked: registers the linter's rules)

    rule = lookup(code)
    if rule is None or rule.family == "E":
        summary = rule.summary if rule is not None else code
        return {"id": code, "shortDescription": {"text": summary}, "properties": {"category": "error"}}
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {"text": f"{rule.explanation}\n\nExplained with examples by `dbdsl rules {code}`."},
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
        "properties": {"category": rule.category},
    }


def _artifact(path: str) -> dict:
    shown = display_path(path)
    if Path(shown).is_absolute():
        return {"uri": Path(shown).as_uri()}
    return {"uri": Path(shown).as_posix(), "uriBaseId": "%SRCROOT%"}


def _region(f: Finding | Span) -> dict:
    line, column, end_line, end_column = _positions(f)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def sarif_log(results: Results) -> dict:
    from .. import __version__

    codes = sorted({f.code for _, found in results for f in found})
    index = {code: i for i, code in enumerate(codes)}
    sarif_results = []
    for path, found in results:
        for f in found:
            result: dict = {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": _artifact(path), "region": _region(f)}}],
            }
            if f.related:
                result["relatedLocations"] = [
                    {
                        "id": i,
                        "message": {"text": r.message},
                        "physicalLocation": {"artifactLocation": _artifact(r.span.file), "region": _region(r.span)},
                    }
                    for i, r in enumerate(f.related)
                ]
            sarif_results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dbdsl",
                        "version": __version__,
                        "informationUri": "https://github.com/dbdsl/dbdsl",
                        "rules": [_describe(code) for code in codes],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }


def print_sarif(results: Results, out: TextIO) -> None:
    print(json.dumps(sarif_log(results), indent=2, ensure_ascii=False), file=out)


# ------------------------------------------------------------------ GitHub workflow commands

GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def print_github(results: Results, out: TextIO) -> None:
    """`::warning file=...,line=...::message` per finding: annotations in a GitHub Actions run."""
    from ..rules.fixall import first_fix

    for path, found in results:
        for f in found:
            line, column, end_line, end_column = _positions(f)
            properties = {
                "title": f"dbdsl ({f.code})",
                "file": Path(display_path(path)).as_posix(),
                "line": line,
                "col": column,
                "endLine": end_line,
                "endColumn": end_column,
            }
            listed = ",".join(f"{k}={_escape_property(str(v))}" for k, v in properties.items())
            line_text = text_line(path, f, fixable=first_fix(f, False) is not None)
            print(f"::{GITHUB_LEVEL[f.severity]} {listed}::{_escape_data(line_text)}", file=out)


FORMATS: dict[str, Callable[[Results, TextIO], None]] = {
    "text": print_text,
    "json": print_json,
    "sarif": print_sarif,
    "github": print_github,
}


def report(results: Results, format: str, out: TextIO = sys.stdout, *, unsafe: bool = False) -> None:
    if format == "text":
        print_text(results, out, unsafe=unsafe)
    else:
        FORMATS[format](results, out)
