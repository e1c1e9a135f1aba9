"""What a migration safety rule reports on a plan. The rules themselves (codes `M...`, their
documentation and examples) are in the code table, `dbdsl/codes/migration.py`."""

from __future__ import annotations

from dataclasses import dataclass

from ..codes import Code, all_codes
from ..findings import Severity
from ..model.spans import Span

MigrationRule = Code
"""A migration rule is a code of the M family."""

RULES: dict[str, Code] = {c.code: c for c in all_codes("M")}


@dataclass(frozen=True)
class MigrationWarning:
    """One finding of a safety rule on a plan: what, where (the DSL element when known) and the way out.

    `refused` marks findings that stop the migration from being written (destructive steps without
    `--allow-destructive`).
    """

    code: str
    message: str
    alternative: str
    subject: str  # the table, column, index... it is about (`orders.total`)
    span: Span | None = None
    refused: bool = False

    @property
    def rule(self) -> Code:
        return RULES[self.code]

    @property
    def severity(self) -> Severity:
        return Severity.ERROR if self.refused else self.rule.severity


def rule(code: str) -> Code:
    return RULES[code]


def all_rules() -> list[Code]:
    return list(RULES.values())
