"""The design document of each sample: every section, and content that only this schema could produce."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dbdsl.document import REQUIRED_SECTIONS, render_document
from dbdsl.document.access import path_name, wanted
from dbdsl.findings import Finding, Severity
from dbdsl.rules import lint
from dbdsl.rules.access import query_reports
from dbdsl.workspace import Workspace
from tests.helpers import SAMPLES, run_cli

SAMPLE_PATHS = sorted(SAMPLES.glob("*.dbml"))


def analysis_of(path: Path):
    analysis = Workspace().analyze(str(path))
    assert not analysis.errors
    return analysis


def sections(document: str, level: str = "## ") -> dict[str, str]:
    """Heading -> its text, for headings of one level."""
    parts = re.split(rf"^{level}(.+)$", document, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


@pytest.fixture(scope="module")
def documents() -> dict[str, tuple[object, str]]:
    out = {}
    for path in SAMPLE_PATHS:
        analysis = analysis_of(path)
        out[path.stem] = (analysis, render_document(analysis, svg_path=f"{path.stem}.svg"))
    return out


@pytest.mark.parametrize("name", [p.stem for p in SAMPLE_PATHS])
def test_every_section_is_there_in_order(documents, name: str) -> None:
    _, document = documents[name]
    found = list(sections(document))
    assert found == ["Contents", *REQUIRED_SECTIONS]
    assert all(sections(document)[title].strip() for title in REQUIRED_SECTIONS)


@pytest.mark.parametrize("name", [p.stem for p in SAMPLE_PATHS])
def test_each_table_has_its_sql_columns_indexes_and_relationships(documents, name: str) -> None:
    analysis, document = documents[name]
    tables = sections(sections(document)["Tables"], "### ")
    schema = analysis.schema
    for table in schema.tables:
        text = tables[table.qualified]
        assert re.search(rf'CREATE TABLE "{re.escape(table.name)}" \(', text), table.name
        column_rows = re.findall(r"^\| `([^`]+)` \|", text.split("**Columns**")[1].split("**Index")[0], re.M)
        assert column_rows == [c.name for c in table.columns]
        assert ("**Purpose.** " + (table.note.split()[0] if table.note else "Not documented")) in text
        for ref in schema.refs_of(table):
            other = ref.pk_side if ref.fk_side.table_key == table.key else ref.fk_side
            assert other.qualified in text.split("**Relationships**")[1]


def access_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| table |")]


@pytest.mark.parametrize("name", [p.stem for p in SAMPLE_PATHS])
def test_each_query_states_its_index_requirement(documents, name: str) -> None:
    """As the linter's access analysis has it (the Q rules), one row per table access."""
    analysis, document = documents[name]
    queries = sections(sections(document)["Data access patterns"], "### ")
    schema = analysis.schema
    assert set(queries) == {q.name for q in schema.queries}
    for report in query_reports(schema, "postgres"):  # every sample is a PostgreSQL design
        query = report.query
        text = queries[query.name]
        assert f"frequency {query.frequency}" in text and f"target {query.target}" in text
        assert query.sql.strip().splitlines()[0].strip() in text
        assert report.problem is None and report.accesses
        rows = access_rows(text)
        assert len(rows) == len(report.accesses) + len(
            {t.key for t in report.tables} - {a.table.key for a in report.accesses}
        )
        for a, row in zip(report.accesses, rows):
            assert row.startswith(f"| {a.table.qualified} | {a.describe()}")
            assert f"| {wanted(a)} |" in row
            if a.served_by is not None:
                assert f"| yes: {path_name(a.table, a.served_by)} (" in row
            else:
                assert "add: `CREATE INDEX" in row
    # the document says "no index" exactly where the linter reports Q105 (and Q106 for "partly")
    unserved = sum(1 for text in queries.values() for row in access_rows(text) if "| no; add:" in row)
    partly = sum(1 for text in queries.values() for row in access_rows(text) if "| partly: " in row)
    codes = [f.code for f in lint(analysis)]
    assert (unserved, partly) == (codes.count("Q105"), codes.count("Q106"))


ACCESS = """Project p {
  database_type: 'PostgreSQL'
}

Table orders {
  id int [pk]
  customer_id int [not null]
  placed_at timestamp
  indexes {
    customer_id
  }
}

Query by_customer_and_date {
  '''
  SELECT id FROM orders WHERE customer_id = :c AND placed_at >= :since
  '''
}

Query everything {
  '''
  SELECT count(*) FROM orders
  '''
}

Query broken {
  '''
  SELECT id FROM orders WHERE = 1
  '''
}

Query elsewhere {
  '''
  SELECT id FROM nowhere WHERE id = 1
  '''
}
"""


