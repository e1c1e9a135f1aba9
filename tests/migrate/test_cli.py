"""`dbdsl migrate`: output, files written, exit statuses (0 ok, 1 problems, 2 usage), no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli

V1 = "Project shop {\n  database_type: 'PostgreSQL'\n}\nTable users {\n  id int [pk]\n  email text [not null]\n}\n"
V2 = V1.replace("  email text [not null]\n", "  email text [not null]\n  name text\n  indexes {\n    email\n  }\n")
V3 = V1.replace("  email text [not null]\n", "")


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for name, text in (("v1.dbml", V1), ("v2.dbml", V2), ("v3.dbml", V3)):
        (tmp_path / name).write_text(text)
    return tmp_path


def ok(result) -> None:
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_init_diff_plan_verify(files: Path) -> None:
    result = run_cli("migrate", "init", "v1.dbml", cwd=files)
    ok(result)
    assert "0001_tables: core tables (1 step)" in result.stdout
    assert sorted(p.name for p in (files / "migrations").iterdir()) == [
        "0001_tables.down.sql",
        "0001_tables.up.sql",
        "dbdsl.sum",
    ]

    result = run_cli("migrate", "plan", "--to", "v2.dbml", cwd=files)
    ok(result)
    assert "Migration from migrations to v2.dbml (postgres): 2 steps" in result.stdout
    assert 'ALTER TABLE "users" ADD COLUMN "name" TEXT' in result.stdout
    assert "M007 create-index-blocking" in result.stdout
    assert "Rollback: 2 steps" in result.stdout
    assert not (files / "migrations" / "0002_add_users_name_and_more.up.sql").exists()

    result = run_cli("migrate", "plan", "--to", "v2.dbml", "--safe", "--format", "json", cwd=files)
    ok(result)
    plan = json.loads(result.stdout)
    assert plan["dialect"] == "postgres" and not plan["refused"]
    assert [s["form"] for s in plan["steps"]] == ["plain", "safe"]
    assert any("CONCURRENTLY" in sql for s in plan["steps"] for sql in s["sql"])
    assert plan["warnings"] == []

    result = run_cli("migrate", "diff", "--to", "v2.dbml", cwd=files)
    ok(result)
    assert "Wrote migrations/0002_add_users_name_and_more.up.sql" in result.stdout
    up = (files / "migrations" / "0002_add_users_name_and_more.up.sql").read_text()
    assert up.startswith("-- 0002_add_users_name_and_more (up)\n")
    assert "-- M007 create-index-blocking:" in up

    result = run_cli("migrate", "diff", "--to", "v2.dbml", cwd=files)
    ok(result)
    assert "No changes from migrations to v2.dbml; nothing written." in result.stdout

    ok(run_cli("migrate", "verify", cwd=files))
    result = run_cli("migrate", "verify", "migrations", cwd=files)
    assert "migrations: 2 migrations verified (checksums, replay, rollbacks)." in result.stdout


def test_destructive_plan_is_refused(files: Path) -> None:
    ok(run_cli("migrate", "init", "v1.dbml", cwd=files))
    result = run_cli("migrate", "diff", "--to", "v3.dbml", "--name", "drop email", cwd=files)
    assert result.returncode == 1
    assert "refused M002 drop-column: column users.email is dropped with its data" in result.stderr
    assert "nothing written" in result.stderr
    assert len(list((files / "migrations").glob("*.sql"))) == 2
    result = run_cli("migrate", "plan", "--to", "v3.dbml", cwd=files)
    assert result.returncode == 1 and "refused M002" in result.stdout
    result = run_cli("migrate", "diff", "--to", "v3.dbml", "--name", "drop email", "--allow-destructive", cwd=files)
    ok(result)
    down = (files / "migrations" / "0002_drop_email.down.sql").read_text()
    assert "recreates users.email empty" in down


def test_edited_history_is_detected(files: Path) -> None:
    ok(run_cli("migrate", "init", "v1.dbml", cwd=files))
    up = files / "migrations" / "0001_tables.up.sql"
    up.write_text(up.read_text().replace('"email" TEXT NOT NULL', '"email" TEXT'))
    result = run_cli("migrate", "verify", cwd=files)
    assert result.returncode == 1
    assert "migrations/0001_tables.up.sql: was edited after it was recorded" in result.stdout
    result = run_cli("migrate", "diff", "--to", "v2.dbml", cwd=files)
    assert result.returncode == 1 and "cannot be trusted" in result.stderr
    ok(run_cli("migrate", "hash", cwd=files))
    ok(run_cli("migrate", "verify", cwd=files))


def test_from_a_file_and_sqlite(files: Path) -> None:
    result = run_cli(
        "migrate", "diff", "--from", "v1.dbml", "--to", "v2.dbml", "--dir", "lite", "--dialect", "sqlite", cwd=files
    )
    ok(result)
    assert (files / "lite" / "0001_add_users_name_and_more.up.sql").exists()
    assert "dialect sqlite" in (files / "lite" / "dbdsl.sum").read_text()
    result = run_cli(
        "migrate", "diff", "--from", "v1.dbml", "--to", "v2.dbml", "--dir", "lite", "--dialect", "postgres", cwd=files
    )
    assert result.returncode == 2 and "holds sqlite migrations" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("migrate",), "choose an action"),
        (("migrate", "plan", "--to", "missing.dbml", "--from", "v1.dbml"), "missing.dbml: no such file"),
        (("migrate", "plan", "--to", "v2.dbml", "--from", "nowhere"), "nowhere: no such file or directory"),
        (("migrate", "plan", "--to", "v2.dbml", "--from", "v1.dbml", "--dialect", "mysql"), "mysql is not supported"),
        (("migrate", "plan", "--to", "v2.dbml", "--from", "v1.dbml", "--dialect", "cobol"), "unknown dialect 'cobol'"),
        (("migrate", "plan", "--to", "v2.dbml"), "give --from"),
        (("migrate", "verify", "nowhere"), "nowhere: no such directory"),
        (("migrate", "plan", "--to", "v2.dbml", "--from", "git:HEAD"), "not inside a git repository"),
    ],
)
def test_usage_errors(files: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli(*args, cwd=files)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_schema_with_errors(files: Path) -> None:
    (files / "broken.dbml").write_text("Table t {\n  id int [pk]\n  x int [ref: > nowhere.id]\n}\n")
    result = run_cli("migrate", "plan", "--to", "broken.dbml", "--from", "v1.dbml", cwd=files)
    assert result.returncode == 1
    assert "broken.dbml:3:" in result.stderr and "fix them first" in result.stderr


def test_no_dialect(files: Path) -> None:
    (files / "plain.dbml").write_text("Table t {\n  id int [pk]\n}\n")
    result = run_cli("migrate", "init", "plain.dbml", cwd=files)
    assert result.returncode == 2 and "give --dialect" in result.stderr
    ok(run_cli("migrate", "init", "plain.dbml", "--dialect", "pg", cwd=files))
    result = run_cli("migrate", "init", "plain.dbml", cwd=files)
    assert result.returncode == 1 and "already has migrations" in result.stderr


def test_configuration_turns_rules_off(files: Path) -> None:
    ok(run_cli("migrate", "init", "v1.dbml", cwd=files))
    (files / "dbdsl.toml").write_text('ignore = ["M007", "M002"]\n')
    result = run_cli("migrate", "plan", "--to", "v2.dbml", cwd=files)
    ok(result)
    assert "M007" not in result.stdout
    # a refusal to drop data is never turned off
    result = run_cli("migrate", "plan", "--to", "v3.dbml", cwd=files)
    assert result.returncode == 1 and "refused M002" in result.stdout
