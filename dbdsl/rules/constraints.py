"""C: keys, foreign keys and CHECK constraints."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlglot import exp

from ..analysis.columns import Family, default_is, family, head
from ..analysis.roles import Role, TableRoles, entity_words
from ..analysis.words import plural, singular, tokens
from ..emit import dsl
from ..findings import Related
from ..model.schema import Column, Ref, Schema, Table, TableKey
from ..model.types import canonical_type
from . import fixes
from .base import REF, SCHEMA, FixSpec, Hit, hit, rule
from .conventions import Occurrence, by_convention
from .engine import SCHEMA_FACTS
from .exprs import columns_in, compared_pairs

if TYPE_CHECKING:
    from .engine import Context

POLYMORPHIC_STEMS = {"owner", "subject", "target", "source", "parent", "item", "record", "resource", "object"}
POLYMORPHIC_STEMS |= {"entity", "member", "recipient", "sender", "actor", "author", "context", "origin", "holder"}
POLYMORPHIC_STEMS |= {"related", "linked", "attached", "trackable", "auditable", "model", "subscriber"}
POLYMORPHIC_NOTE_RE = re.compile(r"polymorphic|table name|class name|model name|which table", re.IGNORECASE)
REFERENCE_TEXT_RE = re.compile(r"^\s*([a-z][a-z0-9_]*?)_id\s*=\s*\d+\s*$", re.IGNORECASE)
FIRST_DATES = {"0001-01-01", "1000-01-01", "1900-01-01", "1970-01-01", "1753-01-01"}
LANGUAGE_COLUMNS = {"language_id", "lang", "locale", "language", "language_code", "lang_code", "locale_id"}
LOOKUP_LABELS = ("code", "name", "title", "label", "abbrev", "abbreviation", "status", "type")
DISPLAY_NAME_RE = re.compile(r"display|full name|real name|known by|shown to|name that", re.IGNORECASE)
LOGIN_NAMES = {"email", "email_address", "username", "user_name", "login", "handle", "user_login"}
BARCODES = {"sku", "isbn", "isbn13", "ean", "upc", "gtin", "jan", "mpn"}
ENTITY_CODES = BARCODES | {"slug"}
RANGE_WORDS = {
    "from": ("to", "until", "till"),
    "start": ("end",),
    "starts": ("ends",),
    "started": ("ended",),
    "begin": ("end",),
    "begins": ("ends",),
    "opens": ("closes",),
    "open": ("close",),
}


def _describe(columns: tuple[str, ...]) -> str:
    return columns[0] if len(columns) == 1 else "(" + ", ".join(columns) + ")"


# ------------------------------------------------------------------ primary keys


@rule(
    "C101",
    "missing-primary-key",
    severity="warning",
    summary="Table without a primary key",
    rationale="""Without a primary key rows cannot be told apart: duplicates creep in, updates and deletes
    may hit several rows, replication and most ORMs need one, and other tables cannot reference the
    table. The fix promotes an `id` column, makes the foreign keys of a junction table its composite
    key, or adds a surrogate `id`.""",
    bad="""
    Table events {
      name varchar(100) [not null]
      happened_at timestamptz [not null]
    }
    """,
    good="""
    Table events {
      id bigint [pk, increment]
      name varchar(100) [not null]
      happened_at timestamptz [not null]
    }
    """,
    fix="unsafe",
)
def missing_primary_key(ctx: Context, table: Table) -> Iterator[Hit]:
    if table.primary_key:
        return
    span = table.name_span or table.span
    roles = ctx.roles(table)
    message = f"table '{table.qualified}' has no primary key"
    severity = None
    if Role.LOG in roles:
        # a log is read in bulk and rarely updated row by row; a key still helps replication and deletes
        message += (
            f"; it is {roles.describe(Role.LOG)}, read in bulk, but a key still lets replication and "
            "single-row deletes find a row"
        )
        severity = "info"
    unique = _unique_not_null_key(ctx, table)
    if unique is not None:
        yield hit(
            f"{message}; its unique key {_describe(unique)} on NOT NULL columns can be the primary key",
            span,
            *_promote_fix(table, unique),
            severity=severity,
        )
        return
    idcol = table.column("id")
    if idcol is not None and fixes.editable_column(table, idcol):
        edit = fixes.rewrite_settings(idcol, drop={"unique", "not null", "null"}, add=["pk"])
        yield hit(message, span, fixes.fix("Make 'id' the primary key", edit), severity=severity)
        return
    if Role.JUNCTION in roles:
        fk_cols = tuple(dict.fromkeys(cols[0] for cols in ctx.fk_columns(table) if len(cols) == 1))
        fk_columns = table.columns_named(fk_cols)
        if len(fk_cols) >= 2 and fk_columns is not None and all(not c.nullable for c in fk_columns):
            line = "(" + ", ".join(dsl.name(c) for c in fk_cols) + ") [pk]"
            yield hit(
                message + f"; it links rows of other tables, so its foreign keys {_describe(fk_cols)} can be its key",
                span,
                fixes.fix(f"Make {_describe(fk_cols)} the primary key", fixes.add_index(table, line)),
                severity=severity,
            )
            return
    if idcol is None and table.body is not None and fixes.own(table, table.span):
        edit = fixes.add_column_first(table, "id bigint [pk, increment]")
        yield hit(message, span, fixes.fix("Add a surrogate key 'id bigint [pk, increment]'", edit), severity=severity)
        return
    yield hit(message, span, severity=severity)


def _unique_not_null_key(ctx: Context, table: Table) -> tuple[str, ...] | None:
    """The first unique constraint whose columns are all NOT NULL: a primary key in all but name."""
    for key in ctx.facts(table).keys:
        columns = table.columns_named(key)
        if columns is not None and all(c.not_null for c in columns):
            return key
    return None


def _promote_fix(table: Table, key: tuple[str, ...]) -> tuple[FixSpec, ...]:
    if len(key) == 1:
        column = table.column(key[0])
        if column is not None and fixes.editable_column(table, column):
            edit = fixes.rewrite_settings(column, drop={"unique", "not null", "null"}, add=["pk"])
            return (fixes.fix(f"Make '{key[0]}' the primary key", edit),)
        return ()
    index = next((i for i in table.indexes if i.unique and not i.where and i.columns == key), None)
    if index is None or index.span is None or not fixes.own(table, index.span) or index.from_partial is not None:
        return ()
    line = dsl.index_line(replace(index, unique=False, pk=True))
    return (fixes.fix(f"Make {_describe(key)} the primary key", fixes.Edit(index.span, line)),)


@rule(
    "C102",
    "nullable-primary-key-column",
    severity="error",
    summary="Primary key column declared nullable",
    rationale="""Primary key columns are always NOT NULL; declaring one `null` contradicts the key, and
    engines either reject the table or silently make the column NOT NULL, so the design says
    something the database will not do.""",
    bad="""
    Table order_lines {
      order_id int [null]
      line_no int
      indexes {
        (order_id, line_no) [pk]
      }
    }
    """,
    good="""
    Table order_lines {
      order_id int
      line_no int
      indexes {
        (order_id, line_no) [pk]
      }
    }
    """,
    fix="safe",
)
def nullable_pk_column(ctx: Context, table: Table) -> Iterator[Hit]:
    for name in table.primary_key:
        column = table.column(name)
        if column is None or column.not_null is not False:
            continue
        message = f"'{name}' is in the primary key but declared `null`"
        if fixes.editable_column(table, column):
            edit = fixes.rewrite_settings(column, drop={"null"})
            yield hit(message, column.settings_span or column.span, fixes.fix(f"Remove `null` from '{name}'", edit))
        else:
            yield hit(message, column.span)


# ------------------------------------------------------------------ foreign keys


def _fk_pairs(ref: Ref, fk_table: Table, pk_table: Table) -> Iterator[tuple[Column, Column]]:
    for fk_name, pk_name in zip(ref.fk_side.columns, ref.pk_side.columns):
        fk, pk = fk_table.column(fk_name), pk_table.column(pk_name)
        if fk is not None and pk is not None:
            yield fk, pk


def _type_key(column: Column) -> tuple:
    if column.enum:
        return ("enum", column.enum)
    name = canonical_type(column.type.name)
    if name in ("decimal", "number") and column.type.args:
        return (name, tuple(a.strip() for a in column.type.args))
    return (name, tuple(column.type.dims))


def _shorter(fk: Column, pk: Column) -> bool:
    """A FK string column shorter than the key it references cannot hold every key value."""
    if canonical_type(fk.type.name) not in ("varchar", "char") or not fk.type.args or not pk.type.args:
        return False
    try:
        return int(fk.type.args[0]) < int(pk.type.args[0])
    except ValueError:
        return False


@rule(
    "C103",
    "foreign-key-type-mismatch",
    severity="warning",
    summary="Foreign key column whose type differs from the key it references",
    rationale="""A foreign key must hold every value of the referenced key. A different type (bigint
    against int, varchar against uuid, a shorter varchar) either fails when the constraint is created,
    forces casts in every join (which can stop the engine from using the index), or truncates
    values. The fix gives the foreign key column the referenced column's type.""",
    bad="""
    Table customers {
      id int [pk]
    }
    Table orders {
      id int [pk]
      customer_id bigint [not null, ref: > customers.id]
      indexes {
        customer_id
      }
    }
    """,
    good="""
    Table customers {
      id int [pk]
    }
    Table orders {
      id int [pk]
      customer_id int [not null, ref: > customers.id]
      indexes {
        customer_id
      }
    }
    """,
    scope=REF,
    fix="unsafe",
)
def fk_type_mismatch(ctx: Context, ref: Ref, fk_table: Table, pk_table: Table) -> Iterator[Hit]:
    for fk, pk in _fk_pairs(ref, fk_table, pk_table):
        if _type_key(fk) == _type_key(pk) and not _shorter(fk, pk):
            continue
        message = (
            f"'{fk_table.name}.{fk.name}' is {fk.type.text} but references "
            f"'{pk_table.name}.{pk.name}', which is {pk.type.text}"
        )
        related = (Related(pk.type_span, "the referenced column's type"),) if pk.type_span else ()
        referenced = any(fk.name in r.pk_side.columns for r in ctx.refs_to(fk_table))
        # retyping a referenced key would cascade
        if fk.type_span is not None and fixes.editable_column(fk_table, fk) and not referenced:
            edit = fixes.Edit(fk.type_span, dsl.column_type(pk))
            yield hit(message, fk.type_span, fixes.fix(f"Change the type to {pk.type.text}", edit), related=related)
        else:
            yield hit(message, ref.span, related=related)


