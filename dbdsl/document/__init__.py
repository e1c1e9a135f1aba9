"""The database design document (Markdown), derived from one schema, its settings, its Query blocks
and the design findings.

    render_document(analysis, findings=None, *, svg_path=None, progress=None) -> str

Sections: overview, ERD (Mermaid, plus a link to `svg_path` when given), tables (purpose, SQL,
columns, indexes with what they serve, relationships), migration strategy, data access patterns,
performance, scalability, backup and recovery, retention and archival, security (GRANT script, PII,
audit), design findings. `findings=None` runs the linter (`dbdsl.rules.lint`, with the project's
configuration).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from ..dialects import DEFAULT_DIALECT, project_dialect, sqlglot_dialect
from ..emit.erd import to_mermaid
from ..emit.erd.graph import by_table, links
from ..emit.sql import create_index, generate
from ..emit.sql_names import physical
from ..emit.sql_types import engine_name
from ..findings import Finding
from ..model import facts
from ..model.schema import Table
from ..physical import audit, partitions
from ..physical.retention import retentions
from ..physical.script import PARTS, PhysicalScript, physical_script
from ..physical.security import tenant_tables
from ..progress import Progress, steps
from ..rules import lint
from ..rules.access import Access, QueryReport, query_reports
from ..workspace import Analysis
from . import markdown as md
from . import migration, operations, security
from .access import described, path_name, suggested_indexes, wanted
from .gaps import gaps
from .tables import statements_by_table, table_section

__all__ = ["REQUIRED_SECTIONS", "document_dialect", "render_document"]

REQUIRED_SECTIONS = (
    "Overview",
    "Entity-relationship diagram",
    "Tables",
    "Migration strategy",
    "Data access patterns",
    "Performance",
    "Scalability",
    "Backup and recovery",
    "Retention and archival",
    "Security",
    "Design findings",
)


def document_dialect(analysis: Analysis) -> str:
    """Our dialect for the Project's database_type, PostgreSQL when it names none we write."""
    return project_dialect(analysis.schema) or DEFAULT_DIALECT


def render_document(
    analysis: Analysis,
    findings: list[Finding] | None = None,
    *,
    svg_path: str | None = None,
    progress: Progress | None = None,
) -> str:
    """The design document. `svg_path`: where the Graphviz ERD was written, linked relative to the
    document's folder when given as a path relative to it."""
    doc = _Document(analysis, findings, svg_path)
    sections: list[tuple[str, Callable[[], str]]] = [
        ("Overview", doc.overview),
        ("Entity-relationship diagram", doc.erd),
        ("Tables", doc.tables),
        ("Migration strategy", doc.migration),
        ("Data access patterns", doc.access),
        ("Performance", doc.performance),
        ("Scalability", doc.scalability),
        ("Backup and recovery", doc.backup),
        ("Retention and archival", doc.retention),
        ("Security", doc.security),
        ("Design findings", doc.findings_section),
    ]
    out = [f"# {doc.title}"]
    out.append("## Contents\n\n" + "\n".join(f"- [{t}](#{md.anchor(t)})" for t, _ in sections))
    for title, make in steps(progress, "Design document", sections, lambda s: s[0]):
        out.append(f"## {title}\n\n{make()}")
    return "\n\n".join(out).rstrip() + "\n"


