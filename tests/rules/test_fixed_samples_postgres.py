"""Fixed designs are real designs: after every fix, each sample's DDL (from dbdsl's SQL emitter) runs
on PostgreSQL."""

from __future__ import annotations

import pytest

from dbdsl.emit.sql import generate
from dbdsl.rules.fixall import fix_file
from tests.helpers import SAMPLES

from .helpers import ALL, analyze
from .test_decomposition import ENROLMENTS

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("name", ["flawed", "ecommerce", "saas", "blog", "enrolments"])
def test_fixed_design_runs_on_postgres(name: str, postgres) -> None:
    text = ENROLMENTS if name == "enrolments" else (SAMPLES / f"{name}.dbml").read_text(encoding="utf-8")
    fixed = fix_file(f"/virtual/pg_{name}.dbml", text, ALL, unsafe=True).text
    script = generate(analyze(fixed).schema, "postgres")
    database = postgres.fresh_database()
    with postgres.connect(database) as conn:
        for statement in script.statements:
            conn.execute(statement.sql(dialect="postgres"))
        tables = conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        assert tables.fetchone()[0] == len(analyze(fixed).schema.tables)
