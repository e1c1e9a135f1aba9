"""Canonical, comparable forms of a DBML model: from @dbml's JSON and from our Schema.

Both sides become plain dicts/lists with the same keys, so a test can compare them with `==` and show
a readable diff. Source positions are left out; lists are kept in source order where DBML keeps it.
"""

from __future__ import annotations

from typing import Any

from dbdsl.model.schema import DEFAULT_SCHEMA, Column, Literal, Schema, Table


def _default(d: dict | None) -> tuple | None:
    if not d:
        return None
    kind, value = d["type"], d["value"]
    if kind == "number":
        return ("number", float(value))
    if kind == "boolean":
        return ("boolean", str(value).lower())
    return (kind, str(value))


def _our_default(lit: Literal | None) -> tuple | None:
    if lit is None:
        return None
    if lit.kind == "number":
        return ("number", float(lit.value))
    if lit.kind in ("boolean", "null"):
        return ("boolean", lit.value)
    if lit.kind == "enum":
        return ("string", lit.value)
    return (lit.kind, lit.value)


def _note(n: Any) -> str | None:
    if n is None:
        return None
    return n["value"] if isinstance(n, dict) else n


def expected_field(f: dict, checks: list[str] | None = None) -> dict:
    """A field of @dbml's JSON; `checks` replaces the field's own list (normalized models hold ids)."""
    t = f["type"]
    return {
        "name": f["name"],
        "type": t["type_name"],
        "type_schema": t.get("schemaName"),
        "pk": bool(f.get("pk")),
        "unique": bool(f.get("unique")),
        "not_null": bool(f.get("not_null")),
        "increment": bool(f.get("increment")),
        "default": _default(f.get("dbdefault")),
        "note": _note(f.get("note")),
        "checks": checks if checks is not None else [c["expression"] for c in f.get("checks") or []],
    }


def our_field(c: Column) -> dict:
    return {
        "name": c.name,
        "type": c.type.text,
        "type_schema": c.type.schema,
        "pk": c.pk,
        "unique": c.unique,
        "not_null": bool(c.not_null),
        "increment": c.increment,
        "default": _our_default(c.default),
        "note": c.note,
        "checks": [k.expression for k in c.checks],
    }


def expected_index(i: dict, columns: list[dict] | None = None) -> dict:
    """An index of @dbml's JSON; `columns` replaces its own list (normalized models hold ids)."""
    return {
        "columns": [(c["type"], c["value"]) for c in (columns if columns is not None else i["columns"])],
        "name": i.get("name"),
        "unique": bool(i.get("unique")),
        "pk": bool(i.get("pk")),
        "type": i.get("type"),
        "note": _note(i.get("note")),
    }


def our_index(i) -> dict:
    return {
        "columns": [(k.kind, k.value) for k in i.keys],
        "name": i.name,
        "unique": i.unique,
        "pk": i.pk,
        "type": i.type,
        "note": i.note,
    }


def expected_checks(items: list | None) -> list:
    return [(c["expression"], c.get("name")) for c in items or []]


def from_dbml_json(db: dict) -> dict:
    """Our comparable form of an @dbml interpreter `database` (partials not injected: own parts only)."""
    tables = {}
    for t in db.get("tables") or []:
        key = (t.get("schemaName") or DEFAULT_SCHEMA, t["name"])
        tables[key] = {
            "alias": t.get("alias"),
            "note": _note(t.get("note")),
            "header_color": t.get("headerColor"),
            "fields": [expected_field(f) for f in t["fields"]],
            "indexes": [expected_index(i) for i in t.get("indexes") or []],
            "checks": expected_checks(t.get("checks")),
            "partials": [p["name"] for p in sorted(t.get("partials") or [], key=lambda p: p["order"])],
        }
    refs = sorted(_expected_ref(r) for r in db.get("refs") or [])
    enums = {
        (e.get("schemaName") or DEFAULT_SCHEMA, e["name"]): [(v["name"], _note(v.get("note"))) for v in e["values"]]
        for e in db.get("enums") or []
    }
    groups = {
        g["name"]: {
            "tables": sorted((t.get("schemaName") or DEFAULT_SCHEMA, t["name"]) for t in g.get("tables") or []),
            "note": _note(g.get("note")),
            "color": g.get("color"),
        }
        for g in db.get("tableGroups") or []
    }
    partials = {
        p["name"]: {
            "fields": [expected_field(f) for f in p["fields"]],
            "indexes": [expected_index(i) for i in p.get("indexes") or []],
            "checks": expected_checks(p.get("checks")),
        }
        for p in db.get("tablePartials") or []
    }
    notes = {n["name"]: (n["content"], n.get("color")) for n in db.get("notes") or []}
    project = db.get("project")
    project_view = (
        {"name": project.get("name"), "database_type": project.get("database_type"), "note": _note(project.get("note"))}
        if project
        else None
    )
    return {
        "tables": tables,
        "refs": refs,
        "enums": enums,
        "groups": groups,
        "partials": partials,
        "notes": notes,
        "project": project_view,
    }


