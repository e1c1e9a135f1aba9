"""Which key or index serves one table access of a declared query, and which index would.

An access is what one table of a query needs (`Access`, filled in by `access.py`): the join keys it is
reached by when it is the inner side of a nested loop, its equality predicates, its range predicate,
the ORDER BY that a LIMIT makes worth reading in order, and the constant flags (`IS NULL`, a boolean
column) that a partial index can hold.

A B-tree serves it when its leading keys are the join and equality columns (in any order), followed by
the range column or by the sort columns with the query's directions or all of them reversed; a unique
index whose keys are all fixed serves it too (one row). A partial index counts when the query implies
its predicate. An OR across columns is served when every branch has an index (a BitmapOr). On
PostgreSQL, `LIKE 'prefix%'` needs a pattern operator class unless the collation is C.

The suggested index is the join keys, then the single-valued equalities, then IN lists, then the range,
then the sort keys (the first ascending, the others relative to it); the flags go into its WHERE where
the engine has partial indexes; for a frequent query that reads a run of rows and a few narrow columns
besides its keys, those columns are INCLUDEd so that the index alone answers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlglot import exp

from ..dialects import SQLGLOT, sqlglot_dialect
from ..emit import dsl
from ..emit.sql_types import resolve_type
from ..model.schema import Index, IndexKey, Table
from ..sqlread import SQLGLOT_ERRORS, parse_one
from .facts import AccessPath, TableFacts

if TYPE_CHECKING:
    from .engine import Context

Key = tuple[str, str]  # ('column', name) or ('expression', normalised sql)
Sort = tuple[Key, bool, bool]  # key, descending, NULLs on the side that is not the default
Part = tuple[Key, bool, bool, "str | None"]  # an index key: key, descending, odd NULLs, operator class

PATTERN_OPS = {"text_pattern_ops", "varchar_pattern_ops", "bpchar_pattern_ops"}
PARTIAL_INDEXES = {"postgres", "sqlite", "mssql"}
INCLUDE_COLUMNS = {"postgres", "mssql"}
COVERING_RATE = 10.0  # per second (600/min): below it, INCLUDE columns are not worth their upkeep
COVERING_MAX = 2
NARROW = {"integer", "decimal", "float", "boolean", "date", "time", "timestamp", "uuid", "enum"}
SHORT_TEXT = 32
PLAIN_SQL_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")


def key_text(key: Key) -> str:
    return key[1] if key[0] == "column" else f"`{key[1]}`"


@dataclass(frozen=True)
class IndexSpec:
    """An index the advisor suggests."""

    keys: tuple[Part, ...]
    where: str | None = None
    include: tuple[str, ...] = ()

    def index(self) -> Index:
        """As a model index (for the DBML fix and the SQL of the design document)."""
        return Index(keys=tuple(_index_key(p) for p in self.keys), where=self.where, include=self.include)

    def line(self) -> str:
        """The line of an `indexes { }` block."""
        return dsl.index_line(self.index())

    def shown(self) -> str:
        text = "(" + ", ".join(_part_text(p) for p in self.keys) + ")"
        if self.where:
            text += f" where {self.where}"
        if self.include:
            text += " include (" + ", ".join(self.include) + ")"
        return text


def _part_sql(part: Part) -> str:
    (kind, value), desc, odd, opclass = part
    text = (
        (value if PLAIN_SQL_NAME.match(value) else exp.to_identifier(value, quoted=True).sql("postgres"))
        if (kind == "column")
        else value
    )
    if opclass:
        text += f" {opclass}"
    if desc:
        text += " desc"
    if odd:
        text += " nulls last" if desc else " nulls first"
    return text


def _index_key(part: Part) -> IndexKey:
    (kind, value), desc, odd, opclass = part
    if kind == "column" and not (desc or odd or opclass):
        return IndexKey("column", value)
    return IndexKey("expression", _part_sql(part))


def _part_text(part: Part) -> str:
    (kind, value), desc, odd, opclass = part
    if kind == "column" and not opclass:
        text = value
    else:
        text = f"`{_part_sql((part[0], False, False, opclass))}`"
    if desc:
        text += " DESC"
    if odd:
        text += " NULLS LAST" if desc else " NULLS FIRST"
    return text


@dataclass
class Access:
    """How one table of a query is reached, and what would serve it."""

    table: Table
    alias: str
    eq: list[Key] = field(default_factory=list)  # equality, IN, = ANY: the values come from outside the table
    join: list[Key] = field(default_factory=list)  # join keys when reached from another table (inner side)
    outer: list[str] = field(default_factory=list)  # the tables it is reached from
    ranges: list[Key] = field(default_factory=list)
    patterns: set[Key] = field(default_factory=set)  # range keys that come from LIKE 'prefix%'
    order: list[Sort] = field(default_factory=list)
    limit: bool = False
    multi: set[Key] = field(default_factory=set)  # equality keys with several values (IN): no order across them
    flags: dict[Key, str] = field(default_factory=dict)  # IS NULL / boolean predicates (key -> its SQL)
    selective: bool = False  # an equality with a parameter, a number or another table's column
    branches: list[Access] = field(default_factory=list)  # an OR across columns: one access per branch
    predicate: str = ""  # the OR as written
    reads: set[str] | None = None  # the columns the query reads from the table (None: all of them)
    rate: float | None = None  # executions per second (the Query's frequency)
    conjuncts: set[str] = field(default_factory=set)  # normalised predicates (for partial indexes)
    in_lists: dict[str, set[str]] = field(default_factory=dict)
    bool_columns: set[str] = field(default_factory=set)
    compared: set[str] = field(default_factory=set)  # columns with a strict comparison (so not null)
    served_by: AccessPath | None = None
    partly_by: AccessPath | None = None
    unindexable: list[Key] = field(default_factory=list)  # expressions the engine cannot index
    wanted: list[IndexSpec] = field(default_factory=list)  # the index (one per OR branch) that serves it
    suggestions: list[IndexSpec] = field(default_factory=list)  # what to add (empty when served)
    unserved: list[Access] = field(default_factory=list)  # OR branches no index serves

    @property
    def via(self) -> str:
        if self.join:
            return "join"
        if self.branches:
            return "or"
        if not (self.eq or self.ranges or self.flags) and self.sort:
            return "order"
        return "filter"

    @property
    def sort(self) -> list[Sort]:
        """The ORDER BY keys an index should deliver: with a LIMIT, minus the keys fixed by equalities,
        and none when an IN list comes first (its values' rows do not come out in one order)."""
        if not self.limit or not self.order or self.multi:
            return []
        return [s for s in self.order if s[0] not in self.eq and s[0] not in self.flags]

    @property
    def required(self) -> set[Key]:
        """The keys an index must lead with; the flags only when no key or range narrows the rows (a
        queue's `processed_at IS NULL ORDER BY created_at`)."""
        need = set(self.join) | set(self.eq)
        return need if need or self.ranges else set(self.flags)

    def active(self) -> bool:
        return bool(self.join or self.eq or self.ranges or self.sort or self.branches or self.is_null_flags())

    def is_null_flags(self) -> list[Key]:
        return [k for k, text in self.flags.items() if text.lower().endswith(" is null")]

    def describe(self) -> str:
        """The evidence: which join, equalities, range, flags and sort."""
        if self.branches:
            return f"`{self.predicate}`"
        parts = []
        if self.join:
            parts.append("join key " + ", ".join(key_text(k) for k in self.join))
        if self.eq:
            parts.append("equality on " + ", ".join(key_text(k) for k in self.eq))
        for k in self.ranges:
            parts.append(("prefix LIKE on " if k in self.patterns else "range on ") + key_text(k))
        parts.extend(self.flags.values())
        if self.sort:
            shown = [key_text(k) + (" DESC" if d else "") + _nulls_text(d, odd) for k, d, odd in self.sort]
            parts.append("ORDER BY " + ", ".join(shown) + " with LIMIT")
        return "; ".join(parts)


def _nulls_text(desc: bool, odd: bool) -> str:
    if not odd:
        return ""
    return " NULLS LAST" if desc else " NULLS FIRST"


# ------------------------------------------------------------------ serving


def evaluate(ctx: Context, a: Access, dialect: str) -> None:
    """Decide which key or index serves the access (fully or in part) and what index would."""
    if a.branches:
        _evaluate_or(ctx, a, dialect)
        return
    wanted = suggest(ctx, a, dialect)
    a.wanted = [wanted] if wanted else []
    facts: TableFacts = ctx.facts(a.table)
    best: tuple[int, AccessPath] | None = None
    for path in facts.paths:
        score = _serves(path, a, dialect)
        if score is None:
            a.served_by = path
            return
        if score and (best is None or score > best[0]):
            best = (score, path)
    a.partly_by = best[1] if best else None
    a.suggestions = list(a.wanted)


def _serves(path: AccessPath, a: Access, dialect: str) -> int | None:
    """None when the path serves the access in full, else how much of it (0: nothing)."""
    if path.kind in ("gin", "gist", "spgist"):
        return 0
    need = a.required
    eq_like = need | set(a.flags) | set(a.eq)
    if path.where:
        if not implied(path.where, a, dialect):
            return 0
        fixed = pinned(path.where, dialect)  # columns the predicate fixes need no index key
        need = {k for k in need if not (k[0] == "column" and k[1].lower() in fixed)}
    parts = [(_path_key(k, dialect), d, odd, op) for k, (d, odd), op in zip(path.keys, path.orders, path.opclasses)]
    sort = a.sort
    if path.kind == "hash":
        if len(parts) == 1 and parts[0][0] in need:
            return None if need == {parts[0][0]} and not a.ranges and not sort else 1
        return 0
    if path.kind == "brin":
        return 1 if parts and (parts[0][0] in eq_like or parts[0][0] in a.ranges) else 0
    i = 0
    while i < len(parts) and parts[i][0] in eq_like:
        i += 1
    used = {p[0] for p in parts[:i]}
    rest = parts[i:]
    range_ok = bool(a.ranges) and bool(rest) and rest[0][0] in a.ranges and _range_key_ok(rest[0], a, dialect)
    sorted_keys = _sorted_prefix(rest, sort)
    sort_ok = bool(sort) and sorted_keys == len(sort)
    if path.unique and i == len(parts) and not path.where:
        return None  # every key fixed: one row
    if need <= used:
        if a.ranges and sort and (range_ok or sort_ok):
            return None
        if (not a.ranges or range_ok) and (not sort or sort_ok):
            return None
    return len(used & need) + (1 if range_ok else 0) + (1 if sorted_keys else 0)


def _range_key_ok(part: Part, a: Access, dialect: str) -> bool:
    if part[0] in a.patterns and dialect == "postgres":
        return part[3] in PATTERN_OPS
    return part[3] not in PATTERN_OPS


def _sorted_prefix(rest: list[Part], sort: list[Sort]) -> int:
    """How many leading ORDER BY keys the keys after the equalities deliver, read forwards or backwards
    (all of them: the index gives the order; some: PostgreSQL sorts only within their groups)."""
    flips = set()
    n = 0
    for (key, desc, odd, opclass), (want, want_desc, want_odd) in zip(rest, sort):
        flips.add(desc != want_desc)
        if key != want or opclass in PATTERN_OPS or odd != want_odd or len(flips) > 1:
            break
        n += 1
    return n


def _evaluate_or(ctx: Context, a: Access, dialect: str) -> None:
    """A BitmapOr reads an index per branch: served when each branch has one that helps it."""
    for branch in a.branches:
        evaluate(ctx, branch, dialect)
        if branch.served_by is None and branch.partly_by is None:
            a.unserved.append(branch)
    a.wanted = list(dict.fromkeys(s for b in a.branches for s in b.wanted))
    if not a.unserved:
        a.served_by = a.branches[0].served_by or a.branches[0].partly_by
        return
    a.suggestions = list(dict.fromkeys(s for b in a.unserved for s in b.wanted))


def _path_key(key: tuple[str, str], dialect: str) -> Key:
    kind, value = key
    if kind == "column":
        return ("column", value)
    return ("expression", normalise_text(value, dialect) or value.lower())


# ------------------------------------------------------------------ suggesting


def suggest(ctx: Context, a: Access, dialect: str) -> IndexSpec | None:
    """The index that serves the access: join keys, equalities, IN lists, range, sort; the flags as
    its WHERE (or as keys where the engine has no partial indexes); INCLUDE columns when worth it."""
    parts: list[Part] = []
    seen: set[Key] = set()

    def add(key: Key, desc: bool = False, odd: bool = False, opclass: str | None = None) -> None:
        if key in seen:
            return
        seen.add(key)
        if dialect == "postgres" and key[0] == "expression" and _zone_dependent(ctx, a.table, key[1]):
            a.unindexable.append(key)
            return
        parts.append((key, desc, odd, opclass))

    for k in a.join:
        add(k)
    for k in a.eq:
        if k not in a.multi:
            add(k)
    for k in a.eq:
        add(k)
    partial = dialect in PARTIAL_INDEXES
    flags = dict(a.flags)
    if not partial:
        for k in a.is_null_flags():
            add(k)
    sort = a.sort
    if a.ranges and not (sort and sort[0][0] == a.ranges[0]):
        k = a.ranges[0]
        add(k, opclass=_pattern_opclass(a.table, k) if k in a.patterns and dialect == "postgres" else None)
    elif sort:
        flip = sort[0][1] and not sort[0][2]  # ascending first key, unless NULLS is said: then as written
        for k, desc, odd in sort:
            add(k, desc != flip, odd)
    if not parts:
        # only flags narrow the rows: a queue's `processed_at IS NULL`; a boolean alone is I105's case
        for k in a.is_null_flags():
            add(k)
        if not parts:
            return None
    where = None
    if partial and flags:
        where = " AND ".join(text for k, text in flags.items())
    include = _covering(ctx, a, parts, dialect)
    return IndexSpec(tuple(parts), where, include)


@lru_cache(maxsize=1024)
def _expression_columns(text: str) -> tuple[str, ...] | None:
    """The columns of an expression that is more than a bare column (None: it does not parse)."""
    tree = parse_one(text, "postgres")
    if tree is None:
        return None
    if isinstance(tree, exp.Column):
        return ()
    return tuple(c.name for c in tree.find_all(exp.Column))


def _zone_dependent(ctx: Context, table: Table, text: str) -> bool:
    """Whether an expression converts a timestamptz column (`date(created_at)`, `created_at::date`,
    `date_trunc('day', created_at)`): its value depends on the time zone, so PostgreSQL refuses to
    index it (functions in an index expression must be IMMUTABLE)."""
    for name in _expression_columns(text) or ():
        column = table.column(name) or next((c for c in table.columns if c.name.lower() == name.lower()), None)
        if column is None:
            continue
        try:
            datatype = resolve_type(column.type, "postgres", ctx.schema).datatype
        except SQLGLOT_ERRORS:
            continue
        if datatype.this == exp.DataType.Type.TIMESTAMPTZ:
            return True
    return False


def _pattern_opclass(table: Table, key: Key) -> str:
    column = table.column(key[1])
    name = column.type.name.lower() if column is not None else ""
    if name in ("varchar", "character varying"):
        return "varchar_pattern_ops"
    if name in ("char", "character", "bpchar"):
        return "bpchar_pattern_ops"
    return "text_pattern_ops"


def _covering(ctx: Context, a: Access, parts: list[Part], dialect: str) -> tuple[str, ...]:
    """INCLUDE columns when the payoff is clear: a frequent query reading a run of rows (a range or a
    top-N) that needs at most two narrow columns besides the index keys (an index-only scan)."""
    if dialect not in INCLUDE_COLUMNS or a.reads is None or (a.rate or 0) < COVERING_RATE:
        return ()
    if not (a.ranges or a.sort):
        return ()
    if any(k[0] == "expression" for k, *_ in parts):
        return ()
    skip = {k[1] for k, *_ in parts} | {k[1] for k in a.flags}  # keys, and columns the WHERE fixes
    extra = [c.name for c in a.table.columns if c.name in a.reads and c.name not in skip]
    if not extra or len(extra) > COVERING_MAX or not all(_narrow(ctx, a.table, c) for c in extra):
        return ()
    return tuple(extra)


def _narrow(ctx: Context, table: Table, name: str) -> bool:
    column = table.column(name)
    if column is None:
        return False
    try:
        info = resolve_type(column.type, sqlglot_dialect(ctx.dialect), ctx.schema)
    except SQLGLOT_ERRORS:
        return False
    if info.category in NARROW or info.enum is not None:
        return True
    args = column.type.args or ()
    return info.category == "text" and len(args) == 1 and args[0].isdigit() and int(args[0]) <= SHORT_TEXT


# ------------------------------------------------------------------ partial indexes


WS_RE = re.compile(r"\s+")


def normalise(node: exp.Expression, dialect: str) -> str:
    """Predicate or expression text without table qualifiers, lowercased, single-spaced."""
    copy = node.copy()
    for col in copy.find_all(exp.Column):
        for part in ("table", "db", "catalog"):
            if col.args.get(part) is not None:
                col.set(part, None)
    try:
        text = copy.sql(dialect=SQLGLOT.get(dialect, "postgres"))
    except SQLGLOT_ERRORS:
        text = str(copy)
    return WS_RE.sub(" ", text.lower()).strip()


@lru_cache(maxsize=4096)
def normalise_text(sql: str, dialect: str) -> str | None:
    node = parse_one(sql, SQLGLOT.get(dialect, "postgres"))
    return normalise(node, dialect) if node is not None else None


def unparen(node: exp.Expression) -> exp.Expression:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def conjuncts(node: exp.Expression | None) -> list[exp.Expression]:
    if node is None:
        return []
    node = unparen(node)
    if isinstance(node, exp.And):
        return conjuncts(node.this) + conjuncts(node.expression)
    return [node]


def disjuncts(node: exp.Expression) -> list[exp.Expression]:
    node = unparen(node)
    if isinstance(node, exp.Or):
        return disjuncts(node.this) + disjuncts(node.expression)
    return [node]


def is_null_test(node: exp.Expression) -> bool:
    return isinstance(node, exp.Is) and isinstance(node.expression, exp.Null)


@lru_cache(maxsize=4096)
def predicate_parts(sql: str, dialect: str) -> tuple[tuple[str, ...], ...] | None:
    """Conjuncts of a partial index predicate as (kind, ...) tuples, None when it cannot be read."""
    node = parse_one(sql, SQLGLOT.get(dialect, "postgres"))
    if node is None:
        return None
    parts = []
    for c in conjuncts(node):
        c = unparen(c)
        if isinstance(c, exp.In) and isinstance(c.this, exp.Column) and c.expressions:
            parts.append(("in", c.this.name.lower(), *sorted(normalise(v, dialect) for v in c.expressions)))
        elif isinstance(c, exp.Not) and is_null_test(unparen(c.this)):
            inner = unparen(c.this)
            if isinstance(inner.this, exp.Column):
                parts.append(("not_null", inner.this.name.lower()))
            else:
                parts.append(("same", normalise(c, dialect)))
        elif isinstance(c, exp.Column):
            parts.append(("bool", c.name.lower()))
        else:
            parts.append(("same", normalise(c, dialect)))
    return tuple(parts)


@lru_cache(maxsize=4096)
def pinned(predicate: str, dialect: str) -> frozenset[str]:
    """Lowercased columns that a partial index predicate fixes to one value (`status = 'open'`,
    `deleted_at IS NULL`, `active`)."""
    out: set[str] = set()
    node = parse_one(predicate, SQLGLOT.get(dialect, "postgres"))
    if node is None:
        return frozenset()
    for c in conjuncts(node):
        c = unparen(c)
        value = c.expression if isinstance(c, exp.EQ | exp.Is) else None
        if isinstance(c.this, exp.Column) and value is not None and value.find(exp.Column) is None:
            out.add(c.this.name.lower())  # `status = 'open'`, `deleted_at IS NULL`
        elif isinstance(c, exp.Column):
            out.add(c.name.lower())
        elif isinstance(c, exp.Not) and isinstance(unparen(c.this), exp.Column):
            out.add(unparen(c.this).name.lower())
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
