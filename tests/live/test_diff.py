"""`dbdsl diff URL FILE`: no drift for a database made from the file; a column added by hand is
reported in plan's words (either order), and `--sql` prints the migration."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbdsl.cli import main
from tests.live.urls import pg_url, sqlite_url
from tests.migrate import engines
from tests.migrate.test_series import VERSIONS

LAST = VERSIONS[-1]


def run(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out + out.err


@pytest.mark.parametrize("dialect", ["postgres", "sqlite"])
def test_drift_of_a_column_added_by_hand(dialect: str, request, tmp_path: Path, capsys) -> None:
    script = tmp_path / "v.sql"
    assert main(["sql", str(LAST), "--dialect", dialect, "-o", str(script)]) == 0
    if dialect == "postgres":
        postgres = request.getfixturevalue("postgres")
        database = postgres.fresh_database("drift")
        engines.apply_pg(postgres, database, script.read_text())
        url = pg_url(postgres, database)
    else:
        path = tmp_path / "v.db"
        engines.apply_sqlite(path, script.read_text())
        url = sqlite_url(path)

    status, output = run(capsys, "diff", url, str(LAST))
    assert (status, output.splitlines()[0].startswith("No drift")) == (0, True), output

    added = 'ALTER TABLE "customers" ADD COLUMN "nickname" VARCHAR(40)'
    if dialect == "postgres":
        engines.apply_pg(postgres, database, added + ";")
    else:
        engines.apply_sqlite(path, added + ";")
    status, output = run(capsys, "diff", url, str(LAST))
    assert status == 1
    assert "1. drop column customers.nickname" in output, output
    status, output = run(capsys, "diff", str(LAST), url)
    assert status == 1 and "1. add column customers.nickname" in output, output
    status, output = run(capsys, "diff", str(LAST), url, "--sql")
    assert status == 1 and 'ADD COLUMN "nickname" VARCHAR(40)' in output, output


def test_diff_bad_sides(capsys, tmp_path: Path) -> None:
    status, output = run(capsys, "diff", "ftp://x/y", str(LAST))
    assert status == 2 and "unknown URL scheme" in output
    status, output = run(capsys, "diff", str(tmp_path / "none.dbml"), str(LAST))
    assert status == 2 and len(output.strip().splitlines()) == 1, output
