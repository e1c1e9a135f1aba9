"""N1xx: normalization problems found by heuristics (worded as likely, not certain).

Where a table declares `dependencies { }`, the exact checks of `fds.py` take over and the
dependency heuristics (N104, N105) stay quiet for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ..analysis.roles import Role, entity_words
from ..analysis.words import collection, plural, singular, tokens
from ..emit import dsl
from ..model.schema import Column, ColumnType, Endpoint, Index, IndexKey, Ref, Table
from ..model.types import JSON_TYPES, STRING_TYPES, canonical_type
from . import fixes
from .base import REF, Hit, hit, rule
from .facts import TableFacts
from .usage import free

if TYPE_CHECKING:
    from .engine import Context

NUMBERED_RE = re.compile(r"^(?P<stem>.*?[A-Za-z])(?P<sep>_?)(?P<n>\d{1,9})$")  # no number of more digits
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
CONTACT_ATTRIBUTES = {"email", "email_address", "phone", "telephone", "mobile", "phone_number"}
# the words that name a person's role in a row (`customer_email` beside `user_id`)
PERSON_ROLES = {"customer", "client", "buyer", "owner", "author", "sender", "recipient", "contact", "member"}
PERSON_ROLES |= {"requester", "assignee", "reporter", "creator", "employee", "patient", "student", "guest"}
CACHE_PREFIXES = {"last", "latest", "first", "cached", "current", "previous", "prev", "recent", "newest", "oldest"}
POSTAL = {"zip", "zip_code", "zipcode", "postal_code", "postcode", "post_code", "postalcode"}
COUNTRY = {"country", "country_code", "country_id", "country_iso", "countrycode", "country_name"}
# words that qualify an id rather than name an entity: `external_id` is another system's id
NOT_AN_ENTITY = {"external", "remote", "parent", "source", "target", "origin", "original", "previous", "next"}
NOT_AN_ENTITY |= {"display", "internal", "custom", "primary", "secondary", "alt", "legacy", "default", "main"}
NOT_AN_ENTITY |= {"local", "foreign", "old", "new", "last", "first", "current", "provider", "vendor", "tracking"}
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


def _unique_name(ctx: Context, wanted: str) -> str:
    names = set(ctx.table_names)
    name, n = wanted, 2
    while name.lower() in names:
        name = f"{wanted}_{n}"
        n += 1
    return name


def _child_table(ctx: Context, parent: Table, name: str, value: Column, target: Table | None = None) -> tuple[str, str]:
    """(table name, block text) of a child table holding one `value` per parent row."""
    pk = _single_pk(parent)
    assert pk is not None, "a child table is offered only for a parent keyed by one column"
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
    """Numbered copies of one attribute: `phone1, phone2(, phone3)`, numbered from 1 (or 0) without gaps,
    all of one type and size. `iso_code_2`/`iso_code_3` (sizes, not positions) and `address_line1/2`
    (the lines of one value) are not groups."""
    found: dict[tuple[str, str], list[tuple[int, Column]]] = {}
    for column in table.columns:
        m = NUMBERED_RE.match(column.name)
        if not m:
            continue
        stem = m.group("stem")
        low = stem.lower().rstrip("_")
        last = (tokens(stem) or [low])[-1]
        if len(stem) < 2 or low in NOT_A_GROUP or last.endswith("line") or last in NOT_A_GROUP:
            continue
        found.setdefault((stem.lower(), m.group("sep")), []).append((int(m.group("n")), column))
    out = []
    for (stem, _sep), members in found.items():
        numbers = sorted(n for n, _c in members)
        types = {(canonical_type(c.type.name), c.type.args) for _n, c in members}
        consecutive = numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        if len(numbers) >= 2 and numbers[0] in (0, 1) and consecutive and len(types) == 1:
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
    removes the cap and lets an index serve the lookup. Only columns numbered from 1 without gaps,
    of one type and size, count: `iso_code_2`/`iso_code_3` are two codes, `address_line1/2` the
    lines of one address.""",
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
    confidence="likely",
    default_reason="""Numbered from 1 without gaps, of one type and size, the columns are a repeating
    group nearly every time; two columns alone are reported as information.""",
)
def repeating_group(ctx: Context, table: Table) -> Iterator[Hit]:
    for stem, columns in _groups(table):
        names = ", ".join(c.name for c in columns)
        message = f"{names} look like a repeating group (likely a 1NF violation): one row per value in a child table"
        severity = None if len(columns) >= 3 else "info"
        value_name = stem.rstrip("_")
        can_fix = (
            _single_pk(table) is not None
            and all(fixes.editable_column(table, c) for c in columns)
            and free(ctx, table, [c.name for c in columns])
        )
        if not can_fix:
            yield hit(message, columns[0].span, severity=severity)
            continue
        value = replace(columns[0], name=value_name)
        child_name = f"{singular(table.name)}_{collection(value_name, ctx.table_names)}"
        child, block = _child_table(ctx, table, child_name, value)
        edits = [fixes.delete_lines(c.span) for c in columns if c.span is not None]
        edits.append(fixes.after_table(table, [block]))
        yield hit(
            message,
            columns[0].span,
            fixes.fix(f"Move {names} into a child table '{child}'", *edits),
            severity=severity,
        )


