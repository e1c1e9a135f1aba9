"""T: column types: money, text lengths, time zones, defaults, engine-specific types."""

from __future__ import annotations

import re

from ..dialects import DISPLAY_NAME
from ..model.schema import Column, Table
from . import fixes
from .base import DIALECTS, hit, rule
from .dialects import (
    ARRAY_DIALECTS,
    BOOLEAN_TYPE,
    BOOLEAN_TYPES,
    DECIMAL_MAX_PRECISION,
    DECIMAL_TYPE,
    FLOAT_TYPES,
    FOREIGN_TYPES,
    INTEGER_TYPES,
    STRING_TYPES,
    TIMESTAMP_TZ_TYPE,
    VARCHAR_MAX,
    VARCHAR_TYPES,
    canonical_type,
)
from .exprs import columns_in
from .indexes import _rows_per_month
from .words import tokens

MONEY_WORDS = {
    "price",
    "amount",
    "total",
    "subtotal",
    "cost",
    "balance",
    "fee",
    "fees",
    "salary",
    "wage",
    "tax",
    "revenue",
    "payment",
    "charge",
    "refund",
    "discount",
    "budget",
    "income",
    "expense",
    "credit",
    "debit",
    "money",
    "paid",
    "due",
}
NOT_MONEY = {"percent", "percentage", "rate", "ratio", "count", "quantity", "qty", "weight", "score", "pct"}
ADDRESS_WORDS = {"city", "zip", "zip_code", "postal_code", "postcode", "country", "country_code", "street"}
BOOLEAN_PREFIXES = ("is_", "has_", "can_", "should_", "allow_", "allows_", "needs_", "was_")
ARGS_KEPT = {"varchar", "char", "numeric", "decimal", "nvarchar", "nvarchar2", "varchar2", "number"}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
TEXT_DATES = tuple(d for d in DIALECTS if d != "sqlite")


def _editable(table: Table, column: Column) -> bool:
    return fixes.editable_column(table, column)


def _retype(table: Table, column: Column, message: str, new_type: str):
    span = column.type_span or column.span
    if _editable(table, column):
        return hit(message, span, fixes.fix(f"Use {new_type}", fixes.replace_type(column, new_type)))
    return hit(message, span)


def _base(column: Column) -> str:
    return canonical_type(column.type.name)


@rule(
    "T101",
    "money-in-float",
    severity="warning",
    summary="Money kept in a floating-point type (or PostgreSQL `money`)",
    rationale="""Binary floating point cannot represent most decimal fractions: 0.1 + 0.2 is not 0.3, sums
    drift by cents and comparisons fail. PostgreSQL's `money` depends on the server's locale setting.
    Amounts belong in an exact decimal type such as decimal(12,2).""",
    bad="""
    Table orders {
      id int [pk]
      total float [not null]
    }
    """,
    good="""
    Table orders {
      id int [pk]
      total decimal(12,2) [not null]
    }
    """,
    fix="unsafe",
)
def money_in_float(ctx, table: Table):
    decimal = DECIMAL_TYPE[ctx.dialect]
    for column in table.columns:
        base = _base(column)
        words = set(tokens(column.name))
        if column.type.dims:
            continue
        if base == "money" and ctx.dialect == "postgres":
            yield _retype(table, column, f"'{column.name}' uses `money`, whose format depends on the locale", decimal)
        elif base in FLOAT_TYPES and words & MONEY_WORDS and not words & NOT_MONEY:
            yield _retype(
                table,
                column,
                f"'{column.name}' looks like money but is {column.type.text}: floating point cannot hold cents exactly",
                decimal,
            )


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
def varchar_without_length(ctx, table: Table):
    for column in table.columns:
        if _base(column) in VARCHAR_TYPES and column.type.args is None and column.enum is None:
            name = "varchar2" if ctx.dialect == "oracle" else column.type.name.lower()
            why = "is read as varchar(1)" if ctx.dialect == "mssql" else "needs a length"
            yield _retype(
                table,
                column,
                f"'{column.name}' is varchar without a length, which {why} in {DISPLAY_NAME[ctx.dialect]}",
                f"{name}(255)",
            )


