"""`workspace/executeCommand` commands and the matching source actions: export SQL, generate the next
migration, generate the design document, render the ERD.

Each takes one object argument (the VS Code extension and the Neovim configuration send exactly
that). The commands that produce a file send `workspace/applyEdit` (create the file, insert the text),
so the editor applies it with undo, and answer `{"uri": ...}`, or null when the editor declined.
Long work reports work-done progress.
"""

from __future__ import annotations

import os
from typing import Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.uris import from_fs_path

from ..findings import Severity
from .edits import create_files
from .features import Refusal, command
from .progress import create_progress
from .server import DbdslServer  # at run time: pygls reads the commands' annotations

EXPORT_SQL = "dbdsl.server.exportSql"
GENERATE_MIGRATION = "dbdsl.server.generateMigration"
GENERATE_DOCUMENT = "dbdsl.server.generateDocument"
RENDER_ERD = "dbdsl.server.renderErd"
SHOW_DRIFT = "dbdsl.server.showDrift"
SOURCE_KINDS = [
    "source.dbdsl.exportSql",
    "source.dbdsl.generateMigration",
    "source.dbdsl.generateDocument",
    "source.dbdsl.renderErd",
]


class CommandFailed(Refusal):
    """The command cannot do its work (errors in the schema...): the message says why."""


def _argument(args: tuple) -> dict:
    if len(args) != 1 or not isinstance(args[0], dict) or not isinstance(args[0].get("uri"), str):
        raise JsonRpcInvalidParams("this command takes one object argument with a 'uri'")
    return args[0]


def _no_errors(view: Any, what: str) -> None:
    errors = [f for f in view.analysis.findings if f.severity is Severity.ERROR]
    if errors:
        first = errors[0]
        line, col = first.span.start_pos
        raise CommandFailed(
            f"cannot {what}: the schema has {len(errors)} error(s); the first, at {line + 1}:{col + 1}, is: "
            f"{first.message}"
        )


def _next_to(path: str, suffix: str) -> str:
    stem, _ext = os.path.splitext(path)
    return from_fs_path(stem + suffix)


async def _create(server: DbdslServer, label: str, files: list[tuple[str, str]]) -> dict | None:
    """Ask the editor to create the files (the first one is the answer's `uri`)."""
    result = await server.workspace_apply_edit_async(
        lsp.ApplyWorkspaceEditParams(edit=create_files(files), label=label)
    )
    return {"uri": files[0][0]} if result is not None and result.applied else None


@command(EXPORT_SQL)
async def export_sql(ls: DbdslServer, *args: Any) -> dict | None:
    from ..dialects import NAMES as DIALECTS  # on first use: start-up time

    arg = _argument(args)
    dialect = arg.get("dialect")
    if dialect not in DIALECTS:
        raise JsonRpcInvalidParams(f"'dialect' must be one of {', '.join(DIALECTS)}")
    progress = await create_progress(ls)
    progress.begin(f"Exporting {dialect} SQL")
    try:
        exported = await ls.run(_export_sql, ls.engine, arg["uri"], dialect)
        if exported is None:
            return None
        target, text = exported
        progress.report("creating the file")
        return await _create(ls, f"Export {dialect} SQL", [(target, text)])
    finally:
        progress.end()


@command(GENERATE_DOCUMENT)
async def generate_document(ls: DbdslServer, *args: Any) -> dict | None:
    arg = _argument(args)
    progress = await create_progress(ls)
    progress.begin("Writing the design document")
    try:
        files = await ls.run(_document, ls.engine, arg["uri"], progress)
        if files is None:
            return None
        progress.report("creating the file")
        return await _create(ls, "Generate design document", files)
    finally:
        progress.end()


@command(RENDER_ERD)
async def render_erd(ls: DbdslServer, *args: Any) -> dict | None:
    arg = _argument(args)
    if arg.get("format", "svg") != "svg":
        raise JsonRpcInvalidParams("'format' must be 'svg'")
    progress = await create_progress(ls)
    progress.begin("Rendering the ERD")
    try:
        reply = await ls.run(_erd, ls.engine, arg["uri"])
        if reply is not None and arg.get("write") is True and reply["format"] == "svg":
            path = ls.engine.path_of(arg["uri"])
            return await _create(ls, "Render ERD", [(_next_to(path, ".svg"), reply["content"])])
        return reply
    finally:
        progress.end()


@command(GENERATE_MIGRATION)
async def generate_migration(ls: DbdslServer, *args: Any) -> dict | None:
    arg = _argument(args)
    progress = await create_progress(ls)
    progress.begin("Generating the next migration")
    try:
        migration = await ls.run(_migration, ls.engine, arg["uri"])
        if migration is None:
            return None
        files, warnings = migration
        if not files:
            ls.show(lsp.MessageType.Info, "dbdsl: no changes since the last migration; nothing to create.")
            return None
        progress.report("creating the files")
        created = await _create(ls, "Generate migration", files)
        if created is not None and warnings:
            ls.show(lsp.MessageType.Warning, "dbdsl: the migration has warnings: " + "; ".join(warnings))
        return created
    finally:
        progress.end()


