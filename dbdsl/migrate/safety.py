"""The migration safety lint: the M rules (see `rules.py`) checked on a rendered plan.

Each finding names the zero-downtime alternative; `--safe` plans use that alternative where one exists,
and then the rule has nothing to say. Destructive steps (dropping a table or a column) are refused
unless the plan allows them: dbdsl never drops data silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from sqlglot import exp

from ..model.schema import Column, Enum, Table
from ..model.spans import Span
from . import catalog as cat
from .diff import Change, Element
from .lossy import change_reason
from .plan import Plan, Step
from .render import volatile
from .rules import RULES, MigrationWarning

T = exp.DataType.Type
VARCHAR_LIKE = {T.VARCHAR, T.NVARCHAR, T.TEXT}
NUMERIC = {T.DECIMAL}
# what loses data: refused without --allow-destructive (a lossy type change written with its check is not)
DESTRUCTIVE_CODES = {"M001": "drop it", "M002": "drop it", "M022": "change it anyway, or --safe to check every value"}


class _Found(NamedTuple):
    """What a rule finds on a step; `checked` when the plan writes the step with the check that makes it
    safe (then it is not refused)."""

    code: str
    subject: str
    message: str
    span: Span | None
    checked: bool = False


def lint(plan: Plan, *, allow_destructive: bool = False, refuse: bool = True) -> list[MigrationWarning]:
    """The findings of the M rules on `plan` (whose statements are rendered), in step order; with
    `refuse`, what loses data (drops, lossy type changes) without `allow_destructive` is marked
    refused. The diff's look-alike rename warnings (M017) come first."""
    out = list(plan.diff.warnings)
    dialect = plan.dialect
    for step in plan.steps:
        for code, subject, message, span, checked in _step_findings(step, plan):
            rule = RULES[code]
            if not rule.applies_to(dialect):
                continue
            refused = refuse and code in DESTRUCTIVE_CODES and not checked and not allow_destructive
            if refused:
                message += f" (refused: pass --allow-destructive to {DESTRUCTIVE_CODES[code]})"
            out.append(MigrationWarning(code, message, rule.alternative, subject, span, refused))
    for change in plan.diff.enum_changes:
        if change.kind == "recreate_enum" and change.detail:
            enum = change.new_as(Enum)
            values = ", ".join(f"'{v}'" for v in change.detail)
            message = f"enum {enum.qualified} loses {values}: rows holding them make the migration fail"
            if dialect == "postgres":
                message += "; the type is recreated and every column using it converted"
            out.append(_warning("M014", enum.qualified, message, enum.name_span))
        elif change.kind == "recreate_enum":
            enum = change.new_as(Enum)
            message = f"enum {enum.qualified}: its values are reordered, so the type is recreated"
            if dialect == "postgres":
                out.append(_warning("M014", enum.qualified, message, enum.name_span))
        elif change.kind == "rename_enum_value":
            enum = change.new_as(Enum)
            old_value, new_value = change.detail
            value = next((v for v in enum.values if v.name == new_value), None)
            message = f"enum value {enum.qualified}.{old_value} is renamed to '{new_value}'"
            out.append(_warning("M015", f"{enum.qualified}.{new_value}", message, value.span if value else None))
    return out


def _warning(code: str, subject: str, message: str, span: Span | None) -> MigrationWarning:
    return MigrationWarning(code, message, RULES[code].alternative, subject, span)


