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


# ------------------------------------------------------------------ the shapes a DBA checks

SHOP = """Project p {
  database_type: 'PostgreSQL'
}

Table invoices {
  id int [pk]
  customer_id int [not null]
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
  method text [not null]
  amount decimal(12,2) [not null]
  created_at timestamptz [not null]
  paid_at timestamptz
  refunded boolean [not null]
}
"""


def shop(sql: str, indexes: str = "", frequency: str = "100/min", dialect: str | None = None) -> str:
    text = SHOP
    if indexes:
        text = text.replace(
            "  refunded boolean [not null]\n}", f"  refunded boolean [not null]\n\n  indexes {{\n{indexes}\n  }}\n}}"
        )
    if dialect:
        text = text.replace("'PostgreSQL'", f"'{dialect}'")
    return text + f"\nQuery q [frequency: '{frequency}'] {{\n  '''\n  {sql}\n  '''\n}}\n"


def advice(text: str) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in run(text) if f.code in ("Q105", "Q106")]


JOIN = "SELECT p.id FROM invoices i JOIN payments p ON p.invoice_id = i.id WHERE i.customer_id = :c AND p.status = 'x'"


def test_the_inner_side_of_a_join_leads_with_the_join_key() -> None:
    assert advice(shop(JOIN)) == [
        (
            "Q105",
            "no index serves payments as the inner side of the join from invoices: join key invoice_id; "
            "equality on status (suggested index: (invoice_id, status))",
        )
    ]
    # an index on the join key alone serves the join: the status is left to a filter (information)
    found = advice(shop(JOIN, "    invoice_id"))
    assert [c for c, _m in found] == ["Q106"] and "index (invoice_id) serves payments" in found[0][1]
    # the old advice, an index on the filter alone, does not serve the inner side of the join
    assert "(invoice_id, status)" in advice(shop(JOIN, "    status"))[0][1]
    assert advice(shop(JOIN, "    (status, invoice_id)")) == []
    assert advice(shop(JOIN, "    (invoice_id, status)")) == []


@pytest.mark.parametrize(
    "sql",
    [
        # a correlated subquery is the inner side of a join from the outer table
        "SELECT i.id FROM invoices i WHERE i.customer_id = :c "
        "AND EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id AND p.status = 'x')",
        # the driver is the table whose own predicates narrow it most, wherever it is written
        "SELECT p.id FROM payments p JOIN invoices i ON i.id = p.invoice_id "
        "WHERE p.status = 'x' AND i.customer_id = :c",
    ],
)
def test_join_shapes_find_the_inner_side(sql: str) -> None:
    assert [m.split("(suggested index: ")[1] for _c, m in advice(shop(sql))] == ["(invoice_id, status))"]


def test_a_join_key_equal_to_a_constant_is_a_constant() -> None:
    # i.id = :id fixes p.invoice_id too (PostgreSQL derives it), so the ORDER BY of payments counts
    sql = (
        "SELECT p.id FROM invoices i JOIN payments p ON p.invoice_id = i.id "
        "WHERE i.id = :id ORDER BY p.created_at DESC LIMIT 5"
    )
    assert advice(shop(sql))[0][1].endswith("(suggested index: (invoice_id, created_at))")


def test_joins_without_any_filter_need_no_index() -> None:
    assert advice(shop("SELECT p.id FROM invoices i JOIN payments p ON p.invoice_id = i.id")) == []


def test_several_joins_and_derived_tables() -> None:
    sql = (
        "SELECT p.id FROM (SELECT id FROM invoices WHERE customer_id = :c) AS mine "
        "JOIN payments p ON p.invoice_id = mine.id"
    )
    assert advice(shop(sql))[0][1].endswith("(suggested index: (invoice_id))")
    sql = "SELECT p.id FROM invoices i JOIN payments p USING (id) WHERE i.customer_id = :c"
    assert advice(shop(sql)) == []  # the primary key of payments serves the join on id