@rule(
    "C104",
    "foreign-key-to-non-unique",
    severity="error",
    summary="Foreign key referencing columns that are not a primary key or unique",
    rationale="""A foreign key must reference a primary key or a unique constraint: PostgreSQL, SQL Server
    and Oracle refuse to create it otherwise, and SQLite fails on the first insert ("foreign key
    mismatch"). If the referenced columns really identify a row, declare them unique; if not, the
    relationship points the wrong way.""",
    bad="""
    Table countries {
      id int [pk]
      code char(2) [not null]
    }
    Table cities {
      id int [pk]
      country_code char(2) [not null, ref: > countries.code]
      indexes {
        country_code
      }
    }
    """,
    good="""
    Table countries {
      id int [pk]
      code char(2) [not null, unique]
    }
    Table cities {
      id int [pk]
      country_code char(2) [not null, ref: > countries.code]
      indexes {
        country_code
      }
    }
    """,
    scope=REF,
    fix="unsafe",
)
def fk_to_non_unique(ctx: Context, ref: Ref, fk_table: Table, pk_table: Table) -> Iterator[Hit]:
    cols = ref.pk_side.columns
    if ctx.facts(pk_table).is_key(cols) or any(pk_table.column(c) is None for c in cols):
        return
    message = f"'{pk_table.qualified}.{_describe(cols)}' is referenced by a foreign key but is not a key of its table"
    if len(cols) == 1:
        column = pk_table.column(cols[0])
        if column is not None and fixes.editable_column(pk_table, column):
            # a column is often referenced by many foreign keys: its fix is made once per run
            # (the memo lives one run, in which a table key names one Table)
            key = ("make_unique", pk_table.key, column.name)
            made = ctx.memo.get(key)
            if made is None:
                edit = fixes.rewrite_settings(column, add=["unique"], first=False)
                made = ctx.memo[key] = fixes.fix(f"Make '{pk_table.name}.{cols[0]}' unique", edit)
            yield hit(message, ref.span, made)
            return
    elif fixes.own(pk_table, pk_table.span):
        line = "(" + ", ".join(dsl.name(c) for c in cols) + ") [unique]"
        yield hit(
            message, ref.span, fixes.fix(f"Add a unique index on {_describe(cols)}", fixes.add_index(pk_table, line))
        )
        return
    yield hit(message, ref.span)


