"""The test PostgreSQL server starts and runs SQL (the other engine tests rely on it)."""


def test_server_runs_sql(postgres, pg_database):
    with postgres.connect(pg_database) as conn:
        conn.execute("CREATE TABLE t (id int primary key, name text not null)")
        conn.execute("INSERT INTO t VALUES (1, 'a')")
        assert conn.execute("SELECT name FROM t WHERE id = 1").fetchone() == ("a",)
        version = conn.execute("SHOW server_version_num").fetchone()[0]
    assert int(version) >= 150000