def test_or_across_columns_needs_an_index_per_branch() -> None:
    sql = "SELECT id FROM payments WHERE status = 'x' OR created_at > :t"
    ((code, message),) = advice(shop(sql))
    assert code == "Q105" and "a BitmapOr needs an index for every branch" in message
    assert message.endswith("(suggested indexes: (status), (created_at))")
    fixed = apply_one_fix(shop(sql), "Q105")
    assert "    status\n    created_at\n" in fixed and advice(fixed) == []
    # one branch served: only the other is named
    ((code, message),) = advice(shop(sql, "    status"))
    assert "none serves range on created_at (suggested index: (created_at))" in message
    # an OR of equalities on one column is an IN list
    assert advice(shop("SELECT id FROM payments WHERE status = 'a' OR status = 'b'"))[0][1].endswith("(status))")
    # an OR that only filters what an equality found needs nothing more
    assert (
        advice(shop("SELECT id FROM payments WHERE invoice_id = :i AND (status = 'x' OR amount > 5)", "    invoice_id"))
        == []
    )


@pytest.mark.parametrize(
    ("order", "served_by", "suggested"),
    [
        ("status, created_at DESC", "(status, `created_at desc`)", "(status, created_at DESC)"),
        ("status DESC, created_at", "(status, `created_at desc`)", "(status, created_at DESC)"),
        ("status DESC, created_at DESC", "(status, created_at)", "(status, created_at)"),
        ("created_at DESC NULLS LAST", "`created_at desc nulls last`", "(created_at DESC NULLS LAST)"),
    ],
)
def test_sort_directions_must_match_or_be_all_reversed(order: str, served_by: str, suggested: str) -> None:
    sql = f"SELECT id FROM payments ORDER BY {order} LIMIT 10"
    assert advice(shop(sql))[0][1].endswith(f"(suggested index: {suggested})")
    assert advice(shop(sql, f"    {served_by}")) == []
    fixed = apply_one_fix(shop(sql), "Q105")
    assert advice(fixed) == []


def test_an_index_in_other_directions_does_not_serve_a_mixed_sort() -> None:
    sql = "SELECT id FROM payments ORDER BY status, created_at DESC LIMIT 10"
    found = advice(shop(sql, "    (status, created_at)"))
    assert [c for c, _m in found] == ["Q106"] and found[0][1].endswith("(status, created_at DESC))")


def test_like_prefix_needs_a_pattern_operator_class_on_postgres_only() -> None:
    sql = "SELECT id FROM payments WHERE method LIKE 'card%'"
    message = advice(shop(sql))[0][1]
    assert "only with a pattern operator class" in message and message.endswith("(`method text_pattern_ops`))")
    assert [c for c, _m in advice(shop(sql, "    method"))] == ["Q105"]
    assert advice(shop(sql, "    `method text_pattern_ops`")) == []
    assert advice(shop(sql, "    method", dialect="MySQL")) == []


def test_flags_go_into_a_partial_index_where_the_engine_has_them() -> None:
    sql = "SELECT id FROM payments WHERE invoice_id = :i AND paid_at IS NULL"
    assert advice(shop(sql))[0][1].endswith("(suggested index: (invoice_id) where paid_at IS NULL)")
    assert advice(shop(sql, dialect="MySQL"))[0][1].endswith("(suggested index: (invoice_id, paid_at))")
    # an index on the selective key serves it; the flag is a cheap filter
    assert advice(shop(sql, "    invoice_id")) == []
    # a queue: only the flag narrows the rows, so the index must hold it
    queue = "SELECT id FROM payments WHERE paid_at IS NULL ORDER BY created_at LIMIT 20"
    assert advice(shop(queue))[0][1].endswith("(suggested index: (created_at) where paid_at IS NULL)")
    assert advice(shop(queue, "    created_at [where: `paid_at is null`]")) == []
    assert advice(shop(queue, "    (paid_at, created_at)")) == []
    assert [c for c, _m in advice(shop(queue, "    created_at"))] == ["Q106"]
    boolean = "SELECT id FROM payments WHERE invoice_id = :i AND NOT refunded"
    assert advice(shop(boolean))[0][1].endswith("(suggested index: (invoice_id) where NOT refunded)")
    assert advice(shop(boolean, "    invoice_id [where: `not refunded`]")) == []