def _list_kind(column: Column) -> str | None:
    named = _list_name(column.name)
    note = bool(column.note) and _list_note(column.note)
    if named is None and not note:
        return None  # most columns: neither the name nor the note speaks of a list
    base = canonical_type(column.type.name)
    if named == "ids" and (_string(column) or column.type.dims or base in JSON_TYPES):
        return "ids"
    if _string(column):
        if note:
            return "values"
        if named == "values" and base != "text":
            return "values"
    return None


@lru_cache(maxsize=65536)
def _list_name(name: str) -> str | None:
    """'ids' for a name of a list of ids (`tag_ids`, `item_list`), 'values' for a plural of a list word
    (`tags`), None for the rest."""
    words = tokens(name)
    if name.lower().endswith(("_ids", "_list", "_csv")) or (words and words[-1] == "ids"):
        return "ids"
    if words and words[-1] in LIST_WORDS:
        return "values"
    return None


@lru_cache(maxsize=4096)
def _list_note(note: str) -> bool:
    return LIST_NOTE_RE.search(note) is not None


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
    confidence="likely",
    default_reason="""A note that says "comma separated" or "list of", or a plural name ending in `_ids`, is
    strong evidence; a plural name alone (`tags varchar`) is reported as information.""",
)
def list_in_column(ctx: Context, table: Table) -> Iterator[Hit]:
    for column in table.columns:
        kind = _list_kind(column)
        if kind is None or column.pk:
            continue
        evidence = _list_evidence(column, kind)
        severity = None if evidence != "its name" else "info"
        verb = "holds" if severity is None else "may hold"
        what = "a list of ids" if kind == "ids" else "a list of values"
        checked = ", which no foreign key can check" if kind == "ids" else ""
        message = f"'{column.name}' {verb} {what} ({evidence}){checked}: one row per element in a child table"
        words = tokens(column.name)
        element = "_".join((*words[:-1], singular(words[-1]))) if words else column.name
        if kind == "ids" and not element.endswith("_id"):
            element = element + "_id" if element != "id" else element
        can_fix = (
            _single_pk(table) is not None and fixes.editable_column(table, column) and free(ctx, table, [column.name])
        )
        if not can_fix:
            yield hit(message, column.name_span or column.span, severity=severity)
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
        assert column.span is not None, "an editable column has its place"
        edits = [fixes.delete_lines(column.span), fixes.after_table(table, [block])]
        yield hit(
            message,
            column.name_span,
            fixes.fix(f"Move '{column.name}' into a child table '{child}'", *edits),
            severity=severity,
        )


def _list_evidence(column: Column, kind: str) -> str:
    if column.note and _list_note(column.note):
        return "its note says so"
    if kind == "ids":
        return "a plural of ids" if not column.type.dims else "an array of ids"
    return "its name"


# ------------------------------------------------------------------ dependencies on other tables


