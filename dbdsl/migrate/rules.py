"""What a migration safety rule reports on a plan. The rules themselves (codes `M...`, their
documentation and examples) are in the code table, `dbdsl/codes/migration.py`."""

from __future__ import annotations

from ..codes import Code, all_codes
from ..findings import Finding, Severity
from ..model.spans import Span

MigrationRule = Code
"""A migration rule is a code of the M family."""

RULES: dict[str, Code] = {c.code: c for c in all_codes("M")}


class MigrationWarning(Finding):
    """A finding of a safety rule on a plan: what, where (the DSL element when known: `span` is None for
    what has no place in the file, such as an object only the database has) and the way out.

    `refused` marks findings that stop the migration from being written (destructive steps without
    `--allow-destructive`); their severity is error. `api.as_finding` places a warning in the file an
    editor or `dbdsl check` shows.
    """

    __slots__ = ()

    def __init__(
        self,
        code: str,
        message: str,
        alternative: str,
        subject: str,
        span: Span | None = None,
        refused: bool = False,
    ) -> None:
        severity = Severity.ERROR if refused else RULES[code].severity
        data = {"alternative": alternative, "subject": subject, "refused": refused}
        # a Finding without a place: the plan knows no DSL element for it (see the docstring)
        super().__init__(code, "migration", severity, message, span, data=data)  # type: ignore[arg-type]

    @property
    def alternative(self) -> str:
        """The zero-downtime way, in one sentence."""
        return self.data["alternative"]

    @property
    def subject(self) -> str:
        """The table, column, index... it is about (`orders.total`)."""
        return self.data["subject"]

    @property
    def refused(self) -> bool:
        return self.data["refused"]

    @property
    def rule(self) -> Code:
        return RULES[self.code]


def rule(code: str) -> Code:
    return RULES[code]


def all_rules() -> list[Code]:
    return list(RULES.values())