def _step_findings(step: Step, plan: Plan) -> Iterator[_Found]:
    """What the rules find on one step."""
    kind = step.kind
    if kind == "rebuild_table":
        yield from _rebuild_findings(step, plan)
        return
    c = step.own_change
    existing = not step.on_new_table
    table: Table | None = c.new_table
    table_span = (table.name_span or table.span) if table is not None else None
    if kind == "drop_table":
        yield _Found("M001", c.subject, f"table {c.old_as(Table).qualified} is dropped with all its rows", None)
    elif kind == "drop_column":
        yield _Found("M002", c.subject, f"column {c.subject} is dropped with its data", table_span)
    elif kind == "add_column" and existing:
        yield from _add_column_findings(step, plan)
    elif kind == "set_not_null" and existing and step.form != "safe":
        message = f"SET NOT NULL on {c.subject} scans the table under an exclusive lock"
        yield _Found("M004", c.subject, message, _span(c.new))
    elif kind == "alter_type" and existing:
        yield from _lossy_findings(c, plan, checked=step.form == "safe")
    if kind == "alter_type" and plan.dialect == "postgres" and step.form != "safe" and _rewrites(plan, c):
        yield _Found(
            "M005",
            c.subject,
            f"{c.subject} changes type from {c.old_as(Column).type.text} to {c.new_as(Column).type.text}, "
            "which rewrites the table",
            _span(c.new),
        )
    if kind in ("add_unique", "add_primary_key") and existing and step.form != "safe":
        what = "primary key" if kind == "add_primary_key" else "unique constraint"
        message = f"{what} {c.new_as(cat.DbObject).name} is added to existing rows of {c.on_table.qualified}"
        yield _Found("M006", c.subject, message, table_span)
    elif kind == "create_index" and existing and step.form != "safe":
        message = f"index {c.new_as(cat.DbObject).name} is created without CONCURRENTLY on {c.on_table.qualified}"
        yield _Found("M007", c.subject, message, table_span)
    elif kind == "drop_index" and existing and step.form != "safe":
        message = f"index {c.old_as(cat.DbObject).name} is dropped without CONCURRENTLY"
        yield _Found("M008", c.subject, message, table_span)
    elif kind == "add_foreign_key" and existing and step.form != "safe":
        message = f"foreign key {c.new_as(cat.DbObject).name} is added without NOT VALID"
        yield _Found("M009", c.subject, message, table_span)
    elif kind == "add_check" and existing and step.form != "safe" and c.new_as(cat.DbObject).kind == "check":
        yield _Found("M010", c.subject, f"check {c.new_as(cat.DbObject).name} is added without NOT VALID", table_span)
    elif kind == "rename_table":
        message = f"table {c.old_as(Table).qualified} is renamed to {c.new_as(Table).name}"
        yield _Found("M011", c.subject, message, table_span)
    elif kind == "rename_column":
        message = f"column {c.on_table.qualified}.{c.old_as(Column).name} is renamed to {c.new_as(Column).name}"
        yield _Found("M012", c.subject, message, _span(c.new))
    elif kind == "add_enum_value" and any(s.transaction for s in step.statements):
        enum = c.new_as(Enum)
        value = c.detail[0]
        yield _Found(
            "M013",
            f"{enum.qualified}.{value}",
            f"enum value '{value}' is added to {enum.qualified} inside the migration's transaction",
            enum.name_span,
        )


def _lossy_findings(change: Change, plan: Plan, *, checked: bool) -> Iterator[_Found]:
    """M022 for a type change that can lose or alter values; `checked` when the plan writes it with the
    check that every value converts exactly (then it is not refused)."""
    reason = change_reason(plan.diff, change)
    if reason is None:
        return
    old_type, new_type = change.old_as(Column).type.text, change.new_as(Column).type.text
    message = f"{change.subject} changes type from {old_type} to {new_type}: {reason}"
    if checked:
        message += "; the migration checks that every value converts exactly and stops otherwise"
    yield _Found("M022", change.subject, message, _span(change.new), checked=checked)


def _add_column_findings(step: Step, plan: Plan) -> Iterator[_Found]:
    c = step.own_change
    coldef = plan.diff.new_catalog.column(c.on_table.key, c.new_as(Column).name)
    if coldef is None:
        return
    default = _default(coldef)
    not_null = any(isinstance(k.kind, exp.NotNullColumnConstraint) for k in coldef.args.get("constraints") or [])
    identity = any(
        isinstance(k.kind, exp.GeneratedAsIdentityColumnConstraint) for k in coldef.args.get("constraints") or []
    )
    if not_null and default is None and not identity:
        message = f"NOT NULL column {c.subject} has no default"
        if step.form == "safe":
            message += ": it is added nullable; backfill it where the migration says, or the NOT NULL step fails"
        yield _Found("M003", c.subject, message, _span(c.new))
    if default is not None and step.form != "safe" and volatile(default):
        yield _Found(
            "M018",
            c.subject,
            f"{c.subject} is added with the volatile default {default.sql('postgres')}",
            _span(c.new),
        )


