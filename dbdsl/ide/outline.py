"""Document symbols (the outline of a file) and workspace symbols (search across the project)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..syntax import ast
from .index import FileView
from .session import Session
from .symbols import last_name_range


@dataclass
class OutlineItem:
    """kind: table, column, index, enum, enum_value, ref, group, partial, query, note, project,
    records, view, use. Offsets are absolute code points: the whole element and its name."""

    name: str
    kind: str
    start: int
    end: int
    name_start: int
    name_end: int
    detail: str | None = None
    children: list[OutlineItem] = field(default_factory=list)


def document_symbols(view: FileView) -> list[OutlineItem]:
    out: list[OutlineItem] = []
    for entry in view.analysis.source.entries:
        block = entry.parse.block
        if block is None:
            continue
        item = _block_item(block, entry.anchor.offset, view)
        if item is not None:
            out.append(item)
    return out


def _name_of(path: ast.Path | None) -> str:
    return path.dotted if path is not None else ""


def _block_item(block: ast.Block, base: int, view: FileView) -> OutlineItem | None:
    kind = block.kind
    start, end = base + block.start, base + block.end
    if block.name is not None:
        last = block.name.names[-1]
        name_start, name_end = base + last.start, base + last.end
    else:
        name_start, name_end = start, base + block.keyword_end
    if kind in ("table", "partial"):
        item = OutlineItem(_name_of(block.name), kind, start, end, name_start, name_end)
        if kind == "table" and block.alias is not None:
            item.detail = f"as {block.alias.text}"
        for it in block.items:
            if isinstance(it, ast.Column):
                item.children.append(
                    OutlineItem(
                        it.name.text,
                        "column",
                        base + it.start,
                        base + it.end,
                        base + it.name.start,
                        base + it.name.end,
                        it.type.text,
                    )
                )
            elif isinstance(it, ast.SubBlock) and it.kind == "indexes":
                for element in it.elements:
                    label = ", ".join(p.text if p.kind == "column" else f"`{p.text}`" for p in element.parts)
                    item.children.append(
                        OutlineItem(
                            f"({label})",
                            "index",
                            base + element.start,
                            base + element.end,
                            base + element.start,
                            base + element.end,
                        )
                    )
        return item
    if kind == "enum":
        item = OutlineItem(_name_of(block.name), "enum", start, end, name_start, name_end)
        for value in block.items:
            n = value.name
            item.children.append(
                OutlineItem(n.text, "enum_value", base + value.start, base + value.end, base + n.start, base + n.end)
            )
        return item
    if kind == "ref":
        items = []
        for rel in block.items:
            label = f"{_endpoint(rel.left)} {rel.op} {_endpoint(rel.right)}"
            items.append(
                OutlineItem(label, "ref", base + rel.start, base + rel.end, base + rel.left.start, base + rel.right.end)
            )
        if block.name is None and len(items) == 1:
            items[0].start, items[0].end = start, end
            return items[0]
        item = OutlineItem(_name_of(block.name) or "Ref", "ref", start, end, name_start, name_end)
        item.children = items
        return item
    if kind == "group":
        item = OutlineItem(_name_of(block.name) or "TableGroup", "group", start, end, name_start, name_end)
        for it in block.items:
            if isinstance(it, ast.Path):
                last = it.names[-1]
                item.children.append(
                    OutlineItem(it.dotted, "table", base + it.start, base + it.end, base + last.start, base + last.end)
                )
        return item
    if kind == "query":
        query = next((q for q in view.schema.queries if q.name == _name_of(block.name)), None)
        detail = query.frequency if query is not None and query.frequency else None
        return OutlineItem(_name_of(block.name), "query", start, end, name_start, name_end, detail)
    if kind == "note":
        return OutlineItem(_name_of(block.name), "note", start, end, name_start, name_end)
    if kind == "project":
        return OutlineItem(_name_of(block.name) or "Project", "project", start, end, name_start, name_end)
    if kind == "records":
        records = block.items[0]
        target = records.table.dotted if records.table is not None else ""
        return OutlineItem(f"Records {target}", "records", start, end, name_start, name_end)
    if kind == "view":
        return OutlineItem(_name_of(block.name), "view", start, end, name_start, name_end)
    if kind == "use":
        path = block.extra[1].text if block.extra else ""
        return OutlineItem(f"use '{path}'", "use", start, end, start, base + block.keyword_end)
    return None


def _endpoint(e: ast.Endpoint) -> str:
    if e.tuple_columns is not None:
        return f"{e.path.dotted}.({', '.join(n.text for n in e.tuple_columns)})"
    return e.path.dotted


@dataclass
class WorkspaceSymbol:
    name: str
    kind: str
    file: str
    start: int
    end: int
    container: str | None = None


def workspace_symbols(session: Session, query: str, limit: int = 500) -> list[WorkspaceSymbol]:
    """Tables, columns, enums, partials, groups, queries and notes of the project whose name matches
    `query` (its characters in order, ignoring case); best matches first."""
    q = query.lower()
    found: list[tuple[tuple, WorkspaceSymbol]] = []
    seen: set[tuple[str, int]] = set()
    for view in session.views():
        for item in _elements(view):
            if (item.file, item.start) in seen:
                continue
            score = _match(q, item.name.lower())
            if score is None:
                continue
            seen.add((item.file, item.start))
            found.append(((score, item.kind != "table", item.name.lower()), item))
    found.sort(key=lambda pair: pair[0])
    return [item for _, item in found[:limit]]


def _elements(view: FileView) -> Iterator[WorkspaceSymbol]:
    schema = view.schema
    path = view.path
    for table in schema.tables:
        if table.name_span is None or table.name_span.file != path:
            continue
        start, end = last_name_range(table.name_span)
        yield WorkspaceSymbol(table.qualified, "table", path, start, end)
        for column in table.columns:
            span = column.name_span
            if span is not None and span.file == path and column.from_partial is None:
                yield WorkspaceSymbol(column.name, "column", path, span.start_offset, span.end_offset, table.qualified)
    for enum in schema.enums:
        if enum.name_span is not None and enum.name_span.file == path:
            start, end = last_name_range(enum.name_span)
            yield WorkspaceSymbol(enum.qualified, "enum", path, start, end)
    for kind, elements in (("partial", schema.partials), ("group", schema.groups), ("query", schema.queries)):
        for el in elements:
            span = el.name_span
            if span is not None and span.file == path:
                start, end = last_name_range(span)
                yield WorkspaceSymbol(el.name, kind, path, start, end)
    for note in schema.notes:
        if note.span is not None and note.span.file == path:
            yield WorkspaceSymbol(note.name, "note", path, note.span.start_offset, note.span.end_offset)


def _match(query: str, name: str) -> int | None:
    """0 for a prefix, 1 for a substring, 2 for a subsequence; None when the name does not match."""
    if not query or name.startswith(query):
        return 0
    if query in name:
        return 1
    pos = 0
    for ch in query:
        pos = name.find(ch, pos)
        if pos < 0:
            return None
        pos += 1
    return 2
