"""Roles, privileges and row-level security (PostgreSQL).

Three roles (see `access.roles`): the owner role owns every object and runs migrations and maintenance
(it cannot log in: members use SET ROLE); the application role logs in and gets only what each table
needs (`access.accesses`); the read-only role reads. The script:

- creates the roles when missing (they belong to the whole cluster), the application role with LOGIN
  and no password (set it with `ALTER ROLE ... PASSWORD` or psql's `\\password`);
- takes CREATE on the public schema from PUBLIC, gives the owner role CREATE on the schemas and the
  database, and runs the schema's statements as the owner role (SET ROLE), so it owns what they make;
- grants per table, and ALTER DEFAULT PRIVILEGES so tables the owner role makes later are readable by
  the read-only role and usable by the application role, and no function is executable by PUBLIC.

Row-level security, from the Project's `tenant_key`: every table with that column, and the tenant
table its foreign keys point to, gets ENABLE and FORCE ROW LEVEL SECURITY and a policy that lets the
application and read-only roles see and write only the rows of the tenant named by the session
setting `app.tenant_id` (a row whose tenant column is null is shared: readable, not writable). The
owner role has a policy of its own that sees every row (maintenance and migrations).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlglot import exp

from ..emit.sql_names import ident, physical, table_ref
from ..emit.sql_types import resolve_type
from ..model.schema import DEFAULT_SCHEMA, Column, Schema, Table
from . import plpgsql as pl
from .access import Roles, accesses, roles, serial_sequences

TENANT_SETTING = "app.tenant_id"
TENANT_POLICY = "tenant_isolation"
OWNER_POLICY = "owner_maintenance"


# ---------------------------------------------------------------- roles


def role_statements(schema: Schema, extra_schemas: list[str]) -> list[exp.Expression]:
    """Before the schema's statements: the roles, the REVOKE from PUBLIC, the owner role's rights to
    create, and SET ROLE to it."""
    r = roles(schema)
    out: list[exp.Expression] = [
        *_create_role(r.owner, login=False),
        *_create_role(r.app, login=True),
        *_create_role(r.readonly, login=False),
        pl.command(f"GRANT {pl.name(r.owner)} TO CURRENT_USER"),
        exp.Revoke(
            privileges=[exp.GrantPrivilege(this=exp.var("CREATE"))],
            kind="SCHEMA",
            securable=exp.Table(this=ident(DEFAULT_SCHEMA)),
            principals=[exp.GrantPrincipal(this=exp.var("PUBLIC"), kind=False)],
        ),
    ]
    for name in _schemas(schema, extra_schemas):
        if name == DEFAULT_SCHEMA:
            out.append(grant(("USAGE", "CREATE"), "SCHEMA", exp.Table(this=ident(name)), [r.owner]))
    database = "format('GRANT CREATE, CONNECT ON DATABASE %I TO %I', current_database(), " + pl.literal(r.owner) + ")"
    out.append(pl.do(f"BEGIN\n  EXECUTE {database};\nEND"))
    out.append(pl.command(f"SET ROLE {pl.name(r.owner)}"))
    return out


def _create_role(name: str, *, login: bool) -> list[exp.Expression]:
    """The role when it does not exist yet (roles belong to the cluster: another database may have made
    it), then whether it logs in, which holds either way."""
    exists = exp.select("1").from_("pg_catalog.pg_roles").where(exp.column("rolname").eq(exp.Literal.string(name)))
    body = f"BEGIN\n  IF NOT {pl.sql(exp.Exists(this=exists))} THEN\n    CREATE ROLE {pl.name(name)};\n  END IF;\nEND"
    return [pl.do(body), pl.command(f"ALTER ROLE {pl.name(name)} {'LOGIN' if login else 'NOLOGIN'}")]


def _schemas(schema: Schema, extra: list[str]) -> list[str]:
    tables = [physical(t.schema, t.name, "postgres")[0] or DEFAULT_SCHEMA for t in schema.tables]
    return list(dict.fromkeys([DEFAULT_SCHEMA, *tables, *extra]))


def grant(privileges: Iterable[str], kind: str, securable: exp.Expression, principals: list[str]) -> exp.Grant:
    return exp.Grant(
        privileges=[exp.GrantPrivilege(this=exp.var(p)) for p in privileges],
        kind=kind,
        securable=securable,
        principals=[exp.GrantPrincipal(this=ident(p), kind=False) for p in principals],
    )


def grant_statements(schema: Schema, readable: list[exp.Table]) -> list[exp.Expression]:
    """After the schema's statements: USAGE on the schemas, each table's privileges for the application
    role (and the sequences of its serial columns), SELECT for the read-only role (also on `readable`,
    tables the physical design adds), the default privileges, and RESET ROLE."""
    r = roles(schema)
    out: list[exp.Expression] = []
    table_schemas = _schemas(schema, [])
    for name in table_schemas:
        out.append(grant(("USAGE",), "SCHEMA", exp.Table(this=ident(name)), [r.app, r.readonly]))
    for name in dict.fromkeys(t.db for t in readable if t.db):
        if name not in table_schemas:
            out.append(grant(("USAGE",), "SCHEMA", exp.Table(this=ident(name)), [r.readonly]))
    for rule in accesses(schema):
        table = rule.table
        target = table_ref(table.schema, table.name, "postgres")
        out.append(grant(rule.privileges, "TABLE", target, [r.app]))
        if "INSERT" in rule.privileges:
            for db, sequence in serial_sequences(table, schema):
                seq = exp.Table(this=ident(sequence), db=ident(db) if db else None)
                out.append(grant(("USAGE", "SELECT"), "SEQUENCE", seq, [r.app]))
        out.append(grant(("SELECT",), "TABLE", target.copy(), [r.readonly]))
    for target in readable:
        out.append(grant(("SELECT",), "TABLE", target, [r.readonly]))
    out.extend(default_privileges(r, table_schemas))
    out.append(pl.command("RESET ROLE"))
    return out


def default_privileges(r: Roles, schemas: list[str]) -> list[exp.Expression]:
    """What the objects the owner role creates later give the other roles: the read-only role reads
    new tables, the application role may use new sequences, and no one but the owner executes new
    functions. New tables give the application role nothing until a migration grants what the table
    needs (and, for a tenant table, creates its policy in the same transaction): a default grant would
    open a tenant table before its policy exists."""
    out: list[exp.Expression] = []
    prefix = f"ALTER DEFAULT PRIVILEGES FOR ROLE {pl.name(r.owner)}"
    for name in schemas:
        where = f"{prefix} IN SCHEMA {pl.name(name)}"
        out.append(pl.command(f"{where} GRANT SELECT ON TABLES TO {pl.name(r.readonly)}"))
        out.append(pl.command(f"{where} GRANT USAGE, SELECT ON SEQUENCES TO {pl.name(r.app)}"))
    out.append(pl.command(f"{prefix} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC"))
    return out


# ---------------------------------------------------------------- row-level security


@dataclass(frozen=True)
class TenantTable:
    table: Table
    column: Column  # the column holding the tenant
    shared_rows: bool  # the column is nullable: rows without a tenant are shared (read-only)
    root: bool  # the tenant table itself (its key is the tenant)


def tenant_key(schema: Schema) -> str | None:
    setting = schema.project.setting("tenant_key") if schema.project is not None else None
    return setting.value.strip() if setting is not None and setting.value else None


def tenant_tables(schema: Schema) -> list[TenantTable]:
    """The tables row-level security isolates: every table with the tenant column, and the table that
    column references (the tenants themselves, keyed by their primary key)."""
    key = tenant_key(schema)
    if not key:
        return []
    roots = set()
    for ref in schema.refs:
        if ref.fk_side.columns == (key,) and len(ref.pk_side.columns) == 1:
            roots.add((ref.pk_side.table_key, ref.pk_side.columns[0]))
    out = []
    for table in schema.tables:
        column = table.column(key)
        if column is not None:
            out.append(TenantTable(table, column, column.nullable and not column.pk, False))
            continue
        root = next((c for t, c in roots if t == table.key), None)
        root_column = table.column(root) if root is not None else None
        if root_column is not None:
            out.append(TenantTable(table, root_column, False, True))
    return out


def current_tenant(column: Column, schema: Schema) -> exp.Expression:
    """`CAST(current_setting('app.tenant_id') AS <the column's type>)`."""
    datatype = resolve_type(column.type, "postgres", schema).datatype
    return exp.cast(exp.func("current_setting", exp.Literal.string(TENANT_SETTING)), datatype.copy())


def rls_statements(schema: Schema) -> list[exp.Expression]:
    r = roles(schema)
    out: list[exp.Expression] = []
    for item in tenant_tables(schema):
        table = item.table
        target = pl.sql(table_ref(table.schema, table.name, "postgres"))
        mine = exp.column(ident(item.column.name)).eq(current_tenant(item.column, schema))
        visible = exp.or_(exp.column(ident(item.column.name)).is_(exp.null()), mine) if item.shared_rows else mine
        out += [
            pl.command(f"ALTER TABLE {target} ENABLE ROW LEVEL SECURITY"),
            pl.command(f"ALTER TABLE {target} FORCE ROW LEVEL SECURITY"),
            pl.command(
                f"CREATE POLICY {pl.name(TENANT_POLICY)} ON {target} TO {pl.names([r.app, r.readonly])} "
                f"USING ({pl.sql(visible)}) WITH CHECK ({pl.sql(mine)})"
            ),
            pl.command(
                f"CREATE POLICY {pl.name(OWNER_POLICY)} ON {target} TO {pl.name(r.owner)} "
                "USING (TRUE) WITH CHECK (TRUE)"
            ),
        ]
    return out
