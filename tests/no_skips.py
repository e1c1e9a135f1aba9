"""With DBDSL_NO_SKIPS=1 (the README's test command sets it) a skipped test fails the run.

Tests skip, with a message, where a part they need is absent (the shared corpus, PostgreSQL, MariaDB,
Neovim, Node.js): right on a fresh clone, wrong in CI, where the test command has installed all of
them and a skip would hide a test that no longer runs."""

from __future__ import annotations

import os

import pytest

_skipped: list[str] = []


def _active() -> bool:
    return os.environ.get("DBDSL_NO_SKIPS") == "1"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _active() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skipped.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    if _skipped:
        terminalreporter.write_line(f"DBDSL_NO_SKIPS=1: {len(_skipped)} skipped test(s) fail this run:", red=True)
        for line in _skipped:
            terminalreporter.write_line(f"  {line}")