@rule(
    "T103",
    "status-as-free-text",
    severity="warning",
    summary="Status column kept as free text (no enum, no CHECK)",
    rationale="""A status or state has a closed set of values that the application switches on. As free
    text it accepts typos and casing variants ('Shipped', 'shiped') that no query expects. Use an
    enum, a CHECK listing the values, or a reference to a lookup table.""",
    bad="""
    Table orders {
      id int [pk]
      status varchar(20) [not null]
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
      status order_status [not null]
    }
    """,
)
def status_as_text(ctx, table: Table):
    lower_names = {c.name.lower() for c in table.columns}
    fk = {c for r in ctx.refs_from(table) for c in r.fk_side.columns}
    checks = ctx.facts(table).checks
    for column in table.columns:
        words = tokens(column.name)
        if not words or words[-1] not in ("status", "state") or column.enum is not None:
            continue
        if _base(column) not in STRING_TYPES or column.name in fk:
            continue
        if words[-1] == "state" and lower_names & ADDRESS_WORDS:
            continue  # a state of an address
        if any(column.name.lower() in (columns_in(t, ctx.dialect) or ()) for t in checks):
            continue
        yield hit(
            f"'{column.name}' likely has a fixed set of values but is free text: use an enum or a CHECK",
            column.name_span or column.span,
        )


@rule(
    "T104",
    "timestamp-without-time-zone",
    severity="warning",
    summary="`timestamp` without time zone in PostgreSQL",
    rationale="""A `timestamp` without time zone stores wall-clock time with no zone: the same instant
    written from servers or sessions in different zones reads differently, and daylight-saving
    changes make times ambiguous. `timestamptz` stores an instant (in UTC) and converts on output.""",
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
    fix="unsafe",
)
def timestamp_without_tz(ctx, table: Table):
    for column in table.columns:
        if _base(column) == "timestamp" and not column.type.dims:
            new = "timestamptz" if not column.type.args else f"timestamptz({column.type.args[0]})"
            yield _retype(table, column, f"'{column.name}' is a timestamp without time zone", new)


