"""Access-pattern analysis of a `Query`: which tables and columns it names, and whether the schema's
keys and indexes serve it.

For every SELECT (and the WHERE of UPDATE/DELETE) the predicates are sorted per table into equality
columns (`=`, `IN`, `IS NULL`), range columns (`<`, `>`, `BETWEEN`, prefix `LIKE`), join keys and the
ORDER BY columns (counted when the query has a LIMIT). Tables with such filters are where the engine
starts; the other tables are reached through their join keys. A B-tree index serves an access when its
leading columns are all the equality columns (in any order), followed by the range column or the sort
columns; a unique index whose columns are all fixed by equalities serves it too (one row). A partial
index counts only when the query's WHERE implies its predicate (simple cases: the same condition, a
value of its IN list, IS NOT NULL implied by a comparison, a boolean column). The suggested index is the
equality columns, then the range column, then the sort columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import sqlglot
from sqlglot import exp

from ..dialects import SQLGLOT
from ..model.schema import Query, Schema, Table
from .engine import Context, LintState
from .facts import AccessPath, TableFacts
from .sqltext import ParsedQuery, parse_query

SYSTEM_SCHEMAS = {"information_schema", "pg_catalog", "sys", "mysql", "performance_schema", "sqlite_master"}
PSEUDO_COLUMNS = {
    "sysdate",
    "systimestamp",
    "rownum",
    "rowid",
    "level",
    "user",
    "current_user",
    "session_user",
    "current_date",
    "current_time",
    "current_timestamp",
    "localtime",
    "localtimestamp",
    "true",
    "false",
    "null",
    "oid",
    "ctid",
}
WS_RE = re.compile(r"\s+")

Key = tuple[str, str]  # ('column', name) or ('expression', normalised sql)


@dataclass
class Source:
    alias: str
    kind: str  # 'table' (a schema table), 'derived' (subquery or CTE), 'unknown'
    table: Table | None = None
    columns: set[str] | None = None  # output names of a derived source (None: unknown, e.g. SELECT *)
    node: exp.Expression | None = None


@dataclass
class Problem:
    code: str  # Q102 unknown table, Q103 unknown column, Q104 ambiguous column
    message: str
    node: exp.Expression


@dataclass
class Access:
    """How one table of the query is reached, and what would serve it."""

    table: Table
    alias: str
    eq: list[Key] = field(default_factory=list)
    ranges: list[Key] = field(default_factory=list)
    order: list[tuple[Key, bool]] = field(default_factory=list)
    limit: bool = False
    via: str = "filter"  # filter | join | order
    conjuncts: set[str] = field(default_factory=set)  # normalised predicates on this table (for partial indexes)
    in_lists: dict[str, set[str]] = field(default_factory=dict)
    bool_columns: set[str] = field(default_factory=set)
    compared: set[str] = field(default_factory=set)  # columns with a strict comparison (so not null)
    served_by: AccessPath | None = None
    partly_by: AccessPath | None = None
    suggestion: tuple[Key, ...] = ()

    @property
    def needs_sort(self) -> bool:
        return bool(self.sort_keys) and self.limit

    @property
    def sort_keys(self) -> list[tuple[Key, bool]]:
        eq = set(self.eq)
        return [(k, d) for k, d in self.order if k not in eq]

    def describe(self) -> str:
        parts = []
        if self.eq:
            parts.append("equality on " + ", ".join(key_text(k) for k in self.eq))
        if self.ranges:
            parts.append("range on " + ", ".join(key_text(k) for k in self.ranges))
        if self.needs_sort:
            parts.append("ORDER BY " + ", ".join(key_text(k) + (" DESC" if d else "") for k, d in self.sort_keys))
        return "; ".join(parts)


@dataclass
class ContainsSearch:
    table: Table
    column: str
    node: exp.Expression


@dataclass
class QueryAnalysis:
    problems: list[Problem] = field(default_factory=list)
    accesses: list[Access] = field(default_factory=list)
    searches: list[ContainsSearch] = field(default_factory=list)


def key_text(key: Key) -> str:
    return key[1] if key[0] == "column" else f"`{key[1]}`"


# ------------------------------------------------------------------ normalisation


def normalise(node: exp.Expression, dialect: str) -> str:
    """Predicate or expression text without table qualifiers, lowercased, single-spaced."""
    copy = node.copy()
    for col in copy.find_all(exp.Column):
        for part in ("table", "db", "catalog"):
            if col.args.get(part) is not None:
                col.set(part, None)
    try:
        text = copy.sql(dialect=SQLGLOT.get(dialect, "postgres"))
    except Exception:
        text = str(copy)
    return WS_RE.sub(" ", text.lower()).strip()


@lru_cache(maxsize=4096)
def normalise_text(sql: str, dialect: str) -> str | None:
    try:
        node = sqlglot.parse_one(sql, read=SQLGLOT.get(dialect, "postgres"))
    except Exception:
        return None
    return normalise(node, dialect) if node is not None else None


@lru_cache(maxsize=4096)
def predicate_parts(sql: str, dialect: str) -> tuple[tuple[str, ...], ...] | None:
    """Conjuncts of a partial index predicate as (kind, ...) tuples, None when it cannot be read."""
    try:
        node = sqlglot.parse_one(sql, read=SQLGLOT.get(dialect, "postgres"))
    except Exception:
        return None
    if node is None:
        return None
    parts = []
    for c in _conjuncts(node):
        c = _unparen(c)
        if isinstance(c, exp.In) and isinstance(c.this, exp.Column) and c.expressions:
            parts.append(("in", c.this.name.lower(), *sorted(normalise(v, dialect) for v in c.expressions)))
        elif isinstance(c, exp.Not) and isinstance(_unparen(c.this), exp.Is) and _is_null(_unparen(c.this)):
            inner = _unparen(c.this)
            if isinstance(inner.this, exp.Column):
                parts.append(("not_null", inner.this.name.lower()))
            else:
                parts.append(("same", normalise(c, dialect)))
        elif isinstance(c, exp.Column):
            parts.append(("bool", c.name.lower()))
        else:
            parts.append(("same", normalise(c, dialect)))
    return tuple(parts)


def _is_null(node: exp.Is) -> bool:
    return isinstance(node.expression, exp.Null)


def _unparen(node: exp.Expression) -> exp.Expression:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _conjuncts(node: exp.Expression | None) -> list[exp.Expression]:
    if node is None:
        return []
    node = _unparen(node)
    if isinstance(node, exp.And):
        return _conjuncts(node.this) + _conjuncts(node.expression)
    return [node]


# ------------------------------------------------------------------ analysis


class _Analyzer:
    def __init__(self, ctx, query: Query, parsed: ParsedQuery) -> None:
        self.ctx = ctx
        self.schema = ctx.schema
        self.dialect = ctx.dialect
        self.query = query
        self.parsed = parsed
        self.out = QueryAnalysis()
        self.scopes: dict[int, dict[str, Source]] = {}
        self.ctes: dict[str, exp.Expression] = {}

    # --------------------------------------------------------------- names

    def find_table(self, table: exp.Table) -> Table | None:
        ident = table.this
        quoted = isinstance(ident, exp.Identifier) and ident.quoted
        return self.ctx.sql_table(table.db or None, table.name, quoted)

    def column_of(self, table: Table, column: exp.Column) -> str | None:
        facts: TableFacts = self.ctx.facts(table)
        ident = column.this
        if isinstance(ident, exp.Identifier) and ident.quoted:
            return column.name if column.name in facts.columns else None
        c = facts.columns.get(column.name) or facts.lower.get(column.name.lower())
        return c.name if c is not None else None

    # --------------------------------------------------------------- scopes

    def run(self) -> QueryAnalysis:
        for statement in self.parsed.statements:
            for cte in statement.find_all(exp.CTE):
                self.ctes[cte.alias_or_name.lower()] = cte.this
            self.check_tables(statement)
            for select in statement.find_all(exp.Select):
                self.select_scope(select)
            if isinstance(statement, exp.Update | exp.Delete):
                self.dml_scope(statement)
            if isinstance(statement, exp.Insert):
                self.insert_columns(statement)
            for node in statement.find_all(exp.Column):
                self.check_column(node)
            for select in statement.find_all(exp.Select):
                self.plan(select, self.scopes.get(id(select), {}), select.args.get("where"), self.joins_of(select))
            if isinstance(statement, exp.Update | exp.Delete):
                self.plan(statement, self.scopes.get(id(statement), {}), statement.args.get("where"), [])
        return self.out

    def check_tables(self, statement: exp.Expression) -> None:
        for table in statement.find_all(exp.Table):
            if not isinstance(table.this, exp.Identifier) or not table.name:
                continue
            if not table.db and table.name.lower() in self.ctes:
                continue
            if (table.db or "").lower() in SYSTEM_SCHEMAS or table.name.lower() == "dual":
                continue
            if self.find_table(table) is None:
                self.out.problems.append(Problem("Q102", f"unknown table '{_dotted(table)}'", table))

    def sources_of(self, node: exp.Expression) -> list[exp.Expression]:
        out = []
        frm = node.args.get("from_") or node.args.get("from")
        if isinstance(frm, exp.Expression):
            out.append(frm.this)
            out.extend(frm.expressions or [])
        for join in node.args.get("joins") or []:
            out.append(join.this)
        return [n for n in out if isinstance(n, exp.Expression)]

    def source(self, node: exp.Expression) -> Source | None:
        alias = node.alias_or_name
        if isinstance(node, exp.Table):
            if not isinstance(node.this, exp.Identifier):
                return Source(alias.lower(), "unknown", node=node)
            if not node.db and node.name.lower() in self.ctes:
                return Source(alias.lower(), "derived", columns=_outputs(self.ctes[node.name.lower()]), node=node)
            table = self.find_table(node)
            return Source(alias.lower(), "table" if table else "unknown", table, node=node)
        if isinstance(node, exp.Subquery):
            return Source(alias.lower(), "derived", columns=_outputs(node.this), node=node)
        return Source(alias.lower(), "unknown", node=node) if alias else None

    def select_scope(self, select: exp.Select) -> None:
        sources: dict[str, Source] = {}
        for node in self.sources_of(select):
            src = self.source(node)
            if src is not None:
                sources[src.alias] = src
        self.scopes[id(select)] = sources

    def dml_scope(self, statement: exp.Expression) -> None:
        sources: dict[str, Source] = {}
        target = statement.this
        if isinstance(target, exp.Table):
            src = self.source(target)
            if src is not None:
                sources[src.alias] = src
                if src.table is not None:
                    sources[src.table.name.lower()] = src
        for node in self.sources_of(statement):
            src = self.source(node)
            if src is not None:
                sources[src.alias] = src
        using = statement.args.get("using")
        for node in using if isinstance(using, list) else [using]:
            if not isinstance(node, exp.Expression):
                continue
            src = self.source(node)
            if src is not None:
                sources[src.alias] = src
        self.scopes[id(statement)] = sources

    def insert_columns(self, statement: exp.Insert) -> None:
        target = statement.this
        if not isinstance(target, exp.Schema) or not isinstance(target.this, exp.Table):
            return
        table = self.find_table(target.this)
        if table is None:
            return
        for ident in target.expressions:
            if isinstance(ident, exp.Identifier) and self.column_of(table, exp.column(ident.copy())) is None:
                self.out.problems.append(
                    Problem("Q103", f"table '{table.qualified}' has no column '{ident.name}'", ident)
                )

    def enclosing_scopes(self, node: exp.Expression) -> list[dict[str, Source]]:
        out = []
        parent = node.parent
        while parent is not None:
            if id(parent) in self.scopes:
                out.append(self.scopes[id(parent)])
            parent = parent.parent
        return out

    def check_column(self, column: exp.Column) -> None:
        name = column.name
        if not name or isinstance(column.this, exp.Star):
            return
        scopes = self.enclosing_scopes(column)
        if not scopes:
            return
        qualifier = column.table
        if qualifier:
            for sources in scopes:
                src = sources.get(qualifier.lower())
                if src is not None:
                    self._check_in(column, [src])
                    return
            node = column.args.get("table")
            self.out.problems.append(Problem("Q102", f"unknown table or alias '{qualifier}'", node))
            return
        if name.lower() in PSEUDO_COLUMNS:
            return
        select = column.parent_select
        if select is not None and _is_output_alias(column, select):
            return
        for sources in scopes:
            if not sources:
                continue
            srcs = list(sources.values())
            having = [s for s in srcs if self._has(s, column)]
            if len(having) == 1:
                return
            if len(having) > 1:
                tables = ", ".join(s.table.qualified if s.table else s.alias for s in having)
                self.out.problems.append(
                    Problem("Q104", f"column '{name}' is ambiguous: it is in {tables}; qualify it", column)
                )
                return
            if any(s.kind == "unknown" or (s.kind == "derived" and s.columns is None) for s in srcs):
                return
        real = [s for s in scopes[0].values() if s.kind == "table"]
        if real and len(scopes) == 1:
            where = " or ".join(f"'{s.table.qualified}'" for s in real)
            self.out.problems.append(Problem("Q103", f"no column '{name}' in {where}", column))
        elif real:
            self.out.problems.append(Problem("Q103", f"no column '{name}' in the tables of this query", column))

    def _has(self, src: Source, column: exp.Column) -> bool:
        if src.kind == "table":
            return self.column_of(src.table, column) is not None
        if src.kind == "derived":
            return src.columns is not None and column.name.lower() in src.columns
        return False

    def _check_in(self, column: exp.Column, srcs: list[Source]) -> None:
        src = srcs[0]
        if src.kind == "table" and self.column_of(src.table, column) is None:
            self.out.problems.append(
                Problem("Q103", f"table '{src.table.qualified}' has no column '{column.name}'", column)
            )
        elif src.kind == "derived" and src.columns is not None and column.name.lower() not in src.columns:
            self.out.problems.append(Problem("Q103", f"'{src.alias}' has no column '{column.name}'", column))

    def resolve(self, column: exp.Column, sources: dict[str, Source]) -> tuple[Source, str] | None:
        """The schema table source and model column name a column refers to, in this scope only."""
        qualifier = column.table
        if qualifier:
            src = sources.get(qualifier.lower())
            if src is None or src.kind != "table":
                return None
            name = self.column_of(src.table, column)
            return (src, name) if name else None
        found = [(s, self.column_of(s.table, column)) for s in sources.values() if s.kind == "table"]
        found = [(s, n) for s, n in found if n]
        others = [s for s in sources.values() if s.kind != "table"]
        if len(found) == 1 and not any(self._has(s, column) for s in others):
            return found[0]
        return None

    def joins_of(self, select: exp.Expression) -> list[exp.Join]:
        return list(select.args.get("joins") or [])

    # --------------------------------------------------------------- predicates

    def plan(self, node: exp.Expression, sources: dict[str, Source], where: exp.Expression | None, joins: list) -> None:
        tables = {alias: s for alias, s in sources.items() if s.kind == "table"}
        if not tables:
            return
        accesses: dict[str, Access] = {}

        def access(alias: str) -> Access:
            got = accesses.get(alias)
            if got is None:
                got = accesses[alias] = Access(tables[alias].table, alias)
            return got

        joined: dict[str, list[Key]] = {}
        conjuncts = _conjuncts(where.this if isinstance(where, exp.Where) else where)
        for join in joins:
            conjuncts.extend(_conjuncts(join.args.get("on")))
            using = join.args.get("using") or []
            right = self.source(join.this)
            if using and right is not None and right.alias in tables:
                for ident in using:
                    name = ident.name if isinstance(ident, exp.Expression) else str(ident)
                    for alias, src in tables.items():
                        col = self.column_of(src.table, exp.column(name))
                        if col:
                            joined.setdefault(alias, []).append(("column", col))
        for c in conjuncts:
            self.classify(_unparen(c), sources, access, joined)
        order = self.order_of(node, sources)
        limit = bool(node.args.get("limit") or node.args.get("fetch") or node.args.get("top"))
        if isinstance(node, exp.Select) and (node.args.get("group") or node.args.get("distinct")):
            order = None
        filtered = [a for a in accesses.values() if a.eq or a.ranges]
        if order is not None:
            alias, keys = order
            a = access(alias)
            a.order = keys
            a.limit = limit
            if not filtered and limit:
                a.via = "order"
                filtered = [a]
        drivers = {id(a) for a in filtered}
        for alias, keys in joined.items():
            a = access(alias)
            if id(a) in drivers:
                continue
            a.via = "join"
            for k in keys:
                if k not in a.eq:
                    a.eq.append(k)
            filtered.append(a)
        for a in filtered:
            if a.eq or a.ranges or a.needs_sort:
                evaluate(self.ctx, a, self.dialect)
                self.out.accesses.append(a)

    def operand(self, node: exp.Expression, sources: dict[str, Source]) -> tuple[str, Key] | None:
        """(alias, key) when `node` is a column or an expression over one table's columns."""
        node = _unparen(node)
        if isinstance(node, exp.Column):
            got = self.resolve(node, sources)
            return (got[0].alias, ("column", got[1])) if got else None
        columns = list(node.find_all(exp.Column))
        if not columns or node.find(exp.Select) is not None:
            return None
        owners = set()
        for col in columns:
            got = self.resolve(col, sources)
            if got is None:
                return None
            owners.add(got[0].alias)
        if len(owners) != 1:
            return None
        return owners.pop(), ("expression", normalise(node, self.dialect))

    def constant(self, node: exp.Expression, sources: dict[str, Source]) -> bool:
        """No column of this scope in it: a literal, a parameter, now(), an outer or scalar subquery."""
        node = _unparen(node)
        if isinstance(node, exp.Subquery | exp.Select):
            return True
        for col in node.find_all(exp.Column):
            if col.name.lower() in PSEUDO_COLUMNS and not col.table:
                continue
            if not col.table or col.table.lower() in sources:
                return False  # a column of this scope (or one that cannot be placed: not a constant)
        return True

    def classify(self, c: exp.Expression, sources: dict[str, Source], access, joined) -> None:
        if isinstance(c, exp.EQ):
            left, right = self.operand(c.this, sources), self.operand(c.expression, sources)
            if left and right and left[0] != right[0]:
                if left[1][0] == "column" and right[1][0] == "column":
                    joined.setdefault(left[0], []).append(left[1])
                    joined.setdefault(right[0], []).append(right[1])
                return
            for side, other in ((left, c.expression), (right, c.this)):
                if side and self.constant(other, sources):
                    a = access(side[0])
                    _add(a.eq, side[1])
                    a.conjuncts.add(normalise(c, self.dialect))
                    if side[1][0] == "column":
                        a.compared.add(side[1][1].lower())
                        value = _unparen(other)
                        a.in_lists.setdefault(side[1][1].lower(), set()).add(normalise(value, self.dialect))
                        if isinstance(value, exp.Boolean) and value.this is True:
                            a.bool_columns.add(side[1][1].lower())
                    return
        elif isinstance(c, exp.In):
            side = self.operand(c.this, sources)
            if side and (c.expressions or c.args.get("query")):
                a = access(side[0])
                _add(a.eq, side[1])
                a.conjuncts.add(normalise(c, self.dialect))
                if side[1][0] == "column" and c.expressions:
                    a.compared.add(side[1][1].lower())
                    a.in_lists.setdefault(side[1][1].lower(), set()).update(
                        normalise(v, self.dialect) for v in c.expressions
                    )
        elif isinstance(c, exp.Is):
            side = self.operand(c.this, sources)
            if side and isinstance(c.expression, exp.Null):
                a = access(side[0])
                _add(a.eq, side[1])
                a.conjuncts.add(normalise(c, self.dialect))
            elif side and isinstance(c.expression, exp.Boolean) and c.expression.this is True:
                access(side[0]).bool_columns.add(side[1][1].lower())
        elif isinstance(c, exp.GT | exp.GTE | exp.LT | exp.LTE):
            for side, other in (
                (self.operand(c.this, sources), c.expression),
                (self.operand(c.expression, sources), c.this),
            ):
                if side and self.constant(other, sources):
                    a = access(side[0])
                    _add(a.ranges, side[1])
                    a.conjuncts.add(normalise(c, self.dialect))
                    if side[1][0] == "column":
                        a.compared.add(side[1][1].lower())
                    return
        elif isinstance(c, exp.Between):
            side = self.operand(c.this, sources)
            if side and self.constant(c.args.get("low"), sources) and self.constant(c.args.get("high"), sources):
                a = access(side[0])
                _add(a.ranges, side[1])
                if side[1][0] == "column":
                    a.compared.add(side[1][1].lower())
        elif isinstance(c, exp.Like | exp.ILike):
            side = self.operand(c.this, sources)
            if not side or side[1][0] != "column":
                return
            pattern = _pattern_start(c.expression)
            if pattern == "contains":
                self.out.searches.append(ContainsSearch(sources[side[0]].table, side[1][1], c))
            elif pattern == "prefix" and isinstance(c, exp.Like):
                a = access(side[0])
                _add(a.ranges, side[1])
                a.compared.add(side[1][1].lower())
        elif isinstance(c, exp.Column):
            side = self.operand(c, sources)
            if side:
                access(side[0]).bool_columns.add(side[1][1].lower())

    def order_of(self, node: exp.Expression, sources: dict[str, Source]) -> tuple[str, list] | None:
        order = node.args.get("order")
        if order is None:
            return None
        keys = []
        owner = None
        for item in order.expressions:
            inner = item.this if isinstance(item, exp.Ordered) else item
            side = self.operand(inner, sources)
            if side is None or side[1][0] != "column":
                return None
            if owner is not None and owner != side[0]:
                return None
            owner = side[0]
            keys.append((side[1], bool(isinstance(item, exp.Ordered) and item.args.get("desc"))))
        return (owner, keys) if owner else None


