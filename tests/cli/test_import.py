"""`dbdsl import`: SQL in, a schema file out that `dbdsl check` accepts and that means the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbdsl.emit.sql import generate
from dbdsl.workspace import Workspace
from tests.helpers import SAMPLES, run_cli
from tests.importers.normal import comparable


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
def test_sample_through_sql_and_back(tmp_path: Path, dialect: str) -> None:
    schema = Workspace().analyze(str(SAMPLES / "ecommerce.dbml")).schema
    sql = tmp_path / "shop.sql"
    sql.write_text(generate(schema, dialect, records=False).text(), encoding="utf-8")
    out = tmp_path / "shop.dbml"
    done = run_cli("import", str(sql), "--dialect", dialect, "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    engine = {"postgres": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite"}[dialect]
    assert text.startswith(f"Project shop {{\n  database_type: '{engine}'\n}}")
    assert run_cli("check", str(out)).returncode == 0
    back = Workspace().analyze(str(out)).schema
    assert {t.name for t in back.tables} == {t.name for t in schema.tables}
    if dialect == "postgres":
        assert comparable(back) == comparable(schema, records=False)


def test_standard_input_and_warnings_on_stderr() -> None:
    sql = (
        "CREATE TABLE a (id INT PRIMARY KEY);\nCREATE TABLE (;\nCREATE TABLE b (id INT, a_id INT REFERENCES a (id));\n"
    )
    done = run_cli("import", "-", "--dialect", "postgres", input=sql)
    assert done.returncode == 0
    assert "Table a {" in done.stdout and "a_id int [ref: > a.id]" in done.stdout
    assert done.stderr.splitlines() == [
        "<stdin>:2: CREATE TABLE (: skipped, cannot be read (Expected table name but got '(')",
        "<stdin>: 2 tables imported; 1 statement or part not carried over (listed above)",
    ]


def test_strict_exits_1_when_anything_was_skipped(tmp_path: Path) -> None:
    sql = "CREATE TABLE a (id INT PRIMARY KEY);\nCREATE VIEW v AS SELECT id FROM a;\n"
    out = tmp_path / "a.dbml"
    done = run_cli("import", "-", "--dialect", "postgres", "--strict", "-o", str(out), input=sql)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == "<stdin>:2: CREATE VIEW v: skipped, views are not part of a schema model"
    assert "Table a {" in out.read_text(encoding="utf-8")
    clean = run_cli("import", "-", "--dialect", "postgres", "--strict", input="CREATE TABLE a (id INT);\n")
    assert (clean.returncode, clean.stderr) == (0, "")


def test_parser_noise_stays_off_stderr() -> None:
    """sqlglot logs a warning for statements it reads as opaque commands; only the summary is printed."""
    sql = "CREATE TABLE a (id INT);\nCREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION f();\n"
    done = run_cli("import", "-", "--dialect", "postgres", input=sql)
    assert done.returncode == 0
    assert "unsupported syntax" not in done.stderr and "Command" not in done.stderr
    assert done.stderr.splitlines()[0].startswith("<stdin>:2: CREATE TRIGGER t AFTER INSERT")


def test_nothing_found_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "empty.sql"
    path.write_text("-- nothing here\n", encoding="utf-8")
    done = run_cli("import", str(path), "--dialect", "sqlite")
    assert done.returncode == 0
    assert "warning: no table or enum was found" in done.stderr


def test_dialect_is_required() -> None:
    done = run_cli("import", "x.sql")
    assert done.returncode == 2
    assert "--dialect" in done.stderr and "Traceback" not in done.stderr


def test_bytes_that_are_not_utf8_are_one_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.sql"
    path.write_bytes("CREATE TABLE caf\xe9 (id INT);".encode("latin-1"))
    done = run_cli("import", str(path), "--dialect", "postgres")
    assert done.returncode == 2
    assert "not UTF-8" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_missing_file(tmp_path: Path) -> None:
    done = run_cli("import", str(tmp_path / "no.sql"), "--dialect", "postgres")
    assert done.returncode == 2
    assert done.stderr.strip() == f"dbdsl: {tmp_path / 'no.sql'}: no such file or directory"
