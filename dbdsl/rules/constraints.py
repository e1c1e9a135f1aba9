"""C: keys, foreign keys and CHECK constraints."""

from __future__ import annotations

from ..emit import dsl
from ..findings import Related
from ..model.schema import Column, Ref, Schema, Table
from . import fixes
from .base import REF, SCHEMA, hit, rule
from .dialects import canonical_type
from .exprs import columns_in, compared_pairs
from .words import plural, singular, tokens

IDENTITY_NAMES = {"email", "email_address", "username", "user_name", "login", "handle", "slug", "sku", "isbn"}
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
TIME_WORDS = {"date", "time", "timestamp", "timestamptz", "datetime", "datetime2", "datetimeoffset"}


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
def missing_primary_key(ctx, table: Table):
    if table.primary_key:
        return
    span = table.name_span or table.span
    message = f"table '{table.qualified}' has no primary key"
    idcol = table.column("id")
    if idcol is not None and fixes.editable_column(table, idcol):
        edit = fixes.rewrite_settings(idcol, drop={"unique", "not null", "null"}, add=["pk"])
        yield hit(message, span, fixes.fix("Make 'id' the primary key", edit))
        return
    fk_cols = [cols[0] for cols in ctx.fk_columns(table) if len(cols) == 1]
    if len(fk_cols) >= 2 and all(not table.column(c).nullable for c in fk_cols if table.column(c)):
        cols = tuple(dict.fromkeys(fk_cols))
        line = "(" + ", ".join(dsl.name(c) for c in cols) + ") [pk]"
        yield hit(
            message + f"; its foreign keys {_describe(cols)} would make a natural composite key",
            span,
            fixes.fix(f"Make {_describe(cols)} the primary key", fixes.add_index(table, line)),
        )
        return
    if idcol is None and table.body is not None:
        edit = fixes.add_column_first(table, "id bigint [pk, increment]")
        yield hit(message, span, fixes.fix("Add a surrogate key 'id bigint [pk, increment]'", edit))
        return
    yield hit(message, span)


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
def nullable_pk_column(ctx, table: Table):
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


def _fk_pairs(ref: Ref, fk_table: Table, pk_table: Table):
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
def fk_type_mismatch(ctx, ref: Ref, fk_table: Table, pk_table: Table):
    for fk, pk in _fk_pairs(ref, fk_table, pk_table):
        if _type_key(fk) == _type_key(pk) and not _shorter(fk, pk):
            continue
        message = (
            f"'{fk_table.name}.{fk.name}' is {fk.type.text} but references "
            f"'{pk_table.name}.{pk.name}', which is {pk.type.text}"
        )
        related = (Related(pk.type_span, "the referenced column's type"),) if pk.type_span else ()
        referenced = any(fk.name in r.pk_side.columns for r in ctx.refs_to(fk_table))
        if fixes.editable_column(fk_table, fk) and not referenced:  # retyping a referenced key would cascade
            edit = fixes.replace_type(fk, dsl.column_type(pk))
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
def fk_to_non_unique(ctx, ref: Ref, fk_table: Table, pk_table: Table):
    cols = ref.pk_side.columns
    if ctx.facts(pk_table).is_key(cols) or any(pk_table.column(c) is None for c in cols):
        return
    message = f"'{pk_table.qualified}.{_describe(cols)}' is referenced by a foreign key but is not a key of its table"
    if len(cols) == 1:
        column = pk_table.column(cols[0])
        if fixes.editable_column(pk_table, column):
            edit = fixes.rewrite_settings(column, add=["unique"], first=False)
            yield hit(message, ref.span, fixes.fix(f"Make '{pk_table.name}.{cols[0]}' unique", edit))
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
def self_reference(ctx, ref: Ref, fk_table: Table, pk_table: Table):
    if fk_table is not pk_table or len(ref.fk_side.columns) != 1:
        return
    fk, pk = ref.fk_side.columns[0], ref.pk_side.columns[0]
    for text in ctx.facts(fk_table).checks:
        if ("<>", fk.lower(), pk.lower()) in compared_pairs(text, ctx.dialect):
            return
    message = f"'{fk_table.name}.{fk}' references its own table without `CHECK ({fk} <> {pk})`"
    if fixes.own(fk_table, fk_table.span):
        expr = f"{dsl.name(fk)} <> {dsl.name(pk)}"
        yield hit(message, ref.span, fixes.fix(f"Add CHECK ({fk} <> {pk})", fixes.add_check(fk_table, expr)))
    else:
        yield hit(message, ref.span)


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
def set_null_on_not_null(ctx, ref: Ref, fk_table: Table, pk_table: Table):
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
            found = by_tokens.get("_".join(words[:i] + [end] + words[i + 1 :]))
            if found is not None and found is not column:
                return found
    return None


