"""The linker: turn the declarations of all visible blocks into one Schema.

It builds the symbol tables (tables, aliases, enums, partials), injects partials with DBML's
precedence rules, resolves relationship endpoints, enum types and enum defaults, checks group
members, records and index columns, and reports what does not resolve. It touches every table, so it
is kept lean: objects are only rebuilt when something changes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from ..findings import Finding, Related
from .declare import Decl, Injection, RawEndpoint, RawRef
from .errors import error, warning
from .records import fit
from .schema import (
    DEFAULT_SCHEMA,
    Column,
    DiagramView,
    Endpoint,
    Enum,
    Literal,
    Project,
    Query,
    Records,
    Ref,
    Schema,
    StickyNote,
    Table,
    TableGroup,
    TableKey,
    TablePartial,
    find_table,
)
from .spans import Span

RELATIONS = {">": ("*", "1"), "<": ("1", "*"), "-": ("1", "1"), "<>": ("*", "*")}
# the partials and enums completing a table read, in order (None where a name is unknown)
CompletionDeps = tuple[TablePartial | Enum | None, ...]
RefKey = frozenset[tuple[str, str, tuple[str, ...]]]  # the two endpoints' (schema, table, columns)


class CompletedTable(NamedTuple):
    """A table as declared, what completing it read, the completed table and the findings on the way."""

    declared: Table
    deps: CompletionDeps
    table: Table
    findings: list[Finding]


class AttachedRecords(NamedTuple):
    """A table before its top-level records, those records, the table with them, and their findings."""

    table: Table
    records: tuple[Records, ...]
    completed: Table
    findings: list[Finding]


class ResolvedRef(NamedTuple):
    """A ref declaration resolved in its owner table, the tables its ends were found in, the result."""

    raw: RawRef
    owner: Table | None
    left: Table | None
    right: Table | None
    ref: Ref | None
    findings: list[Finding]
    key: RefKey | None  # the columns it joins, either way round: a second ref between them is an error


def _ref_key(ref: Ref | None) -> RefKey | None:
    if ref is None:
        return None
    return frozenset(
        (
            (ref.left.schema, ref.left.table, ref.left.columns),
            (ref.right.schema, ref.right.table, ref.right.columns),
        )
    )


def _same_ref(a: Ref | None, b: Ref | None) -> bool:
    """Whether two resolutions of one declaration say the same from the same place (equality leaves
    the positions out)."""
    return (
        a is not None
        and b is not None
        and a == b
        and a.span == b.span
        and a.left.span == b.left.span
        and a.right.span == b.right.span
        and a.from_partial == b.from_partial
    )


class LinkCache:
    """Resolved refs and completed tables from the previous link of the same file.

    A ref is resolved again only when its declaration or one of the tables it points at is a
    different object than last time (model elements are immutable, and unchanged blocks keep theirs),
    which keeps an edit to one table from re-resolving thousands of refs. Likewise a table is completed
    again (partials injected, enum types resolved, top-level records attached) only when its
    declaration or one of the partials, enums or records it uses changed, so an unchanged table keeps
    its identity across analyses and later stages (the linter) can cache by it.
    """

    def __init__(self) -> None:
        self.refs: dict[tuple[int, int], ResolvedRef] = {}
        self.tables: dict[int, CompletedTable] = {}
        self.records: dict[int, AttachedRecords] = {}
        # the names refs were looked up in last time: tables by key (before records), and aliases
        self.names: tuple[dict[TableKey, Table], dict[str, TableKey]] | None = None
        # each table group as declared (by id) and as resolved, kept while it resolves the same
        self.groups: dict[int, tuple[TableGroup, TableGroup]] = {}


def link(decls: Iterable[Decl], cache: LinkCache | None = None) -> tuple[Schema, list[Finding]]:
    return _Linker(list(decls), cache or LinkCache()).run()


class _Linker:
    def __init__(self, decls: list[Decl], cache: LinkCache) -> None:
        self.decls = decls
        self.cache = cache
        self.next_refs: dict[tuple[int, int], ResolvedRef] = {}
        self.next_tables: dict[int, CompletedTable] = {}
        self.findings: list[Finding] = []
        self.tables: dict[tuple[str, str], Table] = {}
        self.table_decls: dict[tuple[str, str], Decl] = {}
        self.aliases: dict[str, tuple[str, str]] = {}
        self.other_names: dict[tuple[str, str], tuple[str, str]] = {}  # second names of imported tables
        self.enums: dict[tuple[str, str], Enum] = {}
        self.partials: dict[str, tuple[TablePartial, Decl]] = {}
        self.groups: list[tuple[TableGroup, Decl]] = []
        self.notes: list[StickyNote] = []
        self.queries: list[Query] = []
        self.views: list[tuple[DiagramView, Decl]] = []
        self.project: Project | None = None
        self.top_records: list[Decl] = []

    def run(self) -> tuple[Schema, list[Finding]]:
        self._register()
        tables = {key: self._complete_table(key, table) for key, table in self.tables.items()}
        self.tables = tables
        refs = self._resolve_refs()
        self.cache.refs = self.next_refs
        self.cache.tables = self.next_tables
        self._attach_records()
        groups = self._resolve_groups()
        self._check_views()
        for table in self.tables.values():
            if len(table.records) > 1:  # records blocks of the table's own and written apart
                self._check_duplicate_records(table)
        schema = Schema(
            tables=tuple(self.tables.values()),
            refs=tuple(refs),
            enums=tuple(self.enums.values()),
            groups=tuple(groups),
            partials=tuple(p for p, _ in self.partials.values()),
            notes=tuple(self.notes),
            queries=tuple(self.queries),
            views=tuple(v for v, _ in self.views),
            project=self.project,
            other_names=self.other_names,
        )
        return schema, self.findings

    # ------------------------------------------------------------ registration

    def _duplicate(self, what: str, name: str, span: Span | None, first: Span | None) -> None:
        related = (Related(first, f"first definition of {what} '{name}'"),) if first is not None else ()
        self.findings.append(error("E105", f"{what} '{name}' is already defined", _at(span), related=related))

    def _register(self) -> None:
        seen_groups: dict[str, TableGroup] = {}
        seen_notes: dict[str, StickyNote] = {}
        seen_queries: dict[str, Query] = {}
        for decl in self.decls:
            kind = decl.kind
            el = decl.element
            if kind == "table":
                key = el.key
                if key in self.tables:
                    self._duplicate("table", el.qualified, el.name_span, self.tables[key].name_span)
                    continue
                if el.alias is not None and el.alias in self.aliases:
                    self._duplicate("alias", el.alias, el.name_span, self.tables[self.aliases[el.alias]].name_span)
                    el = replace(el, alias=None)
                self.tables[key] = el
                self.table_decls[key] = decl
                if el.alias is not None:
                    self.aliases[el.alias] = key
            elif kind == "enum":
                if el.key in self.enums:
                    self._duplicate("enum", el.qualified, el.name_span, self.enums[el.key].name_span)
                    continue
                self.enums[el.key] = el
            elif kind == "partial":
                if el.name in self.partials:
                    self._duplicate("table partial", el.name, el.name_span, self.partials[el.name][0].name_span)
                    continue
                self.partials[el.name] = (el, decl)
            elif kind == "group":
                if el.name and el.name in seen_groups:
                    self._duplicate("table group", el.name, el.name_span, seen_groups[el.name].name_span)
                    continue
                seen_groups[el.name] = el
                self.groups.append((el, decl))
            elif kind == "note":
                if el.name in seen_notes:
                    self._duplicate("sticky note", el.name, el.span, seen_notes[el.name].span)
                    continue
                seen_notes[el.name] = el
                self.notes.append(el)
            elif kind == "query":
                if el.name in seen_queries:
                    self._duplicate("query", el.name, el.name_span, seen_queries[el.name].name_span)
                    continue
                seen_queries[el.name] = el
                self.queries.append(el)
            elif kind == "view":
                if any(v.name == el.name for v, _ in self.views):
                    first = next(v for v, _ in self.views if v.name == el.name)
                    self._duplicate("diagram view", el.name, el.span, first.span)
                    continue
                self.views.append((el, decl))
            elif kind == "project":
                if self.project is not None:
                    self.findings.append(error("E105", "the project is already defined", _at(el.span)))
                    continue
                self.project = el
            elif kind == "records":
                self.top_records.append(decl)
            elif kind == "name" and el[0] == "table":  # an imported table's second name
                self.other_names.setdefault(el[1], el[2])
        for alias, key in list(self.aliases.items()):
            if (DEFAULT_SCHEMA, alias) in self.tables and (DEFAULT_SCHEMA, alias) != key:
                table = self.tables[key]
                self._duplicate("name", alias, table.name_span, self.tables[(DEFAULT_SCHEMA, alias)].name_span)

    # ------------------------------------------------------------ tables

    def _complete_table(self, key: tuple[str, str], table: Table) -> Table:
        """The table with its partials injected and enum types resolved, reused from the last link
        when the declaration and every partial and enum it reads are the same objects."""
        decl = self.table_decls[key]
        deps = self._completion_deps(table, decl)
        hit = self.cache.tables.get(id(table))
        if hit is not None and hit.declared is table and _same(hit.deps, deps):
            self.findings.extend(hit.findings)
            self.next_tables[id(table)] = hit
            return hit.table
        before = len(self.findings)
        declared = table
        if decl.injections:
            table = self._inject(table, decl.injections)
        table = self._resolve_enum_columns(table)
        if table.records:
            table = replace(table, records=tuple(self._fit_records(table, r) for r in table.records))
        self._check_table_names(table)
        self.next_tables[id(declared)] = CompletedTable(declared, deps, table, self.findings[before:])
        return table

    def _completion_deps(self, table: Table, decl: Decl) -> CompletionDeps:
        """The partials and enums that completing `table` reads (None where a name is unknown)."""
        partials = tuple(self.partials.get(inj.name, (None,))[0] for inj in decl.injections)
        if not self.enums and not any(c.default is not None and c.default.kind == "enum" for c in table.columns):
            return partials
        columns = list(table.columns)
        for partial in partials:
            if partial is not None:
                columns.extend(partial.columns)
        enums: list[Enum | None] = []
        for c in columns:
            enums.append(self.enums.get((c.type.schema or DEFAULT_SCHEMA, c.type.name)))
            if c.default is not None and c.default.kind == "enum":
                enums.append(self.enums.get(_enum_key(c.default.value.rpartition(".")[0])))
        return partials + tuple(enums)

    def _inject(self, table: Table, injections: list[Injection]) -> Table:
        """Inject partials: the table's own columns win, then the partial injected last.

        Each winning column sits where its partial is injected; indexes and checks of all partials
        are added; the table's own note and header color win over the partials' (the last one wins).
        """
        own = {c.name for c in table.columns}
        found: list[tuple[Injection, TablePartial]] = []
        winner: dict[str, Injection] = {}
        for inj in injections:
            got = self.partials.get(inj.name)
            if got is None:
                self.findings.append(error("E104", f"unknown table partial '{inj.name}'", inj.span))
                continue
            found.append((inj, got[0]))
            for column in got[0].columns:
                if column.name not in own:
                    winner[column.name] = inj
        at_position: dict[int, list[Column]] = {}
        for inj, partial in found:
            won = [c for c in partial.columns if winner.get(c.name) is inj]
            at_position.setdefault(inj.position, []).extend(won)
        columns: list[Column] = []
        for position, column in enumerate(table.columns):
            columns.extend(at_position.get(position, ()))
            columns.append(column)
        columns.extend(at_position.get(len(table.columns), ()))
        header_color, note = table.header_color, table.note
        indexes, checks = list(table.indexes), list(table.checks)
        for _inj, partial in reversed(found):  # DBML lists the last injected partial's indexes first
            indexes.extend(partial.indexes)
            checks.extend(partial.checks)
        for _inj, partial in found:
            if table.header_color is None and partial.header_color is not None:
                header_color = partial.header_color
            if table.note is None and partial.note is not None:
                note = partial.note
        if not columns:
            self.findings.append(error("E116", f"table '{table.name}' has no columns", _at(table.name_span)))
        return replace(
            table,
            columns=tuple(columns),
            indexes=tuple(indexes),
            checks=tuple(checks),
            header_color=header_color,
            note=note,
        )

    def _resolve_enum_columns(self, table: Table) -> Table:
        if not self.enums:
            if any(c.default is not None and c.default.kind == "enum" for c in table.columns):
                return replace(table, columns=tuple(self._enum_column(c) for c in table.columns))
            return table
        columns = tuple(self._enum_column(c) for c in table.columns)
        if all(a is b for a, b in zip(columns, table.columns)):
            return table
        return replace(table, columns=columns)

    def _enum_column(self, column: Column) -> Column:
        t = column.type
        enum = self.enums.get((t.schema or DEFAULT_SCHEMA, t.name)) if not t.args else None
        default = column.default
        changes: dict[str, Any] = {}
        if enum is not None and column.enum != enum.qualified:
            changes["enum"] = enum.qualified
        if default is not None and default.kind == "enum":
            changes["default"] = self._enum_default(column, enum, default)
        return replace(column, **changes) if changes else column

    def _enum_default(self, column: Column, enum: Enum | None, default: Literal) -> Literal:
        parts = default.value.split(".")
        value = parts[-1]
        enum_parts = parts[:-1]
        target = self.enums.get(_enum_key(".".join(enum_parts)))
        span = _at(column.settings_span or column.span)
        if target is None:
            self.findings.append(error("E103", f"unknown enum '{'.'.join(enum_parts)}' in the default", span))
        elif enum is None or target.key != enum.key:
            self.findings.append(
                error(
                    "E109",
                    f"the default is a value of enum '{target.qualified}' but the column is not of that type",
                    span,
                )
            )
        elif value not in target.value_names:
            self.findings.append(error("E103", f"enum '{target.qualified}' has no value '{value}'", span))
        return Literal("enum", value)

    def _check_table_names(self, table: Table) -> None:
        """Column names in indexes and dependencies must be the table's (kept with the completed table)."""
        names = {c.name for c in table.columns}
        for index in table.indexes:
            for key in index.keys:
                if key.kind == "column" and key.value not in names:
                    self.findings.append(
                        error("E102", f"table '{table.qualified}' has no column '{key.value}'", _at(index.span))
                    )
            for col in index.include:
                if col not in names:
                    self.findings.append(
                        error("E102", f"table '{table.qualified}' has no column '{col}'", _at(index.span))
                    )
        for dep in table.dependencies:
            for col in dep.left + dep.right:
                if col not in names:
                    self.findings.append(
                        error("E102", f"table '{table.qualified}' has no column '{col}'", _at(dep.span))
                    )

    # ------------------------------------------------------------ records

    def _attach_records(self) -> None:
        attached: dict[tuple[str, str], list[Records]] = {}
        for decl in self.top_records:
            target = decl.members[0]
            table = self._find_table(target.parts)
            if table is None:
                self.findings.append(error("E101", f"unknown table '{'.'.join(target.parts)}'", target.span))
                continue
            attached.setdefault(table.key, []).append(decl.element)
        previous, self.cache.records = self.cache.records, {}
        for key, found in attached.items():
            table = self.tables[key]
            hit = previous.get(id(table))
            if hit is not None and hit.table is table and _same(hit.records, found):
                self.tables[key] = hit.completed
                self.findings.extend(hit.findings)
                self.cache.records[id(table)] = hit
                continue
            before = len(self.findings)
            records = tuple(self._fit_records(table, r) for r in found)
            self.tables[key] = completed = replace(table, records=table.records + records)
            self.cache.records[id(table)] = AttachedRecords(table, tuple(found), completed, self.findings[before:])

    def _fit_records(self, table: Table, records: Records) -> Records:
        """The rows checked against the table and each value fitted to its column (see `records.fit`):
        a wrong shape (unknown column, wrong number of values, unknown enum) is an error, a value that
        does not fit its column a warning."""
        if not records.columns:
            records = replace(records, columns=tuple(c.name for c in table.columns))
        found = [table.column(c) for c in records.columns]
        for name, known in zip(records.columns, found):
            if known is None:
                self.findings.append(
                    error("E102", f"table '{table.qualified}' has no column '{name}'", _at(records.span))
                )
                return records
        columns = [c for c in found if c is not None]  # all of them
        row_spans = records.row_spans or (_at(records.span),) * len(records.rows)
        value_spans = records.value_spans or ((),) * len(records.rows)
        rows = []
        for row, row_span, spans in zip(records.rows, row_spans, value_spans):
            if len(row) != len(columns):
                self.findings.append(
                    error("E111", f"this row has {len(row)} values for {len(columns)} columns", row_span)
                )
                rows.append(row)
                continue
            fitted = []
            for i, (column, value) in enumerate(zip(columns, row)):
                where = spans[i] if i < len(spans) else row_span
                if value.kind == "enum" and not self._known_enum_value(value, where):
                    fitted.append(value)
                    continue
                enum = self.enums.get(_enum_key(column.enum)) if column.enum is not None else None
                value, problem = fit(column, value, enum)
                if problem:
                    self.findings.append(warning("E123", f"column '{column.name}': {problem}", where))
                fitted.append(value)
            rows.append(tuple(fitted))
        return replace(records, rows=tuple(rows))

    def _known_enum_value(self, value: Literal, where: Span) -> bool:
        """`status.active` in a record names an enum and one of its values: both must exist."""
        parts = value.value.split(".")
        key = _enum_key(".".join(parts[:-1]))
        enum = self.enums.get(key)
        if enum is None:
            self.findings.append(error("E103", f"unknown enum '{'.'.join(parts[:-1])}'", where))
            return False
        if parts[-1] not in enum.value_names:
            self.findings.append(error("E103", f"enum '{enum.qualified}' has no value '{parts[-1]}'", where))
            return False
        return True

    def _check_duplicate_records(self, table: Table) -> None:
        """DBML allows one records block per table (inside the table, at top level, or imported with
        the table): each of them is reported, so the one in the file at hand is too."""
        for records in table.records:
            others = tuple(
                Related(r.span, "another records block of this table")
                for r in table.records
                if r is not records and r.span is not None
            )
            self.findings.append(
                error(
                    "E111",
                    f"table '{table.qualified}' has {len(table.records)} records blocks; each table can have only one",
                    _at(records.span),
                    related=others,
                )
            )

    # ------------------------------------------------------------ refs

    def _find_table(self, parts: tuple[str, ...]) -> Table | None:
        return find_table(parts, self.tables, self.aliases, self.other_names)[0]

    def _resolve_refs(self) -> list[Ref]:
        refs: list[Ref] = []
        seen: dict[RefKey, Ref] = {}
        # With the same aliases as last time, a name that found a table can only mean something else if
        # that table changed or went away (a table added or renamed does not take a found name over,
        # unless imported second names are in play): a cached ref whose tables did not change needs no
        # lookup at all. A name that found nothing may find an added table: it is looked up again.
        previous = self.cache.names
        self.changed_keys: set[TableKey] | None = None
        self.lookup_missing = False
        if previous is not None and previous[1] == self.aliases:
            old = previous[0]
            if old.keys() == self.tables.keys():
                self.changed_keys = {k for k, t in self.tables.items() if old[k] is not t}
            elif not self.other_names:
                self.changed_keys = {k for k, t in self.tables.items() if old.get(k) is not t}
                self.changed_keys.update(k for k in old if k not in self.tables)
                self.lookup_missing = True
        self.cache.names = (dict(self.tables), dict(self.aliases))
        for decl in self.decls:
            if decl.kind == "ref":
                for raw in decl.refs:
                    self._add_ref(self._resolve(raw, None, None), refs, seen)
            elif decl.kind == "table" and (decl.refs or decl.injections):
                table = self.tables.get(decl.element.key)
                if table is None or self.table_decls.get(table.key) is not decl:
                    continue
                for raw in decl.refs:
                    self._add_ref(self._resolve(raw, table, None), refs, seen)
                for inj in decl.injections:
                    got = self.partials.get(inj.name)
                    if got is None:
                        continue
                    partial, partial_decl = got
                    for raw in partial_decl.refs:
                        column = table.column(raw.left.parts[0])
                        if column is None or column.from_partial != partial.name:
                            continue  # the table or a later partial defines this column
                        self._add_ref(self._resolve(raw, table, partial.name), refs, seen, quiet=True)
        return refs

    def _add_ref(self, resolved: ResolvedRef, refs: list[Ref], seen: dict[RefKey, Ref], quiet: bool = False) -> None:
        """Keep a resolved ref unless one between the same columns exists (an error, except for refs
        that come from partials, which DBML merges silently)."""
        ref, key = resolved.ref, resolved.key
        if ref is None or key is None:
            return
        first = seen.get(key)
        if first is not None and quiet:
            return
        if first is not None:
            related = (Related(first.span, "the first relationship between these columns"),) if first.span else ()
            self.findings.append(
                error("E112", "a relationship between these columns is already defined", _at(ref.span), related=related)
            )
            return
        seen[key] = ref
        refs.append(ref)

    def _resolve(self, raw: RawRef, owner: Table | None, from_partial: str | None) -> ResolvedRef:
        """A resolved ref, reused from the cache when nothing it depends on changed."""
        key = (id(raw), id(owner))
        hit = self.cache.refs.get(key)
        changed = self.changed_keys
        if (
            hit is not None
            and changed is not None
            and hit.raw is raw
            and hit.owner is owner
            and (hit.left.key not in changed if hit.left is not None else not self.lookup_missing)
            and (hit.right.key not in changed if hit.right is not None else not self.lookup_missing)
        ):
            self.findings.extend(hit.findings)
            self.next_refs[key] = hit
            return hit
        left_table = owner if raw.inline else self._lookup(raw.left, owner)
        right_table = self._lookup(raw.right, owner)
        if (
            hit is not None
            and hit.raw is raw
            and hit.owner is owner
            and hit.left is left_table
            and hit.right is right_table
        ):
            self.findings.extend(hit.findings)
            self.next_refs[key] = hit
            return hit
        before = len(self.findings)
        ref = self._resolve_now(raw, owner, from_partial)
        if hit is not None and hit.raw is raw and hit.owner is owner and _same_ref(hit.ref, ref):
            # a table it joins changed, the relationship did not: keeping the object keeps what later
            # stages hold by it (the linter's relationship lists stay the same lists)
            ref = hit.ref
        resolved = ResolvedRef(raw, owner, left_table, right_table, ref, self.findings[before:], _ref_key(ref))
        self.next_refs[key] = resolved
        return resolved

    def _resolve_now(self, raw: RawRef, owner: Table | None, from_partial: str | None) -> Ref | None:
        left = self._endpoint(raw.left, owner, inline_source=raw.inline)
        right = self._endpoint(raw.right, owner, inline_source=False)
        if left is None or right is None:
            return None
        (left_table, left_cols), (right_table, right_cols) = left, right
        if len(left_cols) != len(right_cols):
            self.findings.append(
                error(
                    "E107",
                    f"the endpoints have {len(left_cols)} and {len(right_cols)} columns; they must match",
                    raw.span,
                )
            )
            return None
        if left_table.key == right_table.key and left_cols == right_cols:
            if from_partial is None:  # DBML lets a partial's ref land on its own column (and drops it)
                self.findings.append(error("E113", "a relationship cannot link a column to itself", raw.span))
            return None
        left_rel, right_rel = RELATIONS[raw.op]
        return Ref(
            left=Endpoint(left_table.schema, left_table.name, left_cols, left_rel, raw.left.span),
            op=raw.op,
            right=Endpoint(right_table.schema, right_table.name, right_cols, right_rel, raw.right.span),
            name=raw.name,
            on_delete=raw.on_delete,
            on_update=raw.on_update,
            color=raw.color,
            inline=raw.inline,
            inactive=raw.inactive,
            from_partial=from_partial,
            span=raw.span,
        )

    @staticmethod
    def _split(raw: RawEndpoint, owner: Table | None) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Span, ...]]:
        """(table name parts, column names, spans of the table parts) of an endpoint as written."""
        parts = raw.parts
        if raw.tuple_columns is not None:
            return parts, raw.tuple_columns, raw.part_spans
        if len(parts) == 1 and owner is not None:  # `ref: > other_column` inside the same table
            return (), parts, ()
        return parts[:-1], parts[-1:], raw.part_spans[:-1]

    def _lookup(self, raw: RawEndpoint, owner: Table | None) -> Table | None:
        table_parts, _, _ = self._split(raw, owner)
        return self._find_table(table_parts) if table_parts else owner

    def _endpoint(
        self, raw: RawEndpoint, owner: Table | None, *, inline_source: bool
    ) -> tuple[Table, tuple[str, ...]] | None:
        if inline_source:
            assert owner is not None  # an inline ref is a setting of one of the owner's columns
            return owner, raw.parts
        table_parts, columns, table_spans = self._split(raw, owner)
        table: Table | None
        if not table_parts:
            if owner is None:
                self.findings.append(error("E101", f"'{raw.parts[0]}' needs a table: write table.column", raw.span))
                return None
            table = owner
        else:
            table = self._find_table(table_parts)
            if table is None:
                where = _join(table_spans) or raw.span
                self.findings.append(error("E101", f"unknown table '{'.'.join(table_parts)}'", where))
                return None
        for col in columns:
            if table.column(col) is None:
                decl = self.table_decls.get(table.key)
                if decl is not None and decl.recovered:
                    return None  # the column may be in the part of the table that did not parse
                col_span = raw.part_spans[-1] if raw.tuple_columns is None and raw.part_spans else raw.span
                self.findings.append(error("E102", f"table '{table.qualified}' has no column '{col}'", col_span))
                return None
        return table, tuple(columns)

    # ------------------------------------------------------------ groups

    def _resolve_groups(self) -> list[TableGroup]:
        groups = []
        previous_groups, self.cache.groups = self.cache.groups, {}
        member_of: dict[tuple[str, str], str] = {}
        for group, decl in self.groups:
            members = []
            for member in decl.members:
                table = self._find_table(member.parts)
                if table is None:
                    self.findings.append(error("E101", f"unknown table '{'.'.join(member.parts)}'", member.span))
                    continue
                if decl.origin is None and self.table_decls[table.key].origin is not None:
                    self.findings.append(
                        error(
                            "E125",
                            f"table group '{group.name}' lists imported table '{'.'.join(member.parts)}'; "
                            "a table group lists the tables of its own file",
                            member.span,
                        )
                    )
                    continue
                previous = member_of.get(table.key)
                if previous is not None:
                    self.findings.append(
                        error(
                            "E117",
                            f"table '{table.qualified}' is already in group '{previous}'; a table belongs to one group",
                            member.span,
                        )
                    )
                    continue
                member_of[table.key] = group.name
                members.append(table.key)
            resolved = replace(group, tables=tuple(members))
            kept = previous_groups.get(id(group))
            if kept is not None and kept[0] is group and kept[1] == resolved:
                resolved = kept[1]  # says the same: later stages keep what they cached by it
            self.cache.groups[id(group)] = (group, resolved)
            groups.append(resolved)
        return groups

    # ------------------------------------------------------------ diagram views

    def _check_views(self) -> None:
        """Every name a DiagramView lists must exist: tables (or aliases), sticky notes, table groups
        and schemas (a schema exists when a table or enum lives in it; `public` always does)."""
        if not self.views:
            return
        notes = {n.name for n in self.notes}
        groups = {g.name for g, _ in self.groups}
        schemas = {DEFAULT_SCHEMA} | {k[0] for k in self.tables} | {k[0] for k in self.enums}
        for _view, decl in self.views:
            for member in decl.members:
                name = ".".join(member.parts)
                if member.kind == "table":
                    if self._find_table(member.parts) is None:
                        self.findings.append(error("E101", f"unknown table '{name}'", member.span))
                    continue
                known = {"note": notes, "group": groups, "schema": schemas}[member.kind]
                if name not in known:
                    what = {"note": "sticky note", "group": "table group", "schema": "schema"}[member.kind]
                    self.findings.append(error("E124", f"unknown {what} '{name}'", member.span))


def _same(a: Sequence[object], b: Sequence[object]) -> bool:
    """Whether two sequences hold the very same objects."""
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


def _at(span: Span | None) -> Span:
    """Where a declared element stands: elements made from source text always carry their spans."""
    assert span is not None
    return span


def _join(spans: tuple[Span, ...]) -> Span | None:
    if not spans:
        return None
    return spans[0].sub(spans[0].start, spans[-1].end)


def _enum_key(qualified: str) -> tuple[str, str]:
    """(schema, name) of an enum written `name`, `schema.name` or `a.b.name` (schema `a.b`)."""
    schema, _, name = qualified.rpartition(".")
    return (schema or DEFAULT_SCHEMA, name)
