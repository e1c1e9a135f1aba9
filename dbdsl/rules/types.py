"""T: column types: money, text lengths, time zones, defaults, engine-specific types."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ..analysis.columns import (
    INTEGER_CAPACITY,
    Family,
    base_type,
    default_is,
    default_words,
    deprecated,
    family,
    head,
    integer_capacity,
    words,
)
from ..analysis.roles import Role
from ..analysis.words import plural, tokens
from ..dialects import DIALECTS as ENGINES
from ..dialects import DISPLAY_NAME
from ..model.schema import Column, Schema, Table
from ..model.types import BOOLEAN_TYPES, INTEGER_TYPES, STRING_TYPES, VARCHAR_TYPES, canonical_type
from . import fixes
from .base import SCHEMA, Edit, Hit, hit, rule
from .conventions import CONVENTION_TABLES, Occurrence, by_convention
from .exprs import columns_in
from .indexes import _rows_per_month

if TYPE_CHECKING:
    from .engine import Context

# head nouns that name an amount of money (`unit_price`, `freight`, `amount_paid`)
MONEY_HEADS = {"price", "prices", "amount", "amounts", "total", "subtotal", "cost", "costs", "balance", "fee"}
MONEY_HEADS |= {"fees", "salary", "wage", "wages", "tax", "revenue", "payment", "charge", "refund", "budget"}
MONEY_HEADS |= {"income", "expense", "expenses", "credit", "debit", "money", "paid", "due", "freight", "postage"}
MONEY_HEADS |= {"premium", "deposit", "rent", "commission", "penalty", "tip", "bonus", "cash", "msrp", "rrp"}
MONEY_HEADS |= {"vat", "surcharge", "payout", "earnings", "spend", "owed", "outstanding", "fare", "toll", "duty"}
MONEY_HEADS |= {"listprice", "unitprice", "standardcost", "subtotal", "grandtotal", "discount"}
NOT_MONEY = {"percent", "percentage", "rate", "ratio", "count", "quantity", "qty", "weight", "score", "pct"}
NOT_MONEY |= {"hours", "days", "weeks", "months", "years", "minutes", "seconds", "points", "number", "factor"}
# generic heads that are money when the table deals in currencies (`rate` of `currencies`, `value` beside
# `currency_code`)
CONTEXT_MONEY_HEADS = {"value", "sum", "net", "gross"}
EXCHANGE_RATE_WORDS = {"rate", "exchange", "fx", "conversion", "currency", "forex"}
CURRENCY_COLUMNS = {"currency", "currency_code", "currency_id", "currency_iso", "iso_currency", "currencycode"}
CURRENCY_TABLE_WORDS = {"currency", "currencies", "exchange", "fx", "forex", "rates"}
ADDRESS_WORDS = {"city", "zip", "zipcode", "postal", "postcode", "country", "street", "address", "province"}
STATUS_HEADS = {"status"}
KIND_HEADS = {"state", "role", "kind", "type", "category", "gender", "visibility", "priority", "severity", "mode"}
KIND_HEADS |= {"stage", "phase", "tier", "level"}
OPEN_TYPE_WORDS = {"mime", "content", "media", "file", "mimetype", "contenttype", "data", "column", "field"}
DURATION_WORDS = {"duration", "elapsed", "spent", "lead", "response", "ttl", "timeout", "delay", "interval"}
DURATION_WORDS |= {"seconds", "minutes", "hours", "days", "total", "play", "run", "wait", "took", "taken"}
DURATION_WORDS |= {"offset", "zone", "tz", "window", "length", "age", "retention", "lifetime", "period"}
MOMENT_WORDS = {"created", "updated", "modified", "deleted", "start", "end", "create", "update", "modify"}
MOMENT_WORDS |= {"login", "logout", "expire", "expires", "expiry", "expiration", "last", "publish", "published"}
MOMENT_WORDS |= {"access", "accessed", "visit", "sent", "send", "read", "posted", "closed", "opened", "begin"}
MOMENT_WORDS |= {"finished", "completed", "changed", "edited", "registered", "joined", "born", "added"}
# a moment by itself (`created int`); nouns such as `expiration` or `start` alone may be a kind or a count
MOMENT_ALONE = {"created", "updated", "modified", "timestamp", "expires"}
FLAG_WORDS = {"active", "enabled", "disabled", "deleted", "discontinued", "archived", "visible", "hidden"}
FLAG_WORDS |= {"verified", "confirmed", "approved", "published", "locked", "blocked", "banned", "suspended"}
FLAG_WORDS |= {"featured", "public", "private", "required", "read", "seen", "default", "primary", "valid"}
FLAG_WORDS |= {"closed", "resolved", "paid", "completed", "done", "internal", "hidden", "moderated", "sticky"}
FLAG_WORDS |= {"deactivated", "activated", "admin", "erased", "inactive"}
# flag words that say so alone: whether a product is discontinued or a user deactivated has two answers
STATE_PARTICIPLES = {"discontinued", "deactivated", "activated", "archived", "banned", "blocked", "suspended"}
STATE_PARTICIPLES |= {"verified", "confirmed", "approved", "enabled", "disabled", "admin", "erased"}
FLAG_CHECK_RE = re.compile(r"\bin\s*\(\s*0\s*,\s*1\s*\)|\bbetween\s+0\s+and\s+1\b", re.IGNORECASE)
DAY_WORDS = {"birth", "birthday", "birthdate", "dob", "hire", "hired", "anniversary", "born"}
# each word starts at a word boundary and is taken whole (possessive): a long word costs linear time
VALUE_LIST_RE = re.compile(r"\bone of\b|\b\w++\s*[,|/]\s*\w++\s*[,|/]\s*\w++|'\w++'\s*(?:,|or)\s*'\w++'", re.IGNORECASE)
BOOLEAN_PREFIXES = ("is_", "has_", "can_", "should_", "allow_", "allows_", "needs_", "was_")
ARGS_KEPT = {"varchar", "char", "numeric", "decimal", "nvarchar", "nvarchar2", "varchar2", "number"}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
ZERO_DATE_RE = re.compile(r"^\s*0000-00-00")
TEXT_DATES = tuple(d.name for d in ENGINES.values() if d.date_types)  # engines with date types


def _editable(table: Table, column: Column) -> bool:
    return fixes.editable_column(table, column)


def _retype(
    ctx: Context,
    table: Table,
    column: Column,
    message: str,
    new_type: str,
    *,
    severity: str | None = None,
    extra: Iterable[Edit] = (),
) -> Hit:
    """A finding whose fix gives the column `new_type`, dropping a default the new type cannot hold
    (a `''` default on a column that becomes a date)."""
    span = column.type_span or column.span
    if not _editable(table, column):
        return hit(message, span, severity=severity)
    edits = [fixes.replace_type(column, new_type), *extra]
    retyped = replace(column, type=fixes.parse_type(new_type))
    if column.default is not None and _default_problem(ctx, retyped) is not None:
        edits.append(fixes.rewrite_settings(column, drop={"default"}))
    return hit(message, span, fixes.fix(f"Use {new_type}", *edits), severity=severity)


def _base(column: Column) -> str:
    return canonical_type(column.type.name)


@rule(
    "T101",
    "money-in-float",
    severity="warning",
    summary="Money kept in a floating-point type (or PostgreSQL `money`)",
    rationale="""Binary floating point cannot represent most decimal fractions: 0.1 + 0.2 is not 0.3, sums
    drift by cents and comparisons fail. PostgreSQL's `money` depends on the server's locale setting.
    Amounts belong in an exact decimal type such as decimal(12,2) (exchange rates in one with more
    scale). The rule reads the head of the name (`unit_price`, `freight`, `amount_paid` are money;
    `total_weeks` is not), and a generic `rate` or `value` counts only in a table that deals in
    currencies.""",
    bad="""
    Table orders {
      id int [pk]
      total float [not null]
      freight real
    }
    """,
    good="""
    Table orders {
      id int [pk]
      total decimal(12,2) [not null]
      freight decimal(12,2)
    }
    """,
    fix="unsafe",
    confidence="likely",
    default_reason="""A floating-point column whose name's head noun is an amount (price, cost, freight)
    is money nearly every time; generic names count only beside a currency, and are information.""",
)
def money_in_float(ctx: Context, table: Table) -> Iterator[Hit]:
    currency = _currency_context(table)
    for column in table.columns:
        base = base_type(column)
        if column.type.dims:
            continue
        if base == "money" and ctx.dialect == "postgres":
            yield _retype(
                ctx,
                table,
                column,
                f"'{column.name}' uses `money`, whose format depends on the locale",
                _decimal(ctx, None, ""),
            )
            continue
        if family(column) is not Family.FLOAT:
            continue
        noun = head(column.name)
        parts = set(words(column))
        if noun in MONEY_HEADS and not parts & (NOT_MONEY - {"rate"}):
            why, severity = f"'{noun}' names an amount", None
        elif currency and _context_money(noun, parts):
            why, severity = currency, "info"
        else:
            continue
        if severity is None:
            message = (
                f"'{column.name}' looks like money ({why}) but is {column.type.text}: floating point cannot hold "
                "cents exactly"
            )
        else:
            message = (
                f"'{column.name}' may be an amount or an exchange rate ({why}) but is {column.type.text}: floating "
                "point rounds every conversion differently"
            )
        yield _retype(
            ctx, table, column, message, _decimal(ctx, column, noun, exchange=severity is not None), severity=severity
        )


def _context_money(noun: str, parts: set[str]) -> bool:
    """A generic name that is money among currencies: `value`, `net`, or an exchange `rate` (a tax or
    discount rate is a percentage)."""
    if noun == "rate":
        return parts <= EXCHANGE_RATE_WORDS
    return noun in CONTEXT_MONEY_HEADS and not parts & NOT_MONEY


def _currency_context(table: Table) -> str | None:
    """Why the table's numbers may be money: a currency column, or a name about currencies."""
    column = next((c for c in table.columns if c.name.lower() in CURRENCY_COLUMNS), None)
    if column is not None:
        return f"beside '{column.name}'"
    word = next((w for w in tokens(table.name) if w in CURRENCY_TABLE_WORDS), None)
    return f"in a table of {word}" if word else None


