"""The physical design of the SaaS sample runs on a real PostgreSQL and does what the document says:
rows land in the partition of their period, one tenant cannot see or change another's rows, audited
changes are recorded and cannot be erased by the application, the purge removes exactly the expired
rows, and the application role logs in with its password but cannot create or drop tables."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import psycopg
import pytest

from dbdsl.physical.script import PARTS, physical_script
from dbdsl.workspace import Workspace
from tests.helpers import SAMPLES

pytestmark = pytest.mark.postgres

PASSWORD = "app password for the test"
OWNER, APP, READONLY = "saas_owner", "saas_app", "saas_readonly"


def saas_script(parts: tuple[str, ...]) -> str:
    analysis = Workspace().analyze(str(SAMPLES / "saas.dbml"))
    assert not analysis.errors
    return physical_script(analysis.schema, parts).text()


@pytest.fixture(scope="module")
def saas(postgres) -> str:
    """A database made by `dbdsl sql saas.dbml --with partitions,security,audit,retention`; the
    application role's password is set as the document says."""
    database = postgres.fresh_database("saas")
    with postgres.connect(database) as conn:
        conn.execute(saas_script(tuple(p for p in PARTS if p != "schedule")))
        conn.execute(f"ALTER ROLE {APP} PASSWORD '{PASSWORD}'")
    postgres.require_password(APP)
    return database


def connect_as(postgres, database: str, user: str, password: str | None = None):
    info = f"host={postgres.socket_dir} port={postgres.port} user={user} dbname={database}"
    return psycopg.connect(info + (f" password='{password}'" if password else ""), autocommit=True)


def app(postgres, database: str, tenant: uuid.UUID | None = None, user: str | None = None):
    conn = connect_as(postgres, database, APP, PASSWORD)
    if tenant is not None:
        conn.execute("SELECT set_config('app.tenant_id', %s, false)", (str(tenant),))
    if user is not None:
        conn.execute("SELECT set_config('app.user_id', %s, false)", (user,))
    return conn


def refused(conn, sql: str, params=()) -> str | None:
    """The error class name when the statement is refused, else None."""
    try:
        conn.execute(sql, params)
    except psycopg.Error as e:
        return type(e).__name__
    return None


def new_tenant(postgres, database: str, slug: str) -> uuid.UUID:
    """An organization created by the application, as a sign-up does: it names the new tenant first."""
    org = uuid.uuid4()
    with app(postgres, database, org) as conn:
        conn.execute("INSERT INTO organizations (id, slug, name) VALUES (%s, %s, %s)", (org, slug, slug.title()))
    return org


def test_a_row_of_today_lands_in_the_partition_of_this_month(postgres, saas) -> None:
    org = new_tenant(postgres, saas, "monthly")
    with app(postgres, saas, org) as conn:
        where = conn.execute(
            "INSERT INTO audit_log (organization_id, action, target_table, target_id) "
            "VALUES (%s, 'org.created', 'organizations', %s) RETURNING tableoid::regclass::text",
            (org, str(org)),
        ).fetchone()[0]
    now = datetime.now(UTC)
    assert where == f"audit_log_p{now:%Y%m}"
    with postgres.connect(saas) as conn:
        names = {
            r[0]
            for r in conn.execute(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = 'audit_log'::regclass"
            )
        }
        assert len(names) == 1 + 4 and "audit_log_default" in names  # this month and the next 3
        # a partition is reached through its parent only: its own privileges are its owner's
        assert not conn.execute("SELECT has_table_privilege(%s, %s, 'SELECT')", (READONLY, where)).fetchone()[0]
        assert conn.execute("SELECT maintenance.create_partitions()").fetchone()[0] == 0  # runs again: nothing new


