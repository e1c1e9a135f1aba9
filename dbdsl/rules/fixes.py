"""Edits on DSL text that fixes are made of: add or drop a column setting, replace a type, add an
index or a check to a table, delete an element's line, write new blocks after a table.

Edit points come from the model's spans; inserted text is printed by `dbdsl.emit.dsl`. Each helper
returns `Edit`s (block-anchored), never absolute offsets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from sqlglot import exp

from ..dialects import DIALECTS, SQLGLOT
from ..emit import dsl
from ..format import format_block
from ..model.schema import Check, Column, ColumnType, Index, Table
from ..model.spans import Span
from .base import Edit, FixSpec

ITEM_TOKEN_RE = re.compile(
    r"""'''(?:[^\\']|\\[\s\S]|'(?!''))*(?:'''|\Z)
    |'(?:[^'\\\n]|\\.)*'?
    |"(?:[^"\\\n]|\\.)*"?
    |`[^`]*`?
    |//[^\n]*
    |/\*[\s\S]*?(?:\*/|\Z)
    |[,\[\]()]
    |[^,\[\]()'"`/]+
    |/""",
    re.VERBOSE,
)
SPACE_RE = re.compile(r"\s+")
TYPE_TEXT_RE = re.compile(r"^\s*(?P<name>[^()\[\]]+?)\s*(?:\((?P<args>[^)]*)\))?\s*(?P<dims>(?:\[[^\]]*\])*)\s*$")
PLAIN_SQL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def fix(title: str, *edits: Edit) -> FixSpec:
    return FixSpec(title, tuple(edits))


def canonical_edits(edits: tuple[Edit, ...]) -> tuple[Edit, ...]:
    """A fix's edits, widened so that a block in the formatter's layout stays in it: the edited block is
    formatted again (aligned columns, blank lines) and the edits become the one range that changed.
    A block written in another layout keeps its layout (only the edits themselves are applied), and
    text written after a block (new tables) is already printed in the canonical layout."""
    groups: dict[int, list[Edit]] = {}
    for e in edits:
        groups.setdefault(id(e.span.anchor), []).append(e)
    out: list[Edit] = []
    for group in groups.values():
        anchor = group[0].span.anchor
        text = anchor.text
        inside = [e for e in group if not _after_block(e, text)]
        out.extend(e for e in group if _after_block(e, text))
        if not inside:
            continue
        if format_block(text) != text:
            out.extend(inside)
            continue
        edited = _apply(text, inside)
        formatted = format_block(edited)
        if formatted == edited:
            out.extend(inside)
            continue
        start = 0
        limit = min(len(text), len(formatted))
        while start < limit and text[start] == formatted[start]:
            start += 1
        end_old, end_new = len(text), len(formatted)
        while end_old > start and end_new > start and text[end_old - 1] == formatted[end_new - 1]:
            end_old -= 1
            end_new -= 1
        span = group[0].span
        out.append(Edit(span.sub(start, end_old), formatted[start:end_new]))
    return tuple(out)


def _after_block(edit: Edit, text: str) -> bool:
    """An insertion at the block's end that writes whole blocks after it (`after_table`)."""
    return edit.span.start == edit.span.end == len(text) and edit.text.startswith("\n")


def _apply(text: str, edits: list[Edit]) -> str:
    out, last = [], 0
    for e in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        if e.span.start < last:
            continue
        out.append(text[last : e.span.start])
        out.append(e.text)
        last = e.span.end
    out.append(text[last:])
    return "".join(out)


# ------------------------------------------------------------------ lines and indentation


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def line_indent(span: Span) -> str:
    """The whitespace that starts the line holding `span`."""
    text = span.anchor.text
    start = _line_start(text, span.start)
    end = start
    while end < len(text) and text[end] in " \t":
        end += 1
    return text[start:end]


def member_indent(table: Table) -> str:
    """Indentation of the table's items (from its first own column), two spaces by default."""
    block = table.span.anchor if table.span is not None else None
    for column in table.columns:
        if column.span is not None and column.span.anchor is block:
            indent = line_indent(column.span)
            if indent:
                return indent
    return dsl.INDENT


def unit_indent(table: Table) -> str:
    """One level of indentation as this table writes it."""
    return _unit(member_indent(table))


def _unit(member: str) -> str:
    return "\t" if member.startswith("\t") else dsl.INDENT


def delete_lines(span: Span) -> Edit:
    """Delete the lines `span` covers when nothing else is on them (else just the span)."""
    text = span.anchor.text
    start = _line_start(text, span.start)
    end = text.find("\n", span.end)
    end = len(text) if end < 0 else end
    before, after = text[start : span.start], text[span.end : end]
    if before.strip() or (after.strip() and not after.strip().startswith("//")):
        return Edit(span, "")
    if end < len(text):
        if _blank_line_before(text, start) and _blank_or_closing(text, end + 1):
            # the lines were set off by a blank line, and a blank line or the body's end follows: the blank
            # line goes with them, so that no two blank lines (or a blank before `}`) are left
            start = _line_start(text, start - 1)
        return Edit(span.sub(start, end + 1), "")
    return Edit(span.sub(max(0, start - 1), end), "")


