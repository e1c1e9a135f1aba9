"""Retention: how long each table keeps its rows, by which column, and the purge that enforces it.

Facts read: a table's `retention: '30 days'` (optionally `'90 days by updated_at'`), and the Project's
`retention` naming tables (`'audit log 7 years, invitations 30 days'`: a table's own setting wins).
The column that ages a row is, in order: the one named after `by`; the soft-delete column (rows are
removed that long after they were soft deleted); the range partition key; the one NOT NULL timestamp
column that defaults to the time of insertion. When none or several qualify, the retention is a
`Problem` (the linter reports it with how to say it) and nothing is purged.

`maintenance.purge_expired(batch_size)` is a procedure: it deletes in batches and commits after each
one, so no long transaction holds locks or bloats the table; on a table partitioned by range on the
age column it first detaches and drops the partitions that lie wholly before the cutoff. Rows that a
foreign key without an ON DELETE action still references are kept (the delete would fail).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

from ..emit.sql_names import ident
from ..emit.sql_types import resolve_type
from ..model.schema import Column, Ref, Schema, Table
from . import plpgsql as pl
from .access import soft_delete_column
from .partitions import spec_of

UNITS = {
    "minute": "minutes",
    "min": "minutes",
    "hour": "hours",
    "h": "hours",
    "day": "days",
    "d": "days",
    "week": "weeks",
    "month": "months",
    "year": "years",
    "y": "years",
}
_PERIOD = re.compile(r"(\d+)\s*([A-Za-z]+)")
_CHUNK = re.compile(r"^\s*(?P<name>.*?)\s*(?P<n>\d+)\s*(?P<unit>[A-Za-z]+)(?P<rest>.*)$", re.S)
_BY = re.compile(r"\bby\s+\"?([A-Za-z_][\w$]*)\"?")
PURGE = ("maintenance", "purge_expired")


@dataclass(frozen=True)
class Retention:
    table: Table
    text: str  # as declared: `30 days`
    interval: str  # PostgreSQL interval text: `30 days`
    source: str  # "table" or "project"
    column: Column | None = None  # what ages a row; None when it cannot be told (see `problem`)
    how: str = ""  # why this column: "named", "soft delete", "partition key", "insertion time"
    problem: str | None = None

    @property
    def partitioned(self) -> bool:
        """Whether whole partitions can be dropped: range partitions on the age column."""
        spec = spec_of(self.table)
        return bool(spec and spec.method == "range" and self.column and spec.columns == (self.column.name,))


def interval_of(text: str) -> str | None:
    """`'7 years'` -> `7 years`; None when the text gives no period PostgreSQL understands."""
    m = _PERIOD.search(text or "")
    if m is None:
        return None
    word = m.group(2).lower()
    unit = UNITS.get(word) or UNITS.get(word.rstrip("s"))
    return f"{m.group(1)} {unit}" if unit else None


def project_retention(schema: Schema) -> tuple[dict[str, str], list[str]]:
    """The Project's `retention` read as (table name -> its part of the text), and the parts that name
    no table of the schema."""
    setting = schema.project.setting("retention") if schema.project is not None else None
    if setting is None or not setting.value:
        return {}, []
    names = {_normal(t.name): t.qualified for t in schema.tables} | {
        _normal(t.qualified): t.qualified for t in schema.tables
    }
    found: dict[str, str] = {}
    unknown: list[str] = []
    for chunk in re.split(r"[,;]", setting.value):
        m = _CHUNK.match(chunk)
        if m is None or not m.group("name"):
            continue
        name = _normal(m.group("name"))
        table = names.get(name) or names.get(name + "s") or names.get(name.removesuffix("s"))
        if table is None:
            unknown.append(chunk.strip())
        else:
            found[table] = f"{m.group('n')} {m.group('unit')}{m.group('rest')}".strip()
    return found, unknown


def _normal(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def retentions(schema: Schema) -> list[Retention]:
    """The retention of every table that has one, in the schema's order."""
    from_project, _ = project_retention(schema)
    out = []
    for table in schema.tables:
        own = table.setting("retention")
        if own is not None and own.value:
            text, source = own.value, "table"
        elif table.qualified in from_project:
            text, source = from_project[table.qualified], "project"
        else:
            continue
        interval = interval_of(text)
        if interval is None:
            out.append(Retention(table, text, "", source, problem=f"'{text}' gives no period such as '30 days'"))
            continue
        column, how, problem = _age_column(table, schema, text)
        out.append(Retention(table, text, interval, source, column, how, problem))
    return out


