"""Connecting from URLs: libpq forms, MySQL through PyMySQL, SQLite files; the password from the URL,
PGPASSWORD or --password-env, and never in any output; bad input is one line and exit status 2."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from dbdsl.cli import main
from dbdsl.live.url import MASK, mask_url, parse_url
from tests.live.urls import mysql_url, pg_url, sqlite_url

PASSWORD = "Pw-7f3kQ9zz-live"
SCHEMA = "Table items {\n  id int [pk]\n  name varchar(40)\n}\n"


@pytest.fixture
def migrations(tmp_path: Path) -> dict[str, Path]:
    schema = tmp_path / "s.dbml"
    schema.write_text(SCHEMA)
    out = {}
    for dialect in ("postgres", "sqlite"):
        out[dialect] = tmp_path / f"m_{dialect}"
        assert main(["migrate", "init", str(schema), "--dir", str(out[dialect]), "--dialect", dialect]) == 0
    return out


def run(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def one_line_error(status: int, output: str) -> str:
    assert status == 2, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert PASSWORD not in output
    return lines[0]


def test_url_forms_and_masking() -> None:
    url = parse_url(f"postgresql://ann:{PASSWORD}@db.example.com:6543/shop?sslmode=disable")
    assert (url.kind, url.password, url.params["host"], url.params["port"]) == (
        "postgres",
        PASSWORD,
        "db.example.com",
        "6543",
    )
    assert PASSWORD not in url.shown and MASK in url.shown
    socket_url = parse_url("postgresql:///shop?host=/var/run/postgresql")
    assert socket_url.params == {"dbname": "shop", "host": "/var/run/postgresql"}
    assert parse_url("postgresql://%2Fvar%2Frun%2Fpostgresql/shop").params["host"] == "/var/run/postgresql"
    my = parse_url(f"mysql://ann:{PASSWORD}@localhost:3307/shop")
    assert (my.kind, my.password, my.params["port"], my.params["database"]) == ("mysql", PASSWORD, "3307", "shop")
    assert parse_url("sqlite:////tmp/x.db").params["path"] == "/tmp/x.db"
    assert parse_url("sqlite:///rel/x.db").params["path"] == "rel/x.db"
    assert PASSWORD not in mask_url(f"failed: postgresql://u:{PASSWORD}@h/db and password={PASSWORD}")


def test_unknown_scheme_and_bad_sqlite_url(capsys, migrations) -> None:
    line = one_line_error(
        *run(capsys, "migrate", "status", "--url", f"oracle://u:{PASSWORD}@h/db", "--dir", str(migrations["sqlite"]))
    )
    assert "unknown URL scheme ('oracle')" in line
    line = one_line_error(*run(capsys, "migrate", "status", "--url", "/tmp/x.db", "--dir", str(migrations["sqlite"])))
    assert "unknown URL scheme" in line


def test_missing_sqlite_file_is_not_created(capsys, tmp_path, migrations) -> None:
    path = tmp_path / "none.db"
    line = one_line_error(
        *run(capsys, "migrate", "status", "--url", sqlite_url(path), "--dir", str(migrations["sqlite"]))
    )
    assert "does not exist" in line
    assert not path.exists()


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never says a word (a host that does not answer)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.mark.parametrize("scheme", ["postgresql", "mysql"])
def test_host_that_does_not_answer_times_out(capsys, silent_server, scheme, migrations) -> None:
    url = f"{scheme}://ann:{PASSWORD}@127.0.0.1:{silent_server}/shop"
    started = time.monotonic()
    status, output = run(
        capsys, "migrate", "status", "--url", url, "--dir", str(migrations["postgres"]), "--connect-timeout", "1"
    )
    assert time.monotonic() - started < 15
    line = one_line_error(status, output)
    assert line.startswith(f"dbdsl: cannot connect to {scheme}://ann:{MASK}@127.0.0.1"), line


@pytest.fixture(scope="module")
def pg_role(postgres):
    with postgres.connect() as conn:
        conn.execute("DROP ROLE IF EXISTS live_user")
        conn.execute(f"CREATE ROLE live_user LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
    postgres.require_password("live_user")
    return "live_user"


def test_postgres_password_sources(capsys, postgres, pg_database, pg_role, migrations, monkeypatch) -> None:
    directory = str(migrations["postgres"])
    outputs = []
    # in the URL
    status, output = run(
        capsys, "migrate", "status", "--url", pg_url(postgres, pg_database, pg_role, PASSWORD), "--dir", directory
    )
    outputs.append(output)
    assert status == 1 and "pending" in output, output  # connected: the migrations are pending
    # PGPASSWORD
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    status, output = run(
        capsys, "migrate", "status", "--url", pg_url(postgres, pg_database, pg_role), "--dir", directory
    )
    outputs.append(output)
    assert status == 1 and "pending" in output, output
    monkeypatch.delenv("PGPASSWORD")
    # --password-env
    monkeypatch.setenv("SHOP_DB_PASSWORD", PASSWORD)
    status, output = run(
        capsys,
        "migrate",
        "apply",
        "--url",
        pg_url(postgres, pg_database, pg_role),
        "--dir",
        directory,
        "--password-env",
        "SHOP_DB_PASSWORD",
    )
    outputs.append(output)
    assert status == 0 and "applied 0001" in output, output
    # wrong password, in the URL and from the environment
    line = one_line_error(
        *run(
            capsys,
            "migrate",
            "status",
            "--url",
            pg_url(postgres, pg_database, pg_role, "wrong-" + PASSWORD),
            "--dir",
            directory,
        )
    )
    assert "password authentication failed" in line and MASK in line
    monkeypatch.setenv("SHOP_DB_PASSWORD", "x" + PASSWORD)
    line = one_line_error(
        *run(
            capsys,
            "migrate",
            "status",
            "--url",
            pg_url(postgres, pg_database, pg_role),
            "--dir",
            directory,
            "--password-env",
            "SHOP_DB_PASSWORD",
        )
    )
    assert "password authentication failed" in line
    line = one_line_error(
        *run(
            capsys,
            "migrate",
            "status",
            "--url",
            pg_url(postgres, pg_database, pg_role),
            "--dir",
            directory,
            "--password-env",
            "NOT_SET_ANYWHERE",
        )
    )
    assert "NOT_SET_ANYWHERE" in line
    # a database that does not exist
    line = one_line_error(
        *run(
            capsys, "migrate", "status", "--url", pg_url(postgres, "no_such_db", pg_role, PASSWORD), "--dir", directory
        )
    )
    assert 'database "no_such_db" does not exist' in line
    # pull, diff and status name the database: with the password masked
    url = pg_url(postgres, pg_database, pg_role, PASSWORD)
    status, output = run(capsys, "pull", url)
    outputs.append(output)
    assert status == 0 and "Table items" in output, output
    schema = migrations["postgres"].parent / "s.dbml"
    status, output = run(capsys, "diff", url, str(schema))
    outputs.append(output)
    assert status == 0 and f"{pg_role}:{MASK}@" in output, output
    status, output = run(capsys, "migrate", "status", "--url", url, "--dir", directory)
    outputs.append(output)
    assert status == 0 and f"{pg_role}:{MASK}@" in output, output
    for output in outputs:
        assert PASSWORD not in output


@pytest.fixture(scope="module")
def mysql_user(mariadb):
    mariadb.query(f"CREATE USER IF NOT EXISTS 'live'@'localhost' IDENTIFIED BY '{PASSWORD}'")
    mariadb.query("GRANT ALL PRIVILEGES ON *.* TO 'live'@'localhost'")
    return "live"


def test_mysql_credentials_and_databases(capsys, mariadb, mysql_user, tmp_path) -> None:
    database = mariadb.fresh_database()
    mariadb.query("CREATE TABLE t (id INT PRIMARY KEY)", database=database)
    out = tmp_path / "pulled.dbml"
    status, output = run(capsys, "pull", mysql_url(mariadb, database, mysql_user, PASSWORD), "-o", str(out))
    assert status == 0, output
    assert "Table" in out.read_text()
    line = one_line_error(*run(capsys, "pull", mysql_url(mariadb, database, mysql_user, "no" + PASSWORD)))
    assert "Access denied" in line and MASK in line
    line = one_line_error(*run(capsys, "pull", mysql_url(mariadb, "no_such_db", mysql_user, PASSWORD)))
    assert "Unknown database" in line
    assert PASSWORD not in output
