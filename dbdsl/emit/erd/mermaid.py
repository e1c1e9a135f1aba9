"""The Mermaid `erDiagram` (GitHub and GitLab render it in Markdown).

Mermaid is strict about words: entity and attribute names are letters, digits and `_`, and attribute
types may not hold spaces, commas or parentheses. Names that need more are written in that alphabet
(`"order items"` -> `order_items`, `app.users` -> `app_users`, made unique), with the name as written in
the attribute's comment; types become `varchar_255`, `decimal_12_2`, `int_array`.
"""

from __future__ import annotations

import re

from ...model.schema import Column, Schema, Table
from .graph import Link, by_table, column_marks, display_name, links, neighbourhood

# ends of a relationship: (left form, right form), left forms face the left entity
EXACTLY_ONE = ("||", "||")
ZERO_OR_ONE = ("|o", "o|")
ZERO_OR_MORE = ("}o", "o{")


def to_mermaid(schema: Schema, focus: str | tuple[str, str] | None = None, depth: int = 1) -> str:
    """The `erDiagram` text (without the ```mermaid fence)."""
    every = links(schema)
    tables, shown = neighbourhood(schema, focus, depth, every)
    touching = by_table(every)
    names = entity_names(tables)
    lines = ["erDiagram"]
    for table in tables:
        lines.append(f"    {names[table.key]} {{")
        marks = column_marks(table, touching.get(table.key, []))
        taken: set[str] = set()
        for column in table.columns:
            lines.append("        " + _attribute(column, marks[column.name], taken))
        lines.append("    }")
    for link in shown:
        lines.append("    " + _relationship(link, names))
    return "\n".join(lines) + "\n"


def entity_names(tables: list[Table]) -> dict[tuple[str, str], str]:
    """A distinct Mermaid word per table."""
    out: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    for table in tables:
        out[table.key] = _unique(word(display_name(table).replace(".", "_")), taken)
    return out


def word(text: str) -> str:
    """`text` in Mermaid's name alphabet: other characters become `_`, never starting with a digit."""
    out = re.sub(r"[^A-Za-z0-9_]", "_", text)
    out = re.sub(r"_+", "_", out) if out != text else out
    if not out or out[0].isdigit():
        out = "_" + out
    return out


def type_word(text: str) -> str:
    """`varchar(255)` -> `varchar_255`, `int[]` -> `int_array`, `double precision` -> `double_precision`."""
    text = text.replace("[]", "_array")
    out = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")
    if not out or out[0].isdigit():
        out = "t_" + out
    return out


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{name}_{n}"
    taken.add(candidate.lower())
    return candidate


def _attribute(column: Column, marks: list[str], taken: set[str]) -> str:
    name = _unique(word(column.name), taken)
    parts = [type_word(column.type.text), name]
    if marks:
        parts.append(", ".join(marks))
    comment = []
    if name != column.name:
        comment.append(column.name)
    if column.note:
        comment.append(column.note)
    if comment:
        parts.append('"' + _comment(" · ".join(comment)) + '"')
    return " ".join(parts)


def _comment(text: str, limit: int = 80) -> str:
    text = " ".join(text.replace('"', "'").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _relationship(link: Link, names: dict[tuple[str, str], str]) -> str:
    if link.kind == "many-to-many":
        left, right = ZERO_OR_MORE[0], ZERO_OR_MORE[1]
    else:
        parent_end = ZERO_OR_ONE if link.optional else EXACTLY_ONE
        child_end = ZERO_OR_ONE if link.kind == "one-to-one" else ZERO_OR_MORE
        left, right = parent_end[0], child_end[1]
    # identifying (solid) when the foreign key is part of the child's primary key
    identifying = link.kind != "many-to-many" and set(link.child_columns) <= set(link.child.primary_key)
    line = "--" if identifying else ".."
    label = ", ".join(link.child_columns)
    return f'{names[link.parent.key]} {left}{line}{right} {names[link.child.key]} : "{_comment(label)}"'
