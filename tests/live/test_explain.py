"""`dbdsl explain URL FILE` on the sample with declared queries the linter says no index serves
(samples/flawed.dbml): each query EXPLAINed with its cost and plan next to the linter's verdict, and with
HypoPG the suggested index as a hypothetical one lowers the cost; nothing is built."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dbdsl.cli import main
from tests.helpers import SAMPLES
from tests.live.urls import pg_url
from tests.migrate import engines

SAMPLE = SAMPLES / "flawed.dbml"
ROWS = """
INSERT INTO customer (name, email, password_hash, zip_code)
  SELECT 'c' || g, 'c' || g || '@example.com', 'x', lpad((g % 5000)::text, 5, '0') FROM generate_series(1, 50000) g;
INSERT INTO orders (customer_id, total, status, order_date)
  SELECT 1 + g % 50000, g % 100, 'paid', timestamp '2024-01-01' + g * interval '1 minute'
  FROM generate_series(1, 200000) g;
ANALYZE;
"""


def hypopg_available() -> bool:
    return any(Path("/usr/share/postgresql").glob("*/extension/hypopg.control"))


@pytest.fixture(scope="module")
def database(postgres, tmp_path_factory) -> str:
    name = postgres.fresh_database("explain")
    script = tmp_path_factory.mktemp("explain") / "flawed.sql"
    assert main(["sql", str(SAMPLE), "--dialect", "postgres", "-o", str(script)]) == 0
    engines.apply_pg(postgres, name, script.read_text() + ROWS)
    return name


def run(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out + out.err


def test_explain_without_hypopg(postgres, database, capsys) -> None:
    status, output = run(capsys, "explain", pg_url(postgres, database), str(SAMPLE))
    assert status == 0, output
    line = next(li for li in output.splitlines() if li.startswith("Query customers_in_zip_code:"))
    assert re.search(r"cost \d+\.\d+, plan .*Seq Scan on customer", line), output
    assert "linter: Q105 no index serves customer filtered by equality on zip_code" in output
    assert "HypoPG is not installed" in output
    with postgres.connect(database) as conn:  # nothing was built
        assert conn.execute("SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%zip_code%'").fetchone()[0] == 0


def test_explain_analyze_runs_the_query(postgres, database, capsys) -> None:
    status, output = run(capsys, "explain", pg_url(postgres, database), str(SAMPLE), "--analyze")
    assert status == 0, output
    assert re.search(r"Query orders_of_customer_by_date: cost \d+\.\d+, \d+\.\d+ ms", output), output


def test_hypothetical_index_lowers_the_cost(postgres, database, capsys) -> None:
    if not hypopg_available():
        pytest.skip("HypoPG is not installed (scripts/setup --test installs postgresql-15-hypopg)")
    with postgres.connect(database) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS hypopg")
    try:
        status, output = run(capsys, "explain", pg_url(postgres, database), str(SAMPLE))
    finally:
        with postgres.connect(database) as conn:
            conn.execute("DROP EXTENSION hypopg")
    assert status == 0, output
    for query, table in (("customers_in_zip_code", "customer"), ("orders_of_customer_by_date", "orders")):
        block = output.split(f"Query {query}:")[1].split("\nQuery ")[0]
        before = float(re.match(r" cost (\d+\.\d+)", block).group(1))
        found = re.search(r"with (CREATE INDEX .*?) \(hypothetical\): cost (\d+\.\d+) \(-\d+%\), plan (.*)", block)
        assert found, output
        assert float(found.group(2)) < before / 2, output
        assert "Index" in found.group(3) and f"on {table}" in found.group(3), output
