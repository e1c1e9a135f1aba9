"""What a block means, as a comparable value: the formatter's guarantee that it changed layout only.

Two texts of a block mean the same when their declarations are equal (model elements compare without
positions), their relationships and imports are equal, they report the same problems, and they hold
the same comments in the same order.
"""

from __future__ import annotations

from ..model.declare import RawEndpoint, declare
from ..model.spans import Anchor
from ..syntax.parser import parse_block
from ..syntax.scan import comments


def block_meaning(text: str) -> tuple | None:
    """None when the block does not parse cleanly (the formatter leaves such blocks alone)."""
    parse = parse_block(text)
    if parse.block is None or parse.problems:
        return None
    decl = declare(parse.block, Anchor("<format>", 0, 0, 0, text))
    refs = tuple(
        (
            _endpoint(r.left),
            r.op,
            _endpoint(r.right),
            r.name,
            r.on_delete,
            r.on_update,
            r.color,
            r.inline,
        )
        for r in decl.refs
    )
    imports = None
    if decl.imports is not None:
        reuse, path, _span, items = decl.imports
        imports = (reuse, path, tuple((k, p, a) for k, p, a, _s in items) if items is not None else None)
    return (
        decl.kind,
        decl.element,
        refs,
        tuple((i.name, i.position) for i in decl.injections),
        tuple(m.parts for m in decl.members),
        tuple((f.code, f.severity, f.message) for f in decl.findings),
        imports,
        tuple(c.text.rstrip() for c in comments(text)),
    )


def _endpoint(e: RawEndpoint) -> tuple:
    return (e.parts, e.tuple_columns)
