"""Forms the servers' own catalogs print (pg_get_indexdef, pg_get_constraintdef, SHOW CREATE TABLE) and
dumps carry: each read into the schema and written back by `dbdsl sql` as it was, so that `dbdsl pull`
and `dbdsl import` lose nothing of them."""

from __future__ import annotations

from dbdsl.emit.dsl import schema_text
from dbdsl.emit.sql import generate
from dbdsl.importers.sql import import_sql


def imported(sql: str, dialect: str) -> tuple[str, str]:
    """The schema text of `sql` and the SQL `dbdsl sql` writes for it in the same dialect."""
    result = import_sql(sql, dialect)
    assert result.warnings == []
    return schema_text(result.schema), generate(result.schema, dialect).text()


def test_index_key_directions_and_nulls_order_come_back() -> None:
    dbml, sql = imported(
        "CREATE TABLE s (org int, at timestamp, created timestamp, id int);\n"
        "CREATE INDEX s_recent ON public.s USING btree (org, at DESC NULLS LAST, created DESC, id);\n"
        "CREATE UNIQUE INDEX s_org ON public.s USING btree (org NULLS FIRST, id) WHERE (id IS NULL);\n",
        "postgres",
    )
    assert "(org, `at DESC NULLS LAST`, `created DESC`, id) [name: 's_recent']" in dbml
    assert "(`org NULLS FIRST`, id) [unique, name: 's_org'" in dbml
    assert '("org", "at" DESC NULLS LAST, "created" DESC, "id")' in sql
    assert '("org" ASC NULLS FIRST, "id")' in sql


def test_a_checks_interval_literal_keeps_its_cast() -> None:
    dbml, sql = imported(
        "CREATE TABLE e (born date, n numeric, t text,\n"
        "  CONSTRAINT adult CHECK (born BETWEEN '1930-01-01'::date AND (now() - '18 years'::interval)),\n"
        "  CONSTRAINT plain CHECK (n > (0)::numeric AND t <> 'x'::text));\n",
        "postgres",
    )
    assert "`born BETWEEN '1930-01-01' AND (CURRENT_TIMESTAMP - CAST('18 years' AS INTERVAL))`" in dbml
    assert "`n > 0 AND t <> 'x'`" in dbml  # the casts a comparison implies are still left out
    assert "CURRENT_TIMESTAMP - CAST('18 years' AS INTERVAL)" in sql


def test_mysql_create_fulltext_and_spatial_index_are_read() -> None:
    dbml, sql = imported(
        "CREATE TABLE `p` (`id` int NOT NULL, `body` text, `loc` geometry NOT NULL, PRIMARY KEY (`id`));\n"
        "CREATE FULLTEXT INDEX `body_ft` ON `p` (`body`);\n"
        "CREATE SPATIAL INDEX loc_sp ON p (loc);\n",
        "mysql",
    )
    assert "body [type: fulltext, name: 'body_ft']" in dbml
    assert "loc [type: spatial, name: 'loc_sp']" in dbml
    assert "CREATE FULLTEXT INDEX `body_ft` ON `p`(`body`);" in sql
    assert "CREATE SPATIAL INDEX `loc_sp` ON `p`(`loc`);" in sql


def test_memory_tables_keep_their_engine_and_hash_keys() -> None:
    dbml, sql = imported(
        "CREATE TABLE `ipc` (`key` int NOT NULL, `jobs` int, `tag` varchar(20), PRIMARY KEY (`key`),\n"
        "  KEY `jobs` (`jobs`) USING HASH, UNIQUE KEY `tag` (`tag`) USING HASH) ENGINE=MEMORY;\n"
        "CREATE INDEX `tag_jobs` ON `ipc` (`tag`, `jobs`) USING HASH;\n",
        "mysql",
    )
    assert "Table ipc [engine: 'MEMORY']" in dbml
    assert "jobs [type: hash, name: 'jobs']" in dbml and "tag [unique, type: hash, name: 'tag']" in dbml
    assert "ENGINE=MEMORY" in sql  # a MEMORY table's primary key is a hash key
    assert " ".join(sql.split()).count("USING HASH;") == 3
    again = import_sql(sql, "mysql")
    assert again.warnings == [] and schema_text(again.schema) == dbml.replace(
        "[engine: 'MEMORY']", "[engine: 'MEMORY', charset: 'utf8mb4']"
    )


def test_a_mysql_unique_key_on_a_prefix_keeps_the_prefix() -> None:
    dbml, sql = imported(
        "CREATE TABLE d (id int PRIMARY KEY, uid int, uri varchar(255), UNIQUE KEY uid_uri (uid, uri(190)));\n",
        "mysql",
    )
    assert "(uid, `uri(190)`) [unique, name: 'uid_uri']" in dbml
    assert "CREATE UNIQUE INDEX `uid_uri` ON `d`(`uid`, `uri`(190));" in sql


def test_a_negative_constant_pg_prints_as_a_cast_string_is_a_number() -> None:
    dbml, sql = imported(
        "CREATE TABLE e (v smallint, t text, "
        "CONSTRAINT hours CHECK (((v >= '-40'::integer) AND (t <> '-3'::text))));\n",
        "postgres",
    )
    assert "`(v >= -40) AND (t <> '-3')`" in dbml  # compared with a smallint, '-40' would become '-40'::smallint
    assert "v >= -40" in sql
