"""The one fast path around lsprotocol's converter: JSON text the server prepared itself.

A large file has thousands of diagnostics; the publisher keeps each block's diagnostics as JSON text
(see `diagnostics.Publisher`), so an edit costs a few string joins instead of building and
unstructuring thousands of objects (about 60 ms on 25k.dbml). Such text travels as `RawJson`:
- as a request's result (the pull diagnostics report): pygls' converter turns it into a placeholder
  string (`RawJsonOutput.install`) and the writer puts the text in its place (`RawJsonOutput.writer`);
- as a notification's parameters (published diagnostics): `RawJsonOutput.notify` frames and writes it.
Both use only pygls' public hooks (the converter factory and the protocol's writer).
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

HEADER = b"Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"
_PLACEHOLDER = "\x00dbdsl-raw-json:%d\x00"
_ENCODED = re.compile(rb'"\\u0000dbdsl-raw-json:(\d+)\\u0000"')


class RawJson(str):
    """A JSON value as text: a result or notification parameters that are written out unchanged."""


class RawJsonOutput:
    """Connects the converter and the writer: the converter turns each `RawJson` value into a
    placeholder and keeps its text; the writer replaces the placeholder by the text and sets the
    message's length. Both run on the event loop, one message at a time."""

    def __init__(self) -> None:
        self._pending: dict[int, str] = {}
        self._ids = itertools.count()
        self._writer: Any = None

    def install(self, converter: Any) -> Any:
        """Register the placeholder hook on pygls' converter (pass as `converter_factory`)."""
        converter.register_unstructure_hook(RawJson, self._placeholder)
        return converter

    def _placeholder(self, value: RawJson) -> str:
        n = next(self._ids)
        self._pending[n] = str(value)
        return _PLACEHOLDER % n

    def writer(self, inner: Any) -> _Writer:
        """`inner` (pygls' stdio or TCP writer) with the placeholders filled in."""
        self._writer = _Writer(self, inner)
        return self._writer

    def fill(self, body: bytes) -> bytes:
        """The body with each placeholder replaced by its JSON text."""
        return _ENCODED.sub(lambda m: self._pending.pop(int(m.group(1))).encode("utf-8"), body)

    def notify(self, method: str, params: RawJson) -> Any:
        """A notification whose parameters are JSON text already."""
        body = '{"jsonrpc":"2.0","method":' + json.dumps(method) + ',"params":' + params + "}"
        return self.send(body)

    def send(self, body: str) -> Any:
        """Write one message (JSON text); None when there is no client to write to."""
        if self._writer is None:
            return None
        return self._writer.inner.write(frame(body.encode("utf-8")))


def frame(body: bytes) -> bytes:
    return HEADER % len(body) + body


class _Writer:
    """pygls' writer, with the placeholders of a message filled in before it is written."""

    def __init__(self, output: RawJsonOutput, inner: Any) -> None:
        self.output = output
        self.inner = inner

    def write(self, data: bytes) -> Any:
        if b"dbdsl-raw-json:" in data:
            _head, sep, body = data.partition(b"\r\n\r\n")
            data = frame(self.output.fill(body)) if sep else self.output.fill(data)
        return self.inner.write(data)

    def __getattr__(self, name: str) -> Any:  # close() and whatever else the transport offers
        return getattr(self.inner, name)
