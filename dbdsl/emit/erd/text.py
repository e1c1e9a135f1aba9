"""The text ERD: boxes of columns and one line per relationship, for a monospace hover or a terminal.

    ┌─────────────────────────────────────┐
    │ orders                              │
    ├────┬─────────────┬──────────────────┤
    │ PK │ id          │ bigint           │
    │ FK │ customer_id │ bigint           │
    └────┴─────────────┴──────────────────┘
    orders.customer_id  * >── 1  customers.id

Cardinalities read left to right: `1 ──< *` one to many, `* >── 1` many to one, `1 ─── 0..1` one to
one, `* >─< *` many to many; `0..1` where the foreign key may be null (a row may have no parent).
"""

from __future__ import annotations

import unicodedata

from ...model.schema import Schema, Table
from .graph import Link, by_table, column_marks, display_name, links, neighbourhood

NULL_MARK = "null"


def text_diagram(schema: Schema, focus: str | tuple[str, str] | None = None, depth: int = 1) -> str:
    """The focus table in full, its neighbours within `depth` with their key columns, and the
    relationships among them; the whole schema (every table in full) when focus is None."""
    all_links = links(schema)
    tables, shown_links = neighbourhood(schema, focus, depth, all_links)
    if not tables:
        return "(no tables)\n"
    touching = by_table(all_links)
    blocks: list[str] = []
    for i, table in enumerate(tables):
        full = focus is None or i == 0
        blocks.append(_box(table, touching.get(table.key, []), full))
    lines = "\n".join(blocks)
    if shown_links:
        anchor = tables[0].key if focus is not None else None
        lines += "\n" + "\n".join(_relationship_lines(shown_links, anchor))
    return lines + "\n"


def _box(table: Table, all_links: list[Link], full: bool) -> str:
    marks = column_marks(table, all_links)
    columns = (
        table.columns if full else [c for c in table.columns if marks[c.name] or _linked(table, c.name, all_links)]
    )
    hidden = len(table.columns) - len(columns)
    rows = [
        [
            ",".join(marks[c.name]),
            c.name,
            c.type.text,
            NULL_MARK if c.nullable and c.name not in table.primary_key else "",
        ]
        for c in columns
    ]
    if rows and not any(r[3] for r in rows):
        rows = [r[:3] for r in rows]
    if rows and not any(r[0] for r in rows):
        rows = [r[1:] for r in rows]
    title = display_name(table) + _volume(table)
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))] if rows else []
    inner = sum(widths) + 3 * len(widths) - 1 if widths else 0
    more = f"… {hidden} more column{'s' if hidden != 1 else ''}" if hidden else ""
    inner = max(inner, _width(title) + 2, _width(more) + 2)
    if widths:  # widen the last cell so the row fills the box
        widths[-1] += inner - (sum(widths) + 3 * len(widths) - 1)
    out = ["┌" + "─" * inner + "┐", "│ " + _pad(title, inner - 2) + " │"]
    if rows:
        out.append("├" + "┬".join("─" * (w + 2) for w in widths) + "┤")
        out.extend("│" + "│".join(" " + _pad(cell, w) + " " for cell, w in zip(r, widths)) + "│" for r in rows)
    if more:
        out.append(("├" + "┴".join("─" * (w + 2) for w in widths) + "┤") if rows else "├" + "─" * inner + "┤")
        out.append("│ " + _pad(more, inner - 2) + " │")
        out.append("└" + "─" * inner + "┘")
    elif rows:
        out.append("└" + "┴".join("─" * (w + 2) for w in widths) + "┘")
    else:
        out.append("└" + "─" * inner + "┘")
    return "\n".join(out)


def _linked(table: Table, name: str, all_links: list[Link]) -> bool:
    return any(
        (k.child.key == table.key and name in k.child_columns)
        or (k.parent.key == table.key and name in k.parent_columns)
        for k in all_links
    )


def _volume(table: Table) -> str:
    rows = table.setting("rows")
    return f" ({rows.value} rows)" if rows is not None and rows.value else ""


def _relationship_lines(all_links: list[Link], anchor: tuple[str, str] | None) -> list[str]:
    triples = []
    for link in all_links:
        parent = _end(link.parent, link.parent_columns)
        child = _end(link.child, link.child_columns)
        child_first = anchor is not None and link.child.key == anchor and link.parent.key != anchor
        triples.append((child, _symbol(link, True), parent) if child_first else (parent, _symbol(link, False), child))
    left = max(_width(t[0]) for t in triples)
    middle = max(_width(t[1]) for t in triples)
    return [f"{_pad(a, left)}  {_pad(b, middle)}  {c}".rstrip() for a, b, c in triples]


def _symbol(link: Link, child_first: bool) -> str:
    one = "0..1" if link.optional else "1"
    if link.kind == "many-to-many":
        return "* >─< *"
    if link.kind == "one-to-one":
        return f"0..1 ─── {one}" if child_first else f"{one} ─── 0..1"
    return f"* >── {one}" if child_first else f"{one} ──< *"


def _end(table: Table, columns: tuple[str, ...]) -> str:
    cols = columns[0] if len(columns) == 1 else "(" + ", ".join(columns) + ")"
    return f"{display_name(table)}.{cols}"


def _width(text: str) -> int:
    """Cells a monospace font gives `text`: wide (CJK) characters take two, combining marks none."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))
