"""Import statement by statement: what cannot be read costs only its statement, and every statement
that is not carried over is listed once with its line."""

from __future__ import annotations

from dbdsl.importers.sql import import_sql


def lines(result) -> list[int | None]:
    return [s.line for s in result.skipped]


def test_an_unterminated_string_loses_only_its_statement() -> None:
    sql = "CREATE TABLE a (id INT);\nCREATE TABLE b (s TEXT DEFAULT 'oops);\nCREATE TABLE c (id INT);\n"
    result = import_sql(sql, "postgres")
    assert [t.name for t in result.schema.tables] == ["a", "c"]
    assert lines(result) == [2] and "unterminated string at line 2" in result.skipped[0].message


def test_an_unterminated_comment_or_dollar_body_loses_only_its_statement() -> None:
    sql = (
        "CREATE TABLE a (id INT);\n"
        "CREATE TABLE b (id INT /* never closed);\n"
        "CREATE TABLE c (id INT);\n"
        "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1;\n"
        "CREATE TABLE d (id INT);\n"
    )
    result = import_sql(sql, "postgres")
    assert [t.name for t in result.schema.tables] == ["a", "c", "d"]
    assert lines(result) == [2, 4]
    assert "unterminated comment" in result.skipped[0].message
    assert "unterminated $$ body" in result.skipped[1].message


def test_a_copy_block_is_read_exactly_as_records() -> None:
    sql = (
        "CREATE TABLE public.a (id integer, name text, ok boolean);\n"
        "COPY public.a (id, name, ok) FROM stdin;\n"
        "1\tx; y\tt\n"
        "2\t'unbalanced\\ttab\t\\N\n"
        "\\.\n"
        "CREATE TABLE public.b (id integer);\n"
        "COPY public.b (id) FROM stdin;\n"
        "\\.\n"
    )
    result = import_sql(sql, "postgres")
    assert [t.name for t in result.schema.tables] == ["a", "b"] and result.skipped == []
    (records,) = result.schema.table("a").records
    assert [[(v.kind, v.value) for v in row] for row in records.rows] == [
        [("number", "1"), ("string", "x; y"), ("boolean", "true")],
        [("number", "2"), ("string", "'unbalanced\ttab"), ("null", "null")],
    ]
    assert result.schema.table("b").records == ()


def test_views_functions_materialized_views_and_triggers_are_listed() -> None:
    sql = (
        "CREATE TABLE a (id INT);\n"
        "CREATE VIEW v AS SELECT id FROM a;\n"
        "CREATE MATERIALIZED VIEW m AS SELECT id FROM a;\n"
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;\n"
        "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW EXECUTE FUNCTION f();\n"
        "DROP VIEW IF EXISTS old_view;\n"
    )
    result = import_sql(sql, "postgres")
    assert lines(result) == [2, 3, 4, 5]
    reasons = [s.message.split(", ", 1)[-1] for s in result.skipped]
    assert reasons == [
        "views are not part of a schema model",
        "materialized views are not part of a schema model",
        "functions are not part of a schema model",
        "triggers are not part of a schema model",
    ]


def test_a_sqlite_trigger_body_is_one_statement() -> None:
    sql = (
        "CREATE TABLE a (id INTEGER PRIMARY KEY, n INT);\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
        "  UPDATE a SET n = CASE WHEN n IS NULL THEN 0 ELSE n END WHERE id = NEW.id;\n"
        "  SELECT 1;\n"
        "END;\n"
        "CREATE TABLE b (id INT);\n"
    )
    result = import_sql(sql, "sqlite")
    assert [t.name for t in result.schema.tables] == ["a", "b"]
    assert lines(result) == [2]


def test_pg_dump_clean_drops_of_absent_objects_are_quiet() -> None:
    sql = (
        "ALTER TABLE IF EXISTS ONLY public.a DROP CONSTRAINT IF EXISTS a_fk;\n"
        "DROP TRIGGER IF EXISTS t ON public.a;\n"
        "DROP EXTENSION IF EXISTS pgcrypto;\n"
        "DROP TABLE IF EXISTS public.a;\n"
        "CREATE TABLE public.a (id integer);\n"
    )
    result = import_sql(sql, "postgres")
    assert [t.name for t in result.schema.tables] == ["a"] and result.skipped == []


