"""The Security section: the roles, what each may do with each table, row-level security, personal
data and the audit trail, quoting the physical design script (`dbdsl sql --with security,audit`) that
makes them. What each role may do is `dbdsl.physical.access`, the script's own source."""

from __future__ import annotations

from ..emit.sql_types import engine_name
from ..model.schema import Column, Schema, Table
from ..physical import audit as audited
from ..physical import security as rls
from ..physical.access import accesses, is_audit, roles
from ..physical.script import PhysicalScript
from . import markdown as md
from .gaps import declare
from .quote import quote


def pii_columns(schema: Schema) -> list[tuple[Table, Column, str]]:
    """Columns marked `pii` (with the kind when the setting has a value)."""
    out = []
    for table in schema.tables:
        for column in table.columns:
            setting = column.setting("pii")
            if setting is not None:
                out.append((table, column, setting.value or ""))
    return out


def section(schema: Schema, target: str, script: PhysicalScript) -> str:
    parts = [_roles(schema, target, script)]
    parts.append(_privileges(schema, script))
    parts.append(_row_level_security(schema, script))
    parts.append(_pii(schema))
    parts.append(_audit(schema, script))
    return "\n\n".join(parts)


def _roles(schema: Schema, target: str, script: PhysicalScript) -> str:
    r = roles(schema)

    def named(key: str, name: str) -> str:
        return f"`{name}`" + (f" (the Project's `{key}_role`)" if key in r.given else f" (set `{key}_role` to name it)")

    rows = [
        [named("owner", r.owner), "no", "owns every table, type and function; runs migrations and maintenance"],
        [named("app", r.app), "yes", "the application: only the privileges below, subject to row-level security"],
        [named("readonly", r.readonly), "no", "reporting and support: reads every table (members log in)"],
    ]
    text = (
        "`dbdsl sql --with security` makes three roles and runs the schema's statements as the owner role, so "
        "the application role owns nothing and cannot create, alter or drop anything.\n\n"
        + md.table(["role", "logs in", "what it is for"], rows)
    )
    text += (
        f"\n\nThe script gives `{r.app}` no password. Set it once, outside any file kept in version control: "
        f"`ALTER ROLE \"{r.app}\" PASSWORD '...'` as a superuser, or `\\password {r.app}` in psql (which sends it "
        "hashed). Analysts get their own login role, made a member of the read-only one: "
        f'`CREATE ROLE alice LOGIN IN ROLE "{r.readonly}"`.'
    )
    if target == "sqlite":
        text += "\n\nSQLite has no roles or privileges: protect the database file with the system's permissions."
    elif target != "postgres":
        text += f"\n\nThe script is PostgreSQL's; adapt the role statements for {engine_name(target)}."
    section = script.section("roles")
    if section is not None:
        text += "\n\n**Roles** (before the schema)\n\n" + quote(section.statements)
    return text


def _privileges(schema: Schema, script: PhysicalScript) -> str:
    r = roles(schema)
    rows = [[a.table.qualified, ", ".join(a.privileges), a.reason] for a in accesses(schema)]
    listed = md.table(["table", "privileges", "why"], rows) if rows else "Nothing: the schema has no tables."
    text = f"**What `{r.app}` may do**\n\n" + listed
    text += (
        f"\n\n`{r.readonly}` may SELECT every table. Tables the owner role creates later are readable by "
        f"`{r.readonly}` (default privileges); `{r.app}` gets nothing on them until a migration grants what the "
        "table needs, so a new tenant table is never open before its policy exists."
    )
    section = script.section("privileges")
    if section is not None:
        text += "\n\n" + quote(section.statements)
    return text