def _decimal(ctx: Context, column: Column | None, noun: str, *, exchange: bool = False) -> str:
    """The exact type for a value: the float's own precision and scale when it states them (a fix never
    cuts digits), more scale for rates, else the engine's usual type for cents."""
    name = ENGINES[ctx.dialect].decimal_name
    args = column.type.args if column is not None else None
    if args and len(args) == 2 and all(a.strip().isdigit() for a in args):
        return f"{name}({args[0].strip()},{args[1].strip()})"
    if exchange or noun in ("rate", "exchange_rate", "fx"):
        return f"{name}(18,8)"
    return ENGINES[ctx.dialect].decimal_type


@rule(
    "T102",
    "varchar-without-length",
    severity="warning",
    summary="varchar without a length where the engine needs one",
    rationale="""MySQL and Oracle reject `varchar` without a length, and SQL Server reads it as varchar(1)
    in a column definition, silently truncating every value to one character. (PostgreSQL and
    SQLite accept it.)""",
    bad="""
    Project p {
      database_type: 'MySQL'
    }
    Table users {
      id int [pk]
      name varchar [not null]
    }
    """,
    good="""
    Project p {
      database_type: 'MySQL'
    }
    Table users {
      id int [pk]
      name varchar(100) [not null]
    }
    """,
    dialects=("mysql", "mssql", "oracle"),
    fix="unsafe",
)
def varchar_without_length(ctx: Context, table: Table) -> Iterator[Hit]:
    for column in table.columns:
        if _base(column) in VARCHAR_TYPES and column.type.args is None and column.enum is None:
            name = "varchar2" if ctx.dialect == "oracle" else column.type.name.lower()
            why = "is read as varchar(1)" if ctx.dialect == "mssql" else "needs a length"
            yield _retype(
                ctx,
                table,
                column,
                f"'{column.name}' is varchar without a length, which {why} in {DISPLAY_NAME[ctx.dialect]}",
                f"{name}(255)",
            )


