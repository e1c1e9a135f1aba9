"""The MySQL output of every sample and corpus input runs on a real MariaDB (Debian's mariadb-server,
started by the tests), and the catalog read back from information_schema holds what the model says:
tables, columns (type family, nullability, defaults, auto-increment), keys, foreign keys with their
actions, unique and plain indexes, checks, comments and rows. What the script announced it leaves out
is excused by its warning; what MariaDB lacks that MySQL 8 has is listed below."""

from __future__ import annotations

import re

import pytest

from dbdsl.emit.sql import generate
from tests.helpers import require_corpus

from .cases import case_id, corpus_inputs, excused, sample_inputs, schema_of
from .catalog import differences, named_checks_only
from .mariadb_catalog import drop_fk_indexes, mariadb_catalog, mariadb_expected

# Statements MariaDB refuses although MySQL 8 accepts them: (statement start, error) and the
# differences that follow from them (table, kind). Besides these, MariaDB has no functional
# (expression) indexes, which MySQL 8.0.13+ has (see _expected_failure).
MARIADB_LIMITS = {  # by the end of the case id (the corpus has the same input for several exporters)
    "model_exporter/dbml/checks": (
        ("CREATE TABLE `User`", ("REGEXP_LIKE",)),
        {("User", "table")},
        "MariaDB has no REGEXP_LIKE (MySQL 8 has it, also in CHECK constraints)",
    ),
    "/insert_records": (
        ("INSERT INTO", ("Incorrect datetime value: '2024-01-15 10:30:00+07:00'", "a foreign key constraint fails")),
        {("users", "rows"), ("posts", "rows")},
        "MariaDB rejects datetime literals with a UTC offset (MySQL 8.0.19+ accepts them); the posts rows then "
        "lack their users",
    ),
}


def check_on_mariadb(server, path) -> list:
    server.drop_user_databases()
    schema = schema_of(path)
    script = generate(schema, "mysql")
    database = server.fresh_database()
    failures = server.run_statements(database, [s.sql("mysql", comments=False) for s in script.statements])
    known = next((v for k, v in MARIADB_LIMITS.items() if case_id(path).endswith(k)), None)
    unexplained = [
        f
        for f in failures
        if not _expected_failure(f[0])
        and not (known and f[0].startswith(known[0][0]) and any(e in f[1] for e in known[0][1]))
    ]
    if unexplained:
        return [("refused", statement[:80], error) for statement, error in unexplained]
    actual = mariadb_catalog(server, database)
    want = mariadb_expected(schema)
    drop_fk_indexes(actual, want)
    named_checks_only(actual, want)
    diffs = differences(want, actual)
    if any(_expected_failure(f[0]) for f in failures):
        diffs = [d for d in diffs if not (d[1] == "index" and "'<expr>'" in d[2])]
    if known:
        diffs = [d for d in diffs if (d[0], d[1]) not in known[1]]
    return [d for d in diffs if not excused(d, script.warnings)]


def _expected_failure(statement: str) -> bool:
    """An index on an expression (MariaDB has none) is the one statement the engine may refuse."""
    if not statement.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")):
        return False
    keys = statement.split(" ON ", 1)[1]
    return re.search(r"[(,]\s*\(", keys) is not None  # a key in parentheses is an expression


@pytest.mark.parametrize("path", sample_inputs(), ids=case_id)
def test_samples_run_on_mariadb(mariadb, path) -> None:
    assert check_on_mariadb(mariadb, path) == []


def needs_user_types(path, problems: list) -> bool:
    """MySQL has no user-defined types: a table whose column uses one (the script warns that it must
    exist) is refused, and so are the tables that reference it."""
    names = {name for _, name in generate(schema_of(path), "mysql").required_types}
    follow_ons = ("errno: 150", "doesn't exist")
    return bool(names) and all(
        kind == "refused"
        and (any(f"Unknown data type: '{n}'" in error for n in names) or any(f in error for f in follow_ons))
        for kind, _, error in problems
    )


