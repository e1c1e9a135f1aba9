"""The E codes: errors in the file itself, reported by the parser and binder (`dbdsl.model.errors`
makes their findings). They cannot be selected, ignored or suppressed."""

from __future__ import annotations

from ..findings import Severity
from .registry import Code, register

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

for _code, _summary in ERROR_CODES.items():
    register(Code(_code, None, "syntax" if _code == "E001" else "semantic", Severity.ERROR, _summary))
