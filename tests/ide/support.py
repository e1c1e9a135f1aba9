"""Helpers for the IDE service tests: a session over files in a temporary project."""

from __future__ import annotations

from pathlib import Path

from dbdsl.ide.index import FileView
from dbdsl.ide.session import Session


class Project:
    def __init__(self, root: Path, files: dict[str, str]) -> None:
        self.root = root
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8")
        self.session = Session([str(root)])
        self.texts = dict(files)

    def path(self, name: str) -> str:
        return str(self.root / name)

    def view(self, name: str) -> FileView:
        return self.session.view(self.path(name))

    def at(self, name: str, needle: str, delta: int = 0, occurrence: int = 0) -> int:
        text = self.texts[name]
        at = -1
        for _ in range(occurrence + 1):
            at = text.index(needle, at + 1)
        return at + delta

    def open(self, name: str, text: str) -> None:
        self.texts[name] = text
        self.session.open(self.path(name), text, 1)


def apply(text: str, edits) -> str:
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: e.start] + e.new_text + text[e.end :]
    return text