def _row_level_security(schema: Schema, script: PhysicalScript) -> str:
    key = rls.tenant_key(schema)
    if not key:
        return (
            "**Row-level security.** "
            + declare(
                "tenant_key",
                "the Project names no tenant column, so rows are not isolated per tenant",
                "tenant_key: 'organization_id'",
            )
            + "."
        )
    r = roles(schema)
    isolated = rls.tenant_tables(schema)
    rows = []
    for item in isolated:
        if item.root:
            how = f"the tenants themselves: a session sees its own row (`{item.column.name}`)"
        elif item.shared_rows:
            how = f"rows with a null `{item.column.name}` are shared (readable, not writable); the others per tenant"
        else:
            how = f"per tenant, by `{item.column.name}`"
        rows.append([item.table.qualified, how])
    text = (
        f"**Row-level security** (Project `tenant_key: '{key}'`). Every table below has ENABLE and FORCE ROW LEVEL "
        f"SECURITY: `{r.app}` and `{r.readonly}` see and write only the rows of the tenant their session names, "
        f"and the owner role sees every row (migrations, the purge). A session names its tenant before its "
        f"queries, with `SET app.tenant_id = '...'` (or `SELECT set_config('app.tenant_id', $1, true)` inside the "
        "transaction, which suits connection pools); a session that names none reads nothing (an error), and a "
        "row written for another tenant is refused.\n\n" + md.table(["table", "isolation"], rows)
    )
    shared = [t.qualified for t in schema.tables if t.key not in {i.table.key for i in isolated}]
    if shared:
        text += f"\n\nShared by every tenant (no `{key}`, not isolated): {', '.join(shared)}."
    section = script.section("row-level security")
    if section is not None:
        text += "\n\n" + quote(section.statements)
    return text


def _pii(schema: Schema) -> str:
    pii = pii_columns(schema)
    if not pii:
        return (
            "**Personal data (PII).** "
            + declare("pii", "no column is marked as personal data", "email varchar(320) [pii]")
            + " (or state that the schema holds none)."
        )
    rows = [[t.qualified, c.name, kind or "personal data", c.note or ""] for t, c, kind in pii]
    return (
        "**Personal data (PII)** — encrypt backups, mask these columns in non-production copies, and "
        "erase them on a deletion request:\n\n" + md.table(["table", "column", "kind", "note"], rows)
    )


def _audit(schema: Schema, script: PhysicalScript) -> str:
    r = roles(schema)
    parts = []
    appended = [t for t in schema.tables if is_audit(t)]
    if appended:
        lines = [
            f"- {t.qualified}: the application writes its own audit events here; `{r.app}` may INSERT and SELECT "
            "only, so history cannot be rewritten through it."
            for t in appended
        ]
        parts.append("**Audit log tables**\n\n" + "\n".join(lines))
    tables = audited.audited(schema)
    if not tables:
        parts.append(
            "**Audited changes.** "
            + declare("audited", "no table is marked `audited`, so changes are not recorded", "Table t [audited]")
            + "."
        )
        return "\n\n".join(parts)
    where, name = audited.audit_table_key(schema)
    log = audited.audit_table(schema)
    columns = [[f"`{c.name}`", c.type.text, c.note or _default_text(c)] for c in log.columns]
    text = (
        f"**Audited changes.** Every INSERT, UPDATE (that changes something), DELETE and TRUNCATE on "
        f"{', '.join(t.qualified for t in tables)} is recorded in `{where}.{name}` by one trigger function, "
        f"`{where}.{audited.FUNCTION_NAME}()`. It runs as the owner role (SECURITY DEFINER), and `{r.app}` has no "
        "privilege on the audit table: audit rows are written only through the trigger, and the application can "
        f"neither read, change nor delete them; `{r.readonly}` reads them. The application names the person behind "
        f"a change with `SET {audited.USER_SETTING} = '...'`; the database user, the transaction and the client's "
        "address are recorded too.\n\n" + md.table(["column", "type", "holds"], columns)
    )
    section = script.section("audited changes")
    if section is not None:
        text += "\n\n" + quote(section.statements)
    parts.append(text)
    return "\n\n".join(parts)


def _default_text(column: Column) -> str:
    return f"default {column.default.value}" if column.default is not None else ""
