"""Names, notes, defaults, enum values and records full of quotes, semicolons, backslashes, comment
markers and non-ASCII text: the generated script, run as one text (as a user runs it), creates exactly
the intended objects and rows on PostgreSQL and SQLite, and nothing else."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from dbdsl.emit.sql import generate
from dbdsl.workspace import Workspace
from tests.pg import pg_bin

NASTY = r"""
Enum "mood'; DROP TYPE x; --" {
  "it's"
  "a;b -- c"
  "back\\slash"
  "🙂 naïve"
}

Table victims {
  id int [pk]
  name text
}

Records victims(id, name) {
  1, 'still here'
}

Table "Robert'); DROP TABLE victims; --" [note: '''it's a note'); DROP TABLE victims; --
*/ DROP TABLE victims; /*
line two \\ backslash; $$ dollar $$ 名前'''] {
  id int [pk, note: 'x\'); DELETE FROM victims; --']
  "it's \"quoted\"" varchar(200) [default: 'O\'Reilly \\ ; -- /* */', note: '*/ -- ;']
  "semi;colon -- /* c */" text [note: '\n-- fake comment\nDROP TABLE victims;']
  "naïve 名前 🙂" text
  mood "mood'; DROP TYPE x; --"

  indexes {
    "semi;colon -- /* c */" [name: 'idx"; DROP TABLE victims; --']
  }
}

