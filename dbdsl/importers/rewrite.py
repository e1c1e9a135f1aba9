"""Statement text that sqlglot reads only once rewritten: forms of a dialect with the same meaning as a
form sqlglot knows, so the importer sees one shape per concept.

- PostgreSQL: `CREATE INDEX ... ON ONLY t` (pg_dump's index of a partitioned table) is the index on `t`;
  `CREATE SCHEMA s CREATE TABLE a (...) CREATE VIEW ...` is `CREATE SCHEMA s` and then each element,
  its names in `s`; a generated column's `VIRTUAL` (PostgreSQL 18) is left for the importer to list.
- MySQL: `CREATE FULLTEXT|SPATIAL INDEX n ON t (...)` and a `CREATE INDEX` with `USING HASH|BTREE` (forms
  sqlglot reads only as commands) are `ALTER TABLE t ADD FULLTEXT|SPATIAL|... INDEX n (...) [USING ...]`,
  the key a CREATE TABLE declares inline.
- SQL Server: storage clauses (`ON [PRIMARY]`, `TEXTIMAGE_ON [PRIMARY]`, `WITH NOCHECK`) are dropped,
  `PRIMARY KEY CLUSTERED` is a primary key, and `ALTER TABLE t ADD a, b` with
  `CONSTRAINT DF_x DEFAULT (v) FOR c` items is one statement per item, a default as `ALTER COLUMN c SET
  DEFAULT v`.
"""

from __future__ import annotations

import itertools
import re

import sqlglot
from sqlglot.errors import SqlglotError
from sqlglot.tokens import TokenType

ON_ONLY = re.compile(r"^(\s*CREATE\s+(?:UNIQUE\s+)?INDEX\b.*?\bON\s+)ONLY\s+", re.IGNORECASE | re.DOTALL)
NULLS_NOT_DISTINCT = re.compile(r"\s+NULLS\s+NOT\s+DISTINCT\b", re.IGNORECASE)
VIRTUAL = re.compile(r"\)\s*VIRTUAL\b", re.IGNORECASE)
CREATE_SCHEMA = re.compile(r"\s*CREATE\s+SCHEMA\b", re.IGNORECASE)
MYSQL_NAME = r"(?:`(?:[^`]|``)*`|[\w$]+)"
MYSQL_CREATE_INDEX = re.compile(
    rf"\s*CREATE\s+(?P<kind>(?:UNIQUE|FULLTEXT|SPATIAL)\s+)?INDEX\s+(?P<name>{MYSQL_NAME})"
    rf"(?:\s+USING\s+(?P<before>\w+))?\s+ON\s+(?P<table>{MYSQL_NAME}(?:\s*\.\s*{MYSQL_NAME})?)\s*(?P<rest>\(.*)\Z",
    re.IGNORECASE | re.DOTALL,
)
TSQL_STORAGE = re.compile(r"\b(?:TEXTIMAGE_ON|ON)\s+(?:\[PRIMARY\]|PRIMARY\b|\"PRIMARY\")", re.IGNORECASE)
TSQL_CHECKING = re.compile(r"\bWITH\s+(?:NO)?CHECK\s+(?=ADD\b)", re.IGNORECASE)
TSQL_CLUSTERED_KEY = re.compile(r"\b(PRIMARY\s+KEY)\s+(?:NON)?CLUSTERED\b", re.IGNORECASE)
TSQL_ALTER_ADD = re.compile(r"\s*(ALTER\s+TABLE\s+.+?)\s+ADD\b", re.IGNORECASE | re.DOTALL)
TSQL_DEFAULT_FOR = re.compile(
    r"\s*(?:CONSTRAINT\s+(?:\[[^\]]*\]|\S+)\s+)?DEFAULT\s+(.+)\s+FOR\s+(\[[^\]]*\]|\S+)\s*\Z",
    re.IGNORECASE | re.DOTALL,
)