def test_create_schema_with_its_elements() -> None:
    """AdventureWorks: `CREATE SCHEMA s CREATE TABLE a (...) CREATE TABLE b (...)`; unquoted names fold."""
    sql = (
        "CREATE SCHEMA Person\n"
        "  CREATE TABLE BusinessEntity (BusinessEntityID SERIAL, ModifiedDate TIMESTAMP NOT NULL)\n"
        '  CREATE TABLE "Phone" (ID INT, CONSTRAINT "PK_Phone" PRIMARY KEY (ID))\n'
        "  CREATE VIEW vEntity AS SELECT 1;\n"
        "COMMENT ON COLUMN Person.BusinessEntity.ModifiedDate IS 'when';\n"
    )
    result = import_sql(sql, "postgres")
    assert [(t.schema, t.name) for t in result.schema.tables] == [("person", "businessentity"), ("person", "Phone")]
    entity = result.schema.tables[0]
    assert [c.name for c in entity.columns] == ["businessentityid", "modifieddate"]
    assert entity.column("modifieddate").note == "when"
    assert result.schema.tables[1].primary_key == ("id",)
    assert lines(result) == [1] and "views are not part" in result.skipped[0].message


def test_a_domain_gives_its_columns_its_type_and_constraints() -> None:
    sql = (
        'CREATE DOMAIN "Name" varchar(50) NULL;\n'
        "CREATE DOMAIN positive AS integer NOT NULL DEFAULT 1 CHECK (VALUE > 0);\n"
        'CREATE TABLE t (id int, label "Name" NOT NULL, qty positive, spare positive NULL);\n'
    )
    result = import_sql(sql, "postgres")
    t = result.schema.table("t")
    assert (t.column("label").type.text, t.column("label").not_null) == ("varchar(50)", True)
    qty = t.column("qty")
    assert (qty.type.text, qty.not_null, qty.default.value) == ("int", True, "1")
    assert [c.expression for c in qty.checks] == ["qty > 0"]
    assert not t.column("spare").not_null and [c.expression for c in t.column("spare").checks] == ["spare > 0"]
    assert lines(result) == [1, 2] and all("CREATE DOMAIN" in s.message for s in result.skipped)


def test_a_sqlite_column_without_a_type() -> None:
    result = import_sql("CREATE TABLE kv (key TEXT PRIMARY KEY, value, seen DEFAULT 0 NOT NULL);\n", "sqlite")
    kv = result.schema.table("kv")
    assert kv.column("value").type.text == "blob" and kv.column("seen").type.text == "blob"
    assert [s.message for s in result.skipped] == [
        "kv.value has no declared type: imported as blob",
        "kv.seen has no declared type: imported as blob",
        "kv: primary key column(s) key accept NULL in SQLite (a legacy quirk); the schema's primary key makes them "
        "NOT NULL",
    ]


def test_sqlite_type_names_are_kept_as_written() -> None:
    """SQLite keeps declared names, and `INTEGER PRIMARY KEY` is the rowid where `INT PRIMARY KEY` is not."""
    result = import_sql("CREATE TABLE a (id INTEGER PRIMARY KEY, n INT, ok BOOL, at DATETIME);\n", "sqlite")
    a = result.schema.table("a")
    assert [c.type.text for c in a.columns] == ["integer", "int", "bool", "datetime"]
    assert a.column("id").increment and result.skipped == []


def test_an_alter_table_sqlglot_cannot_read_is_listed_unless_it_is_ownership() -> None:
    sql = (
        "CREATE TABLE t (id int, during tstzrange);\n"
        "ALTER TABLE t OWNER TO app;\n"
        "ALTER TABLE ONLY t REPLICA IDENTITY FULL;\n"
        "ALTER TABLE t ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);\n"
    )
    result = import_sql(sql, "postgres")
    assert [s.line for s in result.skipped] == [4]


def test_a_mysqldump_with_delimiter_and_a_trigger() -> None:
    sql = (
        "CREATE TABLE a (id int, n int);\n"
        "DELIMITER ;;\n"
        "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN\n"
        "  SET NEW.n = 1;\n"
        "END */;;\n"
        "DELIMITER ;\n"
        "CREATE TABLE b (id int);\n"
    )
    result = import_sql(sql, "mysql")
    assert [t.name for t in result.schema.tables] == ["a", "b"]
    assert [s.line for s in result.skipped] == [3]


def test_constraint_renames_and_validation() -> None:
    sql = (
        "CREATE TABLE u (id int PRIMARY KEY);\n"
        "CREATE TABLE t (a int, b int, CONSTRAINT c CHECK (a > 0), CONSTRAINT f FOREIGN KEY (b) REFERENCES u (id));\n"
        "ALTER TABLE t VALIDATE CONSTRAINT c;\n"
        "ALTER TABLE t RENAME CONSTRAINT c TO d;\n"
        'ALTER TABLE ONLY t RENAME CONSTRAINT "f" TO "G";\n'
    )
    result = import_sql(sql, "postgres")
    assert result.skipped == []
    assert [c.name for c in result.schema.table("t").checks] == ["d"]
    assert [r.name for r in result.schema.refs] == ["G"]
