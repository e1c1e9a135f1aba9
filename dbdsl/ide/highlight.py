"""Semantic token classification: what each token of a block is (table, column, type, enum value,
setting, keyword, comment...). The part that depends on the block's text only is cached per block;
whether a column type names an enum is decided against the schema on each request.

Token types (the LSP standard names): keyword, type, class (table, alias), struct (partial), enum,
enumMember, property (column, project setting), namespace (schema, table group), function (query),
variable (sticky note), modifier (setting name), string, number, comment, operator, macro (backtick
expression). Modifiers: declaration (where a name is defined).
"""

from __future__ import annotations

import weakref
from typing import NamedTuple

from ..model.schema import Schema, key_of
from ..syntax import ast
from ..syntax.lexer import KEYWORDS
from ..syntax.scan import comments, highlighted
from ..workspace import BlockEntry
from .index import FileView, block_names

KIND_TYPES = {
    "table": "class",
    "alias": "class",
    "column": "property",
    "enum": "enum",
    "enum_value": "enumMember",
    "partial": "struct",
    "group": "namespace",
    "schema": "namespace",
    "query": "function",
    "note": "variable",
}
KEYWORD_WORDS = set(KEYWORDS) | {"tables", "tablegroups", "notes", "schemas"}
# token kinds of the lexer that are classified by kind alone
LEXICAL_TYPES = {
    "LINE_COMMENT": "comment",
    "BLOCK_COMMENT": "comment",
    "STRING": "string",
    "MULTILINE_STRING": "string",
    "NUMBER": "number",
    "COLOR": "number",
    "EXPRESSION": "macro",
    "ARROW": "operator",
    "REL_OP": "operator",
    "PUNCT": "operator",
}
TYPE_OR_ENUM = "type?"  # a column type: `enum` when it names an enum of the schema, else `type`


class SemanticToken(NamedTuple):
    start: int  # absolute code points
    end: int
    type: str
    declaration: bool = False


# a block's token as the encoder reads it, block-relative: (start, end, type, declaration); a plain
# tuple, four times cheaper to make than a named one, and a block has hundreds
BlockToken = tuple[int, int, str, bool]


_cache: weakref.WeakKeyDictionary[BlockEntry, _Cached] = weakref.WeakKeyDictionary()


class BlockTokens(NamedTuple):
    """The tokens of one block (block-relative offsets), and what their kinds depended on besides the
    block's text (whether type names are enums, the names inside a Query's SQL): the same block with
    the same signature has the same tokens."""

    tokens: tuple[BlockToken, ...]
    signature: tuple


class _Cached:
    """Per block: its tokens with each column type still undecided (`TYPE_OR_ENUM`), where those are
    with their name parts, and the last classified result."""

    __slots__ = ("undecided", "types", "decided", "tokens", "enum_keys")

    def __init__(self, undecided: tuple[BlockToken, ...], types: tuple[tuple[int, tuple], ...]) -> None:
        self.undecided = undecided
        self.types = types
        self.decided: tuple | None = None
        self.tokens: tuple[BlockToken, ...] = ()
        self.enum_keys: frozenset | None = None  # the schema's enums when `decided` was computed


_enum_keys_seen: list[frozenset] = [frozenset()]


def enum_keys(view: FileView) -> frozenset:
    """The keys of the schema's enums: the same object while they stay the same, so that blocks can
    tell by identity that their type names mean what they meant."""
    got = view.cache.get("enum_keys")
    if got is None:
        got = frozenset(e.key for e in view.schema.enums)
        if got == _enum_keys_seen[0]:
            got = _enum_keys_seen[0]
        _enum_keys_seen[0] = view.cache["enum_keys"] = got
    return got


def block_tokens(view: FileView, entry: BlockEntry) -> BlockTokens:
    cached = _cache.get(entry)
    if cached is None:
        cached = _cache[entry] = _Cached(*_block_tokens(entry))
    keys = enum_keys(view)
    if cached.enum_keys is keys and not block_names(entry).sql:
        return BlockTokens(cached.tokens, (cached.decided, ()))
    schema = view.schema
    decided = tuple(_is_enum(schema, parts) for _, parts in cached.types)
    if block_names(entry).sql:
        tokens = _with_sql(view, entry, _classify(cached, decided))
        return BlockTokens(tokens, (decided, tokens))
    if decided != cached.decided:
        cached.tokens = _classify(cached, decided)
        cached.decided = decided
    cached.enum_keys = keys
    return BlockTokens(cached.tokens, (decided, ()))


def _is_enum(schema: Schema, parts: tuple) -> bool:
    return schema.enum(key_of(parts)) is not None


def _classify(cached: _Cached, decided: tuple[bool, ...]) -> tuple[BlockToken, ...]:
    """The block's tokens with each column type told apart: an enum of the schema, or a type."""
    if not cached.types:
        return cached.undecided
    out = list(cached.undecided)
    for (i, _), is_enum in zip(cached.types, decided, strict=True):
        start, end, _, declaration = out[i]
        out[i] = (start, end, "enum" if is_enum else "type", declaration)
    return tuple(out)


