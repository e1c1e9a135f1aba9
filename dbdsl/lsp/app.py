"""The language server with every feature: each module below declares its handlers (`features`)."""

from __future__ import annotations

from . import (  # noqa: F401  (imported for the handlers they declare)
    actions,
    commands,
    completion,
    diagnostics,
    documents,
    formatting,
    hints,
    hover,
    navigation,
    rename,
    symbols,
    tokens,
)
from .features import install
from .server import DbdslServer


def create_server() -> DbdslServer:
    server = DbdslServer()
    install(server)
    return server


def serve_stdio() -> None:
    create_server().start_io()


def serve_tcp(host: str, port: int) -> None:
    create_server().start_tcp(host, port)
