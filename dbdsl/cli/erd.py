"""`dbdsl erd FILE -o OUT [--format F] [--focus TABLE] [--depth N]`: the entity-relationship diagram."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..emit.erd import FORMATS, GraphvizFailed, GraphvizMissing, UnknownTable, render
from .common import analyze, write_output

SUFFIXES = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot", ".mmd": "mmd", ".txt": "txt"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "erd",
        help="draw the entity-relationship diagram (svg, png, dot, mmd, txt)",
        description="Draw the ERD: Graphviz (svg, png, dot) with crow's-foot edges between the columns, "
        "Mermaid erDiagram (mmd) or a text diagram (txt). svg and png need Graphviz's dot program.",
    )
    p.add_argument("file", metavar="FILE", help="the schema file (.dbml)")
    p.add_argument("-o", "--output", metavar="OUT", help="the file to write; its suffix picks the format")
    p.add_argument("--format", choices=FORMATS, help="the format (default: from OUT's suffix; txt on stdout)")
    p.add_argument("--focus", metavar="TABLE", help="draw TABLE and its neighbours only")
    p.add_argument("--depth", type=int, default=1, metavar="N", help="with --focus: relationships to follow (1)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from . import UsageError

    fmt = args.format or _format_of(args.output)
    if fmt == "png" and (args.output is None or args.output == "-"):
        raise UsageError("a png ERD needs an output file: -o erd.png")
    if args.depth < 0:
        raise UsageError("--depth must be 0 or more")
    analysis = analyze(args.file)
    if analysis is None:
        return 1
    try:
        data = render(analysis.schema, fmt, args.focus, depth=args.depth)
    except UnknownTable as e:
        raise UsageError(f"--focus: {e}") from e
    except (GraphvizMissing, GraphvizFailed) as e:
        raise UsageError(str(e)) from e
    write_output(args.output, data)
    return 0


def _format_of(output: str | None) -> str:
    from . import UsageError

    if output is None or output == "-":
        return "txt"
    suffix = Path(output).suffix.lower()
    if suffix not in SUFFIXES:
        known = ", ".join(sorted(SUFFIXES))
        raise UsageError(f"{output}: cannot tell the format from the suffix ({known}); use --format")
    return SUFFIXES[suffix]
