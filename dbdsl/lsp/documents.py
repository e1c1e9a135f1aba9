"""The session: initialize, document sync (incremental), configuration, watched files and folders."""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcException
from pygls.uris import to_fs_path

from .diagnostics import forget, schedule
from .features import feature

if TYPE_CHECKING:
    from concurrent.futures import Future

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


@feature(lsp.INITIALIZE)
def initialize(ls: DbdslServer, params: lsp.InitializeParams) -> None:
    ls.loop = asyncio.get_running_loop()
    ls.loop_thread = threading.get_ident()
    caps = params.capabilities
    ls.push_diagnostics = get_capability(caps, "text_document.diagnostic") is None
    formats = get_capability(caps, "text_document.hover.content_format") or []
    markdown = get_capability(caps, "general.markdown") is not None
    ls.hover_images_supported = markdown and lsp.MarkupKind.Markdown in formats
    ls.snippets = bool(get_capability(caps, "text_document.completion.completion_item.snippet_support"))
    # after the reply: the settings make the engine, importing the analysis stack on the analysis thread
    ls.loop.call_soon(ls.submit, _configure, ls, params.initialization_options, _roots(params))


@feature(lsp.INITIALIZED)
async def initialized(ls: DbdslServer, params: lsp.InitializedParams) -> None:
    if get_capability(ls.client_capabilities, "workspace.did_change_watched_files.dynamic_registration"):
        watchers = [lsp.FileSystemWatcher(glob_pattern=g) for g in WATCHED]
        registration = lsp.Registration(
            id="dbdsl-watched-files",
            method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await ls.client_register_capability_async(lsp.RegistrationParams(registrations=[registration]))
        except JsonRpcException as e:  # a client may refuse; file changes then come from its own watchers
            ls.log(f"dbdsl: could not watch files: {e}", lsp.MessageType.Warning)
    await _pull_configuration(ls)


@feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: DbdslServer, params: lsp.DidOpenTextDocumentParams) -> None:
    doc = params.text_document
    ls.latest[doc.uri] = doc.version
    ls.submit(ls.engine.open, doc.uri, doc.text, doc.version)
    schedule(ls, doc.uri)


@feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: DbdslServer, params: lsp.DidChangeTextDocumentParams) -> None:
    uri, version = params.text_document.uri, params.text_document.version
    if uri not in ls.latest:
        return  # a change to a document that was never opened
    ls.latest[uri] = version
    ls.submit(ls.engine.change, uri, version, list(params.content_changes))
    schedule(ls, uri)


@feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: DbdslServer, params: lsp.DidSaveTextDocumentParams) -> None:
    if params.text_document.uri in ls.latest:
        schedule(ls, params.text_document.uri)


@feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: DbdslServer, params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.latest.pop(uri, None)
    ls.token_results.forget(uri)
    forget(ls, uri)
    future = ls.submit(_close, ls, uri)
    future.add_done_callback(lambda f: _reanalyse(ls, f))


@feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: DbdslServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    for change in params.changes:
        future = ls.submit(ls.engine.disk_changed, change.uri, change.type)
        future.add_done_callback(lambda f: _reanalyse(ls, f))


@feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(ls: DbdslServer, params: lsp.DidChangeConfigurationParams) -> None:
    settings = params.settings
    if not settings and get_capability(ls.client_capabilities, "workspace.configuration"):
        await _pull_configuration(ls)
        return
    await ls.run(_configure, ls, settings, None)
    _reanalyse_all(ls)


@feature(lsp.WINDOW_WORK_DONE_PROGRESS_CANCEL)
def progress_cancelled(ls: DbdslServer, params: lsp.WorkDoneProgressCancelParams) -> None:
    ls.cancelled_progress.add(params.token)


@feature(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
def did_change_workspace_folders(ls: DbdslServer, params: lsp.DidChangeWorkspaceFoldersParams) -> None:
    folders = [f.uri for f in ls.workspace.folders.values()] if ls.workspace else []
    paths = [p for p in (to_fs_path(u) for u in folders if u.startswith("file:")) if p]
    ls.submit(ls.engine.session.set_roots, paths)


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
    if not get_capability(server.client_capabilities, "workspace.configuration"):
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


def _reanalyse(server: DbdslServer, future: Future[list[str]]) -> None:
    """From the analysis thread: schedule diagnostics for the documents a change affects."""
    if future.cancelled() or future.exception() is not None:
        return
    uris = future.result() or []

    def schedule_open() -> None:
        for u in uris:
            if u in server.latest:
                schedule(server, u)

    server.on_loop(schedule_open)


def _reanalyse_all(server: DbdslServer) -> None:
    for uri in list(server.latest):
        schedule(server, uri)
