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


# The reason every test that needs the shared folder skips with when it is absent; tests/no_skips.py
# counts these skips in one summary line (and lets them pass under DBDSL_NO_SKIPS=1 only then).
SHARED_ABSENT = "needs the shared corpus"


def shared_present() -> bool:
    return (CORPUS / "manifest.tsv").is_file()


def require_shared(path: Path) -> Path:
    """`path` (inside the shared folder), or skip the test when the shared folder is absent."""
    if not path.exists():
        pytest.skip(f"{SHARED_ABSENT}: {path} is not there")
    return path


def shared_params(values: list, folder: Path) -> list:
    """Parameters read from the shared folder, or one parameter that skips (as `require_shared` does)
    when the folder is absent: the test is then counted as not run, never silently empty. A folder that
    is there but gives no parameters is an error."""
    if values:
        return values
    if folder.exists():
        raise LookupError(f"{folder} is there but gives nothing to test")
    skip = pytest.mark.skip(reason=f"{SHARED_ABSENT}: {folder} is not there")
    return [pytest.param(None, id="shared-absent", marks=skip)]


def require_corpus() -> Path:
    require_shared(CORPUS / "manifest.tsv")
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


def record_lint_runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """The elements the linter runs rules on from now on (a first run or a re-run of some of its rules),
    each as the tuple of arguments its rules receive."""
    from dbdsl.rules import engine

    runs: list[tuple] = []
    for name in ("_tracked", "_retracked"):
        real = getattr(engine, name)

        def counting(first, ctx, *element, _real=real):
            runs.append(element)
            return _real(first, ctx, *element)

        monkeypatch.setattr(engine, name, counting)
    return runs
