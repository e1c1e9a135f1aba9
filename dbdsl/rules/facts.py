"""Facts about one table that many rules read: columns by name, keys, and the access paths its
indexes give. Computed once per Table object (tables are immutable) and cached by the engine."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sqlglot import exp

from ..analysis.words import tokens
from ..model.schema import Column, Index, IndexKey, Table
from ..sqlread import index_element
from .exprs import parse_expression


class AccessPath:
    """An ordered way into a table: the primary key, a unique column or an index."""

    __slots__ = ("columns", "keys", "orders", "opclasses", "unique", "kind", "index", "where", "label")

    def __init__(
        self,
        keys: tuple[tuple[str, str], ...],
        unique: bool,
        kind: str,
        index: Index | None,
        where: str | None,
        label: str,
        orders: tuple[tuple[bool, bool], ...] | None = None,
        opclasses: tuple[str | None, ...] | None = None,
    ) -> None:
        self.keys = keys  # (kind, value): kind 'column' or 'expression' (without direction or operator class)
        self.orders = orders or tuple((False, False) for _ in keys)  # (desc, odd NULLS placement) per key
        self.opclasses = opclasses or tuple(None for _ in keys)
        self.columns = tuple(v for k, v in keys if k == "column")
        self.unique = unique
        self.kind = kind  # btree, hash, brin, gin, gist, spgist
        self.index = index
        self.where = where
        self.label = label

    def leads_with(self, columns: tuple[str, ...]) -> bool:
        """Whether this is a B-tree or hash way into the rows whose leading keys are these columns, in any
        order: what a lookup by them (a join on a foreign key) can use. A partial index counts when its
        predicate only asks those columns to be NOT NULL (a foreign key looks up non-null values only)."""
        want = set(columns)
        n = len(want)
        lead = self.keys[:n]
        return (
            self.kind in ("btree", "hash")
            and len(lead) == n
            and all(kind == "column" for kind, _v in lead)
            and {v for _k, v in lead} == want
            and (not self.where or _only_not_null(self.where, frozenset(c.lower() for c in want)))
        )


class TableFacts:
    __slots__ = (
        "table",
        "columns",
        "lower",
        "pk",
        "keys",
        "key_sets",
        "paths",
        "_checks",
        "_by_tokens",
        "_prefixed",
    )

    def __init__(self, table: Table) -> None:
        self.table = table
        self.columns: dict[str, Column] = {c.name: c for c in table.columns}
        self.lower: dict[str, Column] = {}
        for c in table.columns:
            self.lower.setdefault(c.name.lower(), c)
        self.pk: tuple[str, ...] = table.primary_key
        keys: list[tuple[str, ...]] = []
        paths: list[AccessPath] = []
        if self.pk:
            keys.append(self.pk)
            paths.append(AccessPath(tuple(("column", c) for c in self.pk), True, "btree", None, None, "primary key"))
        for c in table.columns:
            if c.unique and (c.name,) != self.pk:
                keys.append((c.name,))
                paths.append(AccessPath((("column", c.name),), True, "btree", None, None, f"unique {c.name}"))
        for index in table.indexes:
            if index.pk:
                continue
            if index.unique and index.is_plain and not index.where:
                keys.append(index.columns)
            kind = index.type or "btree"
            read = [self._key(k) for k in index.keys]
            paths.append(
                AccessPath(
                    tuple(r[0] for r in read),
                    index.unique,
                    kind,
                    index,
                    index.where,
                    index_label(index),
                    tuple(r[1] for r in read),
                    tuple(r[2] for r in read),
                )
            )
        self.keys = keys
        self.key_sets = [frozenset(k) for k in keys]
        self.paths = paths
        self._checks: list[str] | None = None
        self._by_tokens: dict[str, Column] | None = None
        self._prefixed: dict[str, list[tuple[str, Column]]] | None = None

    def _key(self, key: IndexKey) -> tuple[tuple[str, str], tuple[bool, bool], str | None]:
        """An index key as (kind, value), (desc, odd NULLS placement) and operator class: a key written
        `b desc` or `b text_pattern_ops` is column b."""
        if key.kind == "column":
            return (("column", key.value), (False, False), None)
        element = index_element(key.value)
        if element is None:
            return (("expression", key.value), (False, False), None)
        order = (element.desc, element.odd_nulls)
        if element.column is not None:
            column = self.columns.get(element.column) or self.lower.get(element.column.lower())
            if column is not None:
                return (("column", column.name), order, element.opclass)
        if not (element.desc or element.odd_nulls or element.opclass):
            return (("expression", key.value), order, None)
        return (("expression", element.expression.sql("postgres")), order, element.opclass)

    @property
    def checks(self) -> list[str]:
        """Every CHECK expression of the table: table-level and column-level."""
        if self._checks is None:
            out = [c.expression for c in self.table.checks]
            for column in self.table.columns:
                if column.checks:
                    out.extend(c.expression for c in column.checks)
            self._checks = out
        return self._checks

    @property
    def by_tokens(self) -> dict[str, Column]:
        """Columns by their name's words joined with '_' (`validFrom` and `valid_from` alike)."""
        if self._by_tokens is None:
            self._by_tokens = {}
            for c in self.table.columns:
                self._by_tokens.setdefault("_".join(tokens(c.name)), c)
        return self._by_tokens

    def prefixed(self, prefix: str) -> list[tuple[str, Column]]:
        """Columns named `<prefix>_<rest>` (lowercased), as (rest, column)."""
        if self._prefixed is None:
            found: dict[str, list[tuple[str, Column]]] = {}
            for c in self.table.columns:
                low = c.name.lower()
                at = low.find("_")
                while at > 0:
                    found.setdefault(low[:at], []).append((low[at + 1 :], c))
                    at = low.find("_", at + 1)
            self._prefixed = found
        return self._prefixed.get(prefix, [])

    def column(self, name: str) -> Column | None:
        return self.columns.get(name)

    def is_key(self, columns: tuple[str, ...] | frozenset[str]) -> bool:
        """Whether exactly these columns carry a primary key or unique constraint."""
        return frozenset(columns) in self.key_sets

    def contains_key(self, columns: Iterable[str]) -> bool:
        cols = set(columns)
        return any(k <= cols for k in self.key_sets)

    def has_leading(self, columns: tuple[str, ...]) -> bool:
        """Whether some B-tree index (or key) starts with these columns, in any order."""
        return any(p.leads_with(columns) for p in self.paths)


def index_label(index: Index) -> str:
    keys = ", ".join(k.value if k.kind == "column" else f"`{k.value}`" for k in index.keys)
    label = f"index ({keys})"
    return f"{label} '{index.name}'" if index.name else label


@lru_cache(maxsize=4096)
def _only_not_null(predicate: str, columns: frozenset[str]) -> bool:
    """Whether a partial index's predicate is nothing but `col IS NOT NULL` for some of these columns.
    Facts are shared by every engine, so a predicate in SQL Server's brackets (`[col] IS NOT NULL`, as
    imported from a SQL Server schema) is read as SQL Server writes it."""
    node = parse_expression(predicate, "mssql" if "[" in predicate else "postgres")
    if node is None:
        return False
    parts = list(node.flatten()) if isinstance(node, exp.And) else [node]
    for part in parts:
        # sqlglot reads `x IS NOT NULL` as a negated IS (older versions: NOT (x IS NULL))
        inner = part.this if isinstance(part, exp.Not) else part if part.args.get("negate") else None
        if not (isinstance(inner, exp.Is) and isinstance(inner.expression, exp.Null)):
            return False
        column = inner.this
        if not isinstance(column, exp.Column) or column.name.lower() not in columns:
            return False
    return True
