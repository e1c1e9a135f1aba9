"""Random schemas and random changes to them, as DBML text, for the property tests.

A schema is a small plain structure (dicts and lists) rendered to DBML; a change picks one of the
edits a person makes between two versions (add or drop a table or a column, change a type, the
nullability, a default, a unique flag, an index, a check, a foreign key or its action, an enum value,
rename a table or a column with its hint) and applies it to a copy.
"""

from __future__ import annotations

import copy

from hypothesis import strategies as st

TYPES = ["int", "bigint", "smallint", "varchar(20)", "varchar(60)", "text", "boolean", "decimal(8,2)", "date"]
ACTIONS = [None, "cascade", "restrict", "set null"]
VALUES = ["red", "green", "blue", "amber", "violet"]


def default_for(type_: str, draw) -> str | None:
    if draw(st.booleans()):
        return None
    if type_ in ("int", "bigint", "smallint", "decimal(8,2)"):
        return str(draw(st.integers(0, 99)))
    if type_.startswith("varchar") or type_ == "text":
        return "'" + draw(st.sampled_from(["x", "hello", "n/a"])) + "'"
    if type_ == "boolean":
        return draw(st.sampled_from(["true", "false"]))
    return None


@st.composite
def columns(draw, enums: list[dict], prefix: str) -> list[dict]:
    count = draw(st.integers(1, 4))
    out = []
    for i in range(count):
        use_enum = enums and draw(st.integers(0, 4)) == 0
        if use_enum:
            enum = draw(st.sampled_from(enums))
            type_ = enum["name"]
            default = f"'{draw(st.sampled_from(enum['values']))}'" if draw(st.booleans()) else None
        else:
            type_ = draw(st.sampled_from(TYPES))
            default = default_for(type_, draw)
        numeric = type_ in ("int", "bigint", "smallint")
        out.append(
            {
                "name": f"{prefix}{i}",
                "type": type_,
                "not_null": draw(st.booleans()),
                "default": default,
                "unique": numeric and draw(st.integers(0, 3)) == 0,
                "check": f"{prefix}{i} >= 0" if numeric and draw(st.integers(0, 3)) == 0 else None,
                "renamed_from": None,
            }
        )
    return out


@st.composite
def schemas(draw) -> dict:
    enums = []
    for i in range(draw(st.integers(0, 2))):
        values = draw(st.lists(st.sampled_from(VALUES), min_size=2, max_size=4, unique=True))
        enums.append({"name": f"e{i}", "values": values, "renamed": {}})
    tables = []
    for i in range(draw(st.integers(1, 3))):
        tables.append({"name": f"t{i}", "columns": draw(columns(enums, f"c{i}_")), "indexes": [], "renamed_from": None})
    for table in tables:
        if draw(st.booleans()):
            table["indexes"].append(draw(index_of(table)))
    refs = []
    for table in tables:
        if len(tables) > 1 and draw(st.booleans()):
            target = draw(st.sampled_from([t for t in tables if t is not table]))
            refs.append(new_ref(table, target, draw(st.sampled_from(ACTIONS))))
    return {"enums": enums, "tables": tables, "refs": refs}


def new_ref(table: dict, target: dict, action: str | None) -> dict:
    name = f"{target['name']}_id"
    while any(c["name"] == name for c in table["columns"]):
        name += "x"
    table["columns"].append(
        {"name": name, "type": "int", "not_null": False, "default": None, "unique": False, "check": None}
    )
    return {"table": table["name"], "column": name, "target": target["name"], "action": action}


@st.composite
def index_of(draw, table: dict) -> dict:
    names = [c["name"] for c in table["columns"]]
    keys = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
    numeric = [c["name"] for c in table["columns"] if c["type"] in ("int", "bigint", "smallint")]
    where = f"{numeric[0]} > 0" if numeric and draw(st.booleans()) else None
    return {"keys": keys, "unique": draw(st.booleans()) and where is None, "where": where}


# ---------------------------------------------------------------- changes


def _table(draw, schema: dict) -> dict:
    return draw(st.sampled_from(schema["tables"]))


def _forget_column(schema: dict, table: dict, name: str) -> None:
    table["columns"] = [c for c in table["columns"] if c["name"] != name]
    table["indexes"] = [i for i in table["indexes"] if name not in i["keys"] and name not in (i["where"] or "")]
    schema["refs"] = [r for r in schema["refs"] if not (r["table"] == table["name"] and r["column"] == name)]


