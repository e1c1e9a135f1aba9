"""Which type changes can lose or alter values (rule M022).

A change is lossy when some value of the old type does not come back unchanged from the new one:
fewer digits or a smaller scale, a float made an integer, a timestamp made a date, text read as a
number or a boolean, a shorter varchar or char, a narrower integer. Such a change is refused like a
drop unless `--allow-destructive` is given; `--safe` writes it with a check that every value converts
exactly (see `render.py`). Types the rules do not know are not called lossy: no guessing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlglot import exp

from ..sqlread import SQLGLOT_ERRORS

if TYPE_CHECKING:
    from .diff import Change, Diff

T = exp.DataType.Type

INTEGERS = {T.TINYINT: 1, T.UTINYINT: 1, T.SMALLINT: 2, T.USMALLINT: 2, T.MEDIUMINT: 3, T.INT: 4, T.UINT: 4}
INTEGERS |= {T.BIGINT: 8, T.UBIGINT: 8}
FLOATS = {T.FLOAT: 4, T.DOUBLE: 8}
DECIMALS = {T.DECIMAL, T.BIGDECIMAL, T.MONEY, T.SMALLMONEY}
STRINGS = {T.TEXT, T.VARCHAR, T.CHAR, T.NCHAR, T.NVARCHAR, T.BPCHAR, T.MEDIUMTEXT, T.LONGTEXT, T.TINYTEXT}
TIMESTAMPS = {T.TIMESTAMP, T.TIMESTAMPTZ, T.TIMESTAMPLTZ, T.DATETIME, T.DATETIME64, T.TIMESTAMP_S, T.TIMESTAMP_MS}
WITH_ZONE = {T.TIMESTAMPTZ, T.TIMESTAMPLTZ}
DATES = {T.DATE, T.DATE32}
TIMES = {T.TIME, T.TIMETZ}


def lossy(old: exp.DataType | None, new: exp.DataType | None) -> str | None:
    """Why changing a column from `old` to `new` can lose or alter values, or None when it cannot (or
    when one of the types is not known to these rules)."""
    if old is None or new is None or old.this == T.USERDEFINED or new.this == T.USERDEFINED:
        return None
    a, b = old.this, new.this
    if b in STRINGS:
        return _to_string(old, new)
    if a in STRINGS:
        return f"text that does not read as {_name(new)} fails, and text that does may be rewritten ('007' to 7)"
    if b == T.BOOLEAN:
        return None if a == T.BOOLEAN else "every value becomes true or false"
    if a in INTEGERS and b in INTEGERS:
        return "values beyond its range no longer fit" if INTEGERS[b] < INTEGERS[a] else None
    if a in FLOATS and b in INTEGERS:
        return "fractions are rounded away (2.75 becomes 3)"
    if a in FLOATS and b in FLOATS:
        return "digits are rounded away" if FLOATS[b] < FLOATS[a] else None
    if a in FLOATS and b in DECIMALS:
        return "digits beyond the scale are rounded away"
    if a in DECIMALS and b in INTEGERS:
        scale = _params(old)[1:2]
        return None if scale == [0] else "fractions are rounded away (2.75 becomes 3)"
    if a in DECIMALS and b in DECIMALS:
        return _narrower_decimal(old, new)
    if a in DECIMALS and b in FLOATS:
        return "decimal digits beyond the float's precision are rounded"
    if a in INTEGERS and b in DECIMALS:
        params = _params(new)
        if not params:
            return None
        fraction = params[1] if len(params) > 1 else 0
        return "values beyond its precision no longer fit" if params[0] - fraction < _digits(a) else None
    if a in INTEGERS and b in FLOATS:
        return "large integers lose digits" if FLOATS[b] == 4 or INTEGERS[a] == 8 else None
    if a in TIMESTAMPS and b in DATES:
        return "the time of day is dropped"
    if a in TIMESTAMPS and b in TIMES:
        return "the date is dropped"
    if a in WITH_ZONE and b in TIMESTAMPS - WITH_ZONE:
        return "the time zone is dropped"
    if a in TIMESTAMPS | DATES | TIMES and (b in INTEGERS or b in FLOATS or b in DECIMALS):
        return "dates and times are not numbers"
    return None


def _to_string(old: exp.DataType, new: exp.DataType) -> str | None:
    length = _length(new)
    if length is None:
        return None
    if old.this in STRINGS:
        before = _length(old)
        if before is not None and before <= length:
            return None
        return f"values longer than {length} characters are cut or fail"
    return f"values written longer than {length} characters are cut or fail"


def _narrower_decimal(old: exp.DataType, new: exp.DataType) -> str | None:
    p_old, p_new = _params(old), _params(new)
    if not p_new:
        return None  # unbounded numeric holds every value
    if not p_old:
        return "digits beyond the new precision and scale are rounded away or fail"
    s_old = p_old[1] if len(p_old) > 1 else 0
    s_new = p_new[1] if len(p_new) > 1 else 0
    if s_new < s_old:
        return f"digits beyond scale {s_new} are rounded away (12.34 becomes {12.34:.{s_new}f})"
    if p_new[0] - s_new < p_old[0] - s_old:
        return "values with more integer digits no longer fit"
    return None


def _digits(integer: Any) -> int:  # an exp.DataType.Type
    return {1: 3, 2: 5, 3: 7, 4: 10, 8: 19}[INTEGERS[integer]]


def _length(datatype: exp.DataType) -> int | None:
    """The declared length of a string type, None when unbounded (text, varchar without a length);
    char without one is char(1)."""
    if datatype.this in (T.TEXT, T.MEDIUMTEXT, T.LONGTEXT):
        return None
    if datatype.this == T.TINYTEXT:
        return 255
    params = _params(datatype)
    if params:
        return params[0]
    return 1 if datatype.this in (T.CHAR, T.NCHAR) else None


def _params(datatype: exp.DataType) -> list[int]:
    out = []
    for p in datatype.expressions:
        value = p.this if isinstance(p, exp.DataTypeParam) else p
        try:
            out.append(int(str(value.this if isinstance(value, exp.Expression) else value)))
        except (TypeError, ValueError):
            return []  # varchar(max) and the like: unbounded
    return out


def _name(datatype: exp.DataType) -> str:
    return datatype.sql().lower()


def column_types(diff: Diff, change: Change) -> tuple[exp.DataType | None, exp.DataType | None]:
    """The old and new SQL types of the column a type change (`alter_type`) acts on, from the catalogs."""
    out = []
    column: Any  # the Column of either side (None when the change has no such side)
    for catalog, table, column in (
        (diff.old_catalog, change.old_table, change.old),
        (diff.new_catalog, change.new_table, change.new),
    ):
        coldef = catalog.column(table.key, column.name) if table is not None and column is not None else None
        out.append(coldef.args.get("kind") if coldef is not None else None)
    return out[0], out[1]


def change_reason(diff: Diff, change: Change) -> str | None:
    """Why the type change `change` of `diff` can lose or alter values, or None."""
    if change.kind != "alter_type":
        return None
    old, new = column_types(diff, change)
    return lossy(_known(old), _known(new))


def _known(datatype: exp.DataType | None) -> exp.DataType | None:
    """A type as these rules know it: some catalogs (SQLite's) keep the declared type as text."""
    if datatype is None or datatype.this != T.USERDEFINED:
        return datatype
    try:
        return exp.DataType.build(datatype.args["kind"].name, dialect="postgres")
    except (*SQLGLOT_ERRORS, ValueError):  # a type sqlglot cannot read
        return datatype


def sqlite_changed(column: exp.Column, new: exp.DataType) -> exp.Expression | exp.Condition:
    """On SQLite, whether a value of `column` does not fit the new declared type exactly. SQLite keeps
    what it cannot convert as it is (a type is an affinity), so a cast back and forth says nothing: the
    check reads the value as the new type would mean it (rounded to the scale, within the integer's
    range, a date without a time, at most so many characters, 0 or 1)."""
    new = _known(new) or new
    b = new.this
    col = column

    def text(e: exp.Expression) -> exp.Expression:
        return exp.Cast(this=e, to=exp.DataType.build("TEXT"))

    def differs(converted: exp.Expression) -> exp.Expression:
        # text compares as text ('007' is not '7'); numbers as numbers (3.0 is 3)
        is_text = exp.EQ(
            this=exp.Anonymous(this="typeof", expressions=[col.copy()]), expression=exp.Literal.string("text")
        )
        return exp.Case(
            ifs=[exp.If(this=is_text, true=exp.NullSafeNEQ(this=text(converted.copy()), expression=col.copy()))],
            default=exp.NullSafeNEQ(this=converted, expression=col.copy()),
        )

    if b in STRINGS:
        length = _length(new)
        if length is None:
            return exp.false()
        return exp.GT(this=exp.Length(this=col.copy()), expression=exp.Literal.number(length))
    if b == T.BOOLEAN:
        return exp.Not(
            this=exp.In(this=text(col.copy()), expressions=[exp.Literal.string("0"), exp.Literal.string("1")])
        )
    if b in INTEGERS:
        bits = 8 * INTEGERS[b] - 1
        whole = differs(exp.Cast(this=col.copy(), to=exp.DataType.build("INTEGER")))
        low, high = -(1 << bits), (1 << bits) - 1
        as_integer = exp.Cast(this=col.copy(), to=exp.DataType.build("INTEGER"))  # text compares as text
        out_of_range = exp.Not(
            this=exp.Between(this=as_integer, low=exp.Literal.number(low), high=exp.Literal.number(high))
        )
        return exp.or_(whole, out_of_range)
    if b in DECIMALS:
        params = _params(new)
        scale = (params + [0, 0])[1]
        rounded = differs(
            exp.Round(this=exp.Cast(this=col.copy(), to=exp.DataType.build("REAL")), decimals=exp.Literal.number(scale))
        )
        if not params:
            return rounded
        limit = exp.Literal.number(10 ** (params[0] - scale))
        return exp.or_(rounded, exp.GTE(this=exp.Abs(this=col.copy()), expression=limit))
    if b in FLOATS:
        return differs(exp.Cast(this=col.copy(), to=exp.DataType.build("REAL")))
    if b in DATES:
        as_date = exp.Anonymous(this="date", expressions=[col.copy()])
        return exp.or_(
            as_date.copy().is_(exp.null()),
            exp.NullSafeNEQ(
                this=exp.Anonymous(this="datetime", expressions=[col.copy()]),
                expression=exp.Anonymous(this="datetime", expressions=[as_date]),
            ),
        )
    if b in TIMES:
        return exp.NullSafeNEQ(this=exp.Anonymous(this="time", expressions=[col.copy()]), expression=col.copy())
    return exp.false()
