"""One writer at a time in a migrations directory.

`migrate diff`, `init` and `hash` read the directory's state, plan, and write; two of them at once would
both number their migration 0004, or plan from a state the other is changing. Each holds the lock file
`.dbdsl.lock` in the directory from before it reads the state until it has written: the file names the
holder (pid, host, when), appears whole (written aside, then linked into place, which fails when it
exists), and is removed when the holder is done. A lock whose holder is gone (same host, no such
process) or that is older than `STALE_AFTER` is stale and taken over; otherwise the command waits up to
`DBDSL_LOCK_WAIT` seconds (default 30), then stops with a line that names the holder.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_FILE = ".dbdsl.lock"
STALE_AFTER = 600.0  # seconds: no migration takes this long to write
POLL = 0.05


class LockError(Exception):
    """The directory stays locked by another live process."""


@contextlib.contextmanager
def locked(directory: str | os.PathLike, wait: float | None = None) -> Iterator[Path]:
    """Hold the lock of `directory` (created when missing) for the duration of the block."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    limit = _wait() if wait is None else wait
    deadline = time.monotonic() + limit
    me = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}
    while not _take(path, me):
        holder = _holder(path)
        if holder is not None and _stale(holder):
            _remove_if_same(path, holder)
            continue
        if time.monotonic() >= deadline:
            raise LockError(_describe(folder, holder))
        time.sleep(POLL)
    try:
        yield path
    finally:
        _remove_if_same(path, me)


def _wait() -> float:
    try:
        return max(0.0, float(os.environ.get("DBDSL_LOCK_WAIT", "30")))
    except ValueError:
        return 30.0


def _take(path: Path, me: dict) -> bool:
    """Create the lock file with `me` in it, whole, unless it exists."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".dbdsl-lock-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(me, f)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _holder(path: Path) -> dict | None:
    """What the lock file says, or None when it is gone or unreadable (then it is retried)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else {}


def _stale(holder: dict) -> bool:
    since = holder.get("since")
    if not isinstance(since, int | float) or time.time() - since > STALE_AFTER:
        return True
    pid = holder.get("pid")
    if holder.get("host") != socket.gethostname() or not isinstance(pid, int):
        return False  # another machine's process: only its age can tell
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists (owned by another user)
    return False


def _remove_if_same(path: Path, holder: dict) -> None:
    """Remove the lock file if it still holds `holder` (another process may have taken it over)."""
    if _holder(path) == holder:
        with contextlib.suppress(OSError):
            path.unlink()


def _describe(folder: Path, holder: dict | None) -> str:
    if not holder:
        return f"{folder} is locked ({LOCK_FILE}); try again"
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(holder.get("since", 0)))
    return (
        f"{folder} is locked by process {holder.get('pid')} on {holder.get('host')} since {since}: another "
        f"`dbdsl migrate` is writing there (if that process is gone, remove {folder / LOCK_FILE})"
    )
