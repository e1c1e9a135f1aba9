"""Core text edits (absolute code points) as LSP workspace edits, and files created through the editor."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from lsprotocol import types as lsp

from ..findings import TextEdit
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


def create_file(uri: str, text: str) -> lsp.WorkspaceEdit:
    """A new file (replacing one that exists) holding `text`: the editor creates it, with undo."""
    origin = lsp.Position(line=0, character=0)
    return lsp.WorkspaceEdit(
        document_changes=[
            lsp.CreateFile(uri=uri, options=lsp.CreateFileOptions(overwrite=True)),
            lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[lsp.TextEdit(range=lsp.Range(start=origin, end=origin), new_text=text)],
            ),
        ]
    )
