"""Apply every available fix to a file (`dbdsl check --fix`), the way ruff does: in passes.

Each pass lints the text and applies the first fix of the fixable findings, at most one fix per
top-level block it touches (two fixes that both create an `indexes { }` block in one table would
otherwise write two blocks), then lints again. Passes stop when nothing is left to fix, when the text
stops changing, or after `max_passes`. A fix never runs on a file with syntax errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..findings import Finding, Severity, TextEdit, apply_edits
from ..workspace import Workspace
from .config import LintConfig
from .engine import lint


@dataclass
class FixResult:
    text: str
    applied: list[tuple[str, str]] = field(default_factory=list)  # (code, fix title), in order
    passes: int = 0


def fix_file(
    path: str,
    text: str,
    config: LintConfig,
    *,
    only: Callable[[Finding], bool] | None = None,
    max_passes: int = 50,
    workspace: Workspace | None = None,
) -> FixResult:
    """The text with every fix applied (of the findings `only` accepts, when given)."""
    ws = workspace or Workspace()
    source = ws.open(path, text)
    result = FixResult(text)
    seen_texts = {text}
    for _ in range(max_passes):
        analysis = ws.analyze(path)
        if any(f.severity is Severity.ERROR and f.code.startswith("E") for f in analysis.findings):
            break
        fixable = [f for f in lint(analysis, config) if f.fixes and (only is None or only(f))]
        if not fixable:
            break
        fixable.sort(key=Finding.sort_key)
        edits: list[TextEdit] = []
        taken_blocks: set[int] = set()
        taken_ranges: list[tuple[int, int]] = []
        chosen = []
        for f in fixable:
            fix = f.fixes[0]
            blocks = {_block_of(source, e.start) for e in fix.edits}
            if blocks & taken_blocks:
                continue
            if any(_overlaps(e, taken_ranges) for e in fix.edits):
                continue
            taken_blocks |= blocks
            taken_ranges.extend((e.start, e.end) for e in fix.edits)
            edits.extend(fix.edits)
            chosen.append((f.code, fix.title))
        new_text = apply_edits(source.text, edits)
        result.passes += 1
        if new_text == source.text or new_text in seen_texts:
            break
        seen_texts.add(new_text)
        result.applied.extend(chosen)
        result.text = new_text
        source = ws.open(path, new_text)
    return result


def _block_of(source, offset: int) -> int:
    entry = source.entry_at(offset)
    if entry is None and offset > 0:
        entry = source.entry_at(offset - 1)
    return id(entry.anchor) if entry is not None else -1


def _overlaps(edit: TextEdit, ranges: list[tuple[int, int]]) -> bool:
    return any(
        (edit.start < end and start < edit.end) or (edit.start == start == edit.end == end) for start, end in ranges
    )
