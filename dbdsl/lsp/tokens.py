"""Semantic tokens (full document and range), encoded as the protocol wants: relative lines and
UTF-16 columns, one token per line (multi-line strings and comments are cut at line ends)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..ide.highlight import TOKEN_MODIFIERS, TOKEN_TYPES, SemanticToken, semantic_tokens
from .positions import LineIndex, utf16_length

if TYPE_CHECKING:
    from .server import DbdslServer

LEGEND = lsp.SemanticTokensLegend(token_types=list(TOKEN_TYPES), token_modifiers=list(TOKEN_MODIFIERS))
TYPE_INDEX = {t: i for i, t in enumerate(TOKEN_TYPES)}


def encode(tokens: list[SemanticToken], index: LineIndex) -> list[int]:
    text = index.text
    data: list[int] = []
    prev_line = prev_col = 0
    for tok in tokens:
        type_index = TYPE_INDEX[tok.type]
        modifiers = 1 if tok.declaration else 0
        start = tok.start
        while start < tok.end:
            pos = index.position(start)
            newline = text.find("\n", start, tok.end)
            end = tok.end if newline < 0 else newline
            piece = text[start:end].rstrip("\r")
            if piece:
                line, col = pos.line, pos.character
                delta_line = line - prev_line
                delta_col = col - prev_col if delta_line == 0 else col
                data += (delta_line, delta_col, utf16_length(piece), type_index, modifiers)
                prev_line, prev_col = line, col
            start = end + 1 if newline >= 0 else tok.end
    return data


def _full(server: DbdslServer, params: lsp.SemanticTokensParams) -> lsp.SemanticTokens:
    engine = server.engine
    view = engine.view(params.text_document.uri)
    return lsp.SemanticTokens(data=encode(semantic_tokens(view), engine.index(view.path)))


def _range(server: DbdslServer, params: lsp.SemanticTokensRangeParams) -> lsp.SemanticTokens:
    engine = server.engine
    uri = params.text_document.uri
    view = engine.view(uri)
    start = engine.offset(uri, params.range.start)
    end = engine.offset(uri, params.range.end)
    tokens = [t for t in semantic_tokens(view, start, end) if t.end > start and t.start < end]
    return lsp.SemanticTokens(data=encode(tokens, engine.index(view.path)))


def register(server: DbdslServer) -> None:
    @server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND)
    async def full(params: lsp.SemanticTokensParams) -> lsp.SemanticTokens | None:
        return await server.run(_full, server, params)

    @server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, LEGEND)
    async def ranged(params: lsp.SemanticTokensRangeParams) -> lsp.SemanticTokens | None:
        return await server.run(_range, server, params)
