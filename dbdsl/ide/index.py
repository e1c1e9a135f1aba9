"""Every name in a file, with what it stands for: the base of navigation, rename, hovers and tokens.

Two steps. The walk over one block's syntax tree finds its names and how each must be looked up
(`Raw`, block-relative offsets); it depends on the block's text only and is cached per block entry.
Resolution looks each name up in the bound schema (tables, aliases, enums, partials...) the way the
linker does, and gives `Occurrence`s with absolute offsets.
"""

from __future__ import annotations

import weakref
from bisect import bisect_right
from collections.abc import Callable
from typing import Literal, NamedTuple

from ..model.schema import Enum, Schema, Table, key_of
from ..syntax import ast
from ..workspace import Analysis, BlockEntry
from . import symbols as sym
from .sql import SqlScan, raw_sql_range, scan_sql
from .symbols import Occurrence, Symbol

OWNER = ("owner",)

# the table or partial whose body a name is in
Owner = tuple[Literal["table"], tuple[str, str]] | tuple[Literal["partial"], str]


class Raw(NamedTuple):
    """A name in a block. `scope` says how to look it up:
    table/enum/group/note/query: the name parts as written; alias: the table's parts;
    column: OWNER (the block's table or partial) or ("table", parts);
    enum_value: the enum's parts; partial: (name,); schema: ();
    import: ("import", item kind, parts); sql: (SqlScan names are resolved separately)."""

    start: int
    end: int
    kind: str
    role: str
    name: str
    scope: tuple


class BlockNames(NamedTuple):
    owner: Owner | None
    raws: tuple[Raw, ...]
    sql: tuple[int, SqlScan] | tuple[()]  # (sql_start, its names) for a Query block, else ()


_cache: weakref.WeakKeyDictionary[BlockEntry, BlockNames] = weakref.WeakKeyDictionary()


def block_names(entry: BlockEntry) -> BlockNames:
    got = _cache.get(entry)
    if got is None:
        got = _cache[entry] = _walk(entry.parse.block, entry.anchor.text)
    return got


# ---------------------------------------------------------------------------- the walk


def _walk(block: ast.Block | None, text: str) -> BlockNames:
    if block is None:
        return BlockNames(None, (), ())
    out: list[Raw] = []
    kind = block.kind
    owner: Owner | None = None
    sql: tuple[int, SqlScan] | tuple[()] = ()
    if kind == "table" and block.name is not None:
        parts = block.name.parts
        owner = ("table", key_of(parts))
        _path(out, block.name, "table", "def")
        if block.alias is not None:
            a = block.alias
            out.append(Raw(a.start, a.end, "alias", "def", a.text, parts))
        _table_items(out, block.items)
    elif kind == "partial" and block.name is not None:
        owner = ("partial", block.name.dotted)
        out.append(Raw(block.name.start, block.name.end, "partial", "def", block.name.dotted, (block.name.dotted,)))
        _table_items(out, block.items)
    elif kind == "enum" and block.name is not None:
        parts = block.name.parts
        _path(out, block.name, "enum", "def")
        for value in block.items:
            n = value.name
            out.append(Raw(n.start, n.end, "enum_value", "def", n.text, parts))
    elif kind == "ref":
        for rel in block.items:
            _endpoint(out, rel.left)
            _endpoint(out, rel.right)
    elif kind == "group":
        if block.name is not None:
            _path(out, block.name, "group", "def")
        for item in block.items:
            if isinstance(item, ast.Path):
                _path(out, item, "table", "ref")
    elif kind == "note" and block.name is not None:
        _path(out, block.name, "note", "def")
    elif kind == "query" and block.name is not None:
        _path(out, block.name, "query", "def")
        for item in block.items:
            if isinstance(item, ast.Value):
                start, end = raw_sql_range(text, item.start, item.end)
                sql = (start, scan_sql(text[start:end]))
                break
    elif kind == "records":
        for records in block.items:
            if records.table is not None:
                _path(out, records.table, "table", "ref")
                for n in records.columns or ():
                    out.append(Raw(n.start, n.end, "column", "ref", n.text, ("table", records.table.parts)))
    elif kind == "use":
        for item in block.items:
            if isinstance(item, ast.ImportItem):
                last = item.path.names[-1]
                what = item.kind.text.lower()
                out.append(Raw(last.start, last.end, "import", "ref", last.text, ("import", what, item.path.parts)))
    elif kind == "view":
        for section in block.items:
            target = {"tables": "table", "tablegroups": "group", "notes": "note"}.get(section.name.text.lower())
            if target is None:
                continue
            for entry in section.entries:
                if entry is not None:
                    _path(out, entry, target, "ref")
    out.sort(key=lambda r: r.start)
    return BlockNames(owner, tuple(out), sql)


