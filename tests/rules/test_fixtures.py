"""Per-rule fixtures, as ruff keeps them: `fixtures/<CODE>/bad.dbml` with the findings it must give in
`bad.expected` (line:col, code, message, and each fix as a diff), and `good.dbml` that must give none.

Run with DBDSL_UPDATE_FIXTURES=1 to rewrite the `.expected` files after a reviewed change of advice."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from dbdsl.findings import apply_edits
from dbdsl.rules import LintConfig, lint
from dbdsl.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"
CODES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def report(path: Path, code: str) -> str:
    """The findings of one rule on a file, with the diff of each fix."""
    text = path.read_text(encoding="utf-8")
    findings = lint(Workspace().analyze(str(path)), LintConfig(select=(code,)))
    out = []
    for f in sorted(findings, key=lambda f: f.sort_key()):
        line, col = f.span.start_pos
        out.append(f"{line + 1}:{col + 1} {f.code} {f.message}")
        for fix in f.fixes:
            fixed = apply_edits(text, fix.edits)
            diff = difflib.unified_diff(
                text.splitlines(keepends=True), fixed.splitlines(keepends=True), path.name, path.name, n=1
            )
            out.append(f"  fix: {fix.title}")
            out.extend("  " + d.rstrip("\n") for d in diff)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("code", CODES)
def test_bad_fixture_gives_the_expected_findings(code: str) -> None:
    got = report(FIXTURES / code / "bad.dbml", code)
    expected = FIXTURES / code / "bad.expected"
    if os.environ.get("DBDSL_UPDATE_FIXTURES"):
        expected.write_text(got, encoding="utf-8")
    assert got.strip(), f"{code}: bad.dbml gives no finding"
    assert got == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("code", CODES)
def test_good_fixture_gives_none(code: str) -> None:
    assert report(FIXTURES / code / "good.dbml", code) == "\n"


@pytest.mark.parametrize("code", CODES)
def test_fixes_leave_nothing_to_report(code: str) -> None:
    """Each fix on its own ends the finding it was made for, and the file still parses."""
    path = FIXTURES / code / "bad.dbml"
    text = path.read_text(encoding="utf-8")
    findings = lint(Workspace().analyze(str(path)), LintConfig(select=(code,)))
    for finding in (f for f in findings if f.fixes):
        ws = Workspace()
        ws.open(str(path), apply_edits(text, finding.fixes[0].edits))
        analysis = ws.analyze(str(path))
        assert not [f for f in analysis.findings if f.code.startswith("E")]
        after = lint(analysis, LintConfig(select=(code,)))
        assert finding.message not in {f.message for f in after}
