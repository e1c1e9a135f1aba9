"""URLs of the test servers, as a user would write them."""

from __future__ import annotations

from pathlib import Path


def pg_url(postgres, database: str, user: str | None = None, password: str | None = None) -> str:
    """A libpq URL reaching the test server's Unix socket through `host=`."""
    who = user or postgres.user
    if password is not None:
        who += f":{password}"
    return f"postgresql://{who}@/{database}?host={postgres.socket_dir}&port={postgres.port}"


def mysql_url(mariadb, database: str, user: str = "root", password: str | None = None) -> str:
    who = user if password is None else f"{user}:{password}"
    return f"mysql://{who}@localhost/{database}?unix_socket={mariadb.socket}"


def sqlite_url(path: Path, create: bool = False) -> str:
    return f"sqlite:///{path}" + ("?mode=rwc" if create else "")