@rule(
    "C105",
    "self-reference-without-check",
    severity="info",
    summary="Self-referencing foreign key without a CHECK that a row is not its own parent",
    rationale="""A tree stored with `parent_id` can make a row its own parent, which turns every
    recursive query over it into an endless loop. `CHECK (parent_id <> id)` rules out the direct
    loop for free (longer cycles need a trigger or a closure table).""",
    bad="""
    Table categories {
      id int [pk]
      parent_id int [ref: > categories.id]
      indexes {
        parent_id
      }
    }
    """,
    good="""
    Table categories {
      id int [pk]
      parent_id int [ref: > categories.id]
      indexes {
        parent_id
      }
      checks {
        `parent_id <> id`
      }
    }
    """,
    scope=REF,
    fix="unsafe",
)
def self_reference(ctx: Context, ref: Ref, fk_table: Table, pk_table: Table) -> Iterator[Hit]:
    if fk_table is not pk_table or len(ref.fk_side.columns) != 1:
        return
    fk, pk = ref.fk_side.columns[0], ref.pk_side.columns[0]
    if _actor(fk):
        return  # `deleted_by` on users: a user may well delete their own account
    for text in ctx.facts(fk_table).checks:
        if ("<>", fk.lower(), pk.lower()) in compared_pairs(text, ctx.dialect):
            return
    expr = fixes.sql_text(
        exp.NEQ(this=fixes.sql_column(fk, ctx.dialect), expression=fixes.sql_column(pk, ctx.dialect)), ctx.dialect
    )
    message = f"'{fk_table.name}.{fk}' references its own table without `CHECK ({expr})`"
    yield hit(message, ref.span, *fixes.check_fix(fk_table, expr))


def _actor(column: str) -> bool:
    """A column that names who did something (`created_by`, `approved_by_id`), not a parent."""
    parts = tokens(column)
    return bool(parts) and (parts[-1] == "by" or parts[-2:] == ("by", "id"))


@rule(
    "C110",
    "set-null-on-not-null-column",
    severity="error",
    summary="`delete: set null` or `update: set null` on a NOT NULL foreign key",
    rationale="""The action asks the database to write NULL into a column that may not hold NULL, so
    deleting (or re-keying) a referenced row fails instead of detaching its children. Either let the
    column be null or choose another action (restrict, cascade).""",
    bad="""
    Table teams {
      id int [pk]
    }
    Table players {
      id int [pk]
      team_id int [not null]
      indexes {
        team_id
      }
    }
    Ref: players.team_id > teams.id [delete: set null]
    """,
    good="""
    Table teams {
      id int [pk]
    }
    Table players {
      id int [pk]
      team_id int
      indexes {
        team_id
      }
    }
    Ref: players.team_id > teams.id [delete: set null]
    """,
    scope=REF,
    fix="unsafe",
)
def set_null_on_not_null(ctx: Context, ref: Ref, fk_table: Table, pk_table: Table) -> Iterator[Hit]:
    actions = [a for a, v in (("delete", ref.on_delete), ("update", ref.on_update)) if v and v.lower() == "set null"]
    if not actions:
        return
    for name in ref.fk_side.columns:
        column = fk_table.column(name)
        if column is None or column.nullable:
            continue
        message = f"`{actions[0]}: set null` cannot clear '{fk_table.name}.{name}': it is NOT NULL"
        if fixes.editable_column(fk_table, column) and not column.pk:
            edit = fixes.rewrite_settings(column, drop={"not null"})
            yield hit(message, ref.span, fixes.fix(f"Let '{name}' be null", edit))
        else:
            yield hit(message, ref.span)


# ------------------------------------------------------------------ checks and ranges


def _range_partner(column: Column, by_tokens: dict[str, Column]) -> Column | None:
    words = tokens(column.name)
    for i, w in enumerate(words):
        for end in RANGE_WORDS.get(w, ()):
            found = by_tokens.get("_".join((*words[:i], end, *words[i + 1 :])))
            if found is not None and found is not column:
                return found
    return None


def _range_kind(column: Column, references: frozenset[str]) -> str | None:
    """'date' or 'timestamp' when the column can be one end of a period. Times of day are left out (a
    window from 22:00 to 06:00 wraps midnight), and so are numbers: a reference such as `from_user_id`
    names a row, and an integer end is often 0 for "still running"."""
    kind = family(column)
    if kind in (Family.DATE, Family.TIMESTAMP) and column.name not in references:
        return kind.value
    return None


def _sentinel_end(column: Column) -> bool:
    """An end that uses 0 (or a zero date) for "still running": a CHECK would have to allow it."""
    return default_is(column, "0", "0.0", "0000-00-00", "0000-00-00 00:00:00")


@rule(
    "C106",
    "range-without-check",
    severity="warning",
    summary="Validity range (valid_from/valid_to, starts_at/ends_at) without a CHECK that it is not reversed",
    rationale="""A period whose end comes before its start is nonsense that every overlap query then has
    to survive. `CHECK (valid_to >= valid_from)` (allowing a null end for open periods, and equal
    ends for empty ones) keeps reversed ranges out at the source. Only dates and timestamps count:
    times of day wrap midnight, pairs of references such as `from_account_id`/`to_account_id` are not
    ranges, integer ends are often 0 for "still running", and a log writes both ends from the
    application's clock.""",
    bad="""
    Table prices {
      id int [pk]
      valid_from date [not null]
      valid_to date
    }
    """,
    good="""
    Table prices {
      id int [pk]
      valid_from date [not null]
      valid_to date
      checks {
        `valid_to is null or valid_to >= valid_from`
      }
    }
    """,
    fix="unsafe",
    confidence="likely",
    default_reason="""A pair of columns named as the two ends of a period (`valid_from`/`valid_to`,
    `starts_at`/`ends_at`) of one time or number type is a range nearly every time; references and ends
    that use 0 for "still running" are left out.""",
)
def range_without_check(ctx: Context, table: Table) -> Iterator[Hit]:
    if Role.LOG in ctx.roles(table):
        return  # a log writes both ends from the application's clock; a CHECK could lose the end of a session
    facts = ctx.facts(table)
    texts = facts.checks
    by_tokens = facts.by_tokens
    references = ctx.fk_column_names(table)
    for start in table.columns:
        if not any(w in RANGE_WORDS for w in tokens(start.name)):
            continue
        end = _range_partner(start, by_tokens)
        if end is None or end.name in references:
            continue
        kind = _range_kind(start, references)
        if kind is None or kind != _range_kind(end, references) or _sentinel_end(end):
            continue
        names = {start.name.lower(), end.name.lower()}
        if any((columns_in(t, ctx.dialect) or frozenset()) >= names for t in texts):
            continue
        first, last = fixes.sql_column(start.name, ctx.dialect), fixes.sql_column(end.name, ctx.dialect)
        node: exp.Expression = exp.GTE(this=last, expression=first)
        if end.nullable:
            node = exp.Or(this=exp.Is(this=last.copy(), expression=exp.Null()), expression=node)
        expr = fixes.sql_text(node, ctx.dialect)
        message = f"'{start.name}'/'{end.name}' form a range but no CHECK keeps {end.name} from preceding {start.name}"
        yield hit(message, start.span, *fixes.check_fix(table, expr))


