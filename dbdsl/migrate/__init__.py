"""Migrations: schema diff, ordered plans with rollback, safety lint, migration directories.

The entry points (used by `dbdsl migrate`, the language server and the design document):

- `plan_migration(old, new, dialect, ...) -> Migration`: the up and down plans, their warnings and
  their file texts;
- `next_migration(analysis, ...) -> MigrationDraft`: the next migration of a working copy against git,
  a file or a migrations directory, as files to create;
- `pending_drops(analysis, ...) -> list[Finding]`: what the working copy would drop;
- `phases(schema, dialect)`: the initial schema as phases (`dbdsl migrate init`);
- `verify(MigrationDirectory(path))`: checksums, replay and rollbacks of a directory.
"""

from __future__ import annotations

from .api import DraftFile, MigrationDraft, MigrationError, next_migration, pending_drops
from .directory import MigrationDirectory
from .init import Phase, phases
from .migration import Migration, plan_migration
from .rules import RULES, MigrationRule, MigrationWarning, all_rules
from .verify import VerifyReport, verify

__all__ = [
    "RULES",
    "DraftFile",
    "Migration",
    "MigrationDirectory",
    "MigrationDraft",
    "MigrationError",
    "MigrationRule",
    "MigrationWarning",
    "Phase",
    "VerifyReport",
    "all_rules",
    "next_migration",
    "pending_drops",
    "phases",
    "plan_migration",
    "verify",
]