def test_a_tenant_cannot_read_or_change_another_tenants_rows(postgres, saas) -> None:
    a, b = new_tenant(postgres, saas, "tenant-a"), new_tenant(postgres, saas, "tenant-b")
    with app(postgres, saas, b) as conn:
        conn.execute("INSERT INTO plans (code, monthly_price, seats) VALUES ('iso', 10, 5) ON CONFLICT DO NOTHING")
        plan = conn.execute("SELECT id FROM plans WHERE code = 'iso'").fetchone()[0]
        conn.execute(
            "INSERT INTO subscriptions (organization_id, plan_id, valid_from) VALUES (%s, %s, now())", (b, plan)
        )
    with app(postgres, saas, a) as conn:
        assert conn.execute("SELECT count(*) FROM organizations").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM subscriptions WHERE organization_id = %s", (b,)).fetchone()[0] == 0
        assert conn.execute("UPDATE subscriptions SET valid_to = now() + interval '1 day'").rowcount == 0
        assert conn.execute("DELETE FROM organizations WHERE id = %s", (b,)).rowcount == 0
        # writing a row for tenant B is refused by the policy's WITH CHECK
        error = refused(
            conn, "INSERT INTO subscriptions (organization_id, plan_id, valid_from) VALUES (%s, %s, now())", (b, plan)
        )
        assert error == "InsufficientPrivilege"
    with app(postgres, saas) as conn:  # no tenant named: nothing is readable
        assert refused(conn, "SELECT count(*) FROM subscriptions") == "UndefinedObject"
    with app(postgres, saas, b) as conn:
        assert conn.execute("SELECT count(*) FROM subscriptions").fetchone()[0] == 1


def test_an_audited_update_is_recorded_and_the_application_cannot_erase_it(postgres, saas) -> None:
    org = new_tenant(postgres, saas, "audited")
    with app(postgres, saas, org, user="user-42") as conn:
        person = conn.execute(
            "INSERT INTO users (email, display_name) VALUES ('ann@example.com', 'Ann') RETURNING id"
        ).fetchone()[0]
        conn.execute("INSERT INTO memberships (organization_id, user_id) VALUES (%s, %s)", (org, person))
        conn.execute("UPDATE memberships SET state = 'active' WHERE user_id = %s", (person,))
        conn.execute("UPDATE memberships SET state = 'active' WHERE user_id = %s", (person,))  # changes nothing
        for sql in (
            "SELECT * FROM audit.row_changes",
            "DELETE FROM audit.row_changes",
            "UPDATE audit.row_changes SET changed_by = 'someone else'",
            "INSERT INTO audit.row_changes (table_schema, table_name, operation) VALUES ('public', 'x', 'INSERT')",
            "TRUNCATE audit.row_changes",
        ):
            assert refused(conn, sql) == "InsufficientPrivilege", sql
        assert refused(conn, "TRUNCATE memberships") == "InsufficientPrivilege"
    with postgres.connect(saas) as conn:
        rows = conn.execute(
            "SELECT operation, row_key, old_values ->> 'state', new_values ->> 'state', changed_by, tenant_id, "
            "database_user FROM audit.row_changes WHERE table_name = 'memberships' AND row_key ->> 'user_id' = %s "
            "ORDER BY id",
            (str(person),),
        ).fetchall()
    key = {"organization_id": str(org), "user_id": str(person)}
    assert rows == [
        ("INSERT", key, None, "invited", "user-42", str(org), APP),
        ("UPDATE", key, "invited", "active", "user-42", str(org), APP),
    ]


