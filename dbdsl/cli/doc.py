"""`dbdsl doc FILE [-o DESIGN.md]`: the database design document, with the Graphviz ERD beside it."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..document import render_document
from ..emit.erd import GraphvizFailed, graphviz_available, render
from ..progress import StderrProgress
from .common import analyze, print_warnings, write_output
from .files import display_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "doc",
        help="write the database design document (Markdown)",
        description="Write the design document: ERD, tables, migration phases, access patterns, performance, "
        "scalability, backup, retention, security and design findings. With -o, the Graphviz ERD is written "
        "beside it as <name>.svg (when Graphviz is installed).",
    )
    p.add_argument("file", metavar="FILE", help="the schema file (.dbml)")
    p.add_argument("-o", "--output", metavar="OUT", help="the Markdown file to write (default: stdout)")
    p.add_argument("--no-svg", action="store_true", help="do not write the SVG ERD beside the document")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    analysis = analyze(args.file)
    if analysis is None:
        return 1
    progress = StderrProgress()
    warnings: list[str] = []
    svg_name = None
    files: dict[str, str | bytes] = {}  # the document and its SVG, written as one unit
    to_file = args.output is not None and args.output != "-"
    if to_file and not args.no_svg:
        if graphviz_available():
            svg = Path(args.output).with_suffix(".svg")
            progress.begin("Drawing the ERD")
            try:
                files[str(svg)] = render(analysis.schema, "svg")
                svg_name = svg.name
            except GraphvizFailed as e:
                warnings.append(f"{e}; the document embeds the Mermaid ERD only")
            finally:
                progress.end()
        else:
            warnings.append(
                "Graphviz's 'dot' is not installed (apt-get install graphviz, brew install graphviz): "
                "the document embeds the Mermaid ERD only"
            )
    text = render_document(analysis, svg_path=svg_name, progress=progress)
    if to_file:
        write_output(args.output, {args.output: text, **files})
    else:
        write_output(args.output, text)
    print_warnings(warnings, display_path(args.file))
    return 0
