"""Source positions inside the core: offsets, and 0-based lines and code-point columns.

A span is relative to an `Anchor`, the current position of the block it came from. When an edit above
a block moves it, only its anchor is updated: the cached syntax tree and model elements of the block
stay valid. (Protocol positions in UTF-16 units are the LSP layer's business.)
"""

from __future__ import annotations

from bisect import bisect_right

from .record import record


class Anchor:
    """Where one block sits in its file right now. Mutable on purpose (see module docstring)."""

    __slots__ = ("file", "offset", "line", "column", "text", "_line_starts")

    def __init__(self, file: str, offset: int, line: int, column: int, text: str) -> None:
        self.file = file
        self.offset = offset
        self.line = line
        self.column = column
        self.text = text
        self._line_starts: list[int] | None = None

    def move(self, offset: int, line: int, column: int) -> None:
        self.offset = offset
        self.line = line
        self.column = column

    def line_col(self, rel: int) -> tuple[int, int]:
        """File line and column of a block-relative offset."""
        starts = self._line_starts
        if starts is None:
            starts = [0]
            text = self.text
            i = text.find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = text.find("\n", i + 1)
            self._line_starts = starts
        idx = bisect_right(starts, rel) - 1
        if idx == 0:
            return self.line, self.column + rel
        return self.line + idx, rel - starts[idx]

    def __repr__(self) -> str:
        return f"Anchor({self.file!r}@{self.line}:{self.column})"


@record
class Span:
    """A range inside one block; `start`/`end` are offsets relative to the anchor's block."""

    anchor: Anchor
    start: int
    end: int

    @property
    def file(self) -> str:
        return self.anchor.file

    @property
    def start_offset(self) -> int:
        return self.anchor.offset + self.start

    @property
    def end_offset(self) -> int:
        return self.anchor.offset + self.end

    @property
    def start_pos(self) -> tuple[int, int]:
        """(line, column), 0-based, columns in code points."""
        return self.anchor.line_col(self.start)

    @property
    def end_pos(self) -> tuple[int, int]:
        return self.anchor.line_col(self.end)

    @property
    def text(self) -> str:
        return self.anchor.text[self.start : self.end]

    def sub(self, start: int, end: int) -> Span:
        """Another range of the same block."""
        return Span(self.anchor, start, end)

    def __repr__(self) -> str:
        line, col = self.start_pos
        return f"Span({self.anchor.file}:{line + 1}:{col + 1})"


def file_span(file: str, text: str, start: int, end: int) -> Span:
    """A span over whole-file text (used for problems found before or outside blocks)."""
    return Span(Anchor(file, 0, 0, 0, text), start, end)
