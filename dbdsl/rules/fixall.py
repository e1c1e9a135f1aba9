"""Apply every available fix to a file (`dbdsl check --fix`), the way ruff does: in passes.

Each pass lints the text and applies the first fix of every fixable finding whose edits do not
overlap those already taken in the pass. Two insertions at the same place are taken together only
when both just add lines (two index lines); when one of them writes a block (two fixes that would each
create an `indexes { }` block in one table, or write a table after it), the second waits for the next
pass, which sees the first one's result. Passes stop when nothing is left to fix, when the text stops
changing, or after `max_passes`. A fix never runs on a file with errors.
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
    fixable: int = 0  # fixable findings in the original text (later passes may fix findings the fixes bring out)


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
        if not result.passes:
            result.fixable = len(fixable)
        if not fixable:
            break
        fixable.sort(key=Finding.sort_key)
        edits: list[TextEdit] = []
        chosen = []
        for f in fixable:
            fix = f.fixes[0]
            new = fix.edits
            if any(_conflict(e, taken) for e in new for taken in edits):
                continue
            edits.extend(new)
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


def _conflict(a: TextEdit, b: TextEdit) -> bool:
    if a.start < b.end and b.start < a.end:
        return True  # overlapping ranges
    if a.start == b.start and a.start == a.end and b.start == b.end:
        return not (_plain_lines(a.new_text) and _plain_lines(b.new_text))  # only added lines combine
    return (a.start == a.end and b.start < a.start < b.end) or (b.start == b.end and a.start < b.start < a.end)


def _plain_lines(text: str) -> bool:
    """Text that only adds whole lines (an index line), no block and no setting list."""
    return text.startswith("\n") and "{" not in text
