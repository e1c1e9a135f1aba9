"""The session: initialize, document sync (incremental), configuration, watched files and folders."""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp
from pygls.uris import to_fs_path

from .diagnostics import forget, schedule

if TYPE_CHECKING:
    from .server import DbdslServer

WATCHED = ("**/*.dbml", "**/*.dbdsl", "**/dbdsl.toml", "**/pyproject.toml")


def _roots(params: lsp.InitializeParams) -> list[str]:
    uris = [f.uri for f in params.workspace_folders or []]
    if not uris and params.root_uri:
        uris = [params.root_uri]
    paths = [to_fs_path(u) for u in uris if u.startswith("file:")]
    if not paths and params.root_path:
        paths = [params.root_path]
    return [p for p in paths if p]


def _capability(obj: Any, path: str) -> Any:
    for name in path.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def register(server: DbdslServer) -> None:
    engine = server.engine

    @server.feature(lsp.INITIALIZE)
    def initialize(params: lsp.InitializeParams) -> None:
        server.loop = asyncio.get_running_loop()
        server.loop_thread = threading.get_ident()
        caps = params.capabilities
        server.push_diagnostics = _capability(caps, "text_document.diagnostic") is None
        formats = _capability(caps, "text_document.hover.content_format") or []
        markdown = _capability(caps, "general.markdown") is not None
        server.hover_images_supported = markdown and lsp.MarkupKind.Markdown in formats
        server.snippets = bool(_capability(caps, "text_document.completion.completion_item.snippet_support"))
        roots = _roots(params)
        options = params.initialization_options
        server.submit(_configure, server, options, roots)

    @server.feature(lsp.INITIALIZED)
    async def initialized(params: lsp.InitializedParams) -> None:
        caps = server.client_capabilities
        if _capability(caps, "workspace.did_change_watched_files.dynamic_registration"):
            watchers = [lsp.FileSystemWatcher(glob_pattern=g) for g in WATCHED]
            registration = lsp.Registration(
                id="dbdsl-watched-files",
                method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
            try:
                await server.client_register_capability_async(lsp.RegistrationParams(registrations=[registration]))
            except Exception as e:  # a client may refuse; file changes then come from its own watchers
                server.log(f"dbdsl: could not watch files: {e}", lsp.MessageType.Warning)
        await _pull_configuration(server)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        server.latest[doc.uri] = doc.version
        server.submit(engine.open, doc.uri, doc.text, doc.version)
        schedule(server, doc.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        uri, version = params.text_document.uri, params.text_document.version
        if uri not in server.latest:
            return  # a change to a document that was never opened
        server.latest[uri] = version
        server.submit(engine.change, uri, version, list(params.content_changes))
        schedule(server, uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: lsp.DidSaveTextDocumentParams) -> None:
        if params.text_document.uri in server.latest:
            schedule(server, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        server.latest.pop(uri, None)
        server.token_results.forget(uri)
        forget(server, uri)
        future = server.submit(_close, server, uri)
        future.add_done_callback(lambda f: _reanalyse(server, f))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: lsp.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            future = server.submit(engine.disk_changed, change.uri, change.type)
            future.add_done_callback(lambda f: _reanalyse(server, f))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(params: lsp.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if not settings and _capability(server.client_capabilities, "workspace.configuration"):
            await _pull_configuration(server)
            return
        await server.run(_configure, server, settings, None)
        _reanalyse_all(server)

    @server.feature(lsp.WINDOW_WORK_DONE_PROGRESS_CANCEL)
    def progress_cancelled(params: lsp.WorkDoneProgressCancelParams) -> None:
        server.cancelled_progress.add(params.token)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_workspace_folders(params: lsp.DidChangeWorkspaceFoldersParams) -> None:
        folders = [f.uri for f in server.workspace.folders.values()] if server.workspace else []
        paths = [p for p in (to_fs_path(u) for u in folders if u.startswith("file:")) if p]
        server.submit(engine.session.set_roots, paths)


def _configure(server: DbdslServer, options: Any, roots: list[str] | None) -> None:
    """On the analysis thread: new settings (and project folders)."""
    engine = server.engine
    if roots is not None:
        engine.session.set_roots(roots)
    settings = engine.settings.updated(options)
    for problem in settings.problems:
        server.log(f"dbdsl settings: {problem}", lsp.MessageType.Warning)
    engine.settings = settings


async def _pull_configuration(server: DbdslServer) -> None:
    if not _capability(server.client_capabilities, "workspace.configuration"):
        return
    try:
        result = await server.workspace_configuration_async(
            lsp.ConfigurationParams(items=[lsp.ConfigurationItem(section="dbdsl")])
        )
    except Exception as e:
        server.log(f"dbdsl: could not read the configuration: {e}", lsp.MessageType.Warning)
        return
    if result and isinstance(result[0], dict):
        await server.run(_configure, server, result[0], None)
        _reanalyse_all(server)


def _close(server: DbdslServer, uri: str) -> list[str]:
    engine = server.engine
    doc = engine.document(uri)
    engine.close(uri)
    if doc is None:
        return []
    return [u for u, d in engine.docs.items() if doc.path in engine.session.imports_of(d.path)]


def _reanalyse(server: DbdslServer, future) -> None:
    """From the analysis thread: schedule diagnostics for the documents a change affects."""
    if future.cancelled() or future.exception() is not None:
        return
    uris = future.result() or []
    server.on_loop(lambda: [schedule(server, u) for u in uris if u in server.latest])


def _reanalyse_all(server: DbdslServer) -> None:
    for uri in list(server.latest):
        schedule(server, uri)