def test_group_by_counts_its_order_only_for_a_top_n_of_groups() -> None:
    top = "SELECT invoice_id, count(*) FROM payments GROUP BY invoice_id ORDER BY invoice_id LIMIT 10"
    assert advice(shop(top))[0][1].endswith("(suggested index: (invoice_id))")
    assert advice(shop("SELECT invoice_id, count(*) FROM payments GROUP BY invoice_id")) == []
    by_count = "SELECT invoice_id, count(*) FROM payments GROUP BY invoice_id ORDER BY count(*) DESC LIMIT 10"
    assert advice(shop(by_count)) == []  # every group is counted first: no index order helps


def test_in_lists_fix_no_order() -> None:
    sql = "SELECT id FROM payments WHERE status IN ('a', 'b') ORDER BY created_at LIMIT 5"
    assert advice(shop(sql))[0][1].endswith("(suggested index: (status))")
    assert advice(shop(sql, "    status")) == []


def test_covering_columns_only_for_a_frequent_query_reading_a_run_of_rows() -> None:
    sql = "SELECT invoice_id, amount FROM payments WHERE created_at >= :a AND created_at < :b"
    assert advice(shop(sql, frequency="3000/min"))[0][1].endswith("(created_at) include (invoice_id, amount))")
    assert advice(shop(sql, frequency="10/min"))[0][1].endswith("(suggested index: (created_at))")
    wide = "SELECT invoice_id, amount, method FROM payments WHERE created_at >= :a"
    assert advice(shop(wide, frequency="3000/min"))[0][1].endswith("(suggested index: (created_at))")
    one_row = "SELECT amount FROM payments WHERE invoice_id = :i"
    assert advice(shop(one_row, frequency="3000/min"))[0][1].endswith("(suggested index: (invoice_id))")
    assert advice(shop(sql, frequency="3000/min", dialect="MySQL"))[0][1].endswith("(suggested index: (created_at))")
    # an existing index without the INCLUDE columns still serves the query
    assert advice(shop(sql, "    created_at", frequency="3000/min")) == []


def test_expression_sort_keys() -> None:
    sql = "SELECT id FROM payments ORDER BY lower(method) DESC LIMIT 5"
    assert advice(shop(sql))[0][1].endswith("(suggested index: (`lower(method)`))")
    assert advice(shop(sql, "    `lower(method) desc`")) == []


def test_a_subquery_drives_a_join_only_when_it_filters_its_rows() -> None:
    unfiltered = "SELECT p.id FROM (SELECT id FROM invoices) AS every JOIN payments p ON p.invoice_id = every.id"
    assert advice(shop(unfiltered)) == []
    assert advice(shop("SELECT id FROM payments WHERE invoice_id = ANY(:ids)"))[0][1].endswith("(invoice_id))")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT p.id FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.status = 'x' AND i.total > 5",
        "SELECT p.id FROM invoices i JOIN payments p ON i.id = p.invoice_id WHERE p.status = 'x' AND i.total > 5",
    ],
)
def test_on_a_tie_the_many_side_drives_whatever_the_from_order(sql: str) -> None:
    # both tables have a filter of the same strength: payments drives, invoices is looked up by its key
    assert advice(shop(sql)) == [
        ("Q105", "no index serves payments filtered by equality on status (suggested index: (status))")
    ]


def test_a_conversion_of_a_timestamptz_is_not_suggested_as_an_index_on_postgres() -> None:
    # PostgreSQL refuses `CREATE INDEX ... ((date(created_at)))` on a timestamptz: not IMMUTABLE
    ((code, message),) = advice(shop("SELECT id FROM payments WHERE date(created_at) = :day"))
    assert code == "Q105" and "suggested" not in message
    assert message.endswith("compare the column with a range of instants instead")
    assert [
        f for f in run(shop("SELECT id FROM payments WHERE date(created_at) = :day")) if f.code == "Q105" and f.fixes
    ] == []
    # on a timestamp without time zone the expression index is fine
    text = shop("SELECT id FROM payments WHERE date(created_at) = :day").replace(
        "created_at timestamptz", "created_at timestamp"
    )
    assert advice(text)[0][1].endswith("(suggested index: (`date(created_at)`))")
