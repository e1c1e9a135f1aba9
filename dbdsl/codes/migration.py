"""The migration safety rules (codes `M...`): their documentation, in the code table.

Each rule has a stable code, a one-line summary, a rationale, the zero-downtime alternative, a bad and a
good example (SQL), the dialects it applies to and a default severity. The checks themselves live in
`dbdsl/migrate/safety.py` (they read a plan) and `dbdsl/migrate/diff.py` (look-alike renames), which
report `dbdsl.migrate.rules.MigrationWarning`s.
"""

from __future__ import annotations

from ..dialects import NAMES
from ..findings import Severity
from .registry import Code, register


def _text(s: str) -> str:
    return " ".join(s.split())


def _sql(s: str) -> str:
    lines = s.strip("\n").split("\n")
    cut = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[cut:] for line in lines) + "\n"


PG = ("postgres",)


def _rule(code: str, name: str, severity: str, summary: str, rationale: str, alternative: str, bad: str, good: str,
          dialects: tuple[str, ...] = NAMES) -> None:  # fmt: skip
    register(
        Code(
            code,
            name,
            "migration",
            Severity(severity),
            summary,
            rationale=_text(rationale),
            bad=_sql(bad),
            good=_sql(good),
            dialects=dialects,
            alternative=_text(alternative),
        )
    )


