"""What a MariaDB database holds (information_schema) and what the model says the MySQL script makes.

Both sides become the structure of `catalog.empty_table`, with columns as (name, type category, not
null, default, auto-increment): MariaDB spells types its own way (BOOLEAN is tinyint(1), JSON is
longtext), so types compare by category. MariaDB-only behaviour is normalized on the catalog side:
InnoDB adds an index for a foreign key that has none, and every index is a B-tree.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from dbdsl.emit.sql_types import category, resolve_type
from dbdsl.model.schema import DEFAULT_SCHEMA, Schema

from .catalog import empty_table, expected

SYSTEM = ("information_schema", "mysql", "performance_schema", "sys")
SAME = {"boolean": "integer", "json": "text"}  # MariaDB stores BOOLEAN as TINYINT(1) and JSON as LONGTEXT


def _action(action: str) -> str:
    """InnoDB checks foreign keys immediately: RESTRICT and NO ACTION are the same (it reports RESTRICT)."""
    return "no action" if action == "restrict" else action


def _family(name: str) -> str:
    return SAME.get(name, name)


def mariadb_expected(schema: Schema) -> dict:
    out = expected(schema, "mysql")
    from dbdsl.emit.sql import with_junction_tables

    full, _ = with_junction_tables(schema)
    for table in full.tables:
        t = out["tables"][(table.schema, table.name)]
        columns = []
        for (name, _type, not_null, default, increment), column in zip(t["columns"], table.columns):
            info = resolve_type(column.type, "mysql", full)
            columns.append((name, _family(category(info.datatype)), not_null, _default_key(default), increment))
        t["columns"] = columns
        t["indexes"] = {(keys, unique, "btree", False) for keys, unique, _method, _partial in t["indexes"]}
        t["fks"] = {(a, b, c, _action(d), _action(e)) for a, b, c, d, e in t["fks"]}
        t["comment"] = table.note or None
        t["column_comments"] = {c.name: c.note for c in table.columns if c.note}
    return out


def _default_key(default: tuple | None) -> tuple | None:
    if default is None:
        return None
    kind, value = default
    if kind == "boolean":
        return ("number", 1.0 if value else 0.0)
    if kind == "expression":
        return ("expression",)
    return (kind, value)


def mariadb_catalog(server, database: str) -> dict:
    out: dict = {"tables": {}, "enums": {}}

    def key(db: str, name: str) -> tuple[str, str]:
        return (DEFAULT_SCHEMA if db == database else db, name)

    where = "table_schema NOT IN ('" + "', '".join(SYSTEM) + "')"
    for db, name, comment in server.query(
        f"SELECT table_schema, table_name, table_comment FROM information_schema.tables WHERE {where} "
        "AND table_type = 'BASE TABLE'"
    ):
        t = empty_table()
        t["comment"] = comment or None
        quoted = exp.table_(name, db=db, quoted=True).sql("mysql")
        t["rows"] = int(server.query(f"SELECT count(*) FROM {quoted}")[0][0])
        out["tables"][key(db, name)] = t
    for db, table, name, column_type, nullable, default, extra, comment in server.query(
        "SELECT table_schema, table_name, column_name, column_type, is_nullable, column_default, extra, "
        f"column_comment FROM information_schema.columns WHERE {where} ORDER BY table_schema, table_name, "
        "ordinal_position"
    ):
        t = out["tables"].get(key(db, table))
        if t is None:
            continue
        increment = "auto_increment" in (extra or "")
        family = _family(category(exp.DataType.build(column_type, dialect="mysql")))
        default_ = None if increment else _catalog_default(default)
        t["columns"].append((name, family, nullable == "NO", default_, increment))
        if comment:
            t["column_comments"][name] = comment
    indexes: dict = {}
    for db, table, index, non_unique, column in server.query(
        "SELECT table_schema, table_name, index_name, non_unique, column_name FROM information_schema.statistics "
        f"WHERE {where} ORDER BY table_schema, table_name, index_name, seq_in_index"
    ):
        entry = indexes.setdefault((key(db, table), index), [non_unique == "0", []])
        entry[1].append(column if column is not None else "<expr>")
    fks: dict = {}
    for db, table, name, column, ref_db, ref_table, ref_column in server.query(
        "SELECT table_schema, table_name, constraint_name, column_name, referenced_table_schema, "
        f"referenced_table_name, referenced_column_name FROM information_schema.key_column_usage WHERE {where} "
        "AND referenced_table_name IS NOT NULL ORDER BY table_schema, table_name, constraint_name, ordinal_position"
    ):
        entry = fks.setdefault((key(db, table), name), [[], key(ref_db, ref_table), []])
        entry[0].append(column)
        entry[2].append(ref_column)
    rules = {
        (key(db, table), name): (delete.lower(), update.lower())
        for db, name, table, delete, update in server.query(
            "SELECT constraint_schema, constraint_name, table_name, delete_rule, update_rule "
            "FROM information_schema.referential_constraints WHERE constraint_schema NOT IN ('"
            + "', '".join(SYSTEM)
            + "')"
        )
    }
    for (table_key, name), (columns, target, ref_columns) in fks.items():
        delete, update = rules[(table_key, name)]
        entry = (tuple(columns), target, tuple(ref_columns), _action(delete), _action(update))
        out["tables"][table_key]["fks"].add(entry)
    for (table_key, name), (unique, columns) in indexes.items():
        t = out["tables"][table_key]
        if name == "PRIMARY":
            t["pk"] = tuple(columns)
            continue
        if not unique and any(fk[0] == tuple(columns) for fk in t["fks"]):
            t["indexes"].add(("<fk index>", tuple(columns)))  # InnoDB's own index for a foreign key
            continue
        t["indexes"].add((tuple(columns), unique, "btree", False))
    for db, table, name, clause in server.query(
        "SELECT constraint_schema, table_name, constraint_name, check_clause FROM information_schema.check_constraints "
        "WHERE constraint_schema NOT IN ('" + "', '".join(SYSTEM) + "')"
    ):
        t = out["tables"].get(key(db, table))
        if (clause or "").startswith("json_valid("):
            continue  # MariaDB's JSON is LONGTEXT with a json_valid() CHECK it adds itself
        if t is not None:
            t["checks"] += 1
            t["named_checks"].add(name)
    return out


def drop_fk_indexes(actual: dict, expected_: dict) -> None:
    """InnoDB indexes a foreign key that no index starts with: accept those where the model has none."""
    for table_key, t in actual["tables"].items():
        want = expected_["tables"].get(table_key, {}).get("indexes", set())
        for item in [i for i in t["indexes"] if i[0] == "<fk index>"]:
            t["indexes"].discard(item)
            plain = (item[1], False, "btree", False)
            if plain in want:
                t["indexes"].add(plain)


def _catalog_default(text: str | None) -> tuple | None:
    if text is None or text == "NULL":
        return None
    if text.startswith("'") and text.endswith("'"):
        return ("string", sqlglot.parse_one(text, read="mysql").this)
    try:
        return ("number", float(text))
    except ValueError:
        return ("expression",)
