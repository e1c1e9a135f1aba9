"""Cut source text into top-level blocks, and block bodies into items.

The scanner only looks at what can hide or change nesting: strings (including `'''` strings),
quoted names, backtick expressions, both comment kinds, brackets and newlines. A top-level block ends
at the first newline where nesting is back to zero (unless the next line opens the block's body with
`{` or `[`), or right after its closing `}` when another block starts on the same line. When a block
never closes its brace, a line that starts at column 0 with a block header (`Table x {`, `Ref: ...`)
starts a new block, so one missing `}` does not swallow the rest of the file (whatever the line
endings: a header line may end with CRLF).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# strings, quoted names, backtick expressions and comments, each also when left open (to the end of the
# line for a string or a quoted name, to the end of the text otherwise): what a scan for the structure
# steps over (group names as the lexer's tokens; `syntax.scan` finds comments with it); unrolled loops
# over runs of characters keep the cost of a long string or comment linear (see `lexer.py`)
QUOTED_AND_COMMENTS = r"""
     (?P<MULTILINE_STRING>'''[^\\']*(?:(?:\\[\s\S]|'(?!''))[^\\']*)*(?:'''|\Z))
    |(?P<STRING>'[^'\\\n]*(?:\\.[^'\\\n]*)*(?:'|(?=\n)|\Z))
    |(?P<QUOTED_NAME>"[^"\\\n]*(?:\\.[^"\\\n]*)*(?:"|(?=\n)|\Z))
    |(?P<EXPRESSION>`[^`]*(?:`|\Z))
    |(?P<LINE_COMMENT>//[^\n]*)
    |(?P<BLOCK_COMMENT>/\*[^*]*(?:\*(?!/)[^*]*)*(?:\*/|\Z))
"""
SCAN_RE = re.compile(
    QUOTED_AND_COMMENTS
    + r"""
    |(?P<open>[{\[(])
    |(?P<close>[}\])])
    |(?P<nl>\n)
    """,
    re.VERBOSE,
)
# from a point of the scan to the next bracket or newline: ordinary characters, and strings, quoted names,
# expressions and comments taken whole (a bracket inside one does not count); one match per bracket or
# newline instead of one per string and name. It always matches: what follows the match is a bracket,
# a newline, the end, or a quote that starts no string (an ordinary character, as SCAN_RE skips it)
_ORDINARY = r"[^'\"`/{}()\[\]\n]*"
STRUCTURE_RE = re.compile(
    _ORDINARY + r"(?:(?:" + QUOTED_AND_COMMENTS + r"|/(?![/*]))" + _ORDINARY + r")*",
    re.VERBOSE,
)
OPENERS = "{[("
CLOSERS = "}])"
SKIP_RE = re.compile(r"[ \t\r\f\n\ufeff]*(?:(?://[^\n]*|/\*[^*]*(?:\*(?!/)[^*]*)*(?:\*/|\Z))[ \t\r\f\n\ufeff]*)*")
HEADER_RE = re.compile(
    r"""(?ix)
    (?: (?:table|tablepartial|tablegroup|enum|project|diagramview|query|records)\b[^\n{}]*\{[ \t\r]*(?://[^\n]*)?$
      | note[ \t]+\w+[^\n{}]*\{[ \t\r]*(?://[^\n]*)?$
      | ref\b[^\n:{\[]*:
      | ref\b[^\n:{]*\{[ \t\r]*$
      | (?:use|reuse)[ \t]+(?:\*|\{)
    )""",
    re.MULTILINE,
)
# a block that starts on the line where the previous one closed: `Table a { id int }Table b { ... }`
NEXT_BLOCK_RE = re.compile(
    r"[ \t]*(?:table|tablepartial|tablegroup|enum|project|diagramview|query|records|ref|note|use|reuse)\b",
    re.IGNORECASE,
)
FIRST_WORD_RE = re.compile(r"[^\W\d]\w*")
OPENER_OF = {"}": "{", "]": "[", ")": "("}


class _Nesting:
    """The brackets open at a point of the scan. A closer closes up to its matching opener, so that a `[`
    or `(` left open inside a `{ }` body does not swallow the rest of the file; a closer that matches
    nothing open is ignored. Parentheses never span lines in DBML: a `(` still open at the end of a
    line is dropped. The count of each opener makes "is one open?" constant time (a long run of
    unmatched closers stays linear)."""

    __slots__ = ("counts", "stack")

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.counts = {"{": 0, "[": 0, "(": 0}

    def __len__(self) -> int:
        return len(self.stack)

    def open(self, ch: str) -> None:
        self.stack.append(ch)
        self.counts[ch] += 1

    def close(self, ch: str) -> None:
        opener = OPENER_OF[ch]
        if self.counts[opener]:
            while True:
                top = self.stack.pop()
                self.counts[top] -= 1
                if top == opener:
                    return

    def end_of_line(self) -> None:
        stack = self.stack
        while stack and stack[-1] == "(":
            stack.pop()
            self.counts["("] -= 1


