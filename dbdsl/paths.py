"""How every message names a file: relative to the working directory when the file is below it, else
its absolute path. One rule, so that a finding, a warning and an error about the same file agree."""

from __future__ import annotations

import os


def display_path(path: str) -> str:
    try:
        absolute = os.path.abspath(path)
        rel = os.path.relpath(absolute)
    except (ValueError, OSError):  # another drive on Windows, or no working directory
        return path
    return absolute if rel == ".." or rel.startswith(".." + os.sep) else rel
