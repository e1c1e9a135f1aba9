"""Inlay hints (cardinalities, injected columns) and code lenses (reference counts).

A lens's command is `dbdsl.showReferences` with the arguments `[uri, position, locations]` (LSP JSON),
the shape of VS Code's `editor.action.showReferences`: the editor extensions register it and show the
locations (VS Code's references peek, Neovim's quickfix list).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp
from lsprotocol.converters import get_converter

from .features import feature

if TYPE_CHECKING:
    from .server import DbdslServer

SHOW_REFERENCES = "dbdsl.showReferences"  # run by the editor, not by the server
HINT_KINDS = {"type": lsp.InlayHintKind.Type, "parameter": lsp.InlayHintKind.Parameter}


def _inlay_hints(server: DbdslServer, params: lsp.InlayHintParams) -> list[lsp.InlayHint]:
    from ..ide.hints import inlay_hints  # on first use: start-up time

    engine = server.engine
    uri = params.text_document.uri
    view = engine.view(uri)
    index = engine.index(view.path)
    start, end = engine.offset(uri, params.range.start), engine.offset(uri, params.range.end)
    return [
        lsp.InlayHint(
            position=index.position(h.offset),
            label=h.label,
            kind=HINT_KINDS[h.kind],
            tooltip=h.tooltip,
            padding_left=not h.label.startswith(":"),
        )
        for h in inlay_hints(view, start, end)
    ]


def _lenses(server: DbdslServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens]:
    from ..ide.hints import code_lenses  # on first use: start-up time

    engine = server.engine
    uri = params.text_document.uri
    view = engine.view(uri)
    return [
        lsp.CodeLens(range=engine.range(view.path, lens.start, lens.end), data={"uri": uri, "offset": lens.start})
        for lens in code_lenses(view)
    ]


def _resolve(server: DbdslServer, lens: lsp.CodeLens) -> lsp.CodeLens:
    from ..ide.navigate import references  # on first use: start-up time

    engine = server.engine
    data = lens.data if isinstance(lens.data, dict) else {}
    uri, offset = data.get("uri"), data.get("offset")
    if not isinstance(uri, str) or not isinstance(offset, int):
        lens.command = lsp.Command(title="0 references", command="")
        return lens
    found = references(engine.session, engine.view(uri), offset, include_declaration=False)
    locations = [engine.location(loc.file, loc.start, loc.end) for loc in found]
    title = f"{len(locations)} reference{'s' if len(locations) != 1 else ''}"
    json = get_converter().unstructure
    lens.command = lsp.Command(
        title=title, command=SHOW_REFERENCES, arguments=[uri, json(lens.range.start), json(locations)]
    )
    return lens


@feature(lsp.TEXT_DOCUMENT_INLAY_HINT)
async def hints(ls: DbdslServer, params: lsp.InlayHintParams) -> list[lsp.InlayHint] | None:
    return await ls.run(_inlay_hints, ls, params)


@feature(lsp.TEXT_DOCUMENT_CODE_LENS)
async def lenses(ls: DbdslServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens] | None:
    return await ls.run(_lenses, ls, params)


@feature(lsp.CODE_LENS_RESOLVE)
async def resolve(ls: DbdslServer, lens: lsp.CodeLens) -> lsp.CodeLens:
    resolved = await ls.run(_resolve, ls, lens)
    return resolved if resolved is not None else lens
