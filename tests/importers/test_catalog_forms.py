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
