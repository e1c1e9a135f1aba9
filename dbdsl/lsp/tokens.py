"""Semantic tokens (full document and range), encoded as the protocol wants: relative lines and
UTF-16 columns, one token per line (multi-line strings and comments are cut at line ends).

A full request on a large file re-encodes only the blocks that changed: each block's tokens are kept
encoded relative to the block, and only the first token of each block is placed in the file again.
A delta request answers with the one span of the encoded array that differs from the client's previous
result (an edit touches one place; a 25k-line file's full array is megabytes of JSON)."""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from lsprotocol import types as lsp

from ..ide.legend import TOKEN_MODIFIERS, TOKEN_TYPES
from .features import feature
from .positions import LineIndex, utf16_length

if TYPE_CHECKING:
    from ..ide.highlight import BlockToken, BlockTokens
    from ..ide.index import FileView
    from ..workspace import BlockEntry
    from .server import DbdslServer

LEGEND = lsp.SemanticTokensLegend(token_types=list(TOKEN_TYPES), token_modifiers=list(TOKEN_MODIFIERS))
TYPE_INDEX = {t: i for i, t in enumerate(TOKEN_TYPES)}


def _pieces(tokens: Sequence[BlockToken], index: LineIndex | str) -> list[tuple[int, int, int, int, int]]:
    """(line, column, length, type, modifiers) per token and line, positions in `index`'s text (or in
    the text given, whose line index is made only when needed). Lines and columns are counted along the
    way (tokens come in order); text with a carriage return or tokens out of order take the general path."""
    text = index if isinstance(index, str) else index.text
    if "\r" in text:
        return _pieces_anywhere(tokens, index)
    plain = text.isascii()
    out = []
    line = line_start = counted = 0  # newlines before `counted` are in `line`; `line_start` is where it starts
    for tok in tokens:
        start, end, kind, declaration = tok
        if start < counted:
            return _pieces_anywhere(tokens, index)
        newlines = text.count("\n", counted, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted, start) + 1
        type_index = TYPE_INDEX[kind]
        modifiers = 1 if declaration else 0
        while start < end:
            newline = text.find("\n", start, end)
            stop = end if newline < 0 else newline
            if stop > start:
                if plain:
                    out.append((line, start - line_start, stop - start, type_index, modifiers))
                else:
                    column = utf16_length(text[line_start:start])
                    out.append((line, column, utf16_length(text[start:stop]), type_index, modifiers))
            if newline < 0:
                break
            line += 1
            line_start = start = newline + 1
        counted = start
    return out


def _pieces_anywhere(tokens: Sequence[BlockToken], index: LineIndex | str) -> list[tuple[int, int, int, int, int]]:
    if isinstance(index, str):
        index = LineIndex(index)
    text = index.text
    out = []
    line_col = index.line_col
    for tok in tokens:
        start, tok_end, kind, declaration = tok
        type_index = TYPE_INDEX[kind]
        modifiers = 1 if declaration else 0
        while start < tok_end:
            newline = text.find("\n", start, tok_end)
            end = tok_end if newline < 0 else newline
            piece = text[start:end].rstrip("\r")
            if piece:
                line, character = line_col(start)
                out.append((line, character, utf16_length(piece), type_index, modifiers))
            start = end + 1 if newline >= 0 else tok_end
    return out


def _delta(pieces: list[tuple[int, int, int, int, int]], line: int = 0, col: int = 0) -> list[int]:
    data: list[int] = []
    for p_line, p_col, length, kind, mods in pieces:
        delta_line = p_line - line
        data += (delta_line, p_col - col if delta_line == 0 else p_col, length, kind, mods)
        line, col = p_line, p_col
    return data


def encode(tokens: Sequence[BlockToken], index: LineIndex) -> list[int]:
    return _delta(_pieces(tokens, index))


class _Block(NamedTuple):
    signature: tuple
    first: tuple[int, int, int, int, int] | None  # line in the block; column from the block start on line 0
    rest: list[int]  # the following tokens, delta-encoded (independent of where the block is)
    last: tuple[int, int]  # line and column of the last token, like `first`


