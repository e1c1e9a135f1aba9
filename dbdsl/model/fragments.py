"""Raw SQL checked where it is written: backtick expressions (defaults, checks, index keys and
predicates) and the SQL of `Query` blocks.

The SQL generator reads a fragment as one expression (`sqlread.parse_expression`) and leaves out what it
cannot read; these findings say so in the editor and in `dbdsl check`, with the same reading (the
Project's engine first, then the others), so that no output leaves an object out silently:

- E126, a fragment that is not one SQL expression: an error when it holds several statements
  (`1); DROP TABLE x; --`), a warning when it cannot be read (unbalanced text, nesting deeper than
  the reader follows); every output leaves out the object it belongs to.
- E127, a Query block that holds more than one statement (an error: an access pattern is one query).
"""

from __future__ import annotations

from functools import lru_cache

import sqlglot
from sqlglot.errors import SqlglotError
from sqlglot.tokens import TokenType

from ..dialects import SQLGLOT, project_dialect, reading_order
from ..findings import Finding
from ..sqlread import index_element, parse_expression, parse_expression_list
from .errors import error, warning
from .schema import Schema
from .spans import Span


def fragment_findings(schema: Schema, path: str) -> list[Finding]:
    """E126 and E127 for the fragments written in the file `path`."""
    dialects = tuple(reading_order(SQLGLOT.get(project_dialect(schema) or "postgres", "postgres"), schema))
    engine = project_dialect(schema) or "postgres"
    out: list[Finding] = []

    def check(text: str, what: str, span: Span | None, kind: str) -> None:
        if span is None or span.file != path:
            return
        problem = _problem(text, dialects, kind)
        if problem == "statements":
            out.append(error("E126", f"{what} `{_short(text)}` holds several statements, not one expression", span))
        elif problem == "unreadable":
            readable = f"{what} `{_short(text)}` is not one SQL expression dbdsl can read"
            out.append(warning("E126", f"{readable}; every output leaves {_it(kind)} out", span))

    for table in schema.tables:
        for column in table.columns:
            where = column.settings_span or column.span
            if column.default is not None and column.default.kind == "expression":
                check(column.default.value, f"default of {table.qualified}.{column.name}", where, "default")
            for c in column.checks:
                check(c.expression, f"check of {table.qualified}.{column.name}", c.span or where, "check")
        for c in table.checks:
            check(c.expression, f"check of {table.qualified}", c.span or table.span, "check")
        for index in table.indexes:
            for key in index.keys:
                if key.kind == "expression":
                    check(key.value, f"index key of {table.qualified}", index.span, "index")
            if index.where:
                check(index.where, f"index predicate of {table.qualified}", index.span, "index")
    for query in schema.queries:
        span = query.sql_span or query.span
        if span is not None and span.file == path and _statements(query.sql, engine) > 1:
            out.append(error("E127", f"Query {query.name} holds several statements; write one per Query", span))
    return out


@lru_cache(maxsize=8192)
def _problem(text: str, dialects: tuple[str, ...], kind: str) -> str | None:
    """None when `text` reads as the generator reads it; "statements" or "unreadable" otherwise."""
    if kind == "index":  # as `emit.sql` reads a key: an element with a direction or operator class first
        element = index_element(text)
        directed = element is not None and (element.desc or element.odd_nulls or element.opclass)
        ok = bool(directed) or bool(parse_expression_list(text, list(dialects)))
    else:
        ok = parse_expression(text, list(dialects), columns_allowed=kind != "default") is not None
    if ok:
        return None
    return "statements" if _statements(text, dialects[0]) > 1 else "unreadable"


@lru_cache(maxsize=4096)
def _statements(sql: str, dialect: str) -> int:
    """How many statements `sql` holds, by its `;` tokens (text that does not tokenize counts as one)."""
    try:
        tokens = sqlglot.Dialect.get_or_raise(SQLGLOT.get(dialect, dialect)).tokenize(sql)
    except (SqlglotError, ValueError, RecursionError):
        return 1
    count, pending = 0, False
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            count += pending
            pending = False
        else:
            pending = True
    return count + pending


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."


def _it(kind: str) -> str:
    return {"default": "the default", "check": "the check", "index": "the index"}[kind]
