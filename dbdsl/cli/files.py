"""Finding the schema files named on the command line."""

from __future__ import annotations

import os
from pathlib import Path

from ..paths import display_path

EXTENSIONS = (".dbml", ".dbdsl")
SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", "build", "dist"}


def collect(paths: list[str]) -> list[str]:
    """Files to process: each file named, and every .dbml/.dbdsl file under each folder named."""
    from . import UsageError

    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found: list[str] = []
            for root, dirs, files in os.walk(path, onerror=_unreadable):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                found.extend(str(Path(root) / f) for f in sorted(files) if f.endswith(EXTENSIONS))
            if not found:
                raise UsageError(f"{display_path(raw)}: no .dbml or .dbdsl files in this folder")
            out.extend(found)
        elif path.exists() or path.is_symlink():
            out.append(str(path))
        else:
            raise UsageError(f"{display_path(raw)}: no such file or directory")
    return out


def _unreadable(error: OSError) -> None:
    """A folder that cannot be listed is a usage error, not a folder without schemas."""
    from . import UsageError

    raise UsageError(f"{display_path(error.filename or '')}: cannot read ({error.strerror or error})") from error
