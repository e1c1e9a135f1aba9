"""Rename a table, column, enum, enum value, partial, alias, group, query or sticky note everywhere.

The edits replace each occurrence's name (only the last part of a qualified name); names are quoted
when they must be (DBML double quotes, or the SQL identifier quoting of sqlglot inside a Query). A new
name that would collide with an existing one (and so change what a reference means) is refused.
"""

from __future__ import annotations

from collections import defaultdict

from sqlglot import exp

from ..emit.dsl import name as dbml_name
from ..findings import TextEdit
from ..model.schema import DEFAULT_SCHEMA, Column, Enum, Table
from .index import FileView
from .navigate import occurrences, target_at
from .session import Session
from .symbols import KIND_WORDS, Occurrence, Symbol

RENAMABLE = {"table", "column", "enum", "enum_value", "partial", "alias", "group", "query", "note"}


class RenameError(Exception):
    """The rename cannot be done; the message says why, in words for the user."""


def prepare_rename(view: FileView, offset: int) -> tuple[int, int, str]:
    """The range of the name under the cursor and its current text (unquoted)."""
    occ, _symbol = _target(view, offset)
    return occ.start, occ.end, occ.name


def _target(view: FileView, offset: int) -> tuple[Occurrence, Symbol]:
    """The name under the cursor and the symbol to rename; raises RenameError when there is none."""
    target = target_at(view, offset)
    if target is None:
        occ = view.occurrence_at(offset)
        if occ is not None and occ.kind in RENAMABLE:
            raise RenameError(f"'{occ.name}' is not defined anywhere, so there is nothing to rename")
        raise RenameError("there is no table, column, enum, partial or alias here to rename")
    occ, symbol = target
    if symbol.kind not in RENAMABLE:
        raise RenameError(f"a {KIND_WORDS.get(symbol.kind, symbol.kind)} cannot be renamed")
    return occ, symbol


def rename(session: Session, view: FileView, offset: int, new_name: str) -> dict[str, list[TextEdit]]:
    """Edits per file; raises RenameError when the rename is not possible."""
    _occ, symbol = _target(view, offset)
    new_name = _check_name(new_name)
    if new_name == symbol.name:
        return {}
    found = occurrences(session, symbol)
    if symbol.kind == "table":
        found = [o for o in found if not o.via_alias]
    views = _views_of(session, symbol)
    _check_collision(symbol, new_name, views)
    edits: dict[str, list[TextEdit]] = defaultdict(list)
    for occ in found:
        edits[occ.file].append(TextEdit(occ.file, occ.start, occ.end, _spelling(session, occ, new_name)))
    return dict(edits)


def _check_name(new_name: str) -> str:
    name = new_name.strip()
    if name.startswith('"') and name.endswith('"') and len(name) >= 2:
        name = name[1:-1]
    if not name:
        raise RenameError("the new name is empty")
    if any(ch in name for ch in "\n\r\t") or not name.isprintable():
        raise RenameError("a name cannot hold line breaks, tabs or control characters")
    return name


def _spelling(session: Session, occ: Occurrence, new_name: str) -> str:
    if not occ.in_sql:
        return dbml_name(new_name)
    written = session.text(occ.file)[occ.start : occ.end]
    quoted = written.startswith(('"', "`", "[")) or None
    return exp.to_identifier(new_name, quoted=quoted).sql()


def _views_of(session: Session, symbol: Symbol) -> list[FileView]:
    """The files that see the symbol: a collision in any of them would change what a name means."""
    return [v for v in session.views() if v.path == symbol.file or symbol.file in session.imports_of(v.path)]


def _check_collision(symbol: Symbol, new: str, views: list[FileView]) -> None:
    """A second definition of a name has no element: only the checks that need none are made."""
    kind = symbol.kind
    element = symbol.element
    for view in views:
        schema = view.schema
        if kind == "table":
            if isinstance(element, Table):
                other = schema.table((element.schema, new))
                if other is not None and other.key != element.key:
                    raise RenameError(f"a table '{other.qualified}' already exists")
            if any(t.alias == new for t in schema.tables):
                raise RenameError(f"'{new}' is already the alias of another table")
        elif kind == "alias":
            if any(t.alias == new for t in schema.tables):
                raise RenameError(f"'{new}' is already the alias of another table")
            if schema.table((DEFAULT_SCHEMA, new)) is not None:
                raise RenameError(f"a table '{new}' already exists; an alias cannot have a table's name")
        elif kind == "column":
            if isinstance(element, Column):
                _check_column(element, new, view)
        elif kind == "enum":
            if isinstance(element, Enum) and schema.enum((element.schema, new)) is not None:
                raise RenameError(f"an enum '{new}' already exists in schema '{element.schema}'")
        elif kind == "enum_value":
            enum = next((e for e in schema.enums if e.qualified == symbol.container), None)
            if enum is not None and new in enum.value_names:
                raise RenameError(f"enum '{enum.qualified}' already has a value '{new}'")
        elif kind == "partial":
            if any(p.name == new for p in schema.partials):
                raise RenameError(f"a table partial '{new}' already exists")
        elif kind == "group":
            if any(g.name == new for g in schema.groups):
                raise RenameError(f"a table group '{new}' already exists")
        elif kind == "query":
            if any(q.name == new for q in schema.queries):
                raise RenameError(f"a query '{new}' already exists")
        elif kind == "note" and any(n.name == new for n in schema.notes):
            raise RenameError(f"a sticky note '{new}' already exists")


def _check_column(column: Column, new: str, view: FileView) -> None:
    """The column's table (or, for a partial's column, the partial and every table that injects it)
    must not have a column with the new name: that would change which column a name means."""
    schema = view.schema
    owner = column.from_partial
    if owner is not None:
        partial = next((p for p in schema.partials if p.name == owner), None)
        if partial is not None and any(c.name == new for c in partial.columns):
            raise RenameError(f"table partial '{owner}' already has a column '{new}'")
        for table in schema.tables:
            if owner in table.partials and table.column(new) is not None:
                raise RenameError(f"table '{table.qualified}' (which injects '{owner}') already has a column '{new}'")
        return
    for table in schema.tables:
        own = table.column(column.name)
        mine = own is column or (own is not None and own.name_span == column.name_span)
        if mine and table.column(new) is not None:
            raise RenameError(f"table '{table.qualified}' already has a column '{new}'")
