"""Live-database benchmark: `pull` and `diff` on the largest realworld PostgreSQL dump.

Starts a throw-away PostgreSQL server (as the tests do, tests/pg.py), loads
../shared/corpus/realworld/lago.postgres.sql (the largest dump, 139 tables) with psql, then times,
median of several runs:
- reading the catalog (the DDL queries only);
- `pull` (catalog, SQL reader, model) and writing the DBML text;
- `diff` of the database against the pulled file (pull, analysis of the file, plan).
Prints figures; it is not a test.

    python bench/live.py [--runs N] [--dump NAME]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("DBDSL_SHARED", REPO.parent / "shared"))
REALWORLD = SHARED / "corpus" / "realworld"

from dbdsl.live.catalog import read_catalog  # noqa: E402
from dbdsl.live.connect import connect  # noqa: E402
from dbdsl.live.drift import database_side, drift, read_side  # noqa: E402
from dbdsl.live.pull import pull  # noqa: E402
from tests.live.urls import pg_url  # noqa: E402
from tests.pg import pg_bin, running_postgres  # noqa: E402


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dump", default="lago.postgres.sql")
    args = parser.parse_args()
    dump = REALWORLD / args.dump
    if not dump.is_file():
        print(f"needs the shared corpus: {dump} is not there")
        return 0
    with running_postgres() as server:
        database = server.fresh_database("bench")
        subprocess.run(
            [pg_bin("psql"), "-X", "-q", "-d", database, "-f", str(dump)],
            env=server.psql_env(),
            capture_output=True,
            check=True,
        )
        url = pg_url(server, database)
        with connect(url) as db:
            catalog_s, script = timed(lambda: read_catalog(db), args.runs)
            pull_s, pulled = timed(lambda: pull(db).text(), args.runs)
            tables = len(pull(db).schema.tables)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "pulled.dbml"
            path.write_text(pulled, encoding="utf-8")

            def diff_once():
                with connect(url) as db:
                    return drift(database_side(db), read_side(str(path)))

            diff_s, migration = timed(diff_once, args.runs)
    print(
        f"{args.dump}: {tables} tables, {len(script.statements)} catalog statements, {len(pulled)} characters of DBML"
    )
    print(f"  read catalog   {catalog_s * 1000:8.1f} ms")
    print(f"  pull (to DBML) {pull_s * 1000:8.1f} ms")
    print(f"  diff URL FILE  {diff_s * 1000:8.1f} ms  ({len(migration.steps)} steps: database against its own pull)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
