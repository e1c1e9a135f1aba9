"""Proof on a real PostgreSQL that every index the advisor suggests serves its query, for each shape a
DBA meets: joins (the inner side leads with the join key), several joins, correlated EXISTS, OR across
columns, mixed sort directions, top-N, IN lists, expression keys, LIKE 'prefix%', partial indexes for
IS NULL and boolean flags, a top-N of groups and a covering index.

The schema is created from `generate` (what `dbdsl sql` writes) and loaded with generated rows. For each
query the rule's fix is applied to the schema text, the indexes it adds are created from the SQL of the
fixed schema, and EXPLAIN must show the query using them (and no sort where the index gives the order)
at a lower cost than before; the fixed schema must then lint clean for that query."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlglot import exp

from dbdsl.emit.sql import generate
from dbdsl.findings import apply_edits
from dbdsl.rules import LintConfig

from .explain import Plan, bind, explain
from .helpers import analyze, run

pytestmark = pytest.mark.postgres

SCHEMA = """Project billing {
  database_type: 'PostgreSQL'
}

Table customers {
  id int [pk]
  email varchar(320) [not null]
  name text [not null]
  country char(2) [not null]
  active boolean [not null]
  deleted_at timestamptz
}

Table invoices {
  id int [pk]
  customer_id int [not null, ref: > customers.id]
  issued_at timestamptz [not null]
  total decimal(12,2) [not null]

  indexes {
    customer_id
  }
}

