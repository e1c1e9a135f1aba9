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

import json
from typing import TYPE_CHECKING, NamedTuple

from lsprotocol import types as lsp
from pygls.capabilities import get_capability

from ..findings import Finding, Severity
from .features import feature
from .positions import utf16_length
from .rawjson import RawJson

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .engine import Engine
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
    )


class _Prepared(NamedTuple):
    """A finding's diagnostic as JSON text but for its range, and its place in its block: (lines
    after the block's first line, UTF-16 column; on the first line, counted from the block)."""

    finding: Finding
    body: str  # the JSON members after "range", with the closing brace
    start: tuple[int, int] | None  # None: the block has a lone CR, positions are computed directly
    end: tuple[int, int] | None


class _Run(NamedTuple):
    """The diagnostics of one block's findings, as last published."""

    ids: tuple[int, ...]  # the findings' ids
    findings: list[Finding]  # holds them, so that their ids stay theirs
    origin: tuple[int, int]  # where the block starts (line, UTF-16 column)
    prepared: list[_Prepared]
    json: str
    points_elsewhere: bool  # a finding has related information: never kept, the other place may move
    # `json` with each line number as %d, and those numbers relative to the block, in order: when lines
    # are added or removed above a block at column 0, its text is made again with one string format
    template: str | None
    lines: tuple[int, ...]


# a diagnostic's members after its range (json.dumps of each string: thousands of these on a large file)
BODY = '"message": %s, "severity": %d, "code": %s, "source": "dbdsl"}'
RANGE = '{"range":{"start":{"line":%d,"character":%d},"end":{"line":%d,"character":%d}},'
# a range whose columns are known and whose lines are left as %d (see `_template`)
LINES_AS_FIELDS = '{{"range":{{"start":{{"line":%d,"character":{}}},"end":{{"line":%d,"character":{}}}}},'


def _relative(text: str, offset: int) -> tuple[int, int]:
    nl = text.rfind("\n", 0, offset)
    if nl < 0:
        return 0, utf16_length(text[:offset])
    return text.count("\n", 0, offset), utf16_length(text[nl + 1 : offset])


class Publisher:
    """Findings as diagnostics, in JSON. The finding objects of unchanged blocks survive an edit, so
    their diagnostics are kept, as text and relative to their block: after an edit, each costs a
    sum and a string format, which matters for a large file with thousands of findings."""

    def __init__(self) -> None:
        self._runs: dict[str, dict[int, _Run]] = {}  # per file and block (the id of its anchor)

    def _prepare(self, f: Finding) -> _Prepared:
        body = BODY % (json.dumps(f.message), SEVERITY[f.severity].value, json.dumps(f.code))
        text = f.span.anchor.text
        if text.count("\r") != text.count("\r\n"):
            return _Prepared(f, body, None, None)
        return _Prepared(f, body, _relative(text, f.span.start), _relative(text, f.span.end))

    def diagnostics(self, engine: Engine, path: str, findings: list[Finding]) -> RawJson:
        """The diagnostics of `path` as a JSON array. The text of the findings of one block is kept
        while the block keeps its findings and its place (an edit elsewhere that adds no line)."""
        old_runs = self._runs.get(path, {})
        runs: dict[int, _Run] = {}
        index = engine.index(path)
        text = index.text
        # the core's line numbers count "\n" only: the same as the protocol's unless a lone CR is there
        core_lines = text.count("\r") == text.count("\r\n")
        out: list[str] = []
        i = 0
        n = len(findings)
        while i < n:
            anchor = findings[i].span.anchor
            j = i + 1
            while j < n and findings[j].span.anchor is anchor:
                j += 1
            run = findings[i:j]
            ids = tuple(map(id, run))
            if core_lines and anchor.column == 0 and anchor.file == path:
                origin = (anchor.line, 0)
            else:
                origin = index.line_col(anchor.offset)
            cached = old_runs.get(id(anchor))
            kept = cached if cached is not None and cached.ids == ids and not cached.points_elsewhere else None
            if kept is not None and kept.origin == origin:
                runs[id(anchor)] = kept
                out.append(kept.json)
                i = j
                continue
            template: str | None
            if kept is not None and kept.template is not None and origin[1] == 0:  # moved by whole lines
                prepared, template, lines, points_elsewhere = kept.prepared, kept.template, kept.lines, False
            else:
                before = dict(zip(cached.ids, cached.prepared)) if cached is not None else {}
                prepared = []
                for f in run:
                    p = before.get(id(f))
                    prepared.append(p if p is not None and p.finding is f else self._prepare(f))
                points_elsewhere = any(f.related for f in run)
                template, lines = None, ()
                if origin[1] == 0 and not points_elsewhere:
                    template, lines = _template(prepared, path)
            if template is not None:
                joined = template % tuple([origin[0] + d for d in lines])
            else:
                joined = ",".join(self._item(engine, path, p, origin) for p in prepared)
            runs[id(anchor)] = _Run(ids, run, origin, prepared, joined, points_elsewhere, template, lines)
            out.append(joined)
            i = j
        self._runs[path] = runs
        return RawJson("[" + ",".join(out) + "]")

    def _item(self, engine: Engine, path: str, prepared: _Prepared, origin: tuple[int, int]) -> str:
        f = prepared.finding
        span = f.span
        if prepared.start is None or prepared.end is None or span.file != path:
            r = engine.range(span.file, span.start_offset, span.end_offset)
            head = RANGE % (r.start.line, r.start.character, r.end.line, r.end.character)
        else:
            (s_line, s_col), (e_line, e_col) = prepared.start, prepared.end
            head = RANGE % (
                origin[0] + s_line,
                origin[1] + s_col if s_line == 0 else s_col,
                origin[0] + e_line,
                origin[1] + e_col if e_line == 0 else e_col,
            )
        body = prepared.body
        if f.related:
            body = body[:-1] + ',"relatedInformation":' + json.dumps(_related(engine, f)) + "}"
        return head + body

    def forget(self, path: str) -> None:
        self._runs.pop(path, None)


