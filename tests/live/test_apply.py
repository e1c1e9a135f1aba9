"""`dbdsl migrate apply|rollback|status` on real PostgreSQL and SQLite, with the thirteen-version series
of tests/migrate: version by version, status after each, the catalog equal to a fresh database of that
version and the rows kept; rollback to each earlier version; two applies at once; a migration that
fails in its middle, then fixed; an applied migration edited afterwards is refused."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from dbdsl.cli import main
from dbdsl.live.connect import connect
from dbdsl.live.history import OWN_TABLES
from dbdsl.migrate.directory import MigrationDirectory
from tests.helpers import REPO
from tests.live.urls import pg_url, sqlite_url
from tests.migrate.test_series import (
    DESTRUCTIVE,
    SEEDS,
    VERSIONS,
    Engine,
    expected_after,
    rows_by_table,
    same_rows,
    schema_of,
)


def write_series(directory: Path, dialect: str) -> int:
    """The series' migrations written into `directory`; the number of files `migrate init` wrote."""
    assert main(["migrate", "init", str(VERSIONS[0]), "--dir", str(directory), "--dialect", dialect]) == 0
    init_count = len(MigrationDirectory(directory).migrations())
    for previous, current in itertools.pairwise(VERSIONS):
        flags = ["--allow-destructive"] if current.stem in DESTRUCTIVE else []
        args = ["migrate", "diff", "--to", str(current), "--from", str(previous), "--dir", str(directory)]
        assert main([*args, "--name", current.stem[4:], *flags]) == 0
    return init_count


def own_tables_left_out(snapshot: dict) -> dict:
    tables = {k: v for k, v in snapshot["tables"].items() if k.split(".")[-1] not in OWN_TABLES}
    return {**snapshot, "tables": tables}


