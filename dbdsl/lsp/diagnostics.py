"""Diagnostics: findings as LSP diagnostics, pushed (debounced) or pulled.

Push: after a document opens, changes or is saved, a timer waits `diagnostics_delay`; then the
analysis thread computes the findings of that document and of the open documents that import it.
Each result carries the document version it was computed for and is dropped if the document moved
on meanwhile (a newer run is queued for it), so a stale version is never published.
Pull (`textDocument/diagnostic`): clients that pull (VS Code) get the diagnostics on request, and
are not pushed any (they would show them twice); they are asked to pull again when a change in one
file affects another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..findings import Finding, Severity
from .engine import Engine

if TYPE_CHECKING:
    from .server import DbdslServer

SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}


def to_diagnostic(engine: Engine, f: Finding) -> lsp.Diagnostic:
    span = f.span
    related = [
        lsp.DiagnosticRelatedInformation(
            location=engine.location(r.span.file, r.span.start_offset, r.span.end_offset), message=r.message
        )
        for r in f.related
        if r.span is not None
    ]
    return lsp.Diagnostic(
        range=engine.range(span.file, span.start_offset, span.end_offset),
        message=f.message,
        severity=SEVERITY[f.severity],
        code=f.code,
        source="dbdsl",
        related_information=related or None,
        data={"category": f.category, "fixable": bool(f.fixes)},
    )


def compute(engine: Engine, uri: str) -> list[tuple[str, int | None, list[lsp.Diagnostic]]]:
    """On the analysis thread: (uri, version, diagnostics) of a document and its open importers."""
    doc = engine.document(uri)
    if doc is None:
        return []
    out = [(uri, doc.version, [to_diagnostic(engine, f) for f in engine.findings(uri)])]
    for path in engine.session.dependents(doc.path):
        other = engine.uri_of(path)
        other_doc = engine.document(other)
        if other_doc is not None:
            out.append((other, other_doc.version, [to_diagnostic(engine, f) for f in engine.findings(other)]))
    return out


def schedule(server: DbdslServer, uri: str) -> None:
    """(On the event loop) publish the document's diagnostics once edits pause."""
    timer = server.timers.pop(uri, None)
    if timer is not None:
        timer.cancel()
    if server.loop is None:
        return
    version = server.latest.get(uri)
    server.timers[uri] = server.loop.call_later(server.diagnostics_delay, _start, server, uri, version)


def _start(server: DbdslServer, uri: str, version: int | None) -> None:
    server.timers.pop(uri, None)
    if uri not in server.latest or server.latest[uri] != version:
        return
    if not server.push_diagnostics:
        if len(server.latest) > 1 and _refresh_supported(server):
            server.workspace_diagnostic_refresh(None)
        return
    future = server.submit(compute, server.engine, uri)
    future.add_done_callback(lambda f: server.on_loop(lambda: _publish(server, f)))


def _refresh_supported(server: DbdslServer) -> bool:
    caps = server.client_capabilities
    diagnostics = getattr(getattr(caps, "workspace", None), "diagnostics", None)
    return bool(getattr(diagnostics, "refresh_support", False))


def _publish(server: DbdslServer, future) -> None:
    if future.cancelled():
        return
    error = future.exception()
    if error is not None:
        server.log(f"dbdsl: diagnostics failed: {error!r}", lsp.MessageType.Error)
        return
    for uri, version, diagnostics in future.result():
        if uri not in server.latest or server.latest[uri] != version:
            continue  # closed, or edited since: a newer run will publish
        server.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )


def forget(server: DbdslServer, uri: str) -> None:
    """A closed document: no pending run, and no diagnostics left in the editor."""
    timer = server.timers.pop(uri, None)
    if timer is not None:
        timer.cancel()
    if server.push_diagnostics:
        server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def _pull(engine: Engine, uri: str, previous: str | None) -> lsp.DocumentDiagnosticReport:
    result_id = f"{engine.session.generation}:{hash(engine.settings)}"
    if previous == result_id:
        return lsp.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    items = [to_diagnostic(engine, f) for f in engine.findings(uri)]
    return lsp.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)


def register(server: DbdslServer) -> None:
    options = lsp.DiagnosticOptions(identifier="dbdsl", inter_file_dependencies=True, workspace_diagnostics=False)

    @server.feature(lsp.TEXT_DOCUMENT_DIAGNOSTIC, options)
    async def pull(params: lsp.DocumentDiagnosticParams) -> lsp.DocumentDiagnosticReport:
        report = await server.run(_pull, server.engine, params.text_document.uri, params.previous_result_id)
        return report if report is not None else lsp.RelatedFullDocumentDiagnosticReport(items=[])
