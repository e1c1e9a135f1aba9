"""Codes of the errors the parser and binder report (family E), with a one-line summary each."""

from __future__ import annotations

from ..findings import Finding, Related, Severity
from .spans import Span

ERROR_CODES: dict[str, str] = {
    "E001": "Syntax error",
    "E101": "Unknown table",
    "E102": "Unknown column",
    "E103": "Unknown enum or enum value",
    "E104": "Unknown table partial",
    "E105": "Duplicate name",
    "E106": "Duplicate column or enum value",
    "E107": "Relationship endpoints with different numbers of columns",
    "E108": "Unknown setting",
    "E109": "Invalid setting value",
    "E110": "Duplicate setting",
    "E111": "Invalid records",
    "E112": "Duplicate relationship",
    "E113": "Relationship from a column to itself",
    "E114": "Note defined twice",
    "E115": "Empty enum",
    "E116": "Table without columns",
    "E117": "Table in more than one group",
    "E118": "Imported file not found",
    "E119": "Imported element not found",
    "E120": "Partial injected twice",
    "E121": "Invalid name",
    "E122": "Column type that is not a type",
    "E123": "Record value that does not fit its column",
    "E124": "Unknown sticky note, table group or schema in a DiagramView",
    "E125": "Table group listing an imported table",
    "E126": "SQL expression that is not one expression (several statements, or text dbdsl cannot read)",
    "E127": "Query holding more than one statement",
}


def error(code: str, message: str, span: Span, *, related: tuple[Related, ...] = ()) -> Finding:
    category = "syntax" if code == "E001" else "semantic"
    return Finding(code, category, Severity.ERROR, message, span, related=related)


def warning(code: str, message: str, span: Span) -> Finding:
    return Finding(code, "semantic", Severity.WARNING, message, span)