def _age_column(table: Table, schema: Schema, text: str) -> tuple[Column | None, str, str | None]:
    named = _BY.search(text)
    if named:
        column = table.column(named.group(1))
        if column is None:
            return None, "", f"retention names column {named.group(1)}, which the table does not have"
        if not _temporal(column, schema):
            return None, "", f"retention ages rows by {column.name}, which is not a date or timestamp"
        return column, "named", None
    soft = soft_delete_column(table)
    if soft is not None and _temporal(soft, schema):
        return soft, "soft delete", None
    spec = spec_of(table)
    if spec is not None and spec.method == "range" and len(spec.columns) == 1:
        column = table.column(spec.columns[0])
        if column is not None and _temporal(column, schema):
            return column, "partition key", None
    stamped = [c for c in table.columns if _temporal(c, schema) and c.not_null and _defaults_to_now(c)]
    if len(stamped) == 1:
        return stamped[0], "insertion time", None
    if stamped:
        listed = ", ".join(c.name for c in stamped)
        return (
            None,
            "",
            f"several columns could age its rows ({listed}): say which, as in '{text} by {stamped[0].name}'",
        )
    return None, "", f"no column tells a row's age: name one, as in '{text} by created_at'"


def _temporal(column: Column, schema: Schema) -> bool:
    return resolve_type(column.type, "postgres", schema).category in ("date", "timestamp")


def _defaults_to_now(column: Column) -> bool:
    value = column.default
    if value is None or value.kind != "expression":
        return False
    return re.sub(r"[\s()]", "", value.value.lower()) in ("now", "current_timestamp", "localtimestamp", "current_date")


# ---------------------------------------------------------------- the purge


def kept_by(table: Table, schema: Schema) -> list[Ref]:
    """Refs whose rows would make deleting a row of `table` fail (no ON DELETE action)."""
    return [
        r
        for r in schema.refs
        if not r.many_to_many
        and r.pk_side.table_key == table.key
        and r.fk_side.table_key != table.key
        and (r.on_delete or "no action") in ("no action", "restrict")
    ]


def purge_procedure(schema: Schema, items: list[Retention]) -> exp.Command:
    """`maintenance.purge_expired(batch_size)`: one block per table, in the schema's order."""
    blocks = []
    for item in items:
        blocks.append(_purge_block(item, schema))
    body = [
        "DECLARE",
        "  cutoff timestamptz;",
        "  removed bigint;",
        "  part record;",
        "  upper_bound text;",
        "BEGIN",
        pl.indent(blocks),
        "END",
    ]
    return pl.routine("PROCEDURE", pl.qualified(*PURGE), "batch_size integer DEFAULT 10000", "\n".join(body))


def _purge_block(item: Retention, schema: Schema) -> str:
    table = item.table
    column = item.column
    assert column is not None, "a retention without a problem has its age column"
    target = pl.table(table.schema, table.name)
    age = exp.column(ident(column.name))
    lines = [
        f"-- {table.qualified}: rows older than {item.interval} by {column.name} ({item.how})",
        f"cutoff := now() - {pl.sql(exp.Interval(this=exp.Literal.string(item.interval)))};",
    ]
    if item.partitioned:
        lines += [
            "FOR part IN",
            "  SELECT c.oid::regclass AS child, pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound",
            "  FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid",
            f"  WHERE i.inhparent = {pl.literal(pl.sql(target))}::regclass",
            "LOOP",
            "  upper_bound := substring(part.bound FROM $re$ TO \\('([^']*)'\\)$re$);",
            "  IF upper_bound IS NOT NULL AND upper_bound::timestamptz <= cutoff THEN",
            f"    EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', {pl.literal(pl.sql(target))}, part.child);",
            "    EXECUTE format('DROP TABLE %s', part.child);",
            "  END IF;",
            "END LOOP;",
        ]
    expired: exp.Expr = age.copy() < exp.column("cutoff")
    for ref in kept_by(table, schema):
        child = pl.table(ref.fk_side.schema, ref.fk_side.table)
        child_alias = exp.to_identifier("referencing")
        match = exp.and_(
            *[
                exp.column(ident(c), table=child_alias).eq(exp.column(ident(p), table=ident(table.name)))
                for c, p in zip(ref.fk_side.columns, ref.pk_side.columns)
            ]
        )
        exists = exp.Exists(this=exp.select("1").from_(exp.alias_(child, child_alias)).where(match))
        expired = exp.and_(expired, exp.Not(this=exists))
    if not table.primary_key and spec_of(table) is not None:
        # a row id is not unique across partitions: without a key, the rest goes in one DELETE
        return "\n".join([*lines, f"{pl.sql(exp.delete(target.copy(), where=expired))};", "COMMIT;"])
    keys = [exp.column(ident(c)) for c in table.primary_key] or [exp.column("ctid")]
    chosen = exp.select(*keys).from_(target.copy()).where(expired).limit(exp.column("batch_size"))
    subject = keys[0].copy() if len(keys) == 1 else exp.Tuple(expressions=[k.copy() for k in keys])
    condition = exp.In(this=subject, query=exp.Subquery(this=chosen))
    delete = exp.delete(target.copy(), where=condition)
    lines += [
        "LOOP",
        f"  {pl.sql(delete)};",
        "  GET DIAGNOSTICS removed = ROW_COUNT;",
        "  COMMIT;",
        "  EXIT WHEN removed < batch_size;",
        "END LOOP;",
    ]
    return "\n".join(lines)
