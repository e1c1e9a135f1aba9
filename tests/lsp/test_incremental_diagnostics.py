"""The server's incremental path (block re-split, relink, cached lint results, diagnostics kept as JSON
per block, semantic tokens encoded per block) gives exactly what a fresh analysis of the final text
gives, after random one-character edits, new lines and deleted lines; and renaming a table by typing
re-checks only the tables that refer to it."""

from __future__ import annotations

import gc
import json
import os
import random
import re

import pytest
from lsprotocol import types as lsp

from dbdsl.lsp.diagnostics import compute
from dbdsl.lsp.engine import Engine
from dbdsl.lsp.tokens import full_encoding
from dbdsl.model.schema import Table
from tests.helpers import SAMPLES, record_lint_runs

URI = "file:///virtual/incremental.dbml"
TYPED = "ax_1 \n\"'[]{}:>-,."


def _position(text: str, offset: int) -> lsp.Position:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return lsp.Position(line=line, character=len(text[start:offset].encode("utf-16-le")) // 2)


def _engine(text: str) -> Engine:
    engine = Engine()
    engine.settings = engine.settings.updated({"lint": {"select": ["ALL"]}})
    engine.open(URI, text, 1)
    return engine


def _diagnostics(engine: Engine) -> list[str]:
    ((_uri, _version, raw),) = compute(engine, URI)
    return sorted(json.dumps(d, sort_keys=True) for d in json.loads(raw))


def _tokens(engine: Engine, memo: dict | None = None) -> list[int]:
    view = engine.view(URI)
    return full_encoding(view, engine.index(view.path), memo)


NAMES = re.compile(r"(?:Table|Enum|TableGroup|TablePartial|Ref|ref:|[<>-]|as)\s*\"?(?=\w)")


def _random_edit(text: str, rng: random.Random) -> tuple[int, int, str]:
    at = rng.randrange(len(text) + 1)
    if rng.random() < 0.3:  # in a name that others refer to: tables, aliases, references
        names = [m.end() for m in NAMES.finditer(text)]
        if names:
            at = rng.choice(names) + rng.randrange(3)
    roll = rng.random()
    if roll < 0.45:
        return at, at, rng.choice(TYPED)
    if roll < 0.8:
        return at, min(len(text), at + 1), ""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end + 1
    if roll < 0.9:
        return line_start, line_end, ""  # a deleted line
    return line_start, line_start, text[line_start:line_end]  # a line pasted again


# one run of 80 random edits per sample; `DBDSL_EDIT_RUNS=40` runs 40 (each from its own seed)
EDIT_RUNS = int(os.environ.get("DBDSL_EDIT_RUNS", "1"))


@pytest.mark.parametrize("run", range(EDIT_RUNS))
@pytest.mark.parametrize("sample", ["ecommerce", "saas", "blog", "flawed"])
def test_random_edits_publish_what_a_fresh_analysis_publishes(sample: str, run: int) -> None:
    rng = random.Random(f"incremental-{sample}" + (f"-{run}" if run else ""))
    text = (SAMPLES / f"{sample}.dbml").read_text(encoding="utf-8")
    engine = _engine(text)
    memo: dict = {}  # the blocks' encodings from one request to the next, as the server keeps them
    _diagnostics(engine)
    _tokens(engine, memo)
    undo = None
    for version in range(2, 82):
        if undo is not None:  # typing and taking it back: a name goes away and comes back
            (start, end, new), undo = undo, None
        else:
            start, end, new = _random_edit(text, rng)
            if rng.random() < 0.5:
                undo = (start, start + len(new), text[start:end])
        change = lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=_position(text, start), end=_position(text, end)), text=new
        )
        text = text[:start] + new + text[end:]
        engine.change(URI, version, [change])
        if version % 3 == 0:  # also check on the way: a later edit must not repair an earlier mistake
            fresh = _engine(text)
            assert _diagnostics(engine) == _diagnostics(fresh), text
            assert _tokens(engine, memo) == _tokens(fresh), text
    fresh = _engine(text)
    assert engine.session.text(engine.path_of(URI)) == text
    assert _diagnostics(engine) == _diagnostics(fresh)
    assert _tokens(engine, memo) == _tokens(fresh)


def _tables(count: int) -> str:
    """`count` tables; each refers to the one before it: table_5 is referred to by table_6 only."""
    out = []
    for i in range(count):
        ref = f", ref: > table_{i - 1}.id" if i else ""
        out.append(f"Table table_{i} {{\n  id int [pk]\n  up int [not null{ref}]\n  label varchar\n}}\n")
    return "\n".join(out)


def test_renaming_a_table_by_typing_rechecks_only_the_tables_that_refer_to_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _tables(40)
    engine = _engine(text)
    _diagnostics(engine)
    runs = record_lint_runs(monkeypatch)
    at = text.index("Table table_5 ") + len("Table table_5")
    for version, typed in enumerate("xy", start=2):
        change = lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=_position(text, at), end=_position(text, at)), text=typed
        )
        text = text[:at] + typed + text[at:]
        at += 1
        engine.change(URI, version, [change])
        _diagnostics(engine)
    # the renamed table and the one that refers to it (its reference is broken now): nothing else. The
    # table it refers to has a new table referring to it, but no rule that ran on it read which tables
    # refer to it (none of its columns is a status or a kind, a login name or a code)
    checked = {element[0].name for element in runs if isinstance(element[0], Table)}
    assert checked == {"table_5x", "table_5xy", "table_6"}, checked
    assert _diagnostics(engine) == _diagnostics(_engine(text))


def test_edits_leave_no_reference_cycles() -> None:
    """The server freezes what is alive every few edits (gc.freeze) instead of letting the collector walk
    the model again; that is free only while edits leave no garbage in reference cycles, which a frozen
    object would keep forever. Whatever an edit replaces must be freed by reference counting alone."""
    text = (SAMPLES / "saas.dbml").read_text(encoding="utf-8")
    engine = _engine(text)
    _diagnostics(engine)
    _tokens(engine, {})
    gc.collect()
    rng = random.Random("cycles")
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for version in range(2, 42):
            start, end, new = _random_edit(text, rng)
            change = lsp.TextDocumentContentChangePartial(
                range=lsp.Range(start=_position(text, start), end=_position(text, end)), text=new
            )
            text = text[:start] + new + text[end:]
            engine.change(URI, version, [change])
            _diagnostics(engine)
            _tokens(engine, {})
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
