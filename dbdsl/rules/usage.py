"""Where a column is used: fixes that move or drop columns are offered only when nothing else in the
schema points at them (indexes, checks, dependencies, records, relationships, queries)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..model.schema import Table
from .exprs import columns_in

if TYPE_CHECKING:
    from .engine import Context


def column_uses(ctx: Context, table: Table, name: str) -> list[str]:
    """What uses `table.name` besides its own definition (empty when it can be moved or dropped)."""
    low = name.lower()
    out: list[str] = []
    for index in table.indexes:
        keyed = any(k.kind == "column" and k.value == name for k in index.keys) or name in index.include
        in_expression = any(
            k.kind == "expression" and low in (columns_in(k.value, ctx.dialect) or ()) for k in index.keys
        )
        if keyed or in_expression:
            out.append("an index")
        elif index.where and low in (columns_in(index.where, ctx.dialect) or ()):
            out.append("an index predicate")
    checks = [c.expression for c in table.checks] + [c.expression for col in table.columns for c in col.checks]
    if any(low in (columns_in(e, ctx.dialect) or ()) for e in checks):
        out.append("a check")
    if any(name in d.left or name in d.right for d in table.dependencies):
        out.append("a dependency")
    if any(name in r.columns for r in table.records):
        out.append("records")
    for ref in (*ctx.refs_from(table), *ctx.refs_to(table)):
        for end in (ref.left, ref.right):
            if end.table_key == table.key and name in end.columns:
                out.append("a relationship")
    pattern = re.compile(rf"(?<![\w$]){re.escape(low)}(?![\w$])")
    if any(pattern.search(q.sql.lower()) for q in ctx.queries):
        out.append("a query")
    column = table.column(name)
    if column is not None and column.from_partial is not None:
        out.append(f"partial {column.from_partial}")
    return out


def free(ctx: Context, table: Table, names: Iterable[str]) -> bool:
    return not table.records and all(not column_uses(ctx, table, n) for n in names)