Records "Robert'); DROP TABLE victims; --"(id, "it's \"quoted\"", "semi;colon -- /* c */", "naïve 名前 🙂", mood) {
  1, 'a\'b', 'c;d', '\\', "it's"
  2, '\'); DROP TABLE victims; --', '/* open', 'Ω ≈ ç √', "a;b -- c"
  3, 'E\'\\x27\'', '$$;$$', '🙂🙂', "back\\slash"
}
"""


def schema_of(text: str, folder: Path):
    path = folder / "nasty.dbml"
    path.write_text(text, encoding="utf-8")
    analysis = Workspace().analyze(str(path))
    assert not analysis.errors, [f.message for f in analysis.errors]
    return analysis.schema


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    return schema_of(NASTY, Path(tmp_path_factory.mktemp("nasty")))


def expected_rows(table) -> list[tuple]:
    rows = []
    for records in table.records:
        for row in records.rows:
            rows.append(tuple(v.value for v in row))
    return rows


@pytest.mark.postgres
def test_postgres_holds_exactly_the_intended_objects(postgres, schema, tmp_path: Path) -> None:
    script = generate(schema, "postgres")
    sql_file = tmp_path / "nasty.sql"
    sql_file.write_text(script.text(), encoding="utf-8")
    database = postgres.fresh_database()
    with postgres.connect(database) as conn:
        roles_before = conn.execute("SELECT count(*) FROM pg_roles").fetchone()[0]
    done = subprocess.run(
        [pg_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-f", str(sql_file)],
        env=postgres.psql_env(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    nasty = next(t for t in schema.tables if t.name != "victims")
    with postgres.connect(database) as conn:
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
            )
        }
        assert tables == {"victims", nasty.name}
        types = {
            r[0]
            for r in conn.execute(
                "SELECT typname FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype = 'e'"
            )
        }
        assert types == {schema.enums[0].name}
        labels = [r[0] for r in conn.execute("SELECT enumlabel FROM pg_enum ORDER BY enumsortorder")]
        assert labels == list(schema.enums[0].value_names)
        indexes = {
            r[0]
            for r in conn.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'i' AND relnamespace = 'public'::regnamespace"
            )
        }
        assert indexes == {"victims_pkey", f"{nasty.name}_pkey", nasty.indexes[0].name}
        assert (
            conn.execute("SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace").fetchone()[0] == 0
        )
        assert conn.execute("SELECT count(*) FROM pg_roles").fetchone()[0] == roles_before
        assert conn.execute("SELECT id, name FROM victims").fetchall() == [(1, "still here")]
        oid = conn.execute("SELECT oid FROM pg_class WHERE relname = %s", (nasty.name,)).fetchone()[0]
        assert conn.execute("SELECT obj_description(%s, 'pg_class')", (oid,)).fetchone()[0] == nasty.note
        columns = conn.execute(
            "SELECT attname, col_description(attrelid, attnum) FROM pg_attribute "
            "WHERE attrelid = %s AND attnum > 0 ORDER BY attnum",
            (oid,),
        ).fetchall()
        assert columns == [(c.name, c.note) for c in nasty.columns]
        names = ", ".join('"' + c.name.replace('"', '""') + '"' for c in nasty.columns)
        rows = conn.execute(f'SELECT {names} FROM "{nasty.name.replace(chr(34), chr(34) * 2)}" ORDER BY id').fetchall()
        assert [tuple(str(v) for v in row) for row in rows] == expected_rows(nasty)
        conn.execute(f'INSERT INTO "{nasty.name.replace(chr(34), chr(34) * 2)}" (id) VALUES (4)')
        quoted = '"' + nasty.columns[1].name.replace('"', '""') + '"'
        default = conn.execute(f'SELECT {quoted} FROM "{nasty.name.replace(chr(34), chr(34) * 2)}" WHERE id = 4')
        assert default.fetchone()[0] == nasty.columns[1].default.value


def test_sqlite_holds_exactly_the_intended_objects(schema) -> None:
    script = generate(schema, "sqlite")
    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.executescript(script.text())
    nasty = next(t for t in schema.tables if t.name != "victims")
    objects = {(r[0], r[1]) for r in conn.execute("SELECT type, name FROM sqlite_master")}
    tables = {name for kind, name in objects if kind == "table"}
    assert tables == {"victims", nasty.name}
    assert {kind for kind, _ in objects} <= {"table", "index"}  # no views or triggers
    named = {name for kind, name in objects if kind == "index" and not name.startswith("sqlite_autoindex_")}
    assert named == {nasty.indexes[0].name}
    assert conn.execute("SELECT id, name FROM victims").fetchall() == [(1, "still here")]
    quote = lambda name: '"' + name.replace('"', '""') + '"'  # noqa: E731
    columns = [r[1] for r in conn.execute(f"PRAGMA table_info({quote(nasty.name)})")]
    assert columns == [c.name for c in nasty.columns]
    names = ", ".join(quote(c.name) for c in nasty.columns)
    rows = conn.execute(f"SELECT {names} FROM {quote(nasty.name)} ORDER BY id").fetchall()
    assert [tuple(str(v) for v in row) for row in rows] == expected_rows(nasty)
    conn.execute(f"INSERT INTO {quote(nasty.name)} (id) VALUES (4)")
    default = conn.execute(f"SELECT {quote(nasty.columns[1].name)} FROM {quote(nasty.name)} WHERE id = 4").fetchone()
    assert default[0] == nasty.columns[1].default.value
    with pytest.raises(sqlite3.IntegrityError):  # the enum's CHECK holds the values exactly
        conn.execute(f"INSERT INTO {quote(nasty.name)} (id, mood) VALUES (5, 'it''s not')")


def test_mariadb_holds_exactly_the_intended_objects(mariadb, tmp_path: Path) -> None:
    """MySQL reads backslashes in strings as escapes: the script must double them, and does. (MySQL
    identifiers cannot hold characters beyond the BMP, so the emoji stays in the data only.)"""
    schema = schema_of(NASTY.replace("naïve 名前 🙂", "naïve 名前"), tmp_path)
    mariadb.drop_user_databases()
    database = mariadb.fresh_database()
    done = mariadb._client("--batch", database=database, input=generate(schema, "mysql").text())
    assert done.returncode == 0, done.stderr
    nasty = next(t for t in schema.tables if t.name != "victims")
    tables = {
        r[0]
        for r in mariadb.query(f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{database}'")
    }
    assert tables == {"victims", nasty.name}
    assert mariadb.query("SELECT id, name FROM victims", database) == [("1", "still here")]
    quote = lambda name: "`" + name.replace("`", "``") + "`"  # noqa: E731
    names = ", ".join(quote(c.name) for c in nasty.columns)
    rows = mariadb.query(f"SELECT {names} FROM {quote(nasty.name)} ORDER BY id", database)
    assert rows == expected_rows(nasty)
    comments = mariadb.query(
        f"SELECT column_name, column_comment FROM information_schema.columns WHERE table_schema = '{database}' "
        f"AND column_comment <> '' ORDER BY ordinal_position"
    )
    assert comments == [(c.name, c.note) for c in nasty.columns if c.note]
    table_comment = mariadb.query(
        f"SELECT table_comment FROM information_schema.tables WHERE table_schema = '{database}' AND table_name = "
        "'" + nasty.name.replace("'", "''").replace("\\", "\\\\") + "'"
    )
    assert table_comment == [(nasty.note,)]