def _rebuild_findings(step: Step, plan: Plan) -> Iterator[_Found]:
    new_table, _old_table = step.detail
    span = new_table.name_span or new_table.span
    what = "; ".join(c.describe() for c in step.changes)
    yield _Found("M016", new_table.qualified, f"table {new_table.qualified} is rebuilt to {what}", span)
    if any(c.kind == "repartition_table" for c in step.changes):
        yield _Found("M021", new_table.qualified, f"table {new_table.qualified} is rebuilt to {what}", span)
    for c in step.changes:
        if c.kind == "drop_column":
            yield _Found("M002", c.subject, f"column {c.subject} is dropped with its data", span)
        elif c.kind == "alter_type":
            yield from _lossy_findings(c, plan, checked=plan.safe)
        elif c.kind == "add_column":
            coldef = plan.diff.new_catalog.column(new_table.key, c.new_as(Column).name)
            if coldef is None:
                continue  # as for a column added in place (`_add_column_findings`)
            constraints = coldef.args.get("constraints") or []
            not_null = any(isinstance(k.kind, exp.NotNullColumnConstraint) for k in constraints)
            if not_null and _default(coldef) is None:
                yield _Found("M003", c.subject, f"NOT NULL column {c.subject} has no default", _span(c.new))
        elif c.kind in ("add_unique", "add_primary_key"):
            what = "primary key" if c.kind == "add_primary_key" else "unique constraint"
            message = f"{what} {c.new_as(cat.DbObject).name} is added to existing rows of {new_table.qualified}"
            yield _Found("M006", c.subject, message, span)


def _span(element: Element | None) -> Span | None:
    if isinstance(element, Column):
        return element.name_span or element.span
    if isinstance(element, Table):
        return element.name_span or element.span
    if isinstance(element, cat.DbObject):
        return None
    return None


def _default(coldef: exp.ColumnDef) -> exp.Expression | None:
    for k in coldef.args.get("constraints") or []:
        if isinstance(k.kind, exp.DefaultColumnConstraint) and not isinstance(k.kind.this, exp.Null):
            return k.kind.this
    return None


def _rewrites(plan: Plan, change: Change) -> bool:
    """Whether PostgreSQL rewrites the table for this type change (it does not for a longer varchar,
    varchar to text, or more numeric precision with the same scale)."""
    # the diff changes a type only where both sides define the column
    old = plan.diff.old_catalog.known_column(change.on_old_table.key, change.old_as(Column).name).args.get("kind")
    new = plan.diff.new_catalog.known_column(change.on_new_table.key, change.new_as(Column).name).args.get("kind")
    if old is None or new is None:
        return True
    if old.this in VARCHAR_LIKE and new.this in VARCHAR_LIKE:
        if new.this == T.TEXT or (new.this == old.this and not new.expressions):
            return False
        if old.this == new.this and old.expressions and new.expressions:
            return _size(new) < _size(old)
        return old.this != T.TEXT or bool(new.expressions)
    if old.this in NUMERIC and new.this in NUMERIC:
        if not new.expressions:
            return False
        if old.expressions and len(old.expressions) == len(new.expressions):
            sizes_old = [_int(p) for p in old.expressions]
            sizes_new = [_int(p) for p in new.expressions]
            same_scale = sizes_old[1:] == sizes_new[1:]
            return not (same_scale and sizes_new[0] >= sizes_old[0])
        return True
    return True


def _size(datatype: exp.DataType) -> int:
    return _int(datatype.expressions[0]) if datatype.expressions else 1 << 30


def _int(param: exp.Expression) -> int:
    try:
        return int(param.this.this if isinstance(param, exp.DataTypeParam) else param.this)
    except (TypeError, ValueError):
        return 0