_rule(
    "M001",
    "drop-table",
    "warning",
    "Dropping a table deletes its rows",
    """The table and every row in it are gone once the migration runs, and code that still reads or
    writes it fails. dbdsl refuses to write such a migration unless `--allow-destructive` is given; the
    down migration recreates the table empty.""",
    """Stop using the table in the application and deploy that first; archive the rows if they matter
    (or rename the table to a `_deprecated` name for a release); drop it in a later migration.""",
    "DROP TABLE legacy_orders;",
    """-- release 1: the application no longer reads legacy_orders
    -- release 2, after a backup:
    DROP TABLE legacy_orders;""",
)
_rule(
    "M002",
    "drop-column",
    "warning",
    "Dropping a column deletes its data",
    """The column's values are lost, and running code that still selects or inserts the column fails
    (ORMs often select every column they know). dbdsl refuses unless `--allow-destructive` is given;
    the down migration adds the column back empty.""",
    """Remove every use of the column from the application (and ignore it in the ORM) and deploy that
    first; drop the column in a later migration.""",
    "ALTER TABLE users DROP COLUMN legacy_flag;",
    """-- release 1: the application no longer uses users.legacy_flag
    -- release 2:
    ALTER TABLE users DROP COLUMN legacy_flag;""",
)
_rule(
    "M003",
    "add-not-null-column",
    "warning",
    "Adding a NOT NULL column without a default fails on a table with rows",
    """Existing rows have no value for the new column, so the ALTER fails as soon as the table holds a
    row (and SQLite refuses it outright, so dbdsl rebuilds the table there).""",
    """Add the column as nullable (or with a default), backfill it in batches, then set NOT NULL
    (`--safe` writes these steps).""",
    "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;",
    """ALTER TABLE users ADD COLUMN tenant_id bigint;
    UPDATE users SET tenant_id = 1 WHERE tenant_id IS NULL;  -- in batches
    ALTER TABLE users ALTER COLUMN tenant_id SET NOT NULL;""",
)
_rule(
    "M004",
    "set-not-null",
    "warning",
    "Setting NOT NULL scans the whole table under an exclusive lock",
    """`ALTER COLUMN ... SET NOT NULL` checks every row while holding an ACCESS EXCLUSIVE lock: reads
    and writes wait for the whole scan, and the statement fails if a NULL is left.""",
    """Add `CHECK (col IS NOT NULL) NOT VALID`, validate it in a separate transaction (a weaker lock),
    then SET NOT NULL, which uses the validated check instead of scanning (PostgreSQL 12+), and drop
    the check (`--safe` writes these steps).""",
    "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
    """ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
    ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
    ALTER TABLE users ALTER COLUMN email SET NOT NULL;
    ALTER TABLE users DROP CONSTRAINT users_email_not_null;""",
    PG,
)
_rule(
    "M005",
    "table-rewriting-type-change",
    "warning",
    "Changing the column type rewrites the table",
    """Most type changes rewrite every row and rebuild the table's indexes under an ACCESS EXCLUSIVE
    lock, and a narrowing change fails (or loses precision) on existing values. Changes that keep the
    binary form (a longer varchar, varchar to text, more numeric precision) do not rewrite and are not
    reported.""",
    """Add a new column of the new type, write to both, backfill in batches, switch reads to the new
    column, then drop the old one in a later migration.""",
    "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);",
    """ALTER TABLE orders ADD COLUMN total_v2 numeric(12,2);
    -- the application writes both columns; backfill in batches, switch reads, then:
    ALTER TABLE orders DROP COLUMN total;""",
    PG,
)
_rule(
    "M006",
    "add-unique-constraint",
    "warning",
    "Adding a unique constraint or primary key to a table with rows locks it and may fail",
    """The unique index is built while writes are blocked, and the statement fails if existing rows
    hold duplicates.""",
    """On PostgreSQL build the index first with `CREATE UNIQUE INDEX CONCURRENTLY`, then attach it
    with `ADD CONSTRAINT ... UNIQUE USING INDEX` (`--safe` does this); look for duplicates before.""",
    "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
    """CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
    ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;""",
)
_rule(
    "M007",
    "create-index-blocking",
    "warning",
    "Creating an index without CONCURRENTLY blocks writes to the table",
    """`CREATE INDEX` holds a SHARE lock for the whole build: inserts, updates and deletes on the table
    wait until it finishes.""",
    """Use `CREATE INDEX CONCURRENTLY`, outside a transaction (`--safe` does this); if it fails, drop the
    invalid index and retry.""",
    "CREATE INDEX orders_customer_id_idx ON orders (customer_id);",
    "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);",
    PG,
)
_rule(
    "M008",
    "drop-index-blocking",
    "warning",
    "Dropping an index without CONCURRENTLY blocks the table",
    """`DROP INDEX` takes an ACCESS EXCLUSIVE lock on the table; behind a long query it queues every
    other query on the table.""",
    "Use `DROP INDEX CONCURRENTLY`, outside a transaction (`--safe` does this).",
    "DROP INDEX orders_status_idx;",
    "DROP INDEX CONCURRENTLY orders_status_idx;",
    PG,
)
_rule(
    "M009",
    "add-foreign-key-validating",
    "warning",
    "Adding a foreign key checks every row while both tables are locked",
    """`ADD CONSTRAINT ... FOREIGN KEY` validates all existing rows while holding a SHARE ROW EXCLUSIVE
    lock on the table and on the referenced table, blocking their writes.""",
    """Add the constraint `NOT VALID` (only new rows are checked, the lock is brief), then run
    `VALIDATE CONSTRAINT` in a separate transaction, which does not block writes (`--safe`).""",
    "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);",
    """ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id)
      REFERENCES customers (id) NOT VALID;
    ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;""",
    PG,
)
_rule(
    "M010",
    "add-check-validating",
    "warning",
    "Adding a CHECK constraint scans the table under an exclusive lock",
    """`ADD CONSTRAINT ... CHECK` validates every row while holding an ACCESS EXCLUSIVE lock.""",
    """Add it `NOT VALID`, then `VALIDATE CONSTRAINT` in a separate transaction (`--safe`).""",
    "ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);",
    """ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;
    ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;""",
    PG,
)
_rule(
    "M011",
    "rename-table",
    "warning",
    "Renaming a table breaks the code that still uses the old name",
    """The rename is instant, but every running instance of the application that still says the old
    name fails until it is redeployed: the change is not backward compatible.""",
    """Expand and contract: create the new table (or a view with the new name over the old table),
    move the application to the new name, then remove the old name in a later migration.""",
    "ALTER TABLE clients RENAME TO customers;",
    """ALTER TABLE clients RENAME TO customers;
    CREATE VIEW clients AS SELECT * FROM customers;  -- until every reader uses the new name""",
)
_rule(
    "M012",
    "rename-column",
    "warning",
    "Renaming a column breaks the code that still uses the old name",
    """Running application instances that select, insert or update the old column name fail until they
    are redeployed.""",
    """Add the new column, write to both, backfill, move reads to the new column, then drop the old
    one in a later migration.""",
    "ALTER TABLE users RENAME COLUMN mail TO email;",
    """ALTER TABLE users ADD COLUMN email varchar(320);
    -- the application writes both; backfill; reads move to email; later: drop mail""",
)
_rule(
    "M013",
    "enum-value-in-transaction",
    "warning",
    "Adding an enum value inside a transaction",
    """A value added with `ALTER TYPE ... ADD VALUE` cannot be used before its transaction commits
    (before PostgreSQL 12 the statement cannot run in a transaction block at all).""",
    """Add the value in its own statement outside the migration's transaction, before anything uses it
    (`--safe` does this).""",
    """BEGIN;
    ALTER TYPE order_status ADD VALUE 'refunded';
    COMMIT;""",
    """ALTER TYPE order_status ADD VALUE 'refunded';  -- on its own, before the transaction""",
    PG,
)
_rule(
    "M014",
    "enum-value-removed",
    "warning",
    "Removing or reordering enum values recreates the type",
    """Enum values cannot be dropped in place: the type is recreated and every column using it is
    converted, which rewrites those tables, and the conversion fails if a row still holds a removed
    value.""",
    """Move the rows off the value first (UPDATE ... SET status = 'other'), stop writing it, then remove
    the value.""",
    """-- removing 'legacy' from order_status while rows still hold it""",
    """UPDATE orders SET status = 'cancelled' WHERE status = 'legacy';
    -- then remove 'legacy' from the Enum""",
)
_rule(
    "M015",
    "rename-enum-value",
    "warning",
    "Renaming an enum value breaks the code that still writes the old value",
    """Application instances that still write or compare the old label fail or match nothing until
    they are redeployed.""",
    """Add the new value, make the application write it, migrate the rows, then remove the old
    value.""",
    "ALTER TYPE order_status RENAME VALUE 'sent' TO 'shipped';",
    """ALTER TYPE order_status ADD VALUE 'shipped';
    -- the application writes 'shipped'; UPDATE the rows; later remove 'sent'""",
)
_rule(
    "M016",
    "sqlite-table-rebuild",
    "warning",
    "SQLite cannot alter this in place: the table is rebuilt",
    """SQLite's ALTER TABLE cannot change a column's type, nullability, default, constraints or foreign
    keys, so the documented procedure is used: create the new table, copy the rows, drop the old table
    and rename the new one, with foreign key enforcement off meanwhile. The copy holds the database's
    write lock for its whole duration and fails if a row breaks a new constraint.""",
    """Run it when the database is quiet and back it up first; for large tables, copy in batches into
    the new table and switch with a rename.""",
    "-- changing users.email to NOT NULL on SQLite",
    """-- the plan says 'rebuild users' and copies the rows; check the constraint first:
    SELECT count(*) FROM users WHERE email IS NULL;""",
    ("sqlite",),
)
_rule(
    "M017",
    "looks-like-rename",
    "warning",
    "A drop and an add that look like a rename",
    """dbdsl renames only where a `renamed_from` hint says so; otherwise it drops the old element (and
    its data) and creates an empty new one.""",
    """If it is a rename, add `renamed_from: 'old_name'` to the new element; if not, this warning can be
    ignored.""",
    """Table customers {  // was `clients`: dropped and created empty
      id int [pk]
    }""",
    """Table customers [renamed_from: 'clients'] {
      id int [pk]
    }""",
)
_rule(
    "M018",
    "add-column-volatile-default",
    "warning",
    "Adding a column with a volatile default rewrites the table",
    """A constant (or stable, like `now()`) default is stored once in the catalog, but a volatile one
    (`random()`, `gen_random_uuid()`, `clock_timestamp()`) is computed for every existing row: the
    table is rewritten under an ACCESS EXCLUSIVE lock.""",
    """Add the column without the default, set the default (it applies to new rows only), then
    backfill the existing rows in batches.""",
    "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
    """ALTER TABLE users ADD COLUMN token uuid;
    ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();
    UPDATE users SET token = gen_random_uuid() WHERE token IS NULL;  -- in batches""",
    PG,
)

