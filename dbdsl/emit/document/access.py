"""The declared queries as the document shows them: the linter's access analysis (`dbdsl.rules.access`,
the one the Q rules report) with its access paths named as the Tables section names the indexes.

Per query and table it reads: how the table is reached (filtered by equalities and ranges, joined, read
in order), the index that serves that access (equality columns in any order, then one range column or
the sort), whether an existing key or index serves it in full or in part, and the index to add.
"""

from __future__ import annotations

from ...model.schema import Index, IndexKey, Table
from ...rules.access import Access, key_text, suggest
from ...rules.facts import AccessPath
from ..sql_names import constraint_name


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
    """The access in words: its equalities, range and order, and whether a join reaches the table."""
    return access.describe() + (" (from a join)" if access.via == "join" else "")


def wanted(access: Access) -> str:
    """The index that serves the access, as a column list."""
    return "(" + ", ".join(key_text(k) for k in suggest(access)) + ")"


def suggested_index(access: Access) -> Index:
    return Index(keys=tuple(IndexKey(kind, value) for kind, value in suggest(access)))
