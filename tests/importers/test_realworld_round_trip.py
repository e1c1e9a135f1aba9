"""The round trip of a real dump (../shared/corpus/realworld): load the dump on its engine, and load what
`dbdsl import` then `dbdsl sql` make of it on a fresh database of the same engine; the two catalogs
(tables, columns, types, nullability, defaults, keys, foreign keys, unique constraints, indexes, checks)
are the same, apart from what the import summary lists."""

from __future__ import annotations

import re
import sqlite3
import subprocess

import pytest

from dbdsl.emit.sql import generate
from dbdsl.importers.split import split
from dbdsl.importers.sql import Skipped, import_sql
from dbdsl.model.schema import DEFAULT_SCHEMA
from tests.ecosystem.realworld import REALWORLD, sources
from tests.engines.catalog import differences, postgres_catalog, sqlite_catalog
from tests.engines.mariadb_catalog import mariadb_catalog
from tests.helpers import require_shared, shared_params
from tests.pg import pg_bin


def dumps(dialect: str) -> list:
    found = [s.file for s in sources() if s.dialect == dialect] if (REALWORLD / "manifest.tsv").is_file() else []
    return shared_params(found, REALWORLD)


FTS5_SHADOW = ("data", "idx", "content", "docsize", "config")  # the tables an FTS5 virtual table makes


def listed_names(skipped: list[Skipped]) -> set[str]:
    """The tables, `table.column`s and types the summary names: a catalog difference there is explained."""
    names = set()
    for item in skipped:
        if m := re.match(r"CREATE VIRTUAL TABLE (\w+) USING fts5", item.message, re.I):
            names.update(f"{m.group(1)}_{shadow}" for shadow in FTS5_SHADOW)
        head = item.message.split(":", 1)[0]
        for word in re.findall(r"[\w.\"]+", head):
            word = word.replace('"', "")
            names.add(word)
            names.update(word.split(".")[:-1])
            names.add(".".join(word.split(".")[:2]))
    return names


def unexplained(diffs: list[tuple[str, str, str]], names: set[str]) -> list[tuple[str, str, str]]:
    out = []
    for table, kind, detail in diffs:
        column = detail.split(" ", 1)[0]
        types = set(re.findall(r"user ([\w.]+)", detail))
        if table in names or f"{table}.{column}" in names or types & names or kind == "rows":
            continue
        out.append((table, kind, detail))
    return out


def report(capsys, name: str, skipped: list[Skipped], diffs: list, left: list) -> None:
    with capsys.disabled():
        print(
            f"\n{name}: round trip {'equal' if not left else 'DIFFERENT'}: {len(diffs)} catalog differences, "
            f"{len(diffs) - len(left)} explained by the {len(skipped)} listed skips, {len(left)} not"
        )
        for d in left[:15]:
            print("   ", d)


def normalized(catalog: dict) -> dict:
    """Comments and rows are not in the round trip's list (a dump's data is cut; notes are compared in
    the importers' own tests); `DEFAULT NULL::type` is no default."""
    for t in catalog["tables"].values():
        t["comment"], t["column_comments"], t["rows"] = None, {}, None
        t["columns"] = [(*c[:3], None if _null_default(c[3]) else c[3], *c[4:]) for c in t["columns"]]
    return catalog


def _null_default(default: tuple | None) -> bool:
    return default is not None and bool(re.fullmatch(r"cast\(null as [^)]*\)", str(default[-1]).lower()))


# ---------------------------------------------------------------- PostgreSQL


