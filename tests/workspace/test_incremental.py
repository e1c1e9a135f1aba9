"""Incremental edits give exactly what a fresh parse of the final text gives."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dbdsl.findings import Finding
from dbdsl.model.link import link
from dbdsl.workspace import SourceFile
from tests.conformance.model_json import from_schema
from tests.helpers import SAMPLES

SAMPLE = (SAMPLES / "ecommerce.dbml").read_text(encoding="utf-8")
SNIPPETS = ["x", "\n", "}", "{", "[", "]", "'", "Table t {\n  id int\n}\n", "//", "/*", "*/", "'''", "`", " ", ""]


def view(source: SourceFile) -> tuple:
    """What an edit must not change: block texts and positions, findings, and the bound model."""
    blocks = [(e.text, e.anchor.offset, e.anchor.line, e.anchor.column) for e in source.entries]
    findings = sorted(
        (f.code, f.message, f.span.start_offset, f.span.end_offset, f.span.start_pos) for f in _local(source)
    )
    schema, _ = link(source.decls())
    return blocks, findings, from_schema(schema, own_parts_only=False)


def _local(source: SourceFile) -> list[Finding]:
    return source.local_findings()


edits = st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 12), st.sampled_from(SNIPPETS)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_edits_match_a_fresh_parse(steps: list[tuple[float, int, str]]) -> None:
    source = SourceFile("/virtual/shop.dbml", SAMPLE)
    text = SAMPLE
    for where, length, insert in steps:
        start = int(where * len(text))
        end = min(len(text), start + length)
        source.apply_edit(start, end, insert)
        text = text[:start] + insert + text[end:]
        assert source.text == text
    assert view(source) == view(SourceFile("/virtual/shop.dbml", text))


def test_an_edit_reparses_only_the_edited_block() -> None:
    source = SourceFile("/virtual/shop.dbml", SAMPLE)
    before = {id(e): e for e in source.entries}
    at = SAMPLE.index("email      varchar(320)")
    source.apply_edit(at, at, "x")
    changed = [e for e in source.entries if id(e) not in before]
    assert len(changed) == 1 and "xemail" in changed[0].text
    assert len(source.entries) == len(before)


def test_blocks_after_an_edit_move_with_it() -> None:
    source = SourceFile("/virtual/shop.dbml", SAMPLE)
    last = source.entries[-1]
    line = last.anchor.line
    source.apply_edit(0, 0, "// a new first line\n")
    assert source.entries[-1] is last and last.anchor.line == line + 1
