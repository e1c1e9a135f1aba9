"""The no-skips rule of the test command, run on a throwaway test file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO

SKIPPING = """
import pytest

def test_needs_a_part():
    pytest.skip("the part is absent")

def test_fine():
    pass
"""


def run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_sample.py").write_text(SKIPPING)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.no_skips", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_skip_fails_the_run_when_asked(tmp_path: Path) -> None:
    done = run(tmp_path, DBDSL_NO_SKIPS="1")
    assert done.returncode == 1, done.stdout
    assert "test_needs_a_part: Skipped: the part is absent" in done.stdout


def test_a_skip_is_only_a_skip_otherwise(tmp_path: Path) -> None:
    done = run(tmp_path, DBDSL_NO_SKIPS="0")
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout
