"""From one block's syntax tree to model elements (the part of binding that needs no other block).

The result is cached with the block's anchor, so after an edit only the edited block is declared
again; names that point at other blocks (ref endpoints, partials, groups, enum values) are kept raw
here and resolved by the linker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..findings import Finding
from ..syntax import ast
from .errors import error, warning
from .record import record
from .schema import (
    DEFAULT_SCHEMA,
    Body,
    Check,
    Column,
    ColumnType,
    Dependency,
    DiagramView,
    Enum,
    EnumValue,
    Index,
    IndexKey,
    Literal,
    Project,
    Query,
    Records,
    Setting,
    StickyNote,
    Table,
    TableGroup,
    TablePartial,
    key_of,
)
from .settings import PROJECT_FACTS, ReadSettings, custom_value, fold_number, literal_of, read_settings
from .spans import Anchor, Span

# DiagramView sections and the kind of element each one lists
VIEW_SECTIONS = {"tables": "table", "notes": "note", "tablegroups": "group", "schemas": "schema"}

MAX_TYPE_ARGUMENT = 40  # characters of one argument of a column type (`varchar(255)`, `decimal(10,2)`)

# one item of a `use { ... }` list: (kind, name parts, alias, span)
ImportItem = tuple[str, tuple[str, ...], str | None, Span]

# what a table or partial body declares: columns, indexes, checks, dependencies, records
TableBody = tuple[list[Column], list[Index], list[Check], list[Dependency], list[Records]]


@record
class RawEndpoint:
    """An endpoint as written: name parts (1 to 3) and, for composite refs, the column tuple."""

    parts: tuple[str, ...]
    tuple_columns: tuple[str, ...] | None
    span: Span
    part_spans: tuple[Span, ...]


@record
class RawRef:
    left: RawEndpoint
    op: str
    right: RawEndpoint
    name: str | None
    on_delete: str | None
    on_update: str | None
    color: str | None
    inline: bool
    span: Span
    inactive: bool = False


@record
class Injection:
    name: str
    position: int  # index among the table's own columns where the partial's columns go
    span: Span


@record
class NamedRef:
    """A name to check in the linker (group member, records target, DiagramView entry...); `kind` says
    what it names where a block can name several kinds (a DiagramView's tables, notes, tablegroups,
    schemas)."""

    parts: tuple[str, ...]
    span: Span
    kind: str = "table"


@dataclass
class Decl:
    """What one block declares. A file that imports elements also links `name` decls: another local
    name of an element imported twice, element = (kind, name, first name), names as (schema, name)."""

    kind: str
    # by kind: Table, TablePartial, Enum, TableGroup, StickyNote, Project, Query, DiagramView, Records;
    # for `name` decls the (kind, name, first name) tuple; None for `ref` and `use`
    element: Any = None
    refs: list[RawRef] = field(default_factory=list)
    injections: list[Injection] = field(default_factory=list)
    members: list[NamedRef] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    imports: Any = None  # for `use` blocks: (reuse, path, path_span, items or None for '*')
    recovered: bool = False  # the block had syntax errors: some of its content may be missing
    origin: str | None = None  # the file that declares it, when imported into another file


def declare(block: ast.Block, anchor: Anchor, *, recovered: bool = False) -> Decl:
    """Declarations of one block; `recovered` says the block had syntax errors (so problems that
    are only a consequence of them, like a table left without columns, are not reported again)."""
    return _Declarer(block, anchor, recovered).run()


def _str_value(value: object) -> str | None:
    """The value of a string, color, expression, action or index type setting (None when not given)."""
    assert value is None or isinstance(value, str), value  # read_settings checked the kind
    return value


def _str(value: object) -> str:
    assert isinstance(value, str), value  # read_settings checked the kind
    return value


def _text(settings: ReadSettings, key: str) -> str | None:
    return _str_value(settings.first(key))


class _Declarer:
    def __init__(self, block: ast.Block, anchor: Anchor, recovered: bool) -> None:
        self.block = block
        self.anchor = anchor
        self.recovered = recovered
        self.findings: list[Finding] = []

    def span(self, start: int, end: int) -> Span:
        return Span(self.anchor, start, end)

    def run(self) -> Decl:
        decl = DECLARERS[self.block.kind](self, self.block)
        decl.findings.extend(self.findings)
        decl.recovered = self.recovered
        return decl

    # ------------------------------------------------------------ helpers

    def _body(self, block: ast.Block) -> Body | None:
        if block.body is None:
            return None
        b = block.body
        return Body(self.span(b.open_end, b.open_end), self.span(b.close_start, b.close_start))

    def _name_span(self, block: ast.Block) -> Span | None:
        return self.span(block.name.start, block.name.end) if block.name is not None else None

    def _named(self, block: ast.Block) -> ast.Path:
        """The name of a block whose kind the grammar always names (tables, enums, partials...)."""
        assert block.name is not None, block.kind
        return block.name

    def _path_span(self, path: ast.Path) -> Span:
        return self.span(path.start, path.end)

    def _schema_and_name(self, path: ast.Path) -> tuple[str, str]:
        """(schema, name): `a.b.c` is table `c` in schema `a.b`, as DBML reads it."""
        return key_of(path.parts)

    def _notes(self, items: tuple, settings_note: str | None, what: str) -> str | None:
        """The element's note: a `Note` in the body wins over a `note:` setting; two in the body clash."""
        body_note = None
        for item in items:
            if isinstance(item, ast.NoteElement):
                if body_note is not None:
                    self.findings.append(
                        error("E114", f"this {what} already has a note", self.span(item.start, item.end))
                    )
                    continue
                body_note = item.text
        return body_note if body_note is not None else settings_note

    def _endpoint(self, e: ast.Endpoint) -> RawEndpoint:
        return RawEndpoint(
            e.path.parts,
            tuple(n.text for n in e.tuple_columns) if e.tuple_columns is not None else None,
            self.span(e.start, e.end),
            tuple(self.span(n.start, n.end) for n in e.path.names),
        )

    # ------------------------------------------------------------ tables and partials

    def _table(self, block: ast.Block) -> Decl:
        decl = Decl("table")
        path = self._named(block)
        schema, name = self._schema_and_name(path)
        settings = read_settings(block.settings, "table", self.span, self.findings)
        columns, indexes, checks, deps, records = self._table_body(block, decl, owner=None)
        if not columns and not decl.injections and not self.recovered:
            self.findings.append(error("E116", f"table '{name}' has no columns", self._path_span(path)))
        decl.element = Table(
            name=name,
            schema=schema,
            alias=block.alias.text if block.alias is not None else None,
            columns=tuple(columns),
            indexes=tuple(indexes),
            checks=tuple(checks),
            note=self._notes(block.items, _text(settings, "note"), "table"),
            header_color=_text(settings, "headercolor"),
            partials=tuple(i.name for i in decl.injections),
            partial_positions=tuple(i.position for i in decl.injections),
            dependencies=tuple(deps),
            records=tuple(records),
            renamed_from=_text(settings, "renamed_from"),
            settings=tuple(settings.extra),
            span=self.span(block.start, block.end),
            name_span=self._name_span(block),
            settings_span=self.span(block.settings.start, block.settings.end) if block.settings else None,
            body=self._body(block),
        )
        return decl

    def _partial(self, block: ast.Block) -> Decl:
        decl = Decl("partial")
        path = self._named(block)
        name = path.dotted
        if len(path.names) > 1:
            self.findings.append(error("E121", "a table partial name has no schema", self._path_span(path)))
        settings = read_settings(block.settings, "partial", self.span, self.findings)
        columns, indexes, checks, _deps, _records = self._table_body(block, decl, owner=name)
        self._check_partial(columns, indexes, decl)
        decl.element = TablePartial(
            name=name,
            columns=tuple(columns),
            indexes=tuple(indexes),
            checks=tuple(checks),
            note=self._notes(block.items, _text(settings, "note"), "table partial"),
            header_color=_text(settings, "headercolor"),
            settings=tuple(settings.extra),
            span=self.span(block.start, block.end),
            name_span=self._name_span(block),
        )
        return decl

    def _check_partial(self, columns: list[Column], indexes: list[Index], decl: Decl) -> None:
        """What can be checked inside a partial alone: index columns and self-references."""
        names = {c.name for c in columns}
        for index in indexes:
            for key in index.keys:
                if key.kind == "column" and key.value not in names and index.span is not None:
                    self.findings.append(error("E102", f"the partial has no column '{key.value}'", index.span))
        for raw in decl.refs:
            if len(raw.right.parts) == 1 and raw.right.parts == raw.left.parts:
                self.findings.append(error("E113", "a relationship cannot link a column to itself", raw.span))

    def _table_body(self, block: ast.Block, decl: Decl, owner: str | None) -> TableBody:
        columns: list[Column] = []
        indexes: list[Index] = []
        checks: list[Check] = []
        deps: list[Dependency] = []
        records: list[Records] = []
        seen: dict[str, ast.Column] = {}
        injected: set[str] = set()
        for item in block.items:
            if isinstance(item, ast.Column):
                if item.name.text in seen:
                    self.findings.append(
                        error(
                            "E106",
                            f"column '{item.name.text}' is defined twice",
                            self.span(item.name.start, item.name.end),
                        )
                    )
                    continue
                seen[item.name.text] = item
                columns.append(self._column(item, decl, owner))
            elif isinstance(item, ast.PartialInjection):
                if item.name.text in injected:
                    self.findings.append(
                        error("E120", f"partial '{item.name.text}' is injected twice", self.span(item.start, item.end))
                    )
                    continue
                injected.add(item.name.text)
                decl.injections.append(Injection(item.name.text, len(columns), self.span(item.start, item.end)))
            elif isinstance(item, ast.SubBlock):
                if item.kind == "indexes":
                    indexes.extend(self._index(e, owner) for e in item.elements)
                elif item.kind == "checks":
                    checks.extend(self._check(e, owner) for e in item.elements)
                else:
                    deps.extend(
                        Dependency(
                            tuple(n.text for n in e.left),
                            tuple(n.text for n in e.right),
                            self.span(e.start, e.end),
                        )
                        for e in item.elements
                    )
            elif isinstance(item, ast.Records):
                records.append(self._rows(item))
        return columns, indexes, checks, deps, records

    def _column(self, c: ast.Column, decl: Decl, owner: str | None) -> Column:
        settings = read_settings(c.settings, "column", self.span, self.findings)
        if settings.has("null") and settings.has("not null") and c.settings is not None:
            self.findings.append(
                error(
                    "E109", "a column cannot be both 'null' and 'not null'", self.span(c.settings.start, c.settings.end)
                )
            )
        not_null = True if settings.has("not null") else (False if settings.has("null") else None)
        col_span = self.span(c.start, c.end)
        for value, s in settings.all("ref"):
            assert isinstance(value, ast.Value) and value.op is not None, value  # read_settings checked the kind
            target = value.paths[0]
            decl.refs.append(
                RawRef(
                    left=RawEndpoint((c.name.text,), None, self.span(c.name.start, c.name.end), ()),
                    op=value.op,
                    right=RawEndpoint(
                        target.parts,
                        None,
                        self.span(target.start, target.end),
                        tuple(self.span(n.start, n.end) for n in target.names),
                    ),
                    name=None,
                    on_delete=None,
                    on_update=None,
                    color=None,
                    inline=True,
                    span=self.span(s.start, s.end),
                )
            )
        t = c.type
        args = t.args
        if args is not None and any(len(a.strip()) > MAX_TYPE_ARGUMENT for a in args):
            # no engine has a length or precision of more digits; Python refuses to read such a number
            self.findings.append(
                error(
                    "E122",
                    f"type '{t.base}' has an argument longer than {MAX_TYPE_ARGUMENT} characters",
                    self.span(c.start, c.end),
                )
            )
            args = None  # the type as if written without arguments; the error says why
        column_type = ColumnType(t.base, t.schema, args, t.dims)
        default = settings.first("default")
        assert default is None or isinstance(default, Literal), default  # read_settings checked the kind
        checks = settings.all("check")
        return Column(
            name=c.name.text,
            type=column_type,
            pk=bool(settings.first("pk", False)),
            not_null=not_null,
            unique=bool(settings.first("unique", False)),
            increment=bool(settings.first("increment", False)),
            default=default,
            note=_text(settings, "note"),
            checks=tuple([Check(_str(expr), None, owner, self.span(s.start, s.end)) for expr, s in checks]),
            renamed_from=_text(settings, "renamed_from"),
            settings=tuple(settings.extra),
            from_partial=owner,
            span=col_span,
            name_span=self.span(c.name.start, c.name.end),
            type_span=self.span(t.start, t.end),
            settings_span=self.span(c.settings.start, c.settings.end) if c.settings else None,
        )

    def _index(self, e: ast.IndexElement, owner: str | None) -> Index:
        settings = read_settings(e.settings, "index", self.span, self.findings)
        keys = tuple(IndexKey(p.kind, p.text) for p in e.parts)
        include = settings.first("include", ())
        assert isinstance(include, tuple), include  # read_settings checked the kind
        return Index(
            keys=keys,
            name=_text(settings, "name"),
            unique=bool(settings.first("unique", False)),
            pk=bool(settings.first("pk", False)),
            type=_text(settings, "type"),
            note=_text(settings, "note"),
            where=_text(settings, "where"),
            include=include,
            from_partial=owner,
            span=self.span(e.start, e.end),
        )

    def _check(self, e: ast.CheckElement, owner: str | None) -> Check:
        settings = read_settings(e.settings, "check", self.span, self.findings)
        return Check(e.expression, _text(settings, "name"), owner, self.span(e.start, e.end))

    def _rows(self, r: ast.Records) -> Records:
        """Rows as literals; without a column list `columns` stays empty and the linker fills in all
        the table's columns (partials' included). Values are fitted to their columns by the linker."""
        columns = tuple(n.text for n in r.columns) if r.columns else ()
        rows = []
        row_spans = []
        value_spans = []
        for values, (start, end) in zip(r.rows, r.row_spans):
            row = []
            for v in values:
                literal = literal_of(v)
                if literal is None:
                    self.findings.append(
                        error(
                            "E111",
                            f"'{v.text}' is not a valid value: write a number, a 'string', true, false, null, "
                            "an enum value (status.active) or a `backtick expression`",
                            self.span(v.start, v.end),
                        )
                    )
                    literal = Literal("null", "null")
                row.append(literal)
            rows.append(tuple(row))
            row_spans.append(self.span(start, end))
            value_spans.append(tuple(self.span(v.start, v.end) for v in values))
        return Records(columns, tuple(rows), self.span(r.start, r.end), tuple(row_spans), tuple(value_spans))

    # ------------------------------------------------------------ other blocks

    def _enum(self, block: ast.Block) -> Decl:
        path = self._named(block)
        schema, name = self._schema_and_name(path)
        settings = read_settings(block.settings, "enum", self.span, self.findings)
        values = []
        seen = set()
        for item in block.items:
            if item.name.text in seen:
                self.findings.append(
                    error("E106", f"enum value '{item.name.text}' is listed twice", self.span(item.start, item.end))
                )
                continue
            seen.add(item.name.text)
            value_settings = read_settings(item.settings, "enum_value", self.span, self.findings)
            values.append(
                EnumValue(
                    item.name.text,
                    _text(value_settings, "note"),
                    renamed_from=_text(value_settings, "renamed_from"),
                    span=self.span(item.start, item.end),
                )
            )
        if not values:
            self.findings.append(error("E115", f"enum '{name}' has no values", self._path_span(path)))
        enum = Enum(
            name,
            schema,
            tuple(values),
            _text(settings, "note"),
            self.span(block.start, block.end),
            self._name_span(block),
            renamed_from=_text(settings, "renamed_from"),
        )
        return Decl("enum", enum)

    def _ref(self, block: ast.Block) -> Decl:
        decl = Decl("ref")
        block_settings = read_settings(block.settings, "ref", self.span, self.findings)
        name = block.name.dotted if block.name is not None else None
        for rel in block.items:
            settings = read_settings(rel.settings, "ref", self.span, self.findings)

            def pick(key: str, settings: ReadSettings = settings) -> object:
                return settings.first(key) if settings.has(key) else block_settings.first(key)

            decl.refs.append(
                RawRef(
                    left=self._endpoint(rel.left),
                    op=rel.op,
                    right=self._endpoint(rel.right),
                    name=name,
                    on_delete=_str_value(pick("delete")),
                    on_update=_str_value(pick("update")),
                    color=_str_value(pick("color")),
                    inactive=bool(pick("inactive")),
                    inline=False,
                    span=self.span(rel.start, rel.end),
                )
            )
        return decl

    def _group(self, block: ast.Block) -> Decl:
        decl = Decl("group")
        settings = read_settings(block.settings, "group", self.span, self.findings)
        if block.name is None:
            name, schema = "", DEFAULT_SCHEMA
        else:
            schema, name = DEFAULT_SCHEMA, block.name.dotted
            if len(block.name.names) > 1:
                self.findings.append(error("E121", "a table group name has no schema", self._path_span(block.name)))
        members = []
        for item in block.items:
            if isinstance(item, ast.Path):
                if len(item.parts) > 2:
                    self.findings.append(
                        error(
                            "E121",
                            "a table group lists tables as table or schema.table",
                            self.span(item.start, item.end),
                        )
                    )
                    continue
                decl.members.append(NamedRef(item.parts, self.span(item.start, item.end)))
                members.append(item.parts)
        decl.element = TableGroup(
            name=name,
            schema=schema,
            tables=(),
            note=self._notes(block.items, _text(settings, "note"), "table group"),
            color=_text(settings, "color"),
            settings=tuple(settings.extra),
            span=self.span(block.start, block.end),
            name_span=self._name_span(block),
        )
        return decl

    def _note(self, block: ast.Block) -> Decl:
        settings = read_settings(block.settings, "note", self.span, self.findings)
        texts = [i.text for i in block.items]
        if len(texts) > 1:
            self.findings.append(
                error("E114", "a sticky note holds one string", self.span(block.items[1].start, block.items[-1].end))
            )
        note = StickyNote(
            self._named(block).dotted,
            texts[0] if texts else "",
            _text(settings, "color") or _text(settings, "headercolor"),
            self.span(block.start, block.end),
        )
        return Decl("note", note)

    def _records(self, block: ast.Block) -> Decl:
        """Top-level `Records table(cols) { ... }`: rows for a table declared elsewhere."""
        r: ast.Records = block.items[0]
        assert r.table is not None  # the grammar names the table of a top-level Records block
        decl = Decl("records")
        decl.element = self._rows(r)
        decl.members.append(NamedRef(r.table.parts, self._path_span(r.table)))
        return decl

    def _project(self, block: ast.Block) -> Decl:
        settings = read_settings(block.settings, "project", self.span, self.findings)
        database_type = None
        note = _text(settings, "note")
        extra = list(settings.extra)
        seen: set[str] = set()
        for item in block.items:
            if isinstance(item, ast.NoteElement):
                if note is not None:
                    self.findings.append(
                        error("E114", "the project already has a note", self.span(item.start, item.end))
                    )
                    continue
                note = item.text
                continue
            key = item.name.text.lower()
            here = self.span(item.start, item.end)
            if key in seen:
                self.findings.append(error("E110", f"'{item.name.text}' is given twice", here))
                continue
            seen.add(key)
            value = item.value
            text = fold_number(value.text) if value.kind == "number" else value.text
            if key == "database_type":
                database_type = text
            elif key == "note":
                note = text
            else:
                if key not in PROJECT_FACTS:
                    if not custom_value(value):
                        self.findings.append(
                            error("E109", f"a custom project setting takes a string, such as {key}: 'value'", here)
                        )
                        continue
                    self.findings.append(
                        warning("E108", f"unknown project setting '{item.name.text}' (kept as a design fact)", here)
                    )
                extra.append(Setting(key, text, here))
        project = Project(
            block.name.dotted if block.name is not None else None,
            database_type,
            note,
            tuple(extra),
            self.span(block.start, block.end),
        )
        return Decl("project", project)

    def _use(self, block: ast.Block) -> Decl:
        reuse, path_value, star = block.extra
        items: tuple[ImportItem, ...] | None = None
        if not star:
            items = tuple(
                (
                    i.kind.text.lower(),
                    i.path.parts,
                    i.alias.text if i.alias is not None else None,
                    self.span(i.start, i.end),
                )
                for i in block.items
            )
        decl = Decl("use")
        decl.imports = (reuse, path_value.text, self.span(path_value.start, path_value.end), items)
        return decl

    def _view(self, block: ast.Block) -> Decl:
        """A DiagramView: `{ * }` (everything) or sections Tables, Notes, TableGroups and Schemas, each
        listing names or `*`; the names are resolved by the linker."""
        read_settings(block.settings, "view", self.span, self.findings)
        decl = Decl("view")
        sections: list[tuple[str, tuple[str, ...]]] = []
        for section in block.items:
            here = self.span(section.start, section.end)
            if section.name.text == "*":
                sections.append(("*", ("*",)))
                continue
            kind = section.name.text.lower()
            if kind not in VIEW_SECTIONS:
                self.findings.append(
                    error(
                        "E109",
                        f"unknown DiagramView section '{section.name.text}'; use Tables, Notes, TableGroups or Schemas",
                        self.span(section.name.start, section.name.end),
                    )
                )
                continue
            entries = tuple("*" if e is None else e.dotted for e in section.entries)
            if "*" in entries and len(entries) > 1:
                self.findings.append(
                    warning("E109", f"'*' shows all {kind}: the names listed beside it change nothing", here)
                )
            for entry in section.entries:
                if entry is not None:
                    decl.members.append(NamedRef(entry.parts, self.span(entry.start, entry.end), VIEW_SECTIONS[kind]))
            sections.append((section.name.text, entries))
        decl.element = DiagramView(self._named(block).dotted, tuple(sections), self.span(block.start, block.end))
        return decl

    def _query(self, block: ast.Block) -> Decl:
        settings = read_settings(block.settings, "query", self.span, self.findings)
        sql_values = [i for i in block.items if isinstance(i, ast.Value)]
        note = self._notes(block.items, _text(settings, "note"), "query")
        here = self.span(block.start, block.end)
        if not sql_values:
            self.findings.append(error("E109", "a Query holds its SQL as a string: '''SELECT ...'''", here))
            sql, sql_span, offset = "", None, 0
        else:
            if len(sql_values) > 1:
                extra = sql_values[1]
                self.findings.append(error("E109", "a Query holds one SQL string", self.span(extra.start, extra.end)))
            v = sql_values[0]
            sql, sql_span = v.text, self.span(v.start, v.end)
            offset = _sql_offset(self.block_text(), v)
        query = Query(
            name=self._named(block).dotted,
            sql=sql,
            frequency=_text(settings, "frequency"),
            target=_text(settings, "target"),
            note=note,
            settings=tuple(settings.extra),
            span=here,
            name_span=self._name_span(block),
            sql_span=sql_span,
            sql_offset=offset,
        )
        return Decl("query", query)

    def block_text(self) -> str:
        return self.anchor.text


# how each kind of block is declared
DECLARERS: dict[ast.BlockKind, Callable[[_Declarer, ast.Block], Decl]] = {
    ast.BlockKind.PROJECT: _Declarer._project,
    ast.BlockKind.TABLE: _Declarer._table,
    ast.BlockKind.PARTIAL: _Declarer._partial,
    ast.BlockKind.ENUM: _Declarer._enum,
    ast.BlockKind.REF: _Declarer._ref,
    ast.BlockKind.GROUP: _Declarer._group,
    ast.BlockKind.NOTE: _Declarer._note,
    ast.BlockKind.RECORDS: _Declarer._records,
    ast.BlockKind.USE: _Declarer._use,
    ast.BlockKind.VIEW: _Declarer._view,
    ast.BlockKind.QUERY: _Declarer._query,
}


def _sql_offset(text: str, v: ast.Value) -> int:
    """Block offset of the first character of the SQL inside its string literal."""
    raw = text[v.start : v.end]
    quote = 3 if raw.startswith("'''") else 1
    body = raw[quote:-quote]
    if quote == 3:
        stripped = body.lstrip(" \t\r\n")
        return v.start + quote + (len(body) - len(stripped))
    return v.start + quote
