"""The PostgreSQL output of every sample and corpus input runs on a real PostgreSQL 15, and the catalog
read back holds what the model says (anything left out is named in a warning of the script)."""

from __future__ import annotations

import pytest
from sqlglot import exp

from dbdsl.emit.sql import generate
from tests.helpers import require_corpus

from .cases import case_id, corpus_inputs, sample_inputs, schema_of
from .catalog import model_differences, postgres_catalog, refused_unexpectedly

pytestmark = pytest.mark.postgres

# Statements the engine refuses because of SQL the schema itself holds (dbdsl passes it through).
REJECTED_USER_SQL = {
    "model_exporter/dbml/index_tables": ("REVERSE(", "function reverse(integer) does not exist"),
}


def run_script(conn, script) -> list[tuple[str, str]]:
    """Run each statement; return the (statement, error) of those the engine refused."""
    failures = []
    for statement in script.statements:
        text = statement.sql("postgres", comments=False)
        try:
            with conn.transaction():
                conn.execute(text)
        except Exception as e:  # psycopg errors: keep going to report all
            failures.append((text, str(e).splitlines()[0]))
    return failures


def create_required_types(conn, script) -> None:
    """Types the script says must exist (domains, extension types): made here as text domains."""
    for schema, name in script.required_types:
        if schema:
            conn.execute(
                exp.Create(kind="SCHEMA", this=exp.to_identifier(schema, quoted=True), exists=True).sql("postgres")
            )
        domain = exp.Table(
            this=exp.to_identifier(name, quoted=True), db=exp.to_identifier(schema, quoted=True) if schema else None
        )
        conn.execute(f"CREATE DOMAIN {domain.sql('postgres')} AS text")


def check_on_postgres(postgres, path) -> list:
    schema = schema_of(path)
    script = generate(schema, "postgres")
    database = postgres.fresh_database()
    with postgres.connect(database) as conn:
        create_required_types(conn, script)
        failures = run_script(conn, script)
        known = REJECTED_USER_SQL.get(case_id(path))
        unexplained = refused_unexpectedly(failures, known)
        assert not unexplained, f"{case_id(path)}: {unexplained}"
        actual = postgres_catalog(conn)
    return model_differences(schema, "postgres", actual, script.warnings, known)


@pytest.mark.parametrize("path", sample_inputs(), ids=case_id)
def test_samples_run_on_postgres(postgres, path) -> None:
    assert check_on_postgres(postgres, path) == []


def test_corpus_runs_on_postgres(postgres, capsys) -> None:
    require_corpus()
    paths = corpus_inputs()
    problems = {case_id(p): check_on_postgres(postgres, p) for p in paths}
    bad = {k: v for k, v in problems.items() if v}
    with capsys.disabled():
        print(f"\nPostgreSQL: {len(paths) - len(bad)}/{len(paths)} corpus inputs run and match their model")
    assert not bad, "\n".join(f"{k}: {v}" for k, v in bad.items())
