"""Performance, scalability, backup and recovery, retention: sections derived from the row counts,
growth, load, RPO/RTO and retention facts of the schema."""

from __future__ import annotations

import math

from ...model.schema import Schema, Table
from ...rules.access import QueryReport
from . import facts
from . import markdown as md
from .security import soft_delete_column

PARTITION_ROWS = 100e6  # past this, a table is worth partitioning
PARTITION_GROWTH = 10e6  # rows a month
SINGLE_PRIMARY_WRITES = 5000  # writes a second one primary absorbs comfortably
REPLICA_READS = 2000  # reads a second per replica before adding another
INDEX_OVERHEAD = 0.5  # indexes add about half the heap size


def volumes(schema: Schema) -> list[tuple[Table, float | None, float | None, float]]:
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


def performance(schema: Schema, plans: list[QueryReport]) -> str:
    parts = []
    rows = []
    total = 0.0
    for table, now, growth, width in volumes(schema):
        if now is None and growth is None:
            continue
        in_year = (now or 0) + 12 * (growth or 0)
        size = in_year * width * (1 + INDEX_OVERHEAD)
        total += size
        rows.append(
            [
                table.qualified,
                facts.human(now) if now is not None else "?",
                f"{facts.human(growth)}/month" if growth else "",
                facts.human(in_year),
                f"~{width} B",
                facts.human_bytes(size),
            ]
        )
    if rows:
        parts.append(
            "**Volumes** (from the `rows` and `growth` settings; sizes estimate the stored row plus "
            f"{int(INDEX_OVERHEAD * 100)}% for indexes)\n\n"
            + md.table(["table", "rows now", "growth", "rows in 12 months", "row size", "size in 12 months"], rows)
            + f"\n\nEstimated size in 12 months of the tables with volumes: {facts.human_bytes(total)}."
        )
    else:
        parts.append(
            "**Volumes.** No table states `rows` or `growth`: add them (e.g. `[rows: '2M', growth: '40k/month']`) "
            "to size storage, partitioning and backups."
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
    return "\n\n".join(parts)


def _index_strategy(schema: Schema) -> str:
    kinds: dict[str, list[str]] = {}
    for table in schema.tables:
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
    why = {
        "btree": "B-tree: equality, ranges and sorting; the default for keys, foreign keys and query paths",
        "gin": "GIN: containment in jsonb and arrays, full-text and trigram search",
        "gist": "GiST: ranges, geometry, exclusion constraints",
        "brin": "BRIN: tiny range indexes for huge tables whose rows arrive in column order (time)",
        "hash": "hash: equality only, on one column",
        "spgist": "SP-GiST: partitioned search spaces (prefixes, points)",
        "partial": "partial: index only the rows the queries look at",
        "covering": "covering: INCLUDE columns so the query reads the index only",
    }
    lines = [f"- {why[k]} — {len(v)}: {', '.join(v)}" for k, v in kinds.items() if k in why]
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
    text = "**Index strategy by kind**\n\n" + ("\n".join(lines) if lines else "- only primary keys are indexed")
    if suggestions:
        text += "\n\n" + "\n".join(suggestions)
    return text


def scalability(schema: Schema, plans: list[QueryReport]) -> str:
    parts = []
    reads = sum(facts.rate(p.query.frequency) or 0 for p in plans if p.tables)
    replicas = facts.setting(None, schema, "replicas")
    peak = facts.setting(None, schema, "peak_load")
    peak_rate = facts.rate(peak)
    if replicas:
        parts.append(f"**Read replicas.** The project plans {replicas}.")
    else:
        parts.append("**Read replicas.** The project states no `replicas` setting.")
    if reads:
        needed = math.ceil(reads / REPLICA_READS)
        parts[-1] += (
            f" The declared read queries add up to {reads:,.0f}/s; at about {REPLICA_READS:,} reads/s per node "
            f"that is {needed} node{'s' if needed != 1 else ''} for reads"
            + (", so the primary alone can serve them" if needed <= 1 else ", so route reads to replicas")
            + "."
        )
    if peak:
        parts.append(
            f"**Peak load.** {peak}"
            + (f" (about {peak_rate:,.0f}/s)" if peak_rate else "")
            + (
                f": if most of it writes, one primary (about {SINGLE_PRIMARY_WRITES:,} writes/s) becomes the limit."
                if peak_rate and peak_rate > SINGLE_PRIMARY_WRITES
                else f": even if every request wrote, one primary (about {SINGLE_PRIMARY_WRITES:,} writes/s) takes it."
                if peak_rate
                else "."
            )
        )
    rows = []
    for table, now, growth, _ in volumes(schema):
        plan = _value(table, "partition_by") or _value(table, "partitioning")
        big = (now or 0) >= PARTITION_ROWS or (growth or 0) >= PARTITION_GROWTH
        if plan:
            per = f"{facts.human(growth)} rows per monthly partition" if growth and "month" in plan.lower() else ""
            rows.append([table.qualified, plan, per or "as stated"])
        elif big:
            rows.append(
                [
                    table.qualified,
                    "not partitioned",
                    f"over {facts.human(PARTITION_ROWS)} rows or "
                    f"{facts.human(PARTITION_GROWTH)}/month: partition by its time or tenant column",
                ]
            )
    if rows:
        parts.append("**Partitioning**\n\n" + md.table(["table", "partitioning", "notes"], rows))
    else:
        parts.append(
            f"**Partitioning.** No table reaches {facts.human(PARTITION_ROWS)} rows or "
            f"{facts.human(PARTITION_GROWTH)} rows a month, and none sets `partition_by`: no partitioning needed."
        )
    parts.append(_sharding(schema))
    return "\n\n".join(parts)


def _sharding(schema: Schema) -> str:
    stated = facts.setting(None, schema, "sharding")
    counts: dict[str, int] = {}
    for table in schema.tables:
        for column in table.columns:
            if column.name.endswith("_id"):
                counts[column.name] = counts.get(column.name, 0) + 1
    key, n = max(counts.items(), key=lambda kv: kv[1], default=(None, 0))
    text = f"**Sharding.** The project says: {stated}." if stated else "**Sharding.** Not planned in the project."
    if key and n >= max(3, len(schema.tables) // 3):
        text += (
            f" The natural shard key is `{key}`, present in {n} of {len(schema.tables)} tables: rows of one "
            f"{key.removesuffix('_id')} stay together. Shard only when one primary cannot take the write load "
            f"(above about {SINGLE_PRIMARY_WRITES:,} writes/s) or the data outgrows one server."
        )
    else:
        text += " No column is shared by most tables, so there is no obvious shard key; scale up and out with replicas."
    return text


def backup(schema: Schema, total_bytes: float) -> str:
    rpo_text, rto_text = facts.setting(None, schema, "rpo"), facts.setting(None, schema, "rto")
    rpo, rto = facts.duration(rpo_text), facts.duration(rto_text)
    parts = []
    if rpo_text or rto_text:
        parts.append(
            f"**Objectives.** RPO {rpo_text or 'not stated'} (data that may be lost), RTO {rto_text or 'not stated'} "
            "(time to be back in service)."
        )
    else:
        parts.append(
            "**Objectives.** The project states no `rpo` or `rto`: the procedures below assume an RPO of 1 hour "
            "and an RTO of 4 hours; state yours in the Project settings."
        )
        rpo, rto = 3600.0, 4 * 3600.0
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
    if total_bytes:
        hours = total_bytes / 200e6 / 3600  # a restore copies about 200 MB/s
        steps.append(
            f"The data is about {facts.human_bytes(total_bytes)} in 12 months: a restore copies it in about "
            f"{facts.human_duration(max(hours * 3600, 60))} at 200 MB/s."
        )
    if rto is not None:
        every = "daily" if rto >= 4 * 3600 else "every 6 hours"
        steps.append(
            f"Take base backups {every} so replaying the WAL since the last one fits the RTO of "
            f"{facts.human_duration(rto)}"
            + ("; keep a hot standby to promote, as a restore alone is too slow for it." if rto < 3600 else ".")
        )
    steps.append("Restore the latest backup into a scratch server every month and time it against the RTO.")
    steps.append("Point-in-time recovery: restore the base backup, set `recovery_target_time`, replay the WAL.")
    parts.append("**Procedures**\n\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)))
    return "\n\n".join(parts)


def retention(schema: Schema) -> str:
    rows = []
    for table in schema.tables:
        keep = _value(table, "retention")
        archive = _value(table, "archive_after")
        soft = soft_delete_column(table)
        partition = _value(table, "partition_by")
        if not (keep or archive or soft):
            continue
        how = []
        if soft is not None:
            how.append(f"soft delete: `{soft.name}` marks removed rows; queries filter `{soft.name} IS NULL`")
        if keep:
            if partition:
                how.append(f"drop partitions older than {keep}")
            else:
                clock = _clock_column(table)
                how.append(
                    f"delete rows older than {keep} in batches"
                    + (f" by `{clock}`" if clock else " (no timestamp column to age rows by: add one)")
                )
        if archive:
            how.append(f"move rows to archive storage after {archive}")
        rows.append([table.qualified, keep or "", archive or "", "; ".join(how)])
    stated = facts.setting(None, schema, "retention")
    text = f"**Project policy.** {stated}." if stated else "**Project policy.** The project states no retention."
    if rows:
        text += "\n\n" + md.table(["table", "retention", "archive after", "how"], rows)
    else:
        text += "\n\nNo table has a `retention`, `archive_after` or soft-delete column: rows are kept forever."
    return text


def _clock_column(table: Table) -> str | None:
    for column in table.columns:
        if column.type.name.lower() in ("timestamp", "timestamptz", "datetime", "date") and column.name.endswith(
            ("created_at", "occurred_at", "_at", "_date")
        ):
            return column.name
    return None