def prepare(text: str, target: str, lost: list[str]) -> list[tuple[str, str | None]]:
    """The statements to parse for one statement's text, each with the schema its unqualified names
    belong to (set only for the elements of a CREATE SCHEMA). What a rewrite leaves out is added to `lost`."""
    if target == "postgres":
        text = ON_ONLY.sub(r"\1", text, count=1)
        if NULLS_NOT_DISTINCT.search(text):
            text = NULLS_NOT_DISTINCT.sub(" ", text)
            lost.append("NULLS NOT DISTINCT left out (the schema language cannot say it)")
        text = VIRTUAL.sub(")", text)  # PostgreSQL 18's virtual generated columns: sqlglot reads them without
        if CREATE_SCHEMA.match(text):
            return _schema_elements(text, target)
    if target == "tsql":
        return [(t, None) for t in _tsql(text)]
    if target == "mysql":
        return [(_mysql_index(text), None)]
    return [(text, None)]


def _schema_elements(text: str, target: str) -> list[tuple[str, str | None]]:
    tokens = _tokens(text, target)
    depth = 0
    starts = []
    for i, token in enumerate(tokens):
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and i > 0 and token.token_type == TokenType.CREATE:
            starts.append(token.start)
    if not starts or len(tokens) < 3:
        return [(text, None)]
    head = text[: starts[0]]
    name_tokens = [t for t in _tokens(head, target)[2:] if t.token_type != TokenType.DOT]
    words = [t.text for t in name_tokens]
    if words[:2] == ["IF", "NOT"]:
        words = words[3:]
    schema = words[0] if words and words[0].upper() != "AUTHORIZATION" else (words[1] if len(words) > 1 else None)
    out: list[tuple[str, str | None]] = [(head.strip(), None)]
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        out.append((text[begin:end].strip(), schema))
    return out


def _mysql_index(text: str) -> str:
    m = MYSQL_CREATE_INDEX.match(text)
    if m is None:
        return text
    kind, rest = (m["kind"] or "").upper().strip(), m["rest"].rstrip().rstrip(";")
    if kind in ("", "UNIQUE") and m["before"] is None and not re.search(r"\bUSING\s+\w+\s*\Z", rest, re.I):
        return text  # a plain CREATE [UNIQUE] INDEX: sqlglot reads it
    using = f" USING {m['before']}" if m["before"] else ""
    return f"ALTER TABLE {m['table']} ADD {kind + ' ' if kind else ''}INDEX {m['name']} {rest}{using}"


def _tsql(text: str) -> list[str]:
    text = TSQL_STORAGE.sub("", text)
    text = TSQL_CHECKING.sub("", text)
    text = TSQL_CLUSTERED_KEY.sub(r"\1", text)
    m = TSQL_ALTER_ADD.match(text)
    if m is None:
        return [text]
    head = m.group(1)
    items = _top_level_split(text[m.end() :], "tsql")
    if len(items) < 2 and not any(TSQL_DEFAULT_FOR.match(i) for i in items):
        return [text]
    out = []
    for item in items:
        default = TSQL_DEFAULT_FOR.match(item)
        if default:
            out.append(f"{head} ALTER COLUMN {default.group(2)} SET DEFAULT {default.group(1).strip()}")
        else:
            out.append(f"{head} ADD {item.strip()}")
    return out


def _top_level_split(text: str, target: str) -> list[str]:
    """`text` cut at the commas outside parentheses."""
    tokens = _tokens(text, target)
    depth, cuts = 0, []
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif token.token_type == TokenType.COMMA and depth == 0:
            cuts.append(token.start)
    bounds = [-1, *cuts, len(text)]
    return [text[a + 1 : b] for a, b in itertools.pairwise(bounds) if text[a + 1 : b].strip()]


def _tokens(text: str, target: str) -> list:
    try:
        return sqlglot.Dialect.get_or_raise(target).tokenize(text)
    except SqlglotError:
        return []
