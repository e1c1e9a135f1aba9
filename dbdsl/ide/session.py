"""The state an editor session works on: the core Workspace, the project's folders and cached views.

Every change (an edit, an opened or closed document, a file changed on disk) bumps `generation`;
views (an analysis and its name index) are cached per generation, so repeated requests on unchanged
text cost nothing and a stale view is never used. Not thread-safe: one thread owns a session.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from ..workspace import SourceError, Workspace, normalize
from .index import FileView

EXTENSIONS = (".dbml", ".dbdsl")
SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", "build", "dist"}
MAX_PROJECT_FILES = 5000


class Session:
    def __init__(self, roots: Iterable[str] = ()) -> None:
        self.workspace = Workspace()
        self.roots = [normalize(r) for r in roots]
        self.generation = 0
        self._views: dict[str, tuple[int, FileView]] = {}
        self._project_files: list[str] | None = None

    # ------------------------------------------------------------ documents

    def open(self, path: str, text: str, version: int | None = None) -> None:
        self.workspace.open(path, text, version)
        self._changed()

    def set_text(self, path: str, text: str, version: int | None = None) -> None:
        self.workspace.open(path, text, version)
        self._changed()

    def edit(self, path: str, start: int, end: int, new_text: str, version: int | None = None) -> None:
        """Replace text[start:end] of an open document (incrementally re-parsed)."""
        source = self.workspace.files[normalize(path)]
        n = len(source.text)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        source.apply_edit(start, end, new_text, version)
        self._changed()

    def close(self, path: str) -> None:
        self.workspace.close(path)
        self._changed()

    def disk_changed(self, path: str, *, created_or_deleted: bool = False) -> None:
        """A file changed on disk: read it again when needed (open documents keep the editor's text)."""
        self.workspace.forget(path)
        if created_or_deleted:
            self._project_files = None
        self._changed()

    def set_roots(self, roots: Iterable[str]) -> None:
        self.roots = [normalize(r) for r in roots]
        self._project_files = None

    def _changed(self) -> None:
        self.generation += 1

    def text(self, path: str) -> str:
        return self.workspace.source(path).text

    def version(self, path: str) -> int | None:
        source = self.workspace.files.get(normalize(path))
        return source.version if source is not None else None

    # ------------------------------------------------------------ analysis

    def view(self, path: str) -> FileView:
        """The file analysed with what it imports (raises SourceError for an unreadable file)."""
        path = normalize(path)
        got = self._views.get(path)
        if got is not None and got[0] == self.generation:
            return got[1]
        view = FileView(self.workspace.analyze(path))
        self._views[path] = (self.generation, view)
        return view

    def imports_of(self, path: str) -> set[str]:
        """Files whose elements `path` sees: its imports and, transitively, theirs."""
        seen: set[str] = set()
        todo = [normalize(path)]
        while todo:
            current = todo.pop()
            try:
                imported = self.view(current).analysis.imported
            except SourceError:
                continue
            for target in imported:
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        seen.discard(normalize(path))
        return seen

    def dependents(self, path: str) -> list[str]:
        """Open documents (other than `path`) that see the elements of `path`."""
        path = normalize(path)
        return [d for d in sorted(self.workspace.open_documents) if d != path and path in self.imports_of(d)]

    # ------------------------------------------------------------ the project

    def files(self) -> list[str]:
        """Open documents, then the schema files under the project folders."""
        if self._project_files is None:
            self._project_files = list(_walk(self.roots))
        out = sorted(self.workspace.open_documents)
        seen = set(out)
        out.extend(f for f in self._project_files if f not in seen)
        return out

    def views(self, mentioning: Iterable[str] = ()) -> Iterator[FileView]:
        """Views of the project's files; with `mentioning`, only files whose text has one of those words."""
        words = [w for w in mentioning if w]
        for path in self.files():
            try:
                if words:
                    text = self.text(path)
                    if not any(w in text for w in words):
                        continue
                yield self.view(path)
            except SourceError:
                continue


def _walk(roots: list[str]) -> Iterator[str]:
    count = 0
    for root in roots:
        if not os.path.isdir(root):
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            for name in sorted(files):
                if name.endswith(EXTENSIONS):
                    yield normalize(os.path.join(folder, name))
                    count += 1
                    if count >= MAX_PROJECT_FILES:
                        return
