"""Parse one top-level block with the LALR grammar, recovering from syntax errors.

The fast path parses the whole block. When that fails, the block is parsed in pieces: its header (with
an empty body), then each body item on its own (items are separated by newlines at nesting 0), and
inside `indexes`/`checks`/`dependencies`/`records` item by item again. So every syntax error is
reported, each at its own place, and the items that are fine still reach the model. Work is linear in
the size of the block: each piece is parsed a bounded number of times.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from lark import Lark

from . import ast
from .blocks import find_body, first_word, skip_layout, split_items
from .builder import TreeBuilder
from .lalr import LalrDriver, ParseFailure
from .lexer import DbdslLexer, LexError
from .messages import describe_expected, describe_token

BLOCK_RULES = {
    "project": "project_block",
    "table": "table_block",
    "tablepartial": "partial_block",
    "enum": "enum_block",
    "ref": "ref_block",
    "tablegroup": "group_block",
    "note": "sticky_note_block",
    "records": "records_block",
    "use": "use_block",
    "reuse": "use_block",
    "diagramview": "view_block",
    "query": "query_block",
}
ITEM_RULES = {
    "project_block": "project_item",
    "table_block": "table_item",
    "partial_block": "table_item",
    "enum_block": "enum_item",
    "ref_block": "ref_item",
    "group_block": "group_item",
    "sticky_note_block": "note_text",
    "records_block": "records_item",
    "view_block": "view_item",
    "query_block": "query_item",
}
SUB_BLOCK_RULES = {
    "indexes": "index_item",
    "checks": "check_item",
    "dependencies": "dependency_item",
    "records": "records_item",
}
TOP_LEVEL_WORDS = "Project, Table, TablePartial, TableGroup, Enum, Ref, Note, Records, use, DiagramView or Query"


class SyntaxProblem(NamedTuple):
    """A syntax error; offsets are relative to the block."""

    start: int
    end: int
    message: str


class BlockParse(NamedTuple):
    """Result of parsing one block: the tree (None when even the header is unreadable) and errors."""

    block: ast.Block | None
    problems: tuple[SyntaxProblem, ...]


def grammar_text() -> str:
    """The grammar, from the installed package (wheel) or from the source tree (editable install)."""
    packaged = resources.files("dbdsl").joinpath("grammar").joinpath("dbdsl.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    source_tree = Path(__file__).resolve().parents[2] / "grammar" / "dbdsl.lark"
    return source_tree.read_text(encoding="utf-8")


class BlockParser:
    """Owns the Lark parser; one instance per thread (Lark parsers are not thread-safe)."""

    def __init__(self) -> None:
        self.builder = TreeBuilder()
        starts = sorted(set(BLOCK_RULES.values()) | set(ITEM_RULES.values()) | set(SUB_BLOCK_RULES.values()))
        self.lark = Lark(
            grammar_text(),
            parser="lalr",
            lexer=DbdslLexer,
            start=starts,
            maybe_placeholders=True,
            cache=True,  # Lark keeps the LALR tables in the temp folder, keyed by a hash of the grammar
        )
        self.driver = LalrDriver(self.lark, self.builder)

    # ------------------------------------------------------------ entry point

    def parse_block(self, text: str) -> BlockParse:
        word = first_word(text)
        rule = BLOCK_RULES.get(word)
        if rule is None:
            end = len(word) or min(len(text), max(1, text.find("\n") if "\n" in text else len(text)))
            shown = text[:end]
            return BlockParse(None, (SyntaxProblem(0, end, f"unexpected '{shown}'; expected {TOP_LEVEL_WORDS}"),))
        problems: list[SyntaxProblem] = []
        block = self._parse(text, 0, len(text), rule, problems)
        if block is not None:
            return BlockParse(block, tuple(problems))
        problems.clear()
        block = self._recover_block(text, rule, problems)
        if not problems:  # recovery parsed what the whole parse rejected: keep the first error
            self._parse(text, 0, len(text), rule, problems)
        problems.sort()
        return BlockParse(block, tuple(problems))

    # ------------------------------------------------------------ pieces

    def _parse(self, text: str, start: int, end: int, rule: str, problems: list[SyntaxProblem]) -> Any:
        """Parse text[start:end] with `rule`; on failure record one problem and return None."""
        builder = self.builder
        builder.problems = []
        try:
            result = self.driver.parse(text, start, end, rule)
        except LexError as e:
            problems.append(SyntaxProblem(e.start, max(e.end, e.start + 1), e.message))
            return None
        except ParseFailure as e:
            problems.append(self._problem(e, start, end))
            return None
        for s, e_, message in builder.problems:
            problems.append(SyntaxProblem(s, e_, message))
        return result

    def _problem(self, error: ParseFailure, start: int, end: int) -> SyntaxProblem:
        expected = describe_expected(error.expected)
        tok = error.token
        if tok.type != "$END":
            return SyntaxProblem(tok.start_pos, tok.end_pos, f"unexpected {describe_token(tok)}; expected {expected}")
        last = max(start, end - 1)
        return SyntaxProblem(last, end, f"unexpected end of line; expected {expected}")

    def _recover_block(self, text: str, rule: str, problems: list[SyntaxProblem]) -> ast.Block | None:
        item_rule = ITEM_RULES.get(rule)
        body = find_body(text, 0, len(text))
        if item_rule is None or body is None:
            self._parse(text, 0, len(text), rule, problems)
            return None
        open_at, close_at = body
        header = self._parse(text[: open_at + 1] + "\n}", 0, open_at + 3, rule, problems)
        body_end = close_at if close_at is not None else len(text)
        if close_at is None:
            problems.append(SyntaxProblem(max(0, len(text) - 1), len(text), "this block is never closed; expected '}'"))
        elif text[close_at + 1 :].strip() and not _only_comments(text[close_at + 1 :]):
            problems.append(
                SyntaxProblem(close_at + 1, len(text), "unexpected text after the closing '}'; start a new line")
            )
        items = self._recover_items(text, open_at + 1, body_end, item_rule, problems)
        if header is None:
            return None
        if rule == "records_block":
            records = header.items[0]
            rows = tuple(i[0] for i in items)
            spans = tuple((i[1], i[2]) for i in items)
            items = [records._replace(rows=rows, row_spans=spans, end=min(body_end + 1, len(text)))]
        elif rule == "sticky_note_block":
            items = [ast.NoteElement(self.builder.string_body(t), t.start_pos, t.end_pos) for t in items]
        elif rule == "query_block":
            items = [self.builder.value_of(i) if not isinstance(i, ast.NoteElement) else i for i in items]
        end = close_at + 1 if close_at is not None else len(text)
        return header._replace(items=tuple(items), body=ast.Body(open_at + 1, body_end), end=end)

    def _recover_items(self, text: str, start: int, end: int, rule: str, problems: list[SyntaxProblem]) -> list:
        items = []
        for s, e in split_items(text, start, end):
            item = self._parse(text, s, e, rule, problems)
            if item is None and rule == "table_item":
                item = self._recover_sub_block(text, s, e, problems)
            if item is not None:
                items.append(item)
        return items

    def _recover_sub_block(self, text: str, start: int, end: int, problems: list[SyntaxProblem]) -> Any:
        """Re-parse a failed `indexes { }`-like table item element by element."""
        word = first_word(text[start : start + 20])
        sub_rule = SUB_BLOCK_RULES.get(word)
        body = find_body(text, start, end)
        if sub_rule is None or body is None:
            return None
        whole_item_problem = problems.pop()
        known = len(problems)
        open_at, close_at = body
        body_end = close_at if close_at is not None else end
        if close_at is None:
            problems.append(SyntaxProblem(max(start, end - 1), end, f"'{word}' is never closed; expected '}}'"))
        elements = self._recover_items(text, open_at + 1, body_end, sub_rule, problems)
        if len(problems) == known:  # the elements are fine: the error is in the header line
            problems.append(whole_item_problem)
        close_end = close_at + 1 if close_at is not None else end
        if word == "records":
            return ast.Records(
                None, None, tuple(r[0] for r in elements), tuple((r[1], r[2]) for r in elements), start, close_end
            )
        return ast.SubBlock(word, tuple(elements), open_at + 1, body_end, start, close_end)


def _only_comments(text: str) -> bool:
    return skip_layout(text, 0) >= len(text)


_local = threading.local()


def _parser() -> BlockParser:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = BlockParser()
    return parser


class ParseCache:
    """Parses by block text, the most recently used kept up to a total length of text.

    Every keystroke makes a new text of the block being edited; a cache bounded by a count of entries
    kept thousands of stale syntax trees alive over an editing session. Bounded by the length of the
    texts, it holds a few large files whole (the formatter and the fixes parse the analysed blocks
    again) and what an edit left behind is dropped once newer texts fill it."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.chars = 0
        self._parses: OrderedDict[str, BlockParse] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._parses)

    def get(self, text: str) -> BlockParse:
        with self._lock:
            got = self._parses.get(text)
            if got is not None:
                self._parses.move_to_end(text)
                return got
        got = _parser().parse_block(text)
        with self._lock:
            if text not in self._parses:
                self._parses[text] = got
                self.chars += len(text)
                while self.chars > self.max_chars and len(self._parses) > 1:
                    old, _ = self._parses.popitem(last=False)
                    self.chars -= len(old)
        return got


PARSES = ParseCache(max_chars=4_000_000)  # four 25,000-line files; their trees take some 70 MB


def parse_block(text: str) -> BlockParse:
    """Parse a block's text; unchanged blocks are not parsed again (see `ParseCache`)."""
    return PARSES.get(text)
