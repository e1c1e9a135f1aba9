"""`dbdsl check`: output formats and exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import SAMPLES, run_cli

JSON_KEYS = {"file", "line", "column", "end_line", "end_column", "code", "category", "severity", "message"}


def test_clean_samples_pass() -> None:
    done = run_cli("check", str(SAMPLES / "ecommerce.dbml"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_errors_give_lines_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.dbml"
    path.write_text("Table t {\n  id int [pk,]\n}\nRef: t.id > nowhere.id\n", encoding="utf-8")
    done = run_cli("check", str(path))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].endswith(":2:14: error E001 unexpected ']'; expected a name")
    assert ":4:13: error E101 unknown table 'nowhere'" in lines[1]
    assert lines[-1].startswith("Found 2 errors")


def test_json_output_has_exactly_the_documented_keys(tmp_path: Path) -> None:
    path = tmp_path / "bad.dbml"
    path.write_text("Note n {\n  '🙂 emoji first' 'x'\n}\nTable t {\n  id int [pk,]\n}\n", encoding="utf-8")
    done = run_cli("check", "--format", "json", str(path))
    assert done.returncode == 1
    items = json.loads(done.stdout)
    assert items and all(set(item) == JSON_KEYS for item in items)
    syntax = next(i for i in items if i["code"] == "E001" and i["line"] == 5)
    assert (syntax["column"], syntax["end_line"], syntax["end_column"]) == (14, 5, 15)
    assert syntax["category"] == "syntax" and syntax["severity"] == "error"


def test_folders_are_walked(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.dbml").write_text("Table a {\n  id int [pk]\n}\n", encoding="utf-8")
    (tmp_path / "b.dbml").write_text("Table b {\n  id int [pk]\n}\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a schema", encoding="utf-8")
    done = run_cli("check", str(tmp_path))
    assert done.returncode == 0
    assert "(2 files)" in done.stdout


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("check", str(tmp_path / "absent.dbml"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"dbdsl: {tmp_path / 'absent.dbml'}: no such file or directory"


def test_undecodable_bytes_are_a_usage_error_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "latin1.dbml"
    path.write_bytes("Table caf\xe9 {\n  id int\n}\n".encode("latin-1"))
    done = run_cli("check", str(path))
    assert done.returncode == 2
    assert "not UTF-8" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_unknown_option_is_a_usage_error() -> None:
    done = run_cli("check", "--frobnicate", "x.dbml")
    assert done.returncode == 2