def _blank_line_before(text: str, line_start: int) -> bool:
    if line_start == 0:
        return False
    return not text[_line_start(text, line_start - 1) : line_start - 1].strip()


def _blank_or_closing(text: str, line_start: int) -> bool:
    end = text.find("\n", line_start)
    line = text[line_start : len(text) if end < 0 else end].strip()
    return line in ("", "}")


def insert_member(table: Table, lines: list[str], *, blank_before: bool = True) -> Edit:
    """Insert lines (already indented relative to the table's items) just before the closing `}`."""
    return _member_point(table, member_indent(table), blank_before).edit(lines)


class _MemberPoint(NamedTuple):
    """Where `insert_member` writes lines: the span it replaces, what comes first, the items' indent."""

    span: Span
    lead: str
    indent: str

    def edit(self, lines: list[str]) -> Edit:
        indent = self.indent
        return Edit(self.span, self.lead + "".join(f"{indent}{line}\n" if line else "\n" for line in lines))


def _member_point(table: Table, indent: str, blank_before: bool) -> _MemberPoint:
    assert table.body is not None, "fixes edit tables read from a file"
    close = table.body.close
    text = close.anchor.text
    line_start = _line_start(text, close.start)
    if text[line_start : close.start].strip():
        # the `}` shares its line with content: open a new line first
        return _MemberPoint(close, "\n", indent)
    previous_end = line_start - 1
    prev_line_start = _line_start(text, max(previous_end, 0))
    previous = text[prev_line_start:previous_end].strip()
    lead = "\n" if blank_before and previous and not previous.endswith("{") else ""
    return _MemberPoint(close.sub(line_start, line_start), lead, indent)


def after_table(table: Table, blocks: list[str]) -> Edit:
    """Write whole blocks (tables, refs) after the table's block, in the formatter's layout."""
    assert table.span is not None, "fixes edit tables read from a file"
    end = table.span.sub(table.span.end, table.span.end)
    return Edit(end, "".join("\n\n" + format_block(b) for b in blocks))


# ------------------------------------------------------------------ column settings


def setting_items(column: Column) -> list[tuple[str, int, int]]:
    """The items of a column's `[...]` list: (normalised key, start, end) with block offsets."""
    span = column.settings_span
    if span is None:
        return []
    text = span.anchor.text
    items: list[tuple[str, int, int]] = []
    depth = 0
    start: int | None = None
    last_end = 0  # the end of the item's last token, read once `start` is set
    for m in ITEM_TOKEN_RE.finditer(text, span.start, span.end):
        tok = m.group()
        if tok in "[(" and tok:
            depth += 1
            if depth == 1:
                start = None
                continue
        if tok in "])" and tok:
            depth -= 1
            if depth == 0:
                if start is not None:
                    items.append((_key(text[start:last_end]), start, last_end))
                break
        if depth == 1 and tok == ",":
            if start is not None:
                items.append((_key(text[start:last_end]), start, last_end))
            start = None
            continue
        if tok.startswith("//") or tok.startswith("/*"):
            continue
        if tok.strip():
            if start is None:
                start = m.start() + (len(tok) - len(tok.lstrip()))
            last_end = m.end() - (len(tok) - len(tok.rstrip()))
    return items


def _key(item: str) -> str:
    head = item.split(":", 1)[0] if ":" in item and not item.lower().startswith(("not null", "primary key")) else item
    key = SPACE_RE.sub(" ", head.strip().lower())
    return {"primary key": "pk"}.get(key, key)


def replace_type(column: Column, type_text: str) -> Edit:
    """Retype a column; `type_text` is SQL-like (`double precision`, `decimal(12,2)`) and is written
    the way DBML needs it (a type name with a space is quoted)."""
    assert column.type_span is not None, "fixes edit columns read from a file"
    return Edit(column.type_span, dbml_type(type_text))


def dbml_type(type_text: str) -> str:
    """`double precision` as DBML writes it: `"double precision"`; `decimal(12,2)` stays as it is."""
    return dsl.column_type(Column("_", parse_type(type_text)))


def parse_type(type_text: str) -> ColumnType:
    """A type written the SQL way (`double precision`, `decimal(12,2)`, `int[]`) as a model type."""
    m = TYPE_TEXT_RE.match(type_text)
    if m is None:
        return ColumnType(type_text)
    args = tuple(a.strip() for a in m.group("args").split(",")) if m.group("args") is not None else None
    dims = tuple(re.findall(r"\[[^\]]*\]", m.group("dims") or ""))
    return ColumnType(" ".join(m.group("name").split()), args=args, dims=dims)


