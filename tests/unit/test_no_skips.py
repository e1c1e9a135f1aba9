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
    assert "test_needs_a_part: the part is absent" in done.stdout


def test_a_skip_is_only_a_skip_otherwise(tmp_path: Path) -> None:
    done = run(tmp_path, DBDSL_NO_SKIPS="0")
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout
    assert "1 skipped: the part is absent" in done.stdout


NEEDS_CORPUS = """
from tests.helpers import BENCH_INPUTS, require_corpus, require_shared

def test_one(): require_corpus()
def test_two(): require_shared(BENCH_INPUTS / "25k.dbml")
def test_fine(): pass
"""


def run_corpus_tests(tmp_path: Path, shared: Path) -> subprocess.CompletedProcess:
    (tmp_path / "test_sample.py").write_text(NEEDS_CORPUS)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.no_skips", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO), "DBDSL_NO_SKIPS": "1", "DBDSL_SHARED": str(shared)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_shared_folder_its_tests_skip_in_one_line(tmp_path: Path) -> None:
    done = run_corpus_tests(tmp_path, tmp_path / "nowhere")
    assert done.returncode == 0, done.stdout
    [line] = [line for line in done.stdout.splitlines() if "shared corpus" in line]
    assert line.startswith("2 tests not run: they need the shared corpus, which is not at ")
    assert "DBDSL_SHARED" in line and "../shared" in line
    assert "1 passed, 2 skipped" in done.stdout


def test_with_the_shared_folder_its_tests_must_run(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    (shared / "corpus" / "dbml").mkdir(parents=True)
    (shared / "corpus" / "dbml" / "manifest.tsv").write_text("input\texpect\n")
    done = run_corpus_tests(tmp_path, shared)
    assert done.returncode == 1, done.stdout  # the shared folder is there, but without the benchmark input
    assert "2 passed, 1 skipped" in done.stdout
    assert "DBDSL_NO_SKIPS=1: 1 skipped test(s) fail this run:" in done.stdout
    assert "25k.dbml is not there" in done.stdout
