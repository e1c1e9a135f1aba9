"""What the output commands (sql, erd, doc) share: reading a schema file and writing what they make."""

from __future__ import annotations

import sys

from ..atomic import write_file, write_files
from ..dialects import project_dialect
from ..emit.sql_types import DIALECTS
from ..model.schema import Schema
from ..paths import display_path
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


def write_output(path: str | None, data: str | bytes | dict[str, str | bytes]) -> None:
    """Write to `path` (creating its folders), or to stdout when it is None or '-'; whole or not at all
    (`atomic.py`): on a full disk the old file stays as it was. `data` may also be several files (path
    -> content) written as one unit. An unwritable path is a usage error."""
    from . import UsageError

    if isinstance(data, dict):
        try:
            write_files(data)
        except OSError as e:
            raise UsageError(f"{display_path(e.filename or path or '')}: cannot write ({e.strerror or e})") from e
        return
    if path is None or path == "-":
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
        return
    try:
        write_file(path, data)
    except OSError as e:
        raise UsageError(f"{path}: cannot write ({e.strerror or e})") from e


def print_warnings(warnings: list[str], source: str | None = None) -> None:
    """Each warning on its own line on stderr: `file: warning: text`."""
    prefix = f"{source}: " if source else ""
    for w in warnings:
        print(f"{prefix}warning: {w}", file=sys.stderr)