# ------------------------------------------------------------------ SQL written by fixes


def sql_column(name: str, dialect: str) -> exp.Column:
    """A column reference for SQL a fix writes, quoted when the engine needs it (a reserved word such as
    `end`, capitals in PostgreSQL, punctuation)."""
    quoted = (
        not PLAIN_SQL_NAME.match(name)
        or name.lower() in DIALECTS[dialect].reserved
        or (DIALECTS[dialect].folds_case and name != name.lower())
    )
    return exp.column(exp.to_identifier(name, quoted=quoted))


def sql_text(node: exp.Expression, dialect: str) -> str:
    return node.sql(dialect=SQLGLOT.get(dialect, "postgres"))


# ------------------------------------------------------------------ indexes and checks


def add_index(table: Table, line: str) -> Edit:
    """Add an index line to the table's own `indexes { }` (a new block when it has none)."""
    return add_indexes(table, [line])


def add_indexes(table: Table, lines: list[str]) -> Edit:
    """Add index lines to the table's own `indexes { }` (a new block when it has none)."""
    return IndexAdder(table).edit(lines)


class _ItemAdder:
    """Lines added to one of a table's item blocks (`indexes { }`, `checks { }`): after the last item
    written in the table's own block, else in a new block before its closing `}`."""

    __slots__ = ("_after", "_block", "_indent", "_member")

    def __init__(self, table: Table, items: Sequence[Index | Check], block: str) -> None:
        self._block = block
        anchor = table.span.anchor if table.span is not None else None
        mine = [i.span for i in items if i.from_partial is None and i.span is not None and i.span.anchor is anchor]
        self._after: Span | None = None  # the end of the table's last own item, when it has one
        self._member: _MemberPoint | None = None  # else where a new block goes
        if mine:
            last = max(mine, key=lambda span: span.end)
            self._after = last.sub(last.end, last.end)
            self._indent = line_indent(last)
        else:
            member = member_indent(table)
            self._member = _member_point(table, member, True)
            self._indent = _unit(member)

    def edit(self, lines: list[str]) -> Edit:
        indent = self._indent
        if self._after is not None:
            return Edit(self._after, "".join(f"\n{indent}{line}" for line in lines))
        assert self._member is not None
        return self._member.edit([f"{self._block} {{", *(indent + line for line in lines), "}"])


class IndexAdder(_ItemAdder):
    """`add_indexes` for one table, with where the lines go worked out once: a rule that adds an index
    for each of many foreign keys of a table keeps one per table for the run."""

    __slots__ = ()

    def __init__(self, table: Table) -> None:
        super().__init__(table, table.indexes, "indexes")


def check_fix(table: Table, expression: str) -> tuple[FixSpec, ...]:
    """The fix that adds `CHECK (expression)` to a table, when DBML can hold the expression (a backtick,
    MySQL's identifier quote, cannot be written inside a backtick expression) and the table's block is
    its own."""
    if "`" in expression or not own(table, table.span):
        return ()
    return (fix(f"Add CHECK ({expression})", add_check(table, expression)),)


def add_check(table: Table, expression: str, name: str | None = None) -> Edit:
    """Add a table check (`checks { }` block, created when missing)."""
    line = dsl.expression(expression) + (f" [name: {dsl.string(name)}]" if name else "")
    return _ItemAdder(table, table.checks, "checks").edit([line])


def own(table: Table, span: Span | None) -> bool:
    """Whether `span` is written inside the table's own block (not in a partial or another file)."""
    return span is not None and table.span is not None and span.anchor is table.span.anchor


def editable_column(table: Table, column: Column) -> bool:
    return column.from_partial is None and own(table, column.span)


def rewrite_settings(
    column: Column, *, drop: AbstractSet[str] = frozenset(), add: Sequence[str] = (), first: bool = True
) -> Edit:
    """Rewrite the column's `[...]` keeping its other items as written, dropping the items whose key
    is in `drop` and adding `add` (first or last)."""
    items = setting_items(column)
    span = column.settings_span
    if span is None:
        assert column.type_span is not None, "fixes edit columns read from a file"
        at = column.type_span.end
        return (
            Edit(column.type_span.sub(at, at), f" [{', '.join(add)}]")
            if add
            else Edit(column.type_span.sub(at, at), "")
        )
    text = span.anchor.text
    kept = [text[s:e] for key, s, e in items if key not in drop]
    added = [a for a in add if a.lower() not in {k for k, _s, _e in items if k not in drop}]
    new = added + kept if first else kept + added
    if not new:
        start = span.start
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        return Edit(span.sub(start, span.end), "")
    return Edit(span, "[" + ", ".join(new) + "]")


def add_column_first(table: Table, line: str) -> Edit:
    """Insert a column line as the table's first item."""
    indent = member_indent(table)
    assert table.body is not None, "fixes edit tables read from a file"
    return Edit(table.body.open, f"\n{indent}{line}")