_rule(
    "M021",
    "partitioning-rebuild",
    "warning",
    "Changing how a table is partitioned rebuilds it",
    """PostgreSQL cannot turn a table into a partitioned one, back, or change its partition key in
    place: the migration sets the table aside, creates it again, copies every row and drops the old
    one, all under an ACCESS EXCLUSIVE lock, and the foreign keys that reference it are dropped and
    added again. Grants, row-level security policies and triggers belong to the old table and go with
    it.""",
    """Create the partitioned table beside the old one, copy the rows in batches while the application
    writes to both (or during a quiet period), then switch with a rename in one short transaction; apply
    the physical design (`dbdsl sql --with ...`) to the new table.""",
    "-- adding partition_by: 'range (created_at), monthly' to a table that holds rows",
    """-- the plan says 'rebuild events'; run it in a maintenance window, then re-apply
    -- the grants, policies and triggers of `dbdsl sql --with all`""",
    PG,
)

_rule(
    "M022",
    "lossy-type-change",
    "warning",
    "A type change that can lose or alter values",
    """Narrowing a column's type converts every row: a smaller scale rounds (12.34 becomes 12.3), a
    float made an integer rounds (2.75 becomes 3), a timestamp made a date drops the time, text read as
    a number or a boolean is rewritten ('007' becomes 7), a shorter varchar cuts or fails, a narrower
    integer fails on large values. The rollback restores the type, not the values. dbdsl refuses such a
    migration unless `--allow-destructive` is given; with `--safe` it writes the change with a check
    that every value converts exactly, so the migration stops instead of altering a row.""",
    """Add a column of the new type, backfill it, check that every value converted exactly, then swap
    the columns (`dbdsl migrate diff --safe` writes this); or clean the values first.""",
    "ALTER TABLE prices ALTER COLUMN amount TYPE numeric(10,1);",
    """ALTER TABLE prices ADD COLUMN amount_new numeric(10,1);
    UPDATE prices SET amount_new = amount;
    -- stop when a value changed: SELECT count(*) FROM prices WHERE amount_new::numeric(10,2) IS DISTINCT FROM amount
    ALTER TABLE prices DROP COLUMN amount;
    ALTER TABLE prices RENAME COLUMN amount_new TO amount;""",
)
