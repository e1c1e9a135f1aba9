"""JSON text the server has already serialized, sent as it is (see `DbdslProtocol`)."""

from __future__ import annotations


class RawJson(str):
    """A JSON value as text: a result or notification parameters that are written out unchanged."""
