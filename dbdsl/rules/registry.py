"""All rules, by code. Importing this module registers every rule family."""

from __future__ import annotations

from ..migrate.rules import register_with_linter
from . import constraints, fds, indexes, naming, normalization, physical, queries, types  # noqa: F401  (registers the rules)
from .base import _RULES, Rule

register_with_linter()

RULES: dict[str, Rule] = dict(sorted(_RULES.items()))
