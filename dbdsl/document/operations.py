"""Performance, scalability, backup and recovery, retention: sections derived from the declared facts
(row counts, growth, load, capacity, RPO/RTO, retention, partitioning) and from the physical design
script. Where the schema does not state a fact a section needs, the section says which one and how to
declare it (`gaps.py` collects them for the overview) instead of assuming a value.

The only figures that are not declared are dbdsl's rules of thumb, named as such: the sizes of stored
values (PostgreSQL's storage formats) and the volume past which partitioning pays.
"""

from __future__ import annotations

import math

from ..model import facts
from ..model.schema import Schema, Table
from ..physical import partitions as part
from ..physical import retention as keep
from ..physical.access import soft_delete_column
from ..physical.script import SCHEDULES, PhysicalScript
from ..rules.access import QueryReport
from . import markdown as md
from .gaps import declare
from .quote import quote

PARTITION_ROWS = 100e6  # rule of thumb: past this, a table is worth partitioning
PARTITION_GROWTH = 10e6  # rows a month


def volumes(schema: Schema) -> list[tuple[Table, float | None, float | None, int]]:
    """(table, rows now, rows a month, row bytes) for every table."""
    out = []
    for table in schema.tables:
        rows = facts.count(_value(table, "rows"))
        growth = _monthly(_value(table, "growth"))
        out.append((table, rows, growth, facts.row_bytes(table)))
    return out


def _value(table: Table, key: str) -> str | None:
    s = table.setting(key)
    return s.value if s is not None else None


def _monthly(text: str | None) -> float | None:
    """Rows a month from `'40k/month'`, `'2k/day'`, `'1M/year'`."""
    per_second = facts.rate(text)
    return per_second * facts.SECONDS["month"] if per_second is not None else None


def size_in_a_year(schema: Schema) -> float:
    """Bytes of the tables with declared volumes in 12 months: rows and their indexes."""
    total = 0.0
    for table, now, growth, width in volumes(schema):
        rows = (now or 0) + 12 * (growth or 0)
        total += rows * (width + facts.index_bytes(table))
    return total


# ---------------------------------------------------------------- performance


def performance(schema: Schema, plans: list[QueryReport]) -> str:
    if not schema.tables:
        return "The schema has no tables."
    parts = []
    rows = []
    total = 0.0
    for table, now, growth, width in volumes(schema):
        if now is None and growth is None:
            continue
        in_year = (now or 0) + 12 * (growth or 0)
        per_row = facts.index_bytes(table)
        size = in_year * (width + per_row)
        total += size
        rows.append(
            [
                table.qualified,
                facts.human(now) if now is not None else "not stated",
                f"{facts.human(growth)}/month" if growth else "not stated",
                facts.human(in_year),
                f"~{width} B + {per_row} B in indexes",
                facts.human_bytes(size),
            ]
        )
    if rows:
        parts.append(
            "**Volumes** (from the `rows` and `growth` settings; a row's size is estimated from its column types "
            "as PostgreSQL stores them, and each key and index adds its key columns and a tuple pointer)\n\n"
            + md.table(["table", "rows now", "growth", "rows in 12 months", "row size", "size in 12 months"], rows)
            + f"\n\nSize in 12 months of the tables with volumes: {facts.human_bytes(total)}."
        )
        unsized = [t.qualified for t, now, growth, _ in volumes(schema) if now is None and growth is None]
        if unsized:
            parts[-1] += f" Not sized (no `rows` or `growth`): {', '.join(unsized)}."
    else:
        parts.append(
            "**Volumes.** " + declare(("rows", "growth"), "no table states how many rows it holds or gains") + "."
        )
    parts.append(_index_strategy(schema))
    load = [(p.query.name, facts.rate(p.query.frequency), p.query.target) for p in plans]
    known = [(n, r, t) for n, r, t in load if r]
    if known:
        total_rate = sum(r for _, r, _ in known)
        busiest = max(known, key=lambda x: x[1])
        parts.append(
            f"**Query load.** The declared queries add up to {total_rate:,.0f} per second; the busiest is "
            f"{md.code(busiest[0])} at {busiest[1]:,.1f}/s" + (f" with a {busiest[2]} target." if busiest[2] else ".")
        )
    elif plans:
        parts.append("**Query load.** " + declare("frequency", "no declared query states how often it runs") + ".")
    else:
        parts.append("**Query load.** " + declare("Query", "the schema declares no access patterns") + ".")
    return "\n\n".join(parts)


