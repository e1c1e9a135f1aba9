"""The progress protocol: task bookkeeping, cancellation, and the terminal line (drawn only on a TTY)."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dbdsl.progress import NULL, Cancelled, NullProgress, Progress, StderrProgress, steps
from tests.helpers import REPO


class Recorder:
    """A progress client that keeps what it was told (as an editor's progress view would)."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.events: list[tuple] = []
        self.cancel_after = cancel_after

    def begin(self, title, total=None):
        self.events.append(("begin", title, total))

    def report(self, message=None, done=None):
        self.events.append(("report", message, done))

    def end(self, message=None):
        self.events.append(("end",))

    def cancelled(self):
        reports = sum(1 for e in self.events if e[0] == "report")
        return self.cancel_after is not None and reports >= self.cancel_after


def test_implementations_satisfy_the_protocol() -> None:
    for progress in (NullProgress(), NULL, StderrProgress(io.StringIO()), Recorder()):
        assert isinstance(progress, Progress)


def test_steps_reports_each_item_before_its_work() -> None:
    rec = Recorder()
    seen = [item for item in steps(rec, "Checking", ["a.dbml", "b.dbml"])]
    assert seen == ["a.dbml", "b.dbml"]
    assert rec.events == [
        ("begin", "Checking", 2),
        ("report", "a.dbml", 0),
        ("report", "b.dbml", 1),
        ("end",),
    ]


def test_steps_stops_when_cancelled_and_still_ends_the_task() -> None:
    rec = Recorder(cancel_after=1)
    seen = []
    with pytest.raises(Cancelled):
        for item in steps(rec, "Work", range(5)):
            seen.append(item)
    assert seen == [0]
    assert rec.events[-1] == ("end",)


def test_steps_ends_the_task_when_the_work_fails() -> None:
    rec = Recorder()
    with pytest.raises(ZeroDivisionError):
        for item in steps(rec, "Work", [1, 0]):
            _ = 1 / item
    assert rec.events[-1] == ("end",)


def test_nothing_is_written_when_the_stream_is_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = StderrProgress(stream)
    for _ in steps(progress, "Checking", ["a", "b"]):
        pass
    assert stream.getvalue() == ""


def test_nested_tasks_show_the_inner_one_then_the_outer_again() -> None:
    progress = StderrProgress(io.StringIO())
    progress.begin("Document", total=3)
    progress.report("tables", done=1)
    progress.begin("ERD")
    assert progress.line() == "ERD"
    progress.end()
    assert progress.line() == "Document [1/3] tables"
    progress.end()
    assert progress.line() == ""


def test_on_a_terminal_one_line_is_redrawn_and_cleared() -> None:
    master, slave = pty.openpty()
    with os.fdopen(slave, "w", closefd=True) as stream:
        progress = StderrProgress(stream, interval=0)
        progress.begin("Checking", total=2)
        progress.report("a.dbml", done=0)
        progress.report("b.dbml", done=1)
        progress.end()
        written = _read_all(master)
    os.close(master)
    assert "\r\x1b[KChecking [0/2] a.dbml" in written
    assert "\r\x1b[KChecking [1/2] b.dbml" in written
    assert written.endswith("\r\x1b[K")  # the line is gone when the work is done
    assert "\n" not in written


def test_check_over_many_files_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"t{i:02}.dbml").write_text(f"Table t{i} {{\n  id int [pk]\n}}\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO), TERM="xterm")
    command = [sys.executable, "-m", "dbdsl", "check", str(tmp_path)]
    master, slave = pty.openpty()
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=slave, text=True, timeout=120)
    os.close(slave)
    drawn = _read_all(master)
    os.close(master)
    assert done.returncode == 0
    assert done.stdout.strip() == "All checks passed (30 files)."
    assert "Checking [0/30]" in drawn and drawn.endswith("\r\x1b[K")
    piped = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stderr == ""


def _read_all(fd: int) -> str:
    out = b""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    return out.decode("utf-8", errors="replace")
