"""SQL fragments of a schema (defaults, checks, index expressions, record values) as sqlglot expressions.

A fragment is parsed by sqlglot as one expression and regenerated for the target dialect, never pasted
into the output: text that is not a single expression (`1); DROP TABLE x; --`) is refused, comments are
dropped, and literals are quoted by sqlglot. A fragment that cannot be read becomes a warning.
"""

from __future__ import annotations

import re

from sqlglot import exp

from ..model.schema import Literal
from ..sqlread import one_expression as _parse
from ..sqlread import parse_expression

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
NO_BOOLEAN_LITERALS = {"sqlite", "tsql", "oracle"}


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
