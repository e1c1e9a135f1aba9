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
    if index.name:
        return index.name
    if index.pk:
        return constraint_name("pk", table)
    kind = "unique_index" if index.unique else "index"
    return constraint_name(kind, table, index.columns or ("expr",))


def path_name(table: Table, path: AccessPath) -> str:
    """The name of the index an access path stands for (the primary key, a unique column or an index)."""
    if path.index is not None:
        return index_label(table, path.index)
    if path.columns == table.primary_key:
        return constraint_name("pk", table)
    return index_label(table, Index(keys=tuple(IndexKey("column", c) for c in path.columns), unique=True))


def described(access: Access) -> str:
    """The access in words: its equalities, range and order, and whether a join reaches the table."""
    return access.describe() + (" (from a join)" if access.via == "join" else "")


def wanted(access: Access) -> str:
    """The index that serves the access, as a column list."""
    return "(" + ", ".join(key_text(k) for k in suggest(access)) + ")"


def suggested_index(access: Access) -> Index:
    return Index(keys=tuple(IndexKey(kind, value) for kind, value in suggest(access)))
