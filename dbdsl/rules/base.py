"""What a rule is, and what a rule reports.

A rule is a function registered with `@rule(...)` together with its documentation (code, summary,
rationale, a bad and a good example). It receives a `Context` and one model element, according to its
scope, and yields `Hit`s. A hit's fixes are made of `Edit`s anchored to block spans rather than absolute
offsets, so cached hits stay valid when the block they point into moves; the engine turns them into
`Finding`s with absolute `TextEdit`s when it returns them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..codes import CERTAIN, CONFIDENCES, FAMILIES, LIKELY, Code, register
from ..dialects import DIALECTS as ENGINES
from ..dialects import NAMES
from ..findings import Applicability, Related, Severity
from ..model.spans import Span

DIALECTS = NAMES
# engines that have secondary indexes (Snowflake's standard tables have none)
INDEXED_DIALECTS = tuple(d.name for d in ENGINES.values() if d.secondary_indexes)

# the configurable families and the category of their findings (M: reported by `dbdsl migrate` on a plan)
CATEGORY_OF_FAMILY = {family: category for family, (category, _title) in FAMILIES.items() if family != "E"}

# what a rule reads besides its element; decides how its results are cached (see engine.py)
TABLE = "table"  # one table (and what it reads through the Context)
REF = "ref"  # one relationship and the two tables it joins
QUERY = "query"  # one Query and the tables it names
SCHEMA = "schema"  # the whole schema (must be cheap: runs on every check)
META = "meta"  # reported by the engine itself (suppression comments)
SCOPES = (TABLE, REF, QUERY, SCHEMA, META)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text of `span` (zero-width: insert) by `text`."""

    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class FixSpec:
    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability | None = None  # None: what the rule declares for its fixes


@dataclass(slots=True)
class Hit:
    code: str
    message: str
    span: Span | None  # None: the element has no place in a file (made by a program), and the engine drops it
    fixes: tuple[FixSpec, ...] = ()
    related: tuple[Related, ...] = ()
    data: dict = field(default_factory=dict)
    severity: Severity | None = None  # this hit's own severity (weaker or stronger evidence than usual)
    finding: object = field(default=None, compare=False, repr=False)  # the engine's Finding for it


@dataclass(frozen=True, kw_only=True)
class Rule(Code):
    """A design-linter rule: its code's documentation and its check."""

    scope: str
    check: Callable[..., Iterable[Hit]] | None


_RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    *,
    severity: str,
    summary: str,
    rationale: str,
    bad: str,
    good: str,
    scope: str = TABLE,
    dialects: tuple[str, ...] = DIALECTS,
    fix: str | None = None,
    enabled: bool = True,
    confidence: str = CERTAIN,
    default_reason: str = "",
) -> Callable:
    """Register the decorated function as the check of rule `code`.

    `fix` is "safe" or "unsafe" for a rule that offers fixes (a single fix may say otherwise in its
    FixSpec). A rule of `confidence="likely"` and every rule left out of the default set
    (`enabled=False`) says why in `default_reason`.
    """
    if scope not in SCOPES:
        raise ValueError(f"{code}: unknown scope {scope!r}")
    if confidence not in CONFIDENCES:
        raise ValueError(f"{code}: unknown confidence {confidence!r}")
    if (confidence == LIKELY or not enabled) and not default_reason:
        raise ValueError(f"{code}: a likely or opt-in rule says why it is in or out of the default set")

    def add(fn: Callable | None) -> Callable | None:
        _RULES[code] = entry = Rule(
            code=code,
            name=name,
            category=CATEGORY_OF_FAMILY[code[0]],
            severity=Severity(severity),
            summary=summary,
            rationale=" ".join(rationale.split()),
            bad=_example(bad),
            good=_example(good),
            scope=scope,
            check=fn,
            dialects=dialects,
            fix=Applicability(fix) if fix is not None else None,
            enabled=enabled,
            confidence=confidence,
            default_reason=" ".join(default_reason.split()),
        )
        register(entry)
        return fn

    return add


def _example(text: str) -> str:
    """Examples are written indented inside the rule modules; store them flush left."""
    lines = text.strip("\n").split("\n")
    cut = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[cut:] for line in lines) + "\n"


def hit(
    message: str,
    span: Span | None,
    *fixes: FixSpec,
    related: tuple[Related, ...] = (),
    code: str = "",
    severity: Severity | str | None = None,
) -> Hit:
    """A finding of the rule being run (`code` only when one check reports for several rules;
    `severity` only when this finding's evidence is weaker or stronger than the rule's usual)."""
    level = Severity(severity) if severity is not None else None
    return Hit(code, message, span, tuple(fixes), related, severity=level)
