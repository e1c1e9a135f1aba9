"""Running the command line against a folder that refuses writes: a full file system or a read-only one.

As root (permissions do not stop root) the folder is a real mount in a private mount namespace
(`unshare -m`, gone with the process): a tmpfs of a few KB, or a read-only bind mount. Otherwise a full
disk is a file size limit (RLIMIT_FSIZE: writes past it fail) and a read-only folder is chmod 555.
"""

from __future__ import annotations

import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO

FULL_LIMIT = 8192  # bytes a file may grow to on the "full" disk, and the size of the tmpfs


def as_root() -> bool:
    return os.geteuid() == 0 and shutil.which("unshare") is not None


def run_restricted(
    tmp_path: Path, before: dict[str, str | bytes], args: list[str], *, mode: str, stdin: str | None = None
) -> tuple[subprocess.CompletedProcess, Path]:
    """Run `python -m dbdsl ARGS` (cwd: `tmp_path`) where the folder `tmp_path/out` holds `before` and
    refuses writes (`mode`: "full" or "readonly"). Returns the result and a folder holding what `out`
    held afterwards."""
    stage, out, after = tmp_path / "stage", tmp_path / "out", tmp_path / "after"
    for folder in (stage, out, after):
        folder.mkdir()
    for name, data in before.items():
        (stage / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-m", "dbdsl", *args]
    if as_root():
        size = FULL_LIMIT + 4096 * len(before)  # each file kept takes a page
        mount = (
            f"mount -t tmpfs -o size={size} tmpfs out && cp -a stage/. out/"
            if mode == "full"
            else "cp -a stage/. out/ && mount --bind out out && mount -o remount,bind,ro out"
        )
        script = f'{mount} || exit 99; "$@"; rc=$?; cp -a out/. after/; exit $rc'
        result = subprocess.run(
            ["unshare", "-m", "sh", "-c", script, "sh", *command],
            cwd=tmp_path,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode != 99, result.stderr
        return result, after
    shutil.copytree(stage, out, dirs_exist_ok=True)
    if mode == "readonly":
        out.chmod(0o555)

    def limit() -> None:
        if mode == "full":
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (FULL_LIMIT, FULL_LIMIT))

    try:
        result = subprocess.run(
            command,
            cwd=tmp_path,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=limit,
        )
    finally:
        out.chmod(0o755)
    return result, out


def run_without_override(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run `python -m dbdsl ARGS` so that file permissions apply (as root: without the capabilities that
    override them)."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-m", "dbdsl", *args]
    if os.geteuid() == 0:
        assert shutil.which("capsh"), "capsh (libcap2-bin) is needed to drop root's file access override"
        quoted = " ".join(shlex.quote(a) for a in command)
        command = ["capsh", "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", quoted]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
