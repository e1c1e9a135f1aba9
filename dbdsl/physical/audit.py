"""Audited changes: tables flagged `audited` record every change in one audit table, by one trigger
function.

The audit table (the Project's `audit_table`, else `audit.row_changes`) has the shape of the classic
audit log: the table, the operation, the changed row's key, its old and new values as JSONB, who made
the change (the session setting `app.user_id`, and the database user), the tenant (when the Project
has a `tenant_key`), the transaction, when, and the client's address. It is a model `Table`, so the
SQL generator writes it like any other table.

`audit.record_change()` runs as its owner (SECURITY DEFINER, with a fixed search_path): the
application role has no privilege on the audit table at all, so it can add audit rows only through the
trigger and can never change or delete them. Each audited table gets a row trigger (INSERT, UPDATE,
DELETE; an UPDATE that changes nothing is not recorded) and a statement trigger for TRUNCATE.
"""

from __future__ import annotations

from sqlglot import exp

from ..emit.sql import comments, create_index, create_table
from ..emit.sql_names import ident, table_ref
from ..model.schema import Check, Column, ColumnType, Index, IndexKey, Literal, Schema, Table
from . import plpgsql as pl

USER_SETTING = "app.user_id"
DEFAULT_TABLE = ("audit", "row_changes")
FUNCTION_NAME = "record_change"
OPERATIONS = ("INSERT", "UPDATE", "DELETE", "TRUNCATE")


def audited(schema: Schema) -> list[Table]:
    return [t for t in schema.tables if t.setting("audited") is not None]


def audit_table_key(schema: Schema) -> tuple[str, str]:
    """(schema, table) of the audit table: the Project's `audit_table` (`'audit.changes'`, or a bare
    name in the `audit` schema), else audit.row_changes."""
    setting = schema.project.setting("audit_table") if schema.project is not None else None
    if setting is None or not setting.value:
        return DEFAULT_TABLE
    where, _, name = setting.value.strip().rpartition(".")
    return (where or DEFAULT_TABLE[0], name)


def tenant_column(schema: Schema) -> str | None:
    setting = schema.project.setting("tenant_key") if schema.project is not None else None
    return setting.value.strip() if setting is not None and setting.value else None


def audit_table(schema: Schema) -> Table:
    """The audit table as a model table."""
    where, name = audit_table_key(schema)

    def column(
        name: str, kind: str, *, not_null: bool = False, default: str | None = None, note: str = "", check: tuple = ()
    ) -> Column:
        value = Literal("expression", default) if default else None
        return Column(name, ColumnType(kind), not_null=not_null, default=value, note=note or None, checks=check)

    operations = ", ".join(f"'{o}'" for o in OPERATIONS)
    columns = [
        Column("id", ColumnType("bigint"), pk=True, increment=True, note="the order changes were recorded in"),
        column("table_schema", "text", not_null=True, note="the changed table's schema"),
        column("table_name", "text", not_null=True, note="the changed table (a partitioned table's own name)"),
        column(
            "operation",
            "text",
            not_null=True,
            note=", ".join(OPERATIONS),
            check=(Check(f"operation in ({operations})"),),
        ),
        column("row_key", "jsonb", note="the changed row's primary key"),
        column("old_values", "jsonb", note="the row before the change (UPDATE, DELETE)"),
        column("new_values", "jsonb", note="the row after the change (INSERT, UPDATE)"),
        column("changed_by", "text", note=f"the application's user: the session setting {USER_SETTING}"),
    ]
    if tenant_column(schema):
        columns.append(column("tenant_id", "text", note=f"the row's {tenant_column(schema)}"))
    columns += [
        column("database_user", "text", not_null=True, default="session_user", note="the role that logged in"),
        column("transaction_id", "bigint", not_null=True, default="txid_current()", note="one transaction's changes"),
        column("changed_at", "timestamptz", not_null=True, default="now()", note="when the transaction started"),
        column("client_address", "inet", default="inet_client_addr()", note="the client's address (null on a socket)"),
    ]
    index = Index(keys=tuple(IndexKey("column", c) for c in ("table_schema", "table_name", "changed_at")))
    return Table(
        name=name,
        schema=where,
        columns=tuple(columns),
        indexes=(index,),
        note="Every change to an audited table, written by its trigger; never updated or deleted.",
    )


