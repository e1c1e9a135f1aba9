"""Our PostgreSQL output against the reference exporter's (`@dbml/core`) on the same inputs: both run on a
real PostgreSQL 15 and their catalogs are compared (constraint names aside). Every difference is listed
here with its reason (and in the README); anything else fails the test."""

from __future__ import annotations

import subprocess

import pytest

from dbdsl.emit.sql import generate
from tests.helpers import require_corpus
from tests.pg import pg_bin

from .cases import case_id, corpus_inputs, reference_sql, schema_of
from .catalog import differences, postgres_catalog
from .test_postgres import create_required_types, run_script

pytestmark = pytest.mark.postgres

REFERENCE_FAILS = "the reference's SQL fails on PostgreSQL"
EXPLAINED: dict[str, tuple[set[tuple[str, str]], str]] = {
    "exporter/postgres/general_schema": (
        {("products", "table"), ("order_items", "fk")},
        f'{REFERENCE_FAILS}: type "datetime" does not exist (dbdsl writes TIMESTAMP)',
    ),
    "model_exporter/dbml/general_schema": (
        {("products", "table"), ("order_items", "fk")},
        f'{REFERENCE_FAILS}: type "datetime" does not exist (dbdsl writes TIMESTAMP)',
    ),
    "model_exporter/dbml/referential_actions": (
        {("products", "table"), ("users", "table"), ("order_items", "fk"), ("orders", "fk")},
        f'{REFERENCE_FAILS}: type "datetime" does not exist (dbdsl writes TIMESTAMP)',
    ),
    "model_exporter/dbml/checks": (
        {("User", "table"), ("User3", "check")},
        f"{REFERENCE_FAILS}: function len(text) does not exist (dbdsl reads LEN as LENGTH)",
    ),
    "model_exporter/dbml/default_tables": (
        {("products", "table")},
        f"{REFERENCE_FAILS}: syntax error at INTERVAL 1 YEAR (dbdsl writes INTERVAL '1 YEAR')",
    ),
    "model_exporter/dbml/index_tables": (
        {("users", "index")},
        f"{REFERENCE_FAILS}: hash indexes have one column (dbdsl makes a B-tree index and warns)",
    ),
    "exporter/postgres/increment_type": (
        {("table8", "column")},
        "unknown type `intaaaa` with increment: the reference writes SERIAL, dbdsl keeps the declared type and "
        "warns that only integer columns auto-increment",
    ),
    "exporter/postgres/many_to_many_relationship": (
        {
            ("C.c_d", "table"),
            ("D.d_c", "table"),
            ("t1_t2(1)", "table"),
            ("t1_t2(2)", "table"),
            ("t1_t2_2", "table"),
            ("t1_t2_3", "table"),
        },
        "junction table names: the reference names an inline `<>` after the referenced table (d_c) and a taken "
        "name t1_t2(1); dbdsl uses <left>_<right> and t1_t2_2",
    ),
}


def reference_catalog(postgres, sql_path, script) -> dict:
    """Run the reference's SQL with psql (which goes on after an error, as the file would be used)."""
    database = postgres.fresh_database()
    with postgres.connect(database) as conn:
        create_required_types(conn, script)
        subprocess.run(
            [pg_bin("psql"), "-X", "-q", "-d", database, "-f", str(sql_path)],
            env=postgres.psql_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        return postgres_catalog(conn)


def test_catalogs_against_reference_exporter(postgres, capsys) -> None:
    require_corpus()
    compared = agree = 0
    unexplained: list[str] = []
    for path in corpus_inputs():
        sql_path = reference_sql(path)
        if sql_path is None:
            continue
        compared += 1
        script = generate(schema_of(path), "postgres")
        with postgres.connect(postgres.fresh_database()) as conn:
            create_required_types(conn, script)
            run_script(conn, script)
            ours = postgres_catalog(conn)
        theirs = reference_catalog(postgres, sql_path, script)
        for table in [*ours["tables"].values(), *theirs["tables"].values()]:
            table["named_checks"] = set()  # the reference leaves checks unnamed
        found = {(table, kind) for table, kind, _ in differences(ours, theirs)}
        if not found:
            agree += 1
            continue
        explained = EXPLAINED.get(case_id(path), (set(), ""))[0]
        if found != explained:
            unexplained.append(f"{case_id(path)}: {sorted(found)} (explained: {sorted(explained)})")
    with capsys.disabled():
        print(f"\nreference exporter: {agree}/{compared} PostgreSQL catalogs agree; the rest differ as explained")
    assert compared == 15
    assert not unexplained, "\n".join(unexplained)
    assert agree == compared - len(EXPLAINED)
