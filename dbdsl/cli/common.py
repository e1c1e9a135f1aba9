"""What the output commands (sql, erd, doc) share: reading a schema file and writing what they make."""

from __future__ import annotations

import sys
from pathlib import Path

from ..dialects import project_dialect
from ..emit.sql_types import DIALECTS
from ..model.schema import Schema
from ..workspace import Analysis, SourceError, Workspace
from .reports import print_text

DIALECT_NAMES = tuple(DIALECTS)


def analyze(path: str) -> Analysis | None:
    """The analysis of `path`, or None when it has errors (printed as `dbdsl check` prints them, on
    stderr, since stdout may be the command's output). A file that cannot be read is a usage error."""
    from . import UsageError

    try:
        analysis = Workspace().analyze(path)
    except SourceError as e:
        raise UsageError(str(e)) from e
    if analysis.errors:
        print_text([(path, analysis.errors)], sys.stderr)
        return None
    return analysis


def choose_dialect(given: str | None, schema: Schema) -> str:
    """`--dialect`, else the Project's database_type; a usage error when neither says."""
    from . import UsageError

    if given:
        return given
    found = project_dialect(schema)
    if found is None:
        said = f" (database_type '{schema.database_type}' is not one of them)" if schema.database_type else ""
        raise UsageError(f"choose a dialect with --dialect {{{','.join(DIALECT_NAMES)}}}{said}")
    return found


def write_output(path: str | None, data: str | bytes) -> None:
    """Write to `path` (creating its folders), or to stdout when it is None or '-'. An unwritable path
    is a usage error."""
    from . import UsageError

    if path is None or path == "-":
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
        return
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    except OSError as e:
        raise UsageError(f"{path}: cannot write ({e.strerror or e})") from e


def print_warnings(warnings: list[str], source: str | None = None) -> None:
    """Each warning on its own line on stderr: `file: warning: text`."""
    prefix = f"{source}: " if source else ""
    for w in warnings:
        print(f"{prefix}warning: {w}", file=sys.stderr)
