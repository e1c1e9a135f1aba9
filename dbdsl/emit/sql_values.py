"""SQL fragments of a schema (defaults, checks, index expressions, record values) as sqlglot expressions.

A fragment is parsed by sqlglot as one expression and regenerated for the target dialect, never pasted
into the output: text that is not a single expression (`1); DROP TABLE x; --`) is refused, comments are
dropped, and literals are quoted by sqlglot. A fragment that cannot be read becomes a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from ..model.schema import Literal
from ..sqlread import NOT_AN_EXPRESSION, parse_expression
from ..sqlread import one_expression as _parse

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