def _add(keys: list[Key], key: Key) -> None:
    if key not in keys:
        keys.append(key)


def _pattern_start(node: exp.Expression) -> str | None:
    """'contains' for a pattern that starts with a wildcard, 'prefix' for a literal prefix."""
    node = _unparen(node)
    first = node
    while isinstance(first, exp.DPipe | exp.Concat):
        first = first.this if isinstance(first, exp.DPipe) else (first.expressions[0] if first.expressions else None)
    if isinstance(first, exp.Literal) and first.is_string:
        text = first.this
        if text.startswith(("%", "_")):
            return "contains"
        if text and isinstance(node, exp.Literal):
            return "prefix"
    return None


def _outputs(node: exp.Expression) -> set[str] | None:
    if not isinstance(node, exp.Query):
        return None
    names = node.named_selects
    if "*" in names or any(
        isinstance(e, exp.Star) or (isinstance(e, exp.Column) and e.is_star) for e in _selects(node)
    ):
        return None
    return {n.lower() for n in names}


def _selects(node: exp.Expression) -> list[exp.Expression]:
    return list(node.selects) if isinstance(node, exp.Query) else []


def _is_output_alias(column: exp.Column, select: exp.Select) -> bool:
    aliases = {e.alias.lower() for e in select.expressions if isinstance(e, exp.Alias)}
    if column.name.lower() not in aliases:
        return False
    parent = column.parent
    while parent is not None and parent is not select:
        if isinstance(parent, exp.Order | exp.Group | exp.Having):
            return True
        parent = parent.parent
    return False


