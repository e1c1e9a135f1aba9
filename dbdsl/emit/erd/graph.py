"""What every ERD drawing needs from a schema: which tables to show, the links between their columns
(with cardinality and optionality), and the key marks of each column."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from ...model.schema import Column, Ref, Schema, Table
from ..sql import orient_one_to_one


class UnknownTable(ValueError):
    """The focus names no table of the schema."""


@dataclass(frozen=True)
class Link:
    """A relationship drawn from the referenced side (`parent`) to the referencing side (`child`).

    kind: 'one-to-many', 'one-to-one' or 'many-to-many' (then parent/child are just left/right).
    `optional`: the child's columns may be null, so a child row may have no parent (0..1 rather than 1).
    """

    parent: Table
    parent_columns: tuple[str, ...]
    child: Table
    child_columns: tuple[str, ...]
    kind: str
    optional: bool
    ref: Ref

    @property
    def self_reference(self) -> bool:
        return self.parent.key == self.child.key


def find_table(schema: Schema, focus: str | tuple[str, str]) -> Table:
    """The table `focus` names: a (schema, name) key, `schema.name`, a bare name or an alias."""
    table = schema.table(focus)
    if table is None and isinstance(focus, str):
        table = next((t for t in schema.tables if t.alias == focus), None)
        if table is None:  # a bare name that is unique across schemas
            matches = [t for t in schema.tables if t.name == focus]
            table = matches[0] if len(matches) == 1 else None
    if table is None:
        shown = ".".join(focus) if isinstance(focus, tuple) else focus
        raise UnknownTable(f"no table '{shown}' in the schema")
    return table


def links(schema: Schema) -> list[Link]:
    """Every relationship whose tables and columns exist, oriented from the referenced side."""
    out: list[Link] = []
    for ref in schema.refs:
        if ref.many_to_many:
            left, right = schema.table(ref.left.table_key), schema.table(ref.right.table_key)
            if left is None or right is None:
                continue
            out.append(Link(left, ref.left.columns, right, ref.right.columns, "many-to-many", True, ref))
            continue
        ref = orient_one_to_one(ref, schema)
        fk, pk = ref.fk_side, ref.pk_side
        child, parent = schema.table(fk.table_key), schema.table(pk.table_key)
        if child is None or parent is None:
            continue
        columns = child.columns_named(fk.columns)
        if columns is None:
            continue
        optional = any(c.nullable and c.name not in child.primary_key for c in columns)
        kind = "one-to-one" if ref.op == "-" or fk.relation == "1" else "one-to-many"
        out.append(Link(parent, pk.columns, child, fk.columns, kind, optional, ref))
    return out


def by_table(every: list[Link]) -> dict[tuple[str, str], list[Link]]:
    """The links that touch each table (so that per-table work does not scan every link)."""
    out: dict[tuple[str, str], list[Link]] = {}
    for link in every:
        out.setdefault(link.parent.key, []).append(link)
        if link.child.key != link.parent.key:
            out.setdefault(link.child.key, []).append(link)
    return out


def neighbourhood(
    schema: Schema, focus: str | tuple[str, str] | None = None, depth: int = 1, every: list[Link] | None = None
) -> tuple[list[Table], list[Link]]:
    """The tables within `depth` relationships of `focus` (all tables when focus is None), in schema
    order with the focus first, and the links among them (`every` when already computed)."""
    if every is None:
        every = links(schema)
    if focus is None:
        return list(schema.tables), every
    start = find_table(schema, focus)
    adjacent: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for link in every:
        adjacent.setdefault(link.parent.key, set()).add(link.child.key)
        adjacent.setdefault(link.child.key, set()).add(link.parent.key)
    distance = {start.key: 0}
    queue = deque([start.key])
    while queue:
        key = queue.popleft()
        if distance[key] >= depth:
            continue
        for other in sorted(adjacent.get(key, ())):
            if other not in distance:
                distance[other] = distance[key] + 1
                queue.append(other)
    tables = [start] + [t for t in schema.tables if t.key in distance and t.key != start.key]
    shown = {t.key for t in tables}
    return tables, [k for k in every if k.parent.key in shown and k.child.key in shown]


def column_marks(table: Table, all_links: list[Link]) -> dict[str, list[str]]:
    """PK, FK and UK marks per column name (`all_links` may be just the links touching the table)."""
    marks: dict[str, list[str]] = {c.name: [] for c in table.columns}
    for name in table.primary_key:
        if name in marks:
            marks[name].append("PK")
    for link in all_links:
        if link.child.key == table.key and link.kind != "many-to-many":
            for name in link.child_columns:
                if name in marks and "FK" not in marks[name]:
                    marks[name].append("FK")
    for column in table.columns:
        if "PK" not in marks[column.name] and _unique(table, column):
            marks[column.name].append("UK")
    return marks


def _unique(table: Table, column: Column) -> bool:
    if column.unique:
        return True
    return any((i.unique or i.pk) and not i.where and i.is_plain and i.columns == (column.name,) for i in table.indexes)


def display_name(table: Table) -> str:
    return table.qualified
