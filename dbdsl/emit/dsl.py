"""Print model elements as DBML text (with dbdsl's extensions).

Used wherever dbdsl writes schema text: fixes that insert a column, index, table or ref; the SQL
importer; the 3NF decomposition. Names are quoted only when they must be; strings are escaped so that
the printed text parses back to the same model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model.schema import (
    DEFAULT_SCHEMA,
    Check,
    Column,
    Enum,
    Index,
    Literal,
    Project,
    Query,
    Records,
    Ref,
    Schema,
    Setting,
    StickyNote,
    Table,
    TableGroup,
    TablePartial,
)

BARE_NAME = re.compile(r"[^\W\d]\w*\Z")
# words that would be read as keywords where a name is expected at the start of a table item
RESERVED_AT_ITEM_START = {"note", "indexes", "checks", "records", "dependencies", "ref"}
INDENT = "  "


NAME_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}


def name(text: str) -> str:
    """An identifier, double-quoted when it is not a plain word."""
    if BARE_NAME.match(text) and text.lower() not in RESERVED_AT_ITEM_START:
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    for char, escape in NAME_ESCAPES.items():  # a quoted name ends at the end of its line
        escaped = escaped.replace(char, escape)
    return '"' + escaped + '"'


def qualified(schema: str, bare: str) -> str:
    return name(bare) if schema == DEFAULT_SCHEMA else f"{name(schema)}.{name(bare)}"


def string(text: str) -> str:
    """A string literal: '...' for one line; '''...''' for several lines when the multi-line
    indentation rule keeps the text as it is, else '...' with \\n escapes."""
    if "\n" in text and _survives_indentation_rule(text):
        return "'''\n" + text.replace("\\", "\\\\").replace("'''", "\\'''") + "'''"
    escaped = text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
    return "'" + escaped.replace("\t", "\\t") + "'"


def _survives_indentation_rule(text: str) -> bool:
    lines = text.split("\n")
    if not lines[0].strip() or "\r" in text:
        return False
    return min(len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()) == 0


def expression(text: str) -> str:
    return "`" + text + "`"


def literal(value: Literal) -> str:
    if value.kind == "string":
        return string(value.value)
    if value.kind == "expression":
        return expression(value.value)
    if value.kind == "enum":
        return value.value if "." in value.value else string(value.value)
    return value.value


def settings(items: list[str]) -> str:
    return f" [{', '.join(items)}]" if items else ""


def extra_settings(extra: tuple[Setting, ...]) -> list[str]:
    out = []
    for s in extra:
        out.append(s.key if s.value is None else f"{s.key}: {string(s.value)}")
    return out


def column_type(column: Column) -> str:
    t = column.type
    base = name(t.name)
    if t.schema:
        base = f"{name(t.schema)}.{base}"
    if t.args is not None:
        base += "(" + ",".join(t.args) + ")"
    return base + "".join(t.dims)


def column_settings(column: Column, inline_refs: Sequence[str] = ()) -> list[str]:
    items: list[str] = []
    if column.pk:
        items.append("pk")
    if column.increment:
        items.append("increment")
    if column.not_null is True:
        items.append("not null")
    elif column.not_null is False:
        items.append("null")
    if column.unique:
        items.append("unique")
    if column.default is not None:
        items.append(f"default: {literal(column.default)}")
    items.extend(f"ref: {r}" for r in inline_refs)
    items.extend(f"check: {expression(c.expression)}" for c in column.checks)
    if column.renamed_from:
        items.append(f"renamed_from: {string(column.renamed_from)}")
    items.extend(extra_settings(column.settings))
    if column.note is not None:
        items.append(f"note: {string(column.note)}")
    return items


def column_line(column: Column, inline_refs: Sequence[str] = ()) -> str:
    return f"{name(column.name)} {column_type(column)}{settings(column_settings(column, inline_refs))}"


def index_line(index: Index) -> str:
    keys = [k.value if k.kind == "column" else expression(k.value) for k in index.keys]
    keys = [name(k) if index.keys[i].kind == "column" else k for i, k in enumerate(keys)]
    target = keys[0] if len(keys) == 1 else "(" + ", ".join(keys) + ")"
    items: list[str] = []
    if index.pk:
        items.append("pk")
    if index.unique:
        items.append("unique")
    if index.type:
        items.append(f"type: {index.type}")
    if index.name:
        items.append(f"name: {string(index.name)}")
    if index.where:
        items.append(f"where: {expression(index.where)}")
    if index.include:
        items.append("include: (" + ", ".join(name(c) for c in index.include) + ")")
    if index.note is not None:
        items.append(f"note: {string(index.note)}")
    return target + settings(items)


def check_line(check: Check) -> str:
    return expression(check.expression) + settings([f"name: {string(check.name)}"] if check.name else [])


def endpoint(schema: str, table: str, columns: tuple[str, ...]) -> str:
    prefix = qualified(schema, table)
    if len(columns) == 1:
        return f"{prefix}.{name(columns[0])}"
    return f"{prefix}.(" + ", ".join(name(c) for c in columns) + ")"


def ref_line(ref: Ref) -> str:
    """`Ref name: a.b > c.d [delete: cascade]` (the short form)."""
    left = endpoint(ref.left.schema, ref.left.table, ref.left.columns)
    right = endpoint(ref.right.schema, ref.right.table, ref.right.columns)
    items = []
    if ref.on_delete:
        items.append(f"delete: {ref.on_delete}")
    if ref.on_update:
        items.append(f"update: {ref.on_update}")
    if ref.color:
        items.append(f"color: {ref.color}")
    label = f"Ref {name(ref.name)}:" if ref.name else "Ref:"
    return f"{label} {left} {ref.op} {right}{settings(items)}"


def table_block(table: Table, *, refs: Sequence[Ref] = (), indent: str = INDENT) -> str:
    """A whole `Table` block. Refs given here are written inline on their single-column FK side."""
    inline: dict[str, list[str]] = {}
    for ref in refs:
        fk = ref.fk_side
        if fk.table_key == table.key and can_be_inline(ref):
            pk = ref.pk_side
            op = ">" if ref.op in (">", "<") else ref.op
            inline.setdefault(fk.columns[0], []).append(f"{op} {endpoint(pk.schema, pk.table, pk.columns)}")
    header_items = []
    if table.header_color:
        header_items.append(f"headercolor: {table.header_color}")
    if table.renamed_from:
        header_items.append(f"renamed_from: {string(table.renamed_from)}")
    header_items.extend(extra_settings(table.settings))
    head = f"Table {qualified(table.schema, table.name)}"
    if table.alias:
        head += f" as {name(table.alias)}"
    lines = [head + settings(header_items) + " {"]
    own = [c for c in table.columns if c.from_partial is None]
    positions = table.partial_positions or (len(own),) * len(table.partials)
    for i, column in enumerate(own + [None]):
        lines.extend(f"{indent}~{name(p)}" for p, at in zip(table.partials, positions) if at == i)
        if column is not None:
            lines.append(indent + column_line(column, inline.get(column.name, [])))
    own_indexes = [i for i in table.indexes if i.from_partial is None]
    if own_indexes:
        lines += ["", indent + "indexes {"]
        lines.extend(indent * 2 + index_line(i) for i in own_indexes)
        lines.append(indent + "}")
    own_checks = [c for c in table.checks if c.from_partial is None]
    if own_checks:
        lines += ["", indent + "checks {"]
        lines.extend(indent * 2 + check_line(c) for c in own_checks)
        lines.append(indent + "}")
    if table.dependencies:
        lines += ["", indent + "dependencies {"]
        for dep in table.dependencies:
            left = name(dep.left[0]) if len(dep.left) == 1 else "(" + ", ".join(name(c) for c in dep.left) + ")"
            lines.append(f"{indent * 2}{left} -> {', '.join(name(c) for c in dep.right)}")
        lines.append(indent + "}")
    for records in table.records:
        lines += ["", indent + records_block(records, indent=indent).replace("\n", "\n" + indent)]
    if table.note is not None:
        lines += ["", f"{indent}Note: {string(table.note)}"]
    lines.append("}")
    return "\n".join(lines)


def records_block(records: Records, *, table: Table | None = None, indent: str = INDENT) -> str:
    cols = "(" + ", ".join(name(c) for c in records.columns) + ")"
    head = f"Records {qualified(table.schema, table.name)}{cols}" if table is not None else f"Records {cols}"
    lines = [head + " {"]
    lines.extend(indent + ", ".join(_record_value(v) for v in row) for row in records.rows)
    lines.append("}")
    return "\n".join(lines)


def _record_value(value: Literal) -> str:
    if value.kind == "enum":
        return string(value.value)
    return literal(value)


def enum_block(enum: Enum, indent: str = INDENT) -> str:
    header = settings([f"renamed_from: {string(enum.renamed_from)}"] if enum.renamed_from else [])
    lines = [f"Enum {qualified(enum.schema, enum.name)}{header} {{"]
    for v in enum.values:
        items = [f"note: {string(v.note)}"] if v.note is not None else []
        if v.renamed_from:
            items.append(f"renamed_from: {string(v.renamed_from)}")
        lines.append(indent + name(v.name) + settings(items))
    lines.append("}")
    return "\n".join(lines)


def group_block(group: TableGroup, indent: str = INDENT) -> str:
    items = []
    if group.color:
        items.append(f"color: {group.color}")
    lines = [f"TableGroup {qualified(group.schema, group.name)}{settings(items)} {{"]
    lines.extend(indent + qualified(s, t) for s, t in group.tables)
    if group.note is not None:
        lines.append(f"{indent}Note: {string(group.note)}")
    lines.append("}")
    return "\n".join(lines)


def partial_block(partial: TablePartial, refs: Sequence[Ref] = (), indent: str = INDENT) -> str:
    """A `TablePartial`; `refs` are the refs its columns create (from_partial == its name)."""
    inline: dict[str, list[str]] = {}
    for ref in refs:
        fk, pk = ref.fk_side, ref.pk_side
        target = f"{'>' if ref.op in ('<', '>') else ref.op} {endpoint(pk.schema, pk.table, pk.columns)}"
        if target not in inline.setdefault(fk.columns[0], []):
            inline[fk.columns[0]].append(target)
    items = [f"headercolor: {partial.header_color}"] if partial.header_color else []
    lines = [f"TablePartial {name(partial.name)}{settings(items)} {{"]
    lines.extend(indent + column_line(c, inline.get(c.name, [])) for c in partial.columns)
    if partial.indexes:
        lines += [indent + "indexes {"] + [indent * 2 + index_line(i) for i in partial.indexes] + [indent + "}"]
    if partial.checks:
        lines += [indent + "checks {"] + [indent * 2 + check_line(c) for c in partial.checks] + [indent + "}"]
    if partial.note is not None:
        lines.append(f"{indent}Note: {string(partial.note)}")
    lines.append("}")
    return "\n".join(lines)


def project_block(project: Project, indent: str = INDENT) -> str:
    lines = [f"Project {name(project.name)} {{" if project.name else "Project {"]
    if project.database_type:
        lines.append(f"{indent}database_type: {string(project.database_type)}")
    for s in project.settings:
        lines.append(f"{indent}{s.key}: {string(s.value or '')}")
    if project.note is not None:
        lines.append(f"{indent}Note: {string(project.note)}")
    lines.append("}")
    return "\n".join(lines)


def note_block(note: StickyNote, indent: str = INDENT) -> str:
    items = [f"color: {note.color}"] if note.color else []
    return f"Note {name(note.name)}{settings(items)} {{\n{indent}{string(note.text)}\n}}"


def query_block(query: Query, indent: str = INDENT) -> str:
    items = []
    if query.frequency:
        items.append(f"frequency: {string(query.frequency)}")
    if query.target:
        items.append(f"target: {string(query.target)}")
    body = query.sql.strip("\n")
    sql = "'''\n" + "\n".join(indent * 2 + line for line in body.splitlines()) + "\n" + indent + "'''"
    return f"Query {name(query.name)}{settings(items)} {{\n{indent}{sql}\n}}"


def can_be_inline(ref: Ref) -> bool:
    """Whether `ref: > t.c` on the foreign key column says all that the ref says."""
    return (
        ref.op != "<>"
        and len(ref.fk_side.columns) == 1
        and ref.name is None
        and ref.on_delete is None
        and ref.on_update is None
        and ref.color is None
        and ref.from_partial is None
    )


def schema_text(schema: Schema) -> str:
    """The whole schema as a DBML document. Single-column refs are written inline on their table."""
    inline_refs = [r for r in schema.refs if can_be_inline(r)]
    by_table: dict[tuple[str, str], list[Ref]] = {}
    for r in inline_refs:
        by_table.setdefault(r.fk_side.table_key, []).append(r)
    blocks: list[str] = []
    if schema.project is not None:
        blocks.append(project_block(schema.project))
    blocks.extend(enum_block(e) for e in schema.enums)
    blocks.extend(partial_block(p, [r for r in schema.refs if r.from_partial == p.name]) for p in schema.partials)
    blocks.extend(table_block(t, refs=by_table.get(t.key, [])) for t in schema.tables)
    inline_ids = {id(r) for r in inline_refs}
    blocks.extend(ref_line(r) for r in schema.refs if id(r) not in inline_ids and r.from_partial is None)
    blocks.extend(group_block(g) for g in schema.groups)
    blocks.extend(note_block(n) for n in schema.notes)
    blocks.extend(query_block(q) for q in schema.queries)
    return "\n\n".join(blocks) + "\n"