class RawBlock(NamedTuple):
    """A top-level block: its text and where it starts in the file."""

    text: str
    start: int  # offset in the file (code points)
    line: int  # 0-based line of `start`
    column: int  # 0-based column of `start`


def split_blocks(text: str) -> list[RawBlock]:
    """Top-level blocks of `text`, in order, with their positions."""
    blocks: list[RawBlock] = []
    n = len(text)
    line = 0
    line_start = 0
    pos = skip_layout(text, 0)
    line, line_start = _advance_lines(text, 0, pos, line, line_start)
    while pos < n:
        end = block_end_from(text, pos)
        blocks.append(RawBlock(text[pos:end], pos, line, pos - line_start))
        nxt = skip_layout(text, end)
        line, line_start = _advance_lines(text, pos, nxt, line, line_start)
        pos = nxt
    return blocks


def _advance_lines(text: str, frm: int, to: int, line: int, line_start: int) -> tuple[int, int]:
    count = text.count("\n", frm, to)
    if count:
        line += count
        line_start = text.rfind("\n", frm, to) + 1
    return line, line_start


def skip_layout(text: str, pos: int) -> int:
    return _skip_end(text, pos, len(text))


def _events(text: str, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """Brackets and newlines of text[start:end] outside strings and comments, with the nesting depth:
    (the character, its offset, depth) where depth is taken before an opening bracket and after the
    others."""
    stack = _Nesting()
    match = STRUCTURE_RE.match
    pos = start
    while True:
        m = match(text, pos, end)
        assert m is not None  # the pattern matches the empty string
        at = m.end()
        if at >= end:
            return
        ch = text[at]
        pos = at + 1
        if ch == "\n":
            stack.end_of_line()
            yield ch, at, len(stack)
        elif ch in OPENERS:
            yield ch, at, len(stack)
            stack.open(ch)
        elif ch in CLOSERS:
            stack.close(ch)
            yield ch, at, len(stack)


def block_end_from(text: str, start: int) -> int:
    """End offset (exclusive) of the block starting at `start`; trailing layout is not included."""
    n = len(text)
    for ch, at, depth in _events(text, start, n):
        if ch != "\n":
            if depth == 0 and ch in CLOSERS and NEXT_BLOCK_RE.match(text, at + 1):
                return at + 1
            continue
        if depth == 0:
            nxt = skip_layout(text, at + 1)
            if nxt < n and text[nxt] in "{[":
                continue  # the header goes on, e.g. `Table t` then `{` on the next line
            return _trim_end(text, start, at)
        if HEADER_RE.match(text, at + 1):
            return _trim_end(text, start, at)
    return _trim_end(text, start, n)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\r\n\f":
        end -= 1
    return end


def split_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Items of a body `text[start:end]` (between its braces): runs separated by newlines at nesting 0.

    Each item is trimmed of surrounding layout; empty lines and comment-only lines yield nothing.
    """
    items: list[tuple[int, int]] = []
    item_start = _skip_layout_limited(text, start, end)
    for ch, at, depth in _events(text, start, end):
        if ch != "\n" or depth or at < item_start:
            continue
        item_end = _trim_end(text, item_start, at)
        if item_end > item_start and not _is_layout_only(text, item_start, item_end):
            items.append((item_start, item_end))
        item_start = _skip_layout_limited(text, at + 1, end)
    if item_start < end and not _is_layout_only(text, item_start, end):
        items.append((item_start, _trim_end(text, item_start, end)))
    return items


def _skip_layout_limited(text: str, pos: int, end: int) -> int:
    return min(_skip_end(text, pos, end), end)


def _is_layout_only(text: str, start: int, end: int) -> bool:
    return _skip_end(text, start, end) >= end


def _skip_end(text: str, pos: int, end: int) -> int:
    """Where the layout (spaces, newlines, comments) from `pos` ends; SKIP_RE also matches nothing."""
    m = SKIP_RE.match(text, pos, end)
    assert m is not None
    return m.end()


def find_body(text: str, start: int, end: int) -> tuple[int, int | None] | None:
    """Positions of the first `{` at nesting 0 in `text[start:end]` and of its matching `}`.

    Returns (open, close) with close None when the body is never closed, or None without a body.
    """
    open_at = -1
    for ch, at, depth in _events(text, start, end):
        if depth == 0 and ch == "{" and open_at < 0:
            open_at = at
        elif depth == 0 and ch == "}" and open_at >= 0:
            return open_at, at
    return None if open_at < 0 else (open_at, None)


def first_word(text: str) -> str:
    m = FIRST_WORD_RE.match(text)
    return m.group().lower() if m else ""
