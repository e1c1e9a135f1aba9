"""N1xx: normalization problems found by heuristics (worded as likely, not certain).

Where a table declares `dependencies { }`, the exact checks of `fds.py` take over and the
dependency heuristics (N104, N105) stay quiet for it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..emit import dsl
from ..model.schema import Column, ColumnType, Endpoint, Index, IndexKey, Ref, Table
from . import fixes
from .base import REF, hit, rule
from .dialects import JSON_TYPES, STRING_TYPES, canonical_type
from .usage import free
from .words import collection, plural, singular, tokens

NUMBERED_RE = re.compile(r"^(?P<stem>.*?[A-Za-z])(?P<sep>_?)(?P<n>\d+)$")
NOT_A_GROUP = {"line", "address_line", "addr_line", "street", "address", "x", "y", "z", "sha", "md", "ipv", "utf"}
NOT_A_GROUP |= {"base", "int", "float", "crc", "level", "h", "col", "version", "v", "utm", "iso", "top"}
LIST_NOTE_RE = re.compile(r"comma[- ]?separated|semicolon[- ]?separated|separated by|\bcsv\b|list of", re.IGNORECASE)
LIST_WORDS = {
    "tags",
    "labels",
    "emails",
    "phones",
    "categories",
    "keywords",
    "roles",
    "permissions",
    "skills",
    "interests",
    "hobbies",
    "languages",
    "colors",
    "colours",
    "sizes",
    "aliases",
    "recipients",
    "attendees",
    "urls",
    "links",
    "images",
    "ids",
}
DELIBERATE_COPY_RE = re.compile(
    r"at the time|snapshot|denormali[sz]|copied|copy of|historical|as it was|frozen", re.IGNORECASE
)
POSTAL = {"zip", "zip_code", "zipcode", "postal_code", "postcode", "post_code", "postalcode"}
REGION = {"state", "region", "province", "county", "state_code"}
DESCRIPTIVE = ("name", "title", "label", "description", "desc")


def _string(column: Column) -> bool:
    return canonical_type(column.type.name) in STRING_TYPES and not column.type.dims and column.enum is None


def _single_pk(table: Table) -> Column | None:
    pk = table.primary_key
    return table.column(pk[0]) if len(pk) == 1 else None


def _fk_name(table: Table, pk: Column) -> str:
    if pk.name.lower() == "id":
        return singular(table.name) + "_id"
    return pk.name


def _unique_name(ctx, wanted: str) -> str:
    names = set(ctx.table_names)
    name, n = wanted, 2
    while name.lower() in names:
        name = f"{wanted}_{n}"
        n += 1
    return name


def _child_table(ctx, parent: Table, name: str, value: Column, target: Table | None = None) -> tuple[str, str]:
    """(table name, block text) of a child table holding one `value` per parent row."""
    pk = _single_pk(parent)
    fk = _fk_name(parent, pk)
    child_name = _unique_name(ctx, name)
    fk_col = Column(fk, pk.type, not_null=True)
    value_col = replace(
        value, pk=False, unique=False, increment=False, not_null=True, default=None, note=None, checks=(), settings=()
    )
    refs = [
        Ref(
            Endpoint(parent.schema, child_name, (fk,), "*"),
            ">",
            Endpoint(parent.schema, parent.name, (pk.name,), "1"),
        )
    ]
    if target is not None and len(target.primary_key) == 1:
        refs.append(
            Ref(
                Endpoint(parent.schema, child_name, (value_col.name,), "*"),
                ">",
                Endpoint(target.schema, target.name, target.primary_key, "1"),
            )
        )
    table = Table(
        name=child_name,
        schema=parent.schema,
        columns=(fk_col, value_col),
        indexes=(Index((IndexKey("column", fk), IndexKey("column", value_col.name)), pk=True),),
    )
    return child_name, dsl.table_block(table, refs=refs, indent=fixes.unit_indent(parent))


# ------------------------------------------------------------------ repeating groups and lists


def _groups(table: Table) -> list[tuple[str, list[Column]]]:
    found: dict[tuple[str, str], list[tuple[int, Column]]] = {}
    for column in table.columns:
        m = NUMBERED_RE.match(column.name)
        if not m:
            continue
        stem = m.group("stem")
        if len(stem) < 2 or stem.lower().rstrip("_") in NOT_A_GROUP or stem.lower().endswith("line"):
            continue
        found.setdefault((stem.lower(), m.group("sep")), []).append((int(m.group("n")), column))
    out = []
    for (stem, _sep), members in found.items():
        numbers = {n for n, _c in members}
        types = {canonical_type(c.type.name) for _n, c in members}
        if len(numbers) >= 2 and len(types) == 1:
            columns = [c for _n, c in sorted(members, key=lambda x: x[0])]
            out.append((stem, columns))
    return out


@rule(
    "N101",
    "repeating-group",
    severity="warning",
    summary="Numbered columns (phone1, phone2, phone3) that likely form a repeating group",
    rationale="""Numbered copies of one attribute are a repeating group (a first normal form violation):
    the number of values is capped by the schema, queries must test every column (`phone1 = ? OR
    phone2 = ? ...`), and nothing stops duplicates across them. One row per value in a child table
    removes the cap and lets an index serve the lookup.""",
    bad="""
    Table customers {
      id int [pk]
      phone1 varchar(20)
      phone2 varchar(20)
      phone3 varchar(20)
    }
    """,
    good="""
    Table customers {
      id int [pk]
    }
    Table customer_phones {
      customer_id int [not null, ref: > customers.id]
      phone varchar(20) [not null]
      indexes {
        (customer_id, phone) [pk]
      }
    }
    """,
    fix="unsafe",
)
def repeating_group(ctx, table: Table):
    for stem, columns in _groups(table):
        names = ", ".join(c.name for c in columns)
        message = f"{names} look like a repeating group (likely a 1NF violation): one row per value in a child table"
        value_name = stem.rstrip("_")
        can_fix = (
            _single_pk(table) is not None
            and all(fixes.editable_column(table, c) for c in columns)
            and free(ctx, table, [c.name for c in columns])
        )
        if not can_fix:
            yield hit(message, columns[0].span)
            continue
        value = replace(columns[0], name=value_name)
        child_name = f"{singular(table.name)}_{collection(value_name, ctx.table_names)}"
        child, block = _child_table(ctx, table, child_name, value)
        edits = [fixes.delete_lines(c.span) for c in columns] + [fixes.after_table(table, [block])]
        yield hit(message, columns[0].span, fixes.fix(f"Move {names} into a child table '{child}'", *edits))


def _list_kind(column: Column) -> str | None:
    name = column.name.lower()
    base = canonical_type(column.type.name)
    words = tokens(column.name)
    listed = name.endswith(("_ids", "_list", "_csv")) or (words and words[-1] == "ids")
    if listed and (_string(column) or column.type.dims or base in JSON_TYPES):
        return "ids"
    if _string(column):
        if column.note and LIST_NOTE_RE.search(column.note):
            return "values"
        if words and words[-1] in LIST_WORDS and canonical_type(column.type.name) != "text":
            return "values"
    return None


@rule(
    "N102",
    "list-in-column",
    severity="warning",
    summary="Column that likely holds a list (comma-separated values, an array or JSON of ids)",
    rationale="""A list packed into one value (`'vip,newsletter'`, `tag_ids int[]`, a JSON array of ids) is
    a first normal form violation: the database cannot index, validate or reference the elements, and
    every query has to split strings. A child table with one row per element (with a foreign key when
    the elements are ids) fixes all three.""",
    bad="""
    Table customers {
      id int [pk]
      tags varchar(500) [note: 'comma separated']
    }
    """,
    good="""
    Table customers {
      id int [pk]
    }
    Table customer_tags {
      customer_id int [not null, ref: > customers.id]
      tag varchar(50) [not null]
      indexes {
        (customer_id, tag) [pk]
      }
    }
    """,
    fix="unsafe",
)
def list_in_column(ctx, table: Table):
    for column in table.columns:
        kind = _list_kind(column)
        if kind is None or column.pk:
            continue
        what = "a list of ids (no foreign key can check them)" if kind == "ids" else "a list of values"
        message = f"'{column.name}' likely holds {what}: one row per element in a child table"
        words = tokens(column.name)
        element = "_".join(words[:-1] + [singular(words[-1])]) if words else column.name
        if kind == "ids" and not element.endswith("_id"):
            element = element + "_id" if element != "id" else element
        can_fix = (
            _single_pk(table) is not None and fixes.editable_column(table, column) and free(ctx, table, [column.name])
        )
        if not can_fix:
            yield hit(message, column.name_span or column.span)
            continue
        target = None
        if kind == "ids":
            stem = element[: -len("_id")]
            for candidate in (stem, plural(stem)):
                target = ctx.table_named(candidate, table.schema)
                if target is not None:
                    break
            pk = target.column(target.primary_key[0]) if target is not None and len(target.primary_key) == 1 else None
            value_type = pk.type if pk is not None else ColumnType("bigint")
            if pk is None:
                target = None
        else:
            value_type = column.type if column.type.args else ColumnType(column.type.name, args=("100",))
            if canonical_type(column.type.name) == "varchar" and column.type.args:
                value_type = ColumnType(column.type.name, args=("100",))
        value = Column(element, value_type)
        child_name = f"{singular(table.name)}_{collection(element, ctx.table_names)}"
        child, block = _child_table(ctx, table, child_name, value, target)
        edits = [fixes.delete_lines(column.span), fixes.after_table(table, [block])]
        yield hit(message, column.name_span, fixes.fix(f"Move '{column.name}' into a child table '{child}'", *edits))


# ------------------------------------------------------------------ dependencies on other tables


def _prefixes(fk_column: str, target: Table) -> set[str]:
    out = {singular(target.name).lower(), target.name.lower()}
    low = fk_column.lower()
    for suffix in ("_id", "_code", "_no", "_key"):
        if low.endswith(suffix) and len(low) > len(suffix):
            out.add(low[: -len(suffix)])
    return out


@rule(
    "N103",
    "copied-attribute",
    severity="warning",
    summary="Attribute likely copied from a referenced table (orders.customer_email beside customer_id)",
    rationale="""A column that repeats an attribute of the row a foreign key points at (the customer's
    email stored in every order) depends on the foreign key rather than on this table's key: a
    transitive dependency. The copies drift apart when the original changes. Read the value through
    the relationship; if a copy is deliberate (the price at the time of the order), say so in the
    column's note and the rule stays quiet.""",
    bad="""
    Table customers {
      id int [pk]
      email varchar(320) [not null, unique]
    }
    Table orders {
      id int [pk]
      customer_id int [not null, ref: > customers.id]
      customer_email varchar(320)
      indexes {
        customer_id
      }
    }
    """,
    good="""
    Table customers {
      id int [pk]
      email varchar(320) [not null, unique]
    }
    Table orders {
      id int [pk]
      customer_id int [not null, ref: > customers.id]
      customer_email varchar(320) [note: 'the address at the time of the order']
      indexes {
        customer_id
      }
    }
    """,
    scope=REF,
    fix="unsafe",
)
def copied_attribute(ctx, ref: Ref, table: Table, target: Table):
    if table is target or len(ref.fk_side.columns) != 1:
        return
    fk = ref.fk_side.columns[0]
    pk = table.primary_key
    if len(pk) > 1 and fk in pk:
        return  # a partial dependency on part of the key: N104 says it better
    facts, target_facts = ctx.facts(table), ctx.facts(target)
    candidates = [c for prefix in _prefixes(fk, target) for c in facts.prefixed(prefix)]
    reported = set()
    for rest, column in candidates:
        original = target_facts.lower.get(rest)
        if original is None or original.pk or rest == "id" or column.name in reported:
            continue
        if column.name == fk or column.pk or (column.note and DELIBERATE_COPY_RE.search(column.note)):
            continue
        reported.add(column.name)
        message = (
            f"'{column.name}' likely copies {target.name}.{original.name}: it depends on '{fk}', not on "
            f"the key of '{table.name}' (a transitive dependency); read it through the relationship"
        )
        if fixes.editable_column(table, column) and free(ctx, table, [column.name]):
            title = f"Remove '{column.name}' (read {target.name}.{original.name})"
            yield hit(message, column.name_span, fixes.fix(title, fixes.delete_lines(column.span)))
        else:
            yield hit(message, column.name_span or column.span)


