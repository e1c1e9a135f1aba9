"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from tests.helpers import require_corpus

pytest_plugins = ["tests.no_skips"]

# Property tests draw the same examples on every run of the suite, so that a run's verdict depends on
# the code alone; `DBDSL_HYPOTHESIS_EXPLORE=1` (or raising `DBDSL_HYPOTHESIS_EXAMPLES`) draws new ones,
# to look for inputs no run has tried yet.
settings.register_profile("suite", derandomize=True, database=None)
settings.register_profile("explore")
EXPLORE = os.environ.get("DBDSL_HYPOTHESIS_EXPLORE") or os.environ.get("DBDSL_HYPOTHESIS_EXAMPLES")
settings.load_profile("explore" if EXPLORE else "suite")


@pytest.fixture
def corpus() -> Path:
    return require_corpus()


_running: dict[str, object] = {}  # the session's servers, once a test has started them


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for the whole test session (see tests/pg.py)."""
    from tests.pg import running_postgres

    with running_postgres() as server:
        _running["postgres"] = server
        yield server
        _running.pop("postgres", None)


@pytest.fixture(autouse=True)
def _drop_test_databases():
    """The databases a test made are dropped when it ends (those of module- and session-scoped fixtures,
    made before the test's own fixtures, stay)."""
    server = _running.get("postgres")
    before = len(server.created) if server is not None else 0
    yield
    server = _running.get("postgres")
    if server is not None:
        server.drop_created(since=before)


@pytest.fixture
def pg_database(postgres):
    """A fresh, empty database on the session's server; yields its name."""
    return postgres.fresh_database()


@pytest.fixture(scope="session")
def mariadb():
    """A MariaDB server for the whole test session (see tests/mariadb.py)."""
    from tests.mariadb import running_mariadb

    with running_mariadb() as server:
        yield server
