"""What a database holds, read from its catalog, and what the model says it should hold.

Both sides become the same plain structure (see `empty_table`), so a test compares them with `==` and
prints the first difference. Names of generated constraints are left out (the engines name them);
names the schema gives are compared.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import sqlglot
from sqlglot import exp

from dbdsl.emit.sql import is_unique_key, orient_one_to_one, with_junction_tables
from dbdsl.emit.sql_names import physical
from dbdsl.emit.sql_types import resolve_type, type_key
from dbdsl.emit.sql_values import expression_key
from dbdsl.model.schema import DEFAULT_SCHEMA, Column, Literal, Schema, Table
from tests.catalogs import read_postgres, read_sqlite

from .cases import excused


def empty_table() -> dict[str, Any]:
    return {
        "columns": [],  # (name, type key, not null, default, increment)
        "pk": (),
        "fks": set(),  # (columns, target table, target columns, on delete, on update)
        "indexes": set(),  # (keys, unique, method, partial) for every index but the primary key's
        "checks": 0,
        "named_checks": set(),
        "comment": None,
        "column_comments": {},
        "rows": 0,
    }


# ---------------------------------------------------------------- the model's side


def expected(schema: Schema, dialect: str, *, skipped_refs: set[str] = frozenset()) -> dict:
    """The catalog the model describes for `dialect` (postgres or sqlite)."""
    target = "postgres" if dialect == "postgres" else dialect
    full, refs = with_junction_tables(schema)
    out: dict = {"tables": {}, "enums": {}}
    if dialect == "postgres":
        out["enums"] = {(e.schema, e.name): tuple(v.name for v in e.values) for e in schema.enums}
    for table in full.tables:
        out["tables"][_key(table.schema, table.name, target)] = _expected_table(table, full, dialect)
    for ref in refs:
        ref = orient_one_to_one(ref, full)
        fk, pk = ref.fk_side, ref.pk_side
        if ref_text(ref) in skipped_refs:
            continue
        entry = (
            tuple(fk.columns),
            _key(pk.schema, pk.table, target),
            tuple(pk.columns),
            _action(ref.on_delete, dialect),
            _action(ref.on_update, dialect),
        )
        out["tables"][_key(fk.schema, fk.table, target)]["fks"].add(entry)
    return out


def ref_text(ref) -> str:
    def side(e) -> str:
        cols = e.columns[0] if len(e.columns) == 1 else "(" + ", ".join(e.columns) + ")"
        return f"{e.qualified}.{cols}"

    return f"{side(ref.left)} {ref.op} {side(ref.right)}"


def _key(schema: str, name: str, target: str) -> tuple[str, str]:
    db, bare = physical(schema, name, target)
    return (db or DEFAULT_SCHEMA, bare)


def _action(action: str | None, dialect: str) -> str:
    if action is None:
        return "no action"
    return action


def _expected_table(table: Table, schema: Schema, dialect: str) -> dict:
    t = empty_table()
    embedded_pk = None
    for column in table.columns:
        info = resolve_type(column.type, dialect, schema)
        constraint_kinds = {type(c.kind) for c in info.constraints}
        increment = column.increment or info.serial or exp.GeneratedAsIdentityColumnConstraint in constraint_kinds
        if dialect == "sqlite":
            increment = increment and table.primary_key in ((column.name,), ()) and info.integer
        if exp.PrimaryKeyColumnConstraint in constraint_kinds:
            embedded_pk = (column.name,)
        not_null = bool(
            column.pk or column.not_null or column.name in table.primary_key or embedded_pk == (column.name,)
        )
        if dialect == "sqlite" and increment:
            not_null = True
        default = None if increment and dialect != "sqlite" else _model_default(column.default)
        if dialect == "sqlite" and default and default[0] == "boolean":
            default = ("number", float(default[1]))  # SQLite has no boolean literals: 1 and 0
        type_text = _model_type(column, schema, dialect)
        if dialect == "sqlite" and increment:
            type_text = "INTEGER"  # the rowid alias
        t["columns"].append((column.name, type_text, not_null, default, increment and dialect != "sqlite"))
        if column.note is not None:
            t["column_comments"][column.name] = column.note
        if column.unique and (column.name,) != table.primary_key:
            t["indexes"].add(((column.name,), True, "btree", False))
        t["checks"] += len(column.checks)
        if info.enum is not None and dialect not in ("postgres", "mysql"):
            t["checks"] += 1
    t["pk"] = tuple(table.primary_key) or embedded_pk or ()
    for index in table.indexes:
        if index.pk:
            continue
        keys = tuple(k.value if k.kind == "column" else "<expr>" for k in index.keys)
        method = index.type or "btree"
        if dialect == "sqlite":
            method = "btree"
        elif index.unique or (method in ("hash", "spgist") and len(keys) > 1):
            method = "btree"  # PostgreSQL: only B-tree indexes are unique or (for hash) multi-column
        t["indexes"].add((keys, index.unique, method, bool(index.where)))
    t["checks"] += len(table.checks)
    t["named_checks"] = {c.name for c in table.checks if c.name}
    if dialect == "postgres":
        t["comment"] = table.note
    else:
        t["column_comments"] = {}
    t["rows"] = sum(len(r.rows) for r in table.records)
    return t


def _model_type(column: Column, schema: Schema, dialect: str) -> str:
    info = resolve_type(column.type, dialect, schema)
    if info.enum is not None and dialect == "postgres":
        return f"enum {info.enum.schema}.{info.enum.name}"
    if info.user_defined and dialect == "sqlite":
        return (f"{column.type.schema}.{column.type.name}" if column.type.schema else column.type.name).upper()
    if info.user_defined:
        return "user " + (f"{column.type.schema}.{column.type.name}" if column.type.schema else column.type.name)
    if dialect == "sqlite":
        return info.datatype.sql("sqlite").upper()
    return type_key(column.type, dialect, schema)


def _model_default(value: Literal | None) -> tuple | None:
    if value is None or value.kind == "null":
        return None
    if value.kind == "number":
        return ("number", float(value.value))
    if value.kind == "boolean":
        return ("boolean", value.value.lower() == "true")
    if value.kind in ("string", "enum"):
        return ("string", value.value)
    return catalog_default(value.value)


def _expression_form(text: str) -> str:
    tree = _parse(text)
    if tree is None:
        return expression_key(text)
    return _strip_literal_casts(tree).sql("postgres").lower()


def _parse(text: str) -> exp.Expression | None:
    for dialect in ("postgres", "oracle", "tsql", "mysql"):
        try:
            tree = sqlglot.parse_one(text, read=dialect)
        except Exception:
            continue
        if tree is not None and tree.find(exp.Column) is None:
            return tree
    return None


def _strip_literal_casts(tree: exp.Expression) -> exp.Expression:
    def unwrap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Cast) and node.to.this == exp.DataType.Type.INTERVAL and node.this.is_string:
            return exp.Interval(this=node.this)  # PostgreSQL prints INTERVAL '1 year' as '1 year'::interval
        if isinstance(node, exp.Cast) and isinstance(node.this, exp.Literal | exp.Neg | exp.Paren):
            return node.this
        if isinstance(node, exp.Paren):
            return node.this
        return node

    for _ in range(10):  # a replaced node's children are not visited in the same pass
        before = tree.sql("postgres")
        tree = tree.transform(unwrap)
        if tree.sql("postgres") == before:
            break
    return tree


def catalog_default(text: str | None) -> tuple | None:
    """A default as the catalog prints it (`'x'::character varying`, `0`, `true`, `now()`)."""
    if text is None:
        return None
    tree = _parse(text)
    if tree is None:
        return ("expression", expression_key(text))
    tree = _strip_literal_casts(tree)
    if isinstance(tree, exp.Null):
        return None
    if isinstance(tree, exp.Literal):
        return ("string", tree.this) if tree.is_string else ("number", float(tree.this))
    if isinstance(tree, exp.Neg) and isinstance(tree.this, exp.Literal) and not tree.this.is_string:
        return ("number", -float(tree.this.this))
    if isinstance(tree, exp.Boolean):
        return ("boolean", bool(tree.this))
    return ("expression", tree.sql("postgres").lower())


# ---------------------------------------------------------------- PostgreSQL


def postgres_catalog(conn) -> dict:
    read = read_postgres(conn, rows=True)
    out: dict = {"tables": {}, "enums": {key: labels for key, (labels, _comment) in read.enums.items()}}
    for key, table in read.tables.items():
        t = out["tables"][key] = empty_table()
        t["comment"] = table.comment
        t["rows"] = table.rows
        for c in table.columns:
            increment = c.identity in ("a", "d") or (c.default or "").startswith("nextval(")
            if c.typtype == "e":
                type_text = f"enum {c.type_schema}.{c.type_name}"
            elif c.typtype == "d":
                type_text = (
                    f"user {c.type_name}" if c.type_schema == "public" else f"user {c.type_schema}.{c.type_name}"
                )
            else:
                type_text = pg_type_key(c.type)
            t["columns"].append(
                (c.name, type_text, c.not_null, None if increment else catalog_default(c.default), increment)
            )
            if c.comment is not None:
                t["column_comments"][c.name] = c.comment
        for con in table.constraints:
            if con.kind == "p":
                t["pk"] = con.columns
            elif con.kind == "f":
                t["fks"].add(
                    (con.columns, con.references, con.ref_columns, ACTIONS[con.on_delete], ACTIONS[con.on_update])
                )
            elif con.kind == "c":
                t["checks"] += 1
                t["named_checks"].add(con.name)
        t["indexes"] = {(i.keys, i.unique, i.method, i.partial) for i in table.indexes if not i.primary}
    return out


ACTIONS = {"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}


def pg_type_key(format_type: str) -> str:
    """A catalog type (`character varying(255)`, `integer[]`) in the form `type_key` gives."""
    try:
        datatype = exp.DataType.build(format_type, dialect="postgres")
    except Exception:
        return format_type.upper()
    return re.sub(r"\((\d+),0\)", r"(\1)", datatype.sql("postgres").upper().replace(" ", ""))


def named_checks_only(catalog: dict, expected_: dict) -> None:
    """Keep only the check names the model gives (the others are generated)."""
    for key, t in catalog["tables"].items():
        wanted = expected_["tables"].get(key, {}).get("named_checks", set())
        t["named_checks"] = t["named_checks"] & wanted


# ---------------------------------------------------------------- SQLite


def sqlite_catalog(conn: sqlite3.Connection) -> dict:
    out: dict = {"tables": {}, "enums": {}}
    for name, table in read_sqlite(conn, rows=True).items():
        t = out["tables"][(DEFAULT_SCHEMA, name)] = empty_table()
        columns = [c for c in table.columns if not c.hidden]
        t["pk"] = tuple(c.name for c in sorted((c for c in columns if c.pk), key=lambda c: c.pk))
        for c in columns:
            # an INTEGER PRIMARY KEY is the rowid: never null
            rowid = t["pk"] == (c.name,) and c.type.upper() == "INTEGER"
            t["columns"].append((c.name, c.type.upper(), c.not_null or rowid, _sqlite_default(c.default), False))
        t["fks"] = {
            (fk.columns, (DEFAULT_SCHEMA, fk.table), fk.ref_columns, fk.on_delete.lower(), fk.on_update.lower())
            for fk in table.foreign_keys
        }
        t["indexes"] = {
            (tuple(k if k is not None else "<expr>" for k in i.keys), i.unique, "btree", i.partial)
            for i in table.indexes
            if i.origin != "pk"
        }
        for check in table.checks():
            t["checks"] += 1
            if isinstance(check.parent, exp.Constraint):
                t["named_checks"].add(check.parent.name)
        t["rows"] = table.rows
    return out


def _sqlite_default(text: str | None) -> tuple | None:
    if text is None:
        return None
    return catalog_default(text)


def differences(expected_: dict, actual: dict) -> list[tuple[str, str, str]]:
    """Every difference as (table, kind, detail); kind: table, column, pk, fk, index, check, comment,
    rows, enum."""
    out: list[tuple[str, str, str]] = []
    for key in set(expected_["enums"]) | set(actual["enums"]):
        if expected_["enums"].get(key) != actual["enums"].get(key):
            out.append((".".join(key), "enum", f"{expected_['enums'].get(key)} != {actual['enums'].get(key)}"))
    for key in set(expected_["tables"]) | set(actual["tables"]):
        name = key[1] if key[0] == DEFAULT_SCHEMA else ".".join(key)
        e, a = expected_["tables"].get(key), actual["tables"].get(key)
        if e is None or a is None:
            out.append((name, "table", "missing" if a is None else "unexpected"))
            continue
        ecols, acols = {c[0]: c for c in e["columns"]}, {c[0]: c for c in a["columns"]}
        if list(ecols) != list(acols):
            out.append((name, "column", f"columns {list(ecols)} != {list(acols)}"))
        for col in ecols.keys() & acols.keys():
            ec, ac = ecols[col], acols[col]
            for i, what in ((1, "type"), (2, "not null"), (3, "default"), (4, "increment")):
                if ec[i] != ac[i]:
                    kind = "default" if what == "default" else "column"
                    out.append((name, kind, f"{col} {what}: expected {ec[i]!r}, found {ac[i]!r}"))
        if e["pk"] != a["pk"]:
            out.append((name, "pk", f"expected {e['pk']}, found {a['pk']}"))
        for kind in ("fks", "indexes"):
            for item in e[kind] - a[kind]:
                out.append((name, kind[:-1] if kind == "fks" else "index", f"missing {item}"))
            for item in a[kind] - e[kind]:
                out.append((name, kind[:-1] if kind == "fks" else "index", f"unexpected {item}"))
        if e["checks"] != a["checks"] or not e["named_checks"] <= a["named_checks"]:
            out.append((name, "check", f"expected {e['checks']} {sorted(e['named_checks'])}, found {a['checks']}"))
        if e["comment"] != a["comment"] or e["column_comments"] != a["column_comments"]:
            out.append(
                (
                    name,
                    "comment",
                    f"expected {e['comment']!r} {e['column_comments']}, found {a['comment']!r} {a['column_comments']}",
                )
            )
        if e["rows"] != a["rows"]:
            out.append((name, "rows", f"expected {e['rows']}, found {a['rows']}"))
    return sorted(out)


def first_difference(expected_: Any, actual: Any, path: str = "") -> str | None:
    if isinstance(expected_, dict) and isinstance(actual, dict):
        for key in list(expected_) + [k for k in actual if k not in expected_]:
            if key not in actual:
                return f"{path}/{key}: missing (expected {expected_[key]!r})"
            if key not in expected_:
                return f"{path}/{key}: unexpected {actual[key]!r}"
            found = first_difference(expected_[key], actual[key], f"{path}/{key}")
            if found:
                return found
        return None
    if expected_ != actual:
        if isinstance(expected_, set) and isinstance(actual, set):
            missing, extra = sorted(map(str, expected_ - actual)), sorted(map(str, actual - expected_))
            return f"{path}: missing {missing}, unexpected {extra}"
        return f"{path}: expected {expected_!r}, found {actual!r}"
    return None


def model_differences(
    schema: Schema, dialect: str, actual: dict, warnings: list[str], known: tuple[str, str] | None
) -> list[tuple[str, str, str]]:
    """What the catalog holds that the model does not say (or the other way round), leaving out what the
    script's warnings explain and, for a schema whose own SQL the engine `known`ly refuses, its
    expression indexes."""
    want = expected(schema, dialect)
    named_checks_only(actual, want)
    diffs = differences(want, actual)
    if known:
        diffs = [d for d in diffs if not (d[1] == "index" and "'<expr>'" in d[2])]
    return [d for d in diffs if not excused(d, warnings)]


def refused_unexpectedly(failures: list[tuple[str, str]], known: tuple[str, str] | None) -> list[tuple[str, str]]:
    """The (statement, error) failures other than the `known` refusal of SQL the schema itself holds."""
    return [f for f in failures if not (known and known[0] in f[0] and known[1] in f[1])]


__all__ = ["expected", "first_difference", "is_unique_key", "postgres_catalog", "sqlite_catalog"]
