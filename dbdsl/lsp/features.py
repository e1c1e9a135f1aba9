"""What the server offers, declared where it is implemented: each feature module decorates its
module-level handlers with `feature` (one per LSP method) or `command` (`workspace/executeCommand`),
and `install` registers them all on a server. Handlers take the server as their first parameter,
named `ls` (pygls passes it by that name), and the method's parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

F = TypeVar("F", bound=Callable[..., Any])
FEATURES: dict[str, tuple[Any, Callable[..., Any]]] = {}  # method: (options, handler)
COMMANDS: dict[str, Callable[..., Any]] = {}


class Refusal(JsonRpcException):
    """A request the server declines, with the reason for the user (RequestFailed): a rename that
    would collide, an export of a schema with errors. Not a server error, so not logged as one."""

    CODE = lsp.LSPErrorCodes.RequestFailed.value


class UnknownDocument(LookupError):
    """A request about a document the server cannot read (answered with null)."""


def feature(method: str, options: Any = None) -> Callable[[F], F]:
    """Declare `fn` as the handler of an LSP method (one handler per method)."""

    def decorate(fn: F) -> F:
        if method in FEATURES:
            raise ValueError(f"two handlers for {method}")
        FEATURES[method] = (options, fn)
        return fn

    return decorate


def command(name: str) -> Callable[[F], F]:
    """Declare `fn` as the handler of a `workspace/executeCommand` command."""

    def decorate(fn: F) -> F:
        if name in COMMANDS:
            raise ValueError(f"two handlers for the command {name}")
        COMMANDS[name] = fn
        return fn

    return decorate


def install(server: LanguageServer) -> None:
    """Register every declared handler on `server`."""
    for method, (options, fn) in FEATURES.items():
        server.feature(method, options)(fn)
    for name, fn in COMMANDS.items():
        server.command(name)(fn)