def gap_comments(text: str, start: int, end: int) -> list[SemanticToken]:
    """Comment tokens of text between blocks."""
    return [SemanticToken(c.start, c.end, "comment") for c in comments(text, start, end)]


def semantic_tokens(view: FileView, start: int = 0, end: int | None = None) -> list[SemanticToken]:
    """Tokens of the blocks (and the comments between them) that overlap [start, end), in order."""
    end = len(view.text) if end is None else end
    out: list[SemanticToken] = []
    text = view.text
    prev_end = 0
    for entry in view.analysis.source.entries:
        gap_start, prev_end = prev_end, entry.end
        if entry.end < start:
            continue
        out.extend(gap_comments(text, max(gap_start, start), min(entry.start, end)))
        if entry.start > end:
            break
        base = entry.anchor.offset
        out.extend(SemanticToken(base + s, base + e, kind, d) for s, e, kind, d in block_tokens(view, entry).tokens)
    else:
        out.extend(gap_comments(text, max(prev_end, start), end))
    return out


def _block_tokens(entry: BlockEntry) -> tuple[tuple[BlockToken, ...], tuple[tuple[int, tuple], ...]]:
    """The block's tokens (block-relative), column types undecided, and where those are with their
    name parts; it depends on the block's text only."""
    text = entry.anchor.text
    block = entry.parse.block
    roles: dict[int, tuple[int, str, bool, tuple]] = {}
    key_ranges: list[tuple[int, int]] = []
    sql_range = None
    if block is not None:
        names = block_names(entry)
        for raw in names.raws:
            kind = KIND_TYPES.get(raw.kind)
            if raw.kind == "import":
                kind = KIND_TYPES.get(raw.scope[1].replace("tablepartial", "partial").replace("tablegroup", "group"))
            if kind is not None:
                roles[raw.start] = (raw.end, kind, raw.role == "def", ())
        _types(block, roles)
        _settings_roles(block, roles, key_ranges)
        if names.sql:
            sql_start = names.sql[0]
            sql_range = (sql_start, sql_start)
            for item in block.items:
                if isinstance(item, ast.Value) and item.start <= sql_start <= item.end:
                    sql_range = (item.start, item.end)
                    break
    out: list[BlockToken] = []
    types: list[tuple[int, tuple]] = []
    for kind, start, end in highlighted(text):
        if sql_range is not None and sql_range[0] <= start < sql_range[1]:
            continue  # the SQL keeps the editor's SQL highlighting
        if kind == "WORD" or kind == "QUOTED_NAME":
            role = roles.get(start)
            if role is not None:
                if role[1] == TYPE_OR_ENUM:
                    types.append((len(out), role[3]))
                out.append((start, end, role[1], role[2]))
            elif key_ranges and any(a <= start < b for a, b in key_ranges):
                out.append((start, end, "modifier", False))
            elif kind == "WORD" and text[start:end].lower() in KEYWORD_WORDS:
                out.append((start, end, "keyword", False))
        else:
            kind = LEXICAL_TYPES.get(kind)
            if kind is not None:
                out.append((start, end, kind, False))
    return tuple(out), tuple(types)


def _types(block: ast.Block, roles: dict) -> None:
    for item in block.items:
        if isinstance(item, ast.Column):
            t = item.type
            for n in t.path.names[:-1]:
                roles[n.start] = (n.end, "namespace", False, ())
            last = t.path.names[-1]
            kind = TYPE_OR_ENUM if t.args is None else "type"
            roles[last.start] = (last.end, kind, False, t.path.parts)


def _settings_roles(block: ast.Block, roles: dict, key_ranges: list[tuple[int, int]]) -> None:
    def settings(node: ast.Settings | None) -> None:
        if node is None:
            return
        for s in node.items:
            roles.setdefault(s.key_start, (s.key_end, "modifier", False, ()))
            if " " in s.key:
                key_ranges.append((s.key_start, s.key_end))
            v = s.value
            if v is not None and v.kind == "words":
                for p in v.paths:
                    for n in p.names:
                        roles.setdefault(n.start, (n.end, "keyword", False, ()))

    settings(block.settings)
    for item in block.items:
        if isinstance(item, (ast.Column, ast.EnumValue, ast.Relation)):
            settings(item.settings)
        elif isinstance(item, ast.ProjectSetting):
            roles.setdefault(item.name.start, (item.name.end, "property", False, ()))
        elif isinstance(item, ast.SubBlock):
            for element in item.elements:
                settings(getattr(element, "settings", None))


def _with_sql(view: FileView, entry: BlockEntry, tokens: tuple[BlockToken, ...]) -> tuple[BlockToken, ...]:
    """A Query's table and column names (the ones the schema has) inside its SQL."""
    base = entry.anchor.offset
    extra = [
        (o.start - base, o.end - base, "class" if o.kind == "table" else "property", False)
        for o in view.resolver.sql(block_names(entry), view.path, base)
    ]
    return tuple(sorted([*tokens, *extra], key=lambda t: t[0]))
