"""Migrations: schema diff, ordered plans with rollback, safety lint, migration directories.

The entry points (used by `dbdsl migrate` and the language server):

- `plan_migration(old, new, dialect, ...) -> Migration`: the up and down plans, their warnings and
  their file texts;
- `next_migration(analysis, ...) -> MigrationDraft`: the next migration of a working copy against git,
  a file or a migrations directory, as files to create;
- `pending_drops(analysis, ...) -> list[Finding]`: what the working copy would drop;
- `phases(schema, dialect)`: the initial schema as phases (`dbdsl migrate init`);
- `verify(MigrationDirectory(path))`: checksums, replay and rollbacks of a directory.

They are imported on first use, so that the rule registry can read `dbdsl.migrate.rules` (the M rules'
documentation) without loading the planner.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "DraftFile": "api",
    "MigrationDraft": "api",
    "MigrationError": "api",
    "next_migration": "api",
    "pending_drops": "api",
    "MigrationDirectory": "directory",
    "Phase": "init",
    "phases": "init",
    "Migration": "migration",
    "plan_migration": "migration",
    "RULES": "rules",
    "MigrationRule": "rules",
    "MigrationWarning": "rules",
    "all_rules": "rules",
    "VerifyReport": "verify",
    "verify": "verify",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dbdsl.migrate' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