@st.composite
def changed(draw, schema: dict) -> dict:
    """A copy of `schema` with one to three random changes."""
    new = copy.deepcopy(schema)
    for c in new["tables"]:
        c["renamed_from"] = None
        for col in c["columns"]:
            col["renamed_from"] = None
    for e in new["enums"]:
        e["renamed"] = {}
    for _ in range(draw(st.integers(1, 3))):
        draw(st.sampled_from(CHANGES))(draw, new)
    return new


def add_table(draw, s: dict) -> None:
    name = f"t{len(s['tables']) + 10}"
    if any(t["name"] == name for t in s["tables"]):
        return
    s["tables"].append(
        {"name": name, "columns": draw(columns(s["enums"], f"n{name}_")), "indexes": [], "renamed_from": None}
    )


def drop_table(draw, s: dict) -> None:
    if len(s["tables"]) < 2:
        return
    table = _table(draw, s)
    s["tables"].remove(table)
    s["refs"] = [r for r in s["refs"] if table["name"] not in (r["table"], r["target"])]


def add_column(draw, s: dict) -> None:
    table = _table(draw, s)
    extra = draw(columns(s["enums"], f"a{len(table['columns'])}_"))[0]
    if not any(c["name"] == extra["name"] for c in table["columns"]):
        table["columns"].append(extra)


def drop_column(draw, s: dict) -> None:
    table = _table(draw, s)
    if len(table["columns"]) > 1:
        _forget_column(s, table, draw(st.sampled_from(table["columns"]))["name"])


def change_type(draw, s: dict) -> None:
    table = _table(draw, s)
    column = draw(st.sampled_from(table["columns"]))
    if any(r["table"] == table["name"] and r["column"] == column["name"] for r in s["refs"]):
        return
    column["type"] = draw(st.sampled_from(TYPES))
    column["default"] = default_for(column["type"], draw)
    if column["type"] not in ("int", "bigint", "smallint"):
        column["unique"] = False
        column["check"] = None
    table["indexes"] = [i for i in table["indexes"] if column["name"] not in (i["where"] or "")]


def toggle_null(draw, s: dict) -> None:
    column = draw(st.sampled_from(_table(draw, s)["columns"]))
    column["not_null"] = not column["not_null"]


def change_default(draw, s: dict) -> None:
    column = draw(st.sampled_from(_table(draw, s)["columns"]))
    enum = next((e for e in s["enums"] if e["name"] == column["type"]), None)
    if enum is not None:
        column["default"] = f"'{draw(st.sampled_from(enum['values']))}'"
    else:
        column["default"] = default_for(column["type"], draw)


def toggle_unique(draw, s: dict) -> None:
    column = draw(st.sampled_from(_table(draw, s)["columns"]))
    if column["type"] in ("int", "bigint", "smallint"):
        column["unique"] = not column["unique"]


def toggle_check(draw, s: dict) -> None:
    column = draw(st.sampled_from(_table(draw, s)["columns"]))
    if column["type"] in ("int", "bigint", "smallint"):
        column["check"] = None if column["check"] else f"{column['name']} >= 0"


def change_index(draw, s: dict) -> None:
    table = _table(draw, s)
    if table["indexes"] and draw(st.booleans()):
        table["indexes"].pop()
    else:
        table["indexes"].append(draw(index_of(table)))


def change_ref(draw, s: dict) -> None:
    if s["refs"] and draw(st.booleans()):
        ref = draw(st.sampled_from(s["refs"]))
        if draw(st.booleans()):
            s["refs"].remove(ref)
        else:
            ref["action"] = draw(st.sampled_from(ACTIONS))
    elif len(s["tables"]) > 1:
        table = _table(draw, s)
        target = draw(st.sampled_from([t for t in s["tables"] if t is not table]))
        s["refs"].append(new_ref(table, target, draw(st.sampled_from(ACTIONS))))


