"""A forgiving token scan of DBML text, for features that look at text the parser may reject.

It uses the core lexer's regular expression, so tokens are the ones the parser sees; text that starts
no token (an unclosed string or comment, a stray character) becomes one `ERROR` token that runs to the
end of what it opened (end of line for a string, end of text for `'''`, `/*` and backticks), and the
scan goes on after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from .blocks import QUOTED_AND_COMMENTS
from .lexer import HIGHLIGHTED_RE, PASSED_OVER_IN_HIGHLIGHTING, TOKEN_RE

LAYOUT = {"WS", "NL", "LINE_COMMENT", "BLOCK_COMMENT"}
COMMENTS = {"LINE_COMMENT", "BLOCK_COMMENT"}
NAMES = {"WORD", "QUOTED_NAME"}


class Token(NamedTuple):
    kind: str  # a TOKEN_RE group name, or ERROR
    start: int
    end: int
    text: str

    @property
    def name(self) -> str:
        """The identifier a WORD or QUOTED_NAME stands for (quotes removed)."""
        if self.kind == "QUOTED_NAME":
            return self.text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        return self.text


def scan(text: str, start: int = 0, end: int | None = None, *, layout: bool = False) -> Iterator[Token]:
    """Tokens of text[start:end]; whitespace, newlines and comments only when `layout` is true."""
    end = len(text) if end is None else end
    pos = start
    match = TOKEN_RE.match
    while pos < end:
        m = match(text, pos, end)
        if m is not None and m.lastgroup == "STRING" and text.startswith("'" * 3, pos):
            m = None  # an unclosed multi-line string, not an empty string and a quote
        if m is None:
            stop = _error_end(text, pos, end)
            yield Token("ERROR", pos, stop, text[pos:stop])
            pos = stop
            continue
        kind = m.lastgroup or "ERROR"  # every alternative of the pattern is a named group
        pos = m.end()
        if kind in LAYOUT and not layout:
            continue
        yield Token(kind, m.start(), pos, m.group())


def highlighted(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of the tokens of `text` that highlighting colours: those of
    `scan(text, layout=True)` other than spaces, newlines and punctuation but `~`, found at C speed
    while the text scans without an ERROR token (almost always)."""
    out: list[tuple[str, int, int]] = []
    pos = 0
    append = out.append
    match = HIGHLIGHTED_RE.match
    while True:
        m = match(text, pos)
        if m is None:
            break
        kind = m.lastgroup or ""
        start = m.start(kind)
        if kind == "STRING" and text.startswith("'" * 3, start):
            break  # an unclosed multi-line string: the careful scan
        pos = m.end()
        if kind != "PUNCT" or text[start] == "~":  # a `.` (which can start a number) is matched, not kept
            append((kind, start, pos))
    if not text[pos:].strip(PASSED_OVER_IN_HIGHLIGHTING):
        return out
    return [(t.kind, t.start, t.end) for t in scan(text, layout=True) if _highlighted(t)]


def _highlighted(token: Token) -> bool:
    return token.kind != "WS" and token.kind != "NL" and (token.kind != "PUNCT" or token.text == "~")


def _error_end(text: str, pos: int, end: int) -> int:
    if text.startswith(("'''", "/*", "`"), pos):
        return end
    if text[pos] in "'\"":
        nl = text.find("\n", pos, end)
        return end if nl < 0 else nl
    return pos + 1


# strings, quoted names and backtick expressions (to skip) and comments; everything else is skipped by
# `finditer` at C speed, which makes finding the comments of a large file cheap
QUOTED_RE = re.compile(QUOTED_AND_COMMENTS, re.VERBOSE)


def quoted_and_comments(text: str, start: int = 0, end: int | None = None) -> Iterator[Token]:
    """Strings, quoted names, backtick expressions and comments of text[start:end], in order."""
    end = len(text) if end is None else end
    for m in QUOTED_RE.finditer(text, start, end):
        yield Token(m.lastgroup or "ERROR", m.start(), m.end(), m.group())


def comments(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The comments of text[start:end], outside strings."""
    return [t for t in quoted_and_comments(text, start, end) if t.kind in COMMENTS]


def name_tokens(text: str) -> list[Token]:
    return [t for t in scan(text) if t.kind in NAMES]
