"""The one table of codes dbdsl reports: E (errors in the file), the design linter's families (N I C T S
Q) and M (migration safety), with one API (`lookup`, `all_codes`, `register`). See `registry.py`."""

from __future__ import annotations

from . import errors, migration  # noqa: F401  (register the E and M codes)
from .registry import CERTAIN, CONFIDENCES, FAMILIES, LIKELY, Code, all_codes, lookup, register

__all__ = ["CERTAIN", "CONFIDENCES", "FAMILIES", "LIKELY", "Code", "all_codes", "lookup", "register"]
