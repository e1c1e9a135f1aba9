"""`dbdsl explain`: each declared `Query` EXPLAINed on a live PostgreSQL database, next to what the
linter says about it; where the HypoPG extension is installed in the database, the indexes the linter
suggests (its fixes) are created as hypothetical indexes one at a time and the query EXPLAINed again,
so the cost before and after is known without building anything.

The query's named parameters (`:customer`) become `$n` of a prepared statement, planned generically
(`plan_cache_mode = force_generic_plan`), so no value is guessed. EXPLAIN ANALYZE runs the query: only
when asked."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp

from ..findings import Finding, apply_edits
from ..migrate.migration import plan_migration
from ..model.schema import Query
from ..workspace import Analysis, Workspace
from .connect import Database, StatementError

STATEMENT = "dbdsl_explain"


@dataclass
class Plan:
    cost: float
    shape: str
    actual_ms: float | None = None


@dataclass
class Hypothetical:
    index: str  # the CREATE INDEX the linter's fix adds
    plan: Plan | None
    error: str | None = None


@dataclass
class Explained:
    query: Query
    verdicts: list[Finding]
    plan: Plan | None = None
    error: str | None = None
    hypothetical: list[Hypothetical] = field(default_factory=list)


def parameterized(sql: str) -> tuple[str, int]:
    """The query with `:name` and `?` placeholders as `$1`, `$2`... and the number of parameters."""
    tree = sqlglot.parse_one(sql, read="postgres")
    names: dict[str, int] = {}

    def number(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder):
            key = node.name or f"?{len(names)}"
            index = names.setdefault(key, len(names) + 1)
            return exp.Parameter(this=exp.Literal.number(index))
        return node

    return tree.transform(number).sql("postgres"), len(names)


def explain_sql(db: Database, sql: str, *, analyze: bool = False) -> Plan:
    """The generic plan of `sql` (StatementError when PostgreSQL refuses it)."""
    text, count = parameterized(sql)
    db.execute(f"PREPARE {STATEMENT} AS {text}")
    try:
        db.execute("SET plan_cache_mode = force_generic_plan")
        args = f"({', '.join(['NULL'] * count)})" if count else ""
        options = "ANALYZE, FORMAT JSON" if analyze else "FORMAT JSON"
        row = db.query(f"EXPLAIN ({options}) EXECUTE {STATEMENT}{args}")[0][0]
    finally:
        db.execute(f"DEALLOCATE {STATEMENT}")
    document = row if isinstance(row, list) else json.loads(row)
    top = document[0]["Plan"]
    return Plan(top["Total Cost"], shape(top), top.get("Actual Total Time") if analyze else None)


def shape(node: dict) -> str:
    """The plan as nested node names: `Sort(Seq Scan on orders)`."""
    name = node["Node Type"]
    if node.get("Index Name"):
        name += f" using {node['Index Name']}"
    if node.get("Relation Name"):
        name += f" on {node['Relation Name']}"
    children = [shape(child) for child in node.get("Plans", [])]
    return f"{name}({', '.join(children)})" if children else name


def verdicts(findings: list[Finding], query: Query) -> list[Finding]:
    """The linter's findings about `query` (those inside its block)."""
    if query.span is None:
        return []
    start, end = query.span.start_offset, query.span.start_offset + (query.span.end - query.span.start)
    return [f for f in findings if f.span.file == query.span.file and start <= f.span.start_offset <= end]


def suggested_indexes(path: str, text: str, analysis: Analysis, finding: Finding) -> list[str]:
    """The CREATE INDEX statements a finding's fix would add: the fix applied to the file, and the
    migration from the file to the fixed file."""
    out: list[str] = []
    for fix in finding.fixes:
        workspace = Workspace()
        workspace.open(path, apply_edits(text, fix.edits))
        fixed = workspace.analyze(path)
        if fixed.errors:
            continue
        migration = plan_migration(analysis.schema, fixed.schema, "postgres")
        for step in migration.up.steps:
            for statement in step.statements:
                sql = statement.sql("postgres")
                if sql.upper().startswith("CREATE") and " INDEX " in sql.upper():
                    out.append(sql.replace(" CONCURRENTLY", ""))
    return out


def hypopg_installed(db: Database) -> bool:
    return bool(db.query("SELECT 1 FROM pg_extension WHERE extname = 'hypopg'"))


def explain_file(db: Database, path: str, *, analyze: bool = False) -> list[Explained]:
    from ..rules import lint
    from ..rules.config import ConfigError, find_config

    analysis = Workspace().analyze(path)
    try:
        config = find_config(path)
    except ConfigError:
        config = None  # `dbdsl check` reports a broken configuration; the defaults here
    findings = lint(analysis, config)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    hypothetical = hypopg_installed(db)
    out = []
    for query in analysis.schema.queries:
        item = Explained(query, verdicts(findings, query))
        out.append(item)
        try:
            item.plan = explain_sql(db, query.sql, analyze=analyze)
        except (StatementError, sqlglot.errors.SqlglotError) as e:
            item.error = str(e).splitlines()[0]
            continue
        if not hypothetical:
            continue
        for finding in item.verdicts:
            for index in suggested_indexes(path, text, analysis, finding):
                try:
                    db.query("SELECT indexrelid FROM hypopg_create_index(%s)", (index,))
                    item.hypothetical.append(Hypothetical(index, explain_sql(db, query.sql)))
                except StatementError as e:
                    item.hypothetical.append(Hypothetical(index, None, str(e)))
                finally:
                    db.execute("SELECT hypopg_reset()")
    return out
