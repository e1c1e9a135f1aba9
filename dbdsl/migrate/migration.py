"""One migration between two schemas: the up plan, its rollback (the down plan), their warnings, and
the text of both files.

The down plan is the diff from the new schema back to the old one with the renames inverted, ordered
and rendered like any plan, so a rollback is as valid, step by step, as the migration it undoes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.schema import Ref, Schema
from ..rules.config import ConfigError, find_config
from .catalog import Catalog
from .diff import Renames, TableKey, diff
from .plan import Plan, make_plan
from .render import render
from .rules import MigrationWarning
from .safety import lint
from .script import script_text


@dataclass
class Migration:
    up: Plan
    down: Plan
    up_warnings: list[MigrationWarning]
    down_warnings: list[MigrationWarning]
    dialect: str
    allow_destructive: bool = False
    notes: list[str] = field(default_factory=list)  # shown in both files' headers (where from, where to)

    @property
    def empty(self) -> bool:
        return self.up.empty

    @property
    def refused(self) -> list[MigrationWarning]:
        return [w for w in self.up_warnings if w.refused]

    def apply_config(self, path: str) -> None:
        """Leave out the warnings the project's configuration (`[tool.dbdsl]` `select`/`ignore` found
        for `path`, as `dbdsl check` reads it) turns off. A refusal to drop data is never left out."""
        try:
            config = find_config(path)
            enabled = config.enabled_codes(path)
        except ConfigError:
            return  # `dbdsl check` reports a broken configuration; keep every warning here
        self.up_warnings = [w for w in self.up_warnings if w.refused or w.code in enabled]
        self.down_warnings = [w for w in self.down_warnings if w.code in enabled]
        self.up.warnings = self.up_warnings
        self.down.warnings = self.down_warnings

    def up_text(self, title: str = "migration (up)") -> str:
        return script_text(self.up, self.up_warnings, title=title, notes=self.notes)

    def down_text(self, title: str = "migration (down)") -> str:
        notes = list(self.notes)
        lost = [c.subject for c in self.up.destructive]
        if lost:
            notes.append("Rolling back recreates " + ", ".join(lost) + " empty: the dropped data is not restored.")
        return script_text(self.down, self.down_warnings, title=title, notes=notes)


def plan_plain(
    old: Schema,
    new: Schema,
    dialect: str,
    *,
    safe: bool = False,
    renames: Renames | None = None,
    order_refs: tuple[Ref, ...] | None = None,
    empty_tables: frozenset[TableKey] = frozenset(),
    catalogs: tuple[Catalog, Catalog] | None = None,
) -> Plan:
    """The rendered plan from `old` to `new` (no lint); see `make_plan` for the options."""
    found = diff(old, new, dialect, renames, catalogs=catalogs)
    plan = make_plan(found, safe=safe, order_refs=order_refs, empty_tables=empty_tables)
    render(plan)
    return plan


def plan_migration(
    old: Schema,
    new: Schema,
    dialect: str,
    *,
    safe: bool = False,
    allow_destructive: bool = False,
    notes: list[str] | None = None,
    order_refs: tuple[Ref, ...] | None = None,
    empty_tables: frozenset[TableKey] = frozenset(),
    catalogs: tuple[Catalog, Catalog] | None = None,
) -> Migration:
    """Diff, order, render and lint the migration from `old` to `new`, and its rollback. `catalogs`:
    those of `old` and `new` when they were built already."""
    up = plan_plain(old, new, dialect, safe=safe, order_refs=order_refs, empty_tables=empty_tables, catalogs=catalogs)
    down = plan_plain(
        new,
        old,
        dialect,
        safe=safe,
        renames=up.diff.renames.inverted(),
        order_refs=order_refs,
        empty_tables=empty_tables,
        catalogs=(up.diff.new_catalog, up.diff.old_catalog),
    )
    up_warnings = lint(up, allow_destructive=allow_destructive)
    # the rollback drops what the migration added: that is its job, so nothing is refused there, and the
    # rename look-alikes are the migration's business only
    down_warnings = [w for w in lint(down, refuse=False) if w.code != "M017"]
    up.warnings = up_warnings
    down.warnings = down_warnings
    return Migration(up, down, up_warnings, down_warnings, dialect, allow_destructive, list(notes or []))
