"""`dbdsl orm --to sqlalchemy`: the module imports, its mappers configure without a warning, ruff finds
nothing to say, and `Base.metadata.create_all()` makes the database `dbdsl sql` makes, on PostgreSQL
(tables, columns with their types, nullability, defaults and identities, keys, foreign keys with
their actions, unique constraints, checks, indexes, comments, enum types, all by name) and on SQLite
(tables, columns, nullability, keys, foreign keys, indexes; SQLite keeps the declared type names,
which differ between the two)."""

from __future__ import annotations

import importlib.util
import sqlite3
import subprocess
import sys
import uuid
import warnings
from pathlib import Path

import pytest

from dbdsl.emit.sql import generate
from dbdsl.orm.sqlalchemy import to_sqlalchemy
from dbdsl.workspace import Workspace
from tests.catalogs import read_postgres, read_sqlite
from tests.orm.schemas import sample_texts

sqlalchemy = pytest.importorskip("sqlalchemy", reason="SQLAlchemy is a test extra (pip install -e '.[test]')")

TEXTS = sample_texts()


def schema_of(tmp_path: Path, name: str):
    path = tmp_path / f"{name}.dbml"
    path.write_text(TEXTS[name], encoding="utf-8")
    analysis = Workspace().analyze(str(path))
    assert not analysis.errors
    return analysis.schema


def load(tmp_path: Path, name: str):
    """The generated module, imported; mappers configured with every warning an error."""
    text, _ = to_sqlalchemy(schema_of(tmp_path, name), f"{name}.dbml")
    path = tmp_path / f"{name}_models_{uuid.uuid4().hex[:8]}.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spec.loader.exec_module(module)
        sqlalchemy.orm.configure_mappers()
    return module, path


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_the_module_is_ruff_clean(tmp_path: Path, name: str) -> None:
    _, path = load(tmp_path, name)
    ruff = [sys.executable, "-m", "ruff"]
    options = ["--isolated", "--line-length", "120"]
    check = subprocess.run([*ruff, "check", *options, "--select", "E,F,W,I,B,UP,SIM,RUF", str(path)], text=True,
                           capture_output=True)  # fmt: skip
    assert check.returncode == 0, check.stdout
    formatted = subprocess.run([*ruff, "format", *options, "--check", str(path)], text=True, capture_output=True)
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def pg_shape(catalog) -> dict:
    tables = {}
    for key, t in catalog.tables.items():
        tables[key] = {
            "comment": t.comment,
            "columns": [(c.name, c.type, c.not_null, c.default, c.identity, c.comment) for c in t.columns],
            "constraints": sorted(
                (c.name, c.kind, c.columns, c.references, c.ref_columns, c.on_delete, c.on_update, c.definition)
                for c in t.constraints
            ),
            "indexes": sorted((i.name, i.definition) for i in t.indexes),
        }
    return {"tables": tables, "enums": catalog.enums}


@pytest.mark.postgres
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_create_all_on_postgresql_makes_what_dbdsl_sql_makes(tmp_path: Path, name: str, postgres) -> None:
    schema = schema_of(tmp_path, name)
    expected_db, got_db = postgres.fresh_database("sql"), postgres.fresh_database("orm")
    with postgres.connect(expected_db) as conn:
        for statement in generate(schema, "postgres", records=False).statements:
            conn.execute(statement.sql("postgres"))
        expected = pg_shape(read_postgres(conn))
    module, _ = load(tmp_path, name)
    engine = sqlalchemy.create_engine(f"postgresql+psycopg:///{got_db}?host={postgres.socket_dir}&port={postgres.port}"
                                      f"&user={postgres.user}")  # fmt: skip
    with engine.begin() as conn:
        for schema_name in {t.schema for t in module.Base.metadata.tables.values() if t.schema}:
            conn.execute(sqlalchemy.text(f'CREATE SCHEMA IF NOT EXISTS "{schema_name}"'))
    module.Base.metadata.create_all(engine)
    engine.dispose()
    with postgres.connect(got_db) as conn:
        got = pg_shape(read_postgres(conn))
    assert got == expected


def sqlite_shape(tables: dict, rename: dict[str, str]) -> dict:
    out = {}
    for name, t in tables.items():
        out[rename.get(name, name)] = {
            "columns": [(c.name, c.not_null, c.pk) for c in t.columns],
            "foreign_keys": sorted(
                (rename.get(f.table, f.table), f.columns, f.ref_columns, f.on_update, f.on_delete)
                for f in t.foreign_keys
            ),
            "indexes": sorted(
                (i.name if i.origin == "c" else i.origin, i.unique, i.partial, i.keys) for i in t.indexes
            ),
        }
    return out


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_create_all_on_sqlite_makes_what_dbdsl_sql_makes(tmp_path: Path, name: str) -> None:
    schema = schema_of(tmp_path, name)
    expected_conn = sqlite3.connect(":memory:")
    for statement in generate(schema, "sqlite", records=False).statements:
        expected_conn.execute(statement.sql("sqlite"))
    schemas = sorted({t.schema for t in schema.tables if t.schema != "public"})
    rename = {f"{s}_{t.name}": t.name for s in schemas for t in schema.tables if t.schema == s}
    expected = sqlite_shape(read_sqlite(expected_conn), rename)
    module, _ = load(tmp_path, name)
    engine = sqlalchemy.create_engine("sqlite://")
    with engine.begin() as conn:
        for s in schemas:  # a schema is an attached database to SQLAlchemy
            conn.exec_driver_sql(f"ATTACH DATABASE ':memory:' AS \"{s}\"")
        module.Base.metadata.create_all(conn)
        raw = conn.connection.dbapi_connection
        got = sqlite_shape(read_sqlite(raw), {})
        for s in schemas:
            for table in raw.execute(f"SELECT name FROM \"{s}\".sqlite_master WHERE type = 'table'").fetchall():
                got[table[0]] = {"schema": s}
    for s in schemas:
        for t in schema.tables:
            if t.schema == s:
                expected[t.name] = {"schema": s}
    assert got == expected


def test_relationships_work_both_ways(tmp_path: Path) -> None:
    module, _ = load(tmp_path, "blog")
    engine = sqlalchemy.create_engine("sqlite://")
    module.Base.metadata.create_all(engine)
    with sqlalchemy.orm.Session(engine) as session:
        author = module.Author(email="a@example.com", display_name="A")
        parent = module.Category(name="Tech", slug="tech")
        child = module.Category(name="Databases", slug="db", parent=parent)
        post = module.Post(author=author, category=child, slug="p", title="P", body="x", state=module.PostState.draft)
        session.add(post)
        session.commit()
        assert [p.slug for p in author.posts] == ["p"]
        assert [c.slug for c in parent.children] == ["db"]
        assert post.category.parent is parent
