"""Entity-relationship diagrams of a schema: Graphviz (SVG, PNG, DOT), Mermaid and text.

    render(schema, "svg", focus="orders")   # str; "png" gives bytes
    svg_or_none(schema, focus="orders")     # the SVG, or None when Graphviz cannot draw it
    text_diagram(schema, focus="orders")    # what an editor hover shows
    to_mermaid(schema)                      # erDiagram for Markdown
    to_dot(schema)                          # DOT source

`focus` is a table key (schema, name), `schema.name`, a bare name or an alias; with it the diagram
holds that table and its neighbours within `depth` relationships. An unknown focus raises
`UnknownTable` (a ValueError). SVG and PNG need Graphviz's `dot` program: without it `render` raises
`GraphvizMissing`, whose message says how to install it and that dot, mmd and txt work without it.
"""

from __future__ import annotations

import shutil
import subprocess

from ...model.schema import Schema
from .dot import build, to_dot
from .graph import UnknownTable, find_table, neighbourhood
from .mermaid import to_mermaid
from .text import text_diagram

__all__ = [
    "FORMATS",
    "GRAPHVIZ_FORMATS",
    "GraphvizFailed",
    "GraphvizMissing",
    "UnknownTable",
    "find_table",
    "graphviz_available",
    "neighbourhood",
    "render",
    "svg_or_none",
    "text_diagram",
    "to_dot",
    "to_mermaid",
]

FORMATS = ("svg", "png", "dot", "mmd", "txt")
GRAPHVIZ_FORMATS = ("svg", "png")
DOT_TIMEOUT = 300  # seconds; a layout of a few hundred tables takes a few


class GraphvizMissing(RuntimeError):
    """Graphviz's `dot` program is not installed (or not on PATH)."""

    def __init__(self, fmt: str = "svg") -> None:
        super().__init__(
            f"the {fmt} ERD needs Graphviz's 'dot' program, which is not on PATH: install Graphviz "
            "(apt-get install graphviz, brew install graphviz, choco install graphviz); "
            "the dot, mmd and txt formats work without it"
        )


class GraphvizFailed(RuntimeError):
    """`dot` ran but could not lay the diagram out."""


def graphviz_available() -> bool:
    return shutil.which("dot") is not None


def render(
    schema: Schema,
    fmt: str,
    focus: str | tuple[str, str] | None = None,
    *,
    depth: int = 1,
) -> str | bytes:
    """The diagram in `fmt` (one of FORMATS): bytes for png, text for the others."""
    if fmt == "txt":
        return text_diagram(schema, focus, depth)
    if fmt == "mmd":
        return to_mermaid(schema, focus, depth)
    if fmt == "dot":
        return to_dot(schema, focus, depth)
    if fmt not in GRAPHVIZ_FORMATS:
        raise ValueError(f"unknown ERD format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    graph = build(schema, focus, depth)
    if not graphviz_available():
        raise GraphvizMissing(fmt)
    try:
        data = subprocess.run(
            ["dot", f"-T{fmt}"],
            input=graph.source.encode("utf-8"),
            capture_output=True,
            timeout=DOT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError as e:
        raise GraphvizMissing(fmt) from e
    except subprocess.TimeoutExpired as e:
        raise GraphvizFailed(f"Graphviz did not finish the layout within {DOT_TIMEOUT} s") from e
    if data.returncode != 0:
        message = data.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise GraphvizFailed("Graphviz could not draw the ERD: " + (message[0] if message else "unknown error"))
    return data.stdout.decode("utf-8") if fmt == "svg" else data.stdout


def svg_or_none(schema: Schema, focus: str | tuple[str, str] | None = None) -> str | None:
    """The SVG diagram, or None when Graphviz is missing or cannot lay it out (for callers that show
    the text diagram instead)."""
    try:
        svg = render(schema, "svg", focus)
        return svg if isinstance(svg, str) else None
    except (GraphvizMissing, GraphvizFailed):
        return None
