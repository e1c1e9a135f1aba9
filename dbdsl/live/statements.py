"""A migration file as the statements a database runs, each with the line it starts on: split at the
semicolons sqlglot's tokenizer sees (so semicolons in strings, comments and dollar-quoted bodies do not
split), the file's own text run as written."""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot.dialects import Dialect
from sqlglot.errors import SqlglotError
from sqlglot.tokens import Token, TokenType

from ..dialects import sqlglot_dialect


@dataclass(frozen=True)
class Statement:
    line: int  # 1-based line of its first token
    text: str

    @property
    def first_line(self) -> str:
        return " ".join(self.text.split())[:120]


def split_script(text: str, dialect: str) -> list[Statement]:
    """The statements of `text`; ValueError when sqlglot cannot tokenize it."""
    try:
        tokens = Dialect.get_or_raise(sqlglot_dialect(dialect)).tokenize(text)
    except SqlglotError as e:
        raise ValueError(str(e)) from None
    out: list[Statement] = []
    first: Token | None = None
    last: Token | None = None
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if first is not None and last is not None:
                out.append(Statement(first.line, text[first.start : last.end + 1]))
            first = last = None
            continue
        if first is None:
            first = token
        last = token
    if first is not None and last is not None:
        out.append(Statement(first.line, text[first.start : last.end + 1]))
    return out