def test_partial_indexes_full_scans_and_queries_that_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "access.dbml"
    path.write_text(ACCESS, encoding="utf-8")
    document = render_document(analysis_of(path))
    queries = sections(sections(document)["Data access patterns"], "### ")
    assert access_rows(queries["by_customer_and_date"]) == [
        "| orders | equality on customer_id; range on placed_at | (customer_id, placed_at) | partly: "
        "orders_customer_id_idx (customer_id) serves it only in part; add: "
        '`CREATE INDEX "orders_customer_id_placed_at_idx" ON "orders"("customer_id", "placed_at")` |'
    ]
    assert access_rows(queries["everything"]) == ["| orders | no filter | none | full scan: every row is read |"]
    assert "**Index requirement:** cannot be derived: the SQL cannot be parsed: " in queries["broken"]
    assert "**Index requirement:** cannot be derived: unknown table 'nowhere'." in queries["elsewhere"]


def test_flawed_queries_get_the_composite_index_they_need(documents) -> None:
    _, document = documents["flawed"]
    text = sections(sections(document)["Data access patterns"], "### ")["orders_of_customer_by_date"]
    assert 'add: `CREATE INDEX "orders_customer_id_order_date_idx" ON "orders"("customer_id", "order_date")`' in text


def test_sections_are_derived_from_the_schema_not_boilerplate(documents) -> None:
    """Every section reads differently for two different schemas."""
    shop, saas = sections(documents["ecommerce"][1]), sections(documents["saas"][1])
    for title in REQUIRED_SECTIONS:
        if title == "Design findings":
            continue  # see test_without_given_findings_the_linter_runs
        assert shop[title] != saas[title], title


def test_schema_facts_reach_the_operational_sections(documents) -> None:
    shop = sections(documents["ecommerce"][1])
    assert "| orders | 20M | 600k/month | 27.2M |" in shop["Performance"]
    assert "BRIN" in shop["Performance"] and "orders(placed_at)" in shop["Performance"]
    assert "partial" in shop["Performance"] and "status in ('pending', 'paid')" in shop["Performance"]
    assert "RPO 5 minutes" in shop["Backup and recovery"] and "RTO 1 hour" in shop["Backup and recovery"]
    assert "`archive_timeout` at most 2.5 minutes" in shop["Backup and recovery"]
    assert "| carts | 90 days by updated_at |" in shop["Retention and archival"]
    assert "soft delete: `deleted_at`" in shop["Retention and archival"]
    saas = sections(documents["saas"][1])
    assert (
        "| audit_log | range (occurred_at), monthly | range (occurred_at), one partition per month; partitions made "
        "for the current month and the next 3; about 30M rows each; other rows go to audit_log_default |"
    ) in saas["Scalability"]
    assert "The tenant key `organization_id` (Project `tenant_key`) is in 7 of 12 tables" in saas["Scalability"]
    assert 'GRANT SELECT, INSERT ON TABLE "audit_log" TO "saas_app";' in saas["Security"]
    assert "| users | email | personal data |" in saas["Security"]
    migration = sections(saas["Migration strategy"], "### ")
    assert "- create table member_roles (needs roles, memberships)" in migration["Phase 1: core tables"]
    assert 'DROP TABLE "audit_log";' in migration["Phase 1: core tables"]
    assert (
        "| 2 | role_permissions (needs roles, permissions), member_roles (needs roles, memberships), "
        in (saas["Migration strategy"])
    )


def init_files(schema_path: Path, folder: Path) -> dict[str, str]:
    """What `dbdsl migrate init` writes: file name -> text."""
    done = run_cli("migrate", "init", str(schema_path), "--dir", str(folder))
    assert done.returncode == 0, done.stderr
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.sql"))}


def statements(sql_file: str) -> list[str]:
    """The SQL lines of a migration file: no comments, no transaction control."""
    return [
        line
        for line in sql_file.splitlines()
        if line and not line.startswith("--") and line not in ("BEGIN;", "BEGIN TRANSACTION;", "COMMIT;")
    ]


def assert_phases_are_the_init_files(document: str, files: dict[str, str]) -> None:
    """The document's phases are the migrations `dbdsl migrate init` wrote: the same files, the same
    steps in the same order, and the statements of each down file as the rollback."""
    phases = {
        h: t for h, t in sections(sections(document)["Migration strategy"], "### ").items() if h.startswith("Phase")
    }
    stems = [name.removesuffix(".up.sql") for name in files if name.endswith(".up.sql")]
    assert len(phases) == len(stems)
    for (heading, text), stem in zip(phases.items(), stems):
        assert heading.startswith(f"Phase {int(stem[:4])}: ")
        assert f"`{stem}.up.sql`, rolled back by `{stem}.down.sql`" in text
        steps = re.findall(r"^--  \d+\. (.+)$", files[f"{stem}.up.sql"], re.M)
        items = [re.sub(r" \(needs [^)]*\)$", "", line[2:]) for line in text.splitlines() if line.startswith("- ")]
        assert items == steps
        rollback = re.search(r"\*\*Rollback\*\*\n\n```sql\n(.*?)\n```", text, re.S)
        assert rollback is not None and rollback.group(1).splitlines() == statements(files[f"{stem}.down.sql"])