@command(SHOW_DRIFT)
async def show_drift(ls: DbdslServer, *args: Any) -> dict | None:
    """The drift between the `database.url` setting's database and the document."""
    arg = _argument(args)
    if not ls.engine.settings.database_url:
        raise JsonRpcInvalidParams("set dbdsl.database.url to compare the file with a database")
    return await ls.run(_drift, ls.engine, arg["uri"])


# ------------------------------------------------------------ the work (on the analysis thread)


def _drift(engine: Any, uri: str) -> dict:
    from ..live.drift import drift_report

    view = engine.view(uri)
    _no_errors(view, "compare it with the database")
    return drift_report(view.analysis, engine.settings.database_url)


def _export_sql(engine: Any, uri: str, dialect: str) -> tuple[str, str]:
    from ..emit.sql import generate  # on first use: keeps it out of the server's start-up time

    view = engine.view(uri)
    _no_errors(view, "export SQL")
    return _next_to(view.path, f".{dialect}.sql"), generate(view.schema, dialect).text()


def _document(engine: Any, uri: str, progress: Any) -> list[tuple[str, str]]:
    """The design document and, when Graphviz is there, its ERD beside it (linked from it)."""
    from ..document import render_document  # on first use: keeps it out of the server's start-up time
    from ..emit.erd import svg_or_none  # on first use: keeps it out of the server's start-up time

    view = engine.view(uri)
    _no_errors(view, "write the design document")
    svg = svg_or_none(view.schema)
    stem = os.path.splitext(view.path)[0]
    svg_name = os.path.basename(stem) + ".design.svg"
    text = render_document(
        view.analysis, engine.findings(uri), svg_path=svg_name if svg is not None else None, progress=progress
    )
    files = [(_next_to(view.path, ".design.md"), text)]
    if svg is not None:
        files.append((_next_to(view.path, ".design.svg"), svg))
    return files


def _erd(engine: Any, uri: str) -> dict:
    from ..emit.erd import svg_or_none, text_diagram  # on first use: keeps it out of the server's start-up time

    view = engine.view(uri)
    svg = svg_or_none(view.schema)
    if svg is not None:
        return {"format": "svg", "content": svg}
    return {
        "format": "txt",
        "content": text_diagram(view.schema),
        "message": "Graphviz (dot) is not installed, so this is the text diagram; install Graphviz for the SVG.",
    }


def _migration(engine: Any, uri: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The files of the next migration (from the migrations directory's state to the document), and
    its warnings; no files when nothing changed. A migration that would drop data is refused."""
    from ..migrate import MigrationError, next_migration  # on first use: keeps it out of the start-up time

    view = engine.view(uri)
    _no_errors(view, "generate a migration")
    try:
        draft = next_migration(view.analysis, directory=engine.migrations_folder(view.path), base=None)
    except MigrationError as e:
        raise CommandFailed(f"cannot generate the migration: {e}") from e
    if draft.refused:
        reasons = "; ".join(f"{w.code} {w.message}" for w in draft.refused)
        raise CommandFailed(
            f"the next migration would drop data ({reasons}); nothing was created. "
            "Write it with `dbdsl migrate diff --allow-destructive` if that is intended."
        )
    files = [(from_fs_path(f.path), f.text) for f in draft.files]
    return files, [f"{w.code} {w.message}" for w in draft.warnings]


def source_actions(server: DbdslServer, uri: str) -> list[lsp.CodeAction]:
    """The export commands as source actions for the document."""
    dialect = server.engine.dialect(server.engine.view(uri))
    export = lsp.Command(title="Export SQL", command=EXPORT_SQL, arguments=[{"uri": uri, "dialect": dialect}])
    migration = lsp.Command(title="Generate the next migration", command=GENERATE_MIGRATION, arguments=[{"uri": uri}])
    document = lsp.Command(title="Generate the design document", command=GENERATE_DOCUMENT, arguments=[{"uri": uri}])
    erd = lsp.Command(title="Render ERD", command=RENDER_ERD, arguments=[{"uri": uri, "format": "svg", "write": True}])
    return [
        lsp.CodeAction(title=f"Export {dialect} SQL", kind="source.dbdsl.exportSql", command=export),
        lsp.CodeAction(title=migration.title, kind="source.dbdsl.generateMigration", command=migration),
        lsp.CodeAction(title=document.title, kind="source.dbdsl.generateDocument", command=document),
        lsp.CodeAction(title="Render the ERD (SVG)", kind="source.dbdsl.renderErd", command=erd),
    ]
