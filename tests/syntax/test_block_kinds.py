"""Every kind of top-level block has its declarer and its printer, in explicit tables."""

from __future__ import annotations

from dbdsl.format.printer import PRINTERS
from dbdsl.model.declare import DECLARERS
from dbdsl.syntax.ast import BlockKind
from dbdsl.syntax.parser import parse_block


def test_every_block_kind_is_declared_and_printed() -> None:
    assert set(DECLARERS) == set(BlockKind) == set(PRINTERS)


def test_the_parser_gives_block_kinds() -> None:
    kinds = {
        "TablePartial p {\n  a int\n}": BlockKind.PARTIAL,
        "TableGroup g {\n  t\n}": BlockKind.GROUP,
        "Ref: a.b > c.d": BlockKind.REF,
    }
    for text, kind in kinds.items():
        block = parse_block(text).block
        assert block is not None and block.kind is kind
