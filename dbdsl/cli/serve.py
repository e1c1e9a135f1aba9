"""`dbdsl serve`: the language server, over stdio (or TCP for debugging)."""

from __future__ import annotations

import argparse
import logging
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the language server (LSP over stdio)")
    p.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default)")
    p.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP port instead, for debugging")
    p.add_argument("--log-file", metavar="PATH", help="write the server's log to this file")
    p.add_argument("--verbose", action="store_true", help="log every message (with --log-file)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from . import UsageError

    address = None
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise UsageError(f"--tcp takes HOST:PORT, such as 127.0.0.1:2087 (got {args.tcp!r})")
        address = (host, int(port))
    if args.log_file:
        logging.basicConfig(
            filename=args.log_file,
            level=logging.DEBUG if args.verbose else logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
    else:
        logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="dbdsl: %(levelname)s %(message)s")
    from ..lsp.app import serve_stdio, serve_tcp

    if address is not None:
        serve_tcp(*address)
    else:
        serve_stdio()
    return 0