class _Kept(NamedTuple):
    """A block's encoding as `full_encoding` last made it, and what it was made from."""

    entry: BlockEntry
    enum_keys: frozenset  # `highlight.enum_keys` of the schema then
    block: _Block


_blocks: weakref.WeakKeyDictionary[BlockEntry, _Block] = weakref.WeakKeyDictionary()


def _encoded_block(view: FileView, entry: BlockEntry, got: BlockTokens) -> _Block:
    """`got`: the block's tokens (`highlight.block_tokens`)."""
    cached = _blocks.get(entry)
    if cached is not None and cached.signature == got.signature:
        return cached
    pieces = _pieces(got.tokens, entry.anchor.text)
    if not pieces:
        block = _Block(got.signature, None, [], (0, 0))
    else:
        block = _Block(got.signature, pieces[0], _delta(pieces[1:], pieces[0][0], pieces[0][1]), pieces[-1][:2])
    _blocks[entry] = block
    return block


def full_encoding(view: FileView, index: LineIndex, memo: dict[int, _Kept] | None = None) -> list[int]:
    """The whole document's tokens. `memo` (kept by the caller for one document, between requests)
    holds each block's encoding from the last call: a block that is still there, with the same enums
    in the schema, is not looked at again (a Query's block is, its SQL names depend on the schema)."""
    from ..ide.highlight import block_tokens, enum_keys, gap_comments  # on first use: start-up time
    from ..ide.index import block_names  # on first use: keeps the analysis stack out of start-up time

    keys = enum_keys(view)
    last = memo if memo is not None else {}
    kept: dict[int, _Kept] = {}
    data: list[int] = []
    line = col = 0

    def place(pieces: list[tuple[int, int, int, int, int]]) -> None:
        nonlocal line, col
        if pieces:
            data.extend(_delta(pieces, line, col))
            line, col = pieces[-1][0], pieces[-1][1]

    text = view.text
    # the core's line numbers count "\n" only: the same as the protocol's unless a lone CR is there
    core_lines = text.count("\r") == text.count("\r\n")
    prev_end = 0
    for entry in view.analysis.source.entries:
        if text.find("/", prev_end, entry.start) >= 0:  # no comment starts without one
            place(_pieces(gap_comments(text, prev_end, entry.start), index))
        prev_end = entry.end
        got = last.get(id(entry))
        if got is not None and got.entry is entry and got.enum_keys is keys:
            block = got.block
        else:
            block = _encoded_block(view, entry, block_tokens(view, entry))
            got = None if block_names(entry).sql else _Kept(entry, keys, block)
        if got is not None:
            kept[id(entry)] = got
        if block.first is None:
            continue
        anchor = entry.anchor
        if core_lines and anchor.column == 0:
            o_line, o_col = anchor.line, 0
        else:
            o_line, o_col = index.line_col(anchor.offset)
        f_line, f_col, length, kind, mods = block.first
        abs_line = o_line + f_line
        abs_col = o_col + f_col if f_line == 0 else f_col
        delta_line = abs_line - line
        data += (delta_line, abs_col - col if delta_line == 0 else abs_col, length, kind, mods)
        data.extend(block.rest)
        last_line, last_col = block.last
        line = o_line + last_line
        col = o_col + last_col if last_line == 0 else last_col
    place(_pieces(gap_comments(text, prev_end, len(text)), index))
    if memo is not None:
        memo.clear()
        memo.update(kept)
    return data


class TokenResults:
    """The last encoding sent for each document, by result id, for delta requests."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._last: dict[str, tuple[str, list[int]]] = {}
        self._memos: dict[str, dict[int, _Kept]] = {}

    def memo(self, uri: str) -> dict[int, _Kept]:
        """The document's blocks as last encoded (see `full_encoding`)."""
        return self._memos.setdefault(uri, {})

    def remember(self, uri: str, data: list[int]) -> str:
        result_id = str(next(self._ids))
        self._last[uri] = (result_id, data)
        return result_id

    def previous(self, uri: str, result_id: str) -> list[int] | None:
        last = self._last.get(uri)
        return last[1] if last is not None and last[0] == result_id else None

    def forget(self, uri: str) -> None:
        self._last.pop(uri, None)
        self._memos.pop(uri, None)


