"""Document and range formatting with the canonical formatter (`dbdsl.format`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from .features import feature

if TYPE_CHECKING:
    from .server import DbdslServer


def _edits(server: DbdslServer, uri: str, window: lsp.Range | None) -> list[lsp.TextEdit]:
    from ..format import format_edits, format_range  # on first use: start-up time

    engine = server.engine
    view = engine.view(uri)
    text = view.text
    if window is None:
        edits = format_edits(text)
    else:
        edits = format_range(text, engine.offset(uri, window.start), engine.offset(uri, window.end))
    index = engine.index(view.path)
    return [lsp.TextEdit(range=index.range(e.start, e.end), new_text=e.new_text) for e in edits]


@feature(lsp.TEXT_DOCUMENT_FORMATTING)
async def document(ls: DbdslServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
    return await ls.run(_edits, ls, params.text_document.uri, None)


@feature(lsp.TEXT_DOCUMENT_RANGE_FORMATTING)
async def ranged(ls: DbdslServer, params: lsp.DocumentRangeFormattingParams) -> list[lsp.TextEdit] | None:
    return await ls.run(_edits, ls, params.text_document.uri, params.range)
