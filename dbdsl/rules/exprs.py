"""Reading the SQL expressions of checks and index predicates with sqlglot (cached by text)."""

from __future__ import annotations

from functools import lru_cache

from sqlglot import exp

from ..dialects import SQLGLOT
from ..sqlread import parse_one


@lru_cache(maxsize=8192)
def parse_expression(text: str, dialect: str) -> exp.Expression | None:
    return parse_one(text, SQLGLOT.get(dialect, "postgres"))


@lru_cache(maxsize=8192)
def columns_in(text: str, dialect: str) -> frozenset[str] | None:
    """Lowercased names of the columns an expression reads (None when it does not parse)."""
    node = parse_expression(text, dialect)
    if node is None:
        return None
    return frozenset(c.name.lower() for c in node.find_all(exp.Column) if c.name)


@lru_cache(maxsize=8192)
def compared_pairs(text: str, dialect: str) -> frozenset[tuple[str, str, str]]:
    """(operator, left column, right column) of every column-to-column comparison in an expression;
    `a > b` is also recorded as ('<', b, a) so that callers can ask either way round."""
    node = parse_expression(text, dialect)
    if node is None:
        return frozenset()
    out = set()
    flipped = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "<>": "<>"}
    ops = {exp.NEQ: "<>", exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<="}
    for cls, op in ops.items():
        for n in node.find_all(cls):
            left, right = n.this, n.expression
            if isinstance(left, exp.Column) and isinstance(right, exp.Column):
                a, b = left.name.lower(), right.name.lower()
                out.add((op, a, b))
                out.add((flipped[op], b, a))
    return frozenset(out)