@rule(
    "N104",
    "partial-key-dependency",
    severity="warning",
    summary="Column that likely depends on part of a composite key (order_items.product_name)",
    rationale="""In a table keyed by (order_id, product_id), a column such as `product_name` describes the
    product alone: it depends on part of the key, a second normal form violation. Every row of the
    same product repeats it, and changing the name means updating them all. Keep it in the products
    table. (Declare `dependencies { }` to have this checked exactly.)""",
    bad="""
    Table order_items {
      order_id int
      product_id int
      product_name varchar(200)
      quantity int [not null]
      indexes {
        (order_id, product_id) [pk]
      }
    }
    """,
    good="""
    Table order_items {
      order_id int
      product_id int
      quantity int [not null]
      indexes {
        (order_id, product_id) [pk]
      }
    }
    """,
)
def partial_key_dependency(ctx, table: Table):
    pk = table.primary_key
    if len(pk) < 2 or table.dependencies:
        return
    prefixes: dict[str, str] = {}
    for key_col in pk:
        low = key_col.lower()
        for suffix in ("_id", "_code", "_no", "_key"):
            if low.endswith(suffix) and len(low) > len(suffix):
                prefixes[low[: -len(suffix)]] = key_col
    for column in table.columns:
        if column.name in pk or (column.note and DELIBERATE_COPY_RE.search(column.note)):
            continue
        low = column.name.lower()
        for prefix, key_col in prefixes.items():
            if low.startswith(prefix + "_") and low[len(prefix) + 1 :] in DESCRIPTIVE + (
                "email",
                "price",
                "sku",
                "type",
            ):
                yield hit(
                    f"'{column.name}' likely depends on '{key_col}' alone, part of the key "
                    f"({', '.join(pk)}): a 2NF violation; keep it with the {prefix}",
                    column.name_span or column.span,
                )
                break


