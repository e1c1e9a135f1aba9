"""The per-table part of the design document: purpose, SQL, columns, indexes and what they serve,
relationships in words."""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from ..dialects import sqlglot_dialect
from ..emit.erd.graph import Link
from ..emit.sql import SqlScript
from ..model.schema import Index, Schema, Table
from ..rules.access import QueryReport
from ..rules.facts import AccessPath, TableFacts
from . import markdown as md
from .access import described, index_label, path_index, path_name

KIND_WORDS = {"btree": "B-tree", "hash": "hash", "gin": "GIN", "gist": "GiST", "brin": "BRIN", "spgist": "SP-GiST"}


def statements_by_table(script: SqlScript, schema: Schema) -> tuple[dict[tuple, list[str]], list[str]]:
    """The script's statements grouped by the table they act on (physical (schema, name)), and the rest."""
    target = sqlglot_dialect(script.dialect)
    by_table: dict[tuple, list[str]] = {}
    other: list[str] = []
    for statement in script.statements:
        key = _target_table(statement)
        text = statement.sql(dialect=target, pretty=True, comments=False) + ";"
        if key is None:
            other.append(text)
        else:
            by_table.setdefault(key, []).append(text)
    return by_table, other


def _target_table(statement: exp.Expression) -> tuple | None:
    node = None
    if isinstance(statement, exp.Create):
        kind = (statement.args.get("kind") or "").upper()
        if kind == "TABLE":
            node = statement.this.this if isinstance(statement.this, exp.Schema) else statement.this
        elif kind == "INDEX":
            node = statement.this.args.get("table")
    elif isinstance(statement, exp.Comment):
        target = statement.this
        if isinstance(target, exp.Column):
            return (target.args["db"].name if target.args.get("db") else None, target.table)
        node = target
    elif isinstance(statement, exp.Alter):
        node = statement.this
    if isinstance(node, exp.Table):
        return (node.db or None, node.name)
    return None


def table_section(
    table: Table,
    schema: Schema,
    sql: list[str],
    dialect: str,
    table_links: list[Link],
    plans: list[QueryReport],
    volume: str | None,
    physical: Sequence[str] = (),
) -> str:
    parts = [f"### {table.qualified}"]
    parts.append(
        "**Purpose.** " + md.plain(table.note).replace("\n", " ")
        if table.note
        else "**Purpose.** Not documented: the table has no note (add `Note: '...'` to state what one row is)."
    )
    if physical:
        parts.append("**Physical design.** " + "; ".join(physical) + ".")
    shown = ("rows", "growth") if volume else ()
    facts = [f"{s.key}: {s.value}" if s.value else s.key for s in table.settings if s.key not in shown]
    if volume:
        facts.insert(0, volume)
    if facts:
        parts.append("**Facts.** " + "; ".join(facts) + ".")
    parts.append(md.block("\n\n".join(sql), "sql") if sql else "_No SQL: the dialect writes nothing for this table._")
    parts.append(_columns(table, table_links))
    parts.append(_indexes(table, schema, table_links, plans))
    parts.append(_relationships(table, table_links))
    return "\n\n".join(parts)


def _columns(table: Table, table_links: list[Link]) -> str:
    fks = {}
    for link in table_links:
        if link.child.key == table.key and link.kind != "many-to-many":
            for c, p in zip(link.child_columns, link.parent_columns):
                fks[c] = f"→ {link.parent.qualified}.{p}"
    rows = []
    for column in table.columns:
        keys = []
        if column.name in table.primary_key:
            keys.append("PK")
        if column.name in fks:
            keys.append("FK " + fks[column.name])
        if column.unique:
            keys.append("unique")
        if column.increment:
            keys.append("auto-increment")
        notes = [column.note or ""]
        if column.setting("pii") is not None:
            notes.insert(0, "PII")
        checks = [f"check {c.expression}" for c in column.checks]
        rows.append(
            [
                md.code(column.name),
                column.type.text,
                "yes" if column.nullable and column.name not in table.primary_key else "no",
                column.default.sql_text() if column.default else "",
                ", ".join(keys),
                "; ".join(n for n in [*notes, *checks] if n),
            ]
        )
    return "**Columns**\n\n" + md.table(["column", "type", "null", "default", "keys", "notes"], rows)


