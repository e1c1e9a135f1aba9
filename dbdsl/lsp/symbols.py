"""Document symbols (the outline), workspace symbols and folding ranges."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from .features import feature

if TYPE_CHECKING:
    from ..ide.outline import OutlineItem
    from .engine import Engine
    from .server import DbdslServer

KINDS = {
    "table": lsp.SymbolKind.Class,
    "partial": lsp.SymbolKind.Struct,
    "column": lsp.SymbolKind.Field,
    "index": lsp.SymbolKind.Key,
    "enum": lsp.SymbolKind.Enum,
    "enum_value": lsp.SymbolKind.EnumMember,
    "ref": lsp.SymbolKind.Interface,
    "group": lsp.SymbolKind.Namespace,
    "query": lsp.SymbolKind.Function,
    "note": lsp.SymbolKind.String,
    "project": lsp.SymbolKind.Module,
    "records": lsp.SymbolKind.Array,
    "view": lsp.SymbolKind.Object,
    "use": lsp.SymbolKind.Package,
}
FOLDS = {"comment": lsp.FoldingRangeKind.Comment, "imports": lsp.FoldingRangeKind.Imports}


def _symbol(engine: Engine, path: str, item: OutlineItem) -> lsp.DocumentSymbol:
    selection = engine.range(path, item.name_start, item.name_end)
    whole = engine.range(path, min(item.start, item.name_start), max(item.end, item.name_end))
    return lsp.DocumentSymbol(
        name=item.name or "(unnamed)",
        kind=KINDS[item.kind],
        range=whole,
        selection_range=selection,
        detail=item.detail,
        children=[_symbol(engine, path, c) for c in item.children] or None,
    )


def _document_symbols(server: DbdslServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
    from ..ide.outline import document_symbols  # on first use: start-up time

    engine = server.engine
    view = engine.view(params.text_document.uri)
    return [_symbol(engine, view.path, item) for item in document_symbols(view)]


def _workspace_symbols(server: DbdslServer, params: lsp.WorkspaceSymbolParams) -> list[lsp.SymbolInformation]:
    from ..ide.outline import workspace_symbols  # on first use: start-up time

    engine = server.engine
    out = []
    for s in workspace_symbols(engine.session, params.query):
        out.append(
            lsp.SymbolInformation(
                name=s.name,
                kind=KINDS.get(s.kind, lsp.SymbolKind.Variable),
                location=engine.location(s.file, s.start, s.end),
                container_name=s.container,
            )
        )
    return out


def _folding(server: DbdslServer, params: lsp.FoldingRangeParams) -> list[lsp.FoldingRange]:
    from ..ide.folding import folding_ranges  # on first use: start-up time

    engine = server.engine
    view = engine.view(params.text_document.uri)
    index = engine.index(view.path)
    out = []
    seen = set()
    for fold in folding_ranges(view):
        start = index.position(fold.start).line
        end = index.position(fold.end).line
        if view.text[fold.end - 1 : fold.end] == "}":
            end -= 1  # keep the closing brace visible
        if end <= start or (start, end) in seen:
            continue
        seen.add((start, end))
        out.append(
            lsp.FoldingRange(start_line=start, end_line=end, kind=FOLDS.get(fold.kind, lsp.FoldingRangeKind.Region))
        )
    return out


@feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
async def document(ls: DbdslServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
    return await ls.run(_document_symbols, ls, params)


@feature(lsp.WORKSPACE_SYMBOL)
async def workspace(ls: DbdslServer, params: lsp.WorkspaceSymbolParams) -> list[lsp.SymbolInformation] | None:
    return await ls.run(_workspace_symbols, ls, params)


@feature(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
async def folding(ls: DbdslServer, params: lsp.FoldingRangeParams) -> list[lsp.FoldingRange] | None:
    return await ls.run(_folding, ls, params)
