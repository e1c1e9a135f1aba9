"""Plain-words descriptions of tokens for syntax error messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .lexer import KEYWORD_TYPES

TERMINAL_WORDS = {
    "NAME": "a name",
    "QUOTED_NAME": "a name",
    "STRING": "a string",
    "MULTILINE_STRING": "a string",
    "NUMBER": "a number",
    "EXPRESSION": "a `backtick expression`",
    "COLOR": "a color such as #3498db",
    "REL_OP": "a relationship operator (<, >, - or <>)",
    "ARROW": "'->'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "LPAR": "'('",
    "RPAR": "')'",
    "COMMA": "','",
    "COLON": "':'",
    "DOT": "'.'",
    "TILDE": "'~'",
    "STAR": "'*'",
    "_NL": "a new line",
    "$END": "the end of the text",
}
KEYWORD_SPELLING = {
    "PROJECT": "Project",
    "TABLE": "Table",
    "TABLEPARTIAL": "TablePartial",
    "TABLEGROUP": "TableGroup",
    "ENUM": "Enum",
    "REF": "Ref",
    "NOTE": "Note",
    "INDEXES": "indexes",
    "CHECKS": "checks",
    "RECORDS": "Records",
    "DEPENDENCIES": "dependencies",
    "USE": "use",
    "REUSE": "reuse",
    "FROM": "from",
    "AS": "as",
    "DIAGRAMVIEW": "DiagramView",
    "QUERY": "Query",
}
ORDER = list(TERMINAL_WORDS) + list(KEYWORD_SPELLING)


def describe_expected(expected: Iterable[str]) -> str:
    """'a name, '[' or '{'' for a set of terminal names, most useful first."""
    words: list[str] = []
    for terminal in sorted(set(expected), key=lambda t: ORDER.index(t) if t in ORDER else len(ORDER)):
        if terminal in KEYWORD_SPELLING:
            word = f"'{KEYWORD_SPELLING[terminal]}'"
        else:
            word = TERMINAL_WORDS.get(terminal, terminal.lower())
        if word not in words:
            words.append(word)
    if not words:
        return "nothing more"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def describe_token(tok: Any) -> str:
    kind = tok.type
    if kind == "_NL":
        return "line break"
    value = str(tok.value)
    if kind in KEYWORD_TYPES.values() or kind in ("NAME", "NUMBER", "COLOR"):
        return f"'{value}'"
    if kind in ("STRING", "MULTILINE_STRING"):
        return "string"
    if kind == "QUOTED_NAME":
        return f"name {value}"
    if kind == "EXPRESSION":
        return "backtick expression"
    shown = value if len(value) <= 20 else value[:20] + "…"
    return f"'{shown}'"
