"""`workspace/executeCommand` commands and the matching source actions: export SQL, generate the
design document, render the ERD (generating the next migration joins them when `dbdsl.migrate` offers it).

Each takes one object argument (the VS Code extension and the Neovim configuration send exactly
that). The commands that produce a file send `workspace/applyEdit` (create the file, insert the text),
so the editor applies it with undo, and answer `{"uri": ...}`, or null when the editor declined.
A command is offered only when the package that does the work is installed (`dbdsl.emit.sql`,
`dbdsl.emit.document`, `dbdsl.emit.erd`); long work reports work-done progress.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.uris import from_fs_path

from ..findings import Severity
from ..ide import outputs
from ..ide.types import DIALECTS
from .edits import create_file
from .server import Refusal

if TYPE_CHECKING:
    from .server import DbdslServer

EXPORT_SQL = "dbdsl.server.exportSql"
GENERATE_DOCUMENT = "dbdsl.server.generateDocument"
RENDER_ERD = "dbdsl.server.renderErd"
SOURCE_KINDS = [
    "source.dbdsl.exportSql",
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


class _Progress:
    """Work-done progress for a command: on the client's token, or one created here when it can."""

    def __init__(self, server: DbdslServer, token: Any, title: str) -> None:
        self.server = server
        self.token = token
        self.title = title

    async def __aenter__(self) -> _Progress:
        server = self.server
        caps = server.client_capabilities
        if self.token is None and getattr(getattr(caps, "window", None), "work_done_progress", False):
            token = str(uuid.uuid4())
            try:
                await server.work_done_progress.create_async(token)
                self.token = token
            except Exception:
                self.token = None
        if self.token is not None:
            server.work_done_progress.begin(self.token, lsp.WorkDoneProgressBegin(title=self.title, percentage=0))
        return self

    def report(self, message: str, percentage: int | None = None) -> None:
        if self.token is not None:
            self.server.work_done_progress.report(
                self.token, lsp.WorkDoneProgressReport(message=message, percentage=percentage)
            )

    async def __aexit__(self, *exc: Any) -> None:
        if self.token is not None:
            self.server.work_done_progress.end(self.token, lsp.WorkDoneProgressEnd())


async def _create(server: DbdslServer, label: str, uri: str, text: str) -> dict | None:
    result = await server.workspace_apply_edit_async(
        lsp.ApplyWorkspaceEditParams(edit=create_file(uri, text), label=label)
    )
    return {"uri": uri} if result is not None and result.applied else None


def _available() -> dict[str, bool]:
    return {
        EXPORT_SQL: outputs.available("dbdsl.emit.sql", "generate"),
        GENERATE_DOCUMENT: outputs.available("dbdsl.emit.document", "render_document"),
        RENDER_ERD: outputs.available("dbdsl.emit.erd", "render")
        and outputs.available("dbdsl.emit.erd", "text_diagram"),
    }


def register(server: DbdslServer) -> None:
    engine = server.engine
    available = _available()
    handlers: dict[str, Callable] = {}

    if available[EXPORT_SQL]:

        async def export_sql(*args: Any) -> dict | None:
            arg = _argument(args)
            dialect = arg.get("dialect")
            if dialect not in DIALECTS:
                raise JsonRpcInvalidParams(f"'dialect' must be one of {', '.join(DIALECTS)}")
            async with _Progress(server, None, f"Exporting {dialect} SQL") as progress:
                target, text = await server.run(_export_sql, engine, arg["uri"], dialect)
                progress.report("writing the file", 90)
                return await _create(server, f"Export {dialect} SQL", target, text)

        handlers[EXPORT_SQL] = export_sql

    if available[GENERATE_DOCUMENT]:

        async def generate_document(*args: Any) -> dict | None:
            arg = _argument(args)
            async with _Progress(server, None, "Writing the design document") as progress:
                target, text = await server.run(_document, engine, arg["uri"])
                progress.report("writing the file", 90)
                return await _create(server, "Generate design document", target, text)

        handlers[GENERATE_DOCUMENT] = generate_document

    if available[RENDER_ERD]:

        async def render_erd(*args: Any) -> dict | None:
            arg = _argument(args)
            if arg.get("format", "svg") != "svg":
                raise JsonRpcInvalidParams("'format' must be 'svg'")
            async with _Progress(server, None, "Rendering the ERD"):
                reply = await server.run(_erd, engine, arg["uri"])
                if arg.get("write") is True and reply["format"] == "svg":
                    path = engine.path_of(arg["uri"])
                    return await _create(server, "Render ERD", _next_to(path, ".svg"), reply["content"])
                return reply

        handlers[RENDER_ERD] = render_erd

    for name, handler in handlers.items():
        server.command(name)(handler)
    server.available_commands = set(handlers)  # type: ignore[attr-defined]


# ------------------------------------------------------------ the work (on the analysis thread)


def _export_sql(engine: Any, uri: str, dialect: str) -> tuple[str, str]:
    view = engine.view(uri)
    _no_errors(view, "export SQL")
    generate = outputs.function("dbdsl.emit.sql", "generate")
    return _next_to(view.path, f".{dialect}.sql"), generate(view.schema, dialect).text()


def _document(engine: Any, uri: str) -> tuple[str, str]:
    view = engine.view(uri)
    _no_errors(view, "write the design document")
    render_document = outputs.function("dbdsl.emit.document", "render_document")
    return _next_to(view.path, ".design.md"), render_document(view.analysis, engine.findings(uri))


def _erd(engine: Any, uri: str) -> dict:
    view = engine.view(uri)
    svg = outputs.svg_erd(view.schema)
    if svg is not None:
        return {"format": "svg", "content": svg}
    text_diagram = outputs.function("dbdsl.emit.erd", "text_diagram")
    return {
        "format": "txt",
        "content": text_diagram(view.schema),
        "message": "Graphviz (dot) is not installed: this is the text diagram. Install Graphviz for the SVG.",
    }


def source_actions(server: DbdslServer, uri: str) -> list[lsp.CodeAction]:
    """The export commands as source actions for the document."""
    names = getattr(server, "available_commands", set())
    out = []
    if EXPORT_SQL in names:
        dialect = server.engine.dialect(server.engine.view(uri))
        out.append(
            lsp.CodeAction(
                title=f"Export {dialect} SQL",
                kind="source.dbdsl.exportSql",
                command=lsp.Command(
                    title="Export SQL", command=EXPORT_SQL, arguments=[{"uri": uri, "dialect": dialect}]
                ),
            )
        )
    if GENERATE_DOCUMENT in names:
        title = "Generate the design document"
        command = lsp.Command(title=title, command=GENERATE_DOCUMENT, arguments=[{"uri": uri}])
        out.append(lsp.CodeAction(title=title, kind="source.dbdsl.generateDocument", command=command))
    if RENDER_ERD in names:
        out.append(
            lsp.CodeAction(
                title="Render the ERD (SVG)",
                kind="source.dbdsl.renderErd",
                command=lsp.Command(
                    title="Render ERD", command=RENDER_ERD, arguments=[{"uri": uri, "format": "svg", "write": True}]
                ),
            )
        )
    return out