@lru_cache(maxsize=65536)
def _prefixes(fk_column: str, target: str) -> frozenset[str]:
    """How a copied column may start, for a foreign key column and the name of the table it references
    (cached: one foreign key name points at one table many times)."""
    out = {singular(target).lower(), target.lower()}
    low = fk_column.lower()
    for suffix in ("_id", "_code", "_no", "_key"):
        if low.endswith(suffix) and len(low) > len(suffix):
            out.add(low[: -len(suffix)])
    return frozenset(out)


@rule(
    "N103",
    "copied-attribute",
    severity="warning",
    summary="Attribute likely copied from a referenced table (employees.department_name beside department_id)",
    rationale="""A column that repeats an attribute of the row a foreign key points at (the department's
    name stored with every employee) depends on the foreign key rather than on this table's key: a
    transitive dependency. The copies drift apart when the original changes. Read the value through
    the relationship; if a copy is deliberate, say so in the column's note and the rule stays quiet.
    Orders, invoices and logs keep values as they were when written: there only contact details
    (an email, a phone) are mentioned, as information. A copy under another word (`customer_email`
    beside `user_id`) counts when its type is the very same.""",
    bad="""
    Table departments {
      id int [pk]
      name varchar(100) [not null, unique]
    }
    Table employees {
      id int [pk]
      department_id int [not null, ref: > departments.id]
      department_name varchar(100)
      indexes {
        department_id
      }
    }
    """,
    good="""
    Table departments {
      id int [pk]
      name varchar(100) [not null, unique]
    }
    Table employees {
      id int [pk]
      department_id int [not null, ref: > departments.id]
      indexes {
        department_id
      }
    }
    """,
    scope=REF,
    fix="unsafe",
    confidence="likely",
    default_reason="""The copy must sit beside the foreign key it came through and carry the referenced
    column's name; a copy under another word (`customer_email` beside `user_id`) must also have the
    same type, and is information. Snapshots (orders, invoices), caches of the latest row and copies
    whose note says they are deliberate stay quiet.""",
)
def copied_attribute(ctx: Context, ref: Ref, table: Table, target: Table) -> Iterator[Hit]:
    if table is target or len(ref.fk_side.columns) != 1:
        return
    fk = ref.fk_side.columns[0]
    facts, target_facts = ctx.facts(table), ctx.facts(target)
    pk = facts.pk
    if len(pk) > 1 and fk in pk:
        return  # a partial dependency on part of the key: N104 says it better
    named = [(rest, c, True) for prefix in _prefixes(fk, target.name) for rest, c in facts.prefixed(prefix)]
    by_role = [(rest, c, False) for rest, c in _role_prefixed(ctx, table, target_facts, fk)]
    if not named and not by_role:
        return  # most relationships: nothing to read about the table's role
    roles = ctx.roles(table)
    if Role.DERIVED in roles:
        return  # a cache or summary copies on purpose
    snapshot = Role.SNAPSHOT in roles
    reported = set()
    for rest, column, same_name in named + by_role:
        original = target_facts.lower.get(rest)
        if original is None or original.pk or rest == "id" or column.name in reported:
            continue
        if column.name == fk or column.pk or (column.note and DELIBERATE_COPY_RE.search(column.note)):
            continue
        if _cache_of_latest(column.name):
            continue  # `last_post_user_id`: a deliberate cache of the latest related row
        if snapshot and rest not in CONTACT_ATTRIBUTES:
            continue  # an order keeps the name and price as they were when it was placed
        reported.add(column.name)
        if snapshot:
            yield hit(
                f"'{column.name}' may copy {target.name}.{original.name} (through '{fk}'): if '{table.name}' keeps "
                "the value as it was, say so in the column's note; otherwise read it through the relationship",
                column.name_span or column.span,
                severity="info",
            )
            continue
        through = "" if same_name else f" (same type, through '{fk}')"
        verb = "likely copies" if same_name else "may copy"
        message = (
            f"'{column.name}' {verb} {target.name}.{original.name}{through}: it depends on '{fk}', not on "
            f"the key of '{table.name}' (a transitive dependency); read it through the relationship"
        )
        severity = None if same_name else "info"
        if column.span is not None and fixes.editable_column(table, column) and free(ctx, table, [column.name]):
            title = f"Remove '{column.name}' (read {target.name}.{original.name})"
            yield hit(message, column.name_span, fixes.fix(title, fixes.delete_lines(column.span)), severity=severity)
        else:
            yield hit(message, column.name_span or column.span, severity=severity)


