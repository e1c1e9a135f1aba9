"""Raw SQL checked where it is written (E126, E127): what the SQL generator cannot read as one
expression is reported by `dbdsl check`, and every output that leaves its object out says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbdsl.workspace import Workspace
from tests.helpers import run_cli

DEEP = "(" * 50 + "1" + ")" * 50


def findings(text: str) -> list[tuple[str, str, int]]:
    workspace = Workspace()
    workspace.open("/virtual/f.dbml", text)
    return [
        (f.code, f.severity.value, f.span.start_pos[0])
        for f in workspace.analyze("/virtual/f.dbml").findings
        if f.code in ("E126", "E127")
    ]


def table(setting: str = "", index: str = "") -> str:
    indexes = f"  indexes {{\n    {index}\n  }}\n" if index else ""
    return f"Table t {{\n  id int [pk]\n  a int{setting}\n{indexes}}}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (table(" [default: `1); DROP TABLE x; --`]"), [("E126", "error", 2)]),
        (table(" [check: `a > 0; DELETE FROM t`]"), [("E126", "error", 2)]),
        (table(index="id [where: `a > 0; SELECT 1`]"), [("E126", "error", 4)]),
        (table(" [check: `a > (0`]"), [("E126", "warning", 2)]),
        (table(f" [default: `{DEEP}`]"), [("E126", "warning", 2)]),
        (table(index="`lower(a` [name: 'by_lower']"), [("E126", "warning", 4)]),
        (table(index="id [where: `(a`]"), [("E126", "warning", 4)]),
        (table(" [default: `now()`, check: `a > 0`]", "`lower(a::text)` [where: `a > 0`]"), []),
        (table() + "Query two {\n  'SELECT 1; SELECT 2'\n}\n", [("E127", "error", 5)]),
        (table() + "Query one {\n  'SELECT a FROM t WHERE id = 1;'\n}\n", []),
    ],
)
def test_fragments_are_checked(text: str, expected: list) -> None:
    assert findings(text) == expected


def test_outputs_say_what_they_leave_out(tmp_path: Path) -> None:
    text = "Project p {\n  database_type: 'PostgreSQL'\n}\n" + table(" [check: `a > (0`]", "id [where: `(a`]")
    (tmp_path / "s.dbml").write_text(text, encoding="utf-8")
    check = run_cli("check", "--no-lint", "s.dbml", cwd=tmp_path)
    assert check.returncode == 0 and check.stdout.count("E126") == 2  # warnings
    sql = run_cli("sql", "s.dbml", cwd=tmp_path)
    assert "predicate `(a` is not an SQL expression; the index is left out" in sql.stderr
    assert "CREATE INDEX" not in sql.stdout
    init = run_cli("migrate", "init", "s.dbml", "--dir", "m", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    assert init.stderr.count("warning E126") == 2 and "leaves the index out" in init.stderr


def test_several_statements_stop_the_outputs(tmp_path: Path) -> None:
    text = "Project p {\n  database_type: 'PostgreSQL'\n}\n" + table(" [default: `1); DROP TABLE x; --`]")
    (tmp_path / "s.dbml").write_text(text, encoding="utf-8")
    assert run_cli("check", "--no-lint", "s.dbml", cwd=tmp_path).returncode == 1
    assert run_cli("sql", "s.dbml", cwd=tmp_path).returncode == 1
    assert run_cli("migrate", "init", "s.dbml", "--dir", "m", cwd=tmp_path).returncode == 1
    assert not (tmp_path / "m").exists() or not list((tmp_path / "m").glob("*.sql"))
