"""Property: for random pairs of schemas, up then down on a real engine land exactly on each side.

Hypothesis draws a schema and a changed copy of it (see random_schemas.py). A database created from the
first schema's SQL is migrated up: its catalog must equal that of a database created from the second
schema's SQL; migrated down: it must equal the first again. The example counts keep the suite within a
few seconds per engine (`DBDSL_HYPOTHESIS_EXAMPLES` raises them for a longer run).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dbdsl.emit.sql import generate
from dbdsl.migrate.migration import plan_migration
from dbdsl.workspace import Workspace
from tests.migrate import engines
from tests.migrate.random_schemas import changed, dbml, schemas

EXAMPLES = int(os.environ.get("DBDSL_HYPOTHESIS_EXAMPLES", "0"))


@st.composite
def pairs(draw) -> tuple[str, str]:
    old = draw(schemas())
    return dbml(old), dbml(draw(changed(old)))


def analyzed(text: str, tmp: Path, name: str):
    path = tmp / name
    path.write_text(text)
    analysis = Workspace().analyze(str(path))
    assert not analysis.errors, (text, analysis.errors)
    return analysis.schema


def check_pair(old_text: str, new_text: str, dialect: str, fresh, apply, snapshot, safe: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        old = analyzed(old_text, Path(tmp), "old.dbml")
        new = analyzed(new_text, Path(tmp), "new.dbml")
    migration = plan_migration(old, new, dialect, allow_destructive=True, safe=safe)
    db, want_old, want_new = fresh(), fresh(), fresh()
    apply(want_old, generate(old, dialect, records=False).text())
    apply(want_new, generate(new, dialect, records=False).text())
    apply(db, generate(old, dialect, records=False).text())
    apply(db, migration.up_text())
    context = f"\n--- old ---\n{old_text}\n--- new ---\n{new_text}\n--- up ---\n{migration.up_text()}"
    assert snapshot(db) == snapshot(want_new), "after up" + context
    apply(db, migration.down_text())
    assert snapshot(db) == snapshot(want_old), "after down" + context + "\n--- down ---\n" + migration.down_text()


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES or 30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pair=pairs(), safe=st.booleans())
def test_random_pairs_postgres(postgres, pair: tuple[str, str], safe: bool) -> None:
    check_pair(
        *pair,
        "postgres",
        lambda: postgres.fresh_database("prop"),
        lambda db, sql: engines.apply_pg(postgres, db, sql),
        lambda db: engines.pg_snapshot(postgres, db),
        safe,
    )


@pytest.mark.slow
@settings(max_examples=EXAMPLES or 60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=pairs())
def test_random_pairs_sqlite(pair: tuple[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(1000))
        check_pair(
            *pair,
            "sqlite",
            lambda: Path(tmp) / f"db{next(counter)}.sqlite",
            engines.apply_sqlite,
            engines.sqlite_snapshot,
        )