def _expected_ref(r: dict) -> tuple:
    ends = tuple(
        sorted(
            (e.get("schemaName") or DEFAULT_SCHEMA, e["tableName"], tuple(e["fieldNames"]), e["relation"])
            for e in r["endpoints"]
        )
    )
    return (ends, r.get("onDelete"), r.get("onUpdate"), r.get("name"), r.get("color"))


def from_schema(schema: Schema, *, own_parts_only: bool = True) -> dict:
    """Our comparable form of a bound Schema; with own_parts_only, partial contributions are left out."""

    def own(items):
        return [x for x in items if not (own_parts_only and x.from_partial is not None)]

    tables = {}
    for t in schema.tables:
        tables[t.key] = {
            "alias": t.alias,
            "note": _own_table_note(t, schema) if own_parts_only else t.note,
            "header_color": _own_table_color(t, schema) if own_parts_only else t.header_color,
            "fields": [our_field(c) for c in own(t.columns)],
            "indexes": [our_index(i) for i in own(t.indexes)],
            "checks": [(c.expression, c.name) for c in _own_checks(t, schema, own_parts_only)],
            "partials": list(t.partials),
        }
    refs = sorted(
        (
            tuple(sorted((e.schema, e.table, e.columns, e.relation) for e in (r.left, r.right))),
            r.on_delete,
            r.on_update,
            r.name,
            r.color,
        )
        for r in schema.refs
        if not (own_parts_only and r.from_partial is not None)
    )
    enums = {e.key: [(v.name, v.note) for v in e.values] for e in schema.enums}
    groups = {g.name: {"tables": sorted(g.tables), "note": g.note, "color": g.color} for g in schema.groups}
    partials = {
        p.name: {
            "fields": [our_field(c) for c in p.columns],
            "indexes": [our_index(i) for i in p.indexes],
            "checks": [(c.expression, c.name) for c in p.checks],
        }
        for p in schema.partials
    }
    notes = {n.name: (n.text, n.color) for n in schema.notes}
    project = (
        {"name": schema.project.name, "database_type": schema.project.database_type, "note": schema.project.note}
        if schema.project
        else None
    )
    return {
        "tables": tables,
        "refs": refs,
        "enums": enums,
        "groups": groups,
        "partials": partials,
        "notes": notes,
        "project": project,
    }


def _partials_of(t: Table, schema: Schema) -> list:
    by_name = {p.name: p for p in schema.partials}
    return [by_name[n] for n in t.partials if n in by_name]


def _own_table_note(t: Table, schema: Schema) -> str | None:
    """The table's note unless it came from one of its partials."""
    if any(p.note is not None and p.note == t.note for p in _partials_of(t, schema)):
        return None
    return t.note


def _own_table_color(t: Table, schema: Schema) -> str | None:
    if any(p.header_color is not None and p.header_color == t.header_color for p in _partials_of(t, schema)):
        return None
    return t.header_color


def _own_checks(t: Table, schema: Schema, own_parts_only: bool) -> list:
    if not own_parts_only:
        return list(t.checks)
    partial_checks = {id(c) for p in _partials_of(t, schema) for c in p.checks}
    return [c for c in t.checks if id(c) not in partial_checks]
