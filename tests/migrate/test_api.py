"""The core API the language server calls: next_migration and pending_drops."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbdsl.findings import Severity
from dbdsl.migrate import MigrationDirectory, MigrationError, next_migration, pending_drops
from dbdsl.workspace import Workspace
from tests.migrate.test_sources import git

COMMITTED = """Project shop {
  database_type: 'PostgreSQL'
}

Enum mood {
  happy
  sad
}

Table users {
  id int [pk]
  email text [not null]
  nick text
  mood mood
}

Table legacy {
  id int [pk]
}
"""
# the editor's unsaved text: a column and a table gone, an enum value gone, a column added
EDITED = COMMITTED.replace("  nick text\n", "  phone text\n").replace("Table legacy {\n  id int [pk]\n}\n", "")
EDITED = EDITED.replace("  sad\n", "")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "schema.dbml").write_text(COMMITTED)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "schema")
    return root


def editor_analysis(path: Path, text: str):
    workspace = Workspace()
    workspace.open(str(path), text, version=3)
    return workspace.analyze(str(path))


def test_next_migration_against_git_head(repo: Path) -> None:
    analysis = editor_analysis(repo / "schema.dbml", EDITED)
    draft = next_migration(analysis)
    assert draft.dialect == "postgres" and draft.base == "git:HEAD:schema.dbml"
    assert draft.files == [] and {w.code for w in draft.refused} == {"M001", "M002"}

    draft = next_migration(analysis, allow_destructive=True, name="Tidy users")
    assert draft.number == 1 and draft.name == "tidy_users"
    paths = [Path(f.path) for f in draft.files]
    assert [p.name for p in paths] == ["0001_tidy_users.up.sql", "0001_tidy_users.down.sql", "dbdsl.sum"]
    assert all(p.parent == repo / "migrations" for p in paths)
    assert [f.create for f in draft.files] == [True, True, True]
    assert not (repo / "migrations").exists()  # nothing written: the editor creates the files
    up = draft.files[0].text
    assert 'ALTER TABLE "users" ADD COLUMN "phone" TEXT' in up and 'DROP TABLE "legacy"' in up
    assert "-- from git:HEAD:schema.dbml to schema.dbml" in up
    assert "enum value" in " ".join(draft.steps) or "recreate enum" in " ".join(draft.steps)

    # the drafted checksum file records the drafted files: once written, the directory verifies
    folder = MigrationDirectory(repo / "migrations")
    folder.path.mkdir()
    for f in draft.files:
        Path(f.path).write_text(f.text)
    assert folder.checksum_problems() == []


def test_findings_point_at_the_elements(repo: Path) -> None:
    text = COMMITTED.replace("  nick text\n", "  nick text [not null]\n")
    analysis = editor_analysis(repo / "schema.dbml", text)
    draft = next_migration(analysis)
    (finding,) = draft.findings(analysis)
    assert finding.code == "M004" and finding.category == "migration"
    assert finding.severity is Severity.WARNING
    assert finding.span.text == "nick" and finding.span.file == analysis.path
    assert "NOT VALID" in finding.data["alternative"]


def test_base_none_and_no_migrations_starts_from_nothing(repo: Path) -> None:
    analysis = editor_analysis(repo / "schema.dbml", COMMITTED)
    draft = next_migration(analysis, base=None, directory=repo / "db" / "migrations")
    assert draft.number == 1 and draft.base.endswith("(no migrations yet)")
    assert [s for s in draft.steps if s.startswith("create table")] == ["create table users", "create table legacy"]


def test_errors_are_migration_errors(tmp_path: Path) -> None:
    path = tmp_path / "s.dbml"
    analysis = editor_analysis(path, "Table t {\n  id int [pk]\n}\n")
    with pytest.raises(MigrationError, match="give --dialect"):
        next_migration(analysis)
    with pytest.raises(MigrationError, match="not inside a git repository"):
        next_migration(analysis, dialect="postgres")


def test_pending_drops(repo: Path) -> None:
    analysis = editor_analysis(repo / "schema.dbml", EDITED)
    found = pending_drops(analysis)
    assert all(f.severity is Severity.INFO and f.category == "migration" for f in found)
    by_code = {f.code: f for f in found}
    assert set(by_code) == {"M001", "M002", "M014"}
    assert "table legacy would be dropped" in by_code["M001"].message
    assert by_code["M001"].span.start_offset == 0  # the table is gone: the file start
    assert by_code["M002"].span.text == "users"  # the table that loses the column
    assert "users.nick" in by_code["M002"].message
    assert by_code["M014"].span.text == "mood" and "'sad'" in by_code["M014"].message
    assert pending_drops(editor_analysis(repo / "schema.dbml", COMMITTED)) == []
    # the base is kept between calls by its commit: a new commit is seen at once
    (repo / "schema.dbml").write_text(EDITED)
    git(repo, "commit", "-q", "-am", "tidy")
    assert pending_drops(analysis) == []
    (back,) = pending_drops(editor_analysis(repo / "schema.dbml", COMMITTED))
    assert back.code == "M002" and "users.phone" in back.message


def test_pending_drops_against_the_directory(repo: Path) -> None:
    analysis = editor_analysis(repo / "schema.dbml", COMMITTED)
    draft = next_migration(analysis, base=None)
    (repo / "migrations").mkdir()
    for f in draft.files:
        Path(f.path).write_text(f.text)
    again = next_migration(editor_analysis(repo / "schema.dbml", COMMITTED), base=None)
    assert again.empty and again.files == [] and again.number == 2
    edited = editor_analysis(repo / "schema.dbml", COMMITTED.replace("  nick text\n", ""))
    found = pending_drops(edited, directory=repo / "migrations")
    assert [f.code for f in found] == ["M002"] and "compared with " in found[0].message
    # a migration written since is part of the state compared with
    dropping = next_migration(edited, base=None, allow_destructive=True)
    for f in dropping.files:
        Path(f.path).write_text(f.text)
    assert pending_drops(edited, directory=repo / "migrations") == []
    outside = editor_analysis(repo.parent / "elsewhere.dbml", COMMITTED)
    assert pending_drops(outside) == []  # not in a repository, no directory: nothing to compare with