def _dotted(table: exp.Table) -> str:
    return f"{table.db}.{table.name}" if table.db else table.name


# ------------------------------------------------------------------ serving


def evaluate(ctx, a: Access, dialect: str) -> None:
    """Decide which index serves the access (fully or in part) and what index would."""
    facts: TableFacts = ctx.facts(a.table)
    eq = a.eq
    sort = a.sort_keys if a.needs_sort else []
    uniform = len({d for _k, d in sort}) <= 1
    best_partial: tuple[int, AccessPath] | None = None
    for path in facts.paths:
        eq_set = set(eq)
        if path.where:
            if not implied(path.where, a, dialect):
                continue
            fixed = pinned(path.where, dialect)  # columns the predicate fixes need no index column
            eq_set = {k for k in eq_set if not (k[0] == "column" and k[1].lower() in fixed)}
        keys = [_path_key(k, dialect) for k in path.keys]
        if path.kind in ("gin", "gist", "spgist"):
            continue
        if path.kind == "hash":
            if len(keys) == 1 and keys[0] in eq_set:
                if eq_set == {keys[0]} and not a.ranges and not sort:
                    a.served_by = path
                    return
                best_partial = _better(best_partial, 1, path)
            continue
        i = 0
        while i < len(keys) and keys[i] in eq_set:
            i += 1
        used = set(keys[:i])
        if path.kind == "brin":
            if keys and (keys[0] in eq_set or keys[0] in a.ranges):
                best_partial = _better(best_partial, 1, path)
            continue
        unique_hit = path.unique and i == len(keys) and not path.where
        rest = keys[i:]
        range_ok = bool(a.ranges) and bool(rest) and rest[0] in a.ranges
        sort_ok = bool(sort) and uniform and rest[: len(sort)] == [k for k, _d in sort]
        if unique_hit or (used == eq_set and _rest_ok(a, sort, range_ok, sort_ok)):
            a.served_by = path
            return
        score = i + (1 if range_ok else 0) + (1 if sort_ok else 0)
        if score:
            best_partial = _better(best_partial, score, path)
    a.partly_by = best_partial[1] if best_partial else None
    a.suggestion = suggest(a)


