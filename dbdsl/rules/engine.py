"""Running the rules: incremental caching, suppression comments, configuration, findings.

Results are cached per analysed file (per `SourceFile`, so per Workspace document) and keyed by the
identity of what each rule reads. Model elements are immutable and unchanged blocks keep their
objects, so after an edit to one table only that table's rules run again, plus the relationship rules
of the relationships that touch it and the queries that name it; whole-schema rules are cheap
aggregations that run every time.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from operator import is_
from typing import Any, NamedTuple, TypeVar

from ..analysis.roles import TableRoles, is_junction, roles_of, schema_prefix
from ..codes import Code
from ..dialects import dialect_name, resolve
from ..findings import Applicability, Finding, Fix, Related, Severity, TextEdit
from ..gcpause import gc_paused
from ..model.schema import DEFAULT_SCHEMA, Query, Ref, Schema, Table, TableKey
from ..model.spans import Span
from ..workspace import Analysis, SourceFile
from .base import QUERY, REF, SCHEMA, TABLE, Edit, FixSpec, Hit, Rule
from .config import LintConfig, find_config
from .facts import TableFacts
from .fixes import canonical_edits, delete_lines, fix
from .sqltext import parse_query
from .suppress import Suppression, find_suppressions

T = TypeVar("T")
# a recorded read, (kind, key), and its answer: their types depend on the kind (see Context._read)
Read = tuple[str, Any]
Answer = Any
# what `Context.per_table` kept for one table: the table, what else the value was computed from, the value
Summary = tuple[Table, Sequence[object], Any]
RefMap = dict[TableKey, list[Ref]]
# the relationships a run saw, by foreign key table and by referenced table
RefMaps = tuple[tuple[Ref, ...], RefMap, RefMap]

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
        before = state.ref_maps
        self._refs_from, self._refs_to = _ref_maps(schema.refs, state)
        self._delta = _delta(schema, state, before, self._refs_from)
        self._names: frozenset[str] | None = None
        self._lower: dict[tuple[str, str], Table] | None = None
        self.memo: dict[Hashable, Any] = {}  # values the rules of one run share, by a key of their choosing
        self._reads: dict[Read, Answer] | None = None
        self._now: dict[Read, Answer] = {}  # the current answer of each read asked this run
        self._globals_same: dict[frozenset[Read], bool] = {}  # per set of whole-schema reads: same as last run
        self._run_fks: dict[TableKey, tuple[tuple[str, ...], ...]] = {}  # sorted foreign key columns, by refs_from
        self._run_roles: dict[TableKey, tuple[Table, TableRoles, Answer]] = {}  # this run's roles, with their answer

    # ------------------------------------------------------------ recorded reads

    def _record(self, kind: str, key: Hashable, value: T) -> T:
        if self._reads is not None:
            self._reads.setdefault((kind, key), value)
            if kind in WHOLE_SCHEMA:
                self._now.setdefault((kind, key), value)
        return value

    def reads_unchanged(self, reads: Reads) -> bool:
        """Whether every recorded read still gives the same answer. Reads about tables the edit did not
        touch (the run's `Delta`) are the same without asking; the others are asked once per run and key
        (many elements read the same table's references), then compared: by identity where the model
        keeps an object while it says the same, by value otherwise."""
        delta = self._delta
        if delta is None:
            return self._answers_unchanged(reads.all)
        if not reads.keys.isdisjoint(delta.changed) or not reads.referenced.isdisjoint(delta.referenced):
            return self._answers_unchanged(reads.all)
        wholes = reads.globals
        if wholes:
            same = self._globals_same.get(wholes)  # interned: a few distinct sets, asked thousands of times
            if same is None:
                same = self._globals_same[wholes] = all(map(self._global_unchanged, wholes))
            if not same:
                return self._answers_unchanged(reads.all)
        return self._answers_unchanged(reads.others)

    def _global_unchanged(self, read: Read) -> bool:
        """Whether a read about the whole schema (its names, its prefix, a schema fact) gives the answer it
        gave in the last run; asked once per run and read."""
        before = self._state.last_globals.get(read, _MISSING)
        return before is not _MISSING and before == self._current(*read)

    def _answers_unchanged(self, reads: tuple[tuple[Read, Answer], ...]) -> bool:
        now = self._now
        for read, value in reads:
            current = now.get(read, _MISSING)
            if current is _MISSING:
                current = now[read] = self._read(*read)
            kind = read[0]
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

    def _read(self, kind: str, key: Any) -> Answer:
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
        if kind == "roles":
            table = self.schema.table(key)
            return None if table is None else _roles_answer(self._roles_of(table, self._prefix()))
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
        foreign keys around it. What is recorded is the roles themselves, not what they were inferred
        from: a foreign key added to or dropped from a table rarely changes its roles, and the results
        of the elements that read them then survive the edit."""
        prefix = self.table_prefix  # recorded: a new common prefix changes every table's name words
        got = self._run_roles.get(table.key)
        if got is None or got[0] is not table:  # many rules read a table's roles: found once per run
            roles = self._roles_of(table, prefix)
            got = self._run_roles[table.key] = (table, roles, _roles_answer(roles))
        self._record("roles", table.key, got[2])
        return got[1]

    def _roles_of(self, table: Table, prefix: str | None) -> TableRoles:
        referenced = self._current("referenced", table.key)
        fk_columns = self._current("fk_columns", table.key)
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
            if not is_junction(table, self._current("fk_columns", table.key)):
                return True
        return False

    def schema_fact(self, name: str) -> object:
        """A fact about the whole schema that table rules read (registered in SCHEMA_FACTS): computed
        once per run, and recorded like any read, so cached results follow it when it changes."""
        return self._record("schema_fact", name, self._current("schema_fact", name))

    def _current(self, kind: str, key: Hashable) -> Answer:
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

    def per_table(
        self,
        kind: str,
        compute: Callable[[Table], T],
        deps: Callable[[Table], Sequence[object]] | None = None,
    ) -> list[tuple[Table, T]]:
        """`compute(table)` for every table, for whole-schema rules to aggregate. Values are kept
        across runs by the identity of the table and of `deps(table)` (other objects the value is
        computed from), and shared by the rules of one run."""
        got = self.memo.get(("per_table", kind))
        if got is not None:
            return got
        old = self._state.summaries.get(kind, {})
        new: dict[int, Summary] = {}
        out: list[tuple[Table, T]] = []
        for t in self.schema.tables:
            d = deps(t) if deps is not None else ()
            entry = old.get(id(t))
            if entry is None or entry[0] is not t or not (entry[1] is d or _same(entry[1], d)):
                entry = (t, d, compute(t))
            new[id(t)] = entry
            out.append((t, entry[2]))
        self._state.summaries[kind] = new
        self.memo[("per_table", kind)] = out
        return out

    def memo_across_runs(self, key: str, value: object = None) -> Any:
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
        """The column lists of the table's foreign keys, sorted."""
        refs = self.refs_from(table)  # recorded for each rule that asks
        got = self._run_fks.get(table.key)
        if got is None:  # a table's foreign keys are read by many rules: worked out once per run
            got = self._run_fks[table.key] = tuple(sorted(r.fk_side.columns for r in refs))
        return got

    def fk_column_names(self, table: Table) -> frozenset[str]:
        """Every column that is part of one of the table's foreign keys."""
        self.refs_from(table)  # recorded for each rule that asks
        return self._current("fk_columns", table.key)  # worked out once per run

    @property
    def queries(self) -> tuple[Query, ...]:
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


def _ends(ref: Ref) -> tuple[TableKey, TableKey] | None:
    """(foreign key table, referenced table) of a relationship; None for many-to-many."""
    op = ref.op
    if op == "<>":
        return None
    fk, pk = (ref.right, ref.left) if op == "<" else (ref.left, ref.right)
    return (fk.schema, fk.table), (pk.schema, pk.table)


def _ref_maps(refs: tuple[Ref, ...], state: LintState) -> tuple[RefMap, RefMap]:
    """Relationships by foreign key table and by referenced table. After an edit most Ref objects
    are the same as last time: only the lists of the tables at either end of an added or removed Ref
    are built anew (in the schema's order, as a full build would), the others are kept as they were,
    so that an unchanged list is the same object from run to run."""
    old = state.ref_maps
    before = state.ref_ids
    now = state.ref_ids = {id(r) for r in refs}
    if old is not None and _same(old[0], refs):
        state.ref_maps = (refs, old[1], old[2])
        return old[1], old[2]
    if old is not None:
        added = [r for r in refs if id(r) not in before]
        removed = [r for r in old[0] if id(r) not in now]
        moved = added + removed
        kept_in_order = len(refs) - len(added) == len(old[0]) - len(removed) and _same(
            [r for r in refs if id(r) in before], [r for r in old[0] if id(r) in now]
        )
        if len(moved) < 400 and kept_in_order:
            ends = [e for e in map(_ends, moved) if e is not None]
            touched_from = {e[0] for e in ends}
            touched_to = {e[1] for e in ends}
            refs_from: RefMap = {k: v for k, v in old[1].items() if k not in touched_from}
            refs_to: RefMap = {k: v for k, v in old[2].items() if k not in touched_to}
            for ref in refs:
                e = _ends(ref)
                if e is None:
                    continue
                if e[0] in touched_from:
                    refs_from.setdefault(e[0], []).append(ref)
                if e[1] in touched_to:
                    refs_to.setdefault(e[1], []).append(ref)
            state.ref_maps = (refs, refs_from, refs_to)
            return refs_from, refs_to
    refs_from = {}
    refs_to = {}
    for ref in refs:
        e = _ends(ref)
        if e is None:
            continue
        refs_from.setdefault(e[0], []).append(ref)
        refs_to.setdefault(e[1], []).append(ref)
    state.ref_maps = (refs, refs_from, refs_to)
    return refs_from, refs_to


class Delta:
    """The table keys an edit touched since the last run: a table replaced, added or removed, or a
    relationship from or to it replaced. Reads about other tables give the same answers as last run, so
    the cached results that recorded them need no re-reading."""

    def __init__(self, changed: set[TableKey], referenced: set[TableKey]) -> None:
        self.changed = changed
        self.referenced = referenced  # tables whose `referenced` answer may differ


BY_TABLE_KEY = ("refs_from", "refs_to")  # reads whose answer changes only with their table's key
WHOLE_SCHEMA = ("names", "prefix", "schema_fact", "queries")  # reads of one answer per run
_WHOLES: dict[frozenset[Read], frozenset[Read]] = {}  # each distinct set of whole-schema reads, once


class Reads:
    """What the rules read while checking one element, grouped for a quick check against a `Delta`: the
    table keys of the by-key reads, the keys of `roles` reads (which depend on who references the
    table), and the reads to ask every run."""

    __slots__ = ("all", "globals", "keys", "others", "referenced")

    def __init__(self, reads: tuple[tuple[Read, Answer], ...]) -> None:
        self.all = reads
        keys: set[TableKey] = set()
        referenced: set[TableKey] = set()
        globals_: list[Read] = []
        others: list[tuple[Read, Answer]] = []
        for read, value in reads:
            kind, key = read
            if kind in BY_TABLE_KEY or (kind == "table" and isinstance(key, tuple)):
                keys.add(key)
            elif kind == "roles":  # inferred from the table, its foreign keys and who references it
                keys.add(key)
                referenced.add(key)
            elif kind in WHOLE_SCHEMA:
                globals_.append(read)
            else:
                others.append((read, value))
        self.keys = frozenset(keys)
        self.referenced = frozenset(referenced)
        self.globals = _WHOLES.setdefault(frozenset(globals_), frozenset(globals_))
        self.others = tuple(others)

    def __bool__(self) -> bool:
        return bool(self.all)


def _delta(schema: Schema, state: LintState, before: RefMaps | None, refs_from: RefMap) -> Delta | None:
    """What changed since the last run, from the identity of tables and relationship lists (which
    `_ref_maps` keeps while they say the same); None on the first run."""
    tables = schema.tables_by_key
    last, state.table_objects = state.table_objects, tables
    if last is None or before is None:
        return None
    changed = {k for k, t in tables.items() if last.get(k) is not t}
    changed.update(k for k in last if k not in tables)
    old_from = before[1]
    old_to = before[2]
    new_to = state.ref_maps[2] if state.ref_maps is not None else {}
    for old, new in ((old_from, refs_from), (old_to, new_to)):
        changed.update(k for k, v in new.items() if old.get(k) is not v)
        changed.update(k for k in old if k not in new)
    # whether a table is referenced depends on the tables referring to it and their own foreign keys
    referenced = set(changed)
    for key in changed:
        for maps in (old_from, refs_from):
            for ref in maps.get(key, ()):
                ends = _ends(ref)
                if ends is not None:
                    referenced.add(ends[1])
    return Delta(changed, referenced)


def _roles_answer(roles: TableRoles) -> tuple[object, ...]:
    """What a table's roles say (its name words, each role with its evidence), compared from run to run."""
    return (roles.words, tuple(roles.evidence.items()))


def _fk_column_set(refs: Iterable[Ref]) -> frozenset[str]:
    return frozenset(c for ref in refs for c in ref.fk_side.columns)


def _ref_content(refs: Iterable[Ref]) -> tuple[Ref, ...]:
    """What a relationship says, without positions (Refs compare equal when they say the same)."""
    return tuple(refs)


class LintState:
    """Cached results for one file."""

    def __init__(self) -> None:
        self.signature: tuple[str, bool, frozenset[str], tuple[tuple[str, Severity], ...]] | None = None
        self.facts: dict[int, TableFacts] = {}
        self.next_facts: dict[int, TableFacts] = {}
        self.summaries: dict[str, dict[int, Summary]] = {}
        self.kept: dict[str, Any] = {}  # what whole-schema rules keep for their next run, each its own shape
        self.ref_maps: RefMaps | None = None
        self.names: frozenset[str] | None = None
        self.prefix: tuple[frozenset[str], str | None] | None = None  # (names, the prefix they share)
        # by (table key, whether it is referenced, its foreign key columns, the schema's name prefix)
        self.roles: dict[tuple[TableKey, bool, frozenset[str], str | None], TableRoles] = {}
        self.tables: dict[int, TableRun] = {}
        self.refs: dict[int, RefRun] = {}
        self.queries: dict[int, QueryRun] = {}
        self.schema: SchemaRun | None = None
        self.table_objects: Mapping[tuple[str, str], Table] | None = None  # the last run's tables by key
        self.last_globals: dict[Read, Answer] = {}  # the last run's answers to whole-schema reads
        self.ref_ids: set[int] = set()  # ids of the last run's Refs (kept alive by ref_maps)

    def reset(self) -> None:
        LintState.__init__(self)


class RuleHits(NamedTuple):
    """One rule's hits on an element, and what it read besides the element (None: nothing, so its hits
    hold while the element is the same object)."""

    rule: Rule
    reads: tuple[tuple[Read, Answer], ...] | None
    hits: list[Hit]


class Tracked(NamedTuple):
    """The rules' results on one element: what they read together (asked first, in one go), their hits
    in rule order, and each rule's own part, so that when a read changes, only the rules that made it
    run again."""

    reads: Reads
    hits: list[Hit]
    by_rule: tuple[RuleHits, ...]


class TableRun(NamedTuple):
    """The results of the table rules on one table."""

    table: Table
    tracked: Tracked


class RefRun(NamedTuple):
    """The results of the relationship rules on one relationship, with the tables it joined."""

    ref: Ref
    fk_key: TableKey
    pk_key: TableKey
    fk_table: Table
    pk_table: Table
    tracked: Tracked


class QueryRun(NamedTuple):
    """The results of the query rules on one Query, with the tables its SQL named."""

    query: Query
    tables: tuple[Table | None, ...]
    tracked: Tracked


class SchemaRun(NamedTuple):
    """The results of the whole-schema rules, with the parts of the schema they were run on."""

    parts: tuple[tuple[object, ...], ...]
    hits: list[Hit]


def _schema_parts(schema: Schema) -> tuple[tuple[object, ...], ...]:
    """Every part of a schema, each as a sequence of the elements the linker made."""
    return (
        schema.tables,
        schema.refs,
        schema.enums,
        schema.groups,
        schema.partials,
        schema.notes,
        schema.queries,
        schema.views,
        (schema.project,),
    )


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
    from .registry import CONFIGURABLE, RULES

    if config is None:
        config = find_config(analysis.path)
    schema = analysis.schema
    path = analysis.path
    dialect = resolve(schema=schema, setting=config.dialect)
    codes = config.enabled_codes(path)
    rules = [
        r for c in sorted(codes) if (r := RULES.get(c)) is not None and r.check is not None and r.applies_to(dialect)
    ]
    state = _state_for(analysis.source)
    declared = dialect_name(schema.database_type) is not None or config.dialect is not None
    signature = (dialect, declared, frozenset(r.code for r in rules), config.severity)
    if state.signature != signature:
        state.reset()
        state.signature = signature
    ctx = Context(schema, dialect, path, state, declared=declared)
    broken = {id(e.anchor) for e in analysis.source.entries if e.parse.problems}
    hits = _run(rules, ctx, state, broken)
    state.last_globals = {read: v for read, v in ctx._now.items() if read[0] in WHOLE_SCHEMA}
    state.facts.update(state.next_facts)
    state.next_facts = {}
    if len(state.facts) > 2 * len(schema.tables) + 64:  # drop the facts of tables that are gone
        live = {id(t) for t in schema.tables}
        state.facts = {k: v for k, v in state.facts.items() if k in live}
    if schema.partials:  # a partial's column is reported once per table that injects it
        hits = _dedupe(hits)
    suppressions = find_suppressions(analysis.source)
    if suppressions:
        hits = _apply_suppressions(hits, suppressions, codes, CONFIGURABLE)
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
        tables_cache, state.tables = state.tables, {}
        for t in mine:
            table_run = tables_cache.get(id(t))
            if table_run is None or table_run.table is not t:
                table_run = TableRun(t, _tracked(table_rules, ctx, t))
            elif not ctx.reads_unchanged(table_run.tracked.reads):
                table_run = TableRun(t, _retracked(table_run.tracked, ctx, t))
            state.tables[id(t)] = table_run
            hits.extend(table_run.tracked.hits)

    ref_rules = by_scope.get(REF, [])
    if ref_rules:
        refs_cache, state.refs = state.refs, {}
        table = schema.tables_by_key.get
        for ref in schema.refs:
            # the linker reuses a Ref object while its declaration and both its tables are unchanged
            ref_run = refs_cache.get(id(ref))
            if (
                ref_run is not None
                and ref_run.ref is ref
                and table(ref_run.fk_key) is ref_run.fk_table
                and table(ref_run.pk_key) is ref_run.pk_table
            ):
                reads = ref_run.tracked.reads
                if reads and not ctx.reads_unchanged(reads):
                    retracked = _retracked(ref_run.tracked, ctx, ref, ref_run.fk_table, ref_run.pk_table)
                    ref_run = ref_run._replace(tracked=retracked)
                state.refs[id(ref)] = ref_run
                hits.extend(ref_run.tracked.hits)
                continue
            if ref.op == "<>" or ref.span is None or id(ref.span.anchor) in broken:
                continue
            fk_key, pk_key = ref.fk_side.table_key, ref.pk_side.table_key
            fk_table, pk_table = table(fk_key), table(pk_key)
            if fk_table is None or pk_table is None:
                continue
            if ref.span.file != path and (fk_table.span is None or fk_table.span.file != path):
                continue
            tracked = _tracked(ref_rules, ctx, ref, fk_table, pk_table)
            state.refs[id(ref)] = RefRun(ref, fk_key, pk_key, fk_table, pk_table, tracked)
            hits.extend(tracked.hits)

    query_rules = by_scope.get(QUERY, [])
    if query_rules and schema.queries:
        queries_cache, state.queries = state.queries, {}
        for q in schema.queries:
            if q.span is None or q.span.file != path or id(q.span.anchor) in broken:
                continue
            parsed = parse_query(q.sql, ctx.dialect)
            tables = tuple(ctx.sql_table(*ref) for ref in parsed.table_refs)
            query_run = queries_cache.get(id(q))
            if (
                query_run is None
                or query_run.query is not q
                or not _same(query_run.tables, tables)
                or not ctx.reads_unchanged(query_run.tracked.reads)
            ):
                query_run = QueryRun(q, tables, _tracked(query_rules, ctx, q, parsed))
            state.queries[id(q)] = query_run
            hits.extend(query_run.tracked.hits)

    schema_rules = by_scope.get(SCHEMA, [])
    if schema_rules:
        # whole-schema rules may read any part of the schema: rerun them when one of the parts changed
        # (the linker keeps an element's object while it says the same)
        parts = _schema_parts(schema)
        old = state.schema
        if old is None or not all(map(_same, old.parts, parts)):
            old = SchemaRun(parts, _collect(schema_rules, ctx, schema))
        state.schema = old
        hits.extend(old.hits)
    return hits


def _tracked(rules: list[Rule], ctx: Context, *element: object) -> Tracked:
    """Run the rules on one element, recording what each reads besides it. A rule that read nothing
    and found nothing is not kept: on the same element it finds nothing again."""
    try:
        parts = [part for r in rules if (part := _run_rule(r, ctx, element)) is not None]
    finally:
        ctx._reads = None
    return _merged(parts)


def _retracked(before: Tracked, ctx: Context, *element: object) -> Tracked:
    """Run again, on the same element, the rules whose reads no longer give the answers they gave (a
    rule that read nothing besides the element keeps its hits)."""
    parts: list[RuleHits] = []
    try:
        for part in before.by_rule:
            if part.reads is not None and not ctx._answers_unchanged(part.reads):
                rerun = _run_rule(part.rule, ctx, element)
                if rerun is None:
                    continue
                part = rerun
            parts.append(part)
    finally:
        ctx._reads = None
    return _merged(parts)


def _run_rule(rule: Rule, ctx: Context, element: tuple[object, ...]) -> RuleHits | None:
    """One rule's hits on an element and what it read besides it, recorded afresh; None when it read
    nothing and found nothing (on the same element it finds nothing again)."""
    reads: dict[Read, Answer] = {}
    ctx._reads = reads
    found = _hits(rule, ctx, *element)
    if reads:
        return RuleHits(rule, tuple(reads.items()), found)
    if found:
        return RuleHits(rule, None, found)
    return None


def _merged(parts: list[RuleHits]) -> Tracked:
    """The rules' parts on one element as one result: their reads together, their hits in rule order."""
    everything: dict[Read, Answer] = {}
    hits: list[Hit] = []
    for part in parts:
        if part.reads:
            everything.update(part.reads)
        hits.extend(part.hits)
    return Tracked(Reads(tuple(everything.items())), hits, tuple(parts))


def _collect(rules: list[Rule], ctx: Context, *element: object) -> list[Hit]:
    """The hits of the rules on one element that are located in the linted file."""
    out: list[Hit] = []
    for r in rules:
        out.extend(_hits(r, ctx, *element))
    return out


def _hits(rule: Rule, ctx: Context, *element: object) -> list[Hit]:
    """The hits of one rule on one element that are located in the linted file, each with the rule's
    code unless it names another (it runs for every rule on every element: one plain loop)."""
    check = rule.check
    assert check is not None  # _lint keeps only rules with a check
    found = check(ctx, *element)
    if found is None:
        return []
    out: list[Hit] = []
    path = ctx.path
    for h in found:
        if not h.code:
            h.code = rule.code
        if h.span is not None and h.span.file == path:
            out.append(h)
    return out


def _same(a: Sequence[object], b: Sequence[object]) -> bool:
    return len(a) == len(b) and all(map(is_, a, b))


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One hit per code and place (a partial's column is seen once per table that injects it)."""
    seen: set[tuple[object, ...]] = set()
    out: list[Hit] = []
    for h in hits:
        span = h.span
        assert span is not None  # _hits keeps only hits placed in the linted file
        key = (h.code, span.anchor, span.start, span.end, h.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(h)
    return out


# ------------------------------------------------------------------ suppression


def _apply_suppressions(
    hits: list[Hit], suppressions: list[Suppression], codes: frozenset[str], known: Mapping[str, Code]
) -> list[Hit]:
    by_line: dict[int, list[Suppression]] = {}
    for s in suppressions:
        by_line.setdefault(s.line, []).append(s)
        by_line.setdefault(s.line + 1, []).append(s)
    kept: list[Hit] = []
    for h in hits:
        assert h.span is not None  # _hits keeps only hits placed in the linted file
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
    kept.extend(_suppression_hits(suppressions, codes, known))
    return kept


def _suppression_hits(suppressions: list[Suppression], codes: frozenset[str], known: Mapping[str, Code]) -> list[Hit]:
    out: list[Hit] = []
    for s in suppressions:
        if s.codes is not None:
            for selector, span in zip(s.codes, s.code_spans):
                if selector.startswith("E"):
                    problem = f"'{selector}': E codes are errors in the file itself and cannot be suppressed"
                elif not any(c.startswith(selector) for c in known):
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
            first, last = s.code_spans[0], s.code_spans[-1]
            edit = Edit(first.sub(first.start, last.end), ", ".join(left))
            title = f"Remove {listed} from the suppression"
        out.append(
            Hit(
                UNUSED_SUPPRESSION, f"unused suppression of {listed}: no such finding here", s.span, (fix(title, edit),)
            )
        )
    return out


def _remove_comment(s: Suppression, delete_lines: Callable[[Span], Edit]) -> Edit:
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
    out: list[Finding] = []
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
    _spec: FixSpec
    _path: str
    _canonical: tuple[Edit, ...] | None

    def __init__(self, spec: FixSpec, path: str, applicability: Applicability) -> None:
        object.__setattr__(self, "title", spec.title)
        object.__setattr__(self, "applicability", applicability)
        object.__setattr__(self, "_spec", spec)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_canonical", None)

    @property
    def edits(self) -> tuple[TextEdit, ...]:
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
    assert h.span is not None  # _hits keeps only hits placed in the linted file
    related = tuple(Related(x.span, x.message) for x in h.related if x.span is not None)
    data = dict(h.data)
    data.setdefault("rule", r.name)
    data.setdefault("confidence", r.confidence)
    return Finding(h.code, r.category, Severity(severity), h.message, h.span, fixes, related, data)
