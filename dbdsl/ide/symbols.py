"""What a name in the source stands for: symbols (definitions) and occurrences (uses and definitions).

A `Symbol` is identified by its kind, its file and where its element's name starts in that file, so
the same table seen from two files (one importing the other) is one symbol. Offsets are absolute code
points in the file, valid for the texts the analysis was made from.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.schema import Column, Enum, EnumValue, Query, StickyNote, Table, TableGroup, TablePartial
from ..model.spans import Span
from ..syntax.scan import name_tokens

KINDS = ("table", "column", "enum", "enum_value", "partial", "alias", "group", "query", "note")
KIND_WORDS = {
    "table": "table",
    "column": "column",
    "enum": "enum",
    "enum_value": "enum value",
    "partial": "table partial",
    "alias": "alias",
    "group": "table group",
    "query": "query",
    "note": "sticky note",
}


@dataclass(frozen=True, eq=False)
class Symbol:
    kind: str
    name: str
    file: str
    start: int  # the definition's name (its last part, quotes included), absolute code points
    end: int
    key_start: int  # identity: where the element's name span starts
    container: str | None = None  # the table, partial or enum a column or value belongs to
    element: object = None  # the model element, for hovers

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.kind, self.file, self.key_start)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Symbol) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def label(self) -> str:
        return f"{self.container}.{self.name}" if self.container and self.kind == "column" else self.name


@dataclass(frozen=True)
class Occurrence:
    """A name in one file: a definition (`role == 'def'`) or a use (`'ref'`) of `symbol` (None when
    it resolves to nothing). `via_alias` marks a table named through its alias; `in_sql` a name inside
    a Query's SQL."""

    file: str
    start: int
    end: int
    kind: str
    role: str
    name: str
    symbol: Symbol | None
    via_alias: bool = False
    in_sql: bool = False

    def contains(self, offset: int) -> bool:
        return self.start <= offset <= self.end


def last_name_range(span: Span) -> tuple[int, int]:
    """Absolute range of the last name in a (possibly dotted, possibly quoted) name span."""
    tokens = name_tokens(span.text)
    if not tokens:
        return span.start_offset, span.end_offset
    last = tokens[-1]
    return span.start_offset + last.start, span.start_offset + last.end


def first_name_range(span: Span) -> tuple[int, int]:
    tokens = name_tokens(span.text)
    if not tokens:
        return span.start_offset, span.end_offset
    first = tokens[0]
    return span.start_offset + first.start, span.start_offset + first.end


def table_symbol(table: Table) -> Symbol | None:
    if table.name_span is None:
        return None
    start, end = last_name_range(table.name_span)
    return Symbol("table", table.name, table.name_span.file, start, end, table.name_span.start_offset, None, table)


def alias_symbol(table: Table) -> Symbol | None:
    """The alias of a table, defined in its header (`Table users as U`)."""
    if table.alias is None or table.span is None or table.name_span is None:
        return None
    header = table.span.text[: (table.body.open.start if table.body is not None else len(table.span.text))]
    tokens = name_tokens(header)
    for i, tok in enumerate(tokens[:-1]):
        if tok.text.lower() == "as" and tok.kind == "WORD" and tokens[i + 1].name == table.alias:
            base = table.span.start_offset
            nxt = tokens[i + 1]
            return Symbol(
                "alias", table.alias, table.span.file, base + nxt.start, base + nxt.end, table.name_span.start_offset
            )
    return None


def column_symbol(column: Column, container: str) -> Symbol | None:
    span = column.name_span
    if span is None:
        return None
    return Symbol(
        "column", column.name, span.file, span.start_offset, span.end_offset, span.start_offset, container, column
    )


def enum_symbol(enum: Enum) -> Symbol | None:
    if enum.name_span is None:
        return None
    start, end = last_name_range(enum.name_span)
    return Symbol("enum", enum.name, enum.name_span.file, start, end, enum.name_span.start_offset, None, enum)


def enum_value_symbol(value: EnumValue, enum: Enum) -> Symbol | None:
    if value.span is None:
        return None
    start, end = first_name_range(value.span)
    return Symbol("enum_value", value.name, value.span.file, start, end, value.span.start_offset, enum.qualified, value)


def partial_symbol(partial: TablePartial) -> Symbol | None:
    if partial.name_span is None:
        return None
    span = partial.name_span
    return Symbol(
        "partial", partial.name, span.file, span.start_offset, span.end_offset, span.start_offset, None, partial
    )


def group_symbol(group: TableGroup) -> Symbol | None:
    if group.name_span is None:
        return None
    start, end = last_name_range(group.name_span)
    return Symbol("group", group.name, group.name_span.file, start, end, group.name_span.start_offset, None, group)


def query_symbol(query: Query) -> Symbol | None:
    if query.name_span is None:
        return None
    start, end = last_name_range(query.name_span)
    return Symbol("query", query.name, query.name_span.file, start, end, query.name_span.start_offset, None, query)


def note_symbol(note: StickyNote) -> Symbol | None:
    if note.span is None:
        return None
    tokens = name_tokens(note.span.text)
    if len(tokens) < 2:
        return None
    base = note.span.start_offset
    name = tokens[1]
    return Symbol(
        "note", note.name, note.span.file, base + name.start, base + name.end, note.span.start_offset, None, note
    )
