"""Small Markdown writers: tables, code blocks and inline code that stay intact whatever text they hold."""

from __future__ import annotations

import re
from collections.abc import Sequence


def cell(text: object) -> str:
    """Text safe in a table cell: no line breaks, pipes escaped."""
    return " ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|") if text is not None else ""


def table(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(cell(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def code(text: str) -> str:
    """Inline code that holds any backticks: the fence is longer than any run inside."""
    text = " ".join(text.split())
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def block(text: str, language: str = "") -> str:
    """A fenced code block whose fence no line of `text` can close."""
    longest = max((len(m) for m in re.findall(r"^\s*(`{3,})", text, re.M)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


def anchor(title: str) -> str:
    """GitHub's heading anchor for `title`."""
    slug = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return slug.replace(" ", "-")


def plain(text: str | None) -> str:
    """A note as a paragraph: its own lines kept, leading indentation removed."""
    if not text:
        return ""
    return "\n".join(line.strip() for line in text.strip().splitlines())


def listing(items: list[str], empty: str = "none") -> str:
    return ", ".join(items) if items else empty