@pytest.mark.parametrize("name", [p.stem for p in SAMPLE_PATHS])
def test_migration_phases_are_what_migrate_init_writes(documents, name: str, tmp_path: Path) -> None:
    files = init_files(SAMPLES / f"{name}.dbml", tmp_path / "migrations")
    assert len(files) == 6  # PostgreSQL: tables, relationships, indexes
    assert_phases_are_the_init_files(documents[name][1], files)


CYCLE = """Project p {
  database_type: 'DATABASE'
}

Table departments {
  id int [pk]
  head_id int [ref: > employees.id]
}

Table employees {
  id int [pk]
  department_id int [ref: > departments.id]
  note text [note: 'free text']
  indexes {
    department_id
  }
}
"""


def test_sqlite_phases_and_a_cycle(tmp_path: Path) -> None:
    path = tmp_path / "cycle.dbml"
    path.write_text(CYCLE.replace("DATABASE", "SQLite"), encoding="utf-8")
    document = render_document(analysis_of(path))
    files = init_files(path, tmp_path / "migrations")
    assert sorted(files) == [
        "0001_tables.down.sql",
        "0001_tables.up.sql",
        "0002_indexes.down.sql",
        "0002_indexes.up.sql",
    ]
    assert_phases_are_the_init_files(document, files)
    text = sections(document)["Migration strategy"]
    assert "what `dbdsl migrate init` writes for SQLite: 2 phases" in text
    assert "SQLite keeps foreign keys in CREATE TABLE: the relationships are part of this phase." in text
    assert "**Cycles.** These foreign keys close a cycle: departments.(head_id) → employees." in text
    assert "PRAGMA defer_foreign_keys = ON" in text
    # the tables are made in the order the levels explain (the generator's order, cycles included)
    assert "- create table departments\n- create table employees (needs departments)\n" in text


def test_postgres_cycle_is_closed_by_the_relationships_phase(tmp_path: Path) -> None:
    path = tmp_path / "cycle.dbml"
    path.write_text(CYCLE.replace("DATABASE", "PostgreSQL"), encoding="utf-8")
    document = render_document(analysis_of(path))
    assert_phases_are_the_init_files(document, init_files(path, tmp_path / "migrations"))
    text = sections(document)["Migration strategy"]
    assert "**Cycles.** These foreign keys close a cycle: departments.(head_id) → employees." in text
    assert "the foreign keys are a phase of their own" in text
    assert "| 0 | departments |\n| 1 | employees (needs departments) |" in text
    assert "- create table departments\n- create table employees (needs departments)\n" in text


def test_engines_without_migrations_get_phases_from_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "cycle.dbml"
    path.write_text(CYCLE.replace("DATABASE", "MySQL"), encoding="utf-8")
    text = sections(render_document(analysis_of(path)))["Migration strategy"]
    assert text.strip().startswith(
        "`dbdsl migrate` writes migrations for PostgreSQL and SQLite only, so there are no `dbdsl migrate init` "
        "files for MySQL."
    )
    assert "`dbdsl sql --dialect mysql` writes the DDL" in text
    phases = sections(text, "### ")
    assert list(phases)[:-1] == [
        "Phase 1: Core tables",
        "Phase 2: Dependent tables, level 1",
        "Phase 3: Foreign keys that close a cycle",
        "Phase 4: Secondary indexes",
        "Phase 5: Extras",
    ]
    assert "- employees (needs departments)" in phases["Phase 2: Dependent tables, level 1"]
    assert "- departments.(head_id) → employees" in phases["Phase 3: Foreign keys that close a cycle"]
    assert "DROP TABLE `employees`;" in phases["Phase 2: Dependent tables, level 1"]
    assert "comments from the notes" in phases["Phase 5: Extras"]


def test_erd_is_embedded_mermaid_with_a_link_to_the_svg(documents) -> None:
    erd = sections(documents["blog"][1])["Entity-relationship diagram"]
    assert erd.lstrip().startswith("```mermaid\nerDiagram\n")
    assert "[blog.svg](blog.svg)" in erd
    without = render_document(documents["blog"][0])
    assert "Graphviz is not installed" in sections(without)["Entity-relationship diagram"]


