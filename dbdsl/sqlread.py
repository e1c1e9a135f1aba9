"""Reading SQL with sqlglot where text sqlglot cannot read is an answer, not a failure: the one helper for
that, and the one list of the errors that mean it."""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

SQLGLOT_ERRORS = (SqlglotError, RecursionError)
NOT_AN_EXPRESSION = (exp.Query, exp.DDL, exp.DML, exp.Command, exp.Alter, exp.Drop, exp.Set, exp.Use)
"""What a fragment (a default, a check, an index key) must not be nor hold: a query or a statement."""
"""What sqlglot raises on text it cannot read (RecursionError: an expression nested deeper than Python
recurses); anything else is a bug to see, not text to pass over."""


def parse_one(text: str, read: str = "postgres") -> exp.Expression | None:
    """The one statement or expression in `text`, read by sqlglot in its dialect `read`; None when sqlglot
    cannot read it."""
    try:
        tree = sqlglot.parse_one(text, read=read)
    except SQLGLOT_ERRORS:
        return None
    return tree if isinstance(tree, exp.Expression) else None


def parse_expression(text: str, dialects: list[str], *, columns_allowed: bool) -> exp.Expression | None:
    """`text` read as one SQL expression by the first dialect that can; None when none can.

    With `columns_allowed` False (defaults), a reading that refers to a column is skipped: a bare word
    such as `SYSDATE` is then read by a dialect where it is a function.
    """
    for dialect in dialects:
        tree = one_expression(text, dialect)
        if tree is None:
            continue
        if not columns_allowed and tree.find(exp.Column) is not None:
            continue
        return tree
    return None


def parse_expression_list(text: str, dialects: list[str]) -> list[exp.Expression]:
    """`text` as one expression, or as a comma-separated list of them (an index key written as
    `(a), (lower(b))`); empty when it is neither."""
    one = parse_expression(text, dialects, columns_allowed=True)
    if one is not None:
        return [one]
    for dialect in dialects:
        tree = one_expression(f"({text})", dialect)
        if isinstance(tree, exp.Tuple) and tree.expressions:
            return list(tree.expressions)
    return []


def one_expression(text: str, dialect: str) -> exp.Expression | None:
    """`text` as exactly one expression (not a query or a statement) in sqlglot's `dialect`, comments dropped;
    None otherwise."""
    if not text.strip():
        return None
    try:
        trees = sqlglot.parse(text, read=dialect)
    except (SqlglotError, ValueError, TypeError, RecursionError):
        return None
    tree = trees[0] if len(trees) == 1 else None
    if not isinstance(tree, exp.Expression):
        return None
    if isinstance(tree, NOT_AN_EXPRESSION) or tree.find(*NOT_AN_EXPRESSION) is not None:
        return None
    for node in tree.walk():
        node.comments = None
    return tree
