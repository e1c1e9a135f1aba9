"""Inlay hints and code lens data.

Hints: the cardinality after each relationship (`N:1`, with the relationship in words as tooltip),
and after a `~partial` the columns it brings into the table. Lenses: above each table, enum and
partial, how many times the project refers to it.
"""

from __future__ import annotations

from typing import NamedTuple

from ..model.schema import Table
from ..syntax import ast
from .index import FileView, block_names
from .words import describe_ref

SHORT_CARDINALITY = {">": "N:1", "<": "1:N", "-": "1:1", "<>": "N:M"}


class Hint(NamedTuple):
    offset: int  # where the hint goes (absolute code points)
    label: str
    kind: str  # "type" or "parameter"
    tooltip: str | None = None


def inlay_hints(view: FileView, start: int = 0, end: int | None = None) -> list[Hint]:
    end = len(view.text) if end is None else end
    out: list[Hint] = []
    schema = view.schema
    for ref in schema.refs:
        span = ref.span
        if span is None or span.file != view.path or not (start <= span.end_offset <= end):
            continue
        if ref.from_partial is not None:
            continue
        out.append(Hint(span.end_offset, SHORT_CARDINALITY[ref.op], "type", describe_ref(ref, schema)))
    for table in schema.tables:
        if table.span is None or table.span.file != view.path or not table.partials:
            continue
        if table.span.end_offset < start or table.span.start_offset > end:
            continue
        for name, offset in _injections(view, table):
            if not (start <= offset <= end):
                continue
            columns = [c.name for c in table.columns if c.from_partial == name]
            if columns:
                out.append(Hint(offset, ": " + ", ".join(columns), "type", f"columns injected from partial {name}"))
    out.sort(key=lambda h: h.offset)
    return out


def _injections(view: FileView, table: Table) -> list[tuple[str, int]]:
    """(partial name, end offset) of each `~partial` written in the table."""
    if table.span is None:
        return []
    entry = view.analysis.source.entry_at(table.span.start_offset)
    if entry is None or entry.parse.block is None:
        return []
    base = entry.anchor.offset
    return [
        (item.name.text, base + item.end) for item in entry.parse.block.items if isinstance(item, ast.PartialInjection)
    ]


class Lens(NamedTuple):
    start: int  # the element's name
    end: int
    kind: str
    name: str


def code_lenses(view: FileView) -> list[Lens]:
    """Where the reference-count lenses go: the tables, enums and partials defined in the file (read
    from each block's names, so a large file costs no full index)."""
    out = []
    for entry in view.analysis.source.entries:
        base = entry.anchor.offset
        for raw in block_names(entry).raws:
            if raw.role == "def" and raw.kind in ("table", "enum", "partial"):
                out.append(Lens(base + raw.start, base + raw.end, raw.kind, raw.name))
    return out
