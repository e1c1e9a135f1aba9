"""The output generators (SQL, ERD, design document, migrations) as the editor features use them.

They live in their own packages; a feature that needs one is offered only when that package is
installed with the function it needs (`available`), so the server never advertises what it cannot do.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
from typing import Any


def function(module: str, name: str) -> Any | None:
    """`module.name` when the module exists and has it, else None."""
    try:
        if importlib.util.find_spec(module) is None:
            return None
        return getattr(importlib.import_module(module), name, None)
    except (ImportError, ValueError):
        return None


def available(module: str, name: str) -> bool:
    return function(module, name) is not None


def text_erd(schema: Any, table_key: tuple[str, str]) -> str | None:
    """The text diagram of a table and its direct neighbours, when the ERD module is there."""
    text_diagram = function("dbdsl.emit.erd", "text_diagram")
    if text_diagram is None:
        return None
    return text_diagram(schema, focus=table_key, depth=1)


def svg_erd(schema: Any, table_key: tuple[str, str] | None = None) -> str | None:
    """An SVG diagram rendered by Graphviz (None when the module or Graphviz is missing)."""
    render = function("dbdsl.emit.erd", "render")
    if render is None:
        return None
    failures = tuple(
        e for e in (function("dbdsl.emit.erd", "GraphvizMissing"), function("dbdsl.emit.erd", "GraphvizFailed")) if e
    )
    try:
        svg = render(schema, "svg", focus=table_key) if table_key is not None else render(schema, "svg")
    except failures:
        return None
    return svg.decode("utf-8") if isinstance(svg, bytes) else svg


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
