"""The semantic token legend (the LSP standard names), apart from the classification in `highlight` so
that a client can be told it without importing the analysis stack."""

from __future__ import annotations

TOKEN_TYPES = (
    "keyword",
    "type",
    "class",
    "struct",
    "enum",
    "enumMember",
    "property",
    "namespace",
    "function",
    "variable",
    "modifier",
    "string",
    "number",
    "comment",
    "operator",
    "macro",
)
TOKEN_MODIFIERS = ("declaration",)
