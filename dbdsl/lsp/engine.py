"""The server's state: open documents (with their line indexes), the IDE session, settings and
cached findings. Every method runs on the one analysis thread (the core is not thread-safe); the
request loop only hands work over and publishes results."""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlparse

from lsprotocol import types as lsp
from pygls.uris import from_fs_path, to_fs_path

from ..dialects import resolve
from ..findings import Finding
from ..gcpause import gc_paused
from ..ide.index import FileView
from ..ide.lint import Linter
from ..ide.session import Session
from ..workspace import SourceError, normalize
from .config import Settings
from .diagnostics import Publisher
from .features import UnknownDocument
from .positions import LineIndex

VIRTUAL_ROOT = "/__dbdsl_virtual__"
# changes (an opened document counts for this many) between two gc.freeze() calls: what edits leave alive
# is moved out of the collector's sight before a full collection would walk much of it (edits make no
# reference cycles, so a frozen object is still freed by reference counting)
FREEZE_AFTER = 20


@dataclass
class Document:
    uri: str
    path: str
    version: int | None
    index: LineIndex


class Engine:
    def __init__(self, report: Callable[[str], None] | None = None) -> None:
        self.session = Session()
        self.linter = Linter(report)
        self.settings = Settings()
        self.docs: dict[str, Document] = {}
        self._by_path: dict[str, Document] = {}
        self._indexes: dict[str, tuple[str, LineIndex]] = {}
        self._findings: dict[str, tuple[int, Settings, list[Finding]]] = {}
        self._changes_since_freeze = 0
        self.publisher = Publisher()

    # ------------------------------------------------------------ uris and paths

    def path_of(self, uri: str) -> str:
        doc = self.docs.get(uri)
        if doc is not None:
            return doc.path
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is None:
            # `untitled:` and other schemes: a path of its own that no file on disk shadows
            parsed = urlparse(uri)
            path = f"{VIRTUAL_ROOT}/{parsed.scheme or 'document'}/{quote(unquote(parsed.path or uri), safe='')}"
        return normalize(path)

    def uri_of(self, path: str) -> str:
        doc = self._by_path.get(normalize(path))
        if doc is not None:
            return doc.uri
        return from_fs_path(path) or path

    # ------------------------------------------------------------ documents

    def open(self, uri: str, text: str, version: int | None) -> Document:
        """Parse a document just opened. Its syntax trees live as long as it does: they are moved out of
        the collector's sight before it resumes, or its first pass would walk them all (some 40 ms on a
        25k-line file); the model built from them is frozen after its first findings (`_freeze`)."""
        with gc_paused():
            path = self.path_of(uri)
            text = characters(text)
            self.session.open(path, text, version)
            doc = Document(uri, path, version, LineIndex(self.session.text(path)))
            self.docs[uri] = self._by_path[path] = doc
            self._changes_since_freeze += FREEZE_AFTER
            gc.freeze()
        return doc

    def change(self, uri: str, version: int | None, changes: list) -> Document:
        doc = self.docs.get(uri)
        if doc is None:
            raise UnknownDocument(f"{uri} is not open")
        for change in changes:
            if isinstance(change, lsp.TextDocumentContentChangePartial):
                start = doc.index.offset(change.range.start)
                end = doc.index.offset(change.range.end)
                start, end = min(start, end), max(start, end)
                self.session.edit(doc.path, start, end, characters(change.text), version)
                doc.index.apply(start, end, characters(change.text), self.session.text(doc.path))
            else:
                self.session.set_text(doc.path, characters(change.text), version)
                doc.index = LineIndex(self.session.text(doc.path))
        doc.version = version
        self._changes_since_freeze += 1
        return doc

    def close(self, uri: str) -> None:
        doc = self.docs.pop(uri, None)
        if doc is not None:
            self._by_path.pop(doc.path, None)
            self.session.close(doc.path)
            self._findings.pop(doc.path, None)
            self.publisher.forget(doc.path)

    def disk_changed(self, uri: str, kind: lsp.FileChangeType) -> list[str]:
        """A watched file changed on disk; returns the open documents to analyse again."""
        path = self.path_of(uri)
        name = os.path.basename(path)
        if name in ("dbdsl.toml", "pyproject.toml"):
            self.session.generation += 1  # the linter reads the configuration again (it checks the file's time)
            return list(self.docs)
        self.session.disk_changed(path, created_or_deleted=kind != lsp.FileChangeType.Changed)
        self._indexes.pop(path, None)
        return [uri for uri, doc in self.docs.items() if path in self.session.imports_of(doc.path) or doc.path == path]

    def document(self, uri: str) -> Document | None:
        return self.docs.get(uri)

    def version(self, uri: str) -> int | None:
        doc = self.docs.get(uri)
        return doc.version if doc is not None else None

    # ------------------------------------------------------------ analysis

    def view(self, uri: str) -> FileView:
        try:
            return self.session.view(self.path_of(uri))
        except SourceError as e:
            raise UnknownDocument(str(e)) from e

    def index(self, path: str) -> LineIndex:
        """The line index of any file: an open document's, else one built from the text read."""
        path = normalize(path)
        doc = self._by_path.get(path)
        if doc is not None:
            return doc.index
        try:
            text = self.session.text(path)
        except SourceError as e:
            raise UnknownDocument(str(e)) from e
        cached = self._indexes.get(path)
        if cached is None or cached[0] is not text:
            cached = self._indexes[path] = (text, LineIndex(text))
        return cached[1]

    def offset(self, uri: str, position: lsp.Position) -> int:
        doc = self.docs.get(uri)
        index = doc.index if doc is not None else self.index(self.path_of(uri))
        return index.offset(position)

    def range(self, path: str, start: int, end: int) -> lsp.Range:
        return self.index(path).range(start, end)

    def location(self, path: str, start: int, end: int) -> lsp.Location:
        return lsp.Location(uri=self.uri_of(path), range=self.range(path, start, end))

    def dialect(self, view: FileView) -> str:
        return resolve(schema=view.schema, setting=self.settings.dialect)

    def findings(self, uri: str) -> list[Finding]:
        """The file's findings: syntax and binding, the linter's, (`migrations.showDrops`) what the next
        migration would drop, and (`database.url`) whether the live database has drifted. The collector
        stays paused throughout, and a model that is frozen (after an open) is frozen before it resumes:
        it never walks the new model at all."""
        with gc_paused():
            return self._findings_of(uri)

    def _findings_of(self, uri: str) -> list[Finding]:
        view = self.view(uri)
        path = view.path
        cached = self._findings.get(path)
        generation = self.session.generation
        if cached is not None and cached[0] == generation and cached[1] == self.settings:
            return cached[2]
        found = list(view.analysis.findings)
        s = self.settings
        extra = self.linter.lint(view.analysis, s.lint_select, s.lint_ignore, s.dialect or None)
        if s.migrations_show_drops:
            extra.extend(self._pending_drops(view))
        if s.database_url and not view.analysis.errors:
            from ..live.drift import drift_findings

            extra.extend(drift_findings(view.analysis, s.database_url))
        if extra:
            found.extend(extra)
            found.sort(key=lambda f: (f.span.start_offset, f.code))
        self._findings[path] = (generation, self.settings, found)
        self._freeze()
        return found

    def migrations_folder(self, path: str) -> str:
        """The `migrations.directory` setting, relative to the schema file's folder."""
        return os.path.join(os.path.dirname(path), os.path.expanduser(self.settings.migrations_directory))

    def _pending_drops(self, view: FileView) -> list[Finding]:
        """What the next migration would drop (information findings), when `migrations.showDrops` is on."""
        from ..migrate import pending_drops  # on first use: the migration stack is not needed to open a file

        if view.analysis.errors:
            return []
        return pending_drops(view.analysis, directory=self.migrations_folder(view.path))

    def _freeze(self) -> None:
        """Move the objects alive now (the models of the open files) out of the collector's sight.

        A model holds hundreds of thousands of objects that live as long as the document; every full
        collection walked them again (a third of a second on a 25k-line file, in the middle of some
        edit). Frozen objects are still freed by reference counting when an edit replaces them."""
        if self._changes_since_freeze >= FREEZE_AFTER:
            self._changes_since_freeze = 0
            gc.freeze()


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def characters(text: str) -> str:
    """A document's text with each lone surrogate (JSON can carry one; it is no character and cannot
    be written as UTF-8) replaced by U+FFFD, which takes the same one UTF-16 unit: positions hold."""
    return LONE_SURROGATE.sub("\ufffd", text) if LONE_SURROGATE.search(text) else text
