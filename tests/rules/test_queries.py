"""Query blocks: names checked against the schema at their exact place inside the string, and the
access-path analysis (equality, range, join keys, ORDER BY with LIMIT, partial and expression
indexes)."""

from __future__ import annotations

import pytest

from dbdsl.rules.sqltext import sql_offsets

from .helpers import analyze, apply_one_fix, codes, run

SCHEMA = """Table customers {
  id int [pk]
  email varchar(320) [not null, unique]
  name varchar(100)
  city varchar(80)
  active boolean [not null]
}

Table orders {
  id int [pk]
  customer_id int [not null, ref: > customers.id]
  status varchar(20) [not null]
  placed_at timestamptz [not null]
  total decimal(12,2) [not null]

  indexes {
    customer_id
    placed_at [where: `status = 'open'`]
  }
}
"""


def query(sql: str, name: str = "q", quote: str = "'''", indent: str = "  ") -> str:
    if quote == "'''":
        body = "\n".join(indent + line for line in sql.strip("\n").split("\n"))
        return SCHEMA + f"\nQuery {name} {{\n  '''\n{body}\n  '''\n}}\n"
    return SCHEMA + f"\nQuery {name} {{\n  '{sql}'\n}}\n"


def q_findings(text: str, code: str):
    return [f for f in run(text) if f.code == code]


@pytest.mark.parametrize("indent", ["  ", "      ", "\t"])
def test_unknown_column_is_reported_at_its_place_in_a_multiline_string(indent: str) -> None:
    text = query("SELECT c.id, c.nmae\nFROM customers c\nWHERE c.email = :email", indent=indent)
    found = q_findings(text, "Q103")
    assert len(found) == 1
    assert found[0].span.text == "nmae"
    assert text[found[0].span.start_offset : found[0].span.end_offset] == "nmae"
    assert "nmae" in found[0].message


def test_unknown_table_in_a_single_line_string_with_escapes() -> None:
    text = query("SELECT id FROM custmers WHERE name = \\'it\\'\\'s\\'", quote="'")
    found = q_findings(text, "Q102")
    assert [f.span.text for f in found] == ["custmers"]
    analysis = analyze(text)
    q = analysis.schema.queries[0]
    offsets = sql_offsets(q)
    assert offsets is not None
    raw = q.sql_span.anchor.text
    for i, ch in enumerate(q.sql):
        if ch not in "'\\":
            assert raw[offsets[i]] == ch


def test_quoted_identifiers_are_case_sensitive_and_located_with_their_quotes() -> None:
    text = query('SELECT "Email" FROM customers WHERE id = :id')
    found = q_findings(text, "Q103")
    assert [f.span.text for f in found] == ['"Email"']
    assert q_findings(query("SELECT EMAIL FROM Customers WHERE ID = :id"), "Q103") == []


def test_syntax_error_points_into_the_sql() -> None:
    text = query("SELECT id\nFROM customers\nWHERE id = = 1")
    found = q_findings(text, "Q101")
    assert len(found) == 1
    line, _col = found[0].span.start_pos
    assert text.splitlines()[line].strip().startswith("WHERE id")


def test_ambiguous_and_alias_problems() -> None:
    text = query("SELECT id FROM customers c JOIN orders o ON o.customer_id = c.id WHERE x.id = 1")
    assert [f.span.text for f in q_findings(text, "Q104")] == ["id"]
    assert [f.span.text for f in q_findings(text, "Q102")] == ["x"]


def test_ctes_subqueries_aliases_and_functions_are_not_unknown_names() -> None:
    text = query(
        """WITH recent AS (SELECT customer_id, max(placed_at) AS last_at FROM orders GROUP BY customer_id)
SELECT c.name, r.last_at AS seen, now() AS at
FROM customers c JOIN recent r ON r.customer_id = c.id
WHERE c.id IN (SELECT o.customer_id FROM orders o WHERE o.total > 100 AND o.customer_id = c.id)
ORDER BY seen DESC"""
    )
    assert not {"Q101", "Q102", "Q103", "Q104"} & set(codes(text))


def test_dml_statements_are_checked() -> None:
    text = query("UPDATE orders SET stauts = 'paid' WHERE id = :id")
    assert [f.span.text for f in q_findings(text, "Q103")] == ["stauts"]
    text = query("INSERT INTO orders (id, customer_id, totl) VALUES (1, 2, 3)")
    assert [f.span.text for f in q_findings(text, "Q103")] == ["totl"]
    text = query("DELETE FROM orders WHERE status = 'x' AND placed_at < :before")
    assert "Q105" in codes(text)


# ------------------------------------------------------------------ index analysis


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM customers WHERE id = :id",
        "SELECT * FROM customers WHERE email = :email",
        "SELECT * FROM orders WHERE customer_id = :c",
        "SELECT * FROM orders WHERE customer_id IN (1, 2, 3)",
        "SELECT * FROM orders WHERE status = 'open' AND placed_at > now() - interval '1 day'",
        "SELECT o.id FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.email = :e",
        "SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = :id",
        "SELECT * FROM orders ORDER BY id LIMIT 10",
        "SELECT count(*) FROM orders",
    ],
)
def test_served_queries_are_quiet(sql: str) -> None:
    assert not {"Q105", "Q106"} & set(codes(query(sql))), sql