def change_enum(draw, s: dict) -> None:
    if not s["enums"]:
        return
    enum = draw(st.sampled_from(s["enums"]))
    choice = draw(st.integers(0, 2))
    unused = [v for v in VALUES if v not in enum["values"]]
    if choice == 0 and unused:
        enum["values"].insert(draw(st.integers(0, len(enum["values"]))), draw(st.sampled_from(unused)))
    elif choice == 1 and len(enum["values"]) > 2:
        gone = draw(st.sampled_from(enum["values"]))
        enum["values"].remove(gone)
        _replace_default(s, enum, gone, enum["values"][0])
    elif choice == 2 and unused:
        old = draw(st.sampled_from(enum["values"]))
        new = draw(st.sampled_from(unused))
        enum["values"][enum["values"].index(old)] = new
        enum["renamed"][new] = old
        _replace_default(s, enum, old, new)


def _replace_default(s: dict, enum: dict, old: str, new: str) -> None:
    for table in s["tables"]:
        for column in table["columns"]:
            if column["type"] == enum["name"] and column["default"] == f"'{old}'":
                column["default"] = f"'{new}'"


def rename_column(draw, s: dict) -> None:
    table = _table(draw, s)
    column = draw(st.sampled_from(table["columns"]))
    if column.get("renamed_from"):
        return
    new_name = column["name"] + "_r"
    old_name = column["name"]
    column["renamed_from"] = old_name
    column["name"] = new_name
    if column["check"]:
        column["check"] = column["check"].replace(old_name, new_name)
    for index in table["indexes"]:
        index["keys"] = [new_name if k == old_name else k for k in index["keys"]]
        if index["where"]:
            index["where"] = index["where"].replace(old_name, new_name)
    for ref in s["refs"]:
        if ref["table"] == table["name"] and ref["column"] == old_name:
            ref["column"] = new_name


def rename_table(draw, s: dict) -> None:
    table = _table(draw, s)
    if table.get("renamed_from"):
        return
    old_name, new_name = table["name"], table["name"] + "_r"
    table["renamed_from"] = old_name
    table["name"] = new_name
    for ref in s["refs"]:
        if ref["table"] == old_name:
            ref["table"] = new_name
        if ref["target"] == old_name:
            ref["target"] = new_name


CHANGES = [
    add_table,
    drop_table,
    add_column,
    drop_column,
    change_type,
    toggle_null,
    change_default,
    toggle_unique,
    toggle_check,
    change_index,
    change_ref,
    change_enum,
    rename_column,
    rename_table,
]


# ---------------------------------------------------------------- DBML


def dbml(schema: dict) -> str:
    used = {c["type"] for t in schema["tables"] for c in t["columns"]}
    lines = []
    for enum in schema["enums"]:
        if enum["name"] not in used and not enum["renamed"]:
            continue
        lines.append(f"Enum {enum['name']} {{")
        for value in enum["values"]:
            hint = f" [renamed_from: '{enum['renamed'][value]}']" if value in enum["renamed"] else ""
            lines.append(f"  {value}{hint}")
        lines.append("}")
    for table in schema["tables"]:
        hint = f" [renamed_from: '{table['renamed_from']}']" if table.get("renamed_from") else ""
        lines.append(f"Table {table['name']}{hint} {{")
        lines.append("  id int [pk, increment]")
        for c in table["columns"]:
            settings = []
            if c["not_null"]:
                settings.append("not null")
            if c["unique"]:
                settings.append("unique")
            if c["default"] is not None:
                settings.append(f"default: {c['default']}")
            if c["check"]:
                settings.append(f"check: `{c['check']}`")
            if c.get("renamed_from"):
                settings.append(f"renamed_from: '{c['renamed_from']}'")
            lines.append(f"  {c['name']} {c['type']}" + (f" [{', '.join(settings)}]" if settings else ""))
        if table["indexes"]:
            lines.append("  indexes {")
            for index in table["indexes"]:
                keys = index["keys"][0] if len(index["keys"]) == 1 else "(" + ", ".join(index["keys"]) + ")"
                settings = ["unique"] if index["unique"] else []
                if index["where"]:
                    settings.append(f"where: `{index['where']}`")
                lines.append(f"    {keys}" + (f" [{', '.join(settings)}]" if settings else ""))
            lines.append("  }")
        lines.append("}")
    for ref in schema["refs"]:
        action = f" [delete: {ref['action']}]" if ref["action"] else ""
        lines.append(f"Ref: {ref['table']}.{ref['column']} > {ref['target']}.id{action}")
    return "\n".join(lines) + "\n"
