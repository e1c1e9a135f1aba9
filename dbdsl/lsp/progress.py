"""`dbdsl.progress.Progress` as LSP work-done progress, for long work that runs on the analysis thread.

The first `begin` opens the progress in the editor (cancellable), nested tasks show as messages,
`report` updates the message and the percentage, and the last `end` closes it. Notifications are
sent from the event loop. `cancelled()` is true once the user cancelled it in the editor.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

if TYPE_CHECKING:
    from .server import DbdslServer


class LspProgress:
    def __init__(self, server: DbdslServer, token: Any) -> None:
        self.server = server
        self.token = token
        self._tasks: list[tuple[str, int | None]] = []

    def _send(self, value: Any) -> None:
        if self.token is None:
            return
        server, token = self.server, self.token
        if isinstance(value, lsp.WorkDoneProgressBegin):
            server.on_loop(lambda: server.work_done_progress.begin(token, value))
        elif isinstance(value, lsp.WorkDoneProgressReport):
            server.on_loop(lambda: server.work_done_progress.report(token, value))
        else:
            server.on_loop(lambda: server.work_done_progress.end(token, value))

    def begin(self, title: str, total: int | None = None) -> None:
        self._tasks.append((title, total))
        if len(self._tasks) == 1:
            self._send(lsp.WorkDoneProgressBegin(title=title, cancellable=True, percentage=0 if total else None))
        else:
            self._send(lsp.WorkDoneProgressReport(message=title))

    def report(self, message: str | None = None, done: int | None = None) -> None:
        if not self._tasks:
            return
        title, total = self._tasks[-1]
        percentage = None
        if total and done is not None and len(self._tasks) == 1:
            percentage = max(0, min(100, done * 100 // total))
        text = message if len(self._tasks) == 1 else f"{title}: {message}" if message else title
        self._send(lsp.WorkDoneProgressReport(message=text, percentage=percentage))

    def end(self, message: str | None = None) -> None:
        if not self._tasks:
            return
        self._tasks.pop()
        if not self._tasks:
            self._send(lsp.WorkDoneProgressEnd(message=message))

    def cancelled(self) -> bool:
        return self.token is not None and self.token in self.server.cancelled_progress


async def create_progress(server: DbdslServer, token: Any = None) -> LspProgress:
    """A progress on the client's token (from the request), or on a new one when the client supports
    server-initiated progress; without either, a progress that reports nowhere."""
    if token is None and getattr(getattr(server.client_capabilities, "window", None), "work_done_progress", False):
        token = str(uuid.uuid4())
        try:
            await server.work_done_progress.create_async(token)
        except Exception:
            token = None
    return LspProgress(server, token)