@pytest.mark.parametrize(
    ("sql", "code", "suggested"),
    [
        ("SELECT * FROM customers WHERE city = :city", "Q105", "(city)"),
        ("SELECT * FROM orders WHERE placed_at > :since", "Q105", "(placed_at)"),
        (
            "SELECT * FROM orders WHERE customer_id = :c AND placed_at >= :since ORDER BY placed_at DESC LIMIT 20",
            "Q106",
            "(customer_id, placed_at)",
        ),
        ("SELECT * FROM orders WHERE customer_id = :c ORDER BY total DESC LIMIT 5", "Q106", "(customer_id, total)"),
        ("SELECT * FROM orders ORDER BY placed_at DESC LIMIT 10", "Q105", "(placed_at)"),
        ("SELECT * FROM customers WHERE lower(email) = lower(:e)", "Q105", "(`lower(email)`)"),
        ("SELECT * FROM orders WHERE status = 'paid' AND placed_at > :t", "Q105", "(status, placed_at)"),
        (
            "SELECT c.name FROM orders o JOIN customers c ON c.city = o.status WHERE o.id = :id",
            "Q105",
            "(city)",
        ),
    ],
)
def test_unserved_queries_get_the_composite_index(sql: str, code: str, suggested: str) -> None:
    text = query(sql)
    found = q_findings(text, code)
    assert len(found) == 1, (sql, [(f.code, f.message) for f in run(text)])
    assert f"(suggested index: {suggested})" in found[0].message
    fixed = apply_one_fix(text, code)
    assert not {"Q105", "Q106"} & set(codes(fixed)), fixed


def test_partial_index_counts_only_when_the_query_implies_its_predicate() -> None:
    assert "Q105" in codes(query("SELECT * FROM orders WHERE placed_at > :t"))
    assert not {"Q105", "Q106"} & set(codes(query("SELECT * FROM orders WHERE status = 'open' AND placed_at > :t")))
    text = SCHEMA.replace("placed_at [where: `status = 'open'`]", "placed_at [where: `status in ('open', 'held')`]")
    # the IN list implies the predicate, so the index serves the range (not the equality: two statuses)
    partly = text + "\nQuery q {\n  'SELECT id FROM orders WHERE status = \\'held\\' AND placed_at > :t'\n}\n"
    assert "Q106" in codes(partly) and "Q105" not in codes(partly)
    unserved = text + "\nQuery q {\n  'SELECT id FROM orders WHERE status = \\'paid\\' AND placed_at > :t'\n}\n"
    assert "Q105" in codes(unserved)


def test_boolean_partial_index() -> None:
    text = SCHEMA.replace(
        "  active boolean [not null]\n}",
        "  active boolean [not null]\n\n  indexes {\n    city [where: `active`]\n  }\n}",
    )
    served = text + "\nQuery q {\n  'SELECT id FROM customers WHERE active AND city = :c'\n}\n"
    assert not {"Q105", "Q106"} & set(codes(served))
    unserved = text + "\nQuery q {\n  'SELECT id FROM customers WHERE city = :c'\n}\n"
    assert "Q105" in codes(unserved)


def test_contains_search_wants_a_trigram_index() -> None:
    text = query("SELECT id FROM customers WHERE name ILIKE '%' || :q || '%'")
    found = q_findings(text, "I106")
    assert [f.span.text for f in found] == ["name"]
    fixed = apply_one_fix(text, "I106")
    assert "`name gin_trgm_ops` [type: gin]" in fixed
    assert "I106" not in codes(fixed)
    assert "I106" not in codes(query("SELECT id FROM customers WHERE name LIKE 'abc%'"))


def test_frequency_and_target_must_be_readable() -> None:
    good = SCHEMA + "Query q [frequency: '1.5k/min', target: '20 ms'] {\n  'SELECT id FROM customers WHERE id = 1'\n}\n"
    assert "Q107" not in codes(good)
    bad = SCHEMA + "Query q [frequency: 'a lot', target: 'quick'] {\n  'SELECT id FROM customers WHERE id = 1'\n}\n"
    assert codes(bad).count("Q107") == 2


def test_queries_in_other_dialects_parse_with_that_dialect() -> None:
    text = (
        "Project p {\n  database_type: 'SQL Server'\n}\n"
        + SCHEMA
        + "Query q {\n  'SELECT TOP 5 id FROM customers WHERE city = @city ORDER BY id'\n}\n"
    )
    found = [f for f in run(text) if f.code.startswith("Q")]
    assert [f.code for f in found] == ["Q106"]
    assert "(suggested index: (city, id))" in found[0].message
