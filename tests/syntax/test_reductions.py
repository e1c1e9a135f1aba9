"""The LALR driver shapes each reduction itself (`lalr._reduction`); it must give what Lark's own tree
builder gives with the same tree builder inlined, on every block of the samples and the corpus, and on
broken copies of them (error recovery parses single items with other start rules)."""

from __future__ import annotations

import random

from lark import Lark

from dbdsl.syntax import lalr
from dbdsl.syntax.blocks import split_blocks
from dbdsl.syntax.builder import TreeBuilder
from dbdsl.syntax.parser import BlockParser, grammar_text
from tests.helpers import CORPUS, REPO, shared_present


class LarkShapedParser(BlockParser):
    """A block parser whose driver reduces with the callbacks Lark's tree builder makes."""

    def __init__(self) -> None:
        super().__init__()
        lark = Lark(
            grammar_text(),
            parser="lalr",
            lexer=self.lark.options.lexer,
            start=self.lark.options.start,
            transformer=self.builder,
            maybe_placeholders=True,
            cache=True,
        )
        callbacks = lark.parser.parser.parser.callbacks
        original = lalr._reduction
        lalr._reduction = lambda rule, builder: callbacks[rule]
        try:
            self.driver = lalr.LalrDriver(lark, self.builder)
        finally:
            lalr._reduction = original


def _inputs() -> list[str]:
    files = sorted((REPO / "samples").rglob("*.dbml"))
    if shared_present():
        files += sorted(CORPUS.rglob("*.dbml"))
    blocks = [raw.text for f in files for raw in split_blocks(f.read_text(encoding="utf-8"))]
    rng = random.Random(11)
    broken = []
    for text in blocks[:1500]:
        at = rng.randrange(len(text) + 1)
        broken.append(text[:at] + rng.choice("[](){},:.'\"`\n -<>*~#x1") + text[at:])
        broken.append(text[:at] + text[at + rng.randrange(1, 4) :])
    return blocks + broken


def test_reductions_match_larks_tree_builder() -> None:
    inputs = _inputs()
    assert len(inputs) > 100  # the samples alone give some 200
    ours, larks = BlockParser(), LarkShapedParser()
    assert isinstance(ours.builder, TreeBuilder) and ours.driver is not larks.driver
    differing = [text for text in inputs if ours.parse_block(text) != larks.parse_block(text)]
    assert not differing, f"{len(differing)} blocks parse differently, the first:\n{differing[0]}"
