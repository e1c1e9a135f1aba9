"""Least privilege for the application role: which privileges each table gets and why, the GRANT
script (sqlglot expressions), the PII columns and the audit tables."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

from ...model.schema import DEFAULT_SCHEMA, Column, Schema, Table, TableKey
from ..sql_names import MAX_NAME_BYTES, ident, physical, table_ref
from ..sql_types import resolve_type

ALL = ("SELECT", "INSERT", "UPDATE", "DELETE")
APPEND_ONLY = re.compile(r"\b(append[- ]only|insert[- ]only|immutable)\b", re.I)
SOFT_DELETE_COLUMNS = ("deleted_at", "is_deleted", "deleted", "archived_at", "removed_at")


@dataclass
class Access:
    table: Table
    privileges: tuple[str, ...]
    reason: str


def app_role(schema: Schema) -> str:
    """The Project's `app_role`, else `<project>_app`, else `app`."""
    project = schema.project
    if project is not None:
        given = project.setting("app_role")
        if given is not None and given.value:
            return given.value
        if project.name:
            return re.sub(r"\W+", "_", project.name.lower()).strip("_") + "_app"
    return "app"


def is_audit(table: Table) -> bool:
    """An audit/append-only table: the `audit` setting, or a note that says append-only."""
    return table.setting("audit") is not None or bool(APPEND_ONLY.search(table.note or ""))


def soft_delete_column(table: Table) -> Column | None:
    setting = table.setting("soft_delete")
    if setting is not None and setting.value and table.column(setting.value.strip("'\"")) is not None:
        return table.column(setting.value.strip("'\""))
    for name in SOFT_DELETE_COLUMNS:
        if table.column(name) is not None:
            return table.column(name)
    return None


def accesses(schema: Schema) -> list[Access]:
    """What the application role may do with each table, in the schema's order."""
    referenced: set[TableKey] = set()
    referencing: set[TableKey] = set()
    for ref in schema.refs:
        if not ref.many_to_many:  # the junction table of a many-to-many ref does the referencing
            referenced.add(ref.pk_side.table_key)
            referencing.add(ref.fk_side.table_key)
    return [_access(table, table.key in referenced, table.key not in referencing) for table in schema.tables]


def _access(table: Table, referenced: bool, references_nothing: bool) -> Access:
    if is_audit(table):
        why = "its `audit` setting" if table.setting("audit") is not None else "its note (append-only)"
        return Access(
            table, ("SELECT", "INSERT"), f"append-only audit table ({why}): rows are never changed or removed"
        )
    column = soft_delete_column(table)
    if column is not None:
        return Access(
            table,
            ("SELECT", "INSERT", "UPDATE"),
            f"soft delete through `{column.name}`: the application never deletes rows; purges run as the owner",
        )
    if table.records and referenced and references_nothing:
        return Access(table, ("SELECT",), "reference data shipped with the schema (Records); changed by migrations")
    return Access(table, ALL, "application data")


def serial_sequences(table: Table, schema: Schema) -> list[tuple[str | None, str]]:
    """Sequences behind `serial` columns (PostgreSQL names them table_column_seq); an INSERT that
    takes the default needs USAGE on them. Identity columns need no privilege on their sequence."""
    out = []
    for column in table.columns:
        if resolve_type(column.type, "postgres", schema).serial:
            name = f"{table.name}_{column.name}_seq"
            if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
                db, _ = physical(table.schema, table.name, "postgres")
                out.append((db, name))
    return out


def grant_script(schema: Schema, dialect: str = "postgres") -> list[exp.Expression]:
    """CREATE ROLE and GRANTs for the application role (PostgreSQL; SQLite has no privileges)."""
    role = app_role(schema)
    principal = exp.GrantPrincipal(this=ident(role), kind=False)
    statements: list[exp.Expression] = [
        # sqlglot has no CREATE ROLE node: the only variable part, the name, is quoted by sqlglot
        exp.Command(this="CREATE", expression=f" ROLE {ident(role).sql(dialect)} NOLOGIN")
    ]
    schemas = list(dict.fromkeys(physical(t.schema, t.name, "postgres")[0] or DEFAULT_SCHEMA for t in schema.tables))
    for name in schemas:
        statements.append(_grant(("USAGE",), "SCHEMA", exp.Table(this=ident(name)), principal))
    for rule in accesses(schema):
        table = rule.table
        statements.append(_grant(rule.privileges, "TABLE", table_ref(table.schema, table.name, "postgres"), principal))
        if "INSERT" in rule.privileges:
            for db, sequence in serial_sequences(table, schema):
                target = exp.Table(this=ident(sequence), db=ident(db) if db else None)
                statements.append(_grant(("USAGE", "SELECT"), "SEQUENCE", target, principal))
    return statements


def _grant(privileges, kind: str, securable: exp.Expression, principal: exp.GrantPrincipal) -> exp.Grant:
    return exp.Grant(
        privileges=[exp.GrantPrivilege(this=exp.var(p)) for p in privileges],
        kind=kind,
        securable=securable,
        principals=[principal.copy()],
    )


def pii_columns(schema: Schema) -> list[tuple[Table, Column, str]]:
    """Columns marked `pii` (with the kind when the setting has a value), in tables marked `pii` too."""
    out = []
    for table in schema.tables:
        for column in table.columns:
            setting = column.setting("pii")
            if setting is not None:
                out.append((table, column, setting.value or ""))
    return out
