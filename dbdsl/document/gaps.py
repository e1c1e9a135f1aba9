"""What the schema does not say: the facts a section needed and did not find, each with how to
declare it. Sections say it where they stop short; the overview lists every gap in one place."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.schema import Schema
from ..physical import retention

EXAMPLES = {
    "rows": "[rows: '2M', growth: '40k/month']",
    "frequency": "Query name [frequency: '100/s', target: '10ms']",
    "Query": "Query name [frequency: '100/s', target: '10ms'] { '''SELECT ...''' }",
    "note": "Note: 'what one row is'",
}


def declare(fact: str | tuple[str, ...], why: str, example: str | None = None) -> str:
    """`Missing fact: <why>; declare `fact` (e.g. ...)` as one sentence without its full stop."""
    names = (fact,) if isinstance(fact, str) else fact
    sample = example or EXAMPLES.get(names[0])
    listed = " and ".join(f"`{n}`" for n in names)
    return f"_Missing fact:_ {why}; declare {listed}" + (f" (e.g. `{sample}`)" if sample else "")


@dataclass(frozen=True)
class Gap:
    fact: str
    where: str
    how: str


def gaps(schema: Schema) -> list[Gap]:
    """Every fact the document would use and the schema does not state."""
    out: list[Gap] = []
    project = schema.project

    def stated(key: str) -> bool:
        return project is not None and project.setting(key) is not None

    undocumented = [t.qualified for t in schema.tables if not t.note]
    if undocumented:
        out.append(Gap("note", "tables without a purpose: " + ", ".join(undocumented), EXAMPLES["note"]))
    if schema.tables and not any(t.setting("rows") or t.setting("growth") for t in schema.tables):
        out.append(Gap("rows, growth", "no table is sized (Performance, Backup)", EXAMPLES["rows"]))
    if schema.tables and not schema.queries:
        out.append(Gap("Query", "no access patterns (Data access patterns)", EXAMPLES["Query"]))
    for key, example, section in (
        ("rpo", "rpo: '5 minutes'", "Backup and recovery"),
        ("rto", "rto: '1 hour'", "Backup and recovery"),
        ("backup", "backup: 'pgBackRest: daily full backups, WAL to object storage'", "Backup and recovery"),
    ):
        if not stated(key):
            out.append(Gap(key, f"Project ({section})", example))
    if schema.queries and not stated("capacity"):
        out.append(Gap("capacity", "Project: what one node serves (Scalability)", "capacity: '3000 queries/s'"))
    if schema.tables and not retention.retentions(schema) and not stated("retention"):
        out.append(Gap("retention", "no table says how long it keeps rows (Retention)", "retention: '90 days'"))
    return out