KIND_WHY = {
    "btree": "B-tree: equality, ranges and sorting; the default for keys, foreign keys and query paths",
    "gin": "GIN: containment in jsonb and arrays, full-text and trigram search",
    "gist": "GiST: ranges, geometry, exclusion constraints",
    "brin": "BRIN: tiny range indexes for huge tables whose rows arrive in column order (time)",
    "hash": "hash: equality only, on one column",
    "spgist": "SP-GiST: partitioned search spaces (prefixes, points)",
    "partial": "partial: index only the rows the queries look at",
    "covering": "covering: INCLUDE columns so the query reads the index only",
}


def _index_strategy(schema: Schema) -> str:
    kinds: dict[str, list[str]] = {}
    keyed = 0
    for table in schema.tables:
        if table.primary_key:
            keyed += 1
        for index in table.indexes:
            if index.pk:
                continue
            label = f"{table.qualified}({', '.join(k.value for k in index.keys)})"
            kind = (index.type or "btree").lower()
            kinds.setdefault(kind, []).append(label)
            if index.where:
                kinds.setdefault("partial", []).append(f"{label} WHERE {index.where}")
            if index.include:
                kinds.setdefault("covering", []).append(f"{label} INCLUDE ({', '.join(index.include)})")
    lines = [f"- {KIND_WHY[k]} — {len(v)}: {', '.join(v)}" for k, v in kinds.items() if k in KIND_WHY]
    if not lines:
        lines = [
            f"- no secondary indexes: {keyed} of {len(schema.tables)} tables have a primary key, "
            "and every other read scans"
        ]
    suggestions = []
    for table in schema.tables:
        for column in table.columns:
            lower = column.type.name.lower()
            indexed = any(column.name in i.columns and (i.type or "").lower() == "gin" for i in table.indexes)
            if (lower in ("jsonb", "json") or column.type.dims) and not indexed:
                suggestions.append(
                    f"- {table.qualified}.{column.name} ({column.type.text}) has no GIN index: add one only if "
                    "queries search inside it."
                )
    text = "**Index strategy by kind**\n\n" + "\n".join(lines)
    if suggestions:
        text += "\n\n" + "\n".join(suggestions)
    return text


# ---------------------------------------------------------------- scalability


def scalability(schema: Schema, plans: list[QueryReport], script: PhysicalScript | None) -> str:
    if not schema.tables:
        return "The schema has no tables."
    parts = [_replicas(schema, plans), _partitioning(schema, script), _sharding(schema)]
    return "\n\n".join(p for p in parts if p)


def _replicas(schema: Schema, plans: list[QueryReport]) -> str:
    reads = sum(facts.rate(p.query.frequency) or 0 for p in plans if p.tables)
    replicas = facts.setting(None, schema, "replicas")
    capacity_text = facts.setting(None, schema, "capacity")
    capacity = facts.rate(capacity_text)
    peak = facts.setting(None, schema, "peak_load")
    text = f"**Read replicas.** The project plans {replicas}." if replicas else "**Read replicas.** None planned."
    if reads and capacity:
        needed = math.ceil(reads / capacity)
        text += (
            f" The declared read queries add up to {reads:,.0f}/s and one node serves {capacity_text} "
            f"(`capacity`): {needed} node{'s' if needed != 1 else ''} for reads"
            + (", so the primary alone can serve them." if needed <= 1 else ", so route reads to replicas.")
        )
    elif reads:
        text += (
            f" The declared read queries add up to {reads:,.0f}/s; "
            + declare("capacity", "how many a node serves is not stated", "capacity: '3000 queries/s'")
            + " to size the replicas."
        )
    if peak:
        text += f"\n\n**Peak load.** {peak}" + (f" (about {facts.rate(peak):,.0f}/s)." if facts.rate(peak) else ".")
        if capacity:
            ratio = (facts.rate(peak) or 0) / capacity
            text += f" That is {ratio:.2g} times what one node serves (`capacity`)."
    return text


