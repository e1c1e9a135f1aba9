"""The document's migration strategy: the first deployment as `dbdsl migrate init` writes it (its
phases, what each holds and needs, the rollback statements of its down file), with the order of the
tables along the foreign-key graph explained.

`dbdsl migrate` writes PostgreSQL and SQLite migrations only; for the other engines the section says
so and derives phases from the schema itself (levels of the foreign-key graph).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlglot import exp

from ..codes import all_codes
from ..dialects import DISPLAY_NAME, sqlglot_dialect
from ..emit.sql import table_order, with_junction_tables
from ..emit.sql_names import ident, table_ref
from ..emit.sql_types import engine_name
from ..migrate import Phase, phases
from ..migrate.directory import MIGRATIONS_DIALECTS
from ..model.schema import DEFAULT_SCHEMA, Ref, Schema, Table, TableKey
from . import markdown as md
from .access import index_label


@dataclass
class Levels:
    """The tables by dependency level (0: they reference no other table), what each one references,
    and the foreign keys that close a cycle (no order creates their referenced table first)."""

    grouped: list[list[Table]]
    needs: dict[TableKey, list[Table]]
    cycles: list[Ref]


def levels(schema: Schema) -> Levels:
    full, refs = with_junction_tables(schema)
    order, deferred = table_order(full.tables, refs)
    closing = {id(r) for r in deferred}
    needs: dict[TableKey, list[Table]] = {t.key: [] for t in full.tables}
    for ref in refs:
        a, b = ref.fk_side.table_key, ref.pk_side.table_key
        target = full.table(b)
        if a != b and id(ref) not in closing and a in needs and target is not None and target not in needs[a]:
            needs[a].append(target)
    level: dict[TableKey, int] = {}
    for table in order:
        level[table.key] = 1 + max((level.get(t.key, 0) for t in needs[table.key]), default=-1)
    grouped: list[list[Table]] = []
    for table in order:
        while len(grouped) <= level[table.key]:
            grouped.append([])
        grouped[level[table.key]].append(table)
    return Levels(grouped, needs, deferred)


def section(schema: Schema, dialect: str) -> str:
    """The "Migration strategy" section for `dialect` (one of ours): the first deployment, then the
    changes after it."""
    first = _init_section(schema, dialect) if dialect in MIGRATIONS_DIALECTS else _derived_section(schema, dialect)
    return first + "\n\n" + after_first_deployment(dialect)


def _with_needs(table: Table, found: Levels) -> str:
    needs = found.needs.get(table.key, [])
    return table.qualified + (f" (needs {', '.join(t.qualified for t in needs)})" if needs else "")


def _cycle_text(ref: Ref) -> str:
    return f"{ref.fk_side.qualified}.({', '.join(ref.fk_side.columns)}) → {ref.pk_side.qualified}"


# ------------------------------------------------------------ what `dbdsl migrate init` writes


def _init_section(schema: Schema, dialect: str) -> str:
    parts = phases(schema, dialect)
    engine = DISPLAY_NAME[dialect]
    if not parts:
        return "The schema has nothing to create: `dbdsl migrate init` writes no migration."
    found = levels(schema)
    count = f"{len(parts)} phase{'s' if len(parts) != 1 else ''}"
    out = [
        f"The first deployment is what `dbdsl migrate init` writes for {engine}: {count}, each a migration "
        "(`NNNN_name.up.sql`) with its rollback (`NNNN_name.down.sql`). Each phase is planned from the state "
        "the phases before it leave, so it needs them and nothing else; its files manage their own "
        "transactions, and rollbacks run newest first.",
        _order_text(found, dialect),
    ]
    out.extend(_phase_text(phase, parts, found, dialect) for phase in parts)
    out.append(_not_in_migrations(schema))
    return "\n\n".join(out)


def _order_text(found: Levels, dialect: str) -> str:
    text = (
        "**Order of the tables.** Tables are created parents first, along the foreign keys: a table of level 0 "
        "references no other table, one of level n only tables of lower levels.\n\n"
        + md.table(
            ["level", "tables (and the tables they reference)"],
            [[n, ", ".join(_with_needs(t, found) for t in tables)] for n, tables in enumerate(found.grouped)],
        )
    )
    if found.cycles:
        keys = ", ".join(_cycle_text(r) for r in found.cycles)
        if dialect == "sqlite":
            text += (
                f"\n\n**Cycles.** These foreign keys close a cycle: {keys}. SQLite keeps each foreign key in its "
                "CREATE TABLE and accepts a reference to a table created later (it checks keys when rows are "
                "written); rows that reference each other across the cycle are loaded in one transaction with "
                "`PRAGMA defer_foreign_keys = ON`."
            )
        else:
            text += (
                f"\n\n**Cycles.** These foreign keys close a cycle: {keys}. No order creates every referenced "
                "table first, which is why the foreign keys are a phase of their own, run once every table exists."
            )
    return text


def _phase_text(phase: Phase, parts: list[Phase], found: Levels, dialect: str) -> str:
    migration = phase.migration
    text = f"### Phase {phase.number}: {phase.title}\n\n`{phase.stem}.up.sql`, rolled back by `{phase.stem}.down.sql`."
    items = []
    for step in migration.up.steps:
        item = step.describe()
        if step.kind == "create_table":
            needs = found.needs.get(step.own_change.new_as(Table).key, [])
            if needs:
                item += f" (needs {', '.join(t.qualified for t in needs)})"
        items.append(f"- {md.cell(item)}")
    text += "\n\n" + "\n".join(items)
    earlier = ", ".join(f"`{p.stem}`" for p in parts if p.number < phase.number)
    text += f"\n\n**Depends on:** {earlier or 'nothing (it runs on an empty database)'}."
    notes = migration.notes[1:]  # the first one names the phase
    if notes:
        text += "\n\n" + " ".join(f"{n[0].upper()}{n[1:]}." for n in notes)
    if phase.name == "indexes" and dialect == "postgres":
        text += (
            "\n\nThe indexes are built while the tables are still empty, so plain CREATE INDEX is right here; on "
            "tables that already hold data, `dbdsl migrate diff --safe` writes CREATE INDEX CONCURRENTLY."
        )
    if migration.up_warnings:
        text += "\n\n**Safety warnings**\n\n" + "\n".join(
            f"- {w.code}: {md.cell(w.message)}" for w in migration.up_warnings
        )
    rollback = [s.sql(dialect) + ";" for step in migration.down.steps for s in step.statements]
    if rollback:
        text += "\n\n**Rollback**\n\n" + md.block("\n".join(rollback), "sql")
    return text


PHYSICAL = (
    "the physical design that `dbdsl sql --with ...` writes: roles, privileges and row-level security (see "
    "Security), audit triggers, the retention purge, and the function that makes the partitions of each period"
)


def _not_in_migrations(schema: Schema) -> str:
    extras = [PHYSICAL]
    seeds = _seed_rows(schema)
    if seeds:
        extras.append(seeds + " (`dbdsl sql` writes their INSERTs)")
    return "**Not in the migrations:** " + "; ".join(extras) + "."


def _seed_rows(schema: Schema) -> str | None:
    seeded = [t.qualified for t in schema.tables if t.records]
    return "seed rows for " + ", ".join(seeded) if seeded else None


# ------------------------------------------------------------ engines `dbdsl migrate` does not write for


@dataclass
class _Derived:
    title: str
    items: list[str]
    needs: list[str]
    rollback: Sequence[exp.Expression] = field(default_factory=list)
    advice: str = ""


def _derived_section(schema: Schema, dialect: str) -> str:
    target = sqlglot_dialect(dialect)
    supported = " and ".join(DISPLAY_NAME[d] for d in MIGRATIONS_DIALECTS)
    out = [
        f"`dbdsl migrate` writes migrations for {supported} only, so there are no `dbdsl migrate init` files "
        f"for {engine_name(target)}. These phases are derived from the schema, following the foreign keys: "
        f"each needs only the phases before it, runs in one transaction, and rolls back with the statements "
        f"given (newest first); `dbdsl sql --dialect {dialect}` writes the DDL."
    ]
    for n, phase in enumerate(_derived_phases(schema, dialect), 1):
        text = f"### Phase {n}: {phase.title}\n\n"
        text += "\n".join(f"- {md.cell(item)}" for item in phase.items)
        if phase.needs:
            text += f"\n\n**Depends on:** {', '.join(phase.needs)}."
        if phase.advice:
            text += f"\n\n{phase.advice}"
        if phase.rollback:
            rollback = "\n".join(s.sql(dialect=target) + ";" for s in phase.rollback)
            text += "\n\n**Rollback**\n\n" + md.block(rollback, "sql")
        out.append(text)
    return "\n\n".join(out)


def _derived_phases(schema: Schema, dialect: str) -> list[_Derived]:
    target = sqlglot_dialect(dialect)
    out: list[_Derived] = []
    found = levels(schema)
    schemas = sorted({t.schema for t in schema.tables if t.schema != DEFAULT_SCHEMA})
    if schemas:
        rollback = [exp.Drop(kind="SCHEMA", tables=[exp.Table(this=ident(s))], exists=True) for s in reversed(schemas)]
        out.append(_Derived("Schemas", [f"schema {s}" for s in schemas], [], rollback))
    for n, tables in enumerate(found.grouped):
        title = "Core tables" if n == 0 else f"Dependent tables, level {n}"
        before = [p.title for p in out[-1:]]
        rollback = [exp.Drop(kind="TABLE", tables=[table_ref(t.schema, t.name, target)]) for t in reversed(tables)]
        advice = (
            "These tables reference no other table: they can be created and loaded first."
            if n == 0
            else "Each table's foreign keys point only at tables of earlier phases."
        )
        out.append(_Derived(title, [_with_needs(t, found) for t in tables], before, rollback, advice))
    if found.cycles:
        out.append(
            _Derived(
                "Foreign keys that close a cycle",
                [_cycle_text(r) for r in found.cycles],
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
        advice = "On a database that already holds data, build them one at a time outside peak hours."
        out.append(_Derived("Secondary indexes", items, [out[-1].title], rollback if target != "mysql" else [], advice))
    extras = []
    if any(t.note or any(c.note for c in t.columns) for t in schema.tables):
        extras.append("comments from the notes")
    extras.append(PHYSICAL)
    seeds = _seed_rows(schema)
    if seeds:
        extras.append(seeds)
    out.append(_Derived("Extras", extras, [out[-1].title], [], "Safe to re-run or roll back on their own."))
    return out


# ------------------------------------------------------------ after the first deployment

# For each kind of change the migration safety rules know (dbdsl/codes/migration.py): how to make it
# without breaking the running code, as (expand: before or with the new code, contract: once no running
# code needs the old shape). A test keeps one entry per rule.
EXPAND_CONTRACT: dict[str, tuple[str, str]] = {
    "M001": ("stop using the table in the code and deploy", "back it up, then drop it (`--allow-destructive`)"),
    "M002": ("stop reading and writing the column and deploy", "drop it (`--allow-destructive`)"),
    "M003": (
        "add the column nullable (or with a default); write it from the new code; backfill old rows in batches",
        "SET NOT NULL (see M004)",
    ),
    "M004": (
        "add `CHECK (c IS NOT NULL) NOT VALID`, then VALIDATE it (`--safe`)",
        "SET NOT NULL, which uses the validated check, and drop the check",
    ),
    "M005": (
        "add a column of the new type, write both from the code, backfill in batches",
        "read the new column, then drop the old one (or rename over it)",
    ),
    "M006": (
        "`CREATE UNIQUE INDEX CONCURRENTLY` (`--safe`); remove duplicates first",
        "`ADD CONSTRAINT ... USING INDEX`",
    ),
    "M007": ("`CREATE INDEX CONCURRENTLY` outside a transaction (`--safe`)", "nothing"),
    "M008": ("deploy code that no longer needs the index", "`DROP INDEX CONCURRENTLY` (`--safe`)"),
    "M009": ("add the foreign key `NOT VALID` (`--safe`): new rows are checked", "VALIDATE it in its own transaction"),
    "M010": ("add the check `NOT VALID` (`--safe`): new rows are checked", "VALIDATE it in its own transaction"),
    "M011": (
        "create the new table (or a view under the new name), write both, backfill",
        "switch reads, then drop the old name",
    ),
    "M012": (
        "add the new column, write both (or a trigger that copies), backfill",
        "switch reads, then drop the old column",
    ),
    "M013": ("add the value before the code that writes it, outside the transaction (`--safe`)", "nothing"),
    "M014": (
        "stop writing the value; update the rows holding it",
        "recreate the type without it (the plan converts every column)",
    ),
    "M015": ("add the new value and write it; update the rows holding the old one", "remove the old value (M014)"),
    "M016": ("run the rebuild when the database is quiet, after a backup", "nothing"),
    "M017": ("add `renamed_from` if it is a rename (then see M011/M012)", "nothing"),
    "M018": (
        "add the column without the default, then set the default (new rows), backfill old rows in batches",
        "nothing",
    ),
    "M021": (
        "create the partitioned table beside the old one, copy in batches while both are written",
        "switch with a rename in one short transaction; apply the grants, policies and triggers to it",
    ),
    "M022": (
        "add a column of the new type, backfill it, check that every value converted exactly (`--safe`)",
        "swap the columns; or clean the values first (`--allow-destructive`)",
    ),
}


def after_first_deployment(dialect: str) -> str:
    """Changes after the first deployment: deploy order, how each kind of change is made, failures."""
    if dialect in MIGRATIONS_DIALECTS:
        how = (
            "Each later change is a migration written from the schema: `dbdsl migrate diff --to schema.dbml "
            "--name what_changed` (`plan` shows it first). The safety rules check every step; `--safe` writes "
            "the zero-downtime forms, and steps that drop data are refused unless `--allow-destructive` is given."
        )
    else:
        supported = " and ".join(DISPLAY_NAME[d] for d in MIGRATIONS_DIALECTS)
        how = (
            f"`dbdsl migrate` writes later migrations for {supported} only: for {DISPLAY_NAME[dialect]} "
            "write them by hand, in the order and forms below (the safety rules say where each applies)."
        )

    rows = []
    for rule in all_codes("M"):
        expand, contract = EXPAND_CONTRACT[rule.code]
        engines = "" if len(rule.dialects) > 2 else " (" + ", ".join(DISPLAY_NAME[d] for d in rule.dialects) + ")"
        rows.append([f"{rule.summary}{engines}", rule.code, expand, contract])
    return "\n\n".join(
        [
            "### After the first deployment",
            how,
            "**Deploy order: expand, then contract.**\n\n"
            "1. Expand: run the migrations that only add (tables, nullable columns, indexes built concurrently, "
            "constraints added NOT VALID and validated, enum values) before deploying the code that uses them; "
            "the running code does not notice them.\n"
            "2. Deploy the code; backfill existing rows in batches where a change needs them.\n"
            "3. Contract: once no running code uses the old shape, in a later release, run the migrations that "
            "remove or tighten (drop columns and tables, SET NOT NULL, remove enum values).\n\n"
            "A change that needs both halves is two migrations: generate the expand one from a schema with both "
            "shapes, and the contract one when the old shape goes.",
            "**Each kind of change** (the rules are listed by `dbdsl rules M`)\n\n"
            + md.table(["change", "rule", "expand", "contract"], rows),
            "**When a migration fails.**\n\n"
            "- Each file manages its own transactions, so a failed statement rolls back its transaction: run files "
            "with `psql -v ON_ERROR_STOP=1 -f`. A file in one transaction leaves the database as it was; fix the "
            "cause (usually data: a duplicate under a new unique index, a NULL under NOT NULL, a row that breaks "
            "a CHECK or foreign key) and run it again.\n"
            "- A file written with `--safe` runs in several transactions, and the ones before the failure stay "
            "applied: fix the cause and run the statements after them. An index whose CREATE INDEX CONCURRENTLY "
            "failed is left INVALID: drop it (`DROP INDEX CONCURRENTLY`) before running again.\n"
            "- To go back, run the down files, newest first; a down file cannot bring back dropped data, so back "
            "up before a migration that drops.\n"
            "- Never edit a migration that has run anywhere: `dbdsl migrate verify` reports an edited file "
            "(checksums). Fix forward with a new migration.\n"
            "- A migration that adds a table grants it in the same migration as the Security section says, and "
            "for a tenant table creates its policies too, so it is never open without them.",
        ]
    )