@rule(
    "N105",
    "transitive-dependency",
    severity="warning",
    summary="Well-known transitive dependency (zip_code -> city, state; department_id -> department_name)",
    rationale="""Some attributes determine others by their nature: a US zip code fixes the city and state,
    a department id fixes the department's name. Storing both in a table keyed by something else
    is a third normal form violation: the same facts repeat on every row and can contradict each
    other. The fix declares the dependency, after which the exact checks (N202) offer the 3NF
    decomposition.""",
    bad="""
    Table customers {
      id int [pk]
      zip_code varchar(10)
      city varchar(100)
      state varchar(50)
    }
    """,
    good="""
    Table zip_codes {
      zip_code varchar(10) [pk]
      city varchar(100) [not null]
      state varchar(50) [not null]
    }
    Table customers {
      id int [pk]
      zip_code varchar(10) [ref: > zip_codes.zip_code]
      indexes {
        zip_code
      }
    }
    """,
    fix="safe",
)
def transitive_dependency(ctx, table: Table):
    if table.dependencies:
        return
    lower = {c.name.lower(): c for c in table.columns}
    pk = set(table.primary_key)
    fk = {c for cols in ctx.fk_columns(table) for c in cols}
    found: list[tuple[Column, list[Column]]] = []
    postal = next((c for n, c in lower.items() if n in POSTAL and c.name not in pk), None)
    city = lower.get("city")
    region = next((c for n, c in lower.items() if n in REGION), None)
    if postal is not None and city is not None and region is not None and len(pk) >= 1 and postal.name not in fk:
        found.append((postal, [city, region]))
    own = {singular(table.name).lower(), table.name.lower()}
    for name, column in lower.items():
        for suffix in ("_id", "_code"):
            if not name.endswith(suffix) or column.name in pk or column.name in fk:
                continue
            stem = name[: -len(suffix)]
            if not stem or stem in own:
                continue
            dependents = [lower[f"{stem}_{d}"] for d in DESCRIPTIVE if f"{stem}_{d}" in lower]
            if dependents:
                found.append((column, dependents))
    for left, right in found:
        names = ", ".join(c.name for c in right)
        message = (
            f"likely transitive dependency {left.name} -> {names}: they describe the {left.name}, "
            f"not a row of '{table.name}' (a 3NF violation)"
        )
        if fixes.own(table, table.span) and table.body is not None:
            unit = fixes.unit_indent(table)
            line = f"{dsl.name(left.name)} -> {', '.join(dsl.name(c.name) for c in right)}"
            edit = fixes.insert_member(table, ["dependencies {", unit + line, "}"])
            yield hit(message, left.name_span, fixes.fix(f"Declare the dependency {left.name} -> {names}", edit))
        else:
            yield hit(message, left.name_span or left.span)


