"""One finding type for everything: syntax and semantic errors, lint results, migration warnings.

A fix is a list of text edits on the DSL source (absolute code-point offsets into the analysed text).
The CLI's `--fix`, the editor's quick fixes and the tests apply the same edits.
"""

from __future__ import annotations

from dataclasses import field
from enum import Enum

from .model.record import record
from .model.spans import Span

CATEGORIES = (
    "syntax",
    "semantic",
    "normalization",
    "index",
    "constraint",
    "type",
    "naming",
    "query",
    "migration",
)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@record
class TextEdit:
    file: str
    start: int
    end: int
    new_text: str

    @staticmethod
    def replace(span: Span, new_text: str) -> TextEdit:
        return TextEdit(span.file, span.start_offset, span.end_offset, new_text)


class Applicability(str, Enum):
    """Whether a fix may be applied without asking (as ruff has them).

    A safe fix never changes what data the schema accepts or keeps: it adds or removes a redundant
    index, quotes a name, declares a dependency, adds a note. Everything else (retyping or dropping a
    column, adding UNIQUE, NOT NULL, CHECK or a foreign key, splitting a table) is unsafe: `dbdsl check
    --fix` leaves it alone unless `--unsafe-fixes` is given, and the editor offers it one at a time.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"


@record
class Fix:
    title: str
    edits: tuple[TextEdit, ...]
    applicability: Applicability = Applicability.UNSAFE

    @property
    def safe(self) -> bool:
        return self.applicability is Applicability.SAFE


@record
class Related:
    """Another place that explains the finding (the referenced key, the other definition...)."""

    span: Span
    message: str


@record
class Finding:
    code: str
    category: str
    severity: Severity
    message: str
    span: Span
    fixes: tuple[Fix, ...] = ()
    related: tuple[Related, ...] = ()
    data: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def file(self) -> str:
        return self.span.file

    def sort_key(self) -> tuple:
        line, col = self.span.start_pos
        return (self.span.file, line, col, self.code)


def apply_edits(text: str, edits: list[TextEdit] | tuple[TextEdit, ...]) -> str:
    """Apply non-overlapping edits to `text` (overlapping later edits are skipped)."""
    out = []
    last = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < last:
            continue
        out.append(text[last : edit.start])
        out.append(edit.new_text)
        last = edit.end
    out.append(text[last:])
    return "".join(out)
