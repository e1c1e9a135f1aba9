"""Index keys with a PostgreSQL operator class (`name gin_trgm_ops`) become valid DDL that runs."""

from __future__ import annotations

from dbdsl.emit.sql import generate
from dbdsl.model.link import link
from dbdsl.workspace import SourceFile

TEXT = """
Table customers {
  id int [pk]
  name varchar(100) [not null]

  indexes {
    `name gin_trgm_ops` [type: gin, name: 'customers_name_trgm']
  }
}
"""


def schema():
    source = SourceFile("/virtual/opclass.dbml", TEXT)
    assert not source.local_findings()
    return link(source.decls())[0]


def test_operator_class_is_kept_in_the_index_element() -> None:
    sql = generate(schema(), "postgres").text()
    assert 'USING gin("name" gin_trgm_ops)' in sql


def test_trigram_index_runs_on_postgres(postgres, pg_database) -> None:
    script = generate(schema(), "postgres")
    with postgres.connect(pg_database) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for statement in script.statements:
            conn.execute(statement.sql(dialect="postgres"))
        indexdef = conn.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'customers_name_trgm'").fetchone()[0]
    assert "gin_trgm_ops" in indexdef and "USING gin" in indexdef
