"""Running the rules: incremental caching, suppression comments, configuration, findings.

Results are cached per analysed file (per `SourceFile`, so per Workspace document) and keyed by the
identity of what each rule reads. Model elements are immutable and unchanged blocks keep their
objects, so after an edit to one table only that table's rules run again, plus the relationship rules
of the relationships that touch it and the queries that name it; whole-schema rules are cheap
aggregations that run every time.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable

from ..analysis.roles import TableRoles, is_junction, roles_of, schema_prefix
from ..dialects import dialect_name
from ..findings import Applicability, Finding, Fix, Related, Severity, TextEdit
from ..gcpause import gc_paused
from ..model.schema import DEFAULT_SCHEMA, Ref, Schema, Table
from ..workspace import Analysis, SourceFile
from .base import QUERY, REF, SCHEMA, TABLE, FixSpec, Hit, Rule
from .config import LintConfig, find_config
from .dialects import dialect_of
from .facts import TableFacts
from .fixes import canonical_edits
from .suppress import Suppression, find_suppressions

_MISSING = object()
# facts about the whole schema that table rules may read, by name: each computes it from a Context
SCHEMA_FACTS: dict[str, Callable[[Context], object]] = {}
UNUSED_SUPPRESSION = "S900"
BAD_SUPPRESSION = "S901"


class Context:
    """What a rule may read besides its element: the schema, the dialect, and derived facts.

    Rules read other tables, relationships, names and queries through these accessors, never
    through `schema` directly: while the rules of one element run, each read is recorded, and the
    cached results of that element are reused only while every recorded read gives the same answer.
    """

    def __init__(self, schema: Schema, dialect: str, path: str, state: LintState, *, declared: bool = True) -> None:
        self.schema = schema
        self.dialect = dialect
        self.dialect_declared = declared  # False: nobody named the engine (a plain DBML file); PostgreSQL assumed
        self.path = path
        self._state = state
        self._refs_from, self._refs_to, dirty_refs = _ref_maps(schema.refs, state)
        self._dirty_refs, self._dirty_referenced = self._dirty(schema, state, dirty_refs)
        self._names: frozenset[str] | None = None
        self._lower: dict[tuple[str, str], Table] | None = None
        self.memo: dict = {}
        self._reads: dict | None = None
        self._now: dict = {}  # the current answer of each read asked this run

    def _dirty(self, schema: Schema, state: LintState, dirty_refs: set | None) -> tuple[set | None, set | None]:
        """The table keys whose relationship reads (`refs_from`, `refs_to`, `fk_columns`) and whose
        `referenced` read may answer differently from the last run; None: any may (first run, reordered
        relationships). A read of a key outside these sets needs no recomputing."""
        tables = {t.key: t for t in schema.tables}
        before, state.table_map = state.table_map, tables
        if dirty_refs is None or before is None:
            return None, None
        changed = {k for k, t in tables.items() if before.get(k) is not t}
        changed.update(k for k in before if k not in tables)
        referenced = set(dirty_refs)
        for key in changed | dirty_refs:
            for ref in self._refs_from.get(key, ()):
                referenced.add(ref.pk_side.table_key)
        return dirty_refs, referenced

    # ------------------------------------------------------------ recorded reads

    def _record(self, kind: str, key, value):
        if self._reads is not None:
            self._reads.setdefault((kind, key), value)
        return value

    def reads_unchanged(self, reads: tuple) -> bool:
        """Whether every recorded read still gives the same answer. The current answers are computed once
        per run and key (many elements read the same table's references), then compared: by identity
        where the model keeps an object while it says the same, by value otherwise."""
        now = self._now
        dirty_refs, dirty_referenced = self._dirty_refs, self._dirty_referenced
        if (
            dirty_refs is not None
            and dirty_referenced is not None
            and isinstance(reads, Reads)
            and reads.ref_keys.isdisjoint(dirty_refs)
            and reads.referenced_keys.isdisjoint(dirty_referenced)
        ):
            reads = reads.others  # no relationship read of these keys can answer differently
        for read, value in reads:
            kind = read[0]
            if kind in _REF_READS:
                if dirty_refs is not None and read[1] not in dirty_refs:
                    continue
            elif kind == "referenced" and dirty_referenced is not None and read[1] not in dirty_referenced:
                continue
            current = now.get(read, _MISSING)
            if current is _MISSING:
                current = now[read] = self._read(*read)
            if kind in ("table", "sql", "names"):
                if current is not value:
                    return False
            elif kind in ("refs_from", "refs_to", "queries"):
                # the linker keeps a Ref object while it says the same: identity first, equality when not
                if not _same(value, current) and value != current:
                    return False
            elif current != value:
                return False
        return True

    def _read(self, kind: str, key):
        if kind == "table":
            return self.schema.table(key)
        if kind == "sql":
            return self._sql_table(*key)
        if kind == "names":
            return self._table_names()
        if kind == "queries":
            return self.schema.queries
        if kind == "refs_from":
            return _ref_content(self._refs_from.get(key, ()))
        if kind == "refs_to":
            return _ref_content(self._refs_to.get(key, ()))
        if kind == "referenced":
            return self._referenced(key)
        if kind == "fk_columns":
            return _fk_column_set(self._refs_from.get(key, ()))
        if kind == "prefix":
            return self._prefix()
        if kind == "schema_fact":
            # what the fact reads is the whole schema: not a read of the element being checked
            reads, self._reads = self._reads, None
            try:
                return SCHEMA_FACTS[key](self)
            finally:
                self._reads = reads
        raise ValueError(kind)

    # ------------------------------------------------------------ accessors

    def roles(self, table: Table) -> TableRoles:
        """The roles of a table (log, snapshot, lookup...), from its name, note and columns and the
        foreign keys around it. It reads only whether the table is referenced, its foreign key columns
        and the schema's name prefix, so that the roles (and what rules cached from them) survive edits
        that change none of those."""
        referenced = self._record("referenced", table.key, self._current("referenced", table.key))
        fk_columns = self._record("fk_columns", table.key, self._current("fk_columns", table.key))
        prefix = self.table_prefix
        key = (table.key, referenced, fk_columns, prefix)
        got = self._state.roles.get(key)
        if got is None or got.table is not table:
            got = self._state.roles[key] = roles_of(table, referenced=referenced, fk_columns=fk_columns, prefix=prefix)
        return got

    def _referenced(self, key: tuple[str, str]) -> bool:
        """Whether a table other than a junction table references this one (a table reached only
        through a junction, such as a playlist, is an entity in a many-to-many, not reference data)."""
        for ref in self._refs_to.get(key, ()):
            table = self.schema.table(ref.fk_side.table_key)
            if table is None or table.key == key:
                continue
            fk_columns = _fk_column_set(self._refs_from.get(table.key, ()))
            if not is_junction(table, fk_columns):
                return True
        return False

    def schema_fact(self, name: str):
        """A fact about the whole schema that table rules read (registered in SCHEMA_FACTS): computed
        once per run, and recorded like any read, so cached results follow it when it changes."""
        return self._record("schema_fact", name, self._current("schema_fact", name))

    def _current(self, kind: str, key):
        """A read's answer in this run, computed once."""
        read = (kind, key)
        got = self._now.get(read, _MISSING)
        if got is _MISSING:
            got = self._now[read] = self._read(kind, key)
        return got

    @property
    def table_prefix(self) -> str | None:
        """A name prefix most tables share (`oc_`, `wp_`), which says nothing of what a table holds."""
        return self._record("prefix", None, self._prefix())

    def _prefix(self) -> str | None:
        names = self._table_names()
        kept = self._state.prefix
        if kept is None or kept[0] is not names:
            kept = self._state.prefix = (names, schema_prefix(names))
        return kept[1]

    def facts(self, table: Table) -> TableFacts:
        got = self._state.next_facts.get(id(table))
        if got is None:
            old = self._state.facts.get(id(table))
            got = old if old is not None and old.table is table else TableFacts(table)
            self._state.next_facts[id(table)] = got
        return got

    def per_table(self, kind: str, compute, deps=None) -> list[tuple[Table, object]]:
        """`compute(table)` for every table, for whole-schema rules to aggregate. Values are kept
        across runs by the identity of the table and of `deps(table)` (other objects the value is
        computed from), and shared by the rules of one run."""
        got = self.memo.get(("per_table", kind))
        if got is not None:
            return got
        old = self._state.summaries.get(kind, {})
        new: dict[int, tuple] = {}
        out: list[tuple[Table, object]] = []
        for t in self.schema.tables:
            d = deps(t) if deps is not None else ()
            prev = old.get(id(t))
            kept = prev is not None and prev[0] is t and (prev[1] is d or _same(prev[1], d))
            entry = prev if kept else (t, d, compute(t))
            new[id(t)] = entry
            out.append((t, entry[2]))
        self._state.summaries[kind] = new
        self.memo[("per_table", kind)] = out
        return out

    def memo_across_runs(self, key: str, value=None):
        """A value a whole-schema rule keeps for its next run (set it by passing `value`)."""
        if value is not None:
            self._state.kept[key] = value
        return self._state.kept.get(key)

    def table(self, key: tuple[str, str] | str) -> Table | None:
        return self._record("table", key, self.schema.table(key))

    def table_named(self, name: str, schema_name: str = DEFAULT_SCHEMA) -> Table | None:
        """A table by name, ignoring case."""
        return self.sql_table(schema_name, name, False)

    def sql_table(self, schema_name: str | None, name: str, quoted: bool) -> Table | None:
        """The table an SQL name refers to: exact when quoted, else case-insensitively."""
        return self._record("sql", (schema_name, name, quoted), self._sql_table(schema_name, name, quoted))

    def _sql_table(self, schema_name: str | None, name: str, quoted: bool) -> Table | None:
        key = (schema_name or DEFAULT_SCHEMA, name)
        found = self.schema.table(key)
        if found is None and not quoted:
            if self._lower is None:
                self._lower = {}
                for t in self.schema.tables:
                    self._lower.setdefault((t.schema.lower(), t.name.lower()), t)
            found = self._lower.get((key[0].lower(), name.lower()))
        return found

    def refs_from(self, table: Table) -> list[Ref]:
        """Relationships whose foreign key columns are in `table`."""
        refs = self._refs_from.get(table.key, [])
        if self._reads is not None:
            self._record("refs_from", table.key, _ref_content(refs))
        return refs

    def refs_to(self, table: Table) -> list[Ref]:
        """Relationships that reference `table`'s columns."""
        refs = self._refs_to.get(table.key, [])
        if self._reads is not None:
            self._record("refs_to", table.key, _ref_content(refs))
        return refs

    def fk_columns(self, table: Table) -> tuple[tuple[str, ...], ...]:
        return tuple(sorted(r.fk_side.columns for r in self.refs_from(table)))

    @property
    def queries(self) -> tuple:
        return self._record("queries", None, self.schema.queries)

    @property
    def table_names(self) -> frozenset[str]:
        """Lowercased names of every table (bare and schema-qualified)."""
        return self._record("names", None, self._table_names())

    def _table_names(self) -> frozenset[str]:
        if self._names is None:
            names = frozenset(n for t in self.schema.tables for n in (t.name.lower(), t.qualified.lower()))
            old = self._state.names
            self._names = old if old == names else names
            self._state.names = self._names
        return self._names


def _ends(ref: Ref) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """(foreign key table, referenced table) of a relationship; None for many-to-many."""
    op = ref.op
    if op == "<>":
        return None
    fk, pk = (ref.right, ref.left) if op == "<" else (ref.left, ref.right)
    return (fk.schema, fk.table), (pk.schema, pk.table)


_REF_READS = frozenset(("refs_from", "refs_to", "fk_columns"))


class Reads(tuple):
    """What the rules of one element read, as ((kind, key), answer) pairs; the keys of its relationship
    reads are set apart, so that one set operation tells an edit elsewhere changed none of them."""

    ref_keys: frozenset
    referenced_keys: frozenset
    others: tuple

    def __new__(cls, items) -> Reads:
        self = super().__new__(cls, items)
        self.ref_keys = frozenset(read[1] for read, _ in self if read[0] in _REF_READS)
        self.referenced_keys = frozenset(read[1] for read, _ in self if read[0] == "referenced")
        self.others = tuple(x for x in self if x[0][0] not in _REF_READS and x[0][0] != "referenced")
        return self


def _ref_maps(refs: tuple[Ref, ...], state: LintState) -> tuple[dict, dict, set | None]:
    """Relationships by foreign key table and by referenced table, and the keys of the tables whose
    lists may differ from the last run (None: any may). After an edit most Ref objects are the same
    as last time: the maps of the last run are patched where a Ref was replaced by one between the
    same tables, and built anew otherwise."""
    old = state.ref_maps
    if old is not None and len(old[0]) == len(refs):
        changed = [i for i, (a, b) in enumerate(zip(old[0], refs)) if a is not b]
        if len(changed) < 200 and all(_ends(old[0][i]) == _ends(refs[i]) for i in changed):
            refs_from, refs_to = dict(old[1]), dict(old[2])
            for i in changed:
                before, after = old[0][i], refs[i]
                ends = _ends(after)
                if ends is None:
                    continue
                for maps, key in ((refs_from, ends[0]), (refs_to, ends[1])):
                    maps[key] = [after if r is before else r for r in maps[key]]
            state.ref_maps = (refs, refs_from, refs_to)
            return refs_from, refs_to, {k for i in changed for k in _ends(refs[i]) or ()}
    refs_from: dict[tuple[str, str], list[Ref]] = {}
    refs_to: dict[tuple[str, str], list[Ref]] = {}
    for ref in refs:
        ends = _ends(ref)
        if ends is None:
            continue
        for maps, key in ((refs_from, ends[0]), (refs_to, ends[1])):
            found = maps.get(key)
            if found is None:
                maps[key] = [ref]
            else:
                found.append(ref)
    state.ref_maps = (refs, refs_from, refs_to)
    return refs_from, refs_to, _changed_ends(old[0], refs) if old is not None else None


def _changed_ends(old: tuple[Ref, ...], new: tuple[Ref, ...]) -> set | None:
    """The table keys at the ends of the relationships added or removed between two runs; None when
    the ones kept changed order (the lists by table would too)."""
    old_ids, new_ids = set(map(id, old)), set(map(id, new))
    kept_old = [id(r) for r in old if id(r) in new_ids]
    kept_new = [id(r) for r in new if id(r) in old_ids]
    if kept_old != kept_new:
        return None
    out: set = set()
    for refs, other in ((old, new_ids), (new, old_ids)):
        for r in refs:
            if id(r) not in other:
                out.update(_ends(r) or ())
    return out


def _fk_column_set(refs) -> frozenset[str]:
    return frozenset(c for ref in refs for c in ref.fk_side.columns)


def _ref_content(refs) -> tuple:
    """What a relationship says, without positions (Refs compare equal when they say the same)."""
    return tuple(refs)


class LintState:
    """Cached results for one file."""

    def __init__(self) -> None:
        self.signature: tuple | None = None
        self.facts: dict[int, TableFacts] = {}
        self.next_facts: dict[int, TableFacts] = {}
        self.summaries: dict[str, dict[int, tuple]] = {}
        self.kept: dict[str, object] = {}
        self.ref_maps: tuple | None = None
        self.table_map: dict | None = None  # the tables of the last run, by key
        self.names: frozenset[str] | None = None
        self.prefix: tuple[frozenset[str], str | None] | None = None  # (names, the prefix they share)
        self.roles: dict[tuple, TableRoles] = {}  # by (table key, what the roles were read from)
        self.tables: dict[int, tuple] = {}
        self.refs: dict[int, tuple] = {}
        self.queries: dict[int, tuple] = {}
        self.schema: tuple | None = None

    def reset(self) -> None:
        self.__init__()


_STATES: weakref.WeakKeyDictionary[SourceFile, LintState] = weakref.WeakKeyDictionary()


def _state_for(source: SourceFile) -> LintState:
    state = _STATES.get(source)
    if state is None:
        state = _STATES[source] = LintState()
    return state


def lint(analysis: Analysis, config: LintConfig | None = None) -> list[Finding]:
    """Lint findings located in `analysis.path`: the enabled rules, filtered by the configuration and
    by suppression comments, with severities as configured and unused suppressions reported."""
    with gc_paused():  # like analysis: many small objects that survive, nothing cyclic to collect
        return _lint(analysis, config)


def _lint(analysis: Analysis, config: LintConfig | None) -> list[Finding]:
    from .registry import RULES

    if config is None:
        config = find_config(analysis.path)
    schema = analysis.schema
    path = analysis.path
    dialect = dialect_of(schema, config)
    codes = config.enabled_codes(path)
    rules = [RULES[c] for c in sorted(codes) if RULES[c].check is not None and RULES[c].applies_to(dialect)]
    state = _state_for(analysis.source)
    declared = dialect_name(schema.database_type) is not None or config.dialect is not None
    signature = (dialect, declared, frozenset(r.code for r in rules), config.severity)
    if state.signature != signature:
        state.reset()
        state.signature = signature
    ctx = Context(schema, dialect, path, state, declared=declared)
    broken = {id(e.anchor) for e in analysis.source.entries if e.parse.problems}
    hits = _run(rules, ctx, state, broken)
    state.facts.update(state.next_facts)
    state.next_facts = {}
    if len(state.facts) > 2 * len(schema.tables) + 64:  # drop the facts of tables that are gone
        live = {id(t) for t in schema.tables}
        state.facts = {k: v for k, v in state.facts.items() if k in live}
    if schema.partials:  # a partial's column is reported once per table that injects it
        hits = _dedupe(hits)
    suppressions = find_suppressions(analysis.source)
    if suppressions:
        hits = _apply_suppressions(hits, suppressions, codes, RULES)
    return _findings(hits, RULES, config, path)


# ------------------------------------------------------------------ running


def _run(rules: list[Rule], ctx: Context, state: LintState, broken: set[int]) -> list[Hit]:
    by_scope: dict[str, list[Rule]] = {}
    for r in rules:
        by_scope.setdefault(r.scope, []).append(r)
    path = ctx.path
    hits: list[Hit] = []
    schema = ctx.schema
    mine = [t for t in schema.tables if t.span is not None and t.span.file == path and id(t.span.anchor) not in broken]

    table_rules = by_scope.get(TABLE, [])
    if table_rules:
        cache, state.tables = state.tables, {}
        for t in mine:
            hit = cache.get(id(t))
            if hit is None or hit[0] is not t or not ctx.reads_unchanged(hit[1]):
                hit = (t, *_tracked(table_rules, ctx, t))
            state.tables[id(t)] = hit
            hits.extend(hit[2])

    ref_rules = by_scope.get(REF, [])
    if ref_rules:
        cache, state.refs = state.refs, {}
        table = {t.key: t for t in schema.tables}.get
        for ref in schema.refs:
            # the linker reuses a Ref object while its declaration and both its tables are unchanged
            hit = cache.get(id(ref))
            if (
                hit is not None
                and hit[0] is ref
                and table(hit[1]) is hit[3]
                and table(hit[2]) is hit[4]
                and (not hit[5] or ctx.reads_unchanged(hit[5]))
            ):
                state.refs[id(ref)] = hit
                hits.extend(hit[6])
                continue
            if ref.op == "<>" or ref.span is None or id(ref.span.anchor) in broken:
                continue
            fk_key, pk_key = ref.fk_side.table_key, ref.pk_side.table_key
            fk_table, pk_table = table(fk_key), table(pk_key)
            if fk_table is None or pk_table is None:
                continue
            if ref.span.file != path and fk_table.span.file != path:
                continue
            reads, found = _tracked(ref_rules, ctx, ref, fk_table, pk_table)
            hit = (ref, fk_key, pk_key, fk_table, pk_table, reads, found)
            state.refs[id(ref)] = hit
            hits.extend(found)

    query_rules = by_scope.get(QUERY, [])
    if query_rules and schema.queries:
        from .sqltext import parse_query

        cache, state.queries = state.queries, {}
        for q in schema.queries:
            if q.span is None or q.span.file != path or id(q.span.anchor) in broken:
                continue
            parsed = parse_query(q.sql, ctx.dialect)
            tables = tuple(ctx.sql_table(*ref) for ref in parsed.table_refs)
            hit = cache.get(id(q))
            if hit is None or hit[0] is not q or not _same(hit[1], tables) or not ctx.reads_unchanged(hit[2]):
                hit = (q, tables, *_tracked(query_rules, ctx, q, parsed))
            state.queries[id(q)] = hit
            hits.extend(hit[3])

    schema_rules = by_scope.get(SCHEMA, [])
    if schema_rules:
        # whole-schema rules read only tables and relationships: rerun them when one of those changed
        old = state.schema
        if old is None or not _same(old[0], schema.tables) or not _same(old[1], schema.refs):
            old = (schema.tables, schema.refs, _collect(schema_rules, ctx, schema))
        state.schema = old
        hits.extend(old[2])
    return hits


def _tracked(rules: list[Rule], ctx: Context, *element) -> tuple[tuple, list[Hit]]:
    """Run the rules on one element, recording what they read besides it."""
    ctx._reads = {}
    try:
        found = _collect(rules, ctx, *element)
        return Reads(ctx._reads.items()), found
    finally:
        ctx._reads = None


def _collect(rules: list[Rule], ctx: Context, *element) -> list[Hit]:
    """The hits of the rules on one element that are located in the linted file."""
    out: list[Hit] = []
    path = ctx.path
    for r in rules:
        out.extend(h for h in _tagged(r, r.check(ctx, *element)) if h.span is not None and h.span.file == path)
    return out


def _tagged(r: Rule, found: Iterable[Hit] | None) -> list[Hit]:
    out = []
    for h in found or ():
        if not h.code:
            h.code = r.code
        out.append(h)
    return out


def _same(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One hit per code and place (a partial's column is seen once per table that injects it)."""
    seen: set = set()
    out = []
    for h in hits:
        key = (h.code, h.span.anchor, h.span.start, h.span.end, h.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(h)
    return out


# ------------------------------------------------------------------ suppression


def _apply_suppressions(
    hits: list[Hit], suppressions: list[Suppression], codes: frozenset[str], rules: dict[str, Rule]
) -> list[Hit]:
    by_line: dict[int, list[Suppression]] = {}
    for s in suppressions:
        by_line.setdefault(s.line, []).append(s)
        by_line.setdefault(s.line + 1, []).append(s)
    kept = []
    for h in hits:
        line = h.span.start_pos[0]
        suppressed = False
        for s in by_line.get(line, ()):
            selector = s.covers(h.code)
            if selector is not None:
                s.used.add(selector)
                s.used_any = True
                suppressed = True
        if not suppressed:
            kept.append(h)
    kept.extend(_suppression_hits(suppressions, codes, rules))
    return kept


def _suppression_hits(suppressions: list[Suppression], codes: frozenset[str], rules: dict[str, Rule]) -> list[Hit]:
    from .fixes import delete_lines, fix

    out: list[Hit] = []
    for s in suppressions:
        if s.codes is not None:
            for selector, span in zip(s.codes, s.code_spans):
                if selector.startswith("E"):
                    problem = f"'{selector}': E codes are errors in the file itself and cannot be suppressed"
                elif not any(c.startswith(selector) for c in rules):
                    problem = f"unknown rule code '{selector}' in a suppression comment"
                else:
                    continue
                if BAD_SUPPRESSION in codes:
                    out.append(Hit(BAD_SUPPRESSION, problem, span))
        if UNUSED_SUPPRESSION not in codes:
            continue
        if s.codes is None:
            if not s.used_any:
                out.append(
                    Hit(
                        UNUSED_SUPPRESSION,
                        "unused suppression: no finding here to ignore",
                        s.span,
                        fixes=(fix("Remove the unused suppression comment", _remove_comment(s, delete_lines)),),
                    )
                )
            continue
        unused = [
            c
            for c in s.codes
            if c not in s.used and any(code.startswith(c) for code in codes) and not c.startswith("E")
        ]
        if not unused:
            continue
        left = [c for c in s.codes if c not in unused]
        listed = ", ".join(unused)
        if not left:
            edit = _remove_comment(s, delete_lines)
            title = "Remove the unused suppression comment"
        else:
            from .base import Edit

            first, last = s.code_spans[0], s.code_spans[-1]
            edit = Edit(first.sub(first.start, last.end), ", ".join(left))
            title = f"Remove {listed} from the suppression"
        out.append(
            Hit(
                UNUSED_SUPPRESSION, f"unused suppression of {listed}: no such finding here", s.span, (fix(title, edit),)
            )
        )
    return out


def _remove_comment(s: Suppression, delete_lines):
    from .base import Edit

    if s.own_line:
        return delete_lines(s.comment)
    text = s.comment.anchor.text
    start = s.comment.start
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return Edit(s.comment.sub(start, s.comment.end), "")


# ------------------------------------------------------------------ findings


def _findings(hits: list[Hit], rules: dict[str, Rule], config: LintConfig, path: str) -> list[Finding]:
    """Findings for the hits; a cached hit keeps its Finding (the configuration is part of the state's
    signature, so a hit lives only as long as the severities it was made with)."""
    out = []
    for h in hits:
        finding = h.finding
        if finding is None:
            finding = h.finding = _finding(h, rules, config, path)
        out.append(finding)
    return out


class AnchoredFix(Fix):
    """A Fix whose TextEdits are computed from block anchors when they are read.

    Edits hold absolute offsets, but the block a fix edits moves whenever text above it changes; a
    cached finding therefore keeps its fix as block-relative edits and turns them into offsets of the
    current text on access, so it stays right without being rebuilt after every keystroke.
    """

    __slots__ = ("_spec", "_path", "_canonical")

    def __init__(self, spec: FixSpec, path: str, applicability: Applicability) -> None:
        object.__setattr__(self, "title", spec.title)
        object.__setattr__(self, "applicability", applicability)
        object.__setattr__(self, "_spec", spec)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_canonical", None)

    @property
    def edits(self) -> tuple[TextEdit, ...]:  # type: ignore[override]
        """The fix's edits in the formatter's layout, computed when first read (most fixes never are)."""
        canonical = self._canonical
        if canonical is None:
            canonical = canonical_edits(self._spec.edits)
            object.__setattr__(self, "_canonical", canonical)
        path = self._path
        return tuple(TextEdit(path, e.span.start_offset, e.span.end_offset, e.text) for e in canonical)


def _finding(h: Hit, rules: dict[str, Rule], config: LintConfig, path: str) -> Finding:
    r = rules[h.code]
    usual = h.severity or r.severity
    severity = config.severity_of(h.code, usual) if config.severity else usual
    fixes = tuple(
        AnchoredFix(spec, path, spec.applicability or r.fix or Applicability.UNSAFE)
        for spec in h.fixes
        if all(e.span.file == path for e in spec.edits)
    )
    related = tuple(Related(x.span, x.message) for x in h.related if x.span is not None)
    data = dict(h.data)
    data.setdefault("rule", r.name)
    data.setdefault("confidence", r.confidence)
    return Finding(h.code, r.category, Severity(severity), h.message, h.span, fixes, related, data)