def _common_prefix(a: list[int], b: list[int], limit: int) -> int:
    """How many leading integers `a` and `b` share, up to `limit`; compared a chunk at a time (slice
    equality runs in C: a 25k-line file has half a million integers)."""
    chunk = 4096
    n = 0
    while n + chunk <= limit and a[n : n + chunk] == b[n : n + chunk]:
        n += chunk
    while n < limit and a[n] == b[n]:
        n += 1
    return n


def _common_suffix(a: list[int], b: list[int], limit: int) -> int:
    chunk = 4096
    n = 0
    la, lb = len(a), len(b)
    while n + chunk <= limit and a[la - n - chunk : la - n] == b[lb - n - chunk : lb - n]:
        n += chunk
    while n < limit and a[la - 1 - n] == b[lb - 1 - n]:
        n += 1
    return n


def difference(old: list[int], new: list[int]) -> list[lsp.SemanticTokensEdit]:
    """The edits (none or one) that turn `old` into `new`: the span between their common prefix and
    their common suffix, cut at token boundaries (5 integers per token) as clients expect."""
    if old == new:
        return []
    limit = min(len(old), len(new))
    prefix = _common_prefix(old, new, limit)
    prefix -= prefix % 5
    suffix = _common_suffix(old, new, limit - prefix)
    suffix -= suffix % 5
    replaced = new[prefix : len(new) - suffix]
    return [lsp.SemanticTokensEdit(start=prefix, delete_count=len(old) - prefix - suffix, data=replaced)]


def _encoded(server: DbdslServer, uri: str) -> list[int]:
    view = server.engine.view(uri)
    return full_encoding(view, server.engine.index(view.path), server.token_results.memo(uri))


def _full(server: DbdslServer, params: lsp.SemanticTokensParams) -> lsp.SemanticTokens:
    uri = params.text_document.uri
    data = _encoded(server, uri)
    return lsp.SemanticTokens(data=data, result_id=server.token_results.remember(uri, data))


def _full_delta(
    server: DbdslServer, params: lsp.SemanticTokensDeltaParams
) -> lsp.SemanticTokens | lsp.SemanticTokensDelta:
    uri = params.text_document.uri
    data = _encoded(server, uri)
    previous = server.token_results.previous(uri, params.previous_result_id)
    result_id = server.token_results.remember(uri, data)
    if previous is None:  # unknown or outdated id: the whole array
        return lsp.SemanticTokens(data=data, result_id=result_id)
    return lsp.SemanticTokensDelta(edits=difference(previous, data), result_id=result_id)


def _range(server: DbdslServer, params: lsp.SemanticTokensRangeParams) -> lsp.SemanticTokens:
    from ..ide.highlight import semantic_tokens  # on first use: keeps the analysis stack out of start-up time

    engine = server.engine
    uri = params.text_document.uri
    view = engine.view(uri)
    start = engine.offset(uri, params.range.start)
    end = engine.offset(uri, params.range.end)
    tokens = [t for t in semantic_tokens(view, start, end) if t.end > start and t.start < end]
    return lsp.SemanticTokens(data=encode(tokens, engine.index(view.path)))


@feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND)
async def full(ls: DbdslServer, params: lsp.SemanticTokensParams) -> lsp.SemanticTokens | None:
    return await ls.run(_full, ls, params)


@feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA)
async def delta(
    ls: DbdslServer, params: lsp.SemanticTokensDeltaParams
) -> lsp.SemanticTokens | lsp.SemanticTokensDelta | None:
    return await ls.run(_full_delta, ls, params)


@feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, LEGEND)
async def ranged(ls: DbdslServer, params: lsp.SemanticTokensRangeParams) -> lsp.SemanticTokens | None:
    return await ls.run(_range, ls, params)
