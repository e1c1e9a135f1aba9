"""Per-rule fixture files, as ruff keeps them: `fixtures/<CODE>/bad.dbml` holds cases the rule must
report, `good.dbml` cases it must leave alone (the near misses), and `expected.txt` the findings on
`bad.dbml` (line:column, severity, message) with each fix as a diff and its safety.

Each rule runs alone (`select = [CODE]`), so a fixture shows exactly what that rule says. After a
deliberate change of a rule, regenerate the snapshots with `DBDSL_UPDATE_FIXTURES=1 python -m pytest
tests/rules/test_fixtures.py` and review the diff of `expected.txt` like code.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from dbdsl.findings import Finding, apply_edits
from dbdsl.rules import LintConfig, lint
from dbdsl.rules.base import META
from dbdsl.rules.registry import RULES
from dbdsl.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"
UPDATE = os.environ.get("DBDSL_UPDATE_FIXTURES") == "1"
# the rules a lint run reports; the M rules are reported by `dbdsl migrate` on a plan (tests/migrate)
LINT_RULES = sorted(code for code, r in RULES.items() if r.family != "M")


def findings(path: Path, code: str) -> tuple[str, list[Finding]]:
    text = path.read_text(encoding="utf-8")
    ws = Workspace()
    ws.open(str(path), text)
    analysis = ws.analyze(str(path))
    errors = [f for f in analysis.findings if f.code.startswith("E")]
    assert errors == [], f"{path} must be a valid file: {[(e.code, e.message) for e in errors]}"
    # a suppression rule speaks about the other rules' findings: they run too
    select = ("ALL",) if RULES[code].scope == META else (code,)
    found = [f for f in lint(analysis, LintConfig(select=select)) if f.code == code]
    return text, sorted(found, key=Finding.sort_key)


def snapshot(text: str, found: list[Finding]) -> str:
    """What a rule says on a file: each finding, then each of its fixes as a diff."""
    out: list[str] = []
    for f in found:
        line, col = f.span.start_pos
        out.append(f"{line + 1}:{col + 1} {f.code} {f.severity.value}: {f.message}")
        for fix in f.fixes:
            out.append(f"  fix ({fix.applicability.value}): {fix.title}")
            fixed = apply_edits(text, list(fix.edits))
            diff = difflib.unified_diff(text.splitlines(), fixed.splitlines(), lineterm="", n=1)
            out.extend("    " + d for d in list(diff)[2:])
        out.append("")
    return "\n".join(out)


def test_every_lint_rule_has_fixtures() -> None:
    missing = [code for code in LINT_RULES if not (FIXTURES / code / "bad.dbml").is_file()]
    missing += [code for code in LINT_RULES if not (FIXTURES / code / "good.dbml").is_file()]
    assert missing == [], f"rules without fixture files: {sorted(set(missing))}"


@pytest.mark.parametrize("code", LINT_RULES)
def test_bad_cases_give_the_expected_findings(code: str) -> None:
    folder = FIXTURES / code
    if not (folder / "bad.dbml").is_file():
        pytest.fail(f"{folder}/bad.dbml is missing")
    text, found = findings(folder / "bad.dbml", code)
    assert found, f"{code} reports nothing on its bad.dbml"
    got = snapshot(text, found)
    expected_path = folder / "expected.txt"
    if UPDATE or not expected_path.is_file():
        expected_path.write_text(got, encoding="utf-8")
    assert got == expected_path.read_text(encoding="utf-8"), (
        f"{code}: findings differ from {expected_path} (DBDSL_UPDATE_FIXTURES=1 rewrites it; review the diff)"
    )


@pytest.mark.parametrize("code", LINT_RULES)
def test_good_cases_give_no_finding(code: str) -> None:
    folder = FIXTURES / code
    if not (folder / "good.dbml").is_file():
        pytest.fail(f"{folder}/good.dbml is missing")
    _text, found = findings(folder / "good.dbml", code)
    assert [(f.span.start_pos[0] + 1, f.message) for f in found] == []


@pytest.mark.parametrize("code", [c for c in LINT_RULES if RULES[c].fixable and RULES[c].scope != META])
def test_every_fix_leaves_a_valid_file_without_that_finding(code: str) -> None:
    path = FIXTURES / code / "bad.dbml"
    if not path.is_file():
        pytest.fail(f"{path} is missing")
    text, found = findings(path, code)
    fixes = [(f, fix) for f in found for fix in f.fixes]
    assert fixes, f"{code} is declared fixable but offers no fix on its bad.dbml"
    for finding, fix in fixes:
        assert fix.applicability is RULES[code].fix or fix.applicability.value in ("safe", "unsafe")
        fixed = apply_edits(text, list(fix.edits))
        ws = Workspace()
        ws.open(str(path), fixed)
        analysis = ws.analyze(str(path))
        errors = [(e.code, e.message) for e in analysis.findings if e.severity.value == "error"]
        assert errors == [], (fix.title, errors, fixed)
        left = [f.message for f in lint(analysis, LintConfig(select=(code,)))]
        assert finding.message not in left, (fix.title, left)
