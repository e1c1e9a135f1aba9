"""`dbdsl orm --to django`: the models go through Django's own `makemigrations` and `migrate` on SQLite
in a throwaway project, and the tables (columns, nullability, keys) and foreign keys they make are
those `dbdsl sql` makes (in another column order), but for what the module's docstring lists as not
declared (composite foreign keys; Django runs ON DELETE itself, so its keys have no action in the
database)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dbdsl.emit.sql import generate
from dbdsl.orm.django import to_django
from dbdsl.workspace import Workspace
from tests.catalogs import read_sqlite
from tests.orm.schemas import AWKWARD_ONE_SCHEMA, sample_texts

pytest.importorskip("django", reason="Django is a test extra (pip install -e '.[test]')")

TEXTS = {k: v for k, v in sample_texts().items() if k != "awkward"}
TEXTS["awkward"] = AWKWARD_ONE_SCHEMA  # Django names another schema only the PostgreSQL way

SETTINGS = """
SECRET_KEY = "test"
INSTALLED_APPS = ["app"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
"""


def django_project(tmp_path: Path, models: str) -> Path:
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "migrations" / "__init__.py").write_text("")
    (tmp_path / "app" / "models.py").write_text(models, encoding="utf-8")
    (tmp_path / "settings.py").write_text(SETTINGS)
    return tmp_path


def manage(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="settings", PYTHONPATH=str(project))
    return subprocess.run([sys.executable, "-m", "django", *args], cwd=project, env=env, text=True, capture_output=True)


def shape(tables: dict, composite_fks: bool) -> dict:
    out = {}
    for name, t in tables.items():
        if name.startswith("django_"):
            continue
        kept = [f for f in t.foreign_keys if composite_fks or len(f.columns) == 1]
        fks = sorted((f.table, f.columns, f.ref_columns) for f in kept)
        # column order aside: Django's migrations add some foreign key columns after the table is made
        out[name] = {"columns": sorted((c.name, c.not_null, bool(c.pk)) for c in t.columns), "foreign_keys": fks}
    return out


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_makemigrations_and_migrate_make_the_tables_and_keys_of_dbdsl_sql(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.dbml"
    path.write_text(TEXTS[name], encoding="utf-8")
    analysis = Workspace().analyze(str(path))
    assert not analysis.errors
    models, limits = to_django(analysis.schema, path.name)
    project = django_project(tmp_path / "project", models)
    for command in (["makemigrations", "app"], ["migrate", "--noinput"]):
        done = manage(project, *command)
        assert done.returncode == 0, done.stdout + done.stderr
    got = shape(read_sqlite(sqlite3.connect(project / "db.sqlite3")), composite_fks=True)
    expected_conn = sqlite3.connect(":memory:")
    for statement in generate(analysis.schema, "sqlite", records=False).statements:
        expected_conn.execute(statement.sql("sqlite"))
    expected = shape(read_sqlite(expected_conn), composite_fks=False)
    assert got == expected
    composite = [r for r in analysis.schema.refs if len(r.fk_side.columns) > 1]
    for ref in composite:
        assert any("composite foreign key" in w for w in limits), ref


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_the_models_are_ruff_clean(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.dbml"
    path.write_text(TEXTS[name], encoding="utf-8")
    models, _ = to_django(Workspace().analyze(str(path)).schema, path.name)
    out = tmp_path / "models.py"
    out.write_text(models, encoding="utf-8")
    options = ["--isolated", "--line-length", "120"]
    check = subprocess.run([sys.executable, "-m", "ruff", "check", *options, "--select", "E,F,W,I,B,UP,SIM,RUF",
                            str(out)], text=True, capture_output=True)  # fmt: skip
    assert check.returncode == 0, check.stdout
    formatted = subprocess.run([sys.executable, "-m", "ruff", "format", *options, "--check", str(out)], text=True,
                               capture_output=True)  # fmt: skip
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
