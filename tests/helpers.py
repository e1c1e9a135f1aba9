"""Test helpers: where the shared corpus lives, and running the CLI from this checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DBDSL_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus" / "dbml"
BENCH_INPUTS = SHARED / "corpus" / "bench"
SAMPLES = REPO / "samples"


def require_corpus() -> Path:
    if not (CORPUS / "manifest.tsv").is_file():
        pytest.skip(f"the DBML conformance corpus is not at {CORPUS} (set DBDSL_SHARED to the shared folder)")
    return CORPUS


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run `python -m dbdsl ARGS` from this checkout and capture its output."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-m", "dbdsl", *args],
        cwd=cwd or REPO,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=300,
    )
