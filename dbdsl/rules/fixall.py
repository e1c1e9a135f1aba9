"""Apply every available fix to a file (`dbdsl check --fix`), the way ruff does: in passes.

Each pass lints the text and applies the first eligible fix of every finding whose edits do not
overlap those already taken in the pass. Only safe fixes are eligible unless `unsafe` is given
(ruff's `--unsafe-fixes`): an unsafe fix changes what data the schema accepts or keeps. Two
insertions at the same place are taken together only when both just add lines (two index lines);
when one of them writes a block (two fixes that would each create an `indexes { }` block in one
table, or write a table after it), the second waits for the next pass, which sees the first one's
result. Passes stop when nothing is left to fix, when the text stops changing, or after
`max_passes`. A fix never runs on a file with errors. A file that was in the formatter's layout is
left in it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..findings import Finding, Fix, Severity, TextEdit, apply_edits
from ..format import format_text
from ..workspace import Workspace
from .config import LintConfig
from .engine import lint


@dataclass
class FixResult:
    text: str
    applied: list[tuple[str, str]] = field(default_factory=list)  # (code, fix title), in order
    passes: int = 0
    fixed: int = 0  # findings of the original text that the fixed text no longer has


def fix_file(
    path: str,
    text: str,
    config: LintConfig,
    *,
    only: Callable[[Finding], bool] | None = None,
    unsafe: bool = False,
    max_passes: int = 50,
    workspace: Workspace | None = None,
) -> FixResult:
    """The text with every eligible fix applied (of the findings `only` accepts, when given)."""
    ws = workspace or Workspace()
    source = ws.open(path, text)
    result = FixResult(text)
    seen_texts = {text}
    before: Counter | None = None
    for _ in range(max_passes):
        analysis = ws.analyze(path)
        if any(f.severity is Severity.ERROR and f.code.startswith("E") for f in analysis.findings):
            break
        found = lint(analysis, config)
        if before is None:
            before = _identities(found)
        fixable = [(f, fix) for f in found if (fix := first_fix(f, unsafe)) and (only is None or only(f))]
        if not fixable:
            break
        fixable.sort(key=lambda pair: pair[0].sort_key())
        edits: list[TextEdit] = []
        chosen = []
        for f, fix in fixable:
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
    if result.text != text and format_text(text) == text:
        # fixes taken together in one pass can each keep the layout and still misalign a shared column
        result.text = format_text(result.text)
        ws.open(path, result.text)
    if before is not None and result.text != text:
        after = _identities(lint(ws.analyze(path), config))
        result.fixed = sum((before - after).values())
    return result


def _identities(findings: list[Finding]) -> Counter:
    """What a finding says, without where (fixes above it move it)."""
    return Counter((f.code, f.message) for f in findings)


def first_fix(finding: Finding, unsafe: bool = False) -> Fix | None:
    """The fix `--fix` applies for a finding: its first safe one, or its first one with `unsafe`."""
    return next((fix for fix in finding.fixes if unsafe or fix.safe), None)


def _conflict(a: TextEdit, b: TextEdit) -> bool:
    if a.start < b.end and b.start < a.end:
        return True  # overlapping ranges
    if a.start == b.start and a.start == a.end and b.start == b.end:
        return not (_plain_lines(a.new_text) and _plain_lines(b.new_text))  # only added lines combine
    return (a.start == a.end and b.start < a.start < b.end) or (b.start == b.end and a.start < b.start < a.end)


def _plain_lines(text: str) -> bool:
    """Text that only adds whole lines (an index line), no block and no setting list."""
    return text.startswith("\n") and "{" not in text