@rule(
    "C111",
    "check-unknown-column",
    severity="error",
    summary="CHECK constraint that names a column the table does not have",
    rationale="""A CHECK can only read the columns of its own row; a misspelt or missing column makes the
    CREATE TABLE fail.""",
    bad="""
    Table products {
      id int [pk]
      price decimal(10,2) [not null]
      checks {
        `prize >= 0`
      }
    }
    """,
    good="""
    Table products {
      id int [pk]
      price decimal(10,2) [not null]
      checks {
        `price >= 0`
      }
    }
    """,
)
def check_unknown_column(ctx: Context, table: Table) -> Iterator[Hit]:
    names = {c.name.lower() for c in table.columns}
    checks = [(c, c.span) for c in table.checks]
    for column in table.columns:
        checks.extend((c, c.span or column.span) for c in column.checks)
    for check, span in checks:
        used = columns_in(check.expression, ctx.dialect)
        if not used:
            continue
        unknown = sorted(u for u in used if u not in names and u not in ("true", "false", "null"))
        if unknown:
            yield hit(f"the CHECK `{check.expression}` names no column of this table: {', '.join(unknown)}", span)


# ------------------------------------------------------------------ heuristics on columns


@rule(
    "C107",
    "polymorphic-association",
    severity="warning",
    summary="Polymorphic `*_type` + `*_id` pair that no foreign key can protect",
    rationale="""`owner_type` + `owner_id` lets one column point at rows of several tables, so the database
    cannot enforce that the row exists, cannot cascade deletes, and joins need a CASE per type.
    Prefer one nullable foreign key per target with a CHECK that exactly one is set (an exclusive
    arc), or a separate link table per target.""",
    bad="""
    Table comments {
      id int [pk]
      commentable_type varchar(20) [not null]
      commentable_id int [not null]
      body text [not null]
    }
    """,
    good="""
    Table posts {
      id int [pk]
    }
    Table photos {
      id int [pk]
    }
    Table comments {
      id int [pk]
      post_id int [ref: > posts.id]
      photo_id int [ref: > photos.id]
      body text [not null]
      indexes {
        post_id
        photo_id
      }
      checks {
        `(post_id is null) <> (photo_id is null)`
      }
    }
    """,
    confidence="likely",
    default_reason="""The `_type` + `_id` pair alone is not enough (`room_type` + `room_id` is a kind of
    room): the rule also needs a name that means "a row of any table" (`commentable`, `owner`), an index
    on both columns or a note, and no table named like the pair.""",
)
def polymorphic(ctx: Context, table: Table) -> Iterator[Hit]:
    references = ctx.fk_column_names(table)
    keys = {c for key in ctx.facts(table).keys for c in key}
    lower = {c.name.lower(): c for c in table.columns}
    for name, column in lower.items():
        if not name.endswith("_type"):
            continue
        stem = name[: -len("_type")]
        partner = lower.get(stem + "_id")
        if not stem or partner is None or partner.name in references or partner.name in keys:
            continue  # an id that is this table's own key is the row's id, and `_type` says what kind it is
        if family(column) is not Family.STRING or family(partner) not in (Family.INTEGER, Family.UUID, Family.STRING):
            continue  # an integer `_type` is a kind code, not the name of a table
        if _target_table(ctx, table, stem) is not None:
            continue  # `room_type` + `room_id` beside a `rooms` table: a reference and a kind of room
        evidence = _polymorphic_evidence(table, stem, column, partner)
        if evidence is None:
            continue
        yield hit(
            f"'{column.name}' + '{partner.name}' form a polymorphic reference ({evidence}): no foreign key can "
            f"check that the {stem} exists; use one foreign key per target table (an exclusive arc) instead",
            column.span,
        )
    yield from _references_in_strings(ctx, table)


def _polymorphic_evidence(table: Table, stem: str, kind: Column, partner: Column) -> str | None:
    """Why `<stem>_type` holds table names rather than a kind: the Rails-style `-able` name, a name that
    only says "some row", an index on both columns, or a note that says so."""
    if stem.endswith("able"):
        return f"'{stem}' names something of several kinds"
    if stem.split("_")[-1] in POLYMORPHIC_STEMS:
        return f"'{stem}' can be a row of any table"
    both = {kind.name, partner.name}
    for index in table.indexes:
        if {k.value for k in index.keys[:2] if k.kind == "column"} == both:
            return "an index on both columns"
    note = " ".join(n for n in (kind.note, partner.note) if n)
    if note and POLYMORPHIC_NOTE_RE.search(note):
        return "its note says so"
    return None


def _references_in_strings(ctx: Context, table: Table) -> Iterator[Hit]:
    """A string column whose values read `product_id=42`: a reference packed into text (seen in Records)."""
    if not table.records:
        return
    for records in table.records:
        for position, name in enumerate(records.columns):
            column = table.column(name)
            if column is None or family(column) is not Family.STRING:
                continue
            for row in records.rows:
                value = row[position] if position < len(row) else None
                if value is None or value.kind != "string":
                    continue
                m = REFERENCE_TEXT_RE.match(value.value)
                if m is None:
                    continue
                target = _target_table(ctx, table, m.group(1))
                if target is None:
                    continue
                yield hit(
                    f"'{column.name}' holds references as text ('{value.value}' names a row of "
                    f"'{target.qualified}'): no foreign key can check them; keep the id in a column with a "
                    "foreign key (one column per target table)",
                    column.name_span or column.span,
                )
                break
            else:
                continue
            break


@rule(
    "C109",
    "identifier-without-unique",
    severity="warning",
    summary="Column that identifies a row (email, username, slug, sku) without a unique constraint",
    rationale="""`username`, `login` or `email` in a table of accounts that sign in, and `slug`, `sku` or
    `isbn` in the table they name, are how people and programs find one row; without a unique
    constraint two rows end up with the same one, and a login or a lookup returns more rows than the
    application expects. The rule reads the table's role first: the same column in a log of logins,
    in a table of credentials for another system (SMTP, SSH, a registry), in an invitation or in an
    order line is not an identifier, and stays quiet there. A unique index that includes the column
    (per parent, partial, or on `lower(email)`) satisfies it.""",
    bad="""
    Table users {
      id int [pk]
      email varchar(320) [not null]
      password_hash varchar(100) [not null]
    }
    """,
    good="""
    Table users {
      id int [pk]
      email varchar(320) [not null, unique]
      password_hash varchar(100) [not null]
    }
    """,
    fix="unsafe",
    confidence="likely",
    default_reason="""The column's name alone is not enough: the rule speaks only where the table's role
    says the column identifies its rows (an account table for login names and emails, the named entity
    for slugs and SKUs), which keeps it right on real schemas.""",
)
def identifier_without_unique(ctx: Context, table: Table) -> Iterator[Hit]:
    candidates = [(c, low) for c in table.columns if (low := c.name.lower()) in LOGIN_NAMES or low in ENTITY_CODES]
    if not candidates:
        return  # most tables: no login name or code to read further
    roles = ctx.roles(table)
    if roles.any(Role.LOG, Role.CREDENTIALS, Role.SNAPSHOT, Role.JUNCTION, Role.SETTINGS):
        return
    references = ctx.fk_column_names(table)
    covered = _unique_columns(ctx, table)
    for column, low in candidates:
        if low in covered or column.name in references:
            continue
        if column.note and DISPLAY_NAME_RE.search(column.note):
            continue  # the note says it is a name to show, not one to sign in with
        if low in LOGIN_NAMES:
            if Role.ACCOUNT not in roles or _nested_accounts(ctx, table):
                continue
            if _signs_in_otherwise(table, column, covered, references):
                continue  # another unique login name, or a 1:1 identity table: this one is profile data
            why = roles.describe(Role.ACCOUNT)
            severity = None if "sign in" in roles.why(Role.ACCOUNT) else "info"
        else:  # an entity code (the candidates are login names and codes)
            barcodes = BARCODES & {c.name.lower() for c in table.columns}
            if default_is(column, "") or (low in BARCODES and len(barcodes) > 1):
                continue  # '' for "none", or one of several optional barcodes (sku, upc, ean, isbn...)
            why = f"the {singular(table.name)} it names"
            severity = None
        message = f"'{column.name}' identifies a row of '{table.name}', {why}, but is not unique"
        if fixes.editable_column(table, column):
            edit = fixes.rewrite_settings(column, add=["unique"], first=False)
            yield hit(message, column.name_span, fixes.fix(f"Make '{column.name}' unique", edit), severity=severity)
        else:
            yield hit(message, column.name_span or column.span, severity=severity)


