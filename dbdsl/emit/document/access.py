"""What index a declared Query needs, per table it reads, and which existing index serves it.

The SQL is parsed with sqlglot. For each table of the FROM/JOIN list the predicates on its columns are
sorted into equality (`=`, `IN`, `IS NULL`, and the looked-up side of a join condition), range (`<`,
`>`, `BETWEEN`, `LIKE 'prefix%'`) and sort (ORDER BY). The composite B-tree index that serves the
pattern is: the equality columns (any order), then one range column, then the sort columns (only when
no range precedes them, or the range column is the sort column).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from ...model.schema import Index, IndexKey, Query, Schema, Table
from ..sql_types import source_dialect

RANGE = (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between)


@dataclass
class TableNeed:
    """The access path one query needs on one table."""

    table: Table
    equality: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (column, descending)
    joined: bool = False  # looked up from another table of the query (the inner side of a join)

    @property
    def wanted(self) -> tuple[str, ...]:
        """The columns of the index that serves this access, in order."""
        out = list(dict.fromkeys(self.equality))
        if self.range:
            if self.range[0] not in out:
                out.append(self.range[0])
            if self.sort and self.sort[0][0] == self.range[0]:
                out.extend(c for c, _ in self.sort[1:] if c not in out)
        else:
            out.extend(c for c, _ in self.sort if c not in out)
        return tuple(out)

    @property
    def filtered(self) -> bool:
        return bool(self.equality or self.range or self.sort)

    def describe(self) -> str:
        parts = []
        if self.equality:
            parts.append("equality on " + ", ".join(dict.fromkeys(self.equality)))
        if self.range:
            parts.append("range on " + ", ".join(dict.fromkeys(self.range)))
        if self.sort:
            parts.append("sort by " + ", ".join(f"{c}{' DESC' if d else ''}" for c, d in self.sort))
        return "; ".join(parts) if parts else "full scan (no filter)"


@dataclass
class Match:
    """How well an existing index serves a need: 'full', 'partial' (a prefix) or 'none'."""

    quality: str
    index_name: str | None = None
    columns: tuple[str, ...] = ()


@dataclass
class QueryPlan:
    query: Query
    needs: list[TableNeed]
    problem: str | None = None  # why the SQL could not be analysed


def analyse(query: Query, schema: Schema) -> QueryPlan:
    try:
        tree = sqlglot.parse_one(query.sql, read=source_dialect(schema) or "postgres")
    except SqlglotError as e:
        return QueryPlan(query, [], f"the SQL cannot be parsed: {str(e).splitlines()[0]}")
    select = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    if select is None:
        return QueryPlan(query, [], "not a SELECT: no read path to analyse")
    aliases: dict[str, Table] = {}
    order: list[Table] = []
    missing: list[str] = []
    sources = [select.args.get("from_") or select.args.get("from")] + list(select.args.get("joins") or [])
    for node in sources:
        if node is None:
            continue
        table_node = node.this if isinstance(node, exp.From | exp.Join) else node
        if not isinstance(table_node, exp.Table):
            continue
        name = f"{table_node.db}.{table_node.name}" if table_node.db else table_node.name
        table = schema.table(name)
        if table is None:
            missing.append(name)
            continue
        aliases[table_node.alias_or_name] = table
        if table not in order:
            order.append(table)
    if not order:
        return QueryPlan(query, [], f"unknown table{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
    needs = {t.key: TableNeed(t) for t in order}

    def owner(column: exp.Column) -> Table | None:
        if column.table:
            return aliases.get(column.table)
        found = [t for t in order if t.column(column.name) is not None]
        return found[0] if len(found) == 1 else None

    for join in select.args.get("joins") or []:
        target = join.this
        table = aliases.get(target.alias_or_name) if isinstance(target, exp.Table) else None
        for predicate in _conjuncts(join.args.get("on")):
            _classify(predicate, owner, needs, looked_up=table)
        if table is not None:
            needs[table.key].joined = True
    where = select.args.get("where")
    for predicate in _conjuncts(where.this if where is not None else None):
        _classify(predicate, owner, needs, looked_up=None)
    order_by = select.args.get("order")
    for ordered in order_by.expressions if order_by is not None else []:
        column = ordered.this
        if isinstance(column, exp.Column) and (table := owner(column)) is not None:
            needs[table.key].sort.append((column.name, bool(ordered.args.get("desc"))))
    return QueryPlan(query, list(needs.values()))


def _conjuncts(node: exp.Expression | None) -> list[exp.Expression]:
    if node is None:
        return []
    if isinstance(node, exp.Paren):
        return _conjuncts(node.this)
    if isinstance(node, exp.And):
        return _conjuncts(node.this) + _conjuncts(node.expression)
    return [node]


def _classify(predicate, owner, needs: dict, looked_up: Table | None) -> None:
    if isinstance(predicate, exp.EQ):
        left, right = predicate.this, predicate.expression
        lcol, rcol = isinstance(left, exp.Column), isinstance(right, exp.Column)
        if lcol and rcol:  # a join condition: the looked-up table is searched by its column
            for column in (left, right):
                table = owner(column)
                if table is not None and (looked_up is None or table.key == looked_up.key):
                    if looked_up is None and table.key == _driving(needs).key:
                        continue
                    needs[table.key].equality.append(column.name)
            return
        column = left if lcol else right if rcol else None
        if column is not None and (table := owner(column)) is not None:
            needs[table.key].equality.append(column.name)
        return
    if isinstance(predicate, exp.In | exp.Is) and isinstance(predicate.this, exp.Column):
        if (table := owner(predicate.this)) is not None:
            needs[table.key].equality.append(predicate.this.name)
        return
    if isinstance(predicate, RANGE):
        column = predicate.this if isinstance(predicate.this, exp.Column) else predicate.expression
        if isinstance(column, exp.Column) and (table := owner(column)) is not None:
            needs[table.key].range.append(column.name)
        return
    if isinstance(predicate, exp.Like) and isinstance(predicate.this, exp.Column):
        pattern = predicate.expression
        prefix = isinstance(pattern, exp.Literal) and not pattern.this.startswith(("%", "_"))
        if prefix and (table := owner(predicate.this)) is not None:
            needs[table.key].range.append(predicate.this.name)


def _driving(needs: dict) -> Table:
    return next(iter(needs.values())).table


# ---------------------------------------------------------------- indexes


def candidate_indexes(table: Table) -> list[Index]:
    """The table's indexes, with the primary key and unique columns as the indexes engines make for them."""
    out = list(table.indexes)
    if table.primary_key and not any(i.pk for i in out):
        out.insert(0, Index(keys=tuple(IndexKey("column", c) for c in table.primary_key), pk=True))
    for column in table.columns:
        if column.unique and not column.pk:
            out.append(Index(keys=(IndexKey("column", column.name),), unique=True))
    return out