def _partitioning(schema: Schema, script: PhysicalScript | None) -> str:
    rows = []
    for table, now, growth, _ in volumes(schema):
        spec = part.spec_of(table)
        plan = _value(table, "partition_by") or _value(table, "partitioning")
        big = (now or 0) >= PARTITION_ROWS or (growth or 0) >= PARTITION_GROWTH
        if spec is not None:
            problems = part.problems(table, schema)
            if problems:
                rows.append([table.qualified, plan, "not partitioned: " + "; ".join(p.message for p in problems)])
                continue
            notes = [spec.describe()]
            if spec.period:
                per = part.partitions_ahead(table, schema)
                notes.append(f"partitions made for the current {spec.period} and the next {per}")
                if growth:
                    notes.append(f"about {facts.human(growth * _period_months(spec.period))} rows each")
            if spec.method in ("range", "list"):
                notes.append(f"other rows go to {table.name}_default")
            rows.append([table.qualified, plan, "; ".join(notes)])
        elif plan:
            rows.append([table.qualified, plan, "as stated (no `partition_by`: the SQL does not partition it)"])
        elif big:
            rows.append(
                [
                    table.qualified,
                    "not partitioned",
                    f"over dbdsl's rule of thumb ({facts.human(PARTITION_ROWS)} rows or "
                    f"{facts.human(PARTITION_GROWTH)}/month): partition by its time or tenant column",
                ]
            )
    if not rows:
        sized = any(now is not None or growth is not None for _, now, growth, _ in volumes(schema))
        if not sized:
            return "**Partitioning.** No table sets `partition_by`, and none states `rows` or `growth` to judge by."
        return (
            f"**Partitioning.** No table sets `partition_by`, and none reaches dbdsl's rule of thumb for it "
            f"({facts.human(PARTITION_ROWS)} rows or {facts.human(PARTITION_GROWTH)} rows a month)."
        )
    text = "**Partitioning**\n\n" + md.table(["table", "partitioning", "notes"], rows)
    section = script.section("partitions of each period") if script is not None else None
    if section is not None:
        text += (
            "\n\nThe schema creates each partitioned table with its DEFAULT partition (and its list or hash "
            "partitions); `dbdsl sql --with partitions` adds the function that makes the partitions of each "
            "period, runs it once, and can run it again at any time (`--with schedule` runs it daily at "
            f"{_cron_time(SCHEDULES['partitions'])}). Rows that reached the DEFAULT partition move into the "
            "partition made for their period:\n\n" + quote(section.statements)
        )
    return text


def _period_months(period: str) -> float:
    return {"day": 1 / 30, "month": 1, "year": 12}[period]


def _cron_time(schedule: str) -> str:
    minute, hour, *_ = schedule.split()
    return f"{int(hour):02d}:{int(minute):02d}"


