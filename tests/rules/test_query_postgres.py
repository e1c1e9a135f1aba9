"""Proof on a real PostgreSQL that the indexes the linter suggests serve the queries: the schema is
created, tens of thousands of rows are loaded and analysed, and EXPLAIN shows a sequential scan of the
table before the suggested index exists and an index or bitmap scan after."""

from __future__ import annotations

import pytest
from sqlglot import exp

from dbdsl.rules import LintConfig

from .ddl import create_index, create_table
from .explain import bind, explain
from .helpers import analyze, run

pytestmark = pytest.mark.postgres

SCHEMA = """Project shop {
  database_type: 'PostgreSQL'
}

Table customers {
  id int [pk]
  email varchar(320) [not null]
  name varchar(200) [not null]
  city varchar(80) [not null]
}

Table orders {
  id int [pk]
  customer_id int [not null]
  status varchar(20) [not null]
  placed_at timestamptz [not null]
  total decimal(12,2) [not null]
}

Query orders_of_customer_since [frequency: '500/min'] {
  '''
  SELECT o.id, o.total
  FROM orders o
  WHERE o.customer_id = :customer AND o.placed_at >= :since
  ORDER BY o.placed_at DESC
  '''
}

Query customers_in_city [frequency: '50/min'] {
  '''
  SELECT c.id, c.name FROM customers c WHERE c.city = :city
  '''
}

Query customer_by_email [frequency: '300/min'] {
  '''
  SELECT id FROM customers WHERE lower(email) = lower(:email)
  '''
}

Query orders_of_email [frequency: '100/min'] {
  '''
  SELECT o.id, o.status
  FROM customers c
  JOIN orders o ON o.customer_id = c.id
  WHERE c.id = :customer_id
  '''
}

Query latest_orders [frequency: '20/min'] {
  '''
  SELECT id, total FROM orders ORDER BY placed_at DESC LIMIT 10
  '''
}

Query search_customers [frequency: '10/min'] {
  '''
  SELECT id, name FROM customers WHERE name ILIKE '%' || :q || '%'
  '''
}
"""

# static data-loading statements (no values are spliced into them)
LOAD = [
    "INSERT INTO customers (id, email, name, city) "
    "SELECT g, 'User' || g || '@example.org', 'customer ' || md5(g::text), 'city' || (g % 500) "
    "FROM generate_series(1, 30000) AS g",
    "INSERT INTO orders (id, customer_id, status, placed_at, total) "
    "SELECT g, (g * 7919) % 30000 + 1, (ARRAY['open', 'paid', 'shipped'])[g % 3 + 1], "
    "timestamptz '2024-01-01' + g * interval '7 minutes', (g % 1000) / 10.0 "
    "FROM generate_series(1, 90000) AS g",
]
PARAMS = {
    "customer": exp.Literal.number(123),
    "customer_id": exp.Literal.number(123),
    "since": exp.Cast(this=exp.Literal.string("2024-03-01"), to=exp.DataType.build("timestamptz")),
    "city": exp.Literal.string("city42"),
    "email": exp.Literal.string("User777@example.org"),
    "q": exp.Literal.string("3f2a"),
}
SCANS = {"Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan"}


def plan_nodes(conn, sql: str) -> list[tuple[str, str | None]]:
    return [(n.kind, n.relation) for n in explain(conn, sql).nodes]


def runnable(query_sql: str) -> str:
    return bind(query_sql, PARAMS)


def test_suggested_indexes_turn_sequential_scans_into_index_scans(postgres, pg_database) -> None:
    analysis = analyze(SCHEMA)
    schema = analysis.schema
    config = LintConfig(select=("Q105", "Q106", "I106"))
    findings = {f.message: f for f in run(SCHEMA, config)}
    with postgres.connect(pg_database) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table in schema.tables:
            conn.execute(create_table(table).sql(dialect="postgres"))
        for statement in LOAD:
            conn.execute(statement)
        conn.execute("ANALYZE")
        proven = []
        for query in schema.queries:
            mine = [f for f in findings.values() if _belongs(f, query)]
            assert len(mine) == 1, (query.name, [f.message for f in mine])
            finding = mine[0]
            sql = runnable(query.sql)
            before = plan_nodes(conn, sql)
            fixed_text = _apply(SCHEMA, finding)
            fixed = analyze(fixed_text).schema
            new_indexes = [(t, i) for t in fixed.tables for i in t.indexes if i not in schema.table(t.key).indexes]
            assert len(new_indexes) == 1, new_indexes
            table, index = new_indexes[0]
            assert ("Seq Scan", table.name) in before, (query.name, before)
            conn.execute(create_index(table, index, f"suggested_{query.name}").sql(dialect="postgres"))
            conn.execute("ANALYZE")
            after = plan_nodes(conn, sql)
            assert ("Seq Scan", table.name) not in after, (query.name, after)
            used = {kind for kind, rel in after if rel == table.name or kind == "Bitmap Index Scan"}
            assert used & SCANS, (query.name, after)
            drop = exp.Drop(tables=[exp.Table(this=exp.to_identifier(f"suggested_{query.name}"))], kind="INDEX")
            conn.execute(drop.sql(dialect="postgres"))
            proven.append((query.name, finding.code, before, after))
    assert len(proven) == 6
    for name, code, before, after in proven:
        print(f"{name} ({code}): {_scan(before)} -> {_scan(after)}")


def _scan(nodes) -> str:
    return ", ".join(f"{kind} on {rel}" if rel else kind for kind, rel in nodes if "Scan" in kind)


def _belongs(finding, query) -> bool:
    span = finding.span
    return query.span.start_offset <= span.start_offset < query.span.end_offset


def _apply(text: str, finding) -> str:
    from dbdsl.findings import apply_edits

    assert finding.fixes, finding.message
    return apply_edits(text, finding.fixes[0].edits)