def _signs_in_otherwise(table: Table, column: Column, covered: set[str], references: frozenset[str]) -> bool:
    """Whether the account has another way to be found: a unique login name beside this email, or a
    unique reference to an identity row kept elsewhere (a 1:1 extension of that table)."""
    for other in table.columns:
        low = other.name.lower()
        if other is column or low not in covered:
            continue
        if low in LOGIN_NAMES or low in ("nickname", "name", "user_name") or other.name in references:
            return True
    return False


def _nested_accounts(ctx: Context, table: Table) -> bool:
    """Accounts that belong to a parent account (a reference from the table to itself, such as
    `parent_uid`): sub-accounts may share the parent's email or login on purpose."""
    return any(r.pk_side.table_key == table.key for r in ctx.refs_from(table))


def _unique_columns(ctx: Context, table: Table) -> set[str]:
    """Lowercased names of the columns some unique constraint or unique index involves, partial and
    expression indexes included (`lower(email)`)."""
    out = {c.lower() for key in ctx.facts(table).keys for c in key}
    for index in table.indexes:
        if not (index.unique or index.pk):
            continue
        for key in index.keys:
            if key.kind == "column":
                out.add(key.value.lower())
            else:
                out |= columns_in(key.value, ctx.dialect) or set()
    return out


@rule(
    "C112",
    "missing-foreign-key",
    severity="warning",
    summary="Column named like a reference (`customer_id`) to an existing table, without a relationship",
    rationale="""`customer_id` next to a `customers` table is almost always a reference. Without the
    foreign key the database accepts ids of customers that do not exist and keeps them after the
    customer is deleted; the diagram and the design document also miss the relationship.""",
    bad="""
    Table customers {
      id int [pk]
    }
    Table orders {
      id int [pk]
      customer_id int [not null]
      indexes {
        customer_id
      }
    }
    """,
    good="""
    Table customers {
      id int [pk]
    }
    Table orders {
      id int [pk]
      customer_id int [not null, ref: > customers.id]
      indexes {
        customer_id
      }
    }
    """,
    fix="unsafe",
    confidence="likely",
    default_reason="""A `<table>_id` column whose type matches the key of exactly that table (also under
    the schema's or the table's own prefix) is a reference nearly every time; logs and caches, which
    keep ids on purpose, are left out.""",
)
def missing_foreign_key(ctx: Context, table: Table) -> Iterator[Hit]:
    if not any(map(_named_like_reference, table.columns)):
        return  # most tables: no column named like a reference
    roles = ctx.roles(table)
    if roles.any(Role.LOG, Role.DERIVED):
        return  # a log keeps the ids of rows that are gone; a cache is rebuilt from the tables it reads
    if ctx.schema_fact(FOREIGN_KEYS_LEFT_TO_THE_APPLICATION):
        return  # the schema declares (almost) no foreign keys: C115 says so once
    references = ctx.fk_column_names(table)
    for column in table.columns:
        if column.name in references:
            continue
        target = _reference_target(ctx, table, column)
        if target is None:
            continue
        pk = target.column(target.primary_key[0])
        if pk is None:  # not reached: the target is keyed by that column
            continue
        if ctx.roles(target).any(Role.LOG, Role.DERIVED):
            continue  # sessions and caches come and go: a foreign key would refuse or delete their users
        message = f"'{column.name}' looks like a reference to '{target.qualified}' but has no relationship"
        if column.not_null and default_is(column, "0"):
            if column.name in table.primary_key:  # part of the key (a membership row): never "none"
                advice = ": its default 0 matches no row; drop the default, then add the relationship"
            else:
                advice = (
                    ': it uses 0 for "none", which a foreign key cannot accept; let it be null, turn the zeros '
                    "into NULL, then add the relationship"
                )
            yield hit(message + advice, column.name_span or column.span)
            continue
        if fixes.editable_column(table, column):
            ref = f"ref: > {dsl.endpoint(target.schema, target.name, (pk.name,))}"
            edit = fixes.rewrite_settings(column, add=[ref], first=False)
            yield hit(message, column.name_span, fixes.fix(f"Reference {target.qualified}.{pk.name}", edit))
        else:
            yield hit(message, column.name_span or column.span)


def _reference_target(ctx: Context, table: Table, column: Column) -> Table | None:
    """The table a `<stem>_id` column names, keyed by one column of the same type family: `customer_id`
    names `customers`, and `manager_staff_id` names `staff` when no `manager_staff` table exists."""
    if not _named_like_reference(column):
        return None
    stem = column.name.lower()[: -len("_id")]
    own = entity_words(table, ctx.table_prefix)
    parts = stem.split("_")
    for start in range(len(parts)):
        candidate = "_".join(parts[start:])
        if not candidate or candidate in own:
            continue
        target = _target_table(ctx, table, candidate)
        if target is None or len(target.primary_key) != 1:
            continue
        pk = target.column(target.primary_key[0])
        if pk is not None and family(pk) is family(column) and family(column) is not Family.OTHER:
            return target  # a text id beside an integer key names something else (an id in another system)
        return None
    return None


def _named_like_reference(column: Column) -> bool:
    """A `<stem>_id` column outside the primary key: the only kind `_reference_target` looks up."""
    return column.name.lower().endswith("_id") and not column.pk