def test_the_purge_removes_exactly_the_expired_rows(postgres, saas) -> None:
    org = new_tenant(postgres, saas, "purged")
    with postgres.connect(saas) as conn:  # the owner's view (a superuser): rows of any age
        person = conn.execute(
            "INSERT INTO users (email, display_name) VALUES ('inviter@example.com', 'I') RETURNING id"
        ).fetchone()[0]
        for days, email in ((31, "old@example.com"), (30.1, "just-old@example.com"), (29, "recent@example.com")):
            conn.execute(
                "INSERT INTO invitations (organization_id, email, invited_by, token_hash, created_at) "
                "VALUES (%s, %s, %s, %s, now() - %s * interval '1 day')",
                (org, email, person, email, days),
            )
        # audit_log keeps 7 years: a partition wholly older goes, and so do old rows of the DEFAULT partition
        conn.execute(
            "CREATE TABLE audit_log_p2010 PARTITION OF audit_log FOR VALUES FROM ('2010-01-01') TO ('2011-01-01')"
        )
        for when in ("2010-06-01", "2012-06-01", "now()"):
            conn.execute(
                "INSERT INTO audit_log (organization_id, action, target_table, target_id, occurred_at) "
                f"VALUES (%s, 'x', 'organizations', 'x', {'now()' if when == 'now()' else repr(when)})",
                (org,),
            )
        conn.execute("CALL maintenance.purge_expired(1)")  # batches of one row: the loop runs
        left = [r[0] for r in conn.execute("SELECT email FROM invitations WHERE organization_id = %s", (org,))]
        assert left == ["recent@example.com"]
        years = conn.execute(
            "SELECT extract(year FROM occurred_at)::int FROM audit_log WHERE organization_id = %s", (org,)
        ).fetchall()
        assert years == [(datetime.now(UTC).year,)]
        assert conn.execute("SELECT to_regclass('audit_log_p2010')").fetchone()[0] is None


def test_the_application_role_logs_in_with_its_password_and_owns_nothing(postgres, saas) -> None:
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect_as(postgres, saas, APP, "wrong")
    with app(postgres, saas) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == APP
        assert refused(conn, "CREATE TABLE public.sneaky (id int)") == "InsufficientPrivilege"
        assert refused(conn, "CREATE SCHEMA sneaky") == "InsufficientPrivilege"
        assert refused(conn, "DROP TABLE plans") == "InsufficientPrivilege"
        assert refused(conn, "ALTER TABLE plans ADD COLUMN x int") == "InsufficientPrivilege"
        assert refused(conn, "CALL maintenance.purge_expired()") == "InsufficientPrivilege"
    with postgres.connect(saas) as conn:
        owners = {r[0] for r in conn.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")}
        assert owners == {OWNER}
        login = dict(conn.execute("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'saas\\_%'"))
        assert login == {OWNER: False, APP: True, READONLY: False}


def test_the_read_only_role_reads_and_writes_nothing(postgres, saas) -> None:
    org = new_tenant(postgres, saas, "readonly")
    with postgres.connect(saas) as conn:
        conn.execute(f"CREATE ROLE analyst LOGIN IN ROLE {READONLY}")
    with connect_as(postgres, saas, "analyst") as conn:
        conn.execute("SELECT set_config('app.tenant_id', %s, false)", (str(org),))
        assert conn.execute("SELECT slug FROM organizations").fetchall() == [("readonly",)]
        assert conn.execute("SELECT count(*) FROM audit.row_changes").fetchone()[0] >= 0
        assert refused(conn, "UPDATE organizations SET name = 'x'") == "InsufficientPrivilege"
        assert refused(conn, "INSERT INTO plans (code, monthly_price, seats) VALUES ('ro', 1, 1)") == (
            "InsufficientPrivilege"
        )


def test_schedule_installs_the_maintenance_jobs_in_pg_cron(postgres) -> None:
    if not postgres.cron:
        pytest.skip("pg_cron is not installed (apt-get install postgresql-15-cron; scripts/setup --test does)")
    database = postgres.CRON_DATABASE  # pg_cron's functions exist in cron.database_name only
    with postgres.connect(database) as conn:
        conn.execute(saas_script(PARTS))
        jobs = conn.execute("SELECT jobname, schedule, command, database FROM cron.job ORDER BY jobname").fetchall()
        assert jobs == [
            ("saas: create partitions", "0 1 * * *", 'SELECT "maintenance"."create_partitions"()', database),
            ("saas: purge", "30 3 * * *", 'CALL "maintenance"."purge_expired"()', database),
        ]
        for _, _, command, _ in jobs:  # what the jobs will run, run now
            conn.execute(command)
