"""The one table of codes: every code dbdsl reports (E: the file, as the parser and binder read it; N I C
T S Q: the design linter; M: migration safety), with its documentation, under one API.

    from dbdsl.codes import lookup, all_codes
    lookup("C101").summary

E and M codes are registered by this package itself (`errors.py`, `migration.py`); the linter's rules
register with their checks (`dbdsl.rules.base.rule`), when `dbdsl.rules.registry` is imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..dialects import NAMES
from ..findings import Applicability, Severity

# how a rule knows what it reports (see docs/rules.md, "The default set")
CERTAIN = "certain"  # from structure: the schema says so (an FK without an index, a duplicate index)
LIKELY = "likely"  # from names and shapes: worded with "may", showing its evidence
CONFIDENCES = (CERTAIN, LIKELY)

FAMILIES: dict[str, tuple[str, str]] = {
    "E": ("semantic", "Errors in the file (parser and binder)"),
    "N": ("normalization", "Normalization"),
    "I": ("index", "Indexes"),
    "C": ("constraint", "Constraints and integrity"),
    "T": ("type", "Types"),
    "S": ("naming", "Naming and conventions"),
    "Q": ("query", "Access patterns (Query blocks)"),
    "M": ("migration", "Migration safety (dbdsl migrate)"),
}
"""Each family's letter: the category of its findings, and its title in `dbdsl rules` and docs/rules.md."""


@dataclass(frozen=True)
class Code:
    """One code and its documentation. The linter's rules extend it with their check (`rules.base.Rule`)."""

    code: str
    name: str | None  # kebab-case (`fk-without-index`); E codes have none
    category: str
    severity: Severity
    summary: str
    rationale: str = ""
    bad: str = ""
    good: str = ""
    dialects: tuple[str, ...] = NAMES
    fix: Applicability | None = None  # the kind of fix the rule offers (None: no fix)
    enabled: bool = True  # in the default rule set: selected unless the configuration says otherwise
    confidence: str = CERTAIN
    default_reason: str = ""  # why the rule is in or out of the default set
    alternative: str = ""  # M codes: the zero-downtime way, in one sentence

    @property
    def family(self) -> str:
        return self.code[0]

    @property
    def explanation(self) -> str:
        """The rationale, with the zero-downtime alternative of a migration rule."""
        if self.alternative:
            return f"{self.rationale} Zero-downtime alternative: {self.alternative}"
        return self.rationale

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def applies_to(self, dialect: str) -> bool:
        return dialect in self.dialects


_CODES: dict[str, Code] = {}


def register(entry: Code) -> Code:
    """Add a code to the table; a code is registered once."""
    if entry.code in _CODES:
        raise ValueError(f"rule {entry.code} is registered twice")
    if entry.family not in FAMILIES:
        raise ValueError(f"{entry.code}: unknown family {entry.family!r}")
    _CODES[entry.code] = entry
    return entry


def lookup(code: str) -> Code | None:
    """The code's entry, None for a code dbdsl does not have."""
    return _CODES.get(code)


def all_codes(families: str | None = None) -> list[Code]:
    """Every registered code (of the given family letters, when given), in code order."""
    return [c for key, c in sorted(_CODES.items()) if families is None or key[0] in families]
