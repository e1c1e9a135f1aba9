"""SQL fragments of a schema (defaults, checks, index expressions, record values) as sqlglot expressions.

A fragment is parsed by sqlglot as one expression and regenerated for the target dialect, never pasted
into the output: text that is not a single expression (`1); DROP TABLE x; --`) is refused, comments are
dropped, and literals are quoted by sqlglot. A fragment that cannot be read becomes a warning.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from ..model.schema import Literal

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
NOT_AN_EXPRESSION = (exp.Query, exp.DDL, exp.DML, exp.Command, exp.Alter, exp.Drop, exp.Set, exp.Use)
NO_BOOLEAN_LITERALS = {"sqlite", "tsql", "oracle"}


def parse_expression(text: str, dialects: list[str], *, columns_allowed: bool) -> exp.Expression | None:
    """`text` read as one SQL expression by the first dialect that can; None when none can.

    With `columns_allowed` False (defaults), a reading that refers to a column is skipped: a bare word
    such as `SYSDATE` is then read by a dialect where it is a function.
    """
    for dialect in dialects:
        tree = _parse(text, dialect)
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
        tree = _parse(f"({text})", dialect)
        if isinstance(tree, exp.Tuple) and tree.expressions:
            return list(tree.expressions)
    return []


def _parse(text: str, dialect: str) -> exp.Expression | None:
    if not text.strip():
        return None
    try:
        trees = sqlglot.parse(text, read=dialect)
    except (SqlglotError, ValueError, TypeError, RecursionError):
        return None
    if len(trees) != 1 or trees[0] is None:
        return None
    tree = trees[0]
    if isinstance(tree, NOT_AN_EXPRESSION) or tree.find(*NOT_AN_EXPRESSION) is not None:
        return None
    for node in tree.walk():
        node.comments = None
    return tree


def literal(value: Literal, target: str, dialects: list[str]) -> exp.Expression | None:
    """A default or record value; None when it is an expression that cannot be read."""
    kind = value.kind
    if kind == "null":
        return exp.Null()
    if kind == "boolean":
        truth = value.value.lower() == "true"
        if target in NO_BOOLEAN_LITERALS:
            return exp.Literal.number(1 if truth else 0)
        return exp.Boolean(this=truth)
    if kind == "number":
        if NUMBER.match(value.value):
            text = value.value.lstrip("+")
            if text.startswith("-"):
                return exp.Neg(this=exp.Literal.number(text[1:]))
            return exp.Literal.number(text)
        return exp.Literal.string(value.value)
    if kind == "enum":
        return exp.Literal.string(value.value.rsplit(".", 1)[-1] if "." in value.value else value.value)
    if kind == "expression":
        return parse_expression(value.value, dialects, columns_allowed=False)
    return exp.Literal.string(value.value)


def expression_key(text: str, dialect: str = "postgres") -> str:
    """A comparable form of an SQL expression: `now()` and `CURRENT_TIMESTAMP`, `(a > 0)` and `a > 0`
    compare equal; text that does not parse compares by its words."""
    tree = _parse(text, dialect)
    if tree is None:
        return " ".join(text.split()).lower()
    for _ in range(10):  # a replaced node's children are only visited on the next pass
        before = tree.sql(dialect)
        tree = tree.transform(_unwrap)
        if tree.sql(dialect) == before:
            break
    return tree.sql(dialect, comments=False).lower()


def _unwrap(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Paren):
        return node.this
    return node
