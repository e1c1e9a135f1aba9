"""Accuracy: the clean samples get no findings, the flawed sample gets each finding it was written to
show, fixing everything leaves files that parse with nothing fixable left, and the whole conformance
corpus lints without an exception."""

from __future__ import annotations

import csv

import pytest

from dbdsl.findings import Severity
from dbdsl.rules import LintConfig, find_config, lint
from dbdsl.rules.fixall import fix_file
from dbdsl.workspace import Workspace
from tests.helpers import CORPUS, SAMPLES, require_corpus

ALL = LintConfig(select=("ALL",))
CLEAN = ["ecommerce", "saas", "blog"]

DEFAULT = LintConfig()

# (line, code, words of the message) for every finding the flawed sample was written to show, with the
# default rules
FLAWED = [
    (15, "C109", "'email'"),
    (17, "N101", "phone1, phone2, phone3"),
    (20, "N102", "'tags'"),
    (24, "T104", "'created_at'"),
    (27, "N202", "zip_code -> city, state"),
    (35, "C103", "bigint"),
    (35, "I101", "orders.customer_id"),
    (36, "T101", "'total'"),
    (37, "T101", "'freight'"),
    (38, "T103", "'status'"),
    (39, "T104", "'order_date'"),
    (46, "I101", "order_items.product_id"),
    (49, "T101", "'price'"),
    (49, "T107", "double"),
    (60, "N104", "'supplier_name'"),
    (70, "C101", "'product'"),
    (73, "C109", "'sku'"),
    (75, "T108", "'discontinued'"),
    (76, "C105", "parent_id"),
    (76, "I101", "product.parent_id"),
    (77, "T101", "'price'"),
    (81, "I102", "duplicates"),
    (83, "I103", "redundant"),
    (84, "I105", "boolean 'active'"),
    (92, "C107", "'owner_type' + 'owner_id'"),
    (95, "C106", "'valid_from'/'valid_to'"),
    (100, "S101", "'user'"),
    (102, "C109", "'login'"),
    (103, "T104", "'last_seen'"),
    (106, "Q105", "(customer_id, order_date)"),
    (115, "Q105", "(zip_code)"),
]


def lint_file(path, config: LintConfig = ALL):
    return lint(Workspace().analyze(str(path)), config)


@pytest.mark.parametrize("name", CLEAN)
def test_clean_samples_have_no_findings(name: str) -> None:
    found = lint_file(SAMPLES / f"{name}.dbml")
    assert [(f.span.start_pos[0] + 1, f.code, f.message) for f in found] == []


@pytest.mark.parametrize("name", CLEAN)
def test_clean_samples_pass_with_their_own_configuration(name: str) -> None:
    path = SAMPLES / f"{name}.dbml"
    assert lint_file(path, find_config(str(path))) == []


def test_flawed_sample_shows_each_finding_it_was_written_for() -> None:
    found = sorted(lint_file(SAMPLES / "flawed.dbml", DEFAULT), key=lambda f: f.sort_key())
    got = [(f.span.start_pos[0] + 1, f.code, f.message) for f in found]
    for line, code, words in FLAWED:
        assert any(g[0] == line and g[1] == code and words in g[2] for g in got), (line, code, words, got)
    assert len(got) == len(FLAWED), [g for g in got if not any(g[0] == x[0] and g[1] == x[1] for x in FLAWED)]


def test_flawed_sample_offers_the_3nf_decomposition() -> None:
    found = [f for f in lint_file(SAMPLES / "flawed.dbml") if f.code == "N202"]
    assert len(found) == 1 and found[0].fixes
    assert "Decompose 'customer' into 3NF" in found[0].fixes[0].title


@pytest.mark.parametrize("name", [*CLEAN, "flawed"])
def test_fixing_everything_leaves_a_valid_file_with_nothing_fixable(name: str) -> None:
    path = SAMPLES / f"{name}.dbml"
    text = path.read_text(encoding="utf-8")
    before = lint_file(path)
    result = fix_file(f"/virtual/fixed_{name}.dbml", text, ALL, unsafe=True)
    ws = Workspace()
    ws.open(f"/virtual/check_{name}.dbml", result.text)
    analysis = ws.analyze(f"/virtual/check_{name}.dbml")
    assert [f for f in analysis.findings if f.severity is Severity.ERROR] == [], result.text
    after = lint(analysis, ALL)
    assert [f for f in after if f.fixes] == [], [(f.code, f.message) for f in after if f.fixes]
    fixed_codes = {f.code for f in before if f.fixes}
    left = {(f.code, f.message) for f in after}
    assert not any((f.code, f.message) in left for f in before if f.fixes and f.code in fixed_codes)
    if name == "flawed":
        assert len(result.applied) >= 25
        assert "Table zip_code {" in result.text and "Table customer_phone {" in result.text
    else:
        assert result.text == text


def _corpus_files() -> list:
    require_corpus()
    with open(CORPUS / "manifest.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    paths = set()
    for row in rows:
        if row["kind"] == "model-exporter-dbml":
            paths.add(CORPUS / row["expected"])
        path = CORPUS / row["input"]
        if path.suffix == ".dbml":
            paths.add(path)
    return sorted(paths)


def test_whole_corpus_lints_without_exception() -> None:
    files = _corpus_files()
    ws = Workspace()
    total = 0
    for path in files:
        for f in lint(ws.analyze(str(path)), ALL):
            total += 1
            assert f.span.file == str(path)
            for fix in f.fixes:
                assert all(e.file == str(path) and 0 <= e.start <= e.end for e in fix.edits)
    assert len(files) > 100 and total > 0


def _fix_converges(name: str, text: str) -> list:
    """Fix everything; the result must parse and leave nothing fixable. Returns the fixes applied."""
    result = fix_file(f"/virtual/fix_{name}", text, ALL, unsafe=True)
    check = Workspace()
    check.open(f"/virtual/recheck_{name}", result.text)
    analysis = check.analyze(f"/virtual/recheck_{name}")
    errors = [f for f in analysis.findings if f.severity is Severity.ERROR]
    assert errors == [], (name, [(e.code, e.message, e.span.start_pos) for e in errors], result.applied)
    left = [(f.code, f.message) for f in lint(analysis, ALL) if f.fixes]
    assert left == [], (name, left[:5])
    return result.applied


def test_corpus_fixes_apply_cleanly_and_converge() -> None:
    """Every corpus file that binds without errors still does after all its fixes, with none left."""
    fixed = 0
    for path in _corpus_files():
        analysis = Workspace().analyze(str(path))
        if any(f.severity is Severity.ERROR for f in analysis.findings):
            continue
        fixed += bool(_fix_converges(path.name, path.read_text(encoding="utf-8")))
    assert fixed > 20


@pytest.mark.slow
def test_benchmark_input_fixes_converge() -> None:
    from tests.helpers import BENCH_INPUTS, require_shared

    path = require_shared(BENCH_INPUTS / "25k.dbml")
    assert len(_fix_converges(path.name, path.read_text(encoding="utf-8"))) > 4000
