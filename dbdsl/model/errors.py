"""The findings of the parser and binder (family E; the codes and their summaries are in
`dbdsl/codes/errors.py`)."""

from __future__ import annotations

from ..codes import lookup
from ..findings import Finding, Related, Severity
from .spans import Span


def error(code: str, message: str, span: Span, *, related: tuple[Related, ...] = ()) -> Finding:
    entry = lookup(code)
    category = entry.category if entry is not None else "semantic"
    return Finding(code, category, Severity.ERROR, message, span, related=related)


def warning(code: str, message: str, span: Span) -> Finding:
    return Finding(code, "semantic", Severity.WARNING, message, span)