def psql(postgres, database: str, text: str, *, stop_on_error: bool) -> subprocess.CompletedProcess:
    return subprocess.run(
        [pg_bin("psql"), "-X", "-q", "-v", f"ON_ERROR_STOP={int(stop_on_error)}", "-d", database],
        input=text,
        env=postgres.psql_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def errors(stderr: str) -> set[str]:
    """psql's error messages, names without the default schema."""
    found = re.findall(r"^(?:psql:[^:]*:\d+: )?ERROR:  (.*)$", stderr, re.M)
    return {m.replace('"public.', '"') for m in found}


@pytest.mark.postgres
@pytest.mark.parametrize("file", dumps("postgres"))
def test_postgres_dump_round_trip(postgres, file: str, capsys) -> None:
    path = require_shared(REALWORLD / file)
    text = path.read_text(encoding="utf-8")
    original = postgres.fresh_database()
    # what this server lacks (an extension such as PostGIS) fails on its own: the copy may fail only there
    refused = errors(psql(postgres, original, text, stop_on_error=False).stderr)
    result = import_sql(text, "postgres")
    script = generate(result.schema, "postgres", records=False)
    copy = postgres.fresh_database()
    # the extensions the dump creates are listed, not imported: installed first, as an operator would
    extensions = "".join(m.group() + "\n" for m in re.finditer(r"(?im)^CREATE EXTENSION\b[^;]*;", text))
    psql(postgres, copy, extensions, stop_on_error=False)
    done = psql(postgres, copy, script.text(), stop_on_error=False)
    assert errors(done.stderr) <= refused, done.stderr[-2000:]
    with postgres.connect(original) as a, postgres.connect(copy) as b:
        diffs = differences(normalized(postgres_catalog(a)), normalized(postgres_catalog(b)))
    left = unexplained(diffs, listed_names(result.skipped))
    report(capsys, file, result.skipped, diffs, left)
    assert left == []


# ---------------------------------------------------------------- SQLite


def sqlite_load(text: str) -> tuple[sqlite3.Connection, list[str]]:
    """A fresh in-memory database with `text` run statement by statement (going on after an error)."""
    conn = sqlite3.connect(":memory:")
    failed = []
    for piece in split(text, "sqlite"):
        if piece.problem is not None:
            continue
        try:
            conn.executescript(piece.text + ";")
        except sqlite3.Error as e:
            failed.append(f"{e}")
    return conn, failed


@pytest.mark.parametrize("file", dumps("sqlite"))
def test_sqlite_dump_round_trip(file: str, capsys) -> None:
    path = require_shared(REALWORLD / file)
    text = path.read_text(encoding="utf-8")
    original, refused = sqlite_load(text)
    result = import_sql(text, "sqlite")
    copy, failed = sqlite_load(generate(result.schema, "sqlite", records=False).text())
    assert set(failed) <= set(refused), failed
    diffs = differences(normalized(sqlite_catalog(original)), normalized(sqlite_catalog(copy)))
    left = unexplained(diffs, listed_names(result.skipped))
    report(capsys, file, result.skipped, diffs, left)
    assert left == []


# ---------------------------------------------------------------- MariaDB (the MySQL dumps)


def mariadb_load(server, text: str) -> tuple[str, list[str]]:
    database = server.fresh_database()
    statements = [p.text for p in split(text, "mysql") if p.problem is None]
    return database, [error for _statement, error in server.run_statements(database, statements)]


def own_tables(catalog: dict) -> dict:
    """The tables of the database asked for (the reader also sees the server's other databases)."""
    catalog["tables"] = {k: t for k, t in catalog["tables"].items() if k[0] == DEFAULT_SCHEMA}
    return catalog


@pytest.mark.slow
@pytest.mark.parametrize("file", dumps("mysql"))
def test_mysql_dump_round_trip_on_mariadb(mariadb, file: str, capsys) -> None:
    path = require_shared(REALWORLD / file)
    text = path.read_text(encoding="utf-8")
    original, refused = mariadb_load(mariadb, text)
    if used := re.search(r"(?im)^USE\s+`?(\w+)`?\s*;", text):  # the dump makes and uses its own database
        original = used.group(1)
    result = import_sql(text, "mysql")
    copy, failed = mariadb_load(mariadb, generate(result.schema, "mysql", records=False).text())
    assert failed == [], failed[:5]
    before = normalized(own_tables(mariadb_catalog(mariadb, original)))
    diffs = differences(before, normalized(own_tables(mariadb_catalog(mariadb, copy))))
    left = unexplained(diffs, listed_names(result.skipped))
    report(capsys, file, result.skipped, diffs, left)
    with capsys.disabled():
        print(f"    the dump's own statements MariaDB refused: {len(refused)} {refused[:3]}")
    assert left == []
