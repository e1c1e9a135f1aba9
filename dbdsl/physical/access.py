"""What each role may do with each table: the one source of the GRANTs that `dbdsl sql --with security`
writes and the design document explains.

The application role gets what each table needs: SELECT and INSERT only on append-only audit tables
(`audit` setting, or a note saying append-only), no DELETE where rows are soft deleted, SELECT only on
reference data shipped with the schema; everything else SELECT, INSERT, UPDATE, DELETE. The read-only
role gets SELECT everywhere; the owner role owns the objects and runs migrations and maintenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..emit.sql_names import MAX_NAME_BYTES, physical
from ..emit.sql_types import resolve_type
from ..model.schema import Column, Schema, Table, TableKey

ALL = ("SELECT", "INSERT", "UPDATE", "DELETE")
APPEND_ONLY = re.compile(r"\b(append[- ]only|insert[- ]only|immutable)\b", re.I)
SOFT_DELETE_COLUMNS = ("deleted_at", "is_deleted", "deleted", "archived_at", "removed_at")


@dataclass(frozen=True)
class Roles:
    """The three roles of the physical design, as the Project names them (or as derived)."""

    owner: str
    app: str
    readonly: str
    given: frozenset[str] = frozenset()  # which of owner, app, readonly the Project names


def roles(schema: Schema) -> Roles:
    """`app_role`, `owner_role` and `readonly_role` from the Project; the ones it does not give are
    `<project>_app`, `<project>_owner`, `<project>_readonly` (`app`, `app_owner`... without a name)."""
    project = schema.project
    given: dict[str, str] = {}
    for key in ("owner", "app", "readonly"):
        setting = project.setting(f"{key}_role") if project is not None else None
        if setting is not None and setting.value:
            given[key] = setting.value
    if project is not None and project.name:
        prefix = re.sub(r"\W+", "_", project.name.lower()).strip("_") or "app"
    elif "app" in given:
        prefix = given["app"].removesuffix("_app") or "app"
    else:
        prefix = "app"
    return Roles(
        owner=given.get("owner", f"{prefix}_owner"),
        app=given.get("app", "app" if prefix == "app" else f"{prefix}_app"),
        readonly=given.get("readonly", f"{prefix}_readonly"),
        given=frozenset(given),
    )


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


@dataclass
class Access:
    table: Table
    privileges: tuple[str, ...]
    reason: str


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
            if len(name.encode("utf-8", "surrogatepass")) <= MAX_NAME_BYTES:
                db, _ = physical(table.schema, table.name, "postgres")
                out.append((db, name))
    return out
