"""Output benchmark on the official DBML benchmark inputs: the Graphviz ERD (SVG), the design document
(without its SVG), and reading the PostgreSQL DDL of the schema back with `dbdsl import`.

Prints figures; it is not a test. The ERD needs Graphviz's `dot`.

    python bench/outputs.py [--inputs 18k.dbml 25k.dbml]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("DBDSL_SHARED", REPO.parent / "shared"))
INPUTS = SHARED / "corpus" / "bench"

from dbdsl.document import render_document  # noqa: E402
from dbdsl.emit.erd import render  # noqa: E402
from dbdsl.emit.sql import generate  # noqa: E402
from dbdsl.importers.sql import import_sql  # noqa: E402
from dbdsl.workspace import Workspace  # noqa: E402


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", nargs="+", default=["18k.dbml", "25k.dbml"])
    args = parser.parse_args()
    print("| input | tables | ERD (SVG) | design document | PostgreSQL DDL | import of that DDL |")
    print("|---|---|---|---|---|---|")
    for name in args.inputs:
        path = INPUTS / name
        if not path.is_file():
            print(f"{name}: not found in {INPUTS} (set DBDSL_SHARED)")
            continue
        analysis = Workspace().analyze(str(path))
        schema = analysis.schema
        if shutil.which("dot"):
            erd_time, svg = timed(lambda s=schema: render(s, "svg"))
            erd = f"{erd_time:.1f} s ({len(svg) / 1e6:.0f} MB)"
        else:
            erd = "no Graphviz"
        doc_time, document = timed(lambda a=analysis: render_document(a))
        ddl = generate(schema, "postgres", records=False).text()
        import_time, imported = timed(lambda d=ddl: import_sql(d, "postgres"))
        assert len(imported.schema.tables) >= len(schema.tables)
        print(
            f"| {name} | {len(schema.tables):,} | {erd} | {doc_time:.1f} s ({len(document) / 1e6:.1f} MB) "
            f"| {len(ddl) / 1e6:.1f} MB | {import_time:.1f} s |"
        )


if __name__ == "__main__":
    main()