def function_ref(schema: Schema) -> exp.Table:
    return pl.qualified(audit_table_key(schema)[0], FUNCTION_NAME)


def statements(schema: Schema, warnings: list[str]) -> list[exp.Expression]:
    """The audit schema and table, the trigger function and the triggers of every audited table."""
    tables = audited(schema)
    if not tables:
        return []
    log = audit_table(schema)
    target = pl.sql(table_ref(log.schema, log.name, "postgres"))
    log_table = create_table(log, None, "postgres", warnings=warnings)
    index = create_index(log.indexes[0], log, "postgres", warnings=warnings)
    assert index is not None, "PostgreSQL has every index of the audit table"
    out: list[exp.Expression] = [
        exp.Create(kind="SCHEMA", this=exp.Table(this=ident(log.schema)), exists=True),
        log_table,
        index,
        *comments(log, "postgres"),
    ]
    tenant = ", tenant_id" if tenant_column(schema) else ""
    tenant_value = ", key_row ->> nullif(TG_ARGV[2], '')" if tenant_column(schema) else ""
    body = f"""
DECLARE
  old_row jsonb;
  new_row jsonb;
  key_row jsonb;
  row_key jsonb := '{{}}';
BEGIN
  -- arguments: the table's schema and name, the tenant column (or ''), then its key columns
  IF TG_LEVEL = 'STATEMENT' THEN
    INSERT INTO {target} (table_schema, table_name, operation, changed_by)
    VALUES (TG_ARGV[0], TG_ARGV[1], TG_OP, nullif(current_setting({pl.literal(USER_SETTING)}, true), ''));
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    old_row := to_jsonb(OLD);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    new_row := to_jsonb(NEW);
  END IF;
  IF TG_OP = 'UPDATE' AND old_row = new_row THEN
    RETURN NULL;
  END IF;
  key_row := coalesce(new_row, old_row);
  FOR i IN 3 .. TG_NARGS - 1 LOOP
    row_key := row_key || jsonb_build_object(TG_ARGV[i], key_row -> TG_ARGV[i]);
  END LOOP;
  INSERT INTO {target} (table_schema, table_name, operation, row_key, old_values, new_values, changed_by{tenant})
  VALUES (TG_ARGV[0], TG_ARGV[1], TG_OP, row_key, old_row, new_row,
          nullif(current_setting({pl.literal(USER_SETTING)}, true), ''){tenant_value});
  RETURN NULL;
END
"""
    function = function_ref(schema)
    out.append(
        pl.routine(
            "FUNCTION",
            function,
            "",
            body,
            returns="trigger",
            options=["SECURITY DEFINER", "SET search_path = pg_catalog, pg_temp"],
        )
    )
    out.append(pl.command(f"REVOKE ALL ON FUNCTION {pl.sql(function)}() FROM PUBLIC"))
    key = tenant_column(schema)
    for table in tables:
        out.extend(triggers(table, function, key if key and table.column(key) is not None else ""))
    return out


def triggers(table: Table, function: exp.Table, tenant: str) -> list[exp.Expression]:
    """The row trigger and the TRUNCATE trigger of one audited table."""
    target = pl.sql(table_ref(table.schema, table.name, "postgres"))
    args = ", ".join(pl.literal(a) for a in (table.schema, table.name, tenant, *table.primary_key))
    row = (
        f"CREATE TRIGGER {pl.name('audit_row_change')} AFTER INSERT OR UPDATE OR DELETE ON {target} "
        f"FOR EACH ROW EXECUTE FUNCTION {pl.sql(function)}({args})"
    )
    truncate = (
        f"CREATE TRIGGER {pl.name('audit_truncate')} AFTER TRUNCATE ON {target} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {pl.sql(function)}({args})"
    )
    return [pl.command(row), pl.command(truncate)]
