"""One writer at a time: `migrate diff/init/hash` hold the directory's lock while they read its state,
plan and write; a lock whose holder is gone is taken over, a live one makes the command wait, then stop
with one line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dbdsl.migrate.lock import LOCK_FILE, LockError, locked
from tests.helpers import REPO, run_cli

V1 = "Table users {\n  id int [pk]\n}\n"
A = "Table users {\n  id int [pk]\n  x int\n}\n"
B = "Table users {\n  id int [pk]\n  x int\n  y int\n}\n"


def dbdsl(*args: str, cwd: Path, wait: str = "60") -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO), DBDSL_LOCK_WAIT=wait)
    return subprocess.Popen(
        [sys.executable, "-m", "dbdsl", *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name, text in (("v1.dbml", V1), ("a.dbml", A), ("b.dbml", B)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run_cli("migrate", "init", "v1.dbml", "--dir", "m", "--dialect", "postgres", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path


def planned_steps(project: Path, target: str) -> int:
    result = run_cli("migrate", "plan", "--to", target, "--dir", "m", "--format", "json", cwd=project)
    return len(json.loads(result.stdout)["steps"])


@pytest.mark.parametrize("trial", range(4))
def test_two_diffs_at_once(project: Path, trial: int) -> None:
    """Two processes, two targets: the second plans from the state the first wrote, so the directory
    ends at one of the targets, each column is added once, and it verifies."""
    first, second = ("a.dbml", "b.dbml") if trial % 2 else ("b.dbml", "a.dbml")
    # --allow-destructive: b then a drops y, which only a plan from the fresh state knows
    runs = [
        dbdsl("migrate", "diff", "--to", target, "--dir", "m", "--allow-destructive", cwd=project)
        for target in (first, second)
    ]
    for run in runs:
        _out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        assert "Traceback" not in err
    ups = sorted((project / "m").glob("*.up.sql"))
    added = "".join(p.read_text(encoding="utf-8") for p in ups).count('ADD COLUMN "x"')
    assert added == 1, [p.name for p in ups]
    assert len({p.name[:4] for p in ups}) == len(ups)
    assert not (project / "m" / LOCK_FILE).exists()
    verify = run_cli("migrate", "verify", "m", cwd=project)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert 0 in (planned_steps(project, "a.dbml"), planned_steps(project, "b.dbml"))


def test_live_lock_makes_diff_wait_then_stop(project: Path) -> None:
    lock = project / "m" / LOCK_FILE
    holder = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}
    lock.write_text(json.dumps(holder), encoding="utf-8")
    before = sorted(p.name for p in (project / "m").iterdir())
    run = dbdsl("migrate", "diff", "--to", "a.dbml", "--dir", "m", cwd=project, wait="0.5")
    _out, err = run.communicate(timeout=60)
    assert run.returncode == 2
    assert err.strip().count("\n") == 0 and f"locked by process {os.getpid()}" in err
    assert sorted(p.name for p in (project / "m").iterdir()) == before
    assert json.loads(lock.read_text(encoding="utf-8")) == holder  # not ours to remove


def test_lock_of_a_gone_process_is_taken_over(project: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    lock = project / "m" / LOCK_FILE
    lock.write_text(json.dumps({"pid": gone.pid, "host": socket.gethostname(), "since": time.time()}))
    run = dbdsl("migrate", "diff", "--to", "a.dbml", "--dir", "m", cwd=project, wait="0")
    _out, err = run.communicate(timeout=60)
    assert run.returncode == 0, err
    assert not lock.exists()
    assert planned_steps(project, "a.dbml") == 0


def test_lock_rules(tmp_path: Path) -> None:
    with locked(tmp_path) as path:
        holder = json.loads(path.read_text(encoding="utf-8"))
        assert holder["pid"] == os.getpid() and holder["host"] == socket.gethostname()
        with pytest.raises(LockError, match="locked by process"), locked(tmp_path, wait=0.1):
            pass
    assert not (tmp_path / LOCK_FILE).exists()
    # another machine's lock is trusted until it is old
    other = {"pid": 1, "host": "elsewhere.invalid", "since": time.time()}
    (tmp_path / LOCK_FILE).write_text(json.dumps(other))
    with pytest.raises(LockError, match=r"elsewhere\.invalid"), locked(tmp_path, wait=0.1):
        pass
    (tmp_path / LOCK_FILE).write_text(json.dumps({**other, "since": time.time() - 3600}))
    with locked(tmp_path, wait=0):
        pass
    assert not (tmp_path / LOCK_FILE).exists()
