"""The declared queries as the document shows them: the linter's access analysis (`dbdsl.rules.access`,
the one the Q rules report) with its access paths named as the Tables section names the indexes.

Per query and table it reads: how the table is reached (filtered by equalities and ranges, joined, read
in order), the index that serves that access (equality columns in any order, then one range column or
the sort), whether an existing key or index serves it in full or in part, and the index to add.
"""

from __future__ import annotations

from ..emit.sql_names import constraint_name
from ..model.schema import Index, IndexKey, Table
from ..rules.access import Access
from ..rules.facts import AccessPath


def index_label(table: Table, index: Index) -> str:
    if index.name:
        return index.name
    if index.pk:
        return constraint_name("pk", table)
    kind = "unique_index" if index.unique else "index"
    return constraint_name(kind, table, index.columns or ("expr",))


def path_index(table: Table, path: AccessPath) -> Index:
    """The index a way into the table stands for: an index, the primary key or a unique column."""
    if path.index is not None:
        return path.index
    keys = tuple(IndexKey("column", c) for c in path.columns)
    if path.columns == table.primary_key:
        return next((i for i in table.indexes if i.pk), Index(keys=keys, pk=True))
    return Index(keys=keys, unique=True)


def path_name(table: Table, path: AccessPath) -> str:
    return index_label(table, path_index(table, path))


def described(access: Access) -> str:
    """The access in words: its join, equalities, range, flags and order."""
    return access.describe() + (f" (from {', '.join(access.outer)})" if access.join else "")


def wanted(access: Access) -> str:
    """The index that serves the access (one per branch of an OR), as key lists."""
    return " and ".join(spec.shown() for spec in access.wanted)


def suggested_indexes(access: Access) -> list[Index]:
    return [spec.index() for spec in access.suggestions]
