"""The dbdsl language server: pygls over stdio (or TCP), a thin adapter over `dbdsl.ide`.

One thread does all analysis work, in the order the messages arrived (the core is not thread-safe,
and an edit must be applied before a request about the edited text is answered); the event loop
reads messages, debounces diagnostics and sends results. Each feature lives in its own module, as
module-level handlers declared with `features.feature`; `app.create_server` puts them together.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from cattrs import Converter
from lsprotocol import types as lsp
from pygls.exceptions import FeatureRequestError, JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, default_converter
from pygls.protocol.json_rpc import RPCMessage
from pygls.protocol.language_server import lsp_method

from .. import __version__
from ..gcpause import gc_paused
from .features import Refusal, UnknownDocument
from .rawjson import RawJsonOutput
from .tokens import TokenResults

if TYPE_CHECKING:
    from .engine import Engine

log = logging.getLogger("dbdsl.lsp")
T = TypeVar("T")
DEFAULT_DIAGNOSTICS_DELAY_MS = 150
# what pygls's built-in handler of a notification yields: the user's handler, its arguments, a callback
Dispatch = Iterator[tuple[Callable[..., Any], tuple[Any, ...], None]]


class _QuietRefusals(logging.Filter):
    """pygls logs every error response with its traceback; refusals are expected answers."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, Refusal)


logging.getLogger("pygls.protocol.json_rpc").addFilter(_QuietRefusals())


class _InvalidRequest:
    """A request whose parameters could not be read: it gets an InvalidParams error response."""

    jsonrpc = "2.0"

    def __init__(self, msg_id: int | str, method: str, error: Exception) -> None:
        self.id = msg_id
        self.method = method
        self.error = error


class DbdslProtocol(LanguageServerProtocol):
    """pygls's protocol, with three changes: the engine keeps the documents (pygls would keep a second
    copy and re-split it on every change); a request with malformed parameters is answered with an
    InvalidParams error instead of being dropped (a client would wait for it forever); and the writer
    writes JSON the server prepared itself as it is (`rawjson`)."""

    def __init__(self, server: DbdslServer, converter: Converter) -> None:
        super().__init__(server, converter)
        self.output: RawJsonOutput = server.output

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: lsp.DidOpenTextDocumentParams) -> Dispatch:
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams) -> Dispatch:
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: lsp.DidCloseTextDocumentParams) -> Dispatch:
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None

    def set_writer(self, writer: Any, include_headers: bool = True) -> None:
        super().set_writer(self.output.writer(writer), include_headers)

    def structure_message(self, data: dict[str, Any]) -> object:
        try:
            return super().structure_message(data)
        except JsonRpcException as e:
            if isinstance(data, dict) and "id" in data and isinstance(data.get("method"), str):
                return _InvalidRequest(data["id"], data["method"], e)
            raise

    def handle_message(self, message: RPCMessage | _InvalidRequest) -> None:
        if isinstance(message, _InvalidRequest):
            log.warning("invalid parameters for %s", message.method)
            error = {"code": lsp.ErrorCodes.InvalidParams.value, "message": f"invalid parameters for {message.method}"}
            self.output.send(json.dumps({"jsonrpc": "2.0", "id": message.id, "error": error}))
            return
        super().handle_message(message)


class DbdslServer(LanguageServer):
    def __init__(self) -> None:
        self.output = RawJsonOutput()
        super().__init__(
            "dbdsl",
            __version__,
            protocol_cls=DbdslProtocol,
            converter_factory=lambda: self.output.install(default_converter()),
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
        )
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dbdsl-analysis")
        delay = os.environ.get("DBDSL_DIAGNOSTICS_DELAY_MS", "")
        self.diagnostics_delay = (int(delay) if delay.isdigit() else DEFAULT_DIAGNOSTICS_DELAY_MS) / 1000
        self.latest: dict[str, int | None] = {}  # the newest version received per open document
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.loop: asyncio.AbstractEventLoop | None = None  # set when the session starts
        self.loop_thread: int | None = None
        self.push_diagnostics = True
        self.hover_images_supported = False
        self.snippets = False
        self.cancelled_progress: set[lsp.ProgressToken] = set()  # work-done progress tokens the user cancelled
        self.token_results = TokenResults()  # the semantic tokens last sent, for delta requests

    @property
    def engine(self) -> Engine:
        """The analysis state, made on first use: `initialize` is answered before the analysis stack
        is imported, and the first work queued after it (the settings) makes it on the analysis thread."""
        if self._engine is None:
            with self._engine_lock:
                if self._engine is None:
                    with gc_paused():  # imports make many objects that live on: nothing to collect
                        from .engine import Engine  # on first use: keeps the analysis stack out of start-up time

                        self._engine = Engine(report=lambda message: self.log(message, lsp.MessageType.Warning))
        return self._engine

    # ------------------------------------------------------------ the analysis thread

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Queue work for the analysis thread (in message order)."""
        return self.worker.submit(fn, *args)

    async def run(self, fn: Callable[..., T], *args: Any) -> T | None:
        """Run `fn` on the analysis thread and wait for it; a document the server cannot read gives None."""
        try:
            return await asyncio.wrap_future(self.submit(fn, *args))
        except UnknownDocument as e:
            log.info("%s", e)
            return None

    def show(self, kind: lsp.MessageType, message: str) -> None:
        """A message for the user (window/showMessage), from the event loop."""
        self.window_show_message(lsp.ShowMessageParams(type=kind, message=message))

    def on_loop(self, callback: Callable[[], Any]) -> None:
        """Run `callback` on the event loop (from the analysis thread)."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(callback)

    def log(self, message: str, kind: lsp.MessageType = lsp.MessageType.Info) -> None:
        """A message for the client's log, from any thread (messages are written on the event loop)."""
        params = lsp.LogMessageParams(type=kind, message=message)
        if self.loop is not None and threading.get_ident() != self.loop_thread:
            self.on_loop(lambda: self.window_log_message(params))
        else:
            self.window_log_message(params)

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Errors outside requests go to the client's log, not into pop-ups (a failed request already
        has its error response)."""
        if source is FeatureRequestError:
            return
        log.error("%s", error)
        try:
            self.log(f"dbdsl: {error}", lsp.MessageType.Error)
        except Exception:  # the client may be gone
            log.debug("could not log the error to the client", exc_info=True)

    def shutdown(self) -> None:
        self.worker.shutdown(wait=False, cancel_futures=True)
        super().shutdown()
