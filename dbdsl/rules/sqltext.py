"""The SQL of `Query` blocks: parsing with sqlglot, and mapping positions in the SQL back to the file.

`Query.sql` is the string's value: escapes resolved and, for `'''` strings, the indentation rule
applied (leading blank lines dropped, common indentation removed). So a position that sqlglot gives
in `Query.sql` is mapped back by replaying those two steps on the raw text while tracking where each
character came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from ..dialects import SQLGLOT
from ..model.schema import Query
from ..model.spans import Span
from ..sqlread import SQLGLOT_ERRORS
from ..syntax.strings import SIMPLE_ESCAPES


@dataclass(frozen=True)
class ParsedQuery:
    sql: str
    dialect: str
    statements: tuple[exp.Expression, ...]
    error: tuple[str, int, int] | None  # message, start, end (offsets in `sql`)
    table_refs: tuple[tuple[str | None, str, bool], ...]  # (schema, name, quoted) of every real table named


@lru_cache(maxsize=4096)
def parse_query(sql: str, dialect: str) -> ParsedQuery:
    """Parse once per (SQL, dialect). The trees are shared: never modify them."""
    read = SQLGLOT.get(dialect, "postgres")
    try:
        statements = tuple(s for s in sqlglot.parse(sql, read=read) if isinstance(s, exp.Expression))
    except ParseError as e:
        return ParsedQuery(sql, dialect, (), _parse_error(sql, e), ())
    except TokenError as e:
        return ParsedQuery(sql, dialect, (), (f"cannot read the SQL: {_first_line(str(e))}", 0, len(sql)), ())
    except SQLGLOT_ERRORS as e:  # sqlglot's other errors (unsupported syntax), or nesting too deep
        return ParsedQuery(sql, dialect, (), (f"cannot parse the SQL: {_first_line(str(e))}", 0, len(sql)), ())
    refs = []
    for statement in statements:
        ctes = {c.alias_or_name.lower() for c in statement.find_all(exp.CTE)}
        for table in statement.find_all(exp.Table):
            if not table.name:
                continue
            if not table.db and table.name.lower() in ctes:
                continue
            ident = table.this
            quoted = bool(isinstance(ident, exp.Identifier) and ident.quoted)
            refs.append((table.db or None, table.name, quoted))
    return ParsedQuery(sql, dialect, statements, None, tuple(dict.fromkeys(refs)))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "syntax error"


MISSING_RE = re.compile(r"Required keyword: '(\w+)' missing for <class '(?:\w+\.)*(\w+)'>")


def _parse_error(sql: str, e: ParseError) -> tuple[str, int, int]:
    info = e.errors[0] if e.errors else {}
    description = info.get("description") or _first_line(str(e))
    # sqlglot names its own classes: "Required keyword: 'expression' missing for <class '...EQ'>"
    description = MISSING_RE.sub(lambda m: f"incomplete {m.group(2)}: its {m.group(1)} is missing", description)
    line, col = info.get("line"), info.get("col")
    highlight = info.get("highlight") or ""
    if not line or not col:
        return (description, 0, len(sql))
    starts = [0]
    for i, ch in enumerate(sql):
        if ch == "\n":
            starts.append(i + 1)
    line_start = starts[min(line, len(starts)) - 1]
    end = min(line_start + col, len(sql))
    start = max(line_start, end - max(len(highlight), 1))
    return (description, start, end)


# ------------------------------------------------------------------ positions


def _unescape_tracked(body: str) -> tuple[list[str], list[int]]:
    """Like `syntax.strings.unescape`, remembering the raw offset of each resulting character."""
    chars: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch == "\\" and i + 1 < n:
            nxt = body[i + 1]
            if nxt == "u":
                j = i + 2
                while j < n and j < i + 6 and body[j] in "0123456789abcdefABCDEF":
                    j += 1
                digits = body[i + 2 : j]
                if len(digits) == 4:
                    chars.append(chr(int(digits, 16)))
                    offsets.append(i)
                else:
                    for k, c in enumerate("u" + digits):
                        chars.append(c)
                        offsets.append(i + 1 + k)
                i = j
                continue
            if nxt == "\n":
                i += 2
                continue
            chars.append(SIMPLE_ESCAPES.get(nxt, nxt))
            offsets.append(i + 1)
            i += 2
            continue
        chars.append(ch)
        offsets.append(i)
        i += 1
    return chars, offsets


def _indentation_rule_tracked(chars: list[str], offsets: list[int]) -> tuple[list[str], list[int]]:
    """Like `syntax.strings.normalize_multiline`, keeping the offsets."""
    pairs = [
        (c, o) for k, (c, o) in enumerate(zip(chars, offsets)) if not (c == "\r" and chars[k + 1 : k + 2] == ["\n"])
    ]
    lines: list[list[tuple[str, int]]] = [[]]
    for c, o in pairs:
        if c == "\n":
            lines.append([])
        else:
            lines[-1].append((c, o))
    newlines = [o for c, o in pairs if c == "\n"]
    first = 0
    while first < len(lines) and not "".join(c for c, _ in lines[first]).strip():
        first += 1
    lines = lines[first:]
    newlines = newlines[first:]
    if not lines:
        return [], []

    def indent(line: list[tuple[str, int]]) -> int:
        k = 0
        while k < len(line) and line[k][0] in " \t":
            k += 1
        return k

    texts = ["".join(c for c, _ in line) for line in lines]
    indents = [indent(line) for line, t in zip(lines, texts) if t.strip()]
    cut = min(indents) if indents else 0
    out_chars: list[str] = []
    out_offsets: list[int] = []
    for k, line in enumerate(lines):
        kept = line[cut:] if (texts[k].strip() or len(line) > cut) else []
        for c, o in kept:
            out_chars.append(c)
            out_offsets.append(o)
        if k < len(newlines):
            out_chars.append("\n")
            out_offsets.append(newlines[k])
    return out_chars, out_offsets


def sql_offsets(query: Query) -> list[int] | None:
    """Block offset of every character of `query.sql` (plus one past the end), or None when the
    raw text cannot be matched (then callers point at the whole string)."""
    span = query.sql_span
    if span is None:
        return None
    raw = span.text
    quote = 3 if raw.startswith("'''") else 1
    if len(raw) < 2 * quote:
        return None
    body = raw[quote:-quote]
    chars, offsets = _unescape_tracked(body)
    if quote == 3:
        chars, offsets = _indentation_rule_tracked(chars, offsets)
    if "".join(chars) != query.sql:
        return None
    base = span.start + quote
    out = [base + o for o in offsets]
    out.append((out[-1] + 1) if out else base)
    return out


def sql_span(query: Query, start: int, end: int, offsets: list[int] | None = None) -> Span | None:
    """The file span of `query.sql[start:end]` (the whole string when positions cannot be mapped; None
    for a Query with no place in a file)."""
    if offsets is None:
        offsets = sql_offsets(query)
    where = query.sql_span
    if where is None or offsets is None or not (0 <= start <= end <= len(offsets) - 1):
        return query.sql_span or query.span
    if end <= start:
        at = offsets[start]
        return where.sub(at, at)
    return where.sub(offsets[start], offsets[end - 1] + 1)


def node_range(node: exp.Expression) -> tuple[int, int] | None:
    """(start, end) offsets in the SQL of an identifier-like node (quotes included), from sqlglot's
    token positions."""
    target = node
    if isinstance(node, exp.Column | exp.Table):
        target = node.this
    meta = getattr(target, "meta", None) or {}
    if "start" in meta and "end" in meta:
        return meta["start"], meta["end"] + 1
    return None
