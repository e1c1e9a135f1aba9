"""Completion in context: what may be written at the cursor.

The block under the cursor is scanned up to the cursor (it may not parse while the user types): the
brackets still open say where the cursor is (a block body, `indexes { }`, a setting list, a column
list), and the tokens of the current line or setting say what comes next. Names come from the last
analysis of the file (tables, aliases, columns, enums, partials), so they are schema and alias aware.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from sqlglot.tokens import Token as SqlToken
from sqlglot.tokens import TokenType

from ..dialects import DIALECTS, resolve
from ..emit.dsl import name as dbml_name
from ..model.schema import DEFAULT_SCHEMA, Schema, Table
from ..model.settings import ACTION, ACTIONS, INDEX_TYPE, INDEX_TYPES, LITERAL, PROJECT_FACTS, REF, SPECS, TABLE_FACTS
from ..model.types import BOOLEAN_TYPES
from ..syntax.scan import Token, scan
from ..workspace import BlockEntry
from .index import FileView
from .sql import TABLE_INTRODUCERS, scan_sql, tokenize
from .types import spelled

MAX_ITEMS = 200  # more candidates than this: the best matches of the typed prefix, marked incomplete
WORD_BEFORE = re.compile(r"\w*\Z")

TOP_LEVEL = (
    ("Table", "Table ${1:name} {\n\t$0\n}", "a table"),
    ("Ref", "Ref: ${1:table}.${2:column} > ${3:table}.${4:column}", "a relationship"),
    ("Enum", "Enum ${1:name} {\n\t$0\n}", "an enum type"),
    ("TableGroup", "TableGroup ${1:name} {\n\t$0\n}", "a group of tables"),
    ("TablePartial", "TablePartial ${1:name} {\n\t$0\n}", "columns and indexes to inject into tables with ~name"),
    ("Note", "Note ${1:name} {\n\t'''\n\t$0\n\t'''\n}", "a sticky note"),
    ("Project", "Project ${1:name} {\n\tdatabase_type: '${2:PostgreSQL}'\n}", "the project and its design facts"),
    ("Records", "Records ${1:table}(${2:columns}) {\n\t$0\n}", "sample rows of a table"),
    (
        "Query",
        "Query ${1:name} [frequency: '${2:100/min}', target: '${3:10ms}'] {\n\t'''\n\t$0\n\t'''\n}",
        "an access pattern",
    ),
    ("use", "use * from './${1:file}'", "import another file"),
    ("reuse", "reuse * from './${1:file}'", "import another file and pass it on"),
    ("DiagramView", "DiagramView ${1:name} {\n\tTables {\n\t\t$0\n\t}\n}", "a view of the diagram"),
)
TABLE_ITEMS = (
    ("indexes", "indexes {\n\t$0\n}", "the table's indexes"),
    ("checks", "checks {\n\t`$0`\n}", "CHECK constraints"),
    ("Note", "Note: '$0'", "a note on the table"),
    ("dependencies", "dependencies {\n\t${1:column} -> $0\n}", "functional dependencies (dbdsl)"),
    ("Records", "Records {\n\t$0\n}", "sample rows"),
)
VIEW_SECTIONS = ("Tables", "TableGroups", "Notes", "Schemas")
IMPORT_KINDS = ("table", "enum", "tablepartial", "tablegroup", "note", "schema")
OPERATORS = ((">", "many-to-one"), ("<", "one-to-many"), ("-", "one-to-one"), ("<>", "many-to-many"))
EXPRESSION_DEFAULTS = {
    "timestamp": "`now()`",
    "timestamptz": "`now()`",
    "datetime": "`CURRENT_TIMESTAMP`",
    "date": "`CURRENT_DATE`",
    "uuid": "`gen_random_uuid()`",
}


class Item(NamedTuple):
    label: str
    kind: (
        str  # keyword, snippet, type, table, alias, schema, column, enum, enum_value, partial, setting, value, operator
    )
    detail: str | None = None
    insert: str | None = None  # plain text (default: label)
    snippet: str | None = None  # snippet syntax, for clients that take snippets
    sort: str | None = None


class Completion(NamedTuple):
    items: list[Item]
    start: int  # the range the chosen item replaces (the word being typed), absolute code points
    end: int
    incomplete: bool = False


class Frame(NamedTuple):
    opener: str
    head: list[Token]  # the tokens of the line or item before the bracket


def complete(view: FileView, offset: int, dialect: str | None = None) -> Completion:
    text = view.text
    offset = max(0, min(offset, len(text)))
    start = _word_start(text, offset)
    entry = _entry_before(view, offset)
    if entry is None:
        items = _top_level() if _at_line_start(text, start) else []
        return Completion(items, start, offset)
    ctx = _Context(view, entry, offset - entry.anchor.offset, start - entry.anchor.offset, dialect)
    items = ctx.run()
    if ctx.sql_start is not None:
        start = ctx.sql_start + entry.anchor.offset
    if len(items) <= MAX_ITEMS:
        return Completion(items, start, offset)
    # a large schema: the editor asks again as the user types, and gets the matches of the longer prefix
    return Completion(_best(items, text[start:offset].lstrip('"')), start, offset, incomplete=True)


def _best(items: list[Item], prefix: str) -> list[Item]:
    """The items whose label matches the prefix (starts with it, then contains it, then has its
    letters in order), best first, at most MAX_ITEMS."""
    p = prefix.lower()
    ranked = []
    for i, item in enumerate(items):
        label = item.label.lower()
        if label.startswith(p):
            rank = 0
        elif p in label:
            rank = 1
        elif _subsequence(p, label):
            rank = 2
        else:
            continue
        ranked.append((rank, i, item))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [item for _, _, item in ranked[:MAX_ITEMS]]


def _subsequence(p: str, label: str) -> bool:
    pos = 0
    for ch in p:
        pos = label.find(ch, pos) + 1
        if pos == 0:
            return False
    return True


def _word_start(text: str, offset: int) -> int:
    """Where the word being typed starts: a name, or a double-quoted name still open."""
    line_start = text.rfind("\n", 0, offset) + 1
    quote = text.rfind('"', line_start, offset)
    if quote >= 0 and text.count('"', line_start, quote) % 2 == 0:
        return quote  # `"my na|`: the quote opens the name being typed
    m = WORD_BEFORE.search(text, line_start, offset)
    return m.start() if m else offset


def _entry_before(view: FileView, offset: int) -> BlockEntry | None:
    """The last block that starts before the cursor: the cursor is in it, or after it (which the scan
    of that block up to the cursor tells: an unclosed block goes on to the cursor)."""
    entries = view.analysis.source.entries
    lo, hi = 0, len(entries)
    while lo < hi:
        mid = (lo + hi) // 2
        if entries[mid].start < offset:
            lo = mid + 1
        else:
            hi = mid
    return entries[lo - 1] if lo else None


def _at_line_start(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip()


def _top_level() -> list[Item]:
    return [Item(w, "snippet", detail, w, snippet, f"0{i:02}") for i, (w, snippet, detail) in enumerate(TOP_LEVEL)]


class _Context:
    def __init__(self, view: FileView, entry: BlockEntry, rel: int, word_start: int, dialect: str | None) -> None:
        self.view = view
        self.schema: Schema = view.schema
        self.entry = entry
        full = view.text
        self.text = full[entry.start : max(entry.end, entry.start + rel)]
        self.rel = rel
        self.word_start = word_start
        self.dialect = resolve(schema=self.schema, setting=dialect)
        self.sql_start: int | None = None  # where the replaced word starts inside a Query's SQL

    # ------------------------------------------------------------ scanning

    def run(self) -> list[Item]:
        first = next((t for t in scan(self.text) if t.kind == "WORD"), None)
        self.block_word = first.text.lower() if first is not None else ""
        stack: list[Frame] = []
        segment: list[Token] = []
        for tok in scan(self.text, 0, len(self.text), layout=True):
            if tok.start >= self.word_start:
                break  # the word being typed
            if tok.end > self.word_start or (tok.end == self.rel and tok.kind in ("LINE_COMMENT", "ERROR")):
                return self._inside(tok)
            if tok.kind in ("WS", "LINE_COMMENT", "BLOCK_COMMENT"):
                continue
            if tok.kind == "NL":
                if stack and stack[-1].opener == "(":
                    stack.pop()
                if not stack or stack[-1].opener == "{":
                    segment = []
                continue
            if tok.kind == "PUNCT" and tok.text in "{[(":
                stack.append(Frame(tok.text, segment))
                segment = []
            elif tok.kind == "PUNCT" and tok.text in "}])":
                opener = {"}": "{", "]": "[", ")": "("}[tok.text]
                while stack:
                    frame = stack.pop()
                    if frame.opener == opener:
                        segment = [*frame.head, tok]
                        break
            elif tok.kind == "PUNCT" and tok.text == "," and stack and stack[-1].opener in "[(":
                segment = []
            else:
                segment.append(tok)
        return self._complete(stack, segment)

    def _inside(self, tok: Token) -> list[Item]:
        """The cursor is inside a string or a comment: only a Query's SQL has completions."""
        is_string = tok.kind in ("STRING", "MULTILINE_STRING") or (tok.kind == "ERROR" and tok.text.startswith("'"))
        if is_string and self.block_word == "query":
            return self._sql(tok)
        return []

    # ------------------------------------------------------------ contexts

    def _complete(self, stack: list[Frame], segment: list[Token]) -> list[Item]:
        kind = self.block_word
        if not stack:
            if kind == "ref" and any(t.text == ":" for t in segment):
                after = segment[[t.text for t in segment].index(":") + 1 :]
                return self._endpoint(after)
            if not segment:
                return _top_level()
            return []
        top = stack[-1]
        if top.opener == "[":
            return self._settings(stack, segment)
        if top.opener == "(":
            return self._parenthesis(stack, segment)
        if len(stack) == 1:
            return self._body(kind, segment)
        inner = top.head[0].text.lower() if top.head else ""
        if inner in ("indexes", "dependencies"):
            return self._columns(self._owner_table())
        if kind == "diagramview":
            section = inner
            if section == "tables":
                return self._tables()
            if section == "tablegroups":
                return [Item(g.name, "keyword", "table group", dbml_name(g.name)) for g in self.schema.groups]
            if section == "notes":
                return [Item(n.name, "keyword", "sticky note", dbml_name(n.name)) for n in self.schema.notes]
        return []

    def _body(self, kind: str, segment: list[Token]) -> list[Item]:
        if kind in ("table", "tablepartial"):
            if not segment:
                items = [Item(w, "keyword", d, w, s, f"1{i}") for i, (w, s, d) in enumerate(TABLE_ITEMS)]
                items.append(Item("~", "keyword", "inject a table partial", "~", None, "19"))
                return items
            if len(segment) == 1 and segment[0].text == "~":
                return [Item(p.name, "partial", "table partial", dbml_name(p.name)) for p in self.schema.partials]
            if len(segment) == 1 and segment[0].kind in ("WORD", "QUOTED_NAME"):
                return self._types()
            if len(segment) == 3 and segment[-1].text == ".":
                schema = segment[1].name
                return [
                    Item(e.name, "enum", f"enum {e.qualified}", dbml_name(e.name))
                    for e in self.schema.enums
                    if e.schema == schema
                ]
            return []
        if kind == "ref":
            return self._endpoint(segment)
        if kind == "tablegroup":
            return self._tables() if not segment else []
        if kind == "project" and not segment:
            keys = ["database_type", *PROJECT_FACTS]
            items = [Item(k, "setting", "project setting", f"{k}: ", f"{k}: $0") for k in keys]
            items.append(Item("Note", "keyword", "the project's note", "Note: ", "Note: '$0'"))
            return items
        if kind == "project" and len(segment) >= 2 and segment[0].text.lower() == "database_type":
            names = ("PostgreSQL", "MySQL", "SQLite", "SQL Server", "Oracle", "Snowflake")
            return [Item(n, "value", "database type", f"'{n}'") for n in names]
        if kind == "diagramview" and not segment:
            return [Item(s, "keyword", "diagram section", f"{s} {{", f"{s} {{\n\t$0\n}}") for s in VIEW_SECTIONS]
        if kind in ("use", "reuse") and not segment:
            return [Item(k, "keyword", "imported element kind", f"{k} ") for k in IMPORT_KINDS]
        return []

    def _parenthesis(self, stack: list[Frame], segment: list[Token]) -> list[Item]:
        head = stack[-1].head
        words = [t.text.lower() for t in head]
        if (
            len(stack) >= 2
            and stack[-2].opener == "{"
            and stack[-2].head
            and stack[-2].head[0].text.lower() == "indexes"
        ):
            return self._columns(self._owner_table())
        if words[:1] == ["records"]:
            if len(stack) == 1:  # Records table(...)
                parts = tuple(t.name for t in head[1:] if t.kind in ("WORD", "QUOTED_NAME"))
                return self._columns(self._table(parts))
            return self._columns(self._owner_table())
        if head and head[-1].text == ".":  # an endpoint's column tuple: table.(a, b)
            return self._columns(self._table(_name_parts(head[:-1])))
        if len(stack) >= 2 and stack[-2].opener == "[":
            key = _setting_key(head)
            if key == "include":
                return self._columns(self._owner_table())
        return []

    # ------------------------------------------------------------ settings

    def _settings(self, stack: list[Frame], segment: list[Token]) -> list[Item]:
        context = self._settings_context(stack)
        if context is None:
            return []
        spec = SPECS[context]
        if any(t.text == ":" for t in segment):
            i = [t.text for t in segment].index(":")
            key = " ".join(t.text.lower() for t in segment[:i])
            return self._setting_value(context, key, spec.get(key), segment[i + 1 :], stack)
        if segment:
            return []  # a key being written after a word: `not n|` is handled by the prefix
        keys = list(spec)
        if context == "column":
            keys += ["primary key", "not null"]
        if context == "table":
            keys = [k for k in keys if k not in TABLE_FACTS] + list(TABLE_FACTS)
        items = []
        for i, key in enumerate(dict.fromkeys(keys)):
            kind = spec.get("pk" if key == "primary key" else key)
            if kind in (None, "flag") or key in ("not null", "null", "primary key"):
                items.append(Item(key, "setting", f"{context} setting", key, None, f"{i:03}"))
            else:
                items.append(Item(key, "setting", f"{context} setting", f"{key}: ", f"{key}: $0", f"{i:03}"))
        return items

    def _settings_context(self, stack: list[Frame]) -> str | None:
        kind = self.block_word
        if len(stack) == 1:
            return {
                "table": "table",
                "tablepartial": "partial",
                "enum": "enum",
                "ref": "ref",
                "tablegroup": "group",
                "note": "note",
                "query": "query",
                "project": "project",
            }.get(kind)
        enclosing = stack[-2]
        if enclosing.opener != "{":
            return None
        if len(stack) == 2:
            if kind in ("table", "tablepartial"):
                return "column"
            return {"enum": "enum_value", "ref": "ref"}.get(kind)
        inner = enclosing.head[0].text.lower() if enclosing.head else ""
        return {"indexes": "index", "checks": "check"}.get(inner)

    def _setting_value(
        self, context: str, key: str, kind: str | None, value: list[Token], stack: list[Frame]
    ) -> list[Item]:
        if kind == ACTION:
            return [Item(a, "value", f"on {key}", a) for a in ACTIONS]
        if kind == INDEX_TYPE:
            return [Item(t, "value", "index type", t) for t in INDEX_TYPES]
        if kind == REF:
            if not value:
                return [Item(op, "operator", words, f"{op} ") for op, words in OPERATORS]
            if value[0].kind == "REL_OP":
                return self._endpoint(value[1:])
            return []
        if kind == LITERAL and context == "column" and not value:
            return self._defaults(stack[-1].head)
        return []

    def _defaults(self, column_head: list[Token]) -> list[Item]:
        """Values for `default:` that fit the column's type."""
        names = [t for t in column_head if t.kind in ("WORD", "QUOTED_NAME", "PUNCT")]
        type_parts: list[str] = []
        for t in names[1:]:
            if t.kind == "PUNCT" and t.text != ".":
                break
            if t.kind != "PUNCT":
                type_parts.append(t.name)
        items = [Item("null", "value", "no value", "null")]
        if not type_parts:
            return items
        key = (DEFAULT_SCHEMA, type_parts[-1]) if len(type_parts) == 1 else (type_parts[-2], type_parts[-1])
        enum = self.schema.enum(key)
        if enum is not None:
            prefix = dbml_name(enum.name) if enum.schema == DEFAULT_SCHEMA else f"{enum.schema}.{dbml_name(enum.name)}"
            items.extend(
                Item(v.name, "enum_value", f"value of enum {enum.qualified}", f"{prefix}.{dbml_name(v.name)}")
                for v in enum.values
            )
            return items
        base = type_parts[-1].lower()
        if base in BOOLEAN_TYPES:
            items[:0] = [Item("true", "value", "boolean", "true"), Item("false", "value", "boolean", "false")]
        if base in EXPRESSION_DEFAULTS:
            expression = EXPRESSION_DEFAULTS[base]
            items.insert(0, Item(expression, "value", "SQL expression", expression))
        return items

    # ------------------------------------------------------------ names

    def _owner_table(self) -> Table | None:
        block = self.entry.parse.block
        if block is not None and block.name is not None:
            parts = block.name.parts
            if block.kind == "table":
                return self.schema.table((DEFAULT_SCHEMA, parts[0]) if len(parts) == 1 else (parts[-2], parts[-1]))
            if block.kind == "partial":
                partial = next((p for p in self.schema.partials if p.name == block.name.dotted), None)
                return Table(partial.name, columns=partial.columns) if partial is not None else None
        tokens = [t for t in scan(self.text) if t.kind in ("WORD", "QUOTED_NAME", "PUNCT")]
        names: list[str] = []
        for t in tokens[1:]:
            if t.kind == "PUNCT" and t.text != ".":
                break
            if t.kind != "PUNCT":
                if t.text.lower() == "as":
                    break
                names.append(t.name)
        return self._table(tuple(names)) if names else None

    def _table(self, parts: tuple[str, ...]) -> Table | None:
        return self.schema.find_table(parts)[0]

    def _columns(self, table: Table | None) -> list[Item]:
        if table is None:
            return []
        return [
            Item(c.name, "column", c.type.text, dbml_name(c.name), None, f"{i:05}") for i, c in enumerate(table.columns)
        ]

    def _tables(self, schema_name: str | None = None) -> list[Item]:
        items = []
        for t in self.schema.tables:
            if schema_name is not None and t.schema != schema_name:
                continue
            label = t.name if schema_name is not None or t.schema == DEFAULT_SCHEMA else t.qualified
            insert = dbml_name(t.name) if label == t.name else f"{dbml_name(t.schema)}.{dbml_name(t.name)}"
            items.append(Item(label, "table", t.note.splitlines()[0] if t.note else "table", insert))
            if t.alias and schema_name is None:
                items.append(Item(t.alias, "alias", f"alias of {t.qualified}", dbml_name(t.alias)))
        if schema_name is None:
            schemas = sorted({t.schema for t in self.schema.tables if t.schema != DEFAULT_SCHEMA})
            items.extend(Item(s, "schema", "schema", dbml_name(s)) for s in schemas)
        return items

    def _types(self) -> list[Item]:
        items = [
            Item(e.qualified, "enum", "enum", _qualified_name(e.schema, e.name), None, "0") for e in self.schema.enums
        ]
        for i, t in enumerate(DIALECTS[self.dialect].completion_types):
            written = spelled(t)
            items.append(Item(written.strip('"'), "type", f"{self.dialect} type", written, None, f"1{i:03}"))
        return items

    def _endpoint(self, tokens: list[Token]) -> list[Item]:
        """An endpoint being written: `table`, `schema.table`, `table.column` or `table.(a, b)`."""
        ops = [i for i, t in enumerate(tokens) if t.kind == "REL_OP"]
        current = tokens[ops[-1] + 1 :] if ops else tokens
        if not current:
            return self._tables()
        if current[-1].text == ".":
            parts = _name_parts(current[:-1])
            table = self._table(parts)
            if table is not None:
                return self._columns(table)
            if len(parts) == 1:
                return self._tables(schema_name=parts[0])
            return []
        if not ops and self.word_start == self.rel:
            return [Item(op, "operator", words, f"{op} ") for op, words in OPERATORS]
        return []

    # ------------------------------------------------------------ SQL inside a Query

    def _sql(self, tok: Token) -> list[Item]:
        quote = 3 if tok.text.startswith("'''") else 1
        sql_start = tok.start + quote
        sql_end = tok.end - quote if tok.kind != "ERROR" else tok.end
        sql = self.text[sql_start:sql_end]
        before = self.text[sql_start : self.rel]
        m = WORD_BEFORE.search(before)
        word = m.start() if m else len(before)
        self.sql_start = sql_start + word
        scan_result = scan_sql(sql)
        tokens = tokenize(before[:word])
        if tokens and tokens[-1].token_type == TokenType.DOT and len(tokens) >= 2:
            qualifier = tokens[-2].text
            parts = scan_result.aliases.get(qualifier, (qualifier,))
            return self._columns(self._table(parts))
        last = tokens[-1].token_type if tokens else None
        if last in TABLE_INTRODUCERS or (last == TokenType.COMMA and _in_from(tokens)):
            return self._tables()
        items: list[Item] = []
        seen = set()
        for parts in scan_result.tables:
            table = self._table(parts)
            if table is None:
                continue
            for c in table.columns:
                if c.name not in seen:
                    seen.add(c.name)
                    items.append(Item(c.name, "column", f"{table.qualified}.{c.name} {c.type.text}", c.name))
        items.extend(self._tables())
        return items


def _qualified_name(schema: str, name: str) -> str:
    return dbml_name(name) if schema == DEFAULT_SCHEMA else f"{dbml_name(schema)}.{dbml_name(name)}"


def _in_from(tokens: Sequence[SqlToken]) -> bool:
    for tok in reversed(tokens):
        if tok.token_type == TokenType.FROM:
            return True
        if tok.token_type in (TokenType.SELECT, TokenType.WHERE, TokenType.ON, TokenType.GROUP_BY):
            return False
    return False


def _name_parts(tokens: list[Token]) -> tuple[str, ...]:
    return tuple(t.name for t in tokens if t.kind in ("WORD", "QUOTED_NAME"))


def _setting_key(tokens: list[Token]) -> str:
    words = []
    for t in tokens:
        if t.text == ":":
            break
        words.append(t.text.lower())
    return " ".join(words)
