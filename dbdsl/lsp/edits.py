"""Core text edits (absolute code points) as LSP workspace edits, and files created through the editor."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..findings import TextEdit

if TYPE_CHECKING:
    from .engine import Engine


def workspace_edit(engine: Engine, edits: Iterable[TextEdit]) -> lsp.WorkspaceEdit:
    by_file: dict[str, list[TextEdit]] = defaultdict(list)
    for e in edits:
        by_file[e.file].append(e)
    changes = []
    for path, file_edits in sorted(by_file.items()):
        uri = engine.uri_of(path)
        changes.append(
            lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=engine.version(uri)),
                edits=[
                    lsp.TextEdit(range=engine.range(path, e.start, e.end), new_text=e.new_text)
                    for e in sorted(file_edits, key=lambda e: (e.start, e.end))
                ],
            )
        )
    return lsp.WorkspaceEdit(document_changes=changes)


def create_files(files: list[tuple[str, str]]) -> lsp.WorkspaceEdit:
    """New files (replacing ones that exist) holding their texts: the editor creates them, with undo."""
    origin = lsp.Position(line=0, character=0)
    changes: list = []
    for uri, text in files:
        changes.append(lsp.CreateFile(uri=uri, options=lsp.CreateFileOptions(overwrite=True)))
        changes.append(
            lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[lsp.TextEdit(range=lsp.Range(start=origin, end=origin), new_text=text)],
            )
        )
    return lsp.WorkspaceEdit(document_changes=changes)
