"""How skipped tests are reported, and DBDSL_NO_SKIPS=1 (set by scripts/test): a skipped test fails the run.

Tests skip, with a message, where a part they need is absent (PostgreSQL, MariaDB, Neovim, Node.js, the
shared corpus). Under DBDSL_NO_SKIPS=1 the test command has installed every engine, so a skip would
hide a test that no longer runs: it fails the run. The shared corpus is the exception: it sits beside
a checkout (`../shared`, or `$DBDSL_SHARED`) in CI, not in every clone. When it is absent, the tests
that need it skip and are counted in one line that says how to get it; when it is there, they must run.

Skips are listed here, grouped by reason, instead of by pytest's `-rs` (which would print one line per
place that skips)."""

from __future__ import annotations

import os
from collections import Counter

import pytest

from tests.helpers import SHARED, SHARED_ABSENT, shared_present

_corpus: list[tuple[str, str]] = []
_others: list[tuple[str, str]] = []


def _active() -> bool:
    return os.environ.get("DBDSL_NO_SKIPS") == "1"


def _failing() -> list[tuple[str, str]]:
    """The skips that fail the run under DBDSL_NO_SKIPS=1."""
    if shared_present():
        return _others + _corpus
    return _others


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = reason.removeprefix("Skipped: ")
    (_corpus if reason.startswith(SHARED_ABSENT) else _others).append((report.nodeid, reason))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _active() and _failing() and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    write = terminalreporter.write_line
    if _corpus and not shared_present():
        write(
            f"{len(_corpus)} tests not run: they need the shared corpus, which is not at {SHARED}/corpus "
            "(put the shared folder beside this checkout as ../shared, or set DBDSL_SHARED to it)",
            yellow=True,
        )
    failing = _failing() if _active() else []
    if failing:
        write(f"DBDSL_NO_SKIPS=1: {len(failing)} skipped test(s) fail this run:", red=True)
        for nodeid, reason in failing:
            write(f"  {nodeid}: {reason}")
    elif _others:
        for reason, count in Counter(reason for _, reason in _others).items():
            write(f"{count} skipped: {reason}", yellow=True)
