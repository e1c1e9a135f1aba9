"""Every command line in the documentation runs: the fenced `sh` and `console` blocks of README.md and of
every docs/*.md page (new pages are picked up by themselves).

Each page's commands run in order (a later command may use what an earlier one wrote) with bash, in a
temporary folder holding a copy of samples/, with `dbdsl` on PATH as this checkout run by this
interpreter. A command passes when it exits 0 (or 1 for `dbdsl check` and `dbdsl fmt`, where 1 reports
findings or a diff) without a traceback. In `console` blocks only the `$ ` lines are
commands; in `sh` blocks every line that is not a comment is one."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO, SAMPLES

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

# Commands that cannot run here, each with the reason. Keep it short: only what needs a live editor or a
# long-running server, or installs software (and the test command, which is this suite).
SKIP = {
    "scripts/demo": "installs Debian packages and a virtual environment (measured on a fresh clone instead)",
    "scripts/test": "runs this very suite (CI runs it as .ci/run)",
    "code --install-extension": "needs VS Code",
    "dbdsl serve": "a long-running server (tests/lsp/ drive it)",
}

FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.M | re.S)


def commands(page: Path) -> list[str]:
    found = []
    for language, body in FENCE.findall(page.read_text(encoding="utf-8")):
        if language in ("sh", "shell", "bash"):
            found += [line for line in body.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        elif language == "console":
            found += [line[2:] for line in body.splitlines() if line.startswith("$ ")]
    return found


def skipped(command: str) -> str | None:
    return next((why for start, why in SKIP.items() if command.strip().startswith(start)), None)


def allowed_statuses(command: str) -> tuple[int, ...]:
    """0, and 1 for the commands whose 1 means findings, a diff, drift or pending migrations rather than a
    failure."""
    return (0, 1) if re.match(r"dbdsl (check|fmt|diff|migrate status)\b", command.strip()) else (0,)


def dbdsl_on_path(folder: Path) -> Path:
    """A `dbdsl` command that runs this checkout with this interpreter (as the tests' run_cli does)."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "dbdsl"
    shim.write_text(f'#!/bin/sh\nPYTHONPATH="{REPO}" exec "{sys.executable}" -m dbdsl "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    return bin_dir


def test_the_pages_are_found_and_have_commands() -> None:
    names = {p.name for p in PAGES}
    assert {"README.md", "linter.md", "outputs.md", "migrations.md", "language.md"} <= names
    assert len(commands(REPO / "README.md")) >= 7
    assert all(not skipped(c) for c in commands(REPO / "docs" / "outputs.md"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_documented_commands_run(page: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(SAMPLES, work / "samples")
    env = dict(os.environ, PATH=f"{dbdsl_on_path(tmp_path)}{os.pathsep}{os.environ['PATH']}")
    env.pop("PYTHONPATH", None)
    for command in commands(page):
        if skipped(command):
            continue
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        said = f"{page.name}: `{command}` exited {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        assert done.returncode in allowed_statuses(command), said
        assert "Traceback" not in done.stderr, said
