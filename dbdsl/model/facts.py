"""Reading the design facts people write as settings: `rows: '2M'`, `growth: '40k/month'`,
`rpo: '5 minutes'`, `frequency: '2000/min'`, `target: '20ms'`; and a row-size estimate per table."""

from __future__ import annotations

import re

from .schema import Column, Schema, Table

SUFFIX = {"": 1, "k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12}
SECONDS = {
    "ms": 0.001,
    "millisecond": 0.001,
    "s": 1,
    "sec": 1,
    "second": 1,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
    "week": 7 * 86400,
    "month": 30 * 86400,
    "year": 365 * 86400,
    "y": 365 * 86400,
}
NUMBER = r"(\d+(?:[.,]\d+)?)\s*([kKmMbBgGtT]?)\b"


def count(text: str | None) -> float | None:
    """`'2M'` -> 2e6, `'50k'` -> 5e4, `'1,200'` -> 1200."""
    if not text:
        return None
    m = re.search(NUMBER, text.replace(",", ""))
    if m is None:
        return None
    return float(m.group(1)) * SUFFIX[m.group(2).lower()]


def duration(text: str | None) -> float | None:
    """Seconds: `'5 minutes'` -> 300, `'20ms'` -> 0.02, `'7 years'` -> 220752000."""
    if not text:
        return None
    m = re.search(r"(\d+(?:\.\d+)?)\s*([a-zA-Z]+)", text)
    if m is None:
        return None
    unit = _unit(m.group(2))
    return float(m.group(1)) * SECONDS[unit] if unit else None


def rate(text: str | None) -> float | None:
    """Per second: `'2000/min'` -> 33.3, `'300 orders/min'` -> 5, `'3000/s'` -> 3000."""
    if not text:
        return None
    m = re.search(NUMBER + r"[^/]*/\s*([a-zA-Z]+)", text.replace(",", ""))
    if m is None:
        return None
    unit = _unit(m.group(3))
    if unit is None:
        return None
    return float(m.group(1)) * SUFFIX[m.group(2).lower()] / SECONDS[unit]


def _unit(word: str) -> str | None:
    word = word.lower()
    for candidate in (word, word.rstrip("s"), word[:-2] if word.endswith("es") else word):
        if candidate in SECONDS:
            return candidate
    return None


def human(n: float) -> str:
    """2480000 -> '2.48M'."""
    for suffix, size in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= size:
            return f"{n / size:.3g}{suffix}"
    return f"{n:.3g}"


def human_bytes(n: float) -> str:
    for suffix, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.3g} {suffix}"
    return f"{n:.0f} B"


def human_duration(seconds: float) -> str:
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            value = seconds / size
            return f"{value:.3g} {unit if value != 1 else unit[:-1]}"
    return f"{seconds:.3g} s"


def setting(table: Table | None, schema: Schema, key: str) -> str | None:
    """A table's design fact, else the Project's."""
    if table is not None and (s := table.setting(key)) is not None:
        return s.value or ""
    if schema.project is not None and (s := schema.project.setting(key)) is not None:
        return s.value or ""
    return None


def column_bytes(column: Column) -> int:
    """A typical stored size of one value (PostgreSQL's storage, average fill for variable text)."""
    name = column.type.name.lower()
    args = column.type.args or ()
    if column.type.dims:
        return 60
    fixed = {
        "smallint": 2,
        "int2": 2,
        "int": 4,
        "integer": 4,
        "int4": 4,
        "serial": 4,
        "bigint": 8,
        "int8": 8,
        "bigserial": 8,
        "real": 4,
        "float": 8,
        "double": 8,
        "double precision": 8,
        "boolean": 1,
        "bool": 1,
        "date": 4,
        "timestamp": 8,
        "timestamptz": 8,
        "datetime": 8,
        "time": 8,
        "uuid": 16,
        "json": 200,
        "jsonb": 200,
        "text": 120,
        "bytea": 200,
        "inet": 8,
    }
    if name in fixed:
        return fixed[name]
    if name in ("varchar", "character varying", "nvarchar") and args:
        return _int(args[0], 255) // 3 + 1
    if name in ("char", "character", "nchar") and args:
        return _int(args[0], 1) + 1
    if name in ("decimal", "numeric") and args:
        return 5 + _int(args[0], 10) // 2
    return 16  # enums and everything else


def row_bytes(table: Table) -> int:
    return 24 + sum(column_bytes(c) for c in table.columns)  # tuple header + values


def index_bytes(table: Table) -> int:
    """Bytes each row adds to the table's keys and indexes: per index its key columns (an expression
    counted as 8) and an index tuple's header and pointer (16)."""
    keys: list[tuple[str, ...]] = []
    if table.primary_key:
        keys.append(table.primary_key)
    keys.extend((c.name,) for c in table.columns if c.unique and (c.name,) != table.primary_key)
    keys.extend(tuple(k.value if k.kind == "column" else "" for k in i.keys) for i in table.indexes if not i.pk)
    total = 0
    for key in keys:
        columns = [table.column(c) for c in key]
        total += 16 + sum(column_bytes(c) if c is not None else 8 for c in columns)
    return total


def bytes_per_second(text: str | None) -> float | None:
    """`'200 MB/s'` -> 2e8."""
    if not text:
        return None
    m = re.search(r"(\d+(?:\.\d+)?)\s*([kmgt]?)i?b\s*/\s*([a-z]+)", text.lower())
    if m is None:
        return None
    unit = _unit(m.group(3))
    if unit is None:
        return None
    return float(m.group(1)) * SUFFIX[m.group(2)] / SECONDS[unit]


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default