def _template(prepared: list[_Prepared], path: str) -> tuple[str | None, tuple[int, ...]]:
    """The JSON of a block's diagnostics with its line numbers as %d, and those numbers relative to the
    block (for a block at column 0: the columns do not depend on where it is); (None, ()) when a
    finding's place is not known relative to its block."""
    items = []
    lines: list[int] = []
    for p in prepared:
        if p.start is None or p.end is None or p.finding.span.file != path:
            return None, ()
        (s_line, s_col), (e_line, e_col) = p.start, p.end
        items.append(LINES_AS_FIELDS.format(s_col, e_col) + p.body.replace("%", "%%"))
        lines += (s_line, e_line)
    return ",".join(items), tuple(lines)


def _related(engine: Engine, f: Finding) -> list[dict]:
    out = []
    for r in f.related:
        if r.span is None:
            continue
        rng = engine.range(r.span.file, r.span.start_offset, r.span.end_offset)
        out.append(
            {
                "location": {
                    "uri": engine.uri_of(r.span.file),
                    "range": {
                        "start": {"line": rng.start.line, "character": rng.start.character},
                        "end": {"line": rng.end.line, "character": rng.end.character},
                    },
                },
                "message": r.message,
            }
        )
    return out


def compute(engine: Engine, uri: str) -> list[tuple[str, int | None, RawJson]]:
    """On the analysis thread: (uri, version, diagnostics) of a document and its open importers."""
    doc = engine.document(uri)
    if doc is None:
        return []
    publisher = engine.publisher
    out = [(uri, doc.version, publisher.diagnostics(engine, doc.path, engine.findings(uri)))]
    for path in engine.session.dependents(doc.path):
        other = engine.uri_of(path)
        other_doc = engine.document(other)
        if other_doc is not None:
            out.append((other, other_doc.version, publisher.diagnostics(engine, path, engine.findings(other))))
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
    return bool(get_capability(server.client_capabilities, "workspace.diagnostics.refresh_support", False))


def _publish(server: DbdslServer, future: Future[list[tuple[str, int | None, RawJson]]]) -> None:
    if future.cancelled():
        return
    error = future.exception()
    if error is not None:
        server.log(f"dbdsl: diagnostics failed: {error!r}", lsp.MessageType.Error)
        return
    for uri, version, diagnostics in future.result():
        if uri not in server.latest or server.latest[uri] != version:
            continue  # closed, or edited since: a newer run will publish
        # prepared JSON: thousands of diagnostics stay cheap
        params = (
            '{"uri":' + json.dumps(uri) + ',"diagnostics":' + diagnostics + ',"version":' + json.dumps(version) + "}"
        )
        server.output.notify(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, RawJson(params))


def forget(server: DbdslServer, uri: str) -> None:
    """A closed document: no pending run, and no diagnostics left in the editor."""
    timer = server.timers.pop(uri, None)
    if timer is not None:
        timer.cancel()
    if server.push_diagnostics:
        params = '{"uri":' + json.dumps(uri) + ',"diagnostics":[]}'
        server.output.notify(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, RawJson(params))


def _pull(engine: Engine, uri: str, previous: str | None) -> dict | RawJson:
    result_id = f"{engine.session.generation}:{hash(engine.settings)}"
    if previous == result_id:
        return {"kind": "unchanged", "resultId": result_id}
    view = engine.view(uri)
    items = engine.publisher.diagnostics(engine, view.path, engine.findings(uri))
    return RawJson('{"kind":"full","resultId":' + json.dumps(result_id) + ',"items":' + items + "}")


@feature(
    lsp.TEXT_DOCUMENT_DIAGNOSTIC,
    lsp.DiagnosticOptions(identifier="dbdsl", inter_file_dependencies=True, workspace_diagnostics=False),
)
async def pull(ls: DbdslServer, params: lsp.DocumentDiagnosticParams) -> dict | RawJson:
    report = await ls.run(_pull, ls.engine, params.text_document.uri, params.previous_result_id)
    return report if report is not None else {"kind": "full", "items": []}
