"""The value of a table's `partition_by` setting, read into a `PartitionSpec`.

    range (placed_at), monthly        range partitions of one month (also daily, yearly; `by month`...)
    range (placed_at)                 range partitioning without a period: only the DEFAULT partition
    list (region): eu, us, apac       one partition per value (and a DEFAULT one)
    list (status)                     on an enum column: one partition per enum value
    hash (customer_id), 8 partitions  eight hash partitions (`hash (id), 8` too)

The grammar is small on purpose: the settings checker reports anything else as an invalid value (E109)
with these forms, so a typo never silently leaves a table unpartitioned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

METHODS = ("range", "list", "hash")
PERIODS = {
    "day": "day",
    "daily": "day",
    "days": "day",
    "month": "month",
    "monthly": "month",
    "months": "month",
    "year": "year",
    "yearly": "year",
    "years": "year",
    "annual": "year",
}
FORMS = "'range (column), monthly' (or daily, yearly), 'list (column): a, b' or 'hash (column), 8 partitions'"

_HEAD = re.compile(r"^\s*(\w+)\s*\(([^()]*)\)\s*(.*?)\s*$", re.S)
_NAME = re.compile(r'^(?:"[^"]+"|[A-Za-z_][\w$]*)$')


@dataclass(frozen=True)
class PartitionSpec:
    method: str  # range, list, hash
    columns: tuple[str, ...]
    period: str | None = None  # range: day, month or year
    count: int | None = None  # hash: the number of partitions
    values: tuple[str, ...] = ()  # list: one partition per value, as written

    def describe(self) -> str:
        text = f"{self.method} ({', '.join(self.columns)})"
        if self.period:
            text += f", one partition per {self.period}"
        if self.count:
            text += f", {self.count} partitions"
        if self.values:
            text += ": " + ", ".join(self.values)
        return text


def parse_partition(text: str) -> PartitionSpec | str:
    """The spec, or a message saying what is wrong (the value of an E109)."""
    m = _HEAD.match(text or "")
    if m is None:
        return f"'partition_by' takes {FORMS}"
    method = m.group(1).lower()
    if method not in METHODS:
        return f"unknown partitioning method '{m.group(1)}': use range, list or hash, as in {FORMS}"
    columns = tuple(c.strip().strip('"') for c in m.group(2).split(",") if c.strip())
    if not columns or not all(_NAME.match(c.strip()) for c in m.group(2).split(",")):
        return f"'partition_by' names its columns in parentheses, as in {FORMS}"
    rest = m.group(3)
    if method == "range":
        if not rest:
            return PartitionSpec(method, columns)
        word = re.sub(r"^[,\s]*(?:by|per|every|one per)?\s*", "", rest.lower()).strip()
        period = PERIODS.get(word)
        if period is None:
            return f"range partitions are made per day, month or year ('{rest.strip(', ')}' is none of them)"
        if len(columns) != 1:
            return "range partitions per period take exactly one column (a date or timestamp)"
        return PartitionSpec(method, columns, period=period)
    if method == "hash":
        n = re.fullmatch(r"[,\s]*(?:partitions\s*)?(\d+)\s*(?:partitions?)?", rest.lower())
        if n is None or int(n.group(1)) < 2:
            return "hash partitioning needs the number of partitions (2 or more), as in 'hash (id), 8 partitions'"
        return PartitionSpec(method, columns, count=int(n.group(1)))
    if len(columns) != 1:
        return "list partitioning takes one column"
    if not rest:
        return PartitionSpec(method, columns)
    listed = re.fullmatch(r"(?::|values\b|in\b)\s*\(?(.*?)\)?", rest, flags=re.I | re.S)
    values = tuple(v.strip().strip("'\"") for v in listed.group(1).split(",")) if listed else ()
    if not values or not all(values):
        return f"list partitions name their values after a colon, as in {FORMS}"
    if len(set(values)) != len(values):
        return "a list partition value is given twice"
    return PartitionSpec(method, columns, values=values)