@rule(
    "T103",
    "closed-set-as-free-text",
    severity="warning",
    summary="Column with a closed set of values (status, role, kind) kept as free text (no enum, no CHECK)",
    rationale="""A status, a role or a kind has a closed set of values that the application switches on.
    As free text it accepts typos and casing variants ('Shipped', 'shiped') that no query expects.
    Use an enum, a CHECK listing the values, or a reference to a lookup table. A `status` or `state`
    says so by its name; `role`, `kind`, `type` or `category` need a second sign (a default such as
    'active', a note listing the values, or a short length). MIME and content types, the state of an
    address and the key of a lookup table are open sets and are left alone.""",
    bad="""
    Table orders {
      id int [pk]
      status varchar(20) [not null, default: 'pending']
    }
    """,
    good="""
    Enum order_status {
      pending
      paid
      shipped
    }
    Table orders {
      id int [pk]
      status order_status [not null, default: 'pending']
    }
    """,
    confidence="likely",
    default_reason="""The name must say it (status, state) and a second sign agree for a warning; a name
    alone is information, and names such as `type` are reported only with a second sign.""",
)
def closed_set_as_text(ctx: Context, table: Table) -> Iterator[Hit]:
    candidates = [
        (column, noun)
        for column in table.columns
        if ((noun := head(column.name)) in STATUS_HEADS or noun in KIND_HEADS)
        and family(column) is Family.STRING
        and column.enum is None
    ]
    if not candidates:
        return  # most tables: nothing else to read
    roles = ctx.roles(table)
    if Role.LOOKUP in roles:
        return  # the table itself is the closed set
    references = ctx.fk_column_names(table)
    referenced = {c for r in ctx.refs_to(table) for c in r.pk_side.columns}
    keys = {c for key in ctx.facts(table).keys for c in key}
    checks = ctx.facts(table).checks
    address = any(set(words(c)) & ADDRESS_WORDS for c in table.columns)
    for column, noun in candidates:
        if column.name in references or column.name in referenced or column.name in keys:
            continue
        parts = set(words(column))
        if (noun == "state" and address) or (noun == "type" and parts & OPEN_TYPE_WORDS) or deprecated(column):
            continue  # the state of an address; a MIME or content type; a column on its way out
        if noun == "type" and len(parts) > 1 and _polymorphic_partner(table, column):
            continue  # `payable_type` beside `payable_id` names a table (C107)
        if any(column.name.lower() in (columns_in(t, ctx.dialect) or ()) for t in checks):
            continue
        if _table_of_values(ctx, table, noun):
            continue  # `project_has_roles` keeps the values (custom roles): the set is open, not for a CHECK
        strong, weak = _closed_set_signs(column)
        if noun == "status":
            severity = None if strong else "info"
        elif strong:
            severity = None if len(strong) + len(weak) >= 2 else "info"
        else:
            continue
        signs = strong + weak
        evidence = ", ".join([f"a {noun}", *signs])
        verb = "has" if severity is None else "may have"
        yield hit(
            f"'{column.name}' {verb} a fixed set of values ({evidence}) but is free text: use an enum or a CHECK",
            column.name_span or column.span,
            severity=severity,
        )


