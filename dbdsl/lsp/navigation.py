"""Go to definition, find references (across the project) and document links for `use` paths."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp
from pygls.uris import from_fs_path

from .features import feature

if TYPE_CHECKING:
    from .server import DbdslServer


def _definition(server: DbdslServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
    from ..ide import navigate  # on first use: start-up time

    engine = server.engine
    uri = params.text_document.uri
    view = engine.view(uri)
    found = navigate.definition(view, engine.offset(uri, params.position))
    return [engine.location(loc.file, loc.start, loc.end) for loc in found]


def _references(server: DbdslServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    from ..ide import navigate  # on first use: start-up time

    engine = server.engine
    uri = params.text_document.uri
    view = engine.view(uri)
    offset = engine.offset(uri, params.position)
    found = navigate.references(engine.session, view, offset, params.context.include_declaration)
    return [engine.location(loc.file, loc.start, loc.end) for loc in found]


def _links(server: DbdslServer, params: lsp.DocumentLinkParams) -> list[lsp.DocumentLink]:
    from ..ide import navigate  # on first use: start-up time

    engine = server.engine
    view = engine.view(params.text_document.uri)
    return [
        lsp.DocumentLink(range=engine.range(view.path, link.start, link.end), target=from_fs_path(link.target))
        for link in navigate.document_links(view)
    ]


@feature(lsp.TEXT_DOCUMENT_DEFINITION)
async def definition(ls: DbdslServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
    return await ls.run(_definition, ls, params)


@feature(lsp.TEXT_DOCUMENT_REFERENCES)
async def references(ls: DbdslServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
    return await ls.run(_references, ls, params)


@feature(lsp.TEXT_DOCUMENT_DOCUMENT_LINK)
async def links(ls: DbdslServer, params: lsp.DocumentLinkParams) -> list[lsp.DocumentLink] | None:
    return await ls.run(_links, ls, params)
