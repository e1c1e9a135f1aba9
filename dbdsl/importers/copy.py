"""The rows of a pg_dump `COPY t (a, b) FROM stdin;` block as the INSERT they stand for, so that they
come over as the table's Records like the rows of an INSERT (text format: tab-separated fields, `\\N` for
NULL, backslash escapes)."""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

HEADER = re.compile(r"\s*COPY\s+(?P<table>.+?)\s*(?:\((?P<columns>[^)]*)\))?\s+FROM\s+STDIN\b", re.I | re.S)
ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.)")


def copy_insert(header: str, data: str, target: str) -> exp.Insert | None:
    """The INSERT of the block's rows; None when the header cannot be read or there are no rows."""
    m = HEADER.match(header)
    rows = [line.removesuffix("\r") for line in data.split("\n") if line.removesuffix("\r")]
    if m is None or not rows:
        return None
    try:
        table = exp.to_table(m.group("table"), dialect=target)
        columns = [exp.to_identifier(c.name, quoted=c.quoted) for c in _identifiers(m.group("columns"), target)]
    except (SqlglotError, ValueError):
        return None
    values = exp.values([tuple(_field(f) for f in row.split("\t")) for row in rows])
    into = exp.Schema(this=table, expressions=columns) if columns else table
    return exp.Insert(this=into, expression=values)


def _identifiers(text: str | None, target: str) -> list[exp.Identifier]:
    if not text:
        return []
    tree = sqlglot.parse_one(f"SELECT {text}", read=target)
    return [e.this if isinstance(e, exp.Column) else exp.to_identifier(e.name) for e in tree.expressions]


def _field(text: str) -> exp.Expression:
    if text == "\\N":
        return exp.Null()
    return exp.Literal.string(ESCAPE.sub(_unescape, text))


def _unescape(m: re.Match) -> str:
    code = m.group(1)
    if code[0] == "x" and len(code) > 1:
        return chr(int(code[1:], 16))
    if code[0] in "01234567":
        return chr(int(code, 8))
    return ESCAPES.get(code, code)
