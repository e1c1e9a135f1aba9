"""Inputs that used to end in a traceback: each is now a finding, or one line and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.restricted import run_without_override
from tests.helpers import run_cli

TABLE = "Table a {\n  id int [pk]\n}\n"


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr


def one_line(result, status: int = 2) -> str:
    no_traceback(result)
    assert result.returncode == status, result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("dbdsl:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("command", [["check"], ["sql", "--dialect", "mysql"], ["fmt", "--check"], ["erd"]])
def test_lone_surrogate_escape_in_a_name_is_an_error(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "s.dbml").write_text('Table "a\\udc80b" {\n  id int [pk]\n}\n', encoding="utf-8")
    result = run_cli(*command, "s.dbml", cwd=tmp_path)
    no_traceback(result)
    if command[0] in ("check", "sql", "erd"):
        assert result.returncode == 1
        assert "half of a surrogate pair" in result.stdout + result.stderr


def test_surrogate_pair_escape_is_one_character(tmp_path: Path) -> None:
    (tmp_path / "s.dbml").write_text('Table "a\\ud83d\\ude00" {\n  id int [pk]\n}\n', encoding="utf-8")
    result = run_cli("sql", "--dialect", "postgres", "s.dbml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert 'CREATE TABLE "a\U0001f600"' in result.stdout


@pytest.mark.parametrize("path", ["./x\x00y", "./x\\u0000y", "./\\udc80"])
def test_unusable_use_path_is_a_finding(tmp_path: Path, path: str) -> None:
    (tmp_path / "s.dbml").write_text(f"use * from '{path}'\n" + TABLE, encoding="utf-8")
    result = run_cli("check", "--no-lint", "s.dbml", cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 1
    assert "E118" in result.stdout or "E001" in result.stdout


def test_config_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "s.dbml").write_text(TABLE, encoding="utf-8")
    (tmp_path / "bad.toml").write_bytes(b'select = ["\xff"]\n')
    assert "not UTF-8" in one_line(run_cli("check", "--config", "bad.toml", "s.dbml", cwd=tmp_path))
    (tmp_path / "dbdsl.toml").write_bytes(b'select = ["\xff"]\n')
    assert "dbdsl.toml: not UTF-8" in one_line(run_cli("check", "s.dbml", cwd=tmp_path))


def test_fmt_stdin_that_is_not_utf8() -> None:
    import subprocess
    import sys

    from tests.helpers import REPO

    result = subprocess.run(
        [sys.executable, "-m", "dbdsl", "fmt", "-"], cwd=REPO, input=b"Table \xff {}\n", capture_output=True
    )
    assert result.returncode == 2
    assert result.stderr.decode().strip() == "dbdsl: <stdin>: not UTF-8 text (byte 6 cannot be decoded)"


@pytest.mark.parametrize("layout", ["folder", "subfolder"])
def test_check_on_an_unreadable_folder(tmp_path: Path, layout: str) -> None:
    top = tmp_path / "schemas"
    locked = top if layout == "folder" else top / "private"
    locked.mkdir(parents=True)
    (top / "a.dbml").write_text(TABLE, encoding="utf-8")
    (locked / "b.dbml").write_text(TABLE, encoding="utf-8")
    locked.chmod(0)
    try:
        result = run_without_override(["check", "schemas"], tmp_path)
    finally:
        locked.chmod(0o755)
    assert "cannot read (Permission denied)" in one_line(result)
    assert "All checks passed" not in result.stdout


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    (tmp_path / "s.dbml").write_text(TABLE, encoding="utf-8")
    assert run_cli("migrate", "init", "s.dbml", "--dir", "m", "--dialect", "sqlite", cwd=tmp_path).returncode == 0
    return tmp_path


EDITED = ["dialect", "dialect  ", "dialect postgres extra", "dialect mssql", "dialect Postgres"]


@pytest.mark.parametrize("line", EDITED)
def test_edited_dialect_line_of_the_checksum_file(directory: Path, line: str) -> None:
    sums = directory / "m" / "dbdsl.sum"
    lines = sums.read_text(encoding="utf-8").split("\n")
    lines[next(i for i, x in enumerate(lines) if x.startswith("dialect"))] = line
    sums.write_text("\n".join(lines), encoding="utf-8")
    verify = run_cli("migrate", "verify", "m", cwd=directory)
    no_traceback(verify)
    assert verify.returncode == 1 and "dbdsl.sum" in verify.stdout
    diff = run_cli("migrate", "diff", "--to", "s.dbml", "--dir", "m", cwd=directory)
    no_traceback(diff)
    assert diff.returncode in (1, 2)
    one_line(run_cli("migrate", "hash", "m", cwd=directory))
    # recorded again with the dialect given, the directory verifies
    assert run_cli("migrate", "hash", "m", "--dialect", "sqlite", cwd=directory).returncode == 0
    assert run_cli("migrate", "verify", "m", cwd=directory).returncode == 0
