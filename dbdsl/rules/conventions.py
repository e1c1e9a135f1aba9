"""Reporting a pattern once when it is the schema's convention, and per column when it is not.

A stand-in value or a type used in three tables or more is a convention the designers chose: one
finding that counts it says everything, where one per column would bury every other finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from ..model.schema import Column, Table
from .base import Hit, hit

if TYPE_CHECKING:
    from .engine import Context

CONVENTION_TABLES = 3  # tables that must follow a pattern before it is reported once for the schema

# (convention, column, the hit for that column alone)
Occurrence = tuple[str, Column, Hit]


def by_convention(
    ctx: Context,
    found: Iterable[tuple[Table, list[Occurrence]]],
    schema_message: Callable[[str, int, int], str],
) -> Iterator[Hit]:
    """The hits of patterns that one table or a few follow, and one hit (on the first occurrence in
    this file, as severe as the most severe occurrence) for a pattern the schema follows in
    `CONVENTION_TABLES` tables or more."""
    groups: dict[str, list[tuple[Table, Column, Hit]]] = {}
    for table, items in found:
        for convention, column, single in items:
            groups.setdefault(convention, []).append((table, column, single))
    for convention, members in groups.items():
        tables = {id(t) for t, _c, _h in members}
        mine = [i for i in members if i[2].span is not None and i[2].span.file == ctx.path]
        if len(tables) < CONVENTION_TABLES:
            yield from (single for _t, _c, single in mine)
            continue
        if mine:
            column = mine[0][1]
            levels = [h.severity for _t, _c, h in members]
            known = [s for s in levels if s is not None]
            severity = min(known, key=lambda s: s.rank) if len(known) == len(levels) else None
            place = column.name_span or column.span
            assert place is not None  # a column of a file has a place (its hit is in `mine`)
            yield hit(schema_message(convention, len(members), len(tables)), place, severity=severity)
