"""All rules, by code. Importing this module registers every rule family in the code table
(`dbdsl.codes`)."""

from __future__ import annotations

from ..codes import Code, all_codes
from . import constraints, fds, indexes, naming, normalization, physical, queries, types  # noqa: F401  (registers the rules)
from .base import _RULES, Rule

RULES: dict[str, Rule] = dict(sorted(_RULES.items()))
"""The design linter's rules, with their checks."""

CONFIGURABLE: dict[str, Code] = {c.code: c for c in all_codes() if c.family != "E"}
"""What `select`, `ignore`, `severity` and suppression comments may name: the linter's rules and the
migration rules (which `dbdsl migrate` reports)."""