def cli(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out + out.err


def history_rows(url: str) -> list[tuple]:
    with connect(url) as db:
        return db.query("SELECT version, status FROM dbdsl_schema_history ORDER BY version")


@pytest.mark.slow
@pytest.mark.parametrize("dialect", ["postgres", "sqlite"])
def test_series_applied_version_by_version(dialect: str, request, tmp_path: Path, capsys) -> None:
    postgres = request.getfixturevalue("postgres") if dialect == "postgres" else None
    engine = Engine(dialect, postgres, tmp_path)
    url = pg_url(postgres, engine.db) if dialect == "postgres" else sqlite_url(engine.db, create=True)
    directory = tmp_path / "migrations"
    init_count = write_series(directory, dialect)
    schemas = [schema_of(v) for v in VERSIONS]
    fresh = [engine.fresh_snapshot(s) for s in schemas]
    base = ["--url", url, "--dir", str(directory)]

    status, output = cli(capsys, "migrate", "status", *base)
    assert status == 1 and "pending" in output

    for i in range(len(VERSIONS)):
        if i:
            seeds = SEEDS.get(VERSIONS[i - 1].stem)
            if seeds:
                engine.execute(seeds)
            before = rows_by_table(engine, schemas[i - 1])
        number = init_count + i
        status, output = cli(capsys, "migrate", "apply", *base, "--to", str(number))
        assert status == 0, output
        assert own_tables_left_out(engine.snapshot()) == fresh[i], f"catalog after {VERSIONS[i].name}"
        if i:
            same_rows(expected_after(before, schemas[i - 1], schemas[i]), engine)
        status, output = cli(capsys, "migrate", "status", *base)
        last = i == len(VERSIONS) - 1
        assert status == (0 if last else 1), output
        assert output.count(": applied ") == number
        assert ("Up to date" in output) == last

    status, output = cli(capsys, "migrate", "apply", *base)
    assert status == 0 and "up to date" in output
    rows = history_rows(url)
    assert [r[0] for r in rows] == list(range(1, init_count + len(VERSIONS)))
    assert {r[1] for r in rows} == {"applied"}

    kept = engine.rows("customers")
    for i in range(len(VERSIONS) - 2, -1, -1):
        number = init_count + i
        status, output = cli(capsys, "migrate", "rollback", *base, "--to", str(number))
        assert status == 0, output
        assert own_tables_left_out(engine.snapshot()) == fresh[i], f"catalog after rolling back to {VERSIONS[i].name}"
        status, output = cli(capsys, "migrate", "status", *base)
        assert status == 1 and "pending" in output
    assert {r["id"] for r in engine.rows("customers")} == {r["id"] for r in kept}  # rows kept on the way down

    # and up again to the end
    status, output = cli(capsys, "migrate", "apply", *base)
    assert status == 0, output
    assert own_tables_left_out(engine.snapshot()) == fresh[-1]
    assert len(history_rows(url)) == init_count + len(VERSIONS) - 1


def _apply_process(url: str, directory: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dbdsl", "migrate", "apply", "--url", url, "--dir", str(directory)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.parametrize("dialect", ["postgres", "sqlite"])
def test_two_applies_at_once(dialect: str, request, tmp_path: Path) -> None:
    if dialect == "postgres":
        postgres = request.getfixturevalue("postgres")
        url = pg_url(postgres, postgres.fresh_database("twice"))
    else:
        url = sqlite_url(tmp_path / "twice.db", create=True)
    directory = tmp_path / "migrations"
    init_count = write_series(directory, dialect)
    total = init_count + len(VERSIONS) - 1
    runs = [_apply_process(url, directory) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in runs]
    assert [p.returncode for p in runs] == [0, 0], outputs
    applied = [line.split()[1] for out in outputs for line in out.splitlines() if line.startswith("applied ")]
    assert len(applied) == total and len(set(applied)) == total, outputs  # each migration run exactly once
    rows = history_rows(url)
    assert [r[0] for r in rows] == list(range(1, total + 1))


def test_lock_held_says_who(postgres, tmp_path: Path, capsys) -> None:
    url = pg_url(postgres, postgres.fresh_database("held"))
    directory = tmp_path / "migrations"
    write_series(directory, "postgres")
    with connect(url) as holder:
        holder.execute("SELECT pg_advisory_lock(4242013)")
        status, output = cli(capsys, "migrate", "apply", "--url", url, "--dir", str(directory), "--lock-timeout", "0.5")
    assert status == 1
    assert "holds the lock" in output and "dbdsl (" in output, output
    assert "applied" not in output


FAILING = """BEGIN;
CREATE TABLE "shelves" (
  "id" INT NOT NULL PRIMARY KEY
);
INSERT INTO "shelves" ("id") VALUES (1);
INSERT INTO "shelves" ("id") VALUES (1);
CREATE TABLE "bins" ("id" INT NOT NULL PRIMARY KEY);
COMMIT;
"""


@pytest.mark.parametrize("dialect", ["postgres", "sqlite"])
def test_failing_migration_then_fixed(dialect: str, request, tmp_path: Path, capsys) -> None:
    if dialect == "postgres":
        postgres = request.getfixturevalue("postgres")
        url = pg_url(postgres, postgres.fresh_database("fails"))
    else:
        url = sqlite_url(tmp_path / "fails.db", create=True)
    directory = tmp_path / "migrations"
    schema = tmp_path / "s.dbml"
    schema.write_text("Table items {\n  id int [pk]\n}\n")
    assert main(["migrate", "init", str(schema), "--dir", str(directory), "--dialect", dialect]) == 0
    count = len(MigrationDirectory(directory).migrations())
    up = directory / f"{count + 1:04d}_shelves.up.sql"
    up.write_text(FAILING)
    (directory / f"{count + 1:04d}_shelves.down.sql").write_text('DROP TABLE "bins";\nDROP TABLE "shelves";\n')
    status, output = cli(capsys, "migrate", "apply", "--url", url, "--dir", str(directory))
    assert status == 1 and "dbdsl.sum does not verify" in output  # not recorded yet: nothing runs
    assert main(["migrate", "hash", str(directory)]) == 0

    status, output = cli(capsys, "migrate", "apply", "--url", url, "--dir", str(directory))
    assert status == 1
    assert f"{up.name} line 6 failed" in output and "rolled back" in output and "migrate hash" in output, output
    with connect(url) as db:
        rows = db.query(
            "SELECT status, failed_line, failed_statement FROM dbdsl_schema_history WHERE version = %s", (count + 1,)
        )
    assert rows[0][0] == "failed" and rows[0][1] == 6 and "VALUES (1)" in rows[0][2]
    status, output = cli(capsys, "migrate", "status", "--url", url, "--dir", str(directory))
    assert status == 1 and "failed at line 6" in output

    up.write_text(
        FAILING.replace(
            'VALUES (1);\nINSERT INTO "shelves" ("id") VALUES (1)',
            'VALUES (1);\nINSERT INTO "shelves" ("id") VALUES (2)',
        )
    )
    assert main(["migrate", "hash", str(directory)]) == 0
    status, output = cli(capsys, "migrate", "apply", "--url", url, "--dir", str(directory))
    assert status == 0, output
    status, output = cli(capsys, "migrate", "status", "--url", url, "--dir", str(directory))
    assert status == 0, output
    with connect(url) as db:
        assert db.query('SELECT count(*) FROM "shelves"')[0][0] == 2

    # an applied migration edited afterwards (and re-recorded) is refused before anything runs
    up.write_text(up.read_text() + "-- edited\n")
    assert main(["migrate", "hash", str(directory)]) == 0
    status, output = cli(capsys, "migrate", "apply", "--url", url, "--dir", str(directory))
    assert status == 1 and "was changed after it was applied" in output
    status, output = cli(capsys, "migrate", "status", "--url", url, "--dir", str(directory))
    assert status == 1 and "changed" in output


def test_failed_rollback_blocks_apply_until_fixed(tmp_path: Path, capsys) -> None:
    url = sqlite_url(tmp_path / "back.db", create=True)
    directory = tmp_path / "migrations"
    schema = tmp_path / "s.dbml"
    schema.write_text("Table items {\n  id int [pk]\n}\n")
    assert main(["migrate", "init", str(schema), "--dir", str(directory), "--dialect", "sqlite"]) == 0
    assert cli(capsys, "migrate", "apply", "--url", url, "--dir", str(directory))[0] == 0
    down = next(directory.glob("0001_*.down.sql"))
    good = down.read_text()
    down.write_text("DROP TABLE no_such_table;\n" + good)
    assert main(["migrate", "hash", str(directory)]) == 0

    status, output = cli(capsys, "migrate", "rollback", "--url", url, "--dir", str(directory), "--to", "0")
    assert status == 1 and f"{down.name} line 1 failed" in output, output
    status, output = cli(capsys, "migrate", "status", "--url", url, "--dir", str(directory))
    assert status == 1 and "failed at line 1 of its down file" in output, output
    status, output = cli(capsys, "migrate", "apply", "--url", url, "--dir", str(directory))
    assert status == 1 and "the rollback of 0001_tables failed" in output, output

    down.write_text(good)
    assert main(["migrate", "hash", str(directory)]) == 0
    status, output = cli(capsys, "migrate", "rollback", "--url", url, "--dir", str(directory), "--to", "0")
    assert status == 0 and "rolled back 0001_tables" in output, output
    status, output = cli(capsys, "migrate", "apply", "--url", url, "--dir", str(directory))
    assert status == 0 and "applied 0001_tables" in output, output