def _role_prefixed(ctx: Context, table: Table, target_facts: TableFacts, fk: str) -> Iterator[tuple[str, Column]]:
    """Contact columns `<person role>_<attribute>` whose attribute the referenced table has, with the very
    same type: `customer_email` beside `user_id` when `users` has an `email` of that type. The role word
    must not name a table or another foreign key of this table (then it is that one's copy)."""
    memo = ctx.memo.get(("role_prefixed", id(table)))
    if memo is None or memo[0] is not table:  # a table is read once per relationship: worded once per run
        found = []
        for column in table.columns:
            parts = tokens(column.name)
            if len(parts) >= 2 and "_".join(parts[1:]) in CONTACT_ATTRIBUTES and parts[0] in PERSON_ROLES:
                found.append((parts[0], "_".join(parts[1:]), column))
        memo = ctx.memo[("role_prefixed", id(table))] = (table, found)
    candidates = memo[1]
    if not candidates:
        return  # read nothing about other tables when no column is worded like a copy
    references = {c.lower() for cols in ctx.fk_columns(table) for c in cols}
    names = ctx.table_names
    for role, rest, column in candidates:
        if column.name.lower() in references:
            continue
        if role in names or plural(role) in names or f"{role}_id" in references:
            continue
        original = target_facts.lower.get(rest)
        if original is not None and original.type == column.type:
            yield rest, column


def _cache_of_latest(name: str) -> bool:
    parts = tokens(name)
    return bool(parts) and parts[0] in CACHE_PREFIXES


@rule(
    "N104",
    "partial-key-dependency",
    severity="warning",
    summary="Column that likely depends on part of a composite key (product_suppliers.supplier_name)",
    rationale="""In a table keyed by (product_id, supplier_id), a column such as `supplier_name` describes
    the supplier alone: it depends on part of the key, a second normal form violation. Every row of
    the same supplier repeats it, and renaming the supplier means updating them all. Keep it in the
    suppliers table. (Declare `dependencies { }` to have this checked exactly.) Order and invoice
    lines are left alone: they keep the product's name and price as they were when sold.""",
    bad="""
    Table product_suppliers {
      product_id int
      supplier_id int
      supplier_name varchar(200)
      lead_time_days int [not null]
      indexes {
        (product_id, supplier_id) [pk]
      }
    }
    """,
    good="""
    Table product_suppliers {
      product_id int
      supplier_id int
      lead_time_days int [not null]
      indexes {
        (product_id, supplier_id) [pk]
      }
    }
    """,
    confidence="likely",
    default_reason="""It needs a composite key and a column named after one key column's entity with a
    describing word (`supplier_name` beside `supplier_id`); snapshot tables such as order lines, which
    keep such values on purpose, are left out.""",
)
def partial_key_dependency(ctx: Context, table: Table) -> Iterator[Hit]:
    pk = table.primary_key
    if len(pk) < 2 or table.dependencies:
        return
    if ctx.roles(table).any(Role.SNAPSHOT, Role.DERIVED):
        return  # an order line keeps the product's name and price as they were
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


def _international(ctx: Context, lower: dict[str, Column]) -> bool:
    """A code fixes a city only within one country: a schema that records countries (a country column here,
    or a table of countries that addresses reach through their region) spans several."""
    return any(n in COUNTRY for n in lower) or any("country" in n for n in ctx.table_names)


