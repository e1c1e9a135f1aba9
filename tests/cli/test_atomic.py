"""Every file the command line writes appears whole or not at all: on a full disk or in a read-only
folder the command exits 2 with one line, the old file is untouched and no temporary file remains; a
document and its SVG, a migration pair and its checksum file, are one unit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.restricted import FULL_LIMIT, run_restricted

OLD = "-- the old file, kept whole\n"


def big_schema() -> str:
    """A schema whose outputs are several times larger than the full disk."""
    tables = "".join(
        f"Table t{i} [note: 'table number {i}'] {{\n  id int [pk]\n  name varchar(100) [not null, note: 'a name']\n"
        f"  parent_id int [ref: > t{max(i - 1, 0)}.id]\n}}\n"
        for i in range(120)
    )
    return "Project p {\n  database_type: 'PostgreSQL'\n}\n" + tables


def big_sql() -> str:
    return "".join(f"CREATE TABLE t{i} (id int PRIMARY KEY, name varchar(100) NOT NULL);\n" for i in range(200))


def one_line_failure(result) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("dbdsl:")]
    assert len(lines) == 1, result.stderr


def untouched(after: Path, before: dict[str, str]) -> None:
    assert sorted(p.name for p in after.iterdir()) == sorted(before)  # nothing partial, no temporary file
    for name, text in before.items():
        assert (after / name).read_text(encoding="utf-8") == text


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    (tmp_path / "big.dbml").write_text(big_schema(), encoding="utf-8")
    (tmp_path / "big.sql").write_text(big_sql(), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("out.sql", ["sql", "big.dbml", "-o", "out/out.sql"]),
        ("out.dbml", ["import", "big.sql", "--dialect", "postgres", "-o", "out/out.dbml"]),
        ("out.dot", ["erd", "big.dbml", "-o", "out/out.dot"]),
        ("out.svg", ["erd", "big.dbml", "-o", "out/out.svg"]),
        ("DESIGN.md", ["doc", "big.dbml", "-o", "out/DESIGN.md"]),
    ],
)
def test_output_on_a_full_disk_keeps_the_old_file(inputs: Path, name: str, args: list[str]) -> None:
    result, after = run_restricted(inputs, {name: OLD}, args, mode="full")
    one_line_failure(result)
    untouched(after, {name: OLD})


def test_document_and_svg_are_one_unit(inputs: Path) -> None:
    """The SVG fits on the disk alone, the document does not: neither is written."""
    before = {"DESIGN.md": OLD, "DESIGN.svg": "<svg>old</svg>\n"}
    result, after = run_restricted(inputs, before, ["doc", "big.dbml", "-o", "out/DESIGN.md"], mode="full")
    one_line_failure(result)
    untouched(after, before)


def test_migrate_init_on_a_full_disk_writes_nothing(inputs: Path) -> None:
    args = ["migrate", "init", "big.dbml", "--dir", "out"]
    result, after = run_restricted(inputs, {"README": OLD}, args, mode="full")
    one_line_failure(result)
    untouched(after, {"README": OLD})


def test_fmt_in_a_read_only_folder(inputs: Path) -> None:
    messy = "Table a {\nid int [pk]\n}\n"
    result, after = run_restricted(inputs, {"a.dbml": messy}, ["fmt", "out/a.dbml"], mode="readonly")
    one_line_failure(result)
    assert "a.dbml: cannot write" in result.stderr
    untouched(after, {"a.dbml": messy})


def test_sql_output_in_a_read_only_folder(inputs: Path) -> None:
    result, after = run_restricted(inputs, {"out.sql": OLD}, ["sql", "big.dbml", "-o", "out/out.sql"], mode="readonly")
    one_line_failure(result)
    untouched(after, {"out.sql": OLD})


def test_outputs_are_written_whole_when_there_is_room(inputs: Path) -> None:
    small = "Project p {\n  database_type: 'PostgreSQL'\n}\nTable a {\n  id int [pk]\n}\n"
    (inputs / "small.dbml").write_text(small, encoding="utf-8")
    result, after = run_restricted(inputs, {"out.sql": OLD}, ["sql", "small.dbml", "-o", "out/out.sql"], mode="full")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in after.iterdir()) == ["out.sql"]
    text = (after / "out.sql").read_text(encoding="utf-8")
    assert 'CREATE TABLE "a"' in text and len(text) < FULL_LIMIT


def test_migrate_diff_pair_and_checksums_are_one_unit(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """On a full disk the next migration's up, down and checksum file appear together or not at all."""
    from tests.helpers import run_cli

    small = "Table t0 {\n  id int [pk]\n}\n"
    (inputs / "small.dbml").write_text(small, encoding="utf-8")
    start = tmp_path_factory.mktemp("start")
    (start / "small.dbml").write_text(small, encoding="utf-8")
    assert run_cli("migrate", "init", "small.dbml", "--dir", "m", "--dialect", "postgres", cwd=start).returncode == 0
    before = {p.name: p.read_text(encoding="utf-8") for p in (start / "m").iterdir()}
    args = ["migrate", "diff", "--to", "big.dbml", "--dir", "out", "--dialect", "postgres"]
    result, after = run_restricted(inputs, before, args, mode="full")
    one_line_failure(result)
    untouched(after, before)