def _default_problem(ctx, column: Column) -> str | None:
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
    elif base in ("date", "timestamp", "timestamptz", "datetime") and kind in ("number", "boolean"):
        return f"{value} is not a {base}"
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
def default_mismatch(ctx, table: Table):
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
def size_out_of_range(ctx, table: Table):
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
            limit = VARCHAR_MAX.get(ctx.dialect)
            if numbers[0] < 1:
                problem = f"a length of {numbers[0]} is not allowed"
            elif limit and numbers[0] > limit:
                problem = f"{DISPLAY_NAME[ctx.dialect]} allows at most {limit}"
        elif base in ("decimal", "number"):
            limit = DECIMAL_MAX_PRECISION.get(ctx.dialect)
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
    Table events {
      id int [pk]
      happened_at datetime [not null]
    }
    """,
    good="""
    Table events {
      id int [pk]
      happened_at timestamptz [not null]
    }
    """,
    fix="unsafe",
)
def foreign_type(ctx, table: Table):
    mapping = FOREIGN_TYPES.get(ctx.dialect, {})
    engine = DISPLAY_NAME[ctx.dialect]
    for column in table.columns:
        if column.enum is not None:
            continue
        if column.type.dims and ctx.dialect not in ARRAY_DIALECTS:
            yield hit(f"'{column.name}' is an array, which {engine} does not have", column.type_span or column.span)
            continue
        base = " ".join(column.type.name.lower().split())
        if base not in mapping:
            continue
        replacement = mapping[base]
        message = f"'{column.name}' is {column.type.name}, which is not a {engine} type"
        if replacement is None:
            yield hit(message, column.type_span or column.span)
            continue
        if "(" not in replacement and column.type.args and replacement.split()[0] in ARGS_KEPT:
            replacement += "(" + ", ".join(column.type.args) + ")"
        replacement += "".join(column.type.dims)
        yield _retype(table, column, message + f" (use {replacement})", replacement)


@rule(
    "T108",
    "boolean-as-number",
    severity="info",
    summary="Yes/no column (is_*, has_*) stored as a number or a character",
    rationale="""A flag kept as int or char(1) accepts 2, -1 or 'x', and every reader must know the
    convention. The engine's boolean type (bit in SQL Server) says what the column means and
    accepts only true and false.""",
    bad="""
    Table users {
      id int [pk]
      is_admin int [not null, default: 0]
    }
    """,
    good="""
    Table users {
      id int [pk]
      is_admin boolean [not null, default: false]
    }
    """,
    dialects=("postgres", "mysql", "sqlite", "mssql", "snowflake"),
    fix="unsafe",
)
def boolean_as_number(ctx, table: Table):
    target = BOOLEAN_TYPE[ctx.dialect]
    for column in table.columns:
        low = column.name.lower()
        if not (low.startswith(BOOLEAN_PREFIXES) or low.endswith("_flag")):
            continue
        base = _base(column)
        char1 = base == "char" and column.type.args in (("1",), None)
        if not (base in INTEGER_TYPES or char1) or column.type.dims or column.pk:
            continue
        if ctx.dialect == "mysql" and base == "tinyint":
            continue  # MySQL's boolean is tinyint(1)
        message = f"'{column.name}' is a yes/no flag stored as {column.type.text}"
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


def _projected_rows(table: Table) -> float:
    rows = _rows_per_month((table.setting("rows").value or "") if table.setting("rows") else "")
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
    summary="32-bit integer key on a table expected to pass a billion rows",
    rationale="""An `int` key stops at 2,147,483,647. When the table's `rows` and `growth` facts project
    more than a billion rows within five years (ids are also burnt by rollbacks and deletes), the key
    will run out in production, and widening it then rewrites the table and every referencing one.""",
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
def int_key_overflow(ctx, table: Table):
    if not table.setting("rows") and not table.setting("growth"):
        return
    projected = _projected_rows(table)
    if projected < 1e9:
        return
    for name in table.primary_key:
        column = table.column(name)
        if column is None or _base(column) not in ("int", "smallint", "mediumint"):
            continue
        yield _retype(
            table,
            column,
            f"'{column.name}' is {column.type.text} but the table is projected to reach "
            f"{projected / 1e9:.1f} billion rows in five years",
            "bigint",
        )


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
)
def date_as_text(ctx, table: Table):
    for column in table.columns:
        low = column.name.lower()
        if _base(column) not in STRING_TYPES or column.type.dims or column.enum is not None:
            continue
        # not `_time` or `_on`: lead_time is a duration, depends_on a reference
        if low.endswith(("_at", "_timestamp")) or low == "timestamp":
            new = TIMESTAMP_TZ_TYPE[ctx.dialect]
        elif low.endswith("_date") or low in ("date", "birthday", "dob", "birth_date"):
            new = "date"
        else:
            continue
        yield _retype(table, column, f"'{column.name}' looks like a date or time but is {column.type.text}", new)


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
)
def uuid_as_text(ctx, table: Table):
    new = "uuid" if ctx.dialect == "postgres" else "uniqueidentifier"
    for column in table.columns:
        low = column.name.lower()
        base = _base(column)
        if base not in ("char", "varchar") or column.type.args != ("36",):
            continue
        if not (low in ("id", "uuid", "guid") or low.endswith(("_id", "_uuid", "_guid"))):
            continue
        yield _retype(table, column, f"'{column.name}' holds a UUID as {column.type.text}", new)
