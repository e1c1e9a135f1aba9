"""`dbdsl fmt`: in place, --check, --diff, stdin, folders, errors."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_cli

MESSY = "Table   t {\n  id int   [pk]\n  name   text\n}\n"
CLEAN = "Table t {\n  id   int [pk]\n  name text\n}\n"


def test_formats_in_place_and_keeps_formatted_files(tmp_path: Path) -> None:
    (tmp_path / "a.dbml").write_text(MESSY)
    (tmp_path / "b.dbml").write_text(CLEAN)
    result = run_cli("fmt", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a.dbml").read_text() == CLEAN
    assert (tmp_path / "b.dbml").read_text() == CLEAN
    assert "1 file reformatted, 1 file left unchanged" in result.stderr


def test_check_reports_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.dbml"
    path.write_text(MESSY)
    result = run_cli("fmt", "--check", str(path))
    assert result.returncode == 1
    assert "would reformat" in result.stdout and path.read_text() == MESSY
    path.write_text(CLEAN)
    assert run_cli("fmt", "--check", str(path)).returncode == 0


def test_diff(tmp_path: Path) -> None:
    path = tmp_path / "a.dbml"
    path.write_text(MESSY)
    result = run_cli("fmt", "--diff", str(path))
    assert result.returncode == 1 and path.read_text() == MESSY
    assert "-Table   t {\n" in result.stdout and "+Table t {\n" in result.stdout


def test_stdin_to_stdout() -> None:
    result = run_cli("fmt", "-", input=MESSY)
    assert result.returncode == 0 and result.stdout == CLEAN


def test_blocks_with_errors_are_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.dbml"
    path.write_text("Table a {\n  id int [pk\n}\n\n" + MESSY)
    result = run_cli("fmt", str(path))
    assert result.returncode == 0
    assert "1 block with syntax errors left as written" in result.stderr
    assert path.read_text() == "Table a {\n  id int [pk\n}\n\n" + CLEAN


def test_keeps_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "a.dbml"
    path.write_bytes(b"\xef\xbb\xbf" + MESSY.replace("\n", "\r\n").encode())
    assert run_cli("fmt", str(path)).returncode == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + CLEAN.replace("\n", "\r\n").encode()


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    result = run_cli("fmt", str(tmp_path / "nope.dbml"))
    assert result.returncode == 2 and "no such file" in result.stderr
    bad = tmp_path / "bad.dbml"
    bad.write_bytes(b"Table \xff {}\n")
    result = run_cli("fmt", str(bad))
    assert result.returncode == 2 and "not UTF-8" in result.stderr and "Traceback" not in result.stderr
