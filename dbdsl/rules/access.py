"""Access-pattern analysis of a `Query`: which tables and columns it names, and how the engine reaches
each table, for `serving.py` to match against the schema's keys and indexes.

For every SELECT (and the WHERE of UPDATE/DELETE) the predicates are sorted per table into equalities
(`=`, `IN`, `= ANY`), ranges (`<`, `>`, `BETWEEN`, `LIKE 'prefix%'`), flags (`IS NULL`, a boolean
column), ORs across columns, join equalities between tables, and the ORDER BY (counted with a LIMIT,
and after a GROUP BY only when it orders by the grouping keys). The plan mirrors a nested loop: the
table whose own predicates narrow it most drives (a unique key, then an equality with a parameter,
then any filter, then the ORDER BY of a top-N); the other tables are reached through the join keys from
the tables before them, so their index must lead with the join key. A join key that equals a constant
on the other side is a constant (PostgreSQL derives it). A correlated subquery is the inner side of a
join from the outer table. Tables that nothing narrows are read in full and need no index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

from ..dialects import SQLGLOT
from ..model.facts import rate
from ..model.schema import Query, Schema, Table
from ..sqlread import SQLGLOT_ERRORS
from .engine import Context, LintState
from .facts import TableFacts
from .serving import (
    Access,
    Key,
    Sort,
    conjuncts,
    disjuncts,
    evaluate,
    is_null_test,
    normalise,
    unparen,
)
from .sqltext import ParsedQuery, parse_query

Edge = tuple[str, "Key | None", str, "Key | None"]  # alias, its column (None: a subquery's), alias, column

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


@dataclass
class Source:
    alias: str
    kind: str  # 'table' (a schema table), 'derived' (subquery or CTE), 'unknown'
    table: Table | None = None  # set exactly when the kind is 'table'
    columns: set[str] | None = None  # output names of a derived source (None: unknown, e.g. SELECT *)
    node: exp.Expression | None = None


@dataclass
class Problem:
    code: str  # Q102 unknown table, Q103 unknown column, Q104 ambiguous column
    message: str
    node: exp.Expression


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


# ------------------------------------------------------------------ analysis


class _Analyzer:
    def __init__(self, ctx: Context, query: Query, parsed: ParsedQuery) -> None:
        self.ctx = ctx
        self.schema = ctx.schema
        self.dialect = ctx.dialect
        self.query = query
        self.parsed = parsed
        self.out = QueryAnalysis()
        self.rate = _rate(query.frequency)
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
        for item in using if isinstance(using, list) else [using]:
            if not isinstance(item, exp.Expression):
                continue
            src = self.source(item)
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
            node = column.args["table"]  # the qualifier's identifier
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
        real = [s.table for s in scopes[0].values() if s.table is not None]
        if real and len(scopes) == 1:
            where = " or ".join(f"'{t.qualified}'" for t in real)
            self.out.problems.append(Problem("Q103", f"no column '{name}' in {where}", column))
        elif real:
            self.out.problems.append(Problem("Q103", f"no column '{name}' in the tables of this query", column))

    def _has(self, src: Source, column: exp.Column) -> bool:
        if src.table is not None:
            return self.column_of(src.table, column) is not None
        if src.kind == "derived":
            return src.columns is not None and column.name.lower() in src.columns
        return False

    def _check_in(self, column: exp.Column, srcs: list[Source]) -> None:
        src = srcs[0]
        if src.table is not None and self.column_of(src.table, column) is None:
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
            if src is None or src.table is None:
                return None
            name = self.column_of(src.table, column)
            return (src, name) if name else None
        found = [(s, self.column_of(s.table, column)) for s in sources.values() if s.table is not None]
        named = [(s, n) for s, n in found if n]
        others = [s for s in sources.values() if s.table is None]
        if len(named) == 1 and not any(self._has(s, column) for s in others):
            return named[0]
        return None

    def table_of(self, sources: dict[str, Source], alias: str) -> Table:
        """The schema table of an alias that `operand` placed a column in (it resolves to tables only)."""
        table = sources[alias].table
        assert table is not None
        return table

    def joins_of(self, select: exp.Expression) -> list[exp.Join]:
        return list(select.args.get("joins") or [])

    # --------------------------------------------------------------- predicates

    def plan(
        self, node: exp.Expression, sources: dict[str, Source], where: exp.Expression | None, joins: list[exp.Join]
    ) -> None:
        tables = {alias: s.table for alias, s in sources.items() if s.table is not None}
        if not tables:
            return
        accesses: dict[str, Access] = {}

        def access(alias: str) -> Access:
            got = accesses.get(alias)
            if got is None:
                got = accesses[alias] = Access(tables[alias], alias, rate=self.rate)
            return got

        edges: list[Edge] = []
        found = conjuncts(where.this if isinstance(where, exp.Where) else where)
        for join in joins:
            found.extend(conjuncts(join.args.get("on")))
            self.using_edges(join, sources, edges)
        for c in found:
            self.classify(unparen(c), sources, access, edges)
        order = self.order_of(node, sources)
        limit = bool(node.args.get("limit") or node.args.get("fetch") or node.args.get("top"))
        grouped = isinstance(node, exp.Select) and (node.args.get("group") or node.args.get("distinct"))
        if grouped and not (limit and order is not None and self.orders_groups(node, sources, order)):
            order = None  # the rows come out of an aggregate: an index order helps only a top-N of groups
        owner = None
        if order is not None:
            owner, keys = order
            a = access(owner)
            a.order = keys
            a.limit = limit
        for alias, columns in self.reads_of(node, sources).items():
            if alias in accesses:
                accesses[alias].reads = columns
        for a in self.reach(sources, accesses, access, edges, owner):
            if a.join:
                a.order = []  # an inner side's own order is not the output's
            if a.branches and (a.join or a.eq or a.ranges or a.sort):
                a.branches = []  # the OR only filters rows another key already found
            for b in a.branches:
                b.flags = {**a.flags, **b.flags}
                b.conjuncts |= a.conjuncts
                b.bool_columns |= a.bool_columns
                b.compared |= a.compared
            if a.active():
                evaluate(self.ctx, a, self.dialect)
                self.out.accesses.append(a)

    def reach(
        self,
        sources: dict[str, Source],
        accesses: dict[str, Access],
        access: Callable[[str], Access],
        edges: list[Edge],
        owner: str | None,
    ) -> list[Access]:
        """The accesses in the order a nested-loop plan reaches their tables: the table its own
        predicates narrow most first, then the tables joined to those reached, each by its join keys."""
        aliases = list(sources)
        ranks = {alias: self.rank(alias, sources, accesses, edges, owner) for alias in aliases}
        reached: dict[str, set[Key]] = {}  # alias -> its keys fixed to one value per outer row
        out: list[Access] = []
        while True:
            left = [alias for alias in aliases if alias not in reached and ranks[alias] > 0]
            if not left:
                return out
            # on a tie, the table whose joins reach the others by their keys (the many side of a
            # many-to-one) drives: the lookups on the other side are then by a unique key
            driver = max(
                left, key=lambda alias: (ranks[alias], self.key_lookups(alias, sources, edges), -aliases.index(alias))
            )
            a = accesses.get(driver)
            reached[driver] = set(a.eq) - a.multi if a else set()
            if a is not None:
                out.append(a)
            queue = [driver]
            while queue:
                current = queue.pop(0)
                for x, _x_key, y, _y_key in edges:
                    for here, there in ((x, y), (y, x)):
                        if here == current and there not in reached and there in sources:
                            self.join_in(there, sources, access, edges, reached)
                            queue.append(there)
                            if there in accesses:
                                out.append(accesses[there])

    def join_in(
        self,
        alias: str,
        sources: dict[str, Source],
        access: Callable[[str], Access],
        edges: list[Edge],
        reached: dict[str, set[Key]],
    ) -> None:
        """Reach `alias` from the tables already reached: a join key equal to a constant of the other
        side is a constant here too; the others are join keys that its index must lead with."""
        fixed: set[Key] = set()
        reached[alias] = fixed
        if sources[alias].table is None:
            return
        a = access(alias)
        for x, x_key, y, y_key in edges:
            for here, here_key, there, there_key in ((x, x_key, y, y_key), (y, y_key, x, x_key)):
                if here != alias or there == alias or there not in reached or here_key is None:
                    continue
                if there_key is not None and there_key in reached[there]:
                    _add(a.eq, here_key)
                    a.selective = True
                else:
                    _add(a.join, here_key)
                    there_table = sources[there].table
                    name = there_table.name if there_table is not None else there
                    if name not in a.outer:
                        a.outer.append(name)
        fixed.update(set(a.eq) - a.multi)

    def rank(
        self, alias: str, sources: dict[str, Source], accesses: dict[str, Access], edges: list[Edge], owner: str | None
    ) -> float:
        """How much a table's own predicates narrow it: 4 a unique key, 3 an equality with a parameter
        (or a correlation), 2 another filter, 1 only flags; +0.5 for the ORDER BY of a top-N."""
        src = sources[alias]
        if src.table is None:  # a subquery or CTE that filters its rows can drive a join
            joined = any(alias in (e[0], e[2]) for e in edges)
            return 1.5 if joined and self.filters_rows(src) else 0
        a = accesses.get(alias)
        if a is None:
            return 0
        single = {k[1] for k in a.eq if k[0] == "column" and k not in a.multi}
        if single and self.ctx.facts(a.table).contains_key(single):
            score = 4.0
        elif a.selective or a.join:
            score = 3.0
        elif a.eq or a.ranges or a.branches:
            score = 2.0
        elif a.flags:
            score = 1.0
        else:
            score = 0.0
        if alias == owner and a.limit and a.order:
            score += 0.5
        return score

    def key_lookups(self, alias: str, sources: dict[str, Source], edges: list[Edge]) -> int:
        """How many of the tables joined to `alias` it reaches by their primary key or a unique key."""
        count = 0
        for x, x_key, y, y_key in edges:
            for here, there, there_key in ((x, y, y_key), (y, x, x_key)):
                src = sources.get(there)
                if here == alias and there_key and src is not None and src.table is not None:
                    count += self.ctx.facts(src.table).is_key((there_key[1],))
        return count

    def filters_rows(self, src: Source) -> bool:
        node = src.node
        if isinstance(node, exp.Subquery):
            body = node.this
        elif isinstance(node, exp.Table) and node.name.lower() in self.ctes:
            body = self.ctes[node.name.lower()]
        else:
            return False
        return isinstance(body, exp.Select) and any(body.args.get(k) for k in ("where", "limit", "having"))

    def using_edges(self, join: exp.Join, sources: dict[str, Source], edges: list[Edge]) -> None:
        using = join.args.get("using") or []
        right = self.source(join.this)
        if not using or right is None or right.alias not in sources:
            return
        for ident in using:
            name = ident.name if isinstance(ident, exp.Expression) else str(ident)
            right_key = self._key_of(sources[right.alias], name)
            for alias, src in sources.items():
                if alias == right.alias:
                    break
                left_key = self._key_of(src, name)
                if left_key is not None or src.table is None:
                    edges.append((alias, left_key, right.alias, right_key))

    def _key_of(self, src: Source, name: str) -> Key | None:
        if src.table is None:
            return None
        column = self.column_of(src.table, exp.column(name))
        return ("column", column) if column else None

    def classify(
        self, c: exp.Expression, sources: dict[str, Source], access: Callable[[str], Access], edges: list[Edge]
    ) -> None:
        if isinstance(c, exp.EQ):
            self.classify_eq(c, sources, access, edges)
        elif isinstance(c, exp.In):
            side = self.operand(c.this, sources)
            query = c.args.get("query")
            if side and (c.expressions or query):
                a = access(side[0])
                _add(a.eq, side[1])
                a.conjuncts.add(normalise(c, self.dialect))
                if query is not None or len(c.expressions) > 1:
                    a.multi.add(side[1])
                if query is not None or not all(_literal(v) for v in c.expressions):
                    a.selective = True
                if side[1][0] == "column" and c.expressions:
                    a.compared.add(side[1][1].lower())
                    a.in_lists.setdefault(side[1][1].lower(), set()).update(
                        normalise(v, self.dialect) for v in c.expressions
                    )
        elif isinstance(c, exp.Is):
            side = self.operand(c.this, sources)
            if side and isinstance(c.expression, exp.Null):
                self.flag(access(side[0]), side[1], c, f"{_sql_name(side[1])} IS NULL")
            elif side and isinstance(c.expression, exp.Boolean):
                self.flag_boolean(access(side[0]), side[1], c, c.expression.this is True)
        elif isinstance(c, exp.Not):
            inner = unparen(c.this)
            side = self.operand(inner, sources) if isinstance(inner, exp.Column) else None
            if side:
                self.flag_boolean(access(side[0]), side[1], c, False)
            elif is_null_test(inner):
                side = self.operand(inner.this, sources)
                if side and side[1][0] == "column":
                    access(side[0]).compared.add(side[1][1].lower())  # IS NOT NULL: implies such a partial index
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
            if side and self.constant(c.args["low"], sources) and self.constant(c.args["high"], sources):
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
                self.out.searches.append(ContainsSearch(self.table_of(sources, side[0]), side[1][1], c))
            elif pattern == "prefix" and isinstance(c, exp.Like):
                a = access(side[0])
                _add(a.ranges, side[1])
                a.patterns.add(side[1])
                a.compared.add(side[1][1].lower())
        elif isinstance(c, exp.Column):
            side = self.operand(c, sources)
            if side:
                self.flag_boolean(access(side[0]), side[1], c, True)
        elif isinstance(c, exp.Or):
            self.classify_or(c, sources, access)

    def classify_eq(
        self, c: exp.EQ, sources: dict[str, Source], access: Callable[[str], Access], edges: list[Edge]
    ) -> None:
        left, right = self.operand(c.this, sources), self.operand(c.expression, sources)
        if left and right and left[0] != right[0]:
            if left[1][0] == "column" and right[1][0] == "column":
                edges.append((left[0], left[1], right[0], right[1]))
            return
        for side, other in ((left, c.expression), (right, c.this)):
            if not side:
                continue
            derived = self.derived_alias(other, sources)
            if derived is not None:
                if side[1][0] == "column":
                    edges.append((derived, None, side[0], side[1]))
                return
            outer = self.outer_table(other, sources)
            if outer is not None and side[1][0] == "column":
                a = access(side[0])  # a correlated subquery: the inner side of a join from the outer table
                _add(a.join, side[1])
                if outer not in a.outer:
                    a.outer.append(outer)
                return
            if not self.constant(other, sources):
                continue
            a = access(side[0])
            value = unparen(other)
            if isinstance(value, exp.Boolean) and side[1][0] == "column":
                self.flag_boolean(a, side[1], c, value.this is True)
                return
            _add(a.eq, side[1])
            a.conjuncts.add(normalise(c, self.dialect))
            if isinstance(value, exp.Any):
                a.multi.add(side[1])
            if not _literal(value):
                a.selective = True
            if side[1][0] == "column":
                a.compared.add(side[1][1].lower())
                a.in_lists.setdefault(side[1][1].lower(), set()).add(normalise(value, self.dialect))
            return

    def classify_or(self, c: exp.Or, sources: dict[str, Source], access: Callable[[str], Access]) -> None:
        """An OR whose branches all narrow one table: a BitmapOr needs an index per branch (an OR of
        equalities on one column is an IN list)."""
        owner = None
        branches: list[Access] = []
        for branch in disjuncts(c):
            parts: dict[str, Access] = {}
            edges: list[Edge] = []

            def part_access(alias: str, parts: dict[str, Access] = parts) -> Access:
                got = parts.get(alias)
                if got is None:
                    got = parts[alias] = Access(self.table_of(sources, alias), alias, rate=self.rate)
                return got

            for p in conjuncts(branch):
                self.classify(unparen(p), sources, part_access, edges)
            if edges or len(parts) != 1:
                return
            alias, b = next(iter(parts.items()))
            if owner not in (None, alias) or b.branches or not (b.eq or b.ranges or b.flags):
                return
            owner = alias
            branches.append(b)
        if owner is None:
            return
        a = access(owner)
        keys = {k for b in branches for k in b.eq}
        if len(keys) == 1 and all(len(b.eq) == 1 and not b.ranges and not b.flags for b in branches):
            key = keys.pop()
            _add(a.eq, key)
            a.multi.add(key)
            a.selective = a.selective or any(b.selective for b in branches)
            return
        if not a.branches:
            a.branches = branches
            a.predicate = " ".join(c.sql().split())  # sqlglot's own dialect keeps `:name` parameters

    def flag(self, a: Access, key: Key, node: exp.Expression, text: str) -> None:
        a.flags.setdefault(key, text)
        a.conjuncts.add(normalise(node, self.dialect))

    def flag_boolean(self, a: Access, key: Key, node: exp.Expression, true: bool) -> None:
        if key[0] != "column":
            return
        name = _sql_name(key)
        self.flag(a, key, node, name if true else f"NOT {name}")
        if true:
            a.bool_columns.add(key[1].lower())
        else:
            a.conjuncts.add(f"not {key[1].lower()}")

    def derived_alias(self, node: exp.Expression, sources: dict[str, Source]) -> str | None:
        """The alias of a subquery or CTE in FROM that this column belongs to."""
        node = unparen(node)
        if isinstance(node, exp.Column) and node.table:
            src = sources.get(node.table.lower())
            if src is not None and src.table is None:
                return src.alias
        return None

    def outer_table(self, node: exp.Expression, sources: dict[str, Source]) -> str | None:
        """The name of an enclosing query's table that this column belongs to (a correlation)."""
        node = unparen(node)
        if not isinstance(node, exp.Column) or not node.table or node.table.lower() in sources:
            return None
        for scope in self.enclosing_scopes(node):
            src = scope.get(node.table.lower())
            if src is not None:
                return src.table.name if src.table is not None and self.column_of(src.table, node) else None
        return None

    def operand(self, node: exp.Expression, sources: dict[str, Source]) -> tuple[str, Key] | None:
        """(alias, key) when `node` is a column or an expression over one table's columns."""
        node = unparen(node)
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
        node = unparen(node)
        if isinstance(node, exp.Subquery | exp.Select):
            return True
        for col in node.find_all(exp.Column):
            if col.name.lower() in PSEUDO_COLUMNS and not col.table:
                continue
            if not col.table or col.table.lower() in sources:
                return False  # a column of this scope (or one that cannot be placed: not a constant)
        return True

    def order_of(self, node: exp.Expression, sources: dict[str, Source]) -> tuple[str, list[Sort]] | None:
        order = node.args.get("order")
        if order is None:
            return None
        keys: list[Sort] = []
        owner = None
        null_ordering = Dialect.get_or_raise(SQLGLOT.get(self.dialect, "postgres")).NULL_ORDERING
        for item in order.expressions:
            inner = item.this if isinstance(item, exp.Ordered) else item
            side = self.operand(inner, sources)
            if side is None:
                return None
            if owner is not None and owner != side[0]:
                return None
            owner = side[0]
            desc = bool(isinstance(item, exp.Ordered) and item.args.get("desc"))
            nulls_first = bool(isinstance(item, exp.Ordered) and item.args.get("nulls_first"))
            natural = (null_ordering == "nulls_are_small" and not desc) or (null_ordering == "nulls_are_large" and desc)
            keys.append((side[1], desc, nulls_first != natural))
        return (owner, keys) if owner else None

    def orders_groups(self, node: exp.Expression, sources: dict[str, Source], order: tuple[str, list[Sort]]) -> bool:
        """Whether the ORDER BY is by the GROUP BY keys (a top-N of groups read in index order)."""
        group = node.args.get("group")
        if group is None:
            return False
        keys = set()
        for item in group.expressions:
            side = self.operand(item, sources)
            if side is None or side[0] != order[0]:
                return False
            keys.add(side[1])
        return keys == {k for k, _d, _n in order[1]}

    def reads_of(self, node: exp.Expression, sources: dict[str, Source]) -> dict[str, set[str] | None]:
        """The columns each table of this scope gives the query (None: all of them, `*`)."""
        if not isinstance(node, exp.Select):
            return {}
        out: dict[str, set[str] | None] = {alias: set() for alias, s in sources.items() if s.table is not None}
        for e in node.expressions:
            if isinstance(e, exp.Star):
                return dict.fromkeys(out)
            if isinstance(e, exp.Column) and isinstance(e.this, exp.Star) and e.table.lower() in out:
                out[e.table.lower()] = None
        for col in node.find_all(exp.Column):
            if isinstance(col.this, exp.Star):
                continue
            if col.parent_select is not node and not (col.table and col.table.lower() in out):
                continue
            got = self.resolve(col, sources)
            columns = out.get(got[0].alias) if got is not None else None
            if got is not None and columns is not None:
                columns.add(got[1])
        return out


