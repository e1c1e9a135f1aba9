"""A real LSP client (pytest-lsp) driving `python -m dbdsl serve` from this checkout over stdio."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.protocol.json_rpc import JsonRPCRequestMessage
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from tests.helpers import REPO

SERVER = [sys.executable, "-m", "dbdsl", "serve"]
DELAY_MS = 40


def server_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env["DBDSL_DIAGNOSTICS_DELAY_MS"] = str(DELAY_MS)
    env.update(extra)
    return env


def make_client() -> LanguageClient:
    """The pytest-lsp client, recording every publishDiagnostics with its version, and applying
    nothing but answering `workspace/applyEdit` (the edits are kept in `applied_edits`)."""
    from pytest_lsp.client import default_converter

    client = LanguageClient(converter_factory=default_converter)
    client.published = {}  # type: ignore[attr-defined]
    client.applied_edits = []  # type: ignore[attr-defined]

    def publish(client: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.setdefault(params.uri, []).append((params.version, params.diagnostics))

    def apply_edit(client: LanguageClient, params: lsp.ApplyWorkspaceEditParams) -> lsp.ApplyWorkspaceEditResult:
        client.applied_edits.append(params)
        return lsp.ApplyWorkspaceEditResult(applied=True)

    def register_capability(client: LanguageClient, params: lsp.RegistrationParams) -> None:
        client.registrations = [*getattr(client, "registrations", []), *params.registrations]

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[lsp.CLIENT_REGISTER_CAPABILITY] = register_capability
    features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[lsp.WORKSPACE_APPLY_EDIT] = apply_edit
    register_lsp_features(client, features)
    return client


def config(**env: str) -> ClientServerConfig:
    return ClientServerConfig(server_command=SERVER, server_env=server_env(**env), client_factory=make_client)


def capabilities(kind: str = "push") -> lsp.ClientCapabilities:
    """VS Code's capabilities; `push` without pull diagnostics, `pull` with them."""
    caps = client_capabilities("visual-studio-code")
    if kind == "pull":
        caps.text_document.diagnostic = lsp.DiagnosticClientCapabilities(dynamic_registration=False)
        caps.workspace.diagnostics = lsp.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    return caps


async def start(client: LanguageClient, root: Path, *, kind: str = "push", options: Any = None) -> lsp.InitializeResult:
    return await client.initialize_session(
        lsp.InitializeParams(
            capabilities=capabilities(kind),
            root_uri=from_fs_path(str(root)),
            workspace_folders=[lsp.WorkspaceFolder(uri=from_fs_path(str(root)), name=root.name)],
            initialization_options=options,
        )
    )


def uri(path: Path | str) -> str:
    return from_fs_path(str(path))


def open_doc(client: LanguageClient, path: Path | str, text: str, version: int = 1) -> str:
    doc_uri = uri(path)
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=doc_uri, language_id="dbml", version=version, text=text)
        )
    )
    return doc_uri


async def published(client: LanguageClient, doc_uri: str, version: int | None, timeout: float = 20) -> list:
    """The diagnostics published for `version` of the document (waits for them)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        for v, diagnostics in reversed(client.published.get(doc_uri, [])):
            if v == version:
                return list(diagnostics)
        await asyncio.sleep(0.01)
    raise AssertionError(f"no diagnostics for {doc_uri} version {version} within {timeout}s")


async def eventually(get, ok, timeout: float = 20):
    """Await `get()` again until `ok(result)` holds, and return that result (the server applies a setting
    or a file change in its own time: the test waits for the effect, not for a fixed time)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await get()
        if ok(result):
            return result
        if loop.time() > deadline:
            raise AssertionError(f"still not as expected after {timeout}s: {result!r}"[:2000])
        await asyncio.sleep(0.02)


async def pull_diagnostics(client: LanguageClient, doc_uri: str) -> list:
    report = await client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(text_document=lsp.TextDocumentIdentifier(uri=doc_uri))
    )
    return list(report.items)


def errors(diagnostics) -> list:
    """The parser's and binder's diagnostics (E codes), leaving out the linter's."""
    return [d for d in diagnostics if str(d.code).startswith("E")]


def expected_findings(path: Path | str, text: str) -> list:
    """What the server reports for `text` at `path`: a fresh analysis, and the linter's findings (with
    the project's configuration); in the server's order."""
    from dbdsl.ide.lint import Linter
    from dbdsl.workspace import Workspace

    ws = Workspace()
    ws.open(str(path), text)
    analysis = ws.analyze(str(path))
    found = list(analysis.findings) + Linter().lint(analysis)
    return sorted(found, key=lambda f: (f.span.start_offset, f.code))


def position(text: str, needle: str, delta: int = 0, *, occurrence: int = 0) -> lsp.Position:
    """The LSP position (UTF-16) of `needle` in `text` (plus `delta` code points)."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    line_start = text.rfind("\n", 0, at) + 1
    return lsp.Position(line=line, character=len(text[line_start:at].encode("utf-16-le")) // 2)


def send_raw(client: LanguageClient, method: str, params: object) -> asyncio.Future:
    """Send a request with raw JSON parameters (the typed API would refuse malformed ones)."""
    msg_id = str(uuid.uuid4())
    future: Future = Future()
    client.protocol._request_futures[msg_id] = future
    client.protocol._send_data(JsonRPCRequestMessage(id=msg_id, method=method, jsonrpc="2.0", params=params))
    return asyncio.wrap_future(future)
