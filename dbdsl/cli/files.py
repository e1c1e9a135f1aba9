"""Finding the schema files named on the command line."""

from __future__ import annotations

import os
from pathlib import Path

EXTENSIONS = (".dbml", ".dbdsl")
SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", "build", "dist"}


def collect(paths: list[str]) -> list[str]:
    """Files to process: each file named, and every .dbml/.dbdsl file under each folder named."""
    from . import UsageError

    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                out.extend(str(Path(root) / f) for f in sorted(files) if f.endswith(EXTENSIONS))
        elif path.exists():
            out.append(str(path))
        else:
            raise UsageError(f"{raw}: no such file or directory")
    return out


def display_path(path: str) -> str:
    """A path relative to the working directory when it is below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel
