"""SQL of the physical design script as the document quotes it: the same statements, the same text."""

from __future__ import annotations

from sqlglot import exp

from ..physical.script import statement_text
from . import markdown as md


def quote(statements: list[exp.Expression]) -> str:
    return md.block("\n\n".join(statement_text(s) for s in statements), "sql")