def _path(out: list[Raw], path: ast.Path, kind: str, role: str) -> None:
    """A dotted element name: schema parts, then the element's own name."""
    for n in path.names[:-1]:
        out.append(Raw(n.start, n.end, "schema", "ref", n.text, ()))
    last = path.names[-1]
    out.append(Raw(last.start, last.end, kind, role, last.text, path.parts))


def _table_items(out: list[Raw], items: tuple) -> None:
    for item in items:
        if isinstance(item, ast.Column):
            n = item.name
            out.append(Raw(n.start, n.end, "column", "def", n.text, OWNER))
            _type(out, item.type)
            _column_settings(out, item.settings)
        elif isinstance(item, ast.PartialInjection):
            n = item.name
            out.append(Raw(n.start, n.end, "partial", "ref", n.text, (n.text,)))
        elif isinstance(item, ast.SubBlock):
            for element in item.elements:
                if isinstance(element, ast.IndexElement):
                    for part in element.parts:
                        if part.kind == "column":
                            out.append(Raw(part.start, part.end, "column", "ref", part.text, OWNER))
                    _index_settings(out, element.settings)
                elif isinstance(element, ast.DependencyElement):
                    for n in element.left + element.right:
                        out.append(Raw(n.start, n.end, "column", "ref", n.text, OWNER))
        elif isinstance(item, ast.Records):
            for n in item.columns or ():
                out.append(Raw(n.start, n.end, "column", "ref", n.text, OWNER))


def _type(out: list[Raw], t: ast.TypeName) -> None:
    """A column type may name an enum (resolution drops it when it does not)."""
    if t.args is not None:
        return
    _path(out, t.path, "enum", "ref")


def _column_settings(out: list[Raw], settings: ast.Settings | None) -> None:
    if settings is None:
        return
    for s in settings.items:
        v = s.value
        if v is None:
            continue
        if s.key == "ref" and v.kind == "ref" and v.paths:
            target = v.paths[0]
            names = target.names
            if len(names) == 1:
                out.append(Raw(names[0].start, names[0].end, "column", "ref", names[0].text, OWNER))
            else:
                table = ast.Path(names[:-1], names[0].start, names[-2].end)
                _path(out, table, "table", "ref")
                col = names[-1]
                out.append(Raw(col.start, col.end, "column", "ref", col.text, ("table", table.parts)))
        elif s.key == "default" and v.kind == "words" and len(v.paths) == 1 and len(v.paths[0].names) >= 2:
            names = v.paths[0].names
            enum = ast.Path(names[:-1], names[0].start, names[-2].end)
            _path(out, enum, "enum", "ref")
            value = names[-1]
            out.append(Raw(value.start, value.end, "enum_value", "ref", value.text, enum.parts))


def _index_settings(out: list[Raw], settings: ast.Settings | None) -> None:
    if settings is None:
        return
    for s in settings.items:
        if s.key == "include" and s.value is not None:
            for p in s.value.paths:
                n = p.names[-1]
                out.append(Raw(n.start, n.end, "column", "ref", n.text, OWNER))


def _endpoint(out: list[Raw], e: ast.Endpoint) -> None:
    names = e.path.names
    if e.tuple_columns is not None:
        _path(out, e.path, "table", "ref")
        for n in e.tuple_columns:
            out.append(Raw(n.start, n.end, "column", "ref", n.text, ("table", e.path.parts)))
        return
    if len(names) == 1:
        n = names[0]
        out.append(Raw(n.start, n.end, "column", "ref", n.text, ("table", ())))
        return
    table = ast.Path(names[:-1], names[0].start, names[-2].end)
    _path(out, table, "table", "ref")
    col = names[-1]
    out.append(Raw(col.start, col.end, "column", "ref", col.text, ("table", table.parts)))


# ---------------------------------------------------------------------------- resolution


