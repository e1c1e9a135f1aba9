"""The GRANT script of the design document runs on a real PostgreSQL, and the application role can do
what the document says and nothing more."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from dbdsl.emit.document import render_document
from dbdsl.emit.sql import generate
from dbdsl.workspace import Workspace
from tests.helpers import SAMPLES

pytestmark = pytest.mark.postgres


def grant_script(document: str) -> str:
    return re.search(r"\*\*GRANT script\*\*\n\n```sql\n(.*?)\n```", document, re.S).group(1)


def build(postgres, path: Path) -> tuple[str, str]:
    """A database holding the schema and the document's GRANTs; returns (database, application role)."""
    analysis = Workspace().analyze(str(path))
    assert not analysis.errors
    database = postgres.fresh_database()
    script = grant_script(render_document(analysis))
    role = re.search(r'CREATE ROLE "([^"]+)" NOLOGIN;', script).group(1)
    with postgres.connect(database) as conn:
        for statement in generate(analysis.schema, "postgres").statements:
            conn.execute(statement.sql("postgres"))
        for statement in script.split(";\n"):
            conn.execute(statement.rstrip(";"))
        login = f"{role}_login"
        conn.execute(f'CREATE ROLE "{login}" LOGIN IN ROLE "{role}"')
    return database, login


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


def test_saas_role_cannot_rewrite_the_audit_log(postgres) -> None:
    database, user = build(postgres, SAMPLES / "saas.dbml")
    with connect_as(postgres, database, user) as conn:
        org = conn.execute("INSERT INTO organizations (slug, name) VALUES ('acme', 'Acme') RETURNING id").fetchone()[0]
        conn.execute("UPDATE organizations SET name = 'Acme Ltd' WHERE id = %s", (org,))
        conn.execute("INSERT INTO plans (code, monthly_price, seats) VALUES ('pro', 10, 5)")
        conn.execute(
            "INSERT INTO audit_log (organization_id, action, target_table, target_id) "
            "VALUES (%s, 'org.renamed', 'organizations', %s)",
            (org, str(org)),
        )
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 1
        assert refused(conn, "UPDATE audit_log SET action = 'forged'")
        assert refused(conn, "DELETE FROM audit_log")
        assert refused(conn, "TRUNCATE audit_log")
        assert refused(conn, "CREATE TABLE public.sneaky (id int)")
        assert refused(conn, "DROP TABLE plans")  # the role owns nothing
        assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 1
        conn.execute("DELETE FROM organizations WHERE slug = 'nobody'")


def test_shop_role_soft_deletes_customers(postgres) -> None:
    database, user = build(postgres, SAMPLES / "ecommerce.dbml")
    with connect_as(postgres, database, user) as conn:
        conn.execute("INSERT INTO customers (email, full_name) VALUES ('a@example.com', 'A')")
        conn.execute("UPDATE customers SET deleted_at = now() WHERE email = 'a@example.com'")
        assert refused(conn, "DELETE FROM customers")
        conn.execute("INSERT INTO categories (name, slug) VALUES ('Shoes', 'shoes')")
        conn.execute("DELETE FROM categories WHERE slug = 'shoes'")


def test_serial_columns_get_their_sequence(postgres, tmp_path: Path) -> None:
    path = tmp_path / "serial.dbml"
    path.write_text(
        "Project p {\n  app_role: 'serial_app'\n}\n"
        "Table app.tickets {\n  id serial [pk]\n  title text [not null]\n}\n"
        "Table events [note: 'append-only event stream'] {\n  id bigserial [pk]\n  name text\n}\n",
        encoding="utf-8",
    )
    database, user = build(postgres, path)
    with connect_as(postgres, database, user) as conn:
        conn.execute("INSERT INTO app.tickets (title) VALUES ('first')")
        conn.execute("INSERT INTO events (name) VALUES ('opened')")
        assert refused(conn, "UPDATE events SET name = 'x'")
        assert conn.execute("SELECT count(*) FROM app.tickets").fetchone()[0] == 1