def _target_table(ctx: Context, table: Table, stem: str) -> Table | None:
    """The table a `<stem>_id` column of `table` names: `customers` for `customer`, also under a prefix
    (`oc_customer` when most tables start with `oc_`; `oauth_applications` for a column of
    `oauth_access_tokens`). The table's own prefix is tried first, then the schema's, then none."""
    names = ctx.table_names
    own = tokens(table.name)
    prefixes = []
    if len(own) > 1:
        prefixes.append(own[0])
    if ctx.table_prefix and ctx.table_prefix not in prefixes:
        prefixes.append(ctx.table_prefix)
    prefixes.append("")
    for prefix in prefixes:
        for candidate in (stem, plural(stem)):
            wanted = f"{prefix}_{candidate}" if prefix else candidate
            if wanted not in names:
                continue
            for schema in dict.fromkeys((table.schema, "public")):
                found = ctx.table_named(wanted, schema)
                if found is not None and found is not table:
                    return found
    return None


@rule(
    "C113",
    "sentinel-instead-of-null",
    severity="info",
    summary="A value such as 0 or '0001-01-01' standing for \"none\" where NULL says it",
    rationale="""A default of 0 in a reference column, or of a first-ever date in a date column, stands for
    "no parent" or "never". Every query then has to know the convention (`WHERE parent_id <> 0`),
    aggregates count the fake values (the earliest date of all is 0001-01-01), and a foreign key
    cannot be declared because no row has id 0. NULL says "none" in a way every tool understands.
    A foreign key column that defaults to 0 is reported as a warning: inserts that rely on the
    default fail. When a whole schema follows the convention it is reported once, with its count.""",
    bad="""
    Table categories {
      id int [pk]
      parent_id int [not null, default: 0]
      checked_at datetime [not null, default: '0001-01-01 00:00:00']
    }
    """,
    good="""
    Table categories {
      id int [pk]
      parent_id int [ref: > categories.id]
      checked_at datetime
      indexes {
        parent_id
      }
    }
    """,
    scope=SCHEMA,
    confidence="likely",
    default_reason="""It reads a default value, not a name: 0 in a reference column or a first-ever date is
    a stand-in for "none" nearly every time, and a schema-wide convention is reported once.""",
)
def sentinel_instead_of_null(ctx: Context, schema: Schema) -> Iterator[Hit]:
    found = ctx.per_table(
        "sentinels",
        lambda t: _sentinels(t, ctx.fk_column_names(t)),
        lambda t: (ctx._refs_from.get(t.key, ()),),
    )
    yield from by_convention(
        ctx,
        found,
        _sentinel_convention,
    )


def _sentinel_convention(value: str, n: int, tables: int) -> str:
    if value == FK_DEFAULT_ZERO:
        return (
            f"{n} foreign key columns of {tables} tables default to 0 (this is the first): an insert that relies "
            "on the default fails unless a row with id 0 exists; drop the defaults or let the columns be null"
        )
    return (
        f'{value} stands for "none" in {n} columns of {tables} tables (this is the first): NULL says it without a '
        "convention every query must know"
    )


FK_DEFAULT_ZERO = "0 in a foreign key"


def _sentinels(table: Table, references: frozenset[str]) -> list[Occurrence]:
    """The stand-in values of a table: (convention, column, the finding for that column alone)."""
    out: list[Occurrence] = []
    for column in table.columns:
        kind = family(column)
        low = column.name.lower()
        span = column.name_span or column.span
        if kind is Family.INTEGER and low.endswith("_id") and not column.pk and default_is(column, "0"):
            if column.name in references:
                instead = "drop the default" if column.name in table.primary_key else "let it be null instead"
                message = (
                    f"'{column.name}' defaults to 0 but is a foreign key: an insert that relies on the default "
                    f"fails unless a row with id 0 exists; {instead}"
                )
                out.append((FK_DEFAULT_ZERO, column, hit(message, span, severity="warning")))
            elif low.split("_")[0] in ("parent", "root", "previous", "next", "replaced", "merged", "original"):
                message = f"'{column.name}' uses 0 for \"no {low[:-3].replace('_', ' ')}\": NULL says it"
                out.append(("0 for no row", column, hit(message, span)))
        elif kind in (Family.DATE, Family.TIMESTAMP) and column.default is not None:
            value = column.default.value.strip()
            day = value.split(" ")[0].split("T")[0]
            if column.default.kind == "string" and day in FIRST_DATES:
                message = f"'{column.name}' uses '{value}' for \"never\": NULL says it"
                out.append((f"'{day}'", column, hit(message, span)))
    return out


@rule(
    "C114",
    "lookup-label-not-unique",
    severity="warning",
    summary="Lookup table whose name or code is nullable or not unique",
    rationale="""A table of reference data (countries, statuses, categories) that other tables point at
    exists to give each value one row. If its `name` or `code` may repeat or be missing, two rows can
    mean the same thing and the application cannot tell which to use; reports then split one value in
    two. Declare the column NOT NULL and unique.""",
    bad="""
    Table countries {
      id int [pk]
      name varchar(100)
    }
    Table addresses {
      id int [pk]
      country_id int [not null, ref: > countries.id]
      indexes {
        country_id
      }
    }
    """,
    good="""
    Table countries {
      id int [pk]
      name varchar(100) [not null, unique]
    }
    Table addresses {
      id int [pk]
      country_id int [not null, ref: > countries.id]
      indexes {
        country_id
      }
    }
    """,
    fix="unsafe",
    confidence="likely",
    default_reason="""It needs two signals: the table's role (small, with a name or code, and referenced by
    other tables or named like reference data) and the label column itself.""",
)
def lookup_label_not_unique(ctx: Context, table: Table) -> Iterator[Hit]:
    roles = ctx.roles(table)
    if Role.LOOKUP not in roles:
        return
    pk = table.primary_key
    if len(pk) == 1 and head(pk[0]) in LOOKUP_LABELS:
        return  # keyed by its code: the key already makes each value one row
    # the column that names a value: a code or a name first (`fieldName`, `country_code`), then a title
    label = next((c for word in LOOKUP_LABELS for c in table.columns if head(c.name) == word), None)
    if label is None or label.name in pk or family(label) is not Family.STRING:
        return
    unique = _unique_columns(ctx, table)
    if any(c.name.lower() in unique and family(c) is Family.STRING for c in table.columns if c is not label):
        return  # another text column (a code, a slug) already names each row once
    languages = not {"language", "languages", "locale", "locales"} & set(tokens(table.name))
    language = next((c for c in table.columns if c.name.lower() in LANGUAGE_COLUMNS), None) if languages else None
    if language is not None:
        # one row per value and language (translations): the name is unique within a language
        yield from _per_language(ctx, table, roles, label, language)
        return
    problems = []
    if label.name.lower() not in unique:
        problems.append("not unique")
    if label.nullable:
        problems.append("nullable")
    if not problems:
        return
    message = (
        f"'{table.name}' is {roles.describe(Role.LOOKUP)} but '{label.name}' is {' and '.join(problems)}: "
        f"two rows may carry the same {label.name}, or none"
    )
    if fixes.editable_column(table, label):
        add = [s for s, p in (("not null", "nullable"), ("unique", "not unique")) if p in problems]
        edit = fixes.rewrite_settings(label, drop={"null"}, add=add, first=False)
        yield hit(message, label.name_span or label.span, fixes.fix(f"Make '{label.name}' {' and '.join(add)}", edit))
    else:
        yield hit(message, label.name_span or label.span)


