"""SQL that once crashed `dbdsl import` or made it write DBML its own checker rejects: each input is one
line in the summary at most, never a traceback, and the output checks clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbdsl.importers.sql import import_sql
from tests.helpers import run_cli

NESTED = "(" * 60 + "1" + ")" * 60

CASES = {
    "default nested 60 parentheses": ("postgres", f"CREATE TABLE t (a int DEFAULT {NESTED});"),
    "user type in sqlite": ("sqlite", "CREATE TABLE t (c mood);"),
    "user type in mssql": ("mssql", "CREATE TABLE t (c mood);"),
    "user type in oracle": ("oracle", "CREATE TABLE t (c mood);"),
    "comment on a one-part column name": ("postgres", "CREATE TABLE t (c int);\nCOMMENT ON COLUMN name IS 'x';"),
    "names with a newline": ("postgres", 'CREATE TABLE "a\nb" ("c\nd" int, "e\tf" int);'),
    "self-referencing foreign key": (
        "postgres",
        "CREATE TABLE t (id int PRIMARY KEY, parent int REFERENCES t (id), CONSTRAINT same FOREIGN KEY (id) "
        "REFERENCES t (id));",
    ),
    "create table like": ("postgres", "CREATE TABLE s (id int NOT NULL);\nCREATE TABLE t (LIKE s INCLUDING ALL);"),
}


@pytest.mark.parametrize("name", CASES)
def test_hostile_input_is_one_line_and_checks_clean(tmp_path: Path, name: str) -> None:
    dialect, sql = CASES[name]
    source = tmp_path / "in.sql"
    source.write_text(sql, encoding="utf-8")
    out = tmp_path / "out.dbml"
    done = run_cli("import", str(source), "--dialect", dialect, "-o", str(out))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert len([line for line in done.stderr.splitlines() if line.startswith(f"{source}:")]) <= 2
    check = run_cli("check", "--no-lint", str(out))
    assert check.returncode == 0, check.stdout


def test_what_the_hostile_inputs_become() -> None:
    deep = import_sql(CASES["default nested 60 parentheses"][1], "postgres")
    assert deep.schema.table("t").column("a").default.value == "1" and deep.skipped == []
    for dialect in ("sqlite", "mssql", "oracle"):
        assert import_sql("CREATE TABLE t (c mood);", dialect).schema.table("t").column("c").type.name == "mood"
    comment = import_sql(CASES["comment on a one-part column name"][1], "postgres")
    assert [(s.line, "a column is named table.column" in s.message) for s in comment.skipped] == [(2, True)]
    newline = import_sql(CASES["names with a newline"][1], "postgres")
    assert [c.name for c in newline.schema.table("a\nb").columns] == ["c\nd", "e\tf"]
    self_ref = import_sql(CASES["self-referencing foreign key"][1], "postgres")
    assert [(r.fk_side.columns, r.pk_side.columns) for r in self_ref.schema.refs] == [(("parent",), ("id",))]
    assert [s.message for s in self_ref.skipped] == ["foreign key same: links a column to itself; left out"]
    like = import_sql(CASES["create table like"][1], "postgres")
    assert like.schema.table("t").column("id").not_null
    assert [s.line for s in like.skipped] == [2]
