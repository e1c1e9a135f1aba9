"""Inline suppression comments: `// dbdsl: ignore[CODE1, CODE2]` (or `/* ... */`).

A suppression applies to findings that start on its own line or on the line below it; without a code
list (`// dbdsl: ignore`) it silences every lint finding there. Codes may be prefixes (`ignore[N]`).
Comments are not in the syntax tree, so they are found in the source text; the block scanner's
patterns tell a comment from the same characters inside a string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model.spans import Span, file_span
from ..syntax.blocks import SCAN_RE
from ..workspace import SourceFile

MARK = "dbdsl:"
SUPPRESS_RE = re.compile(r"dbdsl:[ \t]*ignore\b(?:[ \t]*\[([^\]\n]*)\])?")


@dataclass
class Suppression:
    line: int  # 0-based line of the comment
    codes: tuple[str, ...] | None  # None: every code
    span: Span  # the `dbdsl: ignore[...]` text
    comment: Span  # the whole comment
    own_line: bool  # nothing but the comment on its line
    code_spans: tuple[Span, ...] = ()
    used: set[str] = field(default_factory=set)
    used_any: bool = False

    def covers(self, code: str) -> str | None:
        """The selector in this suppression that matches `code` ('*' for a bare ignore)."""
        if self.codes is None:
            return "*"
        for selector in self.codes:
            if code == selector or (selector and code.startswith(selector)):
                return selector
        return None


def find_suppressions(source: SourceFile) -> list[Suppression]:
    text = source.text
    if MARK not in text:
        return []
    out: list[Suppression] = []
    for m in SUPPRESS_RE.finditer(text):
        comment = _comment_around(source, m.start())
        if comment is None:
            continue
        start, end = comment
        codes = None
        code_spans: list[tuple[int, int]] = []
        if m.group(1) is not None:
            codes_list = []
            base = m.start(1)
            for part in re.finditer(r"[^,\s]+", m.group(1)):
                codes_list.append(part.group().upper())
                code_spans.append((base + part.start(), base + part.end()))
            codes = tuple(codes_list)
        line = text.count("\n", 0, m.start())
        line_start = text.rfind("\n", 0, start) + 1
        own_line = not text[line_start:start].strip()
        anchor_span = _span(source, start, end)
        out.append(
            Suppression(
                line=line,
                codes=codes,
                span=anchor_span.sub(anchor_span.start + (m.start() - start), anchor_span.start + (m.end() - start)),
                comment=anchor_span,
                own_line=own_line,
                code_spans=tuple(
                    anchor_span.sub(anchor_span.start + (a - start), anchor_span.start + (b - start))
                    for a, b in code_spans
                ),
            )
        )
    return out


def _span(source: SourceFile, start: int, end: int) -> Span:
    entry = source.entry_at(start)
    if entry is not None and entry.start <= start and end <= entry.end:
        return Span(entry.anchor, start - entry.start, end - entry.start)
    return file_span(source.path, source.text, start, end)


def _comment_around(source: SourceFile, at: int) -> tuple[int, int] | None:
    """(start, end) of the comment holding offset `at`, or None when `at` is not in a comment."""
    entry = source.entry_at(at)
    if entry is not None and entry.start <= at < entry.end:
        text, base = entry.text, entry.start
    else:
        # between blocks there is only layout: find the comment by scanning from the previous block's end
        text = source.text
        base = 0
        previous = [e for e in source.entries if e.end <= at]
        if previous:
            base = previous[-1].end
        text = text[base:]
    rel = at - base
    for m in SCAN_RE.finditer(text):
        if m.start() > rel:
            return None
        if m.end() > rel:
            kind = m.lastgroup
            return (base + m.start(), base + m.end()) if kind in ("LINE_COMMENT", "BLOCK_COMMENT") else None
    return None