def _per_language(ctx: Context, table: Table, roles: TableRoles, label: Column, language: Column) -> Iterator[Hit]:
    wanted = {label.name, language.name}
    keys = [set(k) for k in ctx.facts(table).keys]
    if any(wanted <= k for k in keys):
        return
    pair = f"({language.name}, {label.name})"
    message = (
        f"'{table.name}' is {roles.describe(Role.LOOKUP)}, one row per language, but {pair} is not unique: "
        f"two rows of one language may carry the same {label.name}"
    )
    if fixes.own(table, table.span):
        line = f"({dsl.name(language.name)}, {dsl.name(label.name)}) [unique]"
        yield hit(
            message,
            label.name_span or label.span,
            fixes.fix(f"Add a unique index on {pair}", fixes.add_index(table, line)),
        )
    else:
        yield hit(message, label.name_span or label.span)


FOREIGN_KEYS_LEFT_TO_THE_APPLICATION = "foreign keys left to the application"
UNDECLARED_AT_LEAST = 5  # and more references undeclared than declared: the schema's convention


def _undeclared_references(ctx: Context) -> list[tuple[Table, list[Column]]]:
    """Per table, the columns that name another table's key by name and type without a relationship."""

    def compute(table: Table) -> list[Column]:
        references = {c for r in ctx._refs_from.get(table.key, ()) for c in r.fk_side.columns}
        return [c for c in table.columns if c.name not in references and _reference_target(ctx, table, c)]

    # only a non-key `<stem>_id` column looks table names up (see `_reference_target`): whether a table
    # has one is kept by table across runs
    known = ctx.memo_across_runs("names_a_key") or {}
    seen: dict[int, tuple[Table, bool]] = {}

    def deps(table: Table) -> tuple:
        got = known.get(id(table))
        if got is None or got[0] is not table:
            got = (table, any(map(_named_like_reference, table.columns)))
        seen[id(table)] = got
        return (ctx._table_names(), ctx._prefix(), ctx._refs_from.get(table.key, ())) if got[1] else ()

    found = ctx.per_table("undeclared_references", compute, deps)
    if seen:
        ctx.memo_across_runs("names_a_key", seen)
    return found


def _left_to_the_application(ctx: Context) -> bool:
    undeclared = sum(len(cols) for _t, cols in _undeclared_references(ctx))
    declared = sum(1 for r in ctx.schema.refs if r.op != "<>")
    return undeclared >= UNDECLARED_AT_LEAST and undeclared > declared


SCHEMA_FACTS[FOREIGN_KEYS_LEFT_TO_THE_APPLICATION] = _left_to_the_application


@rule(
    "C115",
    "foreign-keys-left-to-the-application",
    severity="warning",
    summary="Schema that declares few of its relationships: integrity is left to the application",
    rationale="""When most columns that name another table's key (`customer_id` beside `customers`) have
    no foreign key, the schema leaves referential integrity to the application: rows may point at
    rows that are gone, and nothing in the database says how tables relate. Some schemas choose this
    (MyISAM tables, which keep no foreign keys; write paths tuned for speed; data purged table by
    table); then the choice deserves a sentence in the Project's note, and this finding can be
    suppressed. It is reported once for the schema; C112 reports each column when the schema declares
    most of its relationships.""",
    bad="""
    Table customers {
      id int [pk]
    }
    Table products {
      id int [pk]
    }
    Table orders {
      id int [pk]
      customer_id int [not null]
      product_id int [not null]
      shipper_id int
    }
    Table shippers {
      id int [pk]
    }
    Table reviews {
      id int [pk]
      customer_id int [not null]
      product_id int [not null]
    }
    """,
    good="""
    Table customers {
      id int [pk]
    }
    Table orders {
      id int [pk]
      customer_id int [not null, ref: > customers.id]
      indexes {
        customer_id
      }
    }
    """,
    scope=SCHEMA,
    confidence="likely",
    default_reason="""It counts the schema's own evidence: columns that name another table's key by name and
    type, against the relationships declared; it speaks only when the undeclared ones are the majority.""",
)
def foreign_keys_left_to_the_application(ctx: Context, schema: Schema) -> Iterator[Hit]:
    if not _left_to_the_application(ctx):
        return
    found = [(t, cols) for t, cols in _undeclared_references(ctx) if cols]
    mine = [(t, cols) for t, cols in found if t.span is not None and t.span.file == ctx.path]
    if not mine:
        return
    undeclared = sum(len(cols) for _t, cols in found)
    declared = sum(1 for r in schema.refs if r.op != "<>")
    engines = sorted({(engine.value or "") for t in schema.tables if (engine := t.setting("engine")) is not None})
    myisam = [e for e in engines if e.lower() == "myisam"]
    _table, columns = mine[0]
    examples = ", ".join(f"{t.name}.{c.name}" for t, cols in found[:3] for c in cols[:1])
    why = " (MyISAM tables keep no foreign keys: InnoDB does)" if myisam else ""
    yield hit(
        f"{undeclared} columns in {len(found)} tables name another table's key ({examples}, ...) but the schema "
        f"declares {declared} foreign keys: integrity is left to the application{why}; declare them, or say in "
        "the Project's note that it is deliberate",
        columns[0].name_span or columns[0].span,
    )


