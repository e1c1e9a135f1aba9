"""Migration benchmark: plan (diff, order, render, lint, rollback) on the official DBML benchmark inputs.

For each input (../shared/corpus/bench/18k.dbml, 25k.dbml) it times, median of several runs:
- a no-op plan (the schema against itself: what `pending_drops` and a `migrate plan` without changes cost);
- a plan of a realistic release: one column added to every tenth table, one index added to every
  twentieth, one column dropped from every thirtieth, and the rollback;
- both migration files' text;
- what the release would drop, as the editor's `migrations.showDrops` asks after every edit
  (`dropped`: no SQL generated).
Prints figures; it is not a test.

    python bench/migrate.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("DBDSL_SHARED", REPO.parent / "shared"))
INPUTS = SHARED / "corpus" / "bench"

from dbdsl.migrate.diff import dropped  # noqa: E402
from dbdsl.migrate.migration import plan_migration  # noqa: E402
from dbdsl.model.schema import Column, ColumnType, Index, IndexKey  # noqa: E402
from dbdsl.workspace import Workspace  # noqa: E402


def release(schema):
    """The schema after a plausible release touching many tables."""
    tables = []
    for i, table in enumerate(schema.tables):
        columns = list(table.columns)
        indexes = list(table.indexes)
        if i % 10 == 0:
            columns.append(Column("bench_added", ColumnType("text")))
        if i % 20 == 0 and columns:
            indexes.append(Index((IndexKey("column", columns[0].name),), name=f"bench_idx_{i}"))
        referenced = {c for r in schema.refs for e in (r.left, r.right) if e.table_key == table.key for c in e.columns}
        if i % 30 == 0:
            droppable = [
                c
                for c in table.columns  # not the column this release adds
                if not c.pk and c.name not in referenced and all(c.name not in ix.columns for ix in indexes)
            ]
            if droppable and len(columns) > 2:
                columns.remove(droppable[-1])
        tables.append(replace(table, columns=tuple(columns), indexes=tuple(indexes)))
    return replace(schema, tables=tuple(tables), _tables={}, _enums={})


def timed(fn, runs: int) -> tuple[float, object]:
    samples = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for name in ("18k.dbml", "25k.dbml"):
        path = INPUTS / name
        if not path.is_file():
            print(f"{name}: not found in {INPUTS} (set DBDSL_SHARED)")
            continue
        schema = Workspace().analyze(str(path)).schema
        changed = release(schema)
        noop, _ = timed(lambda s=schema: plan_migration(s, s, "postgres"), args.runs)
        plan_time, migration = timed(
            lambda s=schema, c=changed: plan_migration(s, c, "postgres", allow_destructive=True), args.runs
        )
        text_time, _ = timed(lambda m=migration: (m.up_text(), m.down_text()), args.runs)
        drops_time, drops = timed(lambda s=schema, c=changed: dropped(s, c), args.runs)
        print(
            f"{name}: {len(schema.tables)} tables; no-op plan {noop * 1000:.0f} ms; "
            f"release plan ({len(migration.up.steps)} steps up, {len(migration.down.steps)} down, "
            f"{len(migration.up_warnings)} warnings) {plan_time * 1000:.0f} ms; files' text {text_time * 1000:.0f} ms; "
            f"what it drops ({len(drops)} columns) {drops_time * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
