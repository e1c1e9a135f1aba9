"""Go to definition, find references (across the project's files) and document links."""

from __future__ import annotations

from typing import NamedTuple

from ..model.schema import Table
from ..syntax import ast
from ..workspace import resolve_import
from .index import FileView
from .session import Session
from .symbols import Occurrence, Symbol


class Location(NamedTuple):
    file: str
    start: int  # absolute code points
    end: int


def target_at(view: FileView, offset: int) -> tuple[Occurrence, Symbol] | None:
    """The name under the cursor and the symbol it stands for. A table named through its alias stands
    for the alias here (rename and references of `U` in `U.id` are about the alias)."""
    occ = view.occurrence_at(offset)
    if occ is None or occ.symbol is None:
        return None
    if occ.via_alias and not occ.in_sql:
        alias = alias_of(view, occ.symbol)
        if alias is not None:
            return occ, alias
    return occ, occ.symbol


def alias_of(view: FileView, table_symbol: Symbol) -> Symbol | None:
    from . import symbols

    table = table_symbol.element
    return symbols.alias_symbol(table) if isinstance(table, Table) else None


def definition(view: FileView, offset: int) -> list[Location]:
    occ = view.occurrence_at(offset)
    if occ is None or occ.symbol is None:
        return []
    s = occ.symbol
    return [Location(s.file, s.start, s.end)]


def occurrences(session: Session, symbol: Symbol) -> list[Occurrence]:
    """Every occurrence of `symbol` in the project: its own file and the files that may see it."""
    words = [symbol.name]
    table_key = None
    if symbol.kind == "alias":
        table_key = ("table", symbol.file, symbol.key_start)
    elif symbol.kind == "table" and isinstance(symbol.element, Table) and symbol.element.alias:
        words.append(symbol.element.alias)
    found: list[Occurrence] = []
    seen: set[tuple[str, int]] = set()
    for view in session.views(mentioning=words):
        if view.path != symbol.file and symbol.file not in session.imports_of(view.path):
            continue
        for occ in view.index.occurrences:
            if occ.symbol is None:
                continue
            if table_key is not None:
                hit = (occ.symbol.key == table_key and occ.via_alias and not occ.in_sql) or occ.symbol == symbol
            else:
                hit = occ.symbol == symbol
            if hit and (occ.file, occ.start) not in seen:
                seen.add((occ.file, occ.start))
                found.append(occ)
    found.sort(key=lambda o: (o.file != symbol.file, o.file, o.start))
    return found


def references(session: Session, view: FileView, offset: int, include_declaration: bool = True) -> list[Location]:
    target = target_at(view, offset)
    if target is None:
        return []
    _occ, symbol = target
    out = []
    for occ in occurrences(session, symbol):
        if occ.role == "def" and not include_declaration:
            continue
        out.append(Location(occ.file, occ.start, occ.end))
    return out


class Link(NamedTuple):
    start: int  # the path inside the quotes of `use ... from '...'`
    end: int
    target: str


def document_links(view: FileView) -> list[Link]:
    out = []
    for entry in view.analysis.source.entries:
        block = entry.parse.block
        if block is None or block.kind != "use" or not block.extra:
            continue
        value: ast.Value = block.extra[1]
        target = resolve_import(view.path, value.text)
        if target is None:
            continue
        base = entry.anchor.offset
        quote = 3 if entry.anchor.text.startswith("'''", value.start) else 1
        out.append(Link(base + value.start + quote, base + value.end - quote, target))
    return out
