"""Schema states from git revisions (with their imports from the same revision), files, directories."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dbdsl.migrate.sources import SourceProblem, load, parse_git_spec


def git(repo: Path, *args: str) -> None:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "db" / "common").mkdir(parents=True)
    git(root, "init", "-q")
    (root / "db" / "common" / "users.dbml").write_text("Table users {\n  id int [pk]\n  email text\n}\n")
    (root / "db" / "schema.dbml").write_text(
        "use { table users } from './common/users'\n\n"
        "Table posts {\n  id int [pk]\n  user_id int [ref: > users.id]\n}\n"
    )
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    # the working copy moves on, in both files
    (root / "db" / "common" / "users.dbml").write_text("Table users {\n  id int [pk]\n  email text\n  name text\n}\n")
    (root / "db" / "schema.dbml").write_text(
        (root / "db" / "schema.dbml").read_text() + "Table tags {\n  id int [pk]\n}\n"
    )
    return root


def test_git_revision_with_its_imports(repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(repo / "db")
    source = load("git:HEAD", to_path=str(repo / "db" / "schema.dbml"))
    assert source.label == "git:HEAD:db/schema.dbml"
    names = sorted(t.name for t in source.schema.tables)
    assert names == ["posts", "users"]  # not `tags`: the revision's file
    assert [c.name for c in source.schema.table("users").columns] == ["id", "email"]  # the revision's import
    explicit = load("git:HEAD:schema.dbml")  # a path relative to the current directory
    assert explicit.schema == source.schema
    rooted = load("git:HEAD:/db/schema.dbml")  # relative to the repository root
    assert rooted.schema == source.schema


def test_git_problems(repo: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    with pytest.raises(SourceProblem, match="no such revision"):
        load("git:nope", to_path=str(repo / "db" / "schema.dbml"))
    (repo / "db" / "new.dbml").write_text("Table n {\n  id int\n}\n")
    with pytest.raises(SourceProblem, match="does not exist at HEAD; for a first migration use `dbdsl migrate init`"):
        load("git:HEAD", to_path=str(repo / "db" / "new.dbml"))
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "s.dbml").write_text("Table x {\n  id int\n}\n")
    monkeypatch.chdir(outside)
    with pytest.raises(SourceProblem, match="not inside a git repository"):
        load("git:HEAD", to_path=str(outside / "s.dbml"))
    with pytest.raises(SourceProblem, match="give a revision"):
        parse_git_spec("git:")


def test_git_revision_with_errors(repo: Path, monkeypatch) -> None:
    (repo / "db" / "schema.dbml").write_text("Table t {\n  id int [pk]\n  x int [ref: > nowhere.id]\n}\n")
    git(repo, "commit", "-q", "-am", "broken")
    monkeypatch.chdir(repo)
    with pytest.raises(SourceProblem) as caught:
        load("git:HEAD:db/schema.dbml")
    message = str(caught.value)
    assert message.startswith("git:HEAD:db/schema.dbml has 1 error; fix them first")
    assert "(first: HEAD:db/schema.dbml:3:" in message and caught.value.findings == []


def test_file_sources(tmp_path: Path) -> None:
    good = tmp_path / "good.dbml"
    good.write_text("Table t {\n  id int [pk]\n}\n")
    assert [t.name for t in load(str(good)).schema.tables] == ["t"]
    bad = tmp_path / "bad.dbml"
    bad.write_text("Table t {\n  id int [pk]\n  ref_id int [ref: > nowhere.id]\n}\n")
    with pytest.raises(SourceProblem, match="has 1 error") as caught:
        load(str(bad))
    assert caught.value.findings and caught.value.findings[0].code.startswith("E")
    with pytest.raises(SourceProblem, match="no such file"):
        load(str(tmp_path / "missing.dbml"))