def _closed_set_signs(column: Column) -> tuple[list[str], list[str]]:
    """What besides its name says a column holds one of a few values: strong signs (a word as default,
    a note listing values) and weak ones (a short length)."""
    strong, weak = [], []
    word = default_words(column)
    if word is not None:
        strong.append(f"the default '{word}'")
    if column.note and VALUE_LIST_RE.search(column.note):
        strong.append("its note lists values")
    args = column.type.args
    if args and args[0].strip().isdigit() and int(args[0]) <= 32:
        weak.append(f"at most {int(args[0])} characters")
    return strong, weak


def _table_of_values(ctx: Context, table: Table, noun: str) -> bool:
    """Whether another table of the schema is named for these values (`roles`, `project_has_roles`,
    `order_statuses`): the values live in data, not in the schema."""
    last = _last_words(ctx.table_names)
    own = tokens(table.name)[-1:]
    return any(w in last and (w not in own or last[w] > 1) for w in (noun, plural(noun)))


@lru_cache(maxsize=4)
def _last_words(names: frozenset[str]) -> dict[str, int]:
    """How many tables' names end with each word (the names of a schema, lowercased)."""
    out: dict[str, int] = {}
    for name in names:
        if "." in name:
            continue
        parts = tokens(name)
        if parts:
            out[parts[-1]] = out.get(parts[-1], 0) + 1
    return out


def _polymorphic_partner(table: Table, column: Column) -> bool:
    stem = column.name[: -len("_type")] if column.name.lower().endswith("_type") else None
    return stem is not None and table.column(stem + "_id") is not None


@rule(
    "T104",
    "timestamp-without-time-zone",
    severity="warning",
    summary="`timestamp` without time zone in PostgreSQL",
    rationale="""A `timestamp` without time zone stores wall-clock time with no zone: the same instant
    written from servers or sessions in different zones reads differently, and daylight-saving
    changes make times ambiguous. `timestamptz` stores an instant (in UTC) and converts on output. A
    column that holds a day (a birth or hire date) needs `date` instead. When a schema uses
    timestamps without time zone throughout (in three tables or more, four in five timestamps), that is
    its convention (frameworks such as Rails write it, storing UTC), and it is reported once.""",
    bad="""
    Table events {
      id int [pk]
      happened_at timestamp [not null]
    }
    """,
    good="""
    Table events {
      id int [pk]
      happened_at timestamptz [not null]
    }
    """,
    dialects=("postgres",),
    scope=SCHEMA,
    fix="unsafe",
)
def timestamp_without_tz(ctx: Context, schema: Schema) -> Iterator[Hit]:
    found = ctx.per_table("timestamps", _timestamps)
    plain = [(t, c) for t, (columns, _zoned) in found for c in columns]
    zoned = sum(z for _t, (_c, z) in found)
    days = [(t, c) for t, c in plain if set(words(c)) & DAY_WORDS]
    plain = [(t, c) for t, c in plain if not set(words(c)) & DAY_WORDS]
    tables = {id(t) for t, _c in plain}
    mine = [(t, c) for t, c in plain if c.span is not None and c.span.file == ctx.path]
    for table, column in days:
        if column.span is not None and column.span.file == ctx.path:
            yield _retype(ctx, table, column, f"'{column.name}' holds a day, not an instant: use date", "date")
    if len(tables) >= CONVENTION_TABLES and len(plain) >= 4 * zoned:
        if mine:
            _table, column = mine[0]
            yield hit(
                f"{len(plain)} timestamp columns in {len(tables)} tables are without time zone (this is the first): "
                "the schema's convention, safe only while every writer stores UTC; timestamptz stores instants",
                column.type_span or column.span,
                severity="info",
            )
        return
    for table, column in mine:
        new = "timestamptz" if not column.type.args else f"timestamptz({column.type.args[0]})"
        message = f"'{column.name}' is a timestamp without time zone"
        if words(column)[-1:] == ("date",):
            message += ": date if it holds days, timestamptz if it holds instants"
        yield _retype(ctx, table, column, message, new)


def _timestamps(table: Table) -> tuple[list[Column], int]:
    """The table's timestamps without time zone, and how many it has with one."""
    plain, zoned = [], 0
    for column in table.columns:
        if column.type.dims:
            continue
        base = base_type(column)
        if base == "timestamp":
            plain.append(column)
        elif base == "timestamptz":
            zoned += 1
    return plain, zoned