@rule(
    "N106",
    "entity-attribute-value",
    severity="info",
    summary="Entity-attribute-value table (a name column and a value column for arbitrary attributes)",
    rationale="""Storing attributes as (entity, attribute name, value) rows puts values of every type in one
    text column: no types, no NOT NULL, no foreign keys, no CHECKs, and every read pivots rows into
    columns. Prefer real columns, or a `jsonb` column with a documented shape when the attributes
    truly vary.""",
    bad="""
    Table product_attributes {
      product_id int
      attribute_name varchar(100)
      value text
      indexes {
        (product_id, attribute_name) [pk]
      }
    }
    """,
    good="""
    Table products {
      id int [pk]
      weight_grams int
      color varchar(30)
    }
    """,
)
def entity_attribute_value(ctx, table: Table):
    names = [tokens(c.name) for c in table.columns]
    attribute = next(
        (
            c
            for c, t in zip(table.columns, names)
            if (t and t[-1] in ("attribute", "attr", "property", "key", "field"))
            or "_".join(t) in ("attribute_name", "attr_name", "property_name", "field_name", "key_name", "name")
        ),
        None,
    )
    value = next((c for c, t in zip(table.columns, names) if t and t[-1] in ("value", "val") and _string(c)), None)
    if attribute is None or value is None or len(table.columns) > 6 or attribute is value:
        return
    if not any(t and t[-1] == "id" for t in names):
        return
    yield hit(
        f"'{table.name}' stores attributes as rows ({attribute.name}, {value.name}): likely an "
        "entity-attribute-value design; prefer columns or a documented JSON column",
        table.name_span or table.span,
    )