@rule(
    "C116",
    "unique-with-nullable-column",
    severity="warning",
    summary="Unique key with a tree's nullable parent: rows at the root are never duplicates",
    rationale="""PostgreSQL, MySQL and SQLite treat NULLs as distinct in a unique constraint, so
    `unique (name, parent_id)` does not stop two rows named 'a' whose parent_id is NULL: at the root of a
    tree the rule the key states does not hold. Other optional references in a unique key usually mean
    "unique when present", and are left alone. Make the
    column NOT NULL, or add a partial unique index for the rows where it is NULL (PostgreSQL 15 can also
    say NULLS NOT DISTINCT). SQL Server and Oracle compare NULLs in unique keys, so they are left out.""",
    bad="""
    Table folders {
      id int [pk]
      parent_id int [ref: > folders.id]
      name varchar(100) [not null]
      indexes {
        (name, parent_id) [unique]
      }
    }
    """,
    good="""
    Table folders {
      id int [pk]
      parent_id int [ref: > folders.id]
      name varchar(100) [not null]
      indexes {
        (name, parent_id) [unique]
        name [unique, where: `parent_id is null`]
      }
    }
    """,
    dialects=("postgres", "mysql", "sqlite"),
    fix="unsafe",
)
def unique_with_nullable_column(ctx: Context, table: Table) -> Iterator[Hit]:
    parents = {c for r in ctx.refs_from(table) if r.pk_side.table_key == table.key for c in r.fk_side.columns}
    keys = ctx.facts(table).key_sets
    candidates = []
    for index in table.indexes:
        if not index.unique or index.pk or index.where or len(index.keys) < 2 or not index.is_plain:
            continue
        nullable = [c for c in (table.column(n) for n in index.columns) if c is not None and c.nullable]
        if len(nullable) != 1:
            continue  # one optional column is the common mistake; several is a rule about present values
        column = nullable[0]
        if column.name not in parents and not column.name.lower().startswith("parent"):
            continue  # a tree's parent: NULL at the root, where names must still be unique among siblings
        others = tuple(n for n in index.columns if n != column.name)
        if any(k <= frozenset(others) for k in keys):
            continue  # another key already makes those columns unique
        candidates.append((index, column, others))
    arcs = Counter(others for _i, _c, others in candidates)
    for index, column, others in candidates:
        if arcs[others] > 1:
            continue  # one of several optional references (tag a revision, a log entry or a change): an arc
        if _covers_nulls(ctx, table, others, column.name):
            continue
        shown = ", ".join(index.columns)
        message = (
            f"unique ({shown}) does not stop duplicates of ({', '.join(others)}) where '{column.name}' is NULL: "
            "NULLs never equal each other in a unique key"
        )
        if ctx.dialect in ("postgres", "sqlite") and fixes.own(table, table.span):
            key = dsl.name(others[0]) if len(others) == 1 else "(" + ", ".join(dsl.name(o) for o in others) + ")"
            condition = fixes.sql_text(
                exp.Is(this=fixes.sql_column(column.name, ctx.dialect), expression=exp.Null()), ctx.dialect
            )
            line = f"{key} [unique, where: `{condition}`]"
            title = f"Add a unique index on {_describe(others)} where {column.name} is null"
            yield hit(message, index.span or table.span, fixes.fix(title, fixes.add_index(table, line)))
        else:
            yield hit(message, index.span or table.span)


def _covers_nulls(ctx: Context, table: Table, others: tuple[str, ...], column: str) -> bool:
    """Whether a partial unique index already covers the rows where `column` is NULL."""
    for index in table.indexes:
        if index.unique and index.where and set(index.columns) == set(others):
            parts = columns_in(index.where, ctx.dialect) or frozenset()
            if column.lower() in parts and "null" in index.where.lower():
                return True
    return False


# ------------------------------------------------------------------ whole schema


@rule(
    "C108",
    "not-null-foreign-key-cycle",
    severity="warning",
    summary="Tables that reference each other in a cycle of NOT NULL foreign keys",
    rationale="""When a cycle of tables all point at each other through NOT NULL foreign keys, no row can
    be inserted first (each needs the other to exist) unless the constraints are deferred to the end
    of the transaction, which most engines do not support. Let one foreign key in the cycle be null.""",
    bad="""
    Table departments {
      id int [pk]
      manager_id int [not null, ref: > employees.id]
      indexes {
        manager_id
      }
    }
    Table employees {
      id int [pk]
      department_id int [not null, ref: > departments.id]
      indexes {
        department_id
      }
    }
    """,
    good="""
    Table departments {
      id int [pk]
      manager_id int [ref: > employees.id]
      indexes {
        manager_id
      }
    }
    Table employees {
      id int [pk]
      department_id int [not null, ref: > departments.id]
      indexes {
        department_id
      }
    }
    """,
    scope=SCHEMA,
    fix="unsafe",
)
def not_null_cycles(ctx: Context, schema: Schema) -> Iterator[Hit]:
    edges: Edges = {}
    found = ctx.per_table(
        "not_null_edges",
        lambda t: _not_null_edges(ctx, t, ctx.refs_from(t)),
        lambda t: (ctx._refs_from.get(t.key, ()),),
    )
    for table, table_edges in found:
        if table_edges:
            edges[table.key] = table_edges
    if not edges:
        return
    for component in _cycles_cached(ctx, edges):
        refs = [r for node in component for target, r in edges.get(node, ()) if target in component]
        mine = sorted(
            ((r.span, r) for r in refs if r.span is not None and r.span.file == ctx.path),
            key=lambda placed: (placed[0].start_offset,),
        )
        if not mine:
            continue
        first = mine[0][1]
        names = " -> ".join(sorted({".".join(k) if k[0] != "public" else k[1] for k in component}))
        fk_table = ctx.table(first.fk_side.table_key)
        if fk_table is None:  # not reached: the edges are those of the schema's tables
            continue
        message = (
            f"NOT NULL foreign keys form a cycle ({names}): no row can be inserted first; "
            f"let '{fk_table.name}.{_describe(first.fk_side.columns)}' be null"
        )
        related = tuple(Related(span, "part of the cycle") for span, _r in mine[1:])
        columns = [c for c in map(fk_table.column, first.fk_side.columns) if c is not None]
        if len(columns) == len(first.fk_side.columns) and all(
            fixes.editable_column(fk_table, c) and not c.pk for c in columns
        ):
            edits = [fixes.rewrite_settings(c, drop={"not null"}) for c in columns]
            yield hit(
                message,
                first.span,
                fixes.fix(f"Let '{fk_table.name}.{_describe(first.fk_side.columns)}' be null", *edits),
                related=related,
            )
        else:
            yield hit(message, first.span, related=related)


# the NOT NULL foreign keys of each table: (referenced table, relationship)
Edges = dict[TableKey, list[tuple[TableKey, Ref]]]


def _not_null_edges(ctx: Context, table: Table, refs: list[Ref]) -> list[tuple[TableKey, Ref]]:
    columns = ctx.facts(table).columns
    return [
        (ref.pk_side.table_key, ref)
        for ref in refs
        if all(c in columns and not columns[c].nullable for c in ref.fk_side.columns)
    ]


def _cycles_cached(ctx: Context, edges: Edges) -> list[set[TableKey]]:
    """The cycles, recomputed only when some table's NOT NULL edges changed."""
    values = tuple(edges.values())
    old = ctx.memo_across_runs("not_null_cycles")
    if old is not None and len(old[0]) == len(values) and all(a is b for a, b in zip(old[0], values)):
        return old[1]
    cycles = _cycles(edges)
    ctx.memo_across_runs("not_null_cycles", (values, cycles))
    return cycles


def _cycles(edges: Edges) -> list[set[TableKey]]:
    """Strongly connected components with a cycle (Tarjan, iterative)."""
    index: dict[TableKey, int] = {}
    low: dict[TableKey, int] = {}
    on_stack: set[TableKey] = set()
    stack: list[TableKey] = []
    out: list[set[TableKey]] = []
    counter = 0
    for root in list(edges):
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for target, _ref in it:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(edges.get(target, ()))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.add(top)
                    if top == node:
                        break
                if len(component) > 1 or any(t == node for t, _r in edges.get(node, ())):
                    out.append(component)
    return out
