"""Writing files whole or not at all: the one way every output of dbdsl reaches the disk.

Each file is written to a temporary file in its own folder (same file system, so the rename is
atomic), flushed to disk, and renamed over the target only once every file of the unit is complete. On
any error (a full disk, a read-only folder, an encoding problem) the temporary files are removed and
the targets are as they were: a document and its SVG, or a migration pair and its checksum file,
appear together or not at all. A replaced file keeps its permissions; a new one gets the usual ones
(the umask applies).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

TEMP_PREFIX = ".dbdsl-"


def write_file(path: str | os.PathLike, data: str | bytes, *, newline: str | None = None) -> None:
    """Write one file atomically (see `write_files`)."""
    write_files({path: data}, newline=newline)


PathContents = Mapping[str, str | bytes] | Mapping[str | os.PathLike, str | bytes]


def write_files(files: PathContents, *, newline: str | None = None) -> None:
    """Write `files` (path -> text or bytes) as one unit. Text is UTF-8; `newline` ("\\n"), when given,
    replaces each line end of the text. Raises OSError (or UnicodeError) with nothing changed."""
    payloads = {Path(p): _bytes(d, newline) for p, d in files.items()}  # encoding problems before any write
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in payloads.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_stage(target, data), target))
        for tmp, target in staged:
            os.replace(tmp, target)
    except BaseException:
        for tmp, _ in staged:
            _remove(tmp)
        raise


def _bytes(data: str | bytes, newline: str | None) -> bytes:
    if isinstance(data, bytes):
        return data
    if newline is not None:
        data = data.replace("\r\n", "\n").replace("\n", newline)
    return data.encode("utf-8")


def _stage(target: Path, data: bytes) -> str:
    """A complete temporary copy of `target` with `data`, beside it."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX + target.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode(target))
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _mode(target: Path) -> int:
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