@rule(
    "N105",
    "transitive-dependency",
    severity="warning",
    summary="Well-known transitive dependency (zip_code -> city; department_id -> department_name)",
    rationale="""Some attributes determine others by their nature: a zip code fixes the city (and the
    state), a department id fixes the department's name. Storing both in a table keyed by something
    else is a third normal form violation: the same facts repeat on every row and can contradict
    each other. The fix declares the dependency (it changes no data), after which the exact checks
    (N202) offer the 3NF decomposition. Postal codes in a schema that records countries (a country
    column, or a table of countries) are left alone (a code fixes a city only within one country), and so
    are snapshots such as orders, which keep names as
    they were.""",
    bad="""
    Table employees {
      id int [pk]
      department_id int [not null]
      department_name varchar(100)
    }
    Table departments {
      id int [pk]
      name varchar(100) [not null, unique]
    }
    """,
    good="""
    Table employees {
      id int [pk]
      department_id int [not null, ref: > departments.id]
      indexes {
        department_id
      }
    }
    Table departments {
      id int [pk]
      name varchar(100) [not null, unique]
    }
    """,
    fix="safe",
    confidence="likely",
    default_reason="""A `<thing>_id` with a `<thing>_name` beside it is a warning only when a table of that
    thing exists; otherwise, and for zip codes, it says "may" at information level.""",
)
def transitive_dependency(ctx: Context, table: Table) -> Iterator[Hit]:
    if table.dependencies:
        return
    lower = {c.name.lower(): c for c in table.columns}
    city = lower.get("city")
    if city is None and not any(name.endswith(("_id", "_code")) for name in lower):
        return  # most tables: no column that could determine others (and nothing read besides the table)
    if ctx.roles(table).any(Role.SNAPSHOT, Role.DERIVED):
        return
    pk = set(table.primary_key)
    references = ctx.fk_column_names(table)
    keys = {c for key in ctx.facts(table).keys for c in key}
    found: list[tuple[Column, list[Column], str, str | None]] = []
    postal = next((c for n, c in lower.items() if n in POSTAL and c.name not in pk), None)
    if (
        postal is not None
        and city is not None
        and pk
        and postal.name not in references
        and not _international(ctx, lower)
    ):
        dependents = [city] + [c for n, c in lower.items() if n in REGION]
        found.append((postal, dependents, f"a {postal.name} fixes the city", "info"))
    own = entity_words(table, ctx.table_prefix)
    for name, column in lower.items():
        for suffix in ("_id", "_code"):
            if not name.endswith(suffix) or column.name in pk or column.name in references:
                continue
            stem = name[: -len(suffix)]
            if not stem or stem in own or stem.split("_")[-1] in NOT_AN_ENTITY:
                continue
            dependents = [lower[f"{stem}_{d}"] for d in DESCRIPTIVE if f"{stem}_{d}" in lower]
            if not dependents or any(d.name in keys for d in dependents):
                continue  # a dependent that is part of a key (`(stream_name, instance)`) is no transitive fact
            target = ctx.table_named(stem, table.schema) or ctx.table_named(plural(stem), table.schema)
            if target is not None:
                found.append((column, dependents, f"a '{target.name}' table describes each {stem}", None))
            else:
                found.append((column, dependents, f"they describe the {stem}, not a row of '{table.name}'", "info"))
    for left, right, why, severity in found:
        names = ", ".join(c.name for c in right)
        verb = "likely" if severity is None else "may be a"
        message = f"{verb} transitive dependency {left.name} -> {names} ({why}): a 3NF violation"
        if fixes.own(table, table.span) and table.body is not None:
            unit = fixes.unit_indent(table)
            line = f"{dsl.name(left.name)} -> {', '.join(dsl.name(c.name) for c in right)}"
            edit = fixes.insert_member(table, ["dependencies {", unit + line, "}"])
            yield hit(
                message,
                left.name_span,
                fixes.fix(f"Declare the dependency {left.name} -> {names}", edit),
                severity=severity,
            )
        else:
            yield hit(message, left.name_span or left.span, severity=severity)


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
    enabled=False,
    confidence="likely",
    default_reason="""An attribute table is often a deliberate choice (settings, plugin data, search
    fields); the rule is opt-in for reviews that want every one listed. Settings tables are never
    reported.""",
)
def entity_attribute_value(ctx: Context, table: Table) -> Iterator[Hit]:
    if ctx.roles(table).any(Role.SETTINGS, Role.DERIVED):
        return
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