def _default_problem(ctx: Context, column: Column) -> str | None:
    default = column.default
    if default is None or default.kind in ("expression", "null"):
        return None
    base = _base(column)
    kind, value = default.kind, default.value
    if column.enum is not None:
        enum = ctx.schema.enum(column.enum)
        text = value.split(".")[-1]
        if enum is not None and kind in ("string", "enum") and text not in enum.value_names:
            return f"'{text}' is not a value of enum '{enum.qualified}'"
        return None
    if base in INTEGER_TYPES | {"decimal", "number", "real", "double precision", "float"}:
        if kind == "boolean":
            return f"a {column.type.text} column cannot default to {value}"
        if kind == "string":
            try:
                float(value)
            except ValueError:
                return f"'{value}' is not a number"
        if kind == "number" and base in INTEGER_TYPES and not value.lstrip("+-").isdigit():
            return f"{value} is not an integer"
    elif base in BOOLEAN_TYPES:
        if kind == "number" and value not in ("0", "1"):
            return f"{value} is not a boolean"
        if kind == "string" and value.lower() not in ("true", "false", "t", "f", "yes", "no", "0", "1", "y", "n"):
            return f"'{value}' is not a boolean"
    elif base in ("varchar", "char", "nvarchar", "nchar") and column.type.args and kind == "string":
        try:
            limit = int(column.type.args[0])
        except ValueError:
            return None
        if len(value) > limit:
            return f"the default is {len(value)} characters long but the column holds {limit}"
    elif family(column) in (Family.DATE, Family.TIMESTAMP) and kind in ("number", "boolean"):
        return f"{value} is not a {base}"
    elif family(column) in (Family.DATE, Family.TIMESTAMP) and kind == "string" and ZERO_DATE_RE.match(value):
        return (
            f"'{value}' is not a date: MySQL's strict mode (its default since 5.7) and every other engine reject "
            'it; use NULL for "no date"'
        )
    elif base in ("date", "timestamp", "timestamptz") and kind == "string" and not _date_literal(value):
        return f"'{value}' is not a {base} literal (write 'YYYY-MM-DD' or an expression)"
    return None


def _date_literal(value: str) -> bool:
    return bool(DATE_RE.match(value.strip())) or value.lower() in ("now", "today", "infinity", "-infinity")


@rule(
    "T105",
    "default-type-mismatch",
    severity="error",
    summary="Default value that does not fit the column's type or enum",
    rationale="""A default that the column cannot hold makes CREATE TABLE fail (PostgreSQL checks it) or
    is silently converted (MySQL turns 'abc' into 0), and an enum default outside the enum fails on
    the first insert that relies on it.""",
    bad="""
    Table products {
      id int [pk]
      stock int [not null, default: 'none']
    }
    """,
    good="""
    Table products {
      id int [pk]
      stock int [not null, default: 0]
    }
    """,
)
def default_mismatch(ctx: Context, table: Table) -> Iterator[Hit]:
    for column in table.columns:
        problem = _default_problem(ctx, column)
        if problem:
            yield hit(f"default of '{column.name}': {problem}", column.settings_span or column.span)


@rule(
    "T106",
    "type-size-out-of-range",
    severity="error",
    summary="Length or precision beyond what the engine accepts (varchar, decimal)",
    rationale="""Each engine caps varchar lengths (SQL Server 8000, MySQL 65535 bytes per row, Oracle
    32767) and decimal precision (38 in most, 65 in MySQL); a larger size fails at CREATE TABLE, and
    a scale larger than the precision is always invalid.""",
    bad="""
    Project p {
      database_type: 'SQL Server'
    }
    Table articles {
      id int [pk]
      body varchar(20000)
    }
    """,
    good="""
    Project p {
      database_type: 'SQL Server'
    }
    Table articles {
      id int [pk]
      body varchar(8000)
    }
    """,
)
def size_out_of_range(ctx: Context, table: Table) -> Iterator[Hit]:
    for column in table.columns:
        base, args = _base(column), column.type.args
        if not args:
            continue
        try:
            numbers = [int(a) for a in args]
        except ValueError:
            continue
        problem = None
        if base in VARCHAR_TYPES | {"char", "nchar"}:
            limit = ENGINES[ctx.dialect].varchar_max
            if numbers[0] < 1:
                problem = f"a length of {numbers[0]} is not allowed"
            elif limit and numbers[0] > limit:
                problem = f"{DISPLAY_NAME[ctx.dialect]} allows at most {limit}"
        elif base in ("decimal", "number"):
            limit = ENGINES[ctx.dialect].decimal_max_precision
            if limit and numbers[0] > limit:
                problem = f"{DISPLAY_NAME[ctx.dialect]} allows a precision of at most {limit}"
            elif len(numbers) > 1 and numbers[1] > numbers[0]:
                problem = f"the scale {numbers[1]} is larger than the precision {numbers[0]}"
            elif numbers[0] < 1:
                problem = f"a precision of {numbers[0]} is not allowed"
        if problem:
            yield hit(f"'{column.name}' is {column.type.text}: {problem}", column.type_span or column.span)


