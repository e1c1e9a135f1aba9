"""Folding ranges: blocks, nested bodies (indexes, checks, records...), multi-line strings and notes,
and runs of comments. Offsets are absolute code points; the editor folds whole lines."""

from __future__ import annotations

import weakref
from typing import NamedTuple

from ..syntax import ast
from ..syntax.scan import quoted_and_comments
from ..workspace import BlockEntry
from .index import FileView


class Fold(NamedTuple):
    start: int
    end: int
    kind: str  # region, comment or imports


_cache: weakref.WeakKeyDictionary[BlockEntry, tuple[Fold, ...]] = weakref.WeakKeyDictionary()


def folding_ranges(view: FileView) -> list[Fold]:
    """Folds of the blocks (cached per block, block-relative) and of the comments between blocks."""
    text = view.text
    out: list[Fold] = []
    prev_end = 0
    for entry in view.analysis.source.entries:
        out.extend(_strings_and_comments(text, prev_end, entry.start))
        prev_end = entry.end
        folds = _cache.get(entry)
        if folds is None:
            folds = _cache[entry] = _block_folds(entry)
        base = entry.anchor.offset
        out.extend(Fold(base + f.start, base + f.end, f.kind) for f in folds)
    out.extend(_strings_and_comments(text, prev_end, len(text)))
    return out


def _block_folds(entry: BlockEntry) -> tuple[Fold, ...]:
    block = entry.parse.block
    text = entry.anchor.text
    out: list[Fold] = []
    if block is None:
        out.append(Fold(0, len(text), "region"))
    else:
        out.append(Fold(block.start, block.end, "imports" if block.kind == "use" else "region"))
        for item in block.items:
            if isinstance(item, (ast.SubBlock, ast.Records, ast.NoteElement, ast.Value)):
                out.append(Fold(item.start, item.end, "region"))
            elif isinstance(item, ast.Column) and item.settings is not None:
                out.append(Fold(item.settings.start, item.settings.end, "region"))
    out.extend(_strings_and_comments(text, 0, len(text)))
    return tuple(f for f in out if "\n" in text[f.start : f.end])


def _strings_and_comments(text: str, start: int, end: int) -> list[Fold]:
    """Multi-line strings, block comments over several lines, and runs of consecutive `//` lines."""
    out: list[Fold] = []
    run_start = run_end = -1
    for tok in quoted_and_comments(text, start, end):
        if tok.kind == "MULTILINE_STRING":
            out.append(Fold(tok.start, tok.end, "region"))
        elif tok.kind == "BLOCK_COMMENT":
            out.append(Fold(tok.start, tok.end, "comment"))
        elif tok.kind == "LINE_COMMENT":
            line_start = text.rfind("\n", 0, tok.start) + 1
            own_line = not text[line_start : tok.start].strip()
            follows_run = (
                run_start >= 0 and not text[run_end:line_start].strip() and text.count("\n", run_end, tok.start) == 1
            )
            if own_line and follows_run:
                run_end = tok.end
                continue
            if run_start >= 0:
                out.append(Fold(run_start, run_end, "comment"))
            run_start, run_end = (tok.start, tok.end) if own_line else (-1, -1)
    if run_start >= 0:
        out.append(Fold(run_start, run_end, "comment"))
    return [f for f in out if "\n" in text[f.start : f.end]]
