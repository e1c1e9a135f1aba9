"""The canonical source formatter.

`format_text(text)` lays out every top-level block (see `printer`) and the comments and blank lines
between blocks. It never changes meaning: each printed block is parsed again and compared with the
original (model, relationships, problems and comments); a block that does not parse cleanly, or
whose printed form would differ, is kept exactly as written. Formatting is idempotent.

`format_edits` and `format_range` give the same result as edits (absolute code-point offsets into the
text), touching only what changes; a range formats the blocks it overlaps.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from ..syntax.blocks import RawBlock, split_blocks
from ..syntax.parser import parse_block
from ..syntax.scan import comments
from .meaning import block_meaning
from .printer import BlockPrinter, CannotPrint

__all__ = ["Edit", "format_block", "format_edits", "format_range", "format_text"]


class Edit(NamedTuple):
    start: int
    end: int
    new_text: str


@lru_cache(maxsize=16384)
def format_block(text: str) -> str:
    """One block in the canonical layout, or unchanged when it cannot be formatted safely (cached by
    text: formatting a large file again after an edit reprints only the edited block)."""
    parse = parse_block(text)
    if parse.block is None or parse.problems:
        return text
    try:
        printed = BlockPrinter(text, parse.block).print()
    except CannotPrint:
        return text
    if printed == text:
        return text
    before = block_meaning(text)
    if before is None or block_meaning(printed) != before:
        return text
    return printed


def _one_liner(block: RawBlock) -> bool:
    return "\n" not in block.text and "{" not in block.text


class _Plan(NamedTuple):
    """Formatted pieces of a text: for each block its replacement, for each gap its replacement."""

    blocks: list[RawBlock]
    block_texts: list[str]
    gaps: list[tuple[int, int, str]]  # before each block, then the end of the file


def _plan(text: str) -> _Plan:
    blocks = split_blocks(text)
    block_texts = [format_block(b.text) for b in blocks]
    gaps = []
    prev_end = 0
    for i, b in enumerate(blocks):
        gaps.append((prev_end, b.start, _gap(text[prev_end : b.start], i == 0, blocks[i - 1] if i else None, b)))
        prev_end = b.start + len(b.text)
    tail = text[prev_end:]
    gaps.append((prev_end, len(text), _tail(tail, bool(blocks))))
    return _Plan(blocks, block_texts, gaps)


def _gap(gap: str, first: bool, prev: RawBlock | None, block: RawBlock) -> str:
    """What goes between two blocks: their comments, each on its own line, and blank lines (at most
    one in a row; one between blocks, none between one-line blocks written together)."""

    pieces: list[str] = []
    pos = 0
    for c in comments(gap):
        newlines = gap.count("\n", pos, c.start)
        if pieces or not first:
            pieces.append("\n\n" if newlines >= 2 or (not pieces and _needs_blank(prev, block, gap)) else "\n")
        pieces.append(c.text.rstrip())
        pos = c.end
    newlines = gap.count("\n", pos)
    if pieces:
        pieces.append("\n\n" if newlines >= 2 else "\n")
    elif not first:
        pieces.append("\n\n" if _needs_blank(prev, block, gap) else "\n")
    return "".join(pieces)


def _needs_blank(prev: RawBlock | None, block: RawBlock, gap: str) -> bool:
    if prev is None:
        return False
    if _one_liner(prev) and _one_liner(block):
        return gap.count("\n") >= 2
    return True


def _tail(tail: str, has_blocks: bool) -> str:

    found = comments(tail)
    if not found:
        return "\n" if has_blocks else ""
    pieces = []
    pos = 0
    for i, c in enumerate(found):
        newlines = tail.count("\n", pos, c.start)
        if i or has_blocks:
            pieces.append("\n\n" if newlines >= 2 else "\n")
        pieces.append(c.text.rstrip())
        pos = c.end
    return "".join(pieces) + "\n"


def _crlf(text: str) -> bool:
    return "\r\n" in text


def _ending(piece: str, default: str) -> str | None:
    """The line ending to write a formatted piece with: the one its original text uses, `default` when
    it has no line break, None when it mixes both (then it is kept exactly as written)."""
    crlf = piece.count("\r\n")
    lf = piece.count("\n") - crlf
    if crlf and lf:
        return None
    return "\r\n" if crlf else "\n" if lf else default


def _majority(text: str) -> str:
    crlf = text.count("\r\n")
    return "\r\n" if crlf * 2 > text.count("\n") else "\n"


def format_text(text: str) -> str:
    """The whole text in the canonical layout, with the line endings it had: a block keeps its own
    (a block that mixes both is kept as written, so a note never changes); what lies between blocks
    takes the ending most lines have."""
    return _apply(text, format_edits(text))


def _apply(text: str, edits: list[Edit]) -> str:
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: e.start):
        out.append(text[pos : e.start])
        out.append(e.new_text)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def format_edits(text: str) -> list[Edit]:
    """Edits that turn `text` into `format_text(text)`, one per changed block or gap."""
    return _edits(text, None)


def format_range(text: str, start: int, end: int) -> list[Edit]:
    """Edits that format the blocks overlapping text[start:end]; the rest is left alone."""
    return _edits(text, (start, end))


def _edits(text: str, window: tuple[int, int] | None) -> list[Edit]:
    crlf = _crlf(text)
    work = text.replace("\r\n", "\n") if crlf else text
    to_original = _offset_map(text) if crlf else None
    if window is not None and crlf:
        window = (_to_work(text, window[0]), _to_work(text, window[1]))
    plan = _plan(work)
    edits: list[Edit] = []
    default = _majority(text) if crlf else "\n"

    def add(start: int, end: int, new: str, gap: bool) -> None:
        if work[start:end] == new and not crlf:
            return
        if to_original is not None:
            start, end = to_original(start), to_original(end)
            ending = default if gap else _ending(text[start:end], default)
            if ending is None:
                return  # a block that mixes line endings stays as written
            new = new.replace("\n", ending)
        if text[start:end] != new:
            edits.append(Edit(start, end, new))

    for i, (block, new) in enumerate(zip(plan.blocks, plan.block_texts)):
        b_start, b_end = block.start, block.start + len(block.text)
        if window is not None and (b_end < window[0] or b_start > window[1]):
            continue
        if window is None:
            add(*plan.gaps[i], gap=True)
        add(b_start, b_end, new, gap=False)
    if window is None:
        add(*plan.gaps[-1], gap=True)
    return edits


def _to_work(text: str, offset: int) -> int:
    """An offset in CRLF text as an offset in the same text with LF line ends."""
    return offset - text.count("\r\n", 0, offset)


def _offset_map(text: str) -> Callable[[int], int]:
    starts = []
    pos = text.find("\r\n")
    while pos >= 0:
        starts.append(pos)
        pos = text.find("\r\n", pos + 2)

    def to_original(offset: int) -> int:
        # each CRLF before the position adds one character
        lo, hi = 0, len(starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if starts[mid] - mid < offset:
                lo = mid + 1
            else:
                hi = mid
        return offset + lo

    return to_original
