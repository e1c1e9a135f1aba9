"""How completion spells a column type in DBML (the types it offers per dialect are the dialect records'
`completion_types`, in `dbdsl.dialects`)."""

from __future__ import annotations


def spelled(type_name: str) -> str:
    """How a type is written in DBML: names with a space are double-quoted."""
    name = type_name.replace("_precision", " precision")
    return f'"{name}"' if " " in name else name
