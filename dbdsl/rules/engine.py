"""Running the rules: incremental caching, suppression comments, configuration, findings.

Results are cached per analysed file (per `SourceFile`, so per Workspace document) and keyed by the
identity of what each rule reads. Model elements are immutable and unchanged blocks keep their
objects, so after an edit to one table only that table's rules run again, plus the relationship rules
of the relationships that touch it and the queries that name it; whole-schema rules are cheap
aggregations that run every time.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable

from ..findings import Finding, Fix, Related, Severity, TextEdit
from ..model.schema import Ref, Schema, Table
from ..workspace import Analysis, SourceFile
from .base import QUERY, REF, SCHEMA, TABLE, TABLE_CONTEXT, Hit, Rule
from .config import LintConfig, find_config
from .dialects import dialect_of
from .facts import TableFacts
from .suppress import Suppression, find_suppressions

UNUSED_SUPPRESSION = "S900"
BAD_SUPPRESSION = "S901"


class Context:
    """What a rule may read besides its element: the schema, the dialect, and derived facts."""

    def __init__(self, schema: Schema, dialect: str, path: str, state: LintState) -> None:
        self.schema = schema
        self.dialect = dialect
        self.path = path
        self._state = state
        self._refs_from: dict[tuple[str, str], list[Ref]] = {}
        self._refs_to: dict[tuple[str, str], list[Ref]] = {}
        for ref in schema.refs:
            if ref.many_to_many:
                self._refs_from.setdefault(ref.left.table_key, [])
                continue
            self._refs_from.setdefault(ref.fk_side.table_key, []).append(ref)
            self._refs_to.setdefault(ref.pk_side.table_key, []).append(ref)
        self._names: frozenset[str] | None = None
        self.memo: dict = {}

    def facts(self, table: Table) -> TableFacts:
        got = self._state.next_facts.get(id(table))
        if got is None:
            old = self._state.facts.get(id(table))
            got = old if old is not None and old.table is table else TableFacts(table)
            self._state.next_facts[id(table)] = got
        return got

    def summary(self, table: Table, kind: str, compute):
        """A per-table value that whole-schema rules aggregate, cached by the table's identity."""
        key = (kind, id(table))
        got = self._state.next_summaries.get(key)
        if got is None:
            old = self._state.summaries.get(key)
            got = old if old is not None and old[0] is table else (table, compute(table))
            self._state.next_summaries[key] = got
        return got[1]

    def table(self, key: tuple[str, str] | str) -> Table | None:
        return self.schema.table(key)

    def refs_from(self, table: Table) -> list[Ref]:
        """Relationships whose foreign key columns are in `table`."""
        return self._refs_from.get(table.key, [])

    def refs_to(self, table: Table) -> list[Ref]:
        """Relationships that reference `table`'s columns."""
        return self._refs_to.get(table.key, [])

    def fk_columns(self, table: Table) -> tuple[tuple[str, ...], ...]:
        return tuple(sorted(r.fk_side.columns for r in self.refs_from(table)))

    @property
    def table_names(self) -> frozenset[str]:
        """Lowercased names of every table (bare and schema-qualified)."""
        if self._names is None:
            names = frozenset(n for t in self.schema.tables for n in (t.name.lower(), t.qualified.lower()))
            old = self._state.names
            self._names = old if old == names else names
            self._state.names = self._names
        return self._names