def _time_or_number(column: Column) -> str | None:
    name = canonical_type(column.type.name)
    if name in TIME_WORDS or name.startswith("timestamp"):
        return "time"
    if name in ("int", "bigint", "smallint", "decimal", "number", "real", "double precision"):
        return "number"
    return None


@rule(
    "C106",
    "range-without-check",
    severity="warning",
    summary="Validity range (valid_from/valid_to, starts_at/ends_at) without a CHECK that it is not reversed",
    rationale="""A period whose end comes before its start is nonsense that every overlap query then has
    to survive. `CHECK (valid_to > valid_from)` (allowing a null end for open periods) keeps reversed
    ranges out at the source.""",
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
        `valid_to is null or valid_to > valid_from`
      }
    }
    """,
    fix="unsafe",
)
def range_without_check(ctx, table: Table):
    facts = ctx.facts(table)
    texts = facts.checks
    by_tokens = facts.by_tokens
    for start in table.columns:
        if not any(w in RANGE_WORDS for w in tokens(start.name)):
            continue
        end = _range_partner(start, by_tokens)
        if end is None or _time_or_number(start) is None or _time_or_number(start) != _time_or_number(end):
            continue
        names = {start.name.lower(), end.name.lower()}
        if any((columns_in(t, ctx.dialect) or frozenset()) >= names for t in texts):
            continue
        expr = f"{dsl.name(end.name)} > {dsl.name(start.name)}"
        if end.nullable:
            expr = f"{dsl.name(end.name)} is null or {expr}"
        message = f"'{start.name}'/'{end.name}' form a range but no CHECK keeps {end.name} after {start.name}"
        if fixes.own(table, table.span):
            yield hit(message, start.span, fixes.fix(f"Add CHECK ({expr})", fixes.add_check(table, expr)))
        else:
            yield hit(message, start.span)


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
def check_unknown_column(ctx, table: Table):
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
)
def polymorphic(ctx, table: Table):
    fk = {c for cols in ctx.fk_columns(table) for c in cols}
    lower = {c.name.lower(): c for c in table.columns}
    for name, column in lower.items():
        if not name.endswith("_type"):
            continue
        stem = name[: -len("_type")]
        partner = lower.get(stem + "_id")
        if partner is None or partner.name in fk or not stem:
            continue
        yield hit(
            f"'{column.name}' + '{partner.name}' form a polymorphic reference: no foreign key can check that "
            f"the {stem} exists; use one foreign key per target table (exclusive arc) instead",
            column.span,
        )


@rule(
    "C109",
    "identifier-without-unique",
    severity="warning",
    summary="Column that identifies a row (email, username, slug, sku) without a unique constraint",
    rationale="""Columns such as `email`, `username`, `login`, `slug` or `sku` are how people and programs
    find a row; without a unique constraint two rows end up with the same one, and lookups return
    more rows than the application expects. (A column that is unique only per parent belongs in a
    composite unique index, which this rule accepts.)""",
    bad="""
    Table users {
      id int [pk]
      email varchar(320) [not null]
    }
    """,
    good="""
    Table users {
      id int [pk]
      email varchar(320) [not null, unique]
    }
    """,
    fix="unsafe",
)
def identifier_without_unique(ctx, table: Table):
    fk = {c for cols in ctx.fk_columns(table) for c in cols}
    in_unique = {c for key in ctx.facts(table).keys for c in key}
    for column in table.columns:
        if column.name.lower() not in IDENTITY_NAMES or column.name in in_unique or column.name in fk:
            continue
        message = f"'{column.name}' looks like it identifies a {singular(table.name)} but is not unique"
        if fixes.editable_column(table, column):
            edit = fixes.rewrite_settings(column, add=["unique"], first=False)
            yield hit(message, column.name_span, fixes.fix(f"Make '{column.name}' unique", edit))
        else:
            yield hit(message, column.name_span or column.span)


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
)
def missing_foreign_key(ctx, table: Table):
    fk = {c for cols in ctx.fk_columns(table) for c in cols}
    names = ctx.table_names
    for column in table.columns:
        low = column.name.lower()
        if not low.endswith("_id") or column.pk or column.name in fk:
            continue
        stem = low[: -len("_id")]
        if not stem or stem in (table.name.lower(), singular(table.name.lower())):
            continue
        target = _target_table(ctx, table, stem, names)
        if target is None or len(target.primary_key) != 1:
            continue
        pk = target.primary_key[0]
        message = f"'{column.name}' looks like a reference to '{target.qualified}' but has no relationship"
        if fixes.editable_column(table, column):
            ref = f"ref: > {dsl.endpoint(target.schema, target.name, (pk,))}"
            edit = fixes.rewrite_settings(column, add=[ref], first=False)
            yield hit(message, column.name_span, fixes.fix(f"Reference {target.qualified}.{pk}", edit))
        else:
            yield hit(message, column.name_span or column.span)


def _target_table(ctx, table: Table, stem: str, names: frozenset[str]) -> Table | None:
    for candidate in (stem, plural(stem)):
        if candidate in names:
            for schema in dict.fromkeys((table.schema, "public")):
                found = ctx.table_named(candidate, schema)
                if found is not None and found is not table:
                    return found
    return None


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
def not_null_cycles(ctx, schema: Schema):
    edges: dict[tuple[str, str], list[tuple[tuple[str, str], Ref]]] = {}
    found = ctx.per_table(
        "not_null_edges", lambda t: _not_null_edges(ctx, t, ctx.refs_from(t)), lambda t: tuple(ctx.refs_from(t))
    )
    for table, table_edges in found:
        if table_edges:
            edges[table.key] = table_edges
    if not edges:
        return
    for component in _cycles_cached(ctx, edges):
        refs = [r for node in component for target, r in edges.get(node, ()) if target in component]
        mine = sorted(
            (r for r in refs if r.span is not None and r.span.file == ctx.path),
            key=lambda r: (r.span.start_offset,),
        )
        if not mine:
            continue
        first = mine[0]
        names = " -> ".join(sorted({".".join(k) if k[0] != "public" else k[1] for k in component}))
        fk_table = ctx.table(first.fk_side.table_key)
        message = (
            f"NOT NULL foreign keys form a cycle ({names}): no row can be inserted first; "
            f"let '{fk_table.name}.{_describe(first.fk_side.columns)}' be null"
        )
        related = tuple(Related(r.span, "part of the cycle") for r in mine[1:])
        columns = [fk_table.column(c) for c in first.fk_side.columns]
        if all(c is not None and fixes.editable_column(fk_table, c) and not c.pk for c in columns):
            edits = [fixes.rewrite_settings(c, drop={"not null"}) for c in columns]
            yield hit(
                message,
                first.span,
                fixes.fix(f"Let '{fk_table.name}.{_describe(first.fk_side.columns)}' be null", *edits),
                related=related,
            )
        else:
            yield hit(message, first.span, related=related)


def _not_null_edges(ctx, table: Table, refs: list[Ref]) -> list:
    columns = ctx.facts(table).columns
    return [
        (ref.pk_side.table_key, ref)
        for ref in refs
        if all(c in columns and not columns[c].nullable for c in ref.fk_side.columns)
    ]


def _cycles_cached(ctx, edges: dict) -> list[set]:
    """The cycles, recomputed only when some table's NOT NULL edges changed."""
    values = tuple(edges.values())
    old = ctx.memo_across_runs("not_null_cycles")
    if old is not None and len(old[0]) == len(values) and all(a is b for a, b in zip(old[0], values)):
        return old[1]
    cycles = _cycles(edges)
    ctx.memo_across_runs("not_null_cycles", (values, cycles))
    return cycles


def _cycles(edges: dict) -> list[set]:
    """Strongly connected components with a cycle (Tarjan, iterative)."""
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    out: list[set] = []
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