def test_corpus_runs_on_mariadb(mariadb, capsys) -> None:
    require_corpus()
    paths = corpus_inputs()
    problems = {case_id(p): (p, check_on_mariadb(mariadb, p)) for p in paths}
    user_types = sorted(k for k, (p, v) in problems.items() if v and needs_user_types(p, v))
    bad = {k: v for k, (_, v) in problems.items() if v and k not in user_types}
    with capsys.disabled():
        print(
            f"\nMariaDB: {len(paths) - len(bad) - len(user_types)}/{len(paths)} corpus inputs run and match their "
            f"model; {len(user_types)} use user-defined types, which MySQL cannot create (the script warns)"
        )
    assert not bad, "\n".join(f"{k}: {v}" for k, v in bad.items())
    assert user_types == [
        "exporter/postgres/custom_type",
        "exporter/postgres/enum",
        "exporter/postgres/increment_type",
        "exporter/postgres/smallserial_type",
        "model_exporter/dbml/referential_actions",
    ]


def test_unicode_survives_a_latin1_server_and_client(mariadb) -> None:
    """The script declares utf8mb4 (connection and tables), so neither the server's nor the client's
    default character set (latin1 here) turns text into '?' or mojibake: names and comments (which
    MariaDB keeps up to U+FFFF) and rows (emoji included)."""
    from tests.migrate.helpers import schema

    text = (
        "Project p {\n  database_type: 'MySQL'\n}\n"
        "Table \"mood☀\" [note: 'feelings ☀ 漢字'] {\n  id int [pk, note: 'key ☂']\n  face varchar(10)\n}\n"
        "Records \"mood☀\"(id, face) {\n  1, '🙂'\n}\n"
    )
    script = generate(schema(text), "mysql")
    assert script.warnings == []
    database = mariadb.fresh_database()
    mariadb.query(f"ALTER DATABASE `{database}` CHARACTER SET latin1 COLLATE latin1_swedish_ci")
    statements = [s.sql("mysql", comments=False) for s in script.statements]
    assert mariadb.run_statements(database, statements, charset="latin1") == []
    tables = f"SELECT table_name, table_comment FROM information_schema.tables WHERE table_schema = '{database}'"
    assert mariadb.query(tables) == [("mood☀", "feelings ☀ 漢字")]
    columns = f"SELECT column_comment FROM information_schema.columns WHERE table_schema = '{database}'"
    assert sorted(mariadb.query(columns)) == [("",), ("key ☂",)]
    assert mariadb.query("SELECT face FROM `mood☀`", database=database) == [("🙂",)]


def test_emoji_in_a_comment_is_warned() -> None:
    from tests.migrate.helpers import schema

    script = generate(schema("Table t [note: 'feelings 😀'] {\n  id int [pk]\n}\n"), "mysql")
    assert any("comment" in w and "U+FFFF" in w for w in script.warnings)


def test_project_charset_is_kept() -> None:
    from tests.migrate.helpers import schema

    text = "Project p {\n  database_type: 'MySQL'\n  charset: 'latin1'\n}\nTable a {\n  id int [pk]\n}\n"
    out = generate(schema(text), "mysql").text()
    assert "SET NAMES latin1;" in out and "DEFAULT CHARACTER SET=latin1" in out
    hostile = text.replace("'latin1'", "'latin1; DROP DATABASE x'")
    script = generate(schema(hostile), "mysql")
    assert "DROP DATABASE" not in script.text().split("\n", 3)[-1].replace("-- warning", "")
    assert any("not a character set name" in w for w in script.warnings)


def test_names_beyond_the_bmp_are_warned(mariadb) -> None:
    """MariaDB refuses a name with an emoji whatever the character set: the script says so."""
    from tests.migrate.helpers import schema

    text = 'Table "t😀" {\n  id int [pk]\n}\n'
    script = generate(schema(text), "mysql")
    assert any("t😀: MySQL and MariaDB names cannot hold characters beyond U+FFFF" in w for w in script.warnings)
    failures = mariadb.run_statements(mariadb.fresh_database(), [s.sql("mysql") for s in script.statements])
    assert len(failures) == 1 and failures[0][0].startswith("CREATE TABLE")
