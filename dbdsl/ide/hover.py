"""Hover content, in Markdown: what a table, column, relationship, enum, partial, group or query is.

A table shows its note, its columns, its relationships in words and a text diagram of its
neighbourhood; with `images`, also an SVG rendered by Graphviz (when it is installed).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import NamedTuple

from ..emit.erd import svg_or_none, text_diagram
from ..findings import Finding
from ..model.schema import Column, Endpoint, Enum, Index, Query, Ref, Schema, Table, TableGroup, TablePartial
from .index import FileView
from .symbols import Symbol
from .words import cardinality, describe_ref


class Hover(NamedTuple):
    markdown: str
    start: int  # the hovered range, absolute code points
    end: int


def hover(view: FileView, offset: int, findings: Sequence[Finding] = (), *, images: bool = False) -> Hover | None:
    occ = view.occurrence_at(offset)
    if occ is not None and occ.symbol is not None:
        text = symbol_markdown(view, occ.symbol, findings, images=images)
        if text:
            return Hover(text, occ.start, occ.end)
    ref = ref_at(view, offset)
    if ref is not None and ref.span is not None:
        return Hover(ref_markdown(ref, view.schema), ref.span.start_offset, ref.span.end_offset)
    return None


def ref_at(view: FileView, offset: int) -> Ref | None:
    """The relationship written at `offset`: an inline `ref:` setting, a relation of a `Ref` block, or
    the `Ref` keyword of a block that holds one relation."""
    start = end = offset
    entry = view.analysis.source.entry_at(offset)
    block = entry.parse.block if entry is not None else None
    if entry is not None and block is not None and block.kind == "ref" and len(block.items) == 1:
        start, end = entry.anchor.offset + block.items[0].start, entry.anchor.offset + block.items[0].end
    best: Ref | None = None
    best_length = 0
    for ref in view.schema.refs:
        span = ref.span
        if span is None or span.file != view.path:
            continue
        length = span.end_offset - span.start_offset
        if span.start_offset <= start and end <= span.end_offset and (best is None or length < best_length):
            best, best_length = ref, length
    return best


def symbol_markdown(view: FileView, symbol: Symbol, findings: Sequence[Finding] = (), *, images: bool = False) -> str:
    el = symbol.element
    schema = view.schema
    if symbol.kind in ("table", "alias"):
        table = el if isinstance(el, Table) else _table_of_alias(schema, symbol)
        return table_markdown(table, view, images=images) if table is not None else ""
    if symbol.kind == "column" and isinstance(el, Column):
        return column_markdown(el, symbol.container or "", schema, findings)
    if symbol.kind == "enum" and isinstance(el, Enum):
        return enum_markdown(el, schema)
    if symbol.kind == "enum_value":
        note = getattr(el, "note", None)
        out = f"**Enum value** `{symbol.name}` of `{symbol.container}`"
        return out + (f"\n\n{note}" if note else "")
    if symbol.kind == "partial" and isinstance(el, TablePartial):
        return partial_markdown(el, schema)
    if symbol.kind == "group" and isinstance(el, TableGroup):
        return group_markdown(el)
    if symbol.kind == "query" and isinstance(el, Query):
        return query_markdown(el)
    if symbol.kind == "note":
        return f"**Sticky note** `{symbol.name}`\n\n{getattr(el, 'text', '')}"
    return ""


def _table_of_alias(schema: Schema, symbol: Symbol) -> Table | None:
    table, via_alias = schema.find_table((symbol.name,))
    return table if via_alias else None


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}"


def constraints(column: Column) -> list[str]:
    out = []
    if column.pk:
        out.append("pk")
    if column.increment:
        out.append("increment")
    if column.not_null and not column.pk:
        out.append("not null")
    if column.unique:
        out.append("unique")
    out.extend(f"check {_code(c.expression)}" for c in column.checks)
    return out


MAX_LISTED_REFS = 20
MAX_ERD_NEIGHBOURS = 12


def table_markdown(table: Table, view: FileView, *, images: bool = False) -> str:
    schema = view.schema
    head = f"**Table** `{table.qualified}`"
    if table.alias:
        head += f" (alias `{table.alias}`)"
    parts = [head]
    if table.note:
        parts.append(table.note)
    rows = ["| Column | Type | Constraints | Default | Note |", "|---|---|---|---|---|"]
    for c in table.columns:
        default = _code(c.default.sql_text()) if c.default is not None else ""
        name = c.name + (f" *(from ~{c.from_partial})*" if c.from_partial else "")
        rows.append(
            f"| {_cell(name)} | {_cell(c.type.text)} | {_cell(', '.join(constraints(c)))} | "
            f"{_cell(default)} | {_cell(c.note)} |"
        )
    parts.append("\n".join(rows))
    refs = [schema.refs[i] for i in view.refs_by_table().get(table.key, [])]
    if refs:
        lines = ["**Relationships**"]
        for ref in refs[:MAX_LISTED_REFS]:
            lines.append(f"- `{_ref_text(ref)}`: {describe_ref(ref, schema)}")
        if len(refs) > MAX_LISTED_REFS:
            lines.append(f"- … and {len(refs) - MAX_LISTED_REFS} more")
        parts.append("\n".join(lines))
    if table.indexes:
        parts.append("**Indexes**\n" + "\n".join(f"- {index_text(i)}" for i in table.indexes))
    parts.extend(_diagrams(table, view, images))
    return "\n\n".join(parts)


def _diagrams(table: Table, view: FileView, images: bool) -> list[str]:
    """The text ERD of the table's neighbourhood (and the SVG one), when the neighbourhood is small
    enough to read in a hover."""
    neighbourhood = _neighbourhood(table, view)
    if neighbourhood is None:
        count = len({k for i in view.refs_by_table()[table.key] for k in _ends(view.schema.refs[i])} - {table.key})
        return [f"*The diagram is left out: `{table.qualified}` is related to {count} tables.*"]
    out = []
    key = ("erd", table.key)
    if key not in view.cache:
        view.cache[key] = text_diagram(neighbourhood, focus=table.key, depth=1)
    if view.cache[key]:
        out.append(f"```text\n{view.cache[key].rstrip()}\n```")
    if images:
        key = ("svg", table.key)
        if key not in view.cache:
            view.cache[key] = svg_or_none(neighbourhood, table.key)
        if view.cache[key]:
            out.append(f"![ERD of {table.qualified}]({_svg_data_uri(view.cache[key])})")
    return out


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _ends(ref: Ref) -> tuple[tuple[str, str], tuple[str, str]]:
    return ref.left.table_key, ref.right.table_key


def _neighbourhood(table: Table, view: FileView) -> Schema | None:
    """A schema that holds what the diagram of `table` and its direct neighbours needs: those tables,
    the relationships among them, and the relationships that mark their foreign keys (with the tables
    at the other end). None when the table has more than MAX_ERD_NEIGHBOURS neighbours."""
    schema = view.schema
    by_table = view.refs_by_table()
    around = by_table.get(table.key, [])
    shown = {table.key}
    for i in around:
        shown.update(_ends(schema.refs[i]))
    if len(shown) - 1 > MAX_ERD_NEIGHBOURS:
        return None
    chosen = set(around)
    for key in shown:
        for i in by_table.get(key, []):
            ref = schema.refs[i]
            if ref.fk_side.table_key in shown or ref.many_to_many:
                chosen.add(i)
    refs = [schema.refs[i] for i in sorted(chosen)]
    members = shown | {k for ref in refs for k in _ends(ref)}
    tables = tuple(t for t in schema.tables if t.key in members)
    return Schema(tables=tables, refs=tuple(refs), enums=schema.enums, project=schema.project)


def index_text(index: Index) -> str:
    keys = ", ".join(k.value if k.kind == "column" else f"`{k.value}`" for k in index.keys)
    words = []
    if index.pk:
        words.append("primary key")
    if index.unique:
        words.append("unique")
    if index.type:
        words.append(index.type)
    if index.where:
        words.append(f"where `{index.where}`")
    if index.include:
        words.append(f"include ({', '.join(index.include)})")
    name = f"`{index.name}` " if index.name else ""
    return f"{name}({keys})" + (f" {', '.join(words)}" if words else "")


def _ref_text(ref: Ref) -> str:
    def end(e: Endpoint) -> str:
        cols = e.columns[0] if len(e.columns) == 1 else "(" + ", ".join(e.columns) + ")"
        return f"{e.qualified}.{cols}"

    return f"{end(ref.left)} {ref.op} {end(ref.right)}"


def column_markdown(column: Column, container: str, schema: Schema, findings: Sequence[Finding] = ()) -> str:
    parts = [f"**Column** `{container}.{column.name}` `{column.type.text}`"]
    facts = constraints(column)
    if column.nullable:
        facts.append("nullable")
    if column.default is not None:
        facts.append(f"default {_code(column.default.sql_text())}")
    if column.enum:
        facts.append(f"enum `{column.enum}`")
    if column.from_partial:
        facts.append(f"from partial `{column.from_partial}`")
    parts.append(" · ".join(facts))
    if column.note:
        parts.append(column.note)
    table = schema.table(container)
    lines = []
    if table is not None:
        for ref in schema.refs_of(table):
            if ref.fk_side.table_key == table.key and column.name in ref.fk_side.columns:
                pk = ref.pk_side
                lines.append(f"- references `{pk.qualified}.{', '.join(pk.columns)}` ({cardinality_from_fk(ref)})")
            if ref.pk_side.table_key == table.key and column.name in ref.pk_side.columns and not ref.many_to_many:
                fk = ref.fk_side
                lines.append(f"- referenced by `{fk.qualified}.{', '.join(fk.columns)}`")
            if ref.many_to_many:
                for e, other in ((ref.left, ref.right), (ref.right, ref.left)):
                    if e.table_key == table.key and column.name in e.columns:
                        lines.append(f"- many-to-many with `{other.qualified}.{', '.join(other.columns)}`")
        indexes = [i for i in table.indexes if column.name in i.columns or column.name in i.include]
        lines.extend(f"- index {index_text(i)}" for i in indexes)
    if lines:
        parts.append("\n".join(lines))
    here = [f for f in findings if column.span is not None and _inside(f, column)]
    if here:
        parts.append("**Findings**\n" + "\n".join(f"- {f.severity.value} {f.code}: {f.message}" for f in here))
    return "\n\n".join(parts)


def cardinality_from_fk(ref: Ref) -> str:
    return "one-to-one" if ref.op == "-" else "many-to-one"


def _inside(f: Finding, column: Column) -> bool:
    span = column.span
    return span is not None and f.span.file == span.file and span.start_offset <= f.span.start_offset <= span.end_offset


def ref_markdown(ref: Ref, schema: Schema) -> str:
    head = f"**Relationship** `{_ref_text(ref)}` ({cardinality(ref)})"
    return f"{head}\n\n{describe_ref(ref, schema)}"


def enum_markdown(enum: Enum, schema: Schema) -> str:
    parts = [f"**Enum** `{enum.qualified}`"]
    if enum.note:
        parts.append(enum.note)
    parts.append("\n".join(f"- `{v.name}`" + (f": {v.note}" if v.note else "") for v in enum.values))
    users = [f"{t.qualified}.{c.name}" for t in schema.tables for c in t.columns if c.enum == enum.qualified]
    if users:
        shown = ", ".join(f"`{u}`" for u in users[:10]) + (f" and {len(users) - 10} more" if len(users) > 10 else "")
        parts.append(f"Used by {shown}")
    return "\n\n".join(parts)


def partial_markdown(partial: TablePartial, schema: Schema) -> str:
    parts = [f"**Table partial** `{partial.name}`"]
    if partial.note:
        parts.append(partial.note)
    rows = ["| Column | Type | Constraints |", "|---|---|---|"]
    rows.extend(
        f"| {_cell(c.name)} | {_cell(c.type.text)} | {_cell(', '.join(constraints(c)))} |" for c in partial.columns
    )
    parts.append("\n".join(rows))
    users = [t.qualified for t in schema.tables if partial.name in t.partials]
    if users:
        parts.append("Injected into " + ", ".join(f"`{u}`" for u in users))
    return "\n\n".join(parts)


def group_markdown(group: TableGroup) -> str:
    parts = [f"**Table group** `{group.name}`"]
    if group.note:
        parts.append(group.note)
    tables = ", ".join(f"`{t if s == 'public' else s + '.' + t}`" for s, t in group.tables)
    if tables:
        parts.append(f"Tables: {tables}")
    return "\n\n".join(parts)


def query_markdown(query: Query) -> str:
    facts = []
    if query.frequency:
        facts.append(f"frequency {query.frequency}")
    if query.target:
        facts.append(f"target {query.target}")
    parts = [f"**Query** `{query.name}`" + (f" ({', '.join(facts)})" if facts else "")]
    if query.note:
        parts.append(query.note)
    if query.sql:
        parts.append(f"```sql\n{query.sql.strip()}\n```")
    return "\n\n".join(parts)