def _rest_ok(a: Access, sort: list, range_ok: bool, sort_ok: bool) -> bool:
    if a.ranges and sort:
        return range_ok or sort_ok
    if a.ranges:
        return range_ok
    if sort:
        return sort_ok
    return True


def _better(best, score: int, path: AccessPath):
    return (score, path) if best is None or score > best[0] else best


def _path_key(key: tuple[str, str], dialect: str) -> Key:
    kind, value = key
    if kind == "column":
        return ("column", value)
    return ("expression", normalise_text(value, dialect) or value.lower())


def suggest(a: Access) -> tuple[Key, ...]:
    keys: list[Key] = list(a.eq)
    sort = a.sort_keys if a.needs_sort else []
    uniform = len({d for _k, d in sort}) <= 1
    if a.ranges:
        keys.append(a.ranges[0])
    if sort and uniform and (not a.ranges or sort[0][0] == a.ranges[0]):
        for k, _d in sort:
            if k not in keys:
                keys.append(k)
    return tuple(keys)


@lru_cache(maxsize=4096)
def pinned(predicate: str, dialect: str) -> frozenset[str]:
    """Lowercased columns that a partial index predicate fixes to one value (`status = 'open'`)."""
    out: set[str] = set()
    try:
        node = sqlglot.parse_one(predicate, read=SQLGLOT.get(dialect, "postgres"))
    except Exception:
        return out
    for c in _conjuncts(node):
        c = _unparen(c)
        if isinstance(c, exp.EQ) and isinstance(c.this, exp.Column) and c.expression.find(exp.Column) is None:
            out.add(c.this.name.lower())
    return frozenset(out)