class Resolver:
    """Looks names up in one bound schema, as the linker does."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.partials = {p.name: p for p in schema.partials}
        self.groups = {g.name: g for g in schema.groups}
        self.queries = {q.name: q for q in schema.queries}
        self.notes = {n.name: n for n in schema.notes}
        self._symbols: dict[int, Symbol | None] = {}  # by the id of a schema element (which the schema keeps)
        self._alias_symbols: dict[int, Symbol | None] = {}  # by the id of the table

    def table(self, parts: tuple[str, ...]) -> tuple[Table | None, bool]:
        """The table that `parts` names (as the binder reads it), and whether it was named by its alias."""
        return self.schema.find_table(parts)

    def _memo(self, element: object, make: Callable[[], Symbol | None]) -> Symbol | None:
        key = id(element)
        if key not in self._symbols:
            self._symbols[key] = make()
        return self._symbols[key]

    def table_symbol(self, table: Table) -> Symbol | None:
        return self._memo(table, lambda: sym.table_symbol(table))

    def alias_symbol(self, table: Table) -> Symbol | None:
        key = id(table)
        if key not in self._alias_symbols:
            self._alias_symbols[key] = sym.alias_symbol(table)
        return self._alias_symbols[key]

    def column_symbol(self, owner: Owner | None, name: str) -> Symbol | None:
        if owner is None:
            return None
        if owner[0] == "table":
            table = self.schema.table(owner[1])
            if table is None:
                return None
            column = table.column(name)
            container = table.qualified
        else:
            partial = self.partials.get(owner[1])
            if partial is None:
                return None
            column = next((c for c in partial.columns if c.name == name), None)
            container = partial.name
        if column is None:
            return None
        if column.from_partial is not None:
            container = column.from_partial
        return self._memo(column, lambda: sym.column_symbol(column, container))

    def enum_symbol(self, parts: tuple[str, ...]) -> tuple[Enum | None, Symbol | None]:
        enum = self.schema.enum(key_of(parts)) if parts else None
        if enum is None:
            return None, None
        return enum, self._memo(enum, lambda: sym.enum_symbol(enum))

    def resolve(self, raw: Raw, owner: Owner | None, file: str, base: int) -> Occurrence | None:
        """The occurrence for a raw name, or None for names that are not symbols (a plain type)."""
        kind = raw.kind
        symbol: Symbol | None = None
        via_alias = False
        if kind == "table":
            table, via_alias = self.table(raw.scope)
            if table is not None:
                symbol = self.table_symbol(table)
        elif kind == "alias":
            aliased, _ = self.table(raw.scope)
            if aliased is not None and aliased.alias == raw.name:
                symbol = self.alias_symbol(aliased)
        elif kind == "column":
            if raw.scope == OWNER:
                symbol = self.column_symbol(owner, raw.name)
            else:
                parts = raw.scope[1]
                if not parts:  # `Ref: col > t.c` without a table: unresolvable
                    symbol = None
                else:
                    table, _ = self.table(parts)
                    if table is not None:
                        symbol = self.column_symbol(("table", table.key), raw.name)
        elif kind == "enum":
            enum, symbol = self.enum_symbol(raw.scope)
            if enum is None and raw.role == "ref":
                return None  # a type that is not an enum
        elif kind == "enum_value":
            enum, _ = self.enum_symbol(raw.scope)
            if enum is not None:
                value = next((v for v in enum.values if v.name == raw.name), None)
                if value is not None:
                    symbol = self._memo(value, lambda: sym.enum_value_symbol(value, enum))
        elif kind == "partial":
            partial = self.partials.get(raw.scope[0])
            if partial is not None:
                symbol = self._memo(partial, lambda: sym.partial_symbol(partial))
        elif kind == "group":
            group = self.groups.get(raw.scope[-1])
            if group is not None:
                symbol = self._memo(group, lambda: sym.group_symbol(group))
        elif kind == "query":
            query = self.queries.get(raw.scope[-1])
            if query is not None:
                symbol = self._memo(query, lambda: sym.query_symbol(query))
        elif kind == "note":
            note = self.notes.get(raw.scope[-1])
            if note is not None:
                symbol = self._memo(note, lambda: sym.note_symbol(note))
        elif kind == "import":
            symbol, kind = self._imported(raw.scope[1], raw.scope[2])
        start, end = base + raw.start, base + raw.end
        if raw.role == "def" and symbol is not None and (symbol.file != file or symbol.start != start):
            # a second definition of a name (an error elsewhere): its own symbol
            symbol = Symbol(kind, raw.name, file, start, end, start)
        return Occurrence(file, start, end, kind, raw.role, raw.name, symbol, via_alias)

    def _imported(self, what: str, parts: tuple[str, ...]) -> tuple[Symbol | None, str]:
        if what == "table":
            table = self.schema.table(key_of(parts)) if parts else None
            return (self.table_symbol(table) if table is not None else None), "table"
        if what == "enum":
            return self.enum_symbol(parts)[1], "enum"
        if what == "tablepartial":
            partial = self.partials.get(".".join(parts))
            return (self._memo(partial, lambda: sym.partial_symbol(partial)) if partial else None), "partial"
        if what == "tablegroup":
            group = self.groups.get(parts[-1])
            return (self._memo(group, lambda: sym.group_symbol(group)) if group else None), "group"
        if what == "note":
            note = self.notes.get(parts[-1])
            return (self._memo(note, lambda: sym.note_symbol(note)) if note else None), "note"
        return None, "schema"

    def sql(self, names: BlockNames, file: str, base: int) -> list[Occurrence]:
        """Names inside a Query's SQL that are tables or columns of the schema."""
        if not names.sql:
            return []
        sql_start, scan = names.sql
        offset = base + sql_start
        tables = [self.table(parts)[0] for parts in scan.tables]
        query_tables = [t for t in tables if t is not None]
        by_alias = {alias: self.table(parts)[0] for alias, parts in scan.aliases.items()}
        out = []
        for name in scan.names:
            symbol = None
            kind = "column"
            via_alias = False
            if name.kind == "table":
                table = self.table(name.parts)[0]
                kind = "table"
                symbol = self.table_symbol(table) if table is not None else None
            elif name.kind == "qualifier":
                kind = "table"
                table = by_alias.get(name.parts[0]) if len(name.parts) == 1 else None
                via_alias = table is not None
                if table is None:
                    table = self.table(name.parts)[0]
                if table is not None and not via_alias:
                    symbol = self.table_symbol(table)
                elif table is not None:
                    continue  # an alias of the query itself
            elif name.kind == "column":
                if name.parts:
                    table = by_alias.get(name.parts[0]) if len(name.parts) == 1 else None
                    if table is None:
                        table = self.table(name.parts)[0]
                    candidates = [table] if table is not None else []
                else:
                    candidates = query_tables
                for table in candidates:
                    if table.column(name.name) is not None:
                        symbol = self.column_symbol(("table", table.key), name.name)
                        break
            else:
                continue
            if symbol is None:
                continue
            out.append(
                Occurrence(
                    file, offset + name.start, offset + name.end, kind, "ref", name.name, symbol, via_alias, True
                )
            )
        return out


