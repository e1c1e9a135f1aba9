"""What each `[setting]` means, per context, and how its value is checked.

A spec maps a setting key to the kind of value it takes. Unknown keys are errors where DBML defines
the settings (columns, indexes, refs) and warnings on Project, Table and Query, where dbdsl accepts
design facts as settings (forward compatible: a newer fact is kept for the design document).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..findings import Finding
from ..syntax import ast
from .errors import error, warning
from .partitioning import parse_partition
from .schema import Literal, Setting
from .spans import Span

FLAG = "flag"
STRING = "string"
COLOR = "color"
LITERAL = "literal"
REF = "ref"
EXPRESSION = "expression"
ACTION = "action"
INDEX_TYPE = "index_type"
TUPLE = "tuple"
ANY = "any"  # a design fact: a flag or any value
PARTITION = "partition"  # a design fact read by `partitioning.parse_partition`
COUNT = "count"  # a design fact: a whole number
FACT_KINDS = {ANY, PARTITION, COUNT}  # kept on the element as `Setting`s for the outputs to read
FACT_FLAGS = {"audited"}  # design facts that take no value, like `pk`

KEY_ALIASES = {"primary key": "pk", "headercolor": "headercolor"}
REPEATABLE = {"ref", "check"}
ACTIONS = ("cascade", "restrict", "set null", "set default", "no action")
INDEX_TYPES = ("btree", "hash", "gin", "gist", "brin", "spgist", "fulltext", "spatial")

TABLE_FACTS = (
    "rows growth retention partition_by partitioning partitions_ahead soft_delete audit audited pii peak_load "
    "archive_after write_heavy read_heavy owner sla engine charset collation"
).split()
PROJECT_FACTS = (
    "rpo rto peak_load replicas retention backup sharding partitioning partitions_ahead growth rows availability "
    "app_role owner_role readonly_role tenant_key audit audit_table regions compliance capacity restore_rate charset"
).split()
TABLE_FACT_KINDS = {"partition_by": PARTITION, "partitions_ahead": COUNT, "audited": FLAG}

SPECS: dict[str, dict[str, str]] = {
    "column": {
        "pk": FLAG,
        "null": FLAG,
        "not null": FLAG,
        "unique": FLAG,
        "increment": FLAG,
        "default": LITERAL,
        "note": STRING,
        "ref": REF,
        "check": EXPRESSION,
        "renamed_from": STRING,
        "pii": ANY,
        "on_update": ANY,  # MySQL's ON UPDATE CURRENT_TIMESTAMP (dbdsl extension)
    },
    "table": {
        "headercolor": COLOR,
        "note": STRING,
        "renamed_from": STRING,
        **{k: TABLE_FACT_KINDS.get(k, ANY) for k in TABLE_FACTS},
    },
    "partial": {"headercolor": COLOR, "note": STRING},
    "index": {
        "name": STRING,
        "type": INDEX_TYPE,
        "unique": FLAG,
        "pk": FLAG,
        "note": STRING,
        "where": EXPRESSION,
        "include": TUPLE,
    },
    "check": {"name": STRING},
    "ref": {"delete": ACTION, "update": ACTION, "color": COLOR, "name": STRING, "inactive": FLAG},
    "enum": {"note": STRING, "renamed_from": STRING},
    "enum_value": {"note": STRING, "renamed_from": STRING},
    "group": {"color": COLOR, "note": STRING},
    "note": {"color": COLOR, "headercolor": COLOR},
    "query": {"frequency": STRING, "target": STRING, "note": STRING},
    "project": {"database_type": STRING, "note": STRING, **{k: ANY for k in PROJECT_FACTS}},
    "view": {},
}
LENIENT = {"table", "project", "query"}  # unknown settings there are warnings (design facts)
CONTEXT_WORDS = {
    "column": "column",
    "table": "table",
    "partial": "table partial",
    "index": "index",
    "check": "check",
    "ref": "relationship",
    "enum": "enum",
    "enum_value": "enum value",
    "group": "table group",
    "note": "sticky note",
    "query": "query",
    "project": "project",
    "view": "diagram view",
}


@dataclass
class ReadSettings:
    """Interpreted settings: `values[key]` lists (value, setting) pairs in order; `extra` the rest."""

    values: dict[str, list[tuple[object, ast.Setting]]]
    extra: list[Setting]

    def first(self, key: str, default: object = None) -> object:
        got = self.values.get(key)
        return got[0][0] if got else default

    def has(self, key: str) -> bool:
        return key in self.values

    def all(self, key: str) -> list[tuple[object, ast.Setting]]:
        return self.values.get(key, [])


def read_settings(
    node: ast.Settings | None,
    context: str,
    span: Callable[[int, int], Span],
    findings: list[Finding],
) -> ReadSettings:
    out = ReadSettings({}, [])
    if node is None:
        return out
    spec = SPECS[context]
    where = CONTEXT_WORDS[context]
    for s in node.items:
        key = KEY_ALIASES.get(s.key, s.key)
        kind = spec.get(key)
        if kind is None:
            if context == "table" and not custom_value(s.value):
                findings.append(
                    error(
                        "E109",
                        f"a custom table setting takes a string or a color, such as {s.key}: 'value'",
                        span(s.start, s.end),
                    )
                )
                continue
            if context in LENIENT:
                findings.append(
                    warning("E108", f"unknown {where} setting '{s.key}' (kept as a design fact)", span(s.start, s.end))
                )
                out.extra.append(Setting(s.key, s.value.text if s.value else None, span(s.start, s.end)))
            else:
                known = ", ".join(sorted(spec))
                findings.append(
                    error("E108", f"unknown {where} setting '{s.key}'; known settings: {known}", span(s.start, s.end))
                )
            continue
        if key in out.values and key not in REPEATABLE:
            findings.append(error("E110", f"setting '{s.key}' is given twice", span(s.start, s.end)))
            continue
        value = _check_value(s, key, kind, where, span, findings)
        if value is _INVALID:
            continue
        out.values.setdefault(key, []).append((value, s))
        if kind in FACT_KINDS or key in FACT_FLAGS:
            text = None if value is True else str(value)
            out.extra.append(Setting(key, text, span(s.start, s.end)))
    return out


_INVALID = object()


def _check_value(
    s: ast.Setting, key: str, kind: str, where: str, span: Callable[[int, int], Span], findings: list[Finding]
) -> object:
    v = s.value

    def bad(message: str) -> object:
        findings.append(error("E109", message, span(v.start, v.end) if v is not None else span(s.start, s.end)))
        return _INVALID

    if kind == FLAG:
        if v is not None:
            return bad(f"'{s.key}' takes no value")
        return True
    if kind == ANY:
        if v is None:
            return True
        return v.text
    if kind == PARTITION:
        if v is None:
            return bad(f"'{s.key}' needs a value")
        spec = parse_partition(v.text)
        return bad(spec) if isinstance(spec, str) else v.text
    if kind == COUNT:
        text = v.text.strip() if v is not None else ""
        if not text.isdigit():
            return bad(f"'{s.key}' takes a whole number, such as {s.key}: 3")
        return text
    if v is None:
        return bad(f"'{s.key}' needs a value")
    if kind == STRING:
        if v.kind not in ("string", "multiline"):
            return bad(f"'{s.key}' takes a string, such as '{s.key} value'")
        return v.text
    if kind == COLOR:
        if v.kind == "words" and v.text.lower() == "none":
            return "none"
        if v.kind != "color" or len(v.text) not in (4, 7, 9):
            return bad(f"'{s.key}' takes a color such as #3498db or #fff")
        return v.text
    if kind == EXPRESSION:
        if v.kind != "expression":
            return bad(f"'{s.key}' takes a backtick expression, such as `price > 0`")
        return v.text
    if kind == REF:
        if v.kind != "ref":
            return bad("'ref' takes a relationship such as '> users.id'")
        return v
    if kind == ACTION:
        text = v.text.lower() if v.kind == "words" else ""
        text = " ".join(text.split())
        if text not in ACTIONS:
            return bad(f"'{s.key}' takes one of: {', '.join(ACTIONS)}")
        return text
    if kind == INDEX_TYPE:
        text = v.text.lower() if v.kind in ("words", "string") else ""
        if not text:
            return bad(f"'type' takes an index kind such as {', '.join(INDEX_TYPES)}")
        if text not in INDEX_TYPES:  # written by other tools (nonclustered, bitmap...): kept, not checked
            findings.append(
                warning(
                    "E109",
                    f"index type '{text}' is not one dbdsl knows ({', '.join(INDEX_TYPES)}); "
                    "SQL output makes a plain index where the engine has no such kind",
                    span(v.start, v.end),
                )
            )
        return text
    if kind == TUPLE:
        if v.kind == "tuple":
            return tuple(p.dotted for p in v.paths)
        if v.kind == "words" and len(v.paths) == 1 and len(v.paths[0].names) == 1:
            return (v.text,)
        return bad(f"'{s.key}' takes a list of columns such as (email, name)")
    if kind == LITERAL:
        literal = literal_of(v)
        if literal is None:
            return bad(
                f"'{v.text}' is not a valid default: use a number, a 'string', true, false, null, "
                "an enum value (status.active) or a `backtick expression`"
            )
        return literal
    raise AssertionError(kind)  # pragma: no cover


def custom_value(v: ast.Value | None) -> bool:
    """DBML's custom settings (on tables, and project items) hold a string or a color."""
    return v is not None and v.kind in ("string", "multiline", "color")


def fold_number(text: str) -> str:
    """`--++-7.5` -> `-7.5`: DBML allows runs of signs before a number."""
    digits = text.lstrip("+-")
    negative = text[: len(text) - len(digits)].count("-") % 2 == 1
    return ("-" if negative else "") + digits


def literal_of(v: ast.Value) -> Literal | None:
    """A default or record value, or None when the value cannot be one."""
    if v.kind in ("string", "multiline"):
        return Literal("string", v.text)
    if v.kind == "number":
        return Literal("number", fold_number(v.text))
    if v.kind == "expression":
        return Literal("expression", v.text)
    if v.kind == "empty":  # an empty field of a records row
        return Literal("null", "null")
    if v.kind == "words" and len(v.paths) == 1:
        path = v.paths[0]
        if len(path.names) == 1:
            word = path.names[0].text.lower()
            if word in ("true", "false"):
                return Literal("boolean", word)
            if word == "null":
                return Literal("null", "null")
            return None
        return Literal("enum", path.dotted)
    return None