def _sharding(schema: Schema) -> str:
    stated = facts.setting(None, schema, "sharding")
    tenant = facts.setting(None, schema, "tenant_key")
    counts: dict[str, int] = {}
    for table in schema.tables:
        for column in table.columns:
            if column.name.endswith("_id"):
                counts[column.name] = counts.get(column.name, 0) + 1
    text = f"**Sharding.** The project says: {stated}." if stated else "**Sharding.** Not planned in the project."
    if tenant:
        n = sum(1 for t in schema.tables if t.column(tenant) is not None)
        text += (
            f" The tenant key `{tenant}` (Project `tenant_key`) is in {n} of {len(schema.tables)} tables: it is the "
            "shard key, as it already keeps each tenant's rows together."
        )
        return text
    key, n = max(counts.items(), key=lambda kv: kv[1], default=(None, 0))
    if key and n >= max(3, len(schema.tables) // 3):
        text += (
            f" The column most tables share is `{key}` ({n} of {len(schema.tables)} tables): rows of one "
            f"{key.removesuffix('_id')} would stay together on one shard."
        )
    else:
        text += " No column is shared by most tables, so there is no obvious shard key."
    return text


# ---------------------------------------------------------------- backup and recovery


def backup(schema: Schema) -> str:
    rpo_text, rto_text = facts.setting(None, schema, "rpo"), facts.setting(None, schema, "rto")
    rpo, rto = facts.duration(rpo_text), facts.duration(rto_text)
    how = facts.setting(None, schema, "backup")
    parts = []
    missing = [k for k, v in (("rpo", rpo_text), ("rto", rto_text)) if not v]
    objectives = []
    if rpo_text:
        objectives.append(f"RPO {rpo_text} (data that may be lost)")
    if rto_text:
        objectives.append(f"RTO {rto_text} (time to be back in service)")
    text = "**Objectives.** " + ("; ".join(objectives) + "." if objectives else "")
    if missing:
        text += (
            (" " if objectives else "")
            + declare(
                tuple(missing),
                "the project states no " + " or ".join(f"`{m}`" for m in missing),
                ", ".join(f"{m}: '{'5 minutes' if m == 'rpo' else '1 hour'}'" for m in missing),
            )
            + ": the procedures below cannot be sized without them."
        )
    parts.append(text)
    parts.append(
        f"**How backups are taken.** {how}."
        if how
        else "**How backups are taken.** "
        + declare(
            "backup", "the project does not say", "backup: 'pgBackRest: daily full backups, WAL to object storage'"
        )
        + "."
    )
    steps = []
    if rpo is not None and rpo <= 60:
        steps.append(
            "Stream WAL continuously (a synchronous standby or `pg_receivewal`): an RPO of "
            f"{facts.human_duration(rpo)} is below what file-based archiving guarantees."
        )
    elif rpo is not None:
        steps.append(
            f"Archive WAL continuously with `archive_timeout` at most {facts.human_duration(max(60, rpo / 2))}, "
            f"so a finished WAL segment is never older than the RPO of {facts.human_duration(rpo)}."
        )
    total = size_in_a_year(schema)
    rate_text = facts.setting(None, schema, "restore_rate")
    rate = facts.bytes_per_second(rate_text)
    if total and rate:
        steps.append(
            f"The data is about {facts.human_bytes(total)} in 12 months: at the declared restore rate "
            f"({rate_text}) a restore takes about {facts.human_duration(max(total / rate, 60))}"
            + (
                f", beyond the RTO of {facts.human_duration(rto)}: keep a hot standby to promote."
                if rto is not None and total / rate > rto
                else (f", within the RTO of {facts.human_duration(rto)}." if rto is not None else ".")
            )
        )
    elif total:
        steps.append(
            f"The data is about {facts.human_bytes(total)} in 12 months; "
            + declare("restore_rate", "how fast a restore runs is not stated", "restore_rate: '200 MB/s'")
            + " (measured in a restore test) to check a restore against the RTO."
        )
    if rto is not None:
        steps.append(
            f"Take base backups often enough that replaying the WAL since the last one fits the RTO of "
            f"{facts.human_duration(rto)}"
            + ("; keep a hot standby to promote, as any restore takes longer than that." if rto < 3600 else ".")
        )
    if steps:
        steps.append("Restore the latest backup into a scratch server regularly and time it against the RTO.")
        steps.append("Point-in-time recovery: restore the base backup, set `recovery_target_time`, replay the WAL.")
        parts.append("**Procedures**\n\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)))
    return "\n\n".join(parts)


# ---------------------------------------------------------------- retention


def retention(schema: Schema, script: PhysicalScript | None) -> str:
    items = keep.retentions(schema)
    stated = facts.setting(None, schema, "retention")
    text = f"**Project policy.** {stated}." if stated else "**Project policy.** The project states no retention."
    _, unknown = keep.project_retention(schema)
    if unknown:
        text += f" Not enforced in the database (no table of that name): {', '.join(unknown)}."
    rows = []
    by_table = {i.table.key: i for i in items}
    for table in schema.tables:
        item = by_table.get(table.key)
        archive = _value(table, "archive_after")
        soft = soft_delete_column(table)
        if item is None and not archive and soft is None:
            continue
        how = []
        if soft is not None:
            how.append(f"soft delete: `{soft.name}` marks removed rows; queries filter `{soft.name} IS NULL`")
        if item is not None and item.problem:
            how.append(f"not purged: {item.problem}")
        elif item is not None and item.column is not None:
            if item.partitioned:
                how.append(f"partitions wholly older than {item.interval} are detached and dropped")
            what = "soft-deleted rows" if item.how == "soft delete" else "rows"
            how.append(f"{what} older than {item.interval} by `{item.column.name}` ({item.how}) are deleted in batches")
            blocked = [r.fk_side.qualified for r in keep.kept_by(table, schema)]
            if blocked:
                how.append(f"rows still referenced by {', '.join(blocked)} are kept")
        if archive:
            how.append(f"archive after {archive}: copy the rows (or detach the partitions) before they expire")
        source = "" if item is None else (" (Project)" if item.source == "project" else "")
        rows.append([table.qualified, (item.text + source) if item else "", archive or "", "; ".join(how)])
    if rows:
        text += "\n\n" + md.table(["table", "retention", "archive after", "how"], rows)
    else:
        text += "\n\n" + declare("retention", "no table says how long it keeps its rows", "retention: '90 days'") + "."
    section = script.section("retention") if script is not None else None
    if section is not None:
        text += (
            "\n\n`dbdsl sql --with retention` installs the purge as a procedure that commits after each batch "
            "(so no long transaction holds locks), run by the owner role or a superuser with "
            "`CALL maintenance.purge_expired();` (`--with schedule` runs it daily at "
            f"{_cron_time(SCHEDULES['retention'])}):\n\n" + quote(section.statements)
        )
    return text
