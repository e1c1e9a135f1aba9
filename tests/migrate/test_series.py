"""A sample schema through thirteen versions, migrated on real PostgreSQL and SQLite.

The first version is written with `dbdsl migrate init` (phases), every next one with `dbdsl migrate
diff --to NEXT` into the same directory, from the state rebuilt from that directory (PostgreSQL) or
from the previous version's file. After each up migration the catalog must equal the catalog
of a database created fresh from that version's SQL (`dbdsl sql`), every table and column of the model
must be there, and the rows inserted before the step must still be there with the same values (renames
followed, a dropped column left out). Then the down migrations run in reverse and the catalog must equal
each earlier version's again, down to an empty database. The directory passes `migrate verify`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from dbdsl.cli import main
from dbdsl.emit.sql import generate
from dbdsl.migrate.catalog import expand
from dbdsl.migrate.diff import hint_renames
from dbdsl.migrate.directory import MigrationDirectory
from dbdsl.workspace import Workspace
from tests.migrate import engines

VERSIONS = sorted((Path(__file__).parent / "versions").glob("v*.dbml"))
DESTRUCTIVE = {"v07_drop_column"}
# where the state is rebuilt from the directory (`--from DIR`); on SQLite the SQL importer does not read
# back every type the generator writes yet (TEXT(n), DECIMAL), so there the previous version's file is used
DIRECTORY_STATE = {"postgres"}

SEEDS = {
    "v01_initial": [
        "INSERT INTO customers (id, email, name) VALUES (1, 'ada@example.com', 'Ada'), (2, 'bob@example.com', 'Bob')",
        "INSERT INTO orders (id, customer_id, status, total, note) VALUES (1, 1, 'pending', 10.50, 'first'), "
        "(2, 2, 'shipped', 99.99, NULL)",
    ],
    "v02_add_table": [
        "INSERT INTO products (id, sku, title, price) VALUES (1, 'SKU-1', 'Pen', 1.20), (2, 'SKU-2', 'Ink', 4.00)",
        "INSERT INTO order_items (order_id, product_id, quantity) VALUES (1, 1, 2), (2, 2, 1)",
    ],
    "v03_add_column": ["INSERT INTO customers (id, email, name, phone) VALUES (3, 'cy@example.com', 'Cy', '+100')"],
    "v07_drop_column": ["INSERT INTO orders (id, customer_id, status, total) VALUES (3, 3, 'paid', 5)"],
    "v09_foreign_keys": [
        "INSERT INTO addresses (id, customer_id, line1, city) VALUES (1, 1, '1 Main St', 'Springfield')",
        "UPDATE orders SET address_id = 1 WHERE id = 1",
    ],
}


def schema_of(path: Path):
    analysis = Workspace().analyze(str(path))
    assert not analysis.errors, analysis.errors
    return analysis.schema


class Engine:
    """One database of one dialect, with what the series needs."""

    def __init__(self, dialect: str, postgres, tmp_path: Path) -> None:
        self.dialect = dialect
        self.postgres = postgres
        self.tmp = tmp_path
        self.count = 0
        self.db = self.fresh()

    def fresh(self):
        self.count += 1
        if self.dialect == "postgres":
            return self.postgres.fresh_database("series")
        return self.tmp / f"db{self.count}.sqlite"

    def apply(self, sql: str, db=None) -> None:
        db = self.db if db is None else db
        if self.dialect == "postgres":
            engines.apply_pg(self.postgres, db, sql)
        else:
            engines.apply_sqlite(db, sql)

    def execute(self, statements: list[str]) -> None:
        self.apply("\n".join(s + ";" for s in statements))

    def snapshot(self, db=None) -> dict:
        db = self.db if db is None else db
        if self.dialect == "postgres":
            return engines.pg_snapshot(self.postgres, db)
        return engines.sqlite_snapshot(db)

    def rows(self, table: str) -> list[dict]:
        if self.dialect == "postgres":
            return engines.pg_rows(self.postgres, self.db, table)
        return engines.sqlite_rows(self.db, table)

    def table_names(self) -> set[str]:
        snapshot = self.snapshot()
        return {name.split(".")[-1] for name in snapshot["tables"]}

    def fresh_snapshot(self, schema) -> dict:
        db = self.fresh()
        self.apply(generate(schema, self.dialect, records=False).text(), db)
        return self.snapshot(db)


def cli(*args: str) -> None:
    status = main(list(args))
    assert status == 0, f"dbdsl {' '.join(args)} exited with {status}"


def model_is_in_catalog(schema, snapshot: dict, dialect: str) -> None:
    """Every table and column of the model (junction tables included) is in the catalog."""
    tables = {name.split(".")[-1]: t for name, t in snapshot["tables"].items()}
    for table in expand(schema).tables:
        assert table.name in tables, f"table {table.name} missing"
        columns = tables[table.name]["columns"]
        for column in table.columns:
            assert column.name in columns, f"column {table.name}.{column.name} missing"
            not_null = columns[column.name][1]
            assert not_null == (not column.nullable), f"{table.name}.{column.name}: nullability"
    if dialect == "postgres":
        for enum in schema.enums:
            labels, _ = snapshot["enums"][f"public.{enum.name}"]
            assert labels == list(enum.value_names)


def normal(value):
    if isinstance(value, Decimal | float):
        return Decimal(str(value)).normalize()
    return value


def rows_by_table(engine: Engine, schema) -> dict[str, list[dict]]:
    names = engine.table_names()
    return {t.name: engine.rows(t.name) for t in expand(schema).tables if t.name in names}


def expected_after(rows: dict[str, list[dict]], old, new) -> dict[str, list[dict]]:
    """The rows as the new version should hold them: tables and columns renamed, enum values renamed,
    dropped columns left out."""
    old, new = expand(old), expand(new)
    renames = hint_renames(old, new)
    out = {}
    for table in new.tables:
        source = renames.tables.get(table.key, table.key)
        if source[1] not in rows:
            continue
        column_of = {old_name: new_name for new_name, old_name in renames.columns.get(table.key, {}).items()}
        values_of = {}
        for column in table.columns:
            if column.enum:
                mapping = renames.enum_values.get(("public", column.enum), {})
                values_of[column.name] = {o: n for n, o in mapping.items()}
        converted = []
        for row in rows[source[1]]:
            item = {}
            for name, value in row.items():
                target = column_of.get(name, name)
                if table.column(target) is None:
                    continue
                item[target] = values_of.get(target, {}).get(value, value)
            converted.append(item)
        out[table.name] = converted
    return out


def same_rows(expected: dict[str, list[dict]], engine: Engine) -> None:
    for table, rows in expected.items():
        actual = engine.rows(table)
        want = sorted(repr(sorted((k, normal(v)) for k, v in r.items())) for r in rows)
        got = sorted(repr(sorted((k, normal(v)) for k, v in r.items() if k in rows[0])) for r in actual) if rows else []
        assert got == want, f"rows of {table} changed"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("dialect", "safe"),
    [("postgres", False), ("sqlite", False), ("postgres", True)],
    ids=["postgres", "sqlite", "postgres-safe"],
)
def test_series_up_and_down(dialect: str, safe: bool, request, tmp_path: Path) -> None:
    assert len(VERSIONS) >= 10
    postgres = request.getfixturevalue("postgres") if dialect == "postgres" else None
    engine = Engine(dialect, postgres, tmp_path)
    directory = tmp_path / "migrations"
    schemas = [schema_of(v) for v in VERSIONS]

    cli("migrate", "init", str(VERSIONS[0]), "--dir", str(directory), "--dialect", dialect)
    folder = MigrationDirectory(directory)
    init_count = len(folder.migrations())
    # tables, relationships, extras (the comment); SQLite keeps relationships in CREATE TABLE and has no comments
    assert init_count == (3 if dialect == "postgres" else 1)
    for m in folder.migrations():
        engine.apply(m.up.read_text())
    fresh = [engine.fresh_snapshot(s) for s in schemas]
    assert engine.snapshot() == fresh[0]
    model_is_in_catalog(schemas[0], engine.snapshot(), dialect)

    for i in range(1, len(VERSIONS)):
        previous, current = VERSIONS[i - 1], VERSIONS[i]
        seeds = SEEDS.get(previous.stem)
        if seeds:
            engine.execute(seeds)
        before = rows_by_table(engine, schemas[i - 1])
        flags = ["--allow-destructive"] if current.stem in DESTRUCTIVE else []
        flags += ["--safe"] if safe else []
        name = current.stem[4:]
        source = str(directory) if dialect in DIRECTORY_STATE else str(previous)
        cli("migrate", "diff", "--to", str(current), "--from", source, "--dir", str(directory), "--name", name, *flags)
        newest = folder.migrations()[-1]
        assert newest.name == current.stem[4:]
        engine.apply(newest.up.read_text())
        assert engine.snapshot() == fresh[i], f"catalog after {newest.stem} differs from {current.name}"
        model_is_in_catalog(schemas[i], engine.snapshot(), dialect)
        same_rows(expected_after(before, schemas[i - 1], schemas[i]), engine)

    # nothing left to migrate
    assert (
        main(["migrate", "diff", "--to", str(VERSIONS[-1]), "--from", str(VERSIONS[-1]), "--dir", str(directory)]) == 0
    )
    assert len(folder.migrations()) == init_count + len(VERSIONS) - 1

    migrations = folder.migrations()
    for k in range(len(migrations) - 1, init_count - 1, -1):
        engine.apply(migrations[k].down.read_text())
        version = k - init_count  # the version this down returns to
        assert engine.snapshot() == fresh[version], f"after {migrations[k].down.name}: not {VERSIONS[version].name}"
    for k in range(init_count - 1, -1, -1):
        engine.apply(migrations[k].down.read_text())
    assert engine.snapshot()["tables"] == {}

    assert main(["migrate", "verify", str(directory)]) == 0
