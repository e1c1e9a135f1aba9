"""The document quotes the physical design script it describes (the same statements, word for word),
and the privileges it states hold on a real PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from dbdsl.document import render_document
from dbdsl.physical.script import PARTS, physical_script, statement_text
from dbdsl.workspace import Workspace
from tests.helpers import SAMPLES

SAMPLE_PATHS = sorted(p for p in SAMPLES.glob("*.dbml") if p.stem != "flawed")


def analysis_of(path: Path):
    analysis = Workspace().analyze(str(path))
    assert not analysis.errors
    return analysis


def sql_blocks(document: str) -> list[str]:
    return re.findall(r"^```sql\n(.*?)\n```$", document, re.S | re.M)


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.stem)
def test_every_section_of_the_script_is_quoted_as_it_runs(path: Path) -> None:
    analysis = analysis_of(path)
    document = render_document(analysis)
    script = physical_script(analysis.schema, PARTS, records=False)
    quoted = sql_blocks(document)
    for section in script.sections:
        if section.part == "schedule":
            continue  # the document names the schedule; the jobs are only in the script
        text = "\n\n".join(statement_text(s) for s in section.statements)
        assert text in quoted, section.title
        assert text in script.text()


def test_a_schema_without_physical_facts_says_which_facts_are_missing(tmp_path: Path) -> None:
    path = tmp_path / "plain.dbml"
    path.write_text("Table t {\n  id int [pk]\n}\n", encoding="utf-8")
    document = render_document(analysis_of(path))
    for facts in ("tenant_key", "audited", "retention", "rpo` and `rto", "pii", "rows` and `growth"):
        assert f"declare `{facts}`" in document, facts
    assert "**Roles** (before the schema)" in document  # roles and privileges need no fact


def test_an_empty_schema_makes_no_claims(tmp_path: Path) -> None:
    path = tmp_path / "empty.dbml"
    path.write_text("Project p {\n  database_type: 'PostgreSQL'\n}\n", encoding="utf-8")
    document = render_document(analysis_of(path))
    assert "only primary keys are indexed" not in document
    assert "B-tree" not in document
    for title in ("Performance", "Scalability"):
        assert re.search(rf"## {title}\n\nThe schema has no tables\.", document), title
    assert "Nothing: the schema has no tables." in document


pytestmark_postgres = pytest.mark.postgres


def build(postgres, path: Path) -> tuple[str, str]:
    """A database made by `dbdsl sql --with security`; returns (database, application role)."""
    analysis = analysis_of(path)
    database = postgres.fresh_database()
    with postgres.connect(database) as conn:
        conn.execute(physical_script(analysis.schema, ("security",)).text())
    role = re.search(
        r"\| `([^`]+)` \(the Project's `app_role`\)|\| `([^`]+)` \(set `app_role`", render_document(analysis)
    )
    return database, role.group(1) or role.group(2)


def connect_as(postgres, database: str, user: str):
    return psycopg.connect(
        f"host={postgres.socket_dir} port={postgres.port} user={user} dbname={database}", autocommit=True
    )


def refused(conn, sql: str, params=()) -> bool:
    try:
        conn.execute(sql, params)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


@pytestmark_postgres
def test_shop_role_soft_deletes_customers(postgres) -> None:
    database, user = build(postgres, SAMPLES / "ecommerce.dbml")
    with connect_as(postgres, database, user) as conn:
        conn.execute("INSERT INTO customers (email, full_name) VALUES ('a@example.com', 'A')")
        conn.execute("UPDATE customers SET deleted_at = now() WHERE email = 'a@example.com'")
        assert refused(conn, "DELETE FROM customers")
        conn.execute("INSERT INTO categories (name, slug) VALUES ('Shoes', 'shoes')")
        conn.execute("DELETE FROM categories WHERE slug = 'shoes'")
        assert refused(conn, "CREATE TABLE public.sneaky (id int)")


@pytestmark_postgres
def test_serial_columns_get_their_sequence(postgres, tmp_path: Path) -> None:
    path = tmp_path / "serial.dbml"
    path.write_text(
        "Project p {\n  app_role: 'serial_app'\n}\n"
        "Table app.tickets {\n  id serial [pk]\n  title text [not null]\n}\n"
        "Table events [note: 'append-only event stream'] {\n  id bigserial [pk]\n  name text\n}\n",
        encoding="utf-8",
    )
    database, user = build(postgres, path)
    assert user == "serial_app"
    with connect_as(postgres, database, user) as conn:
        conn.execute("INSERT INTO app.tickets (title) VALUES ('first')")
        conn.execute("INSERT INTO events (name) VALUES ('opened')")
        assert refused(conn, "UPDATE events SET name = 'x'")
        assert conn.execute("SELECT count(*) FROM app.tickets").fetchone()[0] == 1