@rule(
    "T107",
    "type-from-another-engine",
    severity="warning",
    summary="Column type that belongs to another engine than the project's",
    rationale="""Types such as `datetime` (MySQL, SQL Server), `varchar2` (Oracle), `jsonb` or `uuid`
    (PostgreSQL) do not exist in other engines: the generated DDL fails there or the type is mapped
    to something with different behaviour. Use the project engine's own type; the fix writes the
    usual equivalent.""",
    bad="""
    Project shop {
      database_type: 'PostgreSQL'
    }
    Table events {
      id int [pk]
      happened_at datetime [not null]
    }
    """,
    good="""
    Project shop {
      database_type: 'PostgreSQL'
    }
    Table events {
      id int [pk]
      happened_at timestamptz [not null]
    }
    """,
    scope=SCHEMA,
    fix="unsafe",
)
def foreign_type(ctx: Context, schema: Schema) -> Iterator[Hit]:
    if not ctx.dialect_declared:
        return  # a DBML file that names no engine: its types are the designer's words, not one engine's
    found = ctx.per_table("foreign_types", lambda t: _foreign_types(ctx, t))
    engine = DISPLAY_NAME[ctx.dialect]
    yield from by_convention(
        ctx,
        found,
        lambda convention, n, tables: (
            f"{n} columns in {tables} tables are {convention}, which is not a {engine} "
            "type (this is the first): generated SQL has to translate it; use the engine's own type"
        ),
    )


def _foreign_types(ctx: Context, table: Table) -> list[Occurrence]:
    mapping = ENGINES[ctx.dialect].foreign_types
    engine = DISPLAY_NAME[ctx.dialect]
    out: list[Occurrence] = []
    for column in table.columns:
        if column.enum is not None:
            continue
        span = column.type_span or column.span
        if column.type.dims and not ENGINES[ctx.dialect].arrays:
            out.append(("an array", column, hit(f"'{column.name}' is an array, which {engine} does not have", span)))
            continue
        base = " ".join(column.type.name.lower().split())
        if base not in mapping:
            continue
        replacement = mapping[base]
        message = f"'{column.name}' is {column.type.name}, which is not a {engine} type"
        if replacement is None:
            out.append((column.type.name, column, hit(message, span)))
            continue
        if "(" not in replacement and column.type.args and replacement.split()[0] in ARGS_KEPT:
            replacement += "(" + ",".join(column.type.args) + ")"
        replacement += "".join(column.type.dims)
        out.append(
            (column.type.name, column, _retype(ctx, table, column, message + f" (use {replacement})", replacement))
        )
    return out


@rule(
    "T108",
    "boolean-as-number",
    severity="info",
    summary="Yes/no column (is_*, has_*, active, discontinued) stored as a number or a character",
    rationale="""A flag kept as int or char(1) accepts 2, -1 or 'x', and every reader must know the
    convention. The engine's boolean type (bit in SQL Server) says what the column means and
    accepts only true and false. A name that asks a question (`is_admin`, `has_stock`) says it is a
    flag; an adjective such as `active` or `discontinued` says so together with a 0/1 default, a
    CHECK to 0 and 1, or a boolean twin (`activebool`).""",
    bad="""
    Table users {
      id int [pk]
      is_admin int [not null, default: 0]
      active int [not null, default: 1]
    }
    """,
    good="""
    Table users {
      id int [pk]
      is_admin boolean [not null, default: false]
      active boolean [not null, default: true]
    }
    """,
    dialects=("postgres", "mysql", "mssql", "snowflake"),  # SQLite keeps booleans as 0 and 1 anyway
    fix="unsafe",
    confidence="likely",
    default_reason="""A question-like name (`is_`, `has_`) or a flag adjective with a 0/1 default, a 0/1
    CHECK or a boolean twin is a flag nearly every time; it is information, as the data may say
    otherwise.""",
)
def boolean_as_number(ctx: Context, table: Table) -> Iterator[Hit]:
    target = ENGINES[ctx.dialect].boolean_type
    if target is None:
        return  # not reached: every engine of this rule has a boolean type
    facts = ctx.facts(table)
    for column in table.columns:
        named = _flag_name(column.name)
        if named is None:
            continue  # most columns: the name says nothing of a flag
        base = base_type(column)
        char1 = base == "char" and column.type.args in (("1",), None)
        if not (family(column) is Family.INTEGER or char1) or column.type.dims or column.pk or column.increment:
            continue
        if ctx.dialect == "mysql" and base == "tinyint":
            continue  # MySQL's boolean is tinyint(1)
        why: str | None
        if named == "question":
            why = "its name asks a yes/no question"
        elif not deprecated(column):
            why = _flag_evidence(ctx, column, facts.checks, facts.lower.keys())
            if why is None and head(column.name) in STATE_PARTICIPLES:
                why = "a word that says whether something happened"
            if why is None:
                continue
        else:
            continue
        message = f"'{column.name}' is a yes/no flag ({why}) stored as {column.type.text}"
        if not _editable(table, column):
            yield hit(message, column.type_span or column.span)
            continue
        edits = [fixes.replace_type(column, target)]
        default = column.default
        if default is not None and default.kind in ("number", "string") and default.value in ("0", "1"):
            value = "true" if default.value == "1" else "false"
            if ctx.dialect == "mssql":
                value = default.value
            edits.append(fixes.rewrite_settings(column, drop={"default"}, add=[f"default: {value}"], first=False))
        yield hit(message, column.type_span or column.span, fixes.fix(f"Use {target}", *edits))