def _rate(frequency: str | None) -> float | None:
    return rate(frequency)


def _add(keys: list[Key], key: Key) -> None:
    if key not in keys:
        keys.append(key)


def _literal(node: exp.Expression) -> bool:
    """A string, boolean or NULL literal: a status or a flag, rarely a selective value."""
    node = unparen(node)
    return (isinstance(node, exp.Literal) and node.is_string) or isinstance(node, exp.Boolean | exp.Null)


def _sql_name(key: Key) -> str:
    name = key[1]
    return name if name.lower() == name and name.isidentifier() else exp.to_identifier(name, quoted=True).sql()


def _pattern_start(node: exp.Expression) -> str | None:
    """'contains' for a pattern that starts with a wildcard, 'prefix' for a literal prefix."""
    node = unparen(node)
    first: exp.Expression | None = node
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


def _selects(node: exp.Expression) -> list[exp.Expr]:
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


def analyse(ctx: Context, query: Query, parsed: ParsedQuery) -> QueryAnalysis:
    """The analysis of one query (memoised per lint run, shared by the Q rules)."""
    key = ("query", id(query))
    got = ctx.memo.get(key)
    if got is None:
        got = QueryAnalysis()
        if parsed.error is None:
            try:
                got = _Analyzer(ctx, query, parsed).run()
            except SQLGLOT_ERRORS:  # SQL sqlglot cannot build or print: no finding rather than a crash
                got = QueryAnalysis()
        ctx.memo[key] = got
    return got
