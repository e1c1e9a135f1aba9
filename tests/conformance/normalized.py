"""Comparable form (see model_json.py) of @dbml's *normalized* model: flat id-keyed maps, partials
already injected into the tables."""

from __future__ import annotations

from .model_json import _note, expected_checks, expected_field, expected_index


def from_normalized_json(d: dict) -> dict:
    schemas = {int(k): v["name"] for k, v in d["schemas"].items()}
    fields = d["fields"]
    index_columns = d.get("indexColumns", {})
    checks = d.get("checks", {})
    tables = {}
    table_key_by_id = {}
    for tid, t in d["tables"].items():
        key = (schemas[t["schemaId"]], t["name"])
        table_key_by_id[int(tid)] = key
        tables[key] = {
            "alias": t.get("alias"),
            "note": _note(t.get("note")),
            "header_color": t.get("headerColor"),
            "fields": [
                expected_field(
                    fields[str(i)], [checks[str(c)]["expression"] for c in fields[str(i)].get("checkIds") or []]
                )
                for i in t["fieldIds"]
            ],
            "indexes": [
                expected_index(d["indexes"][str(i)], [index_columns[str(c)] for c in d["indexes"][str(i)]["columnIds"]])
                for i in t["indexIds"]
            ],
            "checks": expected_checks([checks[str(i)] for i in t.get("checkIds") or []]),
            "partials": [p["name"] for p in sorted(t.get("partials") or [], key=lambda p: p["order"])],
        }
    refs = []
    for r in d["refs"].values():
        ends = []
        for eid in r["endpointIds"]:
            e = d["endpoints"][str(eid)]
            ends.append((e.get("schemaName") or "public", e["tableName"], tuple(e["fieldNames"]), e["relation"]))
        refs.append((tuple(sorted(ends)), r.get("onDelete"), r.get("onUpdate"), r.get("name"), r.get("color")))
    enums = {
        (schemas[e["schemaId"]], e["name"]): [
            (d["enumValues"][str(v)]["name"], d["enumValues"][str(v)].get("note")) for v in e["valueIds"]
        ]
        for e in d["enums"].values()
    }
    groups = {
        g["name"]: {
            "tables": sorted(table_key_by_id[i] for i in g["tableIds"]),
            "note": _note(g.get("note")),
            "color": g.get("color"),
        }
        for g in d["tableGroups"].values()
    }
    partials = {
        p["name"]: {
            "fields": [expected_field(f) for f in p["fields"]],
            "indexes": [expected_index(i) for i in p.get("indexes") or []],
            "checks": expected_checks(p.get("checks")),
        }
        for p in (d.get("tablePartials") or {}).values()
    }
    notes = {n["name"]: (n["content"], n.get("color")) for n in d["notes"].values()}
    return {
        "tables": tables,
        "refs": sorted(refs),
        "enums": enums,
        "groups": groups,
        "partials": partials,
        "notes": notes,
        "project": None,
    }