def _indexes(table: Table, schema: Schema, table_links: list[Link], plans: list[QueryReport]) -> str:
    """Every way into the table (the primary key, unique columns, indexes: the linter's access paths)."""
    rows = []
    for path in TableFacts(table).paths:
        index = path_index(table, path)
        name = index_label(table, index)
        rows.append([md.code(name), _index_definition(index), _serves(table, path, index, table_links, plans)])
    if not rows:
        return "**Indexes.** None: every read of this table scans it."
    return "**Indexes and the queries they serve**\n\n" + md.table(["index", "definition", "serves"], rows)


def _index_definition(index: Index) -> str:
    keys = ", ".join(k.value if k.kind == "column" else f"({k.value})" for k in index.keys)
    kind = KIND_WORDS.get((index.type or "btree").lower(), index.type or "B-tree")
    words = ["primary key" if index.pk else "unique" if index.unique else kind]
    if index.pk or index.unique:
        words.append(kind)
    text = f"{' '.join(words)} ({keys})"
    if index.where:
        text += f" WHERE {index.where}"
    if index.include:
        text += f" INCLUDE ({', '.join(index.include)})"
    return text


def _serves(table: Table, path: AccessPath, index: Index, table_links: list[Link], plans: list[QueryReport]) -> str:
    out = []
    if index.pk:
        out.append("lookups by primary key")
    elif index.unique:
        out.append("enforces uniqueness of " + ", ".join(index.columns))
    for link in table_links:
        if link.child.key == table.key and path.leads_with(link.child_columns):
            out.append(f"joins from {link.parent.qualified} and its ON DELETE checks")
            break
    name = index_label(table, index)
    for plan in plans:
        for a in plan.accesses:
            if a.table.key == table.key and a.served_by is not None and path_name(table, a.served_by) == name:
                out.append(f"query {plan.query.name} ({described(a)})")
    if index.where:
        out.append(f"only rows where {index.where}")
    if (index.type or "").lower() == "brin":
        out.append("range scans over a column that grows with insertion order")
    if (index.type or "").lower() in ("gin", "gist"):
        out.append("containment / full-text / array searches")
    return "; ".join(out) if out else "no declared query or foreign key uses it: check that it earns its write cost"


def _relationships(table: Table, table_links: list[Link]) -> str:
    lines = ["- " + sentence(link, table) for link in table_links]
    if not lines:
        return "**Relationships.** None."
    return "**Relationships**\n\n" + "\n".join(lines)


def sentence(link: Link, table: Table) -> str:
    """One relationship in words, from `table`'s side."""
    child_cols = ", ".join(link.child_columns)
    parent_cols = ", ".join(link.parent_columns)
    actions = []
    if link.ref.on_delete:
        actions.append(f"ON DELETE {link.ref.on_delete.upper()}")
    if link.ref.on_update:
        actions.append(f"ON UPDATE {link.ref.on_update.upper()}")
    tail = f" ({'; '.join(actions)})" if actions else ""
    child, parent = link.child.qualified, link.parent.qualified
    if link.kind == "many-to-many":
        other = parent if link.child.key == table.key else child
        return f"Many to many with {other} ({child}.{child_cols} ↔ {parent}.{parent_cols}), through a junction table."
    how_many = "at most one" if link.optional else "exactly one"
    if link.kind == "one-to-one":
        back = "at most one"
    else:
        back = "zero or more"
    if link.self_reference:
        return (
            f"Each row refers to {how_many} other row of {child} through {child_cols} → {parent_cols}; "
            f"a row is referred to by {back} rows{tail}."
        )
    if link.child.key == table.key:
        return f"Each row belongs to {how_many} {parent} row ({child_cols} → {parent}.{parent_cols}){tail}."
    return f"Each row has {back} {child} rows ({child}.{child_cols} → {parent_cols}){tail}."