Table payments {
  id int [pk]
  invoice_id int [not null, ref: > invoices.id]
  status varchar(20) [not null]
  amount decimal(12,2) [not null]
  created_at timestamptz [not null]
  paid_at timestamptz
}
"""

# static data-loading statements (no values are spliced into them)
LOAD = [
    "INSERT INTO customers (id, email, name, country, active, deleted_at) "
    "SELECT g, 'user' || g || '@example.org', 'customer ' || md5(g::text), "
    "chr(65 + g % 26) || chr(65 + (g / 26) % 26), g % 10 <> 0, "
    "CASE WHEN g % 20 = 0 THEN timestamptz '2024-06-01' END "
    "FROM generate_series(1, 20000) AS g",
    "INSERT INTO invoices (id, customer_id, issued_at, total) "
    "SELECT g, (g * 7919) % 20000 + 1, timestamptz '2023-01-01' + g * interval '9 minutes', (g % 1000) / 10.0 "
    "FROM generate_series(1, 60000) AS g",
    "INSERT INTO payments (id, invoice_id, status, amount, created_at, paid_at) "
    "SELECT g, (g::bigint * 104729) % 60000 + 1, "
    "CASE g % 100 WHEN 0 THEN 'failed' WHEN 1 THEN 'refunded' ELSE 'paid' END, (g % 5000) / 10.0, "
    "timestamptz '2023-01-01' + g * interval '4 minutes', "
    "CASE WHEN g % 100 < 2 THEN NULL ELSE timestamptz '2023-01-01' + g * interval '4 minutes' + interval '1 hour' END "
    "FROM generate_series(1, 120000) AS g",
]
PARAMS = {
    "customer": exp.Literal.number(4242),
    "email": exp.Literal.string("user777@example.org"),
    "country": exp.Literal.string("KQ"),
    "since": exp.Cast(this=exp.Literal.string("2023-12-01"), to=exp.DataType.build("timestamptz")),
    "until": exp.Cast(this=exp.Literal.string("2023-12-03"), to=exp.DataType.build("timestamptz")),
    "recent": exp.Cast(this=exp.Literal.string("2023-11-30"), to=exp.DataType.build("timestamptz")),
}


@dataclass(frozen=True)
class Case:
    name: str
    sql: str
    code: str
    suggested: str  # the text after "suggested index: " / "suggested indexes: "
    no_sort: bool = False  # the index gives the order: no Sort node after
    only_index: bool = False  # an index-only scan after
    frequency: str = "100/min"
    indexes: int = 1  # how many indexes the fix adds


CASES = [
    Case(
        "join_inner_side",
        "SELECT p.id, p.amount FROM invoices i JOIN payments p ON p.invoice_id = i.id "
        "WHERE i.customer_id = :customer AND p.status = 'failed'",
        "Q105",
        "(invoice_id, status)",
    ),
    Case(
        "several_joins",
        "SELECT c.name, p.amount FROM customers c JOIN invoices i ON i.customer_id = c.id "
        "JOIN payments p ON p.invoice_id = i.id WHERE c.id = :customer",
        "Q105",
        "(invoice_id)",
    ),
    Case(
        "correlated_exists",
        "SELECT i.id FROM invoices i WHERE i.customer_id = :customer "
        "AND EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id AND p.status = 'refunded')",
        "Q105",
        "(invoice_id, status)",
    ),
    Case(
        "or_across_columns",
        "SELECT id FROM payments WHERE status = 'failed' OR created_at > :recent",
        "Q105",
        "(status), (created_at)",
        indexes=2,
    ),
    Case(
        "mixed_directions",
        "SELECT id, amount FROM payments ORDER BY status, created_at DESC LIMIT 10",
        "Q105",
        "(status, created_at DESC)",
        no_sort=True,
    ),
    Case(
        "top_n",
        "SELECT id, total FROM invoices ORDER BY issued_at DESC LIMIT 10",
        "Q105",
        "(issued_at)",
        no_sort=True,
    ),
    Case(
        "equality_then_sort",
        "SELECT id, total FROM invoices WHERE customer_id = :customer ORDER BY issued_at DESC LIMIT 2",
        "Q106",
        "(customer_id, issued_at)",
        no_sort=True,
    ),
    Case(
        "in_list",
        "SELECT id FROM payments WHERE status IN ('failed', 'refunded')",
        "Q105",
        "(status)",
    ),
    Case(
        "expression_key",
        "SELECT id FROM customers WHERE lower(email) = lower(:email)",
        "Q105",
        "(`lower(email)`)",
    ),
    Case(
        "like_prefix",
        "SELECT id, name FROM customers WHERE email LIKE 'user1234%'",
        "Q105",
        "(`email varchar_pattern_ops`)",
    ),
    Case(
        "partial_is_null",
        "SELECT id FROM customers WHERE email = :email AND deleted_at IS NULL",
        "Q105",
        "(email) where deleted_at IS NULL",
    ),
    Case(
        "partial_boolean",
        "SELECT id, name FROM customers WHERE country = :country AND active",
        "Q105",
        "(country) where active",
    ),
    Case(
        "queue_is_null_top_n",
        "SELECT id FROM payments WHERE paid_at IS NULL ORDER BY created_at LIMIT 20",
        "Q105",
        "(created_at) where paid_at IS NULL",
        no_sort=True,
    ),
    Case(
        "top_n_of_groups",
        "SELECT invoice_id, sum(amount) FROM payments GROUP BY invoice_id ORDER BY invoice_id LIMIT 10",
        "Q105",
        "(invoice_id)",
        no_sort=True,
    ),
    Case(
        "covering_range",
        "SELECT invoice_id, amount FROM payments WHERE created_at >= :since AND created_at < :until",
        "Q105",
        "(created_at) include (invoice_id, amount)",
        only_index=True,
        frequency="3000/min",
    ),
]

SELECT = LintConfig(select=("Q105", "Q106"))


def with_query(case: Case) -> str:
    return SCHEMA + f"\nQuery {case.name} [frequency: '{case.frequency}'] {{\n  '''\n  {case.sql}\n  '''\n}}\n"


@pytest.fixture(scope="module")
def billing(postgres):
    """A database with the schema as `dbdsl sql` writes it, loaded, vacuumed and analysed."""
    name = postgres.fresh_database("advisor")
    with postgres.connect(name) as conn:
        for statement in generate(analyze(SCHEMA).schema, "postgres").statements:
            conn.execute(statement.sql(dialect="postgres"))
        for statement in LOAD:
            conn.execute(statement)
        conn.execute("VACUUM ANALYZE")
    return name


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_suggested_index_serves_the_query(case: Case, postgres, billing) -> None:
    text = with_query(case)
    found = run(text, SELECT)
    assert [f.code for f in found] == [case.code], [f.message for f in found]
    finding = found[0]
    assert finding.message.endswith(f": {case.suggested})"), finding.message
    fixed = apply_edits(text, finding.fixes[0].edits)
    assert analyze(fixed).findings == [] and run(fixed, SELECT) == [], fixed
    added = _new_indexes(text, fixed)
    assert len(added) == case.indexes, added
    sql = bind(case.sql, PARAMS)
    with postgres.connect(billing) as conn:
        before = explain(conn, sql)
        try:
            for statement in added.values():
                conn.execute(statement)
            conn.execute("VACUUM ANALYZE")
            after = explain(conn, sql)
        finally:
            for name in added:
                conn.execute(exp.Drop(tables=[exp.to_table(name)], kind="INDEX").sql(dialect="postgres"))
    print(f"\n{case.name}: {before.cost:.0f} [{before.scans()}] -> {after.cost:.0f} [{after.scans()}]")
    for name in added:
        assert after.uses(name), (name, after)
    assert after.cost < before.cost, (before, after)
    if case.no_sort:
        assert not after.kinds() & {"Sort", "Incremental Sort"} and before.kinds() & {"Sort", "Incremental Sort"}
    if case.only_index:
        assert "Index Only Scan" in after.kinds(), after


def _new_indexes(text: str, fixed: str) -> dict[str, str]:
    """The CREATE INDEX statements (by index name) of the fixed schema's SQL that the original lacks."""
    old = {s.sql(dialect="postgres") for s in generate(analyze(text).schema, "postgres").statements}
    out = {}
    for statement in generate(analyze(fixed).schema, "postgres").statements:
        sql = statement.sql(dialect="postgres")
        if sql not in old and isinstance(statement.this, exp.Index):
            out[statement.this.name] = sql
    return out


