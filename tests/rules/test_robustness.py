"""Nothing crashes: the linter on mangled schemas, and the query analysis on odd SQL (run without the
safety net that turns an unexpected SQL shape into "no finding")."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dbdsl.rules.access import _Analyzer
from dbdsl.rules.engine import Context, LintState
from dbdsl.rules.sqltext import parse_query
from tests.helpers import SAMPLES

from .helpers import analyze, run

TEXTS = [(SAMPLES / f"{n}.dbml").read_text(encoding="utf-8") for n in ("ecommerce", "saas", "blog", "flawed")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(range(len(TEXTS))),
    st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 40), st.sampled_from(["", "x", "}", "[", "'", "\n", "`"])), max_size=4
    ),
)
def test_mangled_schemas_lint_without_exception(which: int, edits) -> None:
    text = TEXTS[which]
    for where, length, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + length :]
    for f in run(text):
        assert 0 <= f.span.start_offset <= f.span.end_offset <= len(text)
        for fix in f.fixes:
            assert all(0 <= e.start <= e.end <= len(text) for e in fix.edits)


SCHEMA = (SAMPLES / "ecommerce.dbml").read_text(encoding="utf-8")
FRAGMENTS = [
    "SELECT",
    "*",
    "o.id",
    "id",
    "customer_id",
    "FROM",
    "orders",
    "o",
    "JOIN",
    "LEFT JOIN",
    "customers c",
    "ON",
    "o.customer_id = c.id",
    "USING (id)",
    "WHERE",
    "AND",
    "OR",
    "NOT",
    "=",
    "<",
    ">=",
    "IN",
    "(",
    ")",
    ",",
    ":p",
    "?",
    "1",
    "'x'",
    "NULL",
    "IS",
    "BETWEEN",
    "LIKE '%a'",
    "ORDER BY",
    "placed_at",
    "DESC",
    "LIMIT 5",
    "GROUP BY",
    "HAVING",
    "count(*)",
    "lower(email)",
    "WITH t AS (SELECT 1 AS a)",
    "t",
    "UNION",
    "EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)",
    "UPDATE orders SET status = 'paid'",
    "DELETE FROM carts",
    "INSERT INTO carts (id)",
    "VALUES (1)",
    "AS",
    "x",
    "now()",
    "DISTINCT",
    "-",
]


COLUMNS = ["id", "o.id", "c.id", "customer_id", "o.customer_id", "status", "placed_at", "email", "x.y", "nope", "*"]
VALUES = [":p", "?", "1", "'x'", "NULL", "now()", "(SELECT max(id) FROM orders)", "c.id", "lower(:e)"]
OPS = ["=", "<", ">=", "<>", "LIKE", "ILIKE", "IS"]
SOURCES = ["orders o", "customers c", "orders", "t", "(SELECT id, customer_id FROM orders) o", "nowhere n"]
JOINS = [
    "",
    " JOIN customers c ON c.id = o.customer_id",
    " LEFT JOIN payments p ON p.order_id = o.id",
    " JOIN addresses a USING (id)",
    ", carts k",
]


@st.composite
def queries(draw) -> str:
    cols = ", ".join(draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=3)))
    sql = f"SELECT {cols} FROM {draw(st.sampled_from(SOURCES))}{draw(st.sampled_from(JOINS))}"
    conditions = [
        f"{draw(st.sampled_from(COLUMNS[:-1]))} {draw(st.sampled_from(OPS))} {draw(st.sampled_from(VALUES))}"
        for _ in range(draw(st.integers(0, 3)))
    ]
    if draw(st.booleans()):
        conditions.append(f"{draw(st.sampled_from(COLUMNS[:-1]))} IN (1, 2)")
    if conditions:
        sql += " WHERE " + draw(st.sampled_from([" AND ", " OR "])).join(conditions)
    if draw(st.booleans()):
        sql += f" ORDER BY {draw(st.sampled_from(COLUMNS[:-1]))} {draw(st.sampled_from(['', 'DESC']))}"
    if draw(st.booleans()):
        sql += " LIMIT 10"
    prefix = draw(st.sampled_from(["", "WITH t AS (SELECT 1 AS a) ", "EXPLAIN "]))
    return prefix + sql


@settings(max_examples=400, deadline=None)
@given(st.one_of(queries(), st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=18).map(" ".join)))
def test_query_analysis_handles_any_sql_shape(sql: str) -> None:
    parsed = parse_query(sql, "postgres")
    if parsed.error is not None or not parsed.statements:
        return
    analysis = analyze(SCHEMA + "\nQuery q {\n  'SELECT 1'\n}\n")
    ctx = Context(analysis.schema, "postgres", analysis.path, LintState())
    query = analysis.schema.queries[0]
    _Analyzer(ctx, query, parsed).run()