@lru_cache(maxsize=65536)
def _flag_name(name: str) -> str | None:
    """'question' for a name that asks a yes/no question (`is_admin`, `deleted_flag`), 'word' for a flag
    adjective alone (`active`), None for the rest."""
    low = name.lower()
    if low.startswith(BOOLEAN_PREFIXES) or low.endswith("_flag"):
        return "question"
    if len(words(name)) == 1 and head(name) in FLAG_WORDS:
        return "word"
    return None


def _flag_evidence(ctx: Context, column: Column, checks: list[str], lower: AbstractSet[str]) -> str | None:
    """Why an adjective-named number column is a flag: a 0/1 default, a CHECK to 0 and 1, a boolean twin."""
    if column.default is not None and default_is(column, "0", "1"):
        return f"a flag word with the default {column.default.value}"
    low = column.name.lower()
    for text in checks:
        if low in (columns_in(text, ctx.dialect) or ()) and FLAG_CHECK_RE.search(text):
            return "a CHECK allows only 0 and 1"
    twin = next((n for n in (f"{low}bool", f"{low}_bool", f"{low}_boolean", f"is_{low}") if n in lower), None)
    if twin is not None:
        return f"beside the boolean '{twin}'"
    return None


def _projected_rows(table: Table) -> float:
    rows_setting = table.setting("rows")
    rows = _rows_per_month((rows_setting.value or "") if rows_setting else "")
    growth = table.setting("growth")
    per_month = 0.0
    if growth is not None and growth.value:
        text = growth.value.lower()
        amount = _rows_per_month(text)
        if "year" in text or "/y" in text:
            amount /= 12
        elif "day" in text or "/d" in text:
            amount *= 30
        elif "week" in text or "/w" in text:
            amount *= 4.3
        per_month = amount
    return rows + 60 * per_month


@rule(
    "T109",
    "integer-key-may-overflow",
    severity="warning",
    summary="Integer key too small for the rows the table is expected to hold",
    rationale="""A `smallint` key stops at 32,767, a `mediumint` at 8,388,607 and an `int` at
    2,147,483,647. When the table's `rows` and `growth` facts project more than half of that within
    five years (ids are also burnt by rollbacks and deletes), the key will run out in production,
    and widening it then rewrites the table and every referencing one.""",
    bad="""
    Table events [rows: '400M', growth: '20M/month'] {
      id int [pk, increment]
    }
    """,
    good="""
    Table events [rows: '400M', growth: '20M/month'] {
      id bigint [pk, increment]
    }
    """,
    fix="unsafe",
)
def int_key_overflow(ctx: Context, table: Table) -> Iterator[Hit]:
    if not table.setting("rows") and not table.setting("growth"):
        return
    projected = _projected_rows(table)
    for name in table.primary_key:
        column = table.column(name)
        if column is None:
            continue
        capacity = integer_capacity(column)
        if capacity is None or base_type(column) == "bigint" or projected <= capacity / 2:
            continue
        wider = "bigint" if base_type(column) in ("int", "mediumint") else "int"
        if projected > INTEGER_CAPACITY["int"] / 2:
            wider = "bigint"
        yield _retype(
            ctx,
            table,
            column,
            f"'{column.name}' is {column.type.text} (at most {capacity:,} values) but the table is projected to "
            f"reach {_count(projected)} rows in five years",
            wider,
        )


