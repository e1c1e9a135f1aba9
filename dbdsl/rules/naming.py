"""S: names: reserved words, identifier length, naming style, quoting, index name clashes; and the
documentation of the suppression-comment codes (S900, S901), which the engine reports itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, TypedDict

from ..analysis.words import UNCOUNTABLE, is_plural, tokens
from ..dialects import DIALECTS as ENGINES
from ..dialects import DISPLAY_NAME, IDENTIFIER_LIMITS
from ..findings import Related
from ..model.schema import Schema, Table
from ..model.spans import Span
from .base import META, SCHEMA, Hit, hit, rule

if TYPE_CHECKING:
    from .engine import Context

PLAIN_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
STYLE_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+\Z")
STYLE_CAMEL = re.compile(r"[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+\Z")
STYLE_PASCAL = re.compile(r"(?:[A-Z][a-z0-9]+){2,}\Z")
STYLE_UPPER = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\Z")
STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("snake_case", STYLE_SNAKE),
    ("camelCase", STYLE_CAMEL),
    ("PascalCase", STYLE_PASCAL),
)
STYLES += (("UPPER_CASE", STYLE_UPPER),)
NAME_DIALECTS = tuple(IDENTIFIER_LIMITS)  # engines with an identifier length limit


def _names(table: Table) -> Iterator[tuple[str, str, Span | None]]:
    """(kind, name, span) of every identifier a table defines."""
    yield "table", table.name, table.name_span
    for column in table.columns:
        yield "column", column.name, column.name_span
    for index in table.indexes:
        if index.name:
            yield "index", index.name, index.span
    for check in table.checks:
        if check.name:
            yield "check", check.name, check.span


@rule(
    "S101",
    "reserved-word",
    severity="warning",
    summary="Table or column named with a reserved word of the engine",
    rationale="""A reserved word (`user` in PostgreSQL, `order` everywhere) can only be used quoted, so
    every hand-written query, tool and ORM must remember the quotes, and forgetting them gives
    confusing errors (`SELECT * FROM user` returns the current user in PostgreSQL). Rename it
    (`users`, `orders`, `app_user`).""",
    bad="""
    Table user {
      id int [pk]
    }
    """,
    good="""
    Table users {
      id int [pk]
    }
    """,
)
def reserved_word(ctx: Context, table: Table) -> Iterator[Hit]:
    words = ENGINES[ctx.dialect].reserved
    engine = DISPLAY_NAME[ctx.dialect]
    found = [(k, n, s) for k, n, s in _names(table) if k in ("table", "column") and n.lower() in words and s]
    if len(found) == 1:
        kind, name, span = found[0]
        yield hit(f"{kind} name '{name}' is a reserved word in {engine}: it must be quoted everywhere", span)
    elif found:
        names = ", ".join(f"'{n}'" for _k, n, _s in found)
        yield hit(
            f"{len(found)} names of '{table.name}' are reserved words in {engine} ({names}): each must be quoted "
            "everywhere",
            table.name_span or table.span,
        )


@rule(
    "S102",
    "identifier-too-long",
    severity="warning",
    summary="Name longer than the engine's identifier limit",
    rationale="""PostgreSQL keeps only the first 63 bytes of a name (two long names can then collide),
    MySQL refuses names over 64 characters, Oracle over 128 bytes, SQL Server over 128 characters.""",
    bad="""
    Table customer_loyalty_programme_membership_tier_upgrade_history_entries {
      id int [pk]
    }
    """,
    good="""
    Table loyalty_tier_upgrades {
      id int [pk]
    }
    """,
    dialects=NAME_DIALECTS,
)
def identifier_too_long(ctx: Context, table: Table) -> Iterator[Hit]:
    limit, unit = IDENTIFIER_LIMITS[ctx.dialect]
    engine = DISPLAY_NAME[ctx.dialect]
    for kind, name, span in _names(table):
        size = ENGINES[ctx.dialect].identifier_size(name)
        if size > limit and span is not None:
            yield hit(f"{kind} name '{name}' is {size} {unit} long; {engine} allows {limit}", span)


@rule(
    "S105",
    "name-needs-quotes",
    severity="info",
    summary="Table with names that must be quoted in SQL (spaces, punctuation, or upper case in PostgreSQL)",
    rationale="""Names with spaces, dashes or a leading digit have to be double-quoted in every query. In
    PostgreSQL unquoted names are folded to lower case, so a name with capitals (`CustomerId`) must
    be quoted with the exact capitals forever. snake_case names avoid both.""",
    bad="""
    Table "Order Lines" {
      id int [pk]
      "Unit Price" decimal(10,2)
    }
    """,
    good="""
    Table order_lines {
      id int [pk]
      unit_price decimal(10,2)
    }
    """,
    enabled=False,
    default_reason="""Quoting is a style choice a schema makes once (camelCase from an ORM, dashes in a
    legacy schema); it is reported once per table when selected, for schemas that want to avoid it.""",
)
def needs_quotes(ctx: Context, table: Table) -> Iterator[Hit]:
    punctuated, capitals = [], []
    for kind, name, span in _names(table):
        if kind not in ("table", "column") or span is None:
            continue
        if not PLAIN_RE.match(name):
            punctuated.append(name)
        elif ctx.dialect == "postgres" and name != name.lower():
            capitals.append(name)
    span = table.name_span or table.span
    if punctuated:
        yield hit(f"{_listed(punctuated)} of '{table.name}' have characters that force quoting in SQL", span)
    if capitals:
        yield hit(
            f"{_listed(capitals)} of '{table.name}' have capitals: PostgreSQL needs them quoted exactly, forever", span
        )


def _listed(names: list[str], limit: int = 4) -> str:
    """`the name 'a'`, `names 'a', 'b'`, or `9 names ('a', 'b', 'c', 'd', and 5 more)`."""
    shown = ", ".join(f"'{n}'" for n in names[:limit])
    if len(names) > limit:
        return f"{len(names)} names ({shown}, and {len(names) - limit} more)"
    return f"names {shown}" if len(names) > 1 else f"the name {shown}"


# ------------------------------------------------------------------ across the schema


def _style(name: str) -> str | None:
    for style, pattern in STYLES:
        if pattern.match(name):
            return style
    return None


class NameSummary(TypedDict):
    """What the whole-schema naming rules read of one table."""

    styles: dict[str, list[tuple[str, str, Span | None]]]  # style: (kind, name, span) of the names in it
    style_counts: dict[tuple[str, str], int]  # (kind, style): how many names
    plural: bool | None  # whether the table name is plural (None: its last word has no plural)
    long_word: bool  # whether the last word of the table name is longer than 3 letters


def _summaries(ctx: Context) -> list[tuple[Table, NameSummary]]:
    return ctx.per_table("names", _summarise)


def _summarise(table: Table) -> NameSummary:
    styles: dict[str, list[tuple[str, str, Span | None]]] = {}
    for kind, name, span in _names(table):
        if kind in ("table", "column"):
            style = _style(name)
            if style:
                styles.setdefault(style, []).append((kind, name, span))
    counts: dict[tuple[str, str], int] = {}
    for style, names in styles.items():
        for kind, _name, _span in names:
            counts[(kind, style)] = counts.get((kind, style), 0) + 1
    return {
        "styles": styles,
        "style_counts": counts,
        "plural": is_plural(table.name) if tokens(table.name) and tokens(table.name)[-1] not in UNCOUNTABLE else None,
        "long_word": bool(tokens(table.name)) and len(tokens(table.name)[-1]) > 3,
    }


def _index_names(table: Table) -> list[tuple[str, Span | None]]:
    """(name, span) of the table's named indexes: all S106 reads (apart from the style summaries, which
    the default rules do not need)."""
    return [(i.name, i.span) for i in table.indexes if i.name]


@rule(
    "S103",
    "mixed-naming-style",
    severity="info",
    summary="Table whose names are in another style (camelCase among snake_case) than the rest of the schema",
    rationale="""One naming convention across the schema lets people and tools guess names; a mix of
    snake_case and camelCase means looking every column up, and in PostgreSQL the camelCase ones
    need quotes.""",
    bad="""
    Table orders {
      id int [pk]
      customer_id int
      placed_at timestamptz
      shippingAddress text
    }
    """,
    good="""
    Table orders {
      id int [pk]
      customer_id int
      placed_at timestamptz
      shipping_address text
    }
    """,
    scope=SCHEMA,
    enabled=False,
    default_reason="""A naming style is the team's choice; table names and column names are each compared
    with their own kind (PascalCase tables with camelCase columns are consistent), and each table is
    reported once, when selected.""",
)
def mixed_style(ctx: Context, schema: Schema) -> Iterator[Hit]:
    summaries = _summaries(ctx)
    totals: dict[tuple[str, str], int] = {}
    for _table, s in summaries:
        for key, n in s["style_counts"].items():
            totals[key] = totals.get(key, 0) + n
    for kind in ("table", "column"):
        counts = {style: n for (k, style), n in totals.items() if k == kind}
        if len(counts) < 2:
            continue
        main = max(counts, key=lambda k: (counts[k], k == "snake_case"))
        for table, s in summaries:
            if table.span is None or table.span.file != ctx.path:
                continue
            if not any(k == kind and style != main for k, style in s["style_counts"]):
                continue
            odd = [
                (style, name)
                for style, names in s["styles"].items()
                if style != main
                for k, name, _s in names
                if k == kind
            ]
            if not odd:
                continue
            span = table.name_span or table.span
            what = "its name" if kind == "table" else f"{len(odd)} column name{'s' if len(odd) > 1 else ''}"
            examples = ", ".join(f"'{n}' ({st})" for st, n in odd[:3])
            yield hit(f"{what} of '{table.name}' ({examples}) differ from the schema's {kind} names, in {main}", span)


@rule(
    "S104",
    "mixed-singular-plural-tables",
    severity="info",
    summary="Schema whose table names mix singular and plural",
    rationale="""Whether tables are named `customer` or `customers` matters less than choosing one: a mix
    makes every join a guess (`order` or `orders`?).""",
    bad="""
    Table customer {
      id int [pk]
    }
    Table products {
      id int [pk]
    }
    Table invoice {
      id int [pk]
    }
    """,
    good="""
    Table customers {
      id int [pk]
    }
    Table products {
      id int [pk]
    }
    Table invoices {
      id int [pk]
    }
    """,
    scope=SCHEMA,
    enabled=False,
    confidence="likely",
    default_reason="""Singular or plural is the team's choice, and telling them apart from a name is a
    guess (`status`, `data`, `news`); the mix is reported once per schema, when selected.""",
)
def singular_plural(ctx: Context, schema: Schema) -> Iterator[Hit]:
    plural, single = [], []
    for table, s in _summaries(ctx):
        if s["plural"] is True:
            plural.append(table)
        elif s["plural"] is False and s["long_word"]:
            single.append(table)
    if not plural or not single or len(plural) == len(single):
        return
    minority, form = (plural, "plural") if len(plural) < len(single) else (single, "singular")
    other = "singular" if form == "plural" else "plural"
    mine = [t for t in minority if t.span is not None and t.span.file == ctx.path and t.name_span is not None]
    if mine:
        names = ", ".join(f"'{t.name}'" for t in minority[:5]) + (", ..." if len(minority) > 5 else "")
        rest = len(plural) + len(single) - len(minority)
        yield hit(f"{_count_names(len(minority), form)} ({names}) where {_count_names(rest, other)}", mine[0].name_span)


def _count_names(n: int, form: str) -> str:
    return f"{n} table name is {form}" if n == 1 else f"{n} table names are {form}"


@rule(
    "S106",
    "duplicate-index-name",
    severity="error",
    summary="Index name used twice in a schema, or equal to a table name",
    rationale="""In PostgreSQL, SQLite and Oracle index names share one namespace per schema with tables:
    the second CREATE INDEX with a taken name fails.""",
    bad="""
    Table orders {
      id int [pk]
      placed_at timestamptz
      indexes {
        placed_at [name: 'by_date']
      }
    }
    Table invoices {
      id int [pk]
      issued_at timestamptz
      indexes {
        issued_at [name: 'by_date']
      }
    }
    """,
    good="""
    Table orders {
      id int [pk]
      placed_at timestamptz
      indexes {
        placed_at [name: 'orders_by_date']
      }
    }
    Table invoices {
      id int [pk]
      issued_at timestamptz
      indexes {
        issued_at [name: 'invoices_by_date']
      }
    }
    """,
    scope=SCHEMA,
    dialects=("postgres", "sqlite", "oracle"),
)
def duplicate_index_name(ctx: Context, schema: Schema) -> Iterator[Hit]:
    seen: dict[tuple[str, str], Span | None] = {}
    tables = None
    for table, indexes in ctx.per_table("index_names", _index_names):
        if not indexes:
            continue
        if tables is None:
            tables = {(t.schema, t.name.lower()) for t in schema.tables}
        for name, span in indexes:
            key = (table.schema, name.lower())
            mine = span is not None and span.file == ctx.path
            if key in tables and mine:
                yield hit(f"index name '{name}' is also the name of a table in schema '{table.schema}'", span)
            first = seen.get(key)
            if first is None:
                seen[key] = span
            elif mine:
                related = (Related(first, "the first index with this name"),) if first is not None else ()
                yield hit(f"index name '{name}' is already used in schema '{table.schema}'", span, related=related)


# ------------------------------------------------------------------ suppression comments (reported by the engine)

rule(
    "S900",
    "unused-suppression",
    severity="warning",
    summary="Suppression comment (`// dbdsl: ignore[...]`) that suppresses nothing",
    rationale="""A suppression whose finding is gone (fixed, or moved) hides nothing now but would hide
    the next finding of that kind on its line. Remove it, or the codes that no longer apply.""",
    bad="""
    // dbdsl: ignore[C101]
    Table users {
      id int [pk]
    }
    """,
    good="""
    // dbdsl: ignore[C101]
    Table events {
      name varchar(100)
    }
    """,
    scope=META,
    fix="safe",
)(None)

rule(
    "S901",
    "invalid-suppression",
    severity="warning",
    summary="Suppression comment naming an unknown rule code (or an E code, which cannot be suppressed)",
    rationale="""A misspelt code in `// dbdsl: ignore[...]` silently suppresses nothing. E codes are errors
    in the file itself and are never suppressed.""",
    bad="""
    // dbdsl: ignore[C1O1]
    Table events {
      name varchar(100)
    }
    """,
    good="""
    // dbdsl: ignore[C101]
    Table events {
      name varchar(100)
    }
    """,
    scope=META,
)(None)