class LintState:
    """Cached results for one file."""

    def __init__(self) -> None:
        self.signature: tuple | None = None
        self.facts: dict[int, TableFacts] = {}
        self.next_facts: dict[int, TableFacts] = {}
        self.summaries: dict[tuple, tuple] = {}
        self.next_summaries: dict[tuple, tuple] = {}
        self.names: frozenset[str] | None = None
        self.tables: dict[int, tuple] = {}
        self.contexts: dict[int, tuple] = {}
        self.refs: dict[tuple, tuple] = {}
        self.queries: dict[int, tuple] = {}

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
    from .registry import RULES

    if config is None:
        config = find_config(analysis.path)
    schema = analysis.schema
    path = analysis.path
    dialect = dialect_of(schema, config)
    codes = config.enabled_codes(path)
    rules = [RULES[c] for c in sorted(codes) if RULES[c].check is not None and RULES[c].applies_to(dialect)]
    state = _state_for(analysis.source)
    signature = (dialect, frozenset(r.code for r in rules))
    if state.signature != signature:
        state.reset()
        state.signature = signature
    ctx = Context(schema, dialect, path, state)
    broken = {id(e.anchor) for e in analysis.source.entries if e.parse.problems}
    hits = _run(rules, ctx, state, broken)
    live = {id(t) for t in schema.tables}
    merged = {**state.facts, **state.next_facts}
    state.facts = {k: v for k, v in merged.items() if k in live}
    state.next_facts = {}
    merged = {**state.summaries, **state.next_summaries}
    state.summaries = {k: v for k, v in merged.items() if k[1] in live}
    state.next_summaries = {}
    hits = [h for h in hits if h.span is not None and h.span.file == path]
    hits = _dedupe(hits)
    suppressions = find_suppressions(analysis.source)
    if suppressions:
        hits = _apply_suppressions(hits, suppressions, codes, RULES)
    return [_finding(h, RULES, config, path) for h in hits]


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
            if hit is None or hit[0] is not t:
                hit = (t, _collect(table_rules, ctx, t))
            state.tables[id(t)] = hit
            hits.extend(hit[1])

    context_rules = by_scope.get(TABLE_CONTEXT, [])
    if context_rules:
        cache, state.contexts = state.contexts, {}
        names = ctx.table_names
        for t in mine:
            fks = ctx.fk_columns(t)
            hit = cache.get(id(t))
            if hit is None or hit[0] is not t or hit[1] != fks or hit[2] is not names:
                hit = (t, fks, names, _collect(context_rules, ctx, t))
            state.contexts[id(t)] = hit
            hits.extend(hit[3])

    ref_rules = by_scope.get(REF, [])
    if ref_rules:
        cache, state.refs = state.refs, {}
        for ref in schema.refs:
            if ref.many_to_many or ref.span is None:
                continue
            fk_table = schema.table(ref.fk_side.table_key)
            pk_table = schema.table(ref.pk_side.table_key)
            if fk_table is None or pk_table is None:
                continue
            if ref.span.file != path and fk_table.span.file != path:
                continue
            if id(ref.span.anchor) in broken:
                continue
            key = (id(ref.span.anchor), ref.span.start, ref.fk_side.table_key)
            sig = (ref.left, ref.op, ref.right, ref.on_delete, ref.on_update)
            hit = cache.get(key)
            if (
                hit is None
                or hit[0] != sig
                or hit[1] is not fk_table
                or hit[2] is not pk_table
                or hit[4] is not ref.span
            ):
                hit = (sig, fk_table, pk_table, _collect(ref_rules, ctx, ref, fk_table, pk_table), ref.span)
            state.refs[key] = hit
            hits.extend(hit[3])

    query_rules = by_scope.get(QUERY, [])
    if query_rules and schema.queries:
        from .sqltext import parse_query

        cache, state.queries = state.queries, {}
        for q in schema.queries:
            if q.span is None or q.span.file != path or id(q.span.anchor) in broken:
                continue
            parsed = parse_query(q.sql, ctx.dialect)
            tables = tuple(schema.table(k) for k in parsed.table_keys)
            hit = cache.get(id(q))
            if hit is None or hit[0] is not q or not _same(hit[1], tables):
                hit = (q, tables, _collect(query_rules, ctx, q, parsed))
            state.queries[id(q)] = hit
            hits.extend(hit[2])

    for r in by_scope.get(SCHEMA, []):
        hits.extend(_tagged(r, r.check(ctx, schema)))
    return hits


def _collect(rules: list[Rule], ctx: Context, *element) -> list[Hit]:
    out: list[Hit] = []
    for r in rules:
        out.extend(_tagged(r, r.check(ctx, *element)))
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
        key = (h.code, id(h.span.anchor), h.span.start, h.span.end, h.message)
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


def _finding(h: Hit, rules: dict[str, Rule], config: LintConfig, path: str) -> Finding:
    r = rules[h.code]
    severity = config.severity_of(h.code, r.severity) if config.severity else r.severity
    fixes = []
    for spec in h.fixes:
        edits = []
        for e in spec.edits:
            if e.span.file != path:
                break
            edits.append(TextEdit(path, e.span.start_offset, e.span.end_offset, e.text))
        else:
            fixes.append(Fix(spec.title, tuple(edits)))
    related = tuple(Related(x.span, x.message) for x in h.related if x.span is not None)
    data = dict(h.data)
    data.setdefault("rule", r.name)
    return Finding(h.code, r.category, Severity(severity), h.message, h.span, tuple(fixes), related, data)