def index_label(table: Table, index: Index) -> str:
    from ..sql_names import constraint_name

    if index.name:
        return index.name
    if index.pk:
        return constraint_name("pk", table)
    kind = "unique_index" if index.unique else "index"
    return constraint_name(kind, table, index.columns or ("expr",))


def best_index(need: TableNeed) -> Match:
    """The existing index that serves `need` best."""
    wanted = need.wanted
    if not wanted:
        return Match("none")
    best = Match("none")
    best_len = 0
    for index in candidate_indexes(need.table):
        if index.where or not index.columns:
            continue
        covered = _covered(index, need)
        if covered == 0:
            continue
        quality = "full" if covered >= len(wanted) else "partial"
        if covered > best_len:
            best, best_len = Match(quality, index_label(need.table, index), index.columns), covered
    return best


def _covered(index: Index, need: TableNeed) -> int:
    """How many leading columns of the wanted index this index provides (equality columns in any order)."""
    cols = index.columns
    kind = (index.type or "btree").lower()
    if kind == "hash":
        return 1 if len(cols) == 1 and cols[0] in need.equality else 0
    if kind == "brin":
        return 1 if not need.equality and need.range and cols[0] == need.range[0] else 0
    if kind in ("gin", "gist", "spgist"):
        return 0
    equality = list(dict.fromkeys(need.equality))
    wanted = need.wanted
    n = 0
    while n < len(cols) and n < len(equality) and cols[n] in equality:
        n += 1
    if n < len(equality):
        return n
    rest = wanted[len(equality) :]
    k = 0
    while k < len(rest) and n + k < len(cols) and cols[n + k] == rest[k]:
        k += 1
    return n + k


def suggested_index(need: TableNeed) -> Index:
    return Index(keys=tuple(IndexKey("column", c) for c in need.wanted))
