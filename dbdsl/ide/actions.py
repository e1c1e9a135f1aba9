"""Code actions from findings: each fix of a finding, "fix all of this kind in the file", "fix all",
and "suppress CODE here" (a `// dbdsl: ignore[CODE]` comment on the line above, with the line's
indentation; an ignore comment already there gets the code added).

Unsafe fixes (they change what data the schema accepts or keeps) are offered one at a time, marked
as such in their title and never preferred; "fix all" actions and `source.fixAll` take safe fixes only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import NamedTuple

from ..findings import Finding, Fix, TextEdit

IGNORE_RE = re.compile(r"^(?P<indent>[ \t]*)//\s*dbdsl:\s*ignore\[(?P<codes>[^\]]*)\][ \t]*$")


class Action(NamedTuple):
    title: str
    kind: str  # quickfix, source.fixAll
    edits: tuple[TextEdit, ...]
    findings: tuple[Finding, ...] = ()
    preferred: bool = False


def suppressible(f: Finding) -> bool:
    """Design findings can be silenced in place; syntax and semantic errors cannot."""
    return f.category not in ("syntax", "semantic")


def actions_for(text: str, findings: list[Finding], start: int, end: int) -> list[Action]:
    """Quick fixes for the findings that touch [start, end] (absolute code points in `text`)."""
    here = [f for f in findings if f.span.start_offset <= end and start <= f.span.end_offset]
    out: list[Action] = []
    by_code: dict[str, list[tuple[Finding, Fix]]] = defaultdict(list)
    for f in findings:
        fix = _safe_fix(f)
        if fix is not None:
            by_code[f.code].append((f, fix))
    offered_all: set[str] = set()
    for f in here:
        for i, fix in enumerate(f.fixes):
            preferred = fix.safe and i == 0 and len(f.fixes) == 1
            out.append(Action(title(fix), "quickfix", fix.edits, (f,), preferred=preferred))
        same = by_code.get(f.code, [])
        if len(same) > 1 and f.code not in offered_all and any(g is f for g, _fix in same):
            offered_all.add(f.code)
            edits = _combine([fix.edits for _g, fix in same])
            out.append(
                Action(f"Fix all {f.code} problems in this file", "quickfix", edits, tuple(g for g, _fix in same))
            )
        if suppressible(f):
            out.append(Action(f"Suppress {f.code} here", "quickfix", (suppress_edit(text, f),), (f,)))
    return out


def title(fix: Fix) -> str:
    """How an action names a fix: an unsafe one says so."""
    return fix.title if fix.safe else f"{fix.title} (unsafe: changes what data the schema accepts)"


def _safe_fix(f: Finding) -> Fix | None:
    return next((fix for fix in f.fixes if fix.safe), None)


def fix_all(findings: list[Finding]) -> Action | None:
    """Every finding's first safe fix, as one action (edits that overlap an earlier one are left out)."""
    fixable = [(f, fix) for f in findings if (fix := _safe_fix(f)) is not None]
    if not fixable:
        return None
    edits = _combine([fix.edits for _f, fix in fixable])
    return Action("Fix all auto-fixable problems", "source.fixAll", edits, tuple(f for f, _fix in fixable))


def _combine(groups: list[tuple[TextEdit, ...]]) -> tuple[TextEdit, ...]:
    """Edits of several fixes; a fix whose edits overlap one already taken is skipped whole."""
    taken: list[TextEdit] = []
    for group in sorted(groups, key=lambda g: min((e.start for e in g), default=0)):
        if any(_overlaps(e, t) for e in group for t in taken):
            continue
        taken.extend(group)
    return tuple(sorted(taken, key=lambda e: (e.file, e.start, e.end)))


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    if a.file != b.file:
        return False
    if a.start == a.end == b.start == b.end:
        return True
    return a.start < b.end and b.start < a.end


def suppress_edit(text: str, f: Finding) -> TextEdit:
    """The edit that silences `f` where it is: an ignore comment on the line above."""
    offset = f.span.start_offset
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", line_start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if line_start > 0:
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        prev = text[prev_start : line_start - 1].rstrip("\r")
        m = IGNORE_RE.match(prev)
        if m is not None:
            codes = [c.strip() for c in m.group("codes").split(",") if c.strip()]
            if f.code not in codes:
                codes.append(f.code)
            comment = f"{m.group('indent')}// dbdsl: ignore[{', '.join(codes)}]"
            return TextEdit(f.span.file, prev_start, prev_start + len(prev), comment)
    newline = "\r\n" if text[line_start:].split("\n", 1)[0].endswith("\r") else "\n"
    return TextEdit(f.span.file, line_start, line_start, f"{indent}// dbdsl: ignore[{f.code}]{newline}")
