"""Migration directories: names, the checksum file, the state rebuilt from up files, verify."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbdsl.migrate.diff import diff
from dbdsl.migrate.directory import DirectoryError, MigrationDirectory, SumFile, replay_fidelity, slug
from dbdsl.migrate.init import phases
from dbdsl.migrate.verify import verify
from tests.migrate.helpers import migration, schema

V1 = """
Enum mood {
  happy
  sad
}
Table users {
  id int [pk, increment]
  email varchar(100) [not null, unique]
  mood mood [default: 'happy']
}
Table posts {
  id int [pk]
  user_id int [not null, ref: > users.id]
  indexes {
    user_id
  }
}
"""
V2 = (
    V1.replace("  sad\n", "  sad\n  calm\n")
    .replace("Table posts {", "Table articles [renamed_from: 'posts'] {")
    .replace(
        "  email varchar(100) [not null, unique]\n",
        "  email varchar(100) [not null, unique]\n  age int [check: `age >= 0`]\n",
    )
)


def write_series(path: Path, dialect: str) -> MigrationDirectory:
    folder = MigrationDirectory(path)
    files = {}
    for phase in phases(schema(V1), dialect):
        files[f"{phase.stem}.up.sql"] = phase.migration.up_text()
        files[f"{phase.stem}.down.sql"] = phase.migration.down_text()
    folder.write(files, dialect)
    step = migration(V1, V2, dialect)
    n = folder.next_number()
    folder.write({f"{n:04d}_v2.up.sql": step.up_text(), f"{n:04d}_v2.down.sql": step.down_text()}, dialect)
    return folder


def test_names_and_numbers(tmp_path: Path) -> None:
    folder = MigrationDirectory(tmp_path / "m")
    assert folder.migrations() == [] and folder.next_number() == 1
    folder.write({"0001_first.up.sql": "SELECT 1;\n", "0001_first.down.sql": "SELECT 1;\n"}, "postgres")
    (tmp_path / "m" / "notes.txt").write_text("not a migration")
    assert [m.stem for m in folder.migrations()] == ["0001_first"]
    assert folder.next_number() == 2
    with pytest.raises(DirectoryError, match="already exists"):
        folder.write({"0001_first.up.sql": ""}, "postgres")
    (tmp_path / "m" / "0001_other.up.sql").write_text("")
    with pytest.raises(DirectoryError, match="two migrations are numbered 0001"):
        folder.migrations()
    assert slug("Add the Orders table!") == "add_the_orders_table"


def test_checksum_file_detects_edits_removals_and_strays(tmp_path: Path) -> None:
    folder = write_series(tmp_path / "m", "postgres")
    assert folder.checksum_problems() == []
    recorded = SumFile.parse((folder.path / "dbdsl.sum").read_text())
    assert recorded.dialect == "postgres" and recorded.total_ok and len(recorded.entries) == 8

    up = folder.migrations()[0].up
    up.write_text(up.read_text() + "\n-- edited\n")
    assert [(p.file, "edited" in p.message) for p in folder.checksum_problems()] == [(up.name, True)]
    up.write_text(up.read_text().replace("\n-- edited\n", ""))
    # CRLF line endings (a Windows checkout) are no edit
    up.write_bytes(up.read_bytes().replace(b"\n", b"\r\n"))
    assert folder.checksum_problems() == []

    down = folder.migrations()[1].down
    down.unlink()
    problems = folder.checksum_problems()
    assert [p.file for p in problems] == [down.name] and "removed" in problems[0].message
    assert any("no down migration" in p.message for p in folder.pairing_problems())

    (folder.path / "0009_by_hand.up.sql").write_text("CREATE TABLE extra (id int);\n")
    assert any(p.file == "0009_by_hand.up.sql" and "not recorded" in p.message for p in folder.checksum_problems())
    (folder.path / "stray.sql").write_text("")
    assert [p.file for p in folder.pairing_problems() if "named" in p.message] == ["stray.sql"]

    sums = folder.path / "dbdsl.sum"
    sums.write_text(sums.read_text().replace("dialect postgres", "dialect sqlite"))
    assert any(p.file == "dbdsl.sum" and "by hand" in p.message for p in folder.checksum_problems())


def test_hash_records_a_hand_written_migration(tmp_path: Path) -> None:
    folder = write_series(tmp_path / "m", "postgres")
    n = folder.next_number()
    (folder.path / f"{n:04d}_by_hand.up.sql").write_text('ALTER TABLE "users" ADD COLUMN "nick" TEXT;\n')
    (folder.path / f"{n:04d}_by_hand.down.sql").write_text('ALTER TABLE "users" DROP COLUMN "nick";\n')
    assert folder.checksum_problems() != []
    folder.record()
    assert folder.checksum_problems() == []
    # the hand-written migration counts in the state
    users = folder.state().schema.table("users")
    assert users.column("nick") is not None


@pytest.mark.parametrize("dialect", ["postgres", "sqlite"])
def test_state_and_verify(tmp_path: Path, dialect: str) -> None:
    folder = write_series(tmp_path / "m", dialect)
    report = verify(folder)
    assert report.ok, report.problems
    assert report.migrations == len(folder.migrations())
    if dialect == "postgres":
        # the state rebuilt from the up files is the schema itself
        assert diff(folder.state().schema, schema(V2), dialect).empty
        assert diff(folder.state(upto=3).schema, schema(V1), dialect).empty


def test_verify_finds_a_down_that_does_not_undo(tmp_path: Path) -> None:
    folder = write_series(tmp_path / "m", "postgres")
    last = folder.migrations()[-1]
    last.down.write_text(last.down.read_text().replace('DROP CONSTRAINT "users_age_check";', ""))
    last.down.write_text(last.down.read_text().replace('ALTER TABLE "users" DROP COLUMN "age";', ""))
    folder.record()
    report = verify(folder)
    assert [p.file for p in report.problems] == [last.down.name]
    assert "does not undo" in report.problems[0].message and "age" in report.problems[0].message


def test_verify_finds_statements_on_missing_objects(tmp_path: Path) -> None:
    folder = write_series(tmp_path / "m", "postgres")
    n = folder.next_number()
    (folder.path / f"{n:04d}_broken.up.sql").write_text('ALTER TABLE "nowhere" ADD COLUMN "x" INT;\n')
    (folder.path / f"{n:04d}_broken.down.sql").write_text('ALTER TABLE "nowhere" DROP COLUMN "x";\n')
    folder.record()
    report = verify(folder)
    assert any(p.file == f"{n:04d}_broken.up.sql" and "nowhere" in p.message for p in report.problems)


def test_verify_runs_sqlite_files_for_real(tmp_path: Path) -> None:
    folder = write_series(tmp_path / "m", "sqlite")
    n = folder.next_number()
    (folder.path / f"{n:04d}_bad.up.sql").write_text('CREATE TABLE "x" ("a" INT);\nCREATE TABLE "x" ("a" INT);\n')
    (folder.path / f"{n:04d}_bad.down.sql").write_text('DROP TABLE "x";\n')
    folder.record()
    report = verify(folder)
    assert any("fails on SQLite" in p.message for p in report.problems), report.problems


def test_dialect_is_recorded_and_checked(tmp_path: Path) -> None:
    folder = write_series(tmp_path / "m", "sqlite")
    assert folder.dialect() == "sqlite"
    with pytest.raises(DirectoryError, match="holds sqlite migrations"):
        folder.state("postgres")


@pytest.mark.parametrize("dialect", ["postgres", "sqlite"])
@pytest.mark.parametrize("version", sorted((Path(__file__).parent / "versions").glob("v*.dbml")), ids=lambda p: p.stem)
def test_state_reads_back_faithfully(version: Path, dialect: str) -> None:
    """What `--from DIR` relies on: the SQL the generator writes reads back as the same schema."""
    assert replay_fidelity(schema(version.read_text()), dialect) is None


def test_state_follows_the_zero_downtime_forms(tmp_path: Path) -> None:
    """`ADD CONSTRAINT ... USING INDEX`, NOT VALID and VALIDATE read back as the constraints they make."""
    old = "Table t {\n  a int [not null]\n  b int\n  c int\n}\n"
    new = "Table t {\n  a int [pk]\n  b int [unique, not null]\n  c int [check: `c > 0`]\n}\n"
    folder = MigrationDirectory(tmp_path / "m")
    folder.write(
        {"0001_t.up.sql": migration("", old).up_text(), "0001_t.down.sql": migration("", old).down_text()}, "postgres"
    )
    step = migration(old, new, safe=True)
    assert "USING INDEX" in step.up_text() and "NOT VALID" in step.up_text()
    folder.write({"0002_keys.up.sql": step.up_text(), "0002_keys.down.sql": step.down_text()}, "postgres")
    assert diff(folder.state().schema, schema(new), "postgres").empty
    assert verify(folder).ok, verify(folder).problems
