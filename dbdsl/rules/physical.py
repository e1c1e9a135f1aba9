"""Rules on the physical design facts: partitioning, retention, the tenant key, documentation.

They read the same checks as the physical design SQL (`dbdsl.physical`), so a schema these rules
pass is one `dbdsl sql` partitions and `--with retention` purges as declared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from ..emit import dsl
from ..model.schema import IndexKey, Schema, Table
from ..model.spans import Span
from ..physical import partitions, retention
from ..physical.security import tenant_key
from . import fixes
from .base import SCHEMA, Hit, hit, rule

if TYPE_CHECKING:
    from .engine import Context


def _setting_span(table: Table, key: str) -> Span | None:
    setting = table.setting(key)
    return (setting.span if setting is not None else None) or table.name_span or table.span


@rule(
    "C120",
    "partition-key-outside-unique-key",
    severity="error",
    summary="A primary key or unique constraint of a partitioned table lacks the partition key",
    rationale="""A partitioned table enforces its primary key and unique constraints in each partition
    separately, so PostgreSQL (and MySQL) accept them only when they contain every partition column:
    the CREATE TABLE fails otherwise (dbdsl then writes the table unpartitioned, with a warning). Add
    the partition columns to the key; uniqueness then holds per partition key value, so a value that
    must be unique across the whole table needs a table of its own (or no partitioning). Foreign keys
    that reference the key must name the partition columns too.""",
    bad="""
    Table events [partition_by: 'range (created_at), monthly'] {
      id bigint [pk]
      created_at timestamptz [not null]
    }
    """,
    good="""
    Table events [partition_by: 'range (created_at), monthly'] {
      id bigint
      created_at timestamptz [not null]
      indexes {
        (id, created_at) [pk]
      }
    }
    """,
    fix="unsafe",  # the key then accepts rows it refused: uniqueness holds per partition key value
)
def partition_key_outside_unique_key(ctx: Context, table: Table) -> Iterator[Hit]:
    for problem in partitions.problems(table, ctx.schema, "postgres"):
        if problem.kind != "key":
            continue
        spec = partitions.spec_of(table)
        if spec is None:  # a key problem is one of a partitioned table
            continue
        wanted = tuple(dict.fromkeys([*problem.key, *spec.columns]))
        message = (
            f"table '{table.qualified}' is partitioned by {', '.join(spec.columns)}, but {problem.message}: "
            "the engine refuses a key that a partition cannot check on its own"
        )
        edits = _key_fix(table, problem, wanted)
        what = "primary key" if problem.key_kind == "primary key" else "unique constraint"
        title = f"Make the {what} ({', '.join(wanted)})"
        yield hit(message, _setting_span(table, "partition_by"), *([fixes.fix(title, *edits)] if edits else []))


def _key_fix(table: Table, problem: partitions.Problem, wanted: tuple[str, ...]) -> list[fixes.Edit]:
    """Edits that put the partition columns into the key: the index line gets them, or a key written on
    a column (`id [pk]`, `email [unique]`) moves into `indexes { }` with them."""
    flag = "pk" if problem.key_kind == "primary key" else "unique"
    line = "(" + ", ".join(dsl.name(c) for c in wanted) + f") [{flag}]"
    if len(problem.key) == 1:
        column = table.column(problem.key[0])
        if column is not None and (column.pk if flag == "pk" else column.unique):  # declared on the column
            if not fixes.editable_column(table, column):
                return []
            return [fixes.rewrite_settings(column, drop={flag}), fixes.add_index(table, line)]
    for index in table.indexes:
        same = index.columns == problem.key and (index.pk if flag == "pk" else index.unique and not index.pk)
        if same and index.name == problem.index_name and index.span is not None and fixes.own(table, index.span):
            keys = tuple(index.keys) + tuple(IndexKey("column", c) for c in wanted if c not in index.columns)
            return [fixes.Edit(index.span, dsl.index_line(replace(index, keys=keys)))]
    return []


@rule(
    "C121",
    "partitioning-not-possible",
    severity="warning",
    summary="A table cannot be partitioned as its partition_by says",
    rationale="""`partition_by` names a column the table lacks, asks for partitions per day, month or year
    on a column that is no date or timestamp, lists values its enum column does not have, or (on
    MySQL) partitions a table that has foreign keys, which InnoDB refuses. The SQL then creates the
    table without partitions, so the declared design is not what runs.""",
    bad="""
    Table events [partition_by: 'range (id), monthly'] {
      id bigint [pk]
    }
    """,
    good="""
    Table events [partition_by: 'hash (id), 8 partitions'] {
      id bigint [pk]
    }
    """,
)
def partitioning_not_possible(ctx: Context, table: Table) -> Iterator[Hit]:
    target = "mysql" if ctx.dialect == "mysql" else "postgres"
    for problem in partitions.problems(table, ctx.schema, target):
        if problem.kind != "key":
            yield hit(
                f"table '{table.qualified}' cannot be partitioned as declared: {problem.message}",
                _setting_span(table, "partition_by"),
            )


@rule(
    "C122",
    "retention-not-enforceable",
    severity="warning",
    summary="A retention that no purge can enforce",
    rationale="""A retention is enforced by deleting the rows older than it (`dbdsl sql --with retention`),
    which needs a period and the column that tells a row's age: the one named after `by`, the
    soft-delete column, the range partition key, or the one NOT NULL timestamp that defaults to the
    insertion time. When none or several qualify, nothing is purged and the data is kept for ever.""",
    bad="""
    Table carts [retention: '90 days'] {
      id bigint [pk]
      created_at timestamptz [not null, default: `now()`]
      updated_at timestamptz [not null, default: `now()`]
    }
    """,
    good="""
    Table carts [retention: '90 days by updated_at'] {
      id bigint [pk]
      created_at timestamptz [not null, default: `now()`]
      updated_at timestamptz [not null, default: `now()`]
    }
    """,
    scope=SCHEMA,
)
def retention_not_enforceable(ctx: Context, schema: Schema) -> Iterator[Hit]:
    for item in retention.retentions(schema):
        if item.problem is not None:
            where = "the retention" if item.source == "table" else "the Project's retention"
            span = _setting_span(item.table, "retention") if item.source == "table" else _project_span(schema)
            yield hit(f"{where} of '{item.table.qualified}' ('{item.text}') cannot be purged: {item.problem}", span)


@rule(
    "C123",
    "retention-blocked-by-reference",
    severity="warning",
    summary="Rows past their retention that other rows still reference are never purged",
    rationale="""The purge deletes a table's expired rows; a row that another table references through a
    foreign key without an ON DELETE action cannot be deleted, so the purge keeps it, and with it the
    data the retention was meant to remove. Say what happens to the referencing rows: delete them
    with it (`delete: cascade`), detach them (`delete: set null`), or give them a retention of their
    own that ends first.""",
    bad="""
    Table carts [retention: '90 days by updated_at'] {
      id bigint [pk]
      updated_at timestamptz [not null]
    }
    Table cart_items {
      cart_id bigint [not null, ref: > carts.id]
    }
    """,
    good="""
    Table carts [retention: '90 days by updated_at'] {
      id bigint [pk]
      updated_at timestamptz [not null]
    }
    Table cart_items {
      cart_id bigint [not null]
    }
    Ref: cart_items.cart_id > carts.id [delete: cascade]
    """,
    scope=SCHEMA,
)
def retention_blocked_by_reference(ctx: Context, schema: Schema) -> Iterator[Hit]:
    for item in retention.retentions(schema):
        if item.problem is not None:
            continue
        for ref in retention.kept_by(item.table, schema):
            child = schema.table(ref.fk_side.table_key)
            if child is None or any(r.table.key == child.key for r in retention.retentions(schema)):
                continue
            yield hit(
                f"expired rows of '{item.table.qualified}' that {ref.fk_side.qualified}."
                f"{', '.join(ref.fk_side.columns)} references are never purged: the foreign key has no "
                "ON DELETE action (declare delete: cascade or set null, or a retention for "
                f"{ref.fk_side.qualified})",
                ref.span or item.table.name_span or item.table.span,
            )


@rule(
    "C124",
    "retention-names-no-table",
    severity="info",
    summary="The Project's retention names something that is no table",
    rationale="""The Project's `retention` is read as a list of `table period` items (`'audit log 7 years,
    invitations 30 days'`; spaces stand for underscores, and a plural or singular name is found too).
    An item that names no table is enforced by nothing in the database: name the table, or keep that
    policy elsewhere.""",
    bad="""
    Project shop {
      retention: 'sessions 30 days'
    }
    Table carts {
      id bigint [pk]
    }
    """,
    good="""
    Project shop {
      retention: 'carts 30 days'
    }
    Table carts {
      id bigint [pk]
      created_at timestamptz [not null, default: `now()`]
    }
    """,
    scope=SCHEMA,
)
def retention_names_no_table(ctx: Context, schema: Schema) -> Iterator[Hit]:
    _, unknown = retention.project_retention(schema)
    for item in unknown:
        yield hit(f"the Project's retention '{item}' names no table of the schema", _project_span(schema))


@rule(
    "C125",
    "tenant-key-unused",
    severity="warning",
    summary="The Project's tenant_key is a column of no table",
    rationale="""Row-level security isolates the rows of each tenant by the column `tenant_key` names
    (`dbdsl sql --with security`). When no table has that column, no table is isolated: the name is
    probably misspelt.""",
    bad="""
    Project saas {
      tenant_key: 'org_id'
    }
    Table projects {
      id int [pk]
      organization_id int [not null]
    }
    """,
    good="""
    Project saas {
      tenant_key: 'organization_id'
    }
    Table projects {
      id int [pk]
      organization_id int [not null]
    }
    """,
    scope=SCHEMA,
)
def tenant_key_unused(ctx: Context, schema: Schema) -> Iterator[Hit]:
    key = tenant_key(schema)
    if key and not any(t.column(key) is not None for t in schema.tables):
        yield hit(f"tenant_key '{key}' is a column of no table: no row would be isolated", _project_span(schema))


def _project_span(schema: Schema) -> Span | None:
    project = schema.project
    return project.span if project is not None else None


@rule(
    "S120",
    "undocumented-table",
    severity="info",
    summary="Table without a note",
    rationale="""The design document states each table's purpose from its note; a table without one is
    listed there as a gap. A one-line note saying what one row is helps every later reader (and the
    teams that write code against the schema).""",
    bad="""
    Table invitations {
      id uuid [pk]
    }
    """,
    good="""
    Table invitations [note: 'an invitation to join an organization, sent by email'] {
      id uuid [pk]
    }
    """,
    enabled=False,
    default_reason="documentation is a team's convention, not a design flaw: turn it on to hold every table to a note",
)
def undocumented_table(ctx: Context, table: Table) -> Iterator[Hit]:
    if not table.note:
        yield hit(f"table '{table.qualified}' has no note saying what one row is", table.name_span or table.span)
