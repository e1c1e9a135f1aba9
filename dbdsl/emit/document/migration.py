"""The first deployment of a schema in phases that follow its foreign-key graph, each with what it
needs before it and how to roll it back."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from ...model.schema import DEFAULT_SCHEMA, Schema, Table
from ..sql import table_order, with_junction_tables
from ..sql_names import ident, table_ref
from ..sql_types import dialect_of
from .access import index_label


@dataclass
class Phase:
    title: str
    items: list[str]
    needs: list[str]
    rollback: list[exp.Expression] = field(default_factory=list)
    advice: str = ""


def levels(schema: Schema) -> tuple[list[list[Table]], list, dict]:
    """Tables by dependency level (0: they reference no other table), the refs that close a cycle,
    and what each table needs (the tables it references)."""
    full, refs = with_junction_tables(schema)
    order, deferred = table_order(full.tables, refs)
    closing = {id(r) for r in deferred}
    needs: dict[tuple[str, str], list[Table]] = {t.key: [] for t in full.tables}
    for ref in refs:
        a, b = ref.fk_side.table_key, ref.pk_side.table_key
        target = full.table(b)
        if a != b and id(ref) not in closing and a in needs and target is not None and target not in needs[a]:
            needs[a].append(target)
    level: dict[tuple[str, str], int] = {}
    for table in order:
        level[table.key] = 1 + max((level.get(t.key, 0) for t in needs[table.key]), default=-1)
    grouped: list[list[Table]] = []
    for table in order:
        while len(grouped) <= level[table.key]:
            grouped.append([])
        grouped[level[table.key]].append(table)
    return grouped, deferred, needs


def phases(schema: Schema, dialect: str) -> list[Phase]:
    target = dialect_of(dialect)
    out: list[Phase] = []
    grouped, deferred, needs = levels(schema)
    schemas = sorted({t.schema for t in schema.tables if t.schema != DEFAULT_SCHEMA})
    enums = list(schema.enums) if target == "postgres" else []
    if schemas or enums:
        rollback = [
            exp.Drop(kind="TYPE", tables=[table_ref(e.schema, e.name, target)], exists=True) for e in reversed(enums)
        ]
        rollback += [exp.Drop(kind="SCHEMA", tables=[exp.Table(this=ident(s))], exists=True) for s in reversed(schemas)]
        items = [f"schema {s}" for s in schemas] + [f"enum type {e.qualified}" for e in enums]
        out.append(Phase("Schemas and types", items, [], rollback))
    for n, tables in enumerate(grouped):
        title = "Core tables" if n == 0 else f"Dependent tables, level {n}"
        items = []
        for table in tables:
            deps = needs[table.key]
            items.append(table.qualified + (f" (needs {', '.join(t.qualified for t in deps)})" if deps else ""))
        before = [p.title for p in out[-1:]]
        rollback = [exp.Drop(kind="TABLE", tables=[table_ref(t.schema, t.name, target)]) for t in reversed(tables)]
        advice = (
            "These tables reference no other table: they can be created and loaded first."
            if n == 0
            else "Each table's foreign keys point only at tables of earlier phases."
        )
        out.append(Phase(title, items, before, rollback, advice))
    if deferred:
        items = [f"{r.fk_side.qualified}.({', '.join(r.fk_side.columns)}) → {r.pk_side.qualified}" for r in deferred]
        out.append(
            Phase(
                "Foreign keys that close a cycle",
                items,
                [p.title for p in out if p.title.startswith(("Core", "Dependent"))],
                [],
                "Added with ALTER TABLE once every table of the cycle exists; rolled back by dropping the constraint.",
            )
        )
    indexes = [(t, i) for t in schema.tables for i in t.indexes if not i.pk]
    if indexes:
        items = [f"{index_label(t, i)} on {t.qualified}({', '.join(k.value for k in i.keys)})" for t, i in indexes]
        rollback = [
            exp.Drop(kind="INDEX", tables=[table_ref(t.schema, index_label(t, i), target)], exists=True)
            for t, i in reversed(indexes)
        ]
        advice = (
            "On a database that already holds data, build them with CREATE INDEX CONCURRENTLY (one per "
            "transaction) so writes are not blocked."
            if target == "postgres"
            else "On a database that already holds data, build them one at a time outside peak hours."
        )
        out.append(Phase("Secondary indexes", items, [out[-1].title], rollback if target != "mysql" else [], advice))
    extras = []
    if any(t.note or any(c.note for c in t.columns) for t in schema.tables):
        extras.append("comments from the notes")
    extras.append("the application role and its GRANTs (see Security)")
    seeded = [t.qualified for t in schema.tables if t.records]
    if seeded:
        extras.append("seed rows for " + ", ".join(seeded))
    out.append(Phase("Extras", extras, [out[-1].title], [], "Safe to re-run or roll back on their own."))
    return out
