"""The migration history a database keeps about itself: the table `dbdsl_schema_history`, one row per
migration version (its primary key, so a version cannot be recorded twice) holding its latest state:
`applied`, `failed` (with the statement that failed, its line and the engine's message) or
`rolled back`, with the file's checksum, when, how long and by whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlglot import exp

from .connect import Database

TABLE = "dbdsl_schema_history"
LOCK_TABLE = "dbdsl_schema_lock"  # SQLite only: who holds the apply lock
OWN_TABLES = frozenset({TABLE, LOCK_TABLE})

APPLIED, FAILED, ROLLED_BACK = "applied", "failed", "rolled back"

COLUMNS = (
    ("version", "INTEGER NOT NULL PRIMARY KEY"),
    ("name", "VARCHAR(255) NOT NULL"),
    ("checksum", "VARCHAR(100) NOT NULL"),
    ("direction", "VARCHAR(10) NOT NULL"),
    ("status", "VARCHAR(20) NOT NULL"),
    ("applied_at", "VARCHAR(40) NOT NULL"),
    ("duration_ms", "INTEGER NOT NULL"),
    ("applied_by", "VARCHAR(255) NOT NULL"),
    ("failed_line", "INTEGER"),
    ("failed_statement", "TEXT"),
    ("error", "TEXT"),
)


@dataclass
class Entry:
    version: int
    name: str
    checksum: str
    direction: str  # up or down
    status: str
    applied_at: str
    duration_ms: int
    applied_by: str
    failed_line: int | None = None
    failed_statement: str | None = None
    error: str | None = None

    @property
    def stem(self) -> str:
        return f"{self.version:04d}_{self.name}"


def table_sql(db: Database) -> str:
    return exp.to_identifier(TABLE, quoted=True).sql(_dialect(db))


def _dialect(db: Database) -> str:
    return {"postgres": "postgres", "mysql": "mysql", "sqlite": "sqlite"}[db.kind]


def ensure_table(db: Database) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS)
    db.execute(f"CREATE TABLE IF NOT EXISTS {table_sql(db)} ({columns})")


def exists(db: Database) -> bool:
    if db.kind == "sqlite":
        return bool(db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", (TABLE,)))
    if db.kind == "postgres":
        return db.query("SELECT to_regclass(%s) IS NOT NULL", (exp.to_identifier(TABLE, quoted=True).sql("postgres"),))[
            0
        ][0]
    return bool(
        db.query(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = %s", (TABLE,)
        )
    )


def read(db: Database) -> dict[int, Entry]:
    """The history by version (empty when the table does not exist yet)."""
    if not exists(db):
        return {}
    names = ", ".join(name for name, _ in COLUMNS)
    rows = db.query(f"SELECT {names} FROM {table_sql(db)} ORDER BY version")
    return {row[0]: Entry(*row) for row in rows}


def record(db: Database, entry: Entry) -> None:
    """Insert or replace the row of `entry.version` (in one statement: the row is never missing)."""
    names = [name for name, _ in COLUMNS]
    values = [getattr(entry, name) for name in names]
    placeholders = ", ".join(["%s"] * len(names))
    table = table_sql(db)
    if db.kind == "mysql":
        sql = f"REPLACE INTO {table} ({', '.join(names)}) VALUES ({placeholders})"
    else:
        updates = ", ".join(f"{n} = excluded.{n}" for n in names[1:])
        sql = (
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders}) "
            f"ON CONFLICT (version) DO UPDATE SET {updates}"
        )
    db.execute(sql, values)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
