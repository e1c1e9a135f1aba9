"""No input, however broken, makes the parser or binder raise, hang or blow up."""

from __future__ import annotations

import csv
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dbdsl.model.link import link
from dbdsl.workspace import SourceFile
from tests.helpers import CORPUS, SAMPLES

DBML_ALPHABET = st.sampled_from(
    list("abcxyz_019 \t\n{}[]()<>-~*.,:'\"`/#\\")
    + ["Table ", "Ref:", "Enum ", "'''", "//", "/*", "*/", "pk", "é", "🙂"]
)


def analyse(text: str) -> None:
    source = SourceFile("/virtual/fuzz.dbml", text)
    findings = source.local_findings()
    schema, link_findings = link(source.decls())
    for f in findings + link_findings:
        assert 0 <= f.span.start_offset <= f.span.end_offset <= len(text), f
        line, col = f.span.start_pos
        assert line >= 0 and col >= 0
    assert schema is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_random_text(text: str) -> None:
    analyse(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(DBML_ALPHABET, max_size=200).map("".join))
def test_random_dbml_like_text(text: str) -> None:
    analyse(text)


def corpus_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.dbml"))]
    if (CORPUS / "manifest.tsv").is_file():
        with open(CORPUS / "manifest.tsv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        texts += [(CORPUS / r["input"]).read_text(encoding="utf-8") for r in rows if r["input"].endswith(".dbml")]
    return texts


TEXTS = corpus_texts()
mutation = st.tuples(
    st.sampled_from(["delete", "insert", "truncate"]), st.floats(0, 1), st.integers(1, 20), st.text(max_size=5)
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), st.lists(mutation, min_size=1, max_size=5))
def test_mutated_files(text: str, mutations: list) -> None:
    for kind, where, size, insert in mutations:
        at = int(where * len(text))
        if kind == "delete":
            text = text[:at] + text[at + size :]
        elif kind == "insert":
            text = text[:at] + insert + text[at:]
        else:
            text = text[:at]
    analyse(text)


def megabyte_of_noise() -> str:
    rng = random.Random(7)
    pieces = list("abc {}[]()'\"`/*\n\t:,.<>-") + ["Table x {", "Ref: ", "'''", "/*", "//"]
    return "".join(rng.choice(pieces) for _ in range(400_000))[:1_000_000]


def test_a_megabyte_of_noise() -> None:
    analyse(megabyte_of_noise())  # how long it takes: python bench/robustness.py


def test_sql_server_script_is_rejected(corpus) -> None:
    text = (corpus / "parse_snapshots" / "infinite_loops" / "mssql_use_then_create.in.dbml").read_text()
    source = SourceFile("/virtual/tsql.dbml", text)
    assert source.local_findings()  # how long it takes: python bench/robustness.py


def test_unclosed_records_block_keeps_spans_inside_the_text() -> None:
    analyse("Table users {\n  id int\n}\nRecords users(id, name) {\n  1, 'Alice'\n  2, 'B")
