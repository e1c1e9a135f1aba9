"""Table and column names inside a Query's SQL, with their positions (sqlglot's tokenizer).

The SQL is tokenized as written in the source (between the quotes), so token offsets map straight
back to the file. Tables are the names after FROM, JOIN, UPDATE, INTO (and comma-separated FROM
lists), with their aliases; `alias.column` and `table.column` name columns of that table; a bare
name names a column of one of the query's tables. Incomplete SQL (while typing) gives what can be read.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlglot.errors import SqlglotError
from sqlglot.tokens import Token, Tokenizer, TokenType

NAME_TYPES = {TokenType.VAR, TokenType.IDENTIFIER}
TABLE_INTRODUCERS = {TokenType.FROM, TokenType.JOIN, TokenType.UPDATE, TokenType.INTO}
# words that end a FROM list or cannot be an alias
CLAUSE_TYPES = {
    TokenType.WHERE,
    TokenType.GROUP_BY,
    TokenType.ORDER_BY,
    TokenType.HAVING,
    TokenType.LIMIT,
    TokenType.ON,
    TokenType.USING,
    TokenType.JOIN,
    TokenType.INNER,
    TokenType.LEFT,
    TokenType.RIGHT,
    TokenType.FULL,
    TokenType.CROSS,
    TokenType.OUTER,
    TokenType.NATURAL,
    TokenType.SET,
    TokenType.VALUES,
    TokenType.UNION,
    TokenType.EXCEPT,
    TokenType.INTERSECT,
    TokenType.SEMICOLON,
    TokenType.R_PAREN,
    TokenType.L_PAREN,
    TokenType.SELECT,
    TokenType.RETURNING,
    TokenType.WINDOW,
    TokenType.OFFSET,
    TokenType.FETCH,
}


NOT_NAMES = (
    {
        getattr(TokenType, word)
        for word in (
            "STRING NATIONAL_STRING RAW_STRING HEX_STRING BIT_STRING BYTE_STRING HEREDOC_STRING NUMBER "
            "ALIAS AND OR NOT IS NULL IN LIKE ILIKE BETWEEN ASC DESC DISTINCT CASE WHEN THEN ELSE END EXISTS ALL ANY "
            "TRUE FALSE STAR"
        ).split()
        if hasattr(TokenType, word)
    }
    | TABLE_INTRODUCERS
    | CLAUSE_TYPES
)


class SqlName(NamedTuple):
    """A name in the SQL: kind 'table' (parts: schema?, table), 'alias' (an alias definition, parts:
    the table's), 'qualifier' (an alias or table before a dot; parts: what it qualifies with), or
    'column' (parts: qualifier parts, empty for a bare column). Offsets are relative to the SQL text."""

    kind: str
    name: str
    parts: tuple[str, ...]
    start: int
    end: int


class SqlScan(NamedTuple):
    names: tuple[SqlName, ...]
    tables: tuple[tuple[str, ...], ...]  # tables of the FROM/JOIN clauses, in order
    aliases: dict  # alias -> table parts


def tokenize(sql: str) -> list[Token]:
    try:
        return Tokenizer().tokenize(sql)
    except SqlglotError:
        return _tokenize_prefix(sql)


def _tokenize_prefix(sql: str) -> list[Token]:
    """Tokens of the longest readable prefix (an unclosed quote while typing stops the tokenizer)."""
    cut = len(sql)
    while cut > 0:
        cut = max(sql.rfind("'", 0, cut), sql.rfind('"', 0, cut))
        if cut < 0:
            return []
        try:
            return Tokenizer().tokenize(sql[:cut])
        except SqlglotError:
            continue
    return []


def is_name(tok: Token) -> bool:
    """Identifiers, and keywords that may be names here (`date`, `status`...)."""
    return tok.token_type in NAME_TYPES or (tok.token_type not in NOT_NAMES and tok.text.isidentifier())


def scan_sql(sql: str) -> SqlScan:
    tokens = tokenize(sql)
    names: list[SqlName] = []
    tables: list[tuple[str, ...]] = []
    aliases: dict[str, tuple[str, ...]] = {}
    table_positions: set[int] = set()
    i = 0
    n = len(tokens)
    in_from = False
    while i < n:
        tok = tokens[i]
        tt = tok.token_type
        if tt in TABLE_INTRODUCERS or (in_from and tt == TokenType.COMMA):
            in_from = tt in (TokenType.FROM, TokenType.COMMA) or (tt == TokenType.JOIN and in_from)
            j = i + 1
            if j < n and is_name(tokens[j]):
                parts, j = _dotted(tokens, j)
                if parts:
                    tables.append(tuple(p.text for p in parts))
                    table_positions.update(id(p) for p in parts)
                    last = parts[-1]
                    names.append(SqlName("table", last.text, tables[-1], last.start, last.end + 1))
                    alias_tok, j = _alias(tokens, j)
                    if alias_tok is not None:
                        aliases[alias_tok.text] = tables[-1]
                        table_positions.add(id(alias_tok))
                        names.append(SqlName("alias", alias_tok.text, tables[-1], alias_tok.start, alias_tok.end + 1))
            i = j
            continue
        if tt in CLAUSE_TYPES and tt != TokenType.JOIN:
            in_from = False
        i += 1
    i = 0
    while i < n:
        tok = tokens[i]
        if id(tok) in table_positions or not is_name(tok):
            i += 1
            continue
        if i > 0 and (tokens[i - 1].token_type == TokenType.DOT or _is_parameter(tokens[i - 1], tok)):
            i += 1
            continue
        parts, j = _dotted(tokens, i)
        if j < n and tokens[j].token_type == TokenType.L_PAREN:
            i = j  # a function call
            continue
        if len(parts) == 1:
            names.append(SqlName("column", tok.text, (), tok.start, tok.end + 1))
        else:
            qualifier = tuple(p.text for p in parts[:-1])
            for k, p in enumerate(parts[:-1]):
                names.append(SqlName("qualifier", p.text, qualifier[: k + 1], p.start, p.end + 1))
            last = parts[-1]
            if last.token_type != TokenType.STAR:
                names.append(SqlName("column", last.text, qualifier, last.start, last.end + 1))
        i = j
    names.sort(key=lambda s: s.start)
    return SqlScan(tuple(names), tuple(tables), aliases)


def _is_parameter(before: Token, tok: Token) -> bool:
    """`:name`, `@name`, `$name`: a bind parameter, not a column."""
    return before.end + 1 == tok.start and before.text in (":", "@", "$")


def _dotted(tokens: list[Token], i: int) -> tuple[list[Token], int]:
    parts = [tokens[i]]
    j = i + 1
    while j + 1 < len(tokens) and tokens[j].token_type == TokenType.DOT:
        nxt = tokens[j + 1]
        if not (is_name(nxt) or nxt.token_type == TokenType.STAR):
            break
        parts.append(nxt)
        j += 2
    return parts, j


def _alias(tokens: list[Token], j: int) -> tuple[Token | None, int]:
    if j < len(tokens) and tokens[j].token_type == TokenType.ALIAS:
        if j + 1 < len(tokens) and is_name(tokens[j + 1]):
            return tokens[j + 1], j + 2
        return None, j + 1
    if j < len(tokens) and tokens[j].token_type in NAME_TYPES and tokens[j].token_type not in CLAUSE_TYPES:
        return tokens[j], j + 1
    return None, j


def raw_sql_range(block_text: str, value_start: int, value_end: int) -> tuple[int, int]:
    """Block offsets of the SQL inside its string literal (without the quotes)."""
    raw = block_text[value_start:value_end]
    quote = 3 if raw.startswith("'''") else 1
    end = value_end - quote if raw.endswith("'" * quote) and len(raw) >= 2 * quote else value_end
    return value_start + quote, end
