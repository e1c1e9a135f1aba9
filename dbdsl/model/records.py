"""Records values against their columns, as DBML reads them.

A value that does not fit its column (a word in an integer column, a string longer than `varchar(5)`)
is a warning where it stands, not an error: the official tools accept such files. Booleans may be
written `true`, `'t'`, `'yes'`, `1`, `'1'` and the like; an empty field (`2, , 3`) and `''` in a
column that is not a string are null. `fit` returns the value as the column stores it, so that later
stages (SQL, documents) see `true` where the file says `'yes'`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from .schema import Column, Enum, Literal
from .types import SERIAL_TYPES, value_family

TRUE_WORDS = frozenset({"true", "yes", "y", "t", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "f", "0"})
NULL = Literal("null", "null")

_DATE_FORMATS = ("%m/%d/%Y", "%d %b %Y", "%b %d, %Y")
_TIME_RE = re.compile(r"\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?")


def type_family(column: Column) -> str | None:
    """integer, decimal, boolean, string, datetime or None (a type DBML does not check)."""
    return value_family(column.type.name)


def fit(column: Column, value: Literal, enum: Enum | None) -> tuple[Literal, str | None]:
    """The value as `column` stores it, and why it does not fit (None when it fits)."""
    kind = value.kind
    if kind == "expression":
        return value, None
    family = type_family(column)
    if kind == "null" or (kind == "string" and value.value == "" and family != "string" and enum is None):
        return NULL, _null_problem(column)
    if enum is not None:
        text = value.value.rsplit(".", 1)[-1] if kind == "enum" else value.value
        if kind not in ("string", "enum") or text not in enum.value_names:
            return value, f"'{value.value}' is not a value of enum '{enum.qualified}'"
        return Literal("string", text), None
    if family == "integer" or family == "decimal":
        return _number(column, value, family)
    if family == "boolean":
        return _boolean(value)
    if family == "datetime":
        if kind != "string" or not _is_datetime(value.value):
            return value, f"{value.sql_text()} is not a date or time (such as '2024-01-15' or '10:30:00')"
        return value, None
    if family == "string":
        if kind == "enum":
            return value, f"expected a string, found {value.value}"
        return value, _length_problem(column, value.value)
    return value, None


def _null_problem(column: Column) -> str | None:
    if column.nullable or column.increment or column.type.name.lower() in SERIAL_TYPES:
        return None
    if column.default is not None and column.default.kind != "null":
        return None
    return "null in a column that is not null and has neither a default nor increment"


def _number(column: Column, value: Literal, family: str) -> tuple[Literal, str | None]:
    if value.kind != "number":
        return value, f"expected a number, found {value.sql_text()}"
    try:
        number = Decimal(value.value)
    except InvalidOperation:  # pragma: no cover - the lexer only makes numbers Decimal reads
        return value, f"expected a number, found {value.value}"
    if family == "integer":
        if number != number.to_integral_value():
            return value, f"expected an integer, found {value.value}"
        return Literal("number", str(int(number))), None
    args = column.type.args
    if args and args[0].isdigit():
        precision = int(args[0])
        scale = int(args[1]) if len(args) > 1 and args[1].isdigit() else 0
        digits = format(abs(number), "f")
        if "." in digits:
            digits = digits.rstrip("0").rstrip(".")
        whole, _, fraction = digits.partition(".")
        whole = whole.lstrip("0")
        if len(whole) + len(fraction) > precision:
            return value, f"{value.value} has more than {precision} digits"
        if len(fraction) > scale:
            return value, f"{value.value} has more than {scale} decimal digits"
    return value, None


def _boolean(value: Literal) -> tuple[Literal, str | None]:
    if value.kind == "boolean":
        return value, None
    if value.kind in ("number", "string"):
        word = value.value.lower()
        if word in TRUE_WORDS:
            return Literal("boolean", "true"), None
        if word in FALSE_WORDS:
            return Literal("boolean", "false"), None
    return value, f"expected true or false, found {value.sql_text()}"


def _length_problem(column: Column, text: str) -> str | None:
    args = column.type.args
    if not args or not args[0].isdigit():
        return None
    limit = int(args[0])
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        return f"'{text}' is {size} bytes long; the column holds at most {limit}"
    return None


def _is_datetime(text: str) -> bool:
    if _TIME_RE.fullmatch(text):
        return True
    for kind in (date, datetime, time):
        try:
            kind.fromisoformat(text.replace("Z", "+00:00"))
            return True
        except ValueError:
            pass
    for pattern in _DATE_FORMATS:
        try:
            datetime.strptime(text, pattern)
            return True
        except ValueError:
            pass
    return False
