"""Helpers for the linter tests: lint a text, apply fixes."""

from __future__ import annotations

import itertools

from dbdsl.findings import Finding, Severity, apply_edits
from dbdsl.rules import LintConfig, lint
from dbdsl.workspace import Analysis, Workspace

_counter = itertools.count()
ALL = LintConfig(select=("ALL",))


def analyze(text: str, name: str | None = None) -> Analysis:
    ws = Workspace()
    path = f"/virtual/{name or f'case{next(_counter)}'}.dbml"
    ws.open(path, text)
    return ws.analyze(path)


def run(text: str, config: LintConfig = ALL) -> list[Finding]:
    return lint(analyze(text), config)


def codes(text: str, config: LintConfig = ALL) -> list[str]:
    return [f.code for f in run(text, config)]


def errors(text: str) -> list[Finding]:
    return [f for f in analyze(text).findings if f.severity is Severity.ERROR]


def apply_first_fixes(text: str, code: str, config: LintConfig = ALL) -> str:
    """The text with the first fix of every finding of `code` applied at once."""
    edits = [e for f in run(text, config) if f.code == code and f.fixes for e in f.fixes[0].edits]
    return apply_edits(text, edits)


def apply_one_fix(text: str, code: str, config: LintConfig = ALL) -> str:
    """The text with the first fix of the first finding of `code` applied."""
    found = [f for f in run(text, config) if f.code == code and f.fixes]
    assert found, f"no fixable {code} finding"
    return apply_edits(text, found[0].fixes[0].edits)
