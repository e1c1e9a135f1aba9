"""The DBML printer writes text that parses back to the same model (corpus and samples)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dbdsl.emit.dsl import schema_text, string
from dbdsl.findings import Severity
from dbdsl.workspace import Workspace
from tests.conformance.model_json import from_schema
from tests.conformance.test_conformance import first_difference
from tests.helpers import CORPUS, SAMPLES, require_corpus, shared_present


def inputs() -> list:
    """The samples and the corpus's valid inputs; without the corpus, one case that skips and says so."""
    files: list = sorted(SAMPLES.glob("*.dbml"))
    if not shared_present():
        return [*files, pytest.param(None, id="corpus")]
    with open(CORPUS / "manifest.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return files + [CORPUS / r["input"] for r in rows if r["expect"] == "valid" and r["input"].endswith(".dbml")]


@pytest.mark.parametrize("path", inputs(), ids=lambda p: p.name)
def test_round_trip(path: Path | None, tmp_path: Path) -> None:
    if path is None:
        require_corpus()
    original = Workspace().analyze(str(path)).schema
    printed = tmp_path / "printed.dbml"
    printed.write_text(schema_text(original), encoding="utf-8")
    again = Workspace().analyze(str(printed))
    assert not [f for f in again.findings if f.severity is Severity.ERROR], again.findings
    expected, actual = from_schema(original, own_parts_only=False), from_schema(again.schema, own_parts_only=False)
    assert expected == actual, first_difference(expected, actual)


@pytest.mark.parametrize(
    "text",
    ["plain", "it's", "back\\slash", "two\nlines", "  indented\nfirst", "\nleading newline", "tab\there", "'''"],
)
def test_strings_survive(text: str, tmp_path: Path) -> None:
    source = tmp_path / "s.dbml"
    source.write_text(f"Table t {{\n  id int [note: {string(text)}]\n}}\n", encoding="utf-8")
    schema = Workspace().analyze(str(source)).schema
    assert schema.tables[0].columns[0].note == text
