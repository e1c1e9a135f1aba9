"""Folding ranges: blocks, nested bodies (indexes, checks, records...), multi-line strings and notes,
and runs of comments. Offsets are absolute code points; the editor folds whole lines."""

from __future__ import annotations

from typing import NamedTuple

from ..syntax import ast
from .index import FileView
from .scan import quoted_and_comments


class Fold(NamedTuple):
    start: int
    end: int
    kind: str  # region, comment or imports


def folding_ranges(view: FileView) -> list[Fold]:
    text = view.text
    out: list[Fold] = []
    for entry in view.analysis.source.entries:
        base = entry.anchor.offset
        block = entry.parse.block
        block_text = entry.anchor.text
        if block is None:
            out.append(Fold(base, base + len(block_text), "region"))
        else:
            out.append(Fold(base + block.start, base + block.end, "imports" if block.kind == "use" else "region"))
            for item in block.items:
                if isinstance(item, (ast.SubBlock, ast.Records, ast.NoteElement, ast.Value)):
                    out.append(Fold(base + item.start, base + item.end, "region"))
                elif isinstance(item, ast.Column) and item.settings is not None:
                    out.append(Fold(base + item.settings.start, base + item.settings.end, "region"))
    out.extend(_strings_and_comments(text))
    return [f for f in out if "\n" in text[f.start : f.end]]


def _strings_and_comments(text: str) -> list[Fold]:
    """Multi-line strings, block comments over several lines, and runs of consecutive `//` lines."""
    out: list[Fold] = []
    run_start = run_end = -1
    for tok in quoted_and_comments(text):
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
    return out
