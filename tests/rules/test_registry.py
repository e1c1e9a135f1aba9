"""Every rule is documented, fires on its bad example, stays quiet on its good one, and its fix
repairs the bad example."""

from __future__ import annotations

import pytest

from dbdsl.codes import all_codes, lookup
from dbdsl.rules.base import CATEGORY_OF_FAMILY, DIALECTS, SCOPES
from dbdsl.rules.registry import RULES

from .helpers import apply_first_fixes, codes, errors, run

# the migration rules (M) are reported by `dbdsl migrate` on a plan, not by the linter on a file; their
# documentation and examples are tested in tests/migrate/test_safety.py
ALL_CODES = sorted(RULES)


def test_enough_rules_in_every_family() -> None:
    families = {code[0] for code in RULES} | {"M"}
    assert families == set(CATEGORY_OF_FAMILY)
    assert len([c for c in RULES if not c.startswith("S9")]) >= 35


@pytest.mark.parametrize("code", ALL_CODES)
def test_rule_is_documented(code: str) -> None:
    r = RULES[code]
    assert r.code == code and lookup(code) is r
    assert r.name and r.name == r.name.lower() and " " not in r.name
    assert r.summary and not r.summary.endswith(".")
    assert len(r.rationale) > 60
    assert r.scope in SCOPES and set(r.dialects) <= set(DIALECTS)
    assert r.category == CATEGORY_OF_FAMILY[code[0]]
    assert len({x.name for x in RULES.values()}) == len(RULES)


@pytest.mark.parametrize("code", ALL_CODES)
def test_examples_are_valid_dbml(code: str) -> None:
    r = RULES[code]
    assert errors(r.bad) == [], r.bad
    assert errors(r.good) == [], r.good


@pytest.mark.parametrize("code", ALL_CODES)
def test_bad_example_fires(code: str) -> None:
    assert code in codes(RULES[code].bad), RULES[code].bad


@pytest.mark.parametrize("code", ALL_CODES)
def test_good_example_is_quiet(code: str) -> None:
    found = [f for f in run(RULES[code].good) if f.code == code]
    assert found == [], [f.message for f in found]


@pytest.mark.parametrize("code", ALL_CODES)
def test_fixable_flag_matches_the_findings(code: str) -> None:
    found = [f for f in run(RULES[code].bad) if f.code == code]
    assert bool(any(f.fixes for f in found)) == RULES[code].fixable


@pytest.mark.parametrize("code", [c for c in ALL_CODES if RULES[c].fixable])
def test_fix_repairs_the_bad_example(code: str) -> None:
    fixed = apply_first_fixes(RULES[code].bad, code)
    assert fixed != RULES[code].bad
    assert errors(fixed) == [], fixed
    assert code not in codes(fixed), fixed


def test_one_code_table() -> None:
    """E, lint and M codes in one table, each once, with its family's category."""
    table = all_codes()
    assert len({c.code for c in table}) == len(table)
    assert {c.family for c in table} == {"E", *CATEGORY_OF_FAMILY}
    assert all(RULES[c.code] is c for c in table if c.family not in "EM")
    assert {c.code for c in table if c.family not in "EM"} == set(RULES)
    assert lookup("E001").category == "syntax" and lookup("E101").category == "semantic"
    assert lookup("M001").category == "migration" and "Zero-downtime alternative" in lookup("M001").explanation
    assert lookup("X999") is None