def _count(n: float) -> str:
    for unit, size in (("billion", 1e9), ("million", 1e6), ("thousand", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n:.0f}"


@rule(
    "T110",
    "date-as-text",
    severity="warning",
    summary="Date or time column (`*_at`, `*_date`) stored as text",
    rationale="""Dates kept as strings sort wrongly ('2024-10-01' before '2024-9-30' unless zero padded),
    accept '2024-02-30', and cannot use date arithmetic or range indexes efficiently. (SQLite has no
    date type; there text in ISO 8601 is the convention, so the rule skips it.)""",
    bad="""
    Table orders {
      id int [pk]
      placed_at varchar(30) [not null]
    }
    """,
    good="""
    Table orders {
      id int [pk]
      placed_at timestamptz [not null]
    }
    """,
    dialects=TEXT_DATES,
    fix="unsafe",
    confidence="likely",
    default_reason="""A name that ends in `_at` or `_date` on a text column is a date nearly every time
    (SQLite, which has no date type, is left out).""",
)
def date_as_text(ctx: Context, table: Table) -> Iterator[Hit]:
    for column in table.columns:
        low = column.name.lower()
        if _base(column) not in STRING_TYPES or column.type.dims or column.enum is not None:
            continue
        args = column.type.args
        if args and args[0].strip().isdigit() and int(args[0]) < 8:
            continue  # too short for a date: a year or a code
        # not `_time` or `_on`: lead_time is a duration, depends_on a reference
        if low.endswith(("_at", "_timestamp")) or low == "timestamp":
            new = ENGINES[ctx.dialect].timestamp_tz_type
        elif low.endswith("_date") or low in ("date", "day", "birthday", "dob", "birth_date"):
            new = "date"
        else:
            continue
        yield _retype(ctx, table, column, f"'{column.name}' looks like a date or time but is {column.type.text}", new)


@rule(
    "T111",
    "uuid-as-text",
    severity="info",
    summary="UUID kept in a char(36)/varchar(36) column where the engine has a uuid type",
    rationale="""A native uuid (PostgreSQL `uuid`, SQL Server `uniqueidentifier`) takes 16 bytes instead
    of 36 or more, compares faster, keeps indexes smaller, and rejects malformed values.""",
    bad="""
    Table sessions {
      id char(36) [pk]
    }
    """,
    good="""
    Table sessions {
      id uuid [pk]
    }
    """,
    dialects=("postgres", "mssql"),
    fix="unsafe",
    confidence="likely",
    default_reason="""An id column of exactly 36 characters holds a UUID nearly every time.""",
)
def uuid_as_text(ctx: Context, table: Table) -> Iterator[Hit]:
    new = "uuid" if ctx.dialect == "postgres" else "uniqueidentifier"
    for column in table.columns:
        low = column.name.lower()
        base = _base(column)
        if base not in ("char", "varchar") or column.type.args != ("36",):
            continue
        if not (low in ("id", "uuid", "guid") or low.endswith(("_id", "_uuid", "_guid"))):
            continue
        yield _retype(ctx, table, column, f"'{column.name}' holds a UUID as {column.type.text}", new)


@rule(
    "T112",
    "time-as-integer",
    severity="warning",
    summary="Point in time stored as an integer (epoch seconds), or in MySQL's `timestamp`, which ends in 2038",
    rationale="""A moment kept as seconds since 1970 in an integer (`created bigint`, `date_creation int`)
    cannot be read without converting, compares with other times only after conversion, and says
    nothing about its unit or zone. In a 32-bit `int` it runs out on 19 January 2038, and so does
    MySQL's `timestamp` type. Use the engine's timestamp type (MySQL: `datetime`). A schema that keeps
    all its times one way is reported once.""",
    bad="""
    Table posts {
      id int [pk]
      created_at int [not null]
    }
    """,
    good="""
    Table posts {
      id int [pk]
      created_at timestamptz [not null]
    }
    """,
    dialects=("postgres", "mysql", "mssql", "oracle", "snowflake"),  # SQLite keeps integers in 64 bits
    scope=SCHEMA,
    fix="unsafe",
    confidence="likely",
    default_reason="""An integer column named like a moment (`created_at`, `date_creation`, `login_time`)
    and not like a duration or a count holds epoch seconds nearly every time; a 64-bit one is
    information.""",
)
def time_as_integer(ctx: Context, schema: Schema) -> Iterator[Hit]:
    found = ctx.per_table("epochs", lambda t: _epochs(ctx, t))
    yield from by_convention(
        ctx,
        found,
        lambda convention, n, tables: (
            f"{n} columns in {tables} tables keep points in time as {convention} (this "
            "is the first): the schema's convention; a timestamp type says what they hold, and reads and compares "
            "without converting"
        ),
    )


def _epochs(ctx: Context, table: Table) -> list[Occurrence]:
    out: list[Occurrence] = []
    target = ENGINES[ctx.dialect].timestamp_tz_type
    for column in table.columns:
        if column.pk or column.type.dims or deprecated(column):
            continue
        kind = family(column)
        if kind is Family.INTEGER and _moment_name(column.name):
            capacity = integer_capacity(column)
            if capacity is not None and capacity <= INTEGER_CAPACITY["int"]:
                message = (
                    f"'{column.name}' keeps a point in time as {column.type.text}: seconds since 1970 run out of a "
                    f"32-bit integer in January 2038; use {target}"
                )
                out.append((f"{column.type.text} seconds", column, _retype(ctx, table, column, message, target)))
            else:
                message = f"'{column.name}' may keep a point in time as {column.type.text} (epoch): use {target}"
                single = _retype(ctx, table, column, message, target, severity="info")
                out.append(("integer epochs", column, single))
        elif ctx.dialect == "mysql" and base_type(column) == "timestamp":
            message = f"'{column.name}' is a MySQL timestamp, which ends on 19 January 2038: use datetime"
            single = _retype(ctx, table, column, message, "datetime")
            out.append(("MySQL timestamp (it ends in 2038)", column, single))
    return out


@lru_cache(maxsize=65536)
def _moment_name(name: str) -> bool:
    """`created_at`, `date_creation`, `login_time`, `expires`: a moment, not a duration or a count."""
    parts = tokens(name)
    if not parts or set(parts) & DURATION_WORDS or parts[-1] in ("id", "key", "count", "ms"):
        return False
    if parts[-1] in ("at", "on", "timestamp", "ts", "datetime", "epoch") and len(parts) > 1:
        return True
    if parts[-1] in ("time", "date") and len(parts) > 1 and parts[0] in MOMENT_WORDS:
        return True
    if parts[0] == "date" and len(parts) > 1:
        return True  # date_creation, date_modified
    return len(parts) == 1 and parts[0] in MOMENT_ALONE