def test_findings_are_listed_normalization_first(documents) -> None:
    analysis = documents["flawed"][0]
    span = analysis.schema.table("orders").span
    findings = [
        Finding("I201", "index", Severity.WARNING, "foreign key orders.customer_id has no index", span),
        Finding("N101", "normalization", Severity.WARNING, "repeating group phone1, phone2, phone3", span),
    ]
    text = sections(render_document(analysis, findings))["Design findings"]
    assert text.index("### Normalization") < text.index("### Index")
    assert "| N101 | warning |" in text and "repeating group phone1, phone2, phone3" in text
    assert "2 findings (as given)" in text


@pytest.mark.parametrize("name", ["flawed", "blog"])
def test_without_given_findings_the_linter_runs(documents, name: str) -> None:
    from dbdsl.rules import lint

    analysis, document = documents[name]
    text = sections(document)["Design findings"]
    expected = lint(analysis)
    if not expected:
        assert text.strip() == "No design findings (from dbdsl's design rules)."
        return
    plural = "s" if len(expected) != 1 else ""
    assert text.strip().startswith(f"{len(expected)} finding{plural} (from dbdsl's design rules), normalization first.")
    rows = re.findall(r"^\| (\w+) \| (error|warning|info) \| (\d+):(\d+) \|", text, re.M)
    assert sorted(code for code, *_ in rows) == sorted(f.code for f in expected)


def test_progress_reports_each_section(documents) -> None:
    events = []

    class Recorder:
        def begin(self, title, total=None):
            events.append(("begin", title, total))

        def report(self, message=None, done=None):
            events.append(("report", message))

        def end(self, message=None):
            events.append(("end",))

        def cancelled(self):
            return False

    render_document(documents["blog"][0], progress=Recorder())
    assert events[0] == ("begin", "Design document", len(REQUIRED_SECTIONS))
    assert [e[1] for e in events if e[0] == "report"] == list(REQUIRED_SECTIONS)
    assert events[-1] == ("end",)


def test_markdown_survives_pipes_backticks_and_fences(tmp_path: Path) -> None:
    path = tmp_path / "odd.dbml"
    path.write_text(
        "Table t [note: 'a | b ``` c'] {\n  id int [pk, note: 'x | y `z`']\n  \"we|rd\" text\n}\n", encoding="utf-8"
    )
    document = render_document(analysis_of(path))
    table = sections(sections(document)["Tables"], "### ")["t"]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert rows[0].count(" | ") == 5 and "x \\| y `z`" in rows[0]
    assert rows[1].startswith("| `we\\|rd` |")
    fences = re.findall(r"^(`{3,})", document, re.M)
    assert len(fences) % 2 == 0


def test_an_index_serves_a_foreign_key_as_the_linter_says(tmp_path: Path) -> None:
    """Leading columns in any order serve the join (no I201); a partial index does not."""
    path = tmp_path / "fk.dbml"
    path.write_text(
        "Table parents {\n  a int\n  b int\n  indexes {\n    (a, b) [pk]\n  }\n}\n"
        "Table children {\n  id int [pk]\n  pa int\n  pb int\n  indexes {\n"
        "    (pb, pa) [name: 'children_by_parent']\n    pa [name: 'children_some', where: `pb > 0`]\n  }\n}\n"
        "Ref: children.(pa, pb) > parents.(a, b)\n",
        encoding="utf-8",
    )
    analysis = analysis_of(path)
    assert "I201" not in [f.code for f in lint(analysis)]
    table = sections(sections(render_document(analysis))["Tables"], "### ")["children"]
    rows = {line.split(" | ")[0]: line for line in table.splitlines() if line.startswith("| `")}
    assert "joins from parents and its ON DELETE checks" in rows["| `children_by_parent`"]
    assert "joins from" not in rows["| `children_some`"]


def test_every_migration_rule_says_how_to_expand_and_contract(documents) -> None:
    from dbdsl.document.migration import EXPAND_CONTRACT
    from dbdsl.migrate.rules import RULES

    assert set(EXPAND_CONTRACT) == set(RULES)
    after = sections(sections(documents["saas"][1])["Migration strategy"], "### ")["After the first deployment"]
    for code, (expand, contract) in EXPAND_CONTRACT.items():
        assert f"| {code} | {md_cell(expand)} | {md_cell(contract)} |" in after
    assert "**When a migration fails.**" in after and "**Deploy order: expand, then contract.**" in after


def md_cell(text: str) -> str:
    from dbdsl.document.markdown import cell

    return cell(text)


def test_each_table_says_what_the_physical_design_does_with_it(documents) -> None:
    tables = sections(sections(documents["saas"][1])["Tables"], "### ")
    assert (
        "**Physical design.** partitioned: range (occurred_at), one partition per month; row-level security by "
        in (tables["audit_log"])
    )
    assert "kept 7 years by `occurred_at`" in tables["audit_log"]
    assert "audited: every change is recorded in `audit.row_changes`" in tables["memberships"]
    assert "**Physical design.**" not in tables["users"]