def implied(predicate: str, a: Access, dialect: str) -> bool:
    """Whether the query's conditions on this table imply a partial index's predicate."""
    parts = predicate_parts(predicate, dialect)
    if not parts:
        return False
    for part in parts:
        kind = part[0]
        if kind == "same":
            if part[1] not in a.conjuncts:
                return False
        elif kind == "in":
            values = a.in_lists.get(part[1])
            if not values or not values <= set(part[2:]):
                return False
        elif (kind == "not_null" and part[1] not in a.compared) or (kind == "bool" and part[1] not in a.bool_columns):
            return False
    return True


@dataclass
class QueryReport:
    """One Query as the Q rules see it, for readers outside a lint run (the design document)."""

    query: Query
    problem: str | None  # why the SQL cannot be analysed
    tables: list[Table]  # the schema's tables it reads
    accesses: list[Access]  # how each filtered, joined or sorted table is reached, evaluated


def query_reports(schema: Schema, dialect: str) -> list[QueryReport]:
    """Every Query of `schema` analysed against its keys and indexes in `dialect`."""
    ctx = Context(schema, dialect, "", LintState())
    out = []
    for query in schema.queries:
        parsed = parse_query(query.sql, dialect)
        analysis = analyse(ctx, query, parsed)
        tables = list(dict.fromkeys(t for t in (ctx.sql_table(*ref) for ref in parsed.table_refs) if t is not None))
        problem = None
        if parsed.error is not None:
            problem = f"the SQL cannot be parsed: {parsed.error[0]}"
        elif not tables:
            unknown = [p.message for p in analysis.problems if p.code == "Q102"]
            problem = unknown[0] if unknown else "it reads no table of the schema"
        out.append(QueryReport(query, problem, tables, analysis.accesses))
    return out


def analyse(ctx, query: Query, parsed: ParsedQuery) -> QueryAnalysis:
    """The analysis of one query (memoised per lint run, shared by the Q rules)."""
    key = ("query", id(query))
    got = ctx.memo.get(key)
    if got is None:
        got = QueryAnalysis()
        if parsed.error is None:
            try:
                got = _Analyzer(ctx, query, parsed).run()
            except Exception:  # a SQL shape the analysis does not know: no finding rather than a crash
                got = QueryAnalysis()
        ctx.memo[key] = got
    return got
