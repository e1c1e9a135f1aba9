"""Progress of long work (many files, a large document), reported without knowing who shows it.

Long-running core functions take an optional `progress` and call `begin(title, total)`, then
`report(message, done)` as they go, then `end()`. The CLI passes a `StderrProgress` (one line that
updates in place, only on a terminal); the language server passes its own implementation backed by
LSP work-done progress; everything else gets `NullProgress`. Tasks may nest: an inner `begin` shows
the inner task until its `end`, then the outer one continues. `cancelled()` lets a client stop the
work: long loops check it between steps (see `steps`).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TextIO, TypeVar, runtime_checkable

T = TypeVar("T")


@runtime_checkable
class Progress(Protocol):
    """What long work reports to. `total` and `done` count steps; either may be unknown (None)."""

    def begin(self, title: str, total: int | None = None) -> None: ...

    def report(self, message: str | None = None, done: int | None = None) -> None: ...

    def end(self, message: str | None = None) -> None: ...

    def cancelled(self) -> bool: ...


class Cancelled(Exception):
    """Raised by `steps` when the progress client asked to stop the work."""


class NullProgress:
    """Reports nowhere."""

    def begin(self, title: str, total: int | None = None) -> None:
        pass

    def report(self, message: str | None = None, done: int | None = None) -> None:
        pass

    def end(self, message: str | None = None) -> None:
        pass

    def cancelled(self) -> bool:
        return False


NULL = NullProgress()


def steps(
    progress: Progress | None,
    title: str,
    items: Iterable[T],
    describe: Callable[[T], str] = str,
) -> Iterator[T]:
    """Yield `items` inside a task `title`, reporting each one before its work; `Cancelled` when asked
    to stop between two items. The task ends however the loop ends."""
    progress = progress or NULL
    items = list(items)
    progress.begin(title, total=len(items))
    try:
        for done, item in enumerate(items):
            if progress.cancelled():
                raise Cancelled(title)
            progress.report(describe(item), done=done)
            yield item
    finally:
        progress.end()


class StderrProgress:
    """One line on a terminal, redrawn in place: `title [done/total] message`. Prints nothing at all
    when the stream is not a terminal (a pipe, a file, CI logs), so output stays clean."""

    def __init__(self, stream: TextIO | None = None, *, interval: float = 0.05) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream)
        self.interval = interval
        self._tasks: list[list] = []  # [title, total, done, message]
        self._last_draw = 0.0
        self._drawn = False

    def begin(self, title: str, total: int | None = None) -> None:
        self._tasks.append([title, total, None, None])
        self._draw(force=True)

    def report(self, message: str | None = None, done: int | None = None) -> None:
        if not self._tasks:
            return
        task = self._tasks[-1]
        if message is not None:
            task[3] = message
        if done is not None:
            task[2] = done
        self._draw()

    def end(self, message: str | None = None) -> None:
        if self._tasks:
            self._tasks.pop()
        if self._tasks:
            self._draw(force=True)
        else:
            self._clear()

    def cancelled(self) -> bool:
        return False

    def line(self) -> str:
        """The text of the line as it would be drawn now (empty when no task is running)."""
        if not self._tasks:
            return ""
        title, total, done, message = self._tasks[-1]
        parts = [title]
        if total:
            parts.append(f"[{done or 0}/{total}]")
        if message:
            parts.append(message)
        return " ".join(parts)

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < self.interval:
            return
        self._last_draw = now
        width = _width(self.stream)
        text = self.line()
        if len(text) > width - 1:
            text = text[: max(0, width - 2)] + "…"
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()
        self._drawn = True

    def _clear(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def _width(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80
