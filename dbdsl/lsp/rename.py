"""Rename (with prepareRename): every reference in every file of the project, refused on collisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from .features import Refusal, feature

if TYPE_CHECKING:
    from .server import DbdslServer


class RenameRefused(Refusal):
    """Sent back as a response error (RequestFailed); editors show its message to the user."""


def _prepare(server: DbdslServer, params: lsp.PrepareRenameParams) -> lsp.PrepareRenamePlaceholder:
    from ..ide import rename as core  # on first use: start-up time

    engine = server.engine
    uri = params.text_document.uri
    view = engine.view(uri)
    try:
        start, end, name = core.prepare_rename(view, engine.offset(uri, params.position))
    except core.RenameError as e:
        raise RenameRefused(str(e)) from e
    return lsp.PrepareRenamePlaceholder(range=engine.range(view.path, start, end), placeholder=name)


def _rename(server: DbdslServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit:
    from ..ide import rename as core  # on first use: start-up time

    engine = server.engine
    uri = params.text_document.uri
    view = engine.view(uri)
    try:
        edits = core.rename(engine.session, view, engine.offset(uri, params.position), params.new_name)
    except core.RenameError as e:
        raise RenameRefused(str(e)) from e
    changes = []
    for path, file_edits in sorted(edits.items()):
        doc_uri = engine.uri_of(path)
        version = engine.version(doc_uri)
        changes.append(
            lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=doc_uri, version=version),
                edits=[lsp.TextEdit(range=engine.range(path, e.start, e.end), new_text=e.new_text) for e in file_edits],
            )
        )
    return lsp.WorkspaceEdit(document_changes=changes)


@feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
async def prepare(ls: DbdslServer, params: lsp.PrepareRenameParams) -> lsp.PrepareRenamePlaceholder | None:
    return await ls.run(_prepare, ls, params)


@feature(lsp.TEXT_DOCUMENT_RENAME)
async def rename(ls: DbdslServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    return await ls.run(_rename, ls, params)
