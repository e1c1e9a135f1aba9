"""Reading SQL with sqlglot where text sqlglot cannot read is an answer, not a failure: the one helper for
that, and the one list of the errors that mean it."""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

SQLGLOT_ERRORS = (SqlglotError, RecursionError)
"""What sqlglot raises on text it cannot read (RecursionError: an expression nested deeper than Python
recurses); anything else is a bug to see, not text to pass over."""


def parse_one(text: str, read: str = "postgres") -> exp.Expression | None:
    """The one statement or expression in `text`, read by sqlglot in its dialect `read`; None when sqlglot
    cannot read it."""
    try:
        tree = sqlglot.parse_one(text, read=read)
    except SQLGLOT_ERRORS:
        return None
    return tree if isinstance(tree, exp.Expression) else None
