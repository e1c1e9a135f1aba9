"""LSP positions: (line, character) where character counts UTF-16 code units.

The core speaks absolute code-point offsets; this module is the only place that converts. Lines end
at `\\n`, `\\r\\n` or a lone `\\r`, as the protocol says. A position past the end of its line means the
end of the line; a line past the end of the text means the end of the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from lsprotocol import types as lsp

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _utf16_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in LINE_BREAK.finditer(text)]


class LineIndex:
    """Line starts of a text, for converting offsets to and from LSP positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = _line_starts(text)

    def _line_end(self, line: int) -> int:
        """End of the line's content (before its line break)."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            end -= 2 if self.text.startswith("\r\n", end - 2) else 1
            return end
        return len(self.text)

    def line_col(self, offset: int) -> tuple[int, int]:
        """(line, UTF-16 character) of an offset, without building a protocol object."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        return line, _utf16_len(self.text[self.starts[line] : offset])

    def position(self, offset: int) -> lsp.Position:
        line, character = self.line_col(offset)
        return lsp.Position(line=line, character=character)

    def range(self, start: int, end: int) -> lsp.Range:
        return lsp.Range(start=self.position(start), end=self.position(end))

    def offset(self, position: lsp.Position) -> int:
        line = position.line
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[line]
        end = self._line_end(line)
        character = max(0, position.character)
        content = self.text[start:end]
        if content.isascii():
            return start + min(character, len(content))
        units = 0
        for i, ch in enumerate(content):
            if units >= character:
                return start + i
            units += 2 if ord(ch) > 0xFFFF else 1
            if units > character:  # inside a surrogate pair: the character after it
                return start + i + 1
        return end

    def apply(self, start: int, end: int, new_text: str, text: str) -> None:
        """Update the line starts after text[start:end] was replaced by new_text (`text` is the result)."""
        if "\r" in new_text or "\r" in self.text[max(0, start - 1) : end + 1]:
            self.text = text  # a CR next to the edit may join or split a CRLF: recount
            self.starts = _line_starts(text)
            return
        i = bisect_right(self.starts, start)
        j = bisect_right(self.starts, end)
        delta = len(new_text) - (end - start)
        inserted = [start + m.end() for m in LINE_BREAK.finditer(new_text)]
        tail = self.starts[j:]
        self.starts[i:] = inserted + [s + delta for s in tail]
        self.text = text


def utf16_length(text: str) -> int:
    return _utf16_len(text)