class FileIndex:
    """The occurrences of one analysed file, in source order."""

    def __init__(self, occurrences: list[Occurrence]) -> None:
        self.occurrences = sorted(occurrences, key=lambda o: o.start)
        self._starts = [o.start for o in self.occurrences]

    def at(self, offset: int) -> Occurrence | None:
        """The occurrence under `offset` (a cursor at either end of a name counts)."""
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and self.occurrences[i].contains(offset):
            return self.occurrences[i]
        return None

    def of(self, symbol: Symbol) -> list[Occurrence]:
        return [o for o in self.occurrences if o.symbol == symbol]


class FileView:
    """An analysed file, with its resolver and (built on first use) the index of all its names."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.path = analysis.path
        self.schema = analysis.schema
        self.resolver = Resolver(analysis.schema)
        self._index: FileIndex | None = None
        self.cache: dict = {}  # other things derived from this analysis (diagrams for hovers...)

    @property
    def text(self) -> str:
        return self.analysis.source.text

    def refs_by_table(self) -> dict[tuple[str, str], list[int]]:
        """Indexes into `schema.refs` of the relationships that touch each table."""
        got = self.cache.get("refs_by_table")
        if got is None:
            got = self.cache["refs_by_table"] = {}
            for i, ref in enumerate(self.schema.refs):
                got.setdefault(ref.left.table_key, []).append(i)
                if ref.right.table_key != ref.left.table_key:
                    got.setdefault(ref.right.table_key, []).append(i)
        return got

    def entry_occurrences(self, entry: BlockEntry) -> list[Occurrence]:
        names = block_names(entry)
        base = entry.anchor.offset
        out = []
        for raw in names.raws:
            occ = self.resolver.resolve(raw, names.owner, self.path, base)
            if occ is not None:
                out.append(occ)
        out.extend(self.resolver.sql(names, self.path, base))
        return out

    @property
    def index(self) -> FileIndex:
        if self._index is None:
            occurrences: list[Occurrence] = []
            for entry in self.analysis.source.entries:
                occurrences.extend(self.entry_occurrences(entry))
            self._index = FileIndex(occurrences)
        return self._index

    def occurrence_at(self, offset: int) -> Occurrence | None:
        """The name under `offset`, looking at the block there only (unless the index is built)."""
        if self._index is not None:
            return self._index.at(offset)
        entry = self.analysis.source.entry_at(offset)
        if entry is None:
            return None
        return FileIndex(self.entry_occurrences(entry)).at(offset)
