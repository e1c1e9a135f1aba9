"""Reading SQL with sqlglot where text sqlglot cannot read is an answer, not a failure: the one helper for
that, and the one list of the errors that mean it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

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


MAX_NESTING = 64  # parentheses deeper than this are past what sqlglot's reader follows: refused at once


def _too_deep(text: str) -> bool:
    """Whether `text` opens more than MAX_NESTING parentheses at once (each reading would tokenize it
    whole and then fail: refusing it first keeps a hostile fragment cheap)."""
    if text.count("(") <= MAX_NESTING:
        return False
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
            if depth > MAX_NESTING:
                return True
        elif ch == ")":
            depth = max(0, depth - 1)
    return False


def one_expression(text: str, dialect: str) -> exp.Expression | None:
    """`text` as exactly one expression (not a query or a statement) in sqlglot's `dialect`, comments dropped;
    None otherwise."""
    if not text.strip() or _too_deep(text):
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


@dataclass(frozen=True)
class IndexElement:
    """An index key written as an expression, read as an index element: `b desc`, `lower(c)`,
    `name gin_trgm_ops`, `created_at DESC NULLS LAST`. DBML has no syntax for a key's direction or
    operator class, so they are written inside the backticks, the way PostgreSQL writes them."""

    expression: exp.Expression  # the key without its direction and operator class
    column: str | None  # the column name when the key is a bare column
    desc: bool
    odd_nulls: bool  # NULLS FIRST on an ascending key or NULLS LAST on a descending one
    opclass: str | None


@lru_cache(maxsize=4096)
def index_element(text: str) -> IndexElement | None:
    """`text` read as one element of a PostgreSQL CREATE INDEX; None when it is not one. The tree is
    shared between callers: copy it before changing it."""
    if _too_deep(text):
        return None
    try:
        tree = sqlglot.parse_one(f"CREATE INDEX _ ON _ ({text})", read="postgres")
    except (SqlglotError, ValueError, TypeError, RecursionError):
        return None
    parameters = tree.find(exp.IndexParameters) if tree is not None else None
    elements = (parameters.args.get("columns") or []) if parameters is not None else []
    if len(elements) != 1:
        return None
    element = elements[0]
    desc = bool(element.args.get("desc")) if isinstance(element, exp.Ordered) else False
    nulls_first = bool(element.args.get("nulls_first")) if isinstance(element, exp.Ordered) else False
    inner = element.this if isinstance(element, exp.Ordered) else element
    opclass = None
    if isinstance(inner, exp.Opclass):
        opclass = inner.expression.name.lower() if inner.expression is not None else None
        inner = inner.this
    while isinstance(inner, exp.Paren):
        inner = inner.this
    if inner is None or isinstance(inner, NOT_AN_EXPRESSION) or inner.find(*NOT_AN_EXPRESSION) is not None:
        return None
    column = inner.name if isinstance(inner, exp.Column) and not inner.table else None
    return IndexElement(inner, column, desc, nulls_first != desc, opclass)


@contextmanager
def quiet_sqlglot() -> Iterator[None]:
    """sqlglot logs a warning for each statement it keeps as an opaque command; the callers (import,
    migrations) report what they skip themselves, so that noise is kept off stderr."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