def test_plan_reader_sees_sequential_scans(postgres, billing) -> None:
    """The proof above would pass vacuously if `explain` missed nodes: it reads a plain scan too."""
    with postgres.connect(billing) as conn:
        plan: Plan = explain(conn, "SELECT id FROM payments WHERE amount > 1")
    assert plan.scans() == "Seq Scan on payments" and plan.cost > 0


# what the suggestion avoids: (query, the weaker index a naive advisor would add, the advisor's index)
WEAKER = [
    pytest.param(
        "SELECT p.id, p.amount FROM invoices i JOIN payments p ON p.invoice_id = i.id "
        "WHERE i.customer_id = :customer AND p.status = 'failed'",
        ("payments", "status"),
        ("payments", "(invoice_id, status)"),
        id="join_key_leads",
    ),
    pytest.param(
        "SELECT id, amount FROM payments ORDER BY status, created_at DESC LIMIT 10",
        ("payments", "(status, created_at)"),
        ("payments", "(status, `created_at desc`)"),
        id="directions_match",
    ),
    pytest.param(
        "SELECT id, name FROM customers WHERE email LIKE 'user1234%'",
        ("customers", "email"),
        ("customers", "`email varchar_pattern_ops`"),
        id="pattern_operator_class",
    ),
]


@pytest.mark.parametrize(("sql", "weaker", "better"), WEAKER)
def test_the_weaker_index_costs_more(sql: str, weaker, better, postgres, billing) -> None:
    """The join key first, the sort directions and the operator class are what make the index serve."""
    query = bind(sql, PARAMS)
    plans = []
    with postgres.connect(billing) as conn:
        for table, line in (weaker, better):
            added = _new_indexes(SCHEMA, _with_index(table, line))
            try:
                for statement in added.values():
                    conn.execute(statement)
                conn.execute("ANALYZE")
                plans.append(explain(conn, query))
            finally:
                for name in added:
                    conn.execute(exp.Drop(tables=[exp.to_table(name)], kind="INDEX").sql(dialect="postgres"))
    print(f"\n{weaker[1]}: {plans[0].cost:.0f} [{plans[0].scans()}] -> {better[1]}: {plans[1].cost:.0f}")
    assert plans[1].cost < plans[0].cost, plans


def _with_index(table: str, line: str) -> str:
    head = f"Table {table} {{"
    start = SCHEMA.index(head)
    end = SCHEMA.index("\n}", start)
    return SCHEMA[:end] + f"\n\n  indexes {{\n    {line}\n  }}" + SCHEMA[end:]


def test_a_conversion_of_a_timestamptz_cannot_be_indexed(postgres, billing) -> None:
    """Why the advisor suggests no `date(created_at)` index on a timestamptz (and says to use a range)."""
    import psycopg

    text = SCHEMA + "\nQuery by_day {\n  'SELECT id FROM payments WHERE date(created_at) = :day'\n}\n"
    (finding,) = run(text, SELECT)
    assert "cannot index `date(created_at)`" in finding.message and not finding.fixes
    with postgres.connect(billing) as conn, pytest.raises(psycopg.errors.InvalidObjectDefinition):
        conn.execute("CREATE INDEX payments_by_day ON payments ((date(created_at)))")
