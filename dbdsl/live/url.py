"""Database URLs: `postgresql://` (every libpq form, a Unix socket through `host=`), `mysql://` and
`sqlite:///path`. The password may be in the URL, in PGPASSWORD or a libpq password file (PostgreSQL),
or in an environment variable named by `--password-env`; it is never part of what is shown: `shown`
is the URL with the password masked, and `mask` removes it from any message."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

MASK = "****"
SCHEMES = {"postgresql": "postgres", "postgres": "postgres", "mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite"}


class UrlError(ValueError):
    """A URL that cannot be used (the message never holds the password)."""


@dataclass(frozen=True)
class DatabaseUrl:
    kind: str  # postgres, mysql or sqlite
    raw: str = field(repr=False)
    password: str | None = field(default=None, repr=False)
    params: dict[str, str] = field(default_factory=dict, repr=False)  # connection keywords, password left out

    @property
    def shown(self) -> str:
        """The URL as it may be printed."""
        return mask_url(self.raw)

    def mask(self, text: str) -> str:
        """`text` with the password, and any password in a URL, masked."""
        text = mask_url(text)
        if self.password:
            text = text.replace(self.password, MASK)
        return text

    @property
    def database(self) -> str:
        return self.params.get("dbname") or self.params.get("database") or self.params.get("path") or ""


_NETLOC_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:/?#@\s]*:)(?P<pw>[^@/?#\s]*)(?=@)", re.I)
_PARAM_PASSWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'|[^&\s]*)", re.I)


def mask_url(text: str) -> str:
    """Mask passwords written in URLs (`user:secret@`) and as `password=` parameters."""
    text = _NETLOC_PASSWORD.sub(lambda m: m.group("head") + MASK, text)
    return _PARAM_PASSWORD.sub(lambda m: m.group("head") + MASK, text)


def parse_url(raw: str, *, password_env: str | None = None) -> DatabaseUrl:
    """Read `raw`; UrlError for an unknown scheme or a URL that is not one."""
    scheme = raw.split(":", 1)[0].lower() if "://" in raw else ""
    kind = SCHEMES.get(scheme)
    if kind is None:
        said = f"'{scheme}'" if scheme else "none"
        raise UrlError(f"{mask_url(raw)}: unknown URL scheme ({said}); use postgresql://, mysql:// or sqlite:///path")
    password = None
    if password_env:
        password = os.environ.get(password_env)
        if password is None:
            raise UrlError(f"--password-env {password_env}: the environment variable is not set")
    if kind == "postgres":
        params = _postgres_params(raw)
    elif kind == "mysql":
        params = _mysql_params(raw)
    else:
        params = _sqlite_params(raw)
    given = params.pop("password", None)
    return DatabaseUrl(kind, raw, password if password is not None else given, params)


def _postgres_params(raw: str) -> dict[str, str]:
    """libpq reads the URL itself (every form it knows: percent-encoded socket paths, `host=`, several
    hosts); psycopg hands its parse back as keywords."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = conninfo_to_dict(raw)
    except ProgrammingError as e:
        raise UrlError(f"{mask_url(raw)}: not a PostgreSQL URL ({mask_url(_first_line(str(e)))})") from None
    return {k: str(v) for k, v in params.items() if v is not None}


def _mysql_params(raw: str) -> dict[str, str]:
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as e:
        raise UrlError(f"{mask_url(raw)}: not a MySQL URL ({e})") from None
    params = {k: v for k, v in parse_qsl(parts.query)}
    out: dict[str, str] = {}
    if parts.hostname:
        out["host"] = unquote(parts.hostname)
    if port:
        out["port"] = str(port)
    if parts.username:
        out["user"] = unquote(parts.username)
    if parts.password is not None:
        out["password"] = unquote(parts.password)
    database = unquote(parts.path.lstrip("/"))
    if database:
        out["database"] = database
    socket = params.pop("unix_socket", None) or params.pop("socket", None)
    if socket:
        out["unix_socket"] = socket
    if "password" in params:
        out["password"] = params.pop("password")
    for key in ("user", "host", "port", "database", "charset"):
        if key in params:
            out[key] = params.pop(key)
    if params:
        raise UrlError(f"{mask_url(raw)}: unknown parameter(s) {', '.join(sorted(params))}")
    return out


def _sqlite_params(raw: str) -> dict[str, str]:
    """`sqlite:///relative.db`, `sqlite:////absolute.db`; `?mode=rwc` creates a missing file (without it
    a missing file is an error, never an empty database made silently)."""
    if not raw.lower().startswith("sqlite:///"):
        raise UrlError(f"{raw}: a SQLite URL is sqlite:///path (three slashes, four for an absolute path)")
    rest = raw[len("sqlite:///") :]
    path, _, query = rest.partition("?")
    params = dict(parse_qsl(query))
    mode = params.pop("mode", "rw")
    if mode not in ("rw", "rwc", "ro"):
        raise UrlError(f"{raw}: mode must be ro, rw or rwc")
    if params:
        raise UrlError(f"{raw}: unknown parameter(s) {', '.join(sorted(params))}")
    if not path:
        raise UrlError(f"{raw}: no database file")
    return {"path": unquote(path), "mode": mode}


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), text.strip())
