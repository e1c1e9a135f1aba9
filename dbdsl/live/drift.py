"""Drift: the migration from one side to the other, where each side is a live database (read by
`pull`) or a schema file. `plan_migration` decides what differs, so drift is said in the words
`dbdsl migrate plan` uses, and `--sql` is the migration itself (with its safety rules)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from ..dialects import project_dialect
from ..findings import Finding, Severity
from ..migrate.migration import plan_plain
from ..migrate.plan import Plan
from ..migrate.rules import MigrationWarning
from ..migrate.safety import lint
from ..migrate.script import script_text
from ..migrate.sources import analyze_file
from ..model.schema import Schema
from ..workspace import Analysis
from .connect import ConnectError, Database, StatementError, connect
from .pull import pull
from .url import mask_url


@dataclass
class Side:
    label: str
    schema: Schema
    dialect: str | None  # the engine of a database; a file's Project database_type


def is_url(text: str) -> bool:
    """`scheme://...` is a URL (an unknown scheme is then refused by name); anything else a file."""
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text) is not None


def read_side(spec: str, *, password_env: str | None = None, timeout: float = 10, schema: str | None = None) -> Side:
    """A URL is pulled; anything else is a schema file (SourceProblem when it has errors)."""
    if is_url(spec):
        with connect(spec, password_env=password_env, timeout=timeout) as db:
            return database_side(db, schema)
    analysis = analyze_file(spec)
    return Side(spec, analysis.schema, project_dialect(analysis.schema))


def database_side(db: Database, schema: str | None = None) -> Side:
    return Side(db.url.shown, pull(db, schema).schema, db.dialect)


@dataclass
class Drift:
    """The migration from one side to the other: the up plan only (a rollback is not asked for)."""

    plan: Plan
    warnings: list[MigrationWarning]
    dialect: str

    @property
    def empty(self) -> bool:
        return self.plan.empty

    @property
    def steps(self) -> list:
        return self.plan.steps

    def sql(self, title: str) -> str:
        return script_text(self.plan, self.warnings, title=title)


def drift(first: Side, second: Side, dialect: str | None = None) -> Drift:
    """The drift from `first` to `second`, written in the database's dialect."""
    chosen = dialect or first.dialect or second.dialect
    if chosen is None:
        raise ValueError("neither side says its database: give --dialect")
    plan = plan_plain(first.schema, second.schema, chosen)
    warnings = lint(plan)
    plan.warnings = warnings
    return Drift(plan, warnings, chosen)


# ---------------------------------------------------------------- the editor's drift diagnostic

DRIFT_CODE = "L001"
CACHE_SECONDS = 30.0
_pulled: dict[str, tuple[float, Side | str]] = {}  # url -> (when, the database's side or why it failed)


def cached_side(url: str, *, timeout: float = 5) -> Side | str:
    """The database's side, read at most every CACHE_SECONDS (the editor asks after every edit); a
    masked one-line reason when it cannot be read."""
    now = time.monotonic()
    found = _pulled.get(url)
    if found is not None and now - found[0] < CACHE_SECONDS:
        return found[1]
    try:
        side: Side | str = read_side(url, timeout=timeout)
    except ConnectError as e:
        side = str(e)
    except StatementError as e:
        side = f"cannot read {mask_url(url)}: {e}"
    _pulled[url] = (now, side)
    return side


def drift_findings(analysis: Analysis, url: str) -> list[Finding]:
    """An information finding on the Project (or the first table) when the database at `url` differs
    from the file, or cannot be read; none when they are the same."""
    schema = analysis.schema
    anchor = schema.project if schema.project is not None and schema.project.span is not None else None
    span = anchor.span if anchor is not None else next((t.span for t in schema.tables if t.span is not None), None)
    if span is None:
        return []
    side = cached_side(url)
    if isinstance(side, str):
        return [Finding(DRIFT_CODE, "live", Severity.INFO, f"drift not checked: {side}", span)]
    found = drift(side, Side(analysis.path, schema, project_dialect(schema)))
    if found.empty:
        return []
    steps = found.steps
    shown = "; ".join(step.describe() for step in steps[:3]) + (
        f" (and {len(steps) - 3} more)" if len(steps) > 3 else ""
    )
    count = f"{len(steps)} change{'s' if len(steps) != 1 else ''}"
    message = f"the database {side.label} has drifted from this file ({count} to match it: {shown}); run Show drift"
    return [Finding(DRIFT_CODE, "live", Severity.INFO, message, span)]


def drift_report(analysis: Analysis, url: str) -> dict:
    """What the Show drift command answers: the steps from the database to the file, and their SQL."""
    _pulled.pop(url, None)
    side = cached_side(url)
    if isinstance(side, str):
        return {"error": side}
    found = drift(side, Side(analysis.path, analysis.schema, project_dialect(analysis.schema)))
    return {
        "database": side.label,
        "dialect": found.dialect,
        "steps": [step.describe() for step in found.steps],
        "sql": "" if found.empty else found.sql(f"from {side.label} to {analysis.path}"),
    }