class _Document:
    def __init__(self, analysis: Analysis, findings: list[Finding] | None, svg_path: str | None) -> None:
        self.analysis = analysis
        self.schema = analysis.schema
        self.dialect = document_dialect(analysis)
        self.target = sqlglot_dialect(self.dialect)
        self.script = generate(self.schema, self.dialect, records=False)
        # the physical design is PostgreSQL's; the document quotes it whatever the engine
        postgres = self.script if self.target == "postgres" else None
        self.physical: PhysicalScript = physical_script(self.schema, PARTS, records=False, base=postgres)
        self.tenant_tables = {t.table.key: t for t in tenant_tables(self.schema)}
        self.retentions = {r.table.key: r for r in retentions(self.schema)}
        self.links = links(self.schema)
        self.links_by_table = by_table(self.links)
        self.plans: list[QueryReport] = query_reports(self.schema, self.dialect)
        self.svg_path = svg_path
        self.given_findings = findings
        project = self.schema.project
        name = project.name if project and project.name else os.path.splitext(os.path.basename(analysis.path))[0]
        self.title = f"{name}: database design"

    # ------------------------------------------------------------ sections

    def overview(self) -> str:
        s = self.schema
        parts = []
        if s.project is not None and s.project.note:
            parts.append("\n".join("> " + line for line in md.plain(s.project.note).splitlines()))
        counts: list[list[object]] = [
            ["engine", engine_name(self.target) + ("" if s.database_type else " (no database_type stated)")],
            ["tables", len(s.tables)],
            ["relationships", len(s.refs)],
            ["enums", len(s.enums)],
            ["declared queries", len(s.queries)],
            ["table groups", ", ".join(g.name for g in s.groups) or "none"],
        ]
        parts.append(md.table(["", ""], counts))
        facts_ = [f"{x.key}: {x.value}" for x in (s.project.settings if s.project else ()) if x.key != "note"]
        if facts_:
            parts.append("**Design facts.** " + "; ".join(facts_) + ".")
        found = gaps(s)
        if found:
            rows = [[f"`{g.fact}`", g.where, md.code(g.how)] for g in found]
            parts.append(
                "**What the schema does not say** (each section that needs one of these facts says so):\n\n"
                + md.table(["fact", "missing for", "declare it like"], rows)
            )
        if self.script.warnings:
            parts.append(
                f"**What {engine_name(self.target)} cannot express** (from the SQL generator):\n\n"
                + "\n".join(f"- {md.cell(w)}" for w in self.script.warnings)
            )
        return "\n\n".join(parts)

    def erd(self) -> str:
        parts = [md.block(to_mermaid(self.schema), "mermaid")]
        if self.svg_path:
            parts.append(f"The full diagram with every column, drawn by Graphviz: [{self.svg_path}]({self.svg_path})")
        else:
            parts.append("_No Graphviz diagram was written beside this document (Graphviz is not installed)._")
        return "\n\n".join(parts)

    def tables(self) -> str:
        statements, _ = statements_by_table(self.script, self.schema)
        sections = []
        volumes = {t.key: (now, growth) for t, now, growth, _ in operations.volumes(self.schema)}
        if self.script.statements and self.schema.enums and self.target == "postgres":
            enums = [
                s.sql(dialect=self.target, pretty=True) + ";"
                for s in self.script.statements
                if s.args.get("kind") == "TYPE"
            ]
            sections.append("### Types\n\n" + md.block("\n\n".join(enums), "sql"))
        for table in self.schema.tables:
            db, name = physical(table.schema, table.name, self.target)
            now, growth = volumes.get(table.key, (None, None))
            volume = None
            if now is not None:
                volume = f"{facts.human(now)} rows" + (f", growing {facts.human(growth)}/month" if growth else "")
            sections.append(
                table_section(
                    table,
                    self.schema,
                    statements.get((db, name), []),
                    self.dialect,
                    self.links_by_table.get(table.key, []),
                    self.plans,
                    volume,
                    self._physical_notes(table),
                )
            )
        return "\n\n".join(sections) if sections else "The schema has no tables."

    def _physical_notes(self, table: Table) -> list[str]:
        """What the physical design does with one table (the Scalability, Retention and Security
        sections say how)."""
        notes = []
        spec = partitions.spec_of(table)
        if spec is not None:
            problems = partitions.problems(table, self.schema)
            notes.append(
                f"partitioned: {spec.describe()}"
                if not problems
                else "not partitioned: " + "; ".join(p.message for p in problems)
            )
        if table.key in self.tenant_tables:
            notes.append(f"row-level security by `{self.tenant_tables[table.key].column.name}`")
        if table.setting("audited") is not None:
            where, name = audit.audit_table_key(self.schema)
            notes.append(f"audited: every change is recorded in `{where}.{name}`")
        item = self.retentions.get(table.key)
        if item is not None:
            column = item.column
            kept = f"kept {item.interval} by `{column.name}`" if item.problem is None and column is not None else None
            notes.append(kept or f"retention {item.text}: not purged")
        return notes

    def migration(self) -> str:
        return migration.section(self.schema, self.dialect)

    def access(self) -> str:
        if not self.plans:
            return (
                "The schema declares no `Query` blocks, so no access pattern can be checked against the indexes. "
                "Declare the important ones: `Query name [frequency: '100/s', target: '10ms'] { '''SELECT ...''' }`."
            )
        out = []
        for plan in self.plans:
            q = plan.query
            head = f"### {q.name}\n\n"
            meta = [f"frequency {q.frequency}" if q.frequency else "frequency not stated"]
            meta.append(f"target {q.target}" if q.target else "no latency target")
            rate = facts.rate(q.frequency)
            if rate:
                meta.append(f"≈ {rate:,.1f} per second")
            text = head + "**" + "; ".join(meta) + ".**"
            if q.note:
                text += "\n\n" + md.plain(q.note)
            text += "\n\n" + md.block(q.sql.strip("\n"), "sql")
            if plan.problem:
                text += f"\n\n**Index requirement:** cannot be derived: {plan.problem}."
                out.append(text)
                continue
            rows = [self._access_row(a) for a in plan.accesses]
            reached = {a.table.key for a in plan.accesses}
            for table in plan.tables:
                if table.key not in reached:
                    rows.append([table.qualified, "no filter", "none", "full scan: every row is read"])
            text += "\n\n**Index requirement**\n\n" + md.table(["table", "access", "index needed", "exists"], rows)
            out.append(text)
        return "\n\n".join(out)

    def _access_row(self, a: Access) -> list[str]:
        """One table access of a query: how it is reached, the index it needs, and whether one exists."""
        if a.served_by is not None:
            verdict = f"yes: {path_name(a.table, a.served_by)} ({', '.join(a.served_by.columns)})"
        else:
            verdict = "no"
            if a.partly_by is not None:
                name = path_name(a.table, a.partly_by)
                verdict = f"partly: {name} ({', '.join(a.partly_by.columns)}) serves it only in part"
            for index in suggested_indexes(a):
                made = create_index(index, a.table, self.dialect, schema=self.schema)
                if made is not None:
                    verdict += "; add: " + md.code(made.sql(dialect=self.target))
        return [a.table.qualified, described(a), wanted(a), verdict]

    def performance(self) -> str:
        return operations.performance(self.schema, self.plans)

    def scalability(self) -> str:
        return operations.scalability(self.schema, self.plans, self.physical)

    def backup(self) -> str:
        return operations.backup(self.schema)

    def retention(self) -> str:
        return operations.retention(self.schema, self.physical)

    def security(self) -> str:
        return security.section(self.schema, self.target, self.physical)

    def findings_section(self) -> str:
        found, source = self._findings()
        if not found:
            return f"No design findings ({source})."
        order = ["normalization", "constraint", "index", "type", "query", "naming", "migration", "semantic", "syntax"]
        by_category: dict[str, list[Finding]] = {}
        for f in found:
            by_category.setdefault(f.category, []).append(f)
        parts = [f"{len(found)} finding{'s' if len(found) != 1 else ''} ({source}), normalization first."]
        for category in sorted(by_category, key=lambda c: order.index(c) if c in order else len(order)):
            rows = []
            for f in by_category[category]:
                line, col = f.span.start_pos if f.span is not None else (0, 0)
                rows.append([f.code, f.severity.value, f"{line + 1}:{col + 1}", f.message])
            parts.append(f"### {category.capitalize()}\n\n" + md.table(["code", "severity", "line", "finding"], rows))
        return "\n\n".join(parts)

    def _findings(self) -> tuple[list[Finding], str]:
        if self.given_findings is not None:
            return list(self.given_findings), "as given"
        return lint(self.analysis, None), "from dbdsl's design rules"
